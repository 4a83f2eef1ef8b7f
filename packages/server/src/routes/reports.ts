/**
 * Board reports: a strategy's quarterly report (purpose, background, main issues by exception,
 * governance, conclusions, recommendations), as JSON or as a Markdown paper; for signed-in staff
 * and board members.
 */
import { BoardReportResponse, ReportQuery, StrategyParams } from '@openphm/api-contract';
import { sendText } from '../csv.js';
import { boardReport } from '../data/board-report.js';
import { route, routes } from '../routing.js';

export const reportRoutes = routes('delivery', (ctx) => [
  route(
    'GET /api/strategies/:strategyId/report',
    {
      summary: 'The quarterly board report (purpose, background, main issues by exception, governance, conclusions, recommendations)',
      params: StrategyParams,
      querystring: ReportQuery,
      ok: BoardReportResponse,
      errors: [400, 401, 403, 404, 501],
    },
    async (request, reply) => {
      const report = await boardReport(ctx, request.params.strategyId, request.query);
      if (report.format === 'markdown') return sendText(reply, 'text/markdown; charset=utf-8', 'inline', report.fileName, report.text);
      return report.body;
    },
  ),
]);
