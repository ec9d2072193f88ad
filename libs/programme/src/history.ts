/**
 * An order's history read as stays: how long the order sat in each state. The
 * forecast measures typical durations from these, the status report finds
 * missed deadlines in them. Pure: the caller reads `order_event` rows.
 */

/** One accepted event of an order's history, as `order_event` stores it. */
export interface HistoryEvent {
  orderId: string;
  /** The order version the event produced (1, 2, 3 … per order). */
  version: number;
  type: string;
  fromState: string;
  toState: string;
  payload: Readonly<Record<string, unknown>>;
  occurredAt: Date;
  /**
   * The event's place in the whole log (order_event.id), to order events of different orders
   * stamped at the same instant; optional for constructed histories.
   */
  sequence?: number;
}

/** A continuous period an order spent in one state. */
export interface Stay {
  orderId: string;
  /** Dotted state path, e.g. 'negotiation.awaitingSupplier'. */
  state: string;
  enteredAt: Date;
  /** The event that entered the state (for the first stay: the order's first event). */
  enteredBy: string;
  /** The order's first stay, begun when the order was created rather than by a state change. */
  first: boolean;
  /** Null while the order is still in the state. */
  leftAt: Date | null;
  leftBy: string | null;
  leftTo: string | null;
  /**
   * The supplier the order was last sent to when the stay began (the SEND_TO_SUPPLIER payload's
   * `supplierId`), else the order's source supplier: whose wait a supplier state is.
   */
  supplierId: string;
  /** The reply-by date given with the send that began this wait (SEND_TO_SUPPLIER's `replyBy`). */
  replyBy: string | null;
  /** Every EXTEND_DEADLINE during the stay, oldest first: when it was made and the new deadline. */
  extensions: { at: Date; dueAt: Date }[];
}

/** Events that end a stay without it having run its course: its length says nothing of the state. */
export const INTERRUPTING_EVENTS: ReadonlySet<string> = new Set(['PUT_ON_HOLD', 'CANCEL']);

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Splits each order's events into stays. Events may come in any order; they are sorted by order
 * and version. `sourceSupplierOf` gives the supplier of an order before any send (its interface's
 * source supplier). An order's first stay begins at its first event, in that event's from-state
 * (orders are created in `ordered` by the request that causes their first event).
 */
export function staysOf(
  events: readonly HistoryEvent[],
  sourceSupplierOf: (orderId: string) => string,
): Stay[] {
  const byOrder = new Map<string, HistoryEvent[]>();
  for (const event of events) {
    const list = byOrder.get(event.orderId) ?? [];
    list.push(event);
    byOrder.set(event.orderId, list);
  }
  const stays: Stay[] = [];
  for (const [orderId, list] of byOrder) {
    list.sort((a, b) => a.version - b.version);
    const first = list[0];
    if (!first) continue;
    let supplierId = sourceSupplierOf(orderId);
    let replyBy: string | null = null;
    let current: Stay = {
      orderId,
      state: first.fromState,
      enteredAt: first.occurredAt,
      enteredBy: first.type,
      first: true,
      leftAt: null,
      leftBy: null,
      leftTo: null,
      supplierId,
      replyBy: null,
      extensions: [],
    };
    for (const event of list) {
      if (event.type === 'SEND_TO_SUPPLIER') {
        supplierId = stringOf(event.payload.supplierId) ?? supplierId;
        replyBy = stringOf(event.payload.replyBy);
      }
      // A fix round asks the supplier without a promised date (the machine's startFixRound).
      if (event.type === 'REQUEST_FIX') replyBy = null;
      if (event.type === 'EXTEND_DEADLINE') {
        const dueAt = stringOf(event.payload.dueAt);
        if (dueAt) current.extensions.push({ at: event.occurredAt, dueAt: new Date(dueAt) });
      }
      if (event.toState === event.fromState) continue;
      current.leftAt = event.occurredAt;
      current.leftBy = event.type;
      current.leftTo = event.toState;
      stays.push(current);
      current = {
        orderId,
        state: event.toState,
        enteredAt: event.occurredAt,
        enteredBy: event.type,
        first: false,
        leftAt: null,
        leftBy: null,
        leftTo: null,
        supplierId,
        // A resume returns to the same wait, with the date the supplier was promised.
        replyBy: event.type === 'SEND_TO_SUPPLIER' || event.type === 'RESUME' ? replyBy : null,
        extensions: [],
      };
    }
    stays.push(current);
  }
  return stays;
}
