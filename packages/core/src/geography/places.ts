import type { LadCode } from '../codes/codes.js';

/** The six places of West Yorkshire & Harrogate. Bradford District & Craven spans two local authorities. */
export const PLACE_IDS = ['bradford-craven', 'calderdale', 'harrogate', 'kirklees', 'leeds', 'wakefield'] as const;
export type PlaceId = (typeof PLACE_IDS)[number];

export interface PlaceDefinition {
  readonly id: PlaceId;
  readonly name: string;
  /** Local authority districts (2019 codes) whose LSOAs make up the place. */
  readonly ladCodes: readonly LadCode[];
  /** NHS sub-ICB location codes whose GP practices serve the place (Harrogate sits inside 42D North Yorkshire). */
  readonly subIcbCodes: readonly string[];
}

const lad = (code: string) => code as LadCode;

export const PLACES: Record<PlaceId, PlaceDefinition> = {
  'bradford-craven': {
    id: 'bradford-craven',
    name: 'Bradford District & Craven',
    ladCodes: [lad('E08000032'), lad('E07000163')],
    subIcbCodes: ['36J'],
  },
  calderdale: { id: 'calderdale', name: 'Calderdale', ladCodes: [lad('E08000033')], subIcbCodes: ['02T'] },
  harrogate: { id: 'harrogate', name: 'Harrogate', ladCodes: [lad('E07000165')], subIcbCodes: ['42D'] },
  kirklees: { id: 'kirklees', name: 'Kirklees', ladCodes: [lad('E08000034')], subIcbCodes: ['X2C4Y'] },
  leeds: { id: 'leeds', name: 'Leeds', ladCodes: [lad('E08000035')], subIcbCodes: ['15F'] },
  wakefield: { id: 'wakefield', name: 'Wakefield', ladCodes: [lad('E08000036')], subIcbCodes: ['03R'] },
};

export const ICS_NAME = 'West Yorkshire & Harrogate';

export const placeOfLad = (code: string): PlaceId | undefined =>
  PLACE_IDS.find((id) => PLACES[id].ladCodes.includes(code as LadCode));
