import { BusinessCalendar as AliasedBusinessCalendar } from '@snitflow/calendar';
import { DateTime } from 'luxon';
import { BusinessCalendar, CalendarInputError, DEFAULT_CLOSING_DAYS, DEFAULT_OFFICE_HOURS } from './index.js';

const ZONE = 'Europe/Copenhagen';
const calendar = new BusinessCalendar();

/** Copenhagen wall-clock rendering with offset, so assertions show both local time and offset. */
function local(instant: Date, zone = ZONE): string | null {
  return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true });
}

describe('defaults', () => {
  it('is importable through the @snitflow/calendar alias', () => {
    expect(AliasedBusinessCalendar).toBe(BusinessCalendar);
  });

  it('uses Europe/Copenhagen, 08:00–16:00 and the default closing days', () => {
    expect(calendar.timeZone).toBe('Europe/Copenhagen');
    expect(calendar.officeHours).toEqual({ start: '08:00', end: '16:00' });
    expect(DEFAULT_OFFICE_HOURS).toEqual({ start: '08:00', end: '16:00' });
    expect(calendar.closingDays).toEqual(['12-24', '12-31', '06-05']);
    expect(DEFAULT_CLOSING_DAYS).toEqual(['12-24', '12-31', '06-05']);
  });
});

describe('isBusinessDay', () => {
  it('accepts ISO dates', () => {
    expect(calendar.isBusinessDay('2025-01-15')).toBe(true); // Wednesday
    expect(calendar.isBusinessDay('2025-01-18')).toBe(false); // Saturday
  });

  it('judges a Date by its local date in the zone, not by UTC', () => {
    // 23:30Z on Friday is already Saturday 00:30 in Copenhagen.
    const instant = new Date('2025-01-17T23:30:00Z');
    expect(calendar.localDate(instant)).toBe('2025-01-18');
    expect(calendar.isBusinessDay(instant)).toBe(false);
    expect(new BusinessCalendar({ timeZone: 'UTC' }).isBusinessDay(instant)).toBe(true);
    // In summer the offset is +02:00: 22:30Z on Sunday is Monday 00:30 local.
    expect(calendar.isBusinessDay(new Date('2025-06-15T22:30:00Z'))).toBe(true);
    expect(calendar.isBusinessDay(new Date('2025-06-15T21:30:00Z'))).toBe(false);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-5', '20250105', '', '2025-01-15T10:00:00Z'])(
    'rejects the malformed date %p',
    (date) => {
      expect(() => calendar.isBusinessDay(date)).toThrow(CalendarInputError);
      expect(() => calendar.isHoliday(date)).toThrow(CalendarInputError);
    },
  );

  it('rejects an invalid Date', () => {
    expect(() => calendar.isBusinessDay(new Date('nope'))).toThrow(CalendarInputError);
  });
});

describe('nextBusinessDay / previousBusinessDay', () => {
  it('skip weekends, holidays and closing days, strictly after/before', () => {
    expect(calendar.nextBusinessDay('2025-01-15')).toBe('2025-01-16');
    expect(calendar.nextBusinessDay('2025-01-17')).toBe('2025-01-20');
    expect(calendar.nextBusinessDay('2025-04-16')).toBe('2025-04-22');
    expect(calendar.previousBusinessDay('2025-04-22')).toBe('2025-04-16');
    expect(calendar.previousBusinessDay('2026-01-02')).toBe('2025-12-30');
  });
});

describe('addBusinessDays', () => {
  it('moves n business days keeping the local time of day', () => {
    const wed = new Date('2025-01-15T09:00:00+01:00');
    expect(local(calendar.addBusinessDays(wed, 0))).toBe('2025-01-15T09:00:00+01:00');
    expect(local(calendar.addBusinessDays(wed, 1))).toBe('2025-01-16T09:00:00+01:00');
    expect(local(calendar.addBusinessDays(wed, 3))).toBe('2025-01-20T09:00:00+01:00');
    expect(local(calendar.addBusinessDays(wed, 10))).toBe('2025-01-29T09:00:00+01:00');
  });

  it('keeps seconds and milliseconds', () => {
    const t = new Date('2025-01-15T13:45:17.123+01:00');
    expect(calendar.addBusinessDays(t, 1).toISOString()).toBe('2025-01-16T12:45:17.123Z');
  });

  it('returns a new Date object even for n = 0 on a business day', () => {
    const wed = new Date('2025-01-15T09:00:00+01:00');
    const result = calendar.addBusinessDays(wed, 0);
    expect(result).not.toBe(wed);
    expect(result.getTime()).toBe(wed.getTime());
  });

  describe('non-business start day (anchor rule)', () => {
    const saturday = new Date('2025-01-18T11:00:00+01:00');

    it('n = 0 rolls forward to the next business day at the same time', () => {
      expect(local(calendar.addBusinessDays(saturday, 0))).toBe('2025-01-20T11:00:00+01:00');
    });

    it('n = 1 counts from Monday (the anchor), giving Tuesday', () => {
      expect(local(calendar.addBusinessDays(saturday, 1))).toBe('2025-01-21T11:00:00+01:00');
      expect(local(calendar.addBusinessDays(saturday, 5))).toBe('2025-01-27T11:00:00+01:00');
    });

    it('negative n anchors on the previous business day (Friday), then steps back', () => {
      expect(local(calendar.addBusinessDays(saturday, -1))).toBe('2025-01-16T11:00:00+01:00');
      expect(local(calendar.addBusinessDays(saturday, -5))).toBe('2025-01-10T11:00:00+01:00');
    });

    it('a holiday start anchors on the next business day: Maundy Thursday 2025 + 1 = 23 April', () => {
      const maundyThursday = new Date('2025-04-17T10:00:00+02:00');
      expect(local(calendar.addBusinessDays(maundyThursday, 0))).toBe('2025-04-22T10:00:00+02:00');
      expect(local(calendar.addBusinessDays(maundyThursday, 1))).toBe('2025-04-23T10:00:00+02:00');
    });

    it('the anchor is judged by the local date: Friday 23:30 UTC is Saturday in Copenhagen', () => {
      const fridayUtc = new Date('2025-01-17T23:30:00Z'); // Sat 00:30 local
      expect(local(calendar.addBusinessDays(fridayUtc, 0))).toBe('2025-01-20T00:30:00+01:00');
    });
  });

  it('skips the Easter holidays', () => {
    const wed = new Date('2025-04-16T09:00:00+02:00');
    expect(local(calendar.addBusinessDays(wed, 1))).toBe('2025-04-22T09:00:00+02:00');
    expect(local(calendar.addBusinessDays(wed, 2))).toBe('2025-04-23T09:00:00+02:00');
  });

  it('skips Christmas and the closing days', () => {
    const dec23 = new Date('2025-12-23T14:00:00+01:00');
    expect(local(calendar.addBusinessDays(dec23, 1))).toBe('2025-12-29T14:00:00+01:00');
    expect(local(calendar.addBusinessDays(dec23, 3))).toBe('2026-01-02T14:00:00+01:00');
  });

  it('supports negative n', () => {
    const tue = new Date('2025-04-22T09:00:00+02:00');
    expect(local(calendar.addBusinessDays(tue, -1))).toBe('2025-04-16T09:00:00+02:00');
    expect(local(calendar.addBusinessDays(tue, -3))).toBe('2025-04-14T09:00:00+02:00');
    const jan2 = new Date('2026-01-02T09:00:00+01:00');
    expect(local(calendar.addBusinessDays(jan2, -2))).toBe('2025-12-29T09:00:00+01:00');
  });

  it('negative n undoes positive n for a business-day start', () => {
    const start = new Date('2025-03-12T09:15:00+01:00');
    for (const n of [1, 5, 17, 60, 250]) {
      const forward = calendar.addBusinessDays(start, n);
      expect(calendar.addBusinessDays(forward, -n).getTime()).toBe(start.getTime());
      expect(calendar.businessDaysBetween(start, forward)).toBe(n);
      expect(calendar.businessDaysBetween(forward, start)).toBe(-n);
    }
  });

  describe('across DST changes (Copenhagen switches on the last Sunday of March/October)', () => {
    it('spring 2025: Friday 28 March 09:00 +01:00 + 1 = Monday 31 March 09:00 +02:00', () => {
      const friday = new Date('2025-03-28T09:00:00+01:00');
      expect(friday.toISOString()).toBe('2025-03-28T08:00:00.000Z');
      const result = calendar.addBusinessDays(friday, 1);
      expect(result.toISOString()).toBe('2025-03-31T07:00:00.000Z');
      expect(local(result)).toBe('2025-03-31T09:00:00+02:00');
    });

    it('spring 2024 (DST change on Easter Sunday): Wednesday 27 March + 1 = Tuesday 2 April 09:00 +02:00', () => {
      const result = calendar.addBusinessDays(new Date('2024-03-27T09:00:00+01:00'), 1);
      expect(result.toISOString()).toBe('2024-04-02T07:00:00.000Z');
      expect(local(result)).toBe('2024-04-02T09:00:00+02:00');
    });

    it('autumn 2025: Friday 24 October 09:00 +02:00 + 1 = Monday 27 October 09:00 +01:00', () => {
      const friday = new Date('2025-10-24T09:00:00+02:00');
      const result = calendar.addBusinessDays(friday, 1);
      expect(result.toISOString()).toBe('2025-10-27T08:00:00.000Z');
      expect(local(result)).toBe('2025-10-27T09:00:00+01:00');
    });

    it('going back across the changes restores the original offset', () => {
      expect(local(calendar.addBusinessDays(new Date('2025-03-31T09:00:00+02:00'), -1))).toBe(
        '2025-03-28T09:00:00+01:00',
      );
      expect(local(calendar.addBusinessDays(new Date('2025-10-27T09:00:00+01:00'), -1))).toBe(
        '2025-10-24T09:00:00+02:00',
      );
    });

    it('a five-day week spanning the change keeps 09:00 every day', () => {
      const results = [1, 2, 3, 4, 5].map((n) =>
        local(calendar.addBusinessDays(new Date('2025-10-22T09:00:00+02:00'), n)),
      );
      expect(results).toEqual([
        '2025-10-23T09:00:00+02:00',
        '2025-10-24T09:00:00+02:00',
        '2025-10-27T09:00:00+01:00',
        '2025-10-28T09:00:00+01:00',
        '2025-10-29T09:00:00+01:00',
      ]);
    });

    it('a start on the DST Sunday itself keeps its wall-clock time', () => {
      // 2025-03-30 03:30 +02:00 (just after the gap) is a Sunday; anchor Monday.
      const sunday = new Date('2025-03-30T03:30:00+02:00');
      expect(local(calendar.addBusinessDays(sunday, 0))).toBe('2025-03-31T03:30:00+02:00');
      // The later of the two 02:30s on 26 October (+01:00) is also kept as 02:30 local.
      const ambiguous = new Date('2025-10-26T02:30:00+01:00');
      expect(local(calendar.addBusinessDays(ambiguous, 0))).toBe('2025-10-27T02:30:00+01:00');
    });
  });

  describe('zones that change DST on a weekday (gap/overlap disambiguation)', () => {
    it('a wall time inside a spring gap moves forward by the gap length', () => {
      // Israel moved its clocks on Friday 24 March 2023 at 02:00 (+02:00 → +03:00).
      const jerusalem = new BusinessCalendar({ timeZone: 'Asia/Jerusalem' });
      const thursday = new Date('2023-03-23T02:30:00+02:00');
      const result = jerusalem.addBusinessDays(thursday, 1);
      expect(local(result, 'Asia/Jerusalem')).toBe('2023-03-24T03:30:00+03:00');
      expect(result.toISOString()).toBe('2023-03-24T00:30:00.000Z');
    });

    it('an ambiguous wall time resolves to the earlier instant', () => {
      // Egypt turned its clocks back at the end of Thursday 31 October 2024 (24:00 +03:00 →
      // 23:00 +02:00), so 23:30 occurred twice: 20:30Z (+03:00) and 21:30Z (+02:00).
      const cairo = new BusinessCalendar({ timeZone: 'Africa/Cairo' });
      const wednesday = new Date('2024-10-30T23:30:00+03:00');
      expect(cairo.addBusinessDays(wednesday, 1).toISOString()).toBe('2024-10-31T20:30:00.000Z');
      const lateOffice = new BusinessCalendar({
        timeZone: 'Africa/Cairo',
        officeHours: { start: '08:00', end: '23:30' },
      });
      expect(lateOffice.endOfBusinessDay('2024-10-31').toISOString()).toBe('2024-10-31T20:30:00.000Z');
      // The second 23:30 (+02:00) is after the chosen office end, so office hours are over.
      expect(lateOffice.nextOfficeHoursInstant(new Date('2024-10-31T21:30:00Z')).toISOString()).toBe(
        // Friday 1 November 08:00 +02:00 (weekends stay Saturday/Sunday whatever the zone).
        '2024-11-01T06:00:00.000Z',
      );
      expect(lateOffice.nextOfficeHoursInstant(new Date('2024-10-31T20:00:00Z')).toISOString()).toBe(
        '2024-10-31T20:00:00.000Z',
      );
    });
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('rejects n = %p', (n) => {
    expect(() => calendar.addBusinessDays(new Date('2025-01-15T09:00:00Z'), n)).toThrow(CalendarInputError);
  });

  it('rejects an invalid Date', () => {
    expect(() => calendar.addBusinessDays(new Date(Number.NaN), 1)).toThrow(CalendarInputError);
  });
});

describe('businessDaysBetween', () => {
  it('is 0 within the same local day, whatever the times', () => {
    expect(
      calendar.businessDaysBetween(
        new Date('2025-01-15T00:00:00+01:00'),
        new Date('2025-01-15T23:59:59+01:00'),
      ),
    ).toBe(0);
    expect(
      calendar.businessDaysBetween(
        new Date('2025-01-15T23:59:59+01:00'),
        new Date('2025-01-15T00:00:00+01:00'),
      ),
    ).toBe(0);
  });

  it('counts local-date boundaries, not 24-hour periods', () => {
    // One hour apart but on either side of local midnight: Wednesday 23:30 → Thursday 00:30.
    expect(
      calendar.businessDaysBetween(new Date('2025-01-15T22:30:00Z'), new Date('2025-01-15T23:30:00Z')),
    ).toBe(1);
  });

  it('counts business days d with from < d <= to', () => {
    const fri = new Date('2025-01-17T17:00:00+01:00');
    expect(calendar.businessDaysBetween(fri, new Date('2025-01-18T10:00:00+01:00'))).toBe(0); // Saturday
    expect(calendar.businessDaysBetween(fri, new Date('2025-01-20T08:00:00+01:00'))).toBe(1); // Monday
    expect(calendar.businessDaysBetween(new Date('2025-01-18T10:00:00+01:00'), fri)).toBe(0);
  });

  it('across the Easter week 2025', () => {
    const wed = new Date('2025-04-16T10:00:00+02:00');
    const nextWed = new Date('2025-04-23T10:00:00+02:00');
    // 17, 18, 21 April are holidays, 19–20 the weekend: only 22 and 23 April count.
    expect(calendar.businessDaysBetween(wed, nextWed)).toBe(2);
    expect(calendar.businessDaysBetween(nextWed, wed)).toBe(-2);
  });

  it('across Christmas and New Year 2025/26', () => {
    const mon = new Date('2025-12-22T09:00:00+01:00');
    const fri = new Date('2026-01-02T09:00:00+01:00');
    // 23 Dec, 29 Dec, 30 Dec and 2 Jan.
    expect(calendar.businessDaysBetween(mon, fri)).toBe(4);
    expect(calendar.businessDaysBetween(fri, mon)).toBe(-4);
  });

  it('across a whole year', () => {
    expect(
      calendar.businessDaysBetween(
        new Date('2024-12-31T12:00:00+01:00'),
        new Date('2025-12-31T12:00:00+01:00'),
      ),
    ).toBe(250);
  });

  it('across the DST change (the 23-hour Sunday is still one local day)', () => {
    expect(
      calendar.businessDaysBetween(
        new Date('2025-03-28T09:00:00+01:00'),
        new Date('2025-03-31T09:00:00+02:00'),
      ),
    ).toBe(1);
  });

  it('rejects invalid Dates', () => {
    expect(() => calendar.businessDaysBetween(new Date(Number.NaN), new Date())).toThrow(CalendarInputError);
  });
});

describe('nextOfficeHoursInstant', () => {
  it('returns the instant itself (a copy) within office hours', () => {
    const inside = new Date('2025-01-15T10:17:00+01:00');
    const result = calendar.nextOfficeHoursInstant(inside);
    expect(result).not.toBe(inside);
    expect(result.getTime()).toBe(inside.getTime());
  });

  it('treats start as inclusive and end as exclusive', () => {
    const atStart = new Date('2025-01-15T08:00:00+01:00');
    expect(calendar.nextOfficeHoursInstant(atStart).getTime()).toBe(atStart.getTime());
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-15T15:59:59.999+01:00')))).toBe(
      '2025-01-15T15:59:59.999+01:00',
    );
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-15T16:00:00+01:00')))).toBe(
      '2025-01-16T08:00:00+01:00',
    );
  });

  it('early morning → same day office start', () => {
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-15T06:00:00+01:00')))).toBe(
      '2025-01-15T08:00:00+01:00',
    );
  });

  it('at night → next business day office start', () => {
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-15T22:00:00+01:00')))).toBe(
      '2025-01-16T08:00:00+01:00',
    );
    // 23:30Z Wednesday is Thursday 00:30 local: office opens Thursday 08:00.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-15T23:30:00Z')))).toBe(
      '2025-01-16T08:00:00+01:00',
    );
  });

  it('at the weekend → Monday office start', () => {
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-18T12:00:00+01:00')))).toBe(
      '2025-01-20T08:00:00+01:00',
    );
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-19T09:00:00+01:00')))).toBe(
      '2025-01-20T08:00:00+01:00',
    );
  });

  it('Friday 16:30 → Monday 08:00', () => {
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-01-17T16:30:00+01:00')))).toBe(
      '2025-01-20T08:00:00+01:00',
    );
  });

  it('the evening before Easter → Tuesday after Easter Monday', () => {
    // Easter Eve (Saturday) and the Wednesday evening before Maundy Thursday.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-04-19T20:00:00+02:00')))).toBe(
      '2025-04-22T08:00:00+02:00',
    );
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-04-16T17:00:00+02:00')))).toBe(
      '2025-04-22T08:00:00+02:00',
    );
  });

  it('23 December evening → 27 December, or later when the 27th is a weekend', () => {
    // 2024: 24 Tue (closing), 25–26 holidays → Friday 27.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2024-12-23T18:00:00+01:00')))).toBe(
      '2024-12-27T08:00:00+01:00',
    );
    // 2021: 24 Fri (closing), 25–26 the weekend → Monday 27.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2021-12-23T18:00:00+01:00')))).toBe(
      '2021-12-27T08:00:00+01:00',
    );
    // 2022: 26 Monday is Boxing Day → Tuesday 27.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2022-12-23T18:00:00+01:00')))).toBe(
      '2022-12-27T08:00:00+01:00',
    );
    // 2025: 25–26 Thu–Fri, 27–28 the weekend → Monday 29.
    expect(local(calendar.nextOfficeHoursInstant(new Date('2025-12-23T18:00:00+01:00')))).toBe(
      '2025-12-29T08:00:00+01:00',
    );
  });

  it('is DST-correct: Saturday night before the spring change → Monday 08:00 +02:00', () => {
    const result = calendar.nextOfficeHoursInstant(new Date('2025-03-29T23:00:00+01:00'));
    expect(result.toISOString()).toBe('2025-03-31T06:00:00.000Z');
    expect(local(result)).toBe('2025-03-31T08:00:00+02:00');
    const autumn = calendar.nextOfficeHoursInstant(new Date('2025-10-24T18:00:00+02:00'));
    expect(autumn.toISOString()).toBe('2025-10-27T07:00:00.000Z');
  });

  it('honours custom office hours', () => {
    const late = new BusinessCalendar({ officeHours: { start: '09:30', end: '15:00' } });
    expect(local(late.nextOfficeHoursInstant(new Date('2025-01-15T09:00:00+01:00')))).toBe(
      '2025-01-15T09:30:00+01:00',
    );
    expect(local(late.nextOfficeHoursInstant(new Date('2025-01-15T15:00:00+01:00')))).toBe(
      '2025-01-16T09:30:00+01:00',
    );
  });
});

