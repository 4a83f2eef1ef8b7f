/**
 * Evidence that an intervention changes outcomes: a matched difference in differences. Each person
 * who received the intervention (a "case", e.g. referred to social prescribing on an index date) is
 * compared with up to k people who did not, matched exactly on sex, age band, deprivation, place and
 * their activity before the index date, and given the same index date. For each case,
 *
 *   d = (case after − case before) − mean over its matched comparators of (after − before),
 *
 * so that changes everyone sees (seasons, services, regression to the mean among people taken on at
 * a bad time, which the matching on prior activity absorbs) cancel. The effect is the mean of d over
 * matched cases, with a 95% interval mean ± 1.96 × sd(d)/√n. Cases with no comparator are counted
 * and left out. Fewer than 10 matched cases: withheld. Pure: the engine supplies the counts.
 */
import { cellKeyOf } from '../disclosure/cell-key.js';
import { normalQuantile } from '../stats/distributions.js';

export interface EvaluationUnit {
  /** The outcome count in the window before the index date, and in the window after it. */
  readonly before: number;
  readonly after: number;
  readonly comparators: readonly { readonly before: number; readonly after: number; readonly recordKey?: number }[];
  /** The case's record key (disclosure control: the published counts of people are perturbed by it). */
  readonly recordKey?: number;
}

export interface DidResult {
  readonly cases: number;
  /** Cases with at least one comparator (the ones estimated on). */
  readonly matched: number;
  readonly comparators: number;
  /** Cell keys of the matched cases and of their comparators (0 when the units carry no keys). */
  readonly matchedKey: number;
  readonly comparatorsKey: number;
  /** Means per person over matched cases, and over their comparators (each case's comparators averaged first). */
  readonly caseBefore: number | null;
  readonly caseAfter: number | null;
  readonly comparatorBefore: number | null;
  readonly comparatorAfter: number | null;
  /** The naive change in cases (after − before), which includes regression to the mean. */
  readonly naiveChange: number | null;
  readonly effect: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
  readonly withheld: boolean;
}

/** Fewer matched cases than this are not estimated (too few to mean much, and to publish). */
export const EVALUATION_MINIMUM_CASES = 10;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const matchedDifferenceInDifferences = (units: readonly EvaluationUnit[]): DidResult => {
  const matched = units.filter((u) => u.comparators.length > 0);
  const comparators = matched.reduce((a, u) => a + u.comparators.length, 0);
  const base = {
    cases: units.length,
    matched: matched.length,
    comparators,
    matchedKey: cellKeyOf(matched.map((u) => u.recordKey ?? 0)),
    comparatorsKey: cellKeyOf(matched.flatMap((u) => u.comparators.map((c) => c.recordKey ?? 0))),
  };
  if (matched.length < EVALUATION_MINIMUM_CASES) {
    return { ...base, caseBefore: null, caseAfter: null, comparatorBefore: null, comparatorAfter: null, naiveChange: null, effect: null, lower95: null, upper95: null, withheld: true };
  }
  const cBefore = matched.map((u) => mean(u.comparators.map((c) => c.before)));
  const cAfter = matched.map((u) => mean(u.comparators.map((c) => c.after)));
  const d = matched.map((u, i) => u.after - u.before - (cAfter[i]! - cBefore[i]!));
  const effect = mean(d);
  const sd = Math.sqrt(d.reduce((a, x) => a + (x - effect) ** 2, 0) / (d.length - 1));
  const half = normalQuantile(0.975) * (sd / Math.sqrt(d.length));
  const caseBefore = mean(matched.map((u) => u.before));
  const caseAfter = mean(matched.map((u) => u.after));
  return {
    ...base,
    caseBefore,
    caseAfter,
    comparatorBefore: mean(cBefore),
    comparatorAfter: mean(cAfter),
    naiveChange: caseAfter - caseBefore,
    effect,
    lower95: effect - half,
    upper95: effect + half,
    withheld: false,
  };
};

/** Bands of prior activity used for matching (counts in the window before the index date). */
export const PRIOR_ACTIVITY_BANDS = [
  { id: '0', min: 0, max: 0 },
  { id: '1', min: 1, max: 1 },
  { id: '2-3', min: 2, max: 3 },
  { id: '4+', min: 4, max: Number.POSITIVE_INFINITY },
] as const;

export const priorActivityBand = (n: number): string => PRIOR_ACTIVITY_BANDS.find((b) => n >= b.min && n <= b.max)!.id;
