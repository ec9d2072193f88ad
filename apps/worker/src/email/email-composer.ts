import { Injectable } from '@nestjs/common';
import { isUuid } from '@snitflow/common';
import {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailEngine,
  type EmailTemplate,
  isLanguage,
  type Language,
  loadEmailEngine,
  MailInputError,
  type OrderSummary,
  PROJECT_NOTICE_KINDS,
  type ProjectNoticeChange,
  type RenderedEmail,
  renderEmail,
  SUPPLIER_EMAIL_KINDS,
  type SupplierReplyKind,
  type Terms,
} from '@snitflow/mail';
import { InboundAddresses, OrderSummaries, type ReplyLinkState, ReplyLinks } from '@snitflow/orders';
import type { EntityManager } from 'typeorm';

/** An outbox_email row as the sender reads it. */
export interface OutboxRow {
  id: string;
  orderId: string | null;
  template: string;
  language: string;
  recipientEmail: string;
  recipientName: string | null;
  /** Template extras, flat JSON written with the row (see OutboxEmail.data). */
  data: Record<string, unknown>;
  status: 'PENDING' | 'SENT' | 'FAILED' | 'SUPERSEDED' | 'BOUNCED';
  notBefore: Date;
  attempts: number;
  lastError: string | null;
  messageId: string;
  createdAt: Date;
}

export const OUTBOX_ROW_COLUMNS = `
  id, order_id AS "orderId", template, language, recipient_email AS "recipientEmail",
  recipient_name AS "recipientName", data, status, not_before AS "notBefore", attempts,
  last_error AS "lastError", message_id AS "messageId", created_at AS "createdAt"`;

/** A rendered email, ready for a transport. */
export interface ComposedEmail {
  template: EmailTemplate;
  language: Language;
  /** The order's reference, for the X-Snitflow-Order header. */
  reference: string;
  rendered: RenderedEmail;
  /** The supplier's reply link; null in emails to the coordinators. */
  replyUrl: string | null;
  /**
   * The Reply-To of an email asking the supplier to answer: the reply address of its link
   * (r-<token>@INBOUND_EMAIL_DOMAIN); null in other emails or when email replies are off.
   */
  replyTo: string | null;
}

/**
 * An email that can never be sent as it stands (a bug in whatever wrote the
 * row, or an order that is gone): retrying cannot help, so the sender marks
 * it FAILED at once with this message.
 */
export class UnsendableEmailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsendableEmailError';
  }
}

const SUPPLIER_REPLY_KINDS: readonly SupplierReplyKind[] = ['ACCEPT', 'PROPOSE', 'ASK', 'DECLINE'];
const TERM_KEYS = ['priceOere', 'deliveryDate', 'conditions'] as const;

const isSupplierTemplate = (template: EmailTemplate): boolean => template.startsWith('SUPPLIER_');

/**
 * Builds an outbox email from Postgres at the moment it is sent: the order as
 * it is now (the row holds only ids and the event's extras), the recipient,
 * the supplier's reply link rebuilt from its id (the database never holds a
 * usable link), then renders it. No sending here.
 */
@Injectable()
export class EmailComposer {
  /**
   * Read and parsed once, here, so a missing or broken template stops the worker at start-up
   * with its file and line, instead of failing every send later.
   */
  private readonly templates: EmailEngine = loadEmailEngine();

  constructor(
    private readonly summaries: OrderSummaries,
    private readonly replyLinks: ReplyLinks,
    private readonly addresses: InboundAddresses,
  ) {}

  /**
   * Why this email is no longer worth sending, or null. A supplier's email asks for an answer
   * through its reply link; once that link can never answer (a newer round retired it, it was
   * used, it expired, the order moved on), the email would only lead to a "no longer valid" page.
   * Judged when the email is due, not when it was written: it may have waited for office hours.
   */
  async supersededReason(tx: EntityManager, row: OutboxRow, now: Date): Promise<string | null> {
    const linkId = judgedLinkId(row);
    if (!linkId) return null;
    const dead = await this.replyLinks.whyDead(tx, linkId, now);
    return dead ? `superseded: ${dead} before it was sent` : null;
  }

  /**
   * supersededReason for a row whose reply link the caller read along with it (`link`: the link
   * of `data.linkId`, null when there is none), so the sender's claim needs no query of its own.
   */
  supersededReasonOf(row: OutboxRow, link: ReplyLinkState | null, now: Date): string | null {
    const linkId = judgedLinkId(row);
    if (!linkId) return null;
    const dead = this.replyLinks.whyDeadOf(linkId, link, now);
    return dead ? `superseded: ${dead} before it was sent` : null;
  }

