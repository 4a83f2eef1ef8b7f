/**
 * A strategy's scorecard: every measure with its values over the data's periods, its baseline,
 * target and trajectory, and its status (core's assessMeasure). Indicator measures take the
 * published (disclosure-controlled) value for the measure's area each period, as the dashboard
 * publishes it; inequality measures take the size of the gap or SII across IMD deciles in the area;
 * manual measures take the values their owners recorded. Indicator values are kept per data version.
 */
import {
  INDICATOR_CATALOGUE,
  areaPlace,
  assessMeasure,
  findIndicator,
  fromPublished,
  measureArea,
  measurePolarity,
  periodLastDay,
  publishReported,
  strategyMeasures,
  type AreaRef,
  type Baseline,
  type IndicatorEngine,
  type Figure,
  type MeasureAssessment,
  type MeasurePolarity,
  type Strategy,
  type StrategyMeasure,
  type Target,
} from '@openphm/core';
import { memoised, type ServerContext } from '../context.js';
import { NotImplementedError } from '@openphm/core';
import { listMeasureValues, type MeasureValue } from '../operational/delivery.js';
import { areaCells, areaInequality, dataPeriods, publishedRow } from './dashboard.js';
import { referralRatePoints, type PublishedPoint } from './referral-reach.js';
import { geoNames } from './features.js';

export interface ScorecardMeasure {
  readonly id: string;
  readonly title: string;
  readonly priorityId: string;
  readonly ambitionId: string;
  readonly area: AreaRef;
  readonly areaName: string;
  readonly source: StrategyMeasure['source'];
  /** Where the values come from, in words. */
  readonly sourceLabel: string;
  readonly unit: string;
  readonly polarity: MeasurePolarity;
  readonly owner: string | null;
  readonly note: string | null;
  /** The baseline, target and polarity as the strategy states them (polarity null: the indicator's own). */
  readonly agreed: { readonly baseline: Baseline | null; readonly target: Target | null; readonly polarity: MeasurePolarity | null };
  /** Values, oldest first (null when withheld or not computable), as published. */
  readonly points: readonly PublishedPoint[];
  /** The straight line from baseline to target (two points), when both are known. */
  readonly trajectory: readonly { readonly date: string; readonly value: number }[];
  readonly assessment: MeasureAssessment;
}

/** Absolute value of a published statistic and its 95% limits (the interval flips with the sign). */
const magnitude = (value: Figure, lower: Figure, upper: Figure): { value: Figure; lower95: Figure; upper95: Figure } => {
  if (value === null) return { value: null, lower95: null, upper95: null };
  if (value >= 0) return { value, lower95: lower, upper95: upper };
  return { value: fromPublished(-value), lower95: upper === null ? null : fromPublished(-upper), upper95: lower === null ? null : fromPublished(-lower) };
};

const indicatorPoints = (ctx: ServerContext, engine: IndicatorEngine, measure: StrategyMeasure, area: AreaRef): Promise<PublishedPoint[]> =>
  memoised(ctx, `scorecard-points:${JSON.stringify(measure.source)}:${area}`, async () => {
    if (measure.source.kind === 'manual' || measure.source.kind === 'social-prescribing') return [];
    const definition = findIndicator(measure.source.indicatorId)!;
    const place = areaPlace(area);
    const points: PublishedPoint[] = [];
    const periods = await dataPeriods(ctx, definition.periodYears);
    // Every period counted together by the areas the dashboards show too (one query, shared with them).
    await areaCells(ctx, engine, definition, periods);
    for (const period of periods) {
      const date = periodLastDay(period);
      if (measure.source.kind === 'indicator') {
        const row = await publishedRow(ctx, engine, definition, period, place === null ? 'ics' : 'place', place ?? 'ICS');
        points.push({ date, label: period.label, value: row?.value ?? null, lower95: row?.lower_95 ?? null, upper95: row?.upper_95 ?? null, suppressed: row?.suppressed ?? true });
      } else {
        const inequality = await areaInequality(ctx, engine, definition, period, place === null ? { level: 'ics', id: 'ics' } : { level: 'place', id: place });
        const v =
          inequality === null || inequality.suppressed
            ? { value: null, lower95: null, upper95: null }
            : measure.source.statistic === 'gap'
              ? magnitude(inequality.gap, null, null)
              : magnitude(inequality.sii, inequality.siiLower95, inequality.siiUpper95);
        points.push({ date, label: period.label, ...v, suppressed: inequality?.suppressed ?? false });
      }
    }
    return points;
  });

/** Values the measure's owner reported (from outside OpenPHM's person-level data): published as reported. */
const manualPoints = (values: readonly MeasureValue[], measureId: string): PublishedPoint[] =>
  values.filter((v) => v.measureId === measureId).map((v) => ({ date: v.periodEnd, label: v.periodLabel, value: publishReported(v.value) }));

const sourceLabel = (measure: StrategyMeasure): string => {
  const s = measure.source;
  if (s.kind === 'manual') return 'Reported by the measure owner';
  if (s.kind === 'social-prescribing') return 'Social prescribing referrals recorded in OpenPHM, per 1,000 adults a year';
  const title = findIndicator(s.indicatorId)!.title;
  return s.kind === 'indicator' ? title : `${s.statistic === 'gap' ? 'Gap between the most and least deprived deciles' : 'Slope index of inequality across IMD deciles'}: ${title}`;
};

/** The scorecard of a strategy: every measure in priority and ambition order. */
export const strategyScorecard = async (ctx: ServerContext, strategy: Strategy): Promise<ScorecardMeasure[]> => {
  const engine = ctx.indicatorEngine;
  const all = strategyMeasures(strategy);
  const needsEngine = (m: StrategyMeasure) => m.source.kind === 'indicator' || m.source.kind === 'inequality';
  if (engine === undefined && all.some((x) => needsEngine(x.measure))) throw new NotImplementedError('indicator results are not available yet');
  const geo = await geoNames(ctx);
  const manual = await listMeasureValues(ctx.ops, strategy.id);
  const out: ScorecardMeasure[] = [];
  for (const { priority, ambition, measure } of all) {
    const area = measureArea(strategy, measure);
    const points =
      measure.source.kind === 'manual'
        ? manualPoints(manual, measure.id)
        : measure.source.kind === 'social-prescribing'
          ? await referralRatePoints(ctx, areaPlace(area))
          : await indicatorPoints(ctx, engine!, measure, area);
    const polarity = measurePolarity(measure, INDICATOR_CATALOGUE);
    const assessment = assessMeasure(measure, polarity, points, ctx.today());
    const place = areaPlace(area);
    out.push({
      id: measure.id,
      title: measure.title,
      priorityId: priority.id,
      ambitionId: ambition.id,
      area,
      areaName: place === null ? geo.icsName : (geo.places.get(place) ?? place),
      source: measure.source,
      sourceLabel: sourceLabel(measure),
      unit: measure.source.kind === 'manual' ? measure.source.unit : measure.source.kind === 'social-prescribing' ? 'per 1,000 adults' : findIndicator(measure.source.indicatorId)!.unit,
      polarity,
      owner: measure.owner ?? null,
      note: measure.note ?? null,
      agreed: { baseline: measure.baseline ?? null, target: measure.target ?? null, polarity: measure.polarity ?? null },
      points,
      trajectory: assessment.baseline && assessment.target ? [{ date: assessment.baseline.date, value: assessment.baseline.value }, { date: assessment.target.date, value: assessment.target.value }] : [],
      assessment,
    });
  }
  return out;
};
