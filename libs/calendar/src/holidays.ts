import { type DayNumber, dayNumberFromCivil } from './civil-date.js';
import { easterSundayDayNumber } from './easter.js';

export interface PublicHoliday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: string;
  nameDa: string;
}

export interface HolidayEntry {
  dayNumber: DayNumber;
  name: string;
  nameDa: string;
}

/**
 * Store bededag was abolished as a public holiday by an act of the Danish parliament passed in
 * February 2023 with effect from 2024, so it is a holiday up to and including this year only.
 */
export const GREAT_PRAYER_DAY_LAST_YEAR = 2023;

/** Offsets from Easter Sunday, in days. */
const EASTER_RELATIVE: readonly { offset: number; name: string; nameDa: string; untilYear?: number }[] = [
  { offset: -3, name: 'Maundy Thursday', nameDa: 'Skærtorsdag' },
  { offset: -2, name: 'Good Friday', nameDa: 'Langfredag' },
  { offset: 0, name: 'Easter Sunday', nameDa: 'Påskedag' },
  { offset: 1, name: 'Easter Monday', nameDa: '2. påskedag' },
  {
    offset: 26,
    name: 'Great Prayer Day',
    nameDa: 'Store bededag',
    untilYear: GREAT_PRAYER_DAY_LAST_YEAR,
  },
  { offset: 39, name: 'Ascension Day', nameDa: 'Kristi himmelfartsdag' },
  { offset: 49, name: 'Whit Sunday', nameDa: 'Pinsedag' },
  { offset: 50, name: 'Whit Monday', nameDa: '2. pinsedag' },
];

/**
 * The Danish statutory public holidays ("helligdage") of a year, sorted by date.
 * Constitution Day, Christmas Eve and New Year's Eve are deliberately absent: they are not
 * public holidays by law but customary closing days, configured separately.
 * Years are assumed valid (validated by the caller).
 */
export function danishPublicHolidays(year: number): HolidayEntry[] {
  const easter = easterSundayDayNumber(year);
  const entries: HolidayEntry[] = [
    { dayNumber: dayNumberFromCivil(year, 1, 1), name: "New Year's Day", nameDa: 'Nytårsdag' },
  ];
  for (const holiday of EASTER_RELATIVE) {
    if (holiday.untilYear !== undefined && year > holiday.untilYear) {
      continue;
    }
    entries.push({ dayNumber: easter + holiday.offset, name: holiday.name, nameDa: holiday.nameDa });
  }
  entries.push(
    { dayNumber: dayNumberFromCivil(year, 12, 25), name: 'Christmas Day', nameDa: 'Juledag' },
    { dayNumber: dayNumberFromCivil(year, 12, 26), name: 'Boxing Day', nameDa: '2. juledag' },
  );
  // Already chronological by construction (Easter-based dates fall between 22 March and
  // 14 June), but sorting keeps the contract independent of that reasoning.
  return entries.sort((x, y) => x.dayNumber - y.dayNumber);
}
