import { allowedEventTypes, applyOrderEvent } from './apply.js';
import type { OrderSnapshot } from './order.machine.js';
import type { OrderEventPayload } from './order-events.js';
import type { Actor } from './roles.js';
import { ballInCourt, statePath } from './snapshot-queries.js';
import {
  APPROVED_FACTS,
  AT,
  coordinator,
  drive,
  LATE_CHANGE,
  orderEvent,
  orderIn,
  projectA,
  projectB,
  projectC,
  REDUCED_SCOPE_PLAN_B,
  samplePayload,
} from './testing/order-fixtures.js';

function accept(snapshot: OrderSnapshot, payload: OrderEventPayload, actor: Actor = coordinator) {
  const outcome = applyOrderEvent(snapshot, orderEvent(payload, { actor }));
  if (!outcome.accepted) throw new Error(`${payload.type} refused: ${outcome.message}`);
  return outcome;
}

function refuse(snapshot: OrderSnapshot, payload: OrderEventPayload, actor: Actor = coordinator) {
  const outcome = applyOrderEvent(snapshot, orderEvent(payload, { actor }));
  if (outcome.accepted) throw new Error(`${payload.type} was accepted in ${statePath(snapshot)}`);
  return outcome;
}

const respond = (
  projectId: string,
  response: 'ACKNOWLEDGED' | 'OBJECTED' = 'ACKNOWLEDGED',
  comment: string | null = null,
): OrderEventPayload<'RESPOND_TO_SCOPE_REDUCTION'> => ({
  type: 'RESPOND_TO_SCOPE_REDUCTION',
  projectId,
  response,
  comment,
});

