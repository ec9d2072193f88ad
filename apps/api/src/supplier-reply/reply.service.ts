import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, ErrorCode, SnitflowError } from '@snitflow/common';
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
  verifyCsrfToken,
} from '@snitflow/mail';
import { OrderSummaries, OrderTransitionService, Outbox } from '@snitflow/orders';
import type { ReplyStatusKind } from '@snitflow/pages';
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
  /** Another link of the same round was used: a colleague answered. */
  answeredInRound: boolean;
  /** The order has links out that can still answer (a newer round's). */
  newerLinkOut: boolean;
  /**
   * The Copenhagen day (YYYY-MM-DD) the recipient's own email answering this link's round arrived
   * (a reply recorded on the order, not late), or null: the email is what ended the round.
   */
  emailReceivedOn: string | null;
}

type ReplyLinkStatus = {
  kind: 'status';
  status: Exclude<ReplyStatusKind, 'THANKS' | 'RATE_LIMITED'>;
  language: Language;
  /** EMAIL_RECEIVED: the day (YYYY-MM-DD, Copenhagen) the supplier's email arrived. */
  receivedOn?: string;
};

/** A link that can answer now, or the page that says why not. */
type LinkCheck = ReplyLinkStatus | { kind: 'usable'; link: LinkRow; tokenHash: string; language: Language };

export type ReplyLookup =
  | ReplyLinkStatus
  | {
      kind: 'open';
      link: LinkRow;
      tokenHash: string;
      language: Language;
      order: OrderSummary;
      openQuestion: string | null;
      proposal: { priceOere: string | null; deliveryDate: string | null; conditions: string | null } | null;
    };

export type ReplyOutcome = ReplyLinkStatus | { kind: 'answered'; language: Language };

