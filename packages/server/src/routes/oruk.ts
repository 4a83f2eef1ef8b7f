/**
 * The directory as an Open Referral UK feed (HSDS 3.0 API shapes), so other directories, service
 * finders and referral systems can read it: the root (version and profile), paginated services with
 * their one-to-one fields, fully nested services, and the taxonomy. Read-only and public.
 */
import { OrukJson, OrukPage, OrukQuery, OrukRoot, OrukServiceParams } from '@openphm/api-contract';
import { orukRoot, orukService, orukServices, orukTaxonomies, orukTaxonomyTerms } from '../data/oruk.js';
import { route, routes } from '../routing.js';

export const orukRoutes = routes('oruk', (ctx) => [
  route('GET /api/oruk', { summary: 'Open Referral UK feed: version and profile', ok: OrukRoot }, async () => orukRoot()),
  route(
    'GET /api/oruk/services',
    { summary: 'Open Referral UK: paginated services (active ones; one-to-one fields)', querystring: OrukQuery, ok: OrukPage, errors: [400] },
    async (request) => orukServices(ctx, request.query),
  ),
  route(
    'GET /api/oruk/services/:id',
    { summary: 'Open Referral UK: one fully nested service', params: OrukServiceParams, ok: OrukJson, errors: [404] },
    async (request) => orukService(ctx, request.params.id),
  ),
  route('GET /api/oruk/taxonomies', { summary: 'Open Referral UK: the taxonomy of service categories', ok: OrukPage }, async () => orukTaxonomies()),
  route('GET /api/oruk/taxonomy_terms', { summary: 'Open Referral UK: the taxonomy terms', ok: OrukPage }, async () => orukTaxonomyTerms()),
]);
