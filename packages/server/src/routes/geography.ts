/** The partnership's geography: its areas (JSON, or one table as CSV) and their boundaries as GeoJSON. */
import { FeatureCollectionSchema, GeographyQuery, GeographyResponse } from '@openphm/api-contract';
import { sendCsv } from '../csv.js';
import { geography, geographyCsv, lsoaGeojson, neighbourhoodGeojson } from '../data/geography.js';
import { sendDataDocument } from '../json.js';
import { route, routes } from '../routing.js';

const GEOJSON = 'application/geo+json; charset=utf-8';

export const geographyRoutes = routes('geography', (ctx) => [
  route(
    'GET /api/geography',
    { summary: 'The ICS, its places, local authorities and neighbourhoods with mid-2015 populations', querystring: GeographyQuery, ok: GeographyResponse, errors: [400] },
    async (request, reply) => {
      const geo = await geography(ctx);
      if (request.query.format === 'json') return geo;
      const file = geographyCsv(geo, request.query.table);
      return sendCsv(reply, file.fileName, file.text);
    },
  ),
  route(
    'GET /api/geography/lsoa.geojson',
    {
      summary: 'LSOA boundaries (simplified) with IMD 2019 decile, neighbourhood and mid-2015 population; Crown copyright in metadata.attribution',
      ok: FeatureCollectionSchema,
      errors: [404],
    },
    async (request, reply) => sendDataDocument(ctx, request, reply, 'lsoa.geojson', GEOJSON, () => lsoaGeojson(ctx)),
  ),
  route(
    'GET /api/geography/neighbourhoods.geojson',
    { summary: 'Neighbourhood outlines (their LSOAs dissolved, simplified); Crown copyright in metadata.attribution', ok: FeatureCollectionSchema, errors: [404] },
    async (request, reply) => sendDataDocument(ctx, request, reply, 'neighbourhoods.geojson', GEOJSON, () => neighbourhoodGeojson(ctx)),
  ),
]);
