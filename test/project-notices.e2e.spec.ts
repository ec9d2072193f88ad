import { DataSource } from 'typeorm';
import {
  EmailComposer,
  OUTBOX_ROW_COLUMNS,
  type OutboxRow,
} from '../apps/worker/src/email/email-composer.js';
import { ApiHarness } from './support/api-harness.js';
import {
  consolidatedOrder,
  daysFromNow,
  offeredElements,
  orderOps,
  review,
  submit,
} from './support/flows.js';
import { decodedQuotedPrintable, SmtpSink } from './support/smtp-sink.js';

let api: ApiHarness;
let coordinator: string;
const sink = new SmtpSink();

beforeAll(async () => {
  await sink.start();
  api = await ApiHarness.start({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SUPPLIER_EMAIL_HOURS: 'any' });
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api?.stop();
  await sink.stop();
});

interface NoticeRow {
  recipientEmail: string;
  language: string;
  kind: string;
  text: string | null;
  takesPart: boolean | null;
}

/** The project notices written for an order, oldest first. */
async function notices(orderId: string): Promise<NoticeRow[]> {
  const rows = await api.db.query<NoticeRow>(
    `SELECT recipient_email AS "recipientEmail", language, data->>'noticeKind' AS kind,
            data->>'noticeText' AS text, (data->>'takesPart')::boolean AS "takesPart"
       FROM outbox_email WHERE order_id = $1 AND template = 'PROJECT_UPDATE'
      ORDER BY created_at, recipient_email`,
    [orderId],
  );
  return rows.rows;
}

const KY = 'ky-projekt@projekter.example';
const KSD = 'ksd-projekt@projekter.example';

describe('project notices', () => {
  it("tell the requesting project, in its language, how its request was reviewed, with the coordinators' words", async () => {
    const elements = await offeredElements(api, coordinator, 'SF1320');
    const ky = await submit(api, coordinator, {
      interfaceKey: 'SF1320',
      projectId: api.ids.projects.KY,
      dataElements: elements.slice(0, 1),
    });
    const ksd = await submit(api, coordinator, {
      interfaceKey: 'SF1320',
      projectId: api.ids.projects.KSD,
      dataElements: elements.slice(0, 1),
    });
    await review(api, coordinator, ky.id, 'REQUEST_CHANGES', 'Angiv bilagsreferencen.');
    await review(api, coordinator, ksd.id, 'REJECT', 'Covered by KY');
    expect(await notices(ky.order.id)).toEqual([
      {
        recipientEmail: KY,
        language: 'da',
        kind: 'REQUEST_CHANGES_REQUESTED',
        text: 'Angiv bilagsreferencen.',
        takesPart: null,
      },
      {
        recipientEmail: KSD,
        language: 'en',
        kind: 'REQUEST_REJECTED',
        text: 'Covered by KY',
        takesPart: null,
      },
    ]);
  });

  it('send nothing to a project without a mailbox, until one is set', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1290', ['OKO']);
    expect(await notices(order.id)).toEqual([]);

    const set = await api.ok<{ setProjectContact: { contactEmail: string; contactLanguage: string } }>(
      coordinator,
      `mutation($input: SetProjectContactInput!) { setProjectContact(input: $input) { contactEmail contactLanguage } }`,
      {
        input: {
          projectId: api.ids.projects.OKO,
          contactEmail: 'oko@projekter.example',
          contactName: 'OKO',
          contactLanguage: 'en',
        },
      },
    );
    expect(set.setProjectContact).toEqual({ contactEmail: 'oko@projekter.example', contactLanguage: 'en' });
    await orderOps.cancel(api, coordinator, order.id, 'Not needed after all');
    expect(await notices(order.id)).toEqual([
      {
        recipientEmail: 'oko@projekter.example',
        language: 'en',
        kind: 'CANCELLED',
        text: 'Not needed after all',
        takesPart: null,
      },
    ]);
  });

  it('tell every requesting project about the milestones from agreement to live, and only those', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0462', ['KY', 'KSD']);
    const afterApprovals = (await notices(order.id)).length;
    expect(afterApprovals).toBe(2);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, {
      kind: 'PROPOSE',
      terms: { priceOere: '100000', deliveryDate: daysFromNow(20) },
    });
    await orderOps.accept(api, coordinator, order.id);
    await orderOps.hold(api, coordinator, order.id, 'Budget review');
    await orderOps.resume(api, coordinator, order.id);
    // Only KY takes part in the test.
    await orderOps.planTest(api, coordinator, order.id, [api.ids.projects.KY]);
    await orderOps.startTest(api, coordinator, order.id);
    await orderOps.result(api, coordinator, order.id, { projectId: api.ids.projects.KY, outcome: 'PASSED' });
    await orderOps.completeTest(api, coordinator, order.id);
    await orderOps.goLive(api, coordinator, order.id, daysFromNow(60));

    const milestones = (await notices(order.id)).slice(afterApprovals);
    expect(milestones.map((n) => [n.kind, n.recipientEmail, n.takesPart])).toEqual([
      ['SUPPLIER_AGREED', KSD, null],
      ['SUPPLIER_AGREED', KY, null],
      ['TEST_PLANNED', KSD, false],
      ['TEST_PLANNED', KY, true],
      ['LIVE', KSD, null],
      ['LIVE', KY, null],
    ]);
  });

  it('are not written when the transition is refused', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0770', ['KY']);
    const before = await api.rowCounts();
    const early = await api.graphql(
      coordinator,
      'mutation($o: ID!) { goLive(orderId: $o, input: {liveDate: "2030-01-01"}) { state } }',
      { o: order.id },
    );
    expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    const stale = await api.graphql(
      coordinator,
      'mutation($o: ID!) { cancelOrder(orderId: $o, reason: "x", expectedVersion: 0) { state } }',
      { o: order.id },
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await api.rowCounts()).toEqual(before);
  });

  it('about a request show that request (its data elements, need-by date, project), not the empty order specification', async () => {
    const worker = api.worker ?? (await api.startWorker());
    const elements = await offeredElements(api, coordinator, 'SF0802');
    const request = await submit(api, coordinator, {
      interfaceKey: 'SF0802',
      projectId: api.ids.projects.KY,
      dataElements: elements.slice(0, 2),
      needBy: daysFromNow(120),
    });
    // Approved before any consolidation: the order's specification is still empty.
    await review(api, coordinator, request.id, 'APPROVE');
    const rows = await api.db.query<OutboxRow>(
      `SELECT ${OUTBOX_ROW_COLUMNS} FROM outbox_email
        WHERE order_id = $1 AND template = 'PROJECT_UPDATE' AND data->>'noticeKind' = 'REQUEST_APPROVED'`,
      [request.order.id],
    );
    const row = rows.rows[0];
    if (!row) throw new Error('no REQUEST_APPROVED notice');
    const composer = worker.get(EmailComposer);
    const manager = api.app.get(DataSource).manager;
    const { data } = await composer.emailData(manager, row);
    expect(data.order).toMatchObject({
      needBy: daysFromNow(120),
      projects: [expect.stringMatching(/\S/)],
      dataElements: elements.slice(0, 2).map((code) => ({ code, name: expect.any(String) })),
    });
    const text = (await composer.compose(manager, row)).rendered.text;
    expect(text).toContain(elements[0]);
    expect(text).toContain(elements[1]);
  });

  it('are delivered by the worker as an email the project can read', async () => {
    if (!api.worker) await api.startWorker();
    const before = sink.messages.length;
    const order = await consolidatedOrder(api, coordinator, 'SF0830', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, { kind: 'DECLINE', reason: 'No capacity this year' });
    await orderOps.planB(api, coordinator, order.id, {
      kind: 'WORKAROUND',
      description: 'Manual lookup <until> the web service exists',
    });
    const deadline = Date.now() + 10_000;
    const planB = () =>
      sink.messages
        .slice(before)
        .find((m) => m.recipients.includes(KY) && decodedQuotedPrintable(m.raw).includes('Plan B'));
    while (!planB() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const body = decodedQuotedPrintable(planB()?.raw ?? '');
    expect(body).toContain('Koordinatorerne har sat en plan B i gang for snitfladen SF0830');
    expect(body).toContain('Manual lookup <until> the web service exists');
    expect(body).toContain('Manual lookup &lt;until&gt; the web service exists');
  });
});

