import type { BusinessCalendar } from '@snitflow/calendar';
import { type DeadlinePolicies, deadlineFor } from '@snitflow/deadlines';
import type { Stay } from './history.js';

/** A deadline that passed while the order was still in the state it belonged to. */
export interface MissedDeadline {
  orderId: string;
  state: string;
  /** The deadline instant that passed. */
  dueAt: Date;
  /** Whose wait it was: the supplier of a supplier state, else null. */
  supplierId: string | null;
}

/**
 * The deadline a stay started with, as the deadline planner sets it on entering the state
 * (libs/orders DeadlinePlanner): the state's policy counted in business days from the day it
 * was entered, or the date the supplier was promised (a send's `replyBy`; on a resume back into
 * the supplier wait, that date while it still lay ahead). Null for states without a deadline.
 * Computed with the policies in force now: a policy changed since is not applied retroactively.
 *
 * An order's first stay (`ordered`, from the request that created it) has its deadline too,
 * counted from the order's first event: the planner plans it in the transaction that creates
 * the order (OrderTransitionService.lockOpenOrderFor), at the instant of that event.
 */
export function initialDeadline(
  stay: Stay,
  policies: DeadlinePolicies,
  calendar: BusinessCalendar,
): Date | null {
  const policy = policies[stay.state];
  if (!policy) return null;
  let explicit: string | undefined;
  if (stay.enteredBy === 'SEND_TO_SUPPLIER' && stay.replyBy) explicit = stay.replyBy;
  if (
    stay.enteredBy === 'RESUME' &&
    stay.state === 'negotiation.awaitingSupplier' &&
    stay.replyBy &&
    stay.replyBy >= calendar.localDate(stay.enteredAt)
  ) {
    explicit = stay.replyBy;
  }
  return deadlineFor(stay.enteredAt, policy, calendar, explicit);
}

/**
 * Deadlines missed within [from, to): each deadline in force during a stay that passed before
 * the order left the state. A deadline extended before it passed is not missed; one extended
 * after it passed was missed (and the new one may be missed again). Deadlines after `now` have
 * not passed, whatever `to` says.
 */
export function deadlinesMissed(
  stays: readonly Stay[],
  window: { from: Date; to: Date; now: Date },
  policies: DeadlinePolicies,
  calendar: BusinessCalendar,
  isSupplierState: (state: string) => boolean = (state) => state === 'negotiation.awaitingSupplier',
): MissedDeadline[] {
  const end = Math.min(window.to.getTime(), window.now.getTime());
  const missed: MissedDeadline[] = [];
  for (const stay of stays) {
    const initial = initialDeadline(stay, policies, calendar);
    // An extension sets a deadline even where none was planned (extendDeadline on a new order).
    let due = initial ?? stay.extensions[0]?.dueAt ?? null;
    if (!due) continue;
    const extensions = initial ? stay.extensions : stay.extensions.slice(1);
    const left = stay.leftAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const passed: Date[] = [];
    for (const extension of [...extensions].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      if (extension.at.getTime() > due.getTime()) passed.push(due);
      due = extension.dueAt;
    }
    if (left > due.getTime()) passed.push(due);
    for (const dueAt of passed) {
      const t = dueAt.getTime();
      if (t >= window.from.getTime() && t < end) {
        missed.push({
          orderId: stay.orderId,
          state: stay.state,
          dueAt,
          supplierId: isSupplierState(stay.state) ? stay.supplierId : null,
        });
      }
    }
  }
  return missed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
