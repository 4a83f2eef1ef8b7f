/**
 * Joining up care: the directory of community services (public; changed by programme leads), its
 * Open Referral UK feed (/api/oruk, HSDS 3.0 shapes), social prescribing referrals (person-level:
 * neighbourhood teams refer and update for their own residents, analysts read; every attempt
 * audited), and the reach and outcomes of referrals (disclosure-controlled).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ONS4_ITEMS,
  REFERRAL_REASONS,
  REFERRAL_STATUSES,
  REFERRAL_STATUS_LABEL,
  REFERRAL_TRANSITIONS,
  ReferralInputSchema,
  ReferralUpdateSchema,
  SERVICE_CATEGORIES,
  UserError,
  disclosureStatement,
  areaPlace,
  parseDirectoryService,
  referralUpdateProblem,
  searchDirectory,
  type AreaRef,
  type DirectoryService,
  type Referral,
  type ServiceCategory,
} from '@openphm/core';
import { actorOf, auditFailures, auditRequest } from '../access.js';
import type { ServerContext } from '../context.js';
import { personResidence } from '../data/person.js';
import { geoNames, type GeoNames } from '../data/features.js';
import { referralEvaluation } from '../data/evaluation.js';
import { referralReach } from '../data/referral-reach.js';
import { FieldValidationError } from '../errors.js';
import { createReferral, createService, getReferral, getService, listReferrals, listServices, referralHistory, updateReferral, updateService, type StoredService } from '../operational/care.js';
import type { SessionUser } from '../roles.js';
import {
  DirectoryQuery,
  DirectoryResponse,
  DirectoryServiceOut,
  ErrorSchema,
  EvaluationQuery,
  EvaluationResponse,
  type DirectoryServiceT,
  HistoryResponse,
  ReachQuery,
  ReachResponse,
  ReferralOut,
  ReferralParams,
  ReferralsQuery,
  ReferralsResponse,
  ServiceBody,
  ServiceParams,
} from '@openphm/api-contract';
import { orukRoutes } from './oruk.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const areaName = (geo: GeoNames, area: AreaRef): string => {
  const place = areaPlace(area);
  return place === null ? geo.icsName : (geo.places.get(place) ?? place);
};

const serviceOut = (s: StoredService, geo: GeoNames): DirectoryServiceT => {
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

/** A directory entry from a request body, with 400s naming each field. */
const entryFrom = (input: unknown): DirectoryService => {
  try {
    return parseDirectoryService(input, 'entry');
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const fields = error.message
      .replace(/^entry: /, '')
      .split('; ')
      .map((part) => {
        const i = part.indexOf(': ');
        return { field: `entry.${part.slice(0, i)}`, message: part.slice(i + 2) };
      });
    throw new FieldValidationError(`invalid body: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
  }
};

const checkNeighbourhoods = (geo: GeoNames, entry: DirectoryService): void => {
  const unknown = (entry.neighbourhoods ?? []).filter((n) => !geo.neighbourhoods.has(n));
  if (unknown.length > 0) throw new FieldValidationError(`invalid body: entry.neighbourhoods: unknown neighbourhood ${unknown.join(', ')}`, [{ field: 'entry.neighbourhoods', message: `unknown neighbourhood ${unknown.join(', ')}` }]);
};

const referralOut = (r: Referral, services: ReadonlyMap<string, StoredService>) => ({
  ...r,
  serviceName: services.get(r.serviceId)?.entry.name ?? r.serviceId,
  reasonLabel: REFERRAL_REASONS.find((x) => x.id === r.reason)?.label ?? r.reason,
  statusLabel: REFERRAL_STATUS_LABEL[r.status],
  nextStatuses: [...REFERRAL_TRANSITIONS[r.status]],
});

const servicesById = async (ctx: ServerContext) => new Map((await listServices(ctx.ops)).map((s) => [s.id, s]));

/** The neighbourhood team may act only for its own neighbourhood; analysts for any. */
const ownNeighbourhood = (user: SessionUser | null): string | null => (user?.role === 'neighbourhood' ? user.neighbourhoodId : null);



export const careRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(orukRoutes(ctx));

    app.get(
      '/api/directory/services',
      { schema: { tags: ['care'], summary: 'Search the directory of community services (everyone)', querystring: DirectoryQuery, response: { 200: DirectoryResponse, 400: ErrorSchema } } },
      async (request) => {
        const q = request.query;
        const geo = await geoNames(ctx);
        if (q.category !== undefined && !SERVICE_CATEGORIES.some((c) => c.id === q.category)) {
          throw new FieldValidationError(`invalid querystring: category: one of ${SERVICE_CATEGORIES.map((c) => c.id).join(', ')}`, [{ field: 'category', message: 'unknown category' }]);
        }
        const neighbourhood = q.neighbourhood !== undefined ? geo.neighbourhoods.get(q.neighbourhood) : undefined;
        if (q.neighbourhood !== undefined && neighbourhood === undefined) throw new UserError(`no neighbourhood '${q.neighbourhood}'`, 'not-found');
        if (q.place !== undefined && !geo.places.has(q.place)) throw new UserError(`no place '${q.place}'`, 'not-found');
        const stored = await listServices(ctx.ops);
        const found = searchDirectory(
          stored.map((s) => s.entry),
          {
            ...(q.q ? { text: q.q } : {}),
            ...(q.category ? { category: q.category as ServiceCategory } : {}),
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
      },
    );

    app.get(
      '/api/directory/services/:serviceId',
      { schema: { tags: ['care'], summary: 'One directory entry (everyone)', params: ServiceParams, response: { 200: DirectoryServiceOut, 404: ErrorSchema } } },
      async (request) => serviceOut(await getService(ctx.ops, request.params.serviceId), await geoNames(ctx)),
    );

    app.post(
      '/api/directory/services',
      { schema: { tags: ['care'], summary: 'Add a directory entry (programme leads); audited', body: ServiceBody.shape.entry, response: { 201: DirectoryServiceOut, ...ERRORS, 409: ErrorSchema } } },
      async (request, reply) => {
        const entry = entryFrom(request.body);
        const geo = await geoNames(ctx);
        checkNeighbourhoods(geo, entry);
        if ((await listServices(ctx.ops)).some((s) => s.id === entry.id)) throw new UserError(`a service with id '${entry.id}' already exists`, 'conflict');
        const created = await createService(ctx.ops, entry, actorOf(request));
        await auditRequest(ctx.ops, request, 'directory.create', 'granted', 201, `service ${entry.id}`);
        return reply.code(201).send(serviceOut(created, geo));
      },
    );

    app.put(
      '/api/directory/services/:serviceId',
      {
        schema: {
          tags: ['care'],
          summary: 'Replace a directory entry (programme leads): the whole entry and the version edited (409 if it changed since); audited',
          params: ServiceParams,
          body: ServiceBody,
          response: { 200: DirectoryServiceOut, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => {
        const entry = entryFrom(request.body.entry);
        if (entry.id !== request.params.serviceId) throw new FieldValidationError('invalid body: entry.id: must be the id in the address', [{ field: 'entry.id', message: 'must be the id in the address' }]);
        const geo = await geoNames(ctx);
        checkNeighbourhoods(geo, entry);
        const updated = await updateService(ctx.ops, entry.id, entry, request.body.version, actorOf(request));
        await auditRequest(ctx.ops, request, 'directory.update', 'granted', 200, `service ${entry.id} version ${updated.version}`);
        return serviceOut(updated, geo);
      },
    );

    app.get(
      '/api/referrals',
      {
        schema: {
          tags: ['care'],
          summary: 'Social prescribing referrals, newest first (neighbourhood teams: their own neighbourhood; analysts: any). Person-level: every access audited.',
          querystring: ReferralsQuery,
          response: { 200: ReferralsResponse, ...ERRORS },
        },
        onError: auditFailures(ctx.ops, 'referral.list'),
      },
      async (request) => {
        const own = ownNeighbourhood(request.auth.user);
        const q = request.query;
        if (own !== null && q.neighbourhood !== undefined && q.neighbourhood !== own) {
          await auditRequest(ctx.ops, request, 'referral.list', 'denied', 403, `not neighbourhood ${own}`);
          throw new UserError('you can see the referrals of your own neighbourhood only', 'forbidden');
        }
        const neighbourhood = own ?? q.neighbourhood;
        const referrals = await listReferrals(ctx.ops, { ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}), ...(q.person ? { personId: q.person } : {}), ...(q.status ? { status: q.status } : {}) });
        await auditRequest(ctx.ops, request, 'referral.list', 'granted', 200, `${referrals.length} referrals${neighbourhood ? ` in ${neighbourhood}` : ''}`);
        const services = await servicesById(ctx);
        return {
          neighbourhood: neighbourhood ?? null,
          reasons: REFERRAL_REASONS.map((r) => ({ ...r })),
          statuses: REFERRAL_STATUSES.map((id) => ({ id, label: REFERRAL_STATUS_LABEL[id] })),
          wellbeingItems: ONS4_ITEMS.map((i) => ({ ...i })),
          referrals: referrals.map((r) => referralOut(r, services)),
        };
      },
    );

    app.post(
      '/api/referrals',
      {
        schema: { tags: ['care'], summary: 'Refer a resident of your neighbourhood to a directory service (neighbourhood teams); audited', body: ReferralInputSchema, response: { 201: ReferralOut, ...ERRORS } },
        onError: auditFailures(ctx.ops, 'referral.create'),
      },
      async (request, reply) => {
        const own = ownNeighbourhood(request.auth.user);
        const b = request.body;
        const residence = await personResidence(ctx.data, b.personId);
        if (own === null || residence === null || residence.neighbourhoodId !== own) {
          await auditRequest(ctx.ops, request, 'referral.create', 'denied', 403, `not resident in neighbourhood ${own}`);
          throw new UserError('this person is not resident in your neighbourhood', 'forbidden');
        }
        const services = await servicesById(ctx);
        const service = services.get(b.serviceId);
        const geo = await geoNames(ctx);
        const place = geo.neighbourhoods.get(residence.neighbourhoodId)?.place ?? '';
        const reachable = service ? searchDirectory([service.entry], { neighbourhood: { id: residence.neighbourhoodId, place }, linkWorkerReferral: true }) : [];
        if (!service) throw new FieldValidationError(`invalid body: serviceId: no service '${b.serviceId}' in the directory`, [{ field: 'serviceId', message: 'not in the directory' }]);
        if (reachable.length === 0) {
          throw new FieldValidationError(`invalid body: serviceId: '${service.entry.name}' is not open to link-worker referrals in ${residence.neighbourhoodId} (inactive, another area, or self-referral only)`, [
            { field: 'serviceId', message: 'not open to link-worker referrals here' },
          ]);
        }
        const created = await createReferral(ctx.ops, { ...b, neighbourhoodId: residence.neighbourhoodId }, actorOf(request));
        await auditRequest(ctx.ops, request, 'referral.create', 'granted', 201, `referral ${created.id} to ${b.serviceId}`);
        return reply.code(201).send(referralOut(created, services));
      },
    );

    app.patch(
      '/api/referrals/:referralId',
      {
        schema: {
          tags: ['care'],
          summary: "Record a referral's progress (status, wellbeing scores) with the version edited (neighbourhood teams, own neighbourhood); audited",
          params: ReferralParams,
          body: ReferralUpdateSchema,
          response: { 200: ReferralOut, ...ERRORS, 409: ErrorSchema },
        },
        onError: auditFailures(ctx.ops, 'referral.update'),
      },
      async (request) => {
        const own = ownNeighbourhood(request.auth.user);
        const current = await getReferral(ctx.ops, request.params.referralId);
        if (own === null || current.neighbourhoodId !== own) {
          await auditRequest(ctx.ops, request, 'referral.update', 'denied', 403, `not neighbourhood ${own}`);
          throw new UserError('this referral is not in your neighbourhood', 'forbidden');
        }
        const problem = referralUpdateProblem(current, request.body);
        if (problem) throw new FieldValidationError(`invalid body: ${problem.field}: ${problem.message}`, [problem]);
        const updated = await updateReferral(ctx.ops, current.id, request.body, actorOf(request));
        await auditRequest(ctx.ops, request, 'referral.update', 'granted', 200, `version ${updated.version}: ${updated.status}`);
        return referralOut(updated, await servicesById(ctx));
      },
    );

    app.get(
      '/api/referrals/:referralId/history',
      { schema: { tags: ['care'], summary: 'Every version of a referral (person-level; audited)', params: ReferralParams, response: { 200: HistoryResponse, ...ERRORS } }, onError: auditFailures(ctx.ops, 'referral.history') },
      async (request) => {
        const current = await getReferral(ctx.ops, request.params.referralId);
        const own = ownNeighbourhood(request.auth.user);
        if (own !== null && current.neighbourhoodId !== own) {
          await auditRequest(ctx.ops, request, 'referral.history', 'denied', 403, `not neighbourhood ${own}`);
          throw new UserError('this referral is not in your neighbourhood', 'forbidden');
        }
        await auditRequest(ctx.ops, request, 'referral.history', 'granted', 200);
        return { history: (await referralHistory(ctx.ops, current.id)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
      },
    );

    app.get(
      '/api/referrals/evaluation',
      {
        schema: {
          tags: ['care'],
          summary: 'Did social prescribing change outcomes? Matched difference in differences on A&E attendances, emergency admissions and GP appointments (disclosure-controlled)',
          querystring: EvaluationQuery,
          response: { 200: EvaluationResponse, ...ERRORS },
        },
      },
      async (request) => {
        return referralEvaluation(ctx, request.query.population, request.query.by);
      },
    );

    app.get(
      '/api/referrals/reach',
      {
        schema: {
          tags: ['care'],
          summary: 'Who social prescribing reaches: adults referred per 1,000 by a breakdown, statuses, wellbeing change (disclosure-controlled)',
          querystring: ReachQuery,
          response: { 200: ReachResponse, ...ERRORS },
        },
      },
      async (request) => {
        const geo = await geoNames(ctx);
        const place = request.query.place ?? null;
        if (place !== null && !geo.places.has(place)) throw new UserError(`no place '${place}'`, 'not-found');
        const { suppressedCells, ...reach } = await referralReach(ctx, request.query.by, place);
        return {
          ...reach,
          rows: reach.rows.map((r) => ({ ...r })),
          statuses: reach.statuses.map((s) => ({ ...s, label: REFERRAL_STATUS_LABEL[s.status] })),
          wellbeing: reach.wellbeing.map((w) => ({ ...w })),
          disclosure: disclosureStatement(suppressedCells),
        };
      },
    );
  };
