/**
 * Errors that say the infrastructure is away (Postgres or Redis unreachable, a connection cut),
 * not that the work itself failed. Work that meets one waits and tries again without using up
 * its own attempts: an outage must not turn into an email marked FAILED, or a wake-up given up.
 *
 * Codes: Node's socket errors; PostgreSQL's class 08 (connection exception), 57P01–57P03
 * (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections), and 55000
 * with "not currently accepting connections" (ALTER DATABASE … ALLOW_CONNECTIONS false).
 * (PostgreSQL error codes: https://www.postgresql.org/docs/current/errcodes-appendix.html)
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  'connection terminated',
  'not currently accepting connections',
  'timeout exceeded when trying to connect',
  'client has encountered a connection error',
  'connection is closed',
  "stream isn't writeable",
  'the database system is starting up',
  'the database system is shutting down',
];

export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (SOCKET_CODES.has(code) || POSTGRES_CODES.has(code) || code.startsWith('08')) return true;
  const message = error.message.toLowerCase();
  if (MESSAGES.some((text) => message.includes(text))) return true;
  // TypeORM wraps the driver's error; AggregateError (a refused dual-stack connect) holds several.
  const inner: unknown[] = [];
  if ('driverError' in error) inner.push(error.driverError);
  if ('cause' in error) inner.push(error.cause);
  if (error instanceof AggregateError) inner.push(...error.errors);
  return inner.some((cause) => isInfrastructureError(cause, depth + 1));
}
