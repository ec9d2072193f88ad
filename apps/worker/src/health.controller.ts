import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { Metrics, metricsAccessAllowed, Readiness } from '@snitflow/observability';
import type { FastifyReply } from 'fastify';

/**
 * The worker's small HTTP face on WORKER_HEALTH_PORT: liveness, readiness
 * (Postgres, Redis and the mail server it sends through) and its metrics.
 * Nothing else is served here.
 */
@Controller()
export class WorkerHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.readiness.postgres(),
      () => this.readiness.redisPing(),
      () => this.readiness.smtp(),
    ]);
  }

  @Get('metrics')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    if (!metricsAccessAllowed(this.config.METRICS_TOKEN, authorization)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send('METRICS_TOKEN required\n');
    }
    const { contentType, body } = await this.metrics.exposition();
    return reply.header('content-type', contentType).send(body);
  }
}
