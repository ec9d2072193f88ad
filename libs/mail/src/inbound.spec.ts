import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import {
  awayUntil,
  base32,
  bounceLocalPart,
  classifyInbound,
  deliveryFailure,
  newReplyText,
  parseInboundAddress,
  replyLocalPart,
} from './inbound.js';

/** An .eml sample written here, for this project: headers, a blank line, the body. */
function eml(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ 'MIME-Version': '1.0', ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

const plain = (subject: string, body: string, extra: Record<string, string> = {}) =>
  eml(
    {
      From: 'Per Leverandør <per@kmd.example>',
      To: 'r-x@svar.example',
      Subject: subject,
      'Content-Type': 'text/plain; charset=utf-8',
      ...extra,
    },
    body,
  );

describe('reply and bounce addresses', () => {
  it('encodes 32 bytes as 52 lower-case base32 characters, and RFC 4648 test vectors', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    const local = replyLocalPart(randomBytes(32));
    expect(local).toMatch(/^r-[a-z2-7]{52}$/);
    expect(local.length).toBeLessThanOrEqual(64); // RFC 5321 4.5.3.1.1
  });

  it('reads its own addresses back, case-insensitively, and nothing else', () => {
    const token = randomBytes(32);
    const local = replyLocalPart(token);
    expect(parseInboundAddress(`${local.toUpperCase()}@SVAR.example`, 'svar.example')).toEqual({
      kind: 'reply',
      token: local.slice(2),
    });
    const emailId = '0b6e9f0e-8a53-4a57-9d59-2f1c5f0d7c11';
    const bounce = bounceLocalPart(emailId, randomBytes(32));
    expect(bounce.length).toBeLessThanOrEqual(64);
    expect(parseInboundAddress(`${bounce}@svar.example`, 'svar.example')).toMatchObject({
      kind: 'bounce',
      emailId,
    });
    expect(parseInboundAddress(`${local}@other.example`, 'svar.example')).toBeNull();
    expect(parseInboundAddress(`${local.slice(0, -1)}@svar.example`, 'svar.example')).toBeNull();
    expect(parseInboundAddress('postmaster@svar.example', 'svar.example')).toBeNull();
    expect(parseInboundAddress('no-at-sign', 'svar.example')).toBeNull();
  });
});

describe('newReplyText', () => {
  it.each([
    [
      'Danish Gmail/Apple "Den … skrev:"',
      'Vi kan levere den 1. marts.\n\nDen man. 30. nov. 2026 kl. 10.00 skrev snitflow <noreply@kombit.example>:\n> Kære Per\n> Bestillingen …\n',
    ],
    [
      'Danish without an address',
      'Vi kan levere den 1. marts.\n\nDen 30. november 2026 skrev KOMBIT koordinatorer:\n\n> Kære Per\n',
    ],
    [
      'English "On … wrote:"',
      'Vi kan levere den 1. marts.\n\nOn Mon, 30 Nov 2026 at 10:00, snitflow <noreply@kombit.example> wrote:\n> Dear Per\n',
    ],
    [
      'Outlook Danish separator',
      'Vi kan levere den 1. marts.\n\n-----Oprindelig meddelelse-----\nFra: snitflow\nSendt: 30. november 2026 10:00\nTil: Per\nEmne: Bestilling\n\nKære Per',
    ],
    [
      'Outlook Danish header block',
      'Vi kan levere den 1. marts.\n\nFra: snitflow <noreply@kombit.example>\nSendt: 30. november 2026 10:00\nTil: Per Leverandør\nEmne: Bestilling\n\nKære Per',
    ],
    [
      'Outlook English header block after a rule',
      'Vi kan levere den 1. marts.\n\n________________________________\nFrom: snitflow\nSent: Monday, November 30, 2026 10:00\nTo: Per\nSubject: Order\n\nDear Per',
    ],
    [
      'a signature after "-- "',
      'Vi kan levere den 1. marts.\n\n-- \nPer Leverandør\nKMD A/S\n+45 12 34 56 78',
    ],
  ])('%s keeps only the new text', (_name, text) => {
    expect(newReplyText(text)).toBe('Vi kan levere den 1. marts.');
  });

  it('keeps a text with no history whole, and an empty one empty', () => {
    expect(newReplyText('Ja tak.\n\nFra vores side er alt klar.')).toBe(
      'Ja tak.\n\nFra vores side er alt klar.',
    );
    expect(newReplyText('\n\n')).toBe('');
  });
});

