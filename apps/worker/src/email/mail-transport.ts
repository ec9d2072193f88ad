import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import nodemailer, {
  type SendMailOptions,
  type SMTPPoolOptions,
  type SMTPPoolSentMessageInfo,
  type StreamSentMessageInfo,
  type Transporter,
} from 'nodemailer';

/** One email ready to go: rendered, addressed, with its stable Message-ID. */
export interface OutgoingEmail {
  /** The outbox row's id. */
  id: string;
  /** `<id@host>`, stable per outbox row, so a receiver can drop a duplicate. */
  messageId: string;
  createdAt: Date;
  to: { name: string | null; address: string };
  subject: string;
  html: string;
  text: string;
  /** The order's reference, sent as X-Snitflow-Order. */
  reference: string;
  /** The supplier's reply link, logged when the email is written to a file. */
  replyUrl: string | null;
  /** Reply-To: the link's reply address, in emails asking a supplier to answer (else null). */
  replyTo?: string | null;
  /** The SMTP envelope sender (VERP return path), so a bounce names this email; null: MAIL_FROM's. */
  returnPath?: string | null;
  /** In-Reply-To: the latest earlier email of this order to this recipient (its thread), or null. */
  inReplyTo?: string | null;
  /** References: the thread's root and the email answered; empty for a thread's first email. */
  references?: string[];
}

export interface Delivery {
  messageId: string;
  /** The SMTP server's answer, or the file written. */
  response: string;
  /** The .eml file, without SMTP_URL. */
  file: string | null;
}

/** Connections of the SMTP pool: one per concurrent send of the worker's email queue (WorkerRunner). */
export const SMTP_POOL_CONNECTIONS = 8;

/** The pooled SMTP transport's options; shared with the benchmark so both sides send alike. */
export function smtpPoolOptions(url: string): SMTPPoolOptions & { pool: true } {
  return {
    url,
    pool: true,
    maxConnections: SMTP_POOL_CONNECTIONS,
    maxMessages: 1000,
    // A server that hangs must not hold a send (and its row lock) for nodemailer's default minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  };
}

/** The message as nodemailer builds it; shared with the benchmark. */
export function mailOptions(from: string, email: OutgoingEmail): SendMailOptions {
  return {
    from,
    to: email.to.name ? { name: email.to.name, address: email.to.address } : email.to.address,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    headers: { 'X-Snitflow-Order': email.reference },
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.references && email.references.length > 0 ? { references: email.references } : {}),
    // The From stays MAIL_FROM; only the envelope sender (where bounces go) is per email.
    ...(email.returnPath ? { envelope: { from: email.returnPath, to: email.to.address } } : {}),
  };
}

/** `2026-11-26T19:20:40.123Z` → `20261126T192040.123Z`: sorts by time, safe in file names. */
export function compactIso(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '');
}

/**
 * Where email goes: the SMTP server of SMTP_URL through one pooled transport
 * created at start, or without SMTP_URL a file per email,
 * `<MAIL_DROP_DIR>/<created at>-<id>.eml`, with the reply link logged so a
 * newcomer can click through without a mail server.
 */
@Injectable()
export class MailTransport implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Email');
  private readonly from: string;
  private readonly smtp: Transporter<SMTPPoolSentMessageInfo> | null;
  private readonly files: Transporter<StreamSentMessageInfo> | null;
  private readonly dropDir: string;
  private dropDirReady: Promise<unknown> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = config.MAIL_FROM;
    this.dropDir = resolve(config.MAIL_DROP_DIR);
    if (config.SMTP_URL) {
      this.smtp = nodemailer.createTransport(smtpPoolOptions(config.SMTP_URL));
      this.files = null;
    } else {
      this.smtp = null;
      this.files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  onApplicationBootstrap(): void {
    this.logger.log(
      this.smtp
        ? `Sending email by SMTP (SMTP_URL) from ${this.from}`
        : `No SMTP_URL: email is written as .eml files to ${this.dropDir}`,
    );
  }

  async send(email: OutgoingEmail): Promise<Delivery> {
    const options = mailOptions(this.from, email);
    if (this.smtp) {
      const info = await this.smtp.sendMail(options);
      return { messageId: info.messageId, response: info.response, file: null };
    }
    if (!this.files) throw new Error('no mail transport');
    const info = await this.files.sendMail(options);
    if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport returned no buffer');
    this.dropDirReady ??= mkdir(this.dropDir, { recursive: true }).catch((error: unknown) => {
      this.dropDirReady = null; // try again with the next email
      throw error;
    });
    await this.dropDirReady;
    const file = join(this.dropDir, `${compactIso(email.createdAt)}-${email.id}.eml`);
    // Written whole, then renamed: whoever watches the folder never reads half a message.
    const partial = `${file}.partial`;
    await writeFile(partial, info.message);
    await rename(partial, file);
    this.logger.log(
      `Wrote ${file} to ${email.to.address}${email.replyUrl ? `; reply link: ${email.replyUrl}` : ''}${
        email.replyTo ? `; reply address: ${email.replyTo}` : ''
      }`,
    );
    return { messageId: info.messageId, response: `written to ${file}`, file };
  }

  onModuleDestroy(): void {
    this.smtp?.close();
    this.files?.close();
  }
}
