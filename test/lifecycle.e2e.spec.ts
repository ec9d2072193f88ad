import { BusinessCalendar } from '@snitflow/calendar';
import { businessDayOnOrAfter } from '@snitflow/deadlines';
import { ApiHarness } from './support/api-harness.js';
import {
  consolidatedOrder,
  daysFromNow,
  getOrder,
  offeredElements,
  orderOps,
  REQUEST_FIELDS,
  type RequestView,
  review,
  submit,
} from './support/flows.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

async function history(orderId: string) {
  const data = await api.ok<{
    order: {
      history: {
        version: number;
        type: string;
        fromState: string;
        toState: string;
        actorRole: string;
        actorId: string;
        payload: string;
      }[];
    };
  }>(
    coordinator,
    'query($id: ID!) { order(id: $id) { history { version type fromState toState actorRole actorId payload } } }',
    { id: orderId },
  );
  return data.order.history;
}

describe('an order from request to live', () => {
  it('runs the whole path over GraphQL, with quality review, consolidation, negotiation and test', async () => {
    const ky = await api.projectUser('KY');
    const barsel = await api.projectUser('BARSEL');
    const offered = await offeredElements(api, coordinator, 'SF1320');
    expect(offered.length).toBeGreaterThanOrEqual(3);

    // 1. Two projects request CPR events; Barselsdagpenge asks for something CPR does not hold.
    const kyRequest = await submit(api, ky, {
      interfaceKey: 'SF1320',
      dataElements: [offered[0] as string, offered[1] as string],
      needBy: daysFromNow(120),
    });
    expect(kyRequest).toMatchObject({
      status: 'SUBMITTED',
      unofferedDataElements: [],
      project: { code: 'KY' },
    });
    expect(kyRequest.order.state).toBe('ordered');

    const barselRequest = await submit(api, barsel, {
      interfaceKey: 'SF1320',
      dataElements: [offered[2] as string, 'CPR.INDKOMST'],
      needBy: daysFromNow(60),
    });
    expect(barselRequest.order.id).toBe(kyRequest.order.id);
    expect(barselRequest.unofferedDataElements).toEqual(['CPR.INDKOMST']);
    const orderId = kyRequest.order.id;

    // 2. Quality review: the flagged element blocks approval until the project changes the request.
    await review(api, coordinator, kyRequest.id, 'APPROVE');
    const blocked = await api.graphql(
      coordinator,
      'mutation($input: ReviewRequestInput!) { reviewRequest(input: $input) { id } }',
      { input: { requestId: barselRequest.id, decision: 'APPROVE' } },
    );
    expect(blocked.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(blocked.errors?.[0]?.message).toContain('CPR.INDKOMST');

    const sentBack = await review(
      api,
      coordinator,
      barselRequest.id,
      'REQUEST_CHANGES',
      'CPR does not hold income data',
    );
    expect(sentBack).toMatchObject({
      status: 'CHANGES_REQUESTED',
      reviewComment: 'CPR does not hold income data',
    });

    // Consolidation is refused while a request is not approved.
    const early = await api.graphql(
      coordinator,
      'mutation($id: ID!) { consolidateOrder(orderId: $id) { id } }',
      {
        id: orderId,
      },
    );
    expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    const changed = await api.ok<{ updateRequest: RequestView }>(
      barsel,
      `mutation($input: UpdateRequestInput!) { updateRequest(input: $input) { ${REQUEST_FIELDS} } }`,
      {
        input: { requestId: barselRequest.id, dataElements: [offered[2]], expectedVersion: sentBack.version },
      },
    );
    expect(changed).toMatchObject({ updateRequest: { status: 'SUBMITTED', unofferedDataElements: [] } });
    await review(api, coordinator, barselRequest.id, 'APPROVE');

    // 3. Consolidation: union of elements, earliest need-by, both projects.
    const consolidated = await orderOps.consolidate(api, coordinator, orderId, 'COMMON_NEED');
    expect(consolidated.state).toBe('consolidated');
    expect(consolidated.category).toBe('COMMON_NEED');
    expect(consolidated.responsibleParties).toEqual({
      negotiates: 'KOMBIT',
      buys: 'MUNICIPALITIES',
      pays: 'MUNICIPALITIES',
    });
    expect(consolidated.specification).toEqual({
      dataElements: [offered[0], offered[1], offered[2]].sort(),
      needBy: daysFromNow(60),
      projectIds: [api.ids.projects.KY, api.ids.projects.BARSEL].sort(),
      requestIds: [kyRequest.id, barselRequest.id].sort(),
    });

    // 4. Negotiation, with the supplier's answers recorded by a coordinator after phone calls.
    // A reply-by date is a business day: 10 days on, or the next business day after a weekend.
    const replyBy = businessDayOnOrAfter(new BusinessCalendar(), daysFromNow(10));
    let order = await orderOps.send(api, coordinator, orderId, { replyBy });
    expect(order).toMatchObject({ state: 'negotiation.awaitingSupplier', ballInCourt: 'SUPPLIER' });
    expect(order.negotiation?.round).toBe(1);
    expect(order.negotiation?.recipientContactIds.length).toBeGreaterThan(0);

    order = await orderOps.supplier(api, coordinator, orderId, {
      kind: 'ASK',
      question: 'Which events exactly?',
    });
    expect(order).toMatchObject({
      state: 'negotiation.clarification',
      openQuestion: 'Which events exactly?',
    });
    expect(order.ballInCourt).toBe('COORDINATORS');
    order = await orderOps.answer(api, coordinator, orderId, 'Births, deaths and moves');
    expect(order.state).toBe('negotiation.awaitingSupplier');
    // Each time the supplier is asked to answer again is a new round (new emails, new reply links).
    expect(order.negotiation?.round).toBe(2);

    order = await orderOps.supplier(api, coordinator, orderId, {
      kind: 'PROPOSE',
      terms: { priceOere: '12500000', deliveryDate: daysFromNow(100), conditions: 'Batch nightly' },
    });
    expect(order.state).toBe('negotiation.proposalReceived');
    expect(order.proposal).toEqual({
      priceOere: '12500000',
      deliveryDate: daysFromNow(100),
      conditions: 'Batch nightly',
    });
    order = await orderOps.counter(api, coordinator, orderId, {
      priceOere: '9900000',
      conditions: 'Online lookups',
    });
    expect(order.state).toBe('negotiation.awaitingSupplier');
    expect(order.negotiation?.round).toBe(3);
    order = await orderOps.supplier(api, coordinator, orderId, { kind: 'ACCEPT', note: 'By phone, 26/11' });
    expect(order.state).toBe('negotiation.agreed');

    // 5. Test: one shared test, results per project; a project records its own.
    order = await orderOps.planTest(api, coordinator, orderId, [
      api.ids.projects.KY,
      api.ids.projects.BARSEL,
    ]);
    expect(order.state).toBe('test.planning');
    order = await orderOps.startTest(api, coordinator, orderId);
    expect(order).toMatchObject({ state: 'test.running', ballInCourt: 'COORDINATORS' });

    order = await orderOps.result(api, ky, orderId, { outcome: 'PASSED', notes: 'All events received' });
    expect(order.testResults).toEqual([
      { projectId: api.ids.projects.KY, outcome: 'PASSED', notes: 'All events received' },
    ]);
    const incomplete = await api.graphql(
      coordinator,
      'mutation($id: ID!) { completeTest(orderId: $id) { id } }',
      { id: orderId },
    );
    expect(incomplete.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    order = await orderOps.result(api, coordinator, orderId, {
      projectId: api.ids.projects.BARSEL,
      outcome: 'PASSED',
    });
    order = await orderOps.completeTest(api, coordinator, orderId);
    expect(order.state).toBe('test.passed');

    // 6. Live.
    order = await orderOps.goLive(api, coordinator, orderId, daysFromNow(45));
    expect(order).toMatchObject({
      state: 'live',
      ballInCourt: 'NOBODY',
      liveDate: daysFromNow(45),
      allowedEvents: [],
    });

    // 7. History: every accepted event, in order, versions without gaps, actors recorded.
    const events = await history(orderId);
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.version).toBe(order.version);
    expect(events.map((event) => event.type)).toEqual([
      'REQUESTS_CHANGED',
      'REQUESTS_CHANGED',
      'REVIEW_REQUEST',
      'REVIEW_REQUEST',
      'REQUESTS_CHANGED',
      'REVIEW_REQUEST',
      'CONSOLIDATE',
      'SEND_TO_SUPPLIER',
      'SUPPLIER_ASKS',
      'ANSWER_SUPPLIER',
      'SUPPLIER_PROPOSES',
      'COUNTER_PROPOSAL',
      'SUPPLIER_ACCEPTS',
      'PLAN_TEST',
      'START_TEST',
      'RECORD_TEST_RESULT',
      'RECORD_TEST_RESULT',
      'COMPLETE_TEST',
      'GO_LIVE',
    ]);
    expect(events[0]).toMatchObject({
      fromState: 'ordered',
      toState: 'ordered',
      actorRole: 'project',
      actorId: 'KY@project.example',
    });
    expect(events.find((event) => event.type === 'CONSOLIDATE')).toMatchObject({
      fromState: 'ordered',
      toState: 'consolidated',
      actorRole: 'coordinator',
    });
    expect(JSON.parse(events.find((event) => event.type === 'SUPPLIER_ASKS')?.payload ?? '{}')).toEqual({
      question: 'Which events exactly?',
    });

    // A new request for a live interface opens a new order.
    const next = await submit(api, ky, { interfaceKey: 'SF1320', dataElements: [offered[0] as string] });
    expect(next.order.id).not.toBe(orderId);
    expect(next.order.state).toBe('ordered');
  });
});

describe('plan B', () => {
  it('goes from a declined negotiation through plan B to test and live', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0800', ['KSD', 'BARSEL']);
    const id = order0.id;
    await orderOps.send(api, coordinator, id);
    let order = await orderOps.supplier(api, coordinator, id, {
      kind: 'DECLINE',
      reason: 'No online service for municipalities',
    });
    expect(order).toMatchObject({
      state: 'negotiation.declined',
      declineReason: 'No online service for municipalities',
    });

    order = await orderOps.planB(api, coordinator, id, {
      kind: 'OTHER_SOURCE',
      description: 'Use eIndkomst via SKAT',
    });
    expect(order).toMatchObject({
      state: 'planB',
      ballInCourt: 'COORDINATORS',
      planB: { kind: 'OTHER_SOURCE' },
    });

    order = await orderOps.planTest(api, coordinator, id, [api.ids.projects.KSD]);
    order = await orderOps.startTest(api, coordinator, id);
    order = await orderOps.result(api, coordinator, id, {
      projectId: api.ids.projects.KSD,
      outcome: 'PASSED',
    });
    order = await orderOps.completeTest(api, coordinator, id);
    order = await orderOps.goLive(api, coordinator, id, daysFromNow(20));
    expect(order.state).toBe('live');
  });

  it('can renegotiate with another supplier after plan B', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0802', ['KSD']);
    await orderOps.send(api, coordinator, order0.id);
    await orderOps.planB(api, coordinator, order0.id, {
      kind: 'OTHER_SOURCE',
      description: 'Buy the holiday data from SKAT instead',
      alternativeSupplierId: api.ids.suppliers.SKAT,
    });
    const order = await orderOps.send(api, coordinator, order0.id, { supplierId: api.ids.suppliers.SKAT });
    expect(order.state).toBe('negotiation.awaitingSupplier');
    expect(order.negotiation).toMatchObject({ round: 2, supplierId: api.ids.suppliers.SKAT });
  });

  it("sends to plan B's supplier although the source supplier has no contact, and judges each target's contacts", async () => {
    // SF0810's source supplier, Sygehuse, has no contact in the demo data; SKAT has.
    const order0 = await consolidatedOrder(api, coordinator, 'SF0810', ['KSD']);
    const id = order0.id;
    const sendTo = (supplierId?: string) =>
      api.graphql(
        coordinator,
        'mutation($id: ID!, $input: SendToSupplierInput) { sendToSupplier(orderId: $id, input: $input) { state } }',
        { id, input: supplierId ? { supplierId } : {} },
      );

    const toSource = await sendTo();
    expect(toSource.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      state: 'consolidated',
    });
    expect(toSource.errors?.[0]?.message).toMatch(/no contact/);

    await orderOps.planB(api, coordinator, id, {
      kind: 'OTHER_SOURCE',
      description: 'Admissions data through SKAT instead',
      // Typed in capitals, as a client may: the stored id must still match the supplier's.
      alternativeSupplierId: api.ids.suppliers.SKAT?.toUpperCase(),
    });
    // A named supplier without contacts is refused by the same guard, with nothing written.
    const before = await history(id);
    const toSygehuse = await sendTo(api.ids.suppliers.Sygehuse);
    expect(toSygehuse.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', state: 'planB' });
    expect(await history(id)).toEqual(before);

    // The order offers the send (judged on plan B's supplier), and a send naming no supplier goes there.
    const inPlanB = await getOrder(api, coordinator, id);
    expect(inPlanB.allowedEvents).toContain('SEND_TO_SUPPLIER');
    const order = await orderOps.send(api, coordinator, id);
    expect(order.state).toBe('negotiation.awaitingSupplier');
    expect(order.negotiation).toMatchObject({ round: 1, supplierId: api.ids.suppliers.SKAT });
    expect(order.negotiation?.recipientContactIds.length).toBeGreaterThan(0);
  });

  it('refuses to send to another supplier that has no contact, although the source supplier has one', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0830', ['KY']);
    await orderOps.planB(api, coordinator, order0.id, {
      kind: 'OTHER_SOURCE',
      description: 'Ask the hospitals directly',
      alternativeSupplierId: api.ids.suppliers.Sygehuse,
    });
    const before = await history(order0.id);
    const refused = await api.graphql(
      coordinator,
      'mutation($id: ID!, $input: SendToSupplierInput) { sendToSupplier(orderId: $id, input: $input) { state } }',
      { id: order0.id, input: { supplierId: api.ids.suppliers.Sygehuse } },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', state: 'planB' });
    expect(refused.errors?.[0]?.message).toMatch(/no contact/);
    expect(await history(order0.id)).toEqual(before);
    // The source supplier (CSC Scandihealth) has a contact, so sending there is still possible.
    expect((await getOrder(api, coordinator, order0.id)).allowedEvents).toContain('SEND_TO_SUPPLIER');
  });

  it('sends a failed test back to the supplier for a fix', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0770', ['KSD']);
    const id = order0.id;
    await orderOps.send(api, coordinator, id);
    await orderOps.supplier(api, coordinator, id, { kind: 'ACCEPT' });
    await orderOps.planTest(api, coordinator, id, [api.ids.projects.KSD]);
    await orderOps.startTest(api, coordinator, id);
    await orderOps.result(api, coordinator, id, {
      projectId: api.ids.projects.KSD,
      outcome: 'FAILED',
      notes: 'Wrong totals',
    });
    const order = await orderOps.requestFix(api, coordinator, id, 'Totals are off by one month');
    expect(order.state).toBe('negotiation.awaitingSupplier');
  });

  it('sends a fix after a plan B that went straight to test to every contact, and refuses it when there is none', async () => {
    async function failedTestAfterPlanB(key: string, alternativeSupplierId?: string): Promise<string> {
      const { id } = await consolidatedOrder(api, coordinator, key, ['KSD']);
      await orderOps.planB(api, coordinator, id, {
        kind: alternativeSupplierId ? 'OTHER_SOURCE' : 'WORKAROUND',
        description: 'Test the existing extract',
        ...(alternativeSupplierId ? { alternativeSupplierId } : {}),
      });
      await orderOps.planTest(api, coordinator, id, [api.ids.projects.KSD]);
      await orderOps.startTest(api, coordinator, id);
      await orderOps.result(api, coordinator, id, { projectId: api.ids.projects.KSD, outcome: 'FAILED' });
      return id;
    }
    // SKAT (SF0462) has two contacts: both are asked, each with a link of its own.
    const reachable = await failedTestAfterPlanB('SF0462');
    await orderOps.requestFix(api, coordinator, reachable, 'Wrong field order');
    const asked = await api.db.query<{ template: string }>(
      "SELECT template FROM outbox_email WHERE order_id = $1 AND template = 'SUPPLIER_ORDER'",
      [reachable],
    );
    expect(asked.rowCount).toBe(2);
    // Plan B's supplier, Sygehuse, has none: refused, and the order stays where it was.
    const unreachable = await failedTestAfterPlanB('SF1280', api.ids.suppliers.Sygehuse);
    const before = await history(unreachable);
    const refused = await api.graphql(
      coordinator,
      'mutation($id: ID!) { requestFix(orderId: $id, input: {description: "Wrong"}) { state } }',
      { id: unreachable },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    expect(refused.errors?.[0]?.message).toContain('no contact');
    expect(await history(unreachable)).toEqual(before);
  });
});

