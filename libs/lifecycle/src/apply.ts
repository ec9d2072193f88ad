import { createActor, getNextTransitions } from 'xstate';
import { type OrderSnapshot, orderMachine } from './order.machine.js';
import { type OrderContext, outstandingScopeResponses } from './order-context.js';
import type {
  OrderEvent,
  OrderEventEnvelope,
  OrderEventPayload,
  OrderEventType,
  OrderFacts,
} from './order-events.js';
import { ORDER_EVENT_TYPES } from './order-events.js';
import { isPreconditionName, PRECONDITIONS } from './preconditions.js';
import { type Actor, roleRefusal } from './roles.js';
import { statePath } from './snapshot-queries.js';

export type RefusalKind = 'NOT_IN_STATE' | 'ROLE_FORBIDDEN' | 'PRECONDITION_FAILED';

export type TransitionOutcome =
  | { accepted: true; snapshot: OrderSnapshot; fromState: string; toState: string }
  | { accepted: false; kind: RefusalKind; message: string; allowedEvents: OrderEventType[] };

interface Refusal {
  kind: RefusalKind;
  message: string;
}

/**
 * Lets the machine decide one event. A refusal says which of three things
 * stood in the way, checked in this order: the state has no transition for
 * the event at all; the actor's role may not send it; a precondition failed.
 */
export function applyOrderEvent(snapshot: OrderSnapshot, event: OrderEvent): TransitionOutcome {
  const refusal = refusalOf(snapshot, event);
  if (refusal) {
    return {
      accepted: false,
      ...refusal,
      allowedEvents: allowedEventTypes(snapshot, event.actor, event.facts),
    };
  }
  const next = orderMachine.transition(snapshot, event, decisionScope());
  if (next.status === 'error') {
    throw new Error(`The order machine failed on ${event.type} in ${statePath(snapshot)}`, {
      cause: next.error,
    });
  }
  return { accepted: true, snapshot: next, fromState: statePath(snapshot), toState: statePath(next) };
}

type DecisionScope = Parameters<typeof orderMachine.transition>[2];

let scope: DecisionScope | undefined;

/**
 * The actor scope every decision runs in, made once. xstate's pure `transition()` builds a new
 * actor per call, whose constructor computes the machine's initial snapshot (about 15 µs, a
 * quarter of a decision); the order machine only assigns context (no invoked or spawned actors,
 * no delayed or custom actions, nothing emitted), so nothing is ever registered in the scope's
 * system or handed to its executor, and one inert scope serves every call: decisions stay pure.
 */
function decisionScope(): DecisionScope {
  if (scope) return scope;
  // The actor is never started; its input only satisfies the context factory.
  const self = createActor(orderMachine, { input: { orderId: '', interfaceKey: '', supplierId: '' } });
  scope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    // What `transition()` would collect and hand back; the order machine has nothing to execute.
    actionExecutor: () => {},
  };
  return scope;
}

/**
 * The event types this actor could send now. Role and every precondition
 * that depends on the order or the facts are checked; a precondition on the
 * event's own payload is checked against a representative, valid payload,
 * because filling in the payload is up to the sender.
 */
export function allowedEventTypes(
  snapshot: OrderSnapshot,
  actor: Actor,
  facts: OrderFacts,
): OrderEventType[] {
  // Guards never read the instant; any fixed value keeps this pure.
  const envelope: OrderEventEnvelope = { actor, facts, at: '1970-01-01T00:00:00.000Z' };
  return ORDER_EVENT_TYPES.filter((type) => {
    const event: OrderEvent = { ...REPRESENTATIVE_PAYLOADS[type](snapshot.context, actor), ...envelope };
    return refusalOf(snapshot, event) === null;
  });
}

function refusalOf(snapshot: OrderSnapshot, event: OrderEvent): Refusal | null {
  const candidates = getNextTransitions(snapshot).filter((candidate) => candidate.eventType === event.type);
  if (candidates.length === 0) {
    return {
      kind: 'NOT_IN_STATE',
      message: `${event.type} is not possible while the order is in state ${statePath(snapshot)}`,
    };
  }
  const roleProblem = roleRefusal(event);
  if (roleProblem !== null) return { kind: 'ROLE_FORBIDDEN', message: roleProblem };
  if (orderMachine.getTransitionData(snapshot, event).length > 0) return null;
  return { kind: 'PRECONDITION_FAILED', message: unmetPreconditionMessage(snapshot, event, candidates) };
}

