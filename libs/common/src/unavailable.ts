/**
 * PostgreSQL SQLSTATE classes and codes that mean "the database cannot serve right now", not
 * "this request is wrong": connection exceptions (08), operator intervention (57: shutdown,
 * restart, crash), insufficient resources (53: too many connections, out of memory or disk),
 * and 55000 for a database that refuses connections (ALLOW_CONNECTIONS false).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATE = /^(08|57|53)/;
const UNAVAILABLE_CODES = new Set(['55000']);
/** Node socket errors of a connection that could not be made or was cut. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
/** node-postgres says these in messages only (no code). */
const POOL_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'is not currently accepting connections',
  'the database system is',
];

function codeOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/**
 * True when an error means the database is unreachable or restarting, so the caller should be
 * told to retry (SERVICE_UNAVAILABLE) rather than that something broke. Looks through TypeORM's
 * QueryFailedError (driverError) and `cause` chains.
 */
export function isServiceUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const code = codeOf(error);
  if (code && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_CODES.has(code) || SOCKET_CODES.has(code))) {
    return true;
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && POOL_MESSAGES.some((text) => message.includes(text))) return true;
  const nested = error as { driverError?: unknown; cause?: unknown };
  return isServiceUnavailable(nested.driverError, depth + 1) || isServiceUnavailable(nested.cause, depth + 1);
}
