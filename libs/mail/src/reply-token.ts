import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MailInputError } from './errors.js';

/**
 * Reply links carry a bearer token: whoever has the link can answer for the supplier. The
 * token is 32 bytes from a keyed PRF (HMAC-SHA256 under the reply-link secret, see
 * ReplyLinks in libs/orders), so it is unguessable without that secret; only its SHA-256 is
 * stored, so a leaked database alone does not yield working links. A plain hash (no salt or
 * slow KDF) suffices because the token has 256 bits of entropy.
 */

/**
 * 32 bytes in unpadded base64url are 43 characters; the last one carries only 4 data bits
 * (its 2 low bits are zero), so it is one of these 16. Checking it makes the shape check exact.
 */
const REPLY_TOKEN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 of the token as lowercase hex: the value to store and to look a token up by. */
export function hashReplyToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * True only for the shape of a token (32 bytes, unpadded base64url), so a caller can reject garbage
 * before touching the database (and before spending a rate-limit slot on a lookup).
 */
export function isWellFormedReplyToken(token: unknown): token is string {
  return typeof token === 'string' && REPLY_TOKEN.test(token);
}

// Prefix so that an HMAC made with the same secret for another purpose never verifies here.
const CSRF_CONTEXT = 'snitflow/reply-form/csrf/v1';
const CSRF_TOKEN = /^(0|[1-9]\d{0,15})\.([A-Za-z0-9_-]{43})$/;
/** Tolerated clock difference between the instances that issue and verify a form. */
const CLOCK_SKEW_MS = 60_000;
/** The same floor as JWT_SECRET in config: shorter secrets make the HMAC guessable. */
const MIN_SECRET_LENGTH = 32;

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new MailInputError(`the CSRF secret must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function assertInstant(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MailInputError(`${what} must be a non-negative integer number of milliseconds`);
  }
}

function csrfMac(secret: string, tokenHash: string, issuedAt: number): Buffer {
  return createHmac('sha256', secret).update(`${CSRF_CONTEXT}\n${tokenHash}\n${issuedAt}`, 'utf8').digest();
}

/**
 * A CSRF token bound to one reply token (by its hash) and to the moment the form was issued:
 * `${issuedAt}.${base64url(HMAC-SHA256)}`. Stateless, so no session store is needed for a
 * page that suppliers reach without an account.
 */
export function csrfTokenFor(secret: string, tokenHash: string, issuedAt: number): string {
  assertSecret(secret);
  if (typeof tokenHash !== 'string' || !SHA256_HEX.test(tokenHash)) {
    throw new MailInputError('tokenHash must be a SHA-256 hex digest (use hashReplyToken)');
  }
  assertInstant(issuedAt, 'issuedAt');
  return `${issuedAt}.${csrfMac(secret, tokenHash, issuedAt).toString('base64url')}`;
}

/**
 * True only if `csrf` was issued by csrfTokenFor with this secret for this token hash, and is
 * at most maxAgeMs old (and not from the future beyond a minute of clock skew). Malformed
 * input of any kind is false, never an exception; a bad secret or bad limits are programming
 * errors and throw.
 */
export function verifyCsrfToken(
  secret: string,
  tokenHash: string,
  csrf: string,
  now: number,
  maxAgeMs: number,
): boolean {
  assertSecret(secret);
  assertInstant(now, 'now');
  assertInstant(maxAgeMs, 'maxAgeMs');
  if (typeof tokenHash !== 'string' || !SHA256_HEX.test(tokenHash)) return false;
  if (typeof csrf !== 'string') return false;
  const match = CSRF_TOKEN.exec(csrf);
  if (!match) return false;
  const issuedAt = Number(match[1]);
  if (!Number.isSafeInteger(issuedAt)) return false;
  if (issuedAt > now + CLOCK_SKEW_MS || now - issuedAt > maxAgeMs) return false;
  // Compared as text, not decoded bytes: base64url decoding ignores the spare low bits of the
  // last character, so a decoded comparison would accept altered spellings of the same MAC.
  const given = Buffer.from(match[2] ?? '', 'ascii');
  const expected = Buffer.from(csrfMac(secret, tokenHash, issuedAt).toString('base64url'), 'ascii');
  // Length is fixed by the pattern, but timingSafeEqual throws on a mismatch, so check anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
