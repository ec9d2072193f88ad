import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createDataSource, runMigrations, seedDemoData } from '@snitflow/database';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl, runId, templateDatabaseName } from './test-env.js';

let counter = 0;

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Tests need PostgreSQL at ${ADMIN_DATABASE_URL} (${(error as Error).message}); .ci/run starts it`,
    );
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Creates, migrates and seeds this run's template once (the first caller
 * does it under an advisory lock; later callers find it ready).
 */
async function ensureTemplate(): Promise<string> {
  const template = templateDatabaseName();
  await withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock(hashtext('snitflow-test-template'))");
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount) return;
      await admin.query(`CREATE DATABASE "${template}"`);
      const dataSource = createDataSource({
        url: databaseUrl(template),
        applicationName: 'snitflow-test-template',
      });
      await dataSource.initialize();
      try {
        await runMigrations(dataSource);
        await seedDemoData(dataSource);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext('snitflow-test-template'))");
    }
  });
  return template;
}

/** A fresh database for one test file, cloned from this run's migrated and seeded template. */
export async function cloneTestDatabase(): Promise<{ name: string; url: string }> {
  const template = await ensureTemplate();
  counter += 1;
  const name = `snitflow_test_${runId()}_${counter}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: databaseUrl(name) };
}

/**
 * Makes this test's own database refuse connections and cuts the ones it has, as an outage of
 * the application's database would (never the shared server: only `name`).
 */
export async function refuseConnections(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  });
}

/** Ends refuseConnections. */
export async function allowConnections(name: string): Promise<void> {
  await withAdmin((admin) => admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`));
}
