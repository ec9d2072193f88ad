import { formatDate, isIsoDate, MailInputError } from './index.js';

describe('isIsoDate', () => {
  it.each(['2026-03-13', '2024-02-29', '2000-02-29', '2026-12-31', '0099-01-01'])('accepts %s', (d) => {
    expect(isIsoDate(d)).toBe(true);
  });
  it.each([
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-3-13',
    '13-03-2026',
    '2026-03-13T00:00',
    '',
    2026,
  ])('rejects %j', (d) => {
    expect(isIsoDate(d)).toBe(false);
  });
});

describe('formatDate', () => {
  it('writes Danish and English dates, with the weekday on request', () => {
    expect(formatDate('2026-03-13', 'da')).toBe('13. marts 2026');
    expect(formatDate('2026-03-13', 'da', { weekday: true })).toBe('fredag den 13. marts 2026');
    expect(formatDate('2026-03-13', 'en')).toBe('13 March 2026');
    expect(formatDate('2026-03-13', 'en', { weekday: true })).toBe('Friday 13 March 2026');
    expect(formatDate('2024-02-29', 'da', { weekday: true })).toBe('torsdag den 29. februar 2024');
  });
  it('throws on a date that does not exist', () => {
    expect(() => formatDate('2025-02-29', 'da')).toThrow(MailInputError);
  });
});
