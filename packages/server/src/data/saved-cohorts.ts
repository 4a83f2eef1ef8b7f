/**
 * Saving cohorts in the app (POST /api/cohorts/saved and the routes under it): a definition from the
 * cohort builder is validated with core's parseCohortDefinition (each bad field named
 * `definition.…`), stored as version 1 of a new cohort or the next version of the user's own
 * (operational/saved-cohorts.ts), shared and archived by its owner. An id is a slug, made from the
 * title unless given, and may be neither a cohort file's nor another saved cohort's. Each change
 * returns what the route table's audit record says of it (ids, versions and sharing: never titles).
 */
import { UserError, type CohortDefinition, type SessionUser } from '@openphm/core';
import type { SavedCohortResponseT } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import {
  archiveSavedCohort,
  getSavedCohort,
  saveCohortVersion,
  saveNewCohort,
  setCohortSharing,
  viewerOf,
  type CohortSharing,
  type SavedCohort,
} from '../operational/saved-cohorts.js';
import { parseDefinitionInput, storedCohort } from './cohorts.js';

type Audited<T> = { value: T; audit: string };

interface SavedText {
  readonly title: string;
  readonly description: string;
  readonly definition: Readonly<Record<string, unknown>>;
}

/** A slug from a title: lower-case letters and digits, words joined by hyphens, at most 64 characters. */
export const slugOf = (title: string): string =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');

const signedIn = (user: SessionUser | null): SessionUser => {
  if (user === null) throw new UserError('log in to save cohorts', 'unauthenticated');
  return user;
};

/** The definition to store: the body's criteria with the cohort's id, title and description, checked by core (fields named definition.…). */
const definitionOf = (body: SavedText, id: string): CohortDefinition => {
  // The builder's own id, version, title and description give way to the cohort's.
  const { id: _id, version: _version, title: _title, description: _description, ...criteria } = body.definition;
  return parseDefinitionInput({ ...criteria, id, version: 1, title: body.title, description: body.description });
};

const responseOf = (c: SavedCohort): SavedCohortResponseT => ({
  id: c.id,
  owner: c.owner,
  ownerTeam: c.ownerTeam,
  sharing: c.sharing,
  mine: c.mine,
  latestVersion: c.latestVersion,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  versions: c.versions.map((v) => ({ ...v, definition: JSON.parse(JSON.stringify(v.definition)) as SavedCohortResponseT['versions'][number]['definition'] })),
});

/** Saves a new cohort (version 1) owned by the user; 409 when the id is a cohort file's or another saved cohort's. */
export const saveCohort = async (ctx: ServerContext, user: SessionUser | null, body: SavedText & { readonly id?: string | undefined; readonly sharing: CohortSharing }): Promise<Audited<SavedCohortResponseT>> => {
  const owner = signedIn(user);
  const id = body.id ?? slugOf(body.title);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw invalidRequest('body', [{ field: 'id', message: 'give an id of lower-case words joined by hyphens (the title makes none)' }]);
  if (storedCohort(ctx, id) !== undefined) throw new UserError(`'${id}' is the id of a cohort file (cohorts/${id}.json): choose another id`, 'conflict');
  const saved = await saveNewCohort(ctx.ops, definitionOf(body, id), body.sharing, viewerOf(owner));
  return { value: responseOf(saved), audit: `saved cohort ${id} version 1, shared ${body.sharing}` };
};

/** Saves the next version of the user's own cohort. */
export const saveVersion = async (ctx: ServerContext, user: SessionUser | null, id: string, body: SavedText & { readonly basedOn?: number | undefined }): Promise<Audited<SavedCohortResponseT>> => {
  const owner = signedIn(user);
  const saved = await saveCohortVersion(ctx.ops, id, definitionOf(body, id), viewerOf(owner), body.basedOn);
  return { value: responseOf(saved), audit: `saved cohort ${id} version ${saved.latestVersion}` };
};

/** A saved cohort the user may see, with every version. */
export const savedCohort = async (ctx: ServerContext, user: SessionUser | null, id: string): Promise<SavedCohortResponseT> => responseOf(await getSavedCohort(ctx.ops, id, viewerOf(signedIn(user))));

/** Shares the user's own cohort (or makes it private again). */
export const shareCohort = async (ctx: ServerContext, user: SessionUser | null, id: string, sharing: CohortSharing): Promise<Audited<SavedCohortResponseT>> => {
  const saved = await setCohortSharing(ctx.ops, id, sharing, viewerOf(signedIn(user)));
  return { value: responseOf(saved), audit: `cohort ${id} shared ${sharing}` };
};

/** Archives the user's own cohort (its versions are kept, its id stays taken). */
export const archiveCohort = async (ctx: ServerContext, user: SessionUser | null, id: string): Promise<Audited<{ id: string; versions: number }>> => {
  const archived = await archiveSavedCohort(ctx.ops, id, viewerOf(signedIn(user)));
  return { value: archived, audit: `archived cohort ${id} (${archived.versions} versions kept)` };
};
