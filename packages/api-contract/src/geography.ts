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
    z.object({
      id: z.string(),
      name: z.string().describe("The neighbourhood's name: its PCN's, unless an admin has renamed it"),
      pcnName: z.string().describe('The name of the PCN it is paired with (its name when not renamed)'),
      place: z.string(),
      pcnCode: z.string(),
      population: ReferencePopulation(),
      lsoaCount: Int('LSOAs in the neighbourhood (geography)'),
    }),
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

// ---- postcode search (GET /api/geography/postcode)

export const PostcodeQuery = z.object({
  postcode: z.string().max(40).describe('A postcode as typed: case and spaces do not matter (ls14dy = LS1 4DY)'),
});

export const PostcodeAreaResponse = z
  .object({
    postcode: z.string().describe("The postcode in the ONS lookups' form (LS1 4DY)"),
    terminated: z.boolean().describe('The lookup marks the postcode as no longer in use (its area is still shown)'),
    lsoa: z.object({ code: z.string(), name: z.string() }),
    neighbourhood: z.object({ id: z.string(), name: z.string() }).nullable().describe('null for an LSOA in no neighbourhood'),
    place: z.object({ id: z.string(), name: z.string() }),
    metadata: AttributionSchema.extend({ source: z.string() }),
  })
  .describe('The areas a postcode lies in (2011 LSOA, neighbourhood, place): areas only, never people or addresses');

export type PostcodeArea = z.infer<typeof PostcodeAreaResponse>;

// ---- neighbourhood names (PUT /api/admin/neighbourhoods/:neighbourhoodId/name)

export const NeighbourhoodParams = z.object({ neighbourhoodId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a neighbourhood id such as leeds-01') });

export const NeighbourhoodNameBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'a name of 1 to 100 characters')
      .max(100, 'a name of 1 to 100 characters')
      .nullable()
      .describe("The neighbourhood's new name; null to name it after its PCN again"),
  })
  .strict();

export const NeighbourhoodNameResponse = z.object({
  id: z.string(),
  name: z.string().describe('The name shown from now on'),
  pcnName: z.string(),
  renamed: z.boolean().describe('false when the neighbourhood carries its PCN name'),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export type NeighbourhoodName = z.infer<typeof NeighbourhoodNameResponse>;

export const NeighbourhoodNamesResponse = z.object({ neighbourhoods: z.array(NeighbourhoodNameResponse) });
