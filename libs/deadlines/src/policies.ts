/** Who receives the reminders of a state. Suppliers are emailed only in office hours. */
export type ReminderRecipient = 'SUPPLIER' | 'COORDINATORS' | 'PROJECT';

export interface ReminderPolicy {
  /**
   * One reminder this many business days before the due day, each at office start, e.g. [2].
   * Distinct positive integers; the order does not matter. A value at or beyond the state's
   * `businessDays` is allowed (a short override must not invalidate the default reminders): such
   * a reminder would fall on or before the day the state was entered and is dropped by
   * `reminderSchedule` when it lies before `notBefore`.
   */
  beforeDueBusinessDays: number[];
  /** One reminder at office start of the due day (the deadline itself is that day's office close). */
  onDue: boolean;
  /** While overdue, one reminder every this many business days after the due day (>= 1). */
  repeatEveryBusinessDays: number;
  /**
   * How many OVERDUE reminders are sent before the order escalates (>= 0). The ON_DUE reminder is
   * not counted: at office start of the due day the deadline has not passed yet. The escalation
   * takes the slot the next overdue reminder would have had, so the last reminded party gets a
   * full interval to react. 0 means: escalate one interval after the due day, without reminding.
   */
  escalateAfterOverdueReminders: number;
}

export interface StateDeadlinePolicy {
  /** Dotted state path, e.g. 'negotiation.awaitingSupplier'; equals the policy's key. */
  state: string;
  /** The deadline is the office close of the day this many business days after entering (>= 1). */
  businessDays: number;
  /**
   * Default recipient of the reminders. Some states' ball holder depends on the order (the
   * negotiating party, the test responsible); a caller that knows better may address them.
   */
  remind: ReminderRecipient;
  reminders: ReminderPolicy;
}

/** Policies by state path. States without an entry have no deadline (onHold, live, cancelled). */
export type DeadlinePolicies = Record<string, StateDeadlinePolicy>;

/** Every order state in which someone must act, so each has a deadline. */
export const DEADLINE_STATES = Object.freeze([
  'ordered',
  'consolidated',
  'negotiation.awaitingSupplier',
  'negotiation.supplierWrote',
  'negotiation.clarification',
  'negotiation.proposalReceived',
  'negotiation.declined',
  'negotiation.agreed',
  'planB',
  'scopeAcknowledgement',
  'test.planning',
  'test.running',
  'test.passed',
] as const);

export type DeadlineState = (typeof DEADLINE_STATES)[number];

/**
 * States that deliberately have no deadline: on hold nobody is expected to act until it is
 * resumed, and live and cancelled are final.
 */
export const STATES_WITHOUT_DEADLINE = Object.freeze(['onHold', 'live', 'cancelled'] as const);

/** Upper bound for every business-day count: about one year, far beyond any sensible wait. */
export const MAX_BUSINESS_DAYS = 260;
/** Upper bound for overdue reminders before escalation; keeps every schedule short and finite. */
export const MAX_OVERDUE_REMINDERS = 50;

// The usual rhythm: a heads-up two business days ahead, one on the day, then every three
// business days, escalating after two unanswered overdue reminders.
const STANDARD_REMINDERS: Readonly<ReminderPolicy> = {
  beforeDueBusinessDays: [2],
  onDue: true,
  repeatEveryBusinessDays: 3,
  escalateAfterOverdueReminders: 2,
};

function policy(
  state: DeadlineState,
  businessDays: number,
  remind: ReminderRecipient,
  reminders: Partial<ReminderPolicy> = {},
): StateDeadlinePolicy {
  const merged = { ...STANDARD_REMINDERS, ...reminders };
  return {
    state,
    businessDays,
    remind,
    reminders: { ...merged, beforeDueBusinessDays: [...merged.beforeDueBusinessDays] },
  };
}

export const DEFAULT_DEADLINE_POLICIES: DeadlinePolicies = deepFreeze({
  // The coordinators review every request (detail level, data at the source) before consolidating.
  ordered: policy('ordered', 10, 'COORDINATORS'),
  // A consolidated order is ready; sending it to the supplier is a short clerical step.
  consolidated: policy('consolidated', 5, 'COORDINATORS'),
  // The supplier's answer is the slow part of the dialogue the deck complains about.
  'negotiation.awaitingSupplier': policy('negotiation.awaitingSupplier', 10, 'SUPPLIER'),
  // The supplier wrote in its own words and waits for us to read it: as short as a question.
  'negotiation.supplierWrote': policy('negotiation.supplierWrote', 3, 'COORDINATORS', {
    beforeDueBusinessDays: [1],
    repeatEveryBusinessDays: 2,
  }),
  // The supplier waits on our answer to its question; keep the dialogue moving, so a tight deadline.
  'negotiation.clarification': policy('negotiation.clarification', 3, 'COORDINATORS', {
    // Two days ahead of a three-day deadline would be the day after entering; one day is a heads-up.
    beforeDueBusinessDays: [1],
    repeatEveryBusinessDays: 2,
  }),
  // Terms are on the table: accept or counter within a week.
  'negotiation.proposalReceived': policy('negotiation.proposalReceived', 5, 'COORDINATORS'),
  // A decline needs a decision within a week: resend, or start plan B.
  'negotiation.declined': policy('negotiation.declined', 5, 'COORDINATORS'),
  // Agreed terms must turn into a test plan with participants and a window.
  'negotiation.agreed': policy('negotiation.agreed', 10, 'COORDINATORS'),
  // Finding another source, a workaround or a reduced scope takes the longest.
  planB: policy('planB', 15, 'COORDINATORS', { beforeDueBusinessDays: [5, 2] }),
  // Each project that lost a data element to a reduced scope acknowledges or objects: a short read.
  scopeAcknowledgement: policy('scopeAcknowledgement', 10, 'PROJECT'),
  // Planning the test: who tests, shared or per project, which projects, the window.
  'test.planning': policy('test.planning', 10, 'COORDINATORS'),
  // The projects run the test and record their results; give them a longer heads-up.
  'test.running': policy('test.running', 15, 'PROJECT', { beforeDueBusinessDays: [5, 2] }),
  // A passed test only needs a go-live date.
  'test.passed': policy('test.passed', 10, 'COORDINATORS'),
} satisfies Record<DeadlineState, StateDeadlinePolicy>);

/** Frozen all the way down: the defaults are shared by every caller and must never drift. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}
