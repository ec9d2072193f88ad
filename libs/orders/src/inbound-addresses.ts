import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import {
  base32,
  bounceLocalPart,
  hashReplyToken,
  type InboundAddress,
  parseInboundAddress,
  replyLocalPart,
} from '@snitflow/mail';

/**
 * The addresses under INBOUND_EMAIL_DOMAIN that lead back into snitflow:
 * - a Reply-To per reply link (one recipient, one round): `r-<token>@domain`, the token
 *   HMAC-SHA256 of the link id under a key derived from REPLY_LINK_SECRET for this purpose
 *   only — 256 bits, as strong as the link's own token, and a different one, so the address
 *   (which mail clients show and copy around) does not open the reply page. Only its SHA-256
 *   is stored (reply_link.reply_address_hash);
 * - a VERP return path per outbox email: `b-<email id>-<80-bit MAC>@domain`, where bounces of
 *   that one email come back (RFC 5321 envelope sender).
 * Without INBOUND_EMAIL_DOMAIN there are none: emails carry no Reply-To and no VERP sender.
 */
@Injectable()
export class InboundAddresses {
  readonly domain: string | null;
  private readonly replyKey: Buffer;
  private readonly bounceKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.domain = config.INBOUND_EMAIL_DOMAIN || null;
    this.replyKey = createHmac('sha256', config.REPLY_LINK_SECRET).update('snitflow:reply-address').digest();
    this.bounceKey = createHmac('sha256', config.REPLY_LINK_SECRET).update('snitflow:return-path').digest();
  }

  /** The token in the reply address of a link (52 base32 characters). */
  replyToken(linkId: string): string {
    return base32(createHmac('sha256', this.replyKey).update(linkId).digest());
  }

  /** What reply_link.reply_address_hash holds for a link. */
  replyAddressHash(linkId: string): string {
    return hashReplyToken(this.replyToken(linkId));
  }

  /** The Reply-To of the emails of one link, or null when email replies are off. */
  replyAddressFor(linkId: string): string | null {
    if (!this.domain) return null;
    return `${replyLocalPart(createHmac('sha256', this.replyKey).update(linkId).digest())}@${this.domain}`;
  }

  /** The envelope sender of one outbox email, or null when email replies are off. */
  returnPathFor(emailId: string): string | null {
    if (!this.domain) return null;
    return `${bounceLocalPart(emailId, this.bounceMac(emailId))}@${this.domain}`;
  }

  /** One of our addresses, its shape checked (not yet whether it exists), or null. */
  parse(address: string): InboundAddress | null {
    return this.domain ? parseInboundAddress(address, this.domain) : null;
  }

  /** True when a return path's MAC is the one we made for that email (constant-time). */
  verifyReturnPath(address: Extract<InboundAddress, { kind: 'bounce' }>): boolean {
    const expected = Buffer.from(base32(this.bounceMac(address.emailId).subarray(0, 10)));
    const given = Buffer.from(address.mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private bounceMac(emailId: string): Buffer {
    return createHmac('sha256', this.bounceKey).update(emailId.toLowerCase()).digest();
  }
}
