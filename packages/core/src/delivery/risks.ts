/**
 * Risk registers scored likelihood × impact on 5 × 5, banded as the partnership's boards do:
 * Critical 20-25, Serious 15-16, High 8-12, Moderate 4-6, Low 1-3 (every product of two numbers
 * 1-5 falls in exactly one band). Each risk has an owner, controls, further mitigations, a target
 * score after them, and a date by which it must next be reviewed.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';

export const RISK_BANDS = [
  { id: 'critical', label: 'Critical', min: 20, max: 25 },
  { id: 'serious', label: 'Serious', min: 15, max: 16 },
  { id: 'high', label: 'High', min: 8, max: 12 },
  { id: 'moderate', label: 'Moderate', min: 4, max: 6 },
  { id: 'low', label: 'Low', min: 1, max: 3 },
] as const;
export type RiskBand = (typeof RISK_BANDS)[number]['id'];

export const LIKELIHOOD_LABELS = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;
export const IMPACT_LABELS = ['Negligible', 'Minor', 'Moderate', 'Major', 'Catastrophic'] as const;

export const riskScore = (likelihood: number, impact: number): number => likelihood * impact;

export const riskBand = (score: number): RiskBand => {
  const band = RISK_BANDS.find((b) => score >= b.min && score <= b.max);
  if (!band) throw new RangeError(`${score} is not a 5 × 5 risk score`);
  return band.id;
};

export const RISK_STATUSES = ['open', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export interface Risk {
  readonly id: number;
  readonly strategyId: string;
  readonly title: string;
  readonly description: string;
  readonly owner: string;
  readonly likelihood: number;
  readonly impact: number;
  readonly targetLikelihood: number | null;
  readonly targetImpact: number | null;
  readonly controls: string;
  readonly mitigations: string;
  readonly reviewDate: string;
  readonly status: RiskStatus;
  /** The priority of the strategy the risk threatens (null: the strategy as a whole). */
  readonly priorityId: string | null;
  /** The strategy's measures the risk threatens. */
  readonly measureIds: readonly string[];
  /** The strategy's actions that address the risk (mitigate it). */
  readonly actionIds: readonly number[];
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const SCALE = z.number().int().min(1, 'from 1 to 5').max(5, 'from 1 to 5');
const TEXT = (max: number) => z.string().trim().min(1, 'required').max(max);

const RISK_FIELDS = {
  title: TEXT(300),
  description: z.string().max(4000),
  owner: TEXT(200),
  likelihood: SCALE,
  impact: SCALE,
  targetLikelihood: SCALE.nullable(),
  targetImpact: SCALE.nullable(),
  controls: z.string().max(4000),
  mitigations: z.string().max(4000),
  reviewDate: IsoDaySchema,
  status: z.enum(RISK_STATUSES),
  priorityId: TEXT(64).nullable(),
  measureIds: z.array(TEXT(64)).max(20).refine((ids) => new Set(ids).size === ids.length, 'a measure is named twice'),
  actionIds: z.array(z.number().int().min(1)).max(20).refine((ids) => new Set(ids).size === ids.length, 'an action is named twice'),
};
const BOTH_TARGETS = { message: 'give both target likelihood and target impact, or neither', path: ['targetImpact'] };

/** A new risk's fields as a user sends them for a strategy (open, no target and empty texts by default). */
export const RiskBodySchema = z
  .object({
    ...RISK_FIELDS,
    description: RISK_FIELDS.description.default(''),
    targetLikelihood: RISK_FIELDS.targetLikelihood.default(null),
    targetImpact: RISK_FIELDS.targetImpact.default(null),
    controls: RISK_FIELDS.controls.default(''),
    mitigations: RISK_FIELDS.mitigations.default(''),
    status: RISK_FIELDS.status.default('open'),
    priorityId: RISK_FIELDS.priorityId.default(null),
    measureIds: RISK_FIELDS.measureIds.default([]),
    actionIds: RISK_FIELDS.actionIds.default([]),
  })
  .strict();

/** A new risk: its fields, the strategy it belongs to, and both target scores or neither. */
export const RiskInputSchema = RiskBodySchema.extend({ strategyId: TEXT(64) })
  .strict()
  .refine((r) => (r.targetLikelihood === null) === (r.targetImpact === null), BOTH_TARGETS);
export type RiskInput = z.output<typeof RiskInputSchema>;

/** What a user sends to change a risk: only the fields that change, and the version they edited. */
export const RiskUpdateSchema = z
  .object(RISK_FIELDS)
  .partial()
  .extend({ version: z.number().int().min(1) })
  .strict()
  .refine((r) => (r.targetLikelihood === undefined) === (r.targetImpact === undefined) && (r.targetLikelihood === null) === (r.targetImpact === null), BOTH_TARGETS);
export type RiskUpdate = z.output<typeof RiskUpdateSchema>;

/** An open risk whose review date has passed. */
export const isReviewOverdue = (risk: Pick<Risk, 'status' | 'reviewDate'>, today: string): boolean => risk.status === 'open' && risk.reviewDate < today;

/** Open risks counted on the 5 × 5 grid: cells[likelihood - 1][impact - 1]. */
export const riskHeatmap = (risks: readonly Pick<Risk, 'likelihood' | 'impact' | 'status'>[]): number[][] => {
  const cells = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
  for (const r of risks) if (r.status === 'open') cells[r.likelihood - 1]![r.impact - 1]!++;
  return cells;
};
