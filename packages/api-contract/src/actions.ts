/** Action plans (routes/actions.ts). */
import { z } from 'zod';
import { ACTION_STATUSES, notAFigure, RAGS } from '@openphm/core';
import { IsoDay } from './common.js';

export const ActionParams = z.object({ actionId: z.coerce.number().int().min(1) });

export const RagSchema = z.enum(RAGS);

export const ActionSchema = notAFigure(z.object({
  id: z.number().int(),
  strategyId: z.string(),
  priorityId: z.string(),
  ambitionId: z.string().nullable(),
  title: z.string(),
  ownerGroup: z.string(),
  lead: z.string(),
  dueDate: IsoDay,
  rag: RagSchema,
  status: z.enum(ACTION_STATUSES),
  progressNote: z.string(),
  measureIds: z.array(z.string()).describe('The measures of the strategy this action is meant to move'),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  overdue: z.boolean(),
}), 'an action plan record (operational)');

export const ActionsResponse = z.object({ today: IsoDay, ragMeaning: z.record(RagSchema, z.string()), actions: z.array(ActionSchema) });

export type ActionsResponseT = z.infer<typeof ActionsResponse>;
