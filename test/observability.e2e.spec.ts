import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { reminderJobId } from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import pg from 'pg';
import { Reconciler } from '../apps/worker/src/reminders/reconciler.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { OwnRedis } from './support/own-redis.js';
import { SmtpSink } from './support/smtp-sink.js';
import { ADMIN_DATABASE_URL } from './support/test-env.js';

// Health and metrics of a real API and a real worker (with its own HTTP port), against a
// Redis and an SMTP server of this test's own, which it stops and starts again.
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const redis = new OwnRedis();
const sink = new SmtpSink();
let api: ApiHarness;
let worker: NestFastifyApplication;
let workerUrl: string;
let coordinator: string;

interface Health {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

async function health(base: string, path: string): Promise<{ status: number; body: Health; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as Health, ms: Date.now() - started };
}

async function metrics(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample line, e.g. `snitflow_orders{state="ordered"}`; null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  await redis.start();
  await sink.start();
  api = await ApiHarness.start({
    REDIS_URL: redis.url,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    METRICS_TOKEN,
    SUPPLIER_EMAIL_HOURS: 'any',
    EMAIL_MAX_ATTEMPTS: '8',
  });
  // Terminated backends (the Postgres fault below) must not crash the test's own pool.
  api.db.on('error', () => undefined);
  const { createWorkerApp } = await import('../apps/worker/src/bootstrap.js');
  worker = await createWorkerApp();
  await worker.listen({ port: 0, host: '127.0.0.1' });
  const address = worker.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the worker did not bind a port');
  workerUrl = `http://127.0.0.1:${address.port}`;
  coordinator = await api.coordinator();
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await api?.stop();
  await sink.stop();
  await redis.stop();
});

