import { SignJWT } from 'jose';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, offeredElements, submit } from './support/flows.js';
import { TEST_JWT_SECRET } from './support/test-env.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

describe('authentication', () => {
  it('answers UNAUTHENTICATED without a token, with a bad one, and with an expired one', async () => {
    const none = await api.graphql(null, '{ interfaces { key } }');
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.data).toBeNull();

    const forged = await api.graphql('not.a.token', '{ interfaces { key } }');
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const expired = await new SignJWT({ role: 'coordinator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('old')
      .setIssuer('snitflow')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const late = await api.graphql(expired, '{ interfaces { key } }');
    expect(late.errors?.[0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringContaining('expired'),
    });
  });

  it('answers UNAUTHENTICATED, not an internal error, to a signed token whose subject or name cannot be stored', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1180', ['KY']);
    const sign = (subject: string, name: string) =>
      new SignJWT({ role: 'coordinator', projectId: null, name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(subject)
        .setIssuer('snitflow')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    // The actor's id and name are written into the order's history: PostgreSQL cannot store a NUL.
    for (const token of [
      await sign('a\u0000b', 'Karin'),
      await sign('karin', 'K\u0000'),
      await sign('\ud800', 'K'),
    ]) {
      const before = await api.rowCounts();
      const response = await api.graphql(
        token,
        'mutation($o: ID!) { putOnHold(orderId: $o, reason: "x") { state } }',
        {
          o: order.id,
        },
      );
      expect(response.errors?.[0]).toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
        message:
          'The bearer token is refused: its subject or name contains a NUL character or a lone surrogate',
      });
      expect(await api.rowCounts()).toEqual(before);
    }
  });

  it('words every refused token as one sentence', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('someone')
        .setIssuer('snitflow')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const messages: string[] = [];
    for (const claims of [
      { role: 'project' },
      { role: 'coordinator', projectId: api.ids.projects.KY },
      { role: 'superuser' },
    ]) {
      const response = await api.graphql(await sign(claims), '{ interfaces { key } }');
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      messages.push(String(response.errors?.[0]?.message));
    }
    expect(messages).toEqual([
      'The bearer token is refused: a project token must name its project id (a UUID)',
      'The bearer token is refused: only project tokens are bound to a project',
      'The bearer token is refused: its role must be one of coordinator, project, admin',
    ]);
  });

  it('leaves the health check open', async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('project users', () => {
  it('submit for their own project only', async () => {
    const ky = await api.projectUser('KY');
    const elements = await offeredElements(api, ky, 'SF0462');
    const other = await api.graphql(
      ky,
      'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }',
      {
        input: {
          interfaceKey: 'SF0462',
          projectId: api.ids.projects.KSD,
          dataElements: elements.slice(0, 1),
          needBy: '2030-01-01',
          justification: 'x',
          tenderReference: 'y',
        },
      },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await submit(api, ky, { interfaceKey: 'SF0462', dataElements: elements.slice(0, 1) });
    expect(own.project.code).toBe('KY');
  });

  it("see only their own project's requests and the orders they requested", async () => {
    const ky = await api.projectUser('KY');
    const ksd = await api.projectUser('KSD');
    const elements = await offeredElements(api, ky, 'SF0740');
    const kyRequest = await submit(api, ky, { interfaceKey: 'SF0740', dataElements: elements.slice(0, 1) });

    const peek = await api.graphql(ksd, 'query($id: ID!) { request(id: $id) { id } }', { id: kyRequest.id });
    expect(peek.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const order = await api.graphql(ksd, 'query($id: ID!) { order(id: $id) { id } }', {
      id: kyRequest.order.id,
    });
    expect(order.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await api.ok<{ orders: { edges: { node: { id: string } }[] } }>(
      ksd,
      '{ orders { edges { node { id } } } }',
    );
    expect(list.orders.edges.map((edge) => edge.node.id)).not.toContain(kyRequest.order.id);

    // KSD joins the order: now it sees the order, but only its own request on it.
    const ksdRequest = await submit(api, ksd, { interfaceKey: 'SF0740', dataElements: elements.slice(0, 1) });
    const seen = await api.ok<{ order: { requests: { id: string }[] } }>(
      ksd,
      'query($id: ID!) { order(id: $id) { requests { id } } }',
      {
        id: kyRequest.order.id,
      },
    );
    expect(seen.order.requests.map((request) => request.id)).toEqual([ksdRequest.id]);
    const all = await api.ok<{ order: { requests: { id: string }[] } }>(
      coordinator,
      'query($id: ID!) { order(id: $id) { requests { id } } }',
      {
        id: kyRequest.order.id,
      },
    );
    expect(all.order.requests.map((request) => request.id).sort()).toEqual(
      [kyRequest.id, ksdRequest.id].sort(),
    );

    const withdraw = await api.graphql(ksd, 'mutation($id: ID!) { withdrawRequest(requestId: $id) { id } }', {
      id: kyRequest.id,
    });
    expect(withdraw.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('cannot review, consolidate or move an order, and their allowedEvents say so', async () => {
    const ky = await api.projectUser('KY');
    const order = await consolidatedOrder(api, coordinator, 'SF0741', ['KY']);
    const asProject = await getOrder(api, ky, order.id);
    expect(asProject.allowedEvents).not.toContain('SEND_TO_SUPPLIER');
    expect(asProject.allowedEvents).not.toContain('CANCEL');
    const asCoordinator = await getOrder(api, coordinator, order.id);
    expect(asCoordinator.allowedEvents).toEqual(
      expect.arrayContaining(['SEND_TO_SUPPLIER', 'START_PLAN_B', 'PUT_ON_HOLD', 'CANCEL']),
    );

    for (const mutation of [
      'sendToSupplier(orderId: $id) { id }',
      'cancelOrder(orderId: $id, reason: "x") { id }',
      'putOnHold(orderId: $id, reason: "x") { id }',
    ]) {
      const response = await api.graphql(ky, `mutation($id: ID!) { ${mutation} }`, { id: order.id });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const reviewed = await api.graphql(
      ky,
      'mutation($input: ReviewRequestInput!) { reviewRequest(input: $input) { id } }',
      { input: { requestId: order.specification?.requestIds[0], decision: 'APPROVE' } },
    );
    expect(reviewed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('record test results for their own project only', async () => {
    const ky = await api.projectUser('KY');
    const ksd = await api.projectUser('KSD');
    const order = await consolidatedOrder(api, coordinator, 'SF1180', ['KY', 'KSD']);
    const { orderOps } = await import('./support/flows.js');
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
    await orderOps.planTest(api, coordinator, order.id, [api.ids.projects.KY, api.ids.projects.KSD]);
    await orderOps.startTest(api, coordinator, order.id);
    const forOther = await api.graphql(
      ksd,
      'mutation($id: ID!, $input: RecordTestResultInput!) { recordTestResult(orderId: $id, input: $input) { id } }',
      { id: order.id, input: { projectId: api.ids.projects.KY, outcome: 'PASSED' } },
    );
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await orderOps.result(api, ky, order.id, { outcome: 'FAILED' });
    expect(own.testResults).toEqual([{ projectId: api.ids.projects.KY, outcome: 'FAILED', notes: null }]);
  });
});
