/**
 * Thrown for every invalid argument of the mail library (unknown template or language, a
 * missing field a template needs, a malformed date or amount), so callers can tell a
 * programming or data error from an I/O failure without string-matching messages.
 */
export class MailInputError extends Error {
  override readonly name = 'MailInputError';
}
