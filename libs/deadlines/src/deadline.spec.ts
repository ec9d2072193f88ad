import { BusinessCalendar, CalendarInputError } from '@snitflow/calendar';
import { businessDaysOverdue, DeadlineInputError, deadlineFor, isOverdue } from '@snitflow/deadlines';
import { defaultPolicy, local, policyWith } from './testing/support.js';

const calendar = new BusinessCalendar();
const awaitingSupplier = defaultPolicy('negotiation.awaitingSupplier'); // 10 business days
const consolidated = defaultPolicy('consolidated'); // 5
const clarification = defaultPolicy('negotiation.clarification'); // 3

describe('deadlineFor (counted business days)', () => {
  it('ends at office close of the Nth business day, skipping Christmas and the 24/31 December closing days', () => {
    // Fri 18 Dec 2026 + 10: 21, 22, 23 Dec; 24 (closing), 25 (Christmas), 26-27 (weekend);
    // 28, 29, 30 Dec; 31 (closing), 1 Jan (New Year), 2-3 (weekend); 4, 5, 6, 7 Jan.
    const due = deadlineFor(new Date('2026-12-18T10:00:00+01:00'), awaitingSupplier, calendar);
    expect(local(due)).toBe('2027-01-07T16:00:00+01:00');
  });

  it('lands on the first business day after Christmas when counting into it', () => {
    // Mon 21 Dec + 5: 22, 23, 28, 29, 30 Dec.
    expect(local(deadlineFor(new Date('2026-12-21T09:00:00+01:00'), consolidated, calendar))).toBe(
      '2026-12-30T16:00:00+01:00',
    );
    // Wed 23 Dec + 5: 28, 29, 30 Dec, 4, 5 Jan.
    expect(local(deadlineFor(new Date('2026-12-23T15:59:00+01:00'), consolidated, calendar))).toBe(
      '2027-01-05T16:00:00+01:00',
    );
  });

  it('counts a weekend or holiday entry from the next business day', () => {
    // Sat 19 Dec counts as Mon 21 Dec, so it is due the same day as a Monday entry.
    expect(local(deadlineFor(new Date('2026-12-19T10:00:00+01:00'), consolidated, calendar))).toBe(
      '2026-12-30T16:00:00+01:00',
    );
    // Christmas Eve (a closing day) counts as Mon 28 Dec: 29, 30 Dec, 4 Jan.
    expect(local(deadlineFor(new Date('2026-12-24T11:00:00+01:00'), clarification, calendar))).toBe(
      '2027-01-04T16:00:00+01:00',
    );
  });

  it('counts from the local date, not the UTC date, and ignores the time of day', () => {
    // 00:30 in Copenhagen on Fri 18 Dec is still Thu 17 Dec in UTC.
    const justAfterMidnight = new Date('2026-12-18T00:30:00+01:00');
    expect(justAfterMidnight.toISOString()).toBe('2026-12-17T23:30:00.000Z');
    expect(local(deadlineFor(justAfterMidnight, consolidated, calendar))).toBe('2026-12-29T16:00:00+01:00');
    // After office hours on Friday still counts from Friday.
    expect(local(deadlineFor(new Date('2026-12-18T20:00:00+01:00'), consolidated, calendar))).toBe(
      '2026-12-29T16:00:00+01:00',
    );
  });

  it('skips Easter 2027 and keeps 16:00 local across the spring DST change on Easter Sunday', () => {
    // Mon 22 Mar 2027 + 3: 23, 24 Mar; 25 (Maundy Thursday), 26 (Good Friday), 27 Sat,
    // 28 (Easter Sunday, DST starts), 29 (Easter Monday); Tue 30 Mar, now at +02:00.
    const due = deadlineFor(new Date('2027-03-22T09:00:00+01:00'), clarification, calendar);
    expect(local(due)).toBe('2027-03-30T16:00:00+02:00');
    expect(due.toISOString()).toBe('2027-03-30T14:00:00.000Z');
  });

  it('keeps 16:00 local across the autumn DST change', () => {
    // Tue 20 Oct 2026 (+02:00) + 5: 21, 22, 23, 26, 27 Oct (+01:00 after Sun 25 Oct).
    const due = deadlineFor(new Date('2026-10-20T10:00:00+02:00'), consolidated, calendar);
    expect(local(due)).toBe('2026-10-27T16:00:00+01:00');
    expect(due.toISOString()).toBe('2026-10-27T15:00:00.000Z');
  });

  it('skips Ascension Day and Whit Monday', () => {
    // Mon 3 May 2027 + 10: 4, 5, (6 Ascension), 7, 10, 11, 12, 13, 14, (17 Whit Monday), 18, 19.
    expect(local(deadlineFor(new Date('2027-05-03T12:00:00+02:00'), awaitingSupplier, calendar))).toBe(
      '2027-05-19T16:00:00+02:00',
    );
  });

  it('follows the calendar’s office hours and closing days', () => {
    const late = new BusinessCalendar({ officeHours: { start: '09:00', end: '17:30' }, closingDays: [] });
    // Without the closing days 24 and 31 Dec count: 21, 22, 23, 24, 28 Dec.
    expect(local(deadlineFor(new Date('2026-12-18T10:00:00+01:00'), consolidated, late))).toBe(
      '2026-12-28T17:30:00+01:00',
    );
  });
});

