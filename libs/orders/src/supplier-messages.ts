import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import type { EntityManager } from 'typeorm';
import { DeadlinePlanner } from './deadline-planner.js';
import type { OrderRow } from './order-row.js';
import { Outbox, type OutboxEmail, type OutboxTemplate } from './outbox.js';
import { ReplyLinks } from './reply-links.js';

type SupplierTemplate = Extract<
  OutboxTemplate,
  'SUPPLIER_ORDER' | 'SUPPLIER_COUNTER_PROPOSAL' | 'SUPPLIER_ANSWER' | 'SUPPLIER_REMINDER'
>;

/**
 * How long the emails of a bulk send wait for the rest of their batch at most. The batch is
 * normally released at once when it is done; this is only how late they go should it never be.
 */
export const BATCH_HOLD_MS = 120_000;

/**
 * Everything that asks the supplier to answer (the order, a counter-proposal,
 * an answer to its question, a reminder) goes the same way, in the caller's
 * transaction: the previous links are retired, each recipient gets a link of
 * its own for this round, and one outbox email per recipient in its language,
 * held until office hours on a business day (unless SUPPLIER_EMAIL_HOURS=any).
 */
@Injectable()
export class SupplierMessages {
  constructor(
    private readonly links: ReplyLinks,
    private readonly outbox: Outbox,
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ask(
    tx: EntityManager,
    order: Pick<OrderRow, 'id' | 'version' | 'dueAt'>,
    recipientContactIds: readonly string[],
    template: SupplierTemplate,
    extras: OutboxEmail['data'] = {},
  ): Promise<number> {
    if (recipientContactIds.length === 0) return 0;
    // A reminder is not sent to an address that bounced, until the contact's address is changed
    // (bounced_email then no longer equals email); the coordinators are reminded instead.
    const contacts: { id: string; name: string; email: string; language: 'da' | 'en' }[] = await tx.query(
      // A contact removed since the round began is written to no more (its sent link still answers).
      `SELECT id, name, email, language FROM supplier_contact
        WHERE id = ANY($1::uuid[]) AND removed_at IS NULL
          AND NOT ($2 AND bounced_email IS NOT DISTINCT FROM email)
        ORDER BY name`,
      [recipientContactIds, template === 'SUPPLIER_REMINDER'],
    );
    if (contacts.length === 0) return 0;
    const now = this.clock.now();
    const linkIds = await this.links.issue(
      tx,
      order,
      contacts.map((contact) => contact.id),
      this.links.expiryFor(order.dueAt, now),
    );
    const due =
      this.config.SUPPLIER_EMAIL_HOURS === 'office'
        ? this.deadlines.calendar.nextOfficeHoursInstant(now)
        : now;
    // One of several orders sent together: held until the batch is released (Outbox.releaseBatch),
    // so the worker finds them all and writes each recipient one email.
    const notBefore = typeof extras.batchId === 'string' ? new Date(due.getTime() + BATCH_HOLD_MS) : due;
    await this.outbox.add(
      tx,
      contacts.map((contact) => ({
        orderId: order.id,
        template,
        language: contact.language,
        recipientEmail: contact.email,
        recipientName: contact.name,
        data: { ...extras, linkId: linkIds.get(contact.id) ?? null },
        notBefore,
      })),
    );
    return contacts.length;
  }
}
