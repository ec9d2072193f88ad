import { BusinessCalendar, CalendarInputError } from './index.js';

/**
 * Independent cross-check: Knuth's epact-based computus (TAOCP vol. 1, §1.3.2 ex. 14), which
 * follows the Lilian/Clavian tables (golden number, solar and lunar corrections, epact)
 * rather than the Meeus/Jones/Butcher arithmetic used by the implementation.
 */
function knuthEaster(year: number): string {
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  const golden = mod(year, 19) + 1;
  const century = Math.floor(year / 100) + 1;
  const solarCorrection = Math.floor((3 * century) / 4) - 12;
  const lunarCorrection = Math.floor((8 * century + 5) / 25) - 5;
  const sundayKey = Math.floor((5 * year) / 4) - solarCorrection - 10;
  let epact = mod(11 * golden + 20 + lunarCorrection - solarCorrection, 30);
  if ((epact === 25 && golden > 11) || epact === 24) {
    epact++;
  }
  let fullMoon = 44 - epact;
  if (fullMoon < 21) {
    fullMoon += 30;
  }
  const sunday = fullMoon + 7 - mod(sundayKey + fullMoon, 7);
  const [month, day] = sunday > 31 ? [4, sunday - 31] : [3, sunday];
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

describe('BusinessCalendar.easterSunday', () => {
  const calendar = new BusinessCalendar();

  it.each([
    [2019, '2019-04-21'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    // Extremes of the possible range (22 March .. 25 April).
    [1818, '1818-03-22'],
    [2285, '2285-03-22'],
    [1943, '1943-04-25'],
    // Years where Gauss's original formula needs its special-case corrections.
    [1954, '1954-04-18'],
    [1981, '1981-04-19'],
    [2049, '2049-04-18'],
    [2076, '2076-04-19'],
    [1583, '1583-04-10'],
    [2000, '2000-04-23'],
    [2100, '2100-03-28'],
  ])('Easter Sunday %i is %s', (year, expected) => {
    expect(calendar.easterSunday(year)).toBe(expected);
  });

  it('matches a published list for 2000–2030', () => {
    const published = [
      '04-23',
      '04-15',
      '03-31',
      '04-20',
      '04-11',
      '03-27',
      '04-16',
      '04-08',
      '03-23',
      '04-12',
      '04-04',
      '04-24',
      '04-08',
      '03-31',
      '04-20',
      '04-05',
      '03-27',
      '04-16',
      '04-01',
      '04-21',
      '04-12',
      '04-04',
      '04-17',
      '04-09',
      '03-31',
      '04-20',
      '04-05',
      '03-28',
      '04-16',
      '04-01',
      '04-21',
    ];
    const computed = published.map((_, i) => calendar.easterSunday(2000 + i).slice(5));
    expect(computed).toEqual(published);
  });

  it('agrees with the independent epact method for every year 1583–4099', () => {
    const mismatches: string[] = [];
    for (let year = 1583; year <= 4099; year++) {
      const expected = knuthEaster(year);
      const actual = calendar.easterSunday(year);
      if (actual !== expected) {
        mismatches.push(`${year}: ${actual} vs ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    for (let year = 1900; year <= 2100; year++) {
      const easter = calendar.easterSunday(year);
      expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
    }
  });

  it.each([1582, 10000, 2024.5, Number.NaN])('rejects year %p', (year) => {
    expect(() => calendar.easterSunday(year)).toThrow(CalendarInputError);
  });
});