describe('deadlineFor (explicit due date)', () => {
  const enteredAt = new Date('2026-12-18T10:00:00+01:00');

  it('wins over the counted deadline and means office close of that day', () => {
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-01-06'))).toBe(
      '2027-01-06T16:00:00+01:00',
    );
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-02-01'))).toBe(
      '2027-02-01T16:00:00+01:00',
    );
  });

  it('moves a non-business date back to the previous business day, never past the promised date', () => {
    // Christmas Eve is a closing day: Wed 23 Dec.
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2026-12-24'))).toBe(
      '2026-12-23T16:00:00+01:00',
    );
    // New Year's Eve (closing), then back over Christmas week's business days: Wed 30 Dec.
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2026-12-31'))).toBe(
      '2026-12-30T16:00:00+01:00',
    );
    // Easter Monday 2027 (+02:00): back over Easter Sunday, Saturday, Good Friday, Maundy Thursday.
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-03-29'))).toBe(
      '2027-03-24T16:00:00+01:00',
    );
    // A plain Saturday: Friday.
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-01-09'))).toBe(
      '2027-01-08T16:00:00+01:00',
    );
  });

  it('is taken as given even when already past', () => {
    expect(local(deadlineFor(enteredAt, awaitingSupplier, calendar, '2026-12-01'))).toBe(
      '2026-12-01T16:00:00+01:00',
    );
  });

  it('rejects malformed dates and instants', () => {
    expect(() => deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-02-30')).toThrow(
      CalendarInputError,
    );
    expect(() => deadlineFor(enteredAt, awaitingSupplier, calendar, '6 Jan 2027')).toThrow(
      CalendarInputError,
    );
    expect(() => deadlineFor(new Date(Number.NaN), awaitingSupplier, calendar)).toThrow(DeadlineInputError);
  });
});

describe('isOverdue and businessDaysOverdue', () => {
  // Wed 23 Dec 2026, office close; then Christmas and the New Year.
  const dueAt = new Date('2026-12-23T16:00:00+01:00');

  it.each([
    ['the morning of the due day', '2026-12-23T09:00:00+01:00', false, 0],
    ['exactly at the deadline', '2026-12-23T16:00:00+01:00', false, 0],
    ['one millisecond later', '2026-12-23T16:00:00.001+01:00', true, 0],
    ['the evening of the due day', '2026-12-23T17:00:00+01:00', true, 0],
    ['Christmas Eve (a closing day)', '2026-12-24T10:00:00+01:00', true, 0],
    ['the Sunday after Christmas', '2026-12-27T12:00:00+01:00', true, 0],
    ['before office hours on the first business day after', '2026-12-28T07:00:00+01:00', true, 1],
    ['New Year’s Eve (a closing day)', '2026-12-31T12:00:00+01:00', true, 3],
    ['New Year’s Day', '2027-01-01T12:00:00+01:00', true, 3],
    ['the first Monday of the year', '2027-01-04T08:00:00+01:00', true, 4],
    ['a week into January', '2027-01-11T08:00:00+01:00', true, 9],
  ])('%s', (_name, now, overdue, days) => {
    expect(isOverdue(dueAt, new Date(now))).toBe(overdue);
    expect(businessDaysOverdue(dueAt, new Date(now), calendar)).toBe(days);
  });

  it('is 0 long before the deadline', () => {
    expect(businessDaysOverdue(dueAt, new Date('2026-11-01T12:00:00+01:00'), calendar)).toBe(0);
  });

  it('counts across the spring DST change by local days', () => {
    const dueBeforeEaster = new Date('2027-03-24T16:00:00+01:00');
    // 25, 26 (holidays), 27-28 weekend, 29 Easter Monday, then Tue 30 and Wed 31 Mar.
    expect(businessDaysOverdue(dueBeforeEaster, new Date('2027-03-31T08:00:00+02:00'), calendar)).toBe(2);
  });

  it('rejects invalid instants', () => {
    expect(() => isOverdue(new Date(Number.NaN), dueAt)).toThrow(DeadlineInputError);
    expect(() => businessDaysOverdue(dueAt, new Date('nonsense'), calendar)).toThrow(DeadlineInputError);
  });
});

describe('deadlineFor with an overridden policy', () => {
  it('uses the policy’s business days', () => {
    const short = policyWith('negotiation.awaitingSupplier', { businessDays: 2 });
    expect(local(deadlineFor(new Date('2026-12-18T10:00:00+01:00'), short, calendar))).toBe(
      '2026-12-22T16:00:00+01:00',
    );
  });
});