describe('hold, resume and cancel', () => {
  it('resumes exactly where the order was put on hold', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0780', ['BARSEL']);
    await orderOps.send(api, coordinator, order0.id);
    await orderOps.supplier(api, coordinator, order0.id, { kind: 'PROPOSE', terms: { priceOere: '100' } });
    const held = await orderOps.hold(api, coordinator, order0.id, 'Budget freeze');
    expect(held).toMatchObject({
      state: 'onHold',
      holdReason: 'Budget freeze',
      allowedEvents: expect.arrayContaining(['RESUME', 'CANCEL']),
    });
    const refused = await api.graphql(
      coordinator,
      'mutation($id: ID!) { acceptProposal(orderId: $id) { id } }',
      { id: order0.id },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    const resumed = await orderOps.resume(api, coordinator, order0.id);
    expect(resumed.state).toBe('negotiation.proposalReceived');
    expect(resumed.proposal?.priceOere).toBe('100');
  });

  it('cancels before live, refuses everything afterwards, and frees the interface for a new order', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0790', ['KY']);
    await orderOps.send(api, coordinator, order0.id);
    const cancelled = await orderOps.cancel(api, coordinator, order0.id, 'Project stopped');
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      cancelReason: 'Project stopped',
      ballInCourt: 'NOBODY',
      allowedEvents: [],
    });
    const after = await api.graphql(coordinator, 'mutation($id: ID!) { resumeOrder(orderId: $id) { id } }', {
      id: order0.id,
    });
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', allowedEvents: [] });
    const fresh = await submit(api, coordinator, {
      interfaceKey: 'SF0790',
      projectId: api.ids.projects.KY,
      dataElements: (await offeredElements(api, coordinator, 'SF0790')).slice(0, 1),
    });
    expect(fresh.order.id).not.toBe(order0.id);
  });
});