describe('setProjectContact', () => {
  const mutation =
    'mutation($input: SetProjectContactInput!) { setProjectContact(input: $input) { code contactEmail contactName } }';

  it("lets a project user set its own project's mailbox, and no other's", async () => {
    const ksdUser = await api.projectUser('KSD');
    const own = await api.ok<{ setProjectContact: { contactEmail: string } }>(ksdUser, mutation, {
      input: {
        projectId: api.ids.projects.KSD,
        contactEmail: 'ksd-new@projekter.example',
        contactName: 'KSD',
        contactLanguage: 'en',
      },
    });
    expect(own.setProjectContact.contactEmail).toBe('ksd-new@projekter.example');
    const before = await api.rowCounts();
    const other = await api.graphql(ksdUser, mutation, {
      input: { projectId: api.ids.projects.KY, contactEmail: 'evil@example.org', contactLanguage: 'da' },
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const ky = await api.db.query('SELECT contact_email FROM project WHERE id = $1', [api.ids.projects.KY]);
    expect(ky.rows[0]).toEqual({ contact_email: KY });
    expect(await api.rowCounts()).toEqual(before);
  });

  it('refuses a malformed address or id, changing nothing', async () => {
    for (const input of [
      { projectId: api.ids.projects.KY, contactEmail: 'not an address', contactLanguage: 'da' },
      { projectId: 'nope', contactEmail: 'a@b.example', contactLanguage: 'da' },
    ]) {
      const response = await api.graphql(coordinator, mutation, { input });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const ky = await api.db.query('SELECT contact_email FROM project WHERE id = $1', [api.ids.projects.KY]);
    expect(ky.rows[0]).toEqual({ contact_email: KY });
  });

  it('clears the mailbox (and its name) with a null address', async () => {
    const cleared = await api.ok<{
      setProjectContact: { contactEmail: string | null; contactName: string | null };
    }>(coordinator, mutation, {
      input: {
        projectId: api.ids.projects.BARSEL,
        contactEmail: null,
        contactName: 'ignored',
        contactLanguage: 'da',
      },
    });
    expect(cleared.setProjectContact).toEqual({ code: 'BARSEL', contactEmail: null, contactName: null });
  });
});
