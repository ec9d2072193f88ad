import { CalendarInputError } from './errors.js';

/**
 * Calendar dates are handled as "day numbers" (whole days since 1970-01-01 in the proleptic
 * Gregorian calendar). They carry no time zone, so date arithmetic can never be skewed by DST;
 * zones only come into play when converting to and from instants.
 */
export type DayNumber = number;

export const MS_PER_DAY = 86_400_000;

/** The Gregorian Easter algorithm is only meaningful from the Gregorian reform (1582) on. */
export const MIN_YEAR = 1583;
/** Four-digit years keep the 'YYYY-MM-DD' format unambiguous. */
export const MAX_YEAR = 9999;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function assertYear(year: number, what = 'year'): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarInputError(
      `${what} must be an integer between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`,
    );
  }
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the following month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function dayNumberFromCivil(year: number, month: number, day: number): DayNumber {
  // Date.UTC is proleptic Gregorian and exact for years >= 100, which covers MIN_YEAR..MAX_YEAR.
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function civilFromDayNumber(dayNumber: DayNumber): CivilDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function yearOfDayNumber(dayNumber: DayNumber): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (same convention as Date#getUTCDay). */
export function weekdayOfDayNumber(dayNumber: DayNumber): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps negative day numbers correct.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function formatDayNumber(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** Parses a strict 'YYYY-MM-DD' calendar date; rejects impossible dates such as 2025-02-29. */
export function parseIsoDate(value: unknown, what = 'date'): DayNumber {
  if (typeof value !== 'string') {
    throw new CalendarInputError(`${what} must be a 'YYYY-MM-DD' string, got ${typeof value}`);
  }
  const match = ISO_DATE.exec(value);
  if (!match) {
    throw new CalendarInputError(`${what} must be a 'YYYY-MM-DD' date, got '${value}'`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  assertYear(year, `year of ${what} '${value}'`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new CalendarInputError(`${what} '${value}' is not a valid calendar date`);
  }
  return dayNumberFromCivil(year, month, day);
}
