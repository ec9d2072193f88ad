import { applyOrderEvent } from './apply.js';
import { ORDER_MACHINE_VERSION, type OrderSnapshot } from './order.machine.js';
import type { OrderContext } from './order-context.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEventPayload,
  type OrderEventType,
  type OrderFacts,
} from './order-events.js';
import { initialOrderSnapshot, persistOrderSnapshot, restoreOrderSnapshot } from './snapshot.js';
import { ballInCourt, isFinal, statePath } from './snapshot-queries.js';
import {
  APPROVED_FACTS,
  AT,
  COUNTER_TERMS,
  coordinator,
  drive,
  ORDER_INPUT,
  orderEvent,
  orderIn,
  orderInRunningTestAllPassed,
  PROPOSED_TERMS,
  projectA,
  RESUMABLE_STATES,
  ROUTED_STATES,
  type RoutedState,
  samplePayload,
  supplier,
  system,
  TEST_PLAN,
} from './testing/order-fixtures.js';

function accept(snapshot: OrderSnapshot, payload: OrderEventPayload, facts: OrderFacts = APPROVED_FACTS) {
  const outcome = applyOrderEvent(snapshot, orderEvent(payload, { facts }));
  if (!outcome.accepted)
    throw new Error(`expected ${payload.type} to be accepted, got ${outcome.kind}: ${outcome.message}`);
  return outcome;
}

function refusal(snapshot: OrderSnapshot, payload: OrderEventPayload, facts: OrderFacts = APPROVED_FACTS) {
  const outcome = applyOrderEvent(snapshot, orderEvent(payload, { facts }));
  if (outcome.accepted) throw new Error(`expected ${payload.type} to be refused in ${statePath(snapshot)}`);
  return outcome;
}

describe('the initial order', () => {
  it('starts ordered with an empty context built from the input', () => {
    const snapshot = initialOrderSnapshot(ORDER_INPUT);
    expect(statePath(snapshot)).toBe('ordered');
    expect(snapshot.value).toEqual({ active: 'ordered' });
    expect(snapshot.context).toEqual({
      orderId: 'order-1',
      interfaceKey: 'SF0800',
      supplierId: 'supplier-kmd',
      category: null,
      specification: null,
      negotiation: null,
      proposal: null,
      agreedTerms: null,
      openQuestion: null,
      declineReason: null,
      planB: null,
      scopeReduction: null,
      droppedDataElements: [],
      testPlan: null,
      testResults: {},
      amendments: [],
      holdReason: null,
      reopenOnResume: false,
      cancelReason: null,
      liveDate: null,
    });
    expect(isFinal(snapshot)).toBe(false);
  });
});

