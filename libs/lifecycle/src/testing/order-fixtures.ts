/**
 * Building blocks for tests of the lifecycle and of code that uses it: actors,
 * facts, a valid sample payload for every event, and routes that drive a new
 * order into each state through the public API.
 */
import { applyOrderEvent } from '../apply.js';
import type { OrderSnapshot } from '../order.machine.js';
import type { OrderTerms, TestPlan } from '../order-context.js';
import type {
  OrderEvent,
  OrderEventEnvelope,
  OrderEventPayload,
  OrderEventType,
  OrderFacts,
} from '../order-events.js';
import { type Actor, EVENT_ROLES } from '../roles.js';
import { initialOrderSnapshot } from '../snapshot.js';

export const ORDER_INPUT = { orderId: 'order-1', interfaceKey: 'SF0800', supplierId: 'supplier-kmd' };

export const coordinator: Actor = { id: 'user-coordinator', role: 'coordinator', displayName: 'Coordinator' };
export const admin: Actor = { id: 'user-admin', role: 'admin' };
export const supplier: Actor = { id: 'supplier-link', role: 'supplier' };
export const system: Actor = { id: 'worker', role: 'system' };
export const projectA: Actor = { id: 'user-a', role: 'project', projectId: 'project-a' };
export const projectB: Actor = { id: 'user-b', role: 'project', projectId: 'project-b' };
/** A project user whose project does not take part in the sample test plan. */
export const projectC: Actor = { id: 'user-c', role: 'project', projectId: 'project-c' };

export const APPROVED_FACTS: OrderFacts = {
  activeRequests: [
    { id: 'request-a', projectId: 'project-a', status: 'APPROVED' },
    { id: 'request-b', projectId: 'project-b', status: 'APPROVED' },
  ],
  supplierContactCount: 2,
};

export const AT = '2025-03-03T09:00:00.000Z';

export const PROPOSED_TERMS: OrderTerms = {
  priceOere: '1250000',
  deliveryDate: '2025-06-01',
  conditions: 'Annual fee',
};
export const COUNTER_TERMS: OrderTerms = {
  priceOere: '990000',
  deliveryDate: '2025-06-15',
  conditions: null,
};

export const TEST_PLAN: TestPlan = {
  responsible: 'SUPPLIER',
  mode: 'PER_PROJECT',
  participantProjectIds: ['project-a', 'project-b'],
  windowStart: '2025-08-01',
  windowEnd: '2025-08-15',
};

