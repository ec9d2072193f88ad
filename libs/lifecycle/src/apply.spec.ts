import { allowedEventTypes, applyOrderEvent } from './apply.js';
import type { OrderEventType, OrderFacts } from './order-events.js';
import type { Actor } from './roles.js';
import { statePath } from './snapshot-queries.js';
import {
  APPROVED_FACTS,
  admin,
  coordinator,
  orderEvent,
  orderIn,
  orderInRunningTestAllPassed,
  projectA,
  projectC,
  samplePayload,
  supplier,
  system,
} from './testing/order-fixtures.js';

const NOT_APPROVED: OrderFacts = {
  activeRequests: [{ id: 'request-a', projectId: 'project-a', status: 'SUBMITTED' }],
  supplierContactCount: 2,
};
const NO_CONTACT: OrderFacts = { ...APPROVED_FACTS, supplierContactCount: 0 };

describe('allowedEventTypes', () => {
  interface AllowedCase {
    name: string;
    state: Parameters<typeof orderIn>[0] | 'test.running (all passed)';
    actor: Actor;
    facts?: OrderFacts;
    allowed: OrderEventType[];
  }

  const cases: AllowedCase[] = [
    {
      name: 'coordinator, ordered, all approved',
      state: 'ordered',
      actor: coordinator,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'CONSOLIDATE',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'coordinator, ordered, a request still under review',
      state: 'ordered',
      actor: coordinator,
      facts: NOT_APPROVED,
      allowed: ['REQUESTS_CHANGED', 'REVIEW_REQUEST', 'PUT_ON_HOLD', 'CANCEL', 'EXTEND_DEADLINE'],
    },
    { name: 'project, ordered', state: 'ordered', actor: projectA, allowed: ['REQUESTS_CHANGED'] },
    { name: 'supplier, ordered', state: 'ordered', actor: supplier, allowed: [] },
    {
      name: 'system, ordered',
      state: 'ordered',
      actor: system,
      allowed: ['REQUESTS_CHANGED', 'REMINDER_SENT', 'ESCALATE'],
    },
    {
      name: 'coordinator, consolidated',
      state: 'consolidated',
      actor: coordinator,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'SEND_TO_SUPPLIER',
        'START_PLAN_B',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'coordinator, consolidated, supplier without contacts',
      state: 'consolidated',
      actor: coordinator,
      facts: NO_CONTACT,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'START_PLAN_B',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'supplier, awaiting the supplier',
      state: 'negotiation.awaitingSupplier',
      actor: supplier,
      allowed: [
        'SUPPLIER_ACCEPTS',
        'SUPPLIER_PROPOSES',
        'SUPPLIER_ASKS',
        'SUPPLIER_DECLINES',
        'SUPPLIER_WROTE',
      ],
    },
    {
      name: 'coordinator, awaiting the supplier (recording answers on its behalf)',
      state: 'negotiation.awaitingSupplier',
      actor: coordinator,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'SUPPLIER_ACCEPTS',
        'SUPPLIER_PROPOSES',
        'SUPPLIER_ASKS',
        'SUPPLIER_DECLINES',
        'START_PLAN_B',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'project, awaiting the supplier',
      state: 'negotiation.awaitingSupplier',
      actor: projectA,
      allowed: ['REQUESTS_CHANGED'],
    },
    {
      name: 'supplier, proposal received',
      state: 'negotiation.proposalReceived',
      actor: supplier,
      allowed: [],
    },
    {
      name: 'admin, proposal received',
      state: 'negotiation.proposalReceived',
      actor: admin,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'ACCEPT_PROPOSAL',
        'COUNTER_PROPOSAL',
        'START_PLAN_B',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'coordinator, test running with a failure and a missing result',
      state: 'test.running',
      actor: coordinator,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'RECORD_TEST_RESULT',
        'REQUEST_FIX',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'coordinator, test running with every participant passed',
      state: 'test.running (all passed)',
      actor: coordinator,
      allowed: [
        'REQUESTS_CHANGED',
        'REVIEW_REQUEST',
        'RECORD_TEST_RESULT',
        'COMPLETE_TEST',
        'PUT_ON_HOLD',
        'CANCEL',
        'EXTEND_DEADLINE',
      ],
    },
    {
      name: 'participating project, test running',
      state: 'test.running',
      actor: projectA,
      allowed: ['REQUESTS_CHANGED', 'RECORD_TEST_RESULT'],
    },
    {
      name: 'project outside the test plan, test running',
      state: 'test.running',
      actor: projectC,
      allowed: ['REQUESTS_CHANGED'],
    },
    {
      name: 'project user without a project, test running',
      state: 'test.running',
      actor: { id: 'user-x', role: 'project' },
      allowed: ['REQUESTS_CHANGED'],
    },
    { name: 'supplier, test running', state: 'test.running', actor: supplier, allowed: [] },
    {
      name: 'coordinator, on hold',
      state: 'onHold',
      actor: coordinator,
      allowed: ['REQUESTS_CHANGED', 'REVIEW_REQUEST', 'RESUME', 'CANCEL'],
    },
    { name: 'coordinator, live', state: 'live', actor: coordinator, allowed: [] },
    { name: 'project, cancelled', state: 'cancelled', actor: projectA, allowed: [] },
  ];

  it.each(cases)('$name', ({ state, actor, facts, allowed }) => {
    const snapshot = state === 'test.running (all passed)' ? orderInRunningTestAllPassed() : orderIn(state);
    expect(allowedEventTypes(snapshot, actor, facts ?? APPROVED_FACTS)).toEqual(allowed);
  });

  it('offers only events that are then accepted with a real payload', () => {
    const snapshot = orderIn('negotiation.proposalReceived');
    for (const type of allowedEventTypes(snapshot, coordinator, APPROVED_FACTS)) {
      expect(applyOrderEvent(snapshot, orderEvent(samplePayload(type))).accepted).toBe(true);
    }
  });
});

