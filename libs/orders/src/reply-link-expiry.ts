import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import type { EntityManager } from 'typeorm';
import { OrderTransitionService, type TransitionResult } from './order-transition.service.js';
import { ReplyLinks } from './reply-links.js';

const AWAITING_SUPPLIER = 'negotiation.awaitingSupplier';

/**
 * A link lives until the answer deadline plus a grace period. When the deadline moves while
 * the supplier is being waited for (extendDeadline, a resume), the round's active links
 * follow it, in the same transaction, so no link expires before the deadline it answers;
 * when the wait ends other than by a hold, they are retired.
 */
@Injectable()
export class ReplyLinkExpiry implements OnModuleInit {
  constructor(
    private readonly transitions: OrderTransitionService,
    private readonly links: ReplyLinks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.transitions.addEffect((tx, result) => this.follow(tx, result));
  }

  async follow(tx: EntityManager, result: TransitionResult): Promise<void> {
    // The wait ended some other way than by a hold (an answer recorded by phone, plan B, a
    // cancellation): its links can never answer again, so they are retired now, and a page
    // or an email held for office hours says so instead of promising otherwise.
    if (
      result.fromState === AWAITING_SUPPLIER &&
      result.toState !== AWAITING_SUPPLIER &&
      result.toState !== 'onHold'
    ) {
      await tx.query(`UPDATE reply_link SET status = 'RETIRED' WHERE order_id = $1 AND status = 'ACTIVE'`, [
        result.order.id,
      ]);
      return;
    }
    if (result.toState !== AWAITING_SUPPLIER || !result.order.dueAt) return;
    // Never shortened: a link the supplier holds keeps at least the life it was issued with.
    await tx.query(
      `UPDATE reply_link SET expires_at = greatest(expires_at, $2) WHERE order_id = $1 AND status = 'ACTIVE'`,
      [result.order.id, this.links.expiryFor(result.order.dueAt, this.clock.now())],
    );
  }
}
