/**
 * Ethnic composition by local authority, from the 2011 Census (ONS table KS201EW), mapped to the
 * NHS ethnic category codes. White British (A) is the remainder. Within a local authority, the
 * ethnic-minority share of an LSOA rises with its deprivation (CONCENTRATION) and is higher among
 * children and lower among older people (AGE_FACTOR), as in the census for these places.
 */
import type { EthnicCategory } from '@openphm/core';

export type MinorityCategory = Exclude<EthnicCategory, 'A' | 'Z'>;

/** Percentages of the whole population for each category other than A (White British) and Z. */
export const ETHNICITY_BY_LAD: Record<string, Partial<Record<MinorityCategory, number>>> = {
  // Bradford
  E08000032: { B: 0.3, C: 2.5, D: 0.9, E: 0.1, F: 1.1, G: 0.4, H: 2.6, J: 20.3, K: 1.8, L: 0.9, M: 0.5, N: 0.6, P: 0.3, R: 0.3, S: 0.9 },
  // Craven
  E07000163: { B: 0.4, C: 1.6, D: 0.2, E: 0.1, F: 0.4, G: 0.1, H: 0.2, J: 1.0, K: 0.0, L: 0.2, M: 0.0, N: 0.1, P: 0.0, R: 0.2, S: 0.1 },
  // Calderdale
  E08000033: { B: 0.4, C: 1.9, D: 0.6, E: 0.1, F: 0.6, G: 0.3, H: 0.5, J: 6.8, K: 0.5, L: 0.4, M: 0.2, N: 0.3, P: 0.1, R: 0.3, S: 0.3 },
  // Kirklees
  E08000034: { B: 0.3, C: 2.0, D: 1.2, E: 0.1, F: 0.7, G: 0.4, H: 4.2, J: 10.1, K: 0.3, L: 0.8, M: 0.9, N: 0.8, P: 0.4, R: 0.3, S: 0.8 },
  // Leeds
  E08000035: { B: 0.8, C: 2.6, D: 1.0, E: 0.3, F: 0.8, G: 0.6, H: 2.2, J: 3.0, K: 0.5, L: 1.3, M: 0.6, N: 2.0, P: 0.9, R: 0.9, S: 1.0 },
  // Wakefield
  E08000036: { B: 0.3, C: 2.3, D: 0.4, E: 0.1, F: 0.3, G: 0.2, H: 0.5, J: 1.2, K: 0.0, L: 0.3, M: 0.1, N: 0.5, P: 0.1, R: 0.2, S: 0.2 },
  // Harrogate
  E07000165: { B: 0.6, C: 3.3, D: 0.2, E: 0.1, F: 0.4, G: 0.3, H: 0.5, J: 0.2, K: 0.1, L: 0.3, M: 0.1, N: 0.2, P: 0.0, R: 0.4, S: 0.3 },
};

/** How strongly minority shares concentrate in deprived LSOAs within a local authority: exp(k * d). */
export const CONCENTRATION: Record<'white-other' | 'minority', number> = { 'white-other': 0.5, minority: 3.0 };

/** Minority share multiplier by age group (0-15, 16-59, 60+). */
export const AGE_FACTOR = [1.45, 1.0, 0.4] as const;

/** Share of records with ethnicity not stated (Z). */
export const NOT_STATED_SHARE = 0.03;

export const MINORITY_CATEGORIES: readonly MinorityCategory[] = ['B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S'];
