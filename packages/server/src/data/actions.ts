/**
 * Action plans as the API shows them: a strategy's actions (overdue ones marked), and the changes
 * programme leads make, each versioned. An action's priority and ambition must be the strategy's.
 */
import { RAG_MEANING, actionPlacementProblem, isOverdue, measureLinkProblem, type Action, type ActionInput, type ActionUpdate, type Strategy } from '@openphm/core';
import type { ActionsResponseT, HistoryResponseT } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { actionHistory, createAction, getAction, listActions, updateAction } from '../operational/delivery.js';
import { strategyById } from './strategies.js';

type ActionT = ActionsResponseT['actions'][number];

export const actionOut = (a: Action, today: string): ActionT => ({ ...a, measureIds: [...a.measureIds], overdue: isOverdue(a, today) });

/** A 400 naming the field when an action's priority or ambition is not in the strategy. */
const checkPlacement = (strategy: Strategy, priorityId: string, ambitionId: string | null | undefined): void => {
  const problem = actionPlacementProblem(strategy, priorityId, ambitionId);
  if (problem) throw invalidRequest('body', [problem]);
};

/** A 400 naming the field when an action or risk names a measure the strategy does not have. */
export const checkMeasureLinks = (strategy: Strategy, measureIds: readonly string[] | undefined): void => {
  const problem = measureLinkProblem(strategy, measureIds);
  if (problem) throw invalidRequest('body', [problem]);
};

/** A strategy's action plan. */
export const strategyActions = async (ctx: ServerContext, strategyId: string): Promise<ActionsResponseT> => {
  const { strategy } = await strategyById(ctx, strategyId);
  const today = ctx.today();
  return { today, ragMeaning: { ...RAG_MEANING }, actions: (await listActions(ctx.ops, strategy.id)).map((a) => actionOut(a, today)) };
};

/** Adds an action to a strategy, placed under one of its priorities (and ambitions). */
export const addAction = async (ctx: ServerContext, strategyId: string, input: Omit<ActionInput, 'strategyId'>, by: string): Promise<{ value: ActionT; audit: string }> => {
  const { strategy } = await strategyById(ctx, strategyId);
  checkPlacement(strategy, input.priorityId, input.ambitionId);
  checkMeasureLinks(strategy, input.measureIds);
  const created = await createAction(ctx.ops, { ...input, strategyId: strategy.id }, by);
  return { value: actionOut(created, ctx.today()), audit: `action ${created.id}: ${created.rag}` };
};

/** Changes an action: the fields that change and the version edited. */
export const changeAction = async (ctx: ServerContext, actionId: number, b: ActionUpdate, by: string): Promise<{ value: ActionT; audit: string }> => {
  const current = await getAction(ctx.ops, actionId);
  const { strategy } = await strategyById(ctx, current.strategyId);
  if (b.priorityId !== undefined || b.ambitionId !== undefined) {
    checkPlacement(strategy, b.priorityId ?? current.priorityId, b.ambitionId !== undefined ? b.ambitionId : b.priorityId !== undefined ? null : current.ambitionId);
  }
  checkMeasureLinks(strategy, b.measureIds);
  // Moving an action to another priority without naming an ambition leaves it under no ambition.
  const update = b.priorityId !== undefined && b.ambitionId === undefined ? { ...b, ambitionId: null } : b;
  const updated = await updateAction(ctx.ops, current.id, update, by);
  return { value: actionOut(updated, ctx.today()), audit: `version ${updated.version}: ${Object.keys(b).filter((k) => k !== 'version').join(', ')}` };
};

/** Every version of an action, newest first (not-found when there is no such action). */
export const actionVersions = async (ctx: ServerContext, actionId: number): Promise<HistoryResponseT> => {
  await getAction(ctx.ops, actionId);
  return { history: (await actionHistory(ctx.ops, actionId)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
};
