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
import { activeLinks } from './support/reply-links.js';
import { decodedQuotedPrintable, SmtpSink } from './support/smtp-sink.js';

let api: ApiHarness;
let coordinator: string;
const sink = new SmtpSink();

beforeAll(async () => {
  await sink.start();
  api = await ApiHarness.start({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SUPPLIER_EMAIL_HOURS: 'any' });
  coordinator = await api.coordinator();
});

// The worker sends the outbox to the sink; started once, by the first test that reads a sent email.
let worker: Promise<unknown> | undefined;
const ensureWorker = () => {
  worker ??= api.startWorker();
  return worker;
};

afterAll(async () => {
  await api?.stop();
  await sink.stop();
});

const SCOPE_FIELDS = `
  id state version ballInCourt dueAt allowedEvents
  specification { dataElements needBy requestIds }
  droppedDataElements
  scopeReduction { droppedDataElements projectIds awaitingProjectIds responses { projectId response comment } }
  negotiation { round recipientContactIds replyBy change { added removed needBy { from to } } }
  agreedTerms { priceOere }
  amendments { requestId change previousDataElements previousNeedBy }
  history { type actorRole fromState toState payload }
`;

interface ScopeView {
  id: string;
  state: string;
  version: number;
  ballInCourt: string;
  dueAt: string | null;
  allowedEvents: string[];
  specification: { dataElements: string[]; needBy: string; requestIds: string[] };
  droppedDataElements: string[];
  scopeReduction: {
    droppedDataElements: string[];
    projectIds: string[];
    awaitingProjectIds: string[];
    responses: { projectId: string; response: string; comment: string | null }[];
  } | null;
  negotiation: {
    round: number;
    recipientContactIds: string[];
    replyBy: string | null;
    change: { added: string[]; removed: string[]; needBy: { from: string; to: string } | null } | null;
  } | null;
  agreedTerms: { priceOere: string | null } | null;
  amendments: {
    requestId: string;
    change: string;
    previousDataElements: string[] | null;
    previousNeedBy: string | null;
  }[];
  history: { type: string; actorRole: string; fromState: string; toState: string; payload: string }[];
}

async function view(token: string, id: string): Promise<ScopeView> {
  const data = await api.ok<{ order: ScopeView }>(
    token,
    `query($id: ID!) { order(id: $id) { ${SCOPE_FIELDS} } }`,
    {
      id,
    },
  );
  return data.order;
}

const START_PLAN_B =
  'mutation($o: ID!, $i: StartPlanBInput!) { startPlanB(orderId: $o, input: $i) { state } }';
const RESPOND =
  'mutation($o: ID!, $i: RespondToScopeReductionInput!) { respondToScopeReduction(orderId: $o, input: $i) { state ballInCourt } }';
const SEND_AMENDMENT =
  'mutation($o: ID!, $i: SendAmendmentInput) { sendAmendment(orderId: $o, input: $i) { state } }';
const TURN_DOWN =
  'mutation($o: ID!, $i: TurnDownAmendmentInput!) { turnDownAmendment(orderId: $o, input: $i) { state } }';

async function declinedOrder(interfaceKey: string) {
  const order = await consolidatedOrder(api, coordinator, interfaceKey, ['KY', 'KSD']);
  await orderOps.send(api, coordinator, order.id);
  await orderOps.supplier(api, coordinator, order.id, {
    kind: 'DECLINE',
    reason: 'Cannot deliver the address',
  });
  return order;
}

async function agreedOrder(interfaceKey: string) {
  const order = await consolidatedOrder(api, coordinator, interfaceKey, ['KY', 'KSD']);
  await orderOps.send(api, coordinator, order.id);
  await orderOps.supplier(api, coordinator, order.id, {
    kind: 'PROPOSE',
    terms: { priceOere: '2500000', deliveryDate: daysFromNow(60) },
  });
  return orderOps.accept(api, coordinator, order.id);
}

async function updateRequest(token: string, input: Record<string, unknown>): Promise<RequestView> {
  const data = await api.ok<{ updateRequest: RequestView }>(
    token,
    `mutation($i: UpdateRequestInput!) { updateRequest(input: $i) { ${REQUEST_FIELDS} } }`,
    { i: input },
  );
  return data.updateRequest;
}

