import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput, CLOCK, type Clock, notFound } from '@snitflow/common';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { DataSource } from 'typeorm';
import type { OutboxEmailModel } from './email.models.js';

const COLUMNS = `id, order_id AS "orderId", template, recipient_email AS "recipientEmail", status, attempts,
  last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt", bounced_at AS "bouncedAt"`;

export const DEFAULT_FAILED_EMAILS = 20;

/** Failed outgoing email for the coordinators: see it, send it again. */
@Injectable()
export class EmailsService {
  private readonly logger = new Logger(EmailsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: JobQueues,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The most recent failed emails first. */
  failed(first: number): Promise<OutboxEmailModel[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM outbox_email WHERE status = 'FAILED' ORDER BY created_at DESC, id DESC LIMIT $1`,
      [first],
    );
  }

  /** Emails that bounced (the address does not work), the most recent bounce first. */
  bounced(first: number): Promise<OutboxEmailModel[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM outbox_email WHERE status = 'BOUNCED' ORDER BY bounced_at DESC, id DESC LIMIT $1`,
      [first],
    );
  }

  /**
   * Sends a FAILED email again: back to PENDING with its attempts reset and due now, and its
   * wake-up made live (the failed job that kept its id is replaced). The Message-ID stays the
   * row's. If Redis is away the answer still comes at commit: the email is PENDING in Postgres
   * and the reconciler queues it.
   */
  async retry(emailId: string, retriedBy: string): Promise<OutboxEmailModel> {
    const now = this.clock.now();
    const email = await this.dataSource.transaction(async (tx) => {
      const rows: { status: string }[] = await tx.query(
        'SELECT status FROM outbox_email WHERE id = $1 FOR UPDATE',
        [emailId],
      );
      const row = rows[0];
      if (!row) throw notFound('Email', emailId);
      if (row.status !== 'FAILED') {
        throw badInput(`Email ${emailId} is ${row.status}: only a FAILED email can be retried`, {
          field: 'id',
          status: row.status,
        });
      }
      const updated: OutboxEmailModel[] = await tx.query(
        `WITH retried AS (
           UPDATE outbox_email SET status = 'PENDING', attempts = 0, last_error = NULL, not_before = $2,
                                   claimed_until = NULL
            WHERE id = $1
        RETURNING ${COLUMNS})
         SELECT * FROM retried`,
        [emailId, now],
      );
      return updated[0] as OutboxEmailModel;
    });
    const wakeUp = { name: JobName.SendEmail, id: emailJobId(emailId), data: { emailId }, runAt: now };
    await this.queues.bounded(
      () => this.queues.ensure(JobName.SendEmail, [wakeUp], this.clock.now()),
      `email ${emailId}: retry not queued`,
    );
    this.logger.log(
      `email ${emailId} (${email.template} to ${email.recipientEmail}) retried by ${retriedBy}`,
    );
    return email;
  }
}