describe('a plan B with a reduced scope', () => {
  const declined = () => orderIn('negotiation.declined');

  it('drops the elements from the specification and waits for the projects that lose one', () => {
    const outcome = accept(declined(), REDUCED_SCOPE_PLAN_B);
    expect(outcome.toState).toBe('scopeAcknowledgement');
    expect(ballInCourt(outcome.snapshot)).toBe('PROJECT');
    const context = outcome.snapshot.context;
    expect(context.specification?.dataElements).toEqual(['cpr']);
    expect(context.scopeReduction).toEqual({
      droppedDataElements: ['address'],
      projectIds: ['project-a', 'project-b'],
      responses: {},
      at: AT,
    });
    expect(context.droppedDataElements).toEqual(['address']);
    expect(context.planB).toMatchObject({
      kind: 'REDUCED_SCOPE',
      description: 'Deliver without the address',
    });
  });

  it('goes straight to plan B when no project asked for a dropped element', () => {
    const outcome = accept(declined(), {
      ...REDUCED_SCOPE_PLAN_B,
      scopeReduction: { droppedDataElements: ['address'], projectIds: [] },
    });
    expect(outcome.toState).toBe('planB');
    expect(outcome.snapshot.context.specification?.dataElements).toEqual(['cpr']);
    expect(outcome.snapshot.context.scopeReduction?.projectIds).toEqual([]);
  });

  it('changes nothing in the specification for another kind of plan B', () => {
    const outcome = accept(declined(), {
      ...REDUCED_SCOPE_PLAN_B,
      kind: 'OTHER_SOURCE',
    });
    expect(outcome.toState).toBe('planB');
    expect(outcome.snapshot.context.specification?.dataElements).toEqual(['cpr', 'address']);
    expect(outcome.snapshot.context.scopeReduction).toBeNull();
  });

  it('cannot go to test, or to the supplier, before every project has answered', () => {
    const waiting = orderIn('scopeAcknowledgement');
    expect(refuse(waiting, samplePayload('PLAN_TEST')).kind).toBe('NOT_IN_STATE');
    expect(refuse(waiting, samplePayload('SEND_TO_SUPPLIER')).kind).toBe('NOT_IN_STATE');
    expect(allowedEventTypes(waiting, coordinator, APPROVED_FACTS)).not.toContain('PLAN_TEST');
  });

  it('keeps waiting after the first answer and goes to plan B with the last one', () => {
    const first = accept(orderIn('scopeAcknowledgement'), respond('project-a'), projectA);
    expect(first.toState).toBe('scopeAcknowledgement');
    expect(first.snapshot.context.scopeReduction?.responses).toEqual({
      'project-a': { response: 'ACKNOWLEDGED', comment: null, at: AT },
    });
    const last = accept(
      first.snapshot,
      respond('project-b', 'OBJECTED', '  We need the address  '),
      projectB,
    );
    expect(last.toState).toBe('planB');
    expect(ballInCourt(last.snapshot)).toBe('COORDINATORS');
    expect(last.snapshot.context.scopeReduction?.responses['project-b']).toEqual({
      response: 'OBJECTED',
      comment: 'We need the address',
      at: AT,
    });
    // An objection is an answer: the coordinators decide what to do with it, in plan B.
    expect(accept(last.snapshot, samplePayload('PLAN_TEST')).toState).toBe('test.planning');
  });

  it('refuses an objection without a comment', () => {
    const outcome = refuse(orderIn('scopeAcknowledgement'), respond('project-a', 'OBJECTED', ' '), projectA);
    expect(outcome).toMatchObject({
      kind: 'PRECONDITION_FAILED',
      message: 'An objection to a reduced scope needs a comment saying why',
    });
  });

  it('refuses a second answer from the same project', () => {
    const once = accept(orderIn('scopeAcknowledgement'), respond('project-a'), projectA).snapshot;
    expect(refuse(once, respond('project-a', 'OBJECTED', 'changed our mind'), projectA)).toMatchObject({
      kind: 'PRECONDITION_FAILED',
      message: 'Project project-a has already answered the reduced scope',
    });
  });

  it('refuses an answer from a project that lost nothing', () => {
    expect(refuse(orderIn('scopeAcknowledgement'), respond('project-c'), projectC)).toMatchObject({
      kind: 'PRECONDITION_FAILED',
      message: 'Project project-c is not asked to answer the reduced scope (asked: project-a, project-b)',
    });
  });

  it('offers the answer to a project only while its own answer is outstanding', () => {
    const waiting = orderIn('scopeAcknowledgement');
    expect(allowedEventTypes(waiting, projectA, APPROVED_FACTS)).toContain('RESPOND_TO_SCOPE_REDUCTION');
    expect(allowedEventTypes(waiting, projectC, APPROVED_FACTS)).not.toContain('RESPOND_TO_SCOPE_REDUCTION');
    const answered = accept(waiting, respond('project-a'), projectA).snapshot;
    expect(allowedEventTypes(answered, projectA, APPROVED_FACTS)).not.toContain('RESPOND_TO_SCOPE_REDUCTION');
    expect(allowedEventTypes(answered, coordinator, APPROVED_FACTS)).toContain('RESPOND_TO_SCOPE_REDUCTION');
  });

  it('resumes in the wait for answers after a hold, answers kept', () => {
    const answered = accept(orderIn('scopeAcknowledgement'), respond('project-a'), projectA).snapshot;
    const resumed = drive(['PUT_ON_HOLD', 'RESUME'], answered);
    expect(statePath(resumed)).toBe('scopeAcknowledgement');
    expect(Object.keys(resumed.context.scopeReduction?.responses ?? {})).toEqual(['project-a']);
  });
});