  /**
   * What the caller already read (the sender's claim reads both with the row), so compose need
   * not query it again:
   * - `known.order`: the order's summary (OrderSummaries), null when the order does not exist;
   *   used unless the email is about one request (PROJECT_UPDATE with data.requestId), whose
   *   summary is read here;
   * - `known.replyAddressStored`: whether the row's reply link already has its
   *   reply_address_hash; then the link is written only when it lacks one, instead of an UPDATE
   *   per email that almost always changes nothing.
   */
  async compose(
    tx: EntityManager,
    row: OutboxRow,
    known: { order?: OrderSummary | null; replyAddressStored?: boolean } = {},
  ): Promise<ComposedEmail> {
    const { template, language, data, replyUrl } = await this.emailData(tx, row, known.order);
    let rendered: RenderedEmail;
    try {
      rendered = renderEmail(template, language, data, this.templates);
    } catch (error) {
      if (error instanceof MailInputError) {
        throw new UnsendableEmailError(`${template} cannot be rendered: ${error.message}`);
      }
      throw error;
    }
    let replyTo: string | null = null;
    const linkId = row.data.linkId;
    if (replyUrl && typeof linkId === 'string') {
      replyTo = this.addresses.replyAddressFor(linkId);
      // Links issued before reply addresses existed get theirs now, so a reply to this email is found.
      if (replyTo && known.replyAddressStored !== true) {
        await tx.query(
          'UPDATE reply_link SET reply_address_hash = $2 WHERE id = $1 AND reply_address_hash IS NULL',
          [linkId, this.addresses.replyAddressHash(linkId)],
        );
      }
    }
    return { template, language, reference: data.order.reference, rendered, replyUrl, replyTo };
  }

  /**
   * One email for several rows of a bulk send to one recipient (SUPPLIER_ORDERS): every order
   * with its own reply link; the first row's order heads the subject.
   */
  async composeBatch(tx: EntityManager, rows: readonly OutboxRow[]): Promise<ComposedEmail> {
    const parts = [];
    for (const row of rows) parts.push(await this.emailData(tx, row));
    const [first] = parts;
    if (!first) throw new UnsendableEmailError('a batch email needs at least one row');
    const batch = parts.map((part) => ({ order: part.data.order, replyUrl: part.replyUrl ?? '' }));
    const data: EmailData = { ...first.data, batch };
    let rendered: RenderedEmail;
    try {
      rendered = renderEmail('SUPPLIER_ORDERS', first.language, data, this.templates);
    } catch (error) {
      if (error instanceof MailInputError) {
        throw new UnsendableEmailError(`SUPPLIER_ORDERS cannot be rendered: ${error.message}`);
      }
      throw error;
    }
    return {
      template: 'SUPPLIER_ORDERS',
      language: first.language,
      reference: data.order.reference,
      rendered,
      replyUrl: first.replyUrl,
      // A reply in words could be about any of the orders: no per-link reply address; each order
      // is answered through its own link.
      replyTo: null,
    };
  }

