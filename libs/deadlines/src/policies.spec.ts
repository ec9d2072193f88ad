import { BusinessCalendar } from '@snitflow/calendar';
import {
  assertValidPolicy,
  DEADLINE_STATES,
  DEFAULT_DEADLINE_POLICIES,
  DeadlinePolicyError,
  deadlineFor,
  parseDeadlinePolicies,
  reminderSchedule,
  STATES_WITHOUT_DEADLINE,
  type StateDeadlinePolicy,
} from '@snitflow/deadlines';
import { orderMachine } from '@snitflow/lifecycle';
import { defaultPolicy, policyWith } from './testing/support.js';

interface StateNodeLike {
  type: string;
  path: readonly string[];
  states: Record<string, StateNodeLike>;
}

/** Leaf state paths of the real order machine, spelt as statePath spells them (no `active.`). */
function machineLeafPaths(node: StateNodeLike): string[] {
  return Object.values(node.states).flatMap((child) => {
    if (child.type === 'atomic' || child.type === 'final') {
      const [first, ...rest] = child.path;
      return [first === 'active' ? rest.join('.') : child.path.join('.')];
    }
    return machineLeafPaths(child);
  });
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof DeadlinePolicyError) return error.problems;
    throw error;
  }
  throw new Error('expected a DeadlinePolicyError');
}

describe('DEFAULT_DEADLINE_POLICIES', () => {
  it('covers every waiting state of the order machine and no state without a deadline', () => {
    const leaves = machineLeafPaths(orderMachine.root).sort();
    expect(leaves).toEqual([...DEADLINE_STATES, ...STATES_WITHOUT_DEADLINE].sort());
    expect(Object.keys(DEFAULT_DEADLINE_POLICIES).sort()).toEqual([...DEADLINE_STATES].sort());
    for (const state of STATES_WITHOUT_DEADLINE) {
      expect(DEFAULT_DEADLINE_POLICIES[state]).toBeUndefined();
    }
  });

  it('is valid, each entry keyed by its own state', () => {
    for (const [state, policy] of Object.entries(DEFAULT_DEADLINE_POLICIES)) {
      expect(policy.state).toBe(state);
      expect(() => assertValidPolicy(policy)).not.toThrow();
    }
    expect(parseDeadlinePolicies(undefined)).toEqual(DEFAULT_DEADLINE_POLICIES);
  });

  it('has the agreed deadlines and recipients', () => {
    const summary = Object.fromEntries(
      Object.values(DEFAULT_DEADLINE_POLICIES).map((p) => [p.state, `${p.businessDays} ${p.remind}`]),
    );
    expect(summary).toEqual({
      ordered: '10 COORDINATORS',
      consolidated: '5 COORDINATORS',
      'negotiation.awaitingSupplier': '10 SUPPLIER',
      'negotiation.clarification': '3 COORDINATORS',
      'negotiation.proposalReceived': '5 COORDINATORS',
      'negotiation.supplierWrote': '3 COORDINATORS',
      'negotiation.declined': '5 COORDINATORS',
      'negotiation.agreed': '10 COORDINATORS',
      planB: '15 COORDINATORS',
      scopeAcknowledgement: '10 PROJECT',
      'test.planning': '10 COORDINATORS',
      'test.running': '15 PROJECT',
      'test.passed': '10 COORDINATORS',
    });
    expect(defaultPolicy('negotiation.awaitingSupplier').reminders).toEqual({
      beforeDueBusinessDays: [2],
      onDue: true,
      repeatEveryBusinessDays: 3,
      escalateAfterOverdueReminders: 2,
    });
  });

  it('places every default before-due reminder after the day the state is entered', () => {
    for (const policy of Object.values(DEFAULT_DEADLINE_POLICIES)) {
      expect(Math.max(...policy.reminders.beforeDueBusinessDays)).toBeLessThan(policy.businessDays);
    }
  });

  it('is deeply frozen, so no caller can change everyone else’s defaults', () => {
    const policy = defaultPolicy('ordered');
    expect(() => {
      policy.businessDays = 1;
    }).toThrow(TypeError);
    expect(() => {
      policy.reminders.beforeDueBusinessDays.push(7);
    }).toThrow(TypeError);
    expect(defaultPolicy('ordered').businessDays).toBe(10);
  });
});

