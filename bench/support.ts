/**
 * What the benches share: a throw-away database and Redis key prefix per run
 * (created, migrated, removed even on failure), the app's environment, the
 * coordinator they act as, and a few measuring helpers. Each bench keeps its
 * own data, paths and report.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signToken } from '@snitflow/auth';
import { createDataSource, runMigrations, seedDemoData } from '@snitflow/database';
import {
  type Actor,
  applyOrderEvent,
  type OrderEvent,
  type OrderEventPayload,
  type OrderFacts,
  type OrderSnapshot,
} from '@snitflow/lifecycle';
import { Redis } from 'ioredis';
import pg from 'pg';

export const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Fresh per run, so no token from one run works against another. */
export const JWT_SECRET = `snitflow-bench-${randomBytes(16).toString('hex')}`;

export const COORDINATOR: Actor = {
  id: 'bench-coordinator@kombit.example',
  role: 'coordinator',
  displayName: 'Bench Coordinator',
};

/** A positive integer knob from the environment; a typo fails the run instead of benchmarking the wrong size. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

// ── the run's own database ─────────────────────────────────────────────────

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A database created on the server behind ADMIN_URL for one run. `exists`
 * guards every drop, so the finally block, a signal and the exit hook can
 * all ask for it and only the first one acts.
 */
/**
 * A pg pool for a bench's own statements. An idle client that dies (the database dropped at the
 * end with FORCE while a client is still idle) is logged, not thrown: a pool without an error
 * listener would end the process after the figures are printed, skipping the clean-up.
 */
export function benchPool(connectionString: string, max: number, applicationName: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName });
  pool.on('error', (error) =>
    console.error(`${applicationName}: an idle connection failed: ${error.message}`),
  );
  return pool;
}

export class BenchDatabase {
  readonly url: string;
  private created = false;

  constructor(readonly name: string) {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    this.url = url.toString();
  }

  get exists(): boolean {
    return this.created;
  }

  /** Creates the database and brings it to the latest schema (plus the demo data if asked). */
  async create(options: { seed: boolean }): Promise<void> {
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${this.name}"`));
    this.created = true;
    const setup = createDataSource({ url: this.url, applicationName: 'snitflow-bench-setup', poolSize: 2 });
    await setup.initialize();
    try {
      await runMigrations(setup);
      if (options.seed) await seedDemoData(setup);
    } finally {
      await setup.destroy();
    }
  }

  async drop(): Promise<void> {
    if (!this.created) return;
    this.created = false;
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }

  /**
   * For the `exit` hook: Nest ends the process with process.exit(1) when an
   * app fails to start, skipping `finally`, and no async work runs after
   * `exit`, so a child process drops the database (and the Redis prefix, if
   * given) synchronously.
   */
  dropSync(redisPrefix?: string): void {
    if (!this.created) return;
    const pgUrl = import.meta.resolve('pg');
    let script = `import pg from ${JSON.stringify(pgUrl)};
      const c = new pg.Client({ connectionString: ${JSON.stringify(ADMIN_URL)} });
      await c.connect(); await c.query('DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)'); await c.end();`;
    if (redisPrefix) {
      script += `
      const { Redis } = await import(${JSON.stringify(import.meta.resolve('ioredis'))});
      const r = new Redis(${JSON.stringify(REDIS_URL)}); let cur = '0';
      do { const [n, k] = await r.scan(cur, 'MATCH', '${redisPrefix}:*', 'COUNT', 1000); cur = n; if (k.length) await r.del(...k); } while (cur !== '0');
      r.disconnect();`;
    }
    spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit', timeout: 15_000 });
    console.error(
      redisPrefix
        ? `dropped database ${this.name} and ${redisPrefix}:* on exit`
        : `dropped database ${this.name} on exit`,
    );
  }
}

/**
 * Installs the cleanup hooks for SIGINT/SIGTERM and process exit; returns
 * the function that removes them once the run has cleaned up by itself.
 */
export function installCleanupHooks(hooks: {
  onSignal: (signal: NodeJS.Signals) => void;
  onExit: () => void;
}): () => void {
  process.once('SIGINT', hooks.onSignal);
  process.once('SIGTERM', hooks.onSignal);
  process.on('exit', hooks.onExit);
  return () => {
    process.off('SIGINT', hooks.onSignal);
    process.off('SIGTERM', hooks.onSignal);
    process.off('exit', hooks.onExit);
  };
}

