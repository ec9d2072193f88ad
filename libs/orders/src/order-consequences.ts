import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, ErrorCode, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { businessDaysOverdue } from '@snitflow/deadlines';
import type { OrderEvent, OrderSnapshot } from '@snitflow/lifecycle';
import type { EntityManager } from 'typeorm';
import { type Consequence, consequencesOf } from './consequences.js';
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
    const list = consequencesOf({
      event: change.event,
      fromState: change.fromState,
      toState: change.toState,
      actorRole: change.event.actor.role,
    });
    for (const consequence of list) await this.run(tx, consequence, change);
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
        if (!order.dueAt) return;
        // Never shortened: a link the supplier holds keeps at least the life it was issued with.
        await tx.query(
          `UPDATE reply_link SET expires_at = greatest(expires_at, $2) WHERE order_id = $1 AND status = 'ACTIVE'`,
          [order.id, this.links.expiryFor(order.dueAt, this.clock.now())],
        );
        return;
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
      case 'NOTIFY_PROJECTS':
        await this.projectNotices.afterTransition(tx, change, event);
        return;
      case 'SEND_REMINDER':
        return this.sendReminder(tx, change);
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

  /** The reminder step the event names: its row decides whom to remind. */
  private async sendReminder(tx: EntityManager, change: AcceptedTransition): Promise<void> {
    const { order, event } = change;
    if (event.type !== 'REMINDER_SENT') return;
    const rows: { recipient: 'SUPPLIER' | 'COORDINATORS' | 'PROJECT' }[] = await tx.query(
      'SELECT recipient FROM order_reminder WHERE order_id = $1 AND schedule_version = $2 AND step = $3',
      [order.id, event.scheduleVersion, event.step],
    );
    const recipient = rows[0]?.recipient ?? 'COORDINATORS';
    const now = this.clock.now();
    const overdueDays = order.dueAt ? businessDaysOverdue(order.dueAt, now, this.deadlines.calendar) : 0;
    const extras = { reminderNumber: event.step, kind: event.kind, overdueBusinessDays: overdueDays };
    // A supplier reminder is a new round of links (the old ones are retired), in office hours.
    const supplierRecipients =
      recipient === 'SUPPLIER'
        ? await this.supplierMessages.ask(
            tx,
            order,
            change.snapshot.context.negotiation?.recipientContactIds ?? [],
            'SUPPLIER_REMINDER',
            extras,
          )
        : 0;
    // Projects with a mailbox are reminded themselves: of their test result, or of their answer to a reduced scope.
    const projectRecipients =
      recipient === 'PROJECT'
        ? await this.projectNotices.remindProjects(
            tx,
            order,
            change.toState,
            change.snapshot.context,
            order.dueAt ? this.deadlines.calendar.localDate(order.dueAt) : null,
            { reminderNumber: event.step, overdueBusinessDays: overdueDays },
          )
        : 0;
    // Nobody else to tell (no contact, no mailbox): the coordinators get it, so no reminder is lost.
    if (supplierRecipients === 0 && projectRecipients === 0) {
      await this.outbox.add(tx, [this.toCoordinators(order.id, 'COORDINATOR_REMINDER', extras)]);
    }
    await this.markDone(tx, order.id, event.scheduleVersion, event.step, now);
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
    await this.markDone(tx, order.id, event.scheduleVersion, event.step, now);
  }

  private async markDone(
    tx: EntityManager,
    orderId: string,
    scheduleVersion: number,
    step: number,
    now: Date,
  ) {
    await tx.query(
      `UPDATE order_reminder SET status = 'DONE', done_at = $4
        WHERE order_id = $1 AND schedule_version = $2 AND step = $3`,
      [orderId, scheduleVersion, step, now],
    );
  }

  private toCoordinators(
    orderId: string,
    template:
      | 'COORDINATOR_ESCALATION'
      | 'COORDINATOR_REMINDER'
      | 'COORDINATOR_SUPPLIER_REPLIED'
      | 'COORDINATOR_SUPPLIER_EMAIL',
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
