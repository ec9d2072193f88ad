import { Redis } from 'ioredis';
import pg from 'pg';

/** Drops this run's databases and Redis keys (loaded outside Jest's module system: no project imports). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.SNITFLOW_TEST_RUN;
  if (!run) return;
  const admin = new pg.Client({
    connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  const databases = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`snitflow\\_test\\_${run}%`],
  );
  for (const { datname } of databases.rows)
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  // Leftovers of runs that were killed before their teardown.
  const stale = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'snitflow\\_test\\_%'
        AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day'`,
  );
  for (const { datname } of stale.rows)
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();

  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `snitflow-test-${run}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
