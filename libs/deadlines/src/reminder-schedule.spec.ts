import { BusinessCalendar } from '@snitflow/calendar';
import {
  DEFAULT_DEADLINE_POLICIES,
  DeadlineInputError,
  deadlineFor,
  type ReminderStep,
  reminderSchedule,
  type StateDeadlinePolicy,
} from '@snitflow/deadlines';
import { DateTime } from 'luxon';
import { defaultPolicy, local, policyWith } from './testing/support.js';

const calendar = new BusinessCalendar();
const awaitingSupplier = defaultPolicy('negotiation.awaitingSupplier');

/** Steps rendered compactly: 'step kind local-time overdueIndex'. */
function render(steps: ReminderStep[]): string[] {
  return steps.map((s) => `${s.step} ${s.kind} ${local(s.at)} ${s.overdueIndex}`);
}

/**
 * Every broken invariant of a schedule, as readable strings. Collected rather than asserted one
 * by one, so the year-long sweep below stays fast and a failure names the exact step.
 */
function scheduleProblems(steps: ReminderStep[], dueAt: Date): string[] {
  const problems: string[] = [];
  steps.forEach((s, i) => {
    const label = () => `${local(dueAt)} step ${s.step} ${s.kind} ${local(s.at)}`;
    const previous = steps[i - 1];
    if (previous && !(s.at > previous.at && s.step > previous.step))
      problems.push(`${label()}: not after its predecessor`);
    const hour = DateTime.fromJSDate(s.at, { zone: 'Europe/Copenhagen' }).hour;
    if (!calendar.isBusinessDay(s.at) || hour < 8 || hour >= 16)
      problems.push(`${label()}: outside office hours`);
    const beforeDeadline = s.kind === 'BEFORE_DUE' || s.kind === 'ON_DUE';
    if (beforeDeadline !== s.at < dueAt) problems.push(`${label()}: on the wrong side of the deadline`);
  });
  if (steps.at(-1)?.kind !== 'ESCALATION') problems.push(`${local(dueAt)}: does not end with the escalation`);
  return problems;
}

