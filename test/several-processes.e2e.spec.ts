import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reminderJobId } from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import pg from 'pg';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { eventually, LiveClient } from './support/live-client.js';
import { BuiltProcesses } from './support/processes.js';
import { SmtpSink } from './support/smtp-sink.js';
import { runId } from './support/test-env.js';

// Two API and two worker processes, built and started like a deployment, against one
// Postgres database and one Redis prefix: a change through one API reaches a subscriber on
// the other (and so do the workers' reminders); a burst of due reminders is done exactly
// once although both workers race for it and one is killed with SIGKILL holding some.
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const processes = new BuiltProcesses(join(ROOT, 'node_modules', '.cache', `snitflow-several-${runId()}`));
const sink = new SmtpSink();
let harness: ApiHarness;
let live: LiveClient | null = null;

const KEYS = ['SF0800', 'SF0462', 'SF0770', 'SF0780', 'SF0790', 'SF1320', 'SF1390', 'SF1460', 'SF1490'];

beforeAll(async () => {
  processes.build();
  await sink.start();
  // This file's database and Redis prefix (the in-process API is only used for its ids and queues).
  harness = await ApiHarness.start({
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    SUPPLIER_EMAIL_HOURS: 'any',
  });
}, 90_000);

afterAll(async () => {
  await live?.dispose();
  await processes.stopAll();
  await harness?.stop();
  await sink.stop();
});

describe('two API and two worker processes', () => {
  it('share changes between APIs and do every due reminder and email exactly once, even when a worker is killed', async () => {
    const [first, second] = await Promise.all([processes.api(), processes.api()]);
    if (!first || !second) throw new Error('two APIs');
    const coordinator = await harness.coordinator();
    const viaSecond = harness.at(second.url);

    // A subscriber on the first API.
    live = new LiveClient(first.url, coordinator);
    await live.ready();
    const heard = live.subscribe<{ orderChanged: { id: string; version: number } }>(
      'subscription { orderChanged { id version } }',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Orders sent to their suppliers through the second API.
    const orders: string[] = [];
    for (const key of KEYS) {
      const order = await consolidatedOrder(viaSecond, coordinator, key, ['KY']);
      const sent = await orderOps.send(viaSecond, coordinator, order.id);
      orders.push(sent.id);
    }
    await eventually(
      () => orders.every((id) => heard.some((event) => event.data?.orderChanged.id === id)),
      'the first API to hear every order sent through the second',
    );

    // Every order's first reminder falls due now: its delayed wake-up goes, the workers'
    // reconcilers queue it again (both will try: ids are deterministic, so once).
    const due = await harness.db.query<{ orderId: string; scheduleVersion: number; step: number }>(
      `UPDATE order_reminder r SET send_at = now() - interval '1 second'
        WHERE (r.order_id, r.schedule_version, r.step) IN (
          SELECT DISTINCT ON (order_id) order_id, schedule_version, step FROM order_reminder
           WHERE order_id = ANY($1::uuid[]) AND status = 'PENDING' ORDER BY order_id, step)
       RETURNING r.order_id AS "orderId", r.schedule_version AS "scheduleVersion", r.step`,
      [orders],
    );
    expect(due.rowCount).toBe(orders.length);
    await harness.app.get(JobQueues).remove(
      JobName.OrderReminder,
      due.rows.map((row) => reminderJobId(row.orderId, row.scheduleVersion, row.step)),
    );

    // The test holds five orders' locks, so their reminders wait inside the workers.
    const held = orders.slice(0, 5);
    const blocker = new pg.Client({ connectionString: harness.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM interface_order WHERE id = ANY($1::uuid[]) FOR UPDATE', [held]);
    const waitingOnLocks = async () =>
      (
        await harness.db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0]?.count ?? 0;
    const reminderStatus = async (ids: string[]) =>
      (
        await harness.db.query<{ status: string; count: number }>(
          `SELECT r.status, count(*)::int AS count FROM order_reminder r
            WHERE (r.order_id, r.schedule_version, r.step) IN (SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[]))
              AND r.order_id = ANY($4::uuid[]) GROUP BY r.status`,
          [
            due.rows.map((row) => row.orderId),
            due.rows.map((row) => row.scheduleVersion),
            due.rows.map((row) => row.step),
            ids,
          ],
        )
      ).rows;
    const pendingEmails = async () =>
      (
        await harness.db.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM outbox_email WHERE status = 'PENDING'",
        )
      ).rows[0]?.count ?? 0;

    // The first worker starts alone and takes the held orders' reminders: they wait on the locks.
    const doomed = await processes.worker();
    const deadline = Date.now() + 20_000;
    while ((await waitingOnLocks()) < held.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await waitingOnLocks()).toBe(held.length);
    // The second worker: the survivor.
    await processes.worker();

    // Everything not held is done, and no email is in flight, before the kill.
    const free = orders.filter((id) => !held.includes(id));
    const settled = Date.now() + 30_000;
    while (Date.now() < settled) {
      const status = await reminderStatus(free);
      if (status.length === 1 && status[0]?.status === 'DONE' && (await pendingEmails()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await reminderStatus(free)).toEqual([{ status: 'DONE', count: free.length }]);
    expect(await pendingEmails()).toBe(0);

    await processes.kill(doomed.child);
    await blocker.query('COMMIT');
    await blocker.end();

    // The survivor does the dead worker's reminders once their job locks lapse (30 s).
    const all = Date.now() + 90_000;
    while (Date.now() < all) {
      const status = await reminderStatus(orders);
      if (status.length === 1 && status[0]?.status === 'DONE' && (await pendingEmails()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await reminderStatus(orders)).toEqual([{ status: 'DONE', count: orders.length }]);
    expect(await pendingEmails()).toBe(0);

    // Exactly one reminder event per order, and every email delivered exactly once.
    const events = await harness.db.query<{ orderId: string; count: number }>(
      `SELECT order_id AS "orderId", count(*)::int AS count FROM order_event
        WHERE type IN ('REMINDER_SENT', 'ESCALATE') AND order_id = ANY($1::uuid[]) GROUP BY order_id`,
      [orders],
    );
    expect(events.rows).toHaveLength(orders.length);
    expect(events.rows.every((row) => row.count === 1)).toBe(true);
    const rows = await harness.db.query<{ messageId: string; status: string }>(
      'SELECT message_id AS "messageId", status FROM outbox_email WHERE order_id = ANY($1::uuid[])',
      [orders],
    );
    // A supplier email still waiting when the reminder's new round retired its link is
    // SUPERSEDED, never sent; every other email is SENT.
    expect(new Set(rows.rows.map((row) => row.status))).toEqual(
      new Set(rows.rows.some((row) => row.status === 'SUPERSEDED') ? ['SENT', 'SUPERSEDED'] : ['SENT']),
    );
    const sent = rows.rows.filter((row) => row.status === 'SENT').map((row) => row.messageId);
    expect(sent.length).toBeGreaterThanOrEqual(orders.length);
    const delivered = sink.messages.map((message) => message.messageId).sort();
    expect(delivered).toEqual(sent.sort());

    // The workers' reminders reached the subscriber on the first API too.
    const versions = await harness.db.query<{ id: string; version: number }>(
      'SELECT id, version FROM interface_order WHERE id = ANY($1::uuid[])',
      [orders],
    );
    await eventually(
      () =>
        versions.rows.every((order) =>
          heard.some(
            (event) =>
              event.data?.orderChanged.id === order.id && event.data.orderChanged.version === order.version,
          ),
        ),
      'the subscriber to hear the reminders',
    );
  }, 420_000);
});
