import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, isInfrastructureError, isUuid } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { JobName, type JobPayload } from '@snitflow/jobs';
import { Metrics } from '@snitflow/observability';
import {
  InboundAddresses,
  OrderSummaries,
  type OrderSummaryRow,
  orderSummarySelect,
  type ReplyLinkState,
} from '@snitflow/orders';
import { DelayedError, type Job } from 'bullmq';
import type { ClientBase } from 'pg';
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

/** The thread headers of one email (see CLAIM_SQL): Message-IDs with their angle brackets. */
/** The thread headers of one email: the email it answers and the thread's root and that email. */
export interface Thread {
  inReplyTo: string | null;
  references: string[];
}

/**
 * The email an outbox row becomes once composed: addressing and Message-ID from the row, subject
 * and bodies from the composer, the thread's headers, and the envelope sender (null: MAIL_FROM's).
 * One builder, so the email bench's floor sends exactly what the worker sends.
 */
export function outgoingEmail(
  row: OutboxRow,
  composed: ComposedEmail,
  thread: Thread,
  returnPath: string | null,
): OutgoingEmail {
  return {
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
    returnPath,
    inReplyTo: thread.inReplyTo,
    references: thread.references,
  };
}

/**
 * The claim of one outbox row, in one statement ($1 the row's id, $2 now, $3 now plus
 * EARLY_TOLERANCE_MS, $4 the end of the lease), inside the claim's transaction:
 *
 * - `batch`: a row of a bulk send (data.batchId) first takes a transaction-scoped advisory lock
 *   on its batch and recipient, before its row lock (the gate in `locked` runs before the row is
 *   read), so the claims of one batch's rows to one recipient go one at a time: the first gathers
 *   and leases all the others (batchSiblings), and theirs then find them leased and, once sent,
 *   done, instead of each skipping the others' locked rows and going alone.
 * - `locked`: the row under its lock (FOR UPDATE: a concurrent claim waits, then sees this one's
 *   lease), as it was before this statement changed it.
 * - `leased`: the lease, set only if the row is PENDING, due (not_before ≤ $3) and not leased by
 *   another run (claimed_until empty or lapsed). A superseded or unsendable row is not left
 *   leased: the caller marks it in the same transaction or rolls it back.
 * - the reply link of data.linkId (a well-formed UUID only) with its order's state, which
 *   ReplyLinks.whyDeadOf judges, and whether it has its reply address yet;
 * - the order's summary (OrderSummaries), which compose() would otherwise read on its own;
 * - the thread (issue 8, item 8, one order, one conversation): the emails of one order to one
 *   recipient form one thread in the recipient's mail client. Its root is the first of them the
 *   recipient received (status SENT or BOUNCED, never a superseded or failed one), and each later
 *   email answers the latest one before it: In-Reply-To is that one's Message-ID, References the
 *   root and that one (RFC 5322 §3.6.4 lets References keep the first and the last). So the
 *   newest link is always at the end of one conversation; coordinators' and projects' mails are
 *   threaded per order and recipient too. Only those two rows are read (index
 *   outbox_email_thread), not every earlier email of the thread.
 *
 * One statement instead of one per step: each round trip to Postgres showed in bench:email. It
 * runs as a prepared statement (CLAIM_STATEMENT), so Postgres plans it once per connection, not
 * once per email.
 */
