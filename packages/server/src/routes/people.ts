/**
 * Pseudonymous person-level rows. Analysts may see anyone; the neighbourhood role only residents of
 * its own neighbourhood (the route table's scope). Every attempt is audited before the response is
 * sent (granted, refused, not found or invalid); the id is never written to the server log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorSchema, PersonParams, PersonSummary } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { personView } from '../data/person.js';

export const peopleRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/people/:personId',
      {
        schema: {
          tags: ['people'],
          summary: 'Pseudonymous summary of one person (analyst: anyone; neighbourhood: own residents only). Every access is audited.',
          params: PersonParams,
          response: { 200: PersonSummary, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => personView(ctx, request.params.personId),
    );
  };
