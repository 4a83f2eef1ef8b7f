import type { LadCode, LsoaCode, OdsPcnCode, OdsPracticeCode } from '../codes/codes.js';
import type { PlaceId } from './places.js';

/** Mid-2015 population (IoD 2019 denominators, excluding prisoners). */
export interface LsoaPopulation {
  readonly total: number;
  readonly age0to15: number;
  readonly age16to59: number;
  readonly age60plus: number;
}

export interface LsoaArea {
  readonly code: LsoaCode;
  readonly name: string;
  readonly ladCode: LadCode;
  readonly ladName: string;
  readonly place: PlaceId;
  /** IMD 2019 national rank, 1 = most deprived of 32,844. */
  readonly imdRank: number;
  /** IMD 2019 national decile, 1 = most deprived 10%. */
  readonly imdDecile: number;
  /** IMD 2019 national quintile, 1 = most deprived 20%. */
  readonly imdQuintile: number;
  /** IoD 2019 Health Deprivation and Disability domain rank (1 = most deprived). */
  readonly healthDeprivationRank: number;
  readonly population: LsoaPopulation;
  /** Area-weighted centroid of the boundary polygon, WGS84 [longitude, latitude]. */
  readonly centroid: readonly [number, number];
  /** Id of the derived neighbourhood the LSOA belongs to. */
  readonly neighbourhoodId: string;
}

/** A derived neighbourhood: a contiguous group of LSOAs of roughly PCN size within one place. */
export interface Neighbourhood {
  readonly id: string;
  readonly name: string;
  readonly place: PlaceId;
  readonly lsoaCodes: readonly LsoaCode[];
  /** Mid-2015 population, summed over the LSOAs. */
  readonly population: number;
  /** The real PCN paired with this neighbourhood (see docs/geography.md for how). */
  readonly pcnCode: OdsPcnCode;
}

export interface Practice {
  readonly code: OdsPracticeCode;
  readonly name: string;
  readonly postcode: string;
  readonly subIcbCode: string;
  readonly place: PlaceId;
  readonly pcnCode: OdsPcnCode;
  /** Patient-weighted IMD 2019 score of the practice population (higher = more deprived). */
  readonly imdScore: number;
  readonly imdDecile: number;
}

export interface Pcn {
  readonly code: OdsPcnCode;
  readonly name: string;
  readonly place: PlaceId;
  readonly subIcbCode: string;
  readonly imdScore: number;
  readonly practiceCodes: readonly OdsPracticeCode[];
}

export interface LocalAuthority {
  readonly code: LadCode;
  readonly name: string;
  readonly place: PlaceId;
}

/** ICS → place → local authority → neighbourhood → LSOA, plus the real practices and PCNs. */
export interface Geography {
  readonly icsName: string;
  readonly localAuthorities: readonly LocalAuthority[];
  readonly lsoas: readonly LsoaArea[];
  readonly neighbourhoods: readonly Neighbourhood[];
  readonly practices: readonly Practice[];
  readonly pcns: readonly Pcn[];
}