const CLAIM_SQL = `
  WITH batch AS MATERIALIZED (
    SELECT pg_advisory_xact_lock(hashtext((data->>'batchId') || ':' || recipient_email))
      FROM outbox_email WHERE id = $1 AND data ? 'batchId'
  ), locked AS MATERIALIZED (
    SELECT ${OUTBOX_ROW_COLUMNS}, claimed_until AS "claimedUntil"
      FROM outbox_email WHERE id = $1 AND (SELECT count(*) FROM batch) >= 0
       FOR UPDATE
  ), leased AS (
    UPDATE outbox_email e SET claimed_until = $4
      FROM locked r
     WHERE e.id = r.id AND r.status = 'PENDING' AND r."notBefore" <= $3
       AND (r."claimedUntil" IS NULL OR r."claimedUntil" <= $2)
    RETURNING e.id
  )
  SELECT r.*, EXISTS (SELECT 1 FROM leased) AS leased,
         l.status AS "linkStatus", l.expires_at AS "linkExpiresAt", l.state AS "linkOrderState",
         l.token_hash AS "linkTokenHash", l.reply_address_hash IS NOT NULL AS "linkReplyAddressStored",
         (SELECT t.message_id FROM outbox_email t
           WHERE t.order_id = r."orderId" AND lower(t.recipient_email) = lower(r."recipientEmail")
             AND t.id <> r.id AND t.status IN ('SENT', 'BOUNCED') AND t.created_at <= r."createdAt"
           ORDER BY t.created_at, t.id LIMIT 1) AS "threadRoot",
         (SELECT t.message_id FROM outbox_email t
           WHERE t.order_id = r."orderId" AND lower(t.recipient_email) = lower(r."recipientEmail")
             AND t.id <> r.id AND t.status IN ('SENT', 'BOUNCED') AND t.created_at <= r."createdAt"
           ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS "threadParent",
         (SELECT row_to_json(summary) FROM (${orderSummarySelect('r."orderId"')}) summary) AS "orderSummary"
    FROM locked r
    LEFT JOIN LATERAL (
      SELECT l.status, l.expires_at, l.token_hash, l.reply_address_hash, lo.state
        FROM reply_link l JOIN interface_order lo ON lo.id = l.order_id
       WHERE l.id = CASE WHEN r.data->>'linkId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                         THEN (r.data->>'linkId')::uuid END
    ) l ON true`;

/** The name CLAIM_SQL is prepared under on each connection (node-postgres keeps track). */
const CLAIM_STATEMENT = 'snitflow_email_claim';

/** A row of CLAIM_SQL. */
interface ClaimRow extends OutboxRow {
  /** claimed_until before this claim: null unless an earlier run leased the row. */
  claimedUntil: Date | null;
  /** Whether this claim leased the row. */
  leased: boolean;
  linkStatus: string | null;
  linkExpiresAt: Date | null;
  linkOrderState: string | null;
  linkTokenHash: string | null;
  linkReplyAddressStored: boolean | null;
  threadRoot: string | null;
  threadParent: string | null;
  /** The order's summary row, as JSON (so dueAt is an ISO string); null without an order. */
  orderSummary: (Omit<OrderSummaryRow, 'dueAt'> & { dueAt: string | null }) | null;
}

/** The outbox row alone, without what CLAIM_SQL read along with it. */
function outboxRowOf(row: ClaimRow): OutboxRow {
  return {
    id: row.id,
    orderId: row.orderId,
    template: row.template,
    language: row.language,
    recipientEmail: row.recipientEmail,
    recipientName: row.recipientName,
    data: row.data,
    status: row.status,
    notBefore: row.notBefore,
    attempts: row.attempts,
    lastError: row.lastError,
    messageId: row.messageId,
    createdAt: row.createdAt,
  };
}

/** In-Reply-To the thread's latest email, References its root and that one (see CLAIM_SQL). */
function threadOf(root: string | null, parent: string | null): Thread {
  if (!root || !parent) return { inReplyTo: null, references: [] };
  return { inReplyTo: parent, references: root === parent ? [root] : [root, parent] };
}

