import type { AppConfig } from '@snitflow/config';
import { loadConfig } from '@snitflow/config';
import { hashReplyToken, isWellFormedReplyToken } from '@snitflow/mail';
import { InboundAddresses } from './inbound-addresses.js';
import { ReplyLinks } from './reply-links.js';

const linksOf = (config: AppConfig) => new ReplyLinks(config, new InboundAddresses(config));

const LINK_ID = '7a0c3a52-6a6f-4a56-9a7e-1f3f2b1c0d9e';

describe('reply link tokens', () => {
  it('are keyed by REPLY_LINK_SECRET: rotating JWT_SECRET leaves them, rotating it changes them', () => {
    const base = { JWT_SECRET: 'j'.repeat(40), REPLY_LINK_SECRET: 'r'.repeat(40) };
    const token = linksOf(loadConfig(base)).tokenFor(LINK_ID);
    expect(isWellFormedReplyToken(token)).toBe(true);
    expect(linksOf(loadConfig({ ...base, JWT_SECRET: 'k'.repeat(40) })).tokenFor(LINK_ID)).toBe(token);
    expect(linksOf(loadConfig({ ...base, REPLY_LINK_SECRET: 's'.repeat(40) })).tokenFor(LINK_ID)).not.toBe(
      token,
    );
  });

  it('differ per link, and are not the link id or its hash', () => {
    const links = linksOf(loadConfig({}));
    const other = links.tokenFor('0b5e7c8d-1111-4222-8333-944455566677');
    const token = links.tokenFor(LINK_ID);
    expect(token).not.toBe(other);
    expect(token).not.toContain(LINK_ID);
    expect(hashReplyToken(token)).not.toBe(token);
  });
});

describe('InboundAddresses', () => {
  const config = loadConfig({ INBOUND_EMAIL_DOMAIN: 'svar.example' });
  const addresses = new InboundAddresses(config);

  it('gives each link a reply address whose token is not the link token, and finds it by hash', () => {
    const address = addresses.replyAddressFor(LINK_ID);
    expect(address).toMatch(/^r-[a-z2-7]{52}@svar\.example$/);
    const parsed = addresses.parse(address ?? '');
    expect(parsed?.kind).toBe('reply');
    if (parsed?.kind !== 'reply') throw new Error('not a reply address');
    expect(hashReplyToken(parsed.token)).toBe(addresses.replyAddressHash(LINK_ID));
    expect(parsed.token).not.toContain(linksOf(config).tokenFor(LINK_ID));
  });

  it('verifies its own return paths and refuses a tampered one', () => {
    const emailId = '5f0f3c3e-2b0b-4a57-9d59-2f1c5f0d7c11';
    const parsed = addresses.parse(addresses.returnPathFor(emailId) ?? '');
    if (parsed?.kind !== 'bounce') throw new Error('not a return path');
    expect(parsed.emailId).toBe(emailId);
    expect(addresses.verifyReturnPath(parsed)).toBe(true);
    expect(
      addresses.verifyReturnPath({
        ...parsed,
        mac:
          `${parsed.mac.slice(0, -1)}a` === parsed.mac
            ? `${parsed.mac.slice(0, -1)}b`
            : `${parsed.mac.slice(0, -1)}a`,
      }),
    ).toBe(false);
    expect(addresses.verifyReturnPath({ ...parsed, emailId: LINK_ID })).toBe(false);
  });

  it('makes no addresses while email replies are off', () => {
    const off = new InboundAddresses(loadConfig({}));
    expect(off.replyAddressFor(LINK_ID)).toBeNull();
    expect(off.returnPathFor(LINK_ID)).toBeNull();
  });
});
