/**
 * Action plans: each action belongs to a priority (and optionally an ambition) of a strategy, has an
 * owner group, a named lead, a due date, a progress note and a RAG rating set by its lead, as the
 * Health and Wellbeing Boards' action plans do: green meets the objective, amber in progress, red
 * insufficient progress. The board reviews by exception: red actions and overdue ones.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';
import type { Strategy } from './strategy.js';

export const RAGS = ['green', 'amber', 'red'] as const;
export type Rag = (typeof RAGS)[number];
export const RAG_MEANING: Readonly<Record<Rag, string>> = {
  green: 'Green: on track, meets the objective',
  amber: 'Amber: in progress, some risk to delivery',
  red: 'Red: insufficient progress, needs the board to unblock',
};

export const ACTION_STATUSES = ['open', 'complete', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** An action as stored (operational store) and shown. */
export interface Action {
  readonly id: number;
  readonly strategyId: string;
  readonly priorityId: string;
  readonly ambitionId: string | null;
  readonly title: string;
  readonly ownerGroup: string;
  readonly lead: string;
  readonly dueDate: string;
  readonly rag: Rag;
  readonly status: ActionStatus;
  readonly progressNote: string;
  /** The strategy's measures this action is meant to move (ids of StrategyMeasure), so a measure off track shows what is being done. */
  readonly measureIds: readonly string[];
  /** Increases with every change (optimistic concurrency: an update names the version it edits). */
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const DATE = IsoDaySchema;
const TEXT = (max: number) => z.string().trim().min(1, 'required').max(max);

const ACTION_FIELDS = {
  priorityId: TEXT(64),
  ambitionId: TEXT(64).nullable(),
  title: TEXT(300),
  ownerGroup: TEXT(200),
  lead: TEXT(200),
  dueDate: DATE,
  rag: z.enum(RAGS),
  status: z.enum(ACTION_STATUSES),
  progressNote: z.string().max(4000),
  measureIds: z.array(TEXT(64)).max(20).refine((ids) => new Set(ids).size === ids.length, 'a measure is named twice'),
};

/** What a user sends to create an action (status open, no ambition and an empty note by default). */
export const ActionInputSchema = z
  .object({
    ...ACTION_FIELDS,
    strategyId: TEXT(64),
    ambitionId: ACTION_FIELDS.ambitionId.default(null),
    status: ACTION_FIELDS.status.default('open'),
    progressNote: ACTION_FIELDS.progressNote.default(''),
    measureIds: ACTION_FIELDS.measureIds.default([]),
  })
  .strict();
export type ActionInput = z.output<typeof ActionInputSchema>;

/** What a user sends to change an action: only the fields that change (no defaults), and the version they edited. */
export const ActionUpdateSchema = z
  .object(ACTION_FIELDS)
  .partial()
  .extend({ version: z.number().int().min(1) })
  .strict();
export type ActionUpdate = z.output<typeof ActionUpdateSchema>;

/**
 * What is wrong with where an action sits, or null: its priority must exist in the strategy, and its
 * ambition (when given) must sit under that priority. Callers say it their way (a 400 naming the
 * field in the API, the file and row when seeding).
 */
export const actionPlacementProblem = (strategy: Strategy, priorityId: string, ambitionId: string | null | undefined): { field: 'priorityId' | 'ambitionId'; message: string } | null => {
  const priority = strategy.priorities.find((p) => p.id === priorityId);
  if (!priority) return { field: 'priorityId', message: `'${priorityId}' is not a priority of ${strategy.id} (${strategy.priorities.map((p) => p.id).join(', ')})` };
  if (ambitionId != null && !priority.ambitions.some((a) => a.id === ambitionId)) {
    return { field: 'ambitionId', message: `'${ambitionId}' is not an ambition of priority ${priorityId} (${priority.ambitions.map((a) => a.id).join(', ')})` };
  }
  return null;
};

/** The ids among `measureIds` that are not measures of the strategy, as a problem on the field, or null. */
export const measureLinkProblem = (strategy: Strategy, measureIds: readonly string[] | undefined): { field: 'measureIds'; message: string } | null => {
  if (measureIds === undefined || measureIds.length === 0) return null;
  const known = new Set(strategy.priorities.flatMap((p) => p.ambitions.flatMap((a) => a.measures.map((m) => m.id))));
  const unknown = measureIds.filter((id) => !known.has(id));
  return unknown.length === 0 ? null : { field: 'measureIds', message: `${unknown.map((id) => `'${id}'`).join(', ')} ${unknown.length === 1 ? 'is not a measure' : 'are not measures'} of ${strategy.id}` };
};

/** An open action past its due date (due before today). */
export const isOverdue = (action: Pick<Action, 'status' | 'dueDate'>, today: string): boolean => action.status === 'open' && action.dueDate < today;