describe('endOfBusinessDay', () => {
  it('returns the local office end as an instant, in winter and summer time', () => {
    expect(calendar.endOfBusinessDay('2025-01-15').toISOString()).toBe('2025-01-15T15:00:00.000Z');
    expect(calendar.endOfBusinessDay('2025-06-16').toISOString()).toBe('2025-06-16T14:00:00.000Z');
  });

  it('on the DST Sunday itself', () => {
    expect(local(calendar.endOfBusinessDay('2025-03-30'))).toBe('2025-03-30T16:00:00+02:00');
    expect(local(calendar.endOfBusinessDay('2025-10-26'))).toBe('2025-10-26T16:00:00+01:00');
  });

  it('composes into a deadline: 5 business days after receipt, end of day', () => {
    const received = new Date('2025-04-15T11:00:00+02:00'); // Tuesday before Easter
    const deadlineDay = calendar.localDate(calendar.addBusinessDays(received, 5));
    expect(deadlineDay).toBe('2025-04-25');
    expect(local(calendar.endOfBusinessDay(deadlineDay))).toBe('2025-04-25T16:00:00+02:00');
  });

  it('rejects malformed dates', () => {
    expect(() => calendar.endOfBusinessDay('2025-04-31')).toThrow(CalendarInputError);
  });
});

