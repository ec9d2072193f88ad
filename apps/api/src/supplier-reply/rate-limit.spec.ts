import { FixedWindowRateLimit } from './rate-limit.js';

describe('FixedWindowRateLimit', () => {
  it('allows max requests per window per client, then refuses until the window ends', () => {
    const limit = new FixedWindowRateLimit(3, 60_000);
    expect([1, 2, 3, 4].map(() => limit.allow('a', 0))).toEqual([true, true, true, false]);
    expect(limit.allow('b', 0)).toBe(true);
    expect(limit.allow('a', 59_999)).toBe(false);
    expect(limit.allow('a', 60_000)).toBe(true);
  });

  it('stays bounded, and a flood of one-off addresses does not reset a client that keeps hammering', () => {
    const limit = new FixedWindowRateLimit(2, 60_000, 100);
    limit.allow('attacker', 0);
    limit.allow('attacker', 0);
    for (let i = 0; i < 1_000; i++) {
      limit.allow(`rotating-${i}`, 1_000);
      // Over its limit all along, and still refused after ten times the bound in new addresses.
      if (i % 10 === 0) expect(limit.allow('attacker', 1_000)).toBe(false);
    }
    expect(limit.size).toBeLessThanOrEqual(100);
  });

  it('drops ended windows first', () => {
    const limit = new FixedWindowRateLimit(1, 1_000, 3);
    limit.allow('old-1', 0);
    limit.allow('old-2', 0);
    limit.allow('fresh', 1_500);
    limit.allow('newer', 1_600);
    expect(limit.size).toBe(2);
    expect(limit.allow('fresh', 1_700)).toBe(false);
  });
});
