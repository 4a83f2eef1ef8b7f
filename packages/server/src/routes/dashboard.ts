/**
 * The outcomes dashboard (GET /api/dashboard) and indicator trends (GET /api/indicators/:id/trend).
 * Figures: data/dashboard.ts (engine counts → core's publishIndicator).
 */
import { DashboardQuery, DashboardResponse, IndicatorParams, IndicatorTrendQuery, IndicatorTrendResponse } from '@openphm/api-contract';
import { dashboardTable, trendTable } from '../data/outcomes-dashboard.js';
import { route, routes } from '../routing.js';
import { sendTable } from '../tables.js';

export const dashboardRoutes = routes('indicators', (ctx) => [
  route(
    'GET /api/dashboard',
    {
      summary: 'The outcomes dashboard for the ICS or a place: every indicator, latest period, trend, ICS benchmark and comparison, England (a real published Fingertips figure for the same period) and comparison, inequality across IMD deciles; disclosure-controlled',
      querystring: DashboardQuery,
      ok: DashboardResponse,
      errors: [400, 404, 501],
    },
    async (request, reply) => sendTable(ctx, request, reply, request.query.format, await dashboardTable(ctx, request.query.area)),
  ),
  route(
    'GET /api/indicators/:id/trend',
    {
      summary: 'One indicator for every period of the data window, for one group of a breakdown; disclosure-controlled',
      params: IndicatorParams,
      querystring: IndicatorTrendQuery,
      ok: IndicatorTrendResponse,
      errors: [400, 404, 501],
    },
    async (request, reply) => sendTable(ctx, request, reply, request.query.format, trendTable(ctx, request.params.id, request.query.by, request.query.group)),
  ),
]);
