/** Risk registers (routes/risks.ts). */
import { z } from 'zod';
import { notAFigure, RISK_STATUSES } from '@openphm/core';
import { IsoDay } from './common.js';

export const RiskParams = z.object({ riskId: z.coerce.number().int().min(1) });

export const RiskSchema = notAFigure(z.object({
  id: z.number().int(),
  strategyId: z.string(),
  title: z.string(),
  description: z.string(),
  owner: z.string(),
  likelihood: z.number().int(),
  impact: z.number().int(),
  targetLikelihood: z.number().int().nullable(),
  targetImpact: z.number().int().nullable(),
  controls: z.string(),
  mitigations: z.string(),
  reviewDate: IsoDay,
  status: z.enum(RISK_STATUSES),
  priorityId: z.string().nullable().describe('The priority the risk threatens (null: the whole strategy)'),
  measureIds: z.array(z.string()).describe('The measures of the strategy the risk threatens'),
  actionIds: z.array(z.number().int()).describe('The actions of the strategy that address the risk'),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  score: z.number().int(),
  band: z.enum(['critical', 'serious', 'high', 'moderate', 'low']),
  targetScore: z.number().int().nullable(),
  reviewOverdue: z.boolean(),
}), 'a risk register record (operational)');

export const RisksResponse = notAFigure(z.object({
  today: IsoDay,
  bands: z.array(z.object({ id: z.string(), label: z.string(), min: z.number(), max: z.number() })),
  likelihoodLabels: z.array(z.string()),
  impactLabels: z.array(z.string()),
  heatmap: z.array(z.array(z.number().int())).describe('Open risks by likelihood (rows 1-5) and impact (columns 1-5)'),
  risks: z.array(RiskSchema),
}), 'the risk register (operational): scores, bands and counts of risks');

export type RisksResponseT = z.infer<typeof RisksResponse>;
