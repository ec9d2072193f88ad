export {
  businessDayOnOrAfter,
  businessDayOnOrBefore,
  type NonBusinessDay,
  notADeadlineDay,
  shiftBusinessDays,
} from './business-days.js';
export { businessDaysOverdue, deadlineFor, isOverdue } from './deadline.js';
export { DeadlineInputError, DeadlinePolicyError } from './errors.js';
export { parseReminderJobId, type ReminderJobKey, reminderJobId } from './job-id.js';
export { assertValidPolicy, parseDeadlinePolicies } from './parse-policies.js';
export {
  DEADLINE_STATES,
  DEFAULT_DEADLINE_POLICIES,
  type DeadlinePolicies,
  type DeadlineState,
  MAX_BUSINESS_DAYS,
  MAX_OVERDUE_REMINDERS,
  type ReminderPolicy,
  type ReminderRecipient,
  STATES_WITHOUT_DEADLINE,
  type StateDeadlinePolicy,
} from './policies.js';
export { type ReminderKind, type ReminderStep, reminderSchedule } from './reminder-schedule.js';
