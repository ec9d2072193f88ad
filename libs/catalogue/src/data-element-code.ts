import { CatalogueInputError } from './errors.js';

export const DATA_ELEMENT_CODE_MAX_LENGTH = 64;

/**
 * A data element code such as `CPR.NAVN` or `SKAT.AINDKOMST`: at least two upper-case segments
 * separated by dots, each starting with a letter, then letters, digits or underscores; at most 64
 * characters in all. At least two segments, because the first names the source register and keeps
 * element names of different sources apart.
 *
 * ASCII only: Danish letters are spelt out (Æ → AE, Ø → OE, Å → AA) so that codes pass unchanged
 * through every system and email they travel in.
 */
export const DATA_ELEMENT_CODE_PATTERN = /^(?=.{1,64}$)[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)+$/;

export function isDataElementCode(s: unknown): s is string {
  return typeof s === 'string' && DATA_ELEMENT_CODE_PATTERN.test(s);
}

/** The message used wherever a data element code is refused, so every caller says the same. */
export function dataElementCodeMessage(s: string): string {
  return (
    'Data element code must be upper-case segments separated by dots (A-Z, 0-9 and _, each segment ' +
    `starting with a letter, at least two segments, at most ${DATA_ELEMENT_CODE_MAX_LENGTH} characters), ` +
    `e.g. CPR.NAVN; got ${JSON.stringify(s.slice(0, 80))}`
  );
}

/** Returns the code unchanged, or throws; like interface keys, codes are never upper-cased for you. */
export function parseDataElementCode(s: string, field = 'dataElement'): string {
  if (!isDataElementCode(s)) throw new CatalogueInputError(field, dataElementCodeMessage(s));
  return s;
}
