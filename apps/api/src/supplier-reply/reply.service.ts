import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import type { OrderEventPayload } from '@snitflow/lifecycle';
import {
  csrfTokenFor,
  hashReplyToken,
  isLanguage,
  isWellFormedReplyToken,
  type Language,
  type OrderSummary,
  type ReplyAnswer,
  type ReplyStatusKind,
  verifyCsrfToken,
} from '@snitflow/mail';
import { OrderSummaries, OrderTransitionService, Outbox } from '@snitflow/orders';
import { DataSource, type EntityManager } from 'typeorm';

/** How long a reply form stays valid after it was shown. */
const FORM_MAX_AGE_MS = 4 * 3600 * 1000;

interface LinkRow {
  id: string;
  orderId: string;
  status: 'ACTIVE' | 'USED' | 'RETIRED';
  expiresAt: Date;
  contactName: string;
  contactEmail: string;
  language: Language;
  orderState: string;
}

export type ReplyLookup =
  | { kind: 'status'; status: Exclude<ReplyStatusKind, 'THANKS' | 'RATE_LIMITED'>; language: Language }
  | {
      kind: 'open';
      link: LinkRow;
      tokenHash: string;
      language: Language;
      order: OrderSummary;
      openQuestion: string | null;
      proposal: { priceOere: string | null; deliveryDate: string | null; conditions: string | null } | null;
    };

/**
 * The supplier's side of the dialogue. Looking at a link never changes
 * anything (scanners and previews fetch links); only the form's POST, with
 * its CSRF token, answers — once, as the machine's supplier event, with the
 * recipient as actor, in one transaction with the link's use and the notice
 * to the coordinators.
 */
@Injectable()
export class ReplyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitionService,
    private readonly summaries: OrderSummaries,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get contact() {
    return { name: this.config.COORDINATOR_NAME, email: this.config.COORDINATOR_EMAIL };
  }

  async lookup(token: string, requestedLanguage: unknown, tx?: EntityManager): Promise<ReplyLookup> {
    const fallback: Language = isLanguage(requestedLanguage) ? requestedLanguage : 'da';
    if (!isWellFormedReplyToken(token)) return { kind: 'status', status: 'INVALID', language: fallback };
    const tokenHash = hashReplyToken(token);
    const manager = tx ?? this.dataSource.manager;
    const rows: LinkRow[] = await manager.query(
      `SELECT l.id, l.order_id AS "orderId", l.status, l.expires_at AS "expiresAt",
              c.name AS "contactName", c.email AS "contactEmail", c.language, o.state AS "orderState"
         FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id JOIN interface_order o ON o.id = l.order_id
        WHERE l.token_hash = $1 ${tx ? 'FOR UPDATE OF l' : ''}`,
      [tokenHash],
    );
    const link = rows[0];
    if (!link) return { kind: 'status', status: 'INVALID', language: fallback };
    const language = isLanguage(requestedLanguage) ? requestedLanguage : link.language;
    if (link.status === 'USED') return { kind: 'status', status: 'ALREADY_ANSWERED', language };
    if (link.status === 'RETIRED') return { kind: 'status', status: 'RETIRED', language };
    if (link.expiresAt.getTime() < this.clock.now().getTime())
      return { kind: 'status', status: 'EXPIRED', language };
    // The order moved on without this link (an answer recorded by phone, plan B, cancellation).
    if (link.orderState !== 'negotiation.awaitingSupplier')
      return { kind: 'status', status: 'RETIRED', language };
    const order = await this.summaries.summarise(manager, link.orderId);
    if (!order) return { kind: 'status', status: 'INVALID', language };
    const extras: {
      openQuestion: string | null;
      proposal: { priceOere: string | null; deliveryDate: string | null; conditions: string | null } | null;
    }[] = await manager.query(
      `SELECT snapshot->'context'->>'openQuestion' AS "openQuestion", snapshot->'context'->'proposal' AS proposal
         FROM interface_order WHERE id = $1`,
      [link.orderId],
    );
    const extra = extras[0];
    return {
      kind: 'open',
      link,
      tokenHash,
      language,
      order,
      openQuestion: extra?.openQuestion ?? null,
      proposal: extra?.proposal ?? null,
    };
  }

  csrfFor(tokenHash: string): string {
    return csrfTokenFor(this.config.JWT_SECRET, tokenHash, this.clock.now().getTime());
  }

  csrfValid(tokenHash: string, csrf: unknown): boolean {
    return (
      typeof csrf === 'string' &&
      verifyCsrfToken(this.config.JWT_SECRET, tokenHash, csrf, this.clock.now().getTime(), FORM_MAX_AGE_MS)
    );
  }

  today(): string {
    return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(this.clock.now());
  }

  /**
   * Answers through the link: re-checked under the link's row lock, so a
   * double submit or a replay finds it used and gets "already answered".
   */
  async answer(
    token: string,
    answer: ReplyAnswer,
    language: Language,
  ): Promise<ReplyLookup | { kind: 'answered'; language: Language }> {
    return this.transitions.inTransaction(async (tx) => {
      const found = await this.lookup(token, language, tx);
      if (found.kind === 'status') return found;
      const { link } = found;
      try {
        await this.transitions.apply(
          {
            orderId: link.orderId,
            actor: { id: link.contactEmail, role: 'supplier', displayName: link.contactName },
            event: supplierEvent(answer),
            alsoInTransaction: async (work) => {
              await work.query("UPDATE reply_link SET status = 'USED', used_at = $2 WHERE id = $1", [
                link.id,
                this.clock.now(),
              ]);
              await work.query(
                "UPDATE reply_link SET status = 'RETIRED' WHERE order_id = $1 AND status = 'ACTIVE' AND id <> $2",
                [link.orderId, link.id],
              );
              await this.outbox.add(work, [
                {
                  orderId: link.orderId,
                  template: 'COORDINATOR_SUPPLIER_REPLIED',
                  language: 'da',
                  recipientEmail: this.config.COORDINATOR_EMAIL,
                  recipientName: this.config.COORDINATOR_NAME,
                  data: { replyKind: answer.kind, replyBy: link.contactName, replyText: answerText(answer) },
                  notBefore: this.clock.now(),
                },
              ]);
            },
          },
          tx,
        );
      } catch (error) {
        // The order moved on between showing the form and answering it.
        if (error instanceof SnitflowError)
          return { kind: 'status', status: 'RETIRED', language: found.language };
        throw error;
      }
      return { kind: 'answered', language: found.language };
    });
  }
}

function supplierEvent(answer: ReplyAnswer): OrderEventPayload {
  switch (answer.kind) {
    case 'ACCEPT':
      return { type: 'SUPPLIER_ACCEPTS', note: answer.note ?? undefined };
    case 'PROPOSE':
      return {
        type: 'SUPPLIER_PROPOSES',
        terms: {
          priceOere: answer.priceOere,
          deliveryDate: answer.deliveryDate,
          conditions: answer.conditions,
        },
      };
    case 'ASK':
      return { type: 'SUPPLIER_ASKS', question: answer.question };
    case 'DECLINE':
      return { type: 'SUPPLIER_DECLINES', reason: answer.reason };
  }
}

function answerText(answer: ReplyAnswer): string | null {
  switch (answer.kind) {
    case 'ACCEPT':
      return answer.note;
    case 'PROPOSE':
      return [answer.priceOere && `${answer.priceOere} øre`, answer.deliveryDate, answer.conditions]
        .filter(Boolean)
        .join(' · ');
    case 'ASK':
      return answer.question;
    case 'DECLINE':
      return answer.reason;
  }
}
