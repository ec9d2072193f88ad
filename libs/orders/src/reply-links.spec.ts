import { loadConfig } from '@snitflow/config';
import { hashReplyToken, isWellFormedReplyToken } from '@snitflow/mail';
import { ReplyLinks } from './reply-links.js';

const LINK_ID = '7a0c3a52-6a6f-4a56-9a7e-1f3f2b1c0d9e';

describe('reply link tokens', () => {
  it('are keyed by REPLY_LINK_SECRET: rotating JWT_SECRET leaves them, rotating it changes them', () => {
    const base = { JWT_SECRET: 'j'.repeat(40), REPLY_LINK_SECRET: 'r'.repeat(40) };
    const token = new ReplyLinks(loadConfig(base)).tokenFor(LINK_ID);
    expect(isWellFormedReplyToken(token)).toBe(true);
    expect(new ReplyLinks(loadConfig({ ...base, JWT_SECRET: 'k'.repeat(40) })).tokenFor(LINK_ID)).toBe(token);
    expect(
      new ReplyLinks(loadConfig({ ...base, REPLY_LINK_SECRET: 's'.repeat(40) })).tokenFor(LINK_ID),
    ).not.toBe(token);
  });

  it('differ per link, and are not the link id or its hash', () => {
    const links = new ReplyLinks(loadConfig({}));
    const other = links.tokenFor('0b5e7c8d-1111-4222-8333-944455566677');
    const token = links.tokenFor(LINK_ID);
    expect(token).not.toBe(other);
    expect(token).not.toContain(LINK_ID);
    expect(hashReplyToken(token)).not.toBe(token);
  });
});
