import { ApiHarness } from './support/api-harness.js';
import { getOrder } from './support/flows.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

/** Stores an order as an older build would have written it. */
async function storeOrder(
  interfaceKey: string,
  machineVersion: number,
  snapshot: unknown,
  state: string,
): Promise<string> {
  const result = await api.db.query<{ id: string }>(
    `INSERT INTO interface_order (interface_id, supplier_id, state, ball_in_court, machine_version, snapshot, version)
     SELECT id, supplier_id, $2, 'SUPPLIER', $3, $4, 0 FROM interface WHERE key = $1 RETURNING id`,
    [interfaceKey, state, machineVersion, snapshot],
  );
  const id = result.rows[0]?.id as string;
  await api.db.query(
    `UPDATE interface_order SET snapshot = jsonb_set(snapshot, '{context,orderId}', to_jsonb($1::text)) WHERE id = $1`,
    [id],
  );
  return id;
}

/** A snapshot of machine version 1: no `active` wrapper, no hold/amendment fields. */
function versionOneSnapshot(supplierId: string) {
  return {
    status: 'active',
    value: { negotiation: 'proposalReceived' },
    historyValue: {},
    children: {},
    context: {
      orderId: 'set-below',
      interfaceKey: 'SF0770',
      supplierId,
      category: 'COMMON_NEED',
      specification: {
        dataElements: ['SKAT.AINDKOMST'],
        needBy: '2027-03-01',
        projectIds: [],
        requestIds: [],
      },
      negotiation: { round: 1, supplierId, recipientContactIds: [], replyBy: null },
      proposal: { priceOere: '5000000', deliveryDate: null, conditions: null },
      agreedTerms: null,
      openQuestion: null,
      declineReason: null,
      planB: null,
      testPlan: null,
      testResults: {},
      cancelReason: null,
      liveDate: null,
    },
  };
}

/** A snapshot of machine version 2, on hold from consolidated, with the change it recorded as an amendment. */
function versionTwoHeldInConsolidated(supplierId: string) {
  const v1 = versionOneSnapshot(supplierId);
  return {
    ...v1,
    value: 'onHold',
    historyValue: { 'order.active.hist': [{ id: 'order.active.consolidated' }] },
    context: {
      ...v1.context,
      interfaceKey: 'SF0790',
      negotiation: null,
      proposal: null,
      amendments: [{ requestId: 'request-late', change: 'submitted', at: '2026-01-05T09:00:00.000Z' }],
      holdReason: 'Budget freeze',
    },
  };
}

