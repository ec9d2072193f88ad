import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, daysFromNow, offeredElements, orderOps, submit } from './support/flows.js';

let api: ApiHarness;
let coordinator: string;
let orderId: string;
let orderVersion: number;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
  const order = await consolidatedOrder(api, coordinator, 'SF1320', ['KY']);
  orderId = order.id;
  orderVersion = order.version;
});

afterAll(async () => {
  await api.stop();
});

/** Runs a call that must fail, and proves it changed no row. */
async function refused(token: string, query: string, variables: Record<string, unknown> = {}) {
  const before = await api.rowCounts();
  const response = await api.graphql(token, query, variables);
  expect(response.errors?.length).toBeGreaterThan(0);
  expect(await api.rowCounts()).toEqual(before);
  return { response, error: response.errors?.[0] };
}

const submitMutation = 'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }';
const validSubmit = () => ({
  interfaceKey: 'SF1320',
  projectId: api.ids.projects.KSD,
  dataElements: ['CPR.NAVN'],
  needBy: daysFromNow(30),
  justification: 'x',
  tenderReference: 'y',
});

describe('refused mutations change nothing', () => {
  it('an illegal event: INVALID_TRANSITION with the allowed events', async () => {
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!) { goLive(orderId: $id, input: { liveDate: "2030-01-01" }) { id } }',
      { id: orderId },
    );
    expect(error?.extensions?.code).toBe('INVALID_TRANSITION');
    expect(error?.extensions?.allowedEvents).toEqual(expect.arrayContaining(['SEND_TO_SUPPLIER', 'CANCEL']));
    expect(error?.extensions?.allowedEvents).not.toContain('GO_LIVE');
    expect(error?.extensions?.state).toBe('consolidated');
  });

  it('a stale version: CONFLICT', async () => {
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!, $v: Int) { putOnHold(orderId: $id, reason: "x", expectedVersion: $v) { id } }',
      { id: orderId, v: orderVersion - 1 },
    );
    expect(error?.extensions).toMatchObject({
      code: 'CONFLICT',
      currentVersion: orderVersion,
      expectedVersion: orderVersion - 1,
    });
  });

  it('an unknown id: NOT_FOUND; a malformed one: BAD_USER_INPUT', async () => {
    const unknown = await refused(
      coordinator,
      'mutation($id: ID!) { cancelOrder(orderId: $id, reason: "x") { id } }',
      {
        id: '5b0c1c3e-9b1a-4c4f-8a53-2f0f5d7b9e11',
      },
    );
    expect(unknown.error?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await refused(
      coordinator,
      'mutation($id: ID!) { cancelOrder(orderId: $id, reason: "x") { id } }',
      {
        id: "1' OR '1'='1",
      },
    );
    expect(malformed.error?.extensions?.code).toBe('BAD_USER_INPUT');
    const query = await api.graphql(coordinator, 'query($id: ID!) { order(id: $id) { id } }', { id: 'nope' });
    expect(query.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("turning down a change of a request that does not exist or is another order's: NOT_FOUND", async () => {
    const elsewhere = await submit(api, coordinator, {
      interfaceKey: 'SF0462',
      projectId: api.ids.projects.KY,
      dataElements: (await offeredElements(api, coordinator, 'SF0462')).slice(0, 1),
    });
    for (const requestId of ['5b0c1c3e-9b1a-4c4f-8a53-2f0f5d7b9e11', elsewhere.id]) {
      const { error } = await refused(
        coordinator,
        'mutation($id: ID!, $r: ID!) { turnDownAmendment(orderId: $id, input: { requestId: $r, comment: "No" }) { id } }',
        { id: orderId, r: requestId },
      );
      expect(error?.extensions).toMatchObject({ code: 'NOT_FOUND', id: requestId });
    }
  });

  it('a test plan naming a project without a request on the order: BAD_USER_INPUT, nothing planned', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1490', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
    const plan =
      'mutation($id: ID!, $input: PlanTestInput!) { planTest(orderId: $id, input: $input) { state } }';
    const input = (projects: string[]) => ({
      responsible: 'KOMBIT',
      mode: 'SHARED',
      participantProjectIds: projects,
      windowStart: daysFromNow(10),
      windowEnd: daysFromNow(20),
    });
    // KSD exists but never asked for SF1490: it could not see the order nor record its result.
    const { error } = await refused(coordinator, plan, {
      id: order.id,
      input: input([api.ids.projects.KY, api.ids.projects.KSD]),
    });
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.participantProjectIds'],
    });
    expect(error?.message).toContain(api.ids.projects.KSD);
    const planned = await api.graphql(coordinator, plan, {
      id: order.id,
      input: input([api.ids.projects.KY]),
    });
    expect(planned.errors).toBeUndefined();
  });

  it('a malformed interface key, date, element code, or an oversized text: BAD_USER_INPUT', async () => {
    for (const [change, field] of [
      [{ interfaceKey: 'sf1320' }, 'interfaceKey'],
      [{ interfaceKey: 'SF13200' }, 'interfaceKey'],
      [{ needBy: '2026-02-30' }, 'needBy'],
      [{ needBy: '30-01-2027' }, 'needBy'],
      [{ needBy: '2001-01-01' }, 'needBy'],
      [{ dataElements: [] }, 'dataElements'],
      [{ dataElements: ['cpr navn'] }, 'dataElements'],
      [{ justification: 'x'.repeat(4001) }, 'justification'],
      [{ tenderReference: '' }, 'tenderReference'],
    ] as const) {
      const { error } = await refused(coordinator, submitMutation, {
        input: { ...validSubmit(), ...change },
      });
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      // The error names the offending field, in extensions.fields or in the message.
      expect(JSON.stringify([error?.message, error?.extensions?.fields ?? null])).toContain(field);
    }
    const unknownKey = await refused(coordinator, submitMutation, {
      input: { ...validSubmit(), interfaceKey: 'SF9999' },
    });
    expect(unknownKey.error?.extensions?.code).toBe('NOT_FOUND');
    const interfaceQuery = await api.graphql(coordinator, '{ interface(key: "SF08") { key } }');
    expect(interfaceQuery.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a supplier without a contact cannot be sent an order', async () => {
    // Sygehuse (SF0810) is seeded without a contact on purpose.
    const order = await consolidatedOrder(api, coordinator, 'SF0810', ['KY']);
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!) { sendToSupplier(orderId: $id) { id } }',
      { id: order.id },
    );
    expect(error?.extensions?.code).toBe('INVALID_TRANSITION');
    expect(error?.message).toMatch(/contact/i);
  });

  it('recipients that are not contacts of the supplier', async () => {
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!, $input: SendToSupplierInput) { sendToSupplier(orderId: $id, input: $input) { id } }',
      { id: orderId, input: { recipientContactIds: ['5b0c1c3e-9b1a-4c4f-8a53-2f0f5d7b9e11'] } },
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a proposal with a price that is not whole øre', async () => {
    await orderOps.send(api, coordinator, orderId);
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!, $input: SupplierResponseInput!) { recordSupplierResponse(orderId: $id, input: $input) { id } }',
      { id: orderId, input: { kind: 'PROPOSE', terms: { priceOere: '12.50' } } },
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const negative = await refused(
      coordinator,
      'mutation($id: ID!, $input: SupplierResponseInput!) { recordSupplierResponse(orderId: $id, input: $input) { id } }',
      { id: orderId, input: { kind: 'PROPOSE', terms: { priceOere: '-100' } } },
    );
    expect(negative.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.error?.extensions?.fields).toEqual(['input.terms.priceOere']);
  });

  it('terms that say nothing, or a delivery date in the past, as the reply page refuses them', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0800', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    const record =
      'mutation($id: ID!, $input: SupplierResponseInput!) { recordSupplierResponse(orderId: $id, input: $input) { id } }';
    const yesterday = daysFromNow(-1);
    for (const [terms, field] of [
      [{}, 'input.terms'],
      [{ conditions: '   ' }, 'input.terms'],
      [{ priceOere: '100', deliveryDate: yesterday }, 'input.terms.deliveryDate'],
    ] as const) {
      const { error } = await refused(coordinator, record, {
        id: order.id,
        input: { kind: 'PROPOSE', terms },
      });
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field] });
    }
    await orderOps.supplier(api, coordinator, order.id, { kind: 'PROPOSE', terms: { priceOere: '100' } });
    const counter =
      'mutation($id: ID!, $input: CounterProposalInput!) { counterProposal(orderId: $id, input: $input) { id } }';
    for (const [terms, field] of [
      [{}, 'input.terms'],
      [{ deliveryDate: yesterday }, 'input.terms.deliveryDate'],
    ] as const) {
      const { error } = await refused(coordinator, counter, { id: order.id, input: { terms } });
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field] });
    }
    const tomorrow = await api.graphql(coordinator, counter, {
      id: order.id,
      input: { terms: { deliveryDate: daysFromNow(1) } },
    });
    expect(tomorrow.errors).toBeUndefined();
  });

  it('a reply-by date in the past, and plan B or a test naming ids that do not exist', async () => {
    const other = await consolidatedOrder(api, coordinator, 'SF1390', ['KSD']);
    const past = await refused(
      coordinator,
      'mutation($id: ID!, $input: SendToSupplierInput) { sendToSupplier(orderId: $id, input: $input) { id } }',
      { id: other.id, input: { replyBy: '2020-01-02' } },
    );
    expect(past.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(past.error?.message).toContain('replyBy 2020-01-02 is in the past');
    const nobody = '5b0c1c3e-9b1a-4c4f-8a53-2f0f5d7b9e11';
    const planB = await refused(
      coordinator,
      'mutation($id: ID!, $input: StartPlanBInput!) { startPlanB(orderId: $id, input: $input) { id } }',
      { id: other.id, input: { kind: 'OTHER_SOURCE', description: 'x', alternativeSupplierId: nobody } },
    );
    expect(planB.error?.extensions?.code).toBe('NOT_FOUND');
    const testPlan = await refused(
      coordinator,
      'mutation($id: ID!, $input: PlanTestInput!) { planTest(orderId: $id, input: $input) { id } }',
      {
        id: other.id,
        input: {
          responsible: 'KOMBIT',
          mode: 'SHARED',
          participantProjectIds: [nobody],
          windowStart: daysFromNow(10),
          windowEnd: daysFromNow(20),
        },
      },
    );
    expect(testPlan.error?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a date far beyond any deadline arithmetic is BAD_USER_INPUT, not an internal error', async () => {
    const { error } = await refused(
      coordinator,
      'mutation($id: ID!, $input: SupplierResponseInput!) { recordSupplierResponse(orderId: $id, input: $input) { id } }',
      { id: orderId, input: { kind: 'PROPOSE', terms: { deliveryDate: '9999-12-20' } } },
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('between 1900 and 2999');
  });

  it('an import with errors lands nothing and lists every problem', async () => {
    const before = await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }');
    const csv =
      'key,title,source_supplier,project_col_1\nSF0001,Ny,SKAT,x\nXX12,Bad,SKAT,x\nSF0002,Bad mark,SKAT,y\n';
    const { error } = await refused(
      coordinator,
      'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { marks } }',
      { csv },
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(/line 3/);
    expect(error?.message).toMatch(/line 4/);
    const after = await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }');
    expect(after.interfaceMatrixCsv).toBe(before.interfaceMatrixCsv);
  });
});

