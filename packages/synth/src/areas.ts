/**
 * Turns the real geography into what the generator needs for each LSOA: how many people of each
 * broad age band to create, its deprivation position, its ethnic mix and the practices its
 * residents register with.
 */
import { ETHNIC_CATEGORIES, UserError, type EthnicCategory, type Geography, type LsoaArea } from '@openphm/core';
import { AGE_FACTOR, CONCENTRATION, ETHNICITY_BY_LAD, MINORITY_CATEGORIES, NOT_STATED_SHARE } from './ethnicity.js';
import { REGISTRATION } from './parameters.js';

/** Number of LSOAs in England for IMD 2019 ranks. */
export const ENGLAND_LSOA_COUNT = 32_844;

export interface GeneratorArea {
  /** Position in the sorted LSOA list: part of every person id, so ids never depend on how work is split. */
  readonly index: number;
  readonly lsoa: LsoaArea;
  /** Deprivation position in [0, 1]: 1 = most deprived LSOA in England. */
  readonly d: number;
  /** Expected people (before random rounding) in the bands 0-15, 16-59, 60+. */
  readonly expected: readonly [number, number, number];
  /** Cumulative weights over ETHNIC_CODES for each broad band. */
  readonly ethnicCumulative: readonly (readonly number[])[];
  /** Practices to register with: cumulative weights over `practiceCodes`. */
  readonly practiceCodes: readonly string[];
  readonly practiceCumulative: readonly number[];
}

export const ETHNIC_CODES = Object.keys(ETHNIC_CATEGORIES) as EthnicCategory[];

export const deprivationPosition = (imdRank: number): number => 1 - (imdRank - 1) / (ENGLAND_LSOA_COUNT - 1);

const cumulative = (weights: readonly number[]): number[] => {
  let t = 0;
  return weights.map((w) => (t += w));
};

/**
 * Build generator areas. `size` is the number of people alive at the start of the window across the
 * whole partnership; each LSOA gets its share of it in proportion to its real population by band.
 */
export const buildGeneratorAreas = (geography: Geography, size: number): GeneratorArea[] => {
  if (!Number.isFinite(size) || size < 1) throw new UserError(`size must be a positive number of people, got ${size}`, 'usage');
  const lsoas = [...geography.lsoas].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const total = lsoas.reduce((s, l) => s + l.population.total, 0);
  const scale = size / total;

  // Mean concentration factor per local authority, so that LA-level ethnic shares match the census.
  const ladMeans = new Map<string, { wo: number; mi: number; pop: number }>();
  for (const l of lsoas) {
    const d = deprivationPosition(l.imdRank);
    const m = ladMeans.get(l.ladCode) ?? { wo: 0, mi: 0, pop: 0 };
    m.wo += l.population.total * Math.exp(CONCENTRATION['white-other'] * d);
    m.mi += l.population.total * Math.exp(CONCENTRATION.minority * d);
    m.pop += l.population.total;
    ladMeans.set(l.ladCode, m);
  }

  // Practices by PCN, and the PCN paired with each neighbourhood.
  const practicesByPcn = new Map<string, string[]>();
  const practicesByPlace = new Map<string, string[]>();
  for (const p of [...geography.practices].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    (practicesByPcn.get(p.pcnCode) ?? practicesByPcn.set(p.pcnCode, []).get(p.pcnCode)!).push(p.code);
    (practicesByPlace.get(p.place) ?? practicesByPlace.set(p.place, []).get(p.place)!).push(p.code);
  }
  const pcnOfNeighbourhood = new Map(geography.neighbourhoods.map((n) => [n.id, n.pcnCode]));
  const ageMix = lsoas.reduce(
    (acc, l) => acc + (l.population.age0to15 * AGE_FACTOR[0] + l.population.age16to59 * AGE_FACTOR[1] + l.population.age60plus * AGE_FACTOR[2]),
    0,
  ) / total;

  return lsoas.map((lsoa, index) => {
    const d = deprivationPosition(lsoa.imdRank);
    const lad = ETHNICITY_BY_LAD[lsoa.ladCode];
    if (!lad) throw new UserError(`no census ethnicity shares for local authority ${lsoa.ladCode}`, 'invalid-input');
    const means = ladMeans.get(lsoa.ladCode)!;
    const ethnicCumulative = AGE_FACTOR.map((ageFactor) => {
      const weights = new Map<EthnicCategory, number>();
      let minority = 0;
      for (const c of MINORITY_CATEGORIES) {
        const whiteOther = c === 'B' || c === 'C';
        const conc = whiteOther
          ? Math.exp(CONCENTRATION['white-other'] * d) / (means.wo / means.pop)
          : Math.exp(CONCENTRATION.minority * d) / (means.mi / means.pop);
        const share = ((lad[c] ?? 0) / 100) * conc * (whiteOther ? 1 : ageFactor / ageMix);
        weights.set(c, share);
        minority += share;
      }
      if (minority > 0.95) for (const [c, w] of weights) weights.set(c, (w * 0.95) / minority);
      const stated = 1 - NOT_STATED_SHARE;
      const row = ETHNIC_CODES.map((code) => {
        if (code === 'Z') return NOT_STATED_SHARE;
        if (code === 'A') return stated * Math.max(0, 1 - Math.min(minority, 0.95));
        return stated * (weights.get(code as never) ?? 0);
      });
      return cumulative(row);
    });

    const pcn = pcnOfNeighbourhood.get(lsoa.neighbourhoodId);
    const own = (pcn && practicesByPcn.get(pcn)) || [];
    const placeAll = practicesByPlace.get(lsoa.place) ?? [];
    if (placeAll.length === 0) throw new UserError(`no GP practices found for place ${lsoa.place}`, 'invalid-input');
    // Most people register with a practice of their neighbourhood's PCN; the rest anywhere in the place.
    const codes = [...new Set([...own, ...placeAll])];
    const ownSet = new Set(own);
    const weights = codes.map((c) =>
      own.length === 0 ? 1 : ownSet.has(c) ? REGISTRATION.ownPcnShare / own.length : (1 - REGISTRATION.ownPcnShare) / (placeAll.length - own.length || 1),
    );

    return {
      index,
      lsoa,
      d,
      expected: [lsoa.population.age0to15 * scale, lsoa.population.age16to59 * scale, lsoa.population.age60plus * scale] as const,
      ethnicCumulative,
      practiceCodes: codes,
      practiceCumulative: cumulative(weights),
    };
  });
};
