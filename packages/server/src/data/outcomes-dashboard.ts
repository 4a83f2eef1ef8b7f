/**
 * The outcomes dashboard (GET /api/dashboard) and indicator trends (GET /api/indicators/:id/trend).
 * Figures: data/dashboard.ts (engine counts → core's publishIndicator).
 */
import { INDICATOR_CATALOGUE, INDICATOR_POLICY, UserError, disclosureStatement, type Breakdown, type IndicatorDefinition, type IndicatorEngine, type PublishedRow } from '@openphm/core';
import { type ServerContext } from '../context.js';
import { csvNumber, csvWithheld, toCsv } from '../csv.js';
import { invalidRequest } from '../errors.js';
import type { PublishedTable } from '../tables.js';
import { areaCells, areaInequality, compareWithBenchmark, dataPeriods, pointOf, publishedRow, trendCells, type DashboardArea } from './dashboard.js';
import { geoNames, groupLabel } from './features.js';
import { DashboardResponse, IndicatorTrendResponse, type DashboardIndicator, type DashboardResponseT, type IndicatorTrend } from '@openphm/api-contract';
import { catalogueIndicator, engineOf, indicatorSummary, requireBreakdown } from './indicator-results.js';
import { benchmarkStamp, englandFor, englandValues } from './benchmarks.js';
import { indicatorTables } from '@openphm/store-duckdb';
import { definitionHash } from './persisted-results.js';
import { servedWindow } from './window.js';
import type { StoredBenchmark } from '../operational/benchmarks.js';

/**
 * The memo key the precomputation holds while it counts the older periods of the dashboards' indicators
 * (warm.ts): until it has finished, the dashboards show the latest period only (trendsPending).
 */
export const TRENDS_COUNTING = 'dashboard-trends-counting';

/**
 * Whether the dashboards show the latest period only for now: the precomputation of this data version
 * is still counting the older periods (a cold start on new data). Without a precomputation (or once it
 * has counted them) a dashboard has every period.
 */
export const trendsPending = (ctx: ServerContext): boolean => {
  const version = ctx.data.version();
  return ctx.memo.holds(TRENDS_COUNTING, version) && !ctx.memo.has(TRENDS_COUNTING, version);
};

const dashboardIndicator = async (
  ctx: ServerContext,
  engine: IndicatorEngine,
  definition: IndicatorDefinition,
  area: DashboardArea,
  icsName: string,
  england: readonly StoredBenchmark[],
  latestOnly: boolean,
): Promise<DashboardIndicator> => {
  const all = await dataPeriods(ctx, definition.periodYears);
  const periods = latestOnly ? all.slice(-1) : all;
  const breakdown: Breakdown = area.level === 'ics' ? 'ics' : 'place';
  const group = area.level === 'ics' ? 'ICS' : area.id;
  // Every period by the areas (shared with the precomputation and the scorecards: one query an indicator).
  await areaCells(ctx, engine, definition, periods);
  const trend = [];
  for (const period of periods) trend.push(pointOf(period, await publishedRow(ctx, engine, definition, period, breakdown, group)));
  const latest = trend[trend.length - 1]!;
  const latestPeriod = periods[periods.length - 1]!;
  const latestEngland = englandFor(definition, latest, england);
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
    england: latestEngland.england,
    englandComparison: latestEngland.comparison,
    englandNote: latestEngland.note,
    englandTrend: trend.map((point) => {
      const e = englandFor(definition, point, england);
      return { period: point.period.label, england: e.england, comparison: e.comparison };
    }),
  };
};

/**
 * The dashboard for the ICS or one place (throws not-found for an unknown place); `latestOnly`: each
 * indicator's latest period alone (its trend that one point), while the older periods are counted.
 */
export const dashboard = async (ctx: ServerContext, engine: IndicatorEngine, areaText: string, latestOnly = false): Promise<DashboardResponseT> => {
  const geo = await geoNames(ctx);
  const area: DashboardArea = areaText === 'ics' ? { level: 'ics', id: 'ics' } : { level: 'place', id: areaText.slice('place:'.length) };
  if (area.level === 'place' && !geo.places.has(area.id)) throw new UserError(`no place '${area.id}' in this database`, 'not-found');
  const england = await englandValues(ctx);
  const indicators: DashboardIndicator[] = [];
  for (const definition of INDICATOR_CATALOGUE) {
    if (area.level === 'place' && definition.breakdowns && !definition.breakdowns.includes('place')) continue;
    indicators.push(await dashboardIndicator(ctx, engine, definition, area, geo.icsName, england, latestOnly));
  }
  const suppressedCells = indicators.reduce((a, i) => a + i.trend.filter((p) => p.suppressed).length, 0);
  return {
    area: { id: areaText, name: area.level === 'ics' ? geo.icsName : geo.places.get(area.id)!, level: area.level },
    indicators,
    trendsComplete: !latestOnly,
    disclosure: disclosureStatement(suppressedCells, INDICATOR_POLICY),
  };
};

/** The series of periods for one indicator and group, each published as /results publishes it. */
export const indicatorTrend = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, breakdown: Breakdown, group: string): Promise<IndicatorTrend> => {
  const periods = await dataPeriods(ctx, definition.periodYears);
  await trendCells(ctx, engine, definition, periods, [breakdown]);
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
    disclosure: disclosureStatement(trend.filter((p) => p.suppressed).length, INDICATOR_POLICY),
  };
};

