import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, ErrorCode, isInfrastructureError, SnitflowError } from '@snitflow/common';
import { JobName, type JobPayload } from '@snitflow/jobs';
import type { Actor } from '@snitflow/lifecycle';
import { Metrics } from '@snitflow/observability';
import {
  DeadlinePlanner,
  type DueReminder,
  OrderTransitionService,
  type TransitionCommand,
} from '@snitflow/orders';
import { DelayedError, type Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { JobHandler } from '../job-handler.js';

const WORKER: Actor = { id: 'snitflow-worker', role: 'system', displayName: 'snitflow worker' };

/** Jobs may fire a little early (clock skew between Redis and us); beyond this they wait again. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * Orders whose due reminders one transaction of a sweep fires. Large enough that a burst costs a
 * few statements per hundred reminders instead of a dozen per reminder; small enough that a
 * transaction holds its order locks for tens of milliseconds, not seconds.
 */
export const SWEEP_BATCH_SIZE = 100;

/** Transactions one job's sweep runs at most before it ends (the other jobs of the burst sweep on). */
const SWEEP_MAX_BATCHES = 50;

/**
 * How long sweeps leave alone an order whose reminder failed when fired alone. Its own job keeps
 * trying it (with BullMQ's retries, then failing visibly); without the pause, every sweep would
 * claim it first (it is the longest due) and fall back to one transaction per order each time.
 */
const SWEEP_PAUSE_AFTER_FAILURE_MS = 10 * 60_000;

export type ReminderOutcome = 'sent' | 'escalated' | 'stale' | 'early';

/** An order as the processor locks it: enough to decide which step fires. */
interface DueOrder {
  id: string;
  reference: string;
  state: string;
  scheduleVersion: number;
  escalationLevel: number;
}

/**
 * Fires planned reminders. A job carries ids only: the order and the reminder rows are re-read
 * under the order's lock, and nothing happens when the order has left the state (another
 * schedule is current) or the step is done. Marking the step done, the history event and the
 * outbox emails commit together, so a worker killed at any point neither loses nor doubles a
 * reminder: before commit the retry redoes it, after commit it finds it done.
 *
 * The morning burst: all steps fall in office hours, so thousands can be due at one instant.
 * After its own step, each job sweeps the reminders due by now, up to SWEEP_BATCH_SIZE orders per
 * transaction through OrderTransitionService.applyMany (each order locked, its history event and
 * emails exact, written set-based), claiming orders with SKIP LOCKED so concurrent jobs split the
 * burst. The jobs of reminders a sweep fired then find their step done. A batch that fails is
 * fired again one order per transaction, so one order's fault holds up no other's reminder.
 */
@Injectable()
export class ReminderProcessor implements JobHandler<JobName.OrderReminder> {
  readonly name = JobName.OrderReminder;
  private readonly logger = new Logger(ReminderProcessor.name);
  /** Orders whose reminder failed in a sweep, by id, with when sweeps may claim them again (ms). */
  private readonly failing = new Map<string, number>();

  constructor(
    private readonly transitions: OrderTransitionService,
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    // Absent where the processor is built outside the worker (tests in the API's module).
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async handle(
    data: JobPayload<JobName.OrderReminder>,
    job?: Job<JobPayload<JobName.OrderReminder>>,
    token?: string,
  ): Promise<void> {
    // Most jobs of a burst find their step fired by another job's sweep: one read tells, with no
    // transaction and no lock (a step that is no longer PENDING never becomes pending again).
    if (!(await this.stillPending(data))) return;
    const outcome = await this.fire(data);
    if (typeof outcome === 'object' && job) {
      await job.moveToDelayed(outcome.notBefore.getTime(), token);
      throw new DelayedError();
    }
    // Others are likely due at the same instant (the morning burst): fired now, many per
    // transaction, instead of each waiting for its own job.
    if (outcome !== 'stale') await this.fireDue();
  }

  /** Whether the job's step is still PENDING in its order's current schedule. */
  private async stillPending({ orderId, scheduleVersion, step }: JobPayload<JobName.OrderReminder>) {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM order_reminder r JOIN interface_order o ON o.id = r.order_id
        WHERE r.order_id = $1 AND r.schedule_version = $2 AND r.step = $3 AND r.status = 'PENDING'
          AND o.schedule_version = r.schedule_version`,
      [orderId, scheduleVersion, step],
    );
    return rows.length > 0;
  }

  /**
   * Fires the job's own step if it is still due, in its own transaction. Returns sent or escalated,
   * stale (the order is gone, left the schedule, or the step is no longer pending), or the time to
   * wait until when the step lies more than EARLY_TOLERANCE_MS ahead. Also called by tests.
   */
  async fire(data: JobPayload<JobName.OrderReminder>): Promise<ReminderOutcome | { notBefore: Date }> {
    const { orderId, scheduleVersion, step } = data;
    return this.transitions.inTransaction(async (tx) => {
      const order = await this.transitions.lock(tx, orderId, { facts: false }).catch((error: unknown) => {
        // An order that no longer exists has nothing to remind of.
        if (error instanceof SnitflowError && error.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      });
      if (!order) return 'stale';
      const rows: { sendAt: Date; status: string }[] = await tx.query(
        `SELECT send_at AS "sendAt", status FROM order_reminder
          WHERE order_id = $1 AND schedule_version = $2 AND step = $3 FOR UPDATE`,
        [orderId, scheduleVersion, step],
      );
      const reminder = rows[0];
      if (reminder?.status !== 'PENDING' || order.scheduleVersion !== scheduleVersion) return 'stale';
      const now = this.clock.now();
      if (reminder.sendAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS)
        return { notBefore: reminder.sendAt };
      const outcomes = await this.fireLocked(
        tx,
        [{ ...order, scheduleVersion }],
        now,
        `woken by step ${step}`,
      );
      return outcomes.get(orderId) ?? 'stale';
    });
  }

  /**
   * Fires every reminder due by now (within the early tolerance), SWEEP_BATCH_SIZE orders per
   * transaction, until none is left or SWEEP_MAX_BATCHES transactions ran. Orders another
   * transaction holds are skipped (SKIP LOCKED): that one is firing or changing them. Returns how
   * many orders had a reminder fired. Raises only when Postgres is unreachable.
   */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const { claimed, done } = await this.fireBatch(SWEEP_BATCH_SIZE);
      fired += done;
      if (claimed < SWEEP_BATCH_SIZE) break;
    }
    return fired;
  }

  private async fireBatch(limit: number): Promise<{ claimed: number; done: number }> {
    let claimed: DueOrder[] = [];
    try {
      return await this.transitions.inTransaction(async (tx) => {
        const now = this.clock.now();
        claimed = await this.claimDue(tx, now, limit);
        if (claimed.length === 0) return { claimed: 0, done: 0 };
        const outcomes = await this.fireLocked(tx, claimed, now, 'sweep');
        return { claimed: claimed.length, done: outcomes.size };
      });
    } catch (error) {
      if (isInfrastructureError(error) || claimed.length === 0) throw error;
      this.logger.warn(
        `A batch of ${claimed.length} reminders failed (${(error as Error).message}); firing them one at a time`,
      );
      let done = 0;
      for (const order of claimed) {
        try {
          done += await this.fireOrder(order.id);
        } catch (single) {
          if (isInfrastructureError(single)) throw single;
          // Its own job fires it again, with retries, and fails visibly if it keeps failing.
          this.failing.set(order.id, this.clock.now().getTime() + SWEEP_PAUSE_AFTER_FAILURE_MS);
          this.logger.warn(
            `Reminder of order ${order.reference} failed: ${(single as Error).message}; sweeps leave it to its own job for a while`,
          );
        }
      }
      return { claimed: claimed.length, done };
    }
  }

  /** One order's due step, in its own transaction; 1 when one fired. */
  private async fireOrder(orderId: string): Promise<number> {
    return this.transitions.inTransaction(async (tx) => {
      const order = await this.transitions.lock(tx, orderId, { facts: false });
      if (order.scheduleVersion === null) return 0;
      const outcomes = await this.fireLocked(
        tx,
        [{ ...order, scheduleVersion: order.scheduleVersion }],
        this.clock.now(),
        'sweep, alone',
      );
      return outcomes.size;
    });
  }

  /**
   * Locks up to `limit` orders with a reminder of their current schedule due by now, earliest
   * first, skipping orders another transaction holds and orders whose reminder just failed. Rides the pending reminders' partial index
   * (order_reminder_pending on send_at).
   */
  private async claimDue(tx: EntityManager, now: Date, limit: number): Promise<DueOrder[]> {
    for (const [orderId, until] of this.failing) if (until <= now.getTime()) this.failing.delete(orderId);
    const rows: DueOrder[] = await tx.query(
      `SELECT o.id, o.reference, o.state, o.schedule_version AS "scheduleVersion",
              o.escalation_level AS "escalationLevel"
         FROM order_reminder r
         JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
        WHERE r.status = 'PENDING' AND r.send_at <= $1 AND o.id <> ALL($3::uuid[])
        ORDER BY r.send_at
        LIMIT $2
          FOR UPDATE OF o SKIP LOCKED`,
      [new Date(now.getTime() + EARLY_TOLERANCE_MS), limit, [...this.failing.keys()]],
    );
    // An order with two due steps comes twice; it fires once (the missed step collapses).
    const unique = new Map(rows.map((row) => [row.id, row]));
    return [...unique.values()];
  }

  /**
   * Fires the due step of each locked order (DeadlinePlanner.dueReminders decides which:
   * missed ones collapse, an escalation waits for its overdue reminders), all in the caller's
   * transaction through the transition service. Returns the outcome by order id, for orders with
   * a step fired.
   */
  private async fireLocked(
    tx: EntityManager,
    orders: readonly DueOrder[],
    now: Date,
    why: string,
  ): Promise<Map<string, ReminderOutcome>> {
    const targets = await this.deadlines.dueReminders(tx, orders, now, EARLY_TOLERANCE_MS);
    const fired: { order: DueOrder; target: DueReminder }[] = [];
    const commands: TransitionCommand[] = [];
    for (const order of orders) {
      const target = targets.get(order.id);
      if (!target) continue;
      fired.push({ order, target });
      const { scheduleVersion } = order;
      // The emails, the escalation level and marking the step done are the event's consequences
      // (consequences.ts), written by the transition service like every change to an order.
      commands.push({
        orderId: order.id,
        actor: WORKER,
        event:
          target.kind === 'ESCALATION'
            ? { type: 'ESCALATE', scheduleVersion, step: target.step, level: order.escalationLevel + 1 }
            : { type: 'REMINDER_SENT', scheduleVersion, step: target.step, kind: target.kind },
      });
    }
    if (commands.length === 0) return new Map();
    await this.transitions.applyMany(commands, tx);
    this.transitions.onCommit(tx, async () => {
      // Lateness from the step's own time (the row), not the job's: a swept reminder had no job run.
      const committedAt = this.clock.now().getTime();
      for (const { target } of fired) {
        this.metrics?.reminderLateness.observe(Math.max(0, committedAt - target.sendAt.getTime()) / 1000);
      }
    });
    const describe = ({ order, target }: (typeof fired)[number]) =>
      `${order.reference} step ${target.step} (${target.kind})`;
    this.logger.log(
      fired.length === 1
        ? `Reminder ${fired.map(describe).join('')}; ${why}`
        : `${fired.length} reminders in one transaction (${why}): ${fired.map(describe).join(', ')}`,
    );
    return new Map(
      fired.map(({ order, target }) => [order.id, target.kind === 'ESCALATION' ? 'escalated' : 'sent']),
    );
  }
}
