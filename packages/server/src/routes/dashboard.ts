/**
 * The outcomes dashboard (GET /api/dashboard) and indicator trends (GET /api/indicators/:id/trend).
 * Figures: data/dashboard.ts (engine counts → core's publishIndicator).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UserError, findIndicator } from '@openphm/core';
import { cached, type ServerContext } from '../context.js';
import { csvNumber, sendCsv, toCsv } from '../csv.js';
import { cachedJson, sendPrepared } from '../json.js';
import { invalidRequest } from '../errors.js';
import { DashboardQuery, DashboardResponse, ErrorSchema, IndicatorParams, IndicatorTrendQuery, IndicatorTrendResponse } from '@openphm/api-contract';
import { dashboard, engineOf, indicatorTrend } from '../data/outcomes-dashboard.js';

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
                area, i.id, i.title, i.latest.period.label, csvNumber(i.latest.value), csvNumber(i.latest.lower95), csvNumber(i.latest.upper95),
                i.latest.suppressed && i.latest.numerator === null ? '[c]' : csvNumber(i.latest.numerator),
                i.latest.suppressed && i.latest.denominator === null ? '[c]' : csvNumber(i.latest.denominator),
                i.unit, i.latest.suppressed, csvNumber(i.benchmark?.value), i.comparison, csvNumber(i.inequality?.gap), csvNumber(i.inequality?.sii), i.latest.note,
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
          throw invalidRequest('querystring', [{ field: 'group', message }]);
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
              body.trend.map((p) => [definition.id, breakdown, group, p.period.label, csvNumber(p.value), csvNumber(p.lower95), csvNumber(p.upper95), p.suppressed && p.numerator === null ? '[c]' : csvNumber(p.numerator), p.suppressed && p.denominator === null ? '[c]' : csvNumber(p.denominator), p.suppressed, p.note]),
            ),
          );
        }
      },
    );
  };