const DASHBOARD_COLUMNS = ['area', 'indicator_id', 'title', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'unit', 'suppressed', 'benchmark', 'comparison', 'england', 'england_lower_95', 'england_upper_95', 'england_period', 'england_comparison', 'england_source', 'gap', 'sii', 'note'];

/**
 * The dashboard's cache parameters: the area and the stamp of the benchmark sets (a new import shows at
 * once); a latest-only dashboard (trendsPending) is kept apart from the whole one.
 */
export const dashboardParams = async (ctx: ServerContext, area: string, latestOnly = false): Promise<Record<string, unknown>> => ({
  area,
  benchmarks: await benchmarkStamp(ctx),
  ...(latestOnly ? { trends: 'pending' } : {}),
});

/** Every table some catalogue indicator reads. */
const DASHBOARD_TABLES = [...new Set(INDICATOR_CATALOGUE.flatMap((d) => indicatorTables(d)))];

/**
 * The dashboard kept on disk (data/persisted-results.ts): it depends on every catalogue indicator's
 * tables and definition, the data window and the England benchmark sets (their stamp).
 */
export const persistedDashboard = async (ctx: ServerContext, engine: IndicatorEngine, area: string, latestOnly = false): Promise<DashboardResponseT> => {
  const [benchmarks, window] = await Promise.all([benchmarkStamp(ctx), servedWindow(ctx)]);
  return ctx.results.get(
    ctx.data,
    {
      kind: 'dashboard',
      key: `${area}:${window.start ?? ''}:${window.end}`,
      code: `${engine.name}:${definitionHash(INDICATOR_CATALOGUE)}`,
      tables: DASHBOARD_TABLES,
      stamps: { benchmarks },
      schema: DashboardResponse,
      // While the trends are counted: the whole dashboard when the folder holds it (a restart), else the
      // latest period alone, which is never kept (the whole one replaces it once the trends are counted).
      keep: (value) => value.trendsComplete,
    },
    () => dashboard(ctx, engine, area, latestOnly),
  );
};

/** GET /api/dashboard: the dashboard of the ICS or a place (501 without an indicator engine). */
export const dashboardTable = async (ctx: ServerContext, area: string): Promise<PublishedTable<typeof DashboardResponse>> => {
  const engine = engineOf(ctx);
  // Decided once per request: the result cache keeps a latest-only answer under its own parameters.
  const latestOnly = trendsPending(ctx);
  return {
    endpoint: 'dashboard',
    params: await dashboardParams(ctx, area, latestOnly),
    schema: DashboardResponse,
    compute: () => persistedDashboard(ctx, engine, area, latestOnly),
    csv: (body) => ({
      fileName: `dashboard-${area}.csv`,
      text: toCsv(
        DASHBOARD_COLUMNS,
        body.indicators.map((i) => [
          area, i.id, i.title, i.latest.period.label, csvNumber(i.latest.value), csvNumber(i.latest.lower95), csvNumber(i.latest.upper95),
          csvWithheld(i.latest.suppressed, i.latest.numerator), csvWithheld(i.latest.suppressed, i.latest.denominator),
          i.unit, i.latest.suppressed, csvNumber(i.benchmark?.value), i.comparison,
          csvNumber(i.england?.value), csvNumber(i.england?.lower95), csvNumber(i.england?.upper95), i.england?.period ?? '', i.englandComparison, i.england ? `${i.england.note}; ${i.england.source}` : '',
          csvNumber(i.inequality?.gap), csvNumber(i.inequality?.sii), i.latest.note,
        ]),
      ),
    }),
  };
};

const TREND_COLUMNS = ['indicator_id', 'breakdown', 'group', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'suppressed', 'note'];

/**
 * GET /api/indicators/:id/trend: one indicator for every period, for one group of a breakdown
 * (404 for an unknown indicator, then 501 without an engine, then 400 for a breakdown it lacks or a missing group).
 */
export const trendTable = (ctx: ServerContext, id: string, breakdown: Breakdown, groupAsked: string | undefined): PublishedTable<typeof IndicatorTrendResponse> => {
  const definition = catalogueIndicator(id);
  const engine = engineOf(ctx);
  requireBreakdown(definition, breakdown);
  const group = breakdown === 'ics' ? 'ICS' : groupAsked;
  if (group === undefined) {
    const message = `required with by=${breakdown} (a group listed by /api/indicators/${definition.id}/results?by=${breakdown})`;
    throw invalidRequest('querystring', [{ field: 'group', message }]);
  }
  return {
    endpoint: 'indicators/trend',
    params: { id: definition.id, version: definition.version, breakdown, group },
    schema: IndicatorTrendResponse,
    compute: () => indicatorTrend(ctx, engine, definition, breakdown, group),
    csv: (body) => ({
      fileName: `${definition.id}-${breakdown}-${group}-trend.csv`,
      text: toCsv(
        TREND_COLUMNS,
        body.trend.map((p) => [definition.id, breakdown, group, p.period.label, csvNumber(p.value), csvNumber(p.lower95), csvNumber(p.upper95), csvWithheld(p.suppressed, p.numerator), csvWithheld(p.suppressed, p.denominator), p.suppressed, p.note]),
      ),
    }),
  };
};
