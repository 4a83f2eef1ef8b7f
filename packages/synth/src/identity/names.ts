/**
 * Given and family names by community. A person's ethnic category gives the communities they may
 * belong to (with weights: White - any other White background is mostly Polish and Romanian in West
 * Yorkshire, Black African mostly Nigerian, Zimbabwean, Ghanaian and Somali, and so on); the
 * community gives both names, so they go together. People of the majority community get given names
 * by sex and year of birth from ONS's baby names (counts from 1996, the top 100 of each decade
 * before, weighted by rank), so a woman born in 1950 is more likely a Margaret and one born in 2010
 * an Olivia.
 */
import type { EthnicCategory, Random } from '@openphm/core';
import { ETHNIC_CODES } from '../areas.js';
import type { GivenNameList } from './name-lists.js';
import * as L from './name-lists.js';
import type { IdentityReference, NameYear } from '@openphm/reference-data';

export type CommunityId =
  | 'british' | 'irish' | 'scottish' | 'polish' | 'romanian' | 'caribbean' | 'nigerian' | 'ghanaian' | 'zimbabwean' | 'somali'
  | 'pakistani' | 'bangladeshi' | 'sikh' | 'hindu' | 'gujarati-muslim' | 'chinese' | 'filipino' | 'nepali' | 'tamil'
  | 'arab' | 'kurdish-iranian';

/** Which communities people of each ethnic category belong to, with weights. */
export const COMMUNITIES_BY_ETHNIC: Record<EthnicCategory, readonly (readonly [CommunityId, number])[]> = {
  A: [['british', 92], ['scottish', 5], ['irish', 3]],
  B: [['irish', 90], ['british', 10]],
  C: [['polish', 50], ['romanian', 15], ['british', 35]],
  D: [['british', 55], ['caribbean', 45]],
  E: [['british', 50], ['nigerian', 20], ['zimbabwean', 15], ['ghanaian', 15]],
  F: [['british', 55], ['pakistani', 25], ['sikh', 10], ['hindu', 10]],
  G: [['british', 70], ['caribbean', 10], ['arab', 10], ['chinese', 10]],
  H: [['sikh', 40], ['hindu', 35], ['gujarati-muslim', 25]],
  J: [['pakistani', 100]],
  K: [['bangladeshi', 100]],
  L: [['filipino', 25], ['nepali', 20], ['tamil', 20], ['kurdish-iranian', 20], ['chinese', 15]],
  M: [['caribbean', 100]],
  N: [['nigerian', 35], ['zimbabwean', 25], ['ghanaian', 20], ['somali', 20]],
  P: [['caribbean', 40], ['nigerian', 20], ['somali', 20], ['ghanaian', 10], ['zimbabwean', 10]],
  R: [['chinese', 100]],
  S: [['arab', 50], ['kurdish-iranian', 50]],
  Z: [['british', 85], ['pakistani', 8], ['polish', 4], ['irish', 3]],
};

/** Names with cumulative weights, drawn by binary search. */
export interface Picker {
  readonly names: readonly string[];
  readonly cumulative: readonly number[];
}

const cumulate = (weights: readonly number[]): number[] => {
  let t = 0;
  return weights.map((w) => (t += w));
};

/** Weights by rank (1/rank^0.9: a Zipf-like fall-off, as surname frequencies have). */
export const rankedPicker = (names: readonly string[]): Picker => ({ names, cumulative: cumulate(names.map((_, i) => 1 / (i + 1) ** 0.9)) });

const withoutMarks = (name: string): string => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace('ł', 'l').replace('Ł', 'L');

/**
 * A community's given names weighted by how many babies ONS recorded with them 1996-2024 (square
 * root, so names of older generations stay likely; at least 100 births' worth for names ONS lists
 * rarely or under another spelling).
 */
export const countedPicker = (names: readonly string[], totals: Readonly<Record<string, number>>): Picker => ({
  names,
  cumulative: cumulate(names.map((n) => Math.sqrt(Math.max(100, totals[n] ?? totals[withoutMarks(n)] ?? 0)))),
});

export const pick = (rng: Random, picker: Picker): string => picker.names[rng.pickCumulative(picker.cumulative)]!;

/** The ONS list for the year of birth: the nearest year published (ties go to the later one). */
export const nameYearFor = (years: readonly NameYear[], year: number): NameYear => {
  let best = years[0]!;
  for (const y of years) if (Math.abs(y.year - year) <= Math.abs(best.year - year)) best = y;
  return best;
};

interface Community {
  given(rng: Random, male: boolean, birthYear: number): string;
  surname(rng: Random, male: boolean): string;
}

/** The communities, built once from the reference data. */
export type Communities = Readonly<Record<CommunityId, Community>>;

