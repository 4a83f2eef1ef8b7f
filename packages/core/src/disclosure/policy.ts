/**
 * The small-number policy applied to every published aggregate: which counts are too small to
 * publish, how published counts are rounded, and whether secondary suppression runs. Defaults
 * follow the NHS England (HES analysis guide) and ONS convention: suppress counts 1-7, round
 * published counts to the nearest 5. See docs/disclosure-control.md.
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
  /** Run secondary (complementary) suppression so suppressed counts cannot be recovered by subtraction. */
  readonly secondary: boolean;
}

export const DisclosurePolicySchema = z
  .object({
    minimumCount: z.number().int().min(1).max(1000).default(8),
    suppressZero: z.boolean().default(false),
    rounding: z.number().int().min(1).max(1000).default(5),
    secondary: z.boolean().default(true),
  })
  .strict()
  .refine((p) => 2 * p.minimumCount >= p.rounding, {
    message: 'rounding must be at most twice minimumCount, or a publishable count could be rounded to 0',
    path: ['rounding'],
  });

/** The default policy: counts 1-7 suppressed, 0 published, counts rounded to the nearest 5, secondary suppression on. */
export const DEFAULT_POLICY: DisclosurePolicy = Object.freeze({ minimumCount: 8, suppressZero: false, rounding: 5, secondary: true });

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
