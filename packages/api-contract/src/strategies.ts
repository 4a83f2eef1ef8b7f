/** Strategies, their versions, measures and scorecards (routes/strategies.ts). */
import { z } from 'zod';
import { MEASURE_STATUSES, notAFigure, requiredFigureSchema } from '@openphm/core';
import { DisclosureSchema, Figure, Int, IsoDay } from './common.js';

export const StrategyIdParam = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a strategy id').max(64);

export const StrategyParams = z.object({ strategyId: StrategyIdParam });

export const MeasureParams = z.object({ strategyId: StrategyIdParam, measureId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a measure id').max(64) });

export const StrategySchema = z.object({
  id: z.string(),
  version: Int('strategy version'),
  title: z.string(),
  board: z.string(),
  area: z.string(),
  areaName: z.string(),
  period: z.object({ start: IsoDay, end: IsoDay }),
  description: z.string(),
  priorities: z.array(z.object({ id: z.string(), title: z.string(), ambitions: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().nullable(), measures: z.array(z.object({ id: z.string(), title: z.string() })) })) })),
  source: z.string(),
  loadedAt: z.string(),
});

export const StrategiesResponse = z.object({
  strategies: z.array(StrategySchema),
  problems: z.array(z.object({ source: z.string(), message: z.string() })).describe('Plan files that could not be loaded (the stored version, if any, is still served)'),
});

export const MeasureStatusSchema = z.enum(MEASURE_STATUSES);

export const MeasurePointSchema = z.object({
  date: IsoDay,
  label: z.string(),
  value: Figure('The published value for the period (indicators, inequality, referral rates), or the value its owner reported'),
  lower95: Figure(),
  upper95: Figure(),
  suppressed: z.boolean(),
});

/** A number the strategy states (a baseline or target agreed by the board), not computed from person-level data. */
export const Stated = () => notAFigure(z.number(), 'stated in the strategy (agreed by the board), not computed from person-level data');

export const ScorecardMeasureSchema = z.object({
  id: z.string(),
  title: z.string(),
  priorityId: z.string(),
  ambitionId: z.string(),
  area: z.string(),
  areaName: z.string(),
  source: z.object({ kind: z.enum(['indicator', 'inequality', 'social-prescribing', 'manual']), indicatorId: z.string().optional(), statistic: z.enum(['gap', 'sii']).optional(), unit: z.string().optional() }),
  sourceLabel: z.string().describe('Where the values come from, in words'),
  unit: z.string(),
  polarity: z.enum(['higher-is-better', 'lower-is-better']),
  owner: z.string().nullable(),
  note: z.string().nullable(),
  agreed: z
    .object({
      baseline: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('stated'), value: Stated(), date: IsoDay, label: z.string() }), z.object({ kind: z.literal('data'), periodLabel: z.string() })])
        .nullable(),
      target: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('absolute'), value: Stated(), date: IsoDay }), z.object({ kind: z.literal('relative'), change: Stated(), date: IsoDay })])
        .nullable(),
      polarity: z.enum(['higher-is-better', 'lower-is-better']).nullable(),
    })
    .describe('The baseline, target and polarity as the strategy states them (polarity null: the indicator’s own)'),
  points: z.array(MeasurePointSchema),
  trajectory: z.array(z.object({ date: IsoDay, value: requiredFigureSchema('From the published (or stated) baseline to the target') })),
  status: MeasureStatusSchema,
  statusLabel: z.string(),
  rag: z.enum(['green', 'amber', 'red', 'grey']),
  baseline: z.object({ value: requiredFigureSchema('Stated, or the published value of the baseline period'), date: IsoDay, label: z.string() }).nullable(),
  target: z.object({ value: requiredFigureSchema('Stated, or computed from the published baseline'), date: IsoDay }).nullable(),
  latest: MeasurePointSchema.nullable(),
  expected: Figure('Where the trajectory says the measure should be at the latest value'),
  changeSinceBaseline: Figure('From published values'),
  significantChange: z.boolean().nullable().describe("Whether the latest value's 95% confidence interval excludes the baseline"),
  reasons: z.array(z.string()).describe('What an incomplete measure lacks'),
});

export const ScorecardResponse = z.object({
  strategy: StrategySchema,
  summary: z.record(MeasureStatusSchema, Int('measures with this status')),
  measures: z.array(ScorecardMeasureSchema),
  disclosure: DisclosureSchema,
});

export const MeasureValueBody = z
  .object({
    periodLabel: z.string().trim().min(1).max(40),
    periodEnd: IsoDay.describe('The last day of the period the value is for'),
    value: z.number().finite(),
    note: z.string().max(2000).default(''),
  })
  .strict();

export const MeasureValueResponse = notAFigure(z.object({ measureId: z.string(), periodLabel: z.string(), periodEnd: IsoDay, value: z.number(), note: z.string(), recordedBy: z.string(), recordedAt: z.string() }), 'a value its owner reported, echoed to them (operational)');

export const MeasureEditResponse = z.object({
  strategyId: z.string(),
  version: Int('strategy version').describe('The new version of the strategy'),
  changes: z.array(z.string()).describe('What changed, in words'),
});

export const StrategyVersionParams = z.object({ strategyId: StrategyIdParam, version: z.coerce.number().int().min(1).max(1_000_000) });

export const StrategyVersionsResponse = z.object({
  strategyId: z.string(),
  versions: z.array(
    z.object({
      version: Int('strategy version'),
      source: z.string().describe('The plan file it was loaded from, or OpenPHM for a version made in the app'),
      loadedAt: z.string(),
      editedBy: z.string().nullable().describe('Who made it in the app (shown to signed-in staff and board members only)'),
      reason: z.string().nullable().describe('Why it was made in the app'),
      changes: z.array(z.string()).describe('What differs from the version before, in words'),
    }),
  ),
});

export type StrategiesResponseT = z.infer<typeof StrategiesResponse>;

export type ScorecardResponseT = z.infer<typeof ScorecardResponse>;

export type MeasureEditResponseT = z.infer<typeof MeasureEditResponse>;

export type StrategyVersionsResponseT = z.infer<typeof StrategyVersionsResponse>;

/** A measure owner's commentary: why the measure is where it is and what is being done (programme leads). */
export const MeasureCommentaryBody = z.object({ commentary: z.string().trim().min(1, 'required').max(4000) }).strict();

const CommentarySchema = z.object({ text: z.string(), writtenBy: z.string(), writtenAt: z.string() });

export const MeasureCommentaryResponse = notAFigure(z.object({ measureId: z.string(), commentary: CommentarySchema }), "a measure owner's commentary, echoed to them (operational)");

/** What addresses each measure: the actions meant to move it, the risks that threaten it, and its owner's latest commentary (delivery readers). */
export const MeasureLinksResponse = notAFigure(
  z.object({
    measures: z.array(
      z.object({
        measureId: z.string(),
        actions: z.array(z.object({ id: z.number().int(), title: z.string(), lead: z.string(), rag: z.enum(['green', 'amber', 'red']), status: z.string(), overdue: z.boolean() })),
        risks: z.array(
          z.object({
            id: z.number().int(),
            title: z.string(),
            owner: z.string(),
            score: z.number().int(),
            band: z.string(),
            status: z.string(),
            addressedBy: z.array(z.string()).describe('The titles of the actions that address the risk'),
          }),
        ),
        commentary: CommentarySchema.nullable(),
      }),
    ),
  }),
  'links between operational records (actions, risks, commentary) and a strategy’s measures',
);

export type MeasureLinksResponseT = z.infer<typeof MeasureLinksResponse>;
