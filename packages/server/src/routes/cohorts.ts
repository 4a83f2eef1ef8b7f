/**
 * Cohorts: the stored definitions (cohorts/*.json), the saved ones the user may see, and what the
 * builder needs (GET /api/cohorts); saving, versioning, sharing and archiving cohorts (/api/cohorts/saved),
 * disclosure-controlled counts of a definition by breakdowns (POST /api/cohorts/count), and
 * pseudonymous worklists of a cohort's members in one neighbourhood (GET and POST /api/worklist).
 * Everything runs over the person features of the current data version (computed once).
 *
 * Worklists are person-level: analysts may list any neighbourhood, the neighbourhood role only its
 * own; every attempt (granted, refused, not found, invalid) is written to the audit log as
 * 'worklist.view' before the response is sent, and worklists are never cached or logged.
 */
import {
  ArchivedCohortResponse,
  CohortCountBody,
  CohortCountResponse,
  CohortIdParams,
  CohortSharingBody,
  CohortsResponse,
  SaveCohortBody,
  SaveCohortVersionBody,
  SavedCohortResponse,
  WorklistBody,
  WorklistQuery,
  WorklistResponse,
} from '@openphm/api-contract';
import { auditRequest, audited } from '../access.js';
import type { CohortAudit } from '../data/cohort-counts.js';
import { cohortCatalogue, countDefinition } from '../data/cohorts.js';
import { archiveCohort, saveCohort, saveVersion, savedCohort, shareCohort } from '../data/saved-cohorts.js';
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
    'POST /api/cohorts/saved',
    {
      summary: 'Save a cohort definition as version 1 of a new cohort of your own (private, or shared with your team or everyone who may use cohorts); validated as a cohort file is, each bad field named',
      body: SaveCohortBody,
      created: SavedCohortResponse,
      errors: [400, 401, 403, 409],
    },
    async (request) => audited(request, await saveCohort(ctx, request.auth.user, request.body)),
  ),
  route(
    'GET /api/cohorts/saved/:cohortId',
    { summary: 'A saved cohort you may see, with every version (newest first)', params: CohortIdParams, ok: SavedCohortResponse, errors: [400, 401, 403, 404] },
    async (request) => savedCohort(ctx, request.auth.user, request.params.cohortId),
  ),
  route(
    'POST /api/cohorts/saved/:cohortId/versions',
    { summary: 'Save the next version of your own saved cohort (earlier versions stay readable)', params: CohortIdParams, body: SaveCohortVersionBody, created: SavedCohortResponse, errors: [400, 401, 403, 404, 409] },
    async (request) => audited(request, await saveVersion(ctx, request.auth.user, request.params.cohortId, request.body)),
  ),
  route(
    'PUT /api/cohorts/saved/:cohortId/sharing',
    { summary: 'Share your own saved cohort with your team or everyone who may use cohorts, or make it private again', params: CohortIdParams, body: CohortSharingBody, ok: SavedCohortResponse, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await shareCohort(ctx, request.auth.user, request.params.cohortId, request.body.sharing)),
  ),
  route(
    'DELETE /api/cohorts/saved/:cohortId',
    { summary: 'Archive your own saved cohort: no longer listed or usable; its versions are kept and its id stays taken', params: CohortIdParams, ok: ArchivedCohortResponse, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await archiveCohort(ctx, request.auth.user, request.params.cohortId)),
  ),
  route(
    'GET /api/worklist',
    {
      summary: 'Pseudonymous members of a stored or saved cohort (latest version, or `version`) in one neighbourhood (analyst: any; neighbourhood: its own). Every access is audited.',
      querystring: WorklistQuery,
      ok: WorklistResponse,
      errors: [400, 401, 403, 404],
    },
    async (request, reply) => {
      const { cohort, neighbourhood, limit, format, version } = request.query;
      const body = audited(request, await storedCohortWorklist(ctx, cohort, neighbourhood, limit, request.auth.user, 'direct-care', version));
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
