import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock } from '@snitflow/common';
import { reminderJobId } from '@snitflow/deadlines';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { DataSource } from 'typeorm';

export interface ReconcileReport {
  pendingReminders: number;
  restoredReminders: number;
  pendingEmails: number;
  restoredEmails: number;
  milliseconds: number;
}

const BATCH = 2000;

/**
 * Postgres is the source of truth; Redis only holds wake-ups. This rebuilds
 * every missing wake-up from Postgres: each pending reminder of a current
 * schedule and each unsent email. Deterministic job ids make it idempotent:
 * a job that exists is left alone, so nothing is ever queued twice.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: JobQueues,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const started = Date.now();
    const now = this.clock.now();
    let pendingReminders = 0;
    let restoredReminders = 0;
    let after: [string, number, number] = ['00000000-0000-0000-0000-000000000000', -1, -1];
    for (;;) {
      const rows: { orderId: string; scheduleVersion: number; step: number; sendAt: Date }[] =
        await this.dataSource.query(
          `SELECT r.order_id AS "orderId", r.schedule_version AS "scheduleVersion", r.step, r.send_at AS "sendAt"
             FROM order_reminder r
             JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
            WHERE r.status = 'PENDING' AND (r.order_id, r.schedule_version, r.step) > ($1::uuid, $2::int, $3::int)
            ORDER BY r.order_id, r.schedule_version, r.step
            LIMIT ${BATCH}`,
          after,
        );
      if (rows.length === 0) break;
      pendingReminders += rows.length;
      const jobs = rows.map((row) => ({
        name: JobName.OrderReminder,
        id: reminderJobId(row.orderId, row.scheduleVersion, row.step),
        data: { orderId: row.orderId, scheduleVersion: row.scheduleVersion, step: row.step },
        runAt: row.sendAt,
      }));
      const existing = await this.queues.existing(
        JobName.OrderReminder,
        jobs.map((job) => job.id),
      );
      const missing = jobs.filter((job) => !existing.has(job.id));
      if (missing.length > 0) await this.queues.addDelayed(missing, now);
      restoredReminders += missing.length;
      const last = rows[rows.length - 1];
      if (!last) break;
      after = [last.orderId, last.scheduleVersion, last.step];
    }

    const emails: { id: string; notBefore: Date }[] = await this.dataSource.query(
      `SELECT id, not_before AS "notBefore" FROM outbox_email WHERE status = 'PENDING' ORDER BY created_at`,
    );
    const emailJobs = emails.map((email) => ({
      name: JobName.SendEmail,
      id: emailJobId(email.id),
      data: { emailId: email.id },
      runAt: email.notBefore,
    }));
    const existingEmails = await this.queues.existing(
      JobName.SendEmail,
      emailJobs.map((job) => job.id),
    );
    const missingEmails = emailJobs.filter((job) => !existingEmails.has(job.id));
    if (missingEmails.length > 0) await this.queues.addDelayed(missingEmails, now);

    const report = {
      pendingReminders,
      restoredReminders,
      pendingEmails: emails.length,
      restoredEmails: missingEmails.length,
      milliseconds: Date.now() - started,
    };
    if (report.restoredReminders + report.restoredEmails > 0) {
      this.logger.log(
        `Rebuilt ${report.restoredReminders} reminder and ${report.restoredEmails} email wake-ups from Postgres`,
      );
    }
    return report;
  }
}
