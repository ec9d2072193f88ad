import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, isUuid } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { JobName, type JobPayload } from '@snitflow/jobs';
import { Metrics } from '@snitflow/observability';
import { DelayedError, type Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import type { JobHandler } from '../job-handler.js';
import {
  type ComposedEmail,
  EmailComposer,
  OUTBOX_ROW_COLUMNS,
  type OutboxRow,
  UnsendableEmailError,
} from './email-composer.js';
import { type Delivery, MailTransport, type OutgoingEmail } from './mail-transport.js';

/** Jobs may fire a little early (clock skew between Redis and us); beyond this they wait again. */
const EARLY_TOLERANCE_MS = 1000;
const MAX_ERROR_LENGTH = 2000;

export type SendOutcome =
  /** Delivered (to the SMTP server or a file) and marked SENT. */
  | { kind: 'sent'; delivery: Delivery }
  /** Nothing to do: no such row, not PENDING (sent, failed, superseded), or another sender holds it now. */
  | { kind: 'skipped'; reason: 'missing' | 'not-pending' | 'busy' }
  /** Not yet: held until office hours. */
  | { kind: 'later'; notBefore: Date }
  /** This attempt failed and was counted; another will follow. */
  | { kind: 'retry'; error: Error; attempts: number }
  /** Failed for good: marked FAILED with last_error; a coordinator can retry it. */
  | { kind: 'failed'; error: string; attempts: number }
  /** Not sent, ever: a supplier email whose reply link died first; marked SUPERSEDED with why. */
  | { kind: 'superseded'; reason: string };

/**
 * Sends one outbox email (the SendEmail job, which carries the row's id
 * only). Under the row's lock: re-read it, do nothing unless PENDING, wait
 * for not_before, have the composer build and render it, send it with the
 * row's stable Message-ID, mark it SENT. A worker that dies between send and
 * mark sends it again on retry with the same Message-ID, so receivers can
 * drop the duplicate; a second run after SENT does nothing.
 *
 * A failed attempt is counted on the row (attempts, last_error) and the job
 * rethrows, so BullMQ retries it with exponential backoff; the last attempt
 * (EMAIL_MAX_ATTEMPTS, or the job's attempts) marks the row FAILED instead.
 * An email that can never be sent (no reply link, unknown order, a 5xx from
 * the server) is marked FAILED at once. A supplier's email whose reply link
 * can no longer answer by the time it is due (a newer round, an answer, the
 * order moved on) is not sent and marked SUPERSEDED, with the reason in
 * last_error. A link retired while its email is being sent does not stop it:
 * the supplier then finds the page that says so, as for any email already out.
 */
@Injectable()
export class EmailSender implements JobHandler<JobName.SendEmail> {
  readonly name = JobName.SendEmail;
  private readonly logger = new Logger(EmailSender.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composer: EmailComposer,
    private readonly transport: MailTransport,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async handle(
    data: JobPayload<JobName.SendEmail>,
    job?: Job<JobPayload<JobName.SendEmail>>,
    token?: string,
  ): Promise<void> {
    const lastJobAttempt = job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false;
    const outcome = await this.deliver(data.emailId, { lastJobAttempt });
    if (outcome.kind === 'later' && job) {
      await job.moveToDelayed(outcome.notBefore.getTime(), token);
      throw new DelayedError();
    }
    if (outcome.kind === 'retry') throw outcome.error;
  }

  /** One attempt at one email; never throws for a failed send (see SendOutcome). */
  async deliver(emailId: string, options: { lastJobAttempt?: boolean } = {}): Promise<SendOutcome> {
    if (!isUuid(emailId)) return { kind: 'skipped', reason: 'missing' };
    try {
      return await this.dataSource.transaction(async (tx) => {
        // The lock keeps a second job for the same row (a retry racing a stalled one) from sending too.
        const rows: OutboxRow[] = await tx.query(
          `SELECT ${OUTBOX_ROW_COLUMNS} FROM outbox_email WHERE id = $1 FOR UPDATE SKIP LOCKED`,
          [emailId],
        );
        const row = rows[0];
        if (!row) return { kind: 'skipped', reason: await this.whyMissing(tx, emailId) };
        if (row.status !== 'PENDING') return { kind: 'skipped', reason: 'not-pending' };
        if (row.notBefore.getTime() > this.clock.now().getTime() + EARLY_TOLERANCE_MS) {
          return { kind: 'later', notBefore: row.notBefore };
        }
        const superseded = await this.composer.supersededReason(tx, row, this.clock.now());
        if (superseded) {
          await this.markSuperseded(tx, row.id, superseded);
          this.logger.log(
            `email ${row.id} (${row.template} to ${row.recipientEmail}) not sent: ${superseded}`,
          );
          return { kind: 'superseded', reason: superseded };
        }
        const composed = await this.composer.compose(tx, row);
        const delivery = await this.send(row, composed);
        await this.markSent(tx, row.id);
        return { kind: 'sent', delivery };
      });
    } catch (error) {
      return this.recordFailure(emailId, toError(error), options.lastJobAttempt ?? false);
    }
  }

  /** The send step: the rendered email to the transport, with the row's Message-ID. */
  private send(row: OutboxRow, composed: ComposedEmail): Promise<Delivery> {
    const email: OutgoingEmail = {
      id: row.id,
      messageId: row.messageId,
      createdAt: row.createdAt,
      to: { name: row.recipientName, address: row.recipientEmail },
      subject: composed.rendered.subject,
      html: composed.rendered.html,
      text: composed.rendered.text,
      reference: composed.reference,
      replyUrl: composed.replyUrl,
    };
    return this.transport.send(email);
  }

  /** The mark step: commits with the row lock; only a PENDING row becomes SENT, once. */
  private async markSent(tx: EntityManager, emailId: string): Promise<void> {
    await tx.query(
      `UPDATE outbox_email SET status = 'SENT', sent_at = $2, attempts = attempts + 1
        WHERE id = $1 AND status = 'PENDING'`,
      [emailId, this.clock.now()],
    );
  }

  /** Under the row lock, like markSent: a PENDING row becomes SUPERSEDED, with why, and is never sent. */
  private async markSuperseded(tx: EntityManager, emailId: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE outbox_email SET status = 'SUPERSEDED', last_error = $2 WHERE id = $1 AND status = 'PENDING'`,
      [emailId, reason.slice(0, MAX_ERROR_LENGTH)],
    );
  }

  /** Counts the failed attempt; marks the row FAILED when it was the last one or cannot succeed. */
  private async recordFailure(emailId: string, error: Error, lastJobAttempt: boolean): Promise<SendOutcome> {
    this.metrics.emailSendFailures.inc();
    const permanent = error instanceof UnsendableEmailError || isPermanentSmtpError(error);
    const message = describe(error).slice(0, MAX_ERROR_LENGTH);
    const rows: { status: string; attempts: number }[] = await this.dataSource.query(
      `WITH failed AS (
         UPDATE outbox_email
            SET attempts = attempts + 1, last_error = $2,
                status = CASE WHEN $3 OR attempts + 1 >= $4 THEN 'FAILED' ELSE status END
          WHERE id = $1 AND status = 'PENDING'
      RETURNING status, attempts)
       SELECT status, attempts FROM failed`,
      [emailId, message, permanent || lastJobAttempt, this.config.EMAIL_MAX_ATTEMPTS],
    );
    const row = rows[0];
    // The row left PENDING meanwhile (sent by another run, or gone): nothing to retry.
    if (!row) return { kind: 'skipped', reason: 'not-pending' };
    if (row.status === 'FAILED') {
      this.logger.error(`email ${emailId} FAILED after ${row.attempts} attempt(s): ${message}`);
      return { kind: 'failed', error: message, attempts: row.attempts };
    }
    this.logger.warn(`email ${emailId} attempt ${row.attempts} failed, will retry: ${message}`);
    return { kind: 'retry', error, attempts: row.attempts };
  }

  private async whyMissing(tx: EntityManager, emailId: string): Promise<'missing' | 'busy'> {
    const exists: unknown[] = await tx.query('SELECT 1 FROM outbox_email WHERE id = $1', [emailId]);
    return exists.length > 0 ? 'busy' : 'missing';
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The server refused for good (5xx): the same message would be refused again. */
function isPermanentSmtpError(error: Error): boolean {
  const code = 'responseCode' in error ? error.responseCode : undefined;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: Error): string {
  const response = 'response' in error && typeof error.response === 'string' ? error.response : null;
  return response && !error.message.includes(response) ? `${error.message} (${response})` : error.message;
}
