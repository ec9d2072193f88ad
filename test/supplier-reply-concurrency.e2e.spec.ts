import { ModuleRef } from '@nestjs/core';
import { ManualClock } from '@snitflow/common';
import type pg from 'pg';
import { ReminderProcessor } from '../apps/worker/src/reminders/reminder.processor.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, orderOps } from './support/flows.js';
import { nextSupplierReminder } from './support/reminders.js';
import { activeLinks as activeLinksOf, csrfOf, postReplyForm } from './support/reply-links.js';

/*
 * The supplier's answer racing other writers of the same order: a second submit of the same
 * form, and a supplier reminder (a new round of links). Its own API, so the reply page's rate
 * limit (30 a minute per address) is not shared with supplier-reply.e2e.spec.ts.
 */

// Tuesday 1 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-01T09:00:00.000Z');

let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;
let reminders: ReminderProcessor;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
  // The worker's reminder processor on the API's providers: fired by hand, at a chosen moment.
  reminders = await api.app.get(ModuleRef).create(ReminderProcessor);
});

afterAll(async () => {
  await api.stop();
});

const activeLinks = (orderId: string) => activeLinksOf(api, orderId);
const post = (path: string, fields: Record<string, string>) => postReplyForm(api, path, fields);

async function orderSentTo(key: string): Promise<string> {
  clock.set(START);
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  return order.id;
}

async function eventCount(orderId: string): Promise<number> {
  const result = await api.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM order_event WHERE order_id = $1',
    [orderId],
  );
  return result.rows[0]?.count ?? 0;
}

/** Waits until this many other sessions of the test database wait for a lock. */
async function waitForLockWaiters(client: pg.PoolClient, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const waiting = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if ((waiting.rows[0]?.count ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${count} session(s) to wait for a lock`);
}

describe('answers racing other writers of the order', () => {
  it('takes a double submit once: one answer, one event, the other "already answered"', async () => {
    const orderId = await orderSentTo('SF0830');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const csrf = csrfOf(await (await fetch(`${api.url}${link.path}`)).text());
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(link.path, { answer: 'decline', reason: 'No capacity', csrf })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409]);
    const events = await api.db.query(
      "SELECT 1 FROM order_event WHERE order_id = $1 AND type = 'SUPPLIER_DECLINES'",
      [orderId],
    );
    expect(events.rowCount).toBe(1);
  });

  it('queues an answer behind a reminder that holds the order, instead of deadlocking with it', async () => {
    const orderId = await orderSentTo('SF0740');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const step = await nextSupplierReminder(api, orderId);
    clock.set(step.sendAt);
    const csrf = csrfOf(await (await fetch(`${api.url}${link.path}`)).text());
    const events = await eventCount(orderId);

    // Hold the order row, queue the reminder on it, then the answer: when the order is
    // released the reminder goes first and retires the link the answer is about to use.
    // An answer that locked its link before the order would now deadlock: it would wait for
    // the order, which the reminder holds while it waits for the link, and PostgreSQL would
    // abort one of them.
    const holder = await api.db.connect();
    let reminded: Promise<unknown> | null = null;
    let answered: Promise<{ status: number; html: string }> | null = null;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM interface_order WHERE id = $1 FOR UPDATE', [orderId]);
      reminded = reminders.fire({ orderId, scheduleVersion: step.scheduleVersion, step: step.step });
      await waitForLockWaiters(holder, 1);
      answered = post(link.path, { answer: 'accept', csrf, lang: 'en' });
      await waitForLockWaiters(holder, 2);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    const [reminder, answer] = await Promise.all([reminded, answered]);
    clock.set(START);
    expect(reminder).toBe('sent');
    expect(answer?.status).toBe(410);
    expect(answer?.html).toContain('A newer link has been sent');
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.awaitingSupplier');
    // Only the reminder's event; a fresh link for each recipient; the old one retired, not used.
    expect(await eventCount(orderId)).toBe(events + 1);
    const links = await api.db.query<{ status: string; count: number }>(
      'SELECT status, count(*)::int AS count FROM reply_link WHERE order_id = $1 GROUP BY status ORDER BY status',
      [orderId],
    );
    expect(links.rows).toEqual([
      { status: 'ACTIVE', count: 1 },
      { status: 'RETIRED', count: 1 },
    ]);
  });

  it('keeps answers and reminders racing on one order consistent: one of them wins each time, nothing fails', async () => {
    const orderId = await orderSentTo('SF1280');
    let races = 0;
    for (let round = 0; round < 10; round += 1) {
      const step = await nextSupplierReminder(api, orderId).catch(() => null);
      if (!step) break;
      clock.set(step.sendAt);
      const [link] = await activeLinks(orderId);
      if (!link) throw new Error('no link');
      const csrf = csrfOf(await (await fetch(`${api.url}${link.path}`)).text());
      const events = await eventCount(orderId);
      const fire = () => reminders.fire({ orderId, scheduleVersion: step.scheduleVersion, step: step.step });
      const ask = () => post(link.path, { answer: 'question', question: `Round ${round}?`, csrf });
      // The reminder starts 0–24 ms after the answer, so either can take the order first.
      const delay = (round * 5) % 25;
      const [answer, reminder] = await Promise.all([
        ask(),
        new Promise((resolve) => setTimeout(resolve, delay)).then(fire),
      ]);
      races += 1;
      const state = (await getOrder(api, coordinator, orderId)).state;
      if (answer.status === 200) {
        // The question came first: the reminder found its schedule gone.
        expect([reminder, state]).toEqual(['stale', 'negotiation.clarification']);
        expect(await eventCount(orderId)).toBe(events + 1);
        clock.set(START);
        await orderOps.answer(api, coordinator, orderId, `Answer ${round}`);
      } else {
        // The reminder came first: a new round of links, so the old link is retired.
        expect([answer.status, reminder, state]).toEqual([410, 'sent', 'negotiation.awaitingSupplier']);
        expect(await eventCount(orderId)).toBe(events + 1);
      }
      const active = await api.db.query(
        "SELECT 1 FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE'",
        [orderId],
      );
      expect(active.rowCount).toBe(1);
    }
    clock.set(START);
    expect(races).toBeGreaterThan(1);
  });
});
