/**
 * The outcomes dashboard (GET /api/dashboard) and indicator trends (GET /api/indicators/:id/trend).
 * Figures: data/dashboard.ts (engine counts → core's publishIndicator).
 */
import { INDICATOR_CATALOGUE, UserError, disclosureStatement, type Breakdown, type IndicatorDefinition, type IndicatorEngine, type PublishedRow } from '@openphm/core';
import { type ServerContext } from '../context.js';
import { areaInequality, compareWithBenchmark, dataPeriods, pointOf, publishedRow, type DashboardArea } from './dashboard.js';
import { geoNames, groupLabel } from './features.js';
import { NotImplementedError } from '@openphm/core';
import { type DashboardIndicator, type DashboardResponseT, type IndicatorTrend } from '@openphm/api-contract';
import { indicatorSummary } from './indicator-results.js';
export const engineOf = (ctx: ServerContext): IndicatorEngine => {
  if (ctx.indicatorEngine === undefined) throw new NotImplementedError('indicator results are not available yet');
  return ctx.indicatorEngine;
};

const dashboardIndicator = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, area: DashboardArea, icsName: string): Promise<DashboardIndicator> => {
  const periods = await dataPeriods(ctx, definition.periodYears);
  const breakdown: Breakdown = area.level === 'ics' ? 'ics' : 'place';
  const group = area.level === 'ics' ? 'ICS' : area.id;
  const trend = [];
  for (const period of periods) trend.push(pointOf(period, await publishedRow(ctx, engine, definition, period, breakdown, group)));
  const latest = trend[trend.length - 1]!;
  const latestPeriod = periods[periods.length - 1]!;
  const benchmark = area.level === 'ics' ? null : { areaId: 'ics' as const, name: icsName, value: pointOf(latestPeriod, await publishedRow(ctx, engine, definition, latestPeriod, 'ics', 'ICS')).value };
  return {
    id: definition.id,
    title: definition.title,
    definition: definition.definition,
    unit: definition.unit,
    polarity: definition.polarity,
    themes: [...definition.themes],
    periodYears: definition.periodYears,
    latest,
    trend,
    benchmark,
    comparison: compareWithBenchmark(latest, benchmark?.value ?? null, definition.polarity),
    inequality: await areaInequality(ctx, engine, definition, latestPeriod, area),
  };
};

/** The dashboard for the ICS or one place (throws not-found for an unknown place). */
export const dashboard = async (ctx: ServerContext, engine: IndicatorEngine, areaText: string): Promise<DashboardResponseT> => {
  const geo = await geoNames(ctx);
  const area: DashboardArea = areaText === 'ics' ? { level: 'ics', id: 'ics' } : { level: 'place', id: areaText.slice('place:'.length) };
  if (area.level === 'place' && !geo.places.has(area.id)) throw new UserError(`no place '${area.id}' in this database`, 'not-found');
  const indicators: DashboardIndicator[] = [];
  for (const definition of INDICATOR_CATALOGUE) {
    if (area.level === 'place' && definition.breakdowns && !definition.breakdowns.includes('place')) continue;
    indicators.push(await dashboardIndicator(ctx, engine, definition, area, geo.icsName));
  }
  const suppressedCells = indicators.reduce((a, i) => a + i.trend.filter((p) => p.suppressed).length, 0);
  return {
    area: { id: areaText, name: area.level === 'ics' ? geo.icsName : geo.places.get(area.id)!, level: area.level },
    indicators,
    disclosure: disclosureStatement(suppressedCells),
  };
};

/** The series of periods for one indicator and group, each published as /results publishes it. */
export const indicatorTrend = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, breakdown: Breakdown, group: string): Promise<IndicatorTrend> => {
  const periods = await dataPeriods(ctx, definition.periodYears);
  const rows: (PublishedRow | undefined)[] = [];
  for (const period of periods) rows.push(await publishedRow(ctx, engine, definition, period, breakdown, group));
  if (rows.every((r) => r === undefined)) throw new UserError(`indicator ${definition.id} has no group '${group}' by ${breakdown}`, 'not-found');
  const trend = periods.map((p, i) => pointOf(p, rows[i]));
  return {
    indicator: indicatorSummary(definition),
    breakdown,
    group,
    groupLabel: groupLabel(await geoNames(ctx), breakdown, group),
    trend,
    disclosure: disclosureStatement(trend.filter((p) => p.suppressed).length),
  };
};


