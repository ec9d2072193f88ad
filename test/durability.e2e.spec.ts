import { ManualClock } from '@snitflow/common';
import { reminderJobId } from '@snitflow/deadlines';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { OrderTransitionService, Outbox } from '@snitflow/orders';
import { Reconciler } from '../apps/worker/src/reminders/reconciler.js';
import { ApiHarness } from './support/api-harness.js';
import { allowConnections, refuseConnections } from './support/database.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { SmtpSink } from './support/smtp-sink.js';

// Faults are injected only on this file's own database (refused connections) and its own Redis
// key prefix. Tuesday 1 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-01T09:00:00.000Z');
// Eight attempts 20 ms apart, doubling: the whole retry budget of a job is about 5 s.
const RETRY_BUDGET_MS = 20 * (2 ** 8 - 1);

const sink = new SmtpSink();
let api: ApiHarness;
let clock: ManualClock;
let coordinator: string;

beforeAll(async () => {
  await sink.start();
  clock = new ManualClock(START);
  api = await ApiHarness.start(
    {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      SUPPLIER_EMAIL_HOURS: 'any',
      JOB_BACKOFF_MS: '20',
      WAKE_UP_RETRY_MAX_SECONDS: '1',
      EMAIL_LEASE_SECONDS: '30',
      RECONCILE_INTERVAL_SECONDS: '86400',
    },
    { clock },
  );
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await allowConnections(api.databaseName);
  await api?.stop();
  await sink.stop();
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface EmailRow {
  id: string;
  status: string;
  attempts: number;
  messageId: string;
  template: string;
}

async function emailsOf(orderIds: readonly string[]): Promise<EmailRow[]> {
  const result = await api.db.query<EmailRow>(
    `SELECT id, status, attempts, message_id AS "messageId", template FROM outbox_email
      WHERE order_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [orderIds],
  );
  return result.rows;
}

const worker = () => {
  if (!api.worker) throw new Error('worker not started');
  return api.worker;
};

describe('no wake-up is stranded', () => {
  it('emails and reminders that fall due while the database refuses connections (past the retry budget) all go out once when it returns', async () => {
    // Three orders sent to their suppliers: supplier emails queued, reminders planned.
    const orderIds: string[] = [];
    for (const key of ['SF0462', 'SF0800', 'SF1320']) {
      const order = await consolidatedOrder(api, coordinator, key, ['KY']);
      await orderOps.send(api, coordinator, order.id);
      orderIds.push(order.id);
    }
    // The first reminder step of each is due (and no later step yet).
    const steps = await api.db.query<{ orderId: string; step: number; sendAt: Date }>(
      `SELECT order_id AS "orderId", step, send_at AS "sendAt" FROM order_reminder
        WHERE order_id = ANY($1::uuid[]) AND status = 'PENDING' ORDER BY send_at, step`,
      [orderIds],
    );
    const first = steps.rows[0];
    if (!first) throw new Error('no reminders planned');
    const firstSteps = steps.rows.filter((row) => row.sendAt.getTime() === first.sendAt.getTime());
    expect(new Set(firstSteps.map((row) => row.orderId)).size).toBe(3);
    clock.set(new Date(first.sendAt.getTime() + 60_000));

    // Nothing runs yet: the queues are paused while the worker starts and mends the wake-ups.
    const queues = api.app.get(JobQueues);
    await queues.queue(JobName.SendEmail).pause();
    await queues.queue(JobName.OrderReminder).pause();
    await api.startWorker({ clock });
    const beforeOutage = await emailsOf(orderIds);
    expect(beforeOutage.length).toBeGreaterThanOrEqual(3);

    // The outage: longer than a job's whole retry budget.
    await refuseConnections(api.databaseName);
    await queues.queue(JobName.SendEmail).resume();
    await queues.queue(JobName.OrderReminder).resume();
    await new Promise((resolve) => setTimeout(resolve, RETRY_BUDGET_MS + 3000));
    await allowConnections(api.databaseName);
    const back = Date.now();

    // The operator's view afterwards: a reconciler pass, as after any outage.
    await worker().get(Reconciler).reconcile();
    await waitFor(async () => {
      const rows = await emailsOf(orderIds);
      const reminded = await api.db.query(
        `SELECT 1 FROM order_reminder WHERE order_id = ANY($1::uuid[]) AND step = $2 AND status = 'DONE'`,
        [orderIds, first.step],
      );
      return (
        reminded.rowCount === 3 &&
        rows.length > beforeOutage.length &&
        rows.every((row) => row.status !== 'PENDING')
      );
    }, 'every email and reminder after the outage');
    const lastOut = Date.now();

    const rows = await emailsOf(orderIds);
    for (const row of rows) {
      if (row.status === 'SUPERSEDED') {
        // Its link died before it could go (the reminder's newer round went first): never sent.
        expect(row.template).toBe('SUPPLIER_ORDER');
        expect(sink.withId(row.messageId)).toHaveLength(0);
        continue;
      }
      // Sent exactly once, by Message-ID; the outage used up none of its own attempts.
      expect({ id: row.id, status: row.status, attempts: row.attempts }).toEqual({
        id: row.id,
        status: 'SENT',
        attempts: 1,
      });
      expect(sink.withId(row.messageId)).toHaveLength(1);
    }
    // Every supplier contact asked got a working link: a SENT email of its order.
    const reached = await api.db.query<{ unreached: number }>(
      `SELECT count(*)::int AS unreached FROM outbox_email e
        WHERE e.order_id = ANY($1::uuid[]) AND e.status = 'SUPERSEDED'
          AND NOT EXISTS (SELECT 1 FROM outbox_email s WHERE s.order_id = e.order_id
                           AND s.recipient_email = e.recipient_email AND s.status = 'SENT')`,
      [orderIds],
    );
    expect(reached.rows[0]?.unreached).toBe(0);
    // Each order's reminder fired once: one REMINDER_SENT in its history, one reminder round.
    const fired = await api.db.query<{ orderId: string; count: number }>(
      `SELECT order_id AS "orderId", count(*)::int AS count FROM order_event
        WHERE order_id = ANY($1::uuid[]) AND type = 'REMINDER_SENT' GROUP BY order_id`,
      [orderIds],
    );
    expect(fired.rows.map((row) => row.count)).toEqual([1, 1, 1]);
    expect(rows.filter((row) => row.template === 'SUPPLIER_REMINDER').length).toBeGreaterThanOrEqual(3);
    if (process.env.DURABLE_REPORT) {
      process.stdout.write(`last stranded email out ${lastOut - back} ms after the database returned\n`);
    }
  }, 90_000);

  it('the reconciler revives a wake-up whose job failed, completed, vanished or waits for a stale time', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0810', ['KY']);
    const outbox = api.app.get(Outbox);
    // Four emails due in an hour; their jobs are delayed by an hour.
    const ids = await api.app.get(OrderTransitionService).inTransaction((tx) =>
      outbox.add(
        tx,
        [1, 2, 3, 4].map((n) => ({
          orderId: order.id,
          template: 'COORDINATOR_REMINDER' as const,
          language: 'da' as const,
          recipientEmail: 'koordinatorer@kombit.example',
          recipientName: 'KOMBIT koordinatorer',
          data: { reminderNumber: n, overdueBusinessDays: 0 },
          notBefore: new Date(clock.now().getTime() + 3_600_000),
        })),
      ),
    );
    const queues = api.app.get(JobQueues);
    const redis = queues.connection;
    const key = (suffix: string) => `${queues.prefix}:email:${suffix}`;
    const [failed, completed, vanished, stale] = ids.map((id) => emailJobId(id));
    if (!failed || !completed || !vanished || !stale) throw new Error('four emails expected');
    await waitFor(async () => (await redis.zscore(key('delayed'), stale)) !== null, 'the delayed jobs');
    // What BullMQ leaves after an outage: a job in the failed set, one in the completed set
    // (both keep their ids for days), one gone; the fourth still waits for the old time.
    await redis.zrem(key('delayed'), failed, completed);
    await redis.zadd(key('failed'), Date.now(), failed);
    await redis.zadd(key('completed'), Date.now(), completed);
    await queues.queue(JobName.SendEmail).remove(vanished);
    // The hour passes (on the application's clock): every email is due now.
    clock.set(new Date(clock.now().getTime() + 3_600_000));

    const report = await worker().get(Reconciler).reconcile();
    expect(report.restoredEmails).toBeGreaterThanOrEqual(4);
    await waitFor(
      async () => (await emailsOf([order.id])).every((row) => row.status === 'SENT'),
      'all four sent',
    );
    for (const row of await emailsOf([order.id])) expect(sink.withId(row.messageId)).toHaveLength(1);
  }, 60_000);

  it('a reminder whose job failed is fired once by the reconciler', async () => {
    clock.set(START);
    const order = await consolidatedOrder(api, coordinator, 'SF1180', ['KY']);
    const step = await api.db.query<{ scheduleVersion: number; step: number; sendAt: Date }>(
      `SELECT schedule_version AS "scheduleVersion", step, send_at AS "sendAt" FROM order_reminder
        WHERE order_id = $1 AND status = 'PENDING' ORDER BY step LIMIT 1`,
      [order.id],
    );
    const first = step.rows[0];
    if (!first) throw new Error('no reminder planned');
    const queues = api.app.get(JobQueues);
    const jobId = reminderJobId(order.id, first.scheduleVersion, first.step);
    const key = (suffix: string) => `${queues.prefix}:reminders:${suffix}`;
    await waitFor(async () => (await queues.connection.zscore(key('delayed'), jobId)) !== null, 'its job');
    await queues.connection.zrem(key('delayed'), jobId);
    await queues.connection.zadd(key('failed'), Date.now(), jobId);
    clock.set(new Date(first.sendAt.getTime() + 60_000));

    await worker().get(Reconciler).reconcile();
    await waitFor(async () => {
      const done = await api.db.query(
        `SELECT 1 FROM order_reminder WHERE order_id = $1 AND step = $2 AND status = 'DONE'`,
        [order.id, first.step],
      );
      return done.rowCount === 1;
    }, 'the reminder to fire');
    const fired = await api.db.query(
      `SELECT 1 FROM order_event WHERE order_id = $1 AND type = 'REMINDER_SENT'`,
      [order.id],
    );
    expect(fired.rowCount).toBe(1);
  }, 60_000);
});
