/**
 * The directory as an Open Referral UK feed (HSDS 3.0 API shapes), so other directories, service
 * finders and referral systems can read it: the root (version and profile), paginated services with
 * their one-to-one fields, fully nested services, and the taxonomy. Read-only and public.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SERVICE_CATEGORIES, UserError, searchDirectory, type ServiceCategory } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { geoNames, type GeoNames } from '../data/features.js';
import { getService, listServices, type StoredService } from '../operational/care.js';
import { ErrorSchema, OrukJson, OrukPage, OrukQuery, OrukRoot, OrukServiceParams } from '@openphm/api-contract';
import { areaName } from './care.js';

export const ORUK_TAXONOMY_ID = 'openphm-social-prescribing';
const HSDS_VERSION = '3.0';
const HSDS_PROFILE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema';

const taxonomyTerm = (c: (typeof SERVICE_CATEGORIES)[number]) => ({ id: c.id, code: c.id, name: c.label, description: c.label, taxonomy: ORUK_TAXONOMY_ID, taxonomy_id: ORUK_TAXONOMY_ID, parent_id: null, language: 'en' });

/** The one-to-one fields of an HSDS service (the paginated list). */
const serviceList = (s: StoredService) => {
  const e = s.entry;
  return {
    id: e.id,
    organization_id: e.organisation.id,
    name: e.name,
    description: e.description,
    url: e.contact.url ?? null,
    email: e.contact.email ?? null,
    status: e.status,
    fees_description: e.cost,
    eligibility_description: e.eligibility.description ?? null,
    minimum_age: e.eligibility.minAge ?? null,
    maximum_age: e.eligibility.maxAge ?? null,
    assured_date: e.lastReviewed,
    last_modified: s.updatedAt,
  };
};

/** A fully nested HSDS service. */
const serviceFull = (s: StoredService, geo: GeoNames) => {
  const e = s.entry;
  return {
    ...serviceList(s),
    organization: { id: e.organisation.id, name: e.organisation.name, description: '', website: e.organisation.url ?? null, email: e.organisation.email ?? null },
    phones: e.contact.phone ? [{ id: `${e.id}-phone`, service_id: e.id, number: e.contact.phone, type: 'voice', languages: [] }] : [],
    schedules: [{ id: `${e.id}-schedule`, service_id: e.id, description: e.schedule }],
    service_areas: [
      ...e.areas.map((a) => ({ id: `${e.id}-${a.replace(':', '-')}`, service_id: e.id, name: areaName(geo, a), description: a === 'ics' ? 'The whole partnership' : `The ${areaName(geo, a)} place` })),
      ...(e.neighbourhoods ?? []).map((n) => ({ id: `${e.id}-${n}`, service_id: e.id, name: geo.neighbourhoods.get(n)?.name ?? n, description: 'Neighbourhood' })),
    ],
    service_at_locations: e.location
      ? [
          {
            id: `${e.id}-at-location`,
            service_id: e.id,
            location: {
              id: `${e.id}-location`,
              location_type: 'physical',
              name: e.location.name,
              addresses: [{ id: `${e.id}-address`, address_1: e.location.address, city: '', state_province: '', postal_code: e.location.postcode ?? '', country: 'GB', address_type: 'physical' }],
              accessibility: e.accessibility ? [{ id: `${e.id}-accessibility`, description: e.accessibility }] : [],
            },
          },
        ]
      : [],
    attributes: e.categories.map((c) => ({ id: `${e.id}-${c}`, link_type: 'service', link_id: e.id, link_entity: 'service', taxonomy_term_id: c, taxonomy_term: taxonomyTerm(SERVICE_CATEGORIES.find((x) => x.id === c)!) })),
    languages: [],
    contacts: [],
    cost_options: [],
  };
};

const page = <T>(all: readonly T[], pageNumber: number, perPage: number) => {
  const total = all.length;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const contents = all.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  return { total_items: total, total_pages: pages, page_number: pageNumber, size: contents.length, first_page: pageNumber === 1, last_page: pageNumber >= pages, empty: contents.length === 0, contents };
};

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
        const q = request.query;
        const stored = await listServices(ctx.ops);
        const matched = searchDirectory(
          stored.map((s) => s.entry),
          { ...(q.search ? { text: q.search } : {}), ...(q.taxonomy_term_id ? { category: q.taxonomy_term_id as ServiceCategory } : {}) },
        );
        const byId = new Map(stored.map((s) => [s.id, s]));
        const rows = matched
          .map((e) => byId.get(e.id)!)
          .filter((s) => q.organization_id === undefined || s.entry.organisation.id === q.organization_id)
          .filter((s) => q.modified_after === undefined || s.updatedAt >= q.modified_after);
        return page(rows.map(serviceList), q.page, q.per_page);
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
