/**
 * The directory of community services as the API shows it: search, one entry, and changes by
 * programme leads (each checked against core's schema and the partnership's neighbourhoods).
 */
import { REFERRAL_REASONS, SERVICE_CATEGORIES, UserError, areaPlace, isOneOf, parseDirectoryService, searchDirectory, FieldValidationError, type AreaRef, type DirectoryService } from '@openphm/core';
import type { DirectoryResponseT, DirectoryServiceT } from '@openphm/api-contract';
import { cached, freshStamp, type Audited, type ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { createService, getService, listServices, servicesStamp, updateService, type StoredService } from '../operational/care.js';
import { geoNames, type GeoNames } from './features.js';

/** An area's name: the ICS, or a place. */
export const areaName = (geo: GeoNames, area: AreaRef): string => {
  const place = areaPlace(area);
  return place === null ? geo.icsName : (geo.places.get(place) ?? place);
};

export const serviceOut = (s: StoredService, geo: GeoNames): DirectoryServiceT => {
  const { neighbourhoods, ...e } = s.entry;
  return {
    ...e,
    categories: [...e.categories],
    areas: [...e.areas],
    ...(neighbourhoods ? { neighbourhoods: [...neighbourhoods] } : {}),
    areaNames: e.areas.map((a) => areaName(geo, a)),
    version: s.version,
    updatedAt: s.updatedAt,
  };
};

export const servicesById = async (ctx: ServerContext): Promise<Map<string, StoredService>> => new Map((await listServices(ctx.ops)).map((s) => [s.id, s]));

/**
 * Every stored entry, read again only when the directory's stamp moves (freshStamp: at once after a
 * change through this server, else at most every 2 s): a search under load would otherwise query the
 * operational store on every request.
 */
const storedServices = async (ctx: ServerContext): Promise<StoredService[]> => {
  const stamp = await freshStamp(ctx, 'directory', () => servicesStamp(ctx.ops));
  return cached(ctx, 'directory/stored', { stamp }, () => listServices(ctx.ops));
};

export interface DirectorySearch {
  readonly q?: string | undefined;
  readonly category?: string | undefined;
  readonly place?: string | undefined;
  readonly neighbourhood?: string | undefined;
  readonly age?: number | undefined;
  readonly linkWorker?: 'true' | 'false' | undefined;
  readonly inactive?: 'true' | 'false' | undefined;
}

/** The directory searched (everyone). */
export const directorySearch = async (ctx: ServerContext, q: DirectorySearch): Promise<DirectoryResponseT> => {
  const geo = await geoNames(ctx);
  const categoryIds = SERVICE_CATEGORIES.map((c) => c.id);
  if (q.category !== undefined && !isOneOf(categoryIds, q.category)) throw invalidRequest('querystring', [{ field: 'category', message: `one of ${categoryIds.join(', ')}` }]);
  const neighbourhood = q.neighbourhood !== undefined ? geo.neighbourhoods.get(q.neighbourhood) : undefined;
  if (q.neighbourhood !== undefined && neighbourhood === undefined) throw new UserError(`no neighbourhood '${q.neighbourhood}'`, 'not-found');
  if (q.place !== undefined && !geo.places.has(q.place)) throw new UserError(`no place '${q.place}'`, 'not-found');
  const stored = await storedServices(ctx);
  const found = searchDirectory(
    stored.map((s) => s.entry),
    {
      ...(q.q ? { text: q.q } : {}),
      ...(q.category !== undefined && isOneOf(categoryIds, q.category) ? { category: q.category } : {}),
      ...(q.place ? { place: q.place } : {}),
      ...(neighbourhood ? { neighbourhood: { id: q.neighbourhood!, place: neighbourhood.place } } : {}),
      ...(q.age !== undefined ? { age: q.age } : {}),
      ...(q.linkWorker ? { linkWorkerReferral: q.linkWorker === 'true' } : {}),
      ...(q.inactive === 'true' ? { includeInactive: true } : {}),
    },
  );
  const byId = new Map(stored.map((s) => [s.id, s]));
  return {
    categories: SERVICE_CATEGORIES.map((c) => ({ ...c })),
    places: [...geo.places].map(([id, name]) => ({ id, name })),
    referralReasons: REFERRAL_REASONS.map((r) => ({ ...r })),
    total: found.length,
    services: found.map((s) => serviceOut(byId.get(s.id)!, geo)),
  };
};

export const directoryEntry = async (ctx: ServerContext, id: string): Promise<DirectoryServiceT> => serviceOut(await getService(ctx.ops, id), await geoNames(ctx));

/** A directory entry from a request body: core's schema, with 400s naming each field (`entry.…`). */
const entryFrom = async (ctx: ServerContext, input: unknown): Promise<{ entry: DirectoryService; geo: GeoNames }> => {
  let entry: DirectoryService;
  try {
    entry = parseDirectoryService(input, 'entry');
  } catch (error) {
    if (error instanceof FieldValidationError) throw error.within('entry', 'invalid body', 'usage');
    throw error;
  }
  const geo = await geoNames(ctx);
  const unknown = (entry.neighbourhoods ?? []).filter((n) => !geo.neighbourhoods.has(n));
  if (unknown.length > 0) throw invalidRequest('body', [{ field: 'entry.neighbourhoods', message: `unknown neighbourhood ${unknown.join(', ')}` }]);
  return { entry, geo };
};

/** Adds an entry (programme leads); the audit detail names it. */
export const addDirectoryEntry = async (ctx: ServerContext, input: unknown, by: string): Promise<Audited<DirectoryServiceT>> => {
  const { entry, geo } = await entryFrom(ctx, input);
  if ((await listServices(ctx.ops)).some((s) => s.id === entry.id)) throw new UserError(`a service with id '${entry.id}' already exists`, 'conflict');
  const created = await createService(ctx.ops, entry, by);
  return { value: serviceOut(created, geo), audit: `service ${entry.id}` };
};

/** Replaces an entry with the version edited (409 when it changed since). */
export const replaceDirectoryEntry = async (ctx: ServerContext, id: string, input: unknown, version: number, by: string): Promise<Audited<DirectoryServiceT>> => {
  const { entry, geo } = await entryFrom(ctx, input);
  if (entry.id !== id) throw invalidRequest('body', [{ field: 'entry.id', message: 'must be the id in the address' }]);
  const updated = await updateService(ctx.ops, entry.id, entry, version, by);
  return { value: serviceOut(updated, geo), audit: `service ${entry.id} version ${updated.version}` };
};
