/**
 * Proportions with Wilson score confidence limits, as `phe_proportion` in PHEindicatormethods and
 * the PHE Technical Guide "Confidence intervals" (proportions chapter).
 * @module
 */
import { type ConfidenceInterval, type Estimate, missingInterval, wilsonLower, wilsonUpper } from './intervals.js';
import { type MaybeNumber, invalid, optionalCount, requireMultiplier, resolveConfidence } from './validate.js';

export interface ProportionOptions {
  /** One level or several, each a probability in (0, 1); default 0.95. `[0.95, 0.998]` gives both. */
  readonly confidence?: number | readonly number[];
  /** Scale of the result: 100 (default) for a percentage, 1 for a proportion of 1. */
  readonly multiplier?: number;
}

export interface ProportionResult extends Estimate {
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** numerator / denominator × multiplier; `null` if either input is missing. */
  readonly value: number | null;
  readonly intervals: readonly ConfidenceInterval[];
  readonly multiplier: number;
  readonly method: 'wilson';
}

/**
 * A proportion with Wilson score limits. Missing inputs (`null`/`undefined`) give a missing value
 * and missing limits, as in the reference data; invalid inputs throw a `UserError` ('invalid-input'):
 * negative or non-integer counts, a zero denominator, or a numerator above the denominator.
 */
export const proportion = (
  numerator: MaybeNumber,
  denominator: MaybeNumber,
  options: ProportionOptions = {},
): ProportionResult => {
  const levels = resolveConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100);
  const x = optionalCount(numerator, 'numerator');
  const n = optionalCount(denominator, 'denominator');
  if (n === 0) throw invalid('denominator must be greater than 0, got 0');
  if (x !== null && n !== null && x > n) {
    throw invalid(`numerator (${x}) must not be greater than the denominator (${n}) for a proportion`);
  }
  if (x === null || n === null) {
    return { numerator: x, denominator: n, value: null, intervals: levels.map(missingInterval), multiplier, method: 'wilson' };
  }
  return {
    numerator: x,
    denominator: n,
    value: (x / n) * multiplier,
    intervals: levels.map((confidence) => ({
      confidence,
      lower: wilsonLower(x, n, confidence) * multiplier,
      upper: wilsonUpper(x, n, confidence) * multiplier,
    })),
    multiplier,
    method: 'wilson',
  };
};
