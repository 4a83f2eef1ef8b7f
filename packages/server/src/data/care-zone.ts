/**
 * The care zone's identities: the one module that opens the identity store and reads who people
 * are (an architecture test checks no other does). It applies core's legitimate relationship rule
 * to facts from both stores (the person's practice and its neighbourhoods from the person-level
 * store; caseload episodes, referrals, the services a professional works for and break-glass grants
 * from the operational store), finds people by NHS number or by name and date of birth, says who a
 * person is to a professional with a relationship, and records break-glass grants.
 *
 * The identity store next to the database (X.identity.duckdb) is opened for each version of the
 * database, only when its meta build_id is the database's: an identity store of another build is
 * never read. Identities are never cached across requests and never logged.
 */
import { existsSync, statSync } from 'node:fs';
import {
  UserError,
  careAccess,
  formatNhsNumber,
  isNhsNumber,
  parseNhsNumber,
  type CareAccess,
  type CareRelationship,
  type CareRelationshipFacts,
  type SessionUser,
} from '@openphm/core';
import type { BreakGlassAlertsResponseT, CarePersonResponseT, CareSearchQueryT, CareSearchResponseT } from '@openphm/api-contract';
import {
  IDENTITY_SEARCH_LIMIT,
  identitiesByNameAndBirth,
  identityByNhsNumber,
  identityByPersonId,
  identityFileOf,
  openIdentityStore,
  personPractice,
  personPractices,
  readMeta,
  type IdentityRecord,
  type IdentityStore,
  type PersonPractice,
  type Queryable,
} from '@openphm/store-duckdb';
import type { Audited, ServerContext } from '../context.js';
import { careZoneFacts, careZoneFactsOfMany, grantBreakGlass, listBreakGlass } from '../operational/care-zone.js';
import type { PhmData } from './phm-data.js';
import { personReadsAndRenderer } from './person-docs.js';
import { hasRecord, operationalPeopleOf } from './operational-people.js';

/** The person-level store's lookup connections (one person's facts, beside the long queries). */
const lookups = (data: PhmData): Queryable => ({ query: (sql, params) => data.lookup(sql, params) });

// ---- the identity store, per version of the database

interface OpenStore {
  readonly key: string;
  readonly store: Promise<IdentityStore | undefined>;
}

const stores = new WeakMap<PhmData, OpenStore>();

const fileKey = (file: string): string => {
  if (!existsSync(file)) return 'none';
  const s = statSync(file);
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
};

/** How long a replaced store stays open for lookups still running on it. */
const RETIRE_AFTER_MS = 30_000;

/**
 * The identity store of the database version being served, or undefined when there is none. A
 * store of another build (a build interrupted between the two renames) is not opened: undefined,
 * as if there were none.
 */
export const identityStore = async (data: PhmData): Promise<IdentityStore | undefined> => {
  const file = identityFileOf(data.file);
  const key = `${data.version()}|${fileKey(file)}`;
  const current = stores.get(data);
  if (current !== undefined && current.key === key) return current.store;
  const store = (async () => {
    const meta = await readMeta(lookups(data));
    try {
      return await openIdentityStore(file, meta.build_id, { threads: 1, connections: 2 });
    } catch (error) {
      if (error instanceof UserError && error.kind === 'conflict') return undefined;
      throw error;
    }
  })();
  stores.set(data, { key, store });
  if (current !== undefined) {
    const retire = setTimeout(() => void current.store.then((s) => s?.close(), () => undefined), RETIRE_AFTER_MS);
    retire.unref();
  }
  return store;
};

const requireStore = async (data: PhmData): Promise<IdentityStore> => {
  const store = await identityStore(data);
  if (store === undefined) {
    throw new UserError("this database holds no identities (build it with 'phm generate', or 'phm import' with an identity.csv): people cannot be found by name or NHS number", 'not-found');
  }
  return store;
};

// ---- the relationship rule

/** The operational facts of someone with no caseload episode, referral or break-glass grant. */
const NO_ZONE_FACTS = { caseload: [], referrals: [], serviceIds: [], breakGlass: [] } as const;

/**
 * The person's practice: from the record renderer's worker when it serves the documents (the document is then parsed there,
 * once for the check and the record after it, not on the server's thread), else from the reads.
 */
