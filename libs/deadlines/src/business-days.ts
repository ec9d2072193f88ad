import type { BusinessCalendar } from '@snitflow/calendar';
import { DeadlineInputError } from './errors.js';

/**
 * Day arithmetic on 'YYYY-MM-DD' local dates rather than on instants: adding business days to
 * an instant keeps its wall-clock time, which a DST gap can shift; a plain date cannot drift.
 */

/**
 * The business day `n` business days after (n > 0) or before (n < 0) the business day `date`.
 * `date` must itself be a business day; the callers anchor first.
 */
export function shiftBusinessDays(calendar: BusinessCalendar, date: string, n: number): string {
  let day = date;
  for (let i = 0; i < n; i++) day = calendar.nextBusinessDay(day);
  for (let i = 0; i > n; i--) day = calendar.previousBusinessDay(day);
  return day;
}

/** `date` when it is a business day, otherwise the next business day after it. */
export function businessDayOnOrAfter(calendar: BusinessCalendar, date: string): string {
  return calendar.isBusinessDay(date) ? date : calendar.nextBusinessDay(date);
}

/** `date` when it is a business day, otherwise the last business day before it. */
export function businessDayOnOrBefore(calendar: BusinessCalendar, date: string): string {
  return calendar.isBusinessDay(date) ? date : calendar.previousBusinessDay(date);
}

// Office starts by calendar, then by date, as epoch milliseconds. Time-zone conversion is the
// costly part of a schedule (each step needs one), and a calendar is immutable, so an office
// start never changes; the WeakMap lets the cache go with its calendar.
const officeStartCache = new WeakMap<BusinessCalendar, Map<string, number>>();

/**
 * Office start (local) of the business day `date`, as an instant.
 *
 * The calendar exposes office close but not office start. Its office hours are [start, end), so
 * the close of the previous business day is outside them and nextOfficeHoursInstant returns the
 * office start of the following business day, which is `date`. This reuses the calendar's own
 * time-zone and DST handling instead of repeating it here.
 */
export function officeStart(calendar: BusinessCalendar, date: string): Date {
  let byDate = officeStartCache.get(calendar);
  if (byDate === undefined) {
    byDate = new Map();
    officeStartCache.set(calendar, byDate);
  }
  let start = byDate.get(date);
  if (start === undefined) {
    const previousClose = calendar.endOfBusinessDay(calendar.previousBusinessDay(date));
    start = calendar.nextOfficeHoursInstant(previousClose).getTime();
    byDate.set(date, start);
  }
  return new Date(start);
}

export function assertValidDate(value: unknown, what: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new DeadlineInputError(`${what} must be a valid Date`);
  }
}

/** Why a date cannot be a deadline, and the business days either side of it (see notADeadlineDay). */
export interface NonBusinessDay {
  date: string;
  /** e.g. "Easter Monday", "a Saturday", "a closing day". */
  why: string;
  businessDayBefore: string;
  businessDayAfter: string;
}

/**
 * The one rule for every date a person gives as a deadline (a reply-by date, an extended due
 * date): it must be a business day, since the deadline is that day's office close and no office
 * closes on a day it is shut. Returns null for a business day; otherwise what the day is and the
 * business days before and after it, for a refusal that offers both, never a silent move.
 */
export function notADeadlineDay(calendar: BusinessCalendar, date: string): NonBusinessDay | null {
  if (calendar.isBusinessDay(date)) return null;
  const year = Number(date.slice(0, 4));
  const holiday = calendar.publicHolidays(year).find((entry) => entry.date === date);
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  const why = holiday
    ? holiday.name
    : weekday === 0
      ? 'a Sunday'
      : weekday === 6
        ? 'a Saturday'
        : 'a closing day (CLOSING_DAYS)';
  return {
    date,
    why,
    businessDayBefore: calendar.previousBusinessDay(date),
    businessDayAfter: calendar.nextBusinessDay(date),
  };
}
