/**
 * Ad-hoc counts (the cohort builder): what a table builder needs on top of cell-key perturbation,
 * because anyone who can count any definition can pad and difference (docs/decisions/0006):
 *
 * - how fine a definition may be: a few clauses, shallow nesting, ages in 5-year steps, windows of
 *   whole months or years (so two definitions cannot differ by one year of age or one day);
 * - a minimum size for a cohort and for a group a count is made in;
 * - a differencing check: a published cell whose people differ from a cell shown to the same user
 *   earlier by fewer than `minimumCount` people is withheld, because the difference of the two is
 *   that small group. Cells are compared through fingerprints (bucketed XORs of person hashes),
 *   never through the people themselves.
 * Pure: the fingerprints come from the store; the monitor keeps them in memory.
 * @module
 */
import type { FeatureRule } from '../phm/segments.js';
import type { CohortDefinition } from '../phm/cohorts.js';

export const AD_HOC_LIMITS = Object.freeze({
  /** At most this many clauses (flags, comparisons, diagnoses, event counts) in a rule. */
  maxClauses: 10,
  /** At most this deep (all / any / not inside each other). */
  maxDepth: 4,
  /** Ages are compared in steps of this many years. */
  ageStep: 5,
  /** BMI is compared in steps of this. */
  bmiStep: 0.5,
  /** The windows a `diagnosed` or `events` rule may use (days), besides whole multiples of a year. */
  windows: Object.freeze([30, 60, 90, 180, 365, 730]) as readonly number[],
  /** A cohort smaller than this is not counted at all (only "fewer than 20"). */
  minimumCohort: 20,
  /** A count in a group with fewer people than this is withheld. */
  minimumGroup: 50,
  /** Count queries a user may run in a day. */
  queriesPerDay: 300,
  /** Differencing attempts (withheld cells) before a user's counting is paused. */
  differencingStrikes: 3,
  /** How long a pause lasts. */
  pauseMinutes: 60,
});

export interface DefinitionProblem {
  /** Path in the definition, e.g. 'rule.of.1.value'. */
  readonly field: string;
  readonly message: string;
}

const isWindow = (days: number): boolean => AD_HOC_LIMITS.windows.includes(days) || days % 365 === 0;
const onStep = (value: number, step: number): boolean => Math.abs(value / step - Math.round(value / step)) < 1e-9;

/**
 * What makes a definition too fine to count ad hoc: too many clauses, too deep, an age not on a
 * 5-year step (or compared with '='), a BMI off its half-unit step, a window that is not a whole
 * number of months or years. Empty when it may be counted.
 */
export const adHocDefinitionProblems = (definition: Pick<CohortDefinition, 'rule'>): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  let clauses = 0;
  const walk = (rule: FeatureRule, path: string, depth: number): void => {
    if (depth > AD_HOC_LIMITS.maxDepth) {
      problems.push({ field: path, message: `rules may be nested at most ${AD_HOC_LIMITS.maxDepth} deep in the cohort builder` });
      return;
    }
    switch (rule.kind) {
      case 'all':
      case 'any':
        rule.of.forEach((r, i) => walk(r, `${path}.of.${i}`, depth + 1));
        return;
      case 'not':
        walk(rule.rule, `${path}.rule`, depth + 1);
        return;
      case 'always':
        return;
      case 'compare':
        clauses++;
        if (rule.feature === 'age') {
          if (rule.op === '=') problems.push({ field: `${path}.op`, message: 'age cannot be compared with = in the cohort builder: use a range of whole 5-year steps' });
          if (!onStep(rule.value, AD_HOC_LIMITS.ageStep)) problems.push({ field: `${path}.value`, message: `ages are compared in steps of ${AD_HOC_LIMITS.ageStep} years (e.g. 60, 65), got ${rule.value}` });
        }
        if (rule.feature === 'latestBmi' && !onStep(rule.value, AD_HOC_LIMITS.bmiStep)) {
          problems.push({ field: `${path}.value`, message: `BMI is compared in steps of ${AD_HOC_LIMITS.bmiStep}, got ${rule.value}` });
        }
        return;
      case 'flag':
        clauses++;
        return;
      case 'diagnosed':
      case 'events':
        clauses++;
        if (!isWindow(rule.withinDays)) {
          problems.push({ field: `${path}.withinDays`, message: `windows are ${AD_HOC_LIMITS.windows.join(', ')} days or whole years in the cohort builder, got ${rule.withinDays}` });
        }
        return;
    }
  };
  walk(definition.rule, 'rule', 1);
  if (clauses > AD_HOC_LIMITS.maxClauses) problems.push({ field: 'rule', message: `at most ${AD_HOC_LIMITS.maxClauses} clauses in the cohort builder, got ${clauses}` });
  return problems;
};

// ---------------------------------------------------------------------------------------------
// Differencing

/** Buckets in a cell fingerprint. */
export const FINGERPRINT_BUCKETS = 64;

/**
 * A cell's fingerprint: its true count and, per bucket (a person's hash modulo 64), the XOR of the
 * 64-bit hashes of its people in that bucket. Two cells whose people differ by k have at most k
 * buckets that differ (and almost always k, when k is small); cells that differ by many differ in
 * nearly every bucket. It says nothing about who the people are.
 */
export interface CellFingerprint {
  readonly n: number;
  readonly buckets: readonly bigint[];
}

/** How many buckets differ between two fingerprints. */
export const differingBuckets = (a: CellFingerprint, b: CellFingerprint): number => {
  let d = 0;
  for (let i = 0; i < FINGERPRINT_BUCKETS; i++) if ((a.buckets[i] ?? 0n) !== (b.buckets[i] ?? 0n)) d++;
  return d;
};

/**
 * Whether two cells differ by a small group (fewer than `threshold` people, but not none): their
 * counts are within threshold of each other, and fewer than threshold buckets differ.
 */
export const differsBySmallGroup = (a: CellFingerprint, b: CellFingerprint, threshold: number): boolean => {
  if (Math.abs(a.n - b.n) >= threshold) return false;
  const d = differingBuckets(a, b);
  return d > 0 && d < threshold;
};

interface Remembered {
  readonly fingerprint: CellFingerprint;
  readonly label: string;
}

/**
 * The cells one user has been shown in the current data version, and the checks against them.
 * Bounded: the oldest cells are forgotten first (an attacker who waits that long has also been
 * counted by the daily query limit).
 */
export class DifferencingMonitor {
  private readonly byCount = new Map<number, Remembered[]>();
  private readonly order: Remembered[] = [];
  constructor(
    private readonly threshold: number,
    private readonly capacity = 5000,
  ) {}

  get size(): number {
    return this.order.length;
  }

  /** The label of an earlier cell this one differs from by a small group, or undefined. */
  clash(fingerprint: CellFingerprint): string | undefined {
    for (let n = fingerprint.n - this.threshold + 1; n < fingerprint.n + this.threshold; n++) {
      for (const r of this.byCount.get(n) ?? []) if (differsBySmallGroup(fingerprint, r.fingerprint, this.threshold)) return r.label;
    }
    return undefined;
  }

  /** Remembers a cell that was published to the user. */
  remember(fingerprint: CellFingerprint, label: string): void {
    const entry = { fingerprint, label };
    (this.byCount.get(fingerprint.n) ?? this.byCount.set(fingerprint.n, []).get(fingerprint.n)!).push(entry);
    this.order.push(entry);
    while (this.order.length > this.capacity) {
      const old = this.order.shift()!;
      const list = this.byCount.get(old.fingerprint.n)!;
      list.splice(list.indexOf(old), 1);
    }
  }
}
