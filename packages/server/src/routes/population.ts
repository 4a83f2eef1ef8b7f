/** The population of an area (GET /api/population/summary): published counts, as JSON or one table as CSV. */
import { PopulationQuery, PopulationSummary } from '@openphm/api-contract';
import { populationTable } from '../data/population.js';
import { route, routes } from '../routing.js';
import { sendTable } from '../tables.js';

export const populationRoutes = routes('population', (ctx) => [
  route(
    'GET /api/population/summary',
    {
      summary: 'People alive at the end of the data window in an area: total, age-sex pyramid (ESP 5-year bands), IMD deciles and a breakdown by the next level down; small numbers suppressed',
      querystring: PopulationQuery,
      ok: PopulationSummary,
      errors: [400, 404],
    },
    async (request, reply) => sendTable(ctx, request, reply, request.query.format, populationTable(ctx, request.query.area, request.query.table)),
  ),
]);
