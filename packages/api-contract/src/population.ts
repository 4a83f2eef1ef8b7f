/** People by area, age, sex and deprivation (routes/population.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { DisclosureSchema, FormatQuery, Int, PublishedCount } from './common.js';

export const AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64}|neighbourhood:[A-Za-z0-9_-]{1,64}|lsoa:E01\d{6})$/;

export const AreaParam = z
  .string()
  .regex(AREA_PATTERN, "area must be 'ics', 'place:<id>', 'neighbourhood:<id>' or 'lsoa:<code>'")
  .default('ics')
  .describe("ics | place:<id> | neighbourhood:<id> | lsoa:<LSOA 2011 code>");

export const PopulationTable = z.enum(['pyramid', 'imd-decile', 'breakdown']);

export const PopulationQuery = z.object({
  area: AreaParam,
  format: FormatQuery,
  table: PopulationTable.default('pyramid').describe('which table to return when format=csv'),
});

export const AreaSchema = z.object({
  type: z.enum(['ics', 'place', 'neighbourhood', 'lsoa']),
  id: z.string(),
  name: z.string(),
  place: z.string().nullable(),
  population2015: notAFigure(z.number().int(), 'published ONS figure (reference data)').describe('Mid-2015 resident population (IoD 2019 denominators; published ONS figures)'),
  imdDecile: notAFigure(z.number().int().nullable(), 'IMD 2019 (reference data)').describe('For an LSOA: its IMD 2019 decile'),
  imdRank: notAFigure(z.number().int().nullable(), 'IMD 2019 (reference data)'),
});

export const PopulationSummary = z.object({
  area: AreaSchema,
  referenceDate: z.string().describe('People alive and resident on this day (the last day of the data window)'),
  total: PublishedCount,
  pyramid: z.array(z.object({ ageBand: z.string(), female: PublishedCount, male: PublishedCount })),
  byImdDecile: z.array(z.object({ imdDecile: Int('a decile (1-10), not a figure'), count: PublishedCount })),
  breakdown: z.object({
    by: z.enum(['place', 'neighbourhood', 'lsoa', 'none']),
    rows: z.array(z.object({ id: z.string(), name: z.string(), count: PublishedCount })),
  }),
  disclosure: DisclosureSchema,
});

export type PopulationSummaryT = z.infer<typeof PopulationSummary>;