const practiceOf = async (ctx: ServerContext, personId: string): Promise<{ readonly practice: PersonPractice } | null> => {
  const { reads, renderer } = await personReadsAndRenderer(ctx);
  if (renderer) {
    const answer = await renderer.practice(personId);
    if (answer !== 'elsewhere') return answer;
  }
  return reads.personPractice(personId);
};

/** What the stores say about a professional and a person; null when there is no such person. */
export const relationshipFacts = async (ctx: ServerContext, user: SessionUser, personId: string): Promise<CareRelationshipFacts | null> => {
  if (!/^\d{1,18}$/.test(personId)) return null;
  const now = ctx.signIn.now().toISOString();
  // The operational store is asked only about someone with a caseload episode, a referral or a break-glass grant (of anyone):
  // for everyone else its facts are empty, and the professional's services matter only to referrals. The sets are re-read
  // after any write of this server and at most every 2 s, so a stale one can only refuse (for a new grant or episode made
  // by another process moments ago), never allow.
  const zoneFacts = operationalPeopleOf(ctx).then((has) =>
    hasRecord(has.caseload, personId) || hasRecord(has.referrals, personId) || hasRecord(has.breakGlass, personId)
      ? careZoneFacts(ctx.ops, user.id, personId, now)
      : NO_ZONE_FACTS,
  );
  const [person, facts] = await Promise.all([practiceOf(ctx, personId), zoneFacts]);
  if (person === null) return null;
  return { neighbourhoodId: user.role === 'neighbourhood' ? user.neighbourhoodId : null, practice: person.practice, ...facts, now };
};

/**
 * Whether the professional may see the person (the route table's care-relationship scope):
 * core's rule on the stores' facts. Throws not-found when there is no such person.
 */
export const careAccessOf = async (ctx: ServerContext, user: SessionUser, personId: string): Promise<CareAccess> => {
  const facts = await relationshipFacts(ctx, user, personId);
  if (facts === null) throw new UserError(`no person ${personId}`, 'not-found');
  return careAccess(facts);
};

/**
 * The rule for each of many people at once (a worklist, so that it offers only the actions that will
 * be allowed): the same facts as careAccessOf, read in a few queries for the whole list. People not
 * in the store are left out.
 */
export const careAccessOfMany = async (ctx: ServerContext, user: SessionUser, personIds: readonly string[]): Promise<Map<string, CareAccess>> => {
  const now = ctx.signIn.now().toISOString();
  const [practices, facts] = await Promise.all([personPractices(lookups(ctx.data), personIds), careZoneFactsOfMany(ctx.ops, user.id, personIds, now)]);
  const neighbourhoodId = user.role === 'neighbourhood' ? user.neighbourhoodId : null;
  const out = new Map<string, CareAccess>();
  for (const [id, practice] of practices) {
    const person = facts.people.get(id) ?? { caseload: [], referrals: [], breakGlass: [] };
    out.set(id, careAccess({ neighbourhoodId, practice, serviceIds: facts.serviceIds, ...person, now }));
  }
  return out;
};

// ---- identities

const ageOn = (dateOfBirth: string, today: string): number => {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
};

const identityOut = (r: IdentityRecord, today: string) => {
  const nhs = parseNhsNumber(r.nhsNumber);
  return {
    nhsNumber: nhs,
    nhsNumberFormatted: formatNhsNumber(nhs),
    givenName: r.givenName,
    familyName: r.familyName,
    dateOfBirth: r.dateOfBirth,
    age: ageOn(r.dateOfBirth, today),
    sex: r.sex === 'M' ? ('M' as const) : ('F' as const),
    address: { line1: r.addressLine1, line2: r.addressLine2, town: r.town, postcode: r.postcode },
    phone: r.phone,
  };
};

const kindsOf = (relationships: readonly CareRelationship[]): string => relationships.map((r) => r.kind).join('+');

/**
 * People found by NHS number, or by family name and date of birth (given name narrowing): with
 * their identity for those the professional has a relationship with, and only "found, no care
 * relationship" for the others. The audit record names the people found (pseudonymous ids), never
 * what was searched for.
 */
