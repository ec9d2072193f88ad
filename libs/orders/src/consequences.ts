import type { OrderEventPayload, OrderEventType, Role, ScopeResponseKind } from '@snitflow/lifecycle';

/**
 * What an accepted transition causes, inside its own transaction. This file is the one answer to
 * "what happens when X": read CONSEQUENCES the way EVENT_ROLES (libs/lifecycle/src/roles.ts) is
 * read for who may do X. Pure data and one pure function; `OrderConsequences` carries each kind
 * out, and `OrderTransitionService.apply` runs them, in table order, after writing the order row
 * and its history event and before the caller's own writes (`alsoInTransaction`). A throw from
 * any of them rolls the whole transition back.
 *
 * To add a consequence: add its kind to `Consequence`, a row to CONSEQUENCES, and its case to
 * `OrderConsequences.run`; the switch there is exhaustive, so the compiler asks for it.
 */
export type Consequence =
  /**
   * Entering a state: the previous state's pending reminders are cancelled, the new state's
   * deadline (its policy, or a send's reply-by date) and its reminder schedule are written, and
   * their wake-ups queued after commit. A state without a policy (onHold, live, cancelled) has no
   * deadline.
   */
  | { kind: 'PLAN_DEADLINE' }
  /** extendDeadline: the same state gets a new due date and a fresh schedule for it. */
  | { kind: 'MOVE_DEADLINE' }
  /**
   * A hold: the state, its due date, escalation level and reminder steps done are kept on the
   * order (held_* columns), so the resume can give them back (RESTORE_DEADLINE).
   */
  | { kind: 'KEEP_DEADLINE_ON_HOLD' }
  /**
   * A resume into the state that was held: the due date in force at the hold, moved on by the
   * business days the hold lasted; the escalation level and the steps done as they were. A
   * resume into another state (a request changed during the hold reopens the order) plans afresh.
   */
  | { kind: 'RESTORE_DEADLINE' }
  /** The reply links of the wait can never answer again: retired. */
  | { kind: 'RETIRE_LINKS' }
  /** The wait's deadline moved: its active links live until the new deadline plus grace. */
  | { kind: 'EXTEND_LINKS' }
  /**
   * A new round with the supplier: old links retired, one new link and one outbox email per
   * recipient (held for office hours). `EVENT`: the recipients the event names (a send);
   * `ROUND`: the current round's recipients, or every contact when it has none.
   */
  | {
      kind: 'ASK_SUPPLIER';
      template: 'SUPPLIER_ORDER' | 'SUPPLIER_ANSWER' | 'SUPPLIER_COUNTER_PROPOSAL';
      recipients: 'EVENT' | 'ROUND';
    }
  /** The supplier answered through its link: the coordinators are told, by email. */
  | { kind: 'TELL_COORDINATORS_SUPPLIER_REPLIED' }
  /**
   * The supplier answered the email in its own words (SUPPLIER_WROTE, recorded by the inbound
   * receiver, or a held message a coordinator accepted): the coordinators are told, with the text.
   */
  | { kind: 'TELL_COORDINATORS_SUPPLIER_WROTE' }
  /**
   * A project objected to a reduced scope (RESPOND_TO_SCOPE_REDUCTION, OBJECTED): the coordinators
   * are told, by email, which project and its objection, and how many projects are still to answer.
   */
  | { kind: 'TELL_COORDINATORS_SCOPE_OBJECTION' }
  /** The project notice policy (project-notice-policy.ts) decides whether and whom to tell. */
  | { kind: 'NOTIFY_PROJECTS' }
  /**
   * A planned reminder went out: the reminded party is emailed (a supplier gets a new round of
   * links; projects their test-result reminder; the coordinators when nobody else can be
   * mailed) and the step is marked done.
   */
  | { kind: 'SEND_REMINDER' }
  /** The order is escalated: its level goes up, the coordinators are emailed, the step is done. */
  | { kind: 'ESCALATE' };

export type ConsequenceKind = Consequence['kind'];

/** What the table is asked about: one accepted transition. */
export interface ConsequenceInput {
  /** The event's type; `response` is a project's answer to a reduced scope (only an objection is mailed). */
  event: Pick<OrderEventPayload, 'type'> & { response?: ScopeResponseKind };
  fromState: string;
  toState: string;
  actorRole: Role;
}

const AWAITING_SUPPLIER = 'negotiation.awaitingSupplier';

export interface ConsequenceRule {
  /** In words, for the reader (and test names). */
  when: string;
  applies: (change: ConsequenceInput) => boolean;
  cause: readonly Consequence[];
}

const moved = (change: ConsequenceInput) => change.fromState !== change.toState;
const is =
  (...types: OrderEventType[]) =>
  (change: ConsequenceInput) =>
    types.includes(change.event.type);

/**
 * Every consequence of every transition, in the order they run. A transition gets each rule's
 * consequences whose `applies` holds. Rules name either an event or a state change; most
 * transitions match two or three.
 */
