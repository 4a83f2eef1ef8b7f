/**
 * The neighbourhood caseload: the team's episodes of proactive care (teams: their own; analysts
 * read), per the route table's scope and audit; and whether being on it changed outcomes.
 */
import { CaseloadInputSchema, CaseloadUpdateSchema, KeyWorkerChangeSchema, ReviewInputSchema } from '@openphm/core';
import { CaseloadEntryOut, CaseloadEvaluationQuery, CaseloadParams, CaseloadQuery, CaseloadResponse, EvaluationResponse, HistoryResponse, KeyWorkerResponse, ReviewResponse, ReviewsResponse } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood, ownNeighbourhood } from '../access.js';
import { caseloadList, changeEpisode, episodeVersions, takeOnCaseload } from '../data/caseload.js';
import { changeCaseloadKeyWorker, recordCaseloadReview, reviewsOf } from '../data/caseload-reviews.js';
import { caseloadEvaluation } from '../data/evaluation.js';
import { route, routes } from '../routing.js';

export const caseloadRoutes = routes('care', (ctx) => [
  route(
    'GET /api/caseload',
    {
      summary: "The neighbourhood team's caseload, active first (teams: their own; analysts: any). Person-level: audited.",
      querystring: CaseloadQuery,
      ok: CaseloadResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await caseloadList(ctx, { status: request.query.status, neighbourhood: ownNeighbourhood(request.auth.user) ?? request.query.neighbourhood ?? null })),
  ),
  route(
    'GET /api/caseload/evaluation',
    {
      summary: 'Did proactive care on the caseload change outcomes? People taken on against matched people never on it: A&E attendances, emergency admissions and GP appointments (disclosure-controlled)',
      querystring: CaseloadEvaluationQuery,
      ok: EvaluationResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => caseloadEvaluation(ctx, request.query.source, request.query.by),
  ),
  route(
    'POST /api/caseload',
    {
      summary:
        "Take someone onto the team's caseload (neighbourhood teams), within a care relationship: registered with a practice of the team's neighbourhood, referred to a service one works for, or after breaking glass (403 otherwise, saying so); audited",
      body: CaseloadInputSchema,
      created: CaseloadEntryOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await takeOnCaseload(ctx, request.body, scopedNeighbourhood(request), actorOf(request))),
  ),
  route(
    'PATCH /api/caseload/:entryId',
    {
      summary: 'Change an episode (key worker, next review, discharge with an outcome) with the version edited; audited',
      params: CaseloadParams,
      body: CaseloadUpdateSchema,
      ok: CaseloadEntryOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeEpisode(ctx, request.params.entryId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/caseload/:entryId/history',
    { summary: 'Every version of an episode (audited)', params: CaseloadParams, ok: HistoryResponse, errors: [400, 401, 403, 404] },
    async (request) => episodeVersions(ctx, request.params.entryId),
  ),
  route(
    'GET /api/caseload/:entryId/reviews',
    { summary: "An episode's reviews and changes of key worker, newest first (audited)", params: CaseloadParams, ok: ReviewsResponse, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await reviewsOf(ctx, request.params.entryId)),
  ),
  route(
    'POST /api/caseload/:entryId/reviews',
    {
      summary: 'Record a review (when, what was decided, when next) with the version read: the next review moves on, so it is no longer due; audited',
      params: CaseloadParams,
      body: ReviewInputSchema,
      created: ReviewResponse,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await recordCaseloadReview(ctx, request.params.entryId, request.body, actorOf(request))),
  ),
  route(
    'PATCH /api/caseload/:entryId/key-worker',
    { summary: 'Change the key worker (a team member or a named worker), saying why, with the version read; kept in the episode\'s history; audited', params: CaseloadParams, body: KeyWorkerChangeSchema, ok: KeyWorkerResponse, errors: [400, 401, 403, 404, 409] },
    async (request) => audited(request, await changeCaseloadKeyWorker(ctx, request.params.entryId, request.body, actorOf(request))),
  ),
]);
