import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { hashReplyToken } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';

/** How long after the answer deadline a link still works. */
const GRACE_DAYS = 14;

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

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // A key of its own, derived from the one secret, so a reply token never doubles as anything else.
    this.key = createHmac('sha256', config.JWT_SECRET).update('snitflow:reply-links').digest();
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
   */
  async issue(
    tx: EntityManager,
    order: { id: string; version: number },
    contactIds: readonly string[],
    expiresAt: Date,
  ): Promise<Map<string, string>> {
    await tx.query("UPDATE reply_link SET status = 'RETIRED' WHERE order_id = $1 AND status = 'ACTIVE'", [
      order.id,
    ]);
    const links = new Map<string, string>();
    for (const contactId of contactIds) {
      const id = randomUUID();
      await tx.query(
        `INSERT INTO reply_link (id, token_hash, order_id, contact_id, issued_at_version, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, hashReplyToken(this.tokenFor(id)), order.id, contactId, order.version, expiresAt],
      );
      links.set(contactId, id);
    }
    return links;
  }

  /** Links expire a grace period after the answer deadline (or after issue, without one). */
  expiryFor(dueAt: Date | null, now: Date): Date {
    const base = dueAt && dueAt > now ? dueAt : now;
    return new Date(base.getTime() + GRACE_DAYS * 24 * 3600 * 1000);
  }
}
