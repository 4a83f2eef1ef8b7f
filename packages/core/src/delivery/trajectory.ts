/**
 * Progress of a measure against its plan: the baseline and target resolved against the measure's
 * values, the straight-line trajectory from baseline to target, and a status (met, on track, off
 * track, worsening, incomplete) with its RAG colour. Dates are ISO days; a value is dated on the
 * last day of its period. Rules are in docs/delivery.md ("How progress is judged").
 */
import { dayFromIso } from '../time/days.js';
import type { StrategyMeasure, MeasurePolarity } from './strategy.js';

/** One value of a measure: a period's published value (null when withheld or not computable). */
export interface MeasurePoint {
  /** The last day of the period the value is for. */
  readonly date: string;
  readonly label: string;
  readonly value: number | null;
  readonly lower95?: number | null;
  readonly upper95?: number | null;
  readonly suppressed?: boolean;
}

export interface DatedValue {
  readonly value: number;
  readonly date: string;
  readonly label: string;
}

export const MEASURE_STATUSES = ['met', 'on-track', 'no-significant-change', 'off-track', 'worsening', 'missed', 'incomplete'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export type StatusRag = 'green' | 'amber' | 'red' | 'grey';

export const STATUS_RAG: Readonly<Record<MeasureStatus, StatusRag>> = {
  met: 'green',
  'on-track': 'green',
  // Neither significantly behind the trajectory nor significantly worse than the baseline: the data cannot say.
  'no-significant-change': 'grey',
  'off-track': 'amber',
  worsening: 'red',
  missed: 'red',
  incomplete: 'grey',
};

export const STATUS_LABEL: Readonly<Record<MeasureStatus, string>> = {
  met: 'Target met',
  'on-track': 'On track',
  'no-significant-change': 'No significant change',
  'off-track': 'Off track',
  worsening: 'Worse than baseline',
  missed: 'Target missed',
  incomplete: 'Incomplete',
};

/** Statuses the evidence says need a recovery plan: significantly behind, significantly worse, or the target date passed unmet. */
export const NEEDS_RECOVERY: Readonly<Record<MeasureStatus, boolean>> = {
  met: false,
  'on-track': false,
  'no-significant-change': false,
  'off-track': true,
  worsening: true,
  missed: true,
  incomplete: false,
};

/** The baseline: stated in the plan, or the value of the named data period (null when that period has no value). */
export const resolveBaseline = (measure: StrategyMeasure, points: readonly MeasurePoint[]): DatedValue | null => {
  const b = measure.baseline;
  if (b === undefined) return null;
  if (b.kind === 'stated') return { value: b.value, date: b.date, label: b.label };
  const point = points.find((p) => p.label === b.periodLabel);
  return point && point.value !== null ? { value: point.value, date: point.date, label: point.label } : null;
};

/** The target value and date: absolute, or the baseline changed by the relative amount (null without a baseline). */
export const resolveTarget = (measure: StrategyMeasure, baseline: DatedValue | null): { value: number; date: string } | null => {
  const t = measure.target;
  if (t === undefined) return null;
  if (t.kind === 'absolute') return { value: t.value, date: t.date };
  return baseline === null ? null : { value: baseline.value * (1 + t.change), date: t.date };
};

/** The trajectory's value on a date: the baseline before it starts, the target after its date, a straight line between. */
export const trajectoryAt = (baseline: DatedValue, target: { value: number; date: string }, date: string): number => {
  const b = dayFromIso(baseline.date);
  const t = dayFromIso(target.date);
  const d = dayFromIso(date);
  if (d <= b || t <= b) return d <= b ? baseline.value : target.value;
  if (d >= t) return target.value;
  return baseline.value + ((target.value - baseline.value) * (d - b)) / (t - b);
};

/** a is at least as good as b under the polarity. */
export const atLeastAsGood = (a: number, b: number, polarity: MeasurePolarity): boolean => (polarity === 'higher-is-better' ? a >= b : a <= b);

/**
 * Whether a value is significantly worse than a reference: its whole 95% interval lies on the worse
 * side (null when the value has no interval).
 */
export const significantlyWorse = (p: MeasurePoint, reference: number, polarity: MeasurePolarity): boolean | null => {
  if (p.lower95 == null || p.upper95 == null) return null;
  return polarity === 'higher-is-better' ? p.upper95 < reference : p.lower95 > reference;
};

export interface MeasureAssessment {
  readonly status: MeasureStatus;
  readonly rag: StatusRag;
  readonly polarity: MeasurePolarity;
  readonly baseline: DatedValue | null;
  readonly target: { readonly value: number; readonly date: string } | null;
  /** The latest value (the last period with a value). */
  readonly latest: MeasurePoint | null;
  /** Where the trajectory says the measure should be at the latest value's date. */
  readonly expected: number | null;
  /** Latest minus baseline. */
  readonly changeSinceBaseline: number | null;
  /** Whether the latest value's 95% confidence interval excludes the baseline (null when it has no interval). */
  readonly significantChange: boolean | null;
  /** What is missing, for an incomplete measure; or why it has its status (significance, a passed target date). */
  readonly reasons: readonly string[];
}

/**
 * Judges a measure's latest value against its plan on `today` (an ISO day). `points` are its values,
 * any order. Status:
 * - incomplete without a baseline, a target or a value after the baseline;
 * - met when the latest value is at least as good as the target;
 * - missed when the target date has passed (before today), the latest value is for the target date
 *   or later, and it is not as good as the target;
 * - on track when the latest value is at least as good as the trajectory at its date;
 * - otherwise, with a 95% interval: worse than baseline when the whole interval is worse than the
 *   baseline, off track when it is worse than the trajectory, on track when it reaches the
 *   trajectory and is all better than the baseline, and no significant change when it reaches both
 *   (behind on the value alone, but the data cannot tell it from either);
 * - without an interval, on the value alone: worse than baseline, else off track (and says so).
 */
export const assessMeasure = (measure: StrategyMeasure, polarity: MeasurePolarity, points: readonly MeasurePoint[], today: string): MeasureAssessment => {
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const baseline = resolveBaseline(measure, sorted);
  const target = resolveTarget(measure, baseline);
  const latest = [...sorted].reverse().find((p) => p.value !== null) ?? null;
  const reasons: string[] = [];
  if (measure.baseline === undefined) reasons.push('no baseline agreed');
  else if (baseline === null && measure.baseline.kind === 'data') {
    const label = measure.baseline.periodLabel;
    reasons.push(sorted.some((p) => p.label === label) ? `the baseline period ${label} has no published value (withheld or not computable)` : `no data for the baseline period ${label}`);
  }
  if (measure.target === undefined) reasons.push('no target agreed');
  if (latest === null) reasons.push(sorted.length > 0 ? 'every value so far is withheld (small numbers) or not computable' : 'no value yet');
  else if (baseline !== null && latest.date <= baseline.date) reasons.push('no value since the baseline');
  const changeSinceBaseline = latest?.value != null && baseline !== null ? latest.value - baseline.value : null;
  const significantChange =
    baseline !== null && latest !== null && latest.lower95 != null && latest.upper95 != null ? baseline.value < latest.lower95 || baseline.value > latest.upper95 : null;
  const common = { polarity, baseline, target, latest, changeSinceBaseline, significantChange };
  if (reasons.length > 0 || baseline === null || target === null || latest === null || latest.value === null) {
    return { status: 'incomplete', rag: STATUS_RAG.incomplete, expected: null, reasons, ...common };
  }
  const value = latest.value;
  const expected = trajectoryAt(baseline, target, latest.date);
  const why: string[] = [];
  let status: MeasureStatus;
  if (atLeastAsGood(value, target.value, polarity)) status = 'met';
  else if (target.date < today && latest.date >= target.date) {
    status = 'missed';
    why.push(`the target date ${target.date} has passed and the value for ${latest.label} had not reached the target`);
  } else {
    if (target.date < today) why.push(`the target date ${target.date} has passed; no value for it yet`);
    if (atLeastAsGood(value, expected, polarity)) status = 'on-track';
    else {
      const worseThanBaseline = significantlyWorse(latest, baseline.value, polarity);
      const behindTrajectory = significantlyWorse(latest, expected, polarity);
      if (worseThanBaseline === null || behindTrajectory === null) {
        status = atLeastAsGood(value, baseline.value, polarity) ? 'off-track' : 'worsening';
        why.push('no confidence interval: judged on the value alone');
      } else if (worseThanBaseline) status = 'worsening';
      else if (behindTrajectory) {
        status = 'off-track';
        if (!atLeastAsGood(value, baseline.value, polarity)) why.push('worse than the baseline on the value, but not significantly');
      } else if (significantlyWorse(latest, baseline.value, polarity === 'higher-is-better' ? 'lower-is-better' : 'higher-is-better')) {
        // Significantly better than the baseline and not significantly behind the plan.
        status = 'on-track';
        why.push('behind the trajectory on the value, but not significantly; significantly better than the baseline');
      } else {
        status = 'no-significant-change';
        why.push('behind the trajectory on the value, but its 95% confidence interval includes both the trajectory and the baseline');
      }
    }
  }
  return { status, rag: STATUS_RAG[status], expected, reasons: why, ...common };
};
