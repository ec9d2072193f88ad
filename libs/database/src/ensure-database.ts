import pg from 'pg';

/** A start-up failure that deserves one clear line, not a stack trace. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Connection errors that mean nothing listens at the address. */
const NOT_RUNNING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNRESET']);

function describe(url: URL): string {
  return `${url.hostname}:${url.port || '5432'}`;
}

function databaseName(url: URL): string {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-zA-Z0-9_-]{1,63}$/.test(name)) {
    throw new DatabaseUnavailableError(
      `DATABASE_URL must name a database of letters, digits, _ or - (got "${name}")`,
    );
  }
  return name;
}

/**
 * Makes sure the database in `databaseUrl` exists, creating it when missing, so
 * that `npm start` works on a fresh machine. Turns "nothing listens" into a
 * sentence that says what to start.
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<{ created: boolean }> {
  const url = new URL(databaseUrl);
  const name = databaseName(url);
  const maintenanceUrl = new URL(databaseUrl);
  maintenanceUrl.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: maintenanceUrl.toString(),
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    // Only "nothing answers" means "start it"; a refused login or TLS problem needs another fix.
    if (!NOT_RUNNING.has(code) && !/timeout/i.test(code)) {
      throw new DatabaseUnavailableError(
        `PostgreSQL at ${describe(url)} refused the connection: ${(error as Error).message} (${code}). Check DATABASE_URL (user, password, TLS).`,
      );
    }
    throw new DatabaseUnavailableError(
      `PostgreSQL is not reachable at ${describe(url)} (${code}). Start it ` +
        '(on this machine: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; ' +
        'elsewhere: docker compose up -d postgres) or set DATABASE_URL.',
    );
  }
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return { created: false };
    // The name was checked against a strict pattern above; identifiers cannot be bound parameters.
    await client.query(`CREATE DATABASE "${name}"`);
    return { created: true };
  } finally {
    await client.end();
  }
}
