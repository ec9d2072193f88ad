import { ManualClock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig, loadConfig } from '@snitflow/config';
import { JobQueues } from '@snitflow/jobs';
import { DeadlinePlanner, InboundAddresses, ReplyLinks, SupplierInbox } from '@snitflow/orders';
import { Logger as PinoLogger } from 'nestjs-pino';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pg from 'pg';
import { InboundMailReceiver } from '../apps/worker/src/inbound/inbound-mail-receiver.js';
import { SenderRateLimit } from '../apps/worker/src/inbound/sender-rate-limit.js';
import { ReminderProcessor } from '../apps/worker/src/reminders/reminder.processor.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { nextSupplierReminder } from './support/reminders.js';
import { header, SmtpSink, type SunkMessage } from './support/smtp-sink.js';
import { ADMIN_DATABASE_URL } from './support/test-env.js';

/*
 * Suppliers answer the email (issue 11), over real SMTP on this machine: the worker sends the
 * order to an SMTP sink, a test client (nodemailer) answers the email's Reply-To on the
 * worker's inbound SMTP port, and the order shows the message. The .eml samples are written
 * here, for this project.
 */

const DOMAIN = 'svar.test';
const MAX_BYTES = 200_000;
// Tuesday 1 December 2026, 10:00 in Copenhagen: office hours, so nothing waits.
const START = new Date('2026-12-01T09:00:00.000Z');

const sink = new SmtpSink();
let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;
let inboundPort = 0;

beforeAll(async () => {
  clock = new ManualClock(START);
  const port = await sink.start();
  api = await ApiHarness.start(
    {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      INBOUND_EMAIL_DOMAIN: DOMAIN,
      INBOUND_SMTP_PORT: '0',
      INBOUND_MAX_MESSAGE_BYTES: String(MAX_BYTES),
      INBOUND_MAX_ATTACHMENTS: '2',
      INBOUND_RATE_LIMIT_PER_HOUR: '5',
    },
    { clock },
  );
  const worker = await api.startWorker({ clock });
  worker.useLogger(worker.get(PinoLogger));
  inboundPort = worker.get(InboundMailReceiver).port ?? 0;
  coordinator = await api.coordinator();
  // The API and the worker both start here; on a busy machine that takes longer than a test.
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await sink.stop();
});

// ── helpers ─────────────────────────────────────────────────────────────────

async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Sent {
  orderId: string;
  message: SunkMessage;
  replyTo: string;
  contactEmail: string;
  messageId: string;
}

/** The supplier email of this order the worker sent last (optionally of a template), as the sink got it. */
async function sentEmail(orderId: string, template = 'SUPPLIER_ORDER', after = 0): Promise<Sent> {
  return waitFor(async () => {
    const rows = await api.db.query<{ messageId: string; recipientEmail: string }>(
      `SELECT message_id AS "messageId", recipient_email AS "recipientEmail" FROM outbox_email
        WHERE order_id = $1 AND template = $2 AND status = 'SENT' ORDER BY created_at DESC OFFSET $3 LIMIT 1`,
      [orderId, template, after],
    );
    const row = rows.rows[0];
    const message = row ? sink.withId(row.messageId)[0] : undefined;
    const replyTo = message ? header(message.raw, 'Reply-To') : null;
    if (!row || !message || !replyTo) return null;
    return { orderId, message, replyTo, contactEmail: row.recipientEmail, messageId: row.messageId };
  }, `a ${template} email of order ${orderId}`);
}

async function sendOrder(key: string): Promise<Sent> {
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  return sentEmail(order.id);
}

/** A mail client answering on the receiver's port. Resolves with the server's answer or the refusal. */
async function reply(
  options: SendMailOptions,
  port = inboundPort,
): Promise<{ ok: boolean; code: number | null; response: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5000,
  });
  try {
    const info = await transport.sendMail(options);
    return { ok: true, code: 250, response: info.response };
  } catch (error) {
    const failure = error as Error & { responseCode?: number; response?: string };
    return { ok: false, code: failure.responseCode ?? null, response: failure.response ?? failure.message };
  } finally {
    transport.close();
  }
}

interface MessageView {
  id: string;
  kind: string;
  status: string;
  late: boolean;
  fromAddress: string;
  recipientEmail: string;
  text: string;
  awayUntil: string | null;
  orderVersion: number | null;
  decidedBy: string | null;
  attachments: {
    id: string;
    filename: string;
    contentType: string;
    sizeBytes: number;
    downloadPath: string;
  }[];
}

