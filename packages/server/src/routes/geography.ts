import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cached, type ServerContext } from '../context.js';
import { objectsToCsv, replied, sendCsv } from '../csv.js';
import { loadLsoaPolygons, lsoaFeatureCollection, neighbourhoodFeatureCollection } from '../data/boundaries.js';
import { geographySummary, lsoaProperties, neighbourhoodProperties } from '../data/geography.js';
import { ErrorSchema, FeatureCollectionSchema, GeographyQuery, GeographyResponse } from '@openphm/api-contract';

export const geographyRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/geography',
      {
        schema: {
          tags: ['geography'],
          summary: 'The ICS, its places, local authorities and neighbourhoods with mid-2015 populations',
          querystring: GeographyQuery,
          response: { 200: GeographyResponse, 400: ErrorSchema },
        },
      },
      async (request, reply) => {
        const geo = await cached(ctx, 'geography', {}, () => geographySummary(ctx.data));
        if (request.query.format === 'csv') {
          const { table } = request.query;
          const text =
            table === 'places'
              ? objectsToCsv(['id', 'name', 'population'], geo.places)
              : table === 'local-authorities'
                ? objectsToCsv(['code', 'name', 'place'], geo.localAuthorities)
                : objectsToCsv(['id', 'name', 'place', 'pcnCode', 'population', 'lsoaCount'], geo.neighbourhoods);
          return sendCsv(reply, `${table}.csv`, text);
        }
        return geo;
      },
    );

    const geojson = (name: string, build: () => Promise<unknown>) =>
      async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
        const version = ctx.data.version();
        const etag = `"${createHash('sha1').update(`${name}:${version}`).digest('base64url')}"`;
        reply.header('etag', etag);
        reply.header('cache-control', 'no-cache');
        if (request.headers['if-none-match'] === etag) return replied(reply.code(304).send());
        // Cached as serialised JSON: sent as is, without re-serialising a large document per request.
        const text = await cached(ctx, name, {}, async () => JSON.stringify(await build()));
        return replied(reply.type('application/geo+json; charset=utf-8').send(text));
      };

    app.get(
      '/api/geography/lsoa.geojson',
      {
        schema: {
          tags: ['geography'],
          summary: 'LSOA boundaries (simplified) with IMD 2019 decile, neighbourhood and mid-2015 population; Crown copyright in metadata.attribution',
          response: { 200: FeatureCollectionSchema, 404: ErrorSchema },
        },
      },
      geojson('lsoa.geojson', async () => lsoaFeatureCollection(await loadLsoaPolygons(ctx.sharedDataDir), await lsoaProperties(ctx.data))),
    );

    app.get(
      '/api/geography/neighbourhoods.geojson',
      {
        schema: {
          tags: ['geography'],
          summary: 'Neighbourhood outlines (their LSOAs dissolved, simplified); Crown copyright in metadata.attribution',
          response: { 200: FeatureCollectionSchema, 404: ErrorSchema },
        },
      },
      geojson('neighbourhoods.geojson', async () => {
        const { neighbourhoods, lsoaCodesOf } = await neighbourhoodProperties(ctx.data);
        return neighbourhoodFeatureCollection(await loadLsoaPolygons(ctx.sharedDataDir), neighbourhoods, lsoaCodesOf);
      }),
    );
  };