describe('health', () => {
  it('answers live and ready without a token; ready checks Postgres and Redis (and SMTP on the worker)', async () => {
    const live = await health(api.url, '/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await health(api.url, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });

    expect((await health(workerUrl, '/health/live')).status).toBe(200);
    const workerReady = await health(workerUrl, '/health/ready');
    expect(workerReady.status).toBe(200);
    expect(workerReady.body.info).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      smtp: { status: 'up' },
    });
  });

  it('is not ready within a second or so while Redis is down, and ready again by itself', async () => {
    await redis.stop();
    for (const base of [api.url, workerUrl]) {
      const down = await health(base, '/health/ready');
      expect(down.status).toBe(503);
      expect(down.ms).toBeLessThan(2500);
      expect(down.body.error?.redis?.status).toBe('down');
      expect(down.body.info?.postgres?.status).toBe('up');
      // Liveness does not follow a dependency: restarting the process would not help.
      expect((await health(base, '/health/live')).status).toBe(200);
      // A scrape still answers, without what only Redis knows.
      const text = await metrics(base);
      expect(text).not.toMatch(/^snitflow_jobs\{/m);
      expect(text).toMatch(/^snitflow_outbox_emails|^# TYPE snitflow_outbox_emails/m);
    }
    await redis.start(redis.port);
    for (const base of [api.url, workerUrl]) {
      await waitFor(async () => (await health(base, '/health/ready')).status === 200, `${base} ready again`);
    }
  }, 60_000);

  it('is not ready while Postgres refuses connections, and ready again by itself', async () => {
    const name = new URL(api.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      for (const base of [api.url, workerUrl]) {
        const down = await health(base, '/health/ready');
        expect(down.status).toBe(503);
        expect(down.ms).toBeLessThan(2500);
        expect(down.body.error?.postgres?.status).toBe('down');
        expect(down.body.info?.redis?.status).toBe('up');
      }
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    for (const base of [api.url, workerUrl]) {
      await waitFor(async () => (await health(base, '/health/ready')).status === 200, `${base} ready again`);
    }
  }, 60_000);

  it('shows the worker not ready while its mail server is down', async () => {
    const port = sink.port;
    await sink.stop();
    try {
      const down = await health(workerUrl, '/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.error?.smtp?.status).toBe('down');
      // The API sends no mail: its readiness does not depend on SMTP.
      expect((await health(api.url, '/health/ready')).status).toBe(200);
    } finally {
      await sink.start(port);
    }
    await waitFor(
      async () => (await health(workerUrl, '/health/ready')).status === 200,
      'worker ready again',
    );
  }, 30_000);
});

describe('metrics', () => {
  it('are refused without METRICS_TOKEN, and need no user token', async () => {
    for (const base of [api.url, workerUrl]) {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${coordinator}` } });
      expect(wrong.status).toBe(401);
    }
  });

  it('count transitions by event and outcome, orders by state, operations, jobs and outbox rows', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0800', ['KY']);
    const refused = await api.graphql(coordinator, 'mutation($id: ID!) { startTest(orderId: $id) { id } }', {
      id: order.id,
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    const sent = await orderOps.send(api, coordinator, order.id);

    const text = await metrics(api.url);
    expect(sample(text, 'snitflow_transitions_total{event="CONSOLIDATE",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'snitflow_transitions_total{event="SEND_TO_SUPPLIER",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'snitflow_transitions_total{event="START_TEST",outcome="INVALID_TRANSITION"}')).toBe(
      1,
    );
    expect(sample(text, `snitflow_orders{state="${sent.state}"}`)).toBe(1);
    expect(
      sample(
        text,
        'snitflow_graphql_operation_duration_seconds_count{operation="mutation",field="sendToSupplier"}',
      ),
    ).toBe(1);
    expect(sample(text, 'snitflow_jobs{queue="reminders",state="delayed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'snitflow_overdue_orders{ball_in_court="SUPPLIER"}')).toBeNull();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    // The worker sends the supplier emails; both processes see the outbox from Postgres.
    await waitFor(
      async () => (sample(await metrics(workerUrl), 'snitflow_outbox_emails{status="SENT"}') ?? 0) >= 1,
      'the supplier email to be sent',
    );
    expect(sample(await metrics(api.url), 'snitflow_outbox_emails{status="SENT"}')).toBeGreaterThanOrEqual(1);
  });

  it('on the worker: reminder lateness and failed sends', async () => {
    const [order] = (
      await api.db.query<{ id: string }>(
        "SELECT id FROM interface_order WHERE state = 'negotiation.awaitingSupplier' LIMIT 1",
      )
    ).rows;
    if (!order) throw new Error('no order waits for its supplier');
    // Its first reminder falls due now: the delayed wake-up is replaced by one due at once.
    const reminder = (
      await api.db.query<{ scheduleVersion: number; step: number }>(
        `UPDATE order_reminder SET send_at = now()
          WHERE (order_id, schedule_version, step) = (
            SELECT order_id, schedule_version, step FROM order_reminder
             WHERE order_id = $1 AND status = 'PENDING' ORDER BY step LIMIT 1)
        RETURNING schedule_version AS "scheduleVersion", step`,
        [order.id],
      )
    ).rows[0];
    if (!reminder) throw new Error('the order has no pending reminder');
    const before = await metrics(workerUrl);
    expect(sample(before, 'snitflow_reminder_lateness_seconds_count')).toBe(0);
    expect(sample(before, 'snitflow_email_send_failures_total')).toBe(0);

    const port = sink.port;
    await sink.stop();
    try {
      await worker
        .get(JobQueues)
        .remove(JobName.OrderReminder, [reminderJobId(order.id, reminder.scheduleVersion, reminder.step)]);
      await worker.get(Reconciler).reconcile();
      await waitFor(
        async () => (sample(await metrics(workerUrl), 'snitflow_reminder_lateness_seconds_count') ?? 0) === 1,
        'the reminder to fire',
      );
      // Its email cannot reach the mail server: the attempt is counted as a failure.
      await waitFor(
        async () => (sample(await metrics(workerUrl), 'snitflow_email_send_failures_total') ?? 0) >= 1,
        'a failed send',
      );
    } finally {
      await sink.start(port);
    }
    const after = await metrics(workerUrl);
    // Due now and fired within the 10 s bucket.
    expect(sample(after, 'snitflow_reminder_lateness_seconds_bucket{le="10"}')).toBe(1);
    expect(sample(after, 'snitflow_transitions_total{event="REMINDER_SENT",outcome="accepted"}')).toBe(1);
  }, 60_000);
});
