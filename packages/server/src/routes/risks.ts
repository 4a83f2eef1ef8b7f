/**
 * Risk registers: a strategy's risks, scored and banded, with the 5 × 5 heat map; read by signed-in
 * staff and board members and changed by programme leads, every change versioned and audited (by
 * the route table).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RiskBodySchema, RiskUpdateSchema } from '@openphm/core';
import { ErrorSchema, HistoryResponse, RiskParams, RiskSchema, RisksResponse, StrategyParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { addRisk, changeRisk, riskRegister, riskVersions } from '../data/risks.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const riskRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/strategies/:strategyId/risks',
      { schema: { tags: ['delivery'], summary: "A strategy's risk register, most serious first, with the 5 × 5 heat map", params: StrategyParams, response: { 200: RisksResponse, ...ERRORS } } },
      async (request) => riskRegister(ctx, request.params.strategyId),
    );

    app.post(
      '/api/strategies/:strategyId/risks',
      {
        schema: { tags: ['delivery'], summary: 'Add a risk (programme leads); audited', params: StrategyParams, body: RiskBodySchema, response: { 201: RiskSchema, ...ERRORS } },
      },
      async (request, reply) => reply.code(201).send(audited(request, await addRisk(ctx, request.params.strategyId, request.body, actorOf(request)))),
    );

    app.patch(
      '/api/risks/:riskId',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Change a risk (programme leads): the fields that change and the version you edited (409 if it changed since); audited',
          params: RiskParams,
          body: RiskUpdateSchema,
          response: { 200: RiskSchema, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await changeRisk(ctx, request.params.riskId, request.body, actorOf(request))),
    );

    app.get(
      '/api/risks/:riskId/history',
      { schema: { tags: ['delivery'], summary: 'Every version of a risk, newest first', params: RiskParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => riskVersions(ctx, request.params.riskId),
    );
  };
