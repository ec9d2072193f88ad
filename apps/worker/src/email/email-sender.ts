import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, isInfrastructureError, isUuid } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { JobName, type JobPayload } from '@snitflow/jobs';
import { Metrics } from '@snitflow/observability';
import { InboundAddresses } from '@snitflow/orders';
import { DelayedError, type Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { CountedAttemptError, type JobHandler } from '../job-handler.js';
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
  | { kind: 'sent'; delivery: Delivery | null }
  /** Nothing to do: no such row, or not PENDING (sent, failed, superseded). */
  | { kind: 'skipped'; reason: 'missing' | 'not-pending' }
  /** Not yet: held until office hours, or another run holds its lease until then. */
  | { kind: 'later'; notBefore: Date; reason: 'office-hours' | 'leased' }
  /** This attempt failed and was counted; another will follow. */
  | { kind: 'retry'; error: Error; attempts: number }
  /** Failed for good: marked FAILED with last_error; a coordinator can retry it. */
  | { kind: 'failed'; error: string; attempts: number }
  /** Not sent, ever: a supplier email whose reply link died first; marked SUPERSEDED with why. */
  | { kind: 'superseded'; reason: string };

/** The thread headers of one email (see EmailSender.thread): Message-IDs with their angle brackets. */
interface Thread {
  inReplyTo: string | null;
  references: string[];
}

type Claim =
  /** `siblings`: other rows of the same bulk send to the same recipient, sent in this one email. */
  | { kind: 'claimed'; row: OutboxRow; composed: ComposedEmail; siblings: OutboxRow[]; thread: Thread }
  | Exclude<SendOutcome, { kind: 'sent' | 'retry' | 'failed' }>;

/**
 * Sends one outbox email (the SendEmail job, which carries the row's id only), with a lease
 * instead of a lock held across the SMTP conversation:
 *
 * 1. Claim, in a short transaction: re-read the row under its lock, do nothing unless PENDING and
 *    due and not leased by another run; mark a supplier email whose link died SUPERSEDED; compose
 *    it from Postgres; set `claimed_until` = now + EMAIL_LEASE_SECONDS. Commit.
 * 2. Send it, with the row's stable Message-ID, outside any transaction: no database connection
 *    ever waits on a mail server.
 * 3. Mark it SENT in a second short transaction.
 *
 * A run that dies after the claim leaves the lease; once it lapses the next run sends again with
 * the same Message-ID (the receiver can drop the duplicate) and without the supersede check,
 * since the first may have reached the server. An email the server accepted is recorded as sent:
 * if Postgres is away when it is to be marked, the run remembers it and the job's next run marks
 * it SENT without sending it again.
 *
 * A failed send is counted on the row (attempts, last_error) and its lease released; the job
 * rethrows, so BullMQ retries it with backoff; the last attempt (EMAIL_MAX_ATTEMPTS, or the job's
 * attempts) marks the row FAILED instead. An email that can never be sent (no reply link, unknown
 * order, a 5xx from the server) is marked FAILED at once. Postgres being unreachable is not the
 * email's failure: it is rethrown and the runner tries the job again later without counting it.
 */
@Injectable()
export class EmailSender implements JobHandler<JobName.SendEmail> {
  readonly name = JobName.SendEmail;
  private readonly logger = new Logger(EmailSender.name);
  /** Emails this process handed to the server and could not yet mark SENT, with when. */
  private readonly acceptedUnmarked = new Map<string, Date>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composer: EmailComposer,
    private readonly transport: MailTransport,
    private readonly addresses: InboundAddresses,
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
      // A lease that lapses is looked at again just after, so a dead sender's email is not stranded.
      const at = outcome.notBefore.getTime() + (outcome.reason === 'leased' ? 500 : 0);
      await job.moveToDelayed(Date.now() + Math.max(0, at - this.clock.now().getTime()), token);
      throw new DelayedError();
    }
    if (outcome.kind === 'retry') throw new CountedAttemptError(outcome.error);
  }

  /**
   * One attempt at one email; a failed send is an outcome (see SendOutcome). Throws only when
   * Postgres is unreachable, which uses up none of the email's attempts.
   */
  async deliver(emailId: string, options: { lastJobAttempt?: boolean } = {}): Promise<SendOutcome> {
    if (!isUuid(emailId)) return { kind: 'skipped', reason: 'missing' };
    const acceptedAt = this.acceptedUnmarked.get(emailId);
    if (acceptedAt) {
      await this.markSent(emailId, acceptedAt);
      this.acceptedUnmarked.delete(emailId);
      this.logger.log(`email ${emailId} marked SENT after Postgres came back (the server had it)`);
      return { kind: 'sent', delivery: null };
    }
    let claim: Claim;
    try {
      claim = await this.claim(emailId);
    } catch (error) {
      if (isInfrastructureError(error)) throw error;
      return this.recordFailure(emailId, toError(error), options.lastJobAttempt ?? false);
    }
    if (claim.kind !== 'claimed') return claim;
    const siblingIds = claim.siblings.map((sibling) => sibling.id);
    let delivery: Delivery;
    try {
      delivery = await this.send(claim.row, claim.composed, claim.thread);
    } catch (error) {
      // The siblings were not tried on their own: free them for their own jobs at once.
      if (siblingIds.length > 0) {
        await this.dataSource.query(
          'UPDATE outbox_email SET claimed_until = NULL WHERE id = ANY($1::uuid[])',
          [siblingIds],
        );
      }
      return this.recordFailure(emailId, toError(error), options.lastJobAttempt ?? false);
    }
    // The server has it: from here on it is sent, whatever happens to the database.
    const sentAt = this.clock.now();
    for (const id of [emailId, ...siblingIds]) this.acceptedUnmarked.set(id, sentAt);
    for (const id of [emailId, ...siblingIds]) {
      await this.markSent(id, sentAt);
      this.acceptedUnmarked.delete(id);
    }
    return { kind: 'sent', delivery };
  }

  /** Step 1, one short transaction: check, compose and lease the row (see the class comment). */
  private claim(emailId: string): Promise<Claim> {
    return this.dataSource.transaction(async (tx): Promise<Claim> => {
      await this.serialiseBatch(tx, emailId);
      const rows: (OutboxRow & { claimedUntil: Date | null })[] = await tx.query(
        `SELECT ${OUTBOX_ROW_COLUMNS}, claimed_until AS "claimedUntil" FROM outbox_email WHERE id = $1 FOR UPDATE`,
        [emailId],
      );
      const row = rows[0];
      if (!row) return { kind: 'skipped', reason: 'missing' };
      if (row.status !== 'PENDING') return { kind: 'skipped', reason: 'not-pending' };
      const now = this.clock.now();
      if (row.claimedUntil && row.claimedUntil.getTime() > now.getTime()) {
        return { kind: 'later', notBefore: row.claimedUntil, reason: 'leased' };
      }
      if (row.notBefore.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
        return { kind: 'later', notBefore: row.notBefore, reason: 'office-hours' };
      }
      // A lapsed lease: an earlier run may have handed it to the server, so it goes out again as it
      // was (same Message-ID), never SUPERSEDED after the fact.
      const maybeSent = row.claimedUntil !== null;
      const superseded = maybeSent ? null : await this.composer.supersededReason(tx, row, now);
      if (superseded) {
        await tx.query(
          `UPDATE outbox_email SET status = 'SUPERSEDED', last_error = $2 WHERE id = $1 AND status = 'PENDING'`,
          [row.id, superseded.slice(0, MAX_ERROR_LENGTH)],
        );
        this.logger.log(`email ${row.id} (${row.template} to ${row.recipientEmail}) not sent: ${superseded}`);
        return { kind: 'superseded', reason: superseded };
      }
      // A bulk send's email carries the other orders of its batch to the same recipient along.
      const siblings = maybeSent ? [] : await this.batchSiblings(tx, row, now);
      const composed =
        siblings.length > 0
          ? await this.composer.composeBatch(tx, [row, ...siblings])
          : await this.composer.compose(tx, row);
      await tx.query('UPDATE outbox_email SET claimed_until = $2 WHERE id = ANY($1::uuid[])', [
        [row.id, ...siblings.map((sibling) => sibling.id)],
        new Date(now.getTime() + this.config.EMAIL_LEASE_SECONDS * 1000),
      ]);
      return { kind: 'claimed', row, composed, siblings, thread: await this.thread(tx, row) };
    });
  }

  /**
   * The rows of one bulk send to one recipient are released together, and their jobs run at
   * once: their claims go one at a time per batch and recipient (a transaction-scoped advisory
   * lock, taken before the row lock), so the first gathers and leases all the others and theirs
   * then find them leased and, once sent, done, instead of each skipping the others' locked rows
   * and going alone.
   */
  private async serialiseBatch(tx: EntityManager, emailId: string): Promise<void> {
    const rows: { batchKey: string | null }[] = await tx.query(
      `SELECT CASE WHEN data ? 'batchId' THEN (data->>'batchId') || ':' || recipient_email END AS "batchKey"
         FROM outbox_email WHERE id = $1`,
      [emailId],
    );
    const batchKey = rows[0]?.batchKey;
    if (batchKey) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [batchKey]);
  }

  /**
   * The other rows of this row's bulk send (data.batchId) to the same recipient that are due,
   * PENDING and not leased, locked, oldest first; those whose link died meanwhile are marked
   * SUPERSEDED and left out. They go out in this row's email (SUPPLIER_ORDERS).
   */
  private async batchSiblings(tx: EntityManager, row: OutboxRow, now: Date): Promise<OutboxRow[]> {
    const batchId = row.data.batchId;
    if (typeof batchId !== 'string' || row.template !== 'SUPPLIER_ORDER') return [];
    const rows: OutboxRow[] = await tx.query(
      `SELECT ${OUTBOX_ROW_COLUMNS} FROM outbox_email
        WHERE data->>'batchId' = $1 AND recipient_email = $2 AND template = 'SUPPLIER_ORDER' AND status = 'PENDING'
          AND id <> $3 AND not_before <= $4 AND claimed_until IS NULL
        ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
      [batchId, row.recipientEmail, row.id, new Date(now.getTime() + EARLY_TOLERANCE_MS)],
    );
    const alive: OutboxRow[] = [];
    for (const sibling of rows) {
      const superseded = await this.composer.supersededReason(tx, sibling, now);
      if (!superseded) {
        alive.push(sibling);
        continue;
      }
      await tx.query(
        `UPDATE outbox_email SET status = 'SUPERSEDED', last_error = $2 WHERE id = $1 AND status = 'PENDING'`,
        [sibling.id, superseded.slice(0, MAX_ERROR_LENGTH)],
      );
    }
    return alive;
  }

  /**
   * One order, one conversation (issue 8, item 8): the emails of one order to one recipient form
   * one thread in the recipient's mail client. Its root is the first of them the recipient
   * received (status SENT or BOUNCED, never a superseded or failed one), and each later email
   * answers the latest one before it: In-Reply-To is that one's Message-ID, References the root
   * and that one (RFC 5322 §3.6.4 lets References keep the first and the last). So the newest
   * link is always at the end of one conversation; the same holds for coordinators' and
   * projects' mails per order, as they are threaded by recipient too. Read inside the claim, so
   * a lapsed lease's resend carries the same headers as the first try.
   */
  private async thread(tx: EntityManager, row: OutboxRow): Promise<Thread> {
    if (!row.orderId) return { inReplyTo: null, references: [] };
    const earlier: { messageId: string }[] = await tx.query(
      `SELECT message_id AS "messageId" FROM outbox_email
        WHERE order_id = $1 AND lower(recipient_email) = lower($2) AND id <> $3
          AND status IN ('SENT', 'BOUNCED') AND created_at <= $4
        ORDER BY created_at, id`,
      [row.orderId, row.recipientEmail, row.id, row.createdAt],
    );
    const root = earlier[0]?.messageId;
    const parent = earlier[earlier.length - 1]?.messageId;
    if (!root || !parent) return { inReplyTo: null, references: [] };
    return { inReplyTo: parent, references: root === parent ? [root] : [root, parent] };
  }

  /** Step 2: the rendered email to the transport, with the row's Message-ID; no transaction open. */
  private send(row: OutboxRow, composed: ComposedEmail, thread: Thread): Promise<Delivery> {
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
      replyTo: composed.replyTo,
      returnPath: this.addresses.returnPathFor(row.id),
      inReplyTo: thread.inReplyTo,
      references: thread.references,
    };
    return this.transport.send(email);
  }

  /** Step 3, one short statement: only a PENDING row becomes SENT, once; the lease ends. */
  private async markSent(emailId: string, sentAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_email SET status = 'SENT', sent_at = $2, attempts = attempts + 1, claimed_until = NULL
        WHERE id = $1 AND status = 'PENDING'`,
      [emailId, sentAt],
    );
  }

  /**
   * Counts the failed attempt and releases the lease; marks the row FAILED when it was the last
   * one or cannot succeed.
   */
  private async recordFailure(emailId: string, error: Error, lastJobAttempt: boolean): Promise<SendOutcome> {
    this.metrics.emailSendFailures.inc();
    const permanent = error instanceof UnsendableEmailError || isPermanentSmtpError(error);
    const message = describe(error).slice(0, MAX_ERROR_LENGTH);
    const rows: { status: string; attempts: number }[] = await this.dataSource.query(
      `WITH failed AS (
         UPDATE outbox_email
            SET attempts = attempts + 1, last_error = $2, claimed_until = NULL,
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
