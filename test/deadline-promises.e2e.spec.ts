import { ManualClock } from '@snitflow/common';
import { ReminderProcessor } from '../apps/worker/src/reminders/reminder.processor.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';

// Tuesday 1 December 2026, 10:00 in Copenhagen. The default deadline policies: waiting for the
// supplier has a reminder 2 business days before, one on the day, overdue ones every 3 business
// days, and escalates after 2 overdue reminders.
const START = new Date('2026-12-01T09:00:00.000Z');

let api: ApiHarness;
let clock: ManualClock;
let coordinator: string;
let processor: ReminderProcessor;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start(
    { SUPPLIER_EMAIL_HOURS: 'any', RECONCILE_INTERVAL_SECONDS: '86400' },
    { clock },
  );
  coordinator = await api.coordinator();
  const worker = await api.startWorker({ clock });
  processor = worker.get(ReminderProcessor);
});

afterAll(async () => {
  await api?.stop();
});

interface ReminderRow {
  scheduleVersion: number;
  step: number;
  kind: string;
  status: string;
  sendAt: Date;
}

async function reminders(orderId: string, status?: string): Promise<ReminderRow[]> {
  const result = await api.db.query<ReminderRow>(
    `SELECT r.schedule_version AS "scheduleVersion", r.step, r.kind, r.status, r.send_at AS "sendAt"
       FROM order_reminder r JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
      WHERE r.order_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY r.send_at, r.step`,
    [orderId, status ?? null],
  );
  return result.rows;
}

async function history(orderId: string): Promise<string[]> {
  const result = await api.db.query<{ type: string; kind: string | null }>(
    `SELECT type, payload->>'kind' AS kind FROM order_event WHERE order_id = $1 AND version > 0 ORDER BY version`,
    [orderId],
  );
  // From the send on: what came before (requests, review, consolidation) is not this test's.
  const names = result.rows.map((row) => (row.kind ? `${row.type}:${row.kind}` : row.type));
  return names.slice(names.indexOf('SEND_TO_SUPPLIER'));
}

async function orderRow(orderId: string): Promise<{ dueAt: Date; escalationLevel: number }> {
  const result = await api.db.query<{ dueAt: Date; escalationLevel: number }>(
    'SELECT due_at AS "dueAt", escalation_level AS "escalationLevel" FROM interface_order WHERE id = $1',
    [orderId],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`order ${orderId} not found`);
  return row;
}

async function supplierReminderRounds(orderId: string): Promise<number> {
  const result = await api.db.query<{ rounds: number }>(
    `SELECT count(DISTINCT created_at)::int AS rounds FROM outbox_email
      WHERE order_id = $1 AND template = 'SUPPLIER_REMINDER'`,
    [orderId],
  );
  return result.rows[0]?.rounds ?? 0;
}

/** Every wake-up of the current schedule that is due fires at once, as after a worker outage. */
async function fireAllDue(orderId: string): Promise<void> {
  const due = (await reminders(orderId, 'PENDING')).filter((row) => row.sendAt <= clock.now());
  await Promise.all(
    due.map((row) => processor.fire({ orderId, scheduleVersion: row.scheduleVersion, step: row.step })),
  );
}

async function sentOrder(key: string, input: Record<string, unknown> = {}): Promise<string> {
  clock.set(START);
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id, input);
  return order.id;
}

