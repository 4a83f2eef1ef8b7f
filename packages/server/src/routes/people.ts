/**
 * Pseudonymous person-level rows. Analysts may see anyone; the neighbourhood role only residents of
 * its own neighbourhood (the route table's scope). Every attempt is audited before the response is
 * sent (granted, refused, not found or invalid); the id is never written to the server log.
 */
import { PersonParams, PersonSummary } from '@openphm/api-contract';
import { personView } from '../data/person.js';
import { route, routes } from '../routing.js';

export const peopleRoutes = routes('people', (ctx) => [
  route(
    'GET /api/people/:personId',
    {
      summary: 'Pseudonymous summary of one person (analyst: anyone; neighbourhood: own residents only). Every access is audited; 429 with Retry-After beyond the per-user person-level limit.',
      params: PersonParams,
      ok: PersonSummary,
      errors: [400, 401, 403, 404, 429],
    },
    async (request) => personView(ctx, request.params.personId),
  ),
]);
