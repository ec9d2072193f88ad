import { IANAZone } from 'luxon';
import {
  assertYear,
  type DayNumber,
  daysInMonth,
  formatDayNumber,
  MAX_YEAR,
  MIN_YEAR,
  MS_PER_DAY,
  pad2,
  parseIsoDate,
  weekdayOfDayNumber,
  yearOfDayNumber,
} from './civil-date.js';
import { easterSundayDayNumber } from './easter.js';
import { CalendarInputError } from './errors.js';
import { danishPublicHolidays, type HolidayEntry, type PublicHoliday } from './holidays.js';

export interface OfficeHours {
  /** 'HH:mm', local wall-clock time in the calendar's time zone (inclusive). */
  start: string;
  /** 'HH:mm', local wall-clock time in the calendar's time zone (exclusive). */
  end: string;
}

export interface CalendarOptions {
  /** IANA time zone name; default 'Europe/Copenhagen'. */
  timeZone?: string;
  /**
   * Extra non-business days besides the public holidays: 'MM-DD' repeats every year,
   * 'YYYY-MM-DD' applies to that date only. Default ['12-24', '12-31', '06-05'].
   * Passing an array replaces the default entirely (pass [] for "public holidays only").
   */
  closingDays?: string[];
  /** Default 08:00–16:00. */
  officeHours?: OfficeHours;
}

export const DEFAULT_TIME_ZONE = 'Europe/Copenhagen';
/** Christmas Eve, New Year's Eve and Constitution Day: customary, not statutory, closing days. */
export const DEFAULT_CLOSING_DAYS: readonly string[] = Object.freeze(['12-24', '12-31', '06-05']);
export const DEFAULT_OFFICE_HOURS: Readonly<OfficeHours> = Object.freeze({ start: '08:00', end: '16:00' });

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS_MINUTES = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MS_PER_MINUTE = 60_000;
const SATURDAY = 6;
const SUNDAY = 0;
/** More business days than exist in the whole supported year range. */
const MAX_BUSINESS_DAY_STEPS = (MAX_YEAR - MIN_YEAR + 1) * 262;

/** A local calendar day plus the wall-clock time within it, in the calendar's zone. */
interface LocalDateTime {
  dayNumber: DayNumber;
  msOfDay: number;
}

/**
 * Danish business-day calendar. Pure and synchronous; instances are immutable apart from
 * internal per-year caches, so one instance can be shared freely.
 *
 * Definitions used throughout:
 * - A *business day* is a local calendar date that is neither Saturday/Sunday, nor a Danish
 *   public holiday, nor a configured closing day. No substitute days are given when a holiday
 *   falls on a weekend (Danish practice).
 * - An instant (Date) is judged by its *local date* in the calendar's time zone.
 * - Local wall-clock times that do not exist (spring-forward gap) are moved forward by the
 *   length of the gap; times that occur twice (fall-back overlap) resolve to the earlier
 *   instant. This is the "compatible" disambiguation of TC39 Temporal / RFC 5545. With
 *   Europe/Copenhagen it never matters for business days, because its transitions happen on
 *   Sundays, but the zone is configurable.
 */
export class BusinessCalendar {
  readonly timeZone: string;
  readonly closingDays: readonly string[];
  readonly officeHours: Readonly<OfficeHours>;

  private readonly zone: IANAZone;
  private readonly closingMonthDays: ReadonlySet<string>;
  private readonly closingDates: ReadonlySet<DayNumber>;
  private readonly officeStartMs: number;
  private readonly officeEndMs: number;
  private readonly holidayCache = new Map<number, readonly HolidayEntry[]>();
  private readonly nonBusinessCache = new Map<number, ReadonlySet<DayNumber>>();