describe('missed reminders', () => {
  it('collapse into one reminder, and the escalation comes only after the overdue reminders really went out', async () => {
    const orderId = await sentOrder('SF1320');
    const planned = await reminders(orderId, 'PENDING');
    const escalation = planned.at(-1);
    expect(escalation?.kind).toBe('ESCALATION');
    // The worker was away until after the escalation's time: every step is due at once.
    clock.set(new Date((escalation?.sendAt.getTime() ?? 0) + 60_000));
    await fireAllDue(orderId);

    // One reminder (one round of links to the supplier), not one per missed step; no escalation
    // yet, since no overdue reminder had gone out.
    expect(await history(orderId)).toEqual(['SEND_TO_SUPPLIER', 'REMINDER_SENT:OVERDUE']);
    expect(await supplierReminderRounds(orderId)).toBe(1);
    const links = await api.db.query(`SELECT 1 FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE'`, [
      orderId,
    ]);
    const contacts = await api.db.query(
      'SELECT 1 FROM supplier_contact WHERE supplier_id = (SELECT supplier_id FROM interface_order WHERE id = $1)',
      [orderId],
    );
    expect(links.rowCount).toBe(contacts.rowCount);
    const collapsed = await reminders(orderId, 'COLLAPSED');
    expect(collapsed.map((row) => row.kind)).toEqual(['BEFORE_DUE', 'ON_DUE', 'OVERDUE', 'OVERDUE']);

    // The escalation moved one reminder interval on; at its time one more overdue reminder goes
    // (the policy wants two), and only at the next one the order escalates.
    for (const expected of ['REMINDER_SENT:OVERDUE', 'ESCALATE']) {
      const [next] = await reminders(orderId, 'PENDING');
      expect(next?.kind).toBe('ESCALATION');
      expect(next?.sendAt.getTime()).toBeGreaterThan(clock.now().getTime());
      clock.set(new Date((next?.sendAt.getTime() ?? 0) + 60_000));
      await fireAllDue(orderId);
      expect((await history(orderId)).at(-1)).toBe(expected);
    }
    expect(await history(orderId)).toEqual([
      'SEND_TO_SUPPLIER',
      'REMINDER_SENT:OVERDUE',
      'REMINDER_SENT:OVERDUE',
      'ESCALATE',
    ]);
    expect((await orderRow(orderId)).escalationLevel).toBe(1);
  });

  it('steps fired in their time each go out once, in order', async () => {
    const orderId = await sentOrder('SF0462');
    for (const row of await reminders(orderId, 'PENDING')) {
      clock.set(new Date(row.sendAt.getTime() + 60_000));
      await fireAllDue(orderId);
      // A late wake-up of an earlier step finds it done and does nothing.
      await processor.fire({ orderId, scheduleVersion: row.scheduleVersion, step: row.step });
    }
    expect(await history(orderId)).toEqual([
      'SEND_TO_SUPPLIER',
      'REMINDER_SENT:BEFORE_DUE',
      'REMINDER_SENT:ON_DUE',
      'REMINDER_SENT:OVERDUE',
      'REMINDER_SENT:OVERDUE',
      'ESCALATE',
    ]);
  });
});

describe('hold and resume', () => {
  it('keep the extended due date (moved on by the business days held), the escalation level and the steps done', async () => {
    const orderId = await sentOrder('SF0800');
    await api.ok(
      coordinator,
      'mutation($id: ID!) { extendDeadline(orderId: $id, dueDate: "2027-01-15", reason: "Supplier asked") { dueAt } }',
      { id: orderId },
    );
    // Every step in its time, up to the escalation.
    for (const row of await reminders(orderId, 'PENDING')) {
      clock.set(new Date(row.sendAt.getTime() + 60_000));
      await fireAllDue(orderId);
    }
    expect((await orderRow(orderId)).escalationLevel).toBe(1);
    const doneBefore = (await reminders(orderId, 'DONE')).map((row) => `${row.step}:${row.kind}`);
    expect(doneBefore).toHaveLength(5);

    // Held on Thursday 28 January 2027, resumed on Tuesday 2 February: 3 business days.
    clock.set(new Date('2027-01-28T12:00:00.000Z'));
    await orderOps.hold(api, coordinator, orderId, 'Budget review');
    clock.set(new Date('2027-02-02T09:00:00.000Z'));
    const resumed = await orderOps.resume(api, coordinator, orderId);
    expect(resumed.state).toBe('negotiation.awaitingSupplier');
    const order = await orderRow(orderId);
    // Friday 15 January + 3 business days = Wednesday 20 January, 16:00 in Copenhagen.
    expect(order.dueAt.toISOString()).toBe('2027-01-20T15:00:00.000Z');
    expect(order.escalationLevel).toBe(1);
    // The steps done stay done (none is sent again); the escalation is not planned twice.
    expect((await reminders(orderId, 'DONE')).map((row) => `${row.step}:${row.kind}`)).toEqual(doneBefore);
    expect(await reminders(orderId, 'PENDING')).toEqual([]);
  });

  it('on the same business day keep the due date exactly', async () => {
    const orderId = await sentOrder('SF1180', { replyBy: '2026-12-18' });
    await orderOps.hold(api, coordinator, orderId, 'Phone call');
    clock.set(new Date(START.getTime() + 3 * 3600_000));
    await orderOps.resume(api, coordinator, orderId);
    expect((await orderRow(orderId)).dueAt.toISOString()).toBe('2026-12-18T15:00:00.000Z');
  });
});

