import EmailReplyParser from 'email-reply-parser';
import type { AddressObject, ParsedMail } from 'mailparser';

/**
 * Reading what comes back by email (issue 11): which of our addresses it was sent to, whether
 * it is a person's reply, an automatic reply or a delivery-status notification (bounce), and
 * the new text of a reply without the quoted history and the signature. Pure: the receiver in
 * the worker and the recording in libs/orders do the I/O.
 */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * RFC 4648 base32 in lower case, unpadded. Lower case and no symbols because mail systems may
 * change the case of a local part (RFC 5321 lets them treat it as case-insensitive in practice),
 * which base64url would not survive.
 */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** 32 bytes (256 bits, as the reply link's token) in base32: 52 characters. */
const REPLY_LOCAL = /^r-([a-z2-7]{51}[aeimquy4])$/;
/** The outbox row's id (hex, no dashes) and an 80-bit MAC over it. */
const BOUNCE_LOCAL = /^b-([0-9a-f]{32})-([a-z2-7]{16})$/;

export type InboundAddress =
  /** A reply address: `r-<token>`; the token's SHA-256 finds its reply link. */
  | { kind: 'reply'; token: string }
  /** A VERP return path: `b-<outbox id>-<mac>`; bounces of that one email come back to it. */
  | { kind: 'bounce'; emailId: string; mac: string };

/** The local part of the Reply-To for a reply token (32 bytes). */
export function replyLocalPart(token: Uint8Array): string {
  if (token.length !== 32) throw new Error('a reply address token is 32 bytes');
  return `r-${base32(token)}`;
}

/** The local part of the VERP return path of one outbox email; `mac` is at least 10 bytes. */
export function bounceLocalPart(emailId: string, mac: Uint8Array): string {
  return `b-${emailId.replaceAll('-', '').toLowerCase()}-${base32(mac.subarray(0, 10))}`;
}

/**
 * Which of our addresses this is, or null: another domain, or a local part of no known shape.
 * Case-insensitive, as mail systems may change case. The token or MAC is not verified here.
 */
export function parseInboundAddress(address: string, domain: string): InboundAddress | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const local = address.slice(0, at).toLowerCase();
  if (address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const reply = REPLY_LOCAL.exec(local);
  if (reply?.[1]) return { kind: 'reply', token: reply[1] };
  const bounce = BOUNCE_LOCAL.exec(local);
  if (bounce?.[1] && bounce[2]) {
    const hex = bounce[1];
    const emailId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { kind: 'bounce', emailId, mac: bounce[2] };
  }
  return null;
}

/**
 * Lines where the quoted history starts in the clients our suppliers use, besides those the
 * maintained parser knows ("On … wrote:", "Den … skrev …:", "From: Name <address>"):
 * Outlook's separators and its header block in Danish and English, which names no address.
 */
const HISTORY_SEPARATORS: readonly RegExp[] = [
  /^\s*-{2,}\s*(?:Oprindelig meddelelse|Original Message|Videresendt meddelelse|Forwarded message)\s*-{2,}\s*$/im,
  /^\s*_{10,}\s*$/m,
];
const OUTLOOK_FROM = /^\s*\*?(?:From|Fra)\s*:\*?\s+\S/i;
const OUTLOOK_NEXT = /^\s*\*?(?:Sent|Sendt|Date|Dato|To|Til)\s*:/i;
// Danish clients also write "Den 30. nov. 2026 kl. 10.00 skrev X:" on one line without an address.
const DANISH_WROTE = /^\s*Den\s.+\sskrev\s.*:\s*$/im;

/**
 * The supplier's new text: everything before the quoted history (Danish and English client
 * formats: "Den … skrev:", "On … wrote:", "-----Oprindelig meddelelse-----", Outlook's
 * "From:/Fra:" blocks, "> " quotes) and without the signature after "-- ". Trimmed; may be
 * empty (a reply with only an attachment).
 */
export function newReplyText(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  let cut = normalised.length;
  for (const separator of [...HISTORY_SEPARATORS, DANISH_WROTE]) {
    const match = separator.exec(normalised);
    if (match && match.index < cut) cut = match.index;
  }
  const lines = normalised.slice(0, cut).split('\n');
  let offset = 0;
  for (const [index, line] of lines.entries()) {
    const following = lines.slice(index + 1, index + 4);
    if (OUTLOOK_FROM.test(line) && following.some((next) => OUTLOOK_NEXT.test(next))) {
      cut = Math.min(cut, offset);
      break;
    }
    offset += line.length + 1;
  }
  const head = normalised.slice(0, cut);
  const visible = new EmailReplyParser().parseReply(head);
  return visible
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Subjects of automatic replies in Danish and English clients (and the German many Danes get). */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:\[?(?:auto(?:matic)?[ -]?(?:reply|response|svar)|autosvar|automatisk svar|out of (?:the )?office|ikke på kontoret|fravær(?:ende)?|ferie|abwesenheit|abwesend)\b)/i;

export type InboundKind = 'REPLY' | 'AUTO_REPLY' | 'BOUNCE';

function headerText(mail: ParsedMail, name: string): string | null {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value);
}

/**
 * A bounce: a delivery-status report (RFC 3464, `multipart/report; report-type=delivery-status`)
 * saying delivery failed, or anything sent to a VERP return path (only bounces go there).
 * An automatic reply: `Auto-Submitted` other than `no` (RFC 3834), `X-Autoreply`,
 * `X-Autorespond`, `Precedence: auto_reply/bulk/junk/list`, or the usual subjects ("Automatic
 * reply:", "Autosvar:", "Out of Office", "Fraværende" …). Anything else is a person's reply.
 */
export function classifyInbound(mail: ParsedMail, sentToReturnPath: boolean): InboundKind {
  if (sentToReturnPath || deliveryFailure(mail) !== null) return 'BOUNCE';
  const autoSubmitted = headerText(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no') return 'AUTO_REPLY';
  if (headerText(mail, 'x-autoreply') || headerText(mail, 'x-autorespond')) return 'AUTO_REPLY';
  const precedence = (headerText(mail, 'precedence') ?? headerText(mail, 'x-precedence') ?? '').toLowerCase();
  if (/\b(?:auto_reply|bulk|junk|list)\b/.test(precedence)) return 'AUTO_REPLY';
  if (AUTO_REPLY_SUBJECT.test(mail.subject ?? '')) return 'AUTO_REPLY';
  return 'REPLY';
}

export interface DeliveryFailure {
  /** e.g. `5.1.1 (smtp; 550 5.1.1 No such user)`, or the report's first line. */
  reason: string;
  /** Message-IDs of the email that bounced, as found in the returned headers (with <>). */
  originalMessageIds: string[];
}

/**
 * The failure a delivery-status notification reports, or null when the message is no such
 * report or reports no failure (a delay or a success notice). The returned original headers
 * (text/rfc822-headers or message/rfc822) give the Message-ID of the email that bounced.
 */
export function deliveryFailure(mail: ParsedMail): DeliveryFailure | null {
  const contentType = mail.headers.get('content-type');
  const isReport =
    typeof contentType === 'object' &&
    contentType !== null &&
    'value' in contentType &&
    contentType.value === 'multipart/report' &&
    'params' in contentType &&
    String((contentType.params as Record<string, string>)['report-type'] ?? '').toLowerCase() ===
      'delivery-status';
  if (!isReport) return null;
  const text = mail.text ?? '';
  const action = /^Action:\s*(\S+)/im.exec(text)?.[1]?.toLowerCase();
  if (action && action !== 'failed') return null;
  const status = /^Status:\s*(\S+)/im.exec(text)?.[1];
  const diagnostic = /^Diagnostic-Code:\s*(.+)$/im.exec(text)?.[1]?.trim();
  const firstLine = text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
  const reason =
    [status, diagnostic ? `(${diagnostic})` : null].filter(Boolean).join(' ') ||
    firstLine ||
    'delivery failed';
  const originalMessageIds: string[] = [];
  for (const attachment of mail.attachments) {
    if (!/^(?:text\/rfc822-headers|message\/rfc822)/i.test(attachment.contentType)) continue;
    const headers = attachment.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    const id = /^Message-ID:\s*(<[^>\s]+>)/im.exec(headers)?.[1];
    if (id) originalMessageIds.push(id);
  }
  return { reason: reason.slice(0, 1000), originalMessageIds };
}

const MONTHS: Record<string, number> = {
  jan: 1,
  januar: 1,
  january: 1,
  feb: 2,
  februar: 2,
  february: 2,
  mar: 3,
  marts: 3,
  march: 3,
  apr: 4,
  april: 4,
  maj: 5,
  may: 5,
  jun: 6,
  juni: 6,
  june: 6,
  jul: 7,
  juli: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  okt: 10,
  oct: 10,
  oktober: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MONTH_NAMES = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const DATE_FORMS: readonly {
  pattern: RegExp;
  read: (m: RegExpExecArray) => [number | null, number, number];
}[] = [
  // 2027-01-12
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/gi, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  // 12.01.2027, 12/1/2027, 12-01-2027 (day first, as in Denmark and the UK)
  {
    pattern: /\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b/gi,
    read: (m) => [Number(m[3]), Number(m[2]), Number(m[1])],
  },
  // 12. januar 2027, 12 January 2027, 12. jan.
  {
    pattern: new RegExp(`\\b(\\d{1,2})\\.?\\s+(${MONTH_NAMES})\\.?(?:\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => [m[3] ? Number(m[3]) : null, MONTHS[(m[2] ?? '').toLowerCase()] ?? 0, Number(m[1])],
  },
  // January 12, 2027 / January 12th
  {
    pattern: new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => [m[3] ? Number(m[3]) : null, MONTHS[(m[1] ?? '').toLowerCase()] ?? 0, Number(m[2])],
  },
];

/** Words after which an out-of-office message names its last day away or the day of return. */
const UNTIL_WORDS =
  /\b(?:until|till|through|back on|back|return(?:ing)? on|returning|indtil|til og med|t\.o\.m\.|frem til|tilbage(?: igen)?(?: den| på)?|igen den|retur)\b/gi;

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Until when an out-of-office message says the contact is away (YYYY-MM-DD), or null when it
 * names no date: the first date after "until / back on / indtil / tilbage …", else the latest
 * date in the text that is not in the past. A date without a year is the next such day on or
 * after `receivedOn` (YYYY-MM-DD).
 */
export function awayUntil(text: string, receivedOn: string): string | null {
  const receivedYear = Number(receivedOn.slice(0, 4));
  const found: { index: number; date: string }[] = [];
  for (const form of DATE_FORMS) {
    form.pattern.lastIndex = 0;
    for (let match = form.pattern.exec(text); match; match = form.pattern.exec(text)) {
      const [year, month, day] = form.read(match);
      let date = year === null ? isoDate(receivedYear, month, day) : isoDate(year, month, day);
      if (year === null && date !== null && date < receivedOn) date = isoDate(receivedYear + 1, month, day);
      if (date) found.push({ index: match.index, date });
    }
  }
  if (found.length === 0) return null;
  found.sort((a, b) => a.index - b.index);
  UNTIL_WORDS.lastIndex = 0;
  for (let word = UNTIL_WORDS.exec(text); word; word = UNTIL_WORDS.exec(text)) {
    const end = word.index + word[0].length;
    const next = found.find((candidate) => candidate.index >= end && candidate.index - end <= 40);
    if (next && next.date >= receivedOn) return next.date;
  }
  const future = found.map((candidate) => candidate.date).filter((date) => date >= receivedOn);
  return future.length > 0 ? (future.sort().at(-1) ?? null) : null;
}

/** The first address of a From/To header. */
export function firstAddress(header: AddressObject | AddressObject[] | undefined): {
  address: string | null;
  name: string | null;
} {
  const object = Array.isArray(header) ? header[0] : header;
  const first = object?.value[0];
  return { address: first?.address?.toLowerCase() ?? null, name: first?.name?.trim() || null };
}