async function requestsOf(orderId: string) {
  const rows = await api.db.query<{
    id: string;
    code: string;
    status: string;
    dataElements: string[];
    needBy: string;
    reviewComment: string | null;
  }>(
    `SELECT r.id, p.code, r.status, r.data_elements AS "dataElements", to_char(r.need_by, 'YYYY-MM-DD') AS "needBy",
            r.review_comment AS "reviewComment"
       FROM interface_request r JOIN project p ON p.id = r.project_id WHERE r.order_id = $1 ORDER BY p.code`,
    [orderId],
  );
  return rows.rows;
}

async function projectNotices(orderId: string) {
  const rows = await api.db.query<{
    email: string;
    kind: string;
    text: string | null;
    takesPart: boolean | null;
    elements: string | null;
  }>(
    `SELECT recipient_email AS email, data->>'noticeKind' AS kind, data->>'noticeText' AS text,
            (data->>'takesPart')::boolean AS "takesPart", data->>'noticeElements' AS elements
       FROM outbox_email WHERE order_id = $1 AND template = 'PROJECT_UPDATE' ORDER BY created_at, recipient_email`,
    [orderId],
  );
  return rows.rows;
}

async function objectionEmails(orderId: string) {
  const rows = await api.db.query<{ email: string; data: Record<string, unknown> }>(
    `SELECT recipient_email AS email, data FROM outbox_email
      WHERE order_id = $1 AND template = 'COORDINATOR_SCOPE_OBJECTION' ORDER BY created_at`,
    [orderId],
  );
  return rows.rows;
}

