/**
 * The outcomes dashboard (GET /api/dashboard) and indicator trends (GET /api/indicators/:id/trend).
 * Figures: data/dashboard.ts (engine counts → core's publishIndicator).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INDICATOR_CATALOGUE, UserError, disclosureStatement, findIndicator, type Breakdown, type IndicatorDefinition, type IndicatorEngine, type PublishedRow } from '@openphm/core';
import { cached, type ServerContext } from '../context.js';
import { sendCsv, toCsv } from '../csv.js';
import { areaInequality, compareWithBenchmark, dataPeriods, pointOf, publishedRow, type DashboardArea } from '../data/dashboard.js';
import { geoNames, groupLabel } from '../data/features.js';
import { cachedJson, sendPrepared } from '../json.js';
import { FieldValidationError, NotImplementedError } from '../errors.js';
import { DashboardQuery, DashboardResponse, ErrorSchema, IndicatorParams, IndicatorTrendQuery, IndicatorTrendResponse, type DashboardIndicator, type DashboardResponseT, type IndicatorTrend } from '@openphm/api-contract';
import { indicatorSummary } from './indicators.js';

const engineOf = (ctx: ServerContext): IndicatorEngine => {
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

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : v);

export const dashboardRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/dashboard',
      {
        schema: {
          tags: ['indicators'],
          summary: 'The outcomes dashboard for the ICS or a place: every indicator, latest period, trend, ICS benchmark and comparison, inequality across IMD deciles; disclosure-controlled',
          querystring: DashboardQuery,
          response: { 200: DashboardResponse, 400: ErrorSchema, 404: ErrorSchema, 501: ErrorSchema },
        },
      },
      async (request, reply) => {
        const engine = engineOf(ctx);
        const { area, format } = request.query;
        const body = () => cached(ctx, 'dashboard', { area }, () => dashboard(ctx, engine, area));
        if (format === 'json') return sendPrepared(request, reply, await cachedJson(ctx, 'dashboard', { area }, DashboardResponse, body));
        {
          const columns = ['area', 'indicator_id', 'title', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'unit', 'suppressed', 'benchmark', 'comparison', 'gap', 'sii', 'note'];
          return sendCsv(
            reply,
            `dashboard-${area}.csv`,
            toCsv(
              columns,
              (await body()).indicators.map((i) => [
                area, i.id, i.title, i.latest.period.label, num(i.latest.value), num(i.latest.lower95), num(i.latest.upper95),
                i.latest.suppressed && i.latest.numerator === null ? '[c]' : num(i.latest.numerator),
                i.latest.suppressed && i.latest.denominator === null ? '[c]' : num(i.latest.denominator),
                i.unit, i.latest.suppressed, num(i.benchmark?.value), i.comparison, num(i.inequality?.gap), num(i.inequality?.sii), i.latest.note,
              ]),
            ),
          );
        }
      },
    );

    app.get(
      '/api/indicators/:id/trend',
      {
        schema: {
          tags: ['indicators'],
          summary: 'One indicator for every period of the data window, for one group of a breakdown; disclosure-controlled',
          params: IndicatorParams,
          querystring: IndicatorTrendQuery,
          response: { 200: IndicatorTrendResponse, 400: ErrorSchema, 404: ErrorSchema, 501: ErrorSchema },
        },
      },
      async (request, reply) => {
        const definition = findIndicator(request.params.id);
        if (!definition) throw new UserError(`no indicator '${request.params.id}' in the catalogue`, 'not-found');
        const engine = engineOf(ctx);
        const breakdown = request.query.by;
        if (definition.breakdowns && !definition.breakdowns.includes(breakdown)) {
          throw new UserError(`indicator ${definition.id} has no '${breakdown}' breakdown (it has ${definition.breakdowns.join(', ')})`, 'usage');
        }
        const group = breakdown === 'ics' ? 'ICS' : request.query.group;
        if (group === undefined) {
          const message = `required with by=${breakdown} (a group listed by /api/indicators/${definition.id}/results?by=${breakdown})`;
          throw new FieldValidationError(`invalid querystring: group: ${message}`, [{ field: 'group', message }]);
        }
        const params = { id: definition.id, version: definition.version, breakdown, group };
        if (request.query.format === 'json') {
          return sendPrepared(request, reply, await cachedJson(ctx, 'indicators/trend', params, IndicatorTrendResponse, () => indicatorTrend(ctx, engine, definition, breakdown, group)));
        }
        const body = await cached(ctx, 'indicators/trend', params, () => indicatorTrend(ctx, engine, definition, breakdown, group));
        {
          return sendCsv(
            reply,
            `${definition.id}-${breakdown}-${group}-trend.csv`,
            toCsv(
              ['indicator_id', 'breakdown', 'group', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'suppressed', 'note'],
              body.trend.map((p) => [definition.id, breakdown, group, p.period.label, num(p.value), num(p.lower95), num(p.upper95), p.suppressed && p.numerator === null ? '[c]' : num(p.numerator), p.suppressed && p.denominator === null ? '[c]' : num(p.denominator), p.suppressed, p.note]),
            ),
          );
        }
      },
    );
  };
