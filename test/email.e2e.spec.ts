import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import {
  OrderSummaries,
  OrderTransitionService,
  Outbox,
  type OutboxEmail,
  ReplyLinks,
} from '@snitflow/orders';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  EmailComposer,
  OUTBOX_ROW_COLUMNS,
  type OutboxRow,
} from '../apps/worker/src/email/email-composer.js';
import { EmailSender } from '../apps/worker/src/email/email-sender.js';
import { compactIso } from '../apps/worker/src/email/mail-transport.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, type OrderView, orderOps, projectNoticesSettled } from './support/flows.js';
import { header, part, SmtpSink } from './support/smtp-sink.js';

// ── helpers ─────────────────────────────────────────────────────────────────

interface EmailRow {
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  messageId: string;
  createdAt: Date;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function emailRow(api: ApiHarness, id: string): Promise<EmailRow> {
  const result = await api.db.query<EmailRow>(
    `SELECT status, attempts, last_error AS "lastError", sent_at AS "sentAt", message_id AS "messageId",
            created_at AS "createdAt"
       FROM outbox_email WHERE id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

/** Writes outbox rows the way the app does: in a transaction, woken after commit. */
async function addEmails(api: ApiHarness, emails: OutboxEmail[]): Promise<string[]> {
  const outbox = api.app.get(Outbox);
  return api.app.get(OrderTransitionService).inTransaction((tx) => outbox.add(tx, emails));
}

function coordinatorReminder(orderId: string, extras: OutboxEmail['data'] = {}): OutboxEmail {
  return {
    orderId,
    template: 'COORDINATOR_REMINDER',
    language: 'da',
    recipientEmail: 'koordinatorer@kombit.example',
    recipientName: 'KOMBIT koordinatorer',
    data: { reminderNumber: 1, overdueBusinessDays: 0, ...extras },
    notBefore: new Date(),
  };
}

/**
 * A supplier round as SupplierMessages writes it: a new link for the supplier's first contact
 * (retiring the order's others) and its email, held an hour (until office hours).
 */
async function heldSupplierEmail(
  api: ApiHarness,
  order: { id: string; version: number },
): Promise<{ linkId: string; emailId: string }> {
  const contacts = await api.db.query<{ id: string; email: string; name: string; language: 'da' | 'en' }>(
    `SELECT c.id, c.email, c.name, c.language FROM supplier_contact c
       JOIN interface_order o ON o.supplier_id = c.supplier_id WHERE o.id = $1 ORDER BY c.name LIMIT 1`,
    [order.id],
  );
  const contact = contacts.rows[0];
  if (!contact) throw new Error('the supplier has no contact');
  return api.app.get(OrderTransitionService).inTransaction(async (tx) => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const linkId = (await api.app.get(ReplyLinks).issue(tx, order, [contact.id], expiresAt)).get(contact.id);
    if (!linkId) throw new Error('no link issued');
    const [emailId] = await api.app.get(Outbox).add(tx, [
      {
        orderId: order.id,
        template: 'SUPPLIER_REMINDER',
        language: contact.language,
        recipientEmail: contact.email,
        recipientName: contact.name,
        data: { linkId, reminderNumber: 1 },
        notBefore: new Date(Date.now() + 3_600_000),
      },
    ]);
    if (!emailId) throw new Error('no outbox id');
    return { linkId, emailId };
  });
}

/** Office hours come for these held emails: due now, their jobs fire; waits until each is handled. */
async function dueNow(api: ApiHarness, emailIds: string[]): Promise<void> {
  const queue = api.app.get(JobQueues).queue(JobName.SendEmail);
  for (const emailId of emailIds) {
    await api.db.query('UPDATE outbox_email SET not_before = now() WHERE id = $1', [emailId]);
    await (await queue.getJob(emailJobId(emailId)))?.promote();
  }
  for (const emailId of emailIds) {
    await waitFor(async () => (await emailRow(api, emailId)).status !== 'PENDING', `email ${emailId}`);
  }
}

/** Skips BullMQ's retry backoff: promotes the email's job whenever it waits as delayed. */
async function promoteIfDelayed(api: ApiHarness, jobId: string): Promise<void> {
  const job = await api.app.get(JobQueues).queue(JobName.SendEmail).getJob(jobId);
  if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
}

/** The worker, logging through pino at LOG_LEVEL like the API (Nest's testing logger would print errors). */
async function startWorker(api: ApiHarness): Promise<void> {
  const worker = await api.startWorker();
  worker.useLogger(worker.get(PinoLogger));
}

// ── with an SMTP server ─────────────────────────────────────────────────────

describe('sending email over SMTP', () => {
  const sink = new SmtpSink();
  let api: ApiHarness;
  let coordinator: string;
  let order: OrderView;

  beforeAll(async () => {
    const port = await sink.start();
    // Three attempts, so a dead server fails an email quickly.
    api = await ApiHarness.start({ SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_MAX_ATTEMPTS: '3' });
    await startWorker(api);
    coordinator = await api.coordinator();
    order = await consolidatedOrder(api, coordinator, 'SF1320', ['KY', 'KSD']);
  });

  afterAll(async () => {
    await api?.stop();
    await sink.stop();
  });

  it('delivers one outbox row as exactly one message with its Message-ID, subject, HTML and text; SENT once', async () => {
    const [id] = await addEmails(api, [coordinatorReminder(order.id)]);
    if (!id) throw new Error('no outbox id');
    await waitFor(async () => (await emailRow(api, id)).status === 'SENT', 'the email to be SENT');
    const row = await emailRow(api, id);
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/);

    const delivered = sink.withId(row.messageId);
    expect(delivered).toHaveLength(1);
    const raw = delivered[0]?.raw ?? '';
    expect(delivered[0]?.recipients).toEqual(['koordinatorer@kombit.example']);
    expect(header(raw, 'Subject')).toContain(`[SF1320 · ${order.reference}]`);
    expect(header(raw, 'From')).toBe('snitflow <noreply@localhost>');
    expect(header(raw, 'To')).toBe('KOMBIT koordinatorer <koordinatorer@kombit.example>');
    expect(header(raw, 'X-Snitflow-Order')).toBe(order.reference);
    expect(header(raw, 'Content-Type')).toMatch(/^multipart\/alternative/);
    const text = part(raw, 'text/plain');
    const html = part(raw, 'text/html');
    expect(text).toContain(order.reference);
    expect(text).toContain('KY');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(order.reference);

    // The job is idempotent: running it again after SENT sends nothing and changes nothing.
    const sender = api.worker?.get(EmailSender);
    await sender?.handle({ emailId: id });
    expect(await sender?.deliver(id)).toEqual({ kind: 'skipped', reason: 'not-pending' });
    expect(sink.withId(row.messageId)).toHaveLength(1);
    expect(await emailRow(api, id)).toEqual(row);
  });

  it("threads one order's emails to one recipient: the first is the root, each later one answers the latest before it", async () => {
    const threaded = await consolidatedOrder(api, coordinator, 'SF0800', ['KY']);
    const other = await consolidatedOrder(api, coordinator, 'SF0810', ['KY']);
    const sendOne = async (email: OutboxEmail): Promise<EmailRow> => {
      const [id] = await addEmails(api, [email]);
      if (!id) throw new Error('no outbox id');
      await waitFor(async () => (await emailRow(api, id)).status === 'SENT', 'the email to be SENT');
      return emailRow(api, id);
    };
    const threadOf = (row: EmailRow) => {
      const raw = sink.withId(row.messageId)[0]?.raw;
      if (!raw) throw new Error(`${row.messageId} not delivered`);
      return { inReplyTo: header(raw, 'In-Reply-To'), references: header(raw, 'References') };
    };
    const first = await sendOne(coordinatorReminder(threaded.id));
    // Another order's email to the same recipient, and this order's email to another one, are other threads.
    const elsewhere = await sendOne(coordinatorReminder(other.id));
    const toProject = await sendOne({
      ...coordinatorReminder(threaded.id),
      recipientEmail: 'someone.else@kommune.example',
    });
    const second = await sendOne(coordinatorReminder(threaded.id, { reminderNumber: 2 }));
    // The address's case does not start a new conversation.
    const third = await sendOne({
      ...coordinatorReminder(threaded.id, { reminderNumber: 3 }),
      recipientEmail: 'Koordinatorer@KOMBIT.example',
    });

    expect(threadOf(first)).toEqual({ inReplyTo: null, references: null });
    expect(threadOf(elsewhere)).toEqual({ inReplyTo: null, references: null });
    expect(threadOf(toProject)).toEqual({ inReplyTo: null, references: null });
    expect(threadOf(second)).toEqual({ inReplyTo: first.messageId, references: first.messageId });
    expect(threadOf(third)).toEqual({
      inReplyTo: second.messageId,
      references: `${first.messageId} ${second.messageId}`,
    });
  });

  it("composes a supplier's email from Postgres: the order as the reply page shows it, the recipient's own link", async () => {
    const sent = await orderOps.send(
      api,
      coordinator,
      (await consolidatedOrder(api, coordinator, 'SF0770', ['KY'])).id,
    );
    const manager = api.app.get(DataSource).manager;
    const composer = api.worker?.get(EmailComposer);
    if (!composer) throw new Error('worker not started');
    // The summary the email (and the reply page) shows: the order as consolidated, with names.
    const summary = await api.app.get(OrderSummaries).summarise(manager, sent.id);
    const due = await api.db.query<{ dueAt: Date }>(
      'SELECT due_at AS "dueAt" FROM interface_order WHERE id = $1',
      [sent.id],
    );
    expect(summary).toEqual({
      reference: sent.reference,
      interfaceKey: 'SF0770',
      interfaceTitle: 'Indkomstoplysninger (opslag)',
      dataElements: (sent.specification?.dataElements ?? []).map((code) => ({
        code,
        name: expect.any(String),
      })),
      needBy: sent.specification?.needBy,
      projects: ['Kommunernes Ydelsessystem (KY)'],
      replyBy: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(due.rows[0]?.dueAt),
      supplierName: 'SKAT',
      // A first send changes nothing against an earlier specification (sendAmendment does).
      change: null,
    });
    expect(summary?.dataElements.every((element) => element.name !== element.code)).toBe(true);

    // The outbox rows sendToSupplier wrote (held until office hours), rendered now.
    const rows: OutboxRow[] = await manager.query(
      `SELECT ${OUTBOX_ROW_COLUMNS} FROM outbox_email WHERE order_id = $1 AND template = 'SUPPLIER_ORDER'`,
      [sent.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const composed = await composer.compose(manager, row);
      const linkId = String(row.data.linkId);
      expect(composed.replyUrl).toBe(api.app.get(ReplyLinks).urlFor(linkId));
      expect(composed.rendered.text).toContain(composed.replyUrl ?? '(no link)');
      expect(composed.rendered.subject).toContain(`[SF0770 · ${sent.reference}]`);
    }
  });

  it('does not send a held supplier email whose reply link was retired meanwhile; its row says why', async () => {
    const sent = await orderOps.send(
      api,
      coordinator,
      (await consolidatedOrder(api, coordinator, 'SF0780', ['KY'])).id,
    );
    const links = api.app.get(ReplyLinks);
    const first = await heldSupplierEmail(api, sent);
    // A newer round before office hours: it retires the first link.
    const second = await heldSupplierEmail(api, sent);
    const retired = await api.db.query<{ status: string }>('SELECT status FROM reply_link WHERE id = $1', [
      first.linkId,
    ]);
    expect(retired.rows[0]?.status).toBe('RETIRED');

    // Office hours come: both emails are due, and their jobs fire.
    await dueNow(api, [first.emailId, second.emailId]);

    const superseded = await emailRow(api, first.emailId);
    expect(superseded).toMatchObject({ status: 'SUPERSEDED', attempts: 0, sentAt: null });
    expect(superseded.lastError).toBe(
      'superseded: its reply link was retired (a newer round replaced it) before it was sent',
    );
    expect(sink.withId(superseded.messageId)).toHaveLength(0);
    expect(JSON.stringify(sink.messages.map((message) => message.raw))).not.toContain(
      links.tokenFor(first.linkId),
    );
    // The newer round's email, with the link that answers, goes out as usual.
    const current = await emailRow(api, second.emailId);
    expect(current.status).toBe('SENT');
    expect(sink.withId(current.messageId)).toHaveLength(1);

    // Not a failure for the coordinators to resend: not listed, and retryEmail refuses it.
    const listed = await api.ok<{ failedEmails: { id: string }[] }>(coordinator, '{ failedEmails { id } }');
    expect(listed.failedEmails.map((email) => email.id)).not.toContain(first.emailId);
    const retry = await api.graphql(coordinator, 'mutation($id: ID!) { retryEmail(id: $id) { id } }', {
      id: first.emailId,
    });
    expect(retry.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The job is done for good: running it again sends nothing.
    expect(await api.worker?.get(EmailSender).deliver(first.emailId)).toEqual({
      kind: 'skipped',
      reason: 'not-pending',
    });
    expect(sink.withId(superseded.messageId)).toHaveLength(0);
  });

  it('does not send a held supplier email once its order moved on, but does while the order is only on hold', async () => {
    // Answered by phone: the order moved on, and its link can never answer again.
    const answered = await orderOps.send(
      api,
      coordinator,
      (await consolidatedOrder(api, coordinator, 'SF0462', ['KY'])).id,
    );
    const movedOn = await heldSupplierEmail(api, answered);
    await orderOps.supplier(api, coordinator, answered.id, { kind: 'ACCEPT' });
    // On hold: resuming returns to the same round, so its link answers again.
    const paused = await orderOps.send(
      api,
      coordinator,
      (await consolidatedOrder(api, coordinator, 'SF0790', ['KY'])).id,
    );
    const onHold = await heldSupplierEmail(api, paused);
    await orderOps.hold(api, coordinator, paused.id, 'Budget review');

    await dueNow(api, [movedOn.emailId, onHold.emailId]);
    const superseded = await emailRow(api, movedOn.emailId);
    expect(superseded).toMatchObject({
      status: 'SUPERSEDED',
      attempts: 0,
      lastError: 'superseded: its order moved on (to negotiation.agreed) before it was sent',
    });
    expect(sink.withId(superseded.messageId)).toHaveLength(0);
    const sent = await emailRow(api, onHold.emailId);
    expect(sent.status).toBe('SENT');
    expect(sink.withId(sent.messageId)).toHaveLength(1);
  });

  it('holds an email until its not_before, even when its job fires early', async () => {
    const notBefore = new Date(Date.now() + 3_600_000);
    const [id] = await addEmails(api, [{ ...coordinatorReminder(order.id), notBefore }]);
    if (!id) throw new Error('no outbox id');
    const queue = api.app.get(JobQueues).queue(JobName.SendEmail);
    const job = await queue.getJob(emailJobId(id));
    expect(await job?.getState()).toBe('delayed');
    // Fire it now, an hour early: the sender puts it back to sleep instead of sending.
    await job?.promote();
    await waitFor(
      async () => (await (await queue.getJob(emailJobId(id)))?.getState()) === 'delayed',
      'the job to be delayed again',
    );
    const row = await emailRow(api, id);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(sink.withId(row.messageId)).toHaveLength(0);
  });

  it('records an email the server accepted as sent when marking it failed: the next run marks it, without sending again', async () => {
    // The mark step fails after the server took the message (the database refuses the write).
    await api.db.query(
      "ALTER TABLE outbox_email ADD CONSTRAINT simulate_failed_mark CHECK (status <> 'SENT') NOT VALID",
    );
    let id: string | undefined;
    try {
      [id] = await addEmails(api, [coordinatorReminder(order.id, { reminderNumber: 2 })]);
      if (!id) throw new Error('no outbox id');
      const emailId = id;
      const queue = api.app.get(JobQueues).queue(JobName.SendEmail);
      await waitFor(
        async () => ((await queue.getJob(emailJobId(emailId)))?.attemptsMade ?? 0) >= 1,
        'the failed first run',
      );
      const afterFailure = await emailRow(api, emailId);
      expect(afterFailure.status).toBe('PENDING');
      expect(sink.withId(afterFailure.messageId)).toHaveLength(1);
    } finally {
      await api.db.query('ALTER TABLE outbox_email DROP CONSTRAINT IF EXISTS simulate_failed_mark');
    }
    const emailId = id as string;
    await waitFor(async () => {
      await promoteIfDelayed(api, emailJobId(emailId));
      return (await emailRow(api, emailId)).status === 'SENT';
    }, 'the next run to mark it');

    const row = await emailRow(api, emailId);
    expect(row).toMatchObject({ status: 'SENT', attempts: 1 });
    // The server had it once, and was not given it again.
    expect(sink.withId(row.messageId)).toHaveLength(1);
  });

  it('retries while the server is down, then marks the email FAILED; a coordinator sees it and retries it once the server is back', async () => {
    await sink.stop();
    const [id] = await addEmails(api, [coordinatorReminder(order.id, { reminderNumber: 3 })]);
    if (!id) throw new Error('no outbox id');
    // The first attempt fails and is counted; BullMQ holds the job for its backoff before the next.
    await waitFor(async () => (await emailRow(api, id)).attempts === 1, 'the first failed attempt');
    const first = await emailRow(api, id);
    expect(first.status).toBe('PENDING');
    expect(first.lastError).toBeTruthy();
    await waitFor(
      async () =>
        (await (await api.app.get(JobQueues).queue(JobName.SendEmail).getJob(emailJobId(id)))?.getState()) ===
        'delayed',
      'the retry to be scheduled',
    );
    // Skip the backoff: the later attempts fail too, and the last one marks the row FAILED.
    await waitFor(async () => {
      await promoteIfDelayed(api, emailJobId(id));
      return (await emailRow(api, id)).status === 'FAILED';
    }, 'the email to fail');
    const failed = await emailRow(api, id);
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    expect(sink.withId(failed.messageId)).toHaveLength(0);
    // Nothing lost: the row is kept, only its status says it needs a person.
    expect(await api.db.query('SELECT 1 FROM outbox_email WHERE id = $1', [id])).toMatchObject({
      rowCount: 1,
    });

    const listed = await api.ok<{
      failedEmails: { id: string; status: string; attempts: number; lastError: string; template: string }[];
    }>(
      coordinator,
      '{ failedEmails(first: 10) { id orderId template recipientEmail status attempts lastError createdAt sentAt } }',
    );
    // (Only this one, unless the clock is in office hours and other emails were queued meanwhile.)
    expect(listed.failedEmails.filter((email) => email.id === id)).toEqual([
      expect.objectContaining({
        id,
        orderId: order.id,
        template: 'COORDINATOR_REMINDER',
        recipientEmail: 'koordinatorer@kombit.example',
        status: 'FAILED',
        attempts: 3,
        lastError: failed.lastError,
        sentAt: null,
      }),
    ]);

    // Who may, and what is refused.
    const retry = 'mutation($id: ID!) { retryEmail(id: $id) { id status attempts lastError } }';
    const project = await api.projectUser('KY');
    expect((await api.graphql(project, '{ failedEmails { id } }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await api.graphql(project, retry, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.graphql(coordinator, retry, { id: 'nope' })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      (await api.graphql(coordinator, retry, { id: '00000000-0000-4000-8000-000000000000' })).errors?.[0]
        ?.extensions?.code,
    ).toBe('NOT_FOUND');
    const sent = await api.db.query<{ id: string }>(
      "SELECT id FROM outbox_email WHERE status = 'SENT' LIMIT 1",
    );
    expect(
      (await api.graphql(coordinator, retry, { id: sent.rows[0]?.id })).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await api.graphql(coordinator, '{ failedEmails(first: 0) { id } }')).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');

    // The server is back; the coordinator retries: a live job, attempts start over, delivered once.
    await sink.start(sink.port);
    const retried = await api.ok<{
      retryEmail: { id: string; status: string; attempts: number; lastError: string | null };
    }>(coordinator, retry, { id });
    expect(retried.retryEmail).toEqual({ id, status: 'PENDING', attempts: 0, lastError: null });
    await waitFor(async () => (await emailRow(api, id)).status === 'SENT', 'the retried email to be SENT');
    const row = await emailRow(api, id);
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    expect(sink.withId(row.messageId)).toHaveLength(1);
    const stillFailed = await api.ok<{ failedEmails: { id: string }[] }>(
      coordinator,
      '{ failedEmails { id } }',
    );
    expect(stillFailed.failedEmails.map((email) => email.id)).not.toContain(id);
    // A second retry of a SENT email is refused.
    expect((await api.graphql(coordinator, retry, { id })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

// ── without SMTP_URL ────────────────────────────────────────────────────────

describe('writing email as .eml files without SMTP_URL', () => {
  let api: ApiHarness;
  let dropDir: string;
  let coordinator: string;

  beforeAll(async () => {
    dropDir = await mkdtemp(join(tmpdir(), 'snitflow-mail-'));
    api = await ApiHarness.start({ SMTP_URL: '', MAIL_DROP_DIR: dropDir, EMAIL_MAX_ATTEMPTS: '8' });
    await startWorker(api);
    coordinator = await api.coordinator();
  });

  afterAll(async () => {
    await api?.stop();
    if (dropDir) await rm(dropDir, { recursive: true, force: true });
  });

  it('writes a supplier email with its reply link to <MAIL_DROP_DIR>/<created>-<id>.eml', async () => {
    // Sent, so the order awaits the supplier and the link answers (else the email is superseded).
    const order = await orderOps.send(
      api,
      coordinator,
      (await consolidatedOrder(api, coordinator, 'SF0800', ['KY'])).id,
    );
    const contacts = await api.db.query<{ id: string; email: string; name: string; language: 'da' | 'en' }>(
      `SELECT c.id, c.email, c.name, c.language FROM supplier_contact c
         JOIN interface_order o ON o.supplier_id = c.supplier_id WHERE o.id = $1 ORDER BY c.name LIMIT 1`,
      [order.id],
    );
    const contact = contacts.rows[0];
    if (!contact) throw new Error('the supplier has no contact');
    const links = api.app.get(ReplyLinks);
    let linkId = '';
    const [id] = await api.app.get(OrderTransitionService).inTransaction(async (tx) => {
      const issued = await links.issue(tx, order, [contact.id], new Date(Date.now() + 30 * 86_400_000));
      linkId = issued.get(contact.id) ?? '';
      return api.app.get(Outbox).add(tx, [
        {
          orderId: order.id,
          template: 'SUPPLIER_ORDER',
          language: contact.language,
          recipientEmail: contact.email,
          recipientName: contact.name,
          data: { linkId },
          notBefore: new Date(),
        },
      ]);
    });
    if (!id) throw new Error('no outbox id');
    await waitFor(async () => (await emailRow(api, id)).status === 'SENT', 'the email to be written');
    const row = await emailRow(api, id);
    const file = `${compactIso(row.createdAt)}-${id}.eml`;
    // One file for this row (the project's notice of the approval is written beside it).
    expect((await readdir(dropDir)).filter((name) => name.includes(id))).toEqual([file]);
    const raw = await readFile(join(dropDir, file), 'utf8');
    expect(header(raw, 'Message-ID')).toBe(row.messageId);
    expect(header(raw, 'To')).toContain(contact.email);
    expect(header(raw, 'Subject')).toContain(`[SF0800 · ${order.reference}]`);
    const url = links.urlFor(linkId);
    expect(url).toMatch(/^http:\/\/localhost:3000\/reply\/[A-Za-z0-9_-]{43}$/);
    expect(part(raw, 'text/plain')).toContain(url);
    expect(part(raw, 'text/html')).toContain(`href="${url}"`);
  });

  it('marks a supplier email without a reply link FAILED at once, with the reason', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0810', ['KY']);
    await projectNoticesSettled(api);
    const before = await readdir(dropDir);
    const [id] = await addEmails(api, [
      {
        orderId: order.id,
        template: 'SUPPLIER_REMINDER',
        language: 'da',
        recipientEmail: 'kontakt@leverandor.example',
        recipientName: 'Kontakt',
        data: { reminderNumber: 1 },
        notBefore: new Date(),
      },
    ]);
    if (!id) throw new Error('no outbox id');
    await waitFor(async () => (await emailRow(api, id)).status === 'FAILED', 'the email to fail');
    const row = await emailRow(api, id);
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/SUPPLIER_REMINDER email without data\.linkId/);
    expect(await readdir(dropDir)).toEqual(before);
  });
});
