import { assertIsoDate, assertUuid, ErrorCode, isIsoDate, SnitflowError } from '@snitflow/common';

describe('isIsoDate', () => {
  it.each([
    ['2026-11-26', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['26-11-2026', false],
    ['2026-11-26T00:00:00Z', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('names the field in the error', () => {
    expect(() => assertIsoDate('2026-02-30', 'needBy')).toThrow(/needBy must be a date written YYYY-MM-DD/);
  });
});

describe('assertUuid', () => {
  it('accepts a UUID and lower-cases it', () => {
    expect(assertUuid('7C9E6679-7425-40DE-944B-E07FC1F90AE7')).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
  });

  it('refuses anything else with BAD_USER_INPUT', () => {
    try {
      assertUuid("1' OR '1'='1", 'orderId');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(SnitflowError);
      expect((error as SnitflowError).code).toBe(ErrorCode.BAD_USER_INPUT);
      expect((error as SnitflowError).message).toMatch(/orderId must be a UUID/);
    }
  });
});