describe('transitions', () => {
  interface TransitionCase {
    name: string;
    from: () => OrderSnapshot;
    event: OrderEventPayload;
    to: string;
    expectContext: (context: OrderContext, before: OrderContext) => void;
  }

  const cases: TransitionCase[] = [
    {
      name: 'ordered --CONSOLIDATE--> consolidated stores category and specification',
      from: () => orderIn('ordered'),
      event: samplePayload('CONSOLIDATE'),
      to: 'consolidated',
      expectContext: (context) => {
        expect(context.category).toBe('COMMON_NEED');
        expect(context.specification).toEqual(samplePayload('CONSOLIDATE').specification);
      },
    },
    {
      name: 'consolidated --SEND_TO_SUPPLIER--> awaitingSupplier opens round 1 with the source supplier',
      from: () => orderIn('consolidated'),
      event: samplePayload('SEND_TO_SUPPLIER'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context) => {
        expect(context.negotiation).toEqual({
          round: 1,
          supplierId: 'supplier-kmd',
          recipientContactIds: ['contact-1'],
          replyBy: '2025-03-17',
          change: null,
        });
      },
    },
    {
      name: 'SEND_TO_SUPPLIER with a supplierId negotiates with that supplier',
      from: () => orderIn('consolidated'),
      event: samplePayload('SEND_TO_SUPPLIER', { supplierId: 'supplier-other', replyBy: null }),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context) => {
        expect(context.negotiation?.supplierId).toBe('supplier-other');
        expect(context.negotiation?.replyBy).toBeNull();
        expect(context.supplierId).toBe('supplier-kmd');
      },
    },
    {
      name: 'consolidated --START_PLAN_B--> planB stores the plan',
      from: () => orderIn('consolidated'),
      event: samplePayload('START_PLAN_B'),
      to: 'planB',
      expectContext: (context) => {
        expect(context.planB).toEqual({
          kind: 'OTHER_SOURCE',
          description: 'Use eIndkomst',
          alternativeSupplierId: 'supplier-skat',
        });
      },
    },
    {
      name: 'START_PLAN_B without an alternative supplier stores null',
      from: () => orderIn('consolidated'),
      event: { type: 'START_PLAN_B', kind: 'REDUCED_SCOPE', description: 'Drop the address' },
      to: 'planB',
      expectContext: (context) => {
        expect(context.planB).toEqual({
          kind: 'REDUCED_SCOPE',
          description: 'Drop the address',
          alternativeSupplierId: null,
        });
      },
    },
    {
      name: 'awaitingSupplier --SUPPLIER_ACCEPTS--> agreed, with no terms when none were proposed',
      from: () => orderIn('negotiation.awaitingSupplier'),
      event: samplePayload('SUPPLIER_ACCEPTS'),
      to: 'negotiation.agreed',
      expectContext: (context) => expect(context.agreedTerms).toBeNull(),
    },
    {
      name: 'awaitingSupplier --SUPPLIER_PROPOSES--> proposalReceived stores the terms',
      from: () => orderIn('negotiation.awaitingSupplier'),
      event: samplePayload('SUPPLIER_PROPOSES'),
      to: 'negotiation.proposalReceived',
      expectContext: (context) => expect(context.proposal).toEqual(PROPOSED_TERMS),
    },
    {
      name: 'awaitingSupplier --SUPPLIER_ASKS--> clarification stores the question',
      from: () => orderIn('negotiation.awaitingSupplier'),
      event: samplePayload('SUPPLIER_ASKS'),
      to: 'negotiation.clarification',
      expectContext: (context) => expect(context.openQuestion).toBe('Which address fields?'),
    },
    {
      name: 'awaitingSupplier --SUPPLIER_DECLINES--> declined stores the reason',
      from: () => orderIn('negotiation.awaitingSupplier'),
      event: samplePayload('SUPPLIER_DECLINES'),
      to: 'negotiation.declined',
      expectContext: (context) => expect(context.declineReason).toBe('Not offered on this platform'),
    },
    {
      name: 'clarification --ANSWER_SUPPLIER--> awaitingSupplier clears the question',
      from: () => orderIn('negotiation.clarification'),
      event: samplePayload('ANSWER_SUPPLIER'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context, before) => {
        expect(before.openQuestion).toBe('Which address fields?');
        expect(context.openQuestion).toBeNull();
      },
    },
    {
      name: 'proposalReceived --ACCEPT_PROPOSAL--> agreed on the proposed terms',
      from: () => orderIn('negotiation.proposalReceived'),
      event: samplePayload('ACCEPT_PROPOSAL'),
      to: 'negotiation.agreed',
      expectContext: (context) => expect(context.agreedTerms).toEqual(PROPOSED_TERMS),
    },
    {
      name: 'proposalReceived --COUNTER_PROPOSAL--> awaitingSupplier puts the counter terms on the table',
      from: () => orderIn('negotiation.proposalReceived'),
      event: samplePayload('COUNTER_PROPOSAL'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context) => {
        expect(context.proposal).toEqual(COUNTER_TERMS);
        expect(context.agreedTerms).toBeNull();
      },
    },
    {
      name: 'a supplier accepting a counter proposal agrees on the counter terms',
      from: () => drive(['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_PROPOSES', 'COUNTER_PROPOSAL']),
      event: samplePayload('SUPPLIER_ACCEPTS'),
      to: 'negotiation.agreed',
      expectContext: (context) => expect(context.agreedTerms).toEqual(COUNTER_TERMS),
    },
    {
      name: 'declined --SEND_TO_SUPPLIER--> awaitingSupplier opens round 2 and clears the decline',
      from: () => orderIn('negotiation.declined'),
      event: samplePayload('SEND_TO_SUPPLIER'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context) => {
        expect(context.negotiation?.round).toBe(2);
        expect(context.declineReason).toBeNull();
      },
    },
    {
      name: 'planB --SEND_TO_SUPPLIER--> awaitingSupplier opens the next round with a clean table',
      from: () => drive(['CONSOLIDATE', 'SEND_TO_SUPPLIER', 'SUPPLIER_PROPOSES', 'START_PLAN_B']),
      event: samplePayload('SEND_TO_SUPPLIER', { supplierId: 'supplier-skat' }),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context, before) => {
        expect(before.proposal).toEqual(PROPOSED_TERMS);
        expect(context.negotiation).toEqual({
          round: 2,
          supplierId: 'supplier-skat',
          recipientContactIds: ['contact-1'],
          replyBy: '2025-03-17',
          change: null,
        });
        expect(context.proposal).toBeNull();
        expect(context.planB?.kind).toBe('OTHER_SOURCE');
      },
    },
    ...(['awaitingSupplier', 'clarification', 'proposalReceived', 'declined', 'agreed'] as const).map(
      (substate): TransitionCase => ({
        name: `negotiation.${substate} --START_PLAN_B--> planB`,
        from: () => orderIn(`negotiation.${substate}`),
        event: samplePayload('START_PLAN_B'),
        to: 'planB',
        expectContext: (context, before) => {
          expect(context.planB?.description).toBe('Use eIndkomst');
          expect(context.negotiation).toEqual(before.negotiation);
        },
      }),
    ),
    {
      name: 'agreed --PLAN_TEST--> test.planning stores the plan',
      from: () => orderIn('negotiation.agreed'),
      event: samplePayload('PLAN_TEST'),
      to: 'test.planning',
      expectContext: (context) => {
        expect(context.testPlan).toEqual(TEST_PLAN);
        expect(context.testResults).toEqual({});
      },
    },
    {
      name: 'planB --PLAN_TEST--> test.planning goes straight to test',
      from: () => orderIn('planB'),
      event: samplePayload('PLAN_TEST'),
      to: 'test.planning',
      expectContext: (context) => expect(context.testPlan).toEqual(TEST_PLAN),
    },
    {
      name: 'test.planning --PLAN_TEST--> test.planning replaces the plan',
      from: () => orderIn('test.planning'),
      event: {
        type: 'PLAN_TEST',
        plan: { ...TEST_PLAN, mode: 'SHARED', participantProjectIds: ['project-b'] },
      },
      to: 'test.planning',
      expectContext: (context) => {
        expect(context.testPlan?.mode).toBe('SHARED');
        expect(context.testPlan?.participantProjectIds).toEqual(['project-b']);
      },
    },
    {
      name: 're-planning after a fix clears the results of the previous plan',
      from: () => drive(['REQUEST_FIX', 'SUPPLIER_ACCEPTS'], orderIn('test.running')),
      event: samplePayload('PLAN_TEST'),
      to: 'test.planning',
      expectContext: (context, before) => {
        expect(Object.keys(before.testResults)).toEqual(['project-a']);
        expect(context.testResults).toEqual({});
      },
    },
    {
      name: 'test.planning --START_TEST--> test.running',
      from: () => orderIn('test.planning'),
      event: samplePayload('START_TEST'),
      to: 'test.running',
      expectContext: (context, before) => expect(context).toEqual(before),
    },
    {
      name: 'test.running --RECORD_TEST_RESULT--> test.running records the result at the event instant',
      from: () => orderIn('test.running'),
      event: { type: 'RECORD_TEST_RESULT', projectId: 'project-b', outcome: 'FAILED' },
      to: 'test.running',
      expectContext: (context) => {
        expect(context.testResults).toEqual({
          'project-a': { outcome: 'FAILED', notes: 'All fields present', recordedAt: AT },
          'project-b': { outcome: 'FAILED', notes: null, recordedAt: AT },
        });
      },
    },
    {
      name: 'recording again for a project replaces its result',
      from: () => orderIn('test.running'),
      event: samplePayload('RECORD_TEST_RESULT', {
        projectId: 'project-a',
        outcome: 'PASSED',
        notes: 'Fixed',
      }),
      to: 'test.running',
      expectContext: (context) => {
        expect(context.testResults['project-a']).toEqual({
          outcome: 'PASSED',
          notes: 'Fixed',
          recordedAt: AT,
        });
      },
    },
    {
      name: 'test.running --COMPLETE_TEST--> test.passed',
      from: orderInRunningTestAllPassed,
      event: samplePayload('COMPLETE_TEST'),
      to: 'test.passed',
      expectContext: (context, before) => expect(context).toEqual(before),
    },
    {
      name: 'test.running --REQUEST_FIX--> awaitingSupplier in the next round, keeping terms and results',
      from: () => orderIn('test.running'),
      event: samplePayload('REQUEST_FIX'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context, before) => {
        expect(before.negotiation?.round).toBe(1);
        expect(context.negotiation).toEqual({ ...before.negotiation, round: 2, replyBy: null });
        expect(context.agreedTerms).toEqual(PROPOSED_TERMS);
        expect(context.testResults).toEqual(before.testResults);
      },
    },
    {
      name: 'REQUEST_FIX after plan B keeps negotiating with the supplier of the last round',
      from: () =>
        drive(
          ['PLAN_TEST', 'START_TEST', samplePayload('RECORD_TEST_RESULT', { outcome: 'FAILED' })],
          orderIn('planB'),
        ),
      event: samplePayload('REQUEST_FIX'),
      to: 'negotiation.awaitingSupplier',
      expectContext: (context) => {
        expect(context.negotiation).toMatchObject({ round: 2, supplierId: 'supplier-kmd' });
      },
    },
    {
      name: 'test.passed --GO_LIVE--> live stores the live date',
      from: () => orderIn('test.passed'),
      event: samplePayload('GO_LIVE'),
      to: 'live',
      expectContext: (context) => expect(context.liveDate).toBe('2025-09-01'),
    },
  ];

  it.each(cases)('$name', ({ from, event, to, expectContext }) => {
    const before = from();
    const outcome = accept(before, event);
    expect(outcome.fromState).toBe(statePath(before));
    expect(outcome.toState).toBe(to);
    expect(statePath(outcome.snapshot)).toBe(to);
    expectContext(outcome.snapshot.context, before.context);
  });

  it('a supplier email moves the wait to supplierWrote with the ball at the coordinators, once', () => {
    const waiting = orderIn('negotiation.awaitingSupplier');
    const wrote = applyOrderEvent(waiting, orderEvent(samplePayload('SUPPLIER_WROTE'), { actor: supplier }));
    if (!wrote.accepted) throw new Error(wrote.message);
    expect(wrote.toState).toBe('negotiation.supplierWrote');
    expect(ballInCourt(wrote.snapshot)).toBe('COORDINATORS');
    const again = applyOrderEvent(
      wrote.snapshot,
      orderEvent(samplePayload('SUPPLIER_WROTE', { messageId: 'message-2' }), { actor: supplier }),
    );
    if (!again.accepted) throw new Error(again.message);
    expect(again.toState).toBe('negotiation.supplierWrote');
    expect(again.snapshot.context.negotiation?.round).toBe(1);
  });

  it('after a supplier email a coordinator records the answer it is, or replies in a new round', () => {
    const wrote = orderIn('negotiation.supplierWrote');
    expect(statePath(accept(wrote, samplePayload('SUPPLIER_PROPOSES')).snapshot)).toBe(
      'negotiation.proposalReceived',
    );
    expect(statePath(accept(wrote, samplePayload('SUPPLIER_ACCEPTS')).snapshot)).toBe('negotiation.agreed');
    expect(statePath(accept(wrote, samplePayload('SUPPLIER_ASKS')).snapshot)).toBe(
      'negotiation.clarification',
    );
    expect(statePath(accept(wrote, samplePayload('SUPPLIER_DECLINES')).snapshot)).toBe(
      'negotiation.declined',
    );
    const replied = accept(wrote, samplePayload('ANSWER_SUPPLIER')).snapshot;
    expect(statePath(replied)).toBe('negotiation.awaitingSupplier');
    expect(replied.context.negotiation?.round).toBe(2);
  });

  it("REQUEST_FIX without any earlier negotiation opens round 1 with plan B's alternative supplier", () => {
    const running = drive([
      'CONSOLIDATE',
      'START_PLAN_B',
      'PLAN_TEST',
      'START_TEST',
      samplePayload('RECORD_TEST_RESULT', { outcome: 'FAILED' }),
    ]);
    expect(running.context.negotiation).toBeNull();
    const fixed = accept(running, samplePayload('REQUEST_FIX')).snapshot;
    expect(fixed.context.negotiation).toEqual({
      round: 1,
      supplierId: 'supplier-skat',
      recipientContactIds: [],
      replyBy: null,
      change: null,
    });
  });

  it('live is final', () => {
    const live = orderIn('live');
    expect(isFinal(live)).toBe(true);
    expect(live.status).toBe('done');
  });

  it('CONSOLIDATE clears the amendments of an earlier consolidation', () => {
    const stored = persistOrderSnapshot(orderIn('ordered'));
    const withAmendment = restoreOrderSnapshot({
      machineVersion: ORDER_MACHINE_VERSION,
      snapshot: {
        ...stored,
        context: {
          ...orderIn('ordered').context,
          amendments: [{ requestId: 'request-b', change: 'withdrawn', at: AT, previous: null }],
        },
      },
    });
    expect(withAmendment.context.amendments).toHaveLength(1);
    expect(accept(withAmendment, samplePayload('CONSOLIDATE')).snapshot.context.amendments).toEqual([]);
  });

  describe.each(RESUMABLE_STATES)('from %s', (state) => {
    it('PUT_ON_HOLD goes on hold with the reason', () => {
      const outcome = accept(orderIn(state), samplePayload('PUT_ON_HOLD'));
      expect(outcome.toState).toBe('onHold');
      expect(outcome.snapshot.context.holdReason).toBe('Budget review');
    });

    it('CANCEL cancels with the reason, for good', () => {
      const outcome = accept(orderIn(state), samplePayload('CANCEL'));
      expect(outcome.toState).toBe('cancelled');
      expect(outcome.snapshot.context.cancelReason).toBe('Projects no longer need it');
      expect(isFinal(outcome.snapshot)).toBe(true);
    });
  });

  it('onHold --CANCEL--> cancelled', () => {
    const outcome = accept(orderIn('onHold'), samplePayload('CANCEL'));
    expect(outcome.toState).toBe('cancelled');
    expect(outcome.snapshot.context.cancelReason).toBe('Projects no longer need it');
  });
});

