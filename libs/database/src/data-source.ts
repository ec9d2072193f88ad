import { MIGRATIONS } from '@snitflow/migrations';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';

// `date` columns are calendar dates, not instants: keep them as 'YYYY-MM-DD'
// strings instead of letting pg turn them into a Date at local midnight.
const PG_DATE_OID = 1082;
pg.types.setTypeParser(PG_DATE_OID, (value: string) => value);

export interface DatabaseSettings {
  url: string;
  /** Shown in pg_stat_activity, so an operator can tell the API from the worker. */
  applicationName: string;
  poolSize?: number;
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    applicationName: settings.applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Schema changes go through migrations/ only.
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: settings.poolSize ?? 20 },
  };
}

export function createDataSource(settings: DatabaseSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
