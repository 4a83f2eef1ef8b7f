/**
 * From aggregate counts to indicator values. Engines only count (numerators and denominators by
 * group and, for standardised rates and life expectancy, by age band); every statistic is computed
 * here, once, with the methods in ../stats. So two engines that agree on counts agree on values.
 */
import { UserError } from '../errors/errors.js';
import { ESP2013, ESP2013_LIFE_TABLE } from '../stats/age-bands.js';
import { dsr } from '../stats/dsr.js';
import { gap, slopeIndexOfInequality } from '../stats/inequality.js';
import type { Estimate } from '../stats/intervals.js';
import { lifeExpectancy } from '../stats/life-expectancy.js';
import { proportion } from '../stats/proportion.js';
import { crudeRate } from '../stats/rate.js';
import { dayFromIso, isoFromDay } from '../time/days.js';
import type { Breakdown, IndicatorDefinition, MeasureKind } from './definition.js';

/**
 * Group names in natural order ('2' before '10'): one collator for every comparison (the same order
 * as a.localeCompare(b, 'en', { numeric: true }), which builds a collator on every call).
 */
export const byGroupName: (a: string, b: string) => number = new Intl.Collator('en', { numeric: true }).compare;

/** A period [start, end): ISO dates, end exclusive. */
export interface Period {
  readonly start: string;
  readonly end: string;
  readonly label: string;
}

/** Financial year starting 1 April `year` (label 2024/25), pooled over `years`. */
export const financialYearPeriod = (lastYearStart: number, years = 1): Period => {
  const first = lastYearStart - years + 1;
  const label = years === 1 ? `${first}/${String((first + 1) % 100).padStart(2, '0')}` : `${first}/${String((first + 1) % 100).padStart(2, '0')} - ${lastYearStart}/${String((lastYearStart + 1) % 100).padStart(2, '0')}`;
  return { start: `${first}-04-01`, end: `${lastYearStart + 1}-04-01`, label };
};

/** The financial year (its start year) a day falls in: 2024-03-31 is in 2023/24, 2024-04-01 in 2024/25. */
export const financialYearOf = (iso: string): number => (iso.slice(5) >= '04-01' ? Number(iso.slice(0, 4)) : Number(iso.slice(0, 4)) - 1);

/** The start year of the last financial year that ends on or before `end` (exclusive end of a data window). */
export const lastWholeFinancialYear = (end: string): number => financialYearOf(end) - 1;

/** The start year of the first financial year that starts on or after `start` (the first whole year of a window). */
export const firstWholeFinancialYear = (start: string): number => (start.slice(5) <= '04-01' ? Number(start.slice(0, 4)) : Number(start.slice(0, 4)) + 1);

/**
 * Every whole period of `years` financial years inside a data window [start, end), oldest first
 * (rolling pooled periods for multi-year indicators); at least the latest period. Without a known
 * start, the latest period only.
 */
export const windowPeriods = (window: { readonly start?: string | undefined; readonly end: string }, years: number): Period[] => {
  const last = lastWholeFinancialYear(window.end);
  const first = window.start !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(window.start) ? firstWholeFinancialYear(window.start) : last;
  const periods: Period[] = [];
  for (let s = first + years - 1; s <= last; s++) periods.push(financialYearPeriod(s, years));
  return periods.length > 0 ? periods : [financialYearPeriod(last, years)];
};

/** Length of a period in years (days / 365.25), the multiplier for person-years from a mid-period population. */
export const periodYears = (period: Period): number => (dayFromIso(period.end) - dayFromIso(period.start)) / 365.25;
/** The reference date for people counted at the end of a period (its last day). */
export const periodLastDay = (period: Period): string => isoFromDay(dayFromIso(period.end) - 1);
/** The middle of a period, where rate denominators count the population. */
export const periodMidpoint = (period: Period): string => isoFromDay(Math.floor((dayFromIso(period.start) + dayFromIso(period.end)) / 2));

/** Age bands for the age breakdown (standardised rates use the 19 ESP bands within each). */
export const AGE_BREAKDOWN_BANDS = [
  { label: '0-17', min: 0, max: 17 },
  { label: '18-34', min: 18, max: 34 },
  { label: '35-49', min: 35, max: 49 },
  { label: '50-64', min: 50, max: 64 },
  { label: '65-74', min: 65, max: 74 },
  { label: '75-84', min: 75, max: 84 },
  { label: '85+', min: 85, max: 200 },
] as const;
export const ageBreakdownLabel = (age: number): string => AGE_BREAKDOWN_BANDS.find((b) => age >= b.min && age <= b.max)?.label ?? '85+';

/** ESP 2013 band label (19 bands) for an age. */
export const esp19Label = (age: number): string => ESP2013.bands[Math.min(18, Math.floor(age / 5))]!.label;
/** Life-table band label (20 bands: 0, 1-4, 5-9 … 90+) for an age. */
export const lifeTableLabel = (age: number): string => (age < 1 ? '0' : age < 5 ? '1-4' : ESP2013_LIFE_TABLE.bands[Math.min(19, Math.floor(age / 5) + 1)]!.label);

