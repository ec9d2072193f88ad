import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock } from '@snitflow/common';
import { reminderJobId } from '@snitflow/deadlines';
import { emailJobId, JobName, JobQueues } from '@snitflow/jobs';
import { DataSource } from 'typeorm';

export interface ReconcileReport {
  pendingReminders: number;
  /** Wake-ups that were missing, dead (failed or completed job) or mistimed, and were mended. */
  restoredReminders: number;
  pendingEmails: number;
  restoredEmails: number;
  milliseconds: number;
}

const BATCH = 2000;

/**
 * Postgres is the source of truth; Redis only holds wake-ups. This makes every wake-up Postgres
 * asks for live and on time: each pending reminder of a current schedule and each unsent email.
 * "A job with this id exists" is not taken to mean "a wake-up is pending": a failed or completed
 * job keeps its id for days, so such a job is replaced, and a delayed job whose time does not
 * match its row (queued with a stale "now") is moved (JobQueues.ensure). Deterministic job ids
 * keep it idempotent: a live job is left alone, so nothing is queued twice.
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
      const mended = await this.queues.ensure(JobName.OrderReminder, jobs, this.clock.now());
      restoredReminders += mended.added + mended.revived + mended.retimed;
      const last = rows[rows.length - 1];
      if (!last) break;
      after = [last.orderId, last.scheduleVersion, last.step];
    }

    let pendingEmails = 0;
    let restoredEmails = 0;
    let afterEmail = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // A leased email wakes when its lease lapses, so a sender that died does not strand it.
      const emails: { id: string; runAt: Date }[] = await this.dataSource.query(
        `SELECT id, greatest(not_before, coalesce(claimed_until, not_before)) AS "runAt" FROM outbox_email
          WHERE status = 'PENDING' AND id > $1 ORDER BY id LIMIT ${BATCH}`,
        [afterEmail],
      );
      if (emails.length === 0) break;
      pendingEmails += emails.length;
      const mended = await this.queues.ensure(
        JobName.SendEmail,
        emails.map((email) => ({
          name: JobName.SendEmail,
          id: emailJobId(email.id),
          data: { emailId: email.id },
          runAt: email.runAt,
        })),
        this.clock.now(),
      );
      restoredEmails += mended.added + mended.revived + mended.retimed;
      afterEmail = emails[emails.length - 1]?.id ?? afterEmail;
    }

    const report = {
      pendingReminders,
      restoredReminders,
      pendingEmails,
      restoredEmails,
      milliseconds: Date.now() - started,
    };
    if (report.restoredReminders + report.restoredEmails > 0) {
      this.logger.log(
        `Mended ${report.restoredReminders} reminder and ${report.restoredEmails} email wake-ups from Postgres`,
      );
    }
    return report;
  }
}
