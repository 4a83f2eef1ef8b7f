/** Reference geography and boundaries (routes/geography.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { FormatQuery, Int } from './common.js';

export const AttributionSchema = z.object({ attribution: z.string(), licence: z.string() });

export const ReferencePopulation = () => notAFigure(z.number().int(), 'published ONS mid-2015 population (IoD 2019 denominators), reference data');

export const GeographyResponse = z.object({
  ics: z.object({ name: z.string(), population: ReferencePopulation() }),
  places: z.array(z.object({ id: z.string(), name: z.string(), population: ReferencePopulation() })),
  localAuthorities: z.array(z.object({ code: z.string(), name: z.string(), place: z.string() })),
  neighbourhoods: z.array(
    z.object({ id: z.string(), name: z.string(), place: z.string(), pcnCode: z.string(), population: ReferencePopulation(), lsoaCount: Int('LSOAs in the neighbourhood (geography)') }),
  ),
  lsoaCount: Int('LSOAs in the partnership (geography)'),
  populationNote: z.string(),
  metadata: AttributionSchema,
});

export const Ring = z.array(z.tuple([z.number(), z.number()]));

export const FeatureCollectionSchema = notAFigure(
  z.object({
    type: z.literal('FeatureCollection'),
    metadata: AttributionSchema.extend({ source: z.string(), precision: z.string(), features: z.number().int() }),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
        geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) }),
      }),
    ),
  }),
  'boundaries (coordinates) and reference geography (ONS populations, IMD ranks and deciles)',
);

export type Geography = z.infer<typeof GeographyResponse>;

export type FeatureCollection = z.infer<typeof FeatureCollectionSchema>;

export const GeographyQuery = z.object({ format: FormatQuery, table: z.enum(['places', 'neighbourhoods', 'local-authorities']).default('neighbourhoods') });
