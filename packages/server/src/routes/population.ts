import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cached, type ServerContext } from '../context.js';
import { cachedJson, sendPrepared } from '../json.js';
import { sendCsv } from '../csv.js';
import { parseArea, populationCsv, populationSummary } from '../data/population.js';
import { ErrorSchema, PopulationQuery, PopulationSummary } from '@openphm/api-contract';

export const populationRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/population/summary',
      {
        schema: {
          tags: ['population'],
          summary: 'People alive at the end of the data window in an area: total, age-sex pyramid (ESP 5-year bands), IMD deciles and a breakdown by the next level down; small numbers suppressed',
          querystring: PopulationQuery,
          response: { 200: PopulationSummary, 400: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { area, format, table } = request.query;
        const compute = () => cached(ctx, 'population/summary', { area }, () => populationSummary(ctx.data, parseArea(area)));
        if (format === 'csv') return sendCsv(reply, `population-${area}-${table}.csv`, populationCsv(await compute(), table));
        return sendPrepared(request, reply, await cachedJson(ctx, 'population/summary', { area }, PopulationSummary, compute));
      },
    );
  };
