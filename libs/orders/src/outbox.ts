import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import type { EmailTemplate } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';
import { Transactions } from './transactions.js';

/**
 * The template of an outbox row: every email template (libs/mail EmailTemplate) but
 * SUPPLIER_ORDERS, which is only rendered: a bulk send stores one SUPPLIER_ORDER row per order,
 * and the worker composes a recipient's rows into one SUPPLIER_ORDERS email.
 */
export type OutboxTemplate = Exclude<EmailTemplate, 'SUPPLIER_ORDERS'>;

export interface OutboxEmail {
  orderId: string;
  template: OutboxTemplate;
  language: 'da' | 'en';
  recipientEmail: string;
  recipientName: string | null;
  /** Template extras only; the order itself is re-read when the email is rendered. */
  data: Record<string, string | number | boolean | null>;
  notBefore: Date;
}

/**
 * Writes emails as outbox rows in the caller's transaction, so an email
 * exists exactly when the event that causes it committed; after commit the
 * worker is woken to send them. Each row has its own stable Message-ID.
 */
@Injectable()
export class Outbox {
  private readonly logger = new Logger(Outbox.name);
  private readonly messageIdDomain: string;

  constructor(
    private readonly transactions: Transactions,
    private readonly queues: JobQueues,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.messageIdDomain = new URL(config.PUBLIC_BASE_URL).hostname || 'snitflow';
  }

  /**
   * Writes `emails` as PENDING outbox rows in one statement, in the caller's transaction, and
   * queues their wake-ups after it commits. Returns the new rows' ids, in the order given.
   */
  async add(tx: EntityManager, emails: readonly OutboxEmail[]): Promise<string[]> {
    if (emails.length === 0) return [];
    const ids = emails.map(() => randomUUID());
    // One statement for any number of emails: a burst of reminders writes hundreds at once.
    await tx.query(
      `INSERT INTO outbox_email (id, order_id, template, language, recipient_email, recipient_name, data,
                                 not_before, message_id)
       SELECT id, order_id, template, language, recipient_email, recipient_name, data::jsonb, not_before,
              '<' || id || '@' || $10::text || '>'
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::int[])
              AS e(id, order_id, template, language, recipient_email, recipient_name, data, not_before, n)
        ORDER BY n`,
      [
        ids,
        emails.map((email) => email.orderId),
        emails.map((email) => email.template),
        emails.map((email) => email.language),
        emails.map((email) => email.recipientEmail),
        emails.map((email) => email.recipientName),
        emails.map((email) => JSON.stringify(email.data)),
        emails.map((email) => email.notBefore.toISOString()),
        emails.map((_, index) => index),
        this.messageIdDomain,
      ],
    );
    const wakeUps = emails.map((email, index) => ({
      name: JobName.SendEmail,
      id: emailJobId(ids[index] as string),
      data: { emailId: ids[index] as string },
      runAt: email.notBefore,
    }));
    this.transactions.onCommit(tx, async () => {
      this.logHeld(emails);
      // Bounded and never thrown: the email is committed; if Redis is away the reconciler queues
      // it. Delays are relative to the same clock that set not_before, read now, at queueing.
      await this.queues.addAfterCommit(wakeUps, this.clock.now());
    });
    return ids;
  }

  /**
   * Ends the hold on a bulk send's emails (data.batchId; see SupplierMessages.ask): each is due
   * when it would have been without the batch, and the worker is woken for it again, so it
   * sends each recipient one email listing the batch's orders. Own transaction, after the
   * orders' transactions committed.
   */
  async releaseBatch(batchId: string, holdMs: number): Promise<number> {
    const released = await this.transactions.run(async (tx) => {
      const rows: { id: string; notBefore: Date }[] = await tx.query(
        `WITH released AS (
           UPDATE outbox_email SET not_before = not_before - make_interval(secs => $2::double precision / 1000)
            WHERE data->>'batchId' = $1 AND status = 'PENDING'
            RETURNING id, not_before AS "notBefore")
         SELECT * FROM released`,
        [batchId, holdMs],
      );
      return rows;
    });
    if (released.length === 0) return 0;
    try {
      // The held wake-ups carry the same job ids: replace them, or they would fire only after the hold.
      await this.queues.remove(
        JobName.SendEmail,
        released.map((row) => emailJobId(row.id)),
      );
      await this.queues.addDelayed(
        released.map((row) => ({
          name: JobName.SendEmail,
          id: emailJobId(row.id),
          data: { emailId: row.id },
          runAt: row.notBefore,
        })),
        this.clock.now(),
      );
    } catch (error) {
      this.logger.warn(`Batch email wake-ups not queued (the reconciler will): ${(error as Error).message}`);
    }
    return released.length;
  }

  private logHeld(emails: readonly OutboxEmail[]): void {
    const soon = this.clock.now().getTime() + 60_000;
    for (const email of emails) {
      if (email.notBefore.getTime() <= soon) continue;
      // Said once committed, or a newcomer trying the dialogue at night waits for a file that is not late.
      this.logger.log(
        `${email.template} to ${email.recipientEmail} is held until ${email.notBefore.toISOString()} (office hours; SUPPLIER_EMAIL_HOURS=any sends at once)`,
      );
    }
  }
}
