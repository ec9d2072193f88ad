import { applyOrderEvent } from './apply.js';
import type { OrderSnapshot } from './order.machine.js';
import { ORDER_EVENT_TYPES, type OrderEventType } from './order-events.js';
import type { Actor, Role } from './roles.js';
import { EVENT_ROLES } from './roles.js';
import {
  admin,
  coordinator,
  drive,
  LATE_CHANGE,
  orderEvent,
  orderIn,
  orderInRunningTestAllPassed,
  projectA,
  projectB,
  samplePayload,
  supplier,
  system,
} from './testing/order-fixtures.js';

// Written out independently of EVENT_ROLES, so a change to the roles must be made in both places on purpose.
const COORDINATION: readonly Role[] = ['coordinator', 'admin'];
const EXPECTED_ROLES: Record<OrderEventType, readonly Role[]> = {
  REQUESTS_CHANGED: ['coordinator', 'admin', 'project', 'system'],
  REVIEW_REQUEST: COORDINATION,
  EXTEND_DEADLINE: COORDINATION,
  REMINDER_SENT: ['system'],
  ESCALATE: ['system'],
  CONSOLIDATE: COORDINATION,
  SEND_TO_SUPPLIER: COORDINATION,
  SUPPLIER_ACCEPTS: ['coordinator', 'admin', 'supplier'],
  SUPPLIER_PROPOSES: ['coordinator', 'admin', 'supplier'],
  SUPPLIER_ASKS: ['coordinator', 'admin', 'supplier'],
  SUPPLIER_DECLINES: ['coordinator', 'admin', 'supplier'],
  SUPPLIER_WROTE: ['supplier'],
  ANSWER_SUPPLIER: COORDINATION,
  ACCEPT_PROPOSAL: COORDINATION,
  COUNTER_PROPOSAL: COORDINATION,
  START_PLAN_B: COORDINATION,
  RESPOND_TO_SCOPE_REDUCTION: ['coordinator', 'admin', 'project'],
  SEND_AMENDMENT: COORDINATION,
  TURN_DOWN_AMENDMENT: COORDINATION,
  PLAN_TEST: COORDINATION,
  START_TEST: COORDINATION,
  RECORD_TEST_RESULT: ['coordinator', 'admin', 'project'],
  COMPLETE_TEST: COORDINATION,
  REQUEST_FIX: COORDINATION,
  GO_LIVE: COORDINATION,
  PUT_ON_HOLD: COORDINATION,
  RESUME: COORDINATION,
  CANCEL: COORDINATION,
};

// A state in which the event is accepted when the role is right, so the only possible refusal is the role.
const WHERE_ACCEPTED: Record<OrderEventType, () => OrderSnapshot> = {
  REQUESTS_CHANGED: () => orderIn('negotiation.awaitingSupplier'),
  REVIEW_REQUEST: () => orderIn('ordered'),
  EXTEND_DEADLINE: () => orderIn('negotiation.awaitingSupplier'),
  REMINDER_SENT: () => orderIn('negotiation.awaitingSupplier'),
  ESCALATE: () => orderIn('negotiation.awaitingSupplier'),
  CONSOLIDATE: () => orderIn('ordered'),
  SEND_TO_SUPPLIER: () => orderIn('consolidated'),
  SUPPLIER_ACCEPTS: () => orderIn('negotiation.awaitingSupplier'),
  SUPPLIER_PROPOSES: () => orderIn('negotiation.awaitingSupplier'),
  SUPPLIER_ASKS: () => orderIn('negotiation.awaitingSupplier'),
  SUPPLIER_DECLINES: () => orderIn('negotiation.awaitingSupplier'),
  SUPPLIER_WROTE: () => orderIn('negotiation.awaitingSupplier'),
  ANSWER_SUPPLIER: () => orderIn('negotiation.clarification'),
  ACCEPT_PROPOSAL: () => orderIn('negotiation.proposalReceived'),
  COUNTER_PROPOSAL: () => orderIn('negotiation.proposalReceived'),
  START_PLAN_B: () => orderIn('consolidated'),
  RESPOND_TO_SCOPE_REDUCTION: () => orderIn('scopeAcknowledgement'),
  SEND_AMENDMENT: () => drive([LATE_CHANGE], orderIn('negotiation.agreed')),
  TURN_DOWN_AMENDMENT: () => drive([LATE_CHANGE], orderIn('negotiation.agreed')),
  PLAN_TEST: () => orderIn('negotiation.agreed'),
  START_TEST: () => orderIn('test.planning'),
  RECORD_TEST_RESULT: () => orderIn('test.running'),
  COMPLETE_TEST: orderInRunningTestAllPassed,
  REQUEST_FIX: () => orderIn('test.running'),
  GO_LIVE: () => orderIn('test.passed'),
  PUT_ON_HOLD: () => orderIn('ordered'),
  RESUME: () => orderIn('onHold'),
  CANCEL: () => orderIn('ordered'),
};

// projectA belongs to project-a, the project the sample RECORD_TEST_RESULT is for.
const ACTOR_OF_ROLE: Record<Role, Actor> = { coordinator, admin, supplier, system, project: projectA };

const ALL_ROLES: readonly Role[] = ['coordinator', 'admin', 'project', 'supplier', 'system'];

