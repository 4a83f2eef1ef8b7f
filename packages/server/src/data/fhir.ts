/**
 * FHIR out (docs/fhir-api.md): the read-only FHIR R4 API's answers, from the same stores and rules
 * as the rest of the API. Who may see whose records is the route table's (access.ts: the care
 * relationship of the `fhir-subject` and `care-relationship` scopes); a care and support plan the
 * person has not agreed to share is for its author only, as in data/care-plans.ts. The resources are
 * core's (fhir/out); each is checked against UK Core before it leaves (a resource that breaks a
 * constraint is an internal error, never sent). Nothing here is cached or logged.
 */
import {
  CONDITIONS,
  CONDITION_KEYS,
  FHIR_OUT_SYSTEMS,
  InternalError,
  UserError,
  capabilityStatement,
  carePlanResource,
  conditionResource,
  episodeOfCareResource,
  healthcareServiceResource,
  locationResource,
  matchesDate,
  nhsNumberProblem,
  operationOutcome,
  organizationResource,
  parseDateFilter,
  parseToken,
  patientResource,
  searchBundle,
  serviceRequestResource,
  taskResource,
  ukCoreProblems,
  type CareRelationship,
  type FhirResource,
  type SessionUser,
} from '@openphm/core';
import { recordCodes, recordSubject, type Queryable } from '@openphm/store-duckdb';
import type {
  FhirCarePlanQueryT,
  FhirConditionQueryT,
  FhirEpisodeOfCareQueryT,
  FhirHealthcareServiceQueryT,
  FhirServiceRequestQueryT,
  FhirTaskQueryT,
} from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { listReferrals, listServices, getService, type StoredService } from '../operational/care.js';
import { currentCarePlan, listCaseload } from '../operational/care-plans.js';
import { listTasks } from '../operational/tasks.js';
import { carePerson, careSearch } from './care-zone.js';
import { areaName } from './directory.js';
import { geoNames } from './features.js';
import type { PhmData } from './phm-data.js';
import { servedReferenceDate } from './population.js';
import { teamNames } from './tasks.js';

/** Where a search was made and how it pages (the route's base URL, the parameters as given). */
export interface FhirSearch {
  readonly base: string;
  readonly params: readonly (readonly [string, string])[];
  readonly count: number;
  readonly offset: number;
}

/** The person-level store's lookup connections (one person's rows, beside the long queries). */
const lookups = (data: PhmData): Queryable => ({ query: (sql, params) => data.lookup(sql, params) });

