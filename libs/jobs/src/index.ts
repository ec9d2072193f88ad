export { JobQueues, JobsModule } from './job-queues.js';
export {
  ALL_JOB_NAMES,
  assertEveryJobHasOneHandler,
  assertJobId,
  emailJobId,
  JobName,
  type JobPayload,
  type JobPayloads,
  QUEUE_BY_JOB,
} from './jobs.js';
