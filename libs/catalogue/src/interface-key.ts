import { CatalogueInputError } from './errors.js';

/** An interface ("snitflade") key: `SF` and four digits, e.g. `SF0800`. */
export const INTERFACE_KEY_PATTERN = /^SF\d{4}$/;

export function isInterfaceKey(s: unknown): s is string {
  return typeof s === 'string' && INTERFACE_KEY_PATTERN.test(s);
}

/** The message used wherever an interface key is refused, so the API and the CSV import say the same. */
export function interfaceKeyMessage(s: string): string {
  return `Interface key must be "SF" followed by 4 digits, e.g. SF0800; got ${JSON.stringify(s.slice(0, 40))}`;
}

/**
 * Returns the key unchanged, or throws.
 *
 * Nothing is normalised: `sf0800` or ` SF0800` is an error, not quietly turned into `SF0800`. A key is
 * an identifier people copy between systems; accepting a lower-case or padded key would hide the typo
 * in the system it came from and let two spellings of one key exist side by side.
 */
export function parseInterfaceKey(s: string, field = 'key'): string {
  if (!isInterfaceKey(s)) throw new CatalogueInputError(field, interfaceKeyMessage(s));
  return s;
}