  /** The renderer's input for one row; throws UnsendableEmailError for a row that can never render. */
  async emailData(
    tx: EntityManager,
    row: OutboxRow,
    knownOrder?: OrderSummary | null,
  ): Promise<{ template: EmailTemplate; language: Language; data: EmailData; replyUrl: string | null }> {
    const template = EMAIL_TEMPLATES.find((candidate) => candidate === row.template);
    if (!template) throw new UnsendableEmailError(`unknown email template "${row.template}"`);
    if (!isLanguage(row.language)) throw new UnsendableEmailError(`unknown language "${row.language}"`);
    if (!row.orderId) throw new UnsendableEmailError(`${template} email has no order`);
    const requestId = row.data.requestId;
    const aboutRequest = template === 'PROJECT_UPDATE' && typeof requestId === 'string' && isUuid(requestId);
    const order = aboutRequest
      ? await this.summaries.summariseRequest(tx, row.orderId, requestId)
      : knownOrder !== undefined
        ? knownOrder
        : await this.summaries.summarise(tx, row.orderId);
    if (!order)
      throw new UnsendableEmailError(`order ${row.orderId} (or the request) of this email does not exist`);

    const extras = row.data;
    const data: EmailData = {
      order,
      recipientName: row.recipientName?.trim() || row.recipientEmail,
    };
    let replyUrl: string | null = null;
    if (isSupplierTemplate(template)) {
      const linkId = extras.linkId;
      if (typeof linkId !== 'string' || !isUuid(linkId)) {
        throw new UnsendableEmailError(
          `${template} email without data.linkId: the supplier could not answer it (a bug in whatever wrote the outbox row)`,
        );
      }
      replyUrl = this.replyLinks.urlFor(linkId);
      data.replyUrl = replyUrl;
    }
    // Coordinator emails carry no link: snitflow has no order page of its own to point at yet.

    const reminderNumber = countOf(extras.reminderNumber, 1);
    if (reminderNumber !== undefined) data.reminderNumber = reminderNumber;
    const overdue = countOf(extras.overdueBusinessDays, 0);
    if (overdue !== undefined) data.overdueBusinessDays = overdue;
    if (TERM_KEYS.some((key) => extras[key] !== undefined && extras[key] !== null)) {
      data.terms = termsOf(extras);
    }
    if (typeof extras.answer === 'string') data.answer = extras.answer;
    if (typeof extras.question === 'string') data.question = extras.question;
    if (typeof extras.fixDescription === 'string') data.fixDescription = extras.fixDescription;
    const kind = SUPPLIER_REPLY_KINDS.find((candidate) => candidate === extras.replyKind);
    if (kind) {
      data.supplierReply = {
        kind,
        by: typeof extras.replyBy === 'string' && extras.replyBy.trim() ? extras.replyBy : order.supplierName,
        text: typeof extras.replyText === 'string' && extras.replyText !== '' ? extras.replyText : null,
      };
    }
    const emailKind = SUPPLIER_EMAIL_KINDS.find((candidate) => candidate === extras.emailKind);
    if (template === 'COORDINATOR_SUPPLIER_EMAIL') {
      if (!emailKind) {
        throw new UnsendableEmailError(
          `COORDINATOR_SUPPLIER_EMAIL email with unknown kind "${String(extras.emailKind)}"`,
        );
      }
      data.supplierEmail = {
        kind: emailKind,
        from: typeof extras.from === 'string' && extras.from.trim() ? extras.from : order.supplierName,
        text: textOf(extras.text),
        awayUntil: textOf(extras.awayUntil),
      };
    }
    if (template === 'COORDINATOR_SCOPE_OBJECTION') {
      data.scopeObjection = {
        projectName: typeof extras.projectName === 'string' ? extras.projectName : '',
        by: typeof extras.objectedBy === 'string' && extras.objectedBy.trim() ? extras.objectedBy : '?',
        text: typeof extras.objection === 'string' ? extras.objection : '',
        elements: textOf(extras.droppedElements),
        stillAwaiting: countOf(extras.stillAwaiting, 0) ?? 0,
      };
    }
    if (template === 'PROJECT_UPDATE') {
      const noticeKind = PROJECT_NOTICE_KINDS.find((candidate) => candidate === extras.noticeKind);
      if (!noticeKind) {
        throw new UnsendableEmailError(
          `PROJECT_UPDATE email with unknown notice kind "${String(extras.noticeKind)}"`,
        );
      }
      data.projectNotice = {
        kind: noticeKind,
        projectName: typeof extras.projectName === 'string' ? extras.projectName : '',
        text: textOf(extras.noticeText),
        date: textOf(extras.noticeDate),
        windowStart: textOf(extras.windowStart),
        windowEnd: textOf(extras.windowEnd),
        takesPart: typeof extras.takesPart === 'boolean' ? extras.takesPart : null,
        elements: textOf(extras.noticeElements),
        change: noticeChangeOf(extras),
      };
    }
    return { template, language: row.language, data, replyUrl };
  }
}

/** The reply link supersededReason judges: a supplier email's well-formed data.linkId, else null. */
function judgedLinkId(row: OutboxRow): string | null {
  const template = EMAIL_TEMPLATES.find((candidate) => candidate === row.template);
  const linkId = row.data.linkId;
  // A row without a well-formed link fails in compose() with its own reason.
  if (!template || !isSupplierTemplate(template) || typeof linkId !== 'string' || !isUuid(linkId))
    return null;
  return linkId;
}

/** What an amended round changed, for AMENDMENT_SENT (ProjectNotices writes the notice* extras); else null. */
function noticeChangeOf(extras: Record<string, unknown>): ProjectNoticeChange | null {
  const change = {
    added: textOf(extras.noticeAdded),
    removed: textOf(extras.noticeRemoved),
    needByFrom: textOf(extras.noticeNeedByFrom),
    needByTo: textOf(extras.noticeNeedByTo),
  };
  return Object.values(change).some((value) => value !== null) ? change : null;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function countOf(value: unknown, min: number): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min ? value : undefined;
}

function termsOf(extras: Record<string, unknown>): Terms {
  const text = (value: unknown): string | null =>
    typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
  return {
    priceOere: text(extras.priceOere),
    deliveryDate: text(extras.deliveryDate),
    conditions: text(extras.conditions),
  };
}
