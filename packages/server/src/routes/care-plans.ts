/**
 * Personalised care and support plans: person-level care records for the team around the person.
 * Only neighbourhood teams (care coordinators, link workers) read and write them, for their own
 * residents (the route table's scope); every attempt is audited; plan text never reaches a log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CarePlanContentSchema, CarePlanUpdateSchema } from '@openphm/core';
import { CarePlanOut, CarePlanResponse, ErrorSchema, PersonParamsOnly } from '@openphm/api-contract';
import { actorOf, audited, scopedNeighbourhood } from '../access.js';
import type { ServerContext } from '../context.js';
import { carePlanOf, changeCarePlan, startCarePlan } from '../data/care-plans.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const carePlanRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/people/:personId/care-plan',
      { schema: { tags: ['care'], summary: "The person's care and support plan (neighbourhood teams, own residents; unshared plans: their author only). Audited.", params: PersonParamsOnly, response: { 200: CarePlanResponse, ...ERRORS } } },
      async (request) => ({ plan: audited(request, await carePlanOf(ctx, request.params.personId, actorOf(request))) }),
    );

    app.post(
      '/api/people/:personId/care-plan',
      { schema: { tags: ['care'], summary: 'Start a care and support plan (neighbourhood teams, own residents); audited', params: PersonParamsOnly, body: CarePlanContentSchema, response: { 201: CarePlanOut, ...ERRORS, 409: ErrorSchema } } },
      async (request, reply) => reply.code(201).send(audited(request, await startCarePlan(ctx, request.params.personId, scopedNeighbourhood(request), request.body, actorOf(request)))),
    );

    app.put(
      '/api/people/:personId/care-plan',
      {
        schema: {
          tags: ['care'],
          summary: "Change the person's current plan: the whole plan and the version edited (409 if it changed since); audited",
          params: PersonParamsOnly,
          body: CarePlanUpdateSchema,
          response: { 200: CarePlanOut, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await changeCarePlan(ctx, request.params.personId, request.body, actorOf(request))),
    );
  };
