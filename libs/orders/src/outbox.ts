import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import type { EntityManager } from 'typeorm';
import { Transactions } from './transactions.js';

export type OutboxTemplate =
  | 'SUPPLIER_ORDER'
  | 'SUPPLIER_COUNTER_PROPOSAL'
  | 'SUPPLIER_ANSWER'
  | 'SUPPLIER_REMINDER'
  | 'COORDINATOR_ESCALATION'
  | 'COORDINATOR_SUPPLIER_REPLIED'
  | 'COORDINATOR_SUPPLIER_EMAIL'
  | 'COORDINATOR_REMINDER'
  | 'PROJECT_UPDATE';

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

  async add(tx: EntityManager, emails: readonly OutboxEmail[]): Promise<string[]> {
    const ids = emails.map(() => randomUUID());
    for (const [index, email] of emails.entries()) {
      const id = ids[index] as string;
      await tx.query(
        `INSERT INTO outbox_email (id, order_id, template, language, recipient_email, recipient_name, data,
                                   not_before, message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          email.orderId,
          email.template,
          email.language,
          email.recipientEmail,
          email.recipientName,
          email.data,
          email.notBefore,
          `<${id}@${this.messageIdDomain}>`,
        ],
      );
    }
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
