/**
 * `npm run bench:email`: how fast the worker drains the email outbox, against
 * nodemailer sending the same messages on its own.
 *
 * (a) 10,000 PENDING outbox_email rows, each with its SendEmail job, drained by
 *     the real worker (WorkerModule: BullMQ → EmailSender: lock the row,
 *     compose it from Postgres, render, send over the pooled SMTP transport,
 *     mark SENT), at the worker's concurrency (8).
 * (b) The same 10,000 messages, rendered beforehand by the same composer and
 *     built by the same mailOptions (with In-Reply-To and References as the
 *     worker threads them, so both send the same headers), sent by nodemailer
 *     alone in a loop with 8 in flight over a pooled SMTP transport with the
 *     same options: the floor for (a). The aim is a/b ≥ 0.8.
 * (c) Diagnostic: the rows reset to PENDING and sent again by calling
 *     EmailSender.deliver directly, 8 at a time: (a) without BullMQ.
 * (d) Diagnostic: (b), but each email rendered (Liquid: subject, HTML, text)
 *     from what the composer read beforehand, just before it is sent: what
 *     (a) could reach with no database and no queue at all.
 *
 * All go to a local SMTP sink (smtp-server, in a child process so its CPU is
 * not charged to either side) that counts each Message-ID: each path must
 * deliver every message exactly once (zero losses, zero duplicates).
 *
 * Own database (created, migrated, seeded, dropped even on failure) and own
 * Redis key prefix (removed at the end). Knobs: BENCH_EMAILS, BENCH_TIMEOUT_SECONDS.
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@snitflow/config';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import {
  applyOrderEvent,
  ballInCourt,
  initialOrderSnapshot,
  ORDER_MACHINE_VERSION,
  type OrderEvent,
  type OrderEventPayload,
  type OrderFacts,
  persistOrderSnapshot,
  statePath,
} from '@snitflow/lifecycle';
import {
  type EmailData,
  type EmailTemplate,
  type Language,
  loadEmailEngine,
  renderEmail,
} from '@snitflow/mail';
import { Logger as PinoLogger } from 'nestjs-pino';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import {
  EmailComposer,
  OUTBOX_ROW_COLUMNS,
  type OutboxRow,
} from '../apps/worker/src/email/email-composer.js';
import { EmailSender, outgoingEmail } from '../apps/worker/src/email/email-sender.js';
import { mailOptions, type OutgoingEmail, smtpPoolOptions } from '../apps/worker/src/email/mail-transport.js';
import { Reconciler } from '../apps/worker/src/reminders/reconciler.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import {
  appEnv,
  BenchDatabase,
  benchPool,
  COORDINATOR,
  formatNumber as f,
  installCleanupHooks,
  intEnv,
  machineTimes,
  removeRedisKeys,
  runBench,
} from './support.js';

const EMAILS = intEnv('BENCH_EMAILS', 10_000);
const TIMEOUT_SECONDS = intEnv('BENCH_TIMEOUT_SECONDS', 120);
/** WorkerRunner's BullMQ concurrency per queue; the direct loop keeps as many in flight. */
const CONCURRENCY = 8;
/** The worker path should reach this share of nodemailer's own rate (issue 12). */
const AIM = 0.8;
// ── the SMTP sink (runs as a child process of this same file) ───────────────

type SinkRequest = { id: number; command: 'stats' | 'reset' };
type SinkStats = { received: number; counts: [string, number][] };
type SinkReply = { id: number; stats: SinkStats };

