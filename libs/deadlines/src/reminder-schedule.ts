import type { BusinessCalendar } from '@snitflow/calendar';
import { assertValidDate, businessDayOnOrBefore, officeStart, shiftBusinessDays } from './business-days.js';
import { assertValidPolicy } from './parse-policies.js';
import type { StateDeadlinePolicy } from './policies.js';

export type ReminderKind = 'BEFORE_DUE' | 'ON_DUE' | 'OVERDUE' | 'ESCALATION';

export interface ReminderStep {
  /** 1-based position in the full schedule; depends on the policy only (see reminderSchedule). */
  step: number;
  kind: ReminderKind;
  at: Date;
  /**
   * 0 for BEFORE_DUE and ON_DUE; k for the k-th OVERDUE reminder; for ESCALATION the slot it
   * takes, i.e. escalateAfterOverdueReminders + 1.
   */
  overdueIndex: number;
}

/**
 * The reminders and the escalation for a wait due at `dueAt`, in strictly increasing time.
 *
 * Rules:
 * - The due day is the local date of `dueAt`, or the last business day before it when that date
 *   is not a business day. Every step is at office start of a business day, counted from it.
 *   (A deadline from deadlineFor is always the office close of a business day, so ON_DUE lies
 *   before it.)
 * - BEFORE_DUE: one per `beforeDueBusinessDays` entry N, N business days before the due day,
 *   earliest first.
 * - ON_DUE (if `onDue`): the due day. It is a heads-up on the last day and does not count as an
 *   overdue reminder.
 * - OVERDUE k = 1..escalateAfterOverdueReminders: k × repeatEveryBusinessDays business days after
 *   the due day.
 * - ESCALATION, always exactly one and always last: in the slot the next overdue reminder would
 *   have taken, (escalateAfterOverdueReminders + 1) × repeatEveryBusinessDays business days after
 *   the due day, so the party reminded last has a full interval to react before the coordinators
 *   take over.
 * - Suppliers are emailed in office hours only: for remind === 'SUPPLIER' every `at` goes through
 *   calendar.nextOfficeHoursInstant. Office start of a business day already is in office hours,
 *   so all recipients get the same times and the rule holds by construction.
 * - Step numbers are assigned to the full schedule before `notBefore` is applied, so step k means
 *   the same slot for a given policy (and due date) however often the schedule is recomputed:
 *   safe to use in deterministic job ids.
 * - `notBefore` (the state entry time): steps earlier than it are dropped, leaving gaps in the
 *   step numbers. The escalation is never dropped; if it would lie before `notBefore` (an explicit
 *   due date long past) it moves to calendar.nextOfficeHoursInstant(notBefore), so an order that
 *   entered a state already overdue still escalates, once, and not in the past.
 *
 * @throws DeadlinePolicyError for an invalid policy; DeadlineInputError for an invalid Date.
 */
export function reminderSchedule(
  dueAt: Date,
  policy: StateDeadlinePolicy,
  calendar: BusinessCalendar,
  notBefore?: Date,
): ReminderStep[] {
  assertValidDate(dueAt, 'dueAt');
  if (notBefore !== undefined) assertValidDate(notBefore, 'notBefore');
  assertValidPolicy(policy);

  const { reminders } = policy;
  const dueDay = businessDayOnOrBefore(calendar, calendar.localDate(dueAt));
  const atDay = (n: number): Date => officeStart(calendar, shiftBusinessDays(calendar, dueDay, n));

  const planned: Omit<ReminderStep, 'step'>[] = [];
  // Largest N first: the earliest reminder gets the lowest step number.
  const beforeDue = [...new Set(reminders.beforeDueBusinessDays)].sort((a, b) => b - a);
  for (const n of beforeDue) {
    planned.push({ kind: 'BEFORE_DUE', at: atDay(-n), overdueIndex: 0 });
  }
  if (reminders.onDue) {
    planned.push({ kind: 'ON_DUE', at: atDay(0), overdueIndex: 0 });
  }
  const every = reminders.repeatEveryBusinessDays;
  const overdueCount = reminders.escalateAfterOverdueReminders;
  for (let k = 1; k <= overdueCount; k++) {
    planned.push({ kind: 'OVERDUE', at: atDay(k * every), overdueIndex: k });
  }
  planned.push({ kind: 'ESCALATION', at: atDay((overdueCount + 1) * every), overdueIndex: overdueCount + 1 });

  const inOfficeHours = (at: Date): Date =>
    policy.remind === 'SUPPLIER' ? calendar.nextOfficeHoursInstant(at) : at;
  const steps = planned.map((entry, index) => ({ ...entry, step: index + 1, at: inOfficeHours(entry.at) }));

  if (notBefore === undefined) {
    return steps;
  }
  const earliest = notBefore.getTime();
  return steps.flatMap((step) => {
    if (step.at.getTime() >= earliest) return [step];
    if (step.kind === 'ESCALATION') return [{ ...step, at: calendar.nextOfficeHoursInstant(notBefore) }];
    return [];
  });
}
