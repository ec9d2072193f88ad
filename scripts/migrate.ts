import 'reflect-metadata';
import { loadConfig } from '@snitflow/config';
import { createDataSource, ensureDatabaseExists, runMigrations } from '@snitflow/database';

/** `npm run migrate`: create the database if missing and apply pending migrations. */
const config = loadConfig();
await ensureDatabaseExists(config.DATABASE_URL);
const dataSource = createDataSource({
  url: config.DATABASE_URL,
  applicationName: 'snitflow-migrate',
  poolSize: 1,
});
await dataSource.initialize();
const applied = await runMigrations(dataSource);
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
await dataSource.destroy();
