import type { JobName, JobPayload } from '@snitflow/jobs';
import type { Job } from 'bullmq';

/** One handler per job name; the runner checks at start that every job has exactly one. */
export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(data: JobPayload<N>, job: Job<JobPayload<N>>, token: string | undefined): Promise<void>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * Thrown by a handler for a failure that counts as one of the job's attempts (BullMQ retries it
 * with backoff, then it fails), even when its cause looks like an outage: an SMTP server that
 * refuses connections is the email's own failure, not Postgres or Redis being away.
 */
export class CountedAttemptError extends Error {
  constructor(readonly original: Error) {
    super(original.message);
    this.name = 'CountedAttemptError';
  }
}
