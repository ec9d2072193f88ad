/**
 * `npm run bench:reminders`: deadlines and reminders at volume.
 *
 * 1. Schedule: DeadlinePlanner.replan (the transition's Postgres writes: cancel
 *    the old schedule, set the deadline, insert the reminder rows) for every
 *    open order, then the after-commit wake-ups with JobQueues.addDelayed (one
 *    call per order, as applyToQueue does), 16 concurrent each.
 * 2. Redis bytes per pending reminder: INFO used_memory delta over the enqueue
 *    (the server may be shared, so MEMORY USAGE of this prefix's keys is shown
 *    as a cross-check).
 * 3. Reconciler.reconcile() after every key of this run's prefix is deleted;
 *    a second run must restore nothing.
 * 4. Firing lateness: the real worker (WorkerModule) fires a burst of
 *    reminders all due at the same instant; lateness = done_at − send_at.
 * 5. overdueQueue over GraphQL on 100,000 orders, against its raw SQL.
 *
 * Data: one interface per key SF0000–SF9999 (the key format allows no more,
 * and an interface has at most one open order), so 10,000 open orders, each
 * driven by the real machine to negotiation.awaitingSupplier with its request
 * and events; the supplier is reminded daily in the last week, so a schedule
 * has 10 steps (DEADLINE_POLICIES override) and 10,000 orders give 100,000
 * reminders. Plus 90,000 cancelled orders (valid snapshots, one CANCEL event
 * each) spread over the same interfaces.
 *
 * Own database (created, migrated, dropped even on failure) and own Redis key
 * prefix (removed at the end). Knobs: BENCH_OPEN_ORDERS, BENCH_CLOSED_ORDERS,
 * BENCH_BURST, BENCH_OVERDUE, BENCH_QUERIES, BENCH_CONCURRENCY.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuthenticatedUser } from '@snitflow/auth';
import { systemClock } from '@snitflow/common';
import { deadlineFor, reminderJobId, reminderSchedule } from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import {
  ballInCourt,
  initialOrderSnapshot,
  ORDER_MACHINE_VERSION,
  type OrderEvent,
  type OrderEventPayload,
  type OrderFacts,
  type OrderSnapshot,
  persistOrderSnapshot,
  restoreOrderSnapshot,
  statePath,
} from '@snitflow/lifecycle';
import {
  type DeadlineChange,
  DeadlinePlanner,
  ORDER_COLUMNS,
  OrderTransitionService,
} from '@snitflow/orders';
import { Redis } from 'ioredis';
import { Logger as PinoLogger } from 'nestjs-pino';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { OrdersService } from '../apps/api/src/orders/orders.service.js';
import { Reconciler } from '../apps/worker/src/reminders/reconciler.js';
import { ReminderProcessor, SWEEP_BATCH_SIZE } from '../apps/worker/src/reminders/reminder.processor.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import {
  appEnv,
  BenchDatabase,
  benchPool,
  COORDINATOR,
  coordinatorToken,
  deleteRedisPrefix,
  driveOrder,
  type EventRow,
  formatNumber as f,
  insertOrders,
  installCleanupHooks,
  intEnv,
  listenLocally,
  quantile,
  REDIS_URL,
  removeRedisKeys,
  runBench,
} from './support.js';

const OPEN_ORDERS = intEnv('BENCH_OPEN_ORDERS', 10_000);
const CLOSED_ORDERS = intEnv('BENCH_CLOSED_ORDERS', 90_000);
const BURST = intEnv('BENCH_BURST', 2_000);
const OVERDUE = intEnv('BENCH_OVERDUE', 1_000);
const QUERIES = intEnv('BENCH_QUERIES', 300);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 16);
const WARMUP_QUERIES = 50;
/** Reminders fired by calling the processor directly: half one at a time, half WORKER_CONCURRENCY at a time. */
const DIRECT_FIRES = 200;
/** WorkerRunner's BullMQ concurrency. */
const WORKER_CONCURRENCY = 8;
const BURST_LEAD_MS = 2_000;
const STATE = 'negotiation.awaitingSupplier';
/** Supplier reminded each of the last five business days, on the day, daily for three overdue days, then escalation. */
const STEPS_PER_ORDER = 10;
const POLICIES = JSON.stringify({
  [STATE]: {
    reminders: {
      beforeDueBusinessDays: [5, 4, 3, 2, 1],
      repeatEveryBusinessDays: 1,
      escalateAfterOverdueReminders: 3,
    },
  },
});
const OVERDUE_QUERY =
  '{ overdueQueue(first: 50) { edges { node { id state ballInCourt businessDaysOverdue } } } }';

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => quantile(sorted, q);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/** Every key under `prefix:`, by SCAN. */
async function prefixKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

const cpuMicros = (usage: NodeJS.CpuUsage): number => usage.user + usage.system;

/** CPU of the planner's pure parts for one schedule of the bench policy, µs per call. */
function scheduleCost(planner: DeadlinePlanner, now: Date): { deadline: number; schedule: number } {
  const policy = planner.policyFor(STATE);
  if (!policy) throw new Error(`no deadline policy for ${STATE}`);
  const calls = 500;
  let dueAt = deadlineFor(now, policy, planner.calendar);
  let t0 = performance.now();
  for (let i = 0; i < calls; i++) dueAt = deadlineFor(now, policy, planner.calendar);
  const deadline = ((performance.now() - t0) * 1000) / calls;
  t0 = performance.now();
  for (let i = 0; i < calls; i++) reminderSchedule(dueAt, policy, planner.calendar, now);
  return { deadline, schedule: ((performance.now() - t0) * 1000) / calls };
}