/** Refusals that mean the order moved on under the form: a page, not an error. */
const ORDER_MOVED_ON: ReadonlySet<ErrorCode> = new Set([ErrorCode.INVALID_TRANSITION, ErrorCode.CONFLICT]);

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
    readonly _outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** PUBLIC_BASE_URL's path ('' at the root): the prefix of every link the reply pages write. */
  get basePath(): string {
    return this.config.PUBLIC_BASE_PATH;
  }

  get contact() {
    return { name: this.config.COORDINATOR_NAME, email: this.config.COORDINATOR_EMAIL };
  }

  /** What GET shows (and what POST checks before parsing the form); reads without locks. */
  async lookup(token: string, requestedLanguage: unknown): Promise<ReplyLookup> {
    const manager = this.dataSource.manager;
    const checked = await this.checkLink(manager, token, requestedLanguage, { lock: false });
    if (checked.kind === 'status') return checked;
    const { link, tokenHash, language } = checked;
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

  /**
   * The link behind a token and whether it can answer now. With `lock`, the link row is locked
   * (FOR UPDATE): only under the order's lock, which every writer of an order's links takes first.
   */
  private async checkLink(
    manager: EntityManager,
    token: string,
    requestedLanguage: unknown,
    options: { lock: boolean },
  ): Promise<LinkCheck> {
    const fallback: Language = isLanguage(requestedLanguage) ? requestedLanguage : 'da';
    if (!isWellFormedReplyToken(token)) return { kind: 'status', status: 'INVALID', language: fallback };
    const tokenHash = hashReplyToken(token);
    const rows: LinkRow[] = await manager.query(
      `SELECT l.id, l.order_id AS "orderId", l.status, l.expires_at AS "expiresAt",
              c.name AS "contactName", c.email AS "contactEmail", c.language, o.state AS "orderState",
              EXISTS (SELECT 1 FROM reply_link u
                       WHERE u.order_id = l.order_id AND u.issued_at_version = l.issued_at_version
                         AND u.status = 'USED') AS "answeredInRound",
              EXISTS (SELECT 1 FROM reply_link a WHERE a.order_id = l.order_id AND a.status = 'ACTIVE') AS "newerLinkOut",
              (SELECT to_char(min(m.received_at) AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD') FROM supplier_message m
                WHERE m.link_id = l.id AND m.kind = 'REPLY' AND m.status = 'RECORDED' AND NOT m.late) AS "emailReceivedOn"
         FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id JOIN interface_order o ON o.id = l.order_id
        WHERE l.token_hash = $1 ${options.lock ? 'FOR UPDATE OF l' : ''}`,
      [tokenHash],
    );
    const link = rows[0];
    if (!link) return { kind: 'status', status: 'INVALID', language: fallback };
    const language = isLanguage(requestedLanguage) ? requestedLanguage : link.language;
    if (link.status === 'USED') return { kind: 'status', status: 'ALREADY_ANSWERED', language };
    if (link.status === 'RETIRED') {
      if (link.answeredInRound) return { kind: 'status', status: 'ANSWERED_BY_COLLEAGUE', language };
      // The recipient replied to the email instead (SUPPLIER_WROTE ended the round): say it arrived,
      // not that the order moved on without an answer. A cancelled order did move on.
      if (link.emailReceivedOn && !link.newerLinkOut && link.orderState !== 'cancelled')
        return { kind: 'status', status: 'EMAIL_RECEIVED', language, receivedOn: link.emailReceivedOn };
      // Replaced when a newer round's links are out; otherwise the wait ended without it.
      return { kind: 'status', status: link.newerLinkOut ? 'RETIRED' : 'CLOSED', language };
    }
    if (link.expiresAt.getTime() < this.clock.now().getTime())
      return { kind: 'status', status: 'EXPIRED', language };
    // Paused: resuming brings the same round, and this link, back.
    if (link.orderState === 'onHold') return { kind: 'status', status: 'ON_HOLD', language };
    // The order moved on without this link (an answer recorded by phone, plan B, cancellation).
    if (link.orderState !== 'negotiation.awaitingSupplier')
      return { kind: 'status', status: 'CLOSED', language };
    return { kind: 'usable', link, tokenHash, language };
  }

  csrfFor(tokenHash: string): string {
    return csrfTokenFor(this.config.REPLY_LINK_SECRET, tokenHash, this.clock.now().getTime());
  }

  csrfValid(tokenHash: string, csrf: unknown): boolean {
    return (
      typeof csrf === 'string' &&
      verifyCsrfToken(
        this.config.REPLY_LINK_SECRET,
        tokenHash,
        csrf,
        this.clock.now().getTime(),
        FORM_MAX_AGE_MS,
      )
    );
  }

  today(): string {
    return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(this.clock.now());
  }

  /**
   * Answers through the link, once. Locks the order row first and the link second — the order
   * every other writer of an order's links keeps (a new round or a reminder locks the order,
   * then retires its links) — so an answer racing a reminder queues instead of deadlocking.
   * Under both locks the link is checked again, so a double submit, a replay or a round issued
   * meanwhile finds it used or retired and gets that page, never a second event.
   *
   * Any error rolls the whole transaction back. Only afterwards is a refusal by the machine
   * (the order moved on between showing the form and answering it) turned into a page; every
   * other error propagates, for the controller's error page.
   */
  async answer(token: string, answer: ReplyAnswer, language: Language): Promise<ReplyOutcome> {
    // Unlocked, only to learn the order: a link never changes orders, and is checked again below.
    const seen = await this.checkLink(this.dataSource.manager, token, language, { lock: false });
    if (seen.kind === 'status') return seen;
    const { orderId } = seen.link;
    try {
      return await this.transitions.inTransaction(async (tx): Promise<ReplyOutcome> => {
        await this.transitions.lock(tx, orderId, { facts: false });
        const found = await this.checkLink(tx, token, language, { lock: true });
        // Nothing is written before this point, so returning (and committing) here changes nothing.
        if (found.kind === 'status') return found;
        const { link } = found;
        await this.transitions.apply(
          {
            orderId,
            actor: { id: link.contactEmail, role: 'supplier', displayName: link.contactName },
            event: supplierEvent(answer),
            // The link's own use; retiring the round's other links and telling the coordinators
            // are the answer's consequences (consequences.ts).
            alsoInTransaction: async (work) => {
              await work.query("UPDATE reply_link SET status = 'USED', used_at = $2 WHERE id = $1", [
                link.id,
                this.clock.now(),
              ]);
            },
          },
          tx,
        );
        return { kind: 'answered', language: found.language };
      });
    } catch (error) {
      if (!(error instanceof SnitflowError) || !ORDER_MOVED_ON.has(error.code)) throw error;
      // Rolled back: the page says what the link is now (answered, retired), or that it was replaced.
      const now = await this.checkLink(this.dataSource.manager, token, language, { lock: false });
      return now.kind === 'status' ? now : { kind: 'status', status: 'CLOSED', language: seen.language };
    }
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
