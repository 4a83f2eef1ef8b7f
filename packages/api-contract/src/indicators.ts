/** The indicator catalogue and results (routes/indicators.ts). */
import { z } from 'zod';
import { BREAKDOWNS } from '@openphm/core';
import { DisclosureSchema, Figure, FormatQuery, Int } from './common.js';

export const IndicatorSummarySchema = z.object({
  id: z.string(),
  version: Int('definition version'),
  title: z.string(),
  definition: z.string(),
  unit: z.string(),
  polarity: z.string(),
  themes: z.array(z.string()),
  periodYears: Int('years pooled per period'),
  breakdowns: z.array(z.string()),
  reference: z.string().nullable(),
  dataSource: z.string(),
  fingertips: z
    .object({ id: Int('a Fingertips indicator id'), sex: z.string(), age: z.string(), difference: z.string().nullable() })
    .nullable()
    .describe('The Fingertips indicator whose definition this one matches (compared with England on the dashboard), with how the definitions differ; null when none matches'),
});

export const IndicatorCatalogueResponse = z.object({
  indicators: z.array(IndicatorSummarySchema),
  resultsAvailable: z.boolean().describe('false until an indicator engine is wired into the server'),
});

export const IndicatorResultsQuery = z.object({
  by: z
    .enum(BREAKDOWNS)
    .default('ics'),
  format: FormatQuery,
});

export const PublishedRowSchema = z.object({
  indicator_id: z.string(),
  indicator_version: Int('definition version'),
  title: z.string(),
  period: z.string(),
  breakdown: z.string(),
  group: z.string().describe('Breakdown value, or an inequality summary (gap, relative gap, SII, RII)'),
  numerator: Figure('Perturbed by its cell key; null = withheld'),
  denominator: Figure('A count denominator is perturbed; a population (person-years) is as counted'),
  value: Figure('Computed from the published counts (standardised rates and life expectancy: from perturbed counts per age band)'),
  lower_95: Figure(),
  upper_95: Figure(),
  lower_99_8: Figure(),
  upper_99_8: Figure(),
  unit: z.string(),
  suppressed: z.boolean(),
  note: z.string().describe('Why a figure is withheld'),
});

export const IndicatorResultsResponse = z.object({
  indicator: IndicatorSummarySchema,
  period: z.object({ start: z.string(), end: z.string(), label: z.string() }),
  breakdown: z.string(),
  rows: z.array(PublishedRowSchema).describe("Core's publishIndicator: every count perturbed or withheld, values from the published counts"),
  disclosure: DisclosureSchema,
});

export const IndicatorBreakdownSchema = z.enum(BREAKDOWNS);

export type IndicatorCatalogue = z.infer<typeof IndicatorCatalogueResponse>;

/** An indicator id in a path, e.g. smoking-prevalence. */
export const IndicatorParams = z.object({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an indicator id such as smoking-prevalence') });
export const IndicatorCatalogueQuery = z.object({ format: FormatQuery });