describe('reminderSchedule', () => {
  it('reminds before, on and after the deadline, then escalates, across Christmas and New Year', () => {
    // Entered Fri 18 Dec 2026, due Thu 7 Jan 2027 16:00.
    const dueAt = deadlineFor(new Date('2026-12-18T10:00:00+01:00'), awaitingSupplier, calendar);
    expect(render(reminderSchedule(dueAt, awaitingSupplier, calendar))).toEqual([
      '1 BEFORE_DUE 2027-01-05T08:00:00+01:00 0', // 2 business days before the due day
      '2 ON_DUE 2027-01-07T08:00:00+01:00 0',
      '3 OVERDUE 2027-01-12T08:00:00+01:00 1', // due day + 3: 8, 11, 12 Jan
      '4 OVERDUE 2027-01-15T08:00:00+01:00 2', // + 6
      '5 ESCALATION 2027-01-20T08:00:00+01:00 3', // + 9: the slot a third overdue reminder would take
    ]);
  });

  it('skips the Christmas closing days when counting back for the before-due reminder', () => {
    // Due Mon 28 Dec 2026: two business days back is Tue 22 Dec (23 Dec is one).
    const dueAt = new Date('2026-12-28T16:00:00+01:00');
    const [first] = reminderSchedule(dueAt, defaultPolicy('ordered'), calendar);
    expect(first && `${first.kind} ${local(first.at)}`).toBe('BEFORE_DUE 2026-12-22T08:00:00+01:00');
  });

  it('keeps office start local across Easter 2027 and the spring DST change', () => {
    const clarification = defaultPolicy('negotiation.clarification'); // [1], on due, every 2, after 2
    const dueAt = deadlineFor(new Date('2027-03-22T09:00:00+01:00'), clarification, calendar);
    expect(render(reminderSchedule(dueAt, clarification, calendar))).toEqual([
      '1 BEFORE_DUE 2027-03-24T08:00:00+01:00 0', // back over Easter Monday, Sunday, Saturday, Friday, Thursday
      '2 ON_DUE 2027-03-30T08:00:00+02:00 0',
      '3 OVERDUE 2027-04-01T08:00:00+02:00 1',
      '4 OVERDUE 2027-04-05T08:00:00+02:00 2',
      '5 ESCALATION 2027-04-07T08:00:00+02:00 3',
    ]);
  });

  it('keeps office start local across the autumn DST change', () => {
    const dueAt = new Date('2026-10-27T16:00:00+01:00');
    const steps = reminderSchedule(dueAt, defaultPolicy('consolidated'), calendar);
    expect(render(steps).slice(0, 2)).toEqual([
      '1 BEFORE_DUE 2026-10-23T08:00:00+02:00 0',
      '2 ON_DUE 2026-10-27T08:00:00+01:00 0',
    ]);
  });

  it('orders several before-due reminders earliest first', () => {
    const testRunning = defaultPolicy('test.running'); // [5, 2]
    const dueAt = new Date('2027-01-15T16:00:00+01:00'); // Friday
    expect(render(reminderSchedule(dueAt, testRunning, calendar)).slice(0, 3)).toEqual([
      '1 BEFORE_DUE 2027-01-08T08:00:00+01:00 0',
      '2 BEFORE_DUE 2027-01-13T08:00:00+01:00 0',
      '3 ON_DUE 2027-01-15T08:00:00+01:00 0',
    ]);
    const shuffled = policyWith('test.running', { reminders: { beforeDueBusinessDays: [2, 5] } });
    expect(reminderSchedule(dueAt, shuffled, calendar)).toEqual(
      reminderSchedule(dueAt, testRunning, calendar),
    );
  });

  it('escalates after exactly N overdue reminders', () => {
    const dueAt = new Date('2027-01-07T16:00:00+01:00');
    for (const n of [0, 1, 2, 5]) {
      const policy = policyWith('negotiation.awaitingSupplier', {
        reminders: { escalateAfterOverdueReminders: n },
      });
      const steps = reminderSchedule(dueAt, policy, calendar);
      const overdue = steps.filter((s) => s.kind === 'OVERDUE');
      expect(overdue.map((s) => s.overdueIndex)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(steps.filter((s) => s.kind === 'ESCALATION')).toHaveLength(1);
      const last = steps.at(-1);
      expect(last?.kind).toBe('ESCALATION');
      expect(last?.overdueIndex).toBe(n + 1);
      // (n + 1) × 3 business days after the due day.
      expect(calendar.businessDaysBetween(dueAt, last?.at ?? dueAt)).toBe((n + 1) * 3);
    }
  });

  it('escalates one interval after the due day with no on-due or overdue reminders', () => {
    const policy = policyWith('ordered', {
      reminders: {
        beforeDueBusinessDays: [],
        onDue: false,
        escalateAfterOverdueReminders: 0,
        repeatEveryBusinessDays: 1,
      },
    });
    const dueAt = new Date('2026-12-23T16:00:00+01:00');
    expect(render(reminderSchedule(dueAt, policy, calendar))).toEqual([
      '1 ESCALATION 2026-12-28T08:00:00+01:00 1',
    ]);
  });

  it('numbers steps stably: the same inputs give the same steps, and notBefore only removes some', () => {
    const dueAt = new Date('2026-12-22T16:00:00+01:00');
    const full = reminderSchedule(dueAt, awaitingSupplier, calendar);
    expect(reminderSchedule(new Date(dueAt), { ...awaitingSupplier }, calendar)).toEqual(full);
    const later = reminderSchedule(dueAt, awaitingSupplier, calendar, new Date('2026-12-21T12:00:00+01:00'));
    for (const step of later) {
      expect(full).toContainEqual(step);
    }
    expect(full.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops reminders that would fall before the state was entered', () => {
    // Shortened to 2 business days: the default reminder 2 days ahead lands on the entry day itself.
    const short = policyWith('negotiation.awaitingSupplier', { businessDays: 2 });
    const enteredAt = new Date('2026-12-18T10:00:00+01:00');
    const dueAt = deadlineFor(enteredAt, short, calendar);
    expect(local(dueAt)).toBe('2026-12-22T16:00:00+01:00');
    expect(render(reminderSchedule(dueAt, short, calendar, enteredAt))).toEqual([
      '2 ON_DUE 2026-12-22T08:00:00+01:00 0',
      '3 OVERDUE 2026-12-29T08:00:00+01:00 1',
      '4 OVERDUE 2027-01-05T08:00:00+01:00 2', // 23, 28, 29 | 30 Dec, 4, 5 Jan
      '5 ESCALATION 2027-01-08T08:00:00+01:00 3',
    ]);
    // Entered before office start the same day, the reminder is still ahead and kept.
    const early = new Date('2026-12-18T07:30:00+01:00');
    expect(reminderSchedule(dueAt, short, calendar, early)[0]?.kind).toBe('BEFORE_DUE');
    // Exactly at office start counts as not before.
    const atStart = new Date('2026-12-18T08:00:00+01:00');
    expect(reminderSchedule(dueAt, short, calendar, atStart)).toHaveLength(5);
  });

  it('drops the on-due reminder when the state is entered on its due day after office start', () => {
    const enteredAt = new Date('2027-01-07T11:00:00+01:00');
    const dueAt = deadlineFor(enteredAt, awaitingSupplier, calendar, '2027-01-07');
    const kinds = reminderSchedule(dueAt, awaitingSupplier, calendar, enteredAt).map((s) => s.kind);
    expect(kinds).toEqual(['OVERDUE', 'OVERDUE', 'ESCALATION']);
  });

  it('still escalates, once and not in the past, when the state is entered long after its due date', () => {
    const policy = awaitingSupplier;
    const dueAt = deadlineFor(new Date('2026-12-18T10:00:00+01:00'), policy, calendar, '2026-12-01');
    // In office hours on a business day: escalate right away.
    expect(render(reminderSchedule(dueAt, policy, calendar, new Date('2026-12-18T10:00:00+01:00')))).toEqual([
      '5 ESCALATION 2026-12-18T10:00:00+01:00 3',
    ]);
    // In the evening before Christmas Eve: at office start of the next business day.
    expect(render(reminderSchedule(dueAt, policy, calendar, new Date('2026-12-23T19:00:00+01:00')))).toEqual([
      '5 ESCALATION 2026-12-28T08:00:00+01:00 3',
    ]);
  });

  it('anchors a deadline on a non-business day to the business day before it', () => {
    // A hand-made deadline on Saturday 9 Jan 2027: reminders as for Friday 8 Jan, overdue from there.
    const saturday = new Date('2027-01-09T12:00:00+01:00');
    const friday = new Date('2027-01-08T16:00:00+01:00');
    expect(reminderSchedule(saturday, awaitingSupplier, calendar)).toEqual(
      reminderSchedule(friday, awaitingSupplier, calendar),
    );
    const overdue = reminderSchedule(saturday, awaitingSupplier, calendar).find((s) => s.kind === 'OVERDUE');
    expect(overdue && overdue.at.getTime() > saturday.getTime()).toBe(true);
  });

  it('is strictly increasing and inside office hours on business days for every default policy all year', () => {
    const policies: StateDeadlinePolicy[] = [
      ...Object.values(DEFAULT_DEADLINE_POLICIES),
      policyWith('negotiation.awaitingSupplier', {
        reminders: {
          beforeDueBusinessDays: [9, 4, 1],
          repeatEveryBusinessDays: 1,
          escalateAfterOverdueReminders: 7,
        },
      }),
    ];
    // Every day from October 2026 to June 2027, covering Christmas, New Year, Easter, both DST
    // changes and Whitsun, entered before, during and after office hours in turn.
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < 273; i++) {
      const day = DateTime.fromISO('2026-10-01', { zone: 'Europe/Copenhagen' }).plus({ days: i });
      const enteredAt = day.set({ hour: [7, 13, 20][i % 3] }).toJSDate();
      for (const policy of policies) {
        const dueAt = deadlineFor(enteredAt, policy, calendar);
        problems.push(...scheduleProblems(reminderSchedule(dueAt, policy, calendar), dueAt));
        problems.push(...scheduleProblems(reminderSchedule(dueAt, policy, calendar, enteredAt), dueAt));
        checked += 2;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  it('keeps supplier reminders inside office hours with other office hours too', () => {
    const late = new BusinessCalendar({ officeHours: { start: '09:30', end: '15:00' } });
    const dueAt = deadlineFor(new Date('2026-12-18T10:00:00+01:00'), awaitingSupplier, late);
    const steps = reminderSchedule(dueAt, awaitingSupplier, late);
    for (const { at } of steps) {
      expect(late.isBusinessDay(at)).toBe(true);
      expect(late.nextOfficeHoursInstant(at)).toEqual(at);
      expect(DateTime.fromJSDate(at, { zone: 'Europe/Copenhagen' }).toFormat('HH:mm')).toBe('09:30');
    }
  });

  it('rejects invalid instants', () => {
    expect(() => reminderSchedule(new Date(Number.NaN), awaitingSupplier, calendar)).toThrow(
      DeadlineInputError,
    );
    expect(() =>
      reminderSchedule(new Date('2027-01-07T16:00:00+01:00'), awaitingSupplier, calendar, new Date('x')),
    ).toThrow(DeadlineInputError);
  });
});