async function waitForMail(predicate: (raw: string) => boolean, from: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    // The decoded bytes are UTF-8; read them as such, so Danish letters compare as written.
    const text = (raw: string) => Buffer.from(decodedQuotedPrintable(raw), 'latin1').toString('utf8');
    const found = sink.messages.slice(from).find((message) => predicate(text(message.raw)));
    if (found) return text(found.raw);
    if (Date.now() > deadline) throw new Error('the expected email did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('plan B with a reduced scope', () => {
  it('drops the elements and waits for the projects that lose one; they acknowledge or object, then plan B goes on', async () => {
    const elements = await offeredElements(api, coordinator, 'SF0770');
    const [first, second] = elements as [string, string];
    const order = await declinedOrder('SF0770');
    const started = await api.ok<{ startPlanB: { state: string } }>(coordinator, START_PLAN_B, {
      o: order.id,
      i: {
        kind: 'REDUCED_SCOPE',
        description: 'Deliver without the first element',
        droppedDataElements: [first],
      },
    });
    expect(started.startPlanB.state).toBe('scopeAcknowledgement');

    const waiting = await view(coordinator, order.id);
    expect(waiting).toMatchObject({
      ballInCourt: 'PROJECT',
      specification: { dataElements: [second] },
      droppedDataElements: [first],
      scopeReduction: {
        droppedDataElements: [first],
        projectIds: [api.ids.projects.KY, api.ids.projects.KSD].sort(),
        responses: [],
      },
    });
    expect(waiting.dueAt).not.toBeNull();
    expect(waiting.allowedEvents).not.toContain('PLAN_TEST');
    // The order cannot go to test while the projects have not answered.
    const early = await api.graphql(
      coordinator,
      'mutation($o: ID!, $i: PlanTestInput!) { planTest(orderId: $o, input: $i) { state } }',
      {
        o: order.id,
        i: {
          responsible: 'KOMBIT',
          mode: 'SHARED',
          participantProjectIds: [api.ids.projects.KY],
          windowStart: daysFromNow(30),
          windowEnd: daysFromNow(40),
        },
      },
    );
    expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    // Both lost the element, so both are told to answer.
    const told = await projectNotices(order.id);
    expect(told.filter((notice) => notice.kind === 'SCOPE_REDUCED')).toEqual([
      {
        email: 'ksd-projekt@projekter.example',
        kind: 'SCOPE_REDUCED',
        text: 'Deliver without the first element',
        takesPart: true,
        elements: first,
      },
      {
        email: 'ky-projekt@projekter.example',
        kind: 'SCOPE_REDUCED',
        text: 'Deliver without the first element',
        takesPart: true,
        elements: first,
      },
    ]);

    const ky = await api.projectUser('KY');
    const ksd = await api.projectUser('KSD');
    const barsel = await api.projectUser('BARSEL');
    const before = await api.rowCounts();
    // A project that did not request the interface may not even see the order: NOT_FOUND first.
    const stranger = await api.graphql(barsel, RESPOND, {
      o: order.id,
      i: { response: 'OBJECTED', projectId: api.ids.projects.KY },
    });
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const forOther = await api.graphql(ky, RESPOND, {
      o: order.id,
      i: { response: 'ACKNOWLEDGED', projectId: api.ids.projects.KSD },
    });
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bareObjection = await api.graphql(ksd, RESPOND, { o: order.id, i: { response: 'OBJECTED' } });
    expect(bareObjection.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(bareObjection.errors?.[0]?.extensions)).toContain('comment');
    expect(await api.rowCounts()).toEqual(before);

    const acknowledged = await api.ok<{ respondToScopeReduction: { state: string } }>(ky, RESPOND, {
      o: order.id,
      i: { response: 'ACKNOWLEDGED' },
    });
    expect(acknowledged.respondToScopeReduction.state).toBe('scopeAcknowledgement');
    // An acknowledgement is no news to the coordinators.
    expect(await objectionEmails(order.id)).toEqual([]);
    const twice = await api.graphql(ky, RESPOND, { o: order.id, i: { response: 'ACKNOWLEDGED' } });
    expect(twice.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    const objected = await api.ok<{ respondToScopeReduction: { state: string; ballInCourt: string } }>(
      ksd,
      RESPOND,
      { o: order.id, i: { response: 'OBJECTED', comment: 'We need it for the yearly statement' } },
    );
    expect(objected.respondToScopeReduction).toEqual({ state: 'planB', ballInCourt: 'COORDINATORS' });
    // The objection is mailed to the coordinators, naming the project, with its comment.
    const ksdName = (
      await api.db.query<{ name: string }>('SELECT name FROM project WHERE id = $1', [api.ids.projects.KSD])
    ).rows[0]?.name;
    expect(await objectionEmails(order.id)).toEqual([
      {
        email: 'koordinatorer@kombit.example',
        data: expect.objectContaining({
          projectName: ksdName,
          objection: 'We need it for the yearly statement',
          droppedElements: first,
          stillAwaiting: 0,
        }),
      },
    ]);
    const mailsBefore = sink.messages.length;
    await ensureWorker();
    const objectionMail = await waitForMail(
      (raw) => raw.includes('koordinatorer@kombit.example') && raw.includes('gør indsigelse'),
      mailsBefore,
    );
    expect(objectionMail).toContain(`${ksdName} gør indsigelse mod det reducerede omfang`);
    expect(objectionMail).toContain('We need it for the yearly statement');
    expect(objectionMail).toContain(`hvor disse dataelementer udgår: ${first}`);
    expect(objectionMail).toContain('Alle projekter har nu svaret');

    const after = await view(coordinator, order.id);
    expect(after.scopeReduction).toMatchObject({
      awaitingProjectIds: [],
      responses: expect.arrayContaining([
        { projectId: api.ids.projects.KY, response: 'ACKNOWLEDGED', comment: null },
        {
          projectId: api.ids.projects.KSD,
          response: 'OBJECTED',
          comment: 'We need it for the yearly statement',
        },
      ]),
    });
    const answers = after.history.filter((event) => event.type === 'RESPOND_TO_SCOPE_REDUCTION');
    expect(answers.map((event) => [event.actorRole, event.fromState, event.toState])).toEqual([
      ['project', 'scopeAcknowledgement', 'scopeAcknowledgement'],
      ['project', 'scopeAcknowledgement', 'planB'],
    ]);
    expect(JSON.parse(answers[1]?.payload ?? '{}')).toMatchObject({
      projectId: api.ids.projects.KSD,
      response: 'OBJECTED',
      comment: 'We need it for the yearly statement',
    });
    // Now the coordinators decide: here they go to test anyway.
    const planned = await orderOps.planTest(api, coordinator, order.id, [api.ids.projects.KY]);
    expect(planned.state).toBe('test.planning');
  });

  it('asks only the projects whose request lost an element', async () => {
    const elements = await offeredElements(api, coordinator, 'SF0790');
    const order = await declinedOrder('SF0790');
    // KY asked for the first element only, KSD for the first two: dropping the second spares KY.
    await api.ok(coordinator, START_PLAN_B, {
      o: order.id,
      i: { kind: 'REDUCED_SCOPE', description: 'Without the second', droppedDataElements: [elements[1]] },
    });
    const waiting = await view(coordinator, order.id);
    expect(waiting.scopeReduction?.projectIds).toEqual([api.ids.projects.KSD]);
    const told = await projectNotices(order.id);
    expect(
      told
        .filter((notice) => notice.kind === 'SCOPE_REDUCED')
        .map((notice) => [notice.email, notice.takesPart]),
    ).toEqual([
      ['ksd-projekt@projekter.example', true],
      ['ky-projekt@projekter.example', false],
    ]);
    const ky = await api.projectUser('KY');
    const notAsked = await api.graphql(ky, RESPOND, { o: order.id, i: { response: 'ACKNOWLEDGED' } });
    expect(notAsked.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    // A coordinator may record the answer on the project's behalf (given by phone).
    const recorded = await api.ok<{ respondToScopeReduction: { state: string } }>(coordinator, RESPOND, {
      o: order.id,
      i: { response: 'ACKNOWLEDGED', projectId: api.ids.projects.KSD },
    });
    expect(recorded.respondToScopeReduction.state).toBe('planB');
  });

  it('refuses a reduced scope that names nothing, something not ordered, or everything, and a drop for another kind', async () => {
    const elements = await offeredElements(api, coordinator, 'SF1180');
    const order = await declinedOrder('SF1180');
    const before = await api.rowCounts();
    const cases: Record<string, unknown>[] = [
      { kind: 'REDUCED_SCOPE', description: 'x' },
      { kind: 'REDUCED_SCOPE', description: 'x', droppedDataElements: ['CPR.NAVN'] },
      { kind: 'REDUCED_SCOPE', description: 'x', droppedDataElements: elements.slice(0, 2) },
      { kind: 'WORKAROUND', description: 'x', droppedDataElements: elements.slice(0, 1) },
    ];
    for (const input of cases) {
      const refused = await api.graphql(coordinator, START_PLAN_B, { o: order.id, i: input });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(refused.errors?.[0]?.extensions)).toContain('droppedDataElements');
    }
    expect(await api.rowCounts()).toEqual(before);
  });
});

describe('changes after the supplier is engaged', () => {
  it('are sent to the supplier as a new round whose email and reply page show what changed', async () => {
    await ensureWorker();
    const elements = await offeredElements(api, coordinator, 'SF0462');
    const order = await agreedOrder('SF0462');
    const requests = await requestsOf(order.id);
    const kyRequest = requests.find((request) => request.code === 'KY');
    if (!kyRequest) throw new Error('no KY request');
    const ky = await api.projectUser('KY');
    const earlier = daysFromNow(45);
    const added = elements[2] as string;
    await updateRequest(ky, { requestId: kyRequest.id, dataElements: [elements[0], added], needBy: earlier });

    const changed = await view(coordinator, order.id);
    expect(changed.state).toBe('negotiation.agreed');
    expect(changed.amendments).toEqual([
      {
        requestId: kyRequest.id,
        change: 'resubmitted',
        previousDataElements: [elements[0]],
        previousNeedBy: kyRequest.needBy,
      },
    ]);
    // The changed request is reviewed first, as every request is.
    const unreviewed = await api.graphql(coordinator, SEND_AMENDMENT, { o: order.id });
    expect(unreviewed.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    await review(api, coordinator, kyRequest.id, 'APPROVE');

    const mailsBefore = sink.messages.length;
    // A reply-by date must be a business day (one rule for every deadline date): 20 days on, or
    // the next business day when that falls on a weekend or holiday.
    const replyBy = businessDayOnOrAfter(new BusinessCalendar(), daysFromNow(20));
    const sent = await api.ok<{ sendAmendment: { state: string } }>(coordinator, SEND_AMENDMENT, {
      o: order.id,
      i: { replyBy },
    });
    expect(sent.sendAmendment.state).toBe('negotiation.awaitingSupplier');
    const round = await view(coordinator, order.id);
    const previousNeedBy = changed.specification.needBy;
    expect(round).toMatchObject({
      ballInCourt: 'SUPPLIER',
      agreedTerms: null,
      amendments: [],
      specification: { dataElements: [elements[0], elements[1], added].sort() },
      negotiation: {
        round: 2,
        replyBy,
        change: { added: [added], removed: [], needBy: { from: previousNeedBy, to: earlier } },
      },
    });
    expect(round.history.at(-1)).toMatchObject({
      type: 'SEND_AMENDMENT',
      fromState: 'negotiation.agreed',
      toState: 'negotiation.awaitingSupplier',
    });

    // Every project with an active request hears that the changed order went out, and what changed
    // (the project-notice policy; KY and KSD have mailboxes).
    const told = (await projectNotices(order.id)).filter((notice) => notice.kind === 'AMENDMENT_SENT');
    expect(told.map((notice) => notice.email)).toEqual([
      'ksd-projekt@projekter.example',
      'ky-projekt@projekter.example',
    ]);
    const notice = await waitForMail(
      (raw) =>
        raw.includes('To: ') &&
        raw.includes('ky-projekt@projekter.example') &&
        raw.includes('Nye dataelementer'),
      mailsBefore,
    );
    expect(notice).toMatch(new RegExp(`Nye dataelementer i bestillingen: ${added} `));
    expect(notice).toMatch(/Bestillingens behovsdato er ændret fra .+ til .+\./);
    expect(notice).toContain('Leverandøren er bedt om at svare senest');
    expect(notice).not.toContain('taget ud af bestillingen');

    // SKAT has two contacts; each gets the changed order with its own link.
    const email = await waitForMail((raw) => raw.includes('Dataelementer tilføjet'), mailsBefore);
    expect(email).toContain(`Dataelementer tilføjet: ${added}`);
    expect(email).toMatch(/Behovsdatoen er flyttet fra .+ til .+\./);
    expect(email).not.toContain('Dataelementer fjernet');
    const links = await activeLinks(api, order.id);
    expect(links).toHaveLength(2);
    const page = await fetch(`${api.url}${links[0]?.path}?lang=en`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('What changed');
    expect(html).toContain('Data elements added');
    expect(html).toContain(added);
    expect(html).toContain('Need-by date moved');
    expect(html).not.toContain('Data elements removed');
  });

  it('are turned down with a comment to the project: the order stays, the request is put back', async () => {
    const elements = await offeredElements(api, coordinator, 'SF0780');
    const order = await agreedOrder('SF0780');
    const ksdRequest = (await requestsOf(order.id)).find((request) => request.code === 'KSD');
    if (!ksdRequest) throw new Error('no KSD request');
    const ksd = await api.projectUser('KSD');
    await updateRequest(ksd, { requestId: ksdRequest.id, dataElements: [elements[0]] });
    // Barsel asks for the interface only now: a new request on the engaged order, also an amendment.
    const late = await submit(api, coordinator, {
      interfaceKey: 'SF0780',
      projectId: api.ids.projects.BARSEL,
      dataElements: elements.slice(0, 1),
    });
    expect(late.order.id).toBe(order.id);
    const pending = await view(coordinator, order.id);
    expect(pending.amendments.map((amendment) => [amendment.requestId, amendment.change])).toEqual([
      [ksdRequest.id, 'resubmitted'],
      [late.id, 'submitted'],
    ]);

    const before = await api.rowCounts();
    const noChange = await api.graphql(coordinator, TURN_DOWN, {
      o: order.id,
      i: { requestId: (await requestsOf(order.id)).find((r) => r.code === 'KY')?.id, comment: 'x' },
    });
    expect(noChange.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    const asProject = await api.graphql(ksd, TURN_DOWN, {
      o: order.id,
      i: { requestId: ksdRequest.id, comment: 'x' },
    });
    expect(asProject.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await api.rowCounts()).toEqual(before);

    const turned = await api.ok<{ turnDownAmendment: { state: string } }>(coordinator, TURN_DOWN, {
      o: order.id,
      i: { requestId: ksdRequest.id, comment: 'The supplier has agreed; change it in the next order' },
    });
    expect(turned.turnDownAmendment.state).toBe('negotiation.agreed');
    await api.ok(coordinator, TURN_DOWN, {
      o: order.id,
      i: { requestId: late.id, comment: 'Too late for this one' },
    });

    const after = await view(coordinator, order.id);
    expect(after.amendments).toEqual([]);
    expect(after.agreedTerms).toEqual({ priceOere: '2500000' });
    expect(after.history.filter((event) => event.type === 'TURN_DOWN_AMENDMENT')).toHaveLength(2);
    const rows = await requestsOf(order.id);
    expect(rows.find((row) => row.code === 'KSD')).toMatchObject({
      status: 'APPROVED',
      dataElements: elements.slice(0, 2),
      reviewComment: 'The supplier has agreed; change it in the next order',
    });
    expect(rows.find((row) => row.code === 'BARSEL')).toMatchObject({
      status: 'REJECTED',
      reviewComment: 'Too late for this one',
    });
    const told = (await projectNotices(order.id)).filter((notice) => notice.kind === 'AMENDMENT_TURNED_DOWN');
    expect(told.map((notice) => [notice.email, notice.text])).toEqual([
      ['ksd-projekt@projekter.example', 'The supplier has agreed; change it in the next order'],
      ['barsel-projekt@projekter.example', 'Too late for this one'],
    ]);
    // Nothing left to send.
    const nothing = await api.graphql(coordinator, SEND_AMENDMENT, { o: order.id });
    expect(nothing.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    expect((await getOrder(api, coordinator, order.id)).state).toBe('negotiation.agreed');
  });
});
