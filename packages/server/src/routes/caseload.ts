/**
 * The neighbourhood caseload: the team's episodes of proactive care (teams: their own; analysts
 * read), per the route table's scope and audit; and whether being on it changed outcomes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseloadInputSchema, CaseloadUpdateSchema } from '@openphm/core';
import { CaseloadEntryOut, CaseloadEvaluationQuery, CaseloadParams, CaseloadQuery, CaseloadResponse, ErrorSchema, EvaluationResponse, HistoryResponse } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood, ownNeighbourhood } from '../access.js';
import type { ServerContext } from '../context.js';
import { caseloadList, changeEpisode, episodeVersions, takeOnCaseload } from '../data/caseload.js';
import { caseloadEvaluation } from '../data/evaluation.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const caseloadRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/caseload',
      { schema: { tags: ['care'], summary: "The neighbourhood team's caseload, active first (teams: their own; analysts: any). Person-level: audited.", querystring: CaseloadQuery, response: { 200: CaseloadResponse, ...ERRORS } } },
      async (request) => audited(request, await caseloadList(ctx, { status: request.query.status, neighbourhood: ownNeighbourhood(request.auth.user) ?? request.query.neighbourhood ?? null })),
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
      async (request) => caseloadEvaluation(ctx, request.query.source, request.query.by),
    );

    app.post(
      '/api/caseload',
      { schema: { tags: ['care'], summary: 'Take a resident onto the caseload (neighbourhood teams); audited', body: CaseloadInputSchema, response: { 201: CaseloadEntryOut, ...ERRORS, 409: ErrorSchema } } },
      async (request, reply) => reply.code(201).send(audited(request, await takeOnCaseload(ctx, request.body, scopedNeighbourhood(request), actorOf(request)))),
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
      },
      async (request) => audited(request, await changeEpisode(ctx, request.params.entryId, request.body, actorOf(request))),
    );

    app.get(
      '/api/caseload/:entryId/history',
      { schema: { tags: ['care'], summary: 'Every version of an episode (audited)', params: CaseloadParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => episodeVersions(ctx, request.params.entryId),
    );
  };
