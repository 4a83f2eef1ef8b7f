/**
 * Segment and risk summaries (GET /api/segments, GET /api/risk): counts over the person features of
 * the current data version (data/features.ts), by a breakdown and optionally within an area,
 * published through disclosure control (store-duckdb's publishSegmentCounts / publishRiskSummary,
 * which protect each group × category table with its margins).
 *
 * Within an area the breakdown is crossed with the area's level (place × decile, …) and only the
 * area's groups are kept; they are then protected as a table of their own, whose margins are the
 * area's totals, so no withheld cell can be recovered from the area's published figures.
 */
import { RiskQuery, RiskResponse, SegmentsQuery, SegmentsResponse } from '@openphm/api-contract';
import { riskTable, segmentsTable } from '../data/summaries.js';
import { route, routes } from '../routing.js';
import { sendTable } from '../tables.js';

export const summaryRoutes = routes('segments', (ctx) => [
  route(
    'GET /api/segments',
    {
      summary: 'People in each segment of a built-in segmentation by a breakdown, optionally within an area; disclosure-controlled',
      querystring: SegmentsQuery,
      ok: SegmentsResponse,
      errors: [400, 404],
    },
    async (request, reply) => {
      const { segmentation, by, area, format } = request.query;
      return sendTable(ctx, request, reply, format, segmentsTable(ctx, segmentation, by, area));
    },
  ),
  route(
    'GET /api/risk',
    {
      summary: 'Frailty (eFI categories), long-term condition counts, multimorbidity score bands and Core20PLUS5 by a breakdown, optionally within an area; disclosure-controlled',
      querystring: RiskQuery,
      ok: RiskResponse,
      errors: [400, 404],
    },
    async (request, reply) => sendTable(ctx, request, reply, request.query.format, riskTable(ctx, request.query.by, request.query.area)),
  ),
]);