/** Which age bands the engine must split counts by, per measure. */
export const ageSplitOf = (definition: IndicatorDefinition): 'none' | 'esp19' | 'life20' => {
  const m = definition.measure;
  if (m.kind === 'life-expectancy') return 'life20';
  if (m.kind === 'event-rate' && m.standardisation === 'esp2013') return 'esp19';
  return 'none';
};

/** What an engine returns: counts for one group (and age band, when split). */
export interface AggregateCell {
  /** Value of the breakdown for this group (place id, decile '1'…'10', 'F', …); 'ICS' for the whole partnership. */
  readonly group: string;
  readonly ageBand?: string;
  /** Events or people meeting the numerator (for life expectancy: deaths). */
  readonly numerator: number;
  /** People, events, person-years or expected count. */
  readonly denominator: number;
  /**
   * Cell key of the numerator's records: the sum of their record keys modulo 256 (an event adds its
   * person's key once per event). Disclosure control perturbs the published count with it.
   */
  readonly numeratorKey?: number;
  /** Cell key of the denominator's records (people or events counted), when the denominator is a count. */
  readonly denominatorKey?: number;
}

export interface AggregateRequest {
  readonly definition: IndicatorDefinition;
  readonly period: Period;
  readonly breakdown: Breakdown;
}

/** Several periods and breakdowns of one indicator, counted together. */
export interface AggregateManyRequest {
  readonly definition: IndicatorDefinition;
  readonly periods: readonly Period[];
  readonly breakdowns: readonly Breakdown[];
}

/** The one narrow interface every engine implements. */
export interface IndicatorEngine {
  readonly name: string;
  aggregate(request: AggregateRequest): Promise<readonly AggregateCell[]>;
  /**
   * Optional: the cells of every period (index as in the request) by every breakdown, the same as
   * `aggregate` gives for each, counted at once (the DuckDB engine: one scan for all periods).
   */
  aggregateMany?(request: AggregateManyRequest): Promise<readonly ReadonlyMap<Breakdown, readonly AggregateCell[]>[]>;
}

export interface IndicatorValue extends Estimate {
  readonly group: string;
  readonly numerator: number;
  readonly denominator: number;
  /** Why no value was published by the statistic itself (e.g. fewer than 10 events for a DSR). */
  readonly statisticSuppressed?: string;
}

export interface InequalitySummary {
  /** Most deprived minus least deprived group value (decile 1 − 10 or quintile 1 − 5). */
  readonly absoluteGap: number | null;
  readonly relativeGap: number | null;
  readonly sii: Estimate | null;
  readonly rii: Estimate | null;
}

export interface IndicatorResult {
  readonly indicator: IndicatorDefinition;
  readonly period: Period;
  readonly breakdown: Breakdown;
  readonly values: readonly IndicatorValue[];
  readonly inequality?: InequalitySummary;
}

export const DEFAULT_CONFIDENCE = [0.95, 0.998] as const;

const byGroup = (cells: readonly AggregateCell[]): Map<string, AggregateCell[]> => {
  const out = new Map<string, AggregateCell[]>();
  for (const c of cells) (out.get(c.group) ?? out.set(c.group, []).get(c.group)!).push(c);
  return out;
};
const sum = (cells: readonly AggregateCell[], f: (c: AggregateCell) => number) => cells.reduce((a, c) => a + f(c), 0);

type Evaluator = (definition: IndicatorDefinition, group: string, cells: readonly AggregateCell[], confidence: readonly number[]) => IndicatorValue;

const simple = (compute: (n: number, d: number, def: IndicatorDefinition, confidence: readonly number[]) => Estimate): Evaluator => (def, group, cells, confidence) => {
  const numerator = sum(cells, (c) => c.numerator);
  const denominator = sum(cells, (c) => c.denominator);
  if (denominator <= 0) return { group, numerator, denominator, value: null, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), statisticSuppressed: 'no denominator' };
  const e = compute(numerator, denominator, def, confidence);
  return { group, numerator, denominator, value: e.value, intervals: e.intervals };
};