function unmetPreconditionMessage(
  snapshot: OrderSnapshot,
  event: OrderEvent,
  candidates: readonly { guard?: unknown }[],
): string {
  for (const { guard } of candidates) {
    const name = typeof guard === 'string' ? guard : isRecord(guard) ? guard.type : undefined;
    if (!isPreconditionName(name)) continue;
    const reason = PRECONDITIONS[name](snapshot.context, event);
    if (reason !== null) return reason;
  }
  return `${event.type} is not possible now: a precondition of state ${statePath(snapshot)} is not met`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// Stands in for an id the sender would supply; no guard compares it with anything but itself.
const SENDER_SUPPLIED_ID = '(sender-supplied)';

const EMPTY_TERMS = { priceOere: null, deliveryDate: null, conditions: null };

const REPRESENTATIVE_PAYLOADS: {
  readonly [T in OrderEventType]: (context: OrderContext, actor: Actor) => OrderEventPayload<T>;
} = {
  REQUESTS_CHANGED: () => ({
    type: 'REQUESTS_CHANGED',
    requestId: SENDER_SUPPLIED_ID,
    change: 'resubmitted',
  }),
  EXTEND_DEADLINE: () => ({ type: 'EXTEND_DEADLINE', dueAt: '2030-01-01T15:00:00.000Z', reason: 'x' }),
  REMINDER_SENT: () => ({ type: 'REMINDER_SENT', scheduleVersion: 1, step: 1, kind: 'ON_DUE' }),
  ESCALATE: () => ({ type: 'ESCALATE', scheduleVersion: 1, step: 1, level: 1 }),
  REVIEW_REQUEST: () => ({
    type: 'REVIEW_REQUEST',
    requestId: SENDER_SUPPLIED_ID,
    decision: 'APPROVE',
    comment: null,
  }),
  CONSOLIDATE: () => ({
    type: 'CONSOLIDATE',
    category: 'NINETY_EIGHT_POTENTIAL',
    specification: { dataElements: [], needBy: '1970-01-01', projectIds: [], requestIds: [] },
  }),
  SEND_TO_SUPPLIER: () => ({
    type: 'SEND_TO_SUPPLIER',
    recipientContactIds: [SENDER_SUPPLIED_ID],
    replyBy: null,
  }),
  SUPPLIER_ACCEPTS: () => ({ type: 'SUPPLIER_ACCEPTS' }),
  SUPPLIER_PROPOSES: () => ({ type: 'SUPPLIER_PROPOSES', terms: EMPTY_TERMS }),
  SUPPLIER_ASKS: () => ({ type: 'SUPPLIER_ASKS', question: '' }),
  SUPPLIER_DECLINES: () => ({ type: 'SUPPLIER_DECLINES', reason: '' }),
  SUPPLIER_WROTE: () => ({ type: 'SUPPLIER_WROTE', messageId: SENDER_SUPPLIED_ID }),
  ANSWER_SUPPLIER: () => ({ type: 'ANSWER_SUPPLIER', answer: '' }),
  ACCEPT_PROPOSAL: () => ({ type: 'ACCEPT_PROPOSAL' }),
  COUNTER_PROPOSAL: () => ({ type: 'COUNTER_PROPOSAL', terms: EMPTY_TERMS }),
  START_PLAN_B: () => ({ type: 'START_PLAN_B', kind: 'WORKAROUND', description: '' }),
  // A project answers for itself; anyone else for the first project still to answer.
  RESPOND_TO_SCOPE_REDUCTION: (context, actor) => ({
    type: 'RESPOND_TO_SCOPE_REDUCTION',
    projectId:
      actor.role === 'project'
        ? (actor.projectId ?? SENDER_SUPPLIED_ID)
        : (outstandingScopeResponses(context)[0] ?? SENDER_SUPPLIED_ID),
    response: 'ACKNOWLEDGED',
    comment: null,
  }),
  SEND_AMENDMENT: (context) => ({
    type: 'SEND_AMENDMENT',
    specification: context.specification ?? {
      dataElements: [],
      needBy: '1970-01-01',
      projectIds: [],
      requestIds: [],
    },
    change: { added: [], removed: [], needBy: null },
    recipientContactIds: [SENDER_SUPPLIED_ID],
    replyBy: null,
    supplierId: SENDER_SUPPLIED_ID,
  }),
  TURN_DOWN_AMENDMENT: (context) => ({
    type: 'TURN_DOWN_AMENDMENT',
    requestId: context.amendments[0]?.requestId ?? SENDER_SUPPLIED_ID,
    comment: 'x',
  }),
  PLAN_TEST: () => ({
    type: 'PLAN_TEST',
    plan: {
      responsible: 'KOMBIT',
      mode: 'SHARED',
      participantProjectIds: [SENDER_SUPPLIED_ID],
      windowStart: '1970-01-01',
      windowEnd: '1970-01-01',
    },
  }),
  START_TEST: () => ({ type: 'START_TEST' }),
  // A project can only ever record its own result; anyone else may record for any participant.
  RECORD_TEST_RESULT: (context, actor) => ({
    type: 'RECORD_TEST_RESULT',
    projectId:
      actor.role === 'project'
        ? (actor.projectId ?? SENDER_SUPPLIED_ID)
        : (context.testPlan?.participantProjectIds[0] ?? SENDER_SUPPLIED_ID),
    outcome: 'PASSED',
  }),
  COMPLETE_TEST: () => ({ type: 'COMPLETE_TEST' }),
  REQUEST_FIX: () => ({ type: 'REQUEST_FIX', description: '' }),
  GO_LIVE: () => ({ type: 'GO_LIVE', liveDate: '1970-01-01' }),
  PUT_ON_HOLD: () => ({ type: 'PUT_ON_HOLD', reason: '' }),
  RESUME: () => ({ type: 'RESUME' }),
  CANCEL: () => ({ type: 'CANCEL', reason: '' }),
};