describe('parseDeadlinePolicies', () => {
  it('merges a partial override over the defaults, leaving everything else untouched', () => {
    const policies = parseDeadlinePolicies({ 'negotiation.awaitingSupplier': { businessDays: 2 } });
    expect(policies['negotiation.awaitingSupplier']).toEqual({
      ...defaultPolicy('negotiation.awaitingSupplier'),
      businessDays: 2,
    });
    for (const state of DEADLINE_STATES) {
      if (state !== 'negotiation.awaitingSupplier') {
        expect(policies[state]).toEqual(DEFAULT_DEADLINE_POLICIES[state]);
      }
    }
  });

  it('merges reminder settings field by field and replaces the before-due list as a whole', () => {
    const policies = parseDeadlinePolicies({
      planB: {
        remind: 'PROJECT',
        reminders: { beforeDueBusinessDays: [1], escalateAfterOverdueReminders: 0 },
      },
      'test.running': { reminders: { onDue: false } },
    });
    expect(policies.planB).toEqual({
      state: 'planB',
      businessDays: 15,
      remind: 'PROJECT',
      reminders: {
        beforeDueBusinessDays: [1],
        onDue: true,
        repeatEveryBusinessDays: 3,
        escalateAfterOverdueReminders: 0,
      },
    });
    expect(policies['test.running']?.reminders).toEqual({
      ...defaultPolicy('test.running').reminders,
      onDue: false,
    });
  });

  it('accepts the configuration as JSON text, and an explicit matching state', () => {
    const policies = parseDeadlinePolicies(
      '{"ordered": {"state": "ordered", "businessDays": 7}, "consolidated": {}}',
    );
    expect(policies.ordered?.businessDays).toBe(7);
    expect(policies.consolidated).toEqual(DEFAULT_DEADLINE_POLICIES.consolidated);
  });

  it('returns a fresh frozen object, never the defaults themselves', () => {
    const policies = parseDeadlinePolicies({});
    expect(policies).toEqual(DEFAULT_DEADLINE_POLICIES);
    expect(policies).not.toBe(DEFAULT_DEADLINE_POLICIES);
    expect(policies.ordered).not.toBe(DEFAULT_DEADLINE_POLICIES.ordered);
    expect(Object.isFrozen(policies.ordered?.reminders.beforeDueBusinessDays)).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      parseDeadlinePolicies({
        'negotiation.waiting': { businessDays: 3 },
        live: { businessDays: 3 },
        ordered: { state: 'consolidated' },
        'negotiation.awaitingSupplier': {
          businessDays: 0,
          remind: 'BOB',
          bussinessDays: 4,
          reminders: {
            beforeDueBusinessDays: [2, 2, -1],
            onDue: 'yes',
            repeatEveryBusinessDays: 1.5,
            escalateAfterOverdueReminders: 51,
          },
        },
        planB: { businessDays: '10' },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^negotiation\.waiting: unknown state \(known: ordered, consolidated, /),
        'live: this state has no deadline and cannot be given one',
        "ordered: state: must be 'ordered' (the key it is listed under), got 'consolidated'",
        'negotiation.awaitingSupplier: businessDays: must be at least 1',
        "negotiation.awaitingSupplier: remind: must be 'SUPPLIER', 'COORDINATORS' or 'PROJECT'",
        expect.stringMatching(/^negotiation\.awaitingSupplier: .*bussinessDays/),
        'negotiation.awaitingSupplier: reminders.beforeDueBusinessDays.2: must be at least 1',
        'negotiation.awaitingSupplier: reminders.beforeDueBusinessDays: must not list the same number of business days twice',
        'negotiation.awaitingSupplier: reminders.onDue: must be true or false',
        'negotiation.awaitingSupplier: reminders.repeatEveryBusinessDays: must be a whole number of business days',
        'negotiation.awaitingSupplier: reminders.escalateAfterOverdueReminders: must be at most 50',
        'planB: businessDays: must be a number',
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('puts every problem into the error message too', () => {
    expect(() => parseDeadlinePolicies({ cancelled: {}, onHold: {} })).toThrow(
      /cancelled: this state has no deadline[\s\S]*onHold: this state has no deadline/,
    );
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a number', 42],
  ])('rejects %s as the whole configuration', (_name, input) => {
    expect(problemsOf(() => parseDeadlinePolicies(input))).toEqual([
      'deadline policies must be an object keyed by state path',
    ]);
  });

  it('rejects JSON text that does not parse', () => {
    expect(problemsOf(() => parseDeadlinePolicies('{ordered:'))).toEqual([
      expect.stringMatching(/^deadline policies are not valid JSON: /),
    ]);
  });

  it('rejects a state entry that is not an object', () => {
    expect(problemsOf(() => parseDeadlinePolicies({ ordered: 10 }))).toHaveLength(1);
  });

  it('accepts a before-due reminder beyond a shortened deadline (the schedule drops it instead)', () => {
    const policies = parseDeadlinePolicies({ 'negotiation.awaitingSupplier': { businessDays: 1 } });
    expect(policies['negotiation.awaitingSupplier']?.reminders.beforeDueBusinessDays).toEqual([2]);
  });
});

describe('hand-built policies', () => {
  const calendar = new BusinessCalendar();
  const enteredAt = new Date('2026-12-18T10:00:00+01:00');

  it('are validated by the computing functions too', () => {
    const unbounded = policyWith('ordered', { reminders: { escalateAfterOverdueReminders: 1e9 } });
    expect(() => reminderSchedule(enteredAt, unbounded, calendar)).toThrow(DeadlinePolicyError);
    const zeroRepeat = policyWith('ordered', { reminders: { repeatEveryBusinessDays: 0 } });
    expect(() => reminderSchedule(enteredAt, zeroRepeat, calendar)).toThrow(
      'ordered: reminders.repeatEveryBusinessDays: must be at least 1',
    );
    const fractional = policyWith('ordered', { businessDays: 2.5 });
    expect(() => deadlineFor(enteredAt, fractional, calendar)).toThrow(DeadlinePolicyError);
  });

  it('reject unknown fields and missing ones', () => {
    const extra = { ...defaultPolicy('ordered'), note: 'x' } as StateDeadlinePolicy;
    expect(() => assertValidPolicy(extra)).toThrow(DeadlinePolicyError);
    const { reminders: _dropped, ...withoutReminders } = defaultPolicy('ordered');
    expect(() => assertValidPolicy(withoutReminders as StateDeadlinePolicy)).toThrow(/ordered: reminders/);
  });
});
