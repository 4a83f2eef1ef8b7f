/**
 * Social prescribing referrals (person-level: neighbourhood teams refer and record progress for
 * their own residents, analysts read; the route table's scope and audit), and the reach and
 * outcomes of referrals (disclosure-controlled).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ReferralInputSchema, ReferralUpdateSchema } from '@openphm/core';
import { ErrorSchema, EvaluationQuery, EvaluationResponse, HistoryResponse, ReachQuery, ReachResponse, ReferralOut, ReferralParams, ReferralsQuery, ReferralsResponse } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood, ownNeighbourhood } from '../access.js';
import type { ServerContext } from '../context.js';
import { referralEvaluation } from '../data/evaluation.js';
import { makeReferral, progressReferral, reachOf, referralList, referralVersions } from '../data/referrals.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const referralRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/referrals',
      {
        schema: {
          tags: ['care'],
          summary: 'Social prescribing referrals, newest first (neighbourhood teams: their own neighbourhood; analysts: any). Person-level: every access audited.',
          querystring: ReferralsQuery,
          response: { 200: ReferralsResponse, ...ERRORS },
        },
      },
      async (request) => audited(request, await referralList(ctx, { ...request.query, neighbourhood: ownNeighbourhood(request.auth.user) ?? request.query.neighbourhood ?? null })),
    );

    app.post(
      '/api/referrals',
      { schema: { tags: ['care'], summary: 'Refer a resident of your neighbourhood to a directory service (neighbourhood teams); audited', body: ReferralInputSchema, response: { 201: ReferralOut, ...ERRORS } } },
      async (request, reply) => reply.code(201).send(audited(request, await makeReferral(ctx, request.body, scopedNeighbourhood(request), actorOf(request)))),
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
      },
      async (request) => audited(request, await progressReferral(ctx, request.params.referralId, request.body, actorOf(request))),
    );

    app.get(
      '/api/referrals/:referralId/history',
      { schema: { tags: ['care'], summary: 'Every version of a referral (person-level; audited)', params: ReferralParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => referralVersions(ctx, request.params.referralId),
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
      async (request) => referralEvaluation(ctx, request.query.population, request.query.by),
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
      async (request) => reachOf(ctx, request.query.by, request.query.place ?? null),
    );
  };
