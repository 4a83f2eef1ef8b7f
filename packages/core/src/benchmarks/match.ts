/**
 * The benchmark value for a catalogue indicator and period: the row of the area (England by
 * default) with the indicator's Fingertips id, sex and age, for the same period
 * (matchBenchmarkPeriod); never another period. A row whose age the source left blank matches any
 * age (the shared extract leaves some blank), but a row that states the age is preferred; the same
 * years are preferred to calendar years against financial ones.
 */
import type { Period } from '../indicators/evaluate.js';
import { ENGLAND_AREA_CODE, type BenchmarkValue, type FingertipsMapping } from './benchmark.js';
import { matchBenchmarkPeriod, type PeriodMatch } from './periods.js';

export interface BenchmarkFound {
  readonly value: BenchmarkValue & { readonly value: number };
  readonly period: PeriodMatch;
}

const idsOf = (v: BenchmarkValue): string[] => (v.indicatorId === null ? [] : v.indicatorId.split('/'));

/** The rows of the area for the indicator, sex and age (any period), with a value. */
export const benchmarkSeries = (values: readonly BenchmarkValue[], mapping: FingertipsMapping, areaCode: string = ENGLAND_AREA_CODE): (BenchmarkValue & { value: number })[] =>
  values.filter(
    (v): v is BenchmarkValue & { value: number } =>
      v.value !== null && v.areaCode === areaCode && v.sex === mapping.sex && (v.age === mapping.age || v.age === '') && idsOf(v).includes(String(mapping.id)),
  );

/** The benchmark for `period`, or null when the area has no value for that period. */
export const findBenchmark = (values: readonly BenchmarkValue[], mapping: FingertipsMapping, period: Period, areaCode: string = ENGLAND_AREA_CODE): BenchmarkFound | null => {
  let best: { found: BenchmarkFound; rank: number } | null = null;
  for (const v of benchmarkSeries(values, mapping, areaCode)) {
    const match = matchBenchmarkPeriod(period, v.period);
    if (match === null) continue;
    const rank = (match.kind === 'same' ? 0 : 2) + (v.age === mapping.age ? 0 : 1);
    if (best === null || rank < best.rank) best = { found: { value: v, period: match }, rank };
  }
  return best?.found ?? null;
};
