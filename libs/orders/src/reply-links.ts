import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { hashReplyToken } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';
import { InboundAddresses } from './inbound-addresses.js';

/** How long after the answer deadline a link still works. */
const GRACE_DAYS = 14;

/** The state in which a link answers; the reply page refuses links of orders in any other. */
const ANSWERING_STATE = 'negotiation.awaitingSupplier';

/**
 * What whyDead judges a reply link by: its status (ACTIVE, USED, RETIRED), when it expires, the
 * state of its order, and the SHA-256 of its token (reply_link.token_hash).
 */
export interface ReplyLinkState {
  status: string;
  expiresAt: Date;
  orderState: string;
  tokenHash: string;
}

/**
 * Reply links: one per recipient per round. The token is
 * HMAC-SHA256(secret, link id) — 256 bits no one can guess without the
 * secret — so it can be rebuilt when the email is rendered, while the
 * database keeps only its SHA-256 hash.
 */
@Injectable()
export class ReplyLinks {
  private readonly key: Buffer;
  private readonly baseUrl: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly addresses: InboundAddresses,
  ) {
    // A key of its own, derived with a purpose label, so a reply token never doubles as anything else.
    this.key = createHmac('sha256', config.REPLY_LINK_SECRET).update('snitflow:reply-links').digest();
    this.baseUrl = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  }

  tokenFor(linkId: string): string {
    return createHmac('sha256', this.key).update(linkId).digest('base64url').slice(0, 43);
  }

  urlFor(linkId: string): string {
    return `${this.baseUrl}/reply/${this.tokenFor(linkId)}`;
  }

  /**
   * Retires the order's active links and issues one per recipient for this
   * round, in the caller's transaction. Returns link ids by contact id.
   *
   * The caller must hold the order's row lock (every transition does): whoever
   * locks links takes the order's lock first — the supplier's answer too — so
   * no two transactions wait for each other's order and link in opposite order.
   */
  async issue(
    tx: EntityManager,
    order: { id: string; version: number },
    contactIds: readonly string[],
    expiresAt: Date,
  ): Promise<Map<string, string>> {
    const [links] = await this.issueMany(tx, [{ order, contactIds, expiresAt }]);
    return links ?? new Map();
  }

  /**
   * `issue` for several orders at once (a burst of reminders), in two statements whatever their
   * number: every order's active links retired, then all new links inserted. Returns, per round
   * in the order given, link ids by contact id. The caller holds every order's row lock.
   */
  async issueMany(
    tx: EntityManager,
    rounds: readonly {
      order: { id: string; version: number };
      contactIds: readonly string[];
      expiresAt: Date;
    }[],
  ): Promise<Map<string, string>[]> {
    if (rounds.length === 0) return [];
    await tx.query(
      "UPDATE reply_link SET status = 'RETIRED' WHERE order_id = ANY($1::uuid[]) AND status = 'ACTIVE'",
      [rounds.map((round) => round.order.id)],
    );
    const rows: {
      id: string;
      tokenHash: string;
      orderId: string;
      contactId: string;
      version: number;
      expiresAt: string;
      addressHash: string;
    }[] = [];
    const result = rounds.map((round) => {
      const links = new Map<string, string>();
      for (const contactId of round.contactIds) {
        const id = randomUUID();
        rows.push({
          id,
          tokenHash: hashReplyToken(this.tokenFor(id)),
          orderId: round.order.id,
          contactId,
          version: round.order.version,
          expiresAt: round.expiresAt.toISOString(),
          // Stored whether or not email replies are on, so turning them on later finds every link.
          addressHash: this.addresses.replyAddressHash(id),
        });
        links.set(contactId, id);
      }
      return links;
    });
    if (rows.length === 0) return result;
    await tx.query(
      `INSERT INTO reply_link (id, token_hash, order_id, contact_id, issued_at_version, expires_at,
                               reply_address_hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::int[], $6::timestamptz[], $7::text[])`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.tokenHash),
        rows.map((row) => row.orderId),
        rows.map((row) => row.contactId),
        rows.map((row) => row.version),
        rows.map((row) => row.expiresAt),
        rows.map((row) => row.addressHash),
      ],
    );
    return result;
  }

  /**
   * Why the link can never answer again, as a phrase ("its reply link
   * expired"): used, retired by a newer round, expired, or its order moved
   * on. Null while it still can, now or once its order's hold ends (resuming
   * returns to the same round and links). Also null for an id with no link
   * at all: nothing to judge (only synthetic outbox rows carry such ids; the
   * reply page says the link does not work).
   */
  async whyDead(tx: EntityManager, linkId: string, now: Date): Promise<string | null> {
    const rows: ReplyLinkState[] = await tx.query(
      `SELECT l.status, l.expires_at AS "expiresAt", o.state AS "orderState", l.token_hash AS "tokenHash"
         FROM reply_link l JOIN interface_order o ON o.id = l.order_id WHERE l.id = $1`,
      [linkId],
    );
    return this.whyDeadOf(linkId, rows[0] ?? null, now);
  }

  /**
   * whyDead for a link already read (null: no such link), so a caller that reads it together with
   * other rows in one statement (the email sender's claim) judges it the same way.
   */
  whyDeadOf(linkId: string, link: ReplyLinkState | null, now: Date): string | null {
    if (!link) return null;
    if (link.status === 'USED') return 'its reply link was used to answer';
    // Every other way back to awaiting the supplier starts a new round, which retires this link.
    if (link.orderState !== ANSWERING_STATE && link.orderState !== 'onHold')
      return `its order moved on (to ${link.orderState})`;
    if (link.status === 'RETIRED') return 'its reply link was retired (a newer round replaced it)';
    if (link.expiresAt.getTime() < now.getTime()) return 'its reply link expired';
    // Issued under another REPLY_LINK_SECRET: the token built now would match no link.
    if (hashReplyToken(this.tokenFor(linkId)) !== link.tokenHash)
      return 'its reply link was issued under another REPLY_LINK_SECRET';
    return null;
  }

  /** Links expire a grace period after the answer deadline (or after issue, without one). */
  expiryFor(dueAt: Date | null, now: Date): Date {
    const base = dueAt && dueAt > now ? dueAt : now;
    return new Date(base.getTime() + GRACE_DAYS * 24 * 3600 * 1000);
  }
}
