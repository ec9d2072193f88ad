import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput, CLOCK, type Clock, notFound } from '@snitflow/common';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { DataSource } from 'typeorm';
import type { OutboxEmailModel } from './email.models.js';

const COLUMNS = `id, order_id AS "orderId", template, recipient_email AS "recipientEmail", status, attempts,
  last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"`;

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

  /**
   * Sends a FAILED email again: back to PENDING with its attempts reset, due
   * now, and a fresh job (the failed one keeps its id in Redis for a week, so
   * the new one needs its own). The Message-ID stays the row's.
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
           UPDATE outbox_email SET status = 'PENDING', attempts = 0, last_error = NULL, not_before = $2
            WHERE id = $1
        RETURNING ${COLUMNS})
         SELECT * FROM retried`,
        [emailId, now],
      );
      return updated[0] as OutboxEmailModel;
    });
    try {
      await this.queues.addDelayed(
        [
          {
            name: JobName.SendEmail,
            id: `${emailJobId(emailId)}-r${now.getTime()}`,
            data: { emailId },
            runAt: now,
          },
        ],
        now,
      );
    } catch (error) {
      // Without its job the email would sit PENDING (the reconciler sees the old job and adds none):
      // put it back as it was and say so.
      const reason = `retry could not be queued: ${(error as Error).message}`;
      await this.dataSource.query(
        "UPDATE outbox_email SET status = 'FAILED', last_error = $2 WHERE id = $1 AND status = 'PENDING'",
        [emailId, reason],
      );
      this.logger.error(`email ${emailId}: ${reason}`);
      throw error;
    }
    this.logger.log(
      `email ${emailId} (${email.template} to ${email.recipientEmail}) retried by ${retriedBy}`,
    );
    return email;
  }
}