describe('role rules', () => {
  it('EVENT_ROLES lists every event type', () => {
    expect(Object.keys(EVENT_ROLES).sort()).toEqual([...ORDER_EVENT_TYPES].sort());
  });

  it.each(ORDER_EVENT_TYPES)('EVENT_ROLES for %s matches the agreed rules', (type) => {
    expect([...EVENT_ROLES[type]].sort()).toEqual([...EXPECTED_ROLES[type]].sort());
  });

  it('lets an admin do everything a coordinator may', () => {
    for (const type of ORDER_EVENT_TYPES) {
      if (EVENT_ROLES[type].includes('coordinator')) expect(EVENT_ROLES[type]).toContain('admin');
    }
  });

  const matrix = ORDER_EVENT_TYPES.flatMap((type) =>
    ALL_ROLES.map((role) => ({ type, role, allowed: EXPECTED_ROLES[type].includes(role) })),
  );

  it.each(matrix)('$role sending $type: allowed = $allowed', ({ type, role, allowed }) => {
    const outcome = applyOrderEvent(
      WHERE_ACCEPTED[type](),
      orderEvent(samplePayload(type), { actor: ACTOR_OF_ROLE[role] }),
    );
    if (allowed) {
      expect(outcome.accepted ? 'ACCEPTED' : `${outcome.kind}: ${outcome.message}`).toBe('ACCEPTED');
    } else {
      expect(outcome).toMatchObject({ accepted: false, kind: 'ROLE_FORBIDDEN' });
      expect(outcome.accepted || outcome.message).toMatch(
        new RegExp(`^The role ${role} may not send ${type} \\(allowed: `),
      );
    }
  });

  it('names the allowed roles in the refusal', () => {
    const outcome = applyOrderEvent(
      orderIn('ordered'),
      orderEvent(samplePayload('CONSOLIDATE'), { actor: supplier }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      kind: 'ROLE_FORBIDDEN',
      message: 'The role supplier may not send CONSOLIDATE (allowed: coordinator, admin)',
    });
  });

  it('checks the state before the role: a forbidden role in the wrong state is NOT_IN_STATE', () => {
    const outcome = applyOrderEvent(
      orderIn('ordered'),
      orderEvent(samplePayload('GO_LIVE'), { actor: supplier }),
    );
    expect(outcome).toMatchObject({ accepted: false, kind: 'NOT_IN_STATE' });
  });

  it('checks the role before preconditions', () => {
    const outcome = applyOrderEvent(
      orderIn('ordered'),
      orderEvent(samplePayload('CONSOLIDATE'), {
        actor: projectA,
        facts: { activeRequests: [], supplierContactCount: 0 },
      }),
    );
    expect(outcome).toMatchObject({ accepted: false, kind: 'ROLE_FORBIDDEN' });
  });
});

describe('a project recording test results', () => {
  it('may not record for another project', () => {
    const outcome = applyOrderEvent(
      orderIn('test.running'),
      orderEvent(samplePayload('RECORD_TEST_RESULT', { projectId: 'project-a' }), { actor: projectB }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      kind: 'ROLE_FORBIDDEN',
      message:
        'A project may record test results only for itself (user of project project-b, result for project project-a)',
    });
  });

  it('may not record without belonging to a project', () => {
    const unbound: Actor = { id: 'user-x', role: 'project', projectId: null };
    const outcome = applyOrderEvent(
      orderIn('test.running'),
      orderEvent(samplePayload('RECORD_TEST_RESULT'), { actor: unbound }),
    );
    expect(outcome).toMatchObject({ accepted: false, kind: 'ROLE_FORBIDDEN' });
    expect(outcome.accepted || outcome.message).toContain('must belong to a project');
  });

  it('records its own result', () => {
    const outcome = applyOrderEvent(
      orderIn('test.running'),
      orderEvent(samplePayload('RECORD_TEST_RESULT', { projectId: 'project-b', outcome: 'PASSED' }), {
        actor: projectB,
      }),
    );
    expect(outcome.accepted && outcome.snapshot.context.testResults['project-b']?.outcome).toBe('PASSED');
  });

  it('binds only project users: a coordinator records for any participant', () => {
    const outcome = applyOrderEvent(
      orderIn('test.running'),
      orderEvent(samplePayload('RECORD_TEST_RESULT', { projectId: 'project-b' }), { actor: coordinator }),
    );
    expect(outcome.accepted).toBe(true);
  });
});

describe('a project answering a reduced scope', () => {
  it('may not answer for another project', () => {
    const outcome = applyOrderEvent(
      orderIn('scopeAcknowledgement'),
      orderEvent(samplePayload('RESPOND_TO_SCOPE_REDUCTION', { projectId: 'project-a' }), {
        actor: projectB,
      }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      kind: 'ROLE_FORBIDDEN',
      message:
        'A project may answer a reduced scope only for itself (user of project project-b, answer for project project-a)',
    });
  });

  it('answers for itself', () => {
    const outcome = applyOrderEvent(
      orderIn('scopeAcknowledgement'),
      orderEvent(samplePayload('RESPOND_TO_SCOPE_REDUCTION', { projectId: 'project-b' }), {
        actor: projectB,
      }),
    );
    expect(
      outcome.accepted && outcome.snapshot.context.scopeReduction?.responses['project-b']?.response,
    ).toBe('ACKNOWLEDGED');
  });
});