/**
 * The processor's own cost, without BullMQ: step 2 of these schedules is made
 * due now, then fired by calling ReminderProcessor.fire, half of them one at a
 * time, half WORKER_CONCURRENCY at a time.
 */
async function directFires(
  db: pg.Pool,
  processor: ReminderProcessor,
  orders: readonly OpenOrder[],
): Promise<{ serialMs: number; concurrentPerSecond: number }> {
  await db.query(
    'UPDATE order_reminder SET send_at = now() WHERE order_id = ANY($1::uuid[]) AND schedule_version = 2 AND step = 2',
    [orders.map((order) => order.id)],
  );
  const fire = async (order: OpenOrder): Promise<void> => {
    const outcome = await processor.fire({ orderId: order.id, scheduleVersion: 2, step: 2 });
    if (outcome !== 'sent') throw new Error(`direct fire of ${order.id}: ${JSON.stringify(outcome)}`);
  };
  const half = Math.floor(orders.length / 2);
  let t0 = performance.now();
  await forEachConcurrent(orders.slice(0, half), 1, fire);
  const serialMs = (performance.now() - t0) / half;
  t0 = performance.now();
  await forEachConcurrent(orders.slice(half), WORKER_CONCURRENCY, fire);
  return { serialMs, concurrentPerSecond: (orders.length - half) / ((performance.now() - t0) / 1000) };
}

/**
 * The floor of a burst: the bare SQL of the same writes the worker makes for each due reminder,
 * with `pg` and no Node logic, SWEEP_BATCH_SIZE orders per transaction and WORKER_CONCURRENCY
 * transactions at a time, as the worker's sweep does: claim the due orders (SKIP LOCKED), lock
 * their due steps, update each order row (its snapshot written back, version + 1) and append its
 * REMINDER_SENT event, retire the round's links and insert one per contact, insert one outbox
 * email per contact, mark the step done. Step 3 of `orders` is made due now first.
 */
