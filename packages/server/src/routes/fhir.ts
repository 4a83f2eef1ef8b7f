/**
 * FHIR out (docs/fhir-api.md): a read-only FHIR R4 API under /fhir for care teams' systems, within
 * the roles, care relationships and audit of the rest (the route table, access.ts): the
 * CapabilityStatement; Patient (read, and search by NHS number), Condition, CarePlan,
 * ServiceRequest, Task and EpisodeOfCare searched by patient; the directory as HealthcareService,
 * Location and Organization. Answers are application/fhir+json; errors are OperationOutcomes
 * (errors.ts, the one error mapping).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InternalError } from '@openphm/core';
import {
  FhirCarePlanQuery,
  FhirConditionQuery,
  FhirDirectoryQuery,
  FhirEpisodeOfCareQuery,
  FhirHealthcareServiceQuery,
  FhirIdParams,
  FhirPatientParams,
  FhirPatientQuery,
  FhirResourceSchema,
  FhirServiceRequestQuery,
  FhirTaskQuery,
} from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import {
  fhirCarePlans,
  fhirConditions,
  fhirEpisodes,
  fhirHealthcareService,
  fhirHealthcareServices,
  fhirLocation,
  fhirLocations,
  fhirMetadata,
  fhirOrganization,
  fhirOrganizations,
  fhirPatient,
  fhirPatientSearch,
  fhirServiceRequests,
  fhirTasks,
  type FhirSearch,
} from '../data/fhir.js';
import { FHIR_CONTENT_TYPE } from '../errors.js';
import { route, routes } from '../routing.js';

/** The base URL of FHIR out as the caller reached it. */
const baseOf = (request: FastifyRequest): string => `${request.protocol}://${request.headers.host ?? 'localhost'}/fhir`;

/** A search as asked: its base, its parameters (paging apart, repeated ones kept) and its page. */
const searchOf = (request: FastifyRequest, query: { readonly _count: number; readonly _offset: number } & Record<string, unknown>): FhirSearch => ({
  base: baseOf(request),
  params: Object.entries(query).flatMap(([k, v]) => (k === '_count' || k === '_offset' || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)] as const))),
  count: query._count,
  offset: query._offset,
});

const fhirJson = <T>(reply: FastifyReply, value: T): T => {
  reply.type(FHIR_CONTENT_TYPE);
  return value;
};

/** The person the route table's fhir-subject scope checked (none: a Task search by owner). */
const scopedPerson = (request: FastifyRequest): string | undefined => request.scope?.personId;
const requiredPerson = (request: FastifyRequest): string => {
  const id = scopedPerson(request);
  if (id === undefined) throw new InternalError(`route ${request.routeOptions.url} has no patient from its fhir-subject scope`);
  return id;
};
const user = (request: FastifyRequest) => {
  if (request.auth.user === null) throw new InternalError('a FHIR person-level route without a signed-in user');
  return request.auth.user;
};

const spec = { ok: FhirResourceSchema, errorBody: FhirResourceSchema } as const;
const PERSON_ERRORS = [400, 401, 403, 404] as const;

export const fhirRoutes = routes('fhir', (ctx) => [
  route('GET /fhir/metadata', { ...spec, summary: 'FHIR out: the CapabilityStatement (resources, UK Core profiles, search parameters)' }, async (request, reply) =>
    fhirJson(reply, fhirMetadata(baseOf(request), ctx.today())),
  ),
  route(
    'GET /fhir/Patient',
    { ...spec, summary: 'FHIR out: Patient by NHS number (identifier=https://fhir.nhs.uk/Id/nhs-number|<number>), within a care relationship. Audited.', querystring: FhirPatientQuery, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirPatientSearch(ctx, user(request), request.query.identifier, searchOf(request, request.query)))),
  ),
  route(
    'GET /fhir/Patient/:personId',
    { ...spec, summary: 'FHIR out: a Patient (UK Core), within a care relationship. Audited.', params: FhirPatientParams, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirPatient(ctx, request.params.personId, request.scope?.relationships ?? []))),
  ),
  route(
    'GET /fhir/Condition',
    { ...spec, summary: "FHIR out: a person's long-term conditions (patient, recorded-date, onset-date). Audited.", querystring: FhirConditionQuery, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirConditions(ctx, requiredPerson(request), request.query, searchOf(request, request.query)))),
  ),
  route(
    'GET /fhir/CarePlan',
    { ...spec, summary: "FHIR out: a person's care and support plan (patient, status); one not shared by the person is for its author only. Audited.", querystring: FhirCarePlanQuery, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirCarePlans(ctx, requiredPerson(request), actorOf(request), request.query, searchOf(request, request.query)))),
  ),
  route(
    'GET /fhir/ServiceRequest',
    { ...spec, summary: "FHIR out: a person's social prescribing referrals (patient, authored, status). Audited.", querystring: FhirServiceRequestQuery, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirServiceRequests(ctx, requiredPerson(request), request.query, searchOf(request, request.query)))),
  ),
  route(
    'GET /fhir/Task',
    { ...spec, summary: "FHIR out: a person's tasks (patient) or your team's (owner), with authored-on and status. Audited.", querystring: FhirTaskQuery, errors: PERSON_ERRORS },
    async (request, reply) =>
      fhirJson(reply, audited(request, await fhirTasks(ctx, user(request).neighbourhoodId ?? '', scopedPerson(request), request.query, searchOf(request, request.query)))),
  ),
  route(
    'GET /fhir/EpisodeOfCare',
    { ...spec, summary: "FHIR out: a person's episodes on neighbourhood caseloads (patient, date, status). Audited.", querystring: FhirEpisodeOfCareQuery, errors: PERSON_ERRORS },
    async (request, reply) => fhirJson(reply, audited(request, await fhirEpisodes(ctx, requiredPerson(request), request.query, searchOf(request, request.query)))),
  ),
  route('GET /fhir/HealthcareService', { ...spec, summary: 'FHIR out: the directory of community services (name, active)', querystring: FhirHealthcareServiceQuery, errors: [400] }, async (request, reply) =>
    fhirJson(reply, await fhirHealthcareServices(ctx, request.query, searchOf(request, request.query))),
  ),
  route('GET /fhir/HealthcareService/:id', { ...spec, summary: 'FHIR out: one directory service', params: FhirIdParams, errors: [400, 404] }, async (request, reply) =>
    fhirJson(reply, await fhirHealthcareService(ctx, request.params.id)),
  ),
  route('GET /fhir/Location', { ...spec, summary: "FHIR out: the directory services' locations", querystring: FhirDirectoryQuery, errors: [400] }, async (request, reply) =>
    fhirJson(reply, await fhirLocations(ctx, searchOf(request, request.query))),
  ),
  route('GET /fhir/Location/:id', { ...spec, summary: 'FHIR out: one location', params: FhirIdParams, errors: [400, 404] }, async (request, reply) => fhirJson(reply, await fhirLocation(ctx, request.params.id))),
  route('GET /fhir/Organization', { ...spec, summary: 'FHIR out: the organisations that run directory services', querystring: FhirDirectoryQuery, errors: [400] }, async (request, reply) =>
    fhirJson(reply, await fhirOrganizations(ctx, searchOf(request, request.query))),
  ),
  route('GET /fhir/Organization/:id', { ...spec, summary: 'FHIR out: one organisation', params: FhirIdParams, errors: [400, 404] }, async (request, reply) =>
    fhirJson(reply, await fhirOrganization(ctx, request.params.id)),
  ),
]);
