/**
 * `npm run bench:transitions`: how fast an accepted order transition is on
 * each layer, against the floor of the same writes in bare SQL.
 *
 * (a) OrderTransitionService.apply, (b) the recordTestResult mutation over
 * HTTP, (c) BEGIN / SELECT … FOR UPDATE / UPDATE / INSERT event / COMMIT with
 * the pg driver. Same concurrency, same transition count, same orders. The
 * transition is RECORD_TEST_RESULT in test.running: a self-transition that is
 * always legal, so every attempt is accepted and writes one event. Paths take
 * turns in interleaved rounds so background load and drift hit them alike.
 *
 * Diagnostics split a − c: (d) the service's SQL on bare pg, (e) TypeORM's
 * transaction with the floor's SQL, (f) both; and b − a: (g) the mutation
 * through the server without a socket (Fastify inject); plus serial
 * per-statement round trips and the lifecycle's CPU per call; (h) the mutation's service method
 * without GraphQL splits g − a. BENCH_DIAGNOSTICS=0 skips (d)–(h).
 *
 * Runs against its own throw-away database (created, migrated, seeded, dropped
 * even on failure) and its own Redis key prefix (removed at the end).
 * Knobs: BENCH_ORDERS, BENCH_CONCURRENCY, BENCH_TRANSITIONS, BENCH_WARMUP,
 * BENCH_HOT_TRANSITIONS, BENCH_ROUNDS, BENCH_PATHS (e.g. "a" for profiling).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuthenticatedUser } from '@snitflow/auth';
import {
  type Actor,
  applyOrderEvent,
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
import { DeadlinePlanner, ORDER_COLUMNS, OrderTransitionService } from '@snitflow/orders';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { OrderTarget, RecordTestResultInput } from '../apps/api/src/orders/order.inputs.js';
import { TestOutcomeEnum } from '../apps/api/src/orders/order.models.js';
import { OrdersService } from '../apps/api/src/orders/orders.service.js';
import {
  appEnv,
  BenchDatabase,
  benchPool,
  COORDINATOR,
  coordinatorToken,
  driveOrder,
  type EventRow,
  insertOrders,
  installCleanupHooks,
  intEnv,
  listenLocally,
  machineTimes,
  quantile,
  removeRedisKeys,
  runBench,
} from './support.js';

const ORDERS = intEnv('BENCH_ORDERS', 200);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 16);
const TRANSITIONS = intEnv('BENCH_TRANSITIONS', 3000);
const WARMUP = intEnv('BENCH_WARMUP', 300);
const HOT_TRANSITIONS = intEnv('BENCH_HOT_TRANSITIONS', 1200);
const ROUNDS = intEnv('BENCH_ROUNDS', 3);
const POOL_SIZE = 20; // TypeORM's pool (dataSourceOptions: extra.max 20)
const NOTES = 'bench';
/** Events from a new order to test.running: CONSOLIDATE, SEND_TO_SUPPLIER, SUPPLIER_ACCEPTS, PLAN_TEST, START_TEST. */
const SETUP_EVENTS = 5;

const SUPPLIER: Actor = { id: 'bench-supplier-link', role: 'supplier' };

// ── data ───────────────────────────────────────────────────────────────────

interface BenchOrder {
  id: string;
  projectId: string;
}

/** Drives a new order through the real machine to test.running; returns the snapshot and its history. */
function driveToRunningTest(
  input: { orderId: string; interfaceKey: string; supplierId: string },
  facts: OrderFacts,
  steps: { actor: Actor; event: OrderEventPayload }[],
): { snapshot: OrderSnapshot; events: EventRow[] } {
  const { snapshot, events } = driveOrder(initialOrderSnapshot(input), input.orderId, facts, steps);
  if (statePath(snapshot) !== 'test.running') throw new Error(`setup ended in ${statePath(snapshot)}`);
  return { snapshot, events };
}

/**
 * What START_TEST did to each order's deadline: test.running's due date and
 * reminder rows, written by the app's own planner (Postgres only; the bench
 * adds no Redis wake-ups, RECORD_TEST_RESULT never replans).
 */
