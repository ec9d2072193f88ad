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

  /**
   * Asks one order's supplier: retires the round's links, issues one per recipient and writes one
   * outbox email each (see the class comment). Returns how many recipients were written to: none
   * when no contact is left (removed, or, for a reminder, an address that bounced).
   */
  async ask(
    tx: EntityManager,
    order: Pick<OrderRow, 'id' | 'version' | 'dueAt'>,
    recipientContactIds: readonly string[],
    template: SupplierTemplate,
    extras: OutboxEmail['data'] = {},
  ): Promise<number> {
    const [written] = await this.askMany(tx, [{ order, recipientContactIds, template, extras }]);
    return written ?? 0;
  }

  /**
   * `ask` for several orders in one go (a burst of reminders): one contacts query, the links of
   * every round in two statements and every email in one. Returns, per ask in the order given,
   * how many recipients were written to. The caller holds every order's row lock.
   */
  async askMany(tx: EntityManager, asks: readonly SupplierAsk[]): Promise<number[]> {
    const wanted = [...new Set(asks.flatMap((ask) => ask.recipientContactIds))];
    if (wanted.length === 0) return asks.map(() => 0);
    // A reminder is not sent to an address that bounced, until the contact's address is changed
    // (bounced_email then no longer equals email); the coordinators are reminded instead.
    const contacts: SupplierContactRow[] = await tx.query(
      // A contact removed since the round began is written to no more (its sent link still answers).
      `SELECT id, name, email, language, bounced_email IS NOT DISTINCT FROM email AS bounced
         FROM supplier_contact WHERE id = ANY($1::uuid[]) AND removed_at IS NULL ORDER BY name, id`,
      [wanted],
    );
    const now = this.clock.now();
    const recipientsOf = asks.map((ask) =>
      contacts.filter(
        (contact) =>
          ask.recipientContactIds.includes(contact.id) &&
          !(ask.template === 'SUPPLIER_REMINDER' && contact.bounced),
      ),
    );
    const asked = asks.flatMap((ask, index) => {
      const recipients = recipientsOf[index] ?? [];
      return recipients.length === 0 ? [] : [{ ask, recipients }];
    });
    const linkIds = await this.links.issueMany(
      tx,
      asked.map(({ ask, recipients }) => ({
        order: ask.order,
        contactIds: recipients.map((contact) => contact.id),
        expiresAt: this.links.expiryFor(ask.order.dueAt, now),
      })),
    );
    const due =
      this.config.SUPPLIER_EMAIL_HOURS === 'office'
        ? this.deadlines.calendar.nextOfficeHoursInstant(now)
        : now;
    await this.outbox.add(
      tx,
      asked.flatMap(({ ask, recipients }, index) => {
        const extras = ask.extras ?? {};
        // One of several orders sent together: held until the batch is released (Outbox.releaseBatch),
        // so the worker finds them all and writes each recipient one email.
        const notBefore = typeof extras.batchId === 'string' ? new Date(due.getTime() + BATCH_HOLD_MS) : due;
        return recipients.map((contact) => ({
          orderId: ask.order.id,
          template: ask.template,
          language: contact.language,
          recipientEmail: contact.email,
          recipientName: contact.name,
          data: { ...extras, linkId: linkIds[index]?.get(contact.id) ?? null },
          notBefore,
        }));
      }),
    );
    return recipientsOf.map((recipients) => recipients.length);
  }
}

/** One order's supplier to ask: see SupplierMessages.ask. */
export interface SupplierAsk {
  order: Pick<OrderRow, 'id' | 'version' | 'dueAt'>;
  recipientContactIds: readonly string[];
  template: SupplierTemplate;
  extras?: OutboxEmail['data'];
}

interface SupplierContactRow {
  id: string;
  name: string;
  email: string;
  language: 'da' | 'en';
  /** The address is the one that bounced: no reminders to it. */
  bounced: boolean;
}
