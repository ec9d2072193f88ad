import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, ErrorCode, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { businessDaysOverdue } from '@snitflow/deadlines';
import { JobName, type JobPayload } from '@snitflow/jobs';
import type { Actor } from '@snitflow/lifecycle';
import {
  DeadlinePlanner,
  OrderTransitionService,
  Outbox,
  type OutboxEmail,
  ProjectNotices,
  SupplierMessages,
} from '@snitflow/orders';
import { DelayedError, type Job } from 'bullmq';
import type { JobHandler } from '../job-handler.js';

const WORKER: Actor = { id: 'snitflow-worker', role: 'system', displayName: 'snitflow worker' };

/** Jobs may fire a little early (clock skew between Redis and us); beyond this they wait again. */
const EARLY_TOLERANCE_MS = 1000;

interface ReminderRow {
  kind: 'BEFORE_DUE' | 'ON_DUE' | 'OVERDUE' | 'ESCALATION';
  recipient: 'SUPPLIER' | 'COORDINATORS' | 'PROJECT';
  sendAt: Date;
  status: 'PENDING' | 'DONE' | 'CANCELLED';
}

export type ReminderOutcome = 'sent' | 'escalated' | 'stale' | 'early';

/**
 * Fires one planned reminder. The job carries ids only: the order and the
 * reminder row are re-read under the order's lock, and nothing happens when
 * the order has left the state (another schedule is current) or the step is
 * done. Marking the step done, the history event and the outbox emails
 * commit together, so a worker killed at any point neither loses nor doubles
 * a reminder: before commit the retry redoes it, after commit it finds it done.
 */
@Injectable()
export class ReminderProcessor implements JobHandler<JobName.OrderReminder> {
  readonly name = JobName.OrderReminder;
  private readonly logger = new Logger(ReminderProcessor.name);

  constructor(
    private readonly transitions: OrderTransitionService,
    private readonly outbox: Outbox,
    private readonly deadlines: DeadlinePlanner,
    private readonly supplierMessages: SupplierMessages,
    private readonly projectNotices: ProjectNotices,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(
    data: JobPayload<JobName.OrderReminder>,
    job?: Job<JobPayload<JobName.OrderReminder>>,
    token?: string,
  ): Promise<void> {
    const outcome = await this.fire(data);
    if (typeof outcome === 'object' && job) {
      await job.moveToDelayed(outcome.notBefore.getTime(), token);
      throw new DelayedError();
    }
  }

  /** Exposed for tests and the reconciler's catch-up: fires the step if it is still due. */
  async fire(data: JobPayload<JobName.OrderReminder>): Promise<ReminderOutcome | { notBefore: Date }> {
    const { orderId, scheduleVersion, step } = data;
    return this.transitions.inTransaction(async (tx) => {
      const order = await this.transitions.lock(tx, orderId, { facts: false }).catch((error: unknown) => {
        // An order that no longer exists has nothing to remind of.
        if (error instanceof SnitflowError && error.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      });
      if (!order) return 'stale';
      const rows: ReminderRow[] = await tx.query(
        `SELECT kind, recipient, send_at AS "sendAt", status FROM order_reminder
          WHERE order_id = $1 AND schedule_version = $2 AND step = $3 FOR UPDATE`,
        [orderId, scheduleVersion, step],
      );
      const reminder = rows[0];
      if (reminder?.status !== 'PENDING' || order.scheduleVersion !== scheduleVersion) return 'stale';
      const now = this.clock.now();
      if (reminder.sendAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS)
        return { notBefore: reminder.sendAt };

      const snapshot = this.transitions.restore(order);
      const overdueDays = order.dueAt ? businessDaysOverdue(order.dueAt, now, this.deadlines.calendar) : 0;
      let outcome: ReminderOutcome;
      if (reminder.kind === 'ESCALATION') {
        const level = order.escalationLevel + 1;
        await this.transitions.apply(
          { orderId, actor: WORKER, event: { type: 'ESCALATE', scheduleVersion, step, level } },
          tx,
        );
        await tx.query('UPDATE interface_order SET escalation_level = $2, escalated_at = $3 WHERE id = $1', [
          orderId,
          level,
          now,
        ]);
        await this.outbox.add(tx, [
          this.toCoordinators(orderId, 'COORDINATOR_ESCALATION', now, {
            level,
            overdueBusinessDays: overdueDays,
          }),
        ]);
        outcome = 'escalated';
      } else {
        const applied = await this.transitions.apply(
          {
            orderId,
            actor: WORKER,
            event: { type: 'REMINDER_SENT', scheduleVersion, step, kind: reminder.kind },
          },
          tx,
        );
        const extras = { reminderNumber: step, kind: reminder.kind, overdueBusinessDays: overdueDays };
        // A supplier reminder is a new round of links (the old ones are retired), in office hours.
        const supplierRecipients =
          reminder.recipient === 'SUPPLIER'
            ? await this.supplierMessages.ask(
                tx,
                applied.order,
                snapshot.context.negotiation?.recipientContactIds ?? [],
                'SUPPLIER_REMINDER',
                extras,
              )
            : 0;
        // Projects with a mailbox are reminded of their test result themselves.
        const projectRecipients =
          reminder.recipient === 'PROJECT'
            ? await this.projectNotices.remindTestResults(
                tx,
                applied.order,
                applied.snapshot.context,
                order.dueAt ? this.deadlines.calendar.localDate(order.dueAt) : null,
                { reminderNumber: step, overdueBusinessDays: overdueDays },
              )
            : 0;
        // Nobody else to tell (no contact, no mailbox): the coordinators get it, so no reminder is lost.
        if (supplierRecipients === 0 && projectRecipients === 0) {
          await this.outbox.add(tx, [this.toCoordinators(orderId, 'COORDINATOR_REMINDER', now, extras)]);
        }
        outcome = 'sent';
      }
      await tx.query(
        `UPDATE order_reminder SET status = 'DONE', done_at = $4
          WHERE order_id = $1 AND schedule_version = $2 AND step = $3`,
        [orderId, scheduleVersion, step, now],
      );
      this.logger.log(`${outcome} step ${step} of order ${order.reference} (${reminder.kind})`);
      return outcome;
    });
  }

  private toCoordinators(
    orderId: string,
    template: 'COORDINATOR_ESCALATION' | 'COORDINATOR_REMINDER',
    now: Date,
    data: OutboxEmail['data'],
  ): OutboxEmail {
    return {
      orderId,
      template,
      language: 'da',
      recipientEmail: this.config.COORDINATOR_EMAIL,
      recipientName: this.config.COORDINATOR_NAME,
      data,
      notBefore: now,
    };
  }
}