function runSink(): void {
  const counts = new Map<string, number>();
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      // Only the header block is kept: enough for the Message-ID, cheap for 20,000 messages.
      let head = '';
      let complete = false;
      stream.on('data', (chunk: Buffer) => {
        if (complete) return;
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end >= 0) {
          head = head.slice(0, end);
          complete = true;
        }
      });
      stream.on('end', () => {
        const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
        const messageId = /^message-id:\s*(<[^>\r\n]+>)/im.exec(unfolded)?.[1] ?? '(none)';
        counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
        received++;
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (message: SinkRequest) => {
    if (message.command === 'reset') {
      counts.clear();
      received = 0;
    }
    const reply: SinkReply = { id: message.id, stats: { received, counts: [...counts] } };
    process.send?.(reply);
  });
  process.on('disconnect', () => process.exit(0));
}

class SinkClient {
  private next = 0;
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<SinkClient> {
    const child = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: 'inherit' });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port?: number }) =>
        message.port ? resolve(message.port) : reject(new Error('the sink did not listen')),
      );
      child.once('exit', (code) => reject(new Error(`the sink exited (${code})`)));
    });
    return new SinkClient(child, port);
  }

  request(command: SinkRequest['command']): Promise<SinkStats> {
    const id = ++this.next;
    return new Promise((resolve) => {
      const onMessage = (message: SinkReply): void => {
        if (message.id !== id) return;
        this.child.off('message', onMessage);
        resolve(message.stats);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, command } satisfies SinkRequest);
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Every expected Message-ID exactly once, nothing else. */
function verifySink(stats: SinkStats, expected: readonly string[]): string {
  const counts = new Map(stats.counts);
  const wanted = new Set(expected);
  const missing = expected.filter((id) => !counts.has(id)).length;
  const duplicates = stats.counts.filter(([, count]) => count > 1).length;
  const strangers = stats.counts.filter(([id]) => !wanted.has(id)).length;
  const line = `${f(stats.received)} received, ${f(counts.size)} distinct Message-IDs: ${missing} lost, ${duplicates} duplicated, ${strangers} unexpected`;
  if (missing || duplicates || strangers || stats.received !== expected.length) {
    throw new Error(`check failed: ${line}`);
  }
  return line;
}

// ── data ───────────────────────────────────────────────────────────────────

interface Contact {
  id: string;
  name: string;
  email: string;
  language: 'da' | 'en';
}

interface BenchOrder {
  id: string;
  contacts: Contact[];
}

/**
 * One order per demo interface whose supplier has a contact, driven by the
 * real machine through CONSOLIDATE and SEND_TO_SUPPLIER (so replyBy shows),
 * with the interface's data elements and two requesting projects.
 */
async function createOrders(db: pg.Pool): Promise<BenchOrder[]> {
  const interfaces = await db.query<{ id: string; key: string; supplierId: string }>(
    `SELECT i.id, i.key, i.supplier_id AS "supplierId" FROM interface i
      WHERE EXISTS (SELECT 1 FROM supplier_contact c WHERE c.supplier_id = i.supplier_id) ORDER BY i.key`,
  );
  const projects = await db.query<{ id: string }>('SELECT id FROM project ORDER BY code LIMIT 2');
  const projectIds = projects.rows.map((row) => row.id);
  const orders: BenchOrder[] = [];
  const dueAt = new Date(Date.now() + 14 * 86_400_000);
  for (const iface of interfaces.rows) {
    const contacts = await db.query<Contact>(
      'SELECT id, name, email, language FROM supplier_contact WHERE supplier_id = $1 ORDER BY name',
      [iface.supplierId],
    );
    const elements = await db.query<{ code: string }>(
      'SELECT code FROM data_element WHERE interface_id = $1 ORDER BY code LIMIT 4',
      [iface.id],
    );
    const orderId = randomUUID();
    const requestIds = projectIds.map(() => randomUUID());
    const facts: OrderFacts = {
      activeRequests: requestIds.map((id, i) => ({
        id,
        projectId: projectIds[i] as string,
        status: 'APPROVED',
      })),
      supplierContactCount: contacts.rows.length,
    };
    const steps: OrderEventPayload[] = [
      {
        type: 'CONSOLIDATE',
        category: 'COMMON_NEED',
        specification: {
          dataElements: elements.rows.map((row) => row.code),
          needBy: '2027-06-01',
          projectIds,
          requestIds,
        },
      },
      { type: 'SEND_TO_SUPPLIER', recipientContactIds: contacts.rows.map((c) => c.id), replyBy: null },
    ];
    let snapshot = initialOrderSnapshot({ orderId, interfaceKey: iface.key, supplierId: iface.supplierId });
    for (const step of steps) {
      const event = { ...step, actor: COORDINATOR, facts, at: new Date().toISOString() } as OrderEvent;
      const outcome = applyOrderEvent(snapshot, event);
      if (!outcome.accepted)
        throw new Error(`setup ${step.type} on ${iface.key} refused: ${outcome.message}`);
      snapshot = outcome.snapshot;
    }
    await db.query(
      `INSERT INTO interface_order (id, interface_id, supplier_id, state, ball_in_court, category,
                                    machine_version, snapshot, version, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        orderId,
        iface.id,
        iface.supplierId,
        statePath(snapshot),
        ballInCourt(snapshot),
        snapshot.context.category,
        ORDER_MACHINE_VERSION,
        persistOrderSnapshot(snapshot),
        steps.length,
        dueAt,
      ],
    );
    orders.push({ id: orderId, contacts: contacts.rows });
  }
  return orders;
}

/**
 * EMAILS outbox rows, as Outbox.add writes them: half supplier orders (each
 * with a reply-link id, in the contact's language), half coordinator reminders.
 */
async function createOutbox(db: pg.Pool, orders: BenchOrder[]): Promise<string[]> {
  const rows = Array.from({ length: EMAILS }, (_, i) => {
    const order = orders[i % orders.length] as BenchOrder;
    const id = randomUUID();
    const contact = order.contacts[Math.floor(i / orders.length) % order.contacts.length] as Contact;
    const supplier = i % 2 === 0;
    return {
      id,
      order_id: order.id,
      template: supplier ? 'SUPPLIER_ORDER' : 'COORDINATOR_REMINDER',
      language: supplier ? contact.language : 'da',
      recipient_email: supplier ? contact.email : 'koordinatorer@kombit.example',
      recipient_name: supplier ? contact.name : 'KOMBIT koordinatorer',
      data: supplier ? { linkId: randomUUID() } : { reminderNumber: 1 + (i % 3), overdueBusinessDays: i % 4 },
      message_id: `<${id}@localhost>`,
    };
  });
  for (let start = 0; start < rows.length; start += 2000) {
    await db.query(
      `INSERT INTO outbox_email (id, order_id, template, language, recipient_email, recipient_name, data,
                                 not_before, message_id)
       SELECT x.id, x.order_id, x.template, x.language, x.recipient_email, x.recipient_name, x.data,
              now() - interval '1 minute', x.message_id
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, order_id uuid, template text, language text,
              recipient_email text, recipient_name text, data jsonb, message_id text)`,
      [JSON.stringify(rows.slice(start, start + 2000))],
    );
  }
  await db.query('ANALYZE');
  return rows.map((row) => row.id);
}

/** Starts a reading of all cores; the returned function gives the share busy since, %. */
function machineBusy(): () => number {
  const before = machineTimes();
  return () => {
    const after = machineTimes();
    return (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total);
  };
}

// ── main ───────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const name = `snitflow_bench_email_${Date.now()}_${process.pid}`;
  const database = new BenchDatabase(name);
  const redisPrefix = name.replaceAll('_', '-');
  let worker: INestApplicationContext | null = null;
  let queues: JobQueues | null = null;
  let pool: pg.Pool | null = null;
  let sink: SinkClient | null = null;
  const removeHooks = installCleanupHooks({
    onSignal: (signal) => {
      console.error(`\n${signal}: dropping ${name}, removing ${redisPrefix}:*`);
      sink?.stop();
      Promise.allSettled([database.drop(), removeRedisKeys(redisPrefix)]).finally(() => process.exit(130));
    },
    onExit: () => {
      sink?.stop();
      database.dropSync();
    },
  });

  try {
    // ── setup ──
    const setupStarted = performance.now();
    await database.create({ seed: true });
    pool = benchPool(database.url, 4, 'snitflow-bench');
    const orders = await createOrders(pool);
    const emailIds = await createOutbox(pool, orders);
    sink = await SinkClient.start();
    const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
    Object.assign(process.env, {
      ...appEnv(database, redisPrefix),
      SMTP_URL: smtpUrl,
      // Far away: the reconciler must not run during the measurement.
      RECONCILE_INTERVAL_SECONDS: '86400',
    });
    const config = loadConfig(process.env);

    // The wake-ups, as Outbox.add queues them after commit, into a paused queue.
    queues = new JobQueues(config);
    const emailQueue = queues.queue(JobName.SendEmail);
    await emailQueue.waitUntilReady();
    await emailQueue.pause();
    const now = new Date();
    for (let start = 0; start < emailIds.length; start += 1000) {
      await queues.addDelayed(
        emailIds.slice(start, start + 1000).map((emailId) => ({
          name: JobName.SendEmail,
          id: emailJobId(emailId),
          data: { emailId },
          runAt: now,
        })),
        now,
      );
    }
    worker = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
    worker.useLogger(worker.get(PinoLogger));
    await worker.init();
    const reconciled = await worker.get(Reconciler).reconcile();
    if (reconciled.restoredEmails !== 0) throw new Error(`reconcile restored ${reconciled.restoredEmails}`);
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // (b)'s input: the same emails, composed and rendered by the worker's own composer, now.
    const dataSource = worker.get(DataSource);
    const composer = worker.get(EmailComposer);
    const rows: OutboxRow[] = await dataSource.query(
      `SELECT ${OUTBOX_ROW_COLUMNS} FROM outbox_email ORDER BY created_at, id`,
    );
    let t0 = performance.now();
    const outgoing: OutgoingEmail[] = [];
    /** (d)'s input: what the composer read from Postgres for each email, not yet rendered. */
    const renderInputs: { template: EmailTemplate; language: Language; data: EmailData }[] = [];
    // The thread headers the worker adds, as if each order's emails to one recipient went out in
    // the order they were written: the first starts the thread, each later one answers the one
    // before it (EmailSender.thread). The worker's own depend on which finished first; their
    // size is the same.
    const threads = new Map<string, { root: string; last: string }>();
    for (const row of rows) {
      const composed = await composer.compose(dataSource.manager, row);
      const threadKey = `${row.orderId}:${row.recipientEmail.toLowerCase()}`;
      const thread = threads.get(threadKey);
      threads.set(threadKey, { root: thread?.root ?? row.messageId, last: row.messageId });
      outgoing.push(
        outgoingEmail(
          row,
          composed,
          {
            inReplyTo: thread?.last ?? null,
            references: thread ? [...new Set([thread.root, thread.last])] : [],
          },
          null,
        ),
      );
    }
    const composeMs = (performance.now() - t0) / rows.length;
    const messages: SendMailOptions[] = outgoing.map((email) => mailOptions(config.MAIL_FROM, email));
    for (const row of rows) {
      const { template, language, data } = await composer.emailData(dataSource.manager, row);
      renderInputs.push({ template, language, data });
    }
    const expectedIds = rows.map((row) => row.messageId);
    const averageBytes =
      messages.reduce((sum, m) => sum + String(m.html).length + String(m.text).length, 0) / messages.length;

    console.log(
      `\nsnitflow email: ${f(EMAILS)} outbox emails (${f(EMAILS / 2)} SUPPLIER_ORDER + ${f(EMAILS / 2)} COORDINATOR_REMINDER) ` +
        `on ${orders.length} orders; ${CONCURRENCY} concurrent; SMTP sink: smtp-server in a child process; ` +
        `setup ${f(setupSeconds, 1)} s; ${cpus().length} cores`,
    );

    // ── (a) the worker drains the outbox ──
    const loadBefore = loadavg()[0] ?? 0;
    await sink.request('reset');
    const deadline = Date.now() + TIMEOUT_SECONDS * 1000;
    let busy = machineBusy();
    let cpu = process.cpuUsage();
    t0 = performance.now();
    await emailQueue.resume();
    for (;;) {
      const left = await pool.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM outbox_email WHERE status = 'PENDING'",
      );
      if (left.rows[0]?.count === 0) break;
      if (Date.now() > deadline)
        throw new Error(`${left.rows[0]?.count} emails still PENDING after the timeout`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const workerSeconds = (performance.now() - t0) / 1000;
    const workerCpu = process.cpuUsage(cpu);
    const workerBusy = busy();
    const marked = await pool.query<{ status: string; attempts: number; count: number }>(
      'SELECT status, attempts, count(*)::int AS count FROM outbox_email GROUP BY 1, 2',
    );
    if (marked.rows.length !== 1 || marked.rows[0]?.status !== 'SENT' || marked.rows[0].attempts !== 1) {
      throw new Error(`check failed: outbox after the drain ${JSON.stringify(marked.rows)}`);
    }
    const failedJobs = (await emailQueue.getJobCounts('failed')).failed ?? 0;
    if (failedJobs) throw new Error(`check failed: ${failedJobs} failed jobs`);
    const workerCheck = verifySink(await sink.request('stats'), expectedIds);

    // ── (c) diagnostic: the same sender without BullMQ (EmailSender.deliver, 8 concurrent) ──
    await pool.query("UPDATE outbox_email SET status = 'PENDING', attempts = 0, sent_at = NULL");
    await sink.request('reset');
    const sender = worker.get(EmailSender);
    busy = machineBusy();
    cpu = process.cpuUsage();
    t0 = performance.now();
    let nextDirect = 0;
    const outcomes = new Map<string, number>();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const emailId = emailIds[nextDirect++];
          if (!emailId) return;
          const outcome = await sender.deliver(emailId);
          outcomes.set(outcome.kind, (outcomes.get(outcome.kind) ?? 0) + 1);
        }
      }),
    );
    const senderSeconds = (performance.now() - t0) / 1000;
    const senderCpu = process.cpuUsage(cpu);
    const senderBusy = busy();
    if (outcomes.get('sent') !== EMAILS)
      throw new Error(`check failed: deliver outcomes ${JSON.stringify([...outcomes])}`);
    const senderCheck = verifySink(await sink.request('stats'), expectedIds);
    await worker.close();
    worker = null;

    // ── (b) nodemailer alone, same messages, same concurrency, same pool options ──
    await sink.request('reset');
    const transport = nodemailer.createTransport(smtpPoolOptions(smtpUrl));
    busy = machineBusy();
    cpu = process.cpuUsage();
    t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const index = next++;
          const message = messages[index];
          if (!message) return;
          await transport.sendMail(message);
        }
      }),
    );
    const directSeconds = (performance.now() - t0) / 1000;
    const directCpu = process.cpuUsage(cpu);
    const directBusy = busy();
    transport.close();
    const directCheck = verifySink(await sink.request('stats'), expectedIds);

    // ── (d) diagnostic: (b) plus rendering each email first (no database, no queue) ──
    await sink.request('reset');
    const renderTransport = nodemailer.createTransport(smtpPoolOptions(smtpUrl));
    const engine = loadEmailEngine();
    busy = machineBusy();
    cpu = process.cpuUsage();
    t0 = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const index = next++;
          const email = outgoing[index];
          const input = renderInputs[index];
          if (!email || !input) return;
          const rendered = renderEmail(input.template, input.language, input.data, engine);
          await renderTransport.sendMail(mailOptions(config.MAIL_FROM, { ...email, ...rendered }));
        }
      }),
    );
    const renderSeconds = (performance.now() - t0) / 1000;
    const renderCpu = process.cpuUsage(cpu);
    const renderBusy = busy();
    renderTransport.close();
    const renderCheck = verifySink(await sink.request('stats'), expectedIds);

    // ── report ──
    const workerRate = EMAILS / workerSeconds;
    const directRate = EMAILS / directSeconds;
    const cpuPer = (usage: NodeJS.CpuUsage): string => `${f((usage.user + usage.system) / EMAILS)} µs`;
    console.log(
      `${'path'.padEnd(58)}${'emails/s'.padStart(10)}${'seconds'.padStart(9)}${'nodeCPU/email'.padStart(15)}${'busy'.padStart(6)}`,
    );
    console.log(
      `${'(a) worker: BullMQ → EmailSender (lock, compose, send, mark)'.padEnd(58)}${f(workerRate).padStart(10)}` +
        `${f(workerSeconds, 2).padStart(9)}${cpuPer(workerCpu).padStart(15)}${`${f(workerBusy)}%`.padStart(6)}`,
    );
    console.log(
      `${'(b) nodemailer alone, pre-rendered, pooled SMTP'.padEnd(58)}${f(directRate).padStart(10)}` +
        `${f(directSeconds, 2).padStart(9)}${cpuPer(directCpu).padStart(15)}${`${f(directBusy)}%`.padStart(6)}`,
    );
    const senderRate = EMAILS / senderSeconds;
    console.log(
      `${'(c) diagnostic: EmailSender.deliver without BullMQ'.padEnd(58)}${f(senderRate).padStart(10)}` +
        `${f(senderSeconds, 2).padStart(9)}${cpuPer(senderCpu).padStart(15)}${`${f(senderBusy)}%`.padStart(6)}`,
    );
    const renderRate = EMAILS / renderSeconds;
    console.log(
      `${'(d) diagnostic: render, then (b); no database, no queue'.padEnd(58)}${f(renderRate).padStart(10)}` +
        `${f(renderSeconds, 2).padStart(9)}${cpuPer(renderCpu).padStart(15)}${`${f(renderBusy)}%`.padStart(6)}`,
    );
    const ratio = workerRate / directRate;
    console.log(
      `a/b = ${f(ratio, 2)} (aim ≥ ${f(AIM, 1)} ${ratio >= AIM ? '✓' : '✗'})   ` +
        `(c/b = ${f(senderRate / directRate, 2)}, d/b = ${f(renderRate / directRate, 2)})`,
    );
    console.log(
      `load average (1 min) before (a): ${f(loadBefore, 2)}, after (b): ${f(loadavg()[0] ?? 0, 2)}; ` +
        'the machine is shared, so figures vary with what else runs',
    );
    console.log(`(a) sink: ${workerCheck}; rows: ${f(EMAILS)} SENT, 1 attempt each, 0 failed jobs`);
    console.log(`(b) sink: ${directCheck}`);
    console.log(`(c) sink: ${senderCheck}; ${f(EMAILS)} sent`);
    console.log(`(d) sink: ${renderCheck}`);
    console.log(
      `composition alone (summary query + render, serial, no send): ${f(composeMs, 2)} ms/email; ` +
        `rendered html+text ${f(averageBytes / 1024, 1)} KiB/email; nodeCPU includes the worker's BullMQ and Postgres clients, not the sink`,
    );
  } finally {
    await worker?.close().catch((error: unknown) => console.error('closing the worker failed:', error));
    await queues
      ?.onModuleDestroy()
      .catch((error: unknown) => console.error('closing the queues failed:', error));
    await pool?.end().catch((error: unknown) => console.error('closing the pool failed:', error));
    sink?.stop();
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

if (process.argv.includes('--sink')) {
  runSink();
} else {
  runBench(main, f);
}
