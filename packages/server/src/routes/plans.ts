/**
 * Personalised care and support plans and the neighbourhood caseload: person-level care records
 * for the team around the person. Only neighbourhood teams (which include care coordinators and
 * link workers) read and write them, for their own residents; a plan the person has not agreed to
 * share is readable only by the team member who wrote it. Analysts see who is on a caseload, not
 * plans. Every attempt is audited; plan text never reaches a log.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CASELOAD_SOURCES,
  CarePlanContentSchema,
  CarePlanUpdateSchema,
  CaseloadInputSchema,
  CaseloadUpdateSchema,
  DISCHARGE_OUTCOMES,
  UserError,
  caseloadUpdateProblem,
  isPlanReviewDue,
  type CaseloadEntry,
} from '@openphm/core';
import { actorOf, auditFailures, auditRequest } from '../access.js';
import type { ServerContext } from '../context.js';
import { caseloadEvaluation } from '../data/evaluation.js';
import { personResidence } from '../data/person.js';
import { FieldValidationError } from '../errors.js';
import { addToCaseload, caseloadHistory, createCarePlan, currentCarePlan, getCaseloadEntry, listCaseload, updateCarePlan, updateCaseloadEntry, type StoredCarePlan } from '../operational/plans.js';
import type { SessionUser } from '../roles.js';
import { CarePlanOut, CarePlanResponse, CaseloadEntryOut, CaseloadEvaluationQuery, CaseloadParams, CaseloadQuery, CaseloadResponse, ErrorSchema, EvaluationResponse, HistoryResponse, PersonParamsOnly } from '@openphm/api-contract';


const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;



/** The team's own resident, or a 403 written to the audit log. */
const ownResident = async (ctx: ServerContext, request: FastifyRequest, action: string, personId: string): Promise<string> => {
  const user = request.auth.user as SessionUser;
  const residence = await personResidence(ctx.data, personId);
  const own = user.neighbourhoodId;
  if (own === null || residence === null || residence.neighbourhoodId !== own) {
    await auditRequest(ctx.ops, request, action, 'denied', 403, `not resident in neighbourhood ${own}`);
    throw new UserError('this person is not resident in your neighbourhood', 'forbidden');
  }
  return own;
};

/** A plan the person has not agreed to share is for its author only. */
const readablePlan = async (ctx: ServerContext, request: FastifyRequest, action: string, plan: StoredCarePlan | null): Promise<StoredCarePlan | null> => {
  if (plan !== null && !plan.consentToShare && plan.createdBy !== actorOf(request)) {
    await auditRequest(ctx.ops, request, action, 'denied', 403, 'not shared by the person');
    throw new UserError(`the person has not agreed to share this plan beyond ${plan.createdBy}, who wrote it`, 'forbidden');
  }
  return plan;
};

const planOut = (p: StoredCarePlan, today: string) => ({
  id: p.id,
  personId: p.personId,
  neighbourhoodId: p.neighbourhoodId,
  whatMatters: p.whatMatters,
  goals: p.goals.map((g) => ({ ...g })),
  support: p.support.map((s) => ({ ...s })),
  contingency: p.contingency,
  consentToShare: p.consentToShare,
  reviewDate: p.reviewDate,
  reviewDue: isPlanReviewDue(p, today),
  status: p.status,
  createdBy: p.createdBy,
  version: p.version,
  updatedAt: p.updatedAt,
  updatedBy: p.updatedBy,
});

const entryOut = (e: CaseloadEntry, today: string) => ({
  ...e,
  sourceLabel: CASELOAD_SOURCES.find((s) => s.id === e.source)?.label ?? e.source,
  outcomeLabel: e.outcome === null ? null : (DISCHARGE_OUTCOMES.find((o) => o.id === e.outcome)?.label ?? e.outcome),
  reviewDue: e.status === 'active' && e.nextReview <= today,
});