/** Every resource checked against the UK Core constraints before it is sent: a broken one is our fault (500), never sent. */
const checked = <T extends FhirResource>(resource: T): T => {
  const problems = ukCoreProblems(resource);
  if (problems.length > 0) throw new InternalError(`FHIR out wrote a ${resource.resourceType} breaking UK Core: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return resource;
};

const bundle = (search: FhirSearch, type: string, matches: readonly FhirResource[], outcomes: readonly FhirResource[] = []) =>
  searchBundle({ base: search.base, type, params: search.params, count: search.count, offset: search.offset }, matches.map(checked), outcomes);

export const fhirMetadata = (base: string, today: string): FhirResource => capabilityStatement(base, today, '0.1.0');

// ---- Patient

const patientOf = async (ctx: ServerContext, personId: string, relationships: readonly CareRelationship[]): Promise<{ resource: FhirResource; identity: boolean }> => {
  const [who, subject] = await Promise.all([carePerson(ctx, personId, relationships), servedReferenceDate(ctx).then((day) => recordSubject(lookups(ctx.data), personId, day))]);
  const identity = who.value.identity;
  const practice = who.value.practice ?? (subject !== null ? { code: subject.practiceCode, name: subject.practiceName ?? subject.practiceCode } : null);
  if (practice === null) throw new UserError(`no person ${personId}`, 'not-found');
  const resource = patientResource({
    personId,
    sex: (identity?.sex ?? subject?.sex) === 'M' ? 'M' : 'F',
    ...(identity !== null ? { dateOfBirth: identity.dateOfBirth } : {}),
    practice: { code: practice.code, name: practice.name },
    ...(subject !== null ? { ethnicCategory: subject.ethnicCategory, dateOfDeath: subject.death?.date ?? null } : {}),
    identity:
      identity === null
        ? null
        : { nhsNumber: identity.nhsNumber, givenName: identity.givenName, familyName: identity.familyName, address: identity.address, phone: identity.phone },
  });
  return { resource: checked(resource), identity: identity !== null };
};

const kindsOf = (relationships: readonly CareRelationship[]): string => relationships.map((r) => r.kind).join('+');

/** The person as a UK Core Patient (the route table checked the care relationship). */
export const fhirPatient = async (ctx: ServerContext, personId: string, relationships: readonly CareRelationship[]): Promise<Audited<FhirResource>> => {
  const { resource, identity } = await patientOf(ctx, personId, relationships);
  return { value: resource, audit: `Patient: identity ${identity ? 'shown' : 'not held'}; care relationship: ${kindsOf(relationships)}` };
};

/**
 * Patient?identifier=<NHS number>: the person found, when the professional has a care relationship
 * with them; one found without is not returned, and an OperationOutcome entry says so (break glass
 * in the app to see them), as the care zone's search does.
 */
export const fhirPatientSearch = async (ctx: ServerContext, user: SessionUser, identifier: string, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const token = parseToken(identifier);
  if (token.system !== undefined && token.system !== FHIR_OUT_SYSTEMS.nhsNumber) throw invalidRequest('querystring', [{ field: 'identifier', message: `search by NHS number: ${FHIR_OUT_SYSTEMS.nhsNumber}|<NHS number>` }]);
  const problem = nhsNumberProblem(token.value);
  if (problem !== null) throw invalidRequest('querystring', [{ field: 'identifier', message: `not an NHS number: ${problem}` }]);
  const found = await careSearch(ctx, user, { nhsNumber: token.value });
  const matches: FhirResource[] = [];
  const outcomes: FhirResource[] = [];
  for (const r of found.value.results) {
    if (r.access === 'allowed') matches.push((await patientOf(ctx, r.personId, r.relationships)).resource);
    else outcomes.push(operationOutcome([{ severity: 'information', code: 'forbidden', diagnostics: 'A person with this NHS number was found, with whom you have no care relationship: break glass in OpenPHM to see them.' }]));
  }
  return { value: bundle(search, 'Patient', matches, outcomes), audit: `Patient search ${found.audit}` };
};

// ---- person-level searches (the person's care relationship checked by the route table)

const CONDITION_CODES = new Map<string, string>(CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => [c.code as string, c.term] as const)));

/** Condition?patient=: the person's long-term conditions (the registers' codes), onset at their first recording. */
export const fhirConditions = async (ctx: ServerContext, personId: string, q: FhirConditionQueryT, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const recorded = parseDateFilter('recorded-date', q['recorded-date']);
  const onset = parseDateFilter('onset-date', q['onset-date']);
  const codes = await recordCodes(lookups(ctx.data), personId, await servedReferenceDate(ctx));
  const matches = codes
    .filter((c) => CONDITION_CODES.has(c.code) && matchesDate(recorded, c.first) && matchesDate(onset, c.first))
    .map((c) => conditionResource({ personId, code: c.code, term: CONDITION_CODES.get(c.code)!, first: c.first }));
  return { value: bundle(search, 'Condition', matches), audit: `${matches.length} conditions` };
};

/** CarePlan?patient=: the person's care and support plan, unless they have not agreed to share it beyond its author. */
export const fhirCarePlans = async (ctx: ServerContext, personId: string, reader: string, q: FhirCarePlanQueryT, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const plan = await currentCarePlan(ctx.ops, personId);
  const withheld = plan !== null && !plan.consentToShare && plan.createdBy !== reader;
  const matches = plan === null || withheld ? [] : [carePlanResource(plan)].filter((r) => q.status === undefined || r.status === q.status);
  const outcomes = withheld ? [operationOutcome([{ severity: 'information', code: 'suppressed', diagnostics: `The person has not agreed to share their care and support plan beyond ${plan.createdBy}, who wrote it.` }])] : [];
  return { value: bundle(search, 'CarePlan', matches, outcomes), audit: withheld ? 'plan withheld: not shared' : `${matches.length} plans` };
};

/** ServiceRequest?patient=: the person's social prescribing referrals, newest first. */
export const fhirServiceRequests = async (ctx: ServerContext, personId: string, q: FhirServiceRequestQueryT, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const authored = parseDateFilter('authored', q.authored);
  const [referrals, services] = await Promise.all([listReferrals(ctx.ops, { personId }), listServices(ctx.ops)]);
  const names = new Map(services.map((s) => [s.id, s.entry.name]));
  const matches = referrals
    .filter((r) => matchesDate(authored, r.referredAt))
    .map((r) => serviceRequestResource(r, names.get(r.serviceId) ?? r.serviceId))
    .filter((r) => q.status === undefined || r.status === q.status);
  return { value: bundle(search, 'ServiceRequest', matches), audit: `${matches.length} referrals` };
};

/** Task?patient= (the person's tasks, every team's) or Task?owner= (the professional's own team's). */
export const fhirTasks = async (ctx: ServerContext, neighbourhoodId: string, personId: string | undefined, q: FhirTaskQueryT, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const authored = parseDateFilter('authored-on', q['authored-on']);
  const [tasks, { names }] = await Promise.all([listTasks(ctx.ops, personId !== undefined ? { personId } : { neighbourhoodId }), teamNames(ctx, neighbourhoodId)]);
  const matches = tasks
    .filter((t) => matchesDate(authored, t.createdAt))
    .map((t) => taskResource(t, t.assigneeId === null ? null : (names.get(t.assigneeId) ?? null)))
    .filter((r) => q.status === undefined || r.status === q.status);
  return { value: bundle(search, 'Task', matches), audit: `${matches.length} tasks${personId === undefined ? ` of ${neighbourhoodId}` : ''}` };
};

/** EpisodeOfCare?patient=: the person's episodes on neighbourhood caseloads. */
export const fhirEpisodes = async (ctx: ServerContext, personId: string, q: FhirEpisodeOfCareQueryT, search: FhirSearch): Promise<Audited<FhirResource>> => {
  const date = parseDateFilter('date', q.date);
  const matches = (await listCaseload(ctx.ops, { personId }))
    .map((e) => episodeOfCareResource(e))
    .filter((r) => q.status === undefined || r.status === q.status)
    .filter((r) => {
      // The episode's period covers a day of the filter: it started on or before the filter's last day and had not ended before its first.
      const period = r.period as { start: string; end?: string };
      return (date.to === undefined || period.start <= date.to) && (date.from === undefined || period.end === undefined || period.end >= date.from);
    });
  return { value: bundle(search, 'EpisodeOfCare', matches), audit: `${matches.length} episodes` };
};

// ---- the directory (public, as in the Open Referral UK feed)

const serviceOf = async (ctx: ServerContext, s: StoredService): Promise<FhirResource> => {
  const geo = await geoNames(ctx);
  return healthcareServiceResource(s.entry, s.entry.areas.map((a) => areaName(geo, a)));
};

export const fhirHealthcareServices = async (ctx: ServerContext, q: FhirHealthcareServiceQueryT, search: FhirSearch): Promise<FhirResource> => {
  const words = (q.name ?? '').toLowerCase().split(/\s+/).filter((w) => w !== '');
  const services = (await listServices(ctx.ops)).filter(
    (s) => (q.active === undefined || (s.entry.status === 'active') === (q.active === 'true')) && words.every((w) => s.entry.name.toLowerCase().includes(w)),
  );
  return bundle(search, 'HealthcareService', await Promise.all(services.map((s) => serviceOf(ctx, s))));
};

const noResource = (type: string, id: string) => new UserError(`no ${type} ${id}`, 'not-found');

export const fhirHealthcareService = async (ctx: ServerContext, id: string): Promise<FhirResource> => checked(await serviceOf(ctx, await getService(ctx.ops, id)));

/** The directory's organisations, one each (as the first service naming it has it). */
const organisations = async (ctx: ServerContext): Promise<FhirResource[]> => {
  const byId = new Map<string, FhirResource>();
  for (const s of await listServices(ctx.ops)) if (!byId.has(s.entry.organisation.id)) byId.set(s.entry.organisation.id, organizationResource(s.entry));
  return [...byId.values()];
};

export const fhirOrganizations = async (ctx: ServerContext, search: FhirSearch): Promise<FhirResource> => bundle(search, 'Organization', await organisations(ctx));

export const fhirOrganization = async (ctx: ServerContext, id: string): Promise<FhirResource> => {
  const found = (await organisations(ctx)).find((o) => o.id === id);
  if (found === undefined) throw noResource('Organization', id);
  return checked(found);
};

const locations = async (ctx: ServerContext): Promise<FhirResource[]> => (await listServices(ctx.ops)).flatMap((s) => locationResource(s.entry) ?? []);

export const fhirLocations = async (ctx: ServerContext, search: FhirSearch): Promise<FhirResource> => bundle(search, 'Location', await locations(ctx));

export const fhirLocation = async (ctx: ServerContext, id: string): Promise<FhirResource> => {
  const found = (await locations(ctx)).find((l) => l.id === id);
  if (found === undefined) throw noResource('Location', id);
  return checked(found);
};
