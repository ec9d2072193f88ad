import { MailInputError } from './errors.js';
import type { Language } from './types.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parseIsoDate(value: string): Ymd | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  return day <= daysInMonth(year, month) ? { year, month, day } : null;
}

// Arithmetic rather than Date.UTC, which maps years 0..99 to 1900..1999.
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function weekdayOf({ year, month, day }: Ymd): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years below 100 literally.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCDay();
}

/** True for a real calendar date written exactly as YYYY-MM-DD (so 2025-02-29 is false). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && parseIsoDate(value) !== null;
}

const MONTHS: Record<Language, readonly string[]> = {
  da: [
    'januar',
    'februar',
    'marts',
    'april',
    'maj',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

// Indexed by Date#getUTCDay (0 = Sunday).
const WEEKDAYS: Record<Language, readonly string[]> = {
  da: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/**
 * Formats a YYYY-MM-DD date for people: "13. marts 2026" / "13 March 2026", or with the
 * weekday ("fredag den 13. marts 2026" / "Friday 13 March 2026") for deadlines, where the
 * weekday is what a reader plans by. Written out rather than via Intl so the output does not
 * depend on the ICU data Node was built with.
 */
export function formatDate(value: string, language: Language, options: { weekday?: boolean } = {}): string {
  const date = parseIsoDate(value);
  if (!date) throw new MailInputError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const month = MONTHS[language][date.month - 1];
  const weekday = WEEKDAYS[language][weekdayOf(date)];
  if (language === 'da') {
    const base = `${date.day}. ${month} ${date.year}`;
    return options.weekday ? `${weekday} den ${base}` : base;
  }
  const base = `${date.day} ${month} ${date.year}`;
  return options.weekday ? `${weekday} ${base}` : base;
}