const SAMPLE_PAYLOADS: { readonly [T in OrderEventType]: OrderEventPayload<T> } = {
  REQUESTS_CHANGED: { type: 'REQUESTS_CHANGED', requestId: 'request-b', change: 'resubmitted' },
  EXTEND_DEADLINE: {
    type: 'EXTEND_DEADLINE',
    dueAt: '2025-04-01T14:00:00.000Z',
    reason: 'Supplier on holiday',
  },
  REMINDER_SENT: { type: 'REMINDER_SENT', scheduleVersion: 3, step: 1, kind: 'BEFORE_DUE' },
  ESCALATE: { type: 'ESCALATE', scheduleVersion: 3, step: 4, level: 1 },
  REVIEW_REQUEST: { type: 'REVIEW_REQUEST', requestId: 'request-b', decision: 'APPROVE', comment: null },
  CONSOLIDATE: {
    type: 'CONSOLIDATE',
    category: 'COMMON_NEED',
    specification: {
      dataElements: ['cpr', 'address'],
      needBy: '2025-09-01',
      projectIds: ['project-a', 'project-b'],
      requestIds: ['request-a', 'request-b'],
    },
  },
  SEND_TO_SUPPLIER: { type: 'SEND_TO_SUPPLIER', recipientContactIds: ['contact-1'], replyBy: '2025-03-17' },
  SUPPLIER_ACCEPTS: { type: 'SUPPLIER_ACCEPTS', note: 'Fine by us' },
  SUPPLIER_PROPOSES: { type: 'SUPPLIER_PROPOSES', terms: PROPOSED_TERMS },
  SUPPLIER_ASKS: { type: 'SUPPLIER_ASKS', question: 'Which address fields?' },
  SUPPLIER_DECLINES: { type: 'SUPPLIER_DECLINES', reason: 'Not offered on this platform' },
  SUPPLIER_WROTE: { type: 'SUPPLIER_WROTE', messageId: 'message-1' },
  ANSWER_SUPPLIER: { type: 'ANSWER_SUPPLIER', answer: 'Only the postal address' },
  ACCEPT_PROPOSAL: { type: 'ACCEPT_PROPOSAL' },
  COUNTER_PROPOSAL: { type: 'COUNTER_PROPOSAL', terms: COUNTER_TERMS },
  START_PLAN_B: {
    type: 'START_PLAN_B',
    kind: 'OTHER_SOURCE',
    description: 'Use eIndkomst',
    alternativeSupplierId: 'supplier-skat',
  },
  RESPOND_TO_SCOPE_REDUCTION: {
    type: 'RESPOND_TO_SCOPE_REDUCTION',
    projectId: 'project-a',
    response: 'ACKNOWLEDGED',
    comment: null,
  },
  SEND_AMENDMENT: {
    type: 'SEND_AMENDMENT',
    specification: {
      dataElements: ['cpr', 'address', 'email'],
      needBy: '2025-08-15',
      projectIds: ['project-a', 'project-b'],
      requestIds: ['request-a', 'request-b'],
    },
    change: { added: ['email'], removed: [], needBy: { from: '2025-09-01', to: '2025-08-15' } },
    recipientContactIds: ['contact-1'],
    replyBy: '2025-04-01',
    supplierId: 'supplier-kmd',
  },
  TURN_DOWN_AMENDMENT: {
    type: 'TURN_DOWN_AMENDMENT',
    requestId: 'request-b',
    comment: 'Too late for this delivery; order it separately',
  },
  PLAN_TEST: { type: 'PLAN_TEST', plan: TEST_PLAN },
  START_TEST: { type: 'START_TEST' },
  RECORD_TEST_RESULT: {
    type: 'RECORD_TEST_RESULT',
    projectId: 'project-a',
    outcome: 'PASSED',
    notes: 'All fields present',
  },
  COMPLETE_TEST: { type: 'COMPLETE_TEST' },
  REQUEST_FIX: { type: 'REQUEST_FIX', description: 'Address field is empty' },
  GO_LIVE: { type: 'GO_LIVE', liveDate: '2025-09-01' },
  PUT_ON_HOLD: { type: 'PUT_ON_HOLD', reason: 'Budget review' },
  RESUME: { type: 'RESUME' },
  CANCEL: { type: 'CANCEL', reason: 'Projects no longer need it' },
};

/** A valid payload for the event type, with fields replaced by `overrides`. */
export function samplePayload<T extends OrderEventType>(
  type: T,
  overrides: Partial<OrderEventPayload<T>> = {},
): OrderEventPayload<T> {
  return { ...SAMPLE_PAYLOADS[type], ...overrides };
}

/** A full event: the payload plus an envelope (coordinator, approved facts, fixed instant unless overridden). */
export function orderEvent(
  payload: OrderEventPayload,
  envelope: Partial<OrderEventEnvelope> = {},
): OrderEvent {
  return { ...payload, actor: coordinator, facts: APPROVED_FACTS, at: AT, ...envelope };
}

/** A step of a route: an event type with the sample payload, or an explicit payload. */
export type RouteStep = OrderEventType | OrderEventPayload;

function toPayload(step: RouteStep): OrderEventPayload {
  return typeof step === 'string' ? samplePayload(step) : step;
}

/** Applies every step to a new order as a coordinator; throws on the first refused step. */
export function drive(
  steps: readonly RouteStep[],
  from: OrderSnapshot = initialOrderSnapshot(ORDER_INPUT),
): OrderSnapshot {
  let snapshot = from;
  for (const step of steps) {
    const payload = toPayload(step);
    // Steps only a supplier may take (its own email) are taken as the supplier.
    const actor = EVENT_ROLES[payload.type].includes('coordinator') ? coordinator : supplier;
    const outcome = applyOrderEvent(snapshot, orderEvent(payload, { actor }));
    if (!outcome.accepted) throw new Error(`Route step ${JSON.stringify(step)} refused: ${outcome.message}`);
    snapshot = outcome.snapshot;
  }
  return snapshot;
}

