/**
 * Delivery assurance: the strategies boards hold (GET /api/strategies), each strategy's published
 * scorecard (measures with baseline, target, trajectory and status), its action plan and risk
 * register (read by staff and board members, changed by programme leads, every change versioned
 * and audited), manual measure values, and the quarterly board report (JSON or Markdown).
 */
import { dataWindow } from '@openphm/store-duckdb';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ActionInputSchema,
  ActionUpdateSchema,
  IMPACT_LABELS,
  INDICATOR_CATALOGUE,
  LIKELIHOOD_LABELS,
  MEASURE_STATUSES,
  MeasureEditSchema,
  StrategyChangeRequestSchema,
  applyStrategyChange,
  type MeasureEditResult,
  RAG_MEANING,
  RISK_BANDS,
  RiskBodySchema,
  RiskInputSchema,
  RiskUpdateSchema,
  STATUS_LABEL,
  UserError,
  disclosureStatement,
  fromPublished,
  areaPlace,
  buildBoardReport,
  actionPlacementProblem,
  isOverdue,
  isReviewOverdue,
  parseQuarter,
  quarterContaining,
  renderBoardReportMarkdown,
  riskBand,
  riskHeatmap,
  riskScore,
  editMeasure,
  strategyChanges,
  strategyMeasures,
  type Action,
  type Risk,
  type Strategy,
} from '@openphm/core';
import { actorOf } from '../access.js';
import { cached, freshStamp, type ServerContext } from '../context.js';
import { cachedJson, sendPrepared } from '../json.js';
import { sendText } from '../csv.js';
import { geoNames, type GeoNames } from '../data/features.js';
import { strategyScorecard, type ScorecardMeasure } from '../data/scorecard.js';
import type { PublishedPoint } from '../data/referral-reach.js';
import { invalidRequest } from '../errors.js';
import { referralsStamp } from '../operational/care.js';
import {
  actionHistory,
  createAction,
  createRisk,
  getAction,
  getRisk,
  latestStrategies,
  listActions,
  measureValuesStamp,
  strategiesStamp,
  listRisks,
  recordMeasureValue,
  riskHistory,
  saveStrategyEdit,
  strategyVersions,
  updateAction,
  updateRisk,
  type StoredStrategy,
  type StrategyVersionRow,
} from '../operational/delivery.js';
import {
  ActionParams,
  ActionSchema,
  ActionsResponse,
  BoardReportResponse,
  ErrorSchema,
  HistoryResponse,
  MeasureParams,
  MeasureValueBody,
  MeasureEditResponse,
  MeasureValueResponse,
  ReportQuery,
  RiskParams,
  RiskSchema,
  RisksResponse,
  ScorecardResponse,
  StrategiesResponse,
  StrategyParams,
  StrategyVersionParams,
  StrategyVersionsResponse,
  type ScorecardResponseT,
} from '@openphm/api-contract';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

/** The stored strategies, parsed once per change to them (kept with the data version). */
const storedStrategies = async (ctx: ServerContext): Promise<StoredStrategy[]> => {
  const stamp = await freshStamp(ctx, 'strategies', () => strategiesStamp(ctx.ops));
  return cached(ctx, 'strategies', { stamp }, () => latestStrategies(ctx.ops, INDICATOR_CATALOGUE));
};

const strategyById = async (ctx: ServerContext, id: string): Promise<StoredStrategy> => {
  const found = (await storedStrategies(ctx)).find((s) => s.strategy.id === id);
  if (!found) throw new UserError(`no strategy '${id}'`, 'not-found');
  return found;
};

const strategyOut = (s: StoredStrategy, geo: GeoNames) => {
  const place = areaPlace(s.strategy.area);
  return {
    id: s.strategy.id,
    version: s.strategy.version,
    title: s.strategy.title,
    board: s.strategy.board,
    area: s.strategy.area,
    areaName: place === null ? geo.icsName : (geo.places.get(place) ?? place),
    period: s.strategy.period,
    description: s.strategy.description,
    priorities: s.strategy.priorities.map((p) => ({ id: p.id, title: p.title, ambitions: p.ambitions.map((a) => ({ id: a.id, title: a.title, description: a.description ?? null })) })),
    source: s.source,
    loadedAt: s.loadedAt,
  };
};