export const planRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/people/:personId/care-plan',
      {
        schema: { tags: ['care'], summary: "The person's care and support plan (neighbourhood teams, own residents; unshared plans: their author only). Audited.", params: PersonParamsOnly, response: { 200: CarePlanResponse, ...ERRORS } },
        onError: auditFailures(ctx.ops, 'careplan.view'),
      },
      async (request) => {
        await ownResident(ctx, request, 'careplan.view', request.params.personId);
        const plan = await readablePlan(ctx, request, 'careplan.view', await currentCarePlan(ctx.ops, request.params.personId));
        await auditRequest(ctx.ops, request, 'careplan.view', 'granted', 200, plan ? `version ${plan.version}` : 'no plan');
        return { plan: plan ? planOut(plan, ctx.today()) : null };
      },
    );

    app.post(
      '/api/people/:personId/care-plan',
      {
        schema: { tags: ['care'], summary: 'Start a care and support plan (neighbourhood teams, own residents); audited', params: PersonParamsOnly, body: CarePlanContentSchema, response: { 201: CarePlanOut, ...ERRORS, 409: ErrorSchema } },
        onError: auditFailures(ctx.ops, 'careplan.create'),
      },
      async (request, reply) => {
        const neighbourhoodId = await ownResident(ctx, request, 'careplan.create', request.params.personId);
        const current = await currentCarePlan(ctx.ops, request.params.personId);
        if (current?.status === 'active') throw new UserError('this person already has an active plan: change it, or close it first', 'conflict');
        const plan = await createCarePlan(ctx.ops, { ...request.body, personId: request.params.personId, neighbourhoodId, createdBy: actorOf(request) }, actorOf(request));
        await auditRequest(ctx.ops, request, 'careplan.create', 'granted', 201, `plan ${plan.id}`);
        return reply.code(201).send(planOut(plan, ctx.today()));
      },
    );

    app.put(
      '/api/people/:personId/care-plan',
      {
        schema: {
          tags: ['care'],
          summary: "Change the person's current plan: the whole plan and the version edited (409 if it changed since); audited",
          params: PersonParamsOnly,
          body: CarePlanUpdateSchema,
          response: { 200: CarePlanOut, ...ERRORS, 409: ErrorSchema },
        },
        onError: auditFailures(ctx.ops, 'careplan.update'),
      },
      async (request) => {
        await ownResident(ctx, request, 'careplan.update', request.params.personId);
        const current = await readablePlan(ctx, request, 'careplan.update', await currentCarePlan(ctx.ops, request.params.personId));
        if (current === null) throw new UserError('this person has no care plan yet: start one', 'not-found');
        const plan = await updateCarePlan(ctx.ops, current.id, request.body, actorOf(request));
        await auditRequest(ctx.ops, request, 'careplan.update', 'granted', 200, `plan ${plan.id} version ${plan.version}`);
        return planOut(plan, ctx.today());
      },
    );

    app.get(
      '/api/caseload',
      {
        schema: { tags: ['care'], summary: "The neighbourhood team's caseload, active first (teams: their own; analysts: any). Person-level: audited.", querystring: CaseloadQuery, response: { 200: CaseloadResponse, ...ERRORS } },
        onError: auditFailures(ctx.ops, 'caseload.list'),
      },
      async (request) => {
        const user = request.auth.user as SessionUser;
        const own = user.role === 'neighbourhood' ? user.neighbourhoodId : null;
        if (own !== null && request.query.neighbourhood !== undefined && request.query.neighbourhood !== own) {
          await auditRequest(ctx.ops, request, 'caseload.list', 'denied', 403, `not neighbourhood ${own}`);
          throw new UserError('you can see the caseload of your own neighbourhood only', 'forbidden');
        }
        const neighbourhood = own ?? request.query.neighbourhood;
        const entries = await listCaseload(ctx.ops, { ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}), ...(request.query.status ? { status: request.query.status } : {}) });
        await auditRequest(ctx.ops, request, 'caseload.list', 'granted', 200, `${entries.length} entries${neighbourhood ? ` in ${neighbourhood}` : ''}`);
        const today = ctx.today();
        return {
          neighbourhood: neighbourhood ?? null,
          today,
          sources: CASELOAD_SOURCES.map((s) => ({ ...s })),
          outcomes: DISCHARGE_OUTCOMES.map((o) => ({ ...o })),
          entries: entries.map((e) => entryOut(e, today)),
        };
      },
    );

    app.get(
      '/api/caseload/evaluation',
      {
        schema: {
          tags: ['care'],
          summary: 'Did proactive care on the caseload change outcomes? People taken on against matched people never on it: A&E attendances, emergency admissions and GP appointments (disclosure-controlled)',
          querystring: CaseloadEvaluationQuery,
          response: { 200: EvaluationResponse, ...ERRORS },
        },
      },
      async (request) => {
        return caseloadEvaluation(ctx, request.query.source, request.query.by);
      },
    );

    app.post(
      '/api/caseload',
      {
        schema: { tags: ['care'], summary: 'Take a resident onto the caseload (neighbourhood teams); audited', body: CaseloadInputSchema, response: { 201: CaseloadEntryOut, ...ERRORS, 409: ErrorSchema } },
        onError: auditFailures(ctx.ops, 'caseload.add'),
      },
      async (request, reply) => {
        const neighbourhoodId = await ownResident(ctx, request, 'caseload.add', request.body.personId);
        if ((await listCaseload(ctx.ops, { personId: request.body.personId, status: 'active' })).length > 0) throw new UserError('this person is already on the caseload', 'conflict');
        const entry = await addToCaseload(ctx.ops, { ...request.body, neighbourhoodId }, actorOf(request));
        await auditRequest(ctx.ops, request, 'caseload.add', 'granted', 201, `entry ${entry.id}`);
        return reply.code(201).send(entryOut(entry, ctx.today()));
      },
    );

    app.patch(
      '/api/caseload/:entryId',
      {
        schema: {
          tags: ['care'],
          summary: 'Change an episode (key worker, next review, discharge with an outcome) with the version edited; audited',
          params: CaseloadParams,
          body: CaseloadUpdateSchema,
          response: { 200: CaseloadEntryOut, ...ERRORS, 409: ErrorSchema },
        },
        onError: auditFailures(ctx.ops, 'caseload.update'),
      },
      async (request) => {
        const user = request.auth.user as SessionUser;
        const current = await getCaseloadEntry(ctx.ops, request.params.entryId);
        if (current.neighbourhoodId !== user.neighbourhoodId) {
          await auditRequest(ctx.ops, request, 'caseload.update', 'denied', 403, `not neighbourhood ${user.neighbourhoodId}`);
          throw new UserError('this episode is not in your neighbourhood', 'forbidden');
        }
        const problem = caseloadUpdateProblem(current, request.body);
        if (problem) throw new FieldValidationError(`invalid body: ${problem.field}: ${problem.message}`, [problem]);
        const entry = await updateCaseloadEntry(ctx.ops, current.id, request.body, actorOf(request));
        await auditRequest(ctx.ops, request, 'caseload.update', 'granted', 200, `version ${entry.version}: ${entry.status}`);
        return entryOut(entry, ctx.today());
      },
    );

    app.get(
      '/api/caseload/:entryId/history',
      { schema: { tags: ['care'], summary: 'Every version of an episode (audited)', params: CaseloadParams, response: { 200: HistoryResponse, ...ERRORS } }, onError: auditFailures(ctx.ops, 'caseload.history') },
      async (request) => {
        const user = request.auth.user as SessionUser;
        const current = await getCaseloadEntry(ctx.ops, request.params.entryId);
        if (user.role === 'neighbourhood' && current.neighbourhoodId !== user.neighbourhoodId) {
          await auditRequest(ctx.ops, request, 'caseload.history', 'denied', 403, `not neighbourhood ${user.neighbourhoodId}`);
          throw new UserError('this episode is not in your neighbourhood', 'forbidden');
        }
        await auditRequest(ctx.ops, request, 'caseload.history', 'granted', 200);
        return { history: (await caseloadHistory(ctx.ops, current.id)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
      },
    );
  };
