import { createHash, randomBytes } from 'node:crypto';
import {
  csrfTokenFor,
  hashReplyToken,
  isWellFormedReplyToken,
  MailInputError,
  verifyCsrfToken,
} from './index.js';

/** A token of the shape ReplyLinks makes: 32 bytes, unpadded base64url. */
const randomToken = (): string => randomBytes(32).toString('base64url');

describe('reply tokens', () => {
  it('are recognised as 43 base64url characters (256 bits), with their SHA-256 hex as hash', () => {
    const tokens = new Set<string>();
    const hashes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const token = randomBytes(32).toString('base64url');
      const hash = hashReplyToken(token);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(isWellFormedReplyToken(token)).toBe(true);
      tokens.add(token);
      hashes.add(hash);
    }
    expect(tokens.size).toBe(1000);
    expect(hashes.size).toBe(1000);
  });

  it('hash is stable and lowercase hex', () => {
    expect(hashReplyToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = randomBytes(32).toString('base64url');
    const hash = hashReplyToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReplyToken(token)).toBe(hashReplyToken(token));
  });

  it('well-formedness accepts exactly the generated shape', () => {
    const token = randomToken();
    const bad: unknown[] = [
      '',
      token.slice(0, 42),
      `${token}A`,
      `${token.slice(0, 42)}=`,
      `${token.slice(0, 41)}+A`,
      `${token.slice(0, 41)}/A`,
      ` ${token.slice(1)}`,
      `${token.slice(0, 42)}\n`,
      // Last character with spare low bits set: decodes, but generate never produces it.
      `${token.slice(0, 42)}B`,
      `${token.slice(0, 42)}_`,
      Buffer.from(token).toString('hex'),
      null,
      undefined,
      43,
      [token],
    ];
    for (const value of bad) expect(isWellFormedReplyToken(value)).toBe(false);
    for (const last of 'AEIMQUYcgkosw048')
      expect(isWellFormedReplyToken(`${token.slice(0, 42)}${last}`)).toBe(true);
  });
});

describe('CSRF tokens', () => {
  const secret = 'a-test-secret-that-is-long-enough-0123456789';
  const hash = hashReplyToken(randomToken());
  const other = hashReplyToken(randomToken());
  const issuedAt = 1_760_000_000_000;
  const hour = 3_600_000;

  it('have the form issuedAt.mac and verify for the same secret and token within max age', () => {
    const csrf = csrfTokenFor(secret, hash, issuedAt);
    expect(csrf).toMatch(/^1760000000000\.[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenFor(secret, hash, issuedAt)).toBe(csrf);
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt, hour)).toBe(true);
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt + hour, hour)).toBe(true);
    // A little clock skew between instances is tolerated.
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt - 30_000, hour)).toBe(true);
  });

  it('reject another reply token, another secret, expiry and the future', () => {
    const csrf = csrfTokenFor(secret, hash, issuedAt);
    expect(verifyCsrfToken(secret, other, csrf, issuedAt, hour)).toBe(false);
    expect(verifyCsrfToken(`${secret}x`, hash, csrf, issuedAt, hour)).toBe(false);
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt + hour + 1, hour)).toBe(false);
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt - 10 * 60_000, hour)).toBe(false);
  });

  it('reject tampered values', () => {
    const csrf = csrfTokenFor(secret, hash, issuedAt);
    const [time, mac = ''] = csrf.split('.');
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    // A later issue time would extend the lifetime: it must not verify with the old MAC.
    expect(verifyCsrfToken(secret, hash, `${issuedAt + 1000}.${mac}`, issuedAt + 1000, hour)).toBe(false);
    expect(
      verifyCsrfToken(secret, hash, `${time}.${flip(mac[0] ?? '')}${mac.slice(1)}`, issuedAt, hour),
    ).toBe(false);
    // The last character's spare bits: same bytes when decoded, still a different token.
    expect(
      verifyCsrfToken(secret, hash, `${time}.${mac.slice(0, 42)}${flip(mac[42] ?? '')}`, issuedAt, hour),
    ).toBe(false);
    expect(verifyCsrfToken(secret, hash, `0${csrf}`, issuedAt, hour)).toBe(false);
  });

  it.each([
    '',
    'abc',
    '1760000000000',
    '1760000000000.',
    '.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    '1760000000000.abc',
    '1760000000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR',
    '1760000000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+',
    '-1.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    '1e12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    '99999999999999999.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    '1760000000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ.x',
  ])('reject the malformed value %j', (csrf) => {
    expect(verifyCsrfToken(secret, hash, csrf, issuedAt, hour)).toBe(false);
  });

  it('reject non-strings and a malformed token hash without throwing', () => {
    const csrf = csrfTokenFor(secret, hash, issuedAt);
    expect(verifyCsrfToken(secret, hash, undefined as unknown as string, issuedAt, hour)).toBe(false);
    expect(verifyCsrfToken(secret, hash, [csrf] as unknown as string, issuedAt, hour)).toBe(false);
    expect(verifyCsrfToken(secret, hash.toUpperCase(), csrf, issuedAt, hour)).toBe(false);
    expect(verifyCsrfToken(secret, 'x', csrf, issuedAt, hour)).toBe(false);
  });

  it('treat a weak secret or bad arguments as programming errors', () => {
    expect(() => csrfTokenFor('short', hash, issuedAt)).toThrow(MailInputError);
    expect(() => csrfTokenFor(secret, 'not-a-hash', issuedAt)).toThrow(MailInputError);
    expect(() => csrfTokenFor(secret, hash, -1)).toThrow(MailInputError);
    expect(() => csrfTokenFor(secret, hash, 1.5)).toThrow(MailInputError);
    expect(() => verifyCsrfToken('', hash, 'x', issuedAt, hour)).toThrow(MailInputError);
    expect(() => verifyCsrfToken(secret, hash, 'x', issuedAt, Number.NaN)).toThrow(MailInputError);
  });
});