describe('requests that change after consolidation', () => {
  it('reopen a consolidated order, and become amendments once the supplier is engaged', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF1460', ['KY']);
    const elements = await offeredElements(api, coordinator, 'SF1460');
    const late = await submit(api, coordinator, {
      interfaceKey: 'SF1460',
      projectId: api.ids.projects.KSD,
      dataElements: elements.slice(0, 1),
    });
    expect(late.order).toMatchObject({ id: order0.id, state: 'ordered' });
    await review(api, coordinator, late.id, 'APPROVE');
    const reconsolidated = await orderOps.consolidate(api, coordinator, order0.id);
    expect(reconsolidated.specification?.projectIds).toEqual(
      [api.ids.projects.KY, api.ids.projects.KSD].sort(),
    );

    await orderOps.send(api, coordinator, order0.id);
    const amendment = await submit(api, coordinator, {
      interfaceKey: 'SF1460',
      projectId: api.ids.projects.BARSEL,
      dataElements: elements.slice(0, 1),
    });
    expect(amendment.order.state).toBe('negotiation.awaitingSupplier');
    const order = await getOrder(api, coordinator, order0.id);
    expect(order.amendments).toEqual([{ requestId: amendment.id, change: 'submitted' }]);
  });

  it('reopen a consolidated order on hold when it resumes, instead of being lost', async () => {
    const order0 = await consolidatedOrder(api, coordinator, 'SF0740', ['KY']);
    await orderOps.hold(api, coordinator, order0.id, 'Waiting for the steering group');
    const elements = await offeredElements(api, coordinator, 'SF0740');
    const late = await submit(api, coordinator, {
      interfaceKey: 'SF0740',
      projectId: api.ids.projects.KSD,
      dataElements: elements.slice(0, 1),
    });
    expect(late.order).toMatchObject({ id: order0.id, state: 'onHold' });
    expect((await getOrder(api, coordinator, order0.id)).amendments).toEqual([]);

    const resumed = await orderOps.resume(api, coordinator, order0.id);
    expect(resumed).toMatchObject({ state: 'ordered', holdReason: null, amendments: [] });
    expect(resumed.allowedEvents).not.toContain('SEND_TO_SUPPLIER');
    const early = await api.graphql(
      coordinator,
      'mutation($id: ID!) { consolidateOrder(orderId: $id) { id } }',
      { id: order0.id },
    );
    expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    await review(api, coordinator, late.id, 'APPROVE');
    const reconsolidated = await orderOps.consolidate(api, coordinator, order0.id);
    expect(reconsolidated.specification?.projectIds).toEqual(
      [api.ids.projects.KY, api.ids.projects.KSD].sort(),
    );
    const history0 = await history(order0.id);
    expect(history0.slice(-4).map(({ type, fromState, toState }) => [type, fromState, toState])).toEqual([
      ['REQUESTS_CHANGED', 'onHold', 'onHold'],
      ['RESUME', 'onHold', 'ordered'],
      ['REVIEW_REQUEST', 'ordered', 'ordered'],
      ['CONSOLIDATE', 'ordered', 'consolidated'],
    ]);
  });

  it('lets a project withdraw its request', async () => {
    const ksd = await api.projectUser('KSD');
    const elements = await offeredElements(api, ksd, 'SF1490');
    const request = await submit(api, ksd, { interfaceKey: 'SF1490', dataElements: elements.slice(0, 1) });
    const withdrawn = await api.ok<{ withdrawRequest: { status: string } }>(
      ksd,
      'mutation($id: ID!) { withdrawRequest(requestId: $id) { status } }',
      { id: request.id },
    );
    expect(withdrawn.withdrawRequest.status).toBe('WITHDRAWN');
    const again = await api.graphql(
      ksd,
      'mutation($id: ID!) { withdrawRequest(requestId: $id) { status } }',
      { id: request.id },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // With no active request left, there is nothing to consolidate.
    const consolidate = await api.graphql(
      coordinator,
      'mutation($id: ID!) { consolidateOrder(orderId: $id) { id } }',
      {
        id: request.order.id,
      },
    );
    expect(consolidate.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  });
});

describe('machineDiagram', () => {
  it('is generated from the machine and highlights an order state', async () => {
    const plain = await api.ok<{ machineDiagram: string }>(coordinator, '{ machineDiagram }');
    expect(plain.machineDiagram.startsWith('stateDiagram-v2')).toBe(true);
    expect(plain.machineDiagram).toContain('SEND_TO_SUPPLIER');
    const order = await consolidatedOrder(api, coordinator, 'SF1390', ['KY']);
    const highlighted = await api.ok<{ machineDiagram: string }>(
      coordinator,
      'query($id: ID) { machineDiagram(orderId: $id) }',
      {
        id: order.id,
      },
    );
    expect(highlighted.machineDiagram).not.toBe(plain.machineDiagram);
    expect(highlighted.machineDiagram).toMatch(/class .*consolidated/);
  });
});
