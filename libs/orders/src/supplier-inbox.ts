import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, ErrorCode, notFound, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { hashReplyToken, type InboundAddress } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';
import { InboundAddresses } from './inbound-addresses.js';
import { OrderTransitionService } from './order-transition.service.js';
import { Outbox, type OutboxEmail } from './outbox.js';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A supplier's email as the receiver parsed it (see classifyInbound and newReplyText in libs/mail). */
export interface ReceivedMessage {
  kind: 'REPLY' | 'AUTO_REPLY';
  /** The From address, lower case. */
  fromAddress: string;
  fromName: string | null;
  subject: string;
  /** The new text, without the quoted history and the signature. */
  body: string;
  /** The Message-ID header, to recognise the same email delivered twice. */
  messageIdHeader: string | null;
  /** YYYY-MM-DD: until when an automatic reply says the contact is away. */
  awayUntil: string | null;
  attachments: InboundAttachment[];
}

export type InboundOutcome =
  /** On the order; `moved` when it moved the order (SUPPLIER_WROTE), `late` for a retired round. */
  | { kind: 'recorded'; messageId: string; late: boolean; moved: boolean }
  /** From another address than the recipient's: waits for a coordinator. */
  | { kind: 'held'; messageId: string }
  /** The same email (by Message-ID) was received before: nothing done again. */
  | { kind: 'duplicate' }
  /** A bounce of this outbox email, now BOUNCED. */
  | { kind: 'bounced'; emailId: string }
  /** A bounce that names none of our emails. */
  | { kind: 'unmatched' };

/** Events that ask the supplier anew: after one of them, a reply to an older link answers an old round. */
const ROUND_STARTING_EVENTS = ['SEND_TO_SUPPLIER', 'COUNTER_PROPOSAL', 'ANSWER_SUPPLIER', 'REQUEST_FIX'];
/** States in which the current round's reply is waited for (or a first one is being read). */
const REPLYING_STATES = ['negotiation.awaitingSupplier', 'negotiation.supplierWrote'];
/** The text kept in a notice email; the whole text is on the order. */
const NOTICE_TEXT_LENGTH = 2000;

interface LinkRow {
  linkId: string;
  orderId: string;
  contactId: string;
  contactEmail: string;
  contactName: string;
  issuedAtVersion: number;
  status: string;
}

/**
 * What comes back by email, recorded on its order (issue 11). Each message is one
 * transaction that locks the order first, as every writer of reply links does:
 * - a reply from the recipient to the current round is SUPPLIER_WROTE with the recipient as
 *   actor (the ball goes to the coordinators), plus a notice to the coordinators;
 * - a reply to a retired round or an order that moved on is kept, marked late, and moves
 *   nothing; a reply while the order is on hold is kept and moves nothing either;
 * - a reply from another address is HELD until a coordinator accepts or discards it;
 * - an automatic reply is kept as such, never as an answer, and tells the coordinators the
 *   contact is away (until when, when it says);
 * - a bounce marks the outbox email BOUNCED, remembers the contact's address as bounced
 *   (supplier reminders skip it until the address changes) and tells the coordinators.
 */
@Injectable()
export class SupplierInbox {
  private readonly logger = new Logger(SupplierInbox.name);

