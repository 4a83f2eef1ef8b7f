/**
 * Strategies: the strategies boards hold (GET /api/strategies), each strategy's published scorecard
 * (measures with baseline, target, trajectory and status), its versions (what changed and why, and
 * each as a plan file), manual measure values, and the changes programme leads make in the app
 * (each a new version of the strategy, audited by the route table), and new strategies for any
 * board (version 1, made in the app; exported as plan files by the versions route).
 */
import { MeasureEditSchema, NewStrategyRequestSchema, StrategyChangeRequestSchema } from '@openphm/core';
import {
  MeasureCommentaryBody,
  MeasureCommentaryResponse,
  MeasureEditResponse,
  MeasureLinksResponse,
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
import { sendText } from '../csv.js';
import { changeStrategy, createBoardStrategy, editStrategyMeasure, measureLinks, preparedScorecard, recordCommentary, recordValue, strategyList, strategyVersionFile, strategyVersionList } from '../data/strategies.js';
import { sendPrepared } from '../json.js';
import { route, routes } from '../routing.js';

export const strategyRoutes = routes('delivery', (ctx) => [
  route(
    'GET /api/strategies',
    { summary: 'The strategies the boards hold: priorities and ambitions (latest version of each)', ok: StrategiesResponse },
    async () => strategyList(ctx),
  ),
  route(
    'POST /api/strategies',
    {
      summary:
        'Create a strategy for any board, e.g. a place\'s Health and Wellbeing Board (programme leads): the definition as a plan file holds it (version 1; at least one priority with one ambition), with the reason; every bad field named; 409 when the id is taken; audited',
      body: NewStrategyRequestSchema,
      created: MeasureEditResponse,
      errors: [400, 401, 403, 409],
    },
    async (request) => audited(request, await createBoardStrategy(ctx, request.body, actorOf(request))),
  ),
  route(
    'GET /api/strategies/:strategyId/scorecard',
    {
      summary: "A strategy's scorecard: every measure's published values, baseline, target, trajectory and status",
      params: StrategyParams,
      ok: ScorecardResponse,
      errors: [400, 401, 403, 404, 501],
    },
    async (request, reply) => sendPrepared(request, reply, await preparedScorecard(ctx, request.params.strategyId)),
  ),
  route(
    'POST /api/strategies/:strategyId/measures/:measureId/values',
    {
      summary: 'Record (or correct) the value of a manual measure for a period (programme leads); audited',
      params: MeasureParams,
      body: MeasureValueBody,
      created: MeasureValueResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await recordValue(ctx, request.params.strategyId, request.params.measureId, request.body, actorOf(request))),
  ),
  route(
    'POST /api/strategies/:strategyId/measures/:measureId/commentary',
    {
      summary: "Write the owner's commentary on a measure: why it is where it is and what is being done (programme leads); every one kept, the latest shown; audited",
      params: MeasureParams,
      body: MeasureCommentaryBody,
      created: MeasureCommentaryResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await recordCommentary(ctx, request.params.strategyId, request.params.measureId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/strategies/:strategyId/measure-links',
    {
      summary: 'For each measure of a strategy: the actions meant to move it, the risks that threaten it, and its owner’s latest commentary (delivery readers)',
      params: StrategyParams,
      ok: MeasureLinksResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => measureLinks(ctx, request.params.strategyId),
  ),
  route(
    'PUT /api/strategies/:strategyId/measures/:measureId',
    {
      summary: "Change a measure's baseline, target, polarity, owner or note (programme leads): a new version of the strategy, with the reason; audited",
      params: MeasureParams,
      body: MeasureEditSchema,
      ok: MeasureEditResponse,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await editStrategyMeasure(ctx, request.params.strategyId, request.params.measureId, request.body, actorOf(request))),
  ),
  route(
    'POST /api/strategies/:strategyId/changes',
    {
      summary: 'Change the shape of a strategy (programme leads): add or remove a measure, add, rename or remove an ambition; a new version of the strategy, with the reason; audited',
      params: StrategyParams,
      body: StrategyChangeRequestSchema,
      ok: MeasureEditResponse,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await changeStrategy(ctx, request.params.strategyId, request.body, actorOf(request))),
  ),
  route(
    'GET /api/strategies/:strategyId/versions',
    {
      summary: 'Every version of a strategy, oldest first: where it came from, why it was made and what changed (who made it: signed-in staff and board members only)',
      params: StrategyParams,
      ok: StrategyVersionsResponse,
      errors: [400, 401, 403, 404],
    },
    async (request) => strategyVersionList(ctx, request.params.strategyId, request.auth.role),
  ),
  route(
    'GET /api/strategies/:strategyId/versions/:version',
    {
      summary: 'One version of a strategy as its plan file (JSON, to keep plans/*.json in step with changes made in the app)',
      params: StrategyVersionParams,
      errors: [400, 401, 403, 404],
    },
    async (request, reply) => {
      const file = await strategyVersionFile(ctx, request.params.strategyId, request.params.version);
      return sendText(reply, 'application/json; charset=utf-8', 'attachment', file.fileName, file.text);
    },
  ),
]);