interface OrderWithMessages {
  state: string;
  ballInCourt: string;
  version: number;
  supplierMessages: MessageView[];
  history: { version: number; type: string; actorRole: string; actorName: string | null; toState: string }[];
}

async function orderWithMessages(orderId: string, token = coordinator): Promise<OrderWithMessages> {
  const data = await api.ok<{ order: OrderWithMessages }>(
    token,
    `query($id: ID!) { order(id: $id) { state ballInCourt version
       supplierMessages { id kind status late fromAddress recipientEmail text awayUntil orderVersion decidedBy
                          attachments { id filename contentType sizeBytes downloadPath } }
       history { version type actorRole actorName toState } } }`,
    { id: orderId },
  );
  return data.order;
}

async function messagesOf(orderId: string, count: number): Promise<MessageView[]> {
  return waitFor(async () => {
    const messages = (await orderWithMessages(orderId)).supplierMessages;
    return messages.length >= count ? messages : null;
  }, `${count} message(s) on order ${orderId}`);
}

async function noticeKinds(orderId: string): Promise<string[]> {
  const rows = await api.db.query<{ kind: string }>(
    `SELECT data->>'emailKind' AS kind FROM outbox_email
      WHERE order_id = $1 AND template = 'COORDINATOR_SUPPLIER_EMAIL' ORDER BY created_at`,
    [orderId],
  );
  return rows.rows.map((row) => row.kind);
}

const DANISH_HISTORY = (sent: Sent) =>
  `\n\nDen tirs. 1. dec. 2026 kl. 10.00 skrev snitflow <noreply@localhost>:\n> Kære ${sent.contactEmail}\n> Svar senest …\n`;

// ── the tests ───────────────────────────────────────────────────────────────

describe('emails that ask a supplier to answer', () => {
  it('carry a Reply-To unique to recipient and round under the inbound domain; From stays MAIL_FROM; bounces go to a VERP path', async () => {
    const sent = await sendOrder('SF1320');
    expect(sent.replyTo).toMatch(/^r-[a-z2-7]{52}@svar\.test$/);
    expect(header(sent.message.raw, 'From')).toBe('snitflow <noreply@localhost>');
    expect(sent.message.envelopeFrom).toMatch(/^b-[0-9a-f]{32}-[a-z2-7]{16}@svar\.test$/);
    // A new round (answering a question) gives a new Reply-To.
    await orderOps.supplier(api, coordinator, sent.orderId, { kind: 'ASK', question: 'Hvilke felter?' });
    await orderOps.answer(api, coordinator, sent.orderId, 'Navn og adresse');
    const next = await sentEmail(sent.orderId, 'SUPPLIER_ANSWER');
    expect(next.replyTo).toMatch(/^r-[a-z2-7]{52}@svar\.test$/);
    expect(next.replyTo).not.toBe(sent.replyTo);
    // Emails to the coordinators ask nobody to answer: no Reply-To.
    const notice = await api.db.query<{ messageId: string }>(
      `SELECT message_id AS "messageId" FROM outbox_email WHERE order_id = $1 AND template LIKE 'COORDINATOR_%' AND status = 'SENT'`,
      [sent.orderId],
    );
    for (const row of notice.rows) {
      const raw = sink.withId(row.messageId)[0]?.raw ?? '';
      expect(header(raw, 'Reply-To')).toBeNull();
    }
  });
});

