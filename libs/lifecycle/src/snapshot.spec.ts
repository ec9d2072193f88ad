import { applyOrderEvent } from './apply.js';
import { ORDER_MACHINE_VERSION } from './order.machine.js';
import {
  initialOrderSnapshot,
  MachineVersionError,
  OLDEST_RESTORABLE_MACHINE_VERSION,
  persistOrderSnapshot,
  restoreOrderSnapshot,
  SNAPSHOT_MIGRATIONS,
} from './snapshot.js';
import { ballInCourt, isFinal, statePath } from './snapshot-queries.js';
import {
  AT,
  drive,
  ORDER_INPUT,
  orderEvent,
  orderIn,
  PROPOSED_TERMS,
  ROUTED_STATES,
  type RoutedState,
  samplePayload,
} from './testing/order-fixtures.js';

function throughDatabase(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function restoreError(stored: { machineVersion: number; snapshot: unknown }): MachineVersionError {
  try {
    restoreOrderSnapshot(stored);
  } catch (error) {
    if (error instanceof MachineVersionError) return error;
    throw error;
  }
  throw new Error('expected restoreOrderSnapshot to throw');
}

describe('persistOrderSnapshot', () => {
  it.each(ROUTED_STATES)('is JSON-safe in %s', (state) => {
    const persisted = persistOrderSnapshot(orderIn(state));
    expect(throughDatabase(persisted)).toStrictEqual(persisted);
  });

  it('writes the state value, context and status', () => {
    const snapshot = orderIn('negotiation.proposalReceived');
    expect(persistOrderSnapshot(snapshot)).toMatchObject({
      status: 'active',
      value: { active: { negotiation: 'proposalReceived' } },
      context: { proposal: PROPOSED_TERMS },
      historyValue: {},
    });
  });

  it('writes the remembered state of an order on hold as state node ids', () => {
    const held = drive(['PUT_ON_HOLD'], orderIn('test.running'));
    expect(persistOrderSnapshot(held)).toMatchObject({
      value: 'onHold',
      historyValue: { 'order.active.hist': [{ id: 'order.active.test.running' }] },
    });
  });
});

describe('restoreOrderSnapshot', () => {
  it.each(ROUTED_STATES)('round-trips an order in %s', (state) => {
    const snapshot = orderIn(state);
    const restored = restoreOrderSnapshot({
      machineVersion: ORDER_MACHINE_VERSION,
      snapshot: throughDatabase(persistOrderSnapshot(snapshot)),
    });
    expect(statePath(restored)).toBe(state);
    expect(restored.context).toEqual(snapshot.context);
    expect(restored.status).toBe(snapshot.status);
    expect(ballInCourt(restored)).toBe(ballInCourt(snapshot));
  });

  it('restores an order that keeps working', () => {
    const restored = restoreOrderSnapshot({
      machineVersion: ORDER_MACHINE_VERSION,
      snapshot: throughDatabase(persistOrderSnapshot(orderIn('negotiation.proposalReceived'))),
    });
    const outcome = applyOrderEvent(restored, orderEvent(samplePayload('ACCEPT_PROPOSAL')));
    expect(outcome.accepted && outcome.snapshot.context.agreedTerms).toEqual(PROPOSED_TERMS);
  });

  it('registers a migration from every older version to the current one', () => {
    for (let version = OLDEST_RESTORABLE_MACHINE_VERSION; version < ORDER_MACHINE_VERSION; version++) {
      expect(SNAPSHOT_MIGRATIONS[version]).toBeInstanceOf(Function);
    }
  });
});

describe('migration from machine version 1', () => {
  // As version 1 stored it: no `active` wrapper, no holdReason and no amendments.
  const STORED_V1 = `{
    "status": "active",
    "value": { "negotiation": "proposalReceived" },
    "historyValue": {},
    "children": {},
    "context": {
      "orderId": "order-7",
      "interfaceKey": "SF1520",
      "supplierId": "supplier-atp",
      "category": "NINETY_EIGHT_POTENTIAL",
      "specification": {
        "dataElements": ["income"],
        "needBy": "2025-05-01",
        "projectIds": ["project-a"],
        "requestIds": ["request-a"]
      },
      "negotiation": { "round": 1, "supplierId": "supplier-atp", "recipientContactIds": ["contact-9"], "replyBy": "2025-03-20" },
      "proposal": { "priceOere": "4500000", "deliveryDate": "2025-04-15", "conditions": null },
      "agreedTerms": null,
      "openQuestion": null,
      "declineReason": null,
      "planB": null,
      "testPlan": null,
      "testResults": {},
      "cancelReason": null,
      "liveDate": null
    }
  }`;

  it('wraps the state under active and fills the new context fields', () => {
    const restored = restoreOrderSnapshot({ machineVersion: 1, snapshot: JSON.parse(STORED_V1) });
    expect(statePath(restored)).toBe('negotiation.proposalReceived');
    expect(restored.value).toEqual({ active: { negotiation: 'proposalReceived' } });
    expect(restored.context.holdReason).toBeNull();
    expect(restored.context.amendments).toEqual([]);
    expect(restored.context.reopenOnResume).toBe(false);
    expect(restored.context.proposal).toEqual({
      priceOere: '4500000',
      deliveryDate: '2025-04-15',
      conditions: null,
    });
    expect(ballInCourt(restored)).toBe('COORDINATORS');
  });

  it('gives an order that can be held, resumed and moved on like a current one', () => {
    const restored = restoreOrderSnapshot({ machineVersion: 1, snapshot: JSON.parse(STORED_V1) });
    const resumed = drive(['PUT_ON_HOLD', 'RESUME', 'ACCEPT_PROPOSAL'], restored);
    expect(statePath(resumed)).toBe('negotiation.agreed');
    expect(resumed.context.agreedTerms?.priceOere).toBe('4500000');
  });

  it('wraps a top-level leaf state', () => {
    const stored = { ...JSON.parse(STORED_V1), value: 'ordered' };
    expect(statePath(restoreOrderSnapshot({ machineVersion: 1, snapshot: stored }))).toBe('ordered');
  });

  it.each(['live', 'cancelled'])('leaves the final state %s at the top level', (finalState) => {
    const stored = { ...JSON.parse(STORED_V1), status: 'done', value: finalState };
    const restored = restoreOrderSnapshot({ machineVersion: 1, snapshot: stored });
    expect(restored.value).toBe(finalState);
    expect(statePath(restored)).toBe(finalState);
    expect(isFinal(restored)).toBe(true);
  });

  it('refuses a version 1 snapshot in a state version 1 did not have', () => {
    const stored = { ...JSON.parse(STORED_V1), value: 'onHold' };
    const error = restoreError({ machineVersion: 1, snapshot: stored });
    expect(error.message).toMatch(
      /^Order snapshot \(machine version 1, migrated to 4\) does not fit the order machine: /,
    );
  });

  it('refuses a current snapshot mislabelled as version 1', () => {
    const current = throughDatabase(persistOrderSnapshot(orderIn('negotiation.agreed')));
    expect(restoreError({ machineVersion: 1, snapshot: current })).toBeInstanceOf(MachineVersionError);
  });
});

describe('migration from machine version 2', () => {
  // As version 2 stored it: like the current snapshot, without reopenOnResume.
  function storedV2(steps: Parameters<typeof drive>[0], from: RoutedState): Record<string, unknown> {
    const persisted = throughDatabase(persistOrderSnapshot(drive(steps, orderIn(from))));
    if (!isObject(persisted) || !isObject(persisted.context)) throw new Error('not a snapshot');
    const { reopenOnResume: _added, ...context } = persisted.context;
    return { ...persisted, context };
  }

  // Version 2 recorded the change as an amendment while held; this is what it stored.
  const heldAndChangedV2 = (from: RoutedState) => {
    const stored = storedV2(['PUT_ON_HOLD'], from);
    const context = stored.context as Record<string, unknown>;
    return {
      ...stored,
      context: { ...context, amendments: [{ requestId: 'request-b', change: 'resubmitted', at: AT }] },
    };
  };

  it.each(ROUTED_STATES)('restores a version 2 order in %s without a reopening', (state) => {
    const restored = restoreOrderSnapshot({ machineVersion: 2, snapshot: storedV2([], state) });
    expect(statePath(restored)).toBe(state);
    expect(restored.context).toEqual(orderIn(state).context);
  });

  it('reopens on resume an order version 2 held in consolidated and recorded a change for', () => {
    const restored = restoreOrderSnapshot({ machineVersion: 2, snapshot: heldAndChangedV2('consolidated') });
    expect(restored.context).toMatchObject({ reopenOnResume: true, amendments: [] });
    const resumed = applyOrderEvent(restored, orderEvent(samplePayload('RESUME')));
    expect(resumed.accepted && resumed.toState).toBe('ordered');
  });

  it('keeps as an amendment a change version 2 recorded while held after the supplier was engaged', () => {
    const restored = restoreOrderSnapshot({
      machineVersion: 2,
      snapshot: heldAndChangedV2('negotiation.proposalReceived'),
    });
    expect(restored.context).toMatchObject({
      reopenOnResume: false,
      amendments: [{ requestId: 'request-b' }],
    });
    const resumed = applyOrderEvent(restored, orderEvent(samplePayload('RESUME')));
    expect(resumed.accepted && resumed.toState).toBe('negotiation.proposalReceived');
  });

  it('refuses a version 2 snapshot that is not an object with a context', () => {
    const error = restoreError({ machineVersion: 2, snapshot: { value: 'onHold' } });
    expect(error.message).toMatch(
      /^Order snapshot \(machine version 2, migrated to 4\) does not fit the order machine: a version 2 snapshot/,
    );
  });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('refusing what cannot be restored', () => {
  const current = () => persistOrderSnapshot(initialOrderSnapshot(ORDER_INPUT));

  it.each([0, -1, 1.5, Number.NaN])('refuses machine version %p, which never existed', (machineVersion) => {
    const error = restoreError({ machineVersion, snapshot: current() });
    expect(error.storedVersion).toBe(machineVersion);
    expect(error.currentVersion).toBe(4);
    expect(error.name).toBe('MachineVersionError');
    expect(error.message).toBe(
      `Order snapshot has machine version ${machineVersion}, which never existed: this code restores versions 1 to 4`,
    );
  });

  it('refuses a newer machine version, written by a newer release', () => {
    const error = restoreError({ machineVersion: 5, snapshot: current() });
    expect(error).toMatchObject({ storedVersion: 5, currentVersion: 4 });
    expect(error.message).toBe(
      "Order snapshot has machine version 5, newer than this code's version 4: " +
        'it was written by a newer release and cannot be read by this one',
    );
  });

  const malformed: [string, () => unknown, string][] = [
    ['null', () => null, 'expected object'],
    ['a string', () => 'ordered', 'expected object'],
    [
      'an unknown state',
      () => ({ ...current(), value: { active: 'nowhere' } }),
      'is not a state an order can be in',
    ],
    ['a partial state value', () => ({ ...current(), value: { active: 'negotiation' } }), 'is not a state'],
    ['the history state as a value', () => ({ ...current(), value: { active: 'hist' } }), 'is not a state'],
    ['the wrapper as a value', () => ({ ...current(), value: 'active' }), 'is not a state'],
    [
      'a context without a field',
      () => {
        const { context, ...rest } = current();
        const { holdReason: _dropped, ...incomplete } = context as Record<string, unknown>;
        return { ...rest, context: incomplete };
      },
      'context.holdReason',
    ],
    [
      'a context with an unknown field',
      () => ({ ...current(), context: { ...(current().context as object), colour: 'blue' } }),
      'colour',
    ],
    [
      'a price that is not whole øre',
      () => ({
        ...current(),
        context: {
          ...(current().context as object),
          proposal: { priceOere: '12.50', deliveryDate: null, conditions: null },
        },
      }),
      'context.proposal.priceOere: must be a whole number of øre',
    ],
    [
      'a wrong category',
      () => ({ ...current(), context: { ...(current().context as object), category: 'ALL' } }),
      'context.category',
    ],
    [
      'a status that contradicts the state',
      () => ({ ...current(), status: 'done' }),
      'status done contradicts state ordered',
    ],
    ['an error status', () => ({ ...current(), status: 'error' }), 'status'],
    [
      'history remembering an unknown state',
      () => ({ ...current(), historyValue: { 'order.active.hist': [{ id: 'order.active.nowhere' }] } }),
      'history remembers order.active.nowhere',
    ],
    [
      'history under a state that is not a history state',
      () => ({ ...current(), historyValue: { 'order.active': [{ id: 'order.active.ordered' }] } }),
      'order.active is not a history state',
    ],
  ];

  it.each(malformed)('refuses %s', (_name, snapshot, detail) => {
    const error = restoreError({ machineVersion: 4, snapshot: snapshot() });
    expect(error).toMatchObject({ storedVersion: 4, currentVersion: 4 });
    expect(error.message).toMatch(/^Order snapshot \(machine version 4\) does not fit the order machine: /);
    expect(error.message).toContain(detail);
  });
});

describe('migration from machine version 3', () => {
  // As version 3 stored it: no reduced scope, no change on a round, no previous request content.
  function storedV3(state: RoutedState, steps: Parameters<typeof drive>[0] = []): Record<string, unknown> {
    const persisted = throughDatabase(persistOrderSnapshot(drive(steps, orderIn(state))));
    if (!isObject(persisted) || !isObject(persisted.context)) throw new Error('not a snapshot');
    const { scopeReduction: _s, droppedDataElements: _d, ...context } = persisted.context;
    const negotiation = isObject(context.negotiation)
      ? (({ change: _c, ...rest }) => rest)(context.negotiation)
      : context.negotiation;
    const amendments = (context.amendments as Record<string, unknown>[]).map(
      ({ previous: _p, ...rest }) => rest,
    );
    return { ...persisted, context: { ...context, negotiation, amendments } };
  }

  const V3_STATES = ROUTED_STATES.filter((state) => state !== 'scopeAcknowledgement');

  it.each(V3_STATES)('restores a version 3 order in %s as it was, with nothing reduced', (state) => {
    const restored = restoreOrderSnapshot({ machineVersion: 3, snapshot: storedV3(state) });
    expect(statePath(restored)).toBe(state);
    expect(restored.context).toEqual(orderIn(state).context);
  });

  it('gives a version 3 amendment no previous content, and it can still be turned down', () => {
    const stored = storedV3('negotiation.agreed', [samplePayload('REQUESTS_CHANGED')]);
    const restored = restoreOrderSnapshot({ machineVersion: 3, snapshot: stored });
    expect(restored.context.amendments).toEqual([
      { requestId: 'request-b', change: 'resubmitted', at: AT, previous: null },
    ]);
    const turnedDown = applyOrderEvent(restored, orderEvent(samplePayload('TURN_DOWN_AMENDMENT')));
    expect(turnedDown.accepted && turnedDown.snapshot.context.amendments).toEqual([]);
  });

  it('refuses a version 3 snapshot that is not an object with a context', () => {
    const error = restoreError({ machineVersion: 3, snapshot: { value: 'planB' } });
    expect(error.message).toMatch(
      /^Order snapshot \(machine version 3, migrated to 4\) does not fit the order machine: a version 3 snapshot/,
    );
  });
});