describe('which events a state accepts at all (NOT_IN_STATE)', () => {
  const BEFORE_LIVE: readonly OrderEventType[] = [
    'REQUESTS_CHANGED',
    'REVIEW_REQUEST',
    'PUT_ON_HOLD',
    'CANCEL',
    'EXTEND_DEADLINE',
    'REMINDER_SENT',
    'ESCALATE',
    'TURN_DOWN_AMENDMENT',
  ];
  // After the supplier is engaged a changed specification can go to the supplier as a new round.
  const ENGAGED: readonly OrderEventType[] = ['SEND_AMENDMENT', ...BEFORE_LIVE];
  const NEGOTIATING: readonly OrderEventType[] = ['START_PLAN_B', ...ENGAGED];
  const EVENTS_WITH_A_TRANSITION: Record<RoutedState, readonly OrderEventType[]> = {
    ordered: ['CONSOLIDATE', ...BEFORE_LIVE],
    consolidated: ['SEND_TO_SUPPLIER', 'START_PLAN_B', ...BEFORE_LIVE],
    'negotiation.awaitingSupplier': [
      'SUPPLIER_ACCEPTS',
      'SUPPLIER_PROPOSES',
      'SUPPLIER_ASKS',
      'SUPPLIER_DECLINES',
      'SUPPLIER_WROTE',
      ...NEGOTIATING,
    ],
    'negotiation.supplierWrote': [
      'SUPPLIER_ACCEPTS',
      'SUPPLIER_PROPOSES',
      'SUPPLIER_ASKS',
      'SUPPLIER_DECLINES',
      'SUPPLIER_WROTE',
      'ANSWER_SUPPLIER',
      ...NEGOTIATING,
    ],
    'negotiation.clarification': ['ANSWER_SUPPLIER', ...NEGOTIATING],
    'negotiation.proposalReceived': ['ACCEPT_PROPOSAL', 'COUNTER_PROPOSAL', ...NEGOTIATING],
    'negotiation.declined': ['SEND_TO_SUPPLIER', ...NEGOTIATING],
    'negotiation.agreed': ['PLAN_TEST', ...NEGOTIATING],
    planB: ['SEND_TO_SUPPLIER', 'PLAN_TEST', ...ENGAGED],
    scopeAcknowledgement: ['RESPOND_TO_SCOPE_REDUCTION', ...BEFORE_LIVE],
    'test.planning': ['PLAN_TEST', 'START_TEST', ...ENGAGED],
    'test.running': ['RECORD_TEST_RESULT', 'COMPLETE_TEST', 'REQUEST_FIX', ...ENGAGED],
    'test.passed': ['GO_LIVE', ...ENGAGED],
    onHold: ['RESUME', 'REQUESTS_CHANGED', 'REVIEW_REQUEST', 'CANCEL'],
    live: [],
    cancelled: [],
  };

  const matrix = ROUTED_STATES.flatMap((state) =>
    ORDER_EVENT_TYPES.map((type) => ({
      state,
      type,
      hasTransition: EVENTS_WITH_A_TRANSITION[state].includes(type),
    })),
  );

  // A coordinator may send every event type, so a refusal here can only be about the state or a precondition.
  it.each(matrix)('$state + $type: transition exists = $hasTransition', ({ state, type, hasTransition }) => {
    const outcome = applyOrderEvent(orderIn(state), orderEvent(samplePayload(type), { actor: coordinator }));
    if (hasTransition) {
      expect(outcome.accepted ? 'ACCEPTED' : outcome.kind).not.toBe('NOT_IN_STATE');
    } else {
      expect(outcome).toMatchObject({
        accepted: false,
        kind: 'NOT_IN_STATE',
        message: `${type} is not possible while the order is in state ${state}`,
      });
    }
  });
});

