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

/** The slice of ws's WebSocket that refuseAsForbidden patches. */
interface RefusableSocket {
  protocol: string;
  send(data: unknown, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
}

/** The subprotocol of the graphql-ws library (graphql-transport-ws), which has no error message for a refused init. */
const GRAPHQL_WS_PROTOCOL = 'graphql-transport-ws';

/**
 * Mercurius refuses a connection_init that onConnect turns down by sending
 * `{"type": "connection_error"}` and closing without a code. That message exists only in the old
 * subscriptions-transport-ws protocol; a graphql-ws client (graphql-transport-ws) takes it for a
 * broken server ("Invalid message 'type' property", closes 4400, does not retry). The protocol's
 * refusal is closing the socket with 4403 Forbidden (graphql-ws PROTOCOL.md, ConnectionInit), the
 * code this API also uses when a token expires, so a client can fetch a fresh token and
 * reconnect. So on a graphql-transport-ws socket that message becomes that close; the old
 * protocol keeps its message. Called from the subscription context, before onConnect runs.
 */
export function refuseAsForbidden(socket: RefusableSocket): void {
  if (socket.protocol !== GRAPHQL_WS_PROTOCOL) return;
  const send = socket.send.bind(socket);
  socket.send = (data, callback) => {
    if (typeof data === 'string' && data.startsWith('{"type":"connection_error"')) {
      socket.close(4403, 'Forbidden');
      callback?.();
      return;
    }
    send(data, callback);
  };
}
