import { describe, expect, it } from 'vitest';
import { regroupCells, compareWithBenchmark, type ComparableValue } from './dashboard.js';

const area = (value: number | null, lower95: number | null, upper95: number | null, suppressed = false): ComparableValue => ({ value, lower95, upper95, suppressed });

describe('compareWithBenchmark (95% CI against the benchmark value)', () => {
  it.each([
    // [area, benchmark, polarity, expected]
    [area(30, 28, 32), 25, 'higher-is-better', 'better'],
    [area(30, 28, 32), 25, 'lower-is-better', 'worse'],
    [area(30, 28, 32), 25, 'no-judgement', 'higher'],
    [area(20, 18, 22), 25, 'higher-is-better', 'worse'],
    [area(20, 18, 22), 25, 'lower-is-better', 'better'],
    [area(20, 18, 22), 25, 'no-judgement', 'lower'],
    [area(24, 20, 28), 25, 'higher-is-better', 'similar'],
    [area(24, 20, 28), 25, 'no-judgement', 'similar'],
    // A limit exactly on the benchmark overlaps it: not significant.
    [area(27, 25, 29), 25, 'higher-is-better', 'similar'],
    [area(23, 21, 25), 25, 'lower-is-better', 'similar'],
    // Nothing to compare.
    [area(null, null, null, true), 25, 'higher-is-better', 'not-compared'],
    [area(30, 28, 32, true), 25, 'higher-is-better', 'not-compared'],
    [area(30, null, null), 25, 'higher-is-better', 'not-compared'],
    [area(30, 28, 32), null, 'higher-is-better', 'not-compared'],
  ] as const)('%o vs %s (%s) → %s', (a, benchmark, polarity, expected) => {
    expect(compareWithBenchmark(a, benchmark, polarity)).toBe(expected);
  });
});

describe('regroupCells', () => {
  it('sums cells by new group and age band, dropping unmapped ones', () => {
    const cells = [
      { group: 'a', ageBand: '0-4', numerator: 1, denominator: 10 },
      { group: 'b', ageBand: '0-4', numerator: 2, denominator: 20 },
      { group: 'b', ageBand: '5-9', numerator: 3, denominator: 30 },
      { group: 'c', numerator: 9, denominator: 90 },
    ];
    const out = regroupCells(cells, (c) => (c.group === 'c' ? undefined : 'x'));
    expect(out).toEqual([
      { group: 'x', ageBand: '0-4', numerator: 3, denominator: 30 },
      { group: 'x', ageBand: '5-9', numerator: 3, denominator: 30 },
    ]);
  });
});
