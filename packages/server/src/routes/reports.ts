/**
 * Board reports: a strategy's quarterly report (purpose, background, main issues by exception,
 * governance, conclusions, recommendations), as JSON or as a Markdown paper; for signed-in staff
 * and board members.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BoardReportResponse, ErrorSchema, ReportQuery, StrategyParams } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { sendText } from '../csv.js';
import { boardReport } from '../data/board-report.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const reportRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/strategies/:strategyId/report',
      {
        schema: {
          tags: ['delivery'],
          summary: 'The quarterly board report (purpose, background, main issues by exception, governance, conclusions, recommendations)',
          params: StrategyParams,
          querystring: ReportQuery,
          response: { 200: BoardReportResponse, ...ERRORS, 501: ErrorSchema },
        },
      },
      async (request, reply) => {
        const report = await boardReport(ctx, request.params.strategyId, request.query);
        if (report.format === 'markdown') return sendText(reply, 'text/markdown; charset=utf-8', 'inline', report.fileName, report.text);
        return report.body;
      },
    );
  };