async function floorBurst(db: pg.Pool, orders: readonly OpenOrder[]): Promise<number> {
  await db.query(
    'UPDATE order_reminder SET send_at = now() WHERE order_id = ANY($1::uuid[]) AND schedule_version = 2 AND step = 3',
    [orders.map((order) => order.id)],
  );
  const until = new Date(Date.now() + 1000);
  const batch = async (): Promise<number> => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const claimed = await client.query<{ id: string; version: number }>(
        `SELECT o.id, o.version FROM order_reminder r
           JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
          WHERE r.status = 'PENDING' AND r.send_at <= $1 ORDER BY r.send_at LIMIT $2 FOR UPDATE OF o SKIP LOCKED`,
        [until, SWEEP_BATCH_SIZE],
      );
      const claimedIds = [...new Set(claimed.rows.map((row) => row.id))];
      if (claimedIds.length === 0) {
        await client.query('COMMIT');
        return -1;
      }
      // Re-read under the lock: an order another batch fired just before the claim locked it
      // comes back from the claim, but its step is no longer pending.
      const steps = await client.query<{ order_id: string; step: number }>(
        `SELECT order_id, step FROM order_reminder
          WHERE order_id = ANY($1::uuid[]) AND schedule_version = 2 AND status = 'PENDING' AND send_at <= $2
          ORDER BY order_id, send_at, step FOR UPDATE`,
        [claimedIds, until],
      );
      const ids = [...new Set(steps.rows.map((row) => row.order_id))];
      await client.query(
        `WITH updated AS (
           UPDATE interface_order o SET snapshot = o.snapshot, version = o.version + 1, updated_at = now()
            WHERE o.id = ANY($1::uuid[]) RETURNING o.id, o.version, o.state)
         INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name, from_state, to_state,
                                  payload, occurred_at)
         SELECT id, version, 'REMINDER_SENT', 'snitflow-worker', 'system', 'snitflow worker', state, state,
                jsonb_build_object('scheduleVersion', 2, 'step', 3, 'kind', 'BEFORE_DUE'), now()
           FROM updated`,
        [ids],
      );
      await client.query(
        "UPDATE reply_link SET status = 'RETIRED' WHERE order_id = ANY($1::uuid[]) AND status = 'ACTIVE'",
        [ids],
      );
      await client.query(
        `INSERT INTO reply_link (id, token_hash, order_id, contact_id, issued_at_version, expires_at,
                                 reply_address_hash)
         SELECT gen_random_uuid(), md5(random()::text) || md5(random()::text), o.id, c.id, o.version,
                now() + interval '30 days', md5(random()::text) || md5(random()::text)
           FROM interface_order o JOIN supplier_contact c ON c.supplier_id = o.supplier_id
          WHERE o.id = ANY($1::uuid[])`,
        [ids],
      );
      await client.query(
        `INSERT INTO outbox_email (order_id, template, language, recipient_email, recipient_name, data, not_before,
                                   message_id)
         SELECT o.id, 'SUPPLIER_REMINDER', c.language, c.email, c.name,
                jsonb_build_object('reminderNumber', 3, 'kind', 'BEFORE_DUE', 'overdueBusinessDays', 0,
                                   'linkId', gen_random_uuid()),
                now() + interval '1 day', '<' || gen_random_uuid() || '@bench.example>'
           FROM interface_order o JOIN supplier_contact c ON c.supplier_id = o.supplier_id
          WHERE o.id = ANY($1::uuid[])`,
        [ids],
      );
      await client.query(
        `UPDATE order_reminder r SET status = 'DONE', done_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS x(order_id, step)
          WHERE r.order_id = x.order_id AND r.schedule_version = 2 AND r.step = x.step`,
        [steps.rows.map((row) => row.order_id), steps.rows.map((row) => row.step)],
      );
      await client.query('COMMIT');
      return ids.length;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const started = performance.now();
  let fired = 0;
  await Promise.all(
    Array.from({ length: WORKER_CONCURRENCY }, async () => {
      for (;;) {
        const n = await batch();
        if (n < 0) return;
        fired += n;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (fired !== orders.length) throw new Error(`floor fired ${fired} of ${orders.length}`);
  return orders.length / seconds;
}

/**
 * BENCH_CPU_PROFILE=dir: CPU profiles (node:inspector) of the burst (the worker firing) and the
 * sweep alone, written to
 * dir/reminders-<phase>.cpuprofile for Chrome DevTools or `npx speedscope`. Off: does nothing.
 */
async function startProfile(): Promise<{ stop: (phase: string) => Promise<void> }> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    stop: async (phase) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `reminders-${phase}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

// ── data ───────────────────────────────────────────────────────────────────

interface OpenOrder {
  id: string;
  key: string;
}

interface Catalogue {
  supplierId: string;
  projectId: string;
  contactIds: string[];
}

async function createCatalogue(db: pg.Pool, interfaces: number): Promise<Catalogue> {
  const supplier = await db.query<{ id: string }>(
    "INSERT INTO source_supplier (code, name) VALUES ('BENCH', 'Bench Supplier A/S') RETURNING id",
  );
  const supplierId = supplier.rows[0]?.id;
  if (!supplierId) throw new Error('no supplier created');
  const contacts = await db.query<{ id: string }>(
    `INSERT INTO supplier_contact (supplier_id, name, email, language)
     VALUES ($1, 'Bente Bench', 'bente@supplier.example', 'da'), ($1, 'Ben Bench', 'ben@supplier.example', 'en')
     RETURNING id`,
    [supplierId],
  );
  const project = await db.query<{ id: string }>(
    "INSERT INTO project (code, name) VALUES ('BENCH', 'Bench project') RETURNING id",
  );
  const projectId = project.rows[0]?.id;
  if (!projectId) throw new Error('no project created');
  await db.query(
    `INSERT INTO interface (key, title, supplier_id)
     SELECT 'SF' || lpad(g::text, 4, '0'), 'Bench interface ' || g, $1 FROM generate_series(0, $2 - 1) AS g`,
    [supplierId, interfaces],
  );
  await db.query(
    "INSERT INTO data_element (interface_id, code, name) SELECT id, 'BENCH.DATA', 'Bench data' FROM interface",
  );
  return { supplierId, projectId, contactIds: contacts.rows.map((row) => row.id) };
}

/** Applies `steps` as the coordinator. */
function drive(
  start: OrderSnapshot,
  orderId: string,
  facts: OrderFacts,
  steps: OrderEventPayload[],
): { snapshot: OrderSnapshot; events: EventRow[] } {
  return driveOrder(
    start,
    orderId,
    facts,
    steps.map((event) => ({ actor: COORDINATOR, event })),
  );
}

/**
 * One open order per interface, each with an approved request, driven by the
 * machine through CONSOLIDATE and SEND_TO_SUPPLIER (version 2), no deadline yet.
 */
async function createOpenOrders(db: pg.Pool, catalogue: Catalogue): Promise<OpenOrder[]> {
  const interfaces = await db.query<{ id: string; key: string }>(
    'SELECT id, key FROM interface ORDER BY key',
  );
  const result: OpenOrder[] = [];
  const chunk = 2_000;
  for (let offset = 0; offset < interfaces.rows.length; offset += chunk) {
    const orders: Record<string, unknown>[] = [];
    const requests: Record<string, unknown>[] = [];
    const events: EventRow[] = [];
    for (const { id: interfaceId, key } of interfaces.rows.slice(offset, offset + chunk)) {
      const orderId = randomUUID();
      const requestId = randomUUID();
      const facts: OrderFacts = {
        activeRequests: [{ id: requestId, projectId: catalogue.projectId, status: 'APPROVED' }],
        supplierContactCount: catalogue.contactIds.length,
      };
      const driven = drive(
        initialOrderSnapshot({ orderId, interfaceKey: key, supplierId: catalogue.supplierId }),
        orderId,
        facts,
        [
          {
            type: 'CONSOLIDATE',
            category: 'COMMON_NEED',
            specification: {
              dataElements: ['BENCH.DATA'],
              needBy: '2030-01-01',
              projectIds: [catalogue.projectId],
              requestIds: [requestId],
            },
          },
          { type: 'SEND_TO_SUPPLIER', recipientContactIds: catalogue.contactIds, replyBy: null },
        ],
      );
      if (statePath(driven.snapshot) !== STATE)
        throw new Error(`setup ended in ${statePath(driven.snapshot)}`);
      orders.push({
        id: orderId,
        interface_id: interfaceId,
        supplier_id: catalogue.supplierId,
        state: STATE,
        ball_in_court: ballInCourt(driven.snapshot),
        category: driven.snapshot.context.category,
        machine_version: ORDER_MACHINE_VERSION,
        snapshot: persistOrderSnapshot(driven.snapshot),
        version: driven.events.length,
      });
      requests.push({
        id: requestId,
        order_id: orderId,
        interface_id: interfaceId,
        project_id: catalogue.projectId,
        status: 'APPROVED',
        data_elements: ['BENCH.DATA'],
        need_by: '2030-01-01',
        firmness: 'FIRM',
        justification: 'Benchmark order',
        tender_reference: 'bench',
        submitted_by: 'bench',
        reviewed_by: COORDINATOR.id,
      });
      events.push(...driven.events);
      result.push({ id: orderId, key });
    }
    await insertOrders(db, { orders, requests, events });
  }
  return result;
}

/**
 * Cancelled orders, in bulk: the machine's own snapshot of an order cancelled
 * from `ordered`, with each row's id and interface key set in, and its CANCEL
 * event. References are written out: the column default (lpad to 5 digits)
 * would truncate the 100,000th reference to a duplicate.
 */
async function createClosedOrders(
  db: pg.Pool,
  catalogue: Catalogue,
  count: number,
  open: number,
): Promise<void> {
  const placeholder = randomUUID();
  const reason = 'Bench: superseded by a newer order';
  const cancelled = drive(
    initialOrderSnapshot({ orderId: placeholder, interfaceKey: 'SF0000', supplierId: catalogue.supplierId }),
    placeholder,
    { activeRequests: [], supplierContactCount: catalogue.contactIds.length },
    [{ type: 'CANCEL', reason }],
  ).snapshot;
  if (statePath(cancelled) !== 'cancelled') throw new Error(`template ended in ${statePath(cancelled)}`);
  await db.query(
    `WITH g AS (
       SELECT n, gen_random_uuid() AS id, i.id AS interface_id, i.key
         FROM generate_series(1, $1::int) AS n
         JOIN interface i ON i.key = 'SF' || lpad(((n - 1) % $2::int)::text, 4, '0'))
     INSERT INTO interface_order (id, reference, interface_id, supplier_id, state, ball_in_court, category,
                                  machine_version, snapshot, version, state_entered_at, created_at, updated_at)
     SELECT id, 'B-' || ($2::int + n), interface_id, $3, 'cancelled', $4, NULL, $5,
            jsonb_set(jsonb_set($6::jsonb, '{context,orderId}', to_jsonb(id::text)),
                      '{context,interfaceKey}', to_jsonb(key)),
            1, now() - n * interval '1 minute', now() - n * interval '2 minutes', now() - n * interval '1 minute'
       FROM g`,
    [
      count,
      open,
      catalogue.supplierId,
      ballInCourt(cancelled),
      ORDER_MACHINE_VERSION,
      persistOrderSnapshot(cancelled),
    ],
  );
  await db.query("SELECT setval('interface_order_reference_seq', $1::int)", [open + count]);
  await db.query(
    `INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name, from_state, to_state,
                              payload, occurred_at)
     SELECT id, 1, 'CANCEL', $1, $2, $3, 'ordered', 'cancelled', jsonb_build_object('reason', $4::text), updated_at
       FROM interface_order WHERE state = 'cancelled'`,
    [COORDINATOR.id, COORDINATOR.role, COORDINATOR.displayName ?? null, reason],
  );
  // The bulk rows must restore like any other.
  const sample = await db.query<{ id: string; snapshot: unknown; machine_version: number }>(
    "SELECT id, snapshot, machine_version FROM interface_order WHERE state = 'cancelled' ORDER BY random() LIMIT 20",
  );
  for (const row of sample.rows) {
    const restored = restoreOrderSnapshot({ machineVersion: row.machine_version, snapshot: row.snapshot });
    if (statePath(restored) !== 'cancelled' || restored.context.orderId !== row.id)
      throw new Error(`closed order ${row.id} does not restore to itself`);
  }
}

// ── main ───────────────────────────────────────────────────────────────────

interface Line {
  figure: string;
  value: string;
  aim: string;
  verdict: string;
}

async function main(): Promise<void> {
  const name = `snitflow_bench_rem_${Date.now()}_${process.pid}`;
  const database = new BenchDatabase(name);
  const redisPrefix = name.replaceAll('_', '-');
  let app: NestFastifyApplication | null = null;
  let worker: INestApplicationContext | null = null;
  let pool: pg.Pool | null = null;
  let redis: Redis | null = null;
  const removeHooks = installCleanupHooks({
    onSignal: (signal) => {
      console.error(`\n${signal}: dropping ${name}, removing ${redisPrefix}:*`);
      Promise.allSettled([database.drop(), removeRedisKeys(redisPrefix)]).finally(() => process.exit(130));
    },
    onExit: () => database.dropSync(redisPrefix),
  });

  const lines: Line[] = [];
  const notes: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`check failed: ${what}`);
  };
  const total = OPEN_ORDERS * STEPS_PER_ORDER;

  try {
    if (OPEN_ORDERS > 10_000) throw new Error('at most 10,000 open orders (interface keys SF0000–SF9999)');
    if (3 * BURST + OVERDUE + 2 * DIRECT_FIRES > OPEN_ORDERS)
      throw new Error('too few open orders for the burst, the direct fires and the overdue set');
    // ── setup ──
    const setupStarted = performance.now();
    await database.create({ seed: false });
    const db = benchPool(database.url, 8, 'snitflow-bench');
    pool = db;
    const catalogue = await createCatalogue(db, OPEN_ORDERS);
    const open = await createOpenOrders(db, catalogue);
    await createClosedOrders(db, catalogue, CLOSED_ORDERS, OPEN_ORDERS);
    await db.query('ANALYZE');
    const composition = await db.query<{ state: string; open: boolean; count: number }>(
      'SELECT state, is_open AS open, count(*)::int AS count FROM interface_order GROUP BY 1, 2 ORDER BY 3',
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    Object.assign(process.env, { ...appEnv(database, redisPrefix), PORT: '0', DEADLINE_POLICIES: POLICIES });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    app = await createApiApp();
    const apiUrl = await listenLocally(app);
    const planner = app.get(DeadlinePlanner);
    const transitions = app.get(OrderTransitionService);
    const queues = app.get(JobQueues);
    const reminderQueue = queues.queue(JobName.OrderReminder);
    await reminderQueue.waitUntilReady();

    console.log(
      `\nsnitflow reminders: ${composition.rows.map((r) => `${f(r.count)} ${r.state}${r.open ? ' (open)' : ''}`).join(' + ')}` +
        ` = ${f(composition.rows.reduce((sum, r) => sum + r.count, 0))} orders on ${f(OPEN_ORDERS)} interfaces;` +
        ` ${STEPS_PER_ORDER} reminder steps per schedule; setup ${f(setupSeconds, 1)} s`,
    );

    // ── 1. schedule ──
    const now = new Date();
    const sendEvent = {
      type: 'SEND_TO_SUPPLIER',
      recipientContactIds: catalogue.contactIds,
      replyBy: null,
      actor: COORDINATOR,
      facts: { activeRequests: [], supplierContactCount: catalogue.contactIds.length },
      at: now.toISOString(),
    } as OrderEvent;
    const changes: DeadlineChange[] = new Array(open.length);
    let cpu = process.cpuUsage();
    let started = performance.now();
    await forEachConcurrent(open, CONCURRENCY, async (order, index) => {
      changes[index] = await transitions.inTransaction((tx) =>
        planner.replan(tx, { id: order.id, version: 2 }, STATE, sendEvent, now),
      );
    });
    const pgSeconds = (performance.now() - started) / 1000;
    const replanCpu = cpuMicros(process.cpuUsage(cpu)) / open.length;
    const scheduleCpu = scheduleCost(planner, now);
    const planned = changes.reduce((sum, change) => sum + change.planned.length, 0);
    check(planned === total, `planned ${planned} reminders, expected ${total}`);
    const rowCount = await db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM order_reminder WHERE status = 'PENDING'",
    );
    check(rowCount.rows[0]?.count === total, 'pending rows in order_reminder');

    const memoryBefore = await usedMemory(redis);
    started = performance.now();
    await forEachConcurrent(changes, CONCURRENCY, async (change) => {
      await queues.addDelayed(
        change.planned.map((reminder) => ({
          name: JobName.OrderReminder,
          id: reminderJobId(reminder.orderId, reminder.scheduleVersion, reminder.step),
          data: { orderId: reminder.orderId, scheduleVersion: reminder.scheduleVersion, step: reminder.step },
          runAt: reminder.sendAt,
        })),
        now,
      );
    });
    const redisSeconds = (performance.now() - started) / 1000;
    const memoryAfter = await usedMemory(redis);
    const delayed = (await reminderQueue.getJobCounts('delayed')).delayed ?? 0;
    check(delayed === total, `delayed jobs in Redis: ${delayed}, expected ${total}`);
    lines.push({
      figure: `1a Postgres: replan per order, ${CONCURRENCY} concurrent`,
      value: `${f(total / pgSeconds)} rows/s (${f(open.length / pgSeconds)} orders/s, ${f(pgSeconds, 1)} s)`,
      aim: '-',
      verdict: '',
    });
    notes.push(
      `1: Node CPU ${f(replanCpu)} µs per replan (whole process, ${CONCURRENCY} in flight), of which reminderSchedule ` +
        `${f(scheduleCpu.schedule)} µs and deadlineFor ${f(scheduleCpu.deadline)} µs (measured alone)`,
    );
    lines.push({
      figure: `1b Redis: addDelayed per order (${STEPS_PER_ORDER} jobs)`,
      value: `${f(total / redisSeconds)} jobs/s (${f(redisSeconds, 1)} s)`,
      aim: '-',
      verdict: '',
    });

    // ── 2. memory ──
    const perJobInfo = (memoryAfter - memoryBefore) / total;
    const keys = await prefixKeys(redis, redisPrefix);
    const jobKeys = keys.filter((key) => key.startsWith(`${redisPrefix}:reminders:reminder-`));
    const sampleKeys = jobKeys.slice(0, 500);
    let sampleBytes = 0;
    for (const key of sampleKeys) sampleBytes += Number((await redis.memory('USAGE', key)) ?? 0);
    const structural = keys.filter((key) => !key.includes(':reminders:reminder-'));
    let structuralBytes = 0;
    for (const key of structural)
      structuralBytes += Number((await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
    const perJobUsage = sampleBytes / Math.max(1, sampleKeys.length) + structuralBytes / total;
    lines.push({
      figure: '2  Redis bytes per pending reminder',
      value: `${f(perJobInfo)} B (INFO delta ${f((memoryAfter - memoryBefore) / 1048576, 1)} MiB); MEMORY USAGE ${f(perJobUsage)} B`,
      aim: '-',
      verdict: '',
    });
    notes.push(
      `2: ${f(jobKeys.length)} job hashes (avg ${f(sampleBytes / Math.max(1, sampleKeys.length))} B, 500 sampled) + ` +
        `${structural.length} queue keys (${f(structuralBytes / 1024)} KiB: ${structural.map((k) => k.slice(redisPrefix.length + 1)).join(', ')})`,
    );

    // ── 3. reconcile after a wipe ──
    const wiped = await deleteRedisPrefix(redis, redisPrefix);
    check((await prefixKeys(redis, redisPrefix)).length === 0, 'prefix is empty after the wipe');
    const reconciler = new Reconciler(app.get(DataSource), queues, systemClock);
    started = performance.now();
    const first = await reconciler.reconcile();
    const reconcileSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const second = await reconciler.reconcile();
    const secondSeconds = (performance.now() - started) / 1000;
    check(first.restoredReminders === total, `first reconcile restored ${first.restoredReminders}`);
    check(second.restoredReminders === 0, `second reconcile restored ${second.restoredReminders}`);
    const delayedAgain = (await reminderQueue.getJobCounts('delayed')).delayed ?? 0;
    check(delayedAgain === total, `delayed after reconcile: ${delayedAgain}`);
    lines.push({
      figure: `3  reconcile after wipe (${f(wiped)} keys deleted)`,
      value: `${f(reconcileSeconds, 2)} s, restored ${f(first.restoredReminders)}; 2nd ${f(secondSeconds, 2)} s, restored ${second.restoredReminders}`,
      aim: '<= 30 s',
      verdict: reconcileSeconds <= 30 ? 'met' : 'MISSED',
    });

    // ── 4. firing lateness ──
    // The floor first, before the worker runs (it would fire these too).
    const floorOrders = open.slice(
      BURST + OVERDUE + 2 * DIRECT_FIRES,
      2 * BURST + OVERDUE + 2 * DIRECT_FIRES,
    );
    const floorRate = await floorBurst(db, floorOrders);
    started = performance.now();
    worker = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
    worker.useLogger(worker.get(PinoLogger));
    await worker.init(); // starts the BullMQ workers and runs the start-up reconcile over 100,000 reminders
    const workerStartSeconds = (performance.now() - started) / 1000;
    const burst = open.slice(0, BURST);
    const burstIds = burst.map((order) => order.id);
    const sendAt = new Date(Date.now() + BURST_LEAD_MS);
    started = performance.now();
    // The burst: step 1 of these schedules becomes due at one instant ~2 s from now; its wake-up follows.
    const moved = await db.query(
      'UPDATE order_reminder SET send_at = $2 WHERE order_id = ANY($1::uuid[]) AND schedule_version = 2 AND step = 1',
      [burstIds, sendAt],
    );
    check(moved.rowCount === BURST, 'burst reminders moved');
    const burstJobs = burstIds.map((orderId) => ({
      name: JobName.OrderReminder,
      id: reminderJobId(orderId, 2, 1),
      data: { orderId, scheduleVersion: 2, step: 1 },
      runAt: sendAt,
    }));
    await queues.remove(
      JobName.OrderReminder,
      burstJobs.map((job) => job.id),
    );
    await queues.addDelayed(burstJobs);
    const prepMs = performance.now() - started;
    const leadMs = sendAt.getTime() - Date.now();
    check(leadMs > 0, `burst prepared ${f(-leadMs)} ms after its due time`);
    const deadline = sendAt.getTime() + 60_000;
    const burstProfile = await startProfile();
    let allDoneMs = Number.NaN;
    cpu = process.cpuUsage();
    for (;;) {
      // Cheap on purpose (the pending partial index), so the poll does not compete with the worker.
      const left = await db.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM order_reminder WHERE status = 'PENDING' AND send_at <= $1",
        [sendAt],
      );
      if (left.rows[0]?.count === 0) {
        allDoneMs = Date.now() - sendAt.getTime();
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`burst not done 60 s after due: ${left.rows[0]?.count} left`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const burstCpu = cpuMicros(process.cpuUsage(cpu)) / BURST;
    await burstProfile.stop('burst');
    const lateness = await db.query<{ ms: number }>(
      `SELECT (extract(epoch FROM done_at - send_at) * 1000)::float8 AS ms FROM order_reminder
        WHERE order_id = ANY($1::uuid[]) AND step = 1`,
      [burstIds],
    );
    const late = percentiles(lateness.rows.map((row) => row.ms));
    // Exact, per order: one history event, one email and one active link per contact, no gap in versions.
    const sent = await db.query<{
      events: number;
      orders: number;
      emails: number;
      links: number;
      gaps: number;
    }>(
      `SELECT (SELECT count(*)::int FROM order_event WHERE type = 'REMINDER_SENT' AND order_id = ANY($1::uuid[])) AS events,
              (SELECT count(DISTINCT order_id)::int FROM order_event
                WHERE type = 'REMINDER_SENT' AND order_id = ANY($1::uuid[])) AS orders,
              (SELECT count(*)::int FROM outbox_email
                WHERE template = 'SUPPLIER_REMINDER' AND order_id = ANY($1::uuid[])) AS emails,
              (SELECT count(*)::int FROM reply_link WHERE status = 'ACTIVE' AND order_id = ANY($1::uuid[])) AS links,
              (SELECT count(*)::int FROM interface_order o WHERE o.id = ANY($1::uuid[])
                  AND o.version <> (SELECT count(*) FROM order_event e WHERE e.order_id = o.id)) AS gaps`,
      [burstIds],
    );
    const exact = sent.rows[0];
    check(
      exact?.events === BURST && exact.orders === BURST,
      `REMINDER_SENT events: ${JSON.stringify(exact)}`,
    );
    check(exact?.emails === BURST * catalogue.contactIds.length, `outbox emails: ${exact?.emails}`);
    check(exact?.links === BURST * catalogue.contactIds.length, `active reply links: ${exact?.links}`);
    check(exact?.gaps === 0, `orders whose version is not their event count: ${exact?.gaps}`);
    const failed = (await reminderQueue.getJobCounts('failed')).failed ?? 0;
    check(failed === 0, `${failed} reminder jobs failed`);
    const drainRate = BURST / (allDoneMs / 1000);
    lines.push({
      figure: `4  firing lateness, ${f(BURST)} due at once`,
      value: `p50 ${f(late.p50)} ms, p99 ${f(late.p99)} ms, max ${f(late.max)} ms; all DONE at +${f(allDoneMs)} ms`,
      aim: 'p99 <= 1,000 ms',
      verdict: late.p99 <= 1000 ? 'met' : 'MISSED',
    });
    lines.push({
      figure: `   drain rate: worker (BullMQ + sweep) vs bare SQL`,
      value: `${f(drainRate)} vs ${f(floorRate)} reminders/s: ratio ${f(drainRate / floorRate, 2)}`,
      aim: '-',
      verdict: '',
    });
    notes.push(
      `4: worker start ${f(workerStartSeconds, 1)} s (incl. start-up reconcile of ${f(total)}); burst prepared in ${f(prepMs)} ms, ` +
        `${f(leadMs)} ms before due; ${f(BURST)} REMINDER_SENT events, ${f(BURST * catalogue.contactIds.length)} outbox emails and active links, ` +
        `versions gapless, 0 failed jobs; Node CPU ${f(burstCpu)} µs per reminder; floor: the same writes in bare SQL, ` +
        `${SWEEP_BATCH_SIZE} orders per transaction, ${WORKER_CONCURRENCY} at a time`,
    );
    await worker.close();
    worker = null;
    // Without BullMQ, once the worker is gone (its jobs' sweeps would fire these too): the
    // processor built in the API's module, one fire at a time, then a sweep of a burst.
    const processor = await app.get(ModuleRef).create(ReminderProcessor);
    const direct = await directFires(
      db,
      processor,
      open.slice(BURST + OVERDUE, BURST + OVERDUE + 2 * DIRECT_FIRES),
    );
    const sweepOrders = open.slice(
      2 * BURST + OVERDUE + 2 * DIRECT_FIRES,
      3 * BURST + OVERDUE + 2 * DIRECT_FIRES,
    );
    await db.query(
      'UPDATE order_reminder SET send_at = now() WHERE order_id = ANY($1::uuid[]) AND schedule_version = 2 AND step = 3',
      [sweepOrders.map((order) => order.id)],
    );
    const profiler = await startProfile();
    started = performance.now();
    const swept = (
      await Promise.all(Array.from({ length: WORKER_CONCURRENCY }, () => processor.fireDue()))
    ).reduce((sum, n) => sum + n, 0);
    const sweepRate = swept / ((performance.now() - started) / 1000);
    await profiler.stop('sweep');
    check(swept === sweepOrders.length, `the sweep fired ${swept} of ${sweepOrders.length}`);
    lines.push({
      figure: `   sweep alone (fireDue x ${WORKER_CONCURRENCY}) vs bare SQL`,
      value: `${f(sweepRate)} vs ${f(floorRate)} reminders/s: ratio ${f(sweepRate / floorRate, 2)}`,
      aim: '-',
      verdict: '',
    });
    notes.push(
      `4: ReminderProcessor.fire without BullMQ: serial ${f(direct.serialMs, 1)} ms/fire; ` +
        `${WORKER_CONCURRENCY} concurrent ${f(direct.concurrentPerSecond)} fires/s`,
    );

    // ── 5. overdue queue ──
    const overdue = open.slice(BURST, BURST + OVERDUE).map((order) => order.id);
    await db.query(
      `UPDATE interface_order o
          SET due_at = now() - (1 + x.k % 40) * interval '1 day' - (x.k % 97) * interval '1 minute',
              escalation_level = CASE WHEN x.k % 10 < 6 THEN 0 WHEN x.k % 10 < 8 THEN 1 WHEN x.k % 10 < 9 THEN 2 ELSE 3 END,
              escalated_at = CASE WHEN x.k % 10 < 6 THEN NULL ELSE now() END
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, k) WHERE o.id = x.id`,
      [overdue],
    );
    await db.query('ANALYZE interface_order');
    const counts = await db.query<{ overdue: number; withDeadline: number }>(
      `SELECT count(*) FILTER (WHERE due_at < now())::int AS overdue,
              count(*) FILTER (WHERE due_at IS NOT NULL)::int AS "withDeadline"
         FROM interface_order WHERE is_open`,
    );
    check(counts.rows[0]?.overdue === OVERDUE, `overdue open orders: ${counts.rows[0]?.overdue}`);
    const token = await coordinatorToken();
    const ask = async (): Promise<void> => {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: OVERDUE_QUERY }),
      });
      const body = (await response.json()) as {
        data?: { overdueQueue?: { edges: { node: { businessDaysOverdue: number | null } }[] } };
        errors?: unknown[];
      };
      const edges = body.data?.overdueQueue?.edges;
      if (body.errors?.length || edges?.length !== 50 || edges.some((edge) => !edge.node.businessDaysOverdue))
        throw new Error(`unexpected overdueQueue answer: ${JSON.stringify(body).slice(0, 500)}`);
    };
    const timeSequential = async (work: () => Promise<unknown>): Promise<Percentiles> => {
      for (let i = 0; i < WARMUP_QUERIES; i++) await work();
      const samples: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const t0 = performance.now();
        await work();
        samples.push(performance.now() - t0);
      }
      return percentiles(samples);
    };
    const rawSql = `SELECT ${ORDER_COLUMNS} FROM interface_order o
       WHERE o.is_open AND o.due_at IS NOT NULL AND o.due_at < $1
       ORDER BY o.escalation_level DESC, o.due_at ASC, o.id ASC LIMIT $2`;
    const orders = app.get(OrdersService);
    const user: AuthenticatedUser = {
      subject: COORDINATOR.id,
      role: 'coordinator',
      projectId: null,
      name: COORDINATOR.displayName ?? null,
    };
    const gql = await timeSequential(ask);
    const service = await timeSequential(() => orders.overdueQueue(user, undefined, 50, undefined));
    const raw = await timeSequential(() => db.query(rawSql, [new Date(), 51]));
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${rawSql}`, [
      new Date(),
      51,
    ]);
    const pct = (p: Percentiles): string => `p50 ${f(p.p50, 1)} / p95 ${f(p.p95, 1)} / p99 ${f(p.p99, 1)} ms`;
    lines.push({
      figure: `5  overdueQueue(first: 50), GraphQL, ${QUERIES} seq.`,
      value: pct(gql),
      aim: 'p95 <= 20 ms',
      verdict: gql.p95 <= 20 ? 'met' : 'MISSED',
    });
    lines.push({
      figure: '   OrdersService.overdueQueue (SQL + toModel)',
      value: pct(service),
      aim: '-',
      verdict: '',
    });
    lines.push({ figure: '   raw SQL alone (pg)', value: pct(raw), aim: '-', verdict: '' });
    notes.push(
      `5: ${f(counts.rows[0]?.withDeadline ?? 0)} open orders with a deadline, ${f(OVERDUE)} overdue (escalation 0/1/2/3 = 60/20/10/10 %); plan: ` +
        plan.rows
          .map((row) => row['QUERY PLAN'].trim())
          .filter((text) => /Scan|Limit|Execution/.test(text))
          .join(' | '),
    );

    // ── table ──
    const width = Math.max(...lines.map((line) => line.figure.length)) + 2;
    const valueWidth = Math.max(...lines.map((line) => line.value.length)) + 2;
    console.log(`${'figure'.padEnd(width)}${'value'.padEnd(valueWidth)}aim`);
    for (const line of lines) {
      console.log(
        `${line.figure.padEnd(width)}${line.value.padEnd(valueWidth)}${line.aim}${line.verdict ? ` (${line.verdict})` : ''}`,
      );
    }
    for (const note of notes) console.log(note);
  } finally {
    await worker?.close().catch((error: unknown) => console.error('closing the worker failed:', error));
    await app?.close().catch((error: unknown) => console.error('closing the app failed:', error));
    await pool?.end().catch((error: unknown) => console.error('closing the pool failed:', error));
    redis?.disconnect();
    const dropped = database.exists;
    await database.drop().catch((error: unknown) => console.error('dropping the database failed:', error));
    const redisKeys = await removeRedisKeys(redisPrefix).catch((error: unknown) => {
      console.error('cleaning Redis failed:', error);
      return 0;
    });
    if (dropped)
      console.log(`dropped database ${name}; removed ${f(redisKeys)} Redis keys under ${redisPrefix}:`);
    removeHooks();
  }
}

runBench(main, f);
