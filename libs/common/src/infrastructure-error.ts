/** Node socket errors of a connection that could not be made or was cut. */
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

/** SQLSTATE classes 08, 53 and 57, but not 57014 (query_canceled); see isInfrastructureError. */
function isInfrastructureCode(code: string): boolean {
  if (SOCKET_CODES.has(code)) return true;
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return code.startsWith('08') || code.startsWith('53') || (code.startsWith('57') && code !== '57014');
}

/** node-postgres and ioredis say these in messages only (no code); lower case. */
const MESSAGES = [
  'connection terminated',
  'not currently accepting connections',
  'timeout exceeded when trying to connect',
  'client has encountered a connection error',
  'connection is closed',
  "stream isn't writeable",
  // starting up, shutting down, in recovery mode, not yet accepting connections
  'the database system is',
];

/**
 * Whether an error says the infrastructure is away (Postgres or Redis unreachable, restarting,
 * out of connections or resources, a connection cut), not that the work itself or the request was
 * wrong. The one answer to that question, for every caller:
 *
 * - the API answers SERVICE_UNAVAILABLE (HTTP 503, `retryable: true`) instead of
 *   INTERNAL_SERVER_ERROR (apps/api/src/graphql/error-formatter.ts);
 * - the worker's jobs wait and try again without using up an attempt, so an outage does not turn
 *   into an email marked FAILED or a wake-up given up (apps/worker/src/worker-runner.ts, the
 *   email sender's claim).
 *
 * What counts (PostgreSQL error codes:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * - Node's socket errors of a connection that could not be made or was cut (SOCKET_CODES);
 * - SQLSTATE class 08 (connection exception), class 53 (insufficient resources: too many
 *   connections, out of memory or disk) and class 57 (operator intervention: shutdown, crash,
 *   cannot connect now, database dropped) except 57014, query_canceled: a statement timeout or a
 *   cancel aimed at one statement is no outage, the same statement would meet it again, and a
 *   worker job would wait on it forever without using an attempt;
 * - 55000 only with "not currently accepting connections" (ALTER DATABASE … ALLOW_CONNECTIONS
 *   false), which the message list catches: 55000 is also raised for mistakes in a statement;
 * - what node-postgres and ioredis say in messages only, without a code (MESSAGES, compared
 *   without case).
 *
 * Looks through TypeORM's QueryFailedError (`driverError`), `cause` chains and AggregateError (a
 * refused dual-stack connect holds one error per address), at most 4 levels deep. Anything that is
 * not an object (a thrown string, null) is not an infrastructure error.
 */
export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && isInfrastructureCode(code)) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') {
    const lower = message.toLowerCase();
    if (MESSAGES.some((text) => lower.includes(text))) return true;
  }
  const nested = error as { driverError?: unknown; cause?: unknown };
  const inner: unknown[] = [nested.driverError, nested.cause];
  if (error instanceof AggregateError) inner.push(...error.errors);
  return inner.some((cause) => isInfrastructureError(cause, depth + 1));
}
