/**
 * Social prescribing referrals (person-level: neighbourhood teams refer people they have a care
 * relationship with and record progress on their neighbourhood's referrals, analysts read; the route
 * table's scope and audit), and the reach and
 * outcomes of referrals (disclosure-controlled).
 */
import { ReferralInputSchema, ReferralUpdateSchema } from '@openphm/core';
import { EvaluationQuery, EvaluationResponse, HistoryResponse, ReachQuery, ReachResponse, ReferralOut, ReferralParams, ReferralsQuery, ReferralsResponse } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood, ownNeighbourhood } from '../access.js';
import { referralEvaluation } from '../data/evaluation.js';
import { makeReferral, progressReferral, reachOf, referralList, referralVersions } from '../data/referrals.js';
import { route, routes } from '../routing.js';

export const referralRoutes = routes('care', (ctx) => [
  route(
    'GET /api/referrals',
    {
      summary: 'Social prescribing referrals, newest first (neighbourhood teams: their own neighbourhood; analysts: any). Person-level: every access audited.',
      querystring: ReferralsQuery,
      ok: ReferralsResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await referralList(ctx, { ...request.query, neighbourhood: ownNeighbourhood(request.auth.user) ?? request.query.neighbourhood ?? null })),
  ),
  route(
    'POST /api/referrals',
    {
      summary:
        "Refer someone to a directory service offered in the team's neighbourhood (neighbourhood teams), within a care relationship: registered with a practice of the team's neighbourhood, on its caseload, referred to a service one works for, or after breaking glass (403 otherwise, saying so); audited with the relationship",
      body: ReferralInputSchema,
      created: ReferralOut,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await makeReferral(ctx, request.body, scopedNeighbourhood(request), actorOf(request))),
  ),
  route(
    'PATCH /api/referrals/:referralId',
    {
      summary: "Record a referral's progress (status, wellbeing scores) with the version edited (neighbourhood teams, own neighbourhood); audited",
      params: ReferralParams,
      body: ReferralUpdateSchema,
      ok: ReferralOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await progressReferral(ctx, request.params.referralId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/referrals/:referralId/history',
    { summary: 'Every version of a referral (person-level; audited)', params: ReferralParams, ok: HistoryResponse, errors: [400, 401, 403, 404] },
    async (request) => referralVersions(ctx, request.params.referralId),
  ),
  route(
    'GET /api/referrals/evaluation',
    {
      summary: 'Did social prescribing change outcomes? Matched difference in differences on A&E attendances, emergency admissions and GP appointments (disclosure-controlled)',
      querystring: EvaluationQuery,
      ok: EvaluationResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => referralEvaluation(ctx, request.query.population, request.query.by),
  ),
  route(
    'GET /api/referrals/reach',
    {
      summary: 'Who social prescribing reaches: adults referred per 1,000 by a breakdown, statuses, wellbeing change (disclosure-controlled)',
      querystring: ReachQuery,
      ok: ReachResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => reachOf(ctx, request.query.by, request.query.place ?? null),
  ),
]);
