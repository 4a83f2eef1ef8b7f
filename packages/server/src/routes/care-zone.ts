/**
 * The care zone's identities: find a person by NHS number or by name and date of birth, see who a
 * person is (within a legitimate relationship: the route table's care-relationship scope), break
 * glass with a reason, and the admins' list of break-glass grants. Every attempt audited (the route
 * table); identities never reach a log.
 */
import { BreakGlassInputSchema } from '@openphm/core';
import { BreakGlassAlertsQuery, BreakGlassAlertsResponse, BreakGlassResponse, CarePersonParams, CarePersonResponse, CareSearchQuery, CareSearchResponse } from '@openphm/api-contract';
import { audited } from '../access.js';
import { breakGlass, breakGlassAlerts, carePerson, careSearch } from '../data/care-zone.js';
import { route, routes } from '../routing.js';

export const careZoneRoutes = routes('care', (ctx) => [
  route(
    'GET /api/care/search',
    {
      summary:
        'Find a person by NHS number, or by family name and date of birth (the given name narrowing): identity for the people the professional has a care relationship with; "found, no care relationship: break glass to view" (no identity) for the others. Audited, naming the people found.',
      querystring: CareSearchQuery,
      ok: CareSearchResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await careSearch(ctx, request.auth.user!, request.query)),
  ),
  route(
    'GET /api/care/people/:personId',
    {
      summary:
        "Who the person is (name, NHS number, date of birth and age, address, telephone, GP practice) and the care relationships that allow the professional to see them; 403 without one (break glass to see it). Audited.",
      params: CarePersonParams,
      ok: CarePersonResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await carePerson(ctx, request.params.personId, request.scope?.relationships ?? [])),
  ),
  route(
    'POST /api/care/people/:personId/break-glass',
    {
      summary: 'Break glass: see the person without a care relationship for 4 hours, stating why (at least 10 characters). Audited as care.break-glass and listed for admins.',
      params: CarePersonParams,
      body: BreakGlassInputSchema,
      created: BreakGlassResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await breakGlass(ctx, request.auth.user!, request.params.personId, request.body.reason)),
  ),
  route(
    'GET /api/admin/break-glass',
    {
      summary: 'Break-glass grants for admins to review, newest first (who, which pseudonymous person, why, when, until when). Audited.',
      querystring: BreakGlassAlertsQuery,
      ok: BreakGlassAlertsResponse,
      errors: [400, 401, 403],
    },
    async (request) => audited(request, await breakGlassAlerts(ctx, request.query.since)),
  ),
]);
