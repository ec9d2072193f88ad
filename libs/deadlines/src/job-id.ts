import { DeadlineInputError } from './errors.js';

export interface ReminderJobKey {
  orderId: string;
  stateEntryVersion: number;
  step: number;
}

const PREFIX = 'reminder-';
// Numbers without leading zeros, so every key has exactly one id and parse∘format is the identity.
// The order id is matched greedily: the version and step are always the last two segments, so
// an order id that itself contains '-v1-s2' still round-trips.
const JOB_ID = /^reminder-([^:]+)-v(0|[1-9]\d*)-s([1-9]\d*)$/;

/**
 * Deterministic BullMQ job id for one reminder step of one state entry:
 * `reminder-<orderId>-v<stateEntryVersion>-s<step>`. Deterministic so that re-scheduling after a
 * restart adds nothing twice (BullMQ ignores a job whose id exists); the state-entry version
 * makes a re-entered state (a new negotiation round) schedule fresh jobs. It never contains ':',
 * which BullMQ rejects in custom ids because it separates the parts of its Redis keys.
 *
 * @throws DeadlineInputError for an empty order id or one containing ':', a version that is not
 *   a non-negative safe integer, or a step that is not a positive safe integer.
 */
export function reminderJobId(orderId: string, stateEntryVersion: number, step: number): string {
  if (typeof orderId !== 'string' || orderId === '' || orderId.includes(':')) {
    throw new DeadlineInputError(`orderId must be a non-empty string without ':', got '${String(orderId)}'`);
  }
  if (!Number.isSafeInteger(stateEntryVersion) || stateEntryVersion < 0) {
    throw new DeadlineInputError(
      `stateEntryVersion must be a non-negative integer, got ${stateEntryVersion}`,
    );
  }
  if (!Number.isSafeInteger(step) || step < 1) {
    throw new DeadlineInputError(`step must be a positive integer, got ${step}`);
  }
  return `${PREFIX}${orderId}-v${stateEntryVersion}-s${step}`;
}

/** The key of a reminder job id, or null for any string reminderJobId cannot have produced. */
export function parseReminderJobId(id: string): ReminderJobKey | null {
  const match = typeof id === 'string' ? JOB_ID.exec(id) : null;
  if (!match) return null;
  const [, orderId, version, step] = match;
  if (orderId === undefined || version === undefined || step === undefined) return null;
  const stateEntryVersion = Number(version);
  const stepNumber = Number(step);
  if (!Number.isSafeInteger(stateEntryVersion) || !Number.isSafeInteger(stepNumber)) return null;
  return { orderId, stateEntryVersion, step: stepNumber };
}