describe('guards', () => {
  describe('allActiveRequestsApproved', () => {
    it('refuses consolidation while a request is not approved, counting them', () => {
      const facts: OrderFacts = {
        ...APPROVED_FACTS,
        activeRequests: [
          { id: 'r1', projectId: 'project-a', status: 'APPROVED' },
          { id: 'r2', projectId: 'project-b', status: 'SUBMITTED' },
          { id: 'r3', projectId: 'project-c', status: 'APPROVED' },
        ],
      };
      expect(refusal(orderIn('ordered'), samplePayload('CONSOLIDATE'), facts)).toMatchObject({
        kind: 'PRECONDITION_FAILED',
        message: 'All active requests must be approved before consolidation (2 of 3 approved)',
      });
    });

    it('refuses consolidation with changes requested on a request', () => {
      const facts: OrderFacts = {
        ...APPROVED_FACTS,
        activeRequests: [{ id: 'r1', projectId: 'project-a', status: 'CHANGES_REQUESTED' }],
      };
      expect(refusal(orderIn('ordered'), samplePayload('CONSOLIDATE'), facts).message).toBe(
        'All active requests must be approved before consolidation (0 of 1 approved)',
      );
    });

    it('refuses consolidation without any active request', () => {
      const facts: OrderFacts = { ...APPROVED_FACTS, activeRequests: [] };
      expect(refusal(orderIn('ordered'), samplePayload('CONSOLIDATE'), facts)).toMatchObject({
        kind: 'PRECONDITION_FAILED',
        message: 'Consolidation needs at least one active request, and the order has none',
      });
    });

    it('accepts consolidation when every active request is approved', () => {
      expect(accept(orderIn('ordered'), samplePayload('CONSOLIDATE')).toState).toBe('consolidated');
    });
  });

  describe('supplierHasContact', () => {
    it.each(['consolidated', 'negotiation.declined', 'planB'] as const)(
      'refuses SEND_TO_SUPPLIER from %s when the supplier has no contact',
      (state) => {
        const facts: OrderFacts = { ...APPROVED_FACTS, supplierContactCount: 0 };
        expect(refusal(orderIn(state), samplePayload('SEND_TO_SUPPLIER'), facts)).toMatchObject({
          kind: 'PRECONDITION_FAILED',
          message: 'The supplier has no contact to email: add a supplier contact before sending the order',
        });
      },
    );

    it('accepts with one contact', () => {
      const facts: OrderFacts = { ...APPROVED_FACTS, supplierContactCount: 1 };
      expect(accept(orderIn('consolidated'), samplePayload('SEND_TO_SUPPLIER'), facts).toState).toBe(
        'negotiation.awaitingSupplier',
      );
    });
  });

  describe('testPlanHasParticipants', () => {
    it.each(['negotiation.agreed', 'planB', 'test.planning'] as const)(
      'refuses a test plan without participants from %s',
      (state) => {
        const emptyPlan = samplePayload('PLAN_TEST', { plan: { ...TEST_PLAN, participantProjectIds: [] } });
        expect(refusal(orderIn(state), emptyPlan)).toMatchObject({
          kind: 'PRECONDITION_FAILED',
          message: 'A test plan must name at least one participating project',
        });
      },
    );
  });

  describe('resultIsForParticipant', () => {
    it('refuses a result for a project outside the test plan', () => {
      const outsider = samplePayload('RECORD_TEST_RESULT', { projectId: 'project-c' });
      expect(refusal(orderIn('test.running'), outsider)).toMatchObject({
        kind: 'PRECONDITION_FAILED',
        message: 'Project project-c does not take part in this test (participants: project-a, project-b)',
      });
    });

    it('lets a participating project record its own result', () => {
      const outcome = applyOrderEvent(
        orderIn('test.running'),
        orderEvent(samplePayload('RECORD_TEST_RESULT', { projectId: 'project-a' }), { actor: projectA }),
      );
      expect(outcome.accepted).toBe(true);
    });
  });

  describe('allTestResultsPassed', () => {
    it('refuses completion while a participant has no result and another failed', () => {
      expect(refusal(orderIn('test.running'), samplePayload('COMPLETE_TEST'))).toMatchObject({
        kind: 'PRECONDITION_FAILED',
        message:
          'Every participating project must have a PASSED test result before the test is complete ' +
          '(missing: project-b; failed: project-a)',
      });
    });

    it('refuses completion before any result is in', () => {
      const justStarted = drive(['START_TEST'], orderIn('test.planning'));
      expect(refusal(justStarted, samplePayload('COMPLETE_TEST')).message).toContain(
        '(missing: project-a, project-b; failed: none)',
      );
    });

    it('accepts completion when every participant passed', () => {
      expect(accept(orderInRunningTestAllPassed(), samplePayload('COMPLETE_TEST')).toState).toBe(
        'test.passed',
      );
    });
  });

  describe('someTestResultFailed', () => {
    it('refuses a fix request when no result failed', () => {
      expect(refusal(orderInRunningTestAllPassed(), samplePayload('REQUEST_FIX'))).toMatchObject({
        kind: 'PRECONDITION_FAILED',
        message: 'A fix can only be requested when at least one test result has FAILED, and none has',
      });
    });

    it('accepts a fix request when a result failed', () => {
      expect(accept(orderIn('test.running'), samplePayload('REQUEST_FIX')).toState).toBe(
        'negotiation.awaitingSupplier',
      );
    });
  });
});

