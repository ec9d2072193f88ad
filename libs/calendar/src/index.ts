export {
  BusinessCalendar,
  type CalendarOptions,
  DEFAULT_CLOSING_DAYS,
  DEFAULT_OFFICE_HOURS,
  DEFAULT_TIME_ZONE,
  type OfficeHours,
} from './business-calendar.js';
export { CalendarInputError } from './errors.js';
export { GREAT_PRAYER_DAY_LAST_YEAR, type PublicHoliday } from './holidays.js';
