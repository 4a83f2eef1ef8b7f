/**
 * Cohorts: the stored definitions (cohorts/*.json) and what the builder needs (GET /api/cohorts),
 * disclosure-controlled counts of a definition by breakdowns (POST /api/cohorts/count), and
 * pseudonymous worklists of a cohort's members in one neighbourhood (GET and POST /api/worklist).
 * Everything runs over the person features of the current data version (computed once).
 *
 * Worklists are person-level: analysts may list any neighbourhood, the neighbourhood role only its
 * own; every attempt (granted, refused, not found, invalid) is written to the audit log as
 * 'worklist.view' before the response is sent, and worklists are never cached or logged.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRequest, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import type { CohortAudit } from '../data/cohort-counts.js';
import { cohortCatalogue, countDefinition } from '../data/cohorts.js';
import { sendCsv } from '../csv.js';
import { adHocWorklist, storedCohortWorklist, worklistCsv } from '../data/worklist.js';
import { CohortCountBody, CohortCountResponse, CohortsResponse, ErrorSchema, WorklistBody, WorklistQuery, WorklistResponse } from '@openphm/api-contract';

export const cohortRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/cohorts',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Stored cohort definitions and what the cohort builder needs: features, segmentations, places, neighbourhoods',
          response: { 200: CohortsResponse, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => cohortCatalogue(ctx, request.auth, request.log),
    );

    app.post(
      '/api/cohorts/count',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Count a cohort definition (total and breakdowns), disclosure-controlled: for the cohort builder',
          body: CohortCountBody,
          response: { 200: CohortCountResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => {
        // Counts are not audited by the route table: only differencing caught and the pauses it leads to, with the request.
        const audit: CohortAudit = (action, outcome, status, detail) => auditRequest(ctx.ops, request, action, outcome, status, detail);
        return countDefinition(ctx, request.auth.user, request.body, audit);
      },
    );

    app.get(
      '/api/worklist',
      {
        schema: {
          tags: ['cohorts'],
          summary: "Pseudonymous members of a stored cohort in one neighbourhood (analyst: any; neighbourhood: its own). Every access is audited.",
          querystring: WorklistQuery,
          response: { 200: WorklistResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { cohort, neighbourhood, limit, format } = request.query;
        const body = audited(request, await storedCohortWorklist(ctx, cohort, neighbourhood, limit));
        if (format === 'csv') return sendCsv(reply, `worklist-${cohort}-${neighbourhood}.csv`, worklistCsv(body));
        return body;
      },
    );

    app.post(
      '/api/worklist',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Pseudonymous members of an ad-hoc cohort definition in one neighbourhood (same rules and audit as GET)',
          body: WorklistBody,
          response: { 200: WorklistResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => audited(request, await adHocWorklist(ctx, request.body.definition, request.body.neighbourhood, request.body.limit)),
    );
  };
