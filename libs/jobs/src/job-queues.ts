import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { requestIdLogFields } from '@snitflow/common';
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

/** What `ensure` found and did, per kind. */
export interface EnsureReport {
  /** No job with the id: added. */
  added: number;
  /** A failed or completed job kept the id: replaced by a live one. */
  revived: number;
  /** A delayed job that would fire at another time than the row says: moved to its time. */
  retimed: number;
}

/**
 * How long a producer waits for Redis after its transaction committed. The work is done and
 * Postgres has it; a wake-up that could not be queued in time is left to the reconciler.
 */
export const ENQUEUE_TIMEOUT_MS = 1500;

/** A delayed job this far off its row's time is moved; closer is the worker's early tolerance. */
const RETIME_TOLERANCE_MS = 2000;

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
    // A producer fails fast when Redis is away (BullMQ's guide: no offline queue, one try per
    // command), so a committed mutation never waits for Redis to come back.
    this.connection = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    this.connection.on('error', (error) => this.logger.warn(`Redis: ${error.message}`));
  }

  /**
   * A connection for a BullMQ worker, which blocks on Redis and must wait out an outage rather
   * than fail (BullMQ requires maxRetriesPerRequest: null there).
   */
  workerConnection(): Redis {
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.logger.warn(`Redis (worker): ${error.message}`));
    return connection;
  }

  /**
   * Queues wake-ups after a commit, bounded: resolves within ENQUEUE_TIMEOUT_MS whatever Redis
   * does, and never throws (the reconciler queues what is missing). Returns whether it worked.
   */
  async addAfterCommit<N extends JobName>(jobs: readonly DelayedJob<N>[], now: Date): Promise<boolean> {
    if (jobs.length === 0) return true;
    return this.bounded(() => this.addDelayed(jobs, now), 'wake-ups not queued');
  }

  /** Runs `work` for at most ENQUEUE_TIMEOUT_MS; false (logged) if it failed or took longer. */
  async bounded(work: () => Promise<unknown>, what: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer in ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([work(), timeout]);
      return true;
    } catch (error) {
      this.logger.warn(`${what} (the reconciler will): ${(error as Error).message}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
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
          // The request that caused the job, so the worker's lines about it can be found by its id.
          data: { ...job.data, ...requestIdLogFields() },
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            backoff: { type: 'exponential', delay: this.config.JOB_BACKOFF_MS },
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

  /**
   * Makes each wake-up live and on time, whatever state a job with its id is in: a missing id is
   * added; a failed or completed job (BullMQ keeps their ids for days) is replaced; a delayed job
   * whose time no longer matches `runAt` (queued with a stale "now", e.g. during an outage) is
   * moved to it. Waiting and active jobs are left alone (a stalled one is BullMQ's to hand on).
   * Delays count from `now` on the caller's clock.
   */
  async ensure<N extends JobName>(name: N, jobs: readonly DelayedJob<N>[], now: Date): Promise<EnsureReport> {
    const report: EnsureReport = { added: 0, revived: 0, retimed: 0 };
    if (jobs.length === 0) return report;
    const queue = this.queue(name);
    await queue.waitUntilReady();
    const base = `${this.prefix}:${QUEUE_BY_JOB[name]}:`;
    const pipeline = this.connection.pipeline();
    for (const job of jobs) {
      pipeline.exists(`${base}${job.id}`);
      pipeline.zscore(`${base}delayed`, job.id);
      pipeline.zscore(`${base}failed`, job.id);
      pipeline.zscore(`${base}completed`, job.id);
    }
    const results = (await pipeline.exec()) ?? [];
    const value = (index: number): unknown => {
      const [error, result] = results[index] ?? [null, null];
      if (error) throw error;
      return result;
    };
    const toAdd: DelayedJob<N>[] = [];
    const dead: string[] = [];
    const retime: { id: string; delay: number }[] = [];
    const realNow = Date.now();
    for (const [index, job] of jobs.entries()) {
      const at = index * 4;
      const delay = Math.max(0, job.runAt.getTime() - now.getTime());
      if (value(at) !== 1) {
        toAdd.push(job);
      } else if (value(at + 2) !== null || value(at + 3) !== null) {
        dead.push(job.id);
        toAdd.push(job);
      } else {
        const score = value(at + 1);
        if (score === null) continue;
        // BullMQ scores a delayed job by its fire time × 0x1000 (getDelayedScore.lua).
        const firesAt = Math.floor(Number(score) / 0x1000);
        if (Math.abs(firesAt - (realNow + delay)) > RETIME_TOLERANCE_MS) retime.push({ id: job.id, delay });
      }
    }
    for (const id of dead) await queue.remove(id);
    if (toAdd.length > 0) await this.addDelayed(toAdd, now);
    for (const { id, delay } of retime) {
      const job = await queue.getJob(id);
      // It may have started meanwhile; then it is live and needs no new time.
      await job?.changeDelay(delay).catch(() => undefined);
    }
    report.added = toAdd.length - dead.length;
    report.revived = dead.length;
    report.retimed = retime.length;
    return report;
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
  // Postgres says whether an email is still to send; a kept job would only block its id.
  [JobName.SendEmail]: {},
};

@Global()
@Module({ providers: [JobQueues], exports: [JobQueues] })
export class JobsModule {}
