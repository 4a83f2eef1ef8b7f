import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { compareWithBenchmark } from './compare.js';
import { proportion } from './proportion.js';

describe('compareWithBenchmark', () => {
  const above = { value: 12, lower: 10.5, upper: 13.5 };
  const below = { value: 8, lower: 7, upper: 9.5 };
  const around = { value: 10.2, lower: 9, upper: 11 };
  const touching = { value: 11, lower: 10, upper: 12 };

  it.each([
    [above, 'higher-is-better', 'better'],
    [above, 'lower-is-better', 'worse'],
    [above, 'no-judgement', 'higher'],
    [below, 'higher-is-better', 'worse'],
    [below, 'lower-is-better', 'better'],
    [below, 'no-judgement', 'lower'],
    [around, 'higher-is-better', 'similar'],
    [around, 'no-judgement', 'similar'],
    [touching, 'lower-is-better', 'similar'],
  ] as const)('%o against 10 with %s → %s', (estimate, polarity, expected) => {
    expect(compareWithBenchmark(estimate, 10, polarity)).toBe(expected);
  });

  it('uses the interval at the requested level of an Estimate', () => {
    // 60/100 against 50%: the 95% interval excludes 50, the 99.8% interval does not.
    const estimate = proportion(60, 100, { confidence: [0.95, 0.998] });
    expect(compareWithBenchmark(estimate, 50, 'higher-is-better', 0.95)).toBe('better');
    expect(compareWithBenchmark(estimate, 50, 'higher-is-better', 0.998)).toBe('similar');
  });

  it('does not compare missing values, limits or benchmarks', () => {
    expect(compareWithBenchmark(proportion(null, 100, { confidence: 0.95 }), 50, 'higher-is-better')).toBe('not-compared');
    expect(compareWithBenchmark({ value: 5, lower: null, upper: 6 }, 4, 'no-judgement')).toBe('not-compared');
    expect(compareWithBenchmark(above, null, 'no-judgement')).toBe('not-compared');
  });

  it('rejects a level the estimate does not carry, a bad polarity or level', () => {
    expect(() => compareWithBenchmark(proportion(60, 100), 50, 'higher-is-better', 0.998)).toThrow(/has no 0.998 confidence interval/);
    expect(() => compareWithBenchmark(above, 10, 'up' as never)).toThrow(UserError);
    expect(() => compareWithBenchmark(above, 10, 'no-judgement', 0.9 as never)).toThrow(/level must be 0.95 or 0.998/);
  });
});