export const CONSEQUENCES: readonly ConsequenceRule[] = [
  // ── the deadline ────────────────────────────────────────────────────────
  {
    when: 'the order is put on hold',
    applies: (c) => c.event.type === 'PUT_ON_HOLD' && moved(c),
    cause: [{ kind: 'KEEP_DEADLINE_ON_HOLD' }],
  },
  {
    when: 'the order resumes',
    applies: (c) => c.event.type === 'RESUME' && moved(c),
    cause: [{ kind: 'RESTORE_DEADLINE' }],
  },
  {
    when: 'the order enters another state (not by a resume)',
    applies: (c) => moved(c) && c.event.type !== 'RESUME',
    cause: [{ kind: 'PLAN_DEADLINE' }],
  },
  {
    when: 'an amended specification goes to the supplier while it is still to answer (a new round, a new deadline)',
    applies: (c) => c.event.type === 'SEND_AMENDMENT' && !moved(c),
    cause: [{ kind: 'PLAN_DEADLINE' }],
  },
  {
    when: 'a coordinator extends the deadline',
    applies: is('EXTEND_DEADLINE'),
    cause: [{ kind: 'MOVE_DEADLINE' }],
  },

  // ── reply links ─────────────────────────────────────────────────────────
  {
    when: 'the wait for the supplier ends other than by a hold',
    applies: (c) =>
      c.fromState === AWAITING_SUPPLIER && c.toState !== AWAITING_SUPPLIER && c.toState !== 'onHold',
    cause: [{ kind: 'RETIRE_LINKS' }],
  },
  {
    when: 'the supplier is (still) waited for after the deadline was set',
    applies: (c) => c.toState === AWAITING_SUPPLIER,
    cause: [{ kind: 'EXTEND_LINKS' }],
  },

  // ── messages to the supplier ────────────────────────────────────────────
  {
    when: 'the order is sent to the supplier',
    applies: is('SEND_TO_SUPPLIER'),
    cause: [{ kind: 'ASK_SUPPLIER', template: 'SUPPLIER_ORDER', recipients: 'EVENT' }],
  },
  {
    when: 'an amended specification is sent to the supplier (the email shows what changed)',
    applies: is('SEND_AMENDMENT'),
    cause: [{ kind: 'ASK_SUPPLIER', template: 'SUPPLIER_ORDER', recipients: 'EVENT' }],
  },
  {
    when: "a coordinator answers the supplier's question",
    applies: is('ANSWER_SUPPLIER'),
    cause: [{ kind: 'ASK_SUPPLIER', template: 'SUPPLIER_ANSWER', recipients: 'ROUND' }],
  },
  {
    when: 'a coordinator makes a counter-proposal',
    applies: is('COUNTER_PROPOSAL'),
    cause: [{ kind: 'ASK_SUPPLIER', template: 'SUPPLIER_COUNTER_PROPOSAL', recipients: 'ROUND' }],
  },
  {
    when: 'a failed test sends the order back to the supplier for a fix',
    applies: is('REQUEST_FIX'),
    cause: [{ kind: 'ASK_SUPPLIER', template: 'SUPPLIER_ORDER', recipients: 'ROUND' }],
  },

  // ── the coordinators ────────────────────────────────────────────────────
  {
    when: 'the supplier answers through its link (not a coordinator recording it)',
    applies: (c) =>
      c.actorRole === 'supplier' &&
      is('SUPPLIER_ACCEPTS', 'SUPPLIER_PROPOSES', 'SUPPLIER_ASKS', 'SUPPLIER_DECLINES')(c),
    cause: [{ kind: 'TELL_COORDINATORS_SUPPLIER_REPLIED' }],
  },
  {
    when: 'the supplier answers the email in its own words',
    applies: is('SUPPLIER_WROTE'),
    cause: [{ kind: 'TELL_COORDINATORS_SUPPLIER_WROTE' }],
  },

  {
    when: 'a project objects to a reduced scope (an acknowledgement is no news to the coordinators)',
    applies: (c) => c.event.type === 'RESPOND_TO_SCOPE_REDUCTION' && c.event.response === 'OBJECTED',
    cause: [{ kind: 'TELL_COORDINATORS_SCOPE_OBJECTION' }],
  },

  // ── reminders and escalation (the worker) ───────────────────────────────
  { when: 'a planned reminder falls due', applies: is('REMINDER_SENT'), cause: [{ kind: 'SEND_REMINDER' }] },
  { when: 'the escalation falls due', applies: is('ESCALATE'), cause: [{ kind: 'ESCALATE' }] },

  // ── projects ────────────────────────────────────────────────────────────
  {
    when: 'always (project-notice-policy.ts picks the transitions projects hear about)',
    applies: () => true,
    cause: [{ kind: 'NOTIFY_PROJECTS' }],
  },
];

/** The consequences of one accepted transition, in the order they run. */
export function consequencesOf(change: ConsequenceInput): Consequence[] {
  return CONSEQUENCES.flatMap((rule) => (rule.applies(change) ? rule.cause : []));
}

/** One consequence and the transitions (indexes into the list asked about) it applies to. */
export interface ConsequenceStep {
  consequence: Consequence;
  changes: number[];
}

/**
 * The consequences of several accepted transitions committed together (a burst of reminders), as
 * steps in table order: each step one consequence and every transition that has it. Read per
 * transition, the steps name exactly `consequencesOf` of it, in the same order, so carrying them
 * out step by step does for each what carrying out its own list would.
 */
export function consequencePlan(changes: readonly ConsequenceInput[]): ConsequenceStep[] {
  return CONSEQUENCES.flatMap((rule) => {
    const applying = changes.flatMap((change, index) => (rule.applies(change) ? [index] : []));
    return applying.length === 0 ? [] : rule.cause.map((consequence) => ({ consequence, changes: applying }));
  });
}
