import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { isInfrastructureError, runWithRequestId } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { assertEveryJobHasOneHandler, JobName, JobQueues, QUEUE_BY_JOB } from '@snitflow/jobs';
import { DelayedError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CountedAttemptError, JOB_HANDLERS, type JobHandler } from './job-handler.js';
import { Reconciler } from './reminders/reconciler.js';

/**
 * Starts one BullMQ worker per queue and dispatches jobs by name to their
 * handler. Refuses to start when a job has no handler or two. Rebuilds the
 * wake-ups from Postgres at start and then on a timer (not a repeatable job:
 * that would vanish with the Redis data it is meant to repair).
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly workers: Worker[] = [];
  private timer: NodeJS.Timeout | null = null;
  // BullMQ leaves connections it was given open; they are ours to close.
  private readonly connections: Redis[] = [];

  constructor(
    @Inject(JOB_HANDLERS) private readonly handlers: JobHandler[],
    private readonly queues: JobQueues,
    private readonly reconciler: Reconciler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    assertEveryJobHasOneHandler(this.handlers);
    const byName = new Map(this.handlers.map((handler) => [handler.name, handler]));
    for (const queueName of new Set(Object.values(QUEUE_BY_JOB))) {
      const connection = this.queues.workerConnection();
      this.connections.push(connection);
      const worker = new Worker(
        queueName,
        async (job, token) => {
          const handler = byName.get(job.name as JobName);
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          try {
            const requestId = (job.data as { requestId?: unknown }).requestId;
            await (typeof requestId === 'string'
              ? runWithRequestId(requestId, () => handler.handle(job.data, job, token))
              : handler.handle(job.data, job, token));
          } catch (error) {
            if (error instanceof CountedAttemptError) throw error.original;
            if (error instanceof DelayedError || !isInfrastructureError(error)) throw error;
            // Postgres (or Redis) is away: not this job's failure. It waits and tries again
            // without using up an attempt, so an outage longer than the retry budget strands nothing.
            const waitMs = this.outageBackoffMs(job.attemptsStarted - job.attemptsMade);
            this.logger.warn(`${job.name} ${job.id}: ${(error as Error).message}; again in ${waitMs} ms`);
            await job.moveToDelayed(Date.now() + waitMs, token);
            throw new DelayedError();
          }
        },
        {
          connection,
          prefix: this.queues.prefix,
          concurrency: 8,
          // A worker killed mid-job leaves it active; it is picked up again after this.
          lockDuration: 30_000,
          stalledInterval: 15_000,
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(`${job?.name} ${job?.id} failed: ${error.message}`),
      );
      this.workers.push(worker);
    }
    // Back from a Redis outage: mend at once instead of at the next interval.
    let lost = false;
    this.queues.connection.on('error', () => {
      lost = true;
    });
    this.queues.connection.on('ready', () => {
      if (!lost) return;
      lost = false;
      void this.reconcileSafely();
    });
    await this.reconcileSafely();
    this.timer = setInterval(
      () => void this.reconcileSafely(),
      this.config.RECONCILE_INTERVAL_SECONDS * 1000,
    );
    this.logger.log(`Workers running for queues ${[...new Set(Object.values(QUEUE_BY_JOB))].join(', ')}`);
  }

  /** 0.5 s doubling per uncounted run, at most WAKE_UP_RETRY_MAX_SECONDS. */
  private outageBackoffMs(uncountedRuns: number): number {
    const exponent = Math.min(Math.max(0, uncountedRuns - 1), 16);
    return Math.min(this.config.WAKE_UP_RETRY_MAX_SECONDS * 1000, 500 * 2 ** exponent);
  }

  private reconciling: Promise<void> | null = null;

  /** One pass at a time: a pass stuck on an unreachable Redis is not joined by more. */
  reconcileSafely(): Promise<void> {
    this.reconciling ??= this.reconciler
      .reconcile()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.logger.warn(`Reconciliation failed, will retry: ${(error as Error).message}`);
      })
      .finally(() => {
        this.reconciling = null;
      });
    return this.reconciling;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.workers.map((worker) => worker.close()));
    for (const connection of this.connections) connection.disconnect();
  }
}
