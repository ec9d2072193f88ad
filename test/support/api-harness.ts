import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { signToken, type TokenRequest } from '@snitflow/auth';
import { CLOCK, type Clock } from '@snitflow/common';
import { LOG_DESTINATION, type LogDestination } from '@snitflow/config';
import { Logger as PinoLogger } from 'nestjs-pino';
import pg from 'pg';
import { cloneTestDatabase } from './database.js';
import { runId, TEST_JWT_SECRET, TEST_REDIS_URL } from './test-env.js';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: string[] }[];
}

export interface DemoIds {
  projects: Record<'KY' | 'KSD' | 'BARSEL' | 'OKO', string>;
  suppliers: Record<string, string>;
}

/**
 * The real API on a real port, against this file's own clone of the seeded
 * database. Tests talk to it over HTTP like any frontend.
 */
/**
 * This test file's harnesses that are not stopped yet, and starts still under way. A `beforeAll`
 * that times out (a slow machine) leaves its `api` variable unset, so the file's own `afterAll`
 * (`api?.stop()`) cannot stop what the start still brings up: an API listening and its Redis
 * connections, which keep Jest from exiting after the run. `stopLeftoverHarnesses`, run after
 * every integration test file (jest.config.js), stops them.
 */
const running = new Set<ApiHarness>();
const starting = new Set<Promise<unknown>>();

/** Waits for starts under way, then stops every harness of this file not stopped yet. */
export async function stopLeftoverHarnesses(): Promise<void> {
  await Promise.allSettled([...starting]);
  await Promise.allSettled([...running].map((harness) => harness.stop()));
}

export class ApiHarness {
  app!: NestFastifyApplication;
  url!: string;
  databaseUrl!: string;
  /** The name of this file's own database (the only one a test may inject faults into). */
  databaseName!: string;
  db!: pg.Pool;
  ids!: DemoIds;

  /** The worker of this harness, when started with `withWorker`. */
  worker: INestApplicationContext | null = null;

  /**
   * `sameDatabaseAs`: a second API instance on another harness's database (as a second API
   * process would be), instead of a fresh clone.
   */
  static async start(
    env: Record<string, string> = {},
    options: { clock?: Clock; sameDatabaseAs?: ApiHarness; logs?: LogDestination } = {},
  ): Promise<ApiHarness> {
    const started = ApiHarness.bringUp(env, options);
    starting.add(started);
    try {
      return await started;
    } finally {
      starting.delete(started);
    }
  }