describe('a reply lands on the order', () => {
  it('plain text with Danish quoted history: the new text, the recipient as actor, the ball with the coordinators, a notice; then recorded as the answer it is', async () => {
    const sent = await sendOrder('SF0740');
    const answer = await reply({
      from: `Lone Bergholt <${sent.contactEmail}>`,
      to: sent.replyTo,
      subject: 'SV: Bestilling',
      inReplyTo: sent.messageId,
      text: `Vi kan levere den 1. marts 2027 til 125.000 kr.${DANISH_HISTORY(sent)}`,
    });
    expect(answer).toMatchObject({ ok: true });
    const [message] = await messagesOf(sent.orderId, 1);
    expect(message).toMatchObject({
      kind: 'REPLY',
      status: 'RECORDED',
      late: false,
      fromAddress: sent.contactEmail,
      recipientEmail: sent.contactEmail,
      text: 'Vi kan levere den 1. marts 2027 til 125.000 kr.',
    });
    const order = await orderWithMessages(sent.orderId);
    expect(order).toMatchObject({ state: 'negotiation.supplierWrote', ballInCourt: 'COORDINATORS' });
    expect(order.history.at(-1)).toMatchObject({
      type: 'SUPPLIER_WROTE',
      actorRole: 'supplier',
      actorName: 'Lone Bergholt',
      version: message?.orderVersion,
    });
    expect(await noticeKinds(sent.orderId)).toEqual(['REPLY']);
    // The link in the same email, opened afterwards, says the email arrived (and when), not that
    // the order moved on without an answer.
    const links = api.app.get(ReplyLinks);
    const linkRows = await api.db.query<{ id: string; email: string }>(
      `SELECT l.id, c.email FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id WHERE l.order_id = $1`,
      [sent.orderId],
    );
    const pageOf = async (email: string) => {
      const row = linkRows.rows.find((link) => link.email === email);
      if (!row) throw new Error(`no link for ${email}`);
      const response = await fetch(`${api.url}${new URL(links.urlFor(row.id)).pathname}?lang=en`);
      return { status: response.status, html: await response.text() };
    };
    const own = await pageOf(sent.contactEmail);
    expect(own.status).toBe(409);
    expect(own.html).toContain('We have received your email');
    expect(own.html).toContain('We received your email about the order on 1 December 2026');
    expect(own.html).not.toContain('moved on');
    // A coordinator records it as the proposal it is, in one step.
    const recorded = await orderOps.supplier(api, coordinator, sent.orderId, {
      kind: 'PROPOSE',
      terms: { priceOere: '12500000', deliveryDate: '2027-03-01' },
    });
    expect(recorded.state).toBe('negotiation.proposalReceived');
    // Still true once the coordinators have recorded it.
    expect((await pageOf(sent.contactEmail)).html).toContain('We have received your email');
  });

  it('HTML only, with English quoted history and an attachment; the attachment is downloadable by coordinators only', async () => {
    const sent = await sendOrder('SF0800');
    const pdf = Buffer.from('%PDF-1.4 tilbud fra ATP\n');
    const answer = await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'Re: Order',
      html: `<div>We accept the order.</div><div class="gmail_quote"><div>On Tue, 1 Dec 2026 at 10:00, snitflow &lt;noreply@localhost&gt; wrote:</div><blockquote>Dear supplier<br>Please answer</blockquote></div>`,
      attachments: [{ filename: 'Tilbud æøå.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(answer.ok).toBe(true);
    const [message] = await messagesOf(sent.orderId, 1);
    expect(message?.text).toBe('We accept the order.');
    expect(message?.attachments).toEqual([
      expect.objectContaining({
        filename: 'Tilbud æøå.pdf',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
      }),
    ]);
    const path = message?.attachments[0]?.downloadPath ?? '';
    const download = await fetch(`${api.url}${path}`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment;');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);
    const project = await api.projectUser('KY');
    expect(
      (await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${project}` } })).status,
    ).toBe(403);
    expect((await fetch(`${api.url}${path}`)).status).toBe(401);
    const unknown = path.replace(/[0-9a-f]{12}$/, '000000000000');
    expect(
      (await fetch(`${api.url}${unknown}`, { headers: { authorization: `Bearer ${coordinator}` } })).status,
    ).toBe(404);
    // The supplier dialogue is the coordinators' business: a project user sees no messages.
    expect((await orderWithMessages(sent.orderId, project)).supplierMessages).toEqual([]);
  });

  it('Outlook formats: "-----Oprindelig meddelelse-----" and an English "From:/Sent:" block are cut off', async () => {
    const sent = await sendOrder('SF0830');
    await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'SV: Bestilling',
      text: 'Vi har et spørgsmål om feltet CPR.\n\n-----Oprindelig meddelelse-----\nFra: snitflow\nSendt: 1. december 2026 10:00\nTil: Emma\nEmne: Bestilling\n\nKære Emma',
      messageId: '<outlook-1@csc.example>',
    });
    await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'RE: Order',
      text: 'And one more thing.\n\n________________________________\nFrom: snitflow\nSent: Tuesday, December 1, 2026 10:00\nTo: Emma\nSubject: Order\n\nDear Emma',
      messageId: '<outlook-2@csc.example>',
    });
    const messages = await messagesOf(sent.orderId, 2);
    expect(messages.map((message) => message.text)).toEqual([
      'Vi har et spørgsmål om feltet CPR.',
      'And one more thing.',
    ]);
    // The second email of the same round is recorded too; the ball stays with the coordinators.
    const order = await orderWithMessages(sent.orderId);
    expect(order.state).toBe('negotiation.supplierWrote');
    expect(order.history.filter((event) => event.type === 'SUPPLIER_WROTE')).toHaveLength(2);
  });

  it('records the same email delivered twice (by Message-ID) once', async () => {
    const sent = await sendOrder('SF1280');
    const email = {
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'SV',
      text: 'Ja.',
      messageId: '<same@kl.example>',
    };
    expect((await reply(email)).ok).toBe(true);
    expect((await reply(email)).ok).toBe(true);
    await messagesOf(sent.orderId, 1);
    const count = await api.db.query('SELECT 1 FROM supplier_message WHERE order_id = $1', [sent.orderId]);
    expect(count.rowCount).toBe(1);
    expect(
      (await orderWithMessages(sent.orderId)).history.filter((e) => e.type === 'SUPPLIER_WROTE'),
    ).toHaveLength(1);
  });
});

describe('nobody writes into another order', () => {
  it('a reply from another address is held, moves nothing, and a coordinator accepts or discards it', async () => {
    const sent = await sendOrder('SF1290');
    const before = await orderWithMessages(sent.orderId);
    await reply({
      from: 'someone@elsewhere.example',
      to: sent.replyTo,
      subject: 'SV',
      text: 'Vi accepterer.',
      messageId: '<h1@x>',
    });
    await reply({
      from: 'spam@elsewhere.example',
      to: sent.replyTo,
      subject: 'SV',
      text: 'Køb nu',
      messageId: '<h2@x>',
    });
    const [held, spam] = await messagesOf(sent.orderId, 2);
    expect(held).toMatchObject({
      status: 'HELD',
      fromAddress: 'someone@elsewhere.example',
      orderVersion: null,
    });
    const after = await orderWithMessages(sent.orderId);
    expect(after.state).toBe('negotiation.awaitingSupplier');
    expect(after.version).toBe(before.version);
    expect(await noticeKinds(sent.orderId)).toEqual(['HELD', 'HELD']);

    const discarded = await api.ok<{ discardSupplierMessage: MessageView }>(
      coordinator,
      'mutation($id: ID!) { discardSupplierMessage(messageId: $id) { status decidedBy } }',
      { id: spam?.id },
    );
    expect(discarded.discardSupplierMessage).toEqual({
      status: 'DISCARDED',
      decidedBy: 'coordinator@kombit.example',
    });
    expect((await orderWithMessages(sent.orderId)).state).toBe('negotiation.awaitingSupplier');

    const accepted = await api.ok<{ acceptSupplierMessage: MessageView }>(
      coordinator,
      'mutation($id: ID!) { acceptSupplierMessage(messageId: $id) { status late orderVersion } }',
      { id: held?.id },
    );
    expect(accepted.acceptSupplierMessage).toMatchObject({ status: 'RECORDED', late: false });
    const order = await orderWithMessages(sent.orderId);
    expect(order.state).toBe('negotiation.supplierWrote');
    expect(order.history.at(-1)).toMatchObject({ type: 'SUPPLIER_WROTE', actorRole: 'supplier' });
    // Only a held message can be decided; twice is refused with the field named.
    const again = await api.graphql(
      coordinator,
      'mutation($id: ID!) { acceptSupplierMessage(messageId: $id) { id } }',
      {
        id: held?.id,
      },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['messageId'] });
    const project = await api.projectUser('KY');
    const forbidden = await api.graphql(
      project,
      'mutation($id: ID!) { discardSupplierMessage(messageId: $id) { id } }',
      {
        id: held?.id,
      },
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('an unknown or tampered address is refused at RCPT, before any data', async () => {
    const sent = await sendOrder('SF1300');
    const [local = '', domain] = sent.replyTo.split('@');
    const flipped = `${local.slice(0, -2)}${local.at(-2) === 'a' ? 'b' : 'a'}${local.at(-1)}@${domain}`;
    const counts = await api.db.query('SELECT count(*)::int AS n FROM supplier_message');
    const [bounceLocal = ''] = sent.message.envelopeFrom.split('@');
    const tamperedReturnPath = `${bounceLocal.slice(0, -4)}${bounceLocal.endsWith('aaaa') ? 'bbbb' : 'aaaa'}@${DOMAIN}`;
    for (const to of [
      flipped,
      `postmaster@${DOMAIN}`,
      sent.replyTo.replace(DOMAIN, 'other.test'),
      tamperedReturnPath,
    ]) {
      const refused = await reply({ from: sent.contactEmail, to, subject: 'SV', text: 'Ja' });
      expect(refused).toMatchObject({ ok: false, code: 550 });
      expect(refused.response).toContain('No such address');
    }
    expect((await api.db.query('SELECT count(*)::int AS n FROM supplier_message')).rows).toEqual(counts.rows);
    expect((await orderWithMessages(sent.orderId)).state).toBe('negotiation.awaitingSupplier');
  });

  it('a host not in INBOUND_ALLOWED_SENDERS is refused at connect', async () => {
    const config = {
      ...loadConfig({
        INBOUND_EMAIL_DOMAIN: DOMAIN,
        INBOUND_SMTP_PORT: '0',
        INBOUND_ALLOWED_SENDERS: '10.0.0.0/8',
      }),
    };
    const worker = api.worker;
    if (!worker) throw new Error('no worker');
    const strict = new InboundMailReceiver(
      config,
      clock,
      worker.get(InboundAddresses),
      worker.get(SupplierInbox),
      worker.get(DeadlinePlanner),
      worker.get(SenderRateLimit),
    );
    await strict.onApplicationBootstrap();
    try {
      const saved = inboundPort;
      inboundPort = strict.port ?? 0;
      const refused = await reply({
        from: 'a@b.example',
        to: `postmaster@${DOMAIN}`,
        subject: 'x',
        text: 'x',
      });
      inboundPort = saved;
      expect(refused.ok).toBe(false);
      expect(refused.response).toContain('may not send mail here');
    } finally {
      await strict.onModuleDestroy();
    }
  });

  it('malformed, oversized and attachment-laden messages are refused without harm; the receiver keeps working', async () => {
    const sent = await sendOrder('SF1390');
    const garbage = await reply({
      envelope: { from: 'x@y.example', to: sent.replyTo },
      raw: Buffer.from('\u0000\u0001 no headers at all \r\n\r\n\u00ff'),
    });
    expect(garbage).toMatchObject({ ok: false, code: 550 });
    const noFrom = await reply({
      envelope: { from: 'x@y.example', to: sent.replyTo },
      raw: 'Subject: hi\r\n\r\nHello\r\n',
    });
    expect(noFrom).toMatchObject({ ok: false, code: 550 });
    const big = await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'SV',
      text: 'x'.repeat(MAX_BYTES + 10),
    });
    expect(big).toMatchObject({ ok: false, code: 552 });
    const files = Array.from({ length: 3 }, (_, index) => ({ filename: `f${index}.txt`, content: 'x' }));
    const many = await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'SV',
      text: 'Se vedhæftede',
      attachments: files,
    });
    expect(many).toMatchObject({ ok: false, code: 552 });
    expect((await orderWithMessages(sent.orderId)).supplierMessages).toEqual([]);
    // Still receiving.
    expect(
      (await reply({ from: sent.contactEmail, to: sent.replyTo, subject: 'SV', text: 'Ja tak.' })).ok,
    ).toBe(true);
    expect((await messagesOf(sent.orderId, 1))[0]?.text).toBe('Ja tak.');
  });

  it('limits each sender to INBOUND_RATE_LIMIT_PER_HOUR messages (a temporary refusal), counted across worker processes', async () => {
    const sent = await sendOrder('SF1460');
    const worker = api.worker;
    if (!worker) throw new Error('no worker');
    // A second worker's receiver (its own port, its own counter in memory, the same Redis): the
    // sender's count is shared.
    const config = worker.get<AppConfig>(APP_CONFIG);
    const second = new InboundMailReceiver(
      config,
      clock,
      worker.get(InboundAddresses),
      worker.get(SupplierInbox),
      worker.get(DeadlinePlanner),
      new SenderRateLimit(config, clock, worker.get(JobQueues)),
    );
    await second.onApplicationBootstrap();
    const results: number[] = [];
    try {
      for (let index = 0; index < 6; index += 1) {
        const result = await reply(
          { from: 'Flood@Elsewhere.example', to: sent.replyTo, subject: 'x', text: `${index}` },
          index % 2 === 0 ? inboundPort : (second.port ?? 0),
        );
        results.push(result.code ?? 0);
      }
    } finally {
      await second.onModuleDestroy();
    }
    expect(results).toEqual([250, 250, 250, 250, 250, 451]);
    // Another sender is not affected.
    expect((await reply({ from: sent.contactEmail, to: sent.replyTo, subject: 'SV', text: 'Ja.' })).ok).toBe(
      true,
    );
  });
});

describe('late replies, auto-replies and bounces', () => {
  it('a reply to a retired round or a closed order is kept, marked late, and moves nothing', async () => {
    const sent = await sendOrder('SF1490');
    // A new round: the supplier asked (by phone), the coordinators answered.
    await orderOps.supplier(api, coordinator, sent.orderId, { kind: 'ASK', question: 'Hvornår?' });
    await orderOps.answer(api, coordinator, sent.orderId, 'I marts.');
    const before = await orderWithMessages(sent.orderId);
    await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'SV',
      text: 'Svar på den første mail.',
    });
    const [late] = await messagesOf(sent.orderId, 1);
    expect(late).toMatchObject({ status: 'RECORDED', late: true, orderVersion: null });
    const after = await orderWithMessages(sent.orderId);
    expect(after.state).toBe('negotiation.awaitingSupplier');
    expect(after.version).toBe(before.version);
    expect(await noticeKinds(sent.orderId)).toEqual(['LATE']);

    // Cancelled: the newest round's address too is late now.
    const current = await sentEmail(sent.orderId, 'SUPPLIER_ANSWER');
    await orderOps.cancel(api, coordinator, sent.orderId, 'Ikke længere brug');
    await reply({ from: sent.contactEmail, to: current.replyTo, subject: 'SV', text: 'Vi accepterer.' });
    const messages = await messagesOf(sent.orderId, 2);
    expect(messages[1]).toMatchObject({ late: true, text: 'Vi accepterer.' });
    expect((await orderWithMessages(sent.orderId)).state).toBe('cancelled');
  });

  it('an out-of-office reply is recorded as such, never as an answer, with until when the contact is away', async () => {
    const sent = await sendOrder('SF0741');
    await reply({
      from: sent.contactEmail,
      to: sent.replyTo,
      subject: 'Automatisk svar: Bestilling',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'Jeg er på ferie og tilbage den 4. januar 2027. Kontakt venligst kollega@ask.example.',
    });
    const [away] = await messagesOf(sent.orderId, 1);
    expect(away).toMatchObject({
      kind: 'AUTO_REPLY',
      status: 'RECORDED',
      awayUntil: '2027-01-04',
      orderVersion: null,
    });
    const order = await orderWithMessages(sent.orderId);
    expect(order.state).toBe('negotiation.awaitingSupplier');
    expect(order.history.some((event) => event.type === 'SUPPLIER_WROTE')).toBe(false);
    expect(await noticeKinds(sent.orderId)).toEqual(['AWAY']);
    const notice = await api.db.query<{ awayUntil: string }>(
      `SELECT data->>'awayUntil' AS "awayUntil" FROM outbox_email WHERE order_id = $1 AND template = 'COORDINATOR_SUPPLIER_EMAIL'`,
      [sent.orderId],
    );
    expect(notice.rows[0]?.awayUntil).toBe('2027-01-04');
  });

  it('a bounce marks the email BOUNCED with the reason, lists it, tells the coordinators, and stops reminders to that address until it changes', async () => {
    const sent = await sendOrder('SF0802');
    const dsn = (to: string, messageId: string) => ({
      envelope: { from: '', to },
      raw: [
        'From: Mail Delivery System <MAILER-DAEMON@mx.atp.example>',
        `To: ${to}`,
        'Subject: Undelivered Mail Returned to Sender',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'This is the mail system. Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.atp.example',
        '',
        `Final-Recipient: rfc822; ${sent.contactEmail}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${messageId}`,
        'Subject: Bestilling',
        '--B--',
        '',
      ].join('\r\n'),
    });
    const bounced = await reply(dsn(sent.message.envelopeFrom, sent.messageId));
    expect(bounced.ok).toBe(true);
    const list = await api.ok<{
      bouncedEmails: { id: string; status: string; lastError: string; recipientEmail: string }[];
      failedEmails: { id: string }[];
    }>(coordinator, '{ bouncedEmails { id status lastError recipientEmail } failedEmails { id } }');
    const row = list.bouncedEmails.find((email) => email.recipientEmail === sent.contactEmail);
    expect(row).toMatchObject({ status: 'BOUNCED' });
    expect(row?.lastError).toContain('5.1.1 (smtp; 550 5.1.1 User unknown)');
    expect(list.failedEmails.map((email) => email.id)).not.toContain(row?.id);
    expect(await noticeKinds(sent.orderId)).toEqual(['BOUNCED']);
    // No supplier message: a bounce is not the supplier writing.
    expect((await orderWithMessages(sent.orderId)).supplierMessages).toEqual([]);

    // The next supplier reminder skips the bounced address; the coordinators are reminded instead.
    const reminders = api.worker?.get(ReminderProcessor);
    if (!reminders) throw new Error('no worker');
    const fire = async () => {
      const step = await api.db.query<{ scheduleVersion: number; step: number; sendAt: Date }>(
        `SELECT r.schedule_version AS "scheduleVersion", r.step, r.send_at AS "sendAt" FROM order_reminder r
           JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
          WHERE r.order_id = $1 AND r.status = 'PENDING' AND r.recipient = 'SUPPLIER' AND r.kind <> 'ESCALATION'
          ORDER BY r.step LIMIT 1`,
        [sent.orderId],
      );
      const next = step.rows[0];
      if (!next) throw new Error('no reminder to fire');
      clock.set(next.sendAt);
      return reminders.fire({
        orderId: sent.orderId,
        scheduleVersion: next.scheduleVersion,
        step: next.step,
      });
    };
    const reminderRows = () =>
      api.db.query<{ template: string; recipientEmail: string }>(
        `SELECT template, recipient_email AS "recipientEmail" FROM outbox_email
          WHERE order_id = $1 AND template IN ('SUPPLIER_REMINDER', 'COORDINATOR_REMINDER') ORDER BY created_at`,
        [sent.orderId],
      );
    expect(await fire()).toBe('sent');
    expect((await reminderRows()).rows.map((r) => r.template)).toEqual(['COORDINATOR_REMINDER']);
    // The contact's address is corrected: reminders reach it again.
    const contact = await api.db.query<{ id: string }>('SELECT id FROM supplier_contact WHERE email = $1', [
      sent.contactEmail,
    ]);
    await api.ok(
      coordinator,
      'mutation($input: UpdateSupplierContactInput!) { updateSupplierContact(input: $input) { id } }',
      { input: { contactId: contact.rows[0]?.id, email: 'ferie-ny@atp.example' } },
    );
    expect(await fire()).toBe('sent');
    expect((await reminderRows()).rows).toEqual([
      { template: 'COORDINATOR_REMINDER', recipientEmail: 'koordinatorer@kombit.example' },
      { template: 'SUPPLIER_REMINDER', recipientEmail: 'ferie-ny@atp.example' },
    ]);
    clock.set(START);
  });

  it('a bounce sent to a reply address is matched by the Message-ID in the returned headers', async () => {
    const sent = await sendOrder('SF0462');
    const raw = [
      'From: MAILER-DAEMON@mx.skat.example',
      `To: ${sent.replyTo}`,
      'Subject: Delivery Status Notification (Failure)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; x@skat.example',
      'Action: failed',
      'Status: 5.2.2',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${sent.messageId}`,
      '--B--',
      '',
    ].join('\r\n');
    expect((await reply({ envelope: { from: '', to: sent.replyTo }, raw })).ok).toBe(true);
    const status = await api.db.query<{ status: string }>(
      'SELECT status FROM outbox_email WHERE message_id = $1',
      [sent.messageId],
    );
    expect(status.rows[0]?.status).toBe('BOUNCED');
  });
});

describe('races', () => {
  it('two replies racing a reminder leave the order consistent: one wait left, every reply recorded, no gap', async () => {
    const sent = await sendOrder('SF0780');
    const next = await nextSupplierReminder(api, sent.orderId);
    clock.set(next.sendAt);
    const reminders = api.worker?.get(ReminderProcessor);
    if (!reminders) throw new Error('no worker');
    const [first, second, reminded] = await Promise.all([
      reply({
        from: sent.contactEmail,
        to: sent.replyTo,
        subject: 'SV',
        text: 'Første svar',
        messageId: '<r1@skat.example>',
      }),
      reply({
        from: sent.contactEmail,
        to: sent.replyTo,
        subject: 'SV',
        text: 'Andet svar',
        messageId: '<r2@skat.example>',
      }),
      reminders.fire({ orderId: sent.orderId, scheduleVersion: next.scheduleVersion, step: next.step }),
    ]);
    clock.set(START);
    expect(first.ok && second.ok).toBe(true);
    // The reminder went out before the replies, or found its step cancelled by them (stale).
    expect(['sent', 'stale']).toContain(typeof reminded === 'string' ? reminded : 'later');
    const messages = await messagesOf(sent.orderId, 2);
    // Same round whether or not the reminder came first (a reminder asks the same question).
    expect(messages.map((message) => [message.status, message.late]).sort()).toEqual([
      ['RECORDED', false],
      ['RECORDED', false],
    ]);
    const order = await orderWithMessages(sent.orderId);
    expect(order.state).toBe('negotiation.supplierWrote');
    expect(order.history.filter((event) => event.type === 'SUPPLIER_WROTE')).toHaveLength(2);
    expect(order.history.map((event) => event.version)).toEqual(order.history.map((_, index) => index + 1));
    expect(order.version).toBe(order.history.length);
    // No supplier reminder is pending once the ball is with the coordinators.
    const pending = await api.db.query(
      `SELECT 1 FROM order_reminder r JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
        WHERE r.order_id = $1 AND r.status = 'PENDING' AND r.recipient = 'SUPPLIER'`,
      [sent.orderId],
    );
    expect(pending.rowCount).toBe(0);
  });
});

describe('rounds, holds and our own failures', () => {
  it('a reply to the first email after a reminder still answers the round (a reminder asks the same question)', async () => {
    const sent = await sendOrder('SF0790');
    const next = await nextSupplierReminder(api, sent.orderId);
    clock.set(next.sendAt);
    expect(
      await api.worker
        ?.get(ReminderProcessor)
        .fire({ orderId: sent.orderId, scheduleVersion: next.scheduleVersion, step: next.step }),
    ).toBe('sent');
    clock.set(START);
    // The original email's link is retired by the reminder's new round of links; its address still answers.
    await reply({ from: sent.contactEmail, to: sent.replyTo, subject: 'SV', text: 'Vi accepterer.' });
    const [message] = await messagesOf(sent.orderId, 1);
    expect(message).toMatchObject({ late: false, status: 'RECORDED' });
    expect((await orderWithMessages(sent.orderId)).state).toBe('negotiation.supplierWrote');
  });

  it('a reply while the order is on hold is kept (not late) and moves nothing; the resume returns to the wait', async () => {
    const sent = await sendOrder('SF1180');
    await orderOps.hold(api, coordinator, sent.orderId, 'Budget');
    const before = await orderWithMessages(sent.orderId);
    await reply({ from: sent.contactEmail, to: sent.replyTo, subject: 'SV', text: 'Vi vender tilbage.' });
    const [message] = await messagesOf(sent.orderId, 1);
    expect(message).toMatchObject({ late: false, status: 'RECORDED', orderVersion: null });
    const after = await orderWithMessages(sent.orderId);
    expect(after).toMatchObject({ state: 'onHold', version: before.version });
    expect(await noticeKinds(sent.orderId)).toEqual(['REPLY']);
    expect((await orderOps.resume(api, coordinator, sent.orderId)).state).toBe(
      'negotiation.awaitingSupplier',
    );
  });

  it('our database away: the sender gets 451 (try again later), nothing is lost, and the retry is recorded', async () => {
    const sent = await sendOrder('SF0770');
    const name = new URL(api.databaseUrl).pathname.slice(1);
    api.db.on('error', () => undefined);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    // A sender of its own, so the hourly limit counts only this test's tries (such a reply is held).
    const email = {
      from: 'postkasse@skat.example',
      to: sent.replyTo,
      subject: 'SV',
      text: 'Svar mens databasen var væk.',
      messageId: '<db-away@ra-sts.example>',
    };
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const refused = await reply(email);
      expect(refused).toMatchObject({ ok: false, code: 451 });
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // The sender's retry, once the database is back.
    const retried = await waitFor(async () => {
      // A real sender waits minutes between tries; an hour here keeps its rate limit out of the way.
      clock.advance(3_600_000);
      const result = await reply(email);
      return result.ok ? result : null;
    }, 'the retry to be accepted');
    expect(retried.ok).toBe(true);
    const messages = await messagesOf(sent.orderId, 1);
    expect(messages.filter((message) => message.text === 'Svar mens databasen var væk.')).toHaveLength(1);
    clock.set(START);
  });
});
