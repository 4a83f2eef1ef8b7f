/** Segment and risk summaries (routes/summaries.ts). */
import { z } from 'zod';
import { BREAKDOWNS } from '@openphm/core';
import { DisclosureSchema, Figure, FormatQuery, Int, NullableNumber, PublishedCount } from './common.js';

/** Every breakdown but LSOA (too fine for people counts by segment or risk). */
export const SummaryBreakdownSchema = z.enum(BREAKDOWNS).exclude(['lsoa']);

export const SUMMARY_AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64}|neighbourhood:[A-Za-z0-9_-]{1,64})$/;

export const SummaryArea = z
  .string()
  .regex(SUMMARY_AREA_PATTERN, "area must be 'ics', 'place:<id>' or 'neighbourhood:<id>'")
  .optional()
  .describe('restrict to an area (default: the whole ICS)');

export const SummaryAreaOut = z.object({ id: z.string(), name: z.string(), level: z.enum(['ics', 'place', 'neighbourhood']) });

export const SegmentsQuery = z.object({
  segmentation: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a segmentation id such as kirklees-four-groups').default('kirklees-four-groups'),
  by: SummaryBreakdownSchema.default('ics'),
  area: SummaryArea,
  format: FormatQuery,
});

export const CountRowBase = {
  group: z.string(),
  groupLabel: z.string(),
  people: PublishedCount,
  groupPeople: Figure('People in the group (perturbed); null when withheld'),
  share: NullableNumber('people / groupPeople, from the published counts; null when withheld'),
  suppressed: z.boolean(),
  note: z.string(),
};

export const SegmentsResponse = z.object({
  segmentation: z.object({
    id: z.string(),
    version: Int('definition version'),
    title: z.string(),
    source: z.string(),
    segments: z.array(z.object({ id: z.string(), label: z.string(), description: z.string() })),
  }),
  date: z.string().describe('Reference date: people resident on this day'),
  by: z.string(),
  area: SummaryAreaOut,
  rows: z.array(z.object({ ...CountRowBase, segment: z.string() })),
  disclosure: DisclosureSchema,
});

export const RiskQuery = z.object({ by: SummaryBreakdownSchema.default('ics'), area: SummaryArea, format: FormatQuery });

export const RiskResponse = z.object({
  date: z.string(),
  by: z.string(),
  area: SummaryAreaOut,
  measures: z.array(z.object({ id: z.string(), label: z.string(), partition: z.boolean().describe('false when categories overlap'), categories: z.array(z.string()) })),
  rows: z.array(z.object({ ...CountRowBase, measure: z.string(), category: z.string() })),
  disclosure: DisclosureSchema,
});

export type SegmentsResponseT = z.infer<typeof SegmentsResponse>;

export type RiskResponseT = z.infer<typeof RiskResponse>;
