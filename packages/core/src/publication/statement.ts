/**
 * What a response says about how its figures were protected: the rule in words and its
 * parameters, so that users (and anyone checking the method) know exactly what a number means.
 * @module
 */
import { maxPerturbation, OPENPHM_PTABLE_1 } from '../disclosure/cell-key.js';
import { DEFAULT_POLICY, type DisclosurePolicy, suppressedRangeText } from '../disclosure/policy.js';

export type DisclosureMethod = 'cell-key-perturbation' | 'rounding-and-suppression' | 'none';

/** The `disclosure` block of every published table. */
export interface DisclosureStatement {
  /** The rule in words. */
  readonly rule: string;
  /** Cells withheld in this response. */
  readonly suppressedCells: number;
  readonly method: DisclosureMethod;
  /** Counts below this (and 0 when suppressZero) are withheld. */
  readonly minimumCount: number;
  readonly suppressZero: boolean;
  /** Published counts are rounded to a multiple of this after perturbation (1: not rounded). */
  readonly rounding: number;
  /** The largest noise cell-key perturbation adds to a count (0: none). */
  readonly maxPerturbation: number;
  /** Values, shares, rates and intervals are computed from the published counts, never the true ones. */
  readonly valuesFrom: 'published-counts';
}

export const methodOf = (policy: DisclosurePolicy): DisclosureMethod =>
  policy.perturbation === 'cell-key' ? 'cell-key-perturbation' : policy.rounding > 1 || policy.secondary || policy.minimumCount > 1 || policy.suppressZero ? 'rounding-and-suppression' : 'none';

/** The rule in words, e.g. for the default policy: "Counts of 1-7 are withheld; other counts have …". */
export const disclosureRule = (policy: DisclosurePolicy = DEFAULT_POLICY): string => {
  const method = methodOf(policy);
  if (method === 'none') return 'No disclosure control: exact counts, for analysts\u2019 own use, never for publication.';
  const parts = [`Counts of ${suppressedRangeText(policy)} are withheld (shown as [c])`];
  if (policy.perturbation === 'cell-key') {
    parts.push(
      `every other count has a small fixed noise of at most \u00b1${maxPerturbation(OPENPHM_PTABLE_1)} added by cell-key perturbation (the same people always get the same noise, in every table)`,
    );
  }
  if (policy.rounding > 1) parts.push(`published counts are rounded to the nearest ${policy.rounding}`);
  if (policy.secondary) parts.push('further cells are withheld so that withheld counts cannot be found by subtraction within the table');
  return `${parts.join('; ')}. Rates, percentages and intervals are computed from the published counts.`;
};

/** The statement for a response with `suppressedCells` withheld cells. */
export const disclosureStatement = (suppressedCells: number, policy: DisclosurePolicy = DEFAULT_POLICY): DisclosureStatement => ({
  rule: disclosureRule(policy),
  suppressedCells,
  method: methodOf(policy),
  minimumCount: policy.minimumCount,
  suppressZero: policy.suppressZero,
  rounding: policy.rounding,
  maxPerturbation: policy.perturbation === 'cell-key' ? maxPerturbation(OPENPHM_PTABLE_1) : 0,
  valuesFrom: 'published-counts',
});
