/**
 * Personalised care and support plans: person-level care records for the team around the person.
 * Only neighbourhood teams (care coordinators, link workers) read and write them, for their own
 * residents (the route table's scope); every attempt is audited; plan text never reaches a log.
 */
import { CarePlanContentSchema, CarePlanUpdateSchema } from '@openphm/core';
import { CarePlanOut, CarePlanResponse, PersonParamsOnly } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood } from '../access.js';
import { carePlanOf, changeCarePlan, startCarePlan } from '../data/care-plans.js';
import { route, routes } from '../routing.js';

export const carePlanRoutes = routes('care', (ctx) => [
  route(
    'GET /api/people/:personId/care-plan',
    {
      summary: "The person's care and support plan (neighbourhood teams, own residents; unshared plans: their author only). Audited.",
      params: PersonParamsOnly,
      ok: CarePlanResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => ({ plan: audited(request, await carePlanOf(ctx, request.params.personId, actorOf(request))) }),
  ),
  route(
    'POST /api/people/:personId/care-plan',
    {
      summary: 'Start a care and support plan (neighbourhood teams, own residents); audited',
      params: PersonParamsOnly,
      body: CarePlanContentSchema,
      created: CarePlanOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await startCarePlan(ctx, request.params.personId, scopedNeighbourhood(request), request.body, actorOf(request))),
  ),
  route(
    'PUT /api/people/:personId/care-plan',
    {
      summary: "Change the person's current plan: the whole plan and the version edited (409 if it changed since); audited",
      params: PersonParamsOnly,
      body: CarePlanUpdateSchema,
      ok: CarePlanOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeCarePlan(ctx, request.params.personId, request.body, actorOf(request))),
  ),
]);