describe('REQUESTS_CHANGED', () => {
  const change = samplePayload('REQUESTS_CHANGED', { requestId: 'request-b', change: 'withdrawn' });

  it('is a no-op while ordered: the next consolidation reads the requests anyway', () => {
    const before = orderIn('ordered');
    const outcome = accept(before, change);
    expect(outcome.toState).toBe('ordered');
    expect(outcome.snapshot.context).toEqual(before.context);
  });

  it('reopens a consolidated order, keeping the specification until the next consolidation replaces it', () => {
    const before = orderIn('consolidated');
    const outcome = accept(before, change);
    expect(outcome.toState).toBe('ordered');
    expect(outcome.snapshot.context.specification).toEqual(before.context.specification);
    expect(outcome.snapshot.context.amendments).toEqual([]);
    expect(accept(outcome.snapshot, samplePayload('CONSOLIDATE')).toState).toBe('consolidated');
  });

  const recordingStates = RESUMABLE_STATES.filter((state) => state !== 'ordered' && state !== 'consolidated');

  it.each(recordingStates)('in %s records an amendment and stays', (state) => {
    const before = orderIn(state);
    const outcome = accept(before, change);
    expect(outcome.toState).toBe(state);
    expect(outcome.snapshot.context).toEqual({
      ...before.context,
      amendments: [{ requestId: 'request-b', change: 'withdrawn', at: AT, previous: null }],
    });
  });

  it('appends amendments in order', () => {
    const twice = drive(
      [
        { type: 'REQUESTS_CHANGED', requestId: 'request-a', change: 'resubmitted' },
        { type: 'REQUESTS_CHANGED', requestId: 'request-c', change: 'submitted' },
      ],
      orderIn('negotiation.awaitingSupplier'),
    );
    expect(twice.context.amendments.map((amendment) => amendment.requestId)).toEqual([
      'request-a',
      'request-c',
    ]);
  });

  it('may be sent by the system', () => {
    const outcome = applyOrderEvent(orderIn('planB'), orderEvent(change, { actor: system }));
    expect(outcome.accepted).toBe(true);
  });

  it.each(['live', 'cancelled'] as const)('is not accepted once %s', (state) => {
    expect(refusal(orderIn(state), change).kind).toBe('NOT_IN_STATE');
  });
});

