/**
 * Indicators: the catalogue (from core) and results by breakdown, evaluated by core's
 * evaluateIndicator on counts from an IndicatorEngine.
 *
 * Pass `indicatorEngine` to createServer (the DuckDB engine, `createDuckDbEngine(db)` from
 * @openphm/store-duckdb) to switch results on; without one the results, trend and dashboard routes
 * answer 501 and the catalogue says resultsAvailable: false. Engine counts are kept per data
 * version (data/dashboard.ts), so results, trends and the dashboard share them.
 */
import { IndicatorCatalogueQuery, IndicatorCatalogueResponse, IndicatorParams, IndicatorResultsQuery, IndicatorResultsResponse } from '@openphm/api-contract';
import { sendCsv } from '../csv.js';
import { indicatorCatalogue, indicatorCatalogueCsv, resultsTable } from '../data/indicator-results.js';
import { route, routes } from '../routing.js';
import { sendTable } from '../tables.js';

export const indicatorRoutes = routes('indicators', (ctx) => [
  route(
    'GET /api/indicators',
    { summary: 'The indicator catalogue', querystring: IndicatorCatalogueQuery, ok: IndicatorCatalogueResponse, errors: [400] },
    async (request, reply) => {
      const catalogue = indicatorCatalogue(ctx);
      if (request.query.format === 'json') return catalogue;
      const file = indicatorCatalogueCsv(catalogue);
      return sendCsv(reply, file.fileName, file.text);
    },
  ),
  route(
    'GET /api/indicators/:id/results',
    {
      summary: 'One indicator for the latest period by a breakdown, disclosure-controlled (501 until an indicator engine is wired)',
      params: IndicatorParams,
      querystring: IndicatorResultsQuery,
      ok: IndicatorResultsResponse,
      errors: [400, 404, 501],
    },
    async (request, reply) => sendTable(ctx, request, reply, request.query.format, resultsTable(ctx, request.params.id, request.query.by)),
  ),
]);
