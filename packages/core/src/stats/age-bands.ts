/**
 * Age bands, the 1976 European Standard Population (ESP 1976, 18 bands to 85+) and the 2013 European
 * Standard Population (ESP 2013; Eurostat 2013), in the 19-band
 * form used for directly standardised rates (0-4, 5-9, …, 85-89, 90+) and the 20-band form used
 * for abridged life tables (0, 1-4, 5-9, …, 85-89, 90+).
 * @module
 */
import { invalid } from './validate.js';

export interface AgeBand {
  readonly label: string;
  /** First year of age in the band. */
  readonly startAge: number;
  /** Last year of age in the band; `null` for the open-ended final band (e.g. 90+). */
  readonly endAge: number | null;
}

export interface StandardPopulationBand extends AgeBand {
  /** Standard population (weight) of the band. */
  readonly weight: number;
}

export interface StandardPopulation {
  readonly name: string;
  readonly bands: readonly StandardPopulationBand[];
  /** Sum of the weights (100,000 for ESP 2013). */
  readonly total: number;
}

const FIVE_YEAR_WEIGHTS_FROM_5 = [5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000];

const band = (startAge: number, endAge: number | null, weight: number): StandardPopulationBand => ({
  label: endAge === null ? `${startAge}+` : startAge === endAge ? `${startAge}` : `${startAge}-${endAge}`,
  startAge,
  endAge,
  weight,
});

const fiveYearBandsFrom5 = (): StandardPopulationBand[] =>
  FIVE_YEAR_WEIGHTS_FROM_5.map((weight, i) => {
    const start = 5 + 5 * i;
    return band(start, start === 90 ? null : start + 4, weight);
  });

const standard = (name: string, bands: StandardPopulationBand[]): StandardPopulation =>
  Object.freeze({
    name,
    bands: Object.freeze(bands.map((b) => Object.freeze(b))),
    total: bands.reduce((sum, b) => sum + b.weight, 0),
  });

/** ESP 2013 in 19 bands: 0-4, 5-9, …, 85-89, 90+ (weights 5000, 5500, …, 1000; total 100,000). */
export const ESP2013: StandardPopulation = standard('European Standard Population 2013', [band(0, 4, 5000), ...fiveYearBandsFrom5()]);

/** ESP 2013 in the 20 life-table bands: 0, 1-4, 5-9, …, 85-89, 90+ (0: 1,000; 1-4: 4,000). */
export const ESP2013_LIFE_TABLE: StandardPopulation = standard('European Standard Population 2013 (life-table bands)', [
  band(0, 0, 1000),
  band(1, 4, 4000),
  ...fiveYearBandsFrom5(),
]);

/**
 * ESP 1976 (Waterhouse et al, *Cancer Incidence in Five Continents* vol. III, IARC 1976) in 18 bands:
 * 0-4 8,000; 5-9 … 50-54 7,000 each; 55-59 6,000; 60-64 5,000; 65-69 4,000; 70-74 3,000; 75-79 2,000;
 * 80-84 1,000; 85+ 1,000 (total 100,000) — the weights of the `esp1976` column of the PHEindicatormethods
 * DSR test data (sheet testdata_1976). Used for rates published before 2013/14.
 */
export const ESP1976: StandardPopulation = standard('European Standard Population 1976', [
  band(0, 4, 8000),
  ...Array.from({ length: 10 }, (_, i) => band(5 + 5 * i, 9 + 5 * i, 7000)),
  band(55, 59, 6000),
  band(60, 64, 5000),
  band(65, 69, 4000),
  band(70, 74, 3000),
  band(75, 79, 2000),
  band(80, 84, 1000),
  band(85, null, 1000),
]);

/** The 20 age bands of the abridged life table: 0, 1-4, 5-9, …, 85-89, 90+. */
export const LIFE_TABLE_AGE_BANDS: readonly AgeBand[] = ESP2013_LIFE_TABLE.bands.map(({ label, startAge, endAge }) => ({
  label,
  startAge,
  endAge,
}));

const RANGE = /^(\d{1,3})\s*(?:-|–|—|to)\s*(\d{1,3})(?:\s*years?)?$/i;
const OPEN = /^(\d{1,3})\s*(?:\+|plus|and over|and older|or over)(?:\s*years?)?$/i;
const SINGLE = /^(\d{1,3})(?:\s*years?)?$/i;
const UNDER_ONE = /^(?:<\s*1|under\s*1)(?:\s*years?)?$/i;

/** A parsed age band: its starting age and, when the label says, its last age (`null` for open bands like 90+). */
export interface ParsedAgeBand {
  readonly startAge: number;
  /** Last year of age; `null` for an open band ('90+'); `undefined` when only the start is known (a number, or '85'). */
  readonly endAge: number | null | undefined;
}

