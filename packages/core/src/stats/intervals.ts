/**
 * Confidence-interval building blocks used throughout the Fingertips / PHE methods: the two-sided
 * z value, Wilson score limits for a proportion, Byar's approximation and exact (chi-squared)
 * limits for a Poisson count, and the shared result shapes.
 * @module
 */
import { gammaQuantile, normalQuantile } from './distributions.js';
import { invalid, requireConfidence, requireFinite, requireNonNegative } from './validate.js';

/** Counts below this use exact (chi-squared) limits; from this count up, Byar's approximation (PHE convention). */
export const BYARS_MINIMUM_COUNT = 10;

/** One confidence interval of an estimate. The limits are `null` when the estimate is missing or suppressed. */
export interface ConfidenceInterval {
  /** Confidence level as a probability, e.g. 0.95 or 0.998. */
  readonly confidence: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** A point estimate with one interval per requested confidence level, in the order requested. */
export interface Estimate {
  readonly value: number | null;
  readonly intervals: readonly ConfidenceInterval[];
}

/** The interval of an estimate at a given level; throws if that level was not computed. */
export const intervalAt = (estimate: Estimate, confidence: number): ConfidenceInterval => {
  const found = estimate.intervals.find((interval) => interval.confidence === confidence);
  if (found === undefined) {
    const have = estimate.intervals.map((interval) => interval.confidence).join(', ') || 'none';
    throw invalid(`no ${confidence} confidence interval was computed for this estimate (have: ${have})`);
  }
  return found;
};

/**
 * The two-sided standard normal critical value for a confidence level:
 * z = Φ⁻¹(c + (1 − c)/2), e.g. 1.959964 for 0.95 and 3.090232 for 0.998.
 */
export const zScore = (confidence: number): number => {
  const known = zScores.get(confidence);
  if (known !== undefined) return known;
  const c = requireConfidence(confidence);
  const z = normalQuantile(c + (1 - c) / 2);
  if (zScores.size < 64) zScores.set(c, z);
  return z;
};

/** The few levels in use (0.95, 0.998, …), each computed once: every limit of every group asks for one. */
const zScores = new Map<number, number>();

const checkCount = (x: number, what: string): number => requireNonNegative(x, what);

/**
 * Byar's approximation to the lower exact Poisson limit for an observed count x
 * (Breslow & Day 1987): x (1 − 1/(9x) − z/(3√x))³. Returns 0 for x = 0. For very small counts at
 * high confidence the cube can be negative (e.g. x = 1 at 99.8%): the approximation is then
 * meaningless, which is why crude rates use exact limits below 10 events.
 */
export const byarsLower = (x: number, confidence = 0.95): number => {
  checkCount(x, 'observed count');
  if (x === 0) return 0;
  return byarsLowerAt(x, zScore(confidence));
};

/** Byar's approximation to the upper exact Poisson limit: (x + 1)(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³. */
export const byarsUpper = (x: number, confidence = 0.95): number => {
  checkCount(x, 'observed count');
  return byarsUpperAt(x, zScore(confidence));
};

/**
 * `byarsLower` at the critical value z (`zScore(confidence)`), without its checks: for callers that
 * have checked x (a count above 0) and work out z once for many counts.
 */
export const byarsLowerAt = (x: number, z: number): number => x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;

/** `byarsUpper` at the critical value z, without its checks (x a count). */
export const byarsUpperAt = (x: number, z: number): number => {
  const y = x + 1;
  return y * (1 - 1 / (9 * y) + z / (3 * Math.sqrt(y))) ** 3;
};

/**
 * Exact lower Poisson limit for an observed count x: χ²((1 − c)/2; 2x) / 2, i.e. the gamma
 * quantile with shape x. 0 when x = 0.
 */
export const exactPoissonLower = (x: number, confidence = 0.95): number => {
  checkCount(x, 'observed count');
  const c = requireConfidence(confidence);
  if (x === 0) return 0;
  return gammaQuantile((1 - c) / 2, x);
};

/** Exact upper Poisson limit for an observed count x: χ²(c + (1 − c)/2; 2x + 2) / 2. */
export const exactPoissonUpper = (x: number, confidence = 0.95): number => {
  checkCount(x, 'observed count');
  const c = requireConfidence(confidence);
  return gammaQuantile((1 - c) / 2, x + 1, true);
};

const checkWilsonInputs = (x: number, n: number): void => {
  checkCount(x, 'numerator');
  const total = requireFinite(n, 'denominator');
  if (total <= 0) throw invalid(`denominator must be greater than 0, got ${total}`);
  if (x > total) throw invalid(`numerator (${x}) must not be greater than the denominator (${total})`);
};

/**
 * Wilson score lower limit for a proportion x / n (Wilson 1927), as a proportion of 1:
 * (2x + z² − z√(z² + 4x(1 − x/n))) / (2(n + z²)). Accepts non-integer x (e.g. weighted counts).
 */
export const wilsonLower = (x: number, n: number, confidence = 0.95): number => {
  checkWilsonInputs(x, n);
  return wilsonLimitAt(x, n, zScore(confidence), -1);
};

/** Wilson score upper limit: (2x + z² + z√(z² + 4x(1 − x/n))) / (2(n + z²)). */
export const wilsonUpper = (x: number, n: number, confidence = 0.95): number => {
  checkWilsonInputs(x, n);
  return wilsonLimitAt(x, n, zScore(confidence), 1);
};

/**
 * A Wilson score limit at the critical value z (`zScore(confidence)`), without the checks of
 * `wilsonLower` (side −1) and `wilsonUpper` (side 1): for callers that have checked x and n and
 * work out z once for many rows. (2x + z² ± z√(z² + 4x(1 − x/n))) / 2 / (n + z²); the sign times
 * the square-root term is exactly its negation or itself, so both sides are the one formula.
 */
export const wilsonLimitAt = (x: number, n: number, z: number, side: -1 | 1): number =>
  (2 * x + z * z + side * z * Math.sqrt(z * z + 4 * x * (1 - x / n))) / 2 / (n + z * z);

/** An interval whose limits are both missing. */
export const missingInterval = (confidence: number): ConfidenceInterval => ({ confidence, lower: null, upper: null });
