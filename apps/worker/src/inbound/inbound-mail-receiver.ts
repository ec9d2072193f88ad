import type { AddressInfo } from 'node:net';
import { BlockList, isIP } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import {
  awayUntil,
  classifyInbound,
  deliveryFailure,
  firstAddress,
  type InboundAddress,
  newReplyText,
} from '@snitflow/mail';
import { DeadlinePlanner, InboundAddresses, type ReceivedMessage, SupplierInbox } from '@snitflow/orders';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { SenderRateLimit } from './sender-rate-limit.js';

/** The longest new text kept from one email; beyond it the text is cut (the sender gets no error). */
const MAX_BODY_CHARACTERS = 20_000;
/** Most of our addresses one message may be sent to at once (a reply-all to two rounds is two). */
const MAX_RECIPIENTS = 5;

/**
 * The text of an HTML-only reply. mailparser turns HTML into text only when the HTML is the
 * message's root or stands beside a text part; an HTML reply with an attachment has neither,
 * so its HTML is parsed again on its own, by the same parser and html-to-text it uses.
 */
async function textOfHtml(mail: ParsedMail): Promise<string> {
  if (typeof mail.html !== 'string' || mail.html === '') return '';
  const alone = await simpleParser(
    Buffer.from(
      `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${mail.html}`,
    ),
  );
  return alone.text ?? '';
}

/** An SMTP reply with its code (RFC 5321 4.2): 4xx try again later, 5xx never. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * snitflow's inbound SMTP receiver (issue 11), in the worker process: the worker already is
 * the part that talks SMTP and holds no HTTP, and the API may run as many replicas, which a
 * fixed mail port could not. Mail for INBOUND_EMAIL_DOMAIN arrives here (its MX points at this
 * port, or a relay in INBOUND_ALLOWED_SENDERS hands it on).
 *
 * Refused before the data: hosts not allowed (at connect), senders over the hourly rate limit
 * (451, try later), any address that is not one of ours — an unknown or tampered reply address
 * or return path (550 at RCPT TO) — and messages announced bigger than the size limit. Refused
 * after the data: messages over the size or attachment limit (552) and messages that cannot be
 * read (550). Nothing a client sends can stop the receiver: every step is caught, and a failure
 * of ours (the database away) is a 451, so the sender tries again and the duplicate is
 * recognised by Message-ID.
 */
