import type { BusinessCalendar } from '@snitflow/calendar';
import {
  assertValidDate,
  businessDayOnOrAfter,
  businessDayOnOrBefore,
  shiftBusinessDays,
} from './business-days.js';
import { assertValidPolicy } from './parse-policies.js';
import type { StateDeadlinePolicy } from './policies.js';

/**
 * When the wait that started at `enteredAt` is due.
 *
 * Counted deadline (no explicit date): take the local date of `enteredAt` (time of day ignored,
 * so entering at 20:00 counts from that day); if that date is not a business day, the next
 * business day is day 0, as with BusinessCalendar.addBusinessDays (a request arriving on
 * Saturday counts as arriving on Monday). The deadline is the office close
 * (calendar.endOfBusinessDay) of the business day `policy.businessDays` business days after day 0.
 *
 * Explicit due date ('YYYY-MM-DD', e.g. the reply-by date printed in the email to the supplier):
 * it wins over the counted deadline and means the office close of that date. If that date is not
 * a business day, the office close of the last business day before it: the office is closed on
 * the promised day, and the deadline must never fall later than the date promised. An explicit
 * date earlier than `enteredAt` is taken as given (the order is overdue at once).
 *
 * @throws DeadlinePolicyError for an invalid policy; CalendarInputError for a malformed date.
 */
export function deadlineFor(
  enteredAt: Date,
  policy: StateDeadlinePolicy,
  calendar: BusinessCalendar,
  explicitDueDate?: string,
): Date {
  assertValidDate(enteredAt, 'enteredAt');
  assertValidPolicy(policy);
  if (explicitDueDate !== undefined) {
    return calendar.endOfBusinessDay(businessDayOnOrBefore(calendar, explicitDueDate));
  }
  const dayZero = businessDayOnOrAfter(calendar, calendar.localDate(enteredAt));
  return calendar.endOfBusinessDay(shiftBusinessDays(calendar, dayZero, policy.businessDays));
}

/**
 * True once `now` is strictly after `dueAt`. The deadline instant itself still counts as on
 * time, so an answer stamped exactly at the office close is not late.
 */
export function isOverdue(dueAt: Date, now: Date): boolean {
  assertValidDate(dueAt, 'dueAt');
  assertValidDate(now, 'now');
  return now.getTime() > dueAt.getTime();
}

/**
 * Whole business days past the due day: 0 when not overdue, and also 0 when overdue but still on
 * the due day or on the non-business days right after it (a 16:00 deadline at 17:00 the same
 * day, or on the Saturday after a Friday deadline). Otherwise the number of business days after
 * the due day's local date up to and including `now`'s local date, so the first business day
 * after the due day counts 1 from its midnight on, whatever the office hours. Use isOverdue to
 * tell "on time" from "overdue by 0 business days"; sort by this number and then by `dueAt` for a
 * most-overdue-first queue.
 */
export function businessDaysOverdue(dueAt: Date, now: Date, calendar: BusinessCalendar): number {
  if (!isOverdue(dueAt, now)) {
    return 0;
  }
  return Math.max(0, calendar.businessDaysBetween(dueAt, now));
}
