import type { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';

/** One committed change: ids only; subscribers re-read Postgres as the caller. */
export interface OrderChangeMessage {
  orderId: string;
  /** The order's version after the change. */
  version: number;
  /** The order was or is past its deadline: it entered, moved in or left the overdue queue. */
  overdueQueue: boolean;
}

/** What travels on the topic: the changes committed in one short window, oldest first. */
export interface OrderChangeBatch {
  changes: OrderChangeMessage[];
}

export type LiveEmitter = ReturnType<typeof mqemitterRedis>;

/** The topic, per REDIS_PREFIX so deployments and test runs sharing a Redis never hear each other. */
export function liveTopics(prefix: string): { orderChanged: string } {
  return { orderChanged: `${prefix}/order-changed` };
}

/**
 * Changes are gathered for this long and published as one message: one Redis PUBLISH per
 * window instead of one per transition (measured: a publish per transition cost about 5% of
 * a GraphQL mutation's Node CPU and more of the service path's). The delay is what a
 * subscriber waits at most, beyond Redis itself.
 */
export const LIVE_BATCH_MS = 10;

/**
 * Publishes order changes to Redis pub/sub (mqemitter-redis), after commit,
 * from whichever process made them (API or worker), so that GraphQL
 * subscribers on every API process hear them. The API's Mercurius uses the
 * same emitter to subscribe. Publishing is best effort: Redis pub/sub keeps
 * nothing, and a subscriber that missed a change re-reads the order when it
 * reconnects; Postgres stays the truth.
 */
@Injectable()
export class OrderChanges implements OnApplicationShutdown {
  private readonly logger = new Logger(OrderChanges.name);
  readonly emitter: LiveEmitter;
  readonly topics: ReturnType<typeof liveTopics>;

  // Ours, not the emitter's: closed with disconnect() at shutdown, so that a subscription
  // ending after that gets an error in its callback, not an unhandled rejection.
  private readonly connections: Redis[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const subConn = new Redis(config.REDIS_URL);
    const pubConn = new Redis(config.REDIS_URL, { enableAutoPipelining: true });
    this.connections = [subConn, pubConn];
    this.emitter = mqemitterRedis({ subConn, pubConn });
    // Connection errors are reported on `state` (not in the package's types); ioredis reconnects.
    (this.emitter as unknown as { state: EventEmitter }).state.on('error', (error: Error) =>
      this.logger.warn(`Redis (live updates): ${error.message}`),
    );
    this.topics = liveTopics(config.REDIS_PREFIX);
  }

  private pending: OrderChangeMessage[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** An order changed (called after commit); published within LIVE_BATCH_MS. */
  published(change: OrderChangeMessage): void {
    this.pending.push(change);
    this.timer ??= setTimeout(() => this.flush(), LIVE_BATCH_MS);
  }

  private flush(): void {
    this.timer = null;
    const changes = this.pending;
    this.pending = [];
    if (changes.length === 0) return;
    const payload: OrderChangeBatch = { changes };
    this.emitter.emit({ topic: this.topics.orderChanged, payload }, (error?: Error) => {
      if (error) this.logger.warn(`could not publish ${changes.length} order change(s): ${error.message}`);
    });
  }

  /** After the HTTP server (and its subscriptions) closed, not before. */
  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    for (const connection of this.connections) connection.disconnect();
  }
}
