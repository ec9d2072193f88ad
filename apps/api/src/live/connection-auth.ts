import { InvalidTokenError, verifyToken } from '@snitflow/auth';

/**
 * graphql-ws `connection_init`: the payload must carry `authorization: "Bearer <token>"`
 * (or `Authorization`, or either inside `headers`). An invalid or expired token refuses
 * the connection (Mercurius answers "Forbidden" and closes it). Returns what is merged into
 * the connection's context: the token's expiry, at which LiveService closes the socket.
 */
export async function authorizeConnection(
  secret: string,
  payload: unknown,
): Promise<{ tokenExpiresAt: number } | false> {
  const header = headerOf(payload);
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return false;
  try {
    await verifyToken(secret, match[1]);
  } catch (error) {
    if (error instanceof InvalidTokenError) return false;
    throw error;
  }
  const expiresAt = expiryOf(match[1]);
  return expiresAt === null ? false : { tokenExpiresAt: expiresAt };
}

function headerOf(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const record = payload as Record<string, unknown>;
  const inner = record.headers;
  const headers = (inner && typeof inner === 'object' ? inner : record) as Record<string, unknown>;
  const value = headers.authorization ?? headers.Authorization;
  return typeof value === 'string' ? value : null;
}

/** The token's exp in ms (its signature was verified just before); null when absent. */
function expiryOf(token: string): number | null {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
}
