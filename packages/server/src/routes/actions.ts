/**
 * Action plans: a strategy's actions, read by signed-in staff and board members and changed by
 * programme leads, every change versioned and audited (by the route table).
 */
import { ActionInputSchema, ActionUpdateSchema } from '@openphm/core';
import { ActionParams, ActionSchema, ActionsResponse, HistoryResponse, StrategyParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import { actionVersions, addAction, changeAction, strategyActions } from '../data/actions.js';
import { route, routes } from '../routing.js';

export const actionRoutes = routes('delivery', (ctx) => [
  route(
    'GET /api/strategies/:strategyId/actions',
    { summary: "A strategy's action plan (signed-in staff and board members)", params: StrategyParams, ok: ActionsResponse, errors: [400, 401, 403, 404] },
    async (request) => strategyActions(ctx, request.params.strategyId),
  ),
  route(
    'POST /api/strategies/:strategyId/actions',
    { summary: 'Add an action (programme leads); audited', params: StrategyParams, body: ActionInputSchema.omit({ strategyId: true }), created: ActionSchema, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await addAction(ctx, request.params.strategyId, request.body, actorOf(request))),
  ),
  route(
    'PATCH /api/actions/:actionId',
    {
      summary: 'Change an action (programme leads): send the fields that change and the version you edited (409 if it changed since); audited',
      params: ActionParams,
      body: ActionUpdateSchema,
      ok: ActionSchema,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeAction(ctx, request.params.actionId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/actions/:actionId/history',
    { summary: 'Every version of an action, newest first', params: ActionParams, ok: HistoryResponse, errors: [400, 401, 403, 404] },
    async (request) => actionVersions(ctx, request.params.actionId),
  ),
]);
