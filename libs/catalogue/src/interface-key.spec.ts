import {
  CatalogueInputError,
  DATA_ELEMENT_CODE_PATTERN,
  INTERFACE_KEY_PATTERN,
  isDataElementCode,
  isInterfaceKey,
  parseDataElementCode,
  parseInterfaceKey,
} from '@snitflow/catalogue';
import { caught } from '../test/caught.js';

describe('interface keys', () => {
  it.each([
    ['SF0800', true],
    ['SF1490', true],
    ['SF0000', true],
    ['SF9999', true],
    ['sf0800', false], // lower case is refused, not upcased
    ['Sf0800', false],
    ['SF800', false],
    ['SF08000', false],
    ['SF08O0', false], // letter O, not zero
    [' SF0800', false], // whitespace is not trimmed
    ['SF0800 ', false],
    ['SF0800\n', false],
    ['SF-0800', false],
    ['SF０８００', false], // full-width digits are not \d in a non-unicode regexp, and must not be
    ['', false],
  ])('%j is a key: %s', (key, valid) => {
    expect(isInterfaceKey(key)).toBe(valid);
    expect(INTERFACE_KEY_PATTERN.test(key)).toBe(valid);
    if (valid) expect(parseInterfaceKey(key)).toBe(key);
    else expect(() => parseInterfaceKey(key)).toThrow(CatalogueInputError);
  });

  it('isInterfaceKey is false for non-strings', () => {
    for (const value of [undefined, null, 800, ['SF0800'], { key: 'SF0800' }]) {
      expect(isInterfaceKey(value)).toBe(false);
    }
  });

  it('says what a key must look like and what it got, with the field', () => {
    const error = caught(() => parseInterfaceKey('sf80'));
    expect(error.message).toBe('Interface key must be "SF" followed by 4 digits, e.g. SF0800; got "sf80"');
    expect(error.field).toBe('key');
    expect(error.problems).toEqual([{ field: 'key', message: error.message }]);
    expect(caught(() => parseInterfaceKey('x', 'interfaceKey')).field).toBe('interfaceKey');
  });
});

describe('data element codes', () => {
  it.each([
    ['CPR.NAVN', true],
    ['SKAT.AINDKOMST', true],
    ['SKAT.A_INDKOMST', true],
    ['ATP.FERIEKONTO_SALDO', true],
    ['A.B.C', true],
    ['X1.Y2_3', true],
    [`A.${'B'.repeat(62)}`, true], // 64 characters
    [`A.${'B'.repeat(63)}`, false], // 65 characters
    ['CPR', false], // one segment: the source is missing
    ['cpr.navn', false],
    ['CPR.Navn', false],
    ['cpr navn', false],
    ['CPR..NAVN', false],
    ['.CPR.NAVN', false],
    ['CPR.NAVN.', false],
    ['CPR.1NAVN', false],
    ['CPR-NAVN', false],
    ['CPR.DØDSFALD', false], // Danish letters are spelt out: DOEDSFALD
    [' CPR.NAVN', false],
    ['', false],
  ])('%j is a code: %s', (code, valid) => {
    expect(isDataElementCode(code)).toBe(valid);
    expect(DATA_ELEMENT_CODE_PATTERN.test(code)).toBe(valid);
    if (valid) expect(parseDataElementCode(code)).toBe(code);
    else expect(() => parseDataElementCode(code)).toThrow(CatalogueInputError);
  });

  it('names the field and quotes the bad code', () => {
    const error = caught(() => parseDataElementCode('cpr.navn', 'dataElements[0]'));
    expect(error.field).toBe('dataElements[0]');
    expect(error.message).toMatch(/e\.g\. CPR\.NAVN; got "cpr\.navn"$/);
  });
});
