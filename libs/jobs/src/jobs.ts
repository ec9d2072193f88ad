/**
 * The typed job registry: every job the worker runs, with its payload. Jobs
 * carry ids only; a handler re-reads Postgres, the source of truth, and does
 * nothing when the world has moved on.
 */
export enum JobName {
  /** One planned reminder (or escalation) of an order's current deadline. */
  OrderReminder = 'order-reminder',
  /** Send one outbox email. */
  SendEmail = 'send-email',
}

export interface JobPayloads {
  [JobName.OrderReminder]: { orderId: string; scheduleVersion: number; step: number };
  [JobName.SendEmail]: { emailId: string };
}

/** A job's data; `requestId` names the API request that queued it, when one did. */
export type JobPayload<N extends JobName> = JobPayloads[N] & { requestId?: string };

/** One queue per concern, so a flood of emails never delays a deadline. */
export const QUEUE_BY_JOB: Readonly<Record<JobName, string>> = {
  [JobName.OrderReminder]: 'reminders',
  [JobName.SendEmail]: 'email',
};

export const ALL_JOB_NAMES: readonly JobName[] = Object.values(JobName);

/** BullMQ refuses ':' in custom ids; every id we make is checked against this. */
const JOB_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function assertJobId(id: string): string {
  if (!JOB_ID_PATTERN.test(id)) throw new Error(`job id "${id}" may hold only letters, digits, _ and -`);
  return id;
}

export function emailJobId(emailId: string): string {
  return assertJobId(`email-${emailId}`);
}

/**
 * Fails when a job name has no handler or more than one: checked when the
 * worker starts, so a job can never sit in Redis with nobody to run it.
 */
export function assertEveryJobHasOneHandler(handlers: readonly { name: JobName }[]): void {
  const counts = new Map<JobName, number>();
  for (const handler of handlers) counts.set(handler.name, (counts.get(handler.name) ?? 0) + 1);
  const problems = ALL_JOB_NAMES.flatMap((name) => {
    const count = counts.get(name) ?? 0;
    return count === 1 ? [] : [`${name} has ${count} handlers`];
  });
  if (problems.length > 0) throw new Error(`Job registry is inconsistent: ${problems.join('; ')}`);
}
