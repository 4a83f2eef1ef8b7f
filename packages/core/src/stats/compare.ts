/**
 * Fingertips-style comparison of an indicator value with a benchmark (e.g. England), using the
 * value's confidence interval at the 95% or 99.8% level.
 * @module
 */
import { type ConfidenceInterval, type Estimate } from './intervals.js';
import { type MaybeNumber, invalid, isMissing, requireFinite } from './validate.js';

export type Polarity = 'higher-is-better' | 'lower-is-better' | 'no-judgement';
export type BenchmarkComparison = 'better' | 'similar' | 'worse' | 'higher' | 'lower' | 'not-compared';

/** A value with its limits at the comparison level, for callers that do not hold an `Estimate`. */
export interface ValueWithLimits {
  readonly value: MaybeNumber;
  readonly lower: MaybeNumber;
  readonly upper: MaybeNumber;
}

const POLARITIES: readonly Polarity[] = ['higher-is-better', 'lower-is-better', 'no-judgement'];

const limitsOf = (estimate: Estimate | ValueWithLimits, level: number): { lower: MaybeNumber; upper: MaybeNumber } => {
  if ('intervals' in estimate) {
    const interval: ConfidenceInterval | undefined = estimate.intervals.find((i) => i.confidence === level);
    if (interval === undefined) {
      const have = estimate.intervals.map((i) => i.confidence).join(', ') || 'none';
      throw invalid(`compareWithBenchmark: the estimate has no ${level} confidence interval (have: ${have}); compute it with confidence: [0.95, 0.998]`);
    }
    return interval;
  }
  return estimate;
};

/**
 * Compares a value with a benchmark: if the whole confidence interval at `level` lies above the
 * benchmark the value is 'higher', wholly below it 'lower', otherwise (the interval contains or
 * touches the benchmark) 'similar'. With a polarity, 'higher' / 'lower' become 'better' / 'worse'.
 * A missing value, missing limits or a missing benchmark give 'not-compared'.
 */
export const compareWithBenchmark = (
  estimate: Estimate | ValueWithLimits,
  benchmark: MaybeNumber,
  polarity: Polarity,
  level: 0.95 | 0.998 = 0.95,
): BenchmarkComparison => {
  if (!POLARITIES.includes(polarity)) throw invalid(`polarity must be one of ${POLARITIES.join(', ')}, got ${String(polarity)}`);
  if (level !== 0.95 && level !== 0.998) throw invalid(`level must be 0.95 or 0.998, got ${String(level)}`);
  const { lower, upper } = limitsOf(estimate, level);
  if (isMissing(estimate.value) || isMissing(lower) || isMissing(upper) || isMissing(benchmark)) return 'not-compared';
  const lo = requireFinite(lower, 'lower limit');
  const hi = requireFinite(upper, 'upper limit');
  const target = requireFinite(benchmark, 'benchmark');
  if (lo > hi) throw invalid(`lower limit (${lo}) is above the upper limit (${hi})`);
  const direction = lo > target ? 'higher' : hi < target ? 'lower' : 'similar';
  if (direction === 'similar' || polarity === 'no-judgement') return direction;
  if (polarity === 'higher-is-better') return direction === 'higher' ? 'better' : 'worse';
  return direction === 'higher' ? 'worse' : 'better';
};
