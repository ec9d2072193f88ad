import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobName, type JobPayload } from '@snitflow/jobs';
import { DataSource } from 'typeorm';
import type { JobHandler } from '../job-handler.js';

/**
 * Until email sending lands (the supplier-email issue), an outbox email is
 * logged, not sent: the row stays PENDING so the sender will pick it up, and
 * its completed job stays in Redis so the reconciler does not log it again.
 */
@Injectable()
export class OutboxLogger implements JobHandler<JobName.SendEmail> {
  readonly name = JobName.SendEmail;
  private readonly logger = new Logger('Outbox');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle({ emailId }: JobPayload<JobName.SendEmail>): Promise<void> {
    const rows: { template: string; recipientEmail: string; reference: string | null; status: string }[] =
      await this.dataSource.query(
        `SELECT e.template, e.recipient_email AS "recipientEmail", o.reference, e.status
           FROM outbox_email e LEFT JOIN interface_order o ON o.id = e.order_id WHERE e.id = $1`,
        [emailId],
      );
    const email = rows[0];
    if (!email || email.status !== 'PENDING') return;
    this.logger.log(
      `outbox ${emailId}: ${email.template} to ${email.recipientEmail} for ${email.reference ?? '-'} (not sent: sending is not built yet)`,
    );
  }
}
