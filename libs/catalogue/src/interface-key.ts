import { CatalogueInputError } from './errors.js';

/** SF + 4 digits, as the programme writes them (SF0800). */
export const INTERFACE_KEY_PATTERN = /^SF\d{4}$/;

export function isInterfaceKey(value: string): boolean {
  return INTERFACE_KEY_PATTERN.test(value);
}

/**
 * Returns the key unchanged or refuses it. Lower case is refused rather than
 * upcased: a key is an identifier people copy between systems, and silently
 * accepting "sf0800" would hide the typo in the other system.
 */
export function parseInterfaceKey(value: string): string {
  if (!isInterfaceKey(value)) {
    throw new CatalogueInputError(
      `Interface key must be "SF" followed by 4 digits, e.g. SF0800; got "${value.slice(0, 40)}"`,
      'key',
    );
  }
  return value;
}

/** Data element codes: upper-case dot-separated segments, e.g. CPR.NAVN or SKAT.A_INDKOMST. */
export const DATA_ELEMENT_CODE_PATTERN = /^(?=.{1,64}$)[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;

export function isDataElementCode(value: string): boolean {
  return DATA_ELEMENT_CODE_PATTERN.test(value);
}
