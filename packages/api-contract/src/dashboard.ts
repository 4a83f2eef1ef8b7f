/** The outcomes dashboard and trends (routes/dashboard.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { DisclosureSchema, FormatQuery, Int, NullableNumber, PeriodSchema } from './common.js';
import { IndicatorBreakdownSchema, IndicatorSummarySchema } from './indicators.js';

export const DASHBOARD_AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64})$/;

export const DashboardQuery = z.object({
  area: z.string().regex(DASHBOARD_AREA_PATTERN, "area must be 'ics' or 'place:<id>'").default('ics').describe('ics | place:<id>'),
  format: FormatQuery,
});

export const ComparisonSchema = z
  .enum(['better', 'similar', 'worse', 'higher', 'lower', 'not-compared'])
  .describe("The area's 95% confidence interval against the benchmark value: better/worse by the indicator's polarity, higher/lower when it has none");

export const PublishedPointSchema = z.object({
  period: PeriodSchema,
  value: NullableNumber(),
  lower95: NullableNumber(),
  upper95: NullableNumber(),
  numerator: NullableNumber('Perturbed; null = withheld'),
  denominator: NullableNumber(),
  suppressed: z.boolean(),
  note: z.string().describe('Why a figure is withheld'),
});

export const InequalitySchema = z.object({
  gap: NullableNumber(),
  gapLabel: z.string(),
  sii: NullableNumber('Slope index of inequality across IMD deciles within the area'),
  siiLower95: NullableNumber(),
  siiUpper95: NullableNumber(),
  suppressed: z.boolean().describe('Withheld because a decile is suppressed'),
  note: z.string(),
});

/** A real figure published by OHID Fingertips: not derived from person-level data, so not disclosure-controlled. */
const PublishedElsewhere = (what: string) => notAFigure(z.number().nullable(), `${what}: a real figure published by OHID Fingertips (England), not derived from person-level data`);

export const EnglandBenchmarkSchema = z
  .object({
    value: notAFigure(z.number(), "England's value: a real figure published by OHID Fingertips, not derived from person-level data"),
    lower95: PublishedElsewhere('lower 95% limit'),
    upper95: PublishedElsewhere('upper 95% limit'),
    count: PublishedElsewhere('count'),
    denominator: PublishedElsewhere('denominator'),
    period: z.string().describe("Fingertips' period label ('2022/23', '2021-23')"),
    periodNote: z.string().describe("'' when the period is the same; otherwise how it differs (calendar against financial years)"),
    fingertipsId: Int('a Fingertips indicator id'),
    indicatorName: z.string(),
    sex: z.enum(['Persons', 'Female', 'Male']),
    age: z.string(),
    unit: z.string(),
    difference: z.string().nullable().describe('How the definitions differ, when they are close but not equal'),
    set: z.string().describe('The label of the imported benchmark set'),
    source: z.string(),
    published: z.literal(true).describe('Always true: a real published figure, beside synthetic local ones'),
    note: z.string(),
    attribution: z.string(),
  })
  .describe('England, for the same period, from the imported benchmarks (docs/statistics.md, "Comparison with England")');

export const EnglandPointSchema = z.object({
  period: z.string().describe("the local period's label"),
  england: EnglandBenchmarkSchema.nullable(),
  comparison: ComparisonSchema,
});

export const DashboardIndicatorSchema = z.object({
  id: z.string(),
  title: z.string(),
  definition: z.string(),
  unit: z.string(),
  polarity: z.string(),
  themes: z.array(z.string()),
  periodYears: Int('years pooled per period'),
  latest: PublishedPointSchema,
  trend: z.array(PublishedPointSchema).describe('Every period in the data window, oldest first'),
  benchmark: z.object({ areaId: z.literal('ics'), name: z.string(), value: NullableNumber() }).nullable().describe('null when the area is the ICS'),
  comparison: ComparisonSchema,
  inequality: InequalitySchema.nullable().describe('null when not computable'),
  england: EnglandBenchmarkSchema.nullable().describe('England for the latest period; null when there is none for that period (never another period)'),
  englandComparison: ComparisonSchema.describe("The area's 95% confidence interval against England's value"),
  englandNote: z.string().describe("Why there is no England value ('' when there is one)"),
  englandTrend: z.array(EnglandPointSchema).describe('England for each period of trend, in the same order'),
});

export const DashboardResponse = z.object({
  area: z.object({ id: z.string(), name: z.string(), level: z.enum(['ics', 'place']) }),
  indicators: z.array(DashboardIndicatorSchema),
  trendsComplete: z
    .boolean()
    .describe('false for a while after the server starts on new data: each indicator shows its latest period only (trend is that one point) while the older periods are counted; ask again'),
  disclosure: DisclosureSchema,
});

export const IndicatorTrendQuery = z.object({
  by: IndicatorBreakdownSchema.default('ics'),
  group: z.string().min(1).max(64).regex(/^[A-Za-z0-9 _+.-]+$/, 'a group of the breakdown, e.g. leeds or 1').optional().describe('required unless by=ics'),
  format: FormatQuery,
});

export const IndicatorTrendResponse = z.object({
  indicator: IndicatorSummarySchema,
  breakdown: z.string(),
  group: z.string(),
  groupLabel: z.string(),
  trend: z.array(PublishedPointSchema).describe('Every period in the data window, oldest first'),
  disclosure: DisclosureSchema,
});

export type DashboardResponseT = z.infer<typeof DashboardResponse>;

export type DashboardIndicator = z.infer<typeof DashboardIndicatorSchema>;

export type EnglandBenchmark = z.infer<typeof EnglandBenchmarkSchema>;

export type IndicatorTrend = z.infer<typeof IndicatorTrendResponse>;
