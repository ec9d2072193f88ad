import { ORDER_EVENT_TYPES } from '@snitflow/lifecycle';
import { type ConsequenceInput, consequencePlan, consequencesOf } from './consequences.js';

const AWAITING = 'negotiation.awaitingSupplier';

function kinds(change: Partial<ConsequenceInput> & Pick<ConsequenceInput, 'event'>): string[] {
  return consequencesOf({ fromState: 'x', toState: 'x', actorRole: 'coordinator', ...change }).map((c) =>
    c.kind === 'ASK_SUPPLIER' ? `${c.kind}:${c.template}:${c.recipients}` : c.kind,
  );
}

describe('the consequences table', () => {
  it('a send plans the new deadline, keeps the links alive and asks the recipients the event names', () => {
    expect(
      kinds({ event: { type: 'SEND_TO_SUPPLIER' }, fromState: 'consolidated', toState: AWAITING }),
    ).toEqual(['PLAN_DEADLINE', 'EXTEND_LINKS', 'ASK_SUPPLIER:SUPPLIER_ORDER:EVENT', 'NOTIFY_PROJECTS']);
  });

  it("the supplier's own answer retires the round's links and tells the coordinators; one recorded by a coordinator does not tell them", () => {
    const answer = {
      event: { type: 'SUPPLIER_DECLINES' as const },
      fromState: AWAITING,
      toState: 'negotiation.declined',
    };
    expect(kinds({ ...answer, actorRole: 'supplier' })).toEqual([
      'PLAN_DEADLINE',
      'RETIRE_LINKS',
      'TELL_COORDINATORS_SUPPLIER_REPLIED',
      'NOTIFY_PROJECTS',
    ]);
    expect(kinds(answer)).toEqual(['PLAN_DEADLINE', 'RETIRE_LINKS', 'NOTIFY_PROJECTS']);
  });

  it("the supplier's email moves the ball to the coordinators: a deadline for them, the round's links retired, a notice", () => {
    expect(
      kinds({
        event: { type: 'SUPPLIER_WROTE' },
        fromState: AWAITING,
        toState: 'negotiation.supplierWrote',
        actorRole: 'supplier',
      }),
    ).toEqual(['PLAN_DEADLINE', 'RETIRE_LINKS', 'TELL_COORDINATORS_SUPPLIER_WROTE', 'NOTIFY_PROJECTS']);
    // A further email of the same round plans nothing new, but is told too.
    expect(
      kinds({
        event: { type: 'SUPPLIER_WROTE' },
        fromState: 'negotiation.supplierWrote',
        toState: 'negotiation.supplierWrote',
        actorRole: 'supplier',
      }),
    ).toEqual(['TELL_COORDINATORS_SUPPLIER_WROTE', 'NOTIFY_PROJECTS']);
  });

  it("a project's objection to a reduced scope is mailed to the coordinators; an acknowledgement is not", () => {
    const scope = {
      fromState: 'scopeAcknowledgement',
      toState: 'scopeAcknowledgement',
      actorRole: 'project' as const,
    };
    expect(kinds({ ...scope, event: { type: 'RESPOND_TO_SCOPE_REDUCTION', response: 'OBJECTED' } })).toEqual([
      'TELL_COORDINATORS_SCOPE_OBJECTION',
      'NOTIFY_PROJECTS',
    ]);
    expect(
      kinds({ ...scope, event: { type: 'RESPOND_TO_SCOPE_REDUCTION', response: 'ACKNOWLEDGED' } }),
    ).toEqual(['NOTIFY_PROJECTS']);
  });

  it('a hold keeps the links (the resume brings them back); the resume restores the deadline', () => {
    const hold = kinds({ event: { type: 'PUT_ON_HOLD' }, fromState: AWAITING, toState: 'onHold' });
    expect(hold).not.toContain('RETIRE_LINKS');
    // What was in force is kept before the hold's own (empty) deadline replaces it.
    expect(hold.indexOf('KEEP_DEADLINE_ON_HOLD')).toBeLessThan(hold.indexOf('PLAN_DEADLINE'));
    expect(kinds({ event: { type: 'RESUME' }, fromState: 'onHold', toState: AWAITING })).toEqual([
      'RESTORE_DEADLINE',
      'EXTEND_LINKS',
      'NOTIFY_PROJECTS',
    ]);
  });

  it('an event that stays in its state plans nothing (a test result), unless it is an extension', () => {
    expect(kinds({ event: { type: 'RECORD_TEST_RESULT' } })).toEqual(['NOTIFY_PROJECTS']);
    expect(kinds({ event: { type: 'EXTEND_DEADLINE' } })).toEqual(['MOVE_DEADLINE', 'NOTIFY_PROJECTS']);
  });

  it('the worker’s reminder and escalation each have their one consequence', () => {
    expect(kinds({ event: { type: 'REMINDER_SENT' }, actorRole: 'system' })).toEqual([
      'SEND_REMINDER',
      'NOTIFY_PROJECTS',
    ]);
    expect(kinds({ event: { type: 'ESCALATE' }, actorRole: 'system' })).toEqual([
      'ESCALATE',
      'NOTIFY_PROJECTS',
    ]);
  });

  it('new rounds with the supplier go to the round’s recipients', () => {
    for (const [type, template] of [
      ['ANSWER_SUPPLIER', 'SUPPLIER_ANSWER'],
      ['COUNTER_PROPOSAL', 'SUPPLIER_COUNTER_PROPOSAL'],
      ['REQUEST_FIX', 'SUPPLIER_ORDER'],
    ] as const) {
      expect(kinds({ event: { type }, fromState: 'y', toState: AWAITING })).toContain(
        `ASK_SUPPLIER:${template}:ROUND`,
      );
    }
  });

  it('an amended specification asks the recipients the event names, and replans even when the supplier was already asked', () => {
    expect(
      kinds({ event: { type: 'SEND_AMENDMENT' }, fromState: 'negotiation.agreed', toState: AWAITING }),
    ).toEqual(['PLAN_DEADLINE', 'EXTEND_LINKS', 'ASK_SUPPLIER:SUPPLIER_ORDER:EVENT', 'NOTIFY_PROJECTS']);
    expect(kinds({ event: { type: 'SEND_AMENDMENT' }, fromState: AWAITING, toState: AWAITING })).toEqual([
      'PLAN_DEADLINE',
      'EXTEND_LINKS',
      'ASK_SUPPLIER:SUPPLIER_ORDER:EVENT',
      'NOTIFY_PROJECTS',
    ]);
  });
});

describe('the consequences of several transitions committed together', () => {
  it('name, for each transition, exactly its own consequences in table order', () => {
    const states = ['ordered', AWAITING, 'negotiation.supplierWrote', 'onHold', 'test.running'];
    const changes: ConsequenceInput[] = ORDER_EVENT_TYPES.flatMap((type, index) =>
      states.map((toState, k) => ({
        event: { type },
        fromState: states[(index + k) % states.length] ?? 'ordered',
        toState,
        actorRole: index % 3 === 0 ? ('supplier' as const) : ('coordinator' as const),
      })),
    );
    const plan = consequencePlan(changes);
    for (const [index, change] of changes.entries()) {
      const own = plan.filter((step) => step.changes.includes(index)).map((step) => step.consequence);
      expect(own).toEqual(consequencesOf(change));
    }
    // Every step is used by some transition: no empty steps.
    expect(plan.every((step) => step.changes.length > 0)).toBe(true);
  });
});
