import { Inject, Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@snitflow/calendar';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import {
  DEFAULT_DEADLINE_POLICIES,
  type DeadlinePolicies,
  deadlineFor,
  parseDeadlinePolicies,
  reminderJobId,
  reminderSchedule,
  type StateDeadlinePolicy,
} from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import type { OrderEvent } from '@snitflow/lifecycle';
import type { EntityManager } from 'typeorm';

export interface PlannedReminder {
  orderId: string;
  scheduleVersion: number;
  step: number;
  sendAt: Date;
}

/** What a transition did to the order's deadline; applied to Redis after commit. */
export interface DeadlineChange {
  dueAt: Date | null;
  cancelled: { orderId: string; scheduleVersion: number; step: number }[];
  planned: PlannedReminder[];
}

/**
 * Deadlines and reminders of the state an order is in. Entering a state (or
 * a coordinator extending its deadline) replans, inside the transition's
 * transaction: the old schedule's pending reminders are cancelled, the new
 * deadline and every planned reminder are written. Postgres holds the plan;
 * Redis gets delayed wake-ups for it after commit.
 */
@Injectable()
export class DeadlinePlanner {
  readonly calendar: BusinessCalendar;
  readonly policies: DeadlinePolicies;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly queues: JobQueues,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.calendar = new BusinessCalendar({
      closingDays: config.CLOSING_DAYS,
      officeHours: config.OFFICE_HOURS,
    });
    // Already validated with the configuration; parsing again here only builds the object.
    this.policies = config.DEADLINE_POLICIES
      ? parseDeadlinePolicies(config.DEADLINE_POLICIES)
      : DEFAULT_DEADLINE_POLICIES;
  }

  policyFor(state: string): StateDeadlinePolicy | null {
    return this.policies[state] ?? null;
  }

  /**
   * The date a deadline is pinned to instead of counted: the reply-by date of a send; and,
   * when a hold ends back in the wait for the supplier, the date the supplier was promised
   * (while it still lies ahead), since nobody told the supplier of another one.
   */
  private explicitDueDate(toState: string, event: OrderEvent, now: Date, promisedReplyBy: string | null) {
    if (event.type === 'SEND_TO_SUPPLIER' || event.type === 'SEND_AMENDMENT')
      return event.replyBy ?? undefined;
    if (
      event.type === 'RESUME' &&
      toState === 'negotiation.awaitingSupplier' &&
      promisedReplyBy !== null &&
      promisedReplyBy >= this.calendar.localDate(now)
    ) {
      return promisedReplyBy;
    }
    return undefined;
  }

  async replan(
    tx: EntityManager,
    order: { id: string; version: number },
    toState: string,
    event: OrderEvent,
    now: Date,
    /** The reply-by date the supplier was given for the current round, if any. */
    promisedReplyBy: string | null = null,
  ): Promise<DeadlineChange> {
    const cancelled: { orderId: string; scheduleVersion: number; step: number }[] = await tx.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH cancelled AS (
         UPDATE order_reminder SET status = 'CANCELLED'
          WHERE order_id = $1 AND status = 'PENDING'
          RETURNING order_id AS "orderId", schedule_version AS "scheduleVersion", step)
       SELECT * FROM cancelled`,
      [order.id],
    );
    const enteredState = event.type !== 'EXTEND_DEADLINE';
    const policy = this.policyFor(toState);
    if (!policy) {
      await tx.query(
        `UPDATE interface_order SET due_at = NULL, schedule_version = NULL, escalation_level = 0,
                escalated_at = NULL, state_entered_at = $2 WHERE id = $1`,
        [order.id, now],
      );
      return { dueAt: null, cancelled, planned: [] };
    }

    const dueAt =
      event.type === 'EXTEND_DEADLINE'
        ? new Date(event.dueAt)
        : deadlineFor(now, policy, this.calendar, this.explicitDueDate(toState, event, now, promisedReplyBy));
    const steps = reminderSchedule(dueAt, policy, this.calendar, now);
    const recipient = policy.remind;
    await tx.query(
      `UPDATE interface_order
          SET due_at = $2, schedule_version = $3, escalation_level = 0, escalated_at = NULL,
              state_entered_at = CASE WHEN $4 THEN $5 ELSE state_entered_at END
        WHERE id = $1`,
      [order.id, dueAt, order.version, enteredState, now],
    );
    if (steps.length > 0) {
      await tx.query(
        `INSERT INTO order_reminder (order_id, schedule_version, step, kind, recipient, send_at)
         SELECT $1, $2, step, kind, $3, send_at
           FROM unnest($4::int[], $5::text[], $6::timestamptz[]) AS s(step, kind, send_at)`,
        [
          order.id,
          order.version,
          recipient,
          steps.map((step) => step.step),
          steps.map((step) => step.kind),
          steps.map((step) => step.at.toISOString()),
        ],
      );
    }
    return {
      dueAt,
      cancelled,
      planned: steps.map((step) => ({
        orderId: order.id,
        scheduleVersion: order.version,
        step: step.step,
        sendAt: step.at,
      })),
    };
  }

  /**
   * After commit: drop the wake-ups of cancelled reminders and add the new
   * ones. A failure here loses nothing (the reconciler rebuilds from
   * Postgres), so it is logged, not thrown. Each delay is counted from the
   * clock now, when it is queued, not from the transaction's time: a slow
   * commit or a Redis that answered late must not make a wake-up late.
   */
  async applyToQueue(change: DeadlineChange): Promise<void> {
    await this.queues.bounded(async () => {
      if (change.cancelled.length > 0) {
        await this.queues.remove(
          JobName.OrderReminder,
          change.cancelled.map((r) => reminderJobId(r.orderId, r.scheduleVersion, r.step)),
        );
      }
      await this.queues.addDelayed(change.planned.map(toWakeUp), this.clock.now());
    }, 'reminder wake-ups not updated in Redis');
  }
}

/** The wake-up of one planned reminder: its deterministic job id and its time. */
export function toWakeUp(reminder: PlannedReminder) {
  return {
    name: JobName.OrderReminder,
    id: reminderJobId(reminder.orderId, reminder.scheduleVersion, reminder.step),
    data: { orderId: reminder.orderId, scheduleVersion: reminder.scheduleVersion, step: reminder.step },
    runAt: reminder.sendAt,
  } as const;
}