describe('classifyInbound', () => {
  it('a person answering is a reply', async () => {
    expect(classifyInbound(await simpleParser(plain('SV: Bestilling', 'Ja.')), false)).toBe('REPLY');
  });

  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 'SV: Bestilling'],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }, 'SV: Bestilling'],
    ['Precedence: auto_reply', { Precedence: 'auto_reply' }, 'Re: Order'],
    ['Outlook English subject', {}, 'Automatic reply: Order SF0800'],
    ['Outlook Danish subject', {}, 'Automatisk svar: Bestilling SF0800'],
    ['Out of Office subject', {}, 'Out of Office: Re: Order'],
    ['Autosvar subject', {}, 'Autosvar: SV: Bestilling'],
  ])('%s is an automatic reply', async (_name, headers, subject) => {
    expect(classifyInbound(await simpleParser(plain(subject, 'Jeg er på ferie.', headers)), false)).toBe(
      'AUTO_REPLY',
    );
  });

  it('Auto-Submitted: no is a person', async () => {
    const mail = await simpleParser(plain('SV: Bestilling', 'Ja.', { 'Auto-Submitted': 'no' }));
    expect(classifyInbound(mail, false)).toBe('REPLY');
  });

  it('a failed delivery-status report is a bounce, with its reason and the original Message-ID', async () => {
    const report = eml(
      {
        From: 'Mail Delivery System <MAILER-DAEMON@mx.kmd.example>',
        To: 'b-x@svar.example',
        Subject: 'Undelivered Mail Returned to Sender',
        'Content-Type': 'multipart/report; report-type=delivery-status; boundary="BOUND"',
      },
      [
        '--BOUND',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Your message could not be delivered.',
        '--BOUND',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.kmd.example',
        '',
        'Final-Recipient: rfc822; pr@kmd.example',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <pr@kmd.example>: Recipient address rejected',
        '--BOUND',
        'Content-Type: text/rfc822-headers',
        '',
        'Message-ID: <0b6e9f0e-8a53-4a57-9d59-2f1c5f0d7c11@localhost>',
        'Subject: Bestilling',
        '--BOUND--',
        '',
      ].join('\n'),
    );
    const mail = await simpleParser(report);
    expect(classifyInbound(mail, false)).toBe('BOUNCE');
    expect(deliveryFailure(mail)).toEqual({
      reason: '5.1.1 (smtp; 550 5.1.1 <pr@kmd.example>: Recipient address rejected)',
      originalMessageIds: ['<0b6e9f0e-8a53-4a57-9d59-2f1c5f0d7c11@localhost>'],
    });
    const delayed = await simpleParser(report.replace('Action: failed', 'Action: delayed'));
    expect(deliveryFailure(delayed)).toBeNull();
  });

  it('anything sent to a VERP return path is a bounce', async () => {
    expect(classifyInbound(await simpleParser(plain('Returned mail', 'User unknown')), true)).toBe('BOUNCE');
  });
});

describe('awayUntil', () => {
  it.each([
    ['Jeg er på ferie og tilbage den 4. januar 2027.', '2027-01-04'],
    ['Jeg holder fri til og med 3.1.2027 og læser ikke mail.', '2027-01-03'],
    ['I am out of the office until January 4, 2027.', '2027-01-04'],
    ['I am away from 1 December until 12 December.', '2026-12-12'],
    ['Fraværende indtil 2027-01-04.', '2027-01-04'],
    ['Back on 4 Jan', '2027-01-04'],
  ])('%s → %s', (text, expected) => {
    expect(awayUntil(text, '2026-11-30')).toBe(expected);
  });

  it('is null when the message names no date', () => {
    expect(awayUntil('Jeg er ikke på kontoret i øjeblikket.', '2026-11-30')).toBeNull();
  });
});
