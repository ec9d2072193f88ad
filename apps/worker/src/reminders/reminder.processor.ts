import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, ErrorCode, SnitflowError } from '@snitflow/common';
import { JobName, type JobPayload } from '@snitflow/jobs';
import type { Actor } from '@snitflow/lifecycle';
import { DeadlinePlanner, OrderTransitionService } from '@snitflow/orders';
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
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
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

      // Missed steps collapse into the latest that applies; an escalation waits for the overdue
      // reminders that must go first (DeadlinePlanner.dueReminder).
      const target = await this.deadlines.dueReminder(
        tx,
        { id: orderId, state: order.state, scheduleVersion },
        now,
        EARLY_TOLERANCE_MS,
      );
      if (!target) return 'stale';
      // The emails, the escalation level and marking the step done are the event's consequences
      // (consequences.ts), written by the transition service like every change to an order.
      const outcome: ReminderOutcome = target.kind === 'ESCALATION' ? 'escalated' : 'sent';
      await this.transitions.apply(
        {
          orderId,
          actor: WORKER,
          event:
            target.kind === 'ESCALATION'
              ? { type: 'ESCALATE', scheduleVersion, step: target.step, level: order.escalationLevel + 1 }
              : { type: 'REMINDER_SENT', scheduleVersion, step: target.step, kind: target.kind },
        },
        tx,
      );
      this.logger.log(
        `${outcome} step ${target.step} of order ${order.reference} (${target.kind}; woken by step ${step})`,
      );
      return outcome;
    });
  }
}
