import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, ErrorCode, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { businessDaysOverdue } from '@snitflow/deadlines';
import { type OrderEvent, type OrderSnapshot, outstandingScopeResponses } from '@snitflow/lifecycle';
import type { EntityManager } from 'typeorm';
import { type Consequence, consequencePlan } from './consequences.js';
import { DeadlinePlanner } from './deadline-planner.js';
import type { OrderRow } from './order-row.js';
import { Outbox, type OutboxEmail } from './outbox.js';
import { ProjectNotices } from './project-notices.js';
import { ReplyLinks } from './reply-links.js';
import { SupplierMessages } from './supplier-messages.js';
import { Transactions } from './transactions.js';

/** One accepted transition, as its consequences see it. `order` is updated in place (dueAt, level). */
export interface AcceptedTransition {
  order: OrderRow;
  snapshot: OrderSnapshot;
  fromState: string;
  toState: string;
  event: OrderEvent;
}

/**
 * Carries out the consequences the table in consequences.ts lists for a transition, in the
 * transition's transaction. One case per kind; what triggers which is the table's business.
 */
@Injectable()
export class OrderConsequences {
  constructor(
    private readonly deadlines: DeadlinePlanner,
    private readonly links: ReplyLinks,
    private readonly supplierMessages: SupplierMessages,
    private readonly outbox: Outbox,
    private readonly projectNotices: ProjectNotices,
    private readonly transactions: Transactions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs every consequence of `change`, in table order. */
  async runAll(tx: EntityManager, change: AcceptedTransition): Promise<void> {
    await this.runMany(tx, [change]);
  }

  /**
   * Runs every consequence of several transitions committed in one transaction (a burst of
   * reminders), step by step in table order (consequencePlan): each transition gets exactly its
   * own consequences in its own order. The kinds a burst is made of write set-based, one
   * statement for all their transitions; the others run one transition at a time.
   */
  async runMany(tx: EntityManager, changes: readonly AcceptedTransition[]): Promise<void> {
    const plan = consequencePlan(
      changes.map((change) => ({
        event: change.event,
        fromState: change.fromState,
        toState: change.toState,
        actorRole: change.event.actor.role,
      })),
    );
    for (const step of plan) {
      const applying = step.changes.flatMap((index) => changes[index] ?? []);
      switch (step.consequence.kind) {
        case 'EXTEND_LINKS':
          await this.extendLinks(tx, applying);
          break;
        case 'SEND_REMINDER':
          await this.sendReminders(tx, applying);
          break;
        default:
          for (const change of applying) await this.run(tx, step.consequence, change);
      }
    }
  }

  private async run(tx: EntityManager, consequence: Consequence, change: AcceptedTransition): Promise<void> {
    const { order, event } = change;
    switch (consequence.kind) {
      case 'PLAN_DEADLINE':
      case 'MOVE_DEADLINE':
        return this.replan(tx, change, null);
      case 'KEEP_DEADLINE_ON_HOLD':
        return this.deadlines.keepOnHold(tx, order.id, change.fromState, new Date(event.at));
      case 'RESTORE_DEADLINE': {
        const restored = await this.deadlines.restore(
          tx,
          order,
          change.toState,
          event,
          new Date(event.at),
          change.snapshot.context.negotiation?.replyBy ?? null,
        );
        order.dueAt = restored.dueAt;
        order.escalationLevel = restored.escalationLevel;
        this.transactions.onCommit(tx, () => this.deadlines.applyToQueue(restored));
        return;
      }
      case 'RETIRE_LINKS':
        await tx.query(`UPDATE reply_link SET status = 'RETIRED' WHERE order_id = $1 AND status = 'ACTIVE'`, [
          order.id,
        ]);
        return;
      case 'EXTEND_LINKS':
        return this.extendLinks(tx, [change]);
      case 'ASK_SUPPLIER':
        return this.askSupplier(tx, change, consequence);
      case 'TELL_COORDINATORS_SUPPLIER_REPLIED':
        await this.outbox.add(tx, [
          this.toCoordinators(order.id, 'COORDINATOR_SUPPLIER_REPLIED', {
            replyKind: replyKindOf(event),
            replyBy: event.actor.displayName ?? event.actor.id,
            replyText: answerText(event),
          }),
        ]);
        return;
      case 'TELL_COORDINATORS_SUPPLIER_WROTE':
        return this.tellSupplierWrote(tx, change);
      case 'TELL_COORDINATORS_SCOPE_OBJECTION':
        return this.tellScopeObjection(tx, change);
      case 'NOTIFY_PROJECTS':
        await this.projectNotices.afterTransition(tx, change, event);
        return;
      case 'SEND_REMINDER':
        return this.sendReminders(tx, [change]);
      case 'ESCALATE':
        return this.escalate(tx, change);
    }
  }

  private async replan(tx: EntityManager, change: AcceptedTransition, promisedReplyBy: string | null) {
    const now = new Date(change.event.at);
    const planned = await this.deadlines.replan(
      tx,
      change.order,
      change.toState,
      change.event,
      now,
      promisedReplyBy,
    );
    change.order.dueAt = planned.dueAt;
    change.order.escalationLevel = 0;
    this.transactions.onCommit(tx, () => this.deadlines.applyToQueue(planned));
  }

  /**
   * A new round with the supplier. `ROUND`: the current round's recipients; a round with nobody
   * to ask (a fix after a plan B that went straight to test) goes to every contact of the
   * supplier; with no contact at all it is refused and rolled back, never a wait for an email
   * nobody was sent.
   */
  private async askSupplier(
    tx: EntityManager,
    change: AcceptedTransition,
    consequence: Extract<Consequence, { kind: 'ASK_SUPPLIER' }>,
  ): Promise<void> {
    const { event } = change;
    const negotiation = change.snapshot.context.negotiation;
    let recipients: readonly string[] =
      consequence.recipients === 'EVENT' &&
      (event.type === 'SEND_TO_SUPPLIER' || event.type === 'SEND_AMENDMENT')
        ? event.recipientContactIds
        : (negotiation?.recipientContactIds ?? []);
    if (consequence.recipients === 'ROUND' && recipients.length === 0 && negotiation) {
      const contacts: { id: string }[] = await tx.query(
        'SELECT id FROM supplier_contact WHERE supplier_id = $1 AND removed_at IS NULL ORDER BY name',
        [negotiation.supplierId],
      );
      recipients = contacts.map((contact) => contact.id);
    }
    if (consequence.recipients === 'ROUND' && recipients.length === 0) {
      throw new SnitflowError(
        ErrorCode.INVALID_TRANSITION,
        `${event.type} would ask the supplier, but the supplier has no contact to send it to: add one first`,
        { eventType: event.type, state: change.fromState },
      );
    }
    await this.supplierMessages.ask(tx, change.order, recipients, consequence.template, extrasOf(event));
  }

  /**
   * The wait's deadline moved: its active links live until the new deadline plus grace, never
   * shortened (a link the supplier holds keeps at least the life it was issued with).
   */
  private async extendLinks(tx: EntityManager, changes: readonly AcceptedTransition[]): Promise<void> {
    const now = this.clock.now();
    const extended = changes.flatMap(({ order }) =>
      order.dueAt ? [{ orderId: order.id, expiresAt: this.links.expiryFor(order.dueAt, now) }] : [],
    );
    if (extended.length === 0) return;
    await tx.query(
      `UPDATE reply_link l SET expires_at = greatest(l.expires_at, x.expires_at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS x(order_id, expires_at)
        WHERE l.order_id = x.order_id AND l.status = 'ACTIVE'`,
      [extended.map((link) => link.orderId), extended.map((link) => link.expiresAt.toISOString())],
    );
  }

  /**
   * The reminder steps the events name (REMINDER_SENT): each step's row decides whom to remind. A
   * supplier gets a new round of links, in office hours; projects with a mailbox their own
   * reminder; the coordinators when nobody else can be mailed, so no reminder is lost. Every step
   * is then marked done. Set-based for any number of orders, except the rare project reminders.
   */
  private async sendReminders(tx: EntityManager, changes: readonly AcceptedTransition[]): Promise<void> {
    const reminders = changes.flatMap((change) =>
      change.event.type === 'REMINDER_SENT' ? [{ change, event: change.event }] : [],
    );
    if (reminders.length === 0) return;
    const rows: { orderId: string; recipient: 'SUPPLIER' | 'COORDINATORS' | 'PROJECT' }[] = await tx.query(
      `SELECT r.order_id AS "orderId", r.recipient FROM order_reminder r
         JOIN unnest($1::uuid[], $2::int[], $3::int[]) AS x(order_id, schedule_version, step)
           ON r.order_id = x.order_id AND r.schedule_version = x.schedule_version AND r.step = x.step`,
      [
        reminders.map(({ change }) => change.order.id),
        reminders.map(({ event }) => event.scheduleVersion),
        reminders.map(({ event }) => event.step),
      ],
    );
    const recipientOf = new Map(rows.map((row) => [row.orderId, row.recipient]));
    const now = this.clock.now();
    const planned = reminders.map(({ change, event }) => {
      const { order } = change;
      const overdueDays = order.dueAt ? businessDaysOverdue(order.dueAt, now, this.deadlines.calendar) : 0;
      return {
        change,
        event,
        recipient: recipientOf.get(order.id) ?? 'COORDINATORS',
        overdueDays,
        extras: { reminderNumber: event.step, kind: event.kind, overdueBusinessDays: overdueDays },
      };
    });
    const toSupplier = planned.filter((reminder) => reminder.recipient === 'SUPPLIER');
    const supplierWritten = await this.supplierMessages.askMany(
      tx,
      toSupplier.map(({ change, extras }) => ({
        order: change.order,
        recipientContactIds: change.snapshot.context.negotiation?.recipientContactIds ?? [],
        template: 'SUPPLIER_REMINDER' as const,
        extras,
      })),
    );
    const written = new Map(toSupplier.map((reminder, index) => [reminder, supplierWritten[index] ?? 0]));
    // Projects with a mailbox are reminded themselves: of their test result, or of their answer to a reduced scope.
    for (const reminder of planned) {
      if (reminder.recipient !== 'PROJECT') continue;
      const { order, toState, snapshot } = reminder.change;
      written.set(
        reminder,
        await this.projectNotices.remindProjects(
          tx,
          order,
          toState,
          snapshot.context,
          order.dueAt ? this.deadlines.calendar.localDate(order.dueAt) : null,
          { reminderNumber: reminder.event.step, overdueBusinessDays: reminder.overdueDays },
        ),
      );
    }
    // Nobody else to tell (no contact, no mailbox): the coordinators get it, so no reminder is lost.
    await this.outbox.add(
      tx,
      planned
        .filter((reminder) => (written.get(reminder) ?? 0) === 0)
        .map(({ change, extras }) => this.toCoordinators(change.order.id, 'COORDINATOR_REMINDER', extras)),
    );
    await this.markDone(
      tx,
      planned.map(({ change, event }) => ({
        orderId: change.order.id,
        scheduleVersion: event.scheduleVersion,
        step: event.step,
      })),
      now,
    );
  }

  private async tellSupplierWrote(tx: EntityManager, change: AcceptedTransition): Promise<void> {
    const { order, event } = change;
    if (event.type !== 'SUPPLIER_WROTE') return;
    const rows: { fromAddress: string; fromName: string | null; body: string }[] = await tx.query(
      'SELECT from_address AS "fromAddress", from_name AS "fromName", body FROM supplier_message WHERE id = $1',
      [event.messageId],
    );
    const message = rows[0];
    if (!message) throw new Error(`SUPPLIER_WROTE names message ${event.messageId}, which does not exist`);
    await this.outbox.add(tx, [
      this.toCoordinators(order.id, 'COORDINATOR_SUPPLIER_EMAIL', {
        emailKind: 'REPLY',
        from: message.fromName ? `${message.fromName} (${message.fromAddress})` : message.fromAddress,
        text: message.body.length > 2000 ? `${message.body.slice(0, 2000)} …` : message.body,
      }),
    ]);
  }

  /**
   * A project objected to the reduced scope: the coordinators get its name, the objection and who
   * recorded it (the project, or a coordinator on its behalf), the dropped elements, and how many
   * projects are still to answer (none: the order is back with them in plan B).
   */
  private async tellScopeObjection(tx: EntityManager, change: AcceptedTransition): Promise<void> {
    const { order, event, snapshot } = change;
    if (event.type !== 'RESPOND_TO_SCOPE_REDUCTION') return;
    const rows: { name: string }[] = await tx.query('SELECT name FROM project WHERE id = $1', [
      event.projectId,
    ]);
    const project = rows[0];
    if (!project)
      throw new Error(`RESPOND_TO_SCOPE_REDUCTION names project ${event.projectId}, which does not exist`);
    const reduction = snapshot.context.scopeReduction;
    await this.outbox.add(tx, [
      this.toCoordinators(order.id, 'COORDINATOR_SCOPE_OBJECTION', {
        projectName: project.name,
        objectedBy: event.actor.displayName ?? event.actor.id,
        objection: event.comment,
        droppedElements: reduction ? reduction.droppedDataElements.join(', ') : null,
        stillAwaiting: outstandingScopeResponses(snapshot.context).length,
      }),
    ]);
  }

  private async escalate(tx: EntityManager, change: AcceptedTransition): Promise<void> {
    const { order, event } = change;
    if (event.type !== 'ESCALATE') return;
    const now = this.clock.now();
    await tx.query('UPDATE interface_order SET escalation_level = $2, escalated_at = $3 WHERE id = $1', [
      order.id,
      event.level,
      now,
    ]);
    order.escalationLevel = event.level;
    const overdueDays = order.dueAt ? businessDaysOverdue(order.dueAt, now, this.deadlines.calendar) : 0;
    await this.outbox.add(tx, [
      this.toCoordinators(order.id, 'COORDINATOR_ESCALATION', {
        level: event.level,
        overdueBusinessDays: overdueDays,
      }),
    ]);
    await this.markDone(
      tx,
      [{ orderId: order.id, scheduleVersion: event.scheduleVersion, step: event.step }],
      now,
    );
  }

  /** The steps are done (sent or escalated), at `now`. One statement for any number of them. */
  private async markDone(
    tx: EntityManager,
    steps: readonly { orderId: string; scheduleVersion: number; step: number }[],
    now: Date,
  ) {
    if (steps.length === 0) return;
    await tx.query(
      `UPDATE order_reminder r SET status = 'DONE', done_at = $4
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(order_id, schedule_version, step)
        WHERE r.order_id = x.order_id AND r.schedule_version = x.schedule_version AND r.step = x.step`,
      [steps.map((s) => s.orderId), steps.map((s) => s.scheduleVersion), steps.map((s) => s.step), now],
    );
  }

  private toCoordinators(
    orderId: string,
    template:
      | 'COORDINATOR_ESCALATION'
      | 'COORDINATOR_REMINDER'
      | 'COORDINATOR_SUPPLIER_REPLIED'
      | 'COORDINATOR_SUPPLIER_EMAIL'
      | 'COORDINATOR_SCOPE_OBJECTION',
    data: OutboxEmail['data'],
  ): OutboxEmail {
    return {
      orderId,
      template,
      language: 'da',
      recipientEmail: this.config.COORDINATOR_EMAIL,
      recipientName: this.config.COORDINATOR_NAME,
      data,
      notBefore: this.clock.now(),
    };
  }
}

/** Template extras a supplier round takes from its event (what was answered, proposed, to fix). */
function extrasOf(event: OrderEvent): OutboxEmail['data'] {
  switch (event.type) {
    case 'ANSWER_SUPPLIER':
      return { answer: event.answer };
    case 'COUNTER_PROPOSAL':
      return { ...event.terms };
    case 'REQUEST_FIX':
      return { fixDescription: event.description };
    // Sent with other orders of the supplier (bulkSendToSupplier): one email per recipient for them all.
    case 'SEND_TO_SUPPLIER':
      return event.batchId ? { batchId: event.batchId } : {};
    default:
      return {};
  }
}

function replyKindOf(event: OrderEvent): string {
  switch (event.type) {
    case 'SUPPLIER_ACCEPTS':
      return 'ACCEPT';
    case 'SUPPLIER_PROPOSES':
      return 'PROPOSE';
    case 'SUPPLIER_ASKS':
      return 'ASK';
    default:
      return 'DECLINE';
  }
}

/** The answer's own words for the coordinators' notice. */
function answerText(event: OrderEvent): string | null {
  switch (event.type) {
    case 'SUPPLIER_ACCEPTS':
      return event.note ?? null;
    case 'SUPPLIER_PROPOSES': {
      const { priceOere, deliveryDate, conditions } = event.terms;
      return [priceOere && `${priceOere} øre`, deliveryDate, conditions].filter(Boolean).join(' · ');
    }
    case 'SUPPLIER_ASKS':
      return event.question;
    case 'SUPPLIER_DECLINES':
      return event.reason;
    default:
      return null;
  }
}