describe('stored snapshots of older machine versions', () => {
  it('migrates a version 1 snapshot on read and on the next transition', async () => {
    const id = await storeOrder(
      'SF0770',
      1,
      versionOneSnapshot(api.ids.suppliers.SKAT as string),
      'negotiation.proposalReceived',
    );
    const order = await getOrder(api, coordinator, id);
    expect(order).toMatchObject({
      state: 'negotiation.proposalReceived',
      machineVersion: 1,
      proposal: { priceOere: '5000000' },
    });
    expect(order.allowedEvents).toEqual(
      expect.arrayContaining(['ACCEPT_PROPOSAL', 'COUNTER_PROPOSAL', 'PUT_ON_HOLD']),
    );

    const held = await api.ok<{ putOnHold: { state: string; machineVersion: number } }>(
      coordinator,
      'mutation($id: ID!) { putOnHold(orderId: $id, reason: "migrated") { state machineVersion } }',
      { id },
    );
    expect(held.putOnHold).toEqual({ state: 'onHold', machineVersion: 4 });
    const stored = await api.db.query<{ machine_version: number; snapshot: { value: unknown } }>(
      'SELECT machine_version, snapshot FROM interface_order WHERE id = $1',
      [id],
    );
    expect(stored.rows[0]?.machine_version).toBe(4);
    const resumed = await api.ok<{ resumeOrder: { state: string } }>(
      coordinator,
      'mutation($id: ID!) { resumeOrder(orderId: $id) { state } }',
      { id },
    );
    expect(resumed.resumeOrder.state).toBe('negotiation.proposalReceived');
  });

  it('reopens on resume a version 2 order held in consolidated whose request changed during the hold', async () => {
    // Version 2 recorded the change as an amendment and would have resumed in consolidated without it.
    const id = await storeOrder(
      'SF0790',
      2,
      versionTwoHeldInConsolidated(api.ids.suppliers.SKAT as string),
      'onHold',
    );
    const held = await getOrder(api, coordinator, id);
    expect(held).toMatchObject({ state: 'onHold', machineVersion: 2, amendments: [] });
    const resumed = await api.ok<{ resumeOrder: { state: string; machineVersion: number } }>(
      coordinator,
      'mutation($id: ID!) { resumeOrder(orderId: $id) { state machineVersion } }',
      { id },
    );
    expect(resumed.resumeOrder).toEqual({ state: 'ordered', machineVersion: 4 });
  });

  it('migrates a version 3 order with a pending amendment: it can be turned down, and the next write is version 4', async () => {
    const v1 = versionOneSnapshot(api.ids.suppliers.SKAT as string);
    // As version 3 stored it: the active wrapper and hold fields, no reduced scope, no round change.
    const v3 = {
      ...v1,
      value: { active: { negotiation: 'agreed' } },
      context: {
        ...v1.context,
        interfaceKey: 'SF0462',
        agreedTerms: v1.context.proposal,
        amendments: [{ requestId: 'request-late', change: 'submitted', at: '2026-01-05T09:00:00.000Z' }],
        holdReason: null,
        reopenOnResume: false,
      },
    };
    const id = await storeOrder('SF0462', 3, v3, 'negotiation.agreed');
    const read = await getOrder(api, coordinator, id);
    expect(read).toMatchObject({ state: 'negotiation.agreed', machineVersion: 3 });
    // Sending needs active approved requests, which this stored order has none of; turning down needs only the amendment.
    expect(read.allowedEvents).toContain('TURN_DOWN_AMENDMENT');
    const held = await api.ok<{ putOnHold: { state: string; machineVersion: number } }>(
      coordinator,
      'mutation($id: ID!) { putOnHold(orderId: $id, reason: "migrated") { state machineVersion } }',
      { id },
    );
    expect(held.putOnHold).toEqual({ state: 'onHold', machineVersion: 4 });
    const stored = await api.db.query<{ snapshot: { context: Record<string, unknown> } }>(
      'SELECT snapshot FROM interface_order WHERE id = $1',
      [id],
    );
    expect(stored.rows[0]?.snapshot.context).toMatchObject({
      scopeReduction: null,
      droppedDataElements: [],
      negotiation: { change: null },
      amendments: [{ requestId: 'request-late', previous: null }],
    });
  });

  it('refuses a snapshot of an unknown machine version with a clear error and changes nothing', async () => {
    const id = await storeOrder(
      'SF0780',
      99,
      versionOneSnapshot(api.ids.suppliers.SKAT as string),
      'negotiation.proposalReceived',
    );
    const read = await api.graphql(coordinator, 'query($id: ID!) { order(id: $id) { state } }', { id });
    expect(read.errors?.[0]?.extensions).toMatchObject({
      code: 'UNSUPPORTED_MACHINE_VERSION',
      storedVersion: 99,
      currentVersion: 4,
    });
    const before = await api.rowCounts();
    const write = await api.graphql(
      coordinator,
      'mutation($id: ID!) { cancelOrder(orderId: $id, reason: "x") { state } }',
      { id },
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MACHINE_VERSION');
    expect(await api.rowCounts()).toEqual(before);
  });

  // The service reuses the snapshot it last wrote for an order instead of restoring the row
  // (WrittenSnapshots); only a row holding exactly that JSON may skip the check.
  it('checks a row changed in the database after the last transition, even at the same version', async () => {
    const id = await storeOrder(
      'SF0800',
      1,
      versionOneSnapshot(api.ids.suppliers.SKAT as string),
      'negotiation.proposalReceived',
    );
    const held = await api.ok<{ putOnHold: { state: string; version: number } }>(
      coordinator,
      'mutation($id: ID!) { putOnHold(orderId: $id, reason: "then damaged") { state version } }',
      { id },
    );
    expect(held.putOnHold).toEqual({ state: 'onHold', version: 1 });
    // Damaged by hand: a state the machine does not have, version and machine version untouched.
    await api.db.query(
      `UPDATE interface_order SET snapshot = jsonb_set(snapshot, '{value}', '"nowhere"') WHERE id = $1`,
      [id],
    );
    const before = await api.rowCounts();
    const resumed = await api.graphql(
      coordinator,
      'mutation($id: ID!) { resumeOrder(orderId: $id) { state } }',
      { id },
    );
    expect(resumed.errors?.[0]?.extensions).toMatchObject({
      code: 'UNSUPPORTED_MACHINE_VERSION',
      storedVersion: 4,
      currentVersion: 4,
    });
    expect(resumed.errors?.[0]?.message).toContain('nowhere');
    expect(await api.rowCounts()).toEqual(before);
  });
});

describe('order references', () => {
  it('keep growing past 99999 instead of colliding', async () => {
    await api.db.query("SELECT setval('interface_order_reference_seq', 99998)");
    const references: string[] = [];
    for (const key of ['SF1280', 'SF1290']) {
      const result = await api.db.query<{ reference: string }>(
        `INSERT INTO interface_order (interface_id, supplier_id, state, ball_in_court, machine_version, snapshot)
         SELECT id, supplier_id, 'cancelled', 'NOBODY', 2, '{}' FROM interface WHERE key = $1 RETURNING reference`,
        [key],
      );
      references.push(result.rows[0]?.reference ?? '');
    }
    expect(references).toEqual(['B-99999', 'B-100000']);
  });
});
