import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { Metrics, metricsAccessAllowed, Readiness } from '@snitflow/observability';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/current-user.js';

/**
 * Liveness, readiness and Prometheus metrics for load balancers, orchestrators
 * and scrapers. None of them takes a user's bearer token (they are not on the
 * GraphQL auth path); /metrics takes METRICS_TOKEN when one is set.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 200 while the process runs its event loop; checks no dependency (a restart would not fix one). */
  @Public()
  @Get('health/live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when Postgres and Redis answer within a second each, else 503 with which one is down. */
  @Public()
  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.readiness.postgres(), () => this.readiness.redisPing()]);
  }

  /** Kept for existing probes: the same as /health/ready. */
  @Public()
  @Get('health')
  @HealthCheck()
  legacy() {
    return this.ready();
  }

  @Public()
  @Get('metrics')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    if (!metricsAccessAllowed(this.config.METRICS_TOKEN, authorization)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send('METRICS_TOKEN required\n');
    }
    const { contentType, body } = await this.metrics.exposition();
    return reply.header('content-type', contentType).send(body);
  }
}