describe('hold and resume', () => {
  it.each(RESUMABLE_STATES)('resumes exactly in %s with the context intact', (state) => {
    const before = orderIn(state);
    const held = accept(before, samplePayload('PUT_ON_HOLD')).snapshot;
    expect(statePath(held)).toBe('onHold');
    const resumed = accept(held, samplePayload('RESUME'));
    expect(resumed.fromState).toBe('onHold');
    expect(resumed.toState).toBe(state);
    expect(resumed.snapshot.value).toEqual(before.value);
    expect(resumed.snapshot.context).toEqual(before.context);
  });

  it.each(RESUMABLE_STATES)(
    'resumes in %s after the held order went through persist, JSON and restore',
    (state) => {
      const before = orderIn(state);
      const held = accept(before, samplePayload('PUT_ON_HOLD')).snapshot;
      const fromDatabase: unknown = JSON.parse(JSON.stringify(persistOrderSnapshot(held)));
      const restored = restoreOrderSnapshot({
        machineVersion: ORDER_MACHINE_VERSION,
        snapshot: fromDatabase,
      });
      expect(statePath(restored)).toBe('onHold');
      expect(restored.context.holdReason).toBe('Budget review');
      const resumed = accept(restored, samplePayload('RESUME'));
      expect(resumed.toState).toBe(state);
      expect(resumed.snapshot.context).toEqual(before.context);
    },
  );

  it('keeps test results through hold and resume, and the test can still complete', () => {
    const running = drive(
      [samplePayload('RECORD_TEST_RESULT', { projectId: 'project-b' })],
      orderIn('test.running'),
    );
    const resumed = drive(['PUT_ON_HOLD', 'RESUME'], running);
    expect(resumed.context.testResults).toEqual(running.context.testResults);
    const passed = drive(
      [samplePayload('RECORD_TEST_RESULT', { projectId: 'project-a' }), 'COMPLETE_TEST'],
      resumed,
    );
    expect(statePath(passed)).toBe('test.passed');
  });

  it('keeps amendments recorded while on hold', () => {
    const resumed = drive(
      ['PUT_ON_HOLD', 'REQUESTS_CHANGED', 'RESUME'],
      orderIn('negotiation.proposalReceived'),
    );
    expect(statePath(resumed)).toBe('negotiation.proposalReceived');
    expect(resumed.context.amendments).toEqual([
      { requestId: 'request-b', change: 'resubmitted', at: AT, previous: null },
    ]);
    expect(resumed.context.holdReason).toBeNull();
  });

  describe('a request changed while on hold', () => {
    const beforeEngaged = ['ordered', 'consolidated'] as const;
    const engaged = RESUMABLE_STATES.filter((state) => state !== 'ordered' && state !== 'consolidated');

    it.each(beforeEngaged)('held in %s, is remembered, not recorded as an amendment', (state) => {
      const before = drive(['PUT_ON_HOLD'], orderIn(state));
      const outcome = accept(before, samplePayload('REQUESTS_CHANGED'));
      expect(outcome.toState).toBe('onHold');
      expect(outcome.snapshot.context).toEqual({ ...before.context, reopenOnResume: true });
    });

    it.each(beforeEngaged)('held in %s, reopens the order when it resumes', (state) => {
      const before = orderIn(state);
      const resumed = accept(drive(['PUT_ON_HOLD', 'REQUESTS_CHANGED'], before), samplePayload('RESUME'));
      expect(resumed.toState).toBe('ordered');
      // As when a consolidated order is reopened: the specification waits for the next consolidation.
      expect(resumed.snapshot.context).toEqual(before.context);
    });

    it('held in consolidated, must be reviewed and consolidated again before it can be sent', () => {
      const resumed = drive(['PUT_ON_HOLD', 'REQUESTS_CHANGED', 'RESUME'], orderIn('consolidated'));
      expect(refusal(resumed, samplePayload('SEND_TO_SUPPLIER')).kind).toBe('NOT_IN_STATE');
      const blocked: OrderFacts = {
        ...APPROVED_FACTS,
        activeRequests: [
          { id: 'request-a', projectId: 'project-a', status: 'APPROVED' },
          { id: 'request-b', projectId: 'project-b', status: 'SUBMITTED' },
        ],
      };
      expect(refusal(resumed, samplePayload('CONSOLIDATE'), blocked).kind).toBe('PRECONDITION_FAILED');
      const sent = drive(['CONSOLIDATE', 'SEND_TO_SUPPLIER'], resumed);
      expect(statePath(sent)).toBe('negotiation.awaitingSupplier');
    });

    it('held in consolidated, reopens after several changes and a round trip through the database', () => {
      const held = drive(
        [
          'PUT_ON_HOLD',
          { type: 'REQUESTS_CHANGED', requestId: 'request-a', change: 'resubmitted' },
          { type: 'REQUESTS_CHANGED', requestId: 'request-c', change: 'submitted' },
        ],
        orderIn('consolidated'),
      );
      const restored = restoreOrderSnapshot({
        machineVersion: ORDER_MACHINE_VERSION,
        snapshot: JSON.parse(JSON.stringify(persistOrderSnapshot(held))),
      });
      expect(restored.context.reopenOnResume).toBe(true);
      expect(accept(restored, samplePayload('RESUME')).toState).toBe('ordered');
    });

    it('held in consolidated without a change, resumes in consolidated and can be sent', () => {
      const resumed = drive(['PUT_ON_HOLD', 'REVIEW_REQUEST', 'RESUME'], orderIn('consolidated'));
      expect(statePath(resumed)).toBe('consolidated');
      expect(statePath(drive(['SEND_TO_SUPPLIER'], resumed))).toBe('negotiation.awaitingSupplier');
    });

    it('reopens only once: held again later without a change, it resumes where it was', () => {
      const reopened = drive(
        ['PUT_ON_HOLD', 'REQUESTS_CHANGED', 'RESUME', 'CONSOLIDATE'],
        orderIn('consolidated'),
      );
      expect(reopened.context.reopenOnResume).toBe(false);
      expect(statePath(drive(['PUT_ON_HOLD', 'RESUME'], reopened))).toBe('consolidated');
    });

    it.each(engaged)('held in %s, is recorded as an amendment and resumes exactly there', (state) => {
      const before = orderIn(state);
      const held = drive(['PUT_ON_HOLD'], before);
      const changed = accept(held, samplePayload('REQUESTS_CHANGED'));
      expect(changed.snapshot.context).toEqual({
        ...held.context,
        amendments: [{ requestId: 'request-b', change: 'resubmitted', at: AT, previous: null }],
      });
      const resumed = accept(changed.snapshot, samplePayload('RESUME'));
      expect(resumed.toState).toBe(state);
      expect(resumed.snapshot.value).toEqual(before.value);
      expect(resumed.snapshot.context.reopenOnResume).toBe(false);
    });

    it('held after a plan B straight from consolidated, is an amendment: plan B is past consolidation', () => {
      const planB = drive(['CONSOLIDATE', 'START_PLAN_B']);
      const resumed = drive(['PUT_ON_HOLD', 'REQUESTS_CHANGED', 'RESUME'], planB);
      expect(statePath(resumed)).toBe('planB');
      expect(resumed.context.amendments).toHaveLength(1);
    });

    it('still lets the held order be cancelled', () => {
      const held = drive(['PUT_ON_HOLD', 'REQUESTS_CHANGED'], orderIn('consolidated'));
      expect(accept(held, samplePayload('CANCEL')).toState).toBe('cancelled');
    });
  });

  it('remembers the latest place when held a second time', () => {
    const firstResume = drive(
      ['PUT_ON_HOLD', 'RESUME', 'SUPPLIER_PROPOSES'],
      orderIn('negotiation.awaitingSupplier'),
    );
    const secondResume = drive(['PUT_ON_HOLD', 'RESUME'], firstResume);
    expect(statePath(secondResume)).toBe('negotiation.proposalReceived');
  });

  it('accepts neither hold nor resume twice', () => {
    expect(refusal(orderIn('onHold'), samplePayload('PUT_ON_HOLD')).kind).toBe('NOT_IN_STATE');
    expect(refusal(orderIn('ordered'), samplePayload('RESUME')).kind).toBe('NOT_IN_STATE');
  });
});