  private static async bringUp(
    env: Record<string, string>,
    options: { clock?: Clock; sameDatabaseAs?: ApiHarness; logs?: LogDestination },
  ): Promise<ApiHarness> {
    const harness = new ApiHarness();
    running.add(harness);
    const database = options.sameDatabaseAs
      ? {
          name: new URL(options.sameDatabaseAs.databaseUrl).pathname.slice(1),
          url: options.sameDatabaseAs.databaseUrl,
        }
      : await cloneTestDatabase();
    harness.databaseUrl = database.url;
    harness.databaseName = database.name;
    Object.assign(process.env, {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `snitflow-test-${runId()}`,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // Emails without SMTP_URL go to a folder of this test file, not the repository's .outbox/.
      MAIL_DROP_DIR: join(tmpdir(), `snitflow-test-mail-${database.name}`),
      PORT: '0',
      // The rate limits count in Redis under the run's prefix, shared by every test file of the
      // run (all from 127.0.0.1): off here, on in the tests of the limits themselves.
      GRAPHQL_RATE_LIMIT: '0',
      ADMIN_LOGIN_RATE_LIMIT: '0',
      REPLY_PAGE_RATE_LIMIT: '0',
      // Worker processes a test starts listen on any free port, never on a fixed one.
      WORKER_HEALTH_PORT: '0',
      ...env,
    });
    const { configureApiApp, createFastifyAdapter } = await import('../../apps/api/src/bootstrap.js');
    const { AppModule } = await import('../../apps/api/src/app.module.js');
    let builder = Test.createTestingModule({ imports: [AppModule] });
    if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
    if (options.logs) builder = builder.overrideProvider(LOG_DESTINATION).useValue(options.logs);
    const moduleRef = await builder.compile();
    harness.app = await configureApiApp(
      moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { bufferLogs: true }),
    );
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    const address = harness.app.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('the API did not bind a TCP port');
    harness.url = `http://127.0.0.1:${address.port}`;
    harness.db = new pg.Pool({ connectionString: database.url, max: 4 });
    // A test that cuts its database's connections must not crash the run on an idle client's error.
    harness.db.on('error', () => undefined);
    harness.ids = await harness.loadDemoIds();
    return harness;
  }

  /**
   * Starts the real worker (BullMQ processors, reconciler) in this process,
   * against the same database, Redis prefix and clock as the API.
   */
  async startWorker(
    options: { clock?: Clock; logs?: LogDestination } = {},
  ): Promise<INestApplicationContext> {
    const { WorkerModule } = await import('../../apps/worker/src/worker.module.js');
    let builder = Test.createTestingModule({ imports: [WorkerModule] });
    if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
    if (options.logs) builder = builder.overrideProvider(LOG_DESTINATION).useValue(options.logs);
    const moduleRef = await builder.compile();
    // As the worker's main.ts does: Nest's loggers write through pino (one logger per process).
    if (options.logs) moduleRef.useLogger(moduleRef.get(PinoLogger));
    await moduleRef.init();
    this.worker = moduleRef;
    return moduleRef;
  }

  private stopped?: Promise<void>;

  /** Stops the worker, the pool and the API; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopped ??= this.close();
    return this.stopped;
  }

  private async close(): Promise<void> {
    running.delete(this);
    await this.worker?.close();
    await this.db?.end();
    await this.app?.close();
  }

  /** This harness's ids and database, talking to another API (a process a test started) at `url`. */
  at(url: string): ApiHarness {
    const other = Object.create(this) as ApiHarness;
    other.url = url;
    return other;
  }

  token(request: Omit<TokenRequest, 'subject'> & { subject?: string }): Promise<string> {
    return signToken(TEST_JWT_SECRET, { subject: `${request.role}-tester`, ...request });
  }

  coordinator(): Promise<string> {
    return this.token({
      role: 'coordinator',
      subject: 'coordinator@kombit.example',
      name: 'Karin Koordinator',
    });
  }

  projectUser(project: keyof DemoIds['projects']): Promise<string> {
    return this.token({
      role: 'project',
      projectId: this.ids.projects[project],
      subject: `${project}@project.example`,
    });
  }

  async graphql<T = Record<string, unknown>>(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphqlResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphqlResponse<T>, 'status'>;
    return { status: response.status, ...body };
  }

  /** Like graphql(), but fails the test on any error and returns data. */
  async ok<T = Record<string, unknown>>(
    token: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const response = await this.graphql<T>(token, query, variables);
    if (response.errors?.length || !response.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
    }
    return response.data;
  }

  /** Counts rows (links and reminders by status), to prove a refused mutation or a GET wrote nothing. */
  async rowCounts(): Promise<Record<string, number>> {
    const result = await this.db.query<{ table: string; count: number }>(
      `SELECT 'interface_order' AS table, count(*)::int AS count FROM interface_order
       UNION ALL SELECT 'interface_request', count(*)::int FROM interface_request
       UNION ALL SELECT 'order_event', count(*)::int FROM order_event
       UNION ALL SELECT 'order_versions', coalesce(sum(version), 0)::int FROM interface_order
       UNION ALL SELECT 'request_versions', coalesce(sum(version), 0)::int FROM interface_request
       UNION ALL SELECT 'outbox_email', count(*)::int FROM outbox_email
       UNION ALL SELECT 'reply_link ' || status, count(*)::int FROM reply_link GROUP BY status
       UNION ALL SELECT 'order_reminder ' || status, count(*)::int FROM order_reminder GROUP BY status`,
    );
    return Object.fromEntries(result.rows.map((row) => [row.table, row.count]));
  }

  private async loadDemoIds(): Promise<DemoIds> {
    const projects = await this.db.query<{ code: string; id: string }>('SELECT code, id FROM project');
    const suppliers = await this.db.query<{ name: string; id: string }>(
      'SELECT name, id FROM source_supplier',
    );
    return {
      projects: Object.fromEntries(projects.rows.map((row) => [row.code, row.id])) as DemoIds['projects'],
      suppliers: Object.fromEntries(suppliers.rows.map((row) => [row.name, row.id])),
    };
  }
}
