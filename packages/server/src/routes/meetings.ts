/**
 * MDT meetings of a neighbourhood team (care professionals only): meetings, one meeting with its
 * agenda and who is due for discussion, people put on the agenda, outcomes recorded with their
 * actions raised as tasks. Person-level: the route table's scope and audit.
 */
import { AgendaItemInputSchema, MeetingInputSchema, OutcomeInputSchema } from '@openphm/core';
import { AgendaItemOut, AgendaItemParams, MeetingOut, MeetingParams, MeetingResponse, MeetingsResponse } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood } from '../access.js';
import { arrangeMeeting, meetingView, meetingsOf, putOnAgenda, recordOutcome } from '../data/meetings.js';
import { route, routes } from '../routing.js';

export const meetingRoutes = routes('care', (ctx) => [
  route('GET /api/care/meetings', { summary: "The signed-in user's team's MDT meetings, the latest first, with how many people are on each agenda", ok: MeetingsResponse, errors: [401, 403] }, async (request) =>
    meetingsOf(ctx, request.auth.user!.neighbourhoodId!),
  ),
  route('POST /api/care/meetings', { summary: "Arrange an MDT meeting of the signed-in user's team", body: MeetingInputSchema, created: MeetingOut, errors: [400, 401, 403] }, async (request) =>
    arrangeMeeting(ctx, request.body, request.auth.user!.neighbourhoodId!, actorOf(request)),
  ),
  route(
    'GET /api/care/meetings/:meetingId',
    {
      summary: 'A meeting: its agenda (with the outcomes and the tasks raised) and who is due for discussion (caseload reviews that have come, people newly at high risk). Person-level: audited.',
      params: MeetingParams,
      ok: MeetingResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await meetingView(ctx, request.params.meetingId, request.auth.user!)),
  ),
  route(
    'POST /api/care/meetings/:meetingId/items',
    { summary: "Put a resident on a meeting's agenda, saying why (once a meeting). Audited.", params: MeetingParams, body: AgendaItemInputSchema, created: AgendaItemOut, errors: [400, 401, 403, 404, 409] },
    async (request) => audited(request, await putOnAgenda(ctx, request.params.meetingId, request.body, scopedNeighbourhood(request), actorOf(request))),
  ),
  route(
    'POST /api/care/meetings/:meetingId/items/:itemId/outcome',
    {
      summary: 'Record what the team decided about a person on the agenda (once), raising its actions as tasks on them; assignees are told. Audited.',
      params: AgendaItemParams,
      body: OutcomeInputSchema,
      ok: AgendaItemOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await recordOutcome(ctx, request.params.meetingId, request.params.itemId, request.body, request.auth.user!)),
  ),
]);
