import type { JobName, JobPayload } from '@snitflow/jobs';
import type { Job } from 'bullmq';

/** One handler per job name; the runner checks at start that every job has exactly one. */
export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(data: JobPayload<N>, job: Job<JobPayload<N>>, token: string | undefined): Promise<void>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