/** The environment the API and worker read their configuration from, pointed at this run's database and prefix. */
export function appEnv(db: BenchDatabase, redisPrefix: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    // Production requires a mail server. Nothing listens here: these runs measure no sending
    // (bench:email overrides it with its sink), and an email that came due would only fail.
    SMTP_URL: 'smtp://127.0.0.1:1',
    REPLY_LINK_SECRET: `${JWT_SECRET}-reply-links`,
    SEED_DEMO_DATA: 'false',
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    // The benches drive one token at full speed on purpose: the per-token limit is a guard
    // against clients, not part of the path measured.
    GRAPHQL_RATE_LIMIT: '0',
  };
}

// ── Redis ──────────────────────────────────────────────────────────────────

/** Deletes every key under `prefix:` (SCAN MATCH + DEL); returns how many there were. */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) removed += await redis.del(...keys);
  } while (cursor !== '0');
  return removed;
}

/** deleteRedisPrefix on a connection of its own, for cleanup when the bench's clients may be gone. */
export async function removeRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await deleteRedisPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

// ── the app ────────────────────────────────────────────────────────────────

/** Listens on a free local port; returns the base URL. */
export async function listenLocally(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** A bearer token for COORDINATOR, signed with this run's secret. */
export function coordinatorToken(): Promise<string> {
  return signToken(JWT_SECRET, {
    subject: COORDINATOR.id,
    role: 'coordinator',
    name: COORDINATOR.displayName ?? null,
  });
}

// ── orders ─────────────────────────────────────────────────────────────────

/** An order_event row, as the benches bulk-insert them next to their orders. */
export interface EventRow {
  order_id: string;
  version: number;
  type: string;
  actor_id: string;
  actor_role: string;
  actor_name: string | null;
  from_state: string;
  to_state: string;
  payload: Record<string, unknown>;
}

/**
 * Applies `steps` with the real machine, so the stored snapshots and events
 * are ones the app itself could have written; returns the final snapshot and
 * the event rows (versions 1…n).
 */
export function driveOrder(
  start: OrderSnapshot,
  orderId: string,
  facts: OrderFacts,
  steps: { actor: Actor; event: OrderEventPayload }[],
): { snapshot: OrderSnapshot; events: EventRow[] } {
  let snapshot = start;
  const events: EventRow[] = [];
  for (const [index, step] of steps.entries()) {
    const event = { ...step.event, actor: step.actor, facts, at: new Date().toISOString() } as OrderEvent;
    const outcome = applyOrderEvent(snapshot, event);
    if (!outcome.accepted) throw new Error(`setup step ${step.event.type} refused: ${outcome.message}`);
    const { type, ...payload } = step.event;
    events.push({
      order_id: orderId,
      version: index + 1,
      type,
      actor_id: step.actor.id,
      actor_role: step.actor.role,
      actor_name: step.actor.displayName ?? null,
      from_state: outcome.fromState,
      to_state: outcome.toState,
      payload,
    });
    snapshot = outcome.snapshot;
  }
  return { snapshot, events };
}

/**
 * Writes orders, their requests and their events in one transaction, each
 * table in one statement (jsonb_to_recordset), which is what makes seeding
 * thousands of orders quick.
 */
export async function insertOrders(
  db: pg.Pool,
  rows: { orders: Record<string, unknown>[]; requests: Record<string, unknown>[]; events: EventRow[] },
): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO interface_order (id, interface_id, supplier_id, state, ball_in_court, category,
                                    machine_version, snapshot, version)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, interface_id uuid, supplier_id uuid,
         state text, ball_in_court text, category text, machine_version int, snapshot jsonb, version int)`,
      [JSON.stringify(rows.orders)],
    );
    await client.query(
      `INSERT INTO interface_request (id, order_id, interface_id, project_id, status, data_elements, need_by,
                                      firmness, justification, tender_reference, submitted_by, reviewed_by,
                                      reviewed_at)
       SELECT *, now() FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, order_id uuid, interface_id uuid,
         project_id uuid, status text, data_elements text[], need_by date, firmness text, justification text,
         tender_reference text, submitted_by text, reviewed_by text)`,
      [JSON.stringify(rows.requests)],
    );
    await client.query(
      `INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name, from_state,
                                to_state, payload)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, version int, type text,
         actor_id text, actor_role text, actor_name text, from_state text, to_state text, payload jsonb)`,
      [JSON.stringify(rows.events)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// ── measuring ──────────────────────────────────────────────────────────────

/** The q-quantile of ascending `sorted` (nearest rank, rounding down); NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** CPU time of all cores since boot, ms; the difference of two readings shows how busy the machine was. */
export function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** Thousands separators and a fixed number of decimals, for the report tables. */
export const formatNumber = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Runs a bench's main, prints its total time and exits (the app's pools and timers would keep Node alive). */
export function runBench(main: () => Promise<void>, format: (value: number, digits: number) => string): void {
  const started = performance.now();
  main().then(
    () => {
      console.log(`total ${format((performance.now() - started) / 1000, 1)} s`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