const recordResult = (
  projectId: string,
  outcome: 'PASSED' | 'FAILED',
): OrderEventPayload<'RECORD_TEST_RESULT'> => samplePayload('RECORD_TEST_RESULT', { projectId, outcome });

/** A plan B that drops 'address', which both sample projects asked for. */
export const REDUCED_SCOPE_PLAN_B: OrderEventPayload<'START_PLAN_B'> = {
  type: 'START_PLAN_B',
  kind: 'REDUCED_SCOPE',
  description: 'Deliver without the address',
  scopeReduction: { droppedDataElements: ['address'], projectIds: ['project-a', 'project-b'] },
};

/** Project B changed its request after the supplier was engaged. */
export const LATE_CHANGE: OrderEventPayload<'REQUESTS_CHANGED'> = {
  type: 'REQUESTS_CHANGED',
  requestId: 'request-b',
  change: 'resubmitted',
  previous: { dataElements: ['address'], needBy: '2025-09-01' },
};

const TO_AGREED: readonly RouteStep[] = [
  'CONSOLIDATE',
  'SEND_TO_SUPPLIER',
  'SUPPLIER_PROPOSES',
  'ACCEPT_PROPOSAL',
];
const TO_RUNNING: readonly RouteStep[] = [...TO_AGREED, 'PLAN_TEST', 'START_TEST'];

/** How to reach each state an order can rest in, keyed by statePath. */
export const ROUTES = {
  ordered: [],
  consolidated: ['CONSOLIDATE'],
  'negotiation.awaitingSupplier': ['CONSOLIDATE', 'SEND_TO_SUPPLIER'],
  'negotiation.clarification': ['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_ASKS'],
  'negotiation.supplierWrote': [
    'CONSOLIDATE',
    'SEND_TO_SUPPLIER',
    { type: 'SUPPLIER_WROTE', messageId: 'message-1' },
  ],
  'negotiation.proposalReceived': ['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_PROPOSES'],
  'negotiation.declined': ['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_DECLINES'],
  'negotiation.agreed': TO_AGREED,
  planB: ['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_DECLINES', 'START_PLAN_B'],
  scopeAcknowledgement: ['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_DECLINES', REDUCED_SCOPE_PLAN_B],
  'test.planning': [...TO_AGREED, 'PLAN_TEST'],
  // One participant failed, one has no result yet: the richest context a running test can have.
  'test.running': [...TO_RUNNING, recordResult('project-a', 'FAILED')],
  'test.passed': [
    ...TO_RUNNING,
    recordResult('project-a', 'PASSED'),
    recordResult('project-b', 'PASSED'),
    'COMPLETE_TEST',
  ],
  onHold: ['PUT_ON_HOLD'],
  live: [
    ...TO_RUNNING,
    recordResult('project-a', 'PASSED'),
    recordResult('project-b', 'PASSED'),
    'COMPLETE_TEST',
    'GO_LIVE',
  ],
  cancelled: ['CANCEL'],
} as const satisfies Record<string, readonly RouteStep[]>;

export type RoutedState = keyof typeof ROUTES;

export const ROUTED_STATES = Object.keys(ROUTES) as RoutedState[];

/** Every state below `active`: where PUT_ON_HOLD is possible and RESUME must return to. */
export const RESUMABLE_STATES: readonly RoutedState[] = ROUTED_STATES.filter(
  (state) => state !== 'onHold' && state !== 'live' && state !== 'cancelled',
);

export function orderIn(state: RoutedState): OrderSnapshot {
  return drive(ROUTES[state]);
}

/** A running test in which every participant has passed. */
export function orderInRunningTestAllPassed(): OrderSnapshot {
  return drive([...TO_RUNNING, recordResult('project-a', 'PASSED'), recordResult('project-b', 'PASSED')]);
}