const actionOut = (a: Action, today: string) => ({ ...a, overdue: isOverdue(a, today) });
const riskOut = (r: Risk, today: string) => {
  const score = riskScore(r.likelihood, r.impact);
  return {
    ...r,
    score,
    band: riskBand(score),
    targetScore: r.targetLikelihood !== null && r.targetImpact !== null ? riskScore(r.targetLikelihood, r.targetImpact) : null,
    reviewOverdue: isReviewOverdue(r, today),
  };
};

/**
 * A measure as the scorecard publishes it. Its points are published figures already (indicators,
 * inequality, referral rates through the publication module; reported values as reported); what
 * core's assessment computes from them (baseline, target, trajectory, expected value, change) is
 * a statistic of published figures, marked as such with fromPublished.
 */
const measureOut = (m: ScorecardMeasure) => {
  const a = m.assessment;
  const point = (p: PublishedPoint) => ({ date: p.date, label: p.label, value: p.value, lower95: p.lower95 ?? null, upper95: p.upper95 ?? null, suppressed: p.suppressed ?? false });
  const latest = a.latest === null ? null : (m.points.find((p) => p.date === a.latest!.date && p.label === a.latest!.label) ?? null);
  return {
    id: m.id,
    title: m.title,
    priorityId: m.priorityId,
    ambitionId: m.ambitionId,
    area: m.area,
    areaName: m.areaName,
    source: m.source,
    sourceLabel: m.sourceLabel,
    unit: m.unit,
    polarity: m.polarity,
    owner: m.owner,
    note: m.note,
    agreed: { baseline: m.agreed.baseline ? { ...m.agreed.baseline } : null, target: m.agreed.target ? { ...m.agreed.target } : null, polarity: m.agreed.polarity },
    points: m.points.map(point),
    trajectory: m.trajectory.map((p) => ({ date: p.date, value: fromPublished(p.value)! })),
    status: a.status,
    statusLabel: STATUS_LABEL[a.status],
    rag: a.rag,
    baseline: a.baseline ? { ...a.baseline, value: fromPublished(a.baseline.value)! } : null,
    target: a.target ? { ...a.target, value: fromPublished(a.target.value)! } : null,
    latest: latest ? point(latest) : null,
    expected: fromPublished(a.expected),
    changeSinceBaseline: fromPublished(a.changeSinceBaseline),
    significantChange: a.significantChange,
    reasons: [...a.reasons],
  };
};

const scorecardOf = async (ctx: ServerContext, stored: StoredStrategy): Promise<{ out: ScorecardResponseT; measures: ScorecardMeasure[] }> => {
  const measures = await strategyScorecard(ctx, stored.strategy);
  const geo = await geoNames(ctx);
  return {
    measures,
    out: {
      strategy: strategyOut(stored, geo),
      summary: Object.fromEntries(MEASURE_STATUSES.map((s) => [s, measures.filter((m) => m.assessment.status === s).length])) as ScorecardResponseT['summary'],
      measures: measures.map(measureOut),
      disclosure: disclosureStatement(measures.reduce((n, m) => n + m.points.filter((p) => p.suppressed).length, 0)),
    },
  };
};


/**
 * Stores the next version of a strategy made by `make` (a 409 naming who made the current version
 * when the request names an older one; a 400 naming each bad field), audits it and says what changed.
 */
const saveNewVersion = async (
  ctx: ServerContext,
  request: FastifyRequest,
  stored: StoredStrategy,
  strategyVersion: number,
  reason: string,
  action: 'strategy.edit' | 'strategy.change',
  make: () => MeasureEditResult,
): Promise<{ strategyId: string; version: number; changes: string[] }> => {
  const { strategy } = stored;
  const { ops } = ctx;
  if (strategyVersion !== strategy.version) {
    const current = (await strategyVersions(ops, strategy.id)).at(-1);
    const by = current?.editedBy ?? current?.source ?? 'someone else';
    throw new UserError(`the strategy changed: version ${strategy.version} was made by ${by} at ${current?.loadedAt ?? stored.loadedAt} (you edited version ${strategyVersion}); reload and edit again`, 'conflict');
  }
  const result = make();
  if (!result.ok) throw invalidRequest('body', result.problems);
  await saveStrategyEdit(ops, result.strategy, actorOf(request), reason);
  request.auditDetail = `version ${result.strategy.version}: ${result.changes.join(' ')}`.slice(0, 1000);
  return { strategyId: strategy.id, version: result.strategy.version, changes: [...result.changes] };
};

