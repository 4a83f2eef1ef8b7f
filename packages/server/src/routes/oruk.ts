/**
 * The directory as an Open Referral UK feed (HSDS 3.0 API shapes), so other directories, service
 * finders and referral systems can read it: the root (version and profile), paginated services with
 * their one-to-one fields, fully nested services, and the taxonomy. Read-only and public.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SERVICE_CATEGORIES, UserError } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { geoNames } from '../data/features.js';
import { HSDS_PROFILE, HSDS_VERSION, ORUK_TAXONOMY_ID, orukServices, page, serviceFull, taxonomyTerm } from '../data/oruk.js';
import { getService } from '../operational/care.js';
import { ErrorSchema, OrukJson, OrukPage, OrukQuery, OrukRoot, OrukServiceParams } from '@openphm/api-contract';

export const orukRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/oruk',
      { schema: { tags: ['oruk'], summary: 'Open Referral UK feed: version and profile', response: { 200: OrukRoot } } },
      async () => ({ version: HSDS_VERSION, profile: HSDS_PROFILE, openapi_url: '/api/openapi.json' }),
    );

    app.get(
      '/api/oruk/services',
      { schema: { tags: ['oruk'], summary: 'Open Referral UK: paginated services (active ones; one-to-one fields)', querystring: OrukQuery, response: { 200: OrukPage, 400: ErrorSchema } } },
      async (request) => {
        return orukServices(ctx, request.query);
      },
    );

    app.get(
      '/api/oruk/services/:id',
      { schema: { tags: ['oruk'], summary: 'Open Referral UK: one fully nested service', params: OrukServiceParams, response: { 200: OrukJson, 404: ErrorSchema } } },
      async (request) => {
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(request.params.id)) throw new UserError(`no service '${request.params.id}'`, 'not-found');
        return serviceFull(await getService(ctx.ops, request.params.id), await geoNames(ctx));
      },
    );

    app.get(
      '/api/oruk/taxonomies',
      { schema: { tags: ['oruk'], summary: 'Open Referral UK: the taxonomy of service categories', response: { 200: OrukPage } } },
      async () => page([{ id: ORUK_TAXONOMY_ID, name: 'OpenPHM social prescribing activities', description: 'Categories of community activity a link worker refers to', uri: '/api/oruk/taxonomy_terms', version: '1' }], 1, 50),
    );

    app.get(
      '/api/oruk/taxonomy_terms',
      { schema: { tags: ['oruk'], summary: 'Open Referral UK: the taxonomy terms', response: { 200: OrukPage } } },
      async () => page(SERVICE_CATEGORIES.map(taxonomyTerm), 1, 200),
    );
  };