describe('applyOrderEvent', () => {
  it('reports the states it went from and to', () => {
    const outcome = applyOrderEvent(orderIn('consolidated'), orderEvent(samplePayload('SEND_TO_SUPPLIER')));
    expect(outcome).toMatchObject({
      accepted: true,
      fromState: 'consolidated',
      toState: 'negotiation.awaitingSupplier',
    });
  });

  it('does not change the snapshot it was given', () => {
    const before = orderIn('negotiation.awaitingSupplier');
    const contextBefore = structuredClone(before.context);
    applyOrderEvent(before, orderEvent(samplePayload('SUPPLIER_PROPOSES')));
    expect(statePath(before)).toBe('negotiation.awaitingSupplier');
    expect(before.context).toEqual(contextBefore);
  });

  it.each([
    ['NOT_IN_STATE', orderEvent(samplePayload('GO_LIVE'))],
    ['ROLE_FORBIDDEN', orderEvent(samplePayload('CONSOLIDATE'), { actor: supplier })],
    ['PRECONDITION_FAILED', orderEvent(samplePayload('CONSOLIDATE'), { facts: NOT_APPROVED })],
  ] as const)('a %s refusal lists what the sender could do instead', (kind, event) => {
    const snapshot = orderIn('ordered');
    const outcome = applyOrderEvent(snapshot, event);
    expect(outcome).toMatchObject({ accepted: false, kind });
    expect(outcome.accepted || outcome.allowedEvents).toEqual(
      allowedEventTypes(snapshot, event.actor, event.facts),
    );
  });

  it('lists the sender’s own options in a refusal', () => {
    const outcome = applyOrderEvent(
      orderIn('ordered'),
      orderEvent(samplePayload('CONSOLIDATE'), { actor: projectA }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      kind: 'ROLE_FORBIDDEN',
      allowedEvents: ['REQUESTS_CHANGED'],
    });
  });

  it('refuses an event type the machine does not know as NOT_IN_STATE', () => {
    const unknownEvent: unknown = { ...orderEvent(samplePayload('RESUME')), type: 'MAKE_COFFEE' };
    const outcome = applyOrderEvent(
      orderIn('ordered'),
      unknownEvent as Parameters<typeof applyOrderEvent>[1],
    );
    expect(outcome).toMatchObject({ accepted: false, kind: 'NOT_IN_STATE' });
  });
});