  constructor(options: CalendarOptions = {}) {
    this.timeZone = validateTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
    this.zone = IANAZone.create(this.timeZone);

    const closingDays = options.closingDays ?? DEFAULT_CLOSING_DAYS;
    if (!Array.isArray(closingDays)) {
      throw new CalendarInputError('closingDays must be an array of strings');
    }
    const monthDays = new Set<string>();
    const dates = new Set<DayNumber>();
    for (const entry of closingDays) {
      if (typeof entry === 'string' && FULL_DATE.test(entry)) {
        dates.add(parseIsoDate(entry, 'closing day'));
      } else {
        monthDays.add(validateMonthDay(entry));
      }
    }
    this.closingDays = Object.freeze([...closingDays]);
    this.closingMonthDays = monthDays;
    this.closingDates = dates;

    const hours = options.officeHours ?? DEFAULT_OFFICE_HOURS;
    if (typeof hours !== 'object' || hours === null) {
      throw new CalendarInputError("officeHours must be an object { start: 'HH:mm', end: 'HH:mm' }");
    }
    this.officeStartMs = parseHoursMinutes(hours.start, 'officeHours.start');
    this.officeEndMs = parseHoursMinutes(hours.end, 'officeHours.end');
    if (this.officeStartMs >= this.officeEndMs) {
      throw new CalendarInputError(
        `officeHours.start (${hours.start}) must be before officeHours.end (${hours.end})`,
      );
    }
    this.officeHours = Object.freeze({ start: hours.start, end: hours.end });
  }

  /** Easter Sunday of `year` as 'YYYY-MM-DD' (Gregorian, computed). */
  easterSunday(year: number): string {
    return formatDayNumber(easterSundayDayNumber(year));
  }

  /** Statutory Danish public holidays of `year`, sorted by date. Closing days are not included. */
  publicHolidays(year: number): PublicHoliday[] {
    return this.holidayEntries(year).map((h) => ({
      date: formatDayNumber(h.dayNumber),
      name: h.name,
      nameDa: h.nameDa,
    }));
  }

  /**
   * True when the 'YYYY-MM-DD' date is a public holiday or a configured closing day.
   * An ordinary weekend is not a "holiday" (but is not a business day either).
   */
  isHoliday(date: string): boolean {
    const dayNumber = parseIsoDate(date);
    return this.nonBusinessDates(yearOfDayNumber(dayNumber)).has(dayNumber);
  }

  /** A string is a 'YYYY-MM-DD' calendar date; a Date is judged by its local date in the zone. */
  isBusinessDay(dateOrInstant: string | Date): boolean {
    const dayNumber =
      typeof dateOrInstant === 'string'
        ? parseIsoDate(dateOrInstant)
        : this.toLocal(dateOrInstant, 'dateOrInstant').dayNumber;
    return this.isBusinessDayNumber(dayNumber);
  }

  /** The local calendar date ('YYYY-MM-DD') of an instant in the calendar's zone. */
  localDate(instant: Date): string {
    return formatDayNumber(this.toLocal(instant, 'instant').dayNumber);
  }

  /** The first business day strictly after the 'YYYY-MM-DD' date. */
  nextBusinessDay(date: string): string {
    return formatDayNumber(this.stepBusinessDay(parseIsoDate(date), 1));
  }

  /** The last business day strictly before the 'YYYY-MM-DD' date. */
  previousBusinessDay(date: string): string {
    return formatDayNumber(this.stepBusinessDay(parseIsoDate(date), -1));
  }

  /**
   * Moves `n` business days from `instant`, keeping its local wall-clock time of day.
   *
   * Rule: let D be the local date of `instant`.
   * 1. Anchor: if D is a business day the anchor is D. Otherwise, the anchor is the next
   *    business day after D when n >= 0, or the previous business day before D when n < 0
   *    (i.e. a non-business start rolls in the direction of travel).
   * 2. Step |n| business days from the anchor, forwards for n > 0, backwards for n < 0.
   * 3. Return the same local time of day on the resulting date (UTC offset recomputed, so
   *    the result is DST-correct).
   *
   * Consequences: n = 0 returns the instant unchanged on a business day and rolls forward to
   * the next business day (same wall-clock time) otherwise; Saturday + 1 is Tuesday, because
   * Monday is the anchor ("day 0"), matching the usual deadline convention that something
   * received on a non-business day counts as received on the next business day.
   * For a business-day start, businessDaysBetween(instant, result) === n.
   */
  addBusinessDays(instant: Date, n: number): Date {
    const local = this.toLocal(instant, 'instant');
    if (!Number.isSafeInteger(n)) {
      throw new CalendarInputError(`n must be an integer number of business days, got ${n}`);
    }
    if (Math.abs(n) > MAX_BUSINESS_DAY_STEPS) {
      // Fail fast instead of looping for seconds towards an inevitable out-of-range error.
      throw new CalendarInputError(`n must be at most ${MAX_BUSINESS_DAY_STEPS} in magnitude, got ${n}`);
    }
    const direction = n < 0 ? -1 : 1;
    let dayNumber = this.isBusinessDayNumber(local.dayNumber)
      ? local.dayNumber
      : this.stepBusinessDay(local.dayNumber, direction);
    for (let remaining = Math.abs(n); remaining > 0; remaining--) {
      dayNumber = this.stepBusinessDay(dayNumber, direction);
    }
    return this.fromLocal({ dayNumber, msOfDay: local.msOfDay });
  }