const EVALUATORS: Record<MeasureKind, Evaluator> = {
  'person-proportion': simple((n, d, def, confidence) => proportion(n, d, { confidence: [...confidence], multiplier: def.multiplier })),
  'event-proportion': simple((n, d, def, confidence) => proportion(n, d, { confidence: [...confidence], multiplier: def.multiplier })),
  'observed-expected': simple((n, d, def, confidence) => crudeRate(n, d, { confidence: [...confidence], multiplier: def.multiplier })),
  'event-rate': (def, group, cells, confidence) => {
    const m = def.measure;
    const numerator = sum(cells, (c) => c.numerator);
    const denominator = sum(cells, (c) => c.denominator);
    if (m.kind === 'event-rate' && m.standardisation === 'esp2013') {
      const present = new Map(cells.map((c) => [c.ageBand, c]));
      const rows = ESP2013.bands
        .filter((b) => present.has(b.label))
        .map((b) => ({ ageBand: b.label, count: present.get(b.label)!.numerator, population: present.get(b.label)!.denominator, standardPopulation: b.weight }))
        .filter((r) => r.population > 0);
      if (rows.length === 0) return { group, numerator, denominator, value: null, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), statisticSuppressed: 'no denominator' };
      const result = dsr(rows, { confidence: [...confidence], multiplier: def.multiplier });
      return { group, numerator, denominator, value: result.value, intervals: result.intervals, ...(result.suppressed ? { statisticSuppressed: result.reason ?? 'suppressed' } : {}) };
    }
    if (denominator <= 0) return { group, numerator, denominator, value: null, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), statisticSuppressed: 'no denominator' };
    const e = crudeRate(numerator, denominator, { confidence: [...confidence], multiplier: def.multiplier });
    return { group, numerator, denominator, value: e.value, intervals: e.intervals };
  },
  'life-expectancy': (def, group, cells, confidence) => {
    const m = def.measure;
    const startAge = m.kind === 'life-expectancy' ? m.startAge : 0;
    const present = new Map(cells.map((c) => [c.ageBand, c]));
    const rows = ESP2013_LIFE_TABLE.bands.map((b) => ({ ageBand: b.label, deaths: present.get(b.label)?.numerator ?? 0, population: present.get(b.label)?.denominator ?? 0 }));
    const numerator = sum(cells, (c) => c.numerator);
    const denominator = sum(cells, (c) => c.denominator);
    if (rows.some((r) => r.population <= 0)) {
      return { group, numerator, denominator, value: null, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), statisticSuppressed: 'an age band has no population' };
    }
    // In a small area more people can die in a band than its person-years at risk (people move in
    // and die; the very old): no life table can be built, and the area is far below the publication threshold anyway.
    if (rows.some((r) => r.deaths > r.population)) {
      return { group, numerator, denominator, value: null, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), statisticSuppressed: 'too small for a life table (more deaths than person-years in an age band)' };
    }
    const result = lifeExpectancy(rows, { confidence: [...confidence], startAge });
    return { group, numerator, denominator, value: result.value, intervals: result.intervals, ...(result.suppressed ? { statisticSuppressed: result.reason ?? 'suppressed' } : {}) };
  },
};

const deprivationOrder = (breakdown: Breakdown): number | undefined => (breakdown === 'imd-decile' ? 10 : breakdown === 'imd-quintile' ? 5 : undefined);

/** Turns aggregate counts into values with confidence limits, and an inequality summary for deprivation breakdowns. */
export const evaluateIndicator = (
  request: AggregateRequest,
  cells: readonly AggregateCell[],
  confidence: readonly number[] = DEFAULT_CONFIDENCE,
): IndicatorResult => {
  const { definition, period, breakdown } = request;
  const evaluator = EVALUATORS[definition.measure.kind];
  const groups = [...byGroup(cells).entries()].sort(([a], [b]) => byGroupName(a, b));
  const values = groups.map(([group, groupCells]) => evaluator(definition, group, groupCells, confidence));
  const n = deprivationOrder(breakdown);
  if (n === undefined) return { indicator: definition, period, breakdown, values };
  return { indicator: definition, period, breakdown, values, inequality: inequalityOf(values, n, confidence) };
};

/** Monte Carlo repetitions for the SII limits of the indicators' deprivation breakdowns. */
export const INDICATOR_SII_SIMULATIONS = 10_000;

const inequalityOf = (values: readonly IndicatorValue[], groups: number, confidence: readonly number[]): InequalitySummary => {
  const most = values.find((v) => v.group === '1');
  const least = values.find((v) => v.group === String(groups));
  const g = most?.value != null && least?.value != null ? gap(most.value, least.value) : null;
  const usable = values.filter((v) => v.value !== null && v.intervals.every((i) => i.lower != null && i.upper != null));
  let sii: Estimate | null = null;
  let rii: Estimate | null = null;
  const at95 = confidence.indexOf(0.95);
  if (usable.length === groups && at95 >= 0) {
    try {
      const result = slopeIndexOfInequality(
        usable.map((v) => ({ rank: Number(v.group), value: v.value!, population: v.denominator, lowerCI: v.intervals[at95]!.lower!, upperCI: v.intervals[at95]!.upper! })),
        // 10,000 repetitions, not phe_sii's 100,000: computed for every indicator, area and period the
        // dashboards show; a 95% limit's simulation error is then about 0.7% of the interval's width (docs/statistics.md).
        { confidence: [...confidence], valueType: 'normal', simulations: INDICATOR_SII_SIMULATIONS },
      );
      sii = { value: result.sii, intervals: result.siiIntervals };
      rii = { value: result.rii, intervals: result.riiIntervals };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  return { absoluteGap: g?.absolute ?? null, relativeGap: g?.relative ?? null, sii, rii };
};
