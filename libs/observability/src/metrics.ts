import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobQueues } from '@snitflow/jobs';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** BullMQ job states counted by `snitflow_jobs`. */
export const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'] as const;

/** A scrape must answer while Postgres or Redis is down: each source gets this long, then is skipped. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * Every Prometheus metric of one process (API or worker), in its own registry
 * so that an API and a worker in one test process never collide. The README
 * lists each metric with its meaning; keep the two in step.
 *
 * Counters and histograms count what this process did (sum them across
 * processes). Gauges read from Postgres and Redis at scrape time describe the
 * whole deployment: every process reports the same value (take max, not sum).
 */
@Injectable()
export class Metrics {
  private readonly logger = new Logger(Metrics.name);
  readonly registry = new Registry();

  /** Transitions this process attempted, by machine event and outcome (`accepted` or the refusal's code). */
  readonly transitions = new Counter({
    name: 'snitflow_transitions_total',
    help: 'Order transitions attempted by this process, by event type and outcome (accepted, or the error code: INVALID_TRANSITION, FORBIDDEN, CONFLICT, NOT_FOUND, ERROR)',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Failed SMTP (or file) send attempts of this worker; each is retried or ends FAILED. */
  readonly emailSendFailures = new Counter({
    name: 'snitflow_email_send_failures_total',
    help: 'Email send attempts that failed in this worker (each is retried with backoff, the last marks the row FAILED)',
    registers: [this.registry],
  });

  /** From a reminder's wake-up time to its job finishing, in seconds. */
  readonly reminderLateness = new Histogram({
    name: 'snitflow_reminder_lateness_seconds',
    help: 'Seconds from the time a reminder job was due to the time this worker finished it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  /** GraphQL operations that reached execution, by operation type and first root field. */
  readonly graphqlDuration = new Histogram({
    name: 'snitflow_graphql_operation_duration_seconds',
    help: 'Seconds from parsing a GraphQL operation to its result, by operation type and first root field (a schema name, so the label set is bounded)',
    labelNames: ['operation', 'field'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: JobQueues,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const metrics = this;
    new Gauge({
      name: 'snitflow_orders',
      help: 'Interface orders by state path (whole deployment, read from Postgres at scrape)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await metrics.read<{ state: string; count: number }>(
          'SELECT state, count(*)::int AS count FROM interface_order GROUP BY state',
        );
        this.reset();
        if (!rows) return;
        for (const row of rows) this.set({ state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'snitflow_overdue_orders',
      help: 'Open orders past their deadline, by who holds the ball (whole deployment, from Postgres)',
      labelNames: ['ball_in_court'] as const,
      registers: [this.registry],
      async collect() {
        // The overdue queue's own condition, on its partial index.
        const rows = await metrics.read<{ ball: string; count: number }>(
          `SELECT ball_in_court AS ball, count(*)::int AS count FROM interface_order
            WHERE is_open AND due_at IS NOT NULL AND due_at < now() GROUP BY ball_in_court`,
        );
        this.reset();
        if (!rows) return;
        for (const row of rows) this.set({ ball_in_court: row.ball }, row.count);
      },
    });
    new Gauge({
      name: 'snitflow_outbox_emails',
      help: 'Outbox email rows by status: PENDING, SENT, FAILED, SUPERSEDED (whole deployment, from Postgres)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await metrics.read<{ status: string; count: number }>(
          'SELECT status, count(*)::int AS count FROM outbox_email GROUP BY status',
        );
        this.reset();
        if (!rows) return;
        for (const row of rows) this.set({ status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'snitflow_jobs',
      help: 'BullMQ jobs per queue and state (whole deployment, read from Redis at scrape)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await metrics.within(
          Promise.all(
            metrics.queues.allQueues().map(async (queue) => ({
              queue: queue.name,
              counts: await queue.getJobCounts(...JOB_STATES),
            })),
          ),
          'Redis',
        );
        this.reset();
        if (!counts) return;
        for (const { queue, counts: byState } of counts) {
          for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Counts one transition attempt (called by the transition service). */
  countTransition(event: string, outcome: string): void {
    this.transitions.inc({ event, outcome });
  }

  private read<T>(sql: string): Promise<T[] | null> {
    return this.within(this.dataSource.query<T[]>(sql), 'Postgres');
  }

  /** A source that is down leaves its gauge out of this scrape instead of failing or hanging it. */
  private async within<T>(work: Promise<T>, source: string): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${COLLECT_TIMEOUT_MS} ms`)),
        COLLECT_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      this.logger.warn(`metrics from ${source} skipped: ${(error as Error).message}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
