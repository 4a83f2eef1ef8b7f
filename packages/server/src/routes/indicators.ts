/**
 * Indicators: the catalogue (from core) and results by breakdown, evaluated by core's
 * evaluateIndicator on counts from an IndicatorEngine.
 *
 * Pass `indicatorEngine` to createServer (the DuckDB engine, `createDuckDbEngine(db)` from
 * @openphm/store-duckdb) to switch results on; without one the results, trend and dashboard routes
 * answer 501 and the catalogue says resultsAvailable: false. Engine counts are kept per data
 * version (data/dashboard.ts), so results, trends and the dashboard share them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INDICATOR_CATALOGUE, UserError, findIndicator } from '@openphm/core';
import { cached, type ServerContext } from '../context.js';
import { sendCsv, toCsv } from '../csv.js';
import { cachedJson, sendPrepared } from '../json.js';
import { NotImplementedError } from '@openphm/core';
import { ErrorSchema, IndicatorCatalogueQuery, IndicatorCatalogueResponse, IndicatorParams, IndicatorResultsQuery, IndicatorResultsResponse } from '@openphm/api-contract';
import { indicatorSummary, indicatorResults } from '../data/indicator-results.js';

export const indicatorRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/indicators',
      {
        schema: {
          tags: ['indicators'],
          summary: 'The indicator catalogue',
          querystring: IndicatorCatalogueQuery,
          response: { 200: IndicatorCatalogueResponse, 400: ErrorSchema },
        },
      },
      async (request, reply) => {
        const indicators = INDICATOR_CATALOGUE.map(indicatorSummary);
        if (request.query.format === 'csv') {
          return sendCsv(reply, 'indicators.csv', toCsv(['id', 'title', 'unit', 'polarity', 'themes'], indicators.map((i) => [i.id, i.title, i.unit, i.polarity, i.themes.join('; ')])));
        }
        return { indicators, resultsAvailable: ctx.indicatorEngine !== undefined };
      },
    );

    app.get(
      '/api/indicators/:id/results',
      {
        schema: {
          tags: ['indicators'],
          summary: 'One indicator for the latest period by a breakdown, disclosure-controlled (501 until an indicator engine is wired)',
          params: IndicatorParams,
          querystring: IndicatorResultsQuery,
          response: { 200: IndicatorResultsResponse, 400: ErrorSchema, 404: ErrorSchema, 501: ErrorSchema },
        },
      },
      async (request, reply) => {
        const definition = findIndicator(request.params.id);
        if (!definition) throw new UserError(`no indicator '${request.params.id}' in the catalogue`, 'not-found');
        const engine = ctx.indicatorEngine;
        if (engine === undefined) throw new NotImplementedError('indicator results are not available yet');
        const breakdown = request.query.by;
        if (definition.breakdowns && !definition.breakdowns.includes(breakdown)) {
          throw new UserError(`indicator ${definition.id} has no '${breakdown}' breakdown (it has ${definition.breakdowns.join(', ')})`, 'usage');
        }
        const params = { id: definition.id, version: definition.version, breakdown };
        const compute = () => cached(ctx, 'indicators/results', params, () => indicatorResults(ctx, engine, definition, breakdown));
        if (request.query.format === 'json') return sendPrepared(request, reply, await cachedJson(ctx, 'indicators/results', params, IndicatorResultsResponse, compute));
        const published = await compute();
        {
          const columns = ['indicator_id', 'indicator_version', 'title', 'period', 'breakdown', 'group', 'numerator', 'denominator', 'value', 'lower_95', 'upper_95', 'lower_99_8', 'upper_99_8', 'unit', 'suppressed', 'note'] as const;
          return sendCsv(reply, `${definition.id}-${breakdown}.csv`, toCsv(columns, published.rows.map((r) => columns.map((c) => (c === 'numerator' || c === 'denominator') && r.suppressed && r[c] === null ? '[c]' : r[c]))));
        }
      },
    );

  };