describe('amendments after the supplier is engaged', () => {
  const agreedWithChange = () => drive([LATE_CHANGE], orderIn('negotiation.agreed'));

  it('records what the request was, so turning the change down can restore it', () => {
    expect(agreedWithChange().context.amendments).toEqual([
      {
        requestId: 'request-b',
        change: 'resubmitted',
        at: AT,
        previous: { dataElements: ['address'], needBy: '2025-09-01' },
      },
    ]);
  });

  it('sends the amended specification as a new round from a clean table', () => {
    const before = agreedWithChange();
    const outcome = accept(before, samplePayload('SEND_AMENDMENT'));
    expect(outcome.fromState).toBe('negotiation.agreed');
    expect(outcome.toState).toBe('negotiation.awaitingSupplier');
    const context = outcome.snapshot.context;
    expect(context.specification?.dataElements).toEqual(['cpr', 'address', 'email']);
    expect(context.amendments).toEqual([]);
    expect(context.agreedTerms).toBeNull();
    expect(context.proposal).toBeNull();
    expect(context.negotiation).toEqual({
      round: (before.context.negotiation?.round ?? 0) + 1,
      supplierId: 'supplier-kmd',
      recipientContactIds: ['contact-1'],
      replyBy: '2025-04-01',
      change: { added: ['email'], removed: [], needBy: { from: '2025-09-01', to: '2025-08-15' } },
    });
  });

  it('forgets the change once the next round is an ordinary one', () => {
    const amended = accept(agreedWithChange(), samplePayload('SEND_AMENDMENT')).snapshot;
    const asked = drive(['SUPPLIER_ASKS', 'ANSWER_SUPPLIER'], amended);
    expect(asked.context.negotiation?.change).toBeNull();
  });

  it.each([
    'negotiation.awaitingSupplier',
    'negotiation.proposalReceived',
    'planB',
    'test.planning',
    'test.running',
    'test.passed',
  ] as const)('sends an amendment from %s back to the supplier', (state) => {
    const outcome = accept(drive([LATE_CHANGE], orderIn(state)), samplePayload('SEND_AMENDMENT'));
    expect(outcome.toState).toBe('negotiation.awaitingSupplier');
  });

  it('refuses to send when no request has changed', () => {
    expect(refuse(orderIn('negotiation.agreed'), samplePayload('SEND_AMENDMENT'))).toMatchObject({
      kind: 'PRECONDITION_FAILED',
      message:
        'No request has changed since the specification went to the supplier: there is no amendment to send',
    });
  });

  it('refuses to send while a changed request still waits for its quality review', () => {
    const outcome = applyOrderEvent(
      agreedWithChange(),
      orderEvent(samplePayload('SEND_AMENDMENT'), {
        facts: {
          ...APPROVED_FACTS,
          activeRequests: [
            { id: 'request-a', projectId: 'project-a', status: 'APPROVED' },
            { id: 'request-b', projectId: 'project-b', status: 'SUBMITTED' },
          ],
        },
      }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      kind: 'PRECONDITION_FAILED',
      message:
        'All active requests must be approved before an amended specification is sent (1 of 2 approved)',
    });
  });

  it('refuses to send to a supplier with nobody to email', () => {
    const outcome = applyOrderEvent(
      agreedWithChange(),
      orderEvent(samplePayload('SEND_AMENDMENT'), { facts: { ...APPROVED_FACTS, supplierContactCount: 0 } }),
    );
    expect(outcome).toMatchObject({ accepted: false, kind: 'PRECONDITION_FAILED' });
  });

  it('is not possible before the supplier is engaged or while projects answer a reduced scope', () => {
    expect(refuse(orderIn('consolidated'), samplePayload('SEND_AMENDMENT')).kind).toBe('NOT_IN_STATE');
    expect(refuse(orderIn('scopeAcknowledgement'), samplePayload('SEND_AMENDMENT')).kind).toBe(
      'NOT_IN_STATE',
    );
  });

  it("turns down one request's change and leaves the order where it was", () => {
    const twoChanges = drive(
      [{ type: 'REQUESTS_CHANGED', requestId: 'request-a', change: 'withdrawn' }, LATE_CHANGE, LATE_CHANGE],
      orderIn('negotiation.agreed'),
    );
    const outcome = accept(twoChanges, samplePayload('TURN_DOWN_AMENDMENT'));
    expect(outcome.toState).toBe('negotiation.agreed');
    expect(outcome.snapshot.context.amendments.map((amendment) => amendment.requestId)).toEqual([
      'request-a',
    ]);
    expect(outcome.snapshot.context.agreedTerms).toEqual(twoChanges.context.agreedTerms);
  });

  it('refuses to turn down a request without a pending change', () => {
    expect(refuse(orderIn('negotiation.agreed'), samplePayload('TURN_DOWN_AMENDMENT'))).toMatchObject({
      kind: 'PRECONDITION_FAILED',
      message: 'Request request-b has no change waiting for a decision (pending: none)',
    });
  });
});