async function planDeadlines(app: NestFastifyApplication, orders: BenchOrder[]): Promise<void> {
  const planner = app.get(DeadlinePlanner);
  const now = new Date();
  const startTest = {
    type: 'START_TEST',
    actor: COORDINATOR,
    facts: { activeRequests: [], supplierContactCount: 0 },
    at: now.toISOString(),
  } as OrderEvent;
  await app.get(OrderTransitionService).inTransaction(async (tx) => {
    for (const order of orders) {
      await planner.replan(tx, { id: order.id, version: SETUP_EVENTS }, 'test.running', startTest, now);
    }
  });
}

/**
 * One extra interface per order (SF9000…), supplied by SKAT, because only one
 * open order per interface is allowed. Each order has an approved request from
 * KY and a history of real machine events up to test.running.
 */
async function prepareOrders(db: pg.Pool, count: number): Promise<BenchOrder[]> {
  const supplier = await db.query<{ id: string }>("SELECT id FROM source_supplier WHERE code = 'SKAT'");
  const project = await db.query<{ id: string }>("SELECT id FROM project WHERE code = 'KY'");
  const supplierId = supplier.rows[0]?.id;
  const projectId = project.rows[0]?.id;
  if (!supplierId || !projectId) throw new Error('the seed has no SKAT supplier or KY project');
  const contacts = await db.query<{ id: string }>('SELECT id FROM supplier_contact WHERE supplier_id = $1', [
    supplierId,
  ]);
  const keys = Array.from({ length: count }, (_, i) => `SF${String(9000 + i).padStart(4, '0')}`);
  if (count > 1000) throw new Error('at most 1000 bench orders (SF9000–SF9999)');
  const interfaces = await db.query<{ id: string; key: string }>(
    `INSERT INTO interface (key, title, supplier_id)
     SELECT key, 'Bench interface ' || key, $2 FROM unnest($1::text[]) AS key RETURNING id, key`,
    [keys, supplierId],
  );
  await db.query(
    `INSERT INTO data_element (interface_id, code, name)
     SELECT id, 'SKAT.A_INDKOMST', 'A-indkomst' FROM interface WHERE id = ANY($1::uuid[])`,
    [interfaces.rows.map((row) => row.id)],
  );

  const orders: Record<string, unknown>[] = [];
  const requests: Record<string, unknown>[] = [];
  const events: EventRow[] = [];
  const today = new Date().toISOString().slice(0, 10);
  for (const { id: interfaceId, key } of interfaces.rows) {
    const orderId = randomUUID();
    const requestId = randomUUID();
    const facts: OrderFacts = {
      activeRequests: [{ id: requestId, projectId, status: 'APPROVED' }],
      supplierContactCount: contacts.rows.length,
    };
    const driven = driveToRunningTest({ orderId, interfaceKey: key, supplierId }, facts, [
      {
        actor: COORDINATOR,
        event: {
          type: 'CONSOLIDATE',
          category: 'COMMON_NEED',
          specification: {
            dataElements: ['SKAT.A_INDKOMST'],
            needBy: '2030-01-01',
            projectIds: [projectId],
            requestIds: [requestId],
          },
        },
      },
      {
        actor: COORDINATOR,
        event: {
          type: 'SEND_TO_SUPPLIER',
          recipientContactIds: contacts.rows.map((c) => c.id),
          replyBy: null,
        },
      },
      { actor: SUPPLIER, event: { type: 'SUPPLIER_ACCEPTS' } },
      {
        actor: COORDINATOR,
        event: {
          type: 'PLAN_TEST',
          plan: {
            responsible: 'KOMBIT',
            mode: 'SHARED',
            participantProjectIds: [projectId],
            windowStart: today,
            windowEnd: '2030-01-01',
          },
        },
      },
      { actor: COORDINATOR, event: { type: 'START_TEST' } },
    ]);
    const snapshot = driven.snapshot;
    orders.push({
      id: orderId,
      interface_id: interfaceId,
      supplier_id: supplierId,
      state: statePath(snapshot),
      ball_in_court: ballInCourt(snapshot),
      category: snapshot.context.category,
      machine_version: ORDER_MACHINE_VERSION,
      snapshot: persistOrderSnapshot(snapshot),
      version: driven.events.length,
    });
    if (driven.events.length !== SETUP_EVENTS) throw new Error('setup route changed');
    requests.push({
      id: requestId,
      order_id: orderId,
      interface_id: interfaceId,
      project_id: projectId,
      status: 'APPROVED',
      data_elements: ['SKAT.A_INDKOMST'],
      need_by: '2030-01-01',
      firmness: 'FIRM',
      justification: 'Benchmark order',
      tender_reference: 'bench',
      submitted_by: 'bench',
      reviewed_by: COORDINATOR.id,
    });
    events.push(...driven.events);
  }
  await insertOrders(db, { orders, requests, events });
  await db.query('ANALYZE');
  return orders.map((order) => ({ id: String(order.id), projectId }));
}

