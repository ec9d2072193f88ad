import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  raw: string;
  messageId: string | null;
  recipients: string[];
  /** The envelope sender (MAIL FROM), where bounces go; '' for the null sender. */
  envelopeFrom: string;
}

/** A real SMTP server on loopback that keeps every message it is given. */
export class SmtpSink {
  readonly messages: SunkMessage[] = [];
  private server: SMTPServer | null = null;
  port = 0;
  /**
   * How long to keep a client waiting for the "250 OK" after it sent a whole message: long
   * enough, and a test can kill the sender between the server having the message and the
   * sender knowing it.
   */
  replyDelayMs = 0;
  /** Errors of client connections (a client that died mid-session), kept instead of thrown. */
  readonly connectionErrors: Error[] = [];
  /** Runs after the server has a message and before it says "250 OK" (to inject a fault there). */
  beforeReply: ((message: SunkMessage) => Promise<void>) | null = null;

  /** Listens on 127.0.0.1, on `port` or any free port. */
  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: no TLS upgrade with the built-in test certificate.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 50,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const message = {
            raw,
            messageId: header(raw, 'Message-ID'),
            recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          };
          this.messages.push(message);
          const reply = () => {
            // unref: a reply still held for a client that died must not keep the test run alive.
            if (this.replyDelayMs > 0) setTimeout(() => callback(), this.replyDelayMs).unref();
            else callback();
          };
          if (this.beforeReply) void this.beforeReply(message).then(reply, reply);
          else reply();
        });
      },
    });
    // smtp-server re-emits each client connection's error on the server: a sender killed
    // mid-session (ECONNRESET) would otherwise be an unhandled 'error' that fails the test file.
    server.on('error', (error: Error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  withId(messageId: string): SunkMessage[] {
    return this.messages.filter((message) => message.messageId === messageId);
  }
}

// ── reading raw messages ────────────────────────────────────────────────────

/** The header block, folded lines joined. */
export function headers(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

/** One header's value, RFC 2047 encoded words decoded. */
export function header(raw: string, name: string): string | null {
  const line = headers(raw)
    .split(/\r?\n/)
    .find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return null;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replaceAll('_', ' ')),
    );
}

export function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The decoded body of the MIME part with this content type. */
export function part(raw: string, contentType: 'text/plain' | 'text/html'): string | null {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers(raw))?.[1];
  if (!boundary) return null;
  for (const section of raw.split(`--${boundary}`).slice(1)) {
    const split = section.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const partHeaders = section.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    if (!new RegExp(`^Content-Type: ${contentType}`, 'im').test(partHeaders)) continue;
    const body = section.slice(split).trim();
    if (/Content-Transfer-Encoding: quoted-printable/i.test(partHeaders)) return decodeQuotedPrintable(body);
    if (/Content-Transfer-Encoding: base64/i.test(partHeaders)) {
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    return body;
  }
  return null;
}

/** The message with quoted-printable soft breaks and escapes undone, enough to find links in it. */
export function decodedQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
