import { UserError } from '../errors/errors.js';

/**
 * Input checks shared by the statistics functions. Every failure is a `UserError` of kind
 * 'invalid-input' whose message names the offending input (`what`) and the value received.
 * @module
 */

/** A number that may be missing (`null` or `undefined`), as read from a data file with empty cells. */
export type MaybeNumber = number | null | undefined;

const show = (value: unknown): string => {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  return typeof value;
};

export const invalid = (message: string): UserError => new UserError(message, 'invalid-input');

export const isMissing = (value: unknown): value is null | undefined => value === null || value === undefined;

/** A finite number (not NaN or ±Infinity, and a real `number`). */
export const requireFinite = (value: unknown, what: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${what} must be a finite number, got ${show(value)}`);
  }
  return value;
};

/** A finite number ≥ 0. */
export const requireNonNegative = (value: unknown, what: string): number => {
  const n = requireFinite(value, what);
  if (n < 0) throw invalid(`${what} must not be negative, got ${n}`);
  return n;
};

/** A finite number > 0. */
export const requirePositive = (value: unknown, what: string): number => {
  const n = requireFinite(value, what);
  if (n <= 0) throw invalid(`${what} must be greater than 0, got ${n}`);
  return n;
};

/** A whole number within [min, max]. */
export const requireInteger = (value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  const n = requireFinite(value, what);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(`${what} must be a whole number between ${min} and ${max}, got ${n}`);
  }
  return n;
};

/** A count of events or people: a whole number ≥ 0, with distinct messages for the two failures. */
export const requireCount = (value: unknown, what: string): number => {
  const n = requireFinite(value, what);
  if (n < 0) throw invalid(`${what} must not be negative, got ${n}`);
  if (!Number.isInteger(n)) throw invalid(`${what} must be a whole number (a count), got ${n}`);
  return n;
};

/** `null`/`undefined` pass through as `null`; anything else must be a finite number ≥ 0. */
export const optionalNonNegative = (value: unknown, what: string): number | null =>
  isMissing(value) ? null : requireNonNegative(value, what);

/** `null`/`undefined` pass through as `null`; anything else must be a count (whole number ≥ 0). */
export const optionalCount = (value: unknown, what: string): number | null =>
  isMissing(value) ? null : requireCount(value, what);

/** `null`/`undefined` pass through as `null`; anything else must be a finite number > 0. */
export const optionalPositive = (value: unknown, what: string): number | null =>
  isMissing(value) ? null : requirePositive(value, what);

/** A confidence level strictly between 0 and 1 (0.95, not 95). */
export const requireConfidence = (value: unknown, what = 'confidence'): number => {
  const n = requireFinite(value, what);
  if (!(n > 0 && n < 1)) {
    throw invalid(`${what} must be a probability strictly between 0 and 1 (e.g. 0.95 or 0.998), got ${n}`);
  }
  return n;
};

/**
 * The confidence option of every statistic: one level or several (e.g. `[0.95, 0.998]`), each in
 * (0, 1), with no repeats. Returns the levels in the order given; `undefined` means 95%.
 */
export const resolveConfidence = (confidence: number | readonly number[] | undefined): readonly number[] => {
  if (confidence === undefined) return [0.95];
  const levels = typeof confidence === 'number' ? [confidence] : confidence;
  if (!Array.isArray(levels) || levels.length === 0) {
    throw invalid('confidence must be a number or a non-empty list of numbers, e.g. 0.95 or [0.95, 0.998]');
  }
  const seen = new Set<number>();
  return levels.map((level: unknown) => {
    const checked = requireConfidence(level);
    if (seen.has(checked)) throw invalid(`confidence level ${checked} is listed more than once`);
    seen.add(checked);
    return checked;
  });
};

/** A multiplier for presenting a statistic (100 for a percentage, 100,000 for a rate per 100,000). */
export const requireMultiplier = (value: unknown): number => {
  const n = requireFinite(value, 'multiplier');
  if (n <= 0) throw invalid(`multiplier must be greater than 0, got ${n}`);
  return n;
};