  /**
   * Signed number of business days between the local dates of `from` and `to`:
   * with F = localDate(from) and T = localDate(to),
   * - F < T: the count of business days d with F < d <= T (>= 0);
   * - F = T: 0, whatever the times of day;
   * - F > T: minus the count of business days d with T < d <= F (<= 0).
   * Hence businessDaysBetween(a, b) === -businessDaysBetween(b, a), and a Friday-evening to
   * Monday-morning span counts 1 (the Monday).
   */
  businessDaysBetween(from: Date, to: Date): number {
    const fromDay = this.toLocal(from, 'from').dayNumber;
    const toDay = this.toLocal(to, 'to').dayNumber;
    const sign = toDay >= fromDay ? 1 : -1;
    const low = Math.min(fromDay, toDay);
    const high = Math.max(fromDay, toDay);
    let count = 0;
    for (let d = low + 1; d <= high; d++) {
      if (this.isBusinessDayNumber(d)) {
        count++;
      }
    }
    return count === 0 ? 0 : sign * count;
  }

  /**
   * `instant` itself (as a new Date) when it lies within office hours [start, end) of a
   * business day; today's office start when it is earlier on a business day; otherwise the
   * office start of the next business day. Office start/end are local wall-clock times, so
   * the returned instant is DST-correct.
   */
  nextOfficeHoursInstant(instant: Date): Date {
    const local = this.toLocal(instant, 'instant');
    const ts = instant.getTime();
    if (this.isBusinessDayNumber(local.dayNumber)) {
      const start = this.fromLocal({ dayNumber: local.dayNumber, msOfDay: this.officeStartMs });
      if (ts < start.getTime()) {
        return start;
      }
      const end = this.fromLocal({ dayNumber: local.dayNumber, msOfDay: this.officeEndMs });
      if (ts < end.getTime()) {
        return new Date(ts);
      }
    }
    return this.fromLocal({
      dayNumber: this.stepBusinessDay(local.dayNumber, 1),
      msOfDay: this.officeStartMs,
    });
  }

  /**
   * Office closing time (local) on the 'YYYY-MM-DD' date, as an instant. Computed for any date,
   * business day or not; combine with addBusinessDays/isBusinessDay to build deadlines.
   */
  endOfBusinessDay(date: string): Date {
    return this.fromLocal({ dayNumber: parseIsoDate(date), msOfDay: this.officeEndMs });
  }

  private isBusinessDayNumber(dayNumber: DayNumber): boolean {
    const weekday = weekdayOfDayNumber(dayNumber);
    if (weekday === SATURDAY || weekday === SUNDAY) {
      return false;
    }
    return !this.nonBusinessDates(yearOfDayNumber(dayNumber)).has(dayNumber);
  }

  /** The nearest business day strictly after (direction 1) or before (-1) `dayNumber`. */
  private stepBusinessDay(dayNumber: DayNumber, direction: 1 | -1): DayNumber {
    // Terminates: even if closing days covered every date, leaving MIN_YEAR..MAX_YEAR throws.
    let d = dayNumber + direction;
    while (!this.isBusinessDayNumber(d)) {
      d += direction;
    }
    return d;
  }

  private holidayEntries(year: number): readonly HolidayEntry[] {
    let entries = this.holidayCache.get(year);
    if (!entries) {
      assertYear(year);
      entries = danishPublicHolidays(year);
      this.holidayCache.set(year, entries);
    }
    return entries;
  }

  /** Public holidays and closing days of a year (weekday or not), cached per year. */
  private nonBusinessDates(year: number): ReadonlySet<DayNumber> {
    let dates = this.nonBusinessCache.get(year);
    if (!dates) {
      if (year < MIN_YEAR || year > MAX_YEAR) {
        throw new CalendarInputError(`date is outside the supported years ${MIN_YEAR}..${MAX_YEAR}`);
      }
      const set = new Set<DayNumber>(this.holidayEntries(year).map((h) => h.dayNumber));
      for (const monthDay of this.closingMonthDays) {
        const month = Number(monthDay.slice(0, 2));
        const day = Number(monthDay.slice(3, 5));
        // '02-29' only exists in leap years; in other years it simply closes nothing.
        if (day <= daysInMonth(year, month)) {
          set.add(Date.UTC(year, month - 1, day) / MS_PER_DAY);
        }
      }
      for (const date of this.closingDates) {
        if (yearOfDayNumber(date) === year) {
          set.add(date);
        }
      }
      dates = set;
      this.nonBusinessCache.set(year, dates);
    }
    return dates;
  }

