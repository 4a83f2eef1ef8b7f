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

export const MEASURE_STATUSES = ['met', 'on-track', 'off-track', 'worsening', 'incomplete'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export type StatusRag = 'green' | 'amber' | 'red' | 'grey';

export const STATUS_RAG: Readonly<Record<MeasureStatus, StatusRag>> = {
  met: 'green',
  'on-track': 'green',
  'off-track': 'amber',
  worsening: 'red',
  incomplete: 'grey',
};

export const STATUS_LABEL: Readonly<Record<MeasureStatus, string>> = {
  met: 'Target met',
  'on-track': 'On track',
  'off-track': 'Off track',
  worsening: 'Worse than baseline',
  incomplete: 'Incomplete',
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
  /** What is missing, for an incomplete measure; or why it has its status. */
  readonly reasons: readonly string[];
}

/**
 * Judges a measure's latest value against its plan. `points` are its values, any order. Status:
 * incomplete without a baseline, a target or a value after the baseline; met when the latest value
 * is at least as good as the target; on track when at least as good as the trajectory at its date;
 * worsening when worse than the baseline; otherwise off track.
 */
export const assessMeasure = (measure: StrategyMeasure, polarity: MeasurePolarity, points: readonly MeasurePoint[]): MeasureAssessment => {
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
  let status: MeasureStatus;
  if (atLeastAsGood(value, target.value, polarity)) status = 'met';
  else if (atLeastAsGood(value, expected, polarity)) status = 'on-track';
  else if (!atLeastAsGood(value, baseline.value, polarity)) status = 'worsening';
  else status = 'off-track';
  return { status, rag: STATUS_RAG[status], expected, reasons: [], ...common };
};
