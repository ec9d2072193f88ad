import { DeadlinePlanner } from '@snitflow/orders';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, daysFromNow, getOrder, orderOps } from './support/flows.js';
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

/** A business day about `days` from now: reply-by and due dates must be business days. */
function businessDayFromNow(days: number): string {
  const calendar = api.app.get(DeadlinePlanner).calendar;
  const date = daysFromNow(days);
  return calendar.isBusinessDay(date) ? date : calendar.nextBusinessDay(date);
}

afterAll(async () => {
  await api?.stop();
  await sink.stop();
});

const OUTCOMES =
  'applied succeeded failed outcomes { orderId ok errorCode message order { id state version dueAt } }';

interface BulkResult {
  applied: boolean;
  succeeded: number;
  failed: number;
  outcomes: {
    orderId: string;
    ok: boolean;
    errorCode: string | null;
    message: string | null;
    order: { id: string; state: string; version: number; dueAt: string | null } | null;
  }[];
}

async function historyTypes(orderId: string): Promise<string[]> {
  const rows = await api.db.query<{ type: string }>(
    'SELECT type FROM order_event WHERE order_id = $1 ORDER BY version',
    [orderId],
  );
  return rows.rows.map((row) => row.type);
}

describe('bulk actions', () => {
  it('hold, extend and resume each order in its own transaction; a bad order fails alone, with its code', async () => {
    const consolidated = await consolidatedOrder(api, coordinator, 'SF0740', ['KY']);
    const waiting = await consolidatedOrder(api, coordinator, 'SF0741', ['KSD']);
    await orderOps.send(api, coordinator, waiting.id);
    const cancelled = await consolidatedOrder(api, coordinator, 'SF1280', ['KY']);
    await api.ok(
      coordinator,
      'mutation($o: ID!) { cancelOrder(orderId: $o, reason: "not needed") { state } }',
      {
        o: cancelled.id,
      },
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    const ids = [consolidated.id, waiting.id, unknown, cancelled.id];
    // A malformed id is bad input: the whole call is refused, naming it, and nothing changes.
    const before = await api.rowCounts();
    const malformed = await api.graphql(
      coordinator,
      'mutation($ids: [ID!]!) { bulkPutOnHold(orderIds: $ids, reason: "x") { succeeded } }',
      { ids: [consolidated.id, 'not-a-uuid'] },
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(malformed.errors?.[0]?.extensions)).toContain('orderIds');
    expect(await api.rowCounts()).toEqual(before);

    const held = (
      await api.ok<{ bulkPutOnHold: BulkResult }>(
        coordinator,
        `mutation($ids: [ID!]!) { bulkPutOnHold(orderIds: $ids, reason: "Steering group pause") { ${OUTCOMES} } }`,
        { ids },
      )
    ).bulkPutOnHold;
    expect(held.outcomes.map((o) => [o.orderId, o.ok, o.errorCode, o.order?.state ?? null])).toEqual([
      [consolidated.id, true, null, 'onHold'],
      [waiting.id, true, null, 'onHold'],
      [unknown, false, 'NOT_FOUND', null],
      [cancelled.id, false, 'INVALID_TRANSITION', null],
    ]);
    expect([held.applied, held.succeeded, held.failed]).toEqual([false, 2, 2]);
    expect((await historyTypes(consolidated.id)).at(-1)).toBe('PUT_ON_HOLD');
    expect((await historyTypes(waiting.id)).at(-1)).toBe('PUT_ON_HOLD');
    expect((await historyTypes(cancelled.id)).at(-1)).toBe('CANCEL');

    // An order on hold has no deadline to extend: it fails, the other is extended.
    const resumedOne = await api.ok<{ resumeOrder: { state: string } }>(
      coordinator,
      'mutation($o: ID!) { resumeOrder(orderId: $o) { state } }',
      { o: waiting.id },
    );
    expect(resumedOne.resumeOrder.state).toBe('negotiation.awaitingSupplier');
    const dueDate = businessDayFromNow(40);
    const extended = (
      await api.ok<{ bulkExtendDeadlines: BulkResult }>(
        coordinator,
        `mutation($ids: [ID!]!, $d: Date!) { bulkExtendDeadlines(orderIds: $ids, dueDate: $d, reason: "Summer holidays") { ${OUTCOMES} } }`,
        { ids: [waiting.id, consolidated.id], d: dueDate },
      )
    ).bulkExtendDeadlines;
    expect(extended.outcomes.map((o) => [o.ok, o.errorCode])).toEqual([
      [true, null],
      [false, 'INVALID_TRANSITION'],
    ]);
    expect(extended.outcomes[0]?.order?.dueAt?.slice(0, 10)).toBe(dueDate);
    expect((await historyTypes(waiting.id)).at(-1)).toBe('EXTEND_DEADLINE');

    const resumed = (
      await api.ok<{ bulkResumeOrders: BulkResult }>(
        coordinator,
        `mutation($ids: [ID!]!) { bulkResumeOrders(orderIds: $ids) { ${OUTCOMES} } }`,
        { ids: [consolidated.id, waiting.id] },
      )
    ).bulkResumeOrders;
    expect(resumed.applied).toBe(false);
    expect(resumed.outcomes.map((o) => [o.ok, o.errorCode, o.order?.state ?? null])).toEqual([
      [true, null, 'consolidated'],
      [false, 'INVALID_TRANSITION', null],
    ]);
  });

  it('are for coordinators only, and refuse an empty or oversized list before doing anything', async () => {
    const ky = await api.projectUser('KY');
    const before = await api.rowCounts();
    const asProject = await api.graphql(
      ky,
      'mutation($ids: [ID!]!) { bulkResumeOrders(orderIds: $ids) { succeeded } }',
      { ids: ['00000000-0000-4000-8000-000000000000'] },
    );
    expect(asProject.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const ids of [[], Array.from({ length: 101 }, (_, i) => `id-${i}`)]) {
      const refused = await api.graphql(
        coordinator,
        'mutation($ids: [ID!]!) { bulkResumeOrders(orderIds: $ids) { succeeded } }',
        { ids },
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await api.rowCounts()).toEqual(before);
  });

  it("send all of a supplier's consolidated orders: one email per recipient listing them, a link per order; a bad order fails alone", async () => {
    await api.startWorker();
    const skat = api.ids.suppliers.SKAT as string;
    const first = await consolidatedOrder(api, coordinator, 'SF0770', ['KY']);
    const second = await consolidatedOrder(api, coordinator, 'SF0780', ['KSD']);
    // A third SKAT order written by a future release: it cannot be read, so its send fails.
    const unreadable = await api.db.query<{ id: string }>(
      `INSERT INTO interface_order (interface_id, supplier_id, state, ball_in_court, machine_version, snapshot, version)
       SELECT id, supplier_id, 'consolidated', 'COORDINATORS', 99, '{}', 0 FROM interface WHERE key = 'SF0790'
       RETURNING id`,
    );
    const badId = unreadable.rows[0]?.id as string;
    // Not consolidated: not part of the batch.
    const notYet = await consolidatedOrder(api, coordinator, 'SF1180', ['KY']);
    await orderOps.send(api, coordinator, notYet.id);
    const mailsBefore = sink.messages.length;

    const sent = (
      await api.ok<{ bulkSendToSupplier: BulkResult }>(
        coordinator,
        `mutation($s: ID!, $r: Date) { bulkSendToSupplier(supplierId: $s, input: {replyBy: $r}) { ${OUTCOMES} } }`,
        { s: skat, r: businessDayFromNow(15) },
      )
    ).bulkSendToSupplier;
    expect(sent.outcomes.map((o) => [o.orderId, o.ok, o.errorCode, o.order?.state ?? null])).toEqual([
      [first.id, true, null, 'negotiation.awaitingSupplier'],
      [second.id, true, null, 'negotiation.awaitingSupplier'],
      [badId, false, 'UNSUPPORTED_MACHINE_VERSION', null],
    ]);
    for (const order of [first, second]) {
      const history = await api.db.query<{ type: string; payload: { batchId?: string } }>(
        'SELECT type, payload FROM order_event WHERE order_id = $1 ORDER BY version DESC LIMIT 1',
        [order.id],
      );
      expect(history.rows[0]?.type).toBe('SEND_TO_SUPPLIER');
      expect(history.rows[0]?.payload.batchId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await getOrder(api, coordinator, order.id)).negotiation?.replyBy).toBe(businessDayFromNow(15));
    }

    // SKAT has two contacts: each gets exactly one email, naming both orders with a link for each.
    const contacts = (await activeLinks(api, first.id)).map((link) => link.email);
    expect(contacts).toHaveLength(2);
    const deadline = Date.now() + 10_000;
    const mails = () =>
      sink.messages
        .slice(mailsBefore)
        .filter((message) => contacts.some((email) => message.recipients.includes(email)))
        // The order sent on its own before may still be on its way: not the batch's.
        .filter((message) => !message.raw.includes(`X-Snitflow-Order: ${notYet.reference}`));
    while (mails().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Give a wrongly separate email time to show up too.
    await new Promise((r) => setTimeout(r, 500));
    expect(mails()).toHaveLength(2);
    const links = [...(await activeLinks(api, first.id)), ...(await activeLinks(api, second.id))];
    for (const email of contacts) {
      const message = mails().find((m) => m.recipients.includes(email));
      const body = decodedQuotedPrintable(message?.raw ?? '');
      expect(body).toContain(first.reference);
      expect(body).toContain(second.reference);
      for (const link of links.filter((l) => l.email === email)) expect(body).toContain(link.url);
    }
    const rows = await api.db.query<{ status: string }>(
      `SELECT status FROM outbox_email WHERE order_id = ANY($1::uuid[]) AND template = 'SUPPLIER_ORDER'`,
      [[first.id, second.id]],
    );
    expect(rows.rows.map((row) => row.status)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);

    const unknownSupplier = await api.graphql(
      coordinator,
      'mutation($s: ID!) { bulkSendToSupplier(supplierId: $s) { succeeded } }',
      { s: '00000000-0000-4000-8000-000000000000' },
    );
    expect(unknownSupplier.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('do the same id twice once, however its letters are cased', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1300', ['KY']);
    const held = (
      await api.ok<{ bulkPutOnHold: BulkResult }>(
        coordinator,
        `mutation($ids: [ID!]!) { bulkPutOnHold(orderIds: $ids, reason: "once") { ${OUTCOMES} } }`,
        { ids: [order.id, order.id.toUpperCase(), order.id] },
      )
    ).bulkPutOnHold;
    expect(held.outcomes.map((o) => [o.orderId, o.ok])).toEqual([[order.id, true]]);
    expect([held.applied, held.succeeded, held.failed]).toEqual([true, 1, 0]);
    expect((await historyTypes(order.id)).filter((type) => type === 'PUT_ON_HOLD')).toHaveLength(1);
  });
});
