import { Inject, Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@snitflow/calendar';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import {
  businessDayOnOrAfter,
  businessDayOnOrBefore,
  DEFAULT_DEADLINE_POLICIES,
  type DeadlinePolicies,
  deadlineFor,
  parseDeadlinePolicies,
  type ReminderKind,
  reminderJobId,
  reminderSchedule,
  type StateDeadlinePolicy,
  shiftBusinessDays,
} from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import type { OrderEvent } from '@snitflow/lifecycle';
import type { EntityManager } from 'typeorm';
import { Transactions } from './transactions.js';

/** A reminder step that is due: which, of what kind, and when it was due. */
export interface DueReminder {
  step: number;
  kind: ReminderKind;
  sendAt: Date;
}

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
    private readonly transactions: Transactions,
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
    const cancelled = await this.cancelPending(tx, order.id);
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
    return { cancelled, ...(await this.plan(tx, order, policy, dueAt, now, enteredState)) };
  }

  /**
   * A new order (OrderTransitionService.lockOpenOrderFor), created in its first state (`ordered`)
   * without a transition: it gets that state's deadline (README "Deadlines, reminders and the
   * overdue queue": 10 business days to review the requests) and reminder schedule as entering
   * the state would, in the creating transaction. `order.version` is the new row's (0), so the
   * schedule is version 0. Nothing to cancel: a new order has no reminders. The caller queues the
   * wake-ups after commit (`applyToQueue`).
   */
  async planNewOrder(
    tx: EntityManager,
    order: { id: string; version: number },
    state: string,
    now: Date,
  ): Promise<DeadlineChange> {
    const policy = this.policyFor(state);
    if (!policy) return { dueAt: null, cancelled: [], planned: [] };
    return {
      cancelled: [],
      ...(await this.plan(tx, order, policy, deadlineFor(now, policy, this.calendar), now, true)),
    };
  }

  /** Writes the deadline and every reminder step of it; `enteredState`: the state was just entered at `now`. */
  private async plan(
    tx: EntityManager,
    order: { id: string; version: number },
    policy: StateDeadlinePolicy,
    dueAt: Date,
    now: Date,
    enteredState: boolean,
  ): Promise<Omit<DeadlineChange, 'cancelled'>> {
    const steps = reminderSchedule(dueAt, policy, this.calendar, now);
    await tx.query(
      `UPDATE interface_order
          SET due_at = $2, schedule_version = $3, escalation_level = 0, escalated_at = NULL,
              state_entered_at = CASE WHEN $4 THEN $5 ELSE state_entered_at END
        WHERE id = $1`,
      [order.id, dueAt, order.version, enteredState, now],
    );
    await this.insertSteps(tx, order, policy.remind, steps);
    return {
      dueAt,
      planned: steps.map((step) => ({
        orderId: order.id,
        scheduleVersion: order.version,
        step: step.step,
        sendAt: step.at,
      })),
    };
  }

  /**
   * A hold keeps what was in force (consequences.ts: KEEP_DEADLINE_ON_HOLD): the state held, its
   * due date, the escalation level and the schedule whose done steps count. Runs before the hold's
   * own replan, which clears them from the order's live columns.
   */
  async keepOnHold(tx: EntityManager, orderId: string, heldState: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE interface_order
          SET held_at = $2, held_state = $3, held_due_at = due_at,
              held_escalation_level = escalation_level, held_schedule_version = schedule_version
        WHERE id = $1`,
      [orderId, now, heldState],
    );
  }

  /**
   * The resume (consequences.ts: RESTORE_DEADLINE). Back in the state that was held, the deadline
   * keeps its word: the due date in force at the hold, moved on by the business days the hold
   * lasted (calendar.businessDaysBetween(hold, resume): business days after the hold's day up to
   * and including the resume's day, so a hold and resume on one day moves nothing); the
   * escalation level as it was; the reminder steps already done (or collapsed) stay done and are
   * not sent again, the rest are planned for the new due date. A resume into another state (a
   * request changed during the hold reopens the order), or of an order held before holds kept
   * their deadline, plans afresh as `replan` does.
   */
  async restore(
    tx: EntityManager,
    order: { id: string; version: number },
    toState: string,
    event: OrderEvent,
    now: Date,
    promisedReplyBy: string | null,
  ): Promise<DeadlineChange & { escalationLevel: number }> {
    const held: {
      heldAt: Date | null;
      heldState: string | null;
      heldDueAt: Date | null;
      heldEscalationLevel: number;
      heldScheduleVersion: number | null;
    }[] = await tx.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH h AS (
         SELECT id, held_at, held_state, held_due_at, held_escalation_level, held_schedule_version
           FROM interface_order WHERE id = $1),
       cleared AS (
         UPDATE interface_order o
            SET held_at = NULL, held_state = NULL, held_due_at = NULL, held_escalation_level = 0,
                held_schedule_version = NULL
           FROM h WHERE o.id = h.id RETURNING o.id)
       SELECT h.held_at AS "heldAt", h.held_state AS "heldState", h.held_due_at AS "heldDueAt",
              h.held_escalation_level AS "heldEscalationLevel", h.held_schedule_version AS "heldScheduleVersion"
         FROM h JOIN cleared ON cleared.id = h.id`,
      [order.id],
    );
    const kept = held[0];
    const policy = this.policyFor(toState);
    if (!kept?.heldAt || !kept.heldDueAt || kept.heldState !== toState || !policy) {
      return { ...(await this.replan(tx, order, toState, event, now, promisedReplyBy)), escalationLevel: 0 };
    }
    const heldDays = Math.max(0, this.calendar.businessDaysBetween(kept.heldAt, now));
    const dueDay = businessDayOnOrBefore(this.calendar, this.calendar.localDate(kept.heldDueAt));
    const dueAt = this.calendar.endOfBusinessDay(shiftBusinessDays(this.calendar, dueDay, heldDays));

    const cancelled = await this.cancelPending(tx, order.id);
    // The steps done before the hold come along into the new schedule, so they count (overdue
    // reminders before an escalation) and are not sent again.
    const done: { step: number; kind: string; status: string }[] = await tx.query(
      `INSERT INTO order_reminder (order_id, schedule_version, step, kind, recipient, send_at, status, done_at)
       SELECT order_id, $3, step, kind, recipient, send_at, status, done_at FROM order_reminder
        WHERE order_id = $1 AND schedule_version = $2 AND status IN ('DONE', 'COLLAPSED')
       RETURNING step, kind, status`,
      [order.id, kept.heldScheduleVersion ?? -1, order.version],
    );
    const doneSteps = new Set(done.map((row) => row.step));
    const overdueSent = done.filter((row) => row.status === 'DONE' && row.kind === 'OVERDUE').length;
    const escalated = done.some((row) => row.status === 'DONE' && row.kind === 'ESCALATION');
    let nextFree = Math.max(0, ...doneSteps) + 1;
    const steps = reminderSchedule(dueAt, policy, this.calendar, now).flatMap((step) => {
      if (step.kind === 'ESCALATION') {
        if (escalated) return [];
        // Its slot may hold an overdue reminder sent in its place (see dueReminder).
        return [{ ...step, step: doneSteps.has(step.step) ? nextFree++ : step.step }];
      }
      if (doneSteps.has(step.step)) return [];
      if (step.kind === 'OVERDUE' && step.overdueIndex <= overdueSent) return [];
      return [step];
    });
    await tx.query(
      `UPDATE interface_order
          SET due_at = $2, schedule_version = $3, escalation_level = $4,
              escalated_at = CASE WHEN $4 > 0 THEN $5::timestamptz ELSE NULL END, state_entered_at = $5
        WHERE id = $1`,
      [order.id, dueAt, order.version, kept.heldEscalationLevel, now],
    );
    await this.insertSteps(tx, order, policy.remind, steps);
    return {
      dueAt,
      cancelled,
      planned: steps.map((step) => ({
        orderId: order.id,
        scheduleVersion: order.version,
        step: step.step,
        sendAt: step.at,
      })),
      escalationLevel: kept.heldEscalationLevel,
    };
  }

  /**
   * What a reminder job that fell due fires, under the order's lock: missed reminders collapse
   * into one, the latest step that applies, and steps run in their order.
   *
   * - Every PENDING step of the schedule that is due by now, other than the latest, is
   *   COLLAPSED (never sent): a worker that was away past several steps sends one reminder, not
   *   one per missed step with a link each.
   * - The escalation comes only after the policy's `escalateAfterOverdueReminders` overdue
   *   reminders really went out (DONE, not collapsed). When it falls due before that, an
   *   overdue reminder goes in its place and the escalation moves one reminder interval on (a new
   *   step, queued after commit).
   *
   * Returns the step to fire, its kind and when it was due, or null when no step is pending.
   */
  async dueReminder(
    tx: EntityManager,
    order: { id: string; state: string; scheduleVersion: number },
    now: Date,
    toleranceMs: number,
  ): Promise<DueReminder | null> {
    return (await this.dueReminders(tx, [order], now, toleranceMs)).get(order.id) ?? null;
  }

  /**
   * `dueReminder` for several locked orders at once (a burst): the due steps of all of them in
   * one statement, the missed ones collapsed in one more. Returns the step to fire by order id;
   * an order with nothing pending and due is absent.
   */
  async dueReminders(
    tx: EntityManager,
    orders: readonly { id: string; state: string; scheduleVersion: number }[],
    now: Date,
    toleranceMs: number,
  ): Promise<Map<string, DueReminder>> {
    const result = new Map<string, DueReminder>();
    if (orders.length === 0) return result;
    const due: (DueReminder & { orderId: string })[] = await tx.query(
      `SELECT r.order_id AS "orderId", r.step, r.kind, r.send_at AS "sendAt" FROM order_reminder r
         JOIN unnest($1::uuid[], $2::int[]) AS x(order_id, schedule_version)
           ON r.order_id = x.order_id AND r.schedule_version = x.schedule_version
        WHERE r.status = 'PENDING' AND r.send_at <= $3
        ORDER BY r.order_id, r.send_at, r.step FOR UPDATE OF r`,
      [
        orders.map((order) => order.id),
        orders.map((order) => order.scheduleVersion),
        new Date(now.getTime() + toleranceMs),
      ],
    );
    const missed: { orderId: string; scheduleVersion: number; step: number }[] = [];
    const scheduleOf = new Map(orders.map((order) => [order.id, order.scheduleVersion]));
    for (const row of due) {
      const earlier = result.get(row.orderId);
      // Rows come in due order per order: each later one makes the one before it missed.
      if (earlier)
        missed.push({
          orderId: row.orderId,
          scheduleVersion: scheduleOf.get(row.orderId) ?? -1,
          step: earlier.step,
        });
      result.set(row.orderId, { step: row.step, kind: row.kind, sendAt: row.sendAt });
    }
    if (missed.length > 0) {
      await tx.query(
        `UPDATE order_reminder r SET status = 'COLLAPSED', done_at = $4
           FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(order_id, schedule_version, step)
          WHERE r.order_id = x.order_id AND r.schedule_version = x.schedule_version AND r.step = x.step`,
        [missed.map((m) => m.orderId), missed.map((m) => m.scheduleVersion), missed.map((m) => m.step), now],
      );
    }
    // An escalation is rare and has its own rule; it is decided one order at a time.
    for (const order of orders) {
      const latest = result.get(order.id);
      if (latest?.kind === 'ESCALATION')
        result.set(order.id, await this.escalationOrReminder(tx, order, latest, now));
    }
    return result;
  }

  /**
   * The escalation falls due: it fires when the policy's overdue reminders went out; otherwise
   * this slot sends an overdue reminder and the escalation moves one reminder interval on.
   */
  private async escalationOrReminder(
    tx: EntityManager,
    order: { id: string; state: string; scheduleVersion: number },
    latest: DueReminder,
    now: Date,
  ): Promise<DueReminder> {
    const policy = this.policyFor(order.state);
    const required = policy?.reminders.escalateAfterOverdueReminders ?? 0;
    const sent: { count: number }[] = await tx.query(
      `SELECT count(*)::int AS count FROM order_reminder
        WHERE order_id = $1 AND schedule_version = $2 AND status = 'DONE' AND kind = 'OVERDUE'`,
      [order.id, order.scheduleVersion],
    );
    if ((sent[0]?.count ?? 0) >= required || !policy) return latest;
    // Not enough overdue reminders went out: this slot sends one, the escalation moves on.
    const today = businessDayOnOrAfter(this.calendar, this.calendar.localDate(now));
    const lastDay = shiftBusinessDays(this.calendar, today, policy.reminders.repeatEveryBusinessDays - 1);
    const escalateAt = this.calendar.nextOfficeHoursInstant(this.calendar.endOfBusinessDay(lastDay));
    const next: { step: number }[] = await tx.query(
      `WITH converted AS (
         UPDATE order_reminder SET kind = 'OVERDUE'
          WHERE order_id = $1 AND schedule_version = $2 AND step = $3 RETURNING recipient)
       INSERT INTO order_reminder (order_id, schedule_version, step, kind, recipient, send_at)
       SELECT $1, $2, (SELECT max(step) + 1 FROM order_reminder WHERE order_id = $1 AND schedule_version = $2),
              'ESCALATION', recipient, $4 FROM converted
       RETURNING step`,
      [order.id, order.scheduleVersion, latest.step, escalateAt],
    );
    const step = next[0]?.step;
    if (step !== undefined) {
      const planned = { orderId: order.id, scheduleVersion: order.scheduleVersion, step, sendAt: escalateAt };
      this.transactions.onCommit(tx, () =>
        this.applyToQueue({ dueAt: null, cancelled: [], planned: [planned] }),
      );
    }
    return { ...latest, kind: 'OVERDUE' };
  }

  /** Cancels the order's pending reminders (any schedule); returns them, for their wake-ups to go. */
  private async cancelPending(
    tx: EntityManager,
    orderId: string,
  ): Promise<{ orderId: string; scheduleVersion: number; step: number }[]> {
    return tx.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH cancelled AS (
         UPDATE order_reminder SET status = 'CANCELLED'
          WHERE order_id = $1 AND status = 'PENDING'
          RETURNING order_id AS "orderId", schedule_version AS "scheduleVersion", step)
       SELECT * FROM cancelled`,
      [orderId],
    );
  }

  private async insertSteps(
    tx: EntityManager,
    order: { id: string; version: number },
    recipient: string,
    steps: readonly { step: number; kind: string; at: Date }[],
  ): Promise<void> {
    if (steps.length === 0) return;
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