describe('dates that set a deadline', () => {
  it('refuse a day that is not a business day, naming the business days before and after, and change nothing', async () => {
    clock.set(START);
    const order = await consolidatedOrder(api, coordinator, 'SF0770', ['KY']);
    const before = await api.rowCounts();
    const send = await api.graphql(
      coordinator,
      'mutation($o: ID!) { sendToSupplier(orderId: $o, input: {replyBy: "2027-03-29"}) { state } }',
      { o: order.id },
    );
    // Easter Monday 2027; the Thursday and Friday before are holidays too.
    expect(send.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'replyBy',
      businessDayBefore: '2027-03-24',
      businessDayAfter: '2027-03-30',
    });
    expect(send.errors?.[0]?.message).toContain('Easter Monday');
    expect(await api.rowCounts()).toEqual(before);

    await orderOps.send(api, coordinator, order.id, { replyBy: '2027-03-30' });
    // Tuesday 30 March 2027, 16:00 in Copenhagen (summer time).
    expect((await orderRow(order.id)).dueAt.toISOString()).toBe('2027-03-30T14:00:00.000Z');

    for (const [dueDate, businessDayBefore, businessDayAfter] of [
      ['2027-01-16', '2027-01-15', '2027-01-18'], // a Saturday
      ['2026-12-24', '2026-12-23', '2026-12-28'], // a closing day
      ['2026-12-25', '2026-12-23', '2026-12-28'], // Christmas Day
    ]) {
      const counts = await api.rowCounts();
      const extend = await api.graphql(
        coordinator,
        'mutation($o: ID!, $d: Date!) { extendDeadline(orderId: $o, dueDate: $d, reason: "x") { dueAt } }',
        { o: order.id, d: dueDate },
      );
      expect(extend.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'dueDate',
        businessDayBefore,
        businessDayAfter,
      });
      expect(await api.rowCounts()).toEqual(counts);
    }

    // A past holiday is refused as past, without suggesting business days that are past too.
    const other = await consolidatedOrder(api, coordinator, 'SF0780', ['KY']);
    const counts = await api.rowCounts();
    const pastHoliday = await api.graphql(
      coordinator,
      'mutation($o: ID!) { extendDeadline(orderId: $o, dueDate: "2026-01-01", reason: "x") { dueAt } }',
      { o: order.id },
    );
    expect(pastHoliday.errors?.[0]?.message).toBe('dueDate 2026-01-01 is in the past');
    expect(pastHoliday.errors?.[0]?.extensions).not.toHaveProperty('businessDayBefore');
    const pastSend = await api.graphql(
      coordinator,
      'mutation($o: ID!) { sendToSupplier(orderId: $o, input: {replyBy: "2025-12-25"}) { state } }',
      { o: other.id },
    );
    expect(pastSend.errors?.[0]?.message).toBe('replyBy 2025-12-25 is in the past');
    expect(pastSend.errors?.[0]?.extensions).not.toHaveProperty('businessDayBefore');
    expect(await api.rowCounts()).toEqual(counts);
  });
});

describe('supplier response figures', () => {
  it('count an answer that came after a hold, with the hold left out of the wait', async () => {
    // Sent Tuesday 1 December; held Thursday 3 (2 business days with the supplier); resumed
    // Tuesday 8 (Friday, Monday and Tuesday on hold); answered Thursday 10 (2 more): 4 in all.
    const orderId = await sentOrder('SF0740');
    clock.set(new Date('2026-12-03T09:00:00.000Z'));
    await orderOps.hold(api, coordinator, orderId, 'Budget review');
    clock.set(new Date('2026-12-08T09:00:00.000Z'));
    await orderOps.resume(api, coordinator, orderId);
    clock.set(new Date('2026-12-10T09:00:00.000Z'));
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ACCEPT' });

    const data = await api.ok<{ supplierResponseStats: { answered: number; medianBusinessDays: number }[] }>(
      coordinator,
      'query($s: ID) { supplierResponseStats(supplierId: $s) { answered medianBusinessDays } }',
      { s: api.ids.suppliers.ASK },
    );
    expect(data.supplierResponseStats).toEqual([{ answered: 1, medianBusinessDays: 4 }]);
  });
});