/** What version i of a strategy changed from the one before, in words. */
const changesOf = (rows: readonly StrategyVersionRow[], i: number): string[] => (i === 0 ? ['First version.'] : strategyChanges(rows[i - 1]!.definition as Strategy, rows[i]!.definition as Strategy));

/** A 400 naming the field when an action's priority or ambition is not in the strategy. */
const checkPlacement = (strategy: Strategy, priorityId: string, ambitionId: string | null | undefined): void => {
  const problem = actionPlacementProblem(strategy, priorityId, ambitionId);
  if (problem) throw invalidRequest('body', [problem]);
};

export const deliveryRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/strategies',
      { schema: { tags: ['delivery'], summary: 'The strategies the boards hold: priorities and ambitions (latest version of each)', response: { 200: StrategiesResponse } } },
      async () => {
        const geo = await geoNames(ctx);
        // The partnership's own strategies first, then places' in title order.
        const strategies = [...(await storedStrategies(ctx))].sort((a, b) => Number(b.strategy.area === 'ics') - Number(a.strategy.area === 'ics') || a.strategy.title.localeCompare(b.strategy.title));
        return { strategies: strategies.map((s) => strategyOut(s, geo)), problems: [...ctx.planProblems] };
      },
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
      async (request, reply) => {
        const stored = await strategyById(ctx, request.params.strategyId);
        // Kept per data version, strategy version and reported values: indicator values only change with the data.
        const values = await freshStamp(ctx, `measure-values:${stored.strategy.id}`, () => measureValuesStamp(ctx.ops, stored.strategy.id));
        const computesReferrals = strategyMeasures(stored.strategy).some((m) => m.measure.source.kind === 'social-prescribing');
        const referrals = computesReferrals ? await freshStamp(ctx, 'referrals', () => referralsStamp(ctx.ops)) : null;
        const params = { id: stored.strategy.id, version: stored.strategy.version, values, referrals };
        // Validated, serialised and compressed once per version, as the dashboard is.
        return sendPrepared(request, reply, await cachedJson(ctx, 'scorecard', params, ScorecardResponse, async () => (await scorecardOf(ctx, stored)).out));
      },
    );

    app.get(
      '/api/strategies/:strategyId/actions',
      { schema: { tags: ['delivery'], summary: "A strategy's action plan (signed-in staff and board members)", params: StrategyParams, response: { 200: ActionsResponse, ...ERRORS } } },
      async (request) => {
        const { strategy } = await strategyById(ctx, request.params.strategyId);
        const today = ctx.today();
        return { today, ragMeaning: { ...RAG_MEANING }, actions: (await listActions(ctx.ops, strategy.id)).map((a) => actionOut(a, today)) };
      },
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
      async (request, reply) => {
        const { strategy } = await strategyById(ctx, request.params.strategyId);
        checkPlacement(strategy, request.body.priorityId, request.body.ambitionId);
        const created = await createAction(ctx.ops, { ...request.body, strategyId: strategy.id }, actorOf(request));
        request.auditDetail = `action ${created.id}: ${created.rag}`;
        return reply.code(201).send(actionOut(created, ctx.today()));
      },
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
      async (request) => {
        const current = await getAction(ctx.ops, request.params.actionId);
        const { strategy } = await strategyById(ctx, current.strategyId);
        const b = request.body;
        if (b.priorityId !== undefined || b.ambitionId !== undefined) {
          checkPlacement(strategy, b.priorityId ?? current.priorityId, b.ambitionId !== undefined ? b.ambitionId : b.priorityId !== undefined ? null : current.ambitionId);
        }
        // Moving an action to another priority without naming an ambition leaves it under no ambition.
        const update = b.priorityId !== undefined && b.ambitionId === undefined ? { ...b, ambitionId: null } : b;
        const updated = await updateAction(ctx.ops, current.id, update, actorOf(request));
        request.auditDetail = `version ${updated.version}: ${Object.keys(b).filter((k) => k !== 'version').join(', ')}`;
        return actionOut(updated, ctx.today());
      },
    );

    app.get(
      '/api/actions/:actionId/history',
      { schema: { tags: ['delivery'], summary: 'Every version of an action, newest first', params: ActionParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => {
        await getAction(ctx.ops, request.params.actionId);
        return { history: (await actionHistory(ctx.ops, request.params.actionId)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
      },
    );

    app.get(
      '/api/strategies/:strategyId/risks',
      { schema: { tags: ['delivery'], summary: "A strategy's risk register, most serious first, with the 5 × 5 heat map", params: StrategyParams, response: { 200: RisksResponse, ...ERRORS } } },
      async (request) => {
        const { strategy } = await strategyById(ctx, request.params.strategyId);
        const today = ctx.today();
        const risks = await listRisks(ctx.ops, strategy.id);
        return {
          today,
          bands: RISK_BANDS.map((b) => ({ ...b })),
          likelihoodLabels: [...LIKELIHOOD_LABELS],
          impactLabels: [...IMPACT_LABELS],
          heatmap: riskHeatmap(risks),
          risks: risks.map((r) => riskOut(r, today)),
        };
      },
    );

    app.post(
      '/api/strategies/:strategyId/risks',
      {
        schema: { tags: ['delivery'], summary: 'Add a risk (programme leads); audited', params: StrategyParams, body: RiskBodySchema, response: { 201: RiskSchema, ...ERRORS } },
      },
      async (request, reply) => {
        const { strategy } = await strategyById(ctx, request.params.strategyId);
        const parsed = RiskInputSchema.safeParse({ ...request.body, strategyId: strategy.id });
        if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 'usage');
        const created = await createRisk(ctx.ops, parsed.data, actorOf(request));
        request.auditDetail = `risk ${created.id}: score ${riskScore(created.likelihood, created.impact)}`;
        return reply.code(201).send(riskOut(created, ctx.today()));
      },
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
      async (request) => {
        const current = await getRisk(ctx.ops, request.params.riskId);
        const b = request.body;
        const updated = await updateRisk(ctx.ops, current.id, b, actorOf(request));
        request.auditDetail = `version ${updated.version}: ${Object.keys(b).filter((k) => k !== 'version').join(', ')}`;
        return riskOut(updated, ctx.today());
      },
    );

    app.get(
      '/api/risks/:riskId/history',
      { schema: { tags: ['delivery'], summary: 'Every version of a risk, newest first', params: RiskParams, response: { 200: HistoryResponse, ...ERRORS } } },
      async (request) => {
        await getRisk(ctx.ops, request.params.riskId);
        return { history: (await riskHistory(ctx.ops, request.params.riskId)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
      },
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
      async (request, reply) => {
        const { strategy } = await strategyById(ctx, request.params.strategyId);
        const measure = strategyMeasures(strategy).find((m) => m.measure.id === request.params.measureId)?.measure;
        if (!measure) throw new UserError(`no measure '${request.params.measureId}' in ${strategy.id}`, 'not-found');
        if (measure.source.kind !== 'manual') throw new UserError(`measure '${measure.id}' comes from the data (${measure.source.kind}); only manual measures take recorded values`, 'usage');
        const v = await recordMeasureValue(ctx.ops, { strategyId: strategy.id, measureId: measure.id, ...request.body, recordedBy: actorOf(request) });
        request.auditDetail = `${v.periodLabel}: ${v.value}`;
        return reply.code(201).send({ measureId: v.measureId, periodLabel: v.periodLabel, periodEnd: v.periodEnd, value: v.value, note: v.note, recordedBy: v.recordedBy, recordedAt: v.recordedAt });
      },
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
      async (request) => {
        const stored = await strategyById(ctx, request.params.strategyId);
        if (!strategyMeasures(stored.strategy).some((m) => m.measure.id === request.params.measureId)) throw new UserError(`no measure '${request.params.measureId}' in ${stored.strategy.id}`, 'not-found');
        return saveNewVersion(ctx, request, stored, request.body.strategyVersion, request.body.reason, 'strategy.edit', () => editMeasure(stored.strategy, request.params.measureId, request.body, INDICATOR_CATALOGUE));
      },
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
      async (request) => {
        const stored = await strategyById(ctx, request.params.strategyId);
        const actions = await listActions(ctx.ops, stored.strategy.id);
        const context = { indicators: INDICATOR_CATALOGUE, actionsUnder: (ambitionId: string) => actions.filter((a) => a.ambitionId === ambitionId).map((a) => a.title) };
        return saveNewVersion(ctx, request, stored, request.body.strategyVersion, request.body.reason, 'strategy.change', () => applyStrategyChange(stored.strategy, request.body, context));
      },
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
      async (request) => {
        const rows = await strategyVersions(ctx.ops, request.params.strategyId);
        if (rows.length === 0) throw new UserError(`no strategy '${request.params.strategyId}'`, 'not-found');
        const staff = request.auth.role !== 'public' && request.auth.role !== 'admin';
        return {
          strategyId: request.params.strategyId,
          versions: rows.map((r, i) => ({
            version: r.version,
            source: r.source,
            loadedAt: r.loadedAt,
            editedBy: staff ? r.editedBy : null,
            reason: r.reason,
            changes: changesOf(rows, i),
          })),
        };
      },
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
        const row = (await strategyVersions(ctx.ops, request.params.strategyId)).find((r) => r.version === request.params.version);
        if (row === undefined) throw new UserError(`no version ${request.params.version} of strategy '${request.params.strategyId}'`, 'not-found');
        return sendText(reply, 'application/json; charset=utf-8', 'attachment', `${request.params.strategyId}.json`, `${JSON.stringify(row.definition, null, 2)}\n`);
      },
    );

    app.get(
      '/api/strategies/:strategyId/report',
      {
        schema: {
          tags: ['delivery'],
          summary: 'The quarterly board report (purpose, background, main issues by exception, governance, conclusions, recommendations)',
          params: StrategyParams,
          querystring: ReportQuery,
          response: { 200: BoardReportResponse, ...ERRORS, 501: ErrorSchema },
        },
      },
      async (request, reply) => {
        const stored = await strategyById(ctx, request.params.strategyId);
        const today = ctx.today();
        const quarter = request.query.quarter ? parseQuarter(request.query.quarter) : quarterContaining(today);
        const { measures } = await scorecardOf(ctx, stored);
        const versionRows = await strategyVersions(ctx.ops, stored.strategy.id);
        const window = await dataWindow(ctx.data);
        const report = buildBoardReport({
          strategy: stored.strategy,
          quarter,
          today,
          measures: measures.map((m) => ({ priorityId: m.priorityId, priorityTitle: '', ambitionId: m.ambitionId, ambitionTitle: stored.strategy.priorities.find((p) => p.id === m.priorityId)!.ambitions.find((a) => a.id === m.ambitionId)!.title, measure: strategyMeasures(stored.strategy).find((x) => x.measure.id === m.id)!.measure, unit: m.unit, assessment: m.assessment })),
          actions: await listActions(ctx.ops, stored.strategy.id),
          risks: await listRisks(ctx.ops, stored.strategy.id),
          dataNote: `${window.source === 'synthetic' ? 'synthetic data' : 'linked person-level data'}, records ${window.start ?? 'unknown'} to ${window.lastDay ?? 'unknown'}; published figures are disclosure-controlled`,
          // Every version after the first stored is a change to the strategy (from its file or made in the app).
          versions: versionRows.slice(1).map((r, i) => ({ version: r.version, date: r.loadedAt.slice(0, 10), reason: r.reason, changes: changesOf(versionRows, i + 1) })),
        });
        if (request.query.format === 'markdown') return sendText(reply, 'text/markdown; charset=utf-8', 'inline', `${stored.strategy.id}-${quarter.id}.md`, renderBoardReportMarkdown(report));
        return {
          ...report,
          mainIssues: [...report.mainIssues],
          incompleteMeasures: report.incompleteMeasures.map((m) => ({ title: m.title, reasons: [...m.reasons] })),
          planChanges: report.planChanges.map((v) => ({ ...v, changes: [...v.changes] })),
          conclusions: [...report.conclusions],
          recommendations: [...report.recommendations],
        };
      },
    );
  };
