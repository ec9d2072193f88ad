import { type ZodError, z } from 'zod';
import { DeadlinePolicyError } from './errors.js';
import {
  DEADLINE_STATES,
  DEFAULT_DEADLINE_POLICIES,
  type DeadlinePolicies,
  type DeadlineState,
  deepFreeze,
  MAX_BUSINESS_DAYS,
  MAX_OVERDUE_REMINDERS,
  STATES_WITHOUT_DEADLINE,
  type StateDeadlinePolicy,
} from './policies.js';

const businessDayCount = (min: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of business days' })
    .min(min, { error: `must be at least ${min}` })
    .max(MAX_BUSINESS_DAYS, { error: `must be at most ${MAX_BUSINESS_DAYS} business days` });

const beforeDueSchema = z
  .array(businessDayCount(1), { error: 'must be an array of business-day counts' })
  .refine((days) => new Set(days).size === days.length, {
    error: 'must not list the same number of business days twice',
  });

const reminderFields = {
  beforeDueBusinessDays: beforeDueSchema,
  onDue: z.boolean({ error: 'must be true or false' }),
  repeatEveryBusinessDays: businessDayCount(1),
  escalateAfterOverdueReminders: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of reminders' })
    .min(0, { error: 'must be at least 0' })
    .max(MAX_OVERDUE_REMINDERS, { error: `must be at most ${MAX_OVERDUE_REMINDERS}` }),
};

const recipientSchema = z.enum(['SUPPLIER', 'COORDINATORS', 'PROJECT'], {
  error: "must be 'SUPPLIER', 'COORDINATORS' or 'PROJECT'",
});

const stateSchema = z.string({ error: 'must be a string' });

// Strict objects: a misspelt field ("bussinessDays") would otherwise be ignored silently and the
// default would stay in force without anyone noticing.
const fullPolicySchema = z.strictObject({
  state: stateSchema,
  businessDays: businessDayCount(1),
  remind: recipientSchema,
  reminders: z.strictObject(reminderFields),
});

const overrideSchema = z.strictObject({
  state: stateSchema.optional(),
  businessDays: businessDayCount(1).optional(),
  remind: recipientSchema.optional(),
  reminders: z.strictObject(reminderFields).partial().optional(),
});

type PolicyOverride = z.infer<typeof overrideSchema>;

const DEADLINE_STATE_SET: ReadonlySet<string> = new Set(DEADLINE_STATES);
const NO_DEADLINE_STATE_SET: ReadonlySet<string> = new Set(STATES_WITHOUT_DEADLINE);

/**
 * Validates deadline configuration and merges it over DEFAULT_DEADLINE_POLICIES.
 *
 * - `json` is the parsed configuration object (or its JSON text); `undefined` means "no
 *   overrides" so an absent setting yields the defaults.
 * - Keys are state paths; each value overrides only the fields it names, `reminders` field by
 *   field; `beforeDueBusinessDays` is replaced as a whole. Example:
 *   `{"negotiation.awaitingSupplier": {"businessDays": 2}}`.
 * - Unknown states, states without deadlines (onHold, live, cancelled), unknown fields, wrong
 *   types and out-of-range numbers are all errors; every problem is reported in one
 *   DeadlinePolicyError.
 *
 * The result is a new, deeply frozen object with an entry for every deadline state.
 */
export function parseDeadlinePolicies(json: unknown): DeadlinePolicies {
  const input = typeof json === 'string' ? parseJsonText(json) : json;
  const result = cloneDefaults();
  if (input === undefined) {
    return deepFreeze(result);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DeadlinePolicyError(['deadline policies must be an object keyed by state path']);
  }

  const problems: string[] = [];
  for (const [state, value] of Object.entries(input)) {
    if (!DEADLINE_STATE_SET.has(state)) {
      problems.push(
        NO_DEADLINE_STATE_SET.has(state)
          ? `${state}: this state has no deadline and cannot be given one`
          : `${state}: unknown state (known: ${DEADLINE_STATES.join(', ')})`,
      );
      continue;
    }
    const parsed = overrideSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...describeIssues(state, parsed.error));
      continue;
    }
    if (parsed.data.state !== undefined && parsed.data.state !== state) {
      problems.push(
        `${state}: state: must be '${state}' (the key it is listed under), got '${parsed.data.state}'`,
      );
      continue;
    }
    result[state as DeadlineState] = mergePolicy(result[state as DeadlineState], parsed.data);
  }
  if (problems.length > 0) {
    throw new DeadlinePolicyError(problems);
  }
  return deepFreeze(result);
}

/**
 * Throws DeadlinePolicyError listing every problem when `policy` is not a valid policy.
 * The computing functions call it so a hand-built policy cannot produce a nonsensical or
 * unbounded schedule.
 */
export function assertValidPolicy(policy: StateDeadlinePolicy): void {
  const parsed = fullPolicySchema.safeParse(policy);
  if (!parsed.success) {
    const label = typeof policy?.state === 'string' ? policy.state : '(policy)';
    throw new DeadlinePolicyError(describeIssues(label, parsed.error));
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeadlinePolicyError([`deadline policies are not valid JSON: ${reason}`]);
  }
}

function describeIssues(state: string, error: ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? `${state}: ${issue.message}` : `${state}: ${path}: ${issue.message}`;
  });
}

function cloneDefaults(): Record<DeadlineState, StateDeadlinePolicy> {
  const clone = {} as Record<DeadlineState, StateDeadlinePolicy>;
  for (const state of DEADLINE_STATES) {
    const defaults = DEFAULT_DEADLINE_POLICIES[state];
    if (defaults === undefined) {
      // The `satisfies` on the defaults makes this unreachable; it guards a future edit.
      throw new Error(`DEFAULT_DEADLINE_POLICIES lacks ${state}`);
    }
    clone[state] = mergePolicy(defaults, {});
  }
  return clone;
}

function mergePolicy(base: StateDeadlinePolicy, override: PolicyOverride): StateDeadlinePolicy {
  // Field by field with ??, so an explicit `undefined` in a hand-built override keeps the default.
  const reminders = override.reminders ?? {};
  return {
    state: base.state,
    businessDays: override.businessDays ?? base.businessDays,
    remind: override.remind ?? base.remind,
    reminders: {
      beforeDueBusinessDays: [...(reminders.beforeDueBusinessDays ?? base.reminders.beforeDueBusinessDays)],
      onDue: reminders.onDue ?? base.reminders.onDue,
      repeatEveryBusinessDays: reminders.repeatEveryBusinessDays ?? base.reminders.repeatEveryBusinessDays,
      escalateAfterOverdueReminders:
        reminders.escalateAfterOverdueReminders ?? base.reminders.escalateAfterOverdueReminders,
    },
  };
}
