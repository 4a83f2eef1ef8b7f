/** The partnership's geography: its areas (JSON, or one table as CSV), their boundaries as GeoJSON, postcode search, and neighbourhood names (admins). */
import {
  FeatureCollectionSchema,
  GeographyQuery,
  GeographyResponse,
  NeighbourhoodNameBody,
  NeighbourhoodNameResponse,
  NeighbourhoodNamesResponse,
  NeighbourhoodParams,
  PostcodeAreaResponse,
  PostcodeQuery,
} from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import { sendCsv } from '../csv.js';
import { geography, geographyCsv, lsoaGeojson, neighbourhoodGeojson, neighbourhoodGeojsonName, placeGeojson } from '../data/geography.js';
import { listNeighbourhoodNames, renameNeighbourhood } from '../data/neighbourhood-names.js';
import { findPostcode } from '../data/postcode-search.js';
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
    async (request, reply) => sendDataDocument(ctx, request, reply, await neighbourhoodGeojsonName(ctx), GEOJSON, () => neighbourhoodGeojson(ctx)),
  ),
  route(
    'GET /api/geography/places.geojson',
    { summary: 'Place outlines (their LSOAs dissolved, simplified); Crown copyright in metadata.attribution', ok: FeatureCollectionSchema, errors: [404] },
    async (request, reply) => sendDataDocument(ctx, request, reply, 'places.geojson', GEOJSON, () => placeGeojson(ctx)),
  ),
  route(
    'GET /api/geography/postcode',
    {
      summary: 'The areas a postcode lies in (2011 LSOA, neighbourhood, place): areas only, never people; 400 not a postcode, 404 unknown or outside the partnership',
      querystring: PostcodeQuery,
      ok: PostcodeAreaResponse,
      errors: [400, 404],
    },
    async (request) => findPostcode(ctx, request.query.postcode),
  ),
  route(
    'GET /api/admin/neighbourhoods',
    { summary: "Every neighbourhood's name, its PCN's name beside it, and who renamed it when (admin only)", ok: NeighbourhoodNamesResponse, errors: [401, 403] },
    async () => ({ neighbourhoods: await listNeighbourhoodNames(ctx) }),
  ),
  route(
    'PUT /api/admin/neighbourhoods/:neighbourhoodId/name',
    {
      summary: "Rename a neighbourhood (admin only), or name it after its PCN again (name: null); shown wherever its name is; audited",
      params: NeighbourhoodParams,
      body: NeighbourhoodNameBody,
      ok: NeighbourhoodNameResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await renameNeighbourhood(ctx, request.params.neighbourhoodId, request.body.name, actorOf(request))),
  ),
]);
