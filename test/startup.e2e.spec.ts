import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { DatabaseUnavailableError, ensureDatabaseExists, ensureRedisReachable } from '@snitflow/database';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('npm start on a machine that is not ready', () => {
  it('says in one sentence to start PostgreSQL when nothing listens', async () => {
    const attempt = ensureDatabaseExists('postgres://postgres@127.0.0.1:1/snitflow');
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(attempt).rejects.toThrow(
      /^PostgreSQL is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. Start it/,
    );
  });

  it('says in one sentence to start Redis when nothing listens, without ioredis printing a stack', async () => {
    const printed: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    try {
      const attempt = ensureRedisReachable('redis://127.0.0.1:1');
      await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(attempt).rejects.toThrow(
        /^Redis is not reachable at 127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\)\. Start it/,
      );
      // ioredis reports an error event nobody listens to on the console, after the failed connect.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(printed).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('does not say "start it" when PostgreSQL runs but refuses the login', async () => {
    const url = new URL(ADMIN_URL);
    url.username = `nobody_${randomBytes(4).toString('hex')}`;
    url.pathname = '/snitflow';
    const attempt = ensureDatabaseExists(url.toString());
    await expect(attempt).rejects.toThrow(/refused the connection: .*Check DATABASE_URL/);
  });

  it('creates a missing database once', async () => {
    const name = `snitflow_startup_${randomBytes(4).toString('hex')}`;
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    try {
      expect(await ensureDatabaseExists(url.toString())).toEqual({ created: true });
      expect(await ensureDatabaseExists(url.toString())).toEqual({ created: false });
    } finally {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    }
  });
});
