import type { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';

/** What travels on the change topics: ids only; subscribers re-read Postgres as the caller. */
export interface OrderChangeMessage {
  orderId: string;
  /** The order's version after the change. */
  version: number;
}

export type LiveEmitter = ReturnType<typeof mqemitterRedis>;

/** The topics, per REDIS_PREFIX so deployments and test runs sharing a Redis never hear each other. */
export function liveTopics(prefix: string): { orderChanged: string; overdueQueueChanged: string } {
  return {
    orderChanged: `${prefix}/order-changed`,
    overdueQueueChanged: `${prefix}/overdue-queue-changed`,
  };
}

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

  /** An order changed; `overdueQueue` when it entered, moved in or left the overdue queue. */
  published(change: OrderChangeMessage, overdueQueue: boolean): void {
    this.emit(this.topics.orderChanged, change);
    if (overdueQueue) this.emit(this.topics.overdueQueueChanged, change);
  }

  private emit(topic: string, payload: OrderChangeMessage): void {
    this.emitter.emit({ topic, payload }, (error?: Error) => {
      if (error)
        this.logger.warn(`could not publish ${topic} for order ${payload.orderId}: ${error.message}`);
    });
  }

  /** After the HTTP server (and its subscriptions) closed, not before. */
  onApplicationShutdown(): void {
    for (const connection of this.connections) connection.disconnect();
  }
}
