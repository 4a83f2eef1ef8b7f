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
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cached, type ServerContext } from '../context.js';
import { csvCount, csvNumber, sendCsv, toCsv } from '../csv.js';
import { cachedJson, sendPrepared } from '../json.js';
import { ErrorSchema, RiskQuery, RiskResponse, SegmentsQuery, SegmentsResponse } from '@openphm/api-contract';
import { segmentSummary, riskDistribution } from '../data/summaries.js';

export const summaryRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/segments',
      {
        schema: {
          tags: ['segments'],
          summary: 'People in each segment of a built-in segmentation by a breakdown, optionally within an area; disclosure-controlled',
          querystring: SegmentsQuery,
          response: { 200: SegmentsResponse, 400: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { segmentation, by, area, format } = request.query;
        const compute = () => cached(ctx, 'segments', { segmentation, by, area }, () => segmentSummary(ctx, segmentation, by, area));
        if (format === 'json') return sendPrepared(request, reply, await cachedJson(ctx, 'segments', { segmentation, by, area }, SegmentsResponse, compute));
        const body = await compute();
        {
          return sendCsv(
            reply,
            `segments-${segmentation}-${by}${area ? `-${area}` : ''}.csv`,
            toCsv(
              ['area', 'segmentation', 'date', 'by', 'group', 'group_label', 'segment', 'people', 'group_people', 'share', 'suppressed'],
              body.rows.map((r) => [body.area.id, segmentation, body.date, by, r.group, r.groupLabel, r.segment, csvCount(r.people), csvCount(r.groupPeople), csvNumber(r.share), r.suppressed]),
            ),
          );
        }
      },
    );

    app.get(
      '/api/risk',
      {
        schema: {
          tags: ['segments'],
          summary: 'Frailty (eFI categories), long-term condition counts, multimorbidity score bands and Core20PLUS5 by a breakdown, optionally within an area; disclosure-controlled',
          querystring: RiskQuery,
          response: { 200: RiskResponse, 400: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { by, area, format } = request.query;
        const compute = () => cached(ctx, 'risk', { by, area }, () => riskDistribution(ctx, by, area));
        if (format === 'json') return sendPrepared(request, reply, await cachedJson(ctx, 'risk', { by, area }, RiskResponse, compute));
        const body = await compute();
        {
          return sendCsv(
            reply,
            `risk-${by}${area ? `-${area}` : ''}.csv`,
            toCsv(
              ['area', 'date', 'by', 'group', 'group_label', 'measure', 'category', 'people', 'group_people', 'share', 'suppressed'],
              body.rows.map((r) => [body.area.id, body.date, by, r.group, r.groupLabel, r.measure, r.category, csvCount(r.people), csvCount(r.groupPeople), csvNumber(r.share), r.suppressed]),
            ),
          );
        }
      },
    );
  };
