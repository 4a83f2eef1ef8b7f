/**
 * The directory as an Open Referral UK feed (HSDS 3.0 API shapes): the one-to-one fields of a
 * service, fully nested services, pages and the taxonomy.
 */
import { SERVICE_CATEGORIES, UserError, searchDirectory, isOneOf } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { getService, listServices, type StoredService } from '../operational/care.js';
import { areaName } from './directory.js';
import { geoNames, type GeoNames } from './features.js';

export const ORUK_TAXONOMY_ID = 'openphm-social-prescribing';
export const HSDS_VERSION = '3.0';
export const HSDS_PROFILE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema';

export const taxonomyTerm = (c: (typeof SERVICE_CATEGORIES)[number]) => ({ id: c.id, code: c.id, name: c.label, description: c.label, taxonomy: ORUK_TAXONOMY_ID, taxonomy_id: ORUK_TAXONOMY_ID, parent_id: null, language: 'en' });

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
export const serviceFull = (s: StoredService, geo: GeoNames) => {
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

export const page = <T>(all: readonly T[], pageNumber: number, perPage: number) => {
  const total = all.length;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const contents = all.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  return { total_items: total, total_pages: pages, page_number: pageNumber, size: contents.length, first_page: pageNumber === 1, last_page: pageNumber >= pages, empty: contents.length === 0, contents };
};

/** The feed's root: its version and profile. */
export const orukRoot = () => ({ version: HSDS_VERSION, profile: HSDS_PROFILE, openapi_url: '/api/openapi.json' });

/** One service, fully nested (not found for an id that is not a directory id). */
export const orukService = async (ctx: ServerContext, id: string) => {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new UserError(`no service '${id}'`, 'not-found');
  return serviceFull(await getService(ctx.ops, id), await geoNames(ctx));
};

/** The one taxonomy: the categories of community activity. */
export const orukTaxonomies = () =>
  page([{ id: ORUK_TAXONOMY_ID, name: 'OpenPHM social prescribing activities', description: 'Categories of community activity a link worker refers to', uri: '/api/oruk/taxonomy_terms', version: '1' }], 1, 50);

/** The taxonomy's terms: one a service category. */
export const orukTaxonomyTerms = () => page(SERVICE_CATEGORIES.map(taxonomyTerm), 1, 200);

/** Active services matching the feed's filters, one page of their one-to-one fields. */
export const orukServices = async (
  ctx: ServerContext,
  q: { readonly search?: string | undefined; readonly taxonomy_term_id?: string | undefined; readonly organization_id?: string | undefined; readonly modified_after?: string | undefined; readonly page: number; readonly per_page: number },
) => {
  const stored = await listServices(ctx.ops);
  const categoryIds = SERVICE_CATEGORIES.map((c) => c.id);
  const term = q.taxonomy_term_id;
  const category = term ? (isOneOf(categoryIds, term) ? term : null) : undefined;
  // A term outside the taxonomy matches no service.
  if (category === null) return page([], q.page, q.per_page);
  const matched = searchDirectory(stored.map((s) => s.entry), { ...(q.search ? { text: q.search } : {}), ...(category ? { category } : {}) });
  const byId = new Map(stored.map((s) => [s.id, s]));
  const rows = matched
    .map((e) => byId.get(e.id)!)
    .filter((s) => q.organization_id === undefined || s.entry.organisation.id === q.organization_id)
    .filter((s) => q.modified_after === undefined || s.updatedAt >= q.modified_after);
  return page(rows.map(serviceList), q.page, q.per_page);
};
