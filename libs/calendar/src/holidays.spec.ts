import { BusinessCalendar, CalendarInputError, GREAT_PRAYER_DAY_LAST_YEAR } from './index.js';

const calendar = new BusinessCalendar();

/** [date, English name] per year, in chronological order. */
const expectedHolidays: Record<number, [string, string][]> = {
  2023: [
    ['2023-01-01', "New Year's Day"],
    ['2023-04-06', 'Maundy Thursday'],
    ['2023-04-07', 'Good Friday'],
    ['2023-04-09', 'Easter Sunday'],
    ['2023-04-10', 'Easter Monday'],
    ['2023-05-05', 'Great Prayer Day'],
    ['2023-05-18', 'Ascension Day'],
    ['2023-05-28', 'Whit Sunday'],
    ['2023-05-29', 'Whit Monday'],
    ['2023-12-25', 'Christmas Day'],
    ['2023-12-26', 'Boxing Day'],
  ],
  2024: [
    ['2024-01-01', "New Year's Day"],
    ['2024-03-28', 'Maundy Thursday'],
    ['2024-03-29', 'Good Friday'],
    ['2024-03-31', 'Easter Sunday'],
    ['2024-04-01', 'Easter Monday'],
    ['2024-05-09', 'Ascension Day'],
    ['2024-05-19', 'Whit Sunday'],
    ['2024-05-20', 'Whit Monday'],
    ['2024-12-25', 'Christmas Day'],
    ['2024-12-26', 'Boxing Day'],
  ],
  2025: [
    ['2025-01-01', "New Year's Day"],
    ['2025-04-17', 'Maundy Thursday'],
    ['2025-04-18', 'Good Friday'],
    ['2025-04-20', 'Easter Sunday'],
    ['2025-04-21', 'Easter Monday'],
    ['2025-05-29', 'Ascension Day'],
    ['2025-06-08', 'Whit Sunday'],
    ['2025-06-09', 'Whit Monday'],
    ['2025-12-25', 'Christmas Day'],
    ['2025-12-26', 'Boxing Day'],
  ],
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-04-02', 'Maundy Thursday'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-05', 'Easter Sunday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-14', 'Ascension Day'],
    ['2026-05-24', 'Whit Sunday'],
    ['2026-05-25', 'Whit Monday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'Boxing Day'],
  ],
  2027: [
    ['2027-01-01', "New Year's Day"],
    ['2027-03-25', 'Maundy Thursday'],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-28', 'Easter Sunday'],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-06', 'Ascension Day'],
    ['2027-05-16', 'Whit Sunday'],
    ['2027-05-17', 'Whit Monday'],
    ['2027-12-25', 'Christmas Day'],
    ['2027-12-26', 'Boxing Day'],
  ],
};

describe('BusinessCalendar.publicHolidays', () => {
  it.each(Object.keys(expectedHolidays).map(Number))(
    'lists exactly the Danish public holidays of %i',
    (year) => {
      const actual = calendar.publicHolidays(year).map((h) => [h.date, h.name]);
      expect(actual).toEqual(expectedHolidays[year]);
    },
  );

  it.each(Object.entries(expectedHolidays).flatMap(([, list]) => list.map(([date]) => date)))(
    '%s is a holiday and not a business day',
    (date) => {
      expect(calendar.isHoliday(date)).toBe(true);
      expect(calendar.isBusinessDay(date)).toBe(false);
    },
  );

  it('gives Danish names', () => {
    expect(calendar.publicHolidays(2023).map((h) => h.nameDa)).toEqual([
      'Nytårsdag',
      'Skærtorsdag',
      'Langfredag',
      'Påskedag',
      '2. påskedag',
      'Store bededag',
      'Kristi himmelfartsdag',
      'Pinsedag',
      '2. pinsedag',
      'Juledag',
      '2. juledag',
    ]);
  });

  it('keeps Great Prayer Day up to and including 2023 and drops it from 2024', () => {
    expect(GREAT_PRAYER_DAY_LAST_YEAR).toBe(2023);
    expect(calendar.isHoliday('2023-05-05')).toBe(true);
    expect(calendar.isBusinessDay('2023-05-05')).toBe(false);
    expect(calendar.isHoliday('2024-04-26')).toBe(false);
    expect(calendar.isBusinessDay('2024-04-26')).toBe(true);
    expect(calendar.isBusinessDay('2025-05-16')).toBe(true); // would have been Easter 2025 + 26
    expect(calendar.publicHolidays(2022).find((h) => h.name === 'Great Prayer Day')?.date).toBe('2022-05-13');
    expect(calendar.publicHolidays(2024).some((h) => h.name === 'Great Prayer Day')).toBe(false);
  });

  it('does not list closing days as public holidays, but isHoliday includes them', () => {
    const dates = calendar.publicHolidays(2025).map((h) => h.date);
    expect(dates).not.toContain('2025-12-24');
    expect(dates).not.toContain('2025-12-31');
    expect(dates).not.toContain('2025-06-05');
    expect(calendar.isHoliday('2025-12-24')).toBe(true);
    expect(calendar.isHoliday('2025-12-31')).toBe(true);
    expect(calendar.isHoliday('2025-06-05')).toBe(true);
  });

  it('returns a fresh array each call (callers cannot corrupt the cache)', () => {
    const first = calendar.publicHolidays(2025);
    first.length = 0;
    expect(calendar.publicHolidays(2025)).toHaveLength(10);
  });

  it.each([1500, 2025.5])('rejects year %p', (year) => {
    expect(() => calendar.publicHolidays(year)).toThrow(CalendarInputError);
  });
});