  constructor(
    private readonly transitions: OrderTransitionService,
    private readonly outbox: Outbox,
    private readonly addresses: InboundAddresses,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether mail to this address of ours may be accepted (asked at RCPT TO, before any
   * data): a reply address of an existing link, or a return path with a valid MAC of an
   * existing email. A tampered or unknown address is refused there.
   */
  async knows(address: InboundAddress): Promise<boolean> {
    return this.transitions.inTransaction(async (tx) => {
      if (address.kind === 'reply') return (await this.linkOf(tx, address.token)) !== null;
      if (!this.addresses.verifyReturnPath(address)) return false;
      const rows: unknown[] = await tx.query('SELECT 1 FROM outbox_email WHERE id = $1', [address.emailId]);
      return rows.length > 0;
    });
  }

  /** Records a reply or an automatic reply sent to the reply address with this token. */
  async receive(token: string, message: ReceivedMessage): Promise<InboundOutcome> {
    return this.transitions.inTransaction(async (tx) => {
      const found = await this.linkOf(tx, token);
      if (!found) throw notFound('Reply address', token.slice(0, 8));
      // Order first, then everything else: the lock order of every writer of links.
      const order = await this.transitions.lock(tx, found.orderId, { facts: false });
      const link = await this.linkOf(tx, token);
      if (!link) throw notFound('Reply address', token.slice(0, 8));
      const current = await this.isCurrentRound(tx, link, order.state);
      const fromRecipient = message.fromAddress === link.contactEmail.toLowerCase();
      const held = message.kind === 'REPLY' && !fromRecipient;
      const messageId = randomUUID();
      const inserted: unknown[] = await tx.query(
        `INSERT INTO supplier_message (id, order_id, link_id, contact_id, kind, status, late, from_address,
                                       from_name, subject, body, message_id_header, away_until, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          messageId,
          link.orderId,
          link.linkId,
          link.contactId,
          message.kind,
          held ? 'HELD' : 'RECORDED',
          !current,
          message.fromAddress,
          message.fromName,
          message.subject,
          message.body,
          message.messageIdHeader,
          message.awayUntil,
          this.clock.now(),
        ],
      );
      if (inserted.length === 0) return { kind: 'duplicate' };
      for (const attachment of message.attachments) {
        await tx.query(
          `INSERT INTO supplier_message_attachment (id, message_id, filename, content_type, size_bytes, content)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            randomUUID(),
            messageId,
            attachment.filename,
            attachment.contentType,
            attachment.content.length,
            attachment.content,
          ],
        );
      }
      const from = message.fromName ? `${message.fromName} (${message.fromAddress})` : message.fromAddress;
      if (held) {
        await this.notify(tx, link.orderId, { emailKind: 'HELD', from, text: excerpt(message.body) });
        return { kind: 'held', messageId };
      }
      if (message.kind === 'AUTO_REPLY') {
        await this.notify(tx, link.orderId, {
          emailKind: 'AWAY',
          from: link.contactName ? `${link.contactName} (${link.contactEmail})` : link.contactEmail,
          text: excerpt(message.body),
          awayUntil: message.awayUntil,
        });
        return { kind: 'recorded', messageId, late: !current, moved: false };
      }
      const moved = current && order.state !== 'onHold';
      // A reply that moves the order is told by its consequence (TELL_COORDINATORS_SUPPLIER_WROTE).
      if (moved) await this.applyWrote(tx, link, messageId);
      else
        await this.notify(tx, link.orderId, {
          emailKind: current ? 'REPLY' : 'LATE',
          from,
          text: excerpt(message.body),
        });
      return { kind: 'recorded', messageId, late: !current, moved };
    });
  }

  /**
   * A coordinator accepts a held message as the recipient's: it is recorded as if the
   * recipient had sent it (SUPPLIER_WROTE, when its round is still current), with the
   * coordinator's name on the message. Returns the order id. NOT_FOUND for an unknown id;
   * BAD_USER_INPUT when the message is not held.
   */
  async acceptHeld(messageId: string, coordinator: string): Promise<string> {
    return this.decideHeld(messageId, async (tx, message, link, state) => {
      const current = await this.isCurrentRound(tx, link, state);
      await tx.query(
        `UPDATE supplier_message SET status = 'RECORDED', late = $2, decided_by = $3, decided_at = $4
          WHERE id = $1`,
        [message.id, !current, coordinator, this.clock.now()],
      );
      if (current && state !== 'onHold') await this.applyWrote(tx, link, messageId);
    });
  }

  /** A coordinator throws a held message away; it stays listed as DISCARDED. Same errors as acceptHeld. */
  async discardHeld(messageId: string, coordinator: string): Promise<string> {
    return this.decideHeld(messageId, async (tx, message) => {
      await tx.query(
        `UPDATE supplier_message SET status = 'DISCARDED', decided_by = $2, decided_at = $3 WHERE id = $1`,
        [message.id, coordinator, this.clock.now()],
      );
    });
  }

  /**
   * A delivery failure of one of our emails: found by its VERP return path, else by the
   * Message-ID in the returned headers. A SENT email becomes BOUNCED with the reason (kept in
   * last_error); the contact with that address is marked bounced; the coordinators are told
   * (unless the bounced email was to the coordinators themselves: that would only bounce again).
   */
  async bounce(
    match: { emailId: string | null; messageIds: string[] },
    reason: string,
  ): Promise<InboundOutcome> {
    return this.transitions.inTransaction(async (tx) => {
      const rows: {
        id: string;
        orderId: string | null;
        template: string;
        recipientEmail: string;
        status: string;
      }[] = await tx.query(
        `SELECT id, order_id AS "orderId", template, recipient_email AS "recipientEmail", status
             FROM outbox_email WHERE id = $1 OR message_id = ANY($2::text[])
            ORDER BY (id = $1) DESC LIMIT 1`,
        [match.emailId, match.messageIds],
      );
      const email = rows[0];
      if (!email) return { kind: 'unmatched' };
      // Lock the order first, as every other writer does, so the contact's mark and the email agree.
      if (email.orderId) await this.transitions.lock(tx, email.orderId, { facts: false });
      const now = this.clock.now();
      const updated: unknown[] = await tx.query(
        `UPDATE outbox_email SET status = 'BOUNCED', bounced_at = $2, last_error = $3
          WHERE id = $1 AND status IN ('SENT', 'BOUNCED') RETURNING id`,
        [email.id, now, `bounced: ${reason}`.slice(0, 2000)],
      );
      if (updated.length === 0) {
        this.logger.warn(`bounce for email ${email.id} in status ${email.status}: not marked`);
        return { kind: 'bounced', emailId: email.id };
      }
      await tx.query(
        `UPDATE supplier_contact SET bounced_email = email, bounced_at = $2 WHERE lower(email) = lower($1)`,
        [email.recipientEmail, now],
      );
      if (email.orderId && !email.template.startsWith('COORDINATOR_')) {
        await this.notify(tx, email.orderId, {
          emailKind: 'BOUNCED',
          from: email.recipientEmail,
          text: reason.slice(0, NOTICE_TEXT_LENGTH),
        });
      }
      return { kind: 'bounced', emailId: email.id };
    });
  }

  private async decideHeld(
    messageId: string,
    decide: (tx: EntityManager, message: { id: string }, link: LinkRow, orderState: string) => Promise<void>,
  ): Promise<string> {
    return this.transitions.inTransaction(async (tx) => {
      const found: { orderId: string }[] = await tx.query(
        'SELECT order_id AS "orderId" FROM supplier_message WHERE id = $1',
        [messageId],
      );
      const orderId = found[0]?.orderId;
      if (!orderId) throw notFound('Supplier message', messageId);
      const order = await this.transitions.lock(tx, orderId, { facts: false });
      const rows: (LinkRow & { messageStatus: string })[] = await tx.query(
        `SELECT m.status AS "messageStatus", ${LINK_COLUMNS}
           FROM supplier_message m JOIN reply_link l ON l.id = m.link_id
           JOIN supplier_contact c ON c.id = l.contact_id
          WHERE m.id = $1 FOR UPDATE OF m`,
        [messageId],
      );
      const row = rows[0];
      if (!row) throw notFound('Supplier message', messageId);
      if (row.messageStatus !== 'HELD') {
        throw new SnitflowError(
          ErrorCode.BAD_USER_INPUT,
          `Only a held message can be accepted or discarded; this one is ${row.messageStatus}`,
          { fields: ['messageId'] },
        );
      }
      await decide(tx, { id: messageId }, row, order.state);
      return orderId;
    });
  }

  /** SUPPLIER_WROTE as the recipient, noted on the message; returns the order version it produced. */
  private async applyWrote(tx: EntityManager, link: LinkRow, messageId: string): Promise<number> {
    const result = await this.transitions.apply(
      {
        orderId: link.orderId,
        actor: { id: link.contactEmail, role: 'supplier', displayName: link.contactName },
        event: { type: 'SUPPLIER_WROTE', messageId },
      },
      tx,
    );
    await tx.query('UPDATE supplier_message SET order_version = $2 WHERE id = $1', [
      messageId,
      result.order.version,
    ]);
    return result.order.version;
  }

  /**
   * Is the link's round still the one waited for? The order waits for (or is reading) the
   * supplier, the link was not used, and nothing asked the supplier anew since it was issued.
   * Reminders retire links too but ask the same question, so a reply to the first email after
   * a reminder still answers this round.
   */
  private async isCurrentRound(tx: EntityManager, link: LinkRow, orderState: string): Promise<boolean> {
    if (link.status === 'USED') return false;
    if (!REPLYING_STATES.includes(orderState) && orderState !== 'onHold') return false;
    const newer: unknown[] = await tx.query(
      'SELECT 1 FROM order_event WHERE order_id = $1 AND version > $2 AND type = ANY($3::text[]) LIMIT 1',
      [link.orderId, link.issuedAtVersion, ROUND_STARTING_EVENTS],
    );
    return newer.length === 0;
  }

  private async linkOf(tx: EntityManager, token: string): Promise<LinkRow | null> {
    const rows: LinkRow[] = await tx.query(
      `SELECT ${LINK_COLUMNS} FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id
        WHERE l.reply_address_hash = $1`,
      [hashReplyToken(token)],
    );
    return rows[0] ?? null;
  }

  private async notify(tx: EntityManager, orderId: string, data: OutboxEmail['data']): Promise<void> {
    await this.outbox.add(tx, [
      {
        orderId,
        template: 'COORDINATOR_SUPPLIER_EMAIL',
        language: 'da',
        recipientEmail: this.config.COORDINATOR_EMAIL,
        recipientName: this.config.COORDINATOR_NAME,
        data,
        notBefore: this.clock.now(),
      },
    ]);
  }
}

const LINK_COLUMNS = `l.id AS "linkId", l.order_id AS "orderId", l.contact_id AS "contactId",
  c.email AS "contactEmail", c.name AS "contactName", l.issued_at_version AS "issuedAtVersion", l.status`;

function excerpt(text: string): string {
  return text.length > NOTICE_TEXT_LENGTH ? `${text.slice(0, NOTICE_TEXT_LENGTH)} …` : text;
}
