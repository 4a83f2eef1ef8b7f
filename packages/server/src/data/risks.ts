/**
 * Risk registers as the API shows them: each risk scored (likelihood × impact) and banded, the
 * register most serious first with its 5 × 5 heat map, and the changes programme leads make, each
 * versioned.
 */
import {
  IMPACT_LABELS,
  LIKELIHOOD_LABELS,
  RISK_BANDS,
  RiskInputSchema,
  type RiskBodySchema,
  fieldProblemsOf,
  isReviewOverdue,
  riskBand,
  riskHeatmap,
  riskScore,
  type Risk,
  type RiskUpdate,
  type Strategy,
} from '@openphm/core';
import type { HistoryResponseT, RisksResponseT } from '@openphm/api-contract';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { createRisk, getRisk, listActions, listRisks, riskHistory, updateRisk } from '../operational/delivery.js';
import { checkMeasureLinks } from './actions.js';
import { strategyById } from './strategies.js';

/** A 400 naming the field when a risk's priority, measures or actions are not the strategy's. */
const checkRiskLinks = async (ctx: ServerContext, strategy: Strategy, links: { priorityId?: string | null; measureIds?: readonly string[]; actionIds?: readonly number[] }): Promise<void> => {
  const { priorityId, measureIds, actionIds } = links;
  if (priorityId != null && !strategy.priorities.some((p) => p.id === priorityId)) {
    throw invalidRequest('body', [{ field: 'priorityId', message: `'${priorityId}' is not a priority of ${strategy.id} (${strategy.priorities.map((p) => p.id).join(', ')})` }]);
  }
  checkMeasureLinks(strategy, measureIds);
  if (actionIds !== undefined && actionIds.length > 0) {
    const own = new Set((await listActions(ctx.ops, strategy.id)).map((a) => a.id));
    const problems = actionIds.flatMap((id, i) => (own.has(id) ? [] : [{ field: `actionIds.${i}`, message: `action ${id} is not an action of ${strategy.id}` }]));
    if (problems.length > 0) throw invalidRequest('body', problems);
  }
};

type RiskT = RisksResponseT['risks'][number];
/** A risk as a request body gives it (the strategy is the route's). */
type RiskBody = z.output<typeof RiskBodySchema>;

export const riskOut = (r: Risk, today: string): RiskT => {
  const score = riskScore(r.likelihood, r.impact);
  return {
    ...r,
    measureIds: [...r.measureIds],
    actionIds: [...r.actionIds],
    score,
    band: riskBand(score),
    targetScore: r.targetLikelihood !== null && r.targetImpact !== null ? riskScore(r.targetLikelihood, r.targetImpact) : null,
    reviewOverdue: isReviewOverdue(r, today),
  };
};

/** A strategy's risk register, most serious first, with the heat map of open risks. */
export const riskRegister = async (ctx: ServerContext, strategyId: string): Promise<RisksResponseT> => {
  const { strategy } = await strategyById(ctx, strategyId);
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
};

/** Adds a risk to a strategy (a 400 naming each field when the whole risk is not valid, e.g. half a target). */
export const addRisk = async (ctx: ServerContext, strategyId: string, body: RiskBody, by: string): Promise<{ value: RiskT; audit: string }> => {
  const { strategy } = await strategyById(ctx, strategyId);
  const parsed = RiskInputSchema.safeParse({ ...body, strategyId: strategy.id });
  if (!parsed.success) throw invalidRequest('body', fieldProblemsOf(parsed.error.issues));
  await checkRiskLinks(ctx, strategy, parsed.data);
  const created = await createRisk(ctx.ops, parsed.data, by);
  return { value: riskOut(created, ctx.today()), audit: `risk ${created.id}: score ${riskScore(created.likelihood, created.impact)}` };
};

/** Changes a risk: the fields that change and the version edited. */
export const changeRisk = async (ctx: ServerContext, riskId: number, b: RiskUpdate, by: string): Promise<{ value: RiskT; audit: string }> => {
  const current = await getRisk(ctx.ops, riskId);
  const { strategy } = await strategyById(ctx, current.strategyId);
  await checkRiskLinks(ctx, strategy, b);
  const updated = await updateRisk(ctx.ops, current.id, b, by);
  return { value: riskOut(updated, ctx.today()), audit: `version ${updated.version}: ${Object.keys(b).filter((k) => k !== 'version').join(', ')}` };
};

/** Every version of a risk, newest first (not-found when there is no such risk). */
export const riskVersions = async (ctx: ServerContext, riskId: number): Promise<HistoryResponseT> => {
  await getRisk(ctx.ops, riskId);
  return { history: (await riskHistory(ctx.ops, riskId)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
};