/** The reply link CLAIM_SQL read, or null when the row names none that exists. */
function linkOf(row: ClaimRow): (ReplyLinkState & { replyAddressStored: boolean }) | null {
  if (row.linkStatus === null || row.linkExpiresAt === null || row.linkTokenHash === null) return null;
  return {
    status: row.linkStatus,
    expiresAt: row.linkExpiresAt,
    orderState: row.linkOrderState ?? '',
    tokenHash: row.linkTokenHash,
    replyAddressStored: row.linkReplyAddressStored === true,
  };
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
    private readonly summaries: OrderSummaries,
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

  /**
   * Step 1, one short transaction: check, compose and lease the row (see the class comment).
   * Its one statement (CLAIM_SQL) takes the locks, leases the row if it is claimable and reads
   * all that the checks, the composition and the headers need, so an ordinary email's claim is
   * BEGIN, that statement, COMMIT (a bulk send's siblings and a PROJECT_UPDATE about one request
   * read more). A row that turns out superseded or unsendable is not left leased: the first is
   * marked in the same transaction, the second rolls it back.
   */
  private claim(emailId: string): Promise<Claim> {
    return this.dataSource.transaction(async (tx): Promise<Claim> => {
      const now = this.clock.now();
      const leaseUntil = new Date(now.getTime() + this.config.EMAIL_LEASE_SECONDS * 1000);
      const result = await (await this.connectionOf(tx)).query<ClaimRow>({
        name: CLAIM_STATEMENT,
        text: CLAIM_SQL,
        values: [emailId, now, new Date(now.getTime() + EARLY_TOLERANCE_MS), leaseUntil],
      });
      const claimed = result.rows[0];
      if (!claimed) return { kind: 'skipped', reason: 'missing' };
      const link = linkOf(claimed);
      const { claimedUntil, leased, threadRoot, threadParent } = claimed;
      const row = outboxRowOf(claimed);
      if (!leased) {
        // The statement leases exactly when none of these holds: it decided, this only says why.
        if (row.status !== 'PENDING') return { kind: 'skipped', reason: 'not-pending' };
        if (claimedUntil && claimedUntil.getTime() > now.getTime()) {
          return { kind: 'later', notBefore: claimedUntil, reason: 'leased' };
        }
        return { kind: 'later', notBefore: row.notBefore, reason: 'office-hours' };
      }
      // A lapsed lease: an earlier run may have handed it to the server, so it goes out again as it
      // was (same Message-ID), never SUPERSEDED after the fact.
      const maybeSent = claimedUntil !== null;
      const superseded = maybeSent ? null : this.composer.supersededReasonOf(row, link, now);
      if (superseded) {
        await tx.query(
          `UPDATE outbox_email SET status = 'SUPERSEDED', last_error = $2, claimed_until = NULL
            WHERE id = $1 AND status = 'PENDING'`,
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
          : await this.composer.compose(tx, row, {
              order: claimed.orderSummary
                ? this.summaries.fromRow({
                    ...claimed.orderSummary,
                    dueAt: claimed.orderSummary.dueAt === null ? null : new Date(claimed.orderSummary.dueAt),
                  })
                : null,
              replyAddressStored: link?.replyAddressStored ?? true,
            });
      if (siblings.length > 0) {
        await tx.query('UPDATE outbox_email SET claimed_until = $2 WHERE id = ANY($1::uuid[])', [
          siblings.map((sibling) => sibling.id),
          leaseUntil,
        ]);
      }
      return { kind: 'claimed', row, composed, siblings, thread: threadOf(threadRoot, threadParent) };
    });
  }

  /**
   * The node-postgres connection of the transaction `tx` (TypeORM's query() cannot name a
   * statement, so CLAIM_SQL goes to the driver itself, on the same connection and transaction).
   */
  private async connectionOf(tx: EntityManager): Promise<ClientBase> {
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('the claim needs an open transaction');
    // Already connected (the transaction began on it): connect() hands back that connection, a
    // node-postgres client (the only driver snitflow runs on).
    const connection: ClientBase = await runner.connect();
    return connection;
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

  /** Step 2: the rendered email to the transport, with the row's Message-ID; no transaction open. */
  private send(row: OutboxRow, composed: ComposedEmail, thread: Thread): Promise<Delivery> {
    return this.transport.send(outgoingEmail(row, composed, thread, this.addresses.returnPathFor(row.id)));
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