// ── load ───────────────────────────────────────────────────────────────────

interface RunResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU of this Node process (app, client and pools) per transition, µs. */
  nodeCpuUs: number;
  /** The part of nodeCpuUs spent in the kernel (socket system calls, loopback TCP), µs. */
  nodeSystemUs: number;
  /** Share of all cores busy during the run (Node + PostgreSQL + anything else on the box), %. */
  machineBusy: number;
}

/** The raw measurements of one or more runs of a path, merged before summarising. */
interface Sample {
  latencies: number[];
  seconds: number;
  cpuMicros: number;
  systemMicros: number;
  machineBusy: number;
  machineTotal: number;
}

const emptySample = (): Sample => ({
  latencies: [],
  seconds: 0,
  cpuMicros: 0,
  systemMicros: 0,
  machineBusy: 0,
  machineTotal: 0,
});

/** `total` calls of `op` from `concurrency` workers; call i targets pick(i). Adds to `into`. */
async function runLoad(
  total: number,
  concurrency: number,
  pick: (index: number) => BenchOrder,
  op: (order: BenchOrder) => Promise<void>,
  into: Sample = emptySample(),
): Promise<Sample> {
  const latencies = new Float64Array(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= total) return;
      const started = performance.now();
      await op(pick(index));
      latencies[index] = performance.now() - started;
    }
  };
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  into.seconds += (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineTimes();
  into.cpuMicros += cpu.user + cpu.system;
  into.systemMicros += cpu.system;
  into.machineBusy += machineAfter.busy - machineBefore.busy;
  into.machineTotal += machineAfter.total - machineBefore.total;
  for (const latency of latencies) into.latencies.push(latency);
  return into;
}

function summarise(sample: Sample): RunResult {
  const count = sample.latencies.length;
  const sorted = Float64Array.from(sample.latencies).sort();
  return {
    count,
    seconds: sample.seconds,
    perSecond: count / sample.seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    nodeCpuUs: sample.cpuMicros / count,
    nodeSystemUs: sample.systemMicros / count,
    machineBusy: (100 * sample.machineBusy) / Math.max(1, sample.machineTotal),
  };
}

// ── the three paths ────────────────────────────────────────────────────────

type Path = (order: BenchOrder) => Promise<void>;

function servicePath(service: OrderTransitionService): Path {
  return async (order) => {
    await service.apply({
      orderId: order.id,
      actor: COORDINATOR,
      event: { type: 'RECORD_TEST_RESULT', projectId: order.projectId, outcome: 'PASSED', notes: NOTES },
    });
  };
}