/**
 * Parses an age band given as a label ("0-4", "05-09", "10 – 14", "90+", "<1") or as a number
 * (its starting age). A bare number ("85" or 85) gives only the starting age.
 */
export const parseAgeBand = (ageBand: string | number): ParsedAgeBand => {
  if (typeof ageBand === 'string') {
    // Files repeat the same few labels on every group: parse each once.
    const known = parsedLabels.get(ageBand);
    if (known !== undefined) return known;
    const parsed = Object.freeze(parseLabel(ageBand));
    if (parsedLabels.size >= 10_000) parsedLabels.clear();
    parsedLabels.set(ageBand, parsed);
    return parsed;
  }
  return parseLabel(ageBand);
};

const parsedLabels = new Map<string, ParsedAgeBand>();

const parseLabel = (ageBand: string | number): ParsedAgeBand => {
  if (typeof ageBand === 'number') {
    if (!Number.isInteger(ageBand) || ageBand < 0 || ageBand > 150) {
      throw invalid(`age band must be a whole starting age between 0 and 150 or a label like '5-9', got ${ageBand}`);
    }
    return { startAge: ageBand, endAge: undefined };
  }
  if (typeof ageBand !== 'string') throw invalid(`age band must be a label like '5-9' or a starting age, got ${typeof ageBand}`);
  const text = ageBand.trim();
  if (UNDER_ONE.test(text)) return { startAge: 0, endAge: 0 };
  const range = RANGE.exec(text);
  if (range) {
    const start = Number(range[1]);
    const end = Number(range[2]);
    if (end < start) throw invalid(`age band '${ageBand}' ends before it starts`);
    return { startAge: start, endAge: end };
  }
  const open = OPEN.exec(text);
  if (open) return { startAge: Number(open[1]), endAge: null };
  const single = SINGLE.exec(text);
  if (single) return { startAge: Number(single[1]), endAge: undefined };
  throw invalid(`unrecognised age band '${ageBand}': use labels like '0-4', '5-9', '90+' or starting ages`);
};

/** The starting age of an age band label or number (see `parseAgeBand`). */
export const ageBandStart = (ageBand: string | number): number => parseAgeBand(ageBand).startAge;

/**
 * Matches rows to the bands of an age structure by starting age. Every band must appear exactly
 * once, no row may fall outside the structure, and a label that states its last age must agree
 * with the band ('0-4' is not the life-table band '0'); otherwise a `UserError` names the missing,
 * duplicated, unknown or mismatched bands.
 * @returns for each band of `bands`, in order, the index of its row in `rows`
 */
export const matchAgeBands = (
  rowBands: readonly (string | number)[],
  bands: readonly AgeBand[],
  context: string,
): number[] => {
  // The usual case, checked first without building maps: the rows are the bands, in order.
  if (rowBands.length === bands.length) {
    let inOrder = true;
    for (let i = 0; i < bands.length && inOrder; i += 1) {
      const { startAge, endAge } = parseAgeBand(rowBands[i]!);
      inOrder = startAge === bands[i]!.startAge && (endAge === undefined || endAge === bands[i]!.endAge);
    }
    if (inOrder) return bands.map((_, i) => i);
  }
  const parsed = rowBands.map(parseAgeBand);
  const byStart = new Map<number, number>();
  const duplicated: string[] = [];
  parsed.forEach(({ startAge }, index) => {
    if (byStart.has(startAge)) duplicated.push(String(rowBands[index]));
    else byStart.set(startAge, index);
  });
  if (duplicated.length > 0) throw invalid(`${context}: age band(s) ${duplicated.map((d) => `'${d}'`).join(', ')} appear more than once`);
  const bandByStart = new Map(bands.map((b) => [b.startAge, b]));
  const unknown = rowBands.filter((_, index) => !bandByStart.has(parsed[index]!.startAge));
  if (unknown.length > 0) {
    throw invalid(
      `${context}: age band(s) ${unknown.map((u) => `'${u}'`).join(', ')} are not in the expected bands (${bands.map((b) => b.label).join(', ')})`,
    );
  }
  const mismatched = rowBands.filter((_, index) => {
    const { startAge, endAge } = parsed[index]!;
    return endAge !== undefined && endAge !== bandByStart.get(startAge)!.endAge;
  });
  if (mismatched.length > 0) {
    const describe = (label: string | number): string => `'${String(label)}' (expected '${bandByStart.get(ageBandStart(label))!.label}')`;
    throw invalid(`${context}: age band(s) ${mismatched.map(describe).join(', ')} do not match the expected bands`);
  }
  const missing = bands.filter((b) => !byStart.has(b.startAge));
  if (missing.length > 0) throw invalid(`${context}: missing age band(s) ${missing.map((b) => `'${b.label}'`).join(', ')}`);
  return bands.map((b) => byStart.get(b.startAge)!);
};