describe('holidays falling on weekends (no substitute days)', () => {
  it('Christmas 2021 on Saturday/Sunday', () => {
    expect(new Date('2021-12-25T12:00:00Z').getUTCDay()).toBe(6);
    expect(calendar.isHoliday('2021-12-25')).toBe(true);
    expect(calendar.isHoliday('2021-12-26')).toBe(true);
    expect(calendar.isBusinessDay('2021-12-24')).toBe(false); // Friday, closing day
    expect(calendar.isBusinessDay('2021-12-27')).toBe(true); // Monday: no substitute holiday
    expect(calendar.isBusinessDay('2021-12-31')).toBe(false); // Friday, closing day
  });

  it('Christmas 2022 on Sunday/Monday', () => {
    expect(new Date('2022-12-25T12:00:00Z').getUTCDay()).toBe(0);
    expect(calendar.isBusinessDay('2022-12-26')).toBe(false); // Monday, Boxing Day
    expect(calendar.isBusinessDay('2022-12-27')).toBe(true);
    expect(calendar.nextBusinessDay('2022-12-23')).toBe('2022-12-27');
  });

  it("New Year's Day 2022 on Saturday", () => {
    expect(new Date('2022-01-01T12:00:00Z').getUTCDay()).toBe(6);
    expect(calendar.isHoliday('2022-01-01')).toBe(true);
    expect(calendar.isBusinessDay('2022-01-03')).toBe(true); // Monday: no substitute
    expect(calendar.nextBusinessDay('2021-12-30')).toBe('2022-01-03'); // skips the 31st and the weekend
  });

  it('Constitution Day 2027 on Saturday', () => {
    expect(new Date('2027-06-05T12:00:00Z').getUTCDay()).toBe(6);
    expect(calendar.isHoliday('2027-06-05')).toBe(true);
    expect(calendar.isBusinessDay('2027-06-04')).toBe(true);
    expect(calendar.isBusinessDay('2027-06-07')).toBe(true);
  });

  it('ordinary weekends are not holidays but are not business days', () => {
    expect(calendar.isHoliday('2025-01-18')).toBe(false);
    expect(calendar.isBusinessDay('2025-01-18')).toBe(false);
    expect(calendar.isBusinessDay('2025-01-19')).toBe(false);
  });
});

describe('business days per year', () => {
  function countBusinessDays(year: number): number {
    let count = 0;
    for (
      let d = new Date(Date.UTC(year, 0, 1));
      d.getUTCFullYear() === year;
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      if (calendar.isBusinessDay(d.toISOString().slice(0, 10))) {
        count++;
      }
    }
    return count;
  }

  it('2024: 262 weekdays − 8 weekday holidays − 3 closing days = 251', () => {
    expect(countBusinessDays(2024)).toBe(251);
  });

  it('2025: 261 weekdays − 8 weekday holidays − 3 closing days = 250', () => {
    expect(countBusinessDays(2025)).toBe(250);
  });

  it('2023: Great Prayer Day still costs a business day', () => {
    // 260 weekdays; weekday holidays: 6 Apr, 7 Apr, 10 Apr, 5 May, 18 May, 29 May, 25 Dec, 26 Dec;
    // closing days on weekdays: 5 Jun (Mon); 24 Dec is a Sunday and 31 Dec a Sunday.
    expect(countBusinessDays(2023)).toBe(251);
  });
});