const MUTATION = `mutation($orderId: ID!, $input: RecordTestResultInput!) {
  recordTestResult(orderId: $orderId, input: $input) { version }
}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The mutation over HTTP with node:http and a keep-alive agent (one socket per worker). The
 * client runs in this process and shares its cores with the server, so it is the lightest
 * one at hand: global fetch (undici, on web streams) cost about 1.5 ms of Node CPU per call
 * here, more than Fastify, Mercurius and Nest together, and no real client runs in the API.
 */
function graphqlPath(url: string, token: string): Path {
  const target = new URL('/graphql', url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return async (order) => {
    const response = await post(
      JSON.stringify({
        query: MUTATION,
        variables: {
          orderId: order.id,
          input: { projectId: order.projectId, outcome: 'PASSED', notes: NOTES },
        },
      }),
    );
    const body: unknown = JSON.parse(response.text);
    const data = isRecord(body) && isRecord(body.data) ? body.data : null;
    const result = data && isRecord(data.recordTestResult) ? data.recordTestResult : null;
    if (response.status !== 200 || !isRecord(body) || body.errors || typeof result?.version !== 'number') {
      throw new Error(`GraphQL recordTestResult failed (${response.status}): ${response.text}`);
    }
  };
}

/**
 * The mutation's own service method (OrdersService.recordTestResult: the transition, then the
 * order's API model), called directly: g − h is what GraphQL, Fastify and Nest add.
 */
function ordersServicePath(orders: OrdersService): Path {
  const user: AuthenticatedUser = {
    subject: COORDINATOR.id,
    role: 'coordinator',
    projectId: null,
    name: COORDINATOR.displayName ?? null,
  };
  return async (order) => {
    const target = Object.assign(new OrderTarget(), { orderId: order.id });
    const input = Object.assign(new RecordTestResultInput(), {
      projectId: order.projectId,
      outcome: TestOutcomeEnum.PASSED,
      notes: NOTES,
    });
    const model = await orders.recordTestResult(user, target, input);
    if (typeof model.version !== 'number') throw new Error('recordTestResult returned no version');
  };
}

/** The same mutation through the whole server pipeline (Fastify, Mercurius, Nest) without a socket. */
function injectedGraphqlPath(app: NestFastifyApplication, token: string): Path {
  const fastify = app.getHttpAdapter().getInstance();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return async (order) => {
    const response = await fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: JSON.stringify({
        query: MUTATION,
        variables: {
          orderId: order.id,
          input: { projectId: order.projectId, outcome: 'PASSED', notes: NOTES },
        },
      }),
    });
    const body: unknown = response.json();
    if (response.statusCode !== 200 || !isRecord(body) || body.errors) {
      throw new Error(`injected recordTestResult failed (${response.statusCode}): ${response.body}`);
    }
  };
}

/** Runs SQL inside an open transaction and returns the rows. */
type Exec = (sql: string, parameters: unknown[]) => Promise<Record<string, unknown>[]>;
type TransactionBody = (exec: Exec, order: BenchOrder) => Promise<void>;

/** A transaction on a pg.Pool client, opened with `begin` (one statement per round trip, as TypeORM does). */
function pgTransaction(pool: pg.Pool, begin: string[], body: TransactionBody): Path {
  return async (order) => {
    const client = await pool.connect();
    try {
      for (const statement of begin) await client.query(statement);
      await body(async (sql, parameters) => (await client.query(sql, parameters)).rows, order);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw error;
    }
  };
}

/** A transaction as the service opens it: TypeORM's DataSource.transaction at READ COMMITTED. */
function typeormTransaction(dataSource: DataSource, body: TransactionBody): Path {
  return async (order) => {
    await dataSource.transaction('READ COMMITTED', async (manager) => {
      await body(async (sql, parameters) => {
        const result: unknown = await manager.query(sql, parameters);
        return Array.isArray(result) ? result.filter(isRecord) : [];
      }, order);
    });
  };
}

const eventPayload = (order: BenchOrder) => ({ projectId: order.projectId, outcome: 'PASSED', notes: NOTES });

/** The floor: lock, rewrite the snapshot the row has, bump the version, append the event. */
const floorSql: TransactionBody = async (exec, order) => {
  const row = (
    await exec('SELECT id, version, snapshot FROM interface_order WHERE id = $1 FOR UPDATE', [order.id])
  )[0];
  if (!row || typeof row.version !== 'number') throw new Error(`order ${order.id} is missing`);
  await exec(
    'UPDATE interface_order SET snapshot = $2, version = version + 1, updated_at = now() WHERE id = $1',
    [order.id, row.snapshot],
  );
  await exec(
    `INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name, from_state,
                              to_state, payload)
     VALUES ($1, $2, 'RECORD_TEST_RESULT', $3, $4, $5, 'test.running', 'test.running', $6)`,
    [
      order.id,
      row.version + 1,
      COORDINATOR.id,
      COORDINATOR.role,
      COORDINATOR.displayName ?? null,
      eventPayload(order),
    ],
  );
};

/**
 * Diagnostic: the service's own statements for RECORD_TEST_RESULT (the lock, without the facts,
 * which only two events' guards read; the UPDATE … RETURNING + INSERT CTE of
 * OrderTransitionService.write, copied here) without TypeORM and without the machine.
 */
const serviceSql: TransactionBody = async (exec, order) => {
  const row = (
    await exec(`SELECT ${ORDER_COLUMNS} FROM interface_order o WHERE o.id = $1 FOR UPDATE OF o`, [order.id])
  )[0];
  if (!row) throw new Error(`order ${order.id} is missing`);
  const written = await exec(
    `WITH updated AS (
       UPDATE interface_order o
          SET snapshot = $2, state = $3, ball_in_court = $4, category = $5, supplier_id = $6,
              machine_version = $7, version = o.version + 1, updated_at = $8
        WHERE o.id = $1
       RETURNING o.id, o.version
     ), appended AS (
       INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name,
                                from_state, to_state, payload, occurred_at)
       SELECT id, version, $9, $10, $11, $12, $13, $3, $14, $8 FROM updated
     )
     SELECT version FROM updated`,
    [
      order.id,
      row.snapshot,
      row.state,
      row.ballInCourt,
      row.category,
      row.supplierId,
      ORDER_MACHINE_VERSION,
      new Date().toISOString(),
      'RECORD_TEST_RESULT',
      COORDINATOR.id,
      COORDINATOR.role,
      COORDINATOR.displayName ?? null,
      row.state,
      eventPayload(order),
    ],
  );
  if (!written[0]) throw new Error(`order ${order.id} was not written`);
};

/** Every order's events are numbered 1…n without gaps, and n is the order's version. */
async function gaplessCheck(db: pg.Pool): Promise<string> {
  const gaps = await db.query<{ order_id: string }>(
    'SELECT order_id FROM order_event GROUP BY order_id HAVING max(version) <> count(*)',
  );
  const drift = await db.query<{ id: string }>(
    `SELECT o.id FROM interface_order o
      WHERE o.version <> (SELECT coalesce(max(e.version), 0) FROM order_event e WHERE e.order_id = o.id)`,
  );
  const events = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM order_event');
  if (gaps.rows.length || drift.rows.length) {
    throw new Error(
      `event log broken: ${gaps.rows.length} orders with gaps, ${drift.rows.length} with drift`,
    );
  }
  return `ok (0 orders with gaps, 0 version drift, ${events.rows[0]?.count ?? 0} events)`;
}

/**
 * Serial (one client, no contention) median round trip of each statement of the floor's and the
 * service's transactions, µs: separates what PostgreSQL does per statement from queueing.
 */
async function statementCost(
  pool: pg.Pool,
  order: BenchOrder,
): Promise<{ floor: number[]; service: number[] }> {
  const iterations = 300;
  const floor: number[][] = [];
  const service: number[][] = [];
  const client = await pool.connect();
  try {
    const timed = (into: number[][]): Exec => {
      let call = 0;
      return async (sql, parameters) => {
        const started = performance.now();
        const result = await client.query(sql, parameters);
        const bucket = call++;
        into[bucket] ??= [];
        into[bucket]?.push((performance.now() - started) * 1000);
        return result.rows;
      };
    };
    for (let i = 0; i < iterations; i++) {
      for (const [body, into] of [
        [floorSql, floor],
        [serviceSql, service],
      ] as const) {
        await client.query('BEGIN');
        const exec = timed(into);
        await body(exec, order);
        await exec('COMMIT', []);
      }
    }
  } finally {
    client.release();
  }
  const median = (values: number[] | undefined): number => {
    const sorted = Float64Array.from(values ?? []).sort();
    return Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
  };
  return { floor: floor.map(median), service: service.map(median) };
}

/** In-process CPU cost of the lifecycle steps the service runs per transition, in µs per call. */
function lifecycleCost(stored: unknown, order: BenchOrder): Record<string, number> {
  const iterations = 2000;
  const totals = { restore: 0, apply: 0, persist: 0, queries: 0 };
  const facts: OrderFacts = { activeRequests: [], supplierContactCount: 2 };
  // A fresh object per call, as each row from pg is (the parse itself is not counted).
  const text = JSON.stringify(stored);
  for (let i = 0; i < iterations + 200; i++) {
    const fresh: unknown = JSON.parse(text);
    const t0 = performance.now();
    const snapshot = restoreOrderSnapshot({ machineVersion: ORDER_MACHINE_VERSION, snapshot: fresh });
    const t1 = performance.now();
    const outcome = applyOrderEvent(snapshot, {
      type: 'RECORD_TEST_RESULT',
      projectId: order.projectId,
      outcome: 'PASSED',
      notes: NOTES,
      actor: COORDINATOR,
      facts,
      at: new Date().toISOString(),
    });
    const t2 = performance.now();
    if (!outcome.accepted) throw new Error(outcome.message);
    persistOrderSnapshot(outcome.snapshot);
    const t3 = performance.now();
    ballInCourt(outcome.snapshot);
    statePath(outcome.snapshot);
    const t4 = performance.now();
    if (i < 200) continue; // warm-up
    totals.restore += t1 - t0;
    totals.apply += t2 - t1;
    totals.persist += t3 - t2;
    totals.queries += t4 - t3;
  }
  const us = (ms: number): number => Math.round((ms * 1000) / iterations);
  return {
    restore: us(totals.restore),
    apply: us(totals.apply),
    persist: us(totals.persist),
    queries: us(totals.queries),
  };
}

// ── main ───────────────────────────────────────────────────────────────────

const f = (value: number, digits: number): string => value.toFixed(digits);

async function main(): Promise<void> {
  const name = `snitflow_bench_${Date.now()}_${process.pid}`;
  const database = new BenchDatabase(name);
  // The API connects to Redis (BullMQ producer); its keys, if any, live under this prefix and are removed.
  const redisPrefix = name.replaceAll('_', '-');
  let app: NestFastifyApplication | null = null;
  let pool: pg.Pool | null = null;
  const removeHooks = installCleanupHooks({
    onSignal: (signal) => {
      console.error(`\n${signal}: dropping ${name}`);
      database.drop().finally(() => process.exit(130));
    },
    onExit: () => database.dropSync(),
  });

  try {
    await database.create({ seed: true });
    Object.assign(process.env, { ...appEnv(database, redisPrefix), PORT: '0' });
    pool = benchPool(database.url, POOL_SIZE, 'snitflow-bench-floor');
    const orders = await prepareOrders(pool, ORDERS + 1);
    const hot = orders.pop();
    if (!hot) throw new Error('no orders were prepared');

    app = await createApiApp();
    const apiUrl = await listenLocally(app);
    await planDeadlines(app, [...orders, hot]);
    await pool.query('ANALYZE');
    const token = await coordinatorToken();

    const allPaths: { key: string; label: string; run: Path }[] = [
      { key: 'a', label: '(a) OrderTransitionService', run: servicePath(app.get(OrderTransitionService)) },
      { key: 'b', label: '(b) GraphQL over HTTP', run: graphqlPath(apiUrl, token) },
      { key: 'c', label: '(c) bare SQL floor (pg)', run: pgTransaction(pool, ['BEGIN'], floorSql) },
    ];
    // Decomposition of a − c (spread only): the service's SQL on bare pg; TypeORM's transaction with the floor's SQL.
    const typeormDataSource = app.get(DataSource);
    const diagnostics: { key: string; label: string; run: Path }[] = [
      {
        key: 'd',
        label: "(d) pg + service's SQL",
        run: pgTransaction(pool, ['START TRANSACTION'], serviceSql),
      },
      { key: 'e', label: '(e) TypeORM tx + floor SQL', run: typeormTransaction(typeormDataSource, floorSql) },
      {
        key: 'f',
        label: '(f) TypeORM tx + service SQL',
        run: typeormTransaction(typeormDataSource, serviceSql),
      },
      // b − g is what HTTP on loopback costs (both ends in this process: client, kernel, parsing).
      { key: 'g', label: '(g) GraphQL, no socket', run: injectedGraphqlPath(app, token) },
      // h − a: the mutation's service method beyond the transition (the API model); g − h: GraphQL and Nest.
      { key: 'h', label: '(h) OrdersService method', run: ordersServicePath(app.get(OrdersService)) },
    ];
    // BENCH_PATHS=a (for profiling) runs a subset; the floor always runs, the ratios need it.
    const only = process.env.BENCH_PATHS?.split(',') ?? ['a', 'b', 'c'];
    const paths = allPaths.filter((path) => path.key === 'c' || only.includes(path.key));
    const spread = (index: number): BenchOrder => orders[index % orders.length] as BenchOrder;
    const one = (): BenchOrder => hot;
    // Paths take turns in ROUNDS chunks (order rotated each round), so drift and any
    // background load on the box hit every path alike; diagnostics run spread only.
    const runDiagnostics = process.env.BENCH_DIAGNOSTICS !== '0';
    // With BENCH_PATHS, only the diagnostics it names (e.g. "g" to profile the server pipeline).
    const chosen = process.env.BENCH_PATHS
      ? diagnostics.filter((path) => only.includes(path.key))
      : diagnostics;
    const everyPath = runDiagnostics ? [...paths, ...chosen] : paths;
    for (const path of everyPath) await runLoad(WARMUP, CONCURRENCY, spread, path.run);
    const spreadSamples = new Map(everyPath.map((path) => [path.key, emptySample()]));
    const hotSamples = new Map(paths.map((path) => [path.key, emptySample()]));
    const gapless = new Map(everyPath.map((path) => [path.key, '']));
    for (let round = 0; round < ROUNDS; round++) {
      const turn = everyPath.map(
        (_, i) => everyPath[(i + round) % everyPath.length] as (typeof everyPath)[number],
      );
      for (const path of turn) {
        await runLoad(
          Math.ceil(TRANSITIONS / ROUNDS),
          CONCURRENCY,
          spread,
          path.run,
          spreadSamples.get(path.key),
        );
        const hotSample = hotSamples.get(path.key);
        if (hotSample)
          await runLoad(Math.ceil(HOT_TRANSITIONS / ROUNDS), CONCURRENCY, one, path.run, hotSample);
        gapless.set(path.key, await gaplessCheck(pool));
      }
    }
    const results = new Map<string, { spread: RunResult; hot: RunResult }>();
    for (const path of paths) {
      results.set(path.key, {
        spread: summarise(spreadSamples.get(path.key) ?? emptySample()),
        hot: summarise(hotSamples.get(path.key) ?? emptySample()),
      });
    }
    const diagnosticResults = new Map<string, RunResult>();
    for (const path of runDiagnostics ? diagnostics : []) {
      diagnosticResults.set(path.key, summarise(spreadSamples.get(path.key) ?? emptySample()));
    }
    const checks = everyPath.map(
      (path) => `gapless after ${path.label.padEnd(29)}${gapless.get(path.key) ?? '?'}`,
    );

    const stored = await pool.query<{ snapshot: unknown; bytes: number }>(
      'SELECT snapshot, octet_length(snapshot::text) AS bytes FROM interface_order WHERE id = $1',
      [hot.id],
    );
    const cost = lifecycleCost(stored.rows[0]?.snapshot, hot);
    const statements = await statementCost(pool, hot);
    const hotUpdates = await pool.query<{ updates: number; hot: number }>(
      `SELECT n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables
        WHERE relname = 'interface_order'`,
    );
    checks.push(`gapless after serial statement timing       ${await gaplessCheck(pool)}`);

    const floor = results.get('c');
    if (!floor) throw new Error('no floor result');
    console.log(
      `\nsnitflow transitions: RECORD_TEST_RESULT, ${CONCURRENCY} workers, ${TRANSITIONS} tx/path ` +
        `(+${WARMUP} warm-up) over ${ORDERS} orders, in ${ROUNDS} interleaved rounds; ` +
        `hot = ${HOT_TRANSITIONS} tx on 1 order; pools ${POOL_SIZE}`,
    );
    console.log(
      `${'path'.padEnd(27)}${'tx/s'.padStart(7)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}` +
        `${'vs c'.padStart(6)}${'nodeCPU'.padStart(9)}${'sys'.padStart(5)}${'busy'.padStart(6)} |` +
        `${'hot tx/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'vs c'.padStart(6)}`,
    );
    for (const path of paths) {
      const r = results.get(path.key);
      if (!r) continue;
      console.log(
        `${path.label.padEnd(27)}${f(r.spread.perSecond, 0).padStart(7)}${f(r.spread.p50, 2).padStart(8)}` +
          `${f(r.spread.p99, 2).padStart(8)}${f(r.spread.perSecond / floor.spread.perSecond, 2).padStart(6)}` +
          `${`${f(r.spread.nodeCpuUs, 0)}µs`.padStart(9)}` +
          `${`${f((100 * r.spread.nodeSystemUs) / r.spread.nodeCpuUs, 0)}%`.padStart(5)}` +
          `${`${f(r.spread.machineBusy, 0)}%`.padStart(6)} |` +
          `${f(r.hot.perSecond, 0).padStart(9)}${f(r.hot.p50, 2).padStart(8)}${f(r.hot.p99, 2).padStart(8)}` +
          `${f(r.hot.perSecond / floor.hot.perSecond, 2).padStart(6)}`,
      );
    }
    for (const path of diagnostics) {
      const r = diagnosticResults.get(path.key);
      if (!r) continue;
      console.log(
        `${path.label.padEnd(27)}${f(r.perSecond, 0).padStart(7)}${f(r.p50, 2).padStart(8)}` +
          `${f(r.p99, 2).padStart(8)}${f(r.perSecond / floor.spread.perSecond, 2).padStart(6)}` +
          `${`${f(r.nodeCpuUs, 0)}µs`.padStart(9)}${`${f((100 * r.nodeSystemUs) / r.nodeCpuUs, 0)}%`.padStart(5)}` +
          `${`${f(r.machineBusy, 0)}%`.padStart(6)} |  (diagnostic)`,
      );
    }
    console.log(
      '(nodeCPU: Node process CPU per transition, app + client + pools; sys: its share in the kernel; busy: all cores, incl. PostgreSQL)',
    );
    const verdict = (key: string, aim: number): string => {
      const result = results.get(key);
      if (!result) return `${key}/c = n/a (not run)`;
      const value = result.spread.perSecond / floor.spread.perSecond;
      return `${key}/c = ${f(value, 2)} (aim >= ${aim}: ${value >= aim ? 'met' : 'MISSED'})`;
    };
    console.log(`${verdict('a', 0.75)}   ${verdict('b', 0.5)}`);
    for (const line of checks) console.log(line);
    console.log(
      `lifecycle CPU per call (µs, ${stored.rows[0]?.bytes ?? '?'} B snapshot): restoreOrderSnapshot ${cost.restore}, ` +
        `applyOrderEvent ${cost.apply}, persistOrderSnapshot ${cost.persist}, statePath+ballInCourt ${cost.queries}`,
    );
    const [fLock, fUpdate, fInsert, fCommit] = statements.floor;
    const [sLock, sWrite, sCommit] = statements.service;
    console.log(
      `serial round trips (µs, median): floor lock ${fLock} + UPDATE ${fUpdate} + INSERT ${fInsert} + COMMIT ${fCommit}; ` +
        `service lock ${sLock} + UPDATE…RETURNING/INSERT CTE ${sWrite} + COMMIT ${sCommit}`,
    );
    const updateStats = hotUpdates.rows[0];
    if (updateStats) {
      console.log(
        `interface_order updates: ${updateStats.updates}, HOT ${f((100 * updateStats.hot) / Math.max(1, updateStats.updates), 0)}%`,
      );
    }
  } finally {
    await app?.close().catch((error: unknown) => console.error('closing the app failed:', error));
    await pool?.end().catch((error: unknown) => console.error('closing the pool failed:', error));
    const dropped = database.exists;
    await database.drop();
    const redisKeys = await removeRedisKeys(redisPrefix).catch((error: unknown) => {
      console.error('cleaning Redis failed:', error);
      return 0;
    });
    if (dropped)
      console.log(`dropped database ${name}; removed ${redisKeys} Redis keys under ${redisPrefix}:`);
    removeHooks();
  }
}

runBench(main, f);
