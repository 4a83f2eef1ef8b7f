/**
 * Crude rates with Byar's or exact Poisson confidence limits, as `phe_rate` in PHEindicatormethods
 * and the PHE Technical Guide "Confidence intervals" (rates chapter).
 * @module
 */
import {
  BYARS_MINIMUM_COUNT,
  type ConfidenceInterval,
  type Estimate,
  byarsLower,
  byarsUpper,
  exactPoissonLower,
  exactPoissonUpper,
  missingInterval,
} from './intervals.js';
import { type MaybeNumber, invalid, optionalCount, optionalPositive, requireMultiplier, resolveConfidence } from './validate.js';

export interface RateOptions {
  /** One level or several, each a probability in (0, 1); default 0.95. `[0.95, 0.998]` gives both. */
  readonly confidence?: number | readonly number[];
  /** Rate per this many of the denominator; default 100,000. */
  readonly multiplier?: number;
}

export type PoissonLimitMethod = 'exact' | 'byars';

export interface RateResult extends Estimate {
  readonly count: number | null;
  readonly denominator: number | null;
  /** count / denominator × multiplier; `null` if either input is missing. */
  readonly value: number | null;
  readonly intervals: readonly ConfidenceInterval[];
  readonly multiplier: number;
  /** 'exact' for counts below 10, 'byars' from 10 up; `null` when the count is missing. */
  readonly method: PoissonLimitMethod | null;
}

/** Lower and upper Poisson limits for a count, by the PHE rule (exact below 10, Byar's from 10). */
export const poissonLimits = (count: number, confidence: number): { lower: number; upper: number; method: PoissonLimitMethod } =>
  count < BYARS_MINIMUM_COUNT
    ? { lower: exactPoissonLower(count, confidence), upper: exactPoissonUpper(count, confidence), method: 'exact' }
    : { lower: byarsLower(count, confidence), upper: byarsUpper(count, confidence), method: 'byars' };

/**
 * A crude rate: count / denominator × multiplier, with exact Poisson limits when the count is
 * below 10 and Byar's limits from 10 up (exactly 10 uses Byar's, matching PHEindicatormethods).
 * The count may exceed the denominator (e.g. admissions per person). Missing inputs give missing
 * outputs; negative or non-integer counts and zero or negative denominators throw.
 */
export const crudeRate = (count: MaybeNumber, denominator: MaybeNumber, options: RateOptions = {}): RateResult => {
  const levels = resolveConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100_000);
  const x = optionalCount(count, 'count');
  let n: number | null;
  try {
    n = optionalPositive(denominator, 'denominator');
  } catch (error) {
    if (denominator === 0) throw invalid('denominator must be greater than 0, got 0 (a rate needs a population at risk)');
    throw error;
  }
  const method = x === null ? null : x < BYARS_MINIMUM_COUNT ? 'exact' : 'byars';
  if (x === null || n === null) {
    return { count: x, denominator: n, value: null, intervals: levels.map(missingInterval), multiplier, method };
  }
  return {
    count: x,
    denominator: n,
    value: (x / n) * multiplier,
    intervals: levels.map((confidence) => {
      const limits = poissonLimits(x, confidence);
      return { confidence, lower: (limits.lower / n) * multiplier, upper: (limits.upper / n) * multiplier };
    }),
    multiplier,
    method,
  };
};