  private toLocal(instant: unknown, what: string): LocalDateTime {
    if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
      throw new CalendarInputError(`${what} must be a valid Date`);
    }
    const ts = instant.getTime();
    const localMs = ts + this.offsetMs(ts);
    const dayNumber = Math.floor(localMs / MS_PER_DAY);
    const year = yearOfDayNumber(dayNumber);
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new CalendarInputError(`${what} is outside the supported years ${MIN_YEAR}..${MAX_YEAR}`);
    }
    return { dayNumber, msOfDay: localMs - dayNumber * MS_PER_DAY };
  }

  /** Local wall-clock time → instant, with gap/overlap handling as documented on the class. */
  private fromLocal({ dayNumber, msOfDay }: LocalDateTime): Date {
    const wall = dayNumber * MS_PER_DAY + msOfDay;
    // The offsets in force a day either side bracket any single transition near `wall`
    // (no real zone has two transitions within 48 hours).
    const before = this.offsetMs(wall - MS_PER_DAY);
    const after = this.offsetMs(wall + MS_PER_DAY);
    const candidates = [before, after]
      .map((offset) => wall - offset)
      .filter((ts) => this.offsetMs(ts) === wall - ts);
    if (candidates.length > 0) {
      // Overlap: two valid instants, take the earlier one.
      return new Date(Math.min(...candidates));
    }
    // Gap: interpreting the wall time with the pre-transition offset lands after the
    // transition, i.e. the wall time is shifted forward by the gap length.
    return new Date(wall - before);
  }

  /**
   * UTC offset in whole milliseconds. Luxon reports minutes, which are fractional for
   * historical local-mean-time offsets (e.g. +00:50:20), so round to keep equality exact.
   */
  private offsetMs(ts: number): number {
    // Luxon's zone lookup dominated the cost of scheduling reminders (measured by
    // bench:reminders). Offsets are constant between transitions, so a 15-minute bucket
    // whose two ends agree is cached; a bucket holding a transition is always computed.
    const bucket = Math.floor(ts / OFFSET_BUCKET_MS);
    const cached = this.offsetCache.get(bucket);
    if (cached !== undefined) return cached;
    const exact = this.zoneOffsetMs(ts);
    const start = this.zoneOffsetMs(bucket * OFFSET_BUCKET_MS);
    const end = this.zoneOffsetMs((bucket + 1) * OFFSET_BUCKET_MS - 1);
    if (start === end && start === exact) {
      if (this.offsetCache.size > 50_000) this.offsetCache.clear();
      this.offsetCache.set(bucket, exact);
    }
    return exact;
  }

  private readonly offsetCache = new Map<number, number>();

  private zoneOffsetMs(ts: number): number {
    return Math.round(this.zone.offset(ts) * MS_PER_MINUTE);
  }
}

const OFFSET_BUCKET_MS = 15 * 60 * 1000;

function validateTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || !IANAZone.isValidZone(timeZone)) {
    throw new CalendarInputError(`timeZone must be a valid IANA time zone name, got '${String(timeZone)}'`);
  }
  return timeZone;
}

function validateMonthDay(entry: unknown): string {
  const match = typeof entry === 'string' ? MONTH_DAY.exec(entry) : null;
  if (!match) {
    throw new CalendarInputError(`closing day must be 'MM-DD' or 'YYYY-MM-DD', got '${String(entry)}'`);
  }
  const month = Number(match[1]);
  const day = Number(match[2]);
  // Validated against a leap year so '02-29' is accepted (it applies in leap years only).
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) {
    throw new CalendarInputError(`closing day '${String(entry)}' is not a valid month-day`);
  }
  return `${pad2(month)}-${pad2(day)}`;
}

function parseHoursMinutes(value: unknown, what: string): number {
  const match = typeof value === 'string' ? HOURS_MINUTES.exec(value) : null;
  if (!match) {
    throw new CalendarInputError(`${what} must be 'HH:mm' between 00:00 and 23:59, got '${String(value)}'`);
  }
  return (Number(match[1]) * 60 + Number(match[2])) * MS_PER_MINUTE;
}
