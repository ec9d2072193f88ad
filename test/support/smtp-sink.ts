import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps every message it receives. */
export class SmtpSink {
  readonly messages: { raw: string; recipients: string[] }[] = [];
  private server: SMTPServer | null = null;
  port = 0;
  /**
   * How long to keep a client waiting for the "250 OK" after it sent a whole message: long
   * enough, and a test can kill the sender between the server having the message and the
   * sender knowing it.
   */
  replyDelayMs = 0;

  async start(): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 50,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.messages.push({
            raw: Buffer.concat(chunks).toString('utf8'),
            recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          });
          // unref: a reply still held for a client that died must not keep the test run alive.
          if (this.replyDelayMs > 0) setTimeout(() => callback(), this.replyDelayMs).unref();
          else callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
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
}

/** The message with quoted-printable soft breaks and escapes undone, enough to find links in it. */
export function decodedQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
