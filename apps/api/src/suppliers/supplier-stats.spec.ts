import { median, percentile } from './supplier-stats.js';

describe('median and nearest-rank percentile', () => {
  it.each([
    [[], null, null],
    [[4], 4, 4],
    [[1, 3], 2, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[0, 0, 1, 2, 30], 1, 30],
  ])('%j → median %p, p90 %p', (values, expectedMedian, expectedP90) => {
    expect(median(values)).toBe(expectedMedian);
    expect(percentile(values, 90)).toBe(expectedP90);
  });
});
