/**
 * Thrown for every invalid argument or option of the calendar, so callers can map all
 * input problems to a single 400-style response without string-matching messages.
 */
export class CalendarInputError extends Error {
  override readonly name = 'CalendarInputError';
}
