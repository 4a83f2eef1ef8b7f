/**
 * Strategies: the strategies boards hold (GET /api/strategies), each strategy's published scorecard
 * (measures with baseline, target, trajectory and status), its versions (what changed and why, and
 * each as a plan file), manual measure values, and the changes programme leads make in the app
 * (each a new version of the strategy, audited by the route table).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeasureEditSchema, StrategyChangeRequestSchema } from '@openphm/core';
import {
  ErrorSchema,
  MeasureEditResponse,
  MeasureParams,
  MeasureValueBody,
  MeasureValueResponse,
  ScorecardResponse,
  StrategiesResponse,
  StrategyParams,
  StrategyVersionParams,
  StrategyVersionsResponse,
} from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { sendText } from '../csv.js';
import { changeStrategy, editStrategyMeasure, preparedScorecard, recordValue, strategyList, strategyVersionFile, strategyVersionList } from '../data/strategies.js';
import { sendPrepared } from '../json.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const strategyRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/strategies',
      { schema: { tags: ['delivery'], summary: 'The strategies the boards hold: priorities and ambitions (latest version of each)', response: { 200: StrategiesResponse } } },
      async () => strategyList(ctx),
    );

    app.get(
      '/api/strategies/:strategyId/scorecard',
      {
        schema: {
          tags: ['delivery'],
          summary: "A strategy's scorecard: every measure's published values, baseline, target, trajectory and status",
          params: StrategyParams,
          response: { 200: ScorecardResponse, ...ERRORS, 501: ErrorSchema },
        },
      },
      async (request, reply) => sendPrepared(request, reply, await preparedScorecard(ctx, request.params.strategyId)),
    );

    app.post(
      '/api/strategies/:strategyId/measures/:measureId/values',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Record (or correct) the value of a manual measure for a period (programme leads); audited',
          params: MeasureParams,
          body: MeasureValueBody,
          response: { 201: MeasureValueResponse, ...ERRORS },
        },
      },
      async (request, reply) => reply.code(201).send(audited(request, await recordValue(ctx, request.params.strategyId, request.params.measureId, request.body, actorOf(request)))),
    );

    app.put(
      '/api/strategies/:strategyId/measures/:measureId',
      {
        schema: {
          tags: ['delivery'],
          summary: "Change a measure's baseline, target, polarity, owner or note (programme leads): a new version of the strategy, with the reason; audited",
          params: MeasureParams,
          body: MeasureEditSchema,
          response: { 200: MeasureEditResponse, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await editStrategyMeasure(ctx, request.params.strategyId, request.params.measureId, request.body, actorOf(request))),
    );

    app.post(
      '/api/strategies/:strategyId/changes',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Change the shape of a strategy (programme leads): add or remove a measure, add, rename or remove an ambition; a new version of the strategy, with the reason; audited',
          params: StrategyParams,
          body: StrategyChangeRequestSchema,
          response: { 200: MeasureEditResponse, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await changeStrategy(ctx, request.params.strategyId, request.body, actorOf(request))),
    );

    app.get(
      '/api/strategies/:strategyId/versions',
      {
        schema: {
          tags: ['delivery'],
          summary: "Every version of a strategy, oldest first: where it came from, why it was made and what changed (who made it: signed-in staff and board members only)",
          params: StrategyParams,
          response: { 200: StrategyVersionsResponse, ...ERRORS },
        },
      },
      async (request) => strategyVersionList(ctx, request.params.strategyId, request.auth.role),
    );

    app.get(
      '/api/strategies/:strategyId/versions/:version',
      {
        schema: {
          tags: ['delivery'],
          summary: 'One version of a strategy as its plan file (JSON, to keep plans/*.json in step with changes made in the app)',
          params: StrategyVersionParams,
          response: { ...ERRORS },
        },
      },
      async (request, reply) => {
        const file = await strategyVersionFile(ctx, request.params.strategyId, request.params.version);
        return sendText(reply, 'application/json; charset=utf-8', 'attachment', file.fileName, file.text);
      },
    );
  };
