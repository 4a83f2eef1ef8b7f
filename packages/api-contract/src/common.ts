/** What every response shares: errors, the `disclosure` block, figure fields, dates. */
import { z } from 'zod';
import { figureSchema, notAFigure } from '@openphm/core';

/**
 * Every number in a response is either a published figure (`figureSchema`: made by core's
 * publication module, type-branded, marked x-openphm-figure) or declared not to be one, with why
 * (`notAFigure`: an id, a version, a policy parameter, a person-level field for the care team, an
 * operational record). publication.test.ts walks every route's responses and fails on any other number.
 */
export const Figure = figureSchema;

/** A count: a whole number, not a figure (ids, versions, positions, operational records). */
export const Int = (why: string) => notAFigure(z.number().int(), why);

export const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      kind: z.string().describe('usage, invalid-input, not-found, conflict, forbidden, unauthenticated, not-implemented or internal'),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('For validation errors: the fields at fault'),
    }),
  })
  .describe('Every error has this shape');

export const FormatQuery = z.enum(['json', 'csv']).default('json').describe('csv returns the table as text/csv');

export const DisclosureSchema = z
  .object({
    rule: z.string().describe('How the figures were protected, in words'),
    suppressedCells: Int('how many cells this response withholds'),
    method: z.enum(['cell-key-perturbation', 'rounding-and-suppression', 'none']),
    minimumCount: Int('policy: counts below this are withheld'),
    suppressZero: z.boolean(),
    rounding: Int('policy: published counts are multiples of this (1: not rounded)'),
    maxPerturbation: Int('policy: the largest noise cell-key perturbation adds to a count'),
    valuesFrom: z.literal('published-counts').describe('Values, rates and intervals are computed from the published counts'),
  })
  .describe('Disclosure control applied to the figures of this response (docs/disclosure-control.md)');

/** A published count: null when withheld. */
export const PublishedCount = Figure('A published count (perturbed by its cell key); null = withheld (small number)');

export const NullableNumber = Figure;

export const PeriodSchema = z.object({ start: z.string(), end: z.string().describe('exclusive'), label: z.string() });

export type ApiError = z.infer<typeof ErrorSchema>;

export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const HistoryResponse = notAFigure(z.object({
  history: z.array(z.object({ version: z.number().int(), changedAt: z.string(), changedBy: z.string(), snapshot: z.record(z.string(), z.unknown()) })),
}), 'the history of an operational record');

export type HistoryResponseT = z.infer<typeof HistoryResponse>;