describe('closing-day configuration', () => {
  it('replaces the defaults: [] leaves only public holidays', () => {
    const open = new BusinessCalendar({ closingDays: [] });
    expect(open.isBusinessDay('2025-12-24')).toBe(true);
    expect(open.isBusinessDay('2025-12-31')).toBe(true);
    expect(open.isBusinessDay('2025-06-05')).toBe(true);
    expect(open.isHoliday('2025-12-24')).toBe(false);
    expect(open.isBusinessDay('2025-12-25')).toBe(false);
    expect(local(open.nextOfficeHoursInstant(new Date('2025-12-23T18:00:00+01:00')))).toBe(
      '2025-12-24T08:00:00+01:00',
    );
  });

  it('supports recurring MM-DD and one-off YYYY-MM-DD days', () => {
    const custom = new BusinessCalendar({ closingDays: ['01-02', '2025-05-30'] });
    expect(custom.isHoliday('2025-01-02')).toBe(true);
    expect(custom.isHoliday('2026-01-02')).toBe(true);
    expect(custom.isBusinessDay('2025-05-30')).toBe(false); // Friday after Ascension 2025
    expect(custom.isBusinessDay('2026-05-29')).toBe(true); // one-off only
    expect(custom.isBusinessDay('2025-12-24')).toBe(true); // default no longer applies
    expect(custom.addBusinessDays(new Date('2025-05-28T09:00:00+02:00'), 1).toISOString()).toBe(
      '2025-06-02T07:00:00.000Z',
    );
  });

  it("'02-29' is accepted and only closes leap days", () => {
    const leap = new BusinessCalendar({ closingDays: ['02-29'] });
    expect(leap.isBusinessDay('2028-02-29')).toBe(false); // Tuesday
    expect(leap.isBusinessDay('2028-02-28')).toBe(true);
    expect(leap.isBusinessDay('2027-03-01')).toBe(true);
  });

  it('affects businessDaysBetween', () => {
    const from = new Date('2025-12-22T09:00:00+01:00');
    const to = new Date('2026-01-02T09:00:00+01:00');
    expect(new BusinessCalendar({ closingDays: [] }).businessDaysBetween(from, to)).toBe(6);
  });
});

