/** Nearest-rank percentile of sorted values (p in 0..100); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** The median as the mean of the middle pair for even counts; null for none. */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

const AWAITING = 'negotiation.awaitingSupplier';

/** One history event of an order, as the wait computation reads it (in version order). */
export interface WaitEvent {
  orderId: string;
  type: string;
  fromState: string;
  toState: string;
  occurredAt: Date;
  /** The supplier a send or amendment named (payload.supplierId), if any. */
  sentTo: string | null;
  /** The order's supplier, for sends that named none. */
  orderSupplierId: string;
}

/** An answered wait: whose it was and its business days. */
export interface AnsweredWait {
  supplierId: string;
  businessDays: number;
}

/**
 * The supplier's answered waits, from the orders' histories. A wait is the business time the
 * ball was with the supplier: it starts when a round puts the order into
 * negotiation.awaitingSupplier (a send, an answer to its question, a counter-proposal, a fix),
 * pauses while the order is on hold (PUT_ON_HOLD … RESUME back into the wait), and ends with the
 * supplier's answer (an event of type SUPPLIER_*, by link, by email or recorded by a coordinator)
 * however many holds came between. A wait ended any other way (plan B, a cancellation) is not an
 * answer and is not counted. Business days per stretch with the supplier are
 * `calendar.businessDaysBetween(start, end)`, summed. A wait belongs to the supplier the order was
 * last sent to when it began, so after a plan B with another supplier each keeps its own figures.
 */
export function answeredWaits(
  events: readonly WaitEvent[],
  businessDaysBetween: (from: Date, to: Date) => number,
): AnsweredWait[] {
  const answered: AnsweredWait[] = [];
  let orderId: string | null = null;
  let sentTo: string | null = null;
  let wait: { supplierId: string; days: number; since: Date | null } | null = null;
  for (const event of events) {
    if (event.orderId !== orderId) {
      orderId = event.orderId;
      sentTo = null;
      wait = null;
    }
    if (event.sentTo) sentTo = event.sentTo;
    const entersWait = event.toState === AWAITING && event.fromState !== AWAITING;
    const leavesWait = event.fromState === AWAITING && event.toState !== AWAITING;
    if (leavesWait && wait?.since) {
      wait.days += businessDaysBetween(wait.since, event.occurredAt);
      wait.since = null;
      if (event.toState === 'onHold') continue;
      if (event.type.startsWith('SUPPLIER_'))
        answered.push({ supplierId: wait.supplierId, businessDays: wait.days });
      wait = null;
      continue;
    }
    if (entersWait && event.type === 'RESUME' && wait) {
      wait.since = event.occurredAt;
      continue;
    }
    if (entersWait) {
      wait = { supplierId: sentTo ?? event.orderSupplierId, days: 0, since: event.occurredAt };
      continue;
    }
    // Anything else out of a hold (a cancellation, a resume elsewhere) ends a paused wait unanswered.
    if (event.fromState === 'onHold' && wait && !wait.since) wait = null;
  }
  return answered;
}
