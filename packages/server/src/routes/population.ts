import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cached, type ServerContext } from '../context.js';
import { cachedJson, sendPrepared } from '../json.js';
import { sendCsv, toCsv } from '../csv.js';
import { parseArea, populationSummary } from '../data/population.js';
import { ErrorSchema, PopulationQuery, PopulationSummary, type PopulationSummaryT } from '@openphm/api-contract';

/** Suppressed counts are written as [c] (the ONS marker for confidential) in CSV files. */
export const csvCount = (n: number | null): string | number => (n === null ? '[c]' : n);

export const populationCsv = (s: PopulationSummaryT, table: 'pyramid' | 'imd-decile' | 'breakdown'): string => {
  if (table === 'pyramid') return toCsv(['area', 'age_band', 'female', 'male'], s.pyramid.map((r) => [s.area.id, r.ageBand, csvCount(r.female), csvCount(r.male)]));
  if (table === 'imd-decile') return toCsv(['area', 'imd_decile', 'people'], s.byImdDecile.map((r) => [s.area.id, r.imdDecile, csvCount(r.count)]));
  return toCsv(['area', s.breakdown.by, 'name', 'people'], s.breakdown.rows.map((r) => [s.area.id, r.id, r.name, csvCount(r.count)]));
};

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