describe('option validation', () => {
  it.each(['Mars/Olympus', '', '   ', 'Europe/Copenhagn'])('rejects time zone %p', (timeZone) => {
    expect(() => new BusinessCalendar({ timeZone })).toThrow(CalendarInputError);
  });

  it.each(['13-01', '00-10', '02-30', '04-31', '12-00', '1224', '12/24', '12-24 ', '2025-02-29', 'x'])(
    'rejects closing day %p',
    (day) => {
      expect(() => new BusinessCalendar({ closingDays: [day] })).toThrow(CalendarInputError);
    },
  );

  it.each([
    [{ start: '16:00', end: '08:00' }],
    [{ start: '08:00', end: '08:00' }],
    [{ start: '8:00', end: '16:00' }],
    [{ start: '08:00', end: '24:00' }],
    [{ start: '08:60', end: '16:00' }],
  ])('rejects office hours %p', (officeHours) => {
    expect(() => new BusinessCalendar({ officeHours })).toThrow(CalendarInputError);
  });

  it('gives a clear message', () => {
    expect(() => new BusinessCalendar({ officeHours: { start: '16:00', end: '08:00' } })).toThrow(
      'officeHours.start (16:00) must be before officeHours.end (08:00)',
    );
    expect(() => new BusinessCalendar({ closingDays: ['13-01'] })).toThrow(
      "closing day '13-01' is not a valid month-day",
    );
    expect(() => new BusinessCalendar({ timeZone: 'Mars/Olympus' })).toThrow(
      "timeZone must be a valid IANA time zone name, got 'Mars/Olympus'",
    );
  });

  it('CalendarInputError is an Error with its own name', () => {
    const error = (() => {
      try {
        calendar.addBusinessDays(new Date(), 0.5);
      } catch (e: unknown) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CalendarInputError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('CalendarInputError');
  });

  it('accepts other valid IANA zones', () => {
    const london = new BusinessCalendar({ timeZone: 'Europe/London' });
    expect(london.endOfBusinessDay('2025-01-15').toISOString()).toBe('2025-01-15T16:00:00.000Z');
  });
});
