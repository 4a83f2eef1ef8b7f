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
import { CohortCountBody, CohortCountResponse, CohortsResponse, WorklistBody, WorklistQuery, WorklistResponse } from '@openphm/api-contract';
import { auditRequest, audited } from '../access.js';
import type { CohortAudit } from '../data/cohort-counts.js';
import { cohortCatalogue, countDefinition } from '../data/cohorts.js';
import { sendCsv } from '../csv.js';
import { adHocWorklist, storedCohortWorklist, worklistCsv } from '../data/worklist.js';
import { route, routes } from '../routing.js';

export const cohortRoutes = routes('cohorts', (ctx) => [
  route(
    'GET /api/cohorts',
    { summary: 'Stored cohort definitions and what the cohort builder needs: features, segmentations, places, neighbourhoods', ok: CohortsResponse, errors: [401, 403] },
    async (request) => cohortCatalogue(ctx, request.auth, request.log),
  ),
  route(
    'POST /api/cohorts/count',
    { summary: 'Count a cohort definition (total and breakdowns), disclosure-controlled: for the cohort builder', body: CohortCountBody, ok: CohortCountResponse, errors: [400, 401, 403] },
    async (request) => {
      // Counts are not audited by the route table: only differencing caught and the pauses it leads to, with the request.
      const audit: CohortAudit = (action, outcome, status, detail) => auditRequest(ctx.ops, request, action, outcome, status, detail);
      return countDefinition(ctx, request.auth.user, request.body, audit);
    },
  ),
  route(
    'GET /api/worklist',
    {
      summary: 'Pseudonymous members of a stored cohort in one neighbourhood (analyst: any; neighbourhood: its own). Every access is audited.',
      querystring: WorklistQuery,
      ok: WorklistResponse,
      errors: [400, 401, 403, 404],
    },
    async (request, reply) => {
      const { cohort, neighbourhood, limit, format } = request.query;
      const body = audited(request, await storedCohortWorklist(ctx, cohort, neighbourhood, limit, request.auth.user));
      if (format === 'csv') return sendCsv(reply, `worklist-${cohort}-${neighbourhood}.csv`, worklistCsv(body));
      return body;
    },
  ),
  route(
    'POST /api/worklist',
    {
      summary: 'Pseudonymous members of an ad-hoc cohort definition in one neighbourhood (same rules and audit as GET)',
      body: WorklistBody,
      ok: WorklistResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await adHocWorklist(ctx, request.body.definition, request.body.neighbourhood, request.body.limit, request.auth.user)),
  ),
]);