@Injectable()
export class InboundMailReceiver implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('InboundMail');
  private server: SMTPServer | null = null;
  private readonly allowed: BlockList | null;
  /** The port it listens on, once started (INBOUND_SMTP_PORT=0 picks a free one). */
  port: number | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly addresses: InboundAddresses,
    private readonly inbox: SupplierInbox,
    private readonly deadlines: DeadlinePlanner,
    private readonly senders: SenderRateLimit,
  ) {
    const entries = config.INBOUND_ALLOWED_SENDERS;
    if (entries.includes('*')) {
      this.allowed = null;
    } else {
      this.allowed = new BlockList();
      for (const entry of entries) {
        const [address = '', bits] = entry.split('/');
        const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
        if (bits === undefined) this.allowed.addAddress(address, type);
        else this.allowed.addSubnet(address, Number(bits), type);
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const domain = this.config.INBOUND_EMAIL_DOMAIN;
    if (!domain) {
      this.logger.log('INBOUND_EMAIL_DOMAIN is empty: suppliers answer by the reply page only');
      return;
    }
    const server = new SMTPServer({
      name: domain,
      banner: 'snitflow inbound',
      size: this.config.INBOUND_MAX_MESSAGE_BYTES,
      authOptional: true,
      // Loopback or behind the MX relays; TLS is the relay's business (no certificate here).
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1000,
      socketTimeout: 60_000,
      onConnect: (session, callback) => callback(this.refuseHost(session)),
      onMailFrom: (address, session, callback) => {
        this.refuseSender(address.address, session).then(callback, (error: unknown) => {
          this.logger.warn(`MAIL FROM ${address.address}: ${(error as Error).message}`);
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        });
      },
      onRcptTo: (address, session, callback) => {
        this.checkRecipient(address.address, session).then(
          (refusal) => callback(refusal),
          (error: unknown) => {
            this.logger.warn(`RCPT ${address.address}: ${(error as Error).message}`);
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
          },
        );
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (message) => callback(null, message),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    // A client's misbehaviour is logged, never thrown: the process keeps running.
    server.on('error', (error) => this.logger.warn(`SMTP: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.INBOUND_SMTP_PORT, this.config.INBOUND_SMTP_HOST, () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    this.logger.log(
      `Receiving supplier email for @${domain} on ${this.config.INBOUND_SMTP_HOST}:${this.port} (SMTP)`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private refuseHost(session: SMTPServerSession): Error | null {
    if (this.allowed === null) return null;
    const address = session.remoteAddress.replace(/^::ffff:/, '');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(address, type)) return null;
    return smtpError(554, '5.7.1 This host may not send mail here');
  }

  /** The hourly limit per sender address (bounces, with the null sender, per connecting host). */
  private async refuseSender(sender: string, session: SMTPServerSession): Promise<Error | null> {
    const key = sender ? sender.toLowerCase() : `<>@${session.remoteAddress}`;
    if (await this.senders.take(key)) return null;
    return smtpError(451, '4.7.1 Too many messages from this sender, try again later');
  }

  private async checkRecipient(address: string, session: SMTPServerSession): Promise<Error | null> {
    if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return smtpError(452, '4.5.3 Too many recipients');
    const ours = this.addresses.parse(address);
    if (!ours || !(await this.inbox.knows(ours))) return smtpError(550, '5.1.1 No such address here');
    return null;
  }

  /** Reads the whole message (within the size limit), then records it for every recipient. */
  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        // Past the limit nothing more is kept; smtp-server drains the rest and flags it.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    if (stream.sizeExceeded) {
      throw smtpError(552, `5.3.4 Message too big (at most ${this.config.INBOUND_MAX_MESSAGE_BYTES} bytes)`);
    }
    let mail: ParsedMail;
    try {
      mail = await simpleParser(Buffer.concat(chunks), { skipHtmlToText: false });
    } catch (error) {
      this.logger.warn(`unreadable message from ${session.remoteAddress}: ${(error as Error).message}`);
      throw smtpError(550, '5.6.0 The message could not be read');
    }
    const recipients = session.envelope.rcptTo
      .map((rcpt) => this.addresses.parse(rcpt.address))
      .filter((address): address is InboundAddress => address !== null);
    const outcomes: string[] = [];
    try {
      for (const recipient of recipients) outcomes.push(await this.handle(recipient, mail));
    } catch (error) {
      if (error instanceof Error && 'responseCode' in error) throw error;
      this.logger.error(`could not record a message: ${(error as Error).message}`);
      throw smtpError(451, '4.3.0 Temporary failure, try again later');
    }
    return `2.0.0 ${outcomes.join(', ')}`;
  }

  private async handle(recipient: InboundAddress, mail: ParsedMail): Promise<string> {
    const kind = classifyInbound(mail, recipient.kind === 'bounce');
    if (kind === 'BOUNCE') {
      const failure = deliveryFailure(mail);
      const outcome = await this.inbox.bounce(
        {
          emailId: recipient.kind === 'bounce' ? recipient.emailId : null,
          messageIds: failure?.originalMessageIds ?? [],
        },
        failure?.reason ?? (mail.subject?.trim() || 'delivery failed'),
      );
      return outcome.kind === 'bounced' ? 'bounce recorded' : 'bounce names no email of ours';
    }
    // A person's reply or an auto-reply to a return path was refused above (it is a bounce).
    if (recipient.kind !== 'reply') return 'ignored';
    const from = firstAddress(mail.from);
    if (!from.address) throw smtpError(550, '5.6.0 The message has no From address');
    const attachments = mail.attachments.filter((attachment) => !attachment.related);
    if (attachments.length > this.config.INBOUND_MAX_ATTACHMENTS) {
      throw smtpError(552, `5.3.4 Too many attachments (at most ${this.config.INBOUND_MAX_ATTACHMENTS})`);
    }
    const text = mail.text ?? (await textOfHtml(mail));
    const body = (kind === 'REPLY' ? newReplyText(text) : text.trim()).slice(0, MAX_BODY_CHARACTERS);
    const received: ReceivedMessage = {
      kind,
      fromAddress: from.address,
      fromName: from.name,
      subject: (mail.subject ?? '').slice(0, 500),
      body,
      messageIdHeader: mail.messageId ?? null,
      awayUntil:
        kind === 'AUTO_REPLY'
          ? awayUntil(`${mail.subject ?? ''}\n${text}`, this.deadlines.calendar.localDate(this.clock.now()))
          : null,
      attachments: attachments.map((attachment, index) => ({
        filename: (attachment.filename ?? `attachment-${index + 1}`).slice(0, 255),
        contentType: attachment.contentType || 'application/octet-stream',
        content: attachment.content,
      })),
    };
    const outcome = await this.inbox.receive(recipient.token, received);
    this.logger.log(`${kind} from ${from.address}: ${outcome.kind}`);
    return outcome.kind;
  }
}
