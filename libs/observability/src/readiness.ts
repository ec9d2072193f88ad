import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';

/** How long one dependency may take to answer before readiness reports it down. */
export const READINESS_TIMEOUT_MS = 1000;

/**
 * The checks behind /health/ready. Each one fails within READINESS_TIMEOUT_MS
 * while its dependency is down (no retry queue, no reconnect wait) and passes
 * again by itself once the dependency is back: nothing needs a restart.
 */
@Injectable()
export class Readiness implements OnModuleDestroy {
  /**
   * Its own connection: BullMQ's queues an unbounded number of commands while Redis is away
   * (maxRetriesPerRequest: null), so a ping on it would hang instead of failing. This one
   * refuses at once while disconnected and keeps reconnecting in the background.
   */
  private readonly redis: Redis;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: READINESS_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Errors surface as a failed check; the event only needs a listener.
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  postgres(): PromiseLike<HealthIndicatorResult> {
    return this.database.pingCheck('postgres').withTimeout(READINESS_TIMEOUT_MS);
  }

  redisPing(): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check('redis')
      .attempt(async () => {
        const answer = await this.redis.ping();
        if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  /**
   * The worker's mail server: a fresh SMTP connection that says EHLO and quits (the pooled
   * sender's connections are not touched). Without SMTP_URL, email goes to files: up.
   */
  smtp(): PromiseLike<HealthIndicatorResult> {
    const url = this.config.SMTP_URL;
    return this.indicators
      .check('smtp')
      .attempt(async () => {
        if (!url) return { mode: 'files', directory: this.config.MAIL_DROP_DIR };
        const transport = nodemailer.createTransport({
          url,
          connectionTimeout: READINESS_TIMEOUT_MS,
          greetingTimeout: READINESS_TIMEOUT_MS,
          socketTimeout: READINESS_TIMEOUT_MS,
        });
        try {
          await transport.verify();
        } finally {
          transport.close();
        }
        return { mode: 'smtp' };
      })
      .withTimeout(READINESS_TIMEOUT_MS + 500);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
