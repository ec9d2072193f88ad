import { assertYear, type DayNumber, dayNumberFromCivil } from './civil-date.js';

/**
 * Gregorian Easter Sunday by the anonymous Gregorian algorithm (published by Meeus, after
 * Jones 1876 and Butcher 1876). Computed rather than tabulated so the calendar never runs
 * out of years; the spec tests cross-check it against an independent epact-based method.
 */
export function easterSundayDayNumber(year: number): DayNumber {
  assertYear(year);
  const a = year % 19; // position in the 19-year Metonic cycle
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30; // days from 21 March to the paschal full moon (roughly)
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the following Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberFromCivil(year, month, day);
}
