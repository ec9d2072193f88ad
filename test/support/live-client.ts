import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveEvent<T> {
  data?: T | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A real graphql-ws client (the `ws` WebSocket, as a Node frontend would use) on
 * one connection, collecting what each subscription delivers.
 */
export class LiveClient {
  readonly client: Client;
  /** How the socket closed, once it has. */
  closed: { code: number; reason: string } | null = null;
  private readonly connected: Promise<void>;

  constructor(httpUrl: string, token: string | null) {
    let onConnected: () => void = () => undefined;
    let onFailed: (error: unknown) => void = () => undefined;
    this.connected = new Promise((resolve, reject) => {
      onConnected = resolve;
      onFailed = reject;
    });
    // Handled where a test awaits it; a refused connection must not be an unhandled rejection.
    this.connected.catch(() => undefined);
    this.client = createClient({
      url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: (error) => onFailed(error),
      on: {
        connected: () => onConnected(),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          this.closed = { code, reason: String(reason) };
          onFailed(new Error(`closed ${code} ${reason}`));
        },
      },
    });
  }

  /** Resolves once the server accepted connection_init; rejects when it refused or closed. */
  ready(): Promise<void> {
    return this.connected;
  }

  /** Starts a subscription; its deliveries (data or errors) collect in the returned array. */
  subscribe<T>(query: string, variables: Record<string, unknown> = {}): LiveEvent<T>[] {
    const events: LiveEvent<T>[] = [];
    this.client.subscribe<T>(
      { query, variables },
      {
        next: (value) => events.push(value as LiveEvent<T>),
        error: (error) => {
          const errors = Array.isArray(error)
            ? error
            : [{ message: String((error as Error)?.message ?? error) }];
          events.push({ errors });
        },
        complete: () => undefined,
      },
    );
    return events;
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

/** Polls until `check` holds (deliveries arrive asynchronously over Redis). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