export const careSearch = async (ctx: ServerContext, user: SessionUser, query: CareSearchQueryT): Promise<Audited<CareSearchResponseT>> => {
  const store = await requireStore(ctx.data);
  const byNhs = query.nhsNumber !== undefined;
  let found: IdentityRecord[];
  if (query.nhsNumber !== undefined) {
    const one = await identityByNhsNumber(store, parseNhsNumber(query.nhsNumber));
    found = one === undefined ? [] : [one];
  } else {
    found = await identitiesByNameAndBirth(store, {
      familyName: query.familyName ?? '',
      dateOfBirth: query.dateOfBirth ?? '',
      ...(query.givenName !== undefined ? { givenName: query.givenName } : {}),
    });
  }
  const truncated = found.length > IDENTITY_SEARCH_LIMIT;
  const today = ctx.today();
  const results: CareSearchResponseT['results'] = [];
  // Everyone found is checked side by side (a common name and date of birth can find several people).
  const shown = found.slice(0, IDENTITY_SEARCH_LIMIT);
  const accesses = await Promise.all(
    shown.map((r) =>
      careAccessOf(ctx, user, String(r.personId)).catch((error: unknown) => {
        // A person in the identity store but not in the database: not one of this data's people.
        if (error instanceof UserError && error.kind === 'not-found') return undefined;
        throw error;
      }),
    ),
  );
  for (const [i, r] of shown.entries()) {
    const personId = String(r.personId);
    const access = accesses[i];
    if (access === undefined) continue;
    results.push(
      access.allowed
        ? { access: 'allowed', personId, identity: identityOut(r, today), relationships: [...access.relationships] }
        : { access: 'break-glass', personId, message: 'Found, no care relationship: break glass to view' },
    );
  }
  const audit = `${byNhs ? 'by NHS number' : 'by name and date of birth'}: ${results.length === 0 ? 'nobody found' : results.map((r) => `person:${r.personId} ${r.access === 'allowed' ? kindsOf(r.relationships) : 'no relationship'}`).join(', ')}${truncated ? ' (more not listed)' : ''}`;
  return { value: { by: byNhs ? 'nhs-number' : 'name-and-birth', results, truncated }, audit };
};

/** Who the person is, with the relationships that allow the professional to see them (checked by the route table's scope). */
export const carePerson = async (ctx: ServerContext, personId: string, relationships: readonly CareRelationship[]): Promise<Audited<CarePersonResponseT>> => {
  const [store, person] = await Promise.all([identityStore(ctx.data), practiceOf(ctx, personId)]);
  if (person === null) throw new UserError(`no person ${personId}`, 'not-found');
  const record = store === undefined ? undefined : await identityByPersonId(store, Number(personId));
  const identity = record === undefined || !isNhsNumber(record.nhsNumber) ? null : identityOut(record, ctx.today());
  return {
    value: { personId, identity, practice: { code: person.practice.code, name: person.practice.name }, relationships: [...relationships] },
    audit: `identity ${identity === null ? 'not held' : 'shown'}; care relationship: ${kindsOf(relationships)}`,
  };
};

/** Breaks glass: a grant for the professional to see the person for core's BREAK_GLASS_HOURS, with their reason (the admins' alert). */
export const breakGlass = async (ctx: ServerContext, user: SessionUser, personId: string, reason: string): Promise<Audited<{ personId: string; grantedAt: string; expiresAt: string }>> => {
  const person = await personPractice(lookups(ctx.data), personId);
  if (person === null) throw new UserError(`no person ${personId}`, 'not-found');
  const grant = await grantBreakGlass(ctx.ops, {
    userId: user.id,
    userEmail: user.email,
    neighbourhoodId: user.neighbourhoodId,
    personId,
    reason,
    now: ctx.signIn.now().toISOString(),
  });
  return { value: { personId, grantedAt: grant.grantedAt, expiresAt: grant.expiresAt }, audit: `break-glass grant ${grant.id} until ${grant.expiresAt}` };
};

/** The break-glass grants for admins to review, newest first (live ones flagged). */
export const breakGlassAlerts = async (ctx: ServerContext, since?: string): Promise<Audited<BreakGlassAlertsResponseT>> => {
  const now = ctx.signIn.now().getTime();
  const grants = await listBreakGlass(ctx.ops, since === undefined ? {} : { since: `${since}T00:00:00Z` });
  return {
    value: {
      alerts: grants.map((g) => ({
        id: g.id, userEmail: g.userEmail, neighbourhoodId: g.neighbourhoodId, personId: g.personId, reason: g.reason, grantedAt: g.grantedAt, expiresAt: g.expiresAt,
        live: Date.parse(g.expiresAt) > now,
      })),
    },
    audit: `${grants.length} break-glass grants`,
  };
};
