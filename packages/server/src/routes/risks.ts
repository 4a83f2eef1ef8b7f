/**
 * Risk registers: a strategy's risks, scored and banded, with the 5 × 5 heat map; read by signed-in
 * staff and board members and changed by programme leads, every change versioned and audited (by
 * the route table).
 */
import { RiskBodySchema, RiskUpdateSchema } from '@openphm/core';
import { HistoryResponse, RiskParams, RiskSchema, RisksResponse, StrategyParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import { addRisk, changeRisk, riskRegister, riskVersions } from '../data/risks.js';
import { route, routes } from '../routing.js';

export const riskRoutes = routes('delivery', (ctx) => [
  route(
    'GET /api/strategies/:strategyId/risks',
    { summary: "A strategy's risk register, most serious first, with the 5 × 5 heat map", params: StrategyParams, ok: RisksResponse, errors: [400, 401, 403, 404] },
    async (request) => riskRegister(ctx, request.params.strategyId),
  ),
  route(
    'POST /api/strategies/:strategyId/risks',
    { summary: 'Add a risk (programme leads); audited', params: StrategyParams, body: RiskBodySchema, created: RiskSchema, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await addRisk(ctx, request.params.strategyId, request.body, actorOf(request))),
  ),
  route(
    'PATCH /api/risks/:riskId',
    {
      summary: 'Change a risk (programme leads): the fields that change and the version you edited (409 if it changed since); audited',
      params: RiskParams,
      body: RiskUpdateSchema,
      ok: RiskSchema,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeRisk(ctx, request.params.riskId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/risks/:riskId/history',
    { summary: 'Every version of a risk, newest first', params: RiskParams, ok: HistoryResponse, errors: [400, 401, 403, 404] },
    async (request) => riskVersions(ctx, request.params.riskId),
  ),
]);
