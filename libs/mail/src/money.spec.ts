import { MAX_MONEY_OERE } from '@snitflow/common';
import { formatOere, MailInputError, parseKronerToOere } from './index.js';

describe('formatOere', () => {
  it.each([
    ['0', '0,00 kr.', 'DKK 0.00'],
    ['1', '0,01 kr.', 'DKK 0.01'],
    ['99', '0,99 kr.', 'DKK 0.99'],
    ['100', '1,00 kr.', 'DKK 1.00'],
    ['12345', '123,45 kr.', 'DKK 123.45'],
    ['100000', '1.000,00 kr.', 'DKK 1,000.00'],
    ['12500000', '125.000,00 kr.', 'DKK 125,000.00'],
    ['12345678901234567', '123.456.789.012.345,67 kr.', 'DKK 123,456,789,012,345.67'],
    // Beyond 2^64: string arithmetic has no size limit.
    [
      '123456789012345678901234',
      '1.234.567.890.123.456.789.012,34 kr.',
      'DKK 1,234,567,890,123,456,789,012.34',
    ],
    ['0000100', '1,00 kr.', 'DKK 1.00'],
    ['-12500050', '-125.000,50 kr.', '-DKK 125,000.50'],
    ['-0', '0,00 kr.', 'DKK 0.00'],
  ])('%s øre → %s / %s', (oere, da, en) => {
    expect(formatOere(oere, 'da')).toBe(da);
    expect(formatOere(oere, 'en')).toBe(en);
  });

  it.each(['', '1.5', '1,5', ' 1', '1e3', 'abc', '--1', '+1', '１'])('rejects %j', (oere) => {
    expect(() => formatOere(oere, 'da')).toThrow(MailInputError);
  });
});

describe('parseKronerToOere', () => {
  it.each([
    ['125.000,50', '12500050'],
    ['125000,50', '12500050'],
    ['125000,5', '12500050'],
    ['125000', '12500000'],
    ['125.000', '12500000'],
    ['1.000.000,01', '100000001'],
    ['125 000,50', '12500050'],
    ['125\u00a0000,50', '12500050'],
    ['125000.50', '12500050'],
    ['125000.5', '12500050'],
    ['125,000.50', '12500050'],
    ['0', '0'],
    ['0,00', '0'],
    ['0,01', '1'],
    ['00,99', '99'],
    ['  7  ', '700'],
    ['125.000,00 kr.', '12500000'],
    ['125000 kr', '12500000'],
    ['DKK 125,000.00', '12500000'],
    // MAX_MONEY_OERE, the API's bound: 100 billion kroner.
    ['100.000.000.000,00 kr.', '10000000000000'],
    ['000100000000000', '10000000000000'],
  ])('%j → %s øre', (input, oere) => {
    expect(parseKronerToOere(input)).toEqual({ ok: true, oere });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['kr.', 'EMPTY'],
    ['-5', 'NEGATIVE'],
    ['\u22125', 'NEGATIVE'],
    ['-125.000,00', 'NEGATIVE'],
    // "125,000" is 125 kroner with three decimals in Danish and 125000 in English: refused.
    ['125,000', 'TOO_MANY_DECIMALS'],
    ['1,234', 'TOO_MANY_DECIMALS'],
    ['12,3456', 'TOO_MANY_DECIMALS'],
    ['1.2345', 'TOO_MANY_DECIMALS'],
    ['125.000,505', 'TOO_MANY_DECIMALS'],
    ['abc', 'INVALID'],
    ['12abc', 'INVALID'],
    ['1e5', 'INVALID'],
    ['0x10', 'INVALID'],
    ['Infinity', 'INVALID'],
    ['+5', 'INVALID'],
    ['12.34.56', 'INVALID'],
    ['1,2,3', 'INVALID'],
    ['12.3456,00', 'INVALID'],
    ['1.00.000', 'INVALID'],
    [',50', 'INVALID'],
    ['5,', 'INVALID'],
    ['12345678901234567', 'TOO_LARGE'],
    ['100.000.000.000,01', 'TOO_LARGE'],
    ['100000000001', 'TOO_LARGE'],
    ['9999999999999999,99', 'TOO_LARGE'],
  ])('%j is rejected as %s', (input, error) => {
    expect(parseKronerToOere(input)).toEqual({ ok: false, error });
  });

  it('reads back what formatOere writes, in both languages', () => {
    const samples = ['0', '1', '99', '100', '101', '99999', '100000', '12500050', '999999999999999999'];
    for (let i = 0; i < 200; i++) {
      const digits = 1 + ((i * 7) % 18);
      let s = '';
      for (let d = 0; d < digits; d++) s += String((i * 31 + d * 17) % 10);
      samples.push(s.replace(/^0+(?=\d)/, ''));
    }
    for (const oere of samples) {
      // formatOere shows any amount (a sum may pass the bound); the form takes up to MAX_MONEY_OERE.
      const expected =
        BigInt(oere) <= MAX_MONEY_OERE ? { ok: true, oere } : { ok: false, error: 'TOO_LARGE' };
      expect(parseKronerToOere(formatOere(oere, 'da'))).toEqual(expected);
      expect(parseKronerToOere(formatOere(oere, 'en'))).toEqual(expected);
    }
  });
});
