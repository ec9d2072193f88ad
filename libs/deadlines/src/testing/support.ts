import { DateTime } from 'luxon';
import type { StateDeadlinePolicy } from '../policies.js';
import { DEFAULT_DEADLINE_POLICIES } from '../policies.js';

/** Copenhagen wall-clock rendering with its offset, so assertions show local time and DST at once. */
export function local(instant: Date): string | null {
  return DateTime.fromJSDate(instant, { zone: 'Europe/Copenhagen' }).toISO({
    suppressMilliseconds: true,
    suppressSeconds: false,
  });
}

/** A default policy by state; fails loudly instead of handing a test `undefined`. */
export function defaultPolicy(state: string): StateDeadlinePolicy {
  const policy = DEFAULT_DEADLINE_POLICIES[state];
  if (policy === undefined) throw new Error(`no default policy for ${state}`);
  return policy;
}

/** A default policy with some fields replaced, as a fresh (unfrozen) object. */
export function policyWith(
  state: string,
  changes: Partial<Omit<StateDeadlinePolicy, 'reminders'>> & {
    reminders?: Partial<StateDeadlinePolicy['reminders']>;
  },
): StateDeadlinePolicy {
  const base = defaultPolicy(state);
  return {
    ...base,
    ...changes,
    reminders: {
      ...base.reminders,
      beforeDueBusinessDays: [...base.reminders.beforeDueBusinessDays],
      ...changes.reminders,
    },
  };
}
