import { ModuleRef } from '@nestjs/core';
import { ManualClock } from '@snitflow/common';
import { ReminderProcessor, SWEEP_BATCH_SIZE } from '../apps/worker/src/reminders/reminder.processor.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { SHORT_SUPPLIER_POLICIES } from './support/reminders.js';

/*
 * The morning burst: many reminders due at one instant are fired many per transaction (the
 * processor's sweep, through OrderTransitionService.applyMany), and each order still gets exactly
 * what a reminder fired alone gives it: its lock, one history event, a new round of links and one
 * email per recipient, its step done. The processor is built on the API's providers and fired by
 * hand at a chosen moment (no worker: its jobs would sweep on their own).
 */

// The supplier has two business days, is reminded one business day before, on the day, then
// daily; the order escalates after two overdue reminders.
const POLICIES = SHORT_SUPPLIER_POLICIES;
// Tuesday 1 December 2026, 10:00 in Copenhagen; the first reminder is due Wednesday 08:00.
const START = new Date('2026-12-01T09:00:00.000Z');
const FIRST_REMINDER = new Date('2026-12-02T07:00:00.000Z');

let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;
let processor: ReminderProcessor;
let nextKey = 0;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start({ DEADLINE_POLICIES: POLICIES, SUPPLIER_EMAIL_HOURS: 'any' }, { clock });
  coordinator = await api.coordinator();
  processor = await api.app.get(ModuleRef).create(ReminderProcessor);
  // More interfaces than the demo catalogue's 18 (an interface has one open order at a time): copies
  // of SF0462, same supplier (with contacts) and data elements.
  await api.db.query(
    `WITH copies AS (
       INSERT INTO interface (key, title, supplier_id)
       SELECT 'SF9' || lpad(g::text, 3, '0'), 'Burst copy ' || g, i.supplier_id
         FROM interface i, generate_series(1, 40) AS g WHERE i.key = 'SF0462'
       RETURNING id)
     INSERT INTO data_element (interface_id, code, name)
     SELECT c.id, d.code, d.name FROM copies c, data_element d JOIN interface i ON i.id = d.interface_id
      WHERE i.key = 'SF0462'`,
  );
});

afterAll(async () => {
  await api.stop();
});

/** `count` orders sent to the supplier at START, on interfaces of their own. */
async function ordersSent(count: number): Promise<string[]> {
  clock.set(START);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    nextKey += 1;
    const order = await consolidatedOrder(api, coordinator, `SF9${String(nextKey).padStart(3, '0')}`, ['KY']);
    await orderOps.send(api, coordinator, order.id);
    ids.push(order.id);
  }
  return ids;
}

interface Fired {
  orderId: string;
  events: number;
  version: number;
  reminderEvents: { payload: Record<string, unknown>; tx: string }[];
  stepStatus: string;
  doneAt: Date | null;
  emails: { template: string; recipient: string; dataKeys: string[] }[];
  activeLinks: number;
  retiredLinks: number;
}

/** What a reminder left on the order: its history, its first step, its emails and links. */
async function firedOf(orderId: string): Promise<Fired> {
  const order = await api.db.query<{ version: number; events: number }>(
    `SELECT o.version, (SELECT count(*)::int FROM order_event e WHERE e.order_id = o.id) AS events
       FROM interface_order o WHERE o.id = $1`,
    [orderId],
  );
  const reminderEvents = await api.db.query<{ payload: Record<string, unknown>; tx: string }>(
    // xmin: the transaction that wrote the row.
    `SELECT payload, xmin::text AS tx FROM order_event WHERE order_id = $1 AND type = 'REMINDER_SENT' ORDER BY version`,
    [orderId],
  );
  const step = await api.db.query<{ status: string; doneAt: Date | null }>(
    `SELECT r.status, r.done_at AS "doneAt" FROM order_reminder r
       JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
      WHERE r.order_id = $1 AND r.step = 1`,
    [orderId],
  );
  const emails = await api.db.query<{ template: string; recipient: string; dataKeys: string[] }>(
    `SELECT template, recipient_email AS recipient, ARRAY(SELECT jsonb_object_keys(data) ORDER BY 1) AS "dataKeys"
       FROM outbox_email WHERE order_id = $1 AND template IN ('SUPPLIER_REMINDER', 'COORDINATOR_REMINDER')
      ORDER BY recipient_email`,
    [orderId],
  );
  const links = await api.db.query<{ active: number; retired: number }>(
    `SELECT count(*) FILTER (WHERE status = 'ACTIVE')::int AS active, count(*) FILTER (WHERE status = 'RETIRED')::int AS retired
       FROM reply_link WHERE order_id = $1`,
    [orderId],
  );
  return {
    orderId,
    events: order.rows[0]?.events ?? -1,
    version: order.rows[0]?.version ?? -1,
    reminderEvents: reminderEvents.rows,
    stepStatus: step.rows[0]?.status ?? 'MISSING',
    doneAt: step.rows[0]?.doneAt ?? null,
    emails: emails.rows,
    activeLinks: links.rows[0]?.active ?? -1,
    retiredLinks: links.rows[0]?.retired ?? -1,
  };
}

