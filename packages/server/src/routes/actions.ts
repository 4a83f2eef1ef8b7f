/**
 * Action plans: a strategy's actions, read by signed-in staff and board members and changed by
 * programme leads, every change versioned and audited (by the route table).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ActionInputSchema, ActionUpdateSchema } from '@openphm/core';
import { ActionParams, ActionSchema, ActionsResponse, ErrorSchema, HistoryResponse, StrategyParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { actionVersions, addAction, changeAction, strategyActions } from '../data/actions.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const actionRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/strategies/:strategyId/actions',
      { schema: { tags: ['delivery'], summary: "A strategy's action plan (signed-in staff and board members)", params: StrategyParams, response: { 200: ActionsResponse, ...ERRORS } } },
      async (request) => strategyActions(ctx, request.params.strategyId),
    );

    app.post(
      '/api/strategies/:strategyId/actions',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Add an action (programme leads); audited',
          params: StrategyParams,
          body: ActionInputSchema.omit({ strategyId: true }),
          response: { 201: ActionSchema, ...ERRORS },
        },
      },
      async (request, reply) => reply.code(201).send(audited(request, await addAction(ctx, request.params.strategyId, request.body, actorOf(request)))),
    );

    app.patch(
      '/api/actions/:actionId',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Change an action (programme leads): send the fields that change and the version you edited (409 if it changed since); audited',
          params: ActionParams,
          body: ActionUpdateSchema,
          response: { 200: ActionSchema, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await changeAction(ctx, request.params.actionId, request.body, actorOf(request))),
    );

    app.get(
      '/api/actions/:actionId/history',
      { schema: { tags: ['delivery'], summary: 'Every version of an action, newest first', params: ActionParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => actionVersions(ctx, request.params.actionId),
    );
  };
