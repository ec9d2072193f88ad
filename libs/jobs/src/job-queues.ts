import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobName, type JobPayload, QUEUE_BY_JOB } from './jobs.js';

export interface DelayedJob<N extends JobName> {
  name: N;
  id: string;
  data: JobPayload<N>;
  runAt: Date;
}

/**
 * The producer side of BullMQ. Redis only wakes things up: every job here can
 * be rebuilt from Postgres, so callers use it after their transaction has
 * committed and treat a failure as something the reconciler repairs.
 */
@Injectable()
export class JobQueues implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueues.name);
  readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on('error', (error) => this.logger.warn(`Redis: ${error.message}`));
  }

  get prefix(): string {
    return this.config.REDIS_PREFIX;
  }

  queue(name: JobName): Queue {
    const queueName = QUEUE_BY_JOB[name];
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.connection, prefix: this.prefix });
      // Without a listener BullMQ prints every reconnect failure as a stack trace; readiness
      // (/health/ready) is where an operator sees that Redis is down.
      queue.on('error', (error) => this.logger.warn(`Redis (queue ${queueName}): ${error.message}`));
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return Object.values(JobName).map((name) => this.queue(name));
  }

  /** Adds delayed jobs with deterministic ids; an id that exists already is left as it is. */
  async addDelayed<N extends JobName>(jobs: readonly DelayedJob<N>[], now: Date = new Date()): Promise<void> {
    const byQueue = new Map<N, DelayedJob<N>[]>();
    for (const job of jobs) byQueue.set(job.name, [...(byQueue.get(job.name) ?? []), job]);
    for (const [name, group] of byQueue) {
      await this.queue(name).addBulk(
        group.map((job) => ({
          name: job.name,
          data: job.data,
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            ...JOB_OPTIONS_BY_NAME[job.name],
            jobId: job.id,
            delay: Math.max(0, job.runAt.getTime() - now.getTime()),
          },
        })),
      );
    }
  }

  /** Removes jobs by id (a delayed job that lost its reason to exist). Missing ids are fine. */
  async remove(name: JobName, ids: readonly string[]): Promise<void> {
    const queue = this.queue(name);
    await Promise.all(ids.map((id) => queue.remove(id)));
  }

  /** Which of these job ids exist in Redis (in any state). */
  async existing(name: JobName, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.connection.pipeline();
    const keyPrefix = `${this.prefix}:${QUEUE_BY_JOB[name]}:`;
    for (const id of ids) pipeline.exists(`${keyPrefix}${id}`);
    const results = (await pipeline.exec()) ?? [];
    return new Set(ids.filter((_, index) => results[index]?.[1] === 1));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.connection.disconnect();
  }
}

/** Retries with backoff; finished jobs are dropped (Postgres keeps the facts). */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

const JOB_OPTIONS_BY_NAME: Readonly<Record<JobName, JobsOptions>> = {
  [JobName.OrderReminder]: {},
  // Kept after completion so the reconciler sees it and does not queue the email again.
  [JobName.SendEmail]: { removeOnComplete: { age: 30 * 24 * 3600 } },
};

@Global()
@Module({ providers: [JobQueues], exports: [JobQueues] })
export class JobsModule {}