/** A fired order's rows without what differs between any two orders (ids, transactions). */
function shape(fired: Fired) {
  return {
    gapless: fired.events === fired.version,
    reminderEvents: fired.reminderEvents.map((event) => event.payload),
    stepStatus: fired.stepStatus,
    doneAt: fired.doneAt?.toISOString(),
    emails: fired.emails.map(({ template, dataKeys }) => ({ template, dataKeys })),
    activeLinks: fired.activeLinks,
    retiredLinks: fired.retiredLinks,
  };
}

describe('a burst of reminders due at one instant', () => {
  it('is fired many orders per transaction, each order getting exactly what a reminder fired alone gives it', async () => {
    const [alone, ...burst] = await ordersSent(9);
    if (!alone) throw new Error('no order');
    clock.set(FIRST_REMINDER);

    // One order fired alone first, as its own job does: the reference.
    const outcome = await processor.fire({
      orderId: alone,
      scheduleVersion: await scheduleOf(alone),
      step: 1,
    });
    expect(outcome).toBe('sent');
    const reference = await firedOf(alone);
    expect(reference.reminderEvents).toHaveLength(1);
    expect(reference.emails.length).toBeGreaterThan(0);
    expect(reference.emails.every((email) => email.template === 'SUPPLIER_REMINDER')).toBe(true);

    // The rest in the sweep: every one of them in one transaction (fewer than SWEEP_BATCH_SIZE).
    expect(burst.length).toBeLessThan(SWEEP_BATCH_SIZE);
    expect(await processor.fireDue()).toBe(burst.length);
    const fired = await Promise.all(burst.map(firedOf));
    const transactions = new Set(fired.flatMap((order) => order.reminderEvents.map((event) => event.tx)));
    expect(transactions.size).toBe(1);
    expect(transactions.has(reference.reminderEvents[0]?.tx ?? '')).toBe(false);
    for (const order of fired) expect(shape(order)).toEqual(shape(reference));
    // Each order's emails carry a link of its own round.
    const linkIds = await api.db.query<{ orders: number; links: number }>(
      `SELECT count(DISTINCT e.order_id)::int AS orders, count(DISTINCT l.id)::int AS links
         FROM outbox_email e JOIN reply_link l ON l.id = (e.data->>'linkId')::uuid AND l.order_id = e.order_id
        WHERE e.order_id = ANY($1::uuid[]) AND e.template = 'SUPPLIER_REMINDER' AND l.status = 'ACTIVE'`,
      [burst],
    );
    expect(linkIds.rows[0]).toEqual({
      orders: burst.length,
      links: fired.reduce((n, o) => n + o.emails.length, 0),
    });

    // Their own jobs run later and find the step done: nothing more happens.
    for (const orderId of burst.slice(0, 3)) {
      await processor.handle({ orderId, scheduleVersion: await scheduleOf(orderId), step: 1 });
      expect((await firedOf(orderId)).reminderEvents).toHaveLength(1);
    }
    expect(await processor.fireDue()).toBe(0);
  });

  it('splits between sweeps running at once, and fires each reminder once', async () => {
    const orders = await ordersSent(8);
    clock.set(FIRST_REMINDER);
    const counts = await Promise.all([processor.fireDue(), processor.fireDue(), processor.fireDue()]);
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(orders.length);
    for (const orderId of orders) {
      const fired = await firedOf(orderId);
      expect(fired.reminderEvents).toHaveLength(1);
      expect(fired.events).toBe(fired.version);
      expect(fired.stepStatus).toBe('DONE');
    }
  });

  it('fires the others one by one when one order of the batch cannot be fired, and leaves that one pending', async () => {
    const [broken, ...others] = await ordersSent(5);
    if (!broken) throw new Error('no order');
    clock.set(FIRST_REMINDER);
    // A snapshot no machine version can restore: the batch fails on it and is rolled back.
    await api.db.query('UPDATE interface_order SET machine_version = 999 WHERE id = $1', [broken]);
    try {
      expect(await processor.fireDue()).toBe(others.length);
      for (const orderId of others) {
        const fired = await firedOf(orderId);
        expect(fired.reminderEvents).toHaveLength(1);
        expect(fired.stepStatus).toBe('DONE');
      }
      const left = await firedOf(broken);
      expect(left.reminderEvents).toHaveLength(0);
      expect(left.stepStatus).toBe('PENDING');
      expect(left.emails).toHaveLength(0);
      // Later sweeps leave the broken order to its own job: the next burst is one transaction again.
      const later = await ordersSent(3);
      clock.set(FIRST_REMINDER);
      expect(await processor.fireDue()).toBe(later.length);
      const laterFired = await Promise.all(later.map(firedOf));
      expect(new Set(laterFired.map((order) => order.reminderEvents[0]?.tx)).size).toBe(1);
      expect((await firedOf(broken)).stepStatus).toBe('PENDING');
    } finally {
      await api.db.query(
        `UPDATE interface_order SET machine_version = (SELECT max(machine_version) FROM interface_order WHERE id <> $1)
          WHERE id = $1`,
        [broken],
      );
      await processor.fireDue();
    }
  });
});

async function scheduleOf(orderId: string): Promise<number> {
  const result = await api.db.query<{ scheduleVersion: number }>(
    'SELECT schedule_version AS "scheduleVersion" FROM interface_order WHERE id = $1',
    [orderId],
  );
  const version = result.rows[0]?.scheduleVersion;
  if (version === undefined) throw new Error(`order ${orderId} has no schedule`);
  return version;
}
