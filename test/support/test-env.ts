/**
 * Names shared by the global setup and the tests of one `npm test` run. Each
 * run has its own databases and Redis key prefix, so runs never see each
 * other's data and nothing needs resetting by hand.
 */
export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_JWT_SECRET = 'snitflow-test-secret-0123456789-abcdefghij';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Set by the global setup: the migrated, seeded template this run clones. */
export function templateDatabaseName(): string {
  const name = process.env.SNITFLOW_TEST_TEMPLATE;
  if (!name) throw new Error('SNITFLOW_TEST_TEMPLATE is not set: run the tests with `npm test`');
  return name;
}

export function runId(): string {
  const id = process.env.SNITFLOW_TEST_RUN;
  if (!id) throw new Error('SNITFLOW_TEST_RUN is not set: run the tests with `npm test`');
  return id;
}