export const buildCommunities = (ref: IdentityReference): Communities => {
  const ons = (rng: Random, male: boolean, birthYear: number): string => {
    const year = nameYearFor(male ? ref.givenNames.M : ref.givenNames.F, birthYear);
    return pick(rng, year);
  };
  const listed = (list: GivenNameList) => {
    const F = countedPicker(list.F, ref.givenNameTotals.F);
    const M = countedPicker(list.M, ref.givenNameTotals.M);
    return (rng: Random, male: boolean): string => pick(rng, male ? M : F);
  };
  /** Mostly the community's own names; `onsShare` of people (often born here) get names of their birth year. */
  const given = (list: GivenNameList, onsShare = 0) => {
    const own = listed(list);
    return (rng: Random, male: boolean, birthYear: number): string => (rng.next() < onsShare ? ons(rng, male, birthYear) : own(rng, male));
  };
  const surnames = (names: readonly string[]) => {
    const p = rankedPicker(names);
    return (rng: Random): string => pick(rng, p);
  };
  /** Family names for men; women hold `womenNames` instead `womenShare` of the time. */
  const withWomen = (names: readonly string[], womenNames: readonly string[], womenShare: number) => {
    const all = rankedPicker(names);
    const women = rankedPicker(womenNames);
    return (rng: Random, male: boolean): string => (!male && rng.next() < womenShare ? pick(rng, women) : pick(rng, all));
  };
  const england = rankedPicker(L.ENGLAND_SURNAMES);
  const westRiding = rankedPicker(L.WEST_RIDING_SURNAMES);
  const scotland = rankedPicker(ref.surnames.scotland);
  const ireland = rankedPicker(ref.surnames.ireland);
  const polandMale = rankedPicker(ref.surnames['poland-male']);
  const polandFemale = rankedPicker(ref.surnames['poland-female']);
  // The published Bangladeshi ranks include names only women hold (Akter, Khatun): those are drawn for women only.
  const bangladesh = [...ref.surnames.bangladesh, ...L.BANGLADESHI_SURNAMES.filter((n) => !ref.surnames.bangladesh.includes(n))].filter((n) => !L.WOMEN_ONLY_SURNAMES.has(n));
  const sikhClan = rankedPicker(L.SIKH_SURNAMES);

  return {
    british: { given: ons, surname: (rng) => pick(rng, rng.next() < 0.1 ? westRiding : england) },
    scottish: { given: ons, surname: (rng) => pick(rng, scotland) },
    irish: { given: ons, surname: (rng) => pick(rng, ireland) },
    polish: { given: given(L.POLISH_GIVEN, 0.1), surname: (rng, male) => pick(rng, male ? polandMale : polandFemale) },
    romanian: { given: given(L.ROMANIAN_GIVEN, 0.1), surname: surnames(L.ROMANIAN_SURNAMES) },
    caribbean: { given: ons, surname: surnames(L.CARIBBEAN_SURNAMES) },
    nigerian: { given: given(L.NIGERIAN_GIVEN, 0.2), surname: surnames(L.NIGERIAN_SURNAMES) },
    ghanaian: { given: given(L.GHANAIAN_GIVEN, 0.2), surname: surnames(L.GHANAIAN_SURNAMES) },
    zimbabwean: { given: given(L.ZIMBABWEAN_GIVEN, 0.2), surname: surnames(L.ZIMBABWEAN_SURNAMES) },
    somali: { given: given(L.SOMALI_GIVEN), surname: surnames(L.SOMALI_SURNAMES) },
    pakistani: { given: given(L.PAKISTANI_GIVEN), surname: withWomen(L.PAKISTANI_SURNAMES, L.PAKISTANI_WOMEN_SURNAMES, 0.35) },
    bangladeshi: { given: given(L.BANGLADESHI_GIVEN), surname: withWomen(bangladesh, L.BANGLADESHI_WOMEN_SURNAMES, 0.3) },
    sikh: {
      given: given(L.SIKH_GIVEN, 0.1),
      surname: (rng, male) => (rng.next() < 0.45 ? (male ? 'Singh' : 'Kaur') : pick(rng, sikhClan)),
    },
    hindu: { given: given(L.HINDU_GIVEN, 0.1), surname: surnames(L.HINDU_SURNAMES) },
    'gujarati-muslim': { given: given(L.PAKISTANI_GIVEN), surname: surnames(L.GUJARATI_MUSLIM_SURNAMES) },
    chinese: { given: given(L.CHINESE_GIVEN, 0.5), surname: surnames(L.CHINESE_SURNAMES) },
    filipino: { given: given(L.FILIPINO_GIVEN, 0.2), surname: surnames(L.FILIPINO_SURNAMES) },
    nepali: { given: given(L.NEPALI_GIVEN), surname: surnames(L.NEPALI_SURNAMES) },
    tamil: { given: given(L.TAMIL_GIVEN), surname: surnames(L.TAMIL_SURNAMES) },
    arab: { given: given(L.ARAB_GIVEN), surname: surnames(L.ARAB_SURNAMES) },
    'kurdish-iranian': { given: given(L.KURDISH_IRANIAN_GIVEN), surname: surnames(L.KURDISH_IRANIAN_SURNAMES) },
  };
};

/** Cumulative community weights per ethnic category (built once). */
const COMMUNITY_PICKERS = new Map(
  ETHNIC_CODES.map((e) => {
    const list = COMMUNITIES_BY_ETHNIC[e];
    return [e, { ids: list.map(([id]) => id), cumulative: cumulate(list.map(([, w]) => w)) }] as const;
  }),
);

/**
 * The family name a baby takes from its mother: hers, in the baby's form (Polish -ska/-cka/-dzka
 * become -ski/-cki/-dzki for a boy), or null when hers is one only women hold (Begum, Kaur).
 */
export const inheritedFamilyName = (mothers: string, male: boolean): string | null => {
  if (L.WOMEN_ONLY_SURNAMES.has(mothers)) return null;
  return male ? mothers.replace(/(sk|ck|dzk)a$/, '$1i') : mothers;
};

export const pickCommunity = (rng: Random, ethnic: EthnicCategory): CommunityId => {
  const p = COMMUNITY_PICKERS.get(ethnic)!;
  return p.ids[rng.pickCumulative(p.cumulative)]!;
};
