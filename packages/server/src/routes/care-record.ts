/**
 * A person's record for their care team, in plain terms (the care zone): the whole readable
 * record, its timeline a page at a time with filters, the advance care plan (EPaCCS) and alerts.
 * Neighbourhood teams only, within the care relationship (the route table's scope); every attempt
 * audited; record text never reaches a log.
 */
import { AdvanceCarePlanUpdateSchema, AlertInputSchema, AlertUpdateSchema } from '@openphm/core';
import { AdvanceCarePlanResponse, AlertOut, AlertParams, AlertsResponse, CarePersonParams, RecordResponse, TimelineQuery, TimelineResponse, kindsOf } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood } from '../access.js';
import { advanceCarePlanView, alertsView, changeAlert, raiseAlert, saveAdvanceCarePlan } from '../data/advance-care.js';
import { careRecord, careTimeline } from '../data/care-record.js';
import { route, routes } from '../routing.js';
import { sendAnswer } from '../json.js';

export const careRecordRoutes = routes('care', (ctx) => [
  route(
    'GET /api/care/people/:personId/record',
    {
      summary:
        "The person's whole record in plain terms: registration, alerts, advance care plan, conditions with onset, medicines, frailty and emergency admission risk with their drivers, care gaps, carers, the timeline's first page, care and support plan, referrals and caseload episodes (neighbourhood teams, within the care relationship). Audited.",
      params: CarePersonParams,
      ok: RecordResponse,
      errors: [400, 401, 403, 404],
    },
    async (request, reply) => sendAnswer(reply, audited(request, await careRecord(ctx, request.params.personId, actorOf(request)))),
  ),
  route(
    'GET /api/care/people/:personId/timeline',
    {
      summary: "A page of the person's timeline: every event of every table, newest first, filtered by kind and dates (50 a page). Audited.",
      params: CarePersonParams,
      querystring: TimelineQuery,
      ok: TimelineResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => {
      const q = request.query;
      return audited(request, await careTimeline(ctx, request.params.personId, { kinds: kindsOf(q.kind), from: q.from, to: q.to, page: q.page }));
    },
  ),
  route(
    'GET /api/care/people/:personId/advance-care-plan',
    {
      summary: "The person's advance care plan and end-of-life preferences (EPaCCS content) with its versions. Audited.",
      params: CarePersonParams,
      ok: AdvanceCarePlanResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await advanceCarePlanView(ctx, request.params.personId)),
  ),
  route(
    'PUT /api/care/people/:personId/advance-care-plan',
    {
      summary: "Record the person's advance care plan (version 0: the first) or a new version of it (the version replaced; 409 if it changed since). Audited.",
      params: CarePersonParams,
      body: AdvanceCarePlanUpdateSchema,
      ok: AdvanceCarePlanResponse,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await saveAdvanceCarePlan(ctx, request.params.personId, scopedNeighbourhood(request), request.body, actorOf(request))),
  ),
  route(
    'GET /api/care/people/:personId/alerts',
    {
      summary: "The person's alerts (safeguarding, lone-worker risk, communication needs…), in force first, with who raised them and when. Audited.",
      params: CarePersonParams,
      ok: AlertsResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await alertsView(ctx, request.params.personId)),
  ),
  route(
    'POST /api/care/people/:personId/alerts',
    {
      summary: 'Raise an alert on the person. Audited.',
      params: CarePersonParams,
      body: AlertInputSchema,
      created: AlertOut,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await raiseAlert(ctx, request.params.personId, scopedNeighbourhood(request), request.body, actorOf(request))),
  ),
  route(
    'PATCH /api/care/people/:personId/alerts/:alertId',
    {
      summary: "End an alert, or move its review date (the version edited; 409 if it changed since). Audited.",
      params: AlertParams,
      body: AlertUpdateSchema,
      ok: AlertOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeAlert(ctx, request.params.personId, request.params.alertId, request.body, actorOf(request))),
  ),
]);