describe('the GraphQL endpoint refuses abusive queries before they run', () => {
  it('depth over 6', async () => {
    const deep = '{ orders { edges { node { requests { order { requests { order { id } } } } } } } }';
    const response = await api.graphql(coordinator, deep);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('more than 15 aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: interfaces { key }`).join(' ');
    const response = await api.graphql(coordinator, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/more than 15 aliases/);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fifteen = Array.from({ length: 15 }, (_, index) => `a${index}: suppliers { code }`).join(' ');
    expect((await api.graphql(coordinator, `{ ${fifteen} }`)).errors).toBeUndefined();
  });

  it('a page size over 100, as a literal or a variable', async () => {
    const literal = await api.graphql(coordinator, '{ orders(first: 101) { edges { cursor } } }');
    expect(literal.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const variable = await api.graphql(
      coordinator,
      'query($n: Int) { orders(first: $n) { edges { cursor } } }',
      { n: 500 },
    );
    expect(variable.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(variable.data).toBeNull();
  });

  it('batched operations', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}` },
      body: JSON.stringify([{ query: '{ interfaces { key } }' }, { query: '{ suppliers { code } }' }]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await response.text();
    expect(text).not.toContain('SF0462');
  });
});

describe('pagination', () => {
  it('pages orders with opaque cursors and no overlap', async () => {
    const ky = await api.projectUser('KY');
    for (const key of ['SF0462', 'SF0740', 'SF0741']) {
      await submit(api, ky, {
        interfaceKey: key,
        dataElements: (await offeredElements(api, ky, key)).slice(0, 1),
      });
    }
    const page = `query($after: String) { orders(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      orders: {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard += 1) {
      const data: Page = await api.ok<Page>(coordinator, page, { after });
      seen.push(...data.orders.edges.map((edge) => edge.node.id));
      if (!data.orders.pageInfo.hasNextPage) break;
      after = data.orders.pageInfo.endCursor;
    }
    const total = await api.db.query<{ count: number }>('SELECT count(*)::int AS count FROM interface_order');
    expect(seen.length).toBe(total.rows[0]?.count);
    expect(new Set(seen).size).toBe(seen.length);
    const bogus = await api.graphql(coordinator, page, { after: 'not-a-cursor' });
    expect(bogus.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Well-formed cursors with the wrong kind of parts must not reach the SQL casts.
    const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const wrongParts = await api.graphql(coordinator, page, { after: forged(['yesterday', 'x']) });
    expect(wrongParts.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const queue = await api.graphql(
      coordinator,
      'query($after: String) { overdueQueue(first: 2, after: $after) { edges { cursor } } }',
      { after: forged(['NaN', '2026-13-45T00:00:00.000Z', 'x']) },
    );
    expect(queue.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
