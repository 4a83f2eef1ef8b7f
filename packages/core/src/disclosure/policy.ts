/**
 * The small-number policy applied to every published aggregate: which counts are too small to
 * publish, how the others are protected (cell-key perturbation by default; rounding and secondary
 * suppression for one-off tables), following the NHS England (HES analysis guide) convention of
 * suppressing counts 1-7 and the ONS 2021 Census method of cell-key perturbation.
 * See docs/disclosure-control.md and docs/decisions/0006-cell-key-perturbation.md.
 * @module
 */
import { z } from 'zod';
import { UserError } from '../errors/errors.js';

export interface DisclosurePolicy {
  /** Smallest non-zero count that may be published: with 8, counts 1-7 are suppressed. */
  readonly minimumCount: number;
  /** Also suppress zero counts (and, for proportions, complements of zero: 100%). Default false. */
  readonly suppressZero: boolean;
  /** Published counts are rounded to the nearest multiple of this (halves up); 1 = no rounding. */
  readonly rounding: number;
  /** Run secondary (complementary) suppression within the table. Default false: perturbation protects across tables. */
  readonly secondary: boolean;
  /**
   * 'cell-key' (default): every published count gets the noise its cell key selects (the same set of
   * records, the same noise, in every table). 'none': counts are published as they are (then rounding
   * and secondary suppression are the only protection, for one table at a time).
   */
  readonly perturbation: PerturbationMethod;
}

export const PERTURBATION_METHODS = ['cell-key', 'none'] as const;
export type PerturbationMethod = (typeof PERTURBATION_METHODS)[number];

export const DisclosurePolicySchema = z
  .object({
    minimumCount: z.number().int().min(1).max(1000).default(8),
    suppressZero: z.boolean().default(false),
    rounding: z.number().int().min(1).max(1000).default(1),
    secondary: z.boolean().default(false),
    perturbation: z.enum(PERTURBATION_METHODS).default('cell-key'),
  })
  .strict()
  .refine((p) => 2 * p.minimumCount >= p.rounding, {
    message: 'rounding must be at most twice minimumCount, or a publishable count could be rounded to 0',
    path: ['rounding'],
  });

/** The default policy: counts 1-7 suppressed, 0 published, other counts perturbed by their cell key (no rounding, no secondary suppression). */
export const DEFAULT_POLICY: DisclosurePolicy = Object.freeze({ minimumCount: 8, suppressZero: false, rounding: 1, secondary: false, perturbation: 'cell-key' });

/**
 * Indicator tables (outcomes: results, trends, the dashboard, scorecard values): as DEFAULT_POLICY,
 * but 0 is withheld with 1-7 ("count 0-7"). Events such as premature deaths are sparse in small
 * areas, so many cells are 0; with zeros published, a withheld cell is known to be at least 1, and an
 * area withheld as 1-7 whose withheld parts number 7 gives every part away as exactly 1 (the attack
 * suite found this in rolling three-year trends of premature cardiovascular deaths by neighbourhood).
 */
export const INDICATOR_POLICY: DisclosurePolicy = Object.freeze({ minimumCount: 8, suppressZero: true, rounding: 1, secondary: false, perturbation: 'cell-key' });

/**
 * Counts the cohort builder publishes (ad-hoc definitions): 0-9 are all shown as small, so "none"
 * and "a few" look the same and a narrow definition cannot test whether someone has a condition.
 */
export const AD_HOC_POLICY: DisclosurePolicy = Object.freeze({ minimumCount: 10, suppressZero: true, rounding: 1, secondary: false, perturbation: 'cell-key' });

/**
 * The convention before cell-key perturbation (1-7 suppressed, rounded to 5, secondary suppression
 * within the table): for one-off tables that carry no cell keys. It protects one table at a time only.
 */
export const ROUNDING_POLICY: DisclosurePolicy = Object.freeze({ minimumCount: 8, suppressZero: false, rounding: 5, secondary: true, perturbation: 'none' });

/**
 * Validates a (partial) policy, filling unset fields from DEFAULT_POLICY; throws a UserError
 * ('invalid-input') naming every problem. Unknown fields are rejected so typos are caught.
 */
export const parseDisclosurePolicy = (input: unknown = {}, source = 'disclosure policy'): DisclosurePolicy => {
  const parsed = DisclosurePolicySchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UserError(`${source}: ${issues}`, 'invalid-input');
  }
  return parsed.data;
};

/** The inclusive range of counts that must not be published: [0 or 1, minimumCount − 1], or null when empty. */
export const suppressedRange = (policy: DisclosurePolicy = DEFAULT_POLICY): { readonly from: number; readonly to: number } | null => {
  const from = policy.suppressZero ? 0 : 1;
  const to = policy.minimumCount - 1;
  return to >= from ? { from, to } : null;
};

/** Human-readable form of the suppressed range, e.g. '1-7' (used in suppression reasons). */
export const suppressedRangeText = (policy: DisclosurePolicy = DEFAULT_POLICY): string => {
  const range = suppressedRange(policy);
  if (range === null) return 'none';
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
};

/** True when a count may be published on its own under the policy (e.g. 0 and 8+ by default, not 1-7). */
export const isPublishable = (count: number, policy: DisclosurePolicy = DEFAULT_POLICY): boolean => {
  const range = suppressedRange(policy);
  return range === null || count < range.from || count > range.to;
};

/**
 * A count rounded to the nearest multiple of `base`, halves up (base 5: 12 → 10, 13 → 15;
 * base 10: 15 → 20). Zero stays zero. Exact for integers (no floating-point division).
 */
export const roundCount = (count: number, base: number): number => {
  if (base === 1) return count;
  const remainder = count % base;
  return 2 * remainder >= base ? count - remainder + base : count - remainder;
};
