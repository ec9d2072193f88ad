import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { reminderJobId } from '@snitflow/deadlines';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, ORDER_FIELDS } from './support/flows.js';

// A Redis of this test's own, on its own port, stopped and started again by the test; the
// shared Redis is never touched.
let redis: ChildProcess | null = null;
let port = 0;
let api: ApiHarness;
let coordinator: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  redis = child;
  // Ready when it answers a TCP connection.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  api = await ApiHarness.start({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    SUPPLIER_EMAIL_HOURS: 'any',
    RECONCILE_INTERVAL_SECONDS: '86400',
  });
  coordinator = await api.coordinator();
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await stopRedis();
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe('Redis down', () => {
  it('does not hold a committed mutation: it answers at commit, and the wake-ups come back with their due times', async () => {
    const held = await consolidatedOrder(api, coordinator, 'SF0462', ['KY']);
    const sent = await consolidatedOrder(api, coordinator, 'SF1320', ['KY']);
    await stopRedis();

    const hold = await timed(() =>
      api.graphql(
        coordinator,
        `mutation($o: ID!) { putOnHold(orderId: $o, reason: "Budget") { ${ORDER_FIELDS} } }`,
        { o: held.id },
      ),
    );
    const send = await timed(() =>
      api.graphql(
        coordinator,
        `mutation($o: ID!) { sendToSupplier(orderId: $o, input: {}) { ${ORDER_FIELDS} } }`,
        { o: sent.id },
      ),
    );
    // Answered, not refused and not left hanging until Redis returns (it does not, here).
    expect(hold.result.errors).toBeUndefined();
    expect(send.result.errors).toBeUndefined();
    if (process.env.DURABLE_REPORT)
      process.stdout.write(`Redis down: putOnHold ${hold.ms} ms, sendToSupplier ${send.ms} ms\n`);
    expect(hold.ms).toBeLessThan(10_000);
    expect(send.ms).toBeLessThan(10_000);
    expect((await getOrder(api, coordinator, held.id)).state).toBe('onHold');
    expect((await getOrder(api, coordinator, sent.id)).state).toBe('negotiation.awaitingSupplier');

    // Redis comes back empty (no persistence): the worker's reconciler rebuilds from Postgres.
    await startRedis();
    const workerApp = await api.startWorker();
    const queues = api.app.get(JobQueues);
    const reminders = await api.db.query<{ scheduleVersion: number; step: number; sendAt: Date }>(
      `SELECT schedule_version AS "scheduleVersion", step, send_at AS "sendAt" FROM order_reminder
        WHERE order_id = $1 AND status = 'PENDING'`,
      [sent.id],
    );
    expect(reminders.rowCount).toBeGreaterThan(0);
    const emails = await api.db.query<{ id: string; status: string }>(
      'SELECT id, status FROM outbox_email WHERE order_id = $1',
      [sent.id],
    );
    expect(emails.rowCount).toBeGreaterThan(0);
    await queues.queue(JobName.OrderReminder).waitUntilReady();
    for (const reminder of reminders.rows) {
      const job = await queues
        .queue(JobName.OrderReminder)
        .getJob(reminderJobId(sent.id, reminder.scheduleVersion, reminder.step));
      expect(job).toBeDefined();
      // Its time is the row's, counted when it was queued: not late by the outage.
      const firesAt = (job?.timestamp ?? 0) + (job?.delay ?? 0);
      expect(Math.abs(firesAt - reminder.sendAt.getTime())).toBeLessThan(5000);
    }
    // The order's emails go out once Redis is back.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const pending = await api.db.query(
        `SELECT 1 FROM outbox_email WHERE order_id = $1 AND status = 'PENDING'`,
        [sent.id],
      );
      if (pending.rowCount === 0) break;
      if (Date.now() > deadline) {
        const states = await Promise.all(
          emails.rows.map(async (row) =>
            (await queues.queue(JobName.SendEmail).getJob(emailJobId(row.id)))?.getState(),
          ),
        );
        throw new Error(`emails still pending; jobs: ${states.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(workerApp).toBeDefined();
  }, 90_000);
});
