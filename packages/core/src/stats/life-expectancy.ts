/**
 * Life expectancy from an abridged life table (Chiang's method II, 20 age bands 0, 1-4, 5-9, …,
 * 85-89, 90+) with Silcocks et al's variance term for the open final band, as the PHE Life
 * Expectancy Calculator and `phe_life_expectancy` in PHEindicatormethods.
 * @module
 */
import { LIFE_TABLE_AGE_BANDS, ageBandStart, matchAgeBands } from './age-bands.js';
import { type ConfidenceInterval, type Estimate, missingInterval, zScore } from './intervals.js';
import { invalid, requireCount, requirePositive, resolveConfidence } from './validate.js';

/** Life expectancy is not published when the total population is at or below this (PHE convention). */
export const LIFE_EXPECTANCY_MINIMUM_POPULATION = 5000;
/** A life expectancy is not published when its 95% confidence interval is wider than this many years. */
export const LIFE_EXPECTANCY_MAXIMUM_CI_WIDTH = 20;
/** Radix of the life table (l₀). */
const RADIX = 100_000;

export interface LifeExpectancyRow {
  /** One of the 20 bands: '0', '1-4', '5-9', …, '85-89', '90+' (or the starting age as a number). */
  readonly ageBand: string | number;
  readonly deaths: number;
  readonly population: number;
}

export interface LifeExpectancyOptions {
  /** One level or several, each a probability in (0, 1); default 0.95. */
  readonly confidence?: number | readonly number[];
  /** Age at which to report life expectancy (a band's starting age); default 0 (at birth). */
  readonly startAge?: number;
}

export type LifeExpectancySuppressionReason =
  /** The total population over all bands is 5,000 or less: no value or limits are published. */
  | 'population-5000-or-less'
  /** There are no deaths in the 90+ band, so its mean survival time (1 / M) is undefined. */
  | 'no-deaths-in-final-band'
  /** The 95% confidence interval is wider than 20 years: the value is withheld, the limits are shown. */
  | 'confidence-interval-wider-than-20-years';

export interface LifeExpectancyAtAge extends Estimate {
  readonly startAge: number;
  readonly ageBand: string;
  /** Life expectancy in years at `startAge`; `null` when suppressed. */
  readonly value: number | null;
  /** Standard error of the life expectancy (Chiang with Silcocks' final-band term); `null` when not computable. */
  readonly standardError: number | null;
  readonly intervals: readonly ConfidenceInterval[];
  readonly suppressed: boolean;
  readonly reason: LifeExpectancySuppressionReason | null;
}

/** One row of the abridged life table, in the usual notation. */
export interface LifeTableRow {
  readonly ageBand: string;
  readonly startAge: number;
  /** nᵢ, the width of the band in years; `null` for the open 90+ band. */
  readonly width: number | null;
  readonly deaths: number;
  readonly population: number;
  /** Mᵢ = deaths / population. */
  readonly mortalityRate: number;
  /** aᵢ, fraction of the band lived by those who die in it: 0.1 for age 0, 0.5 otherwise. */
  readonly fractionLived: number;
  /** qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ)), 1 for the final band. */
  readonly probabilityOfDying: number;
  /** lᵢ, survivors to the start of the band out of 100,000 births. */
  readonly survivors: number;
  /** dᵢ = lᵢ − lᵢ₊₁. */
  readonly tableDeaths: number;
  /** Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ); lᵢ / Mᵢ for the final band. */
  readonly personYears: number;
  /** Tᵢ = Σⱼ≥ᵢ Lⱼ. */
  readonly totalPersonYears: number;
  /** eᵢ = Tᵢ / lᵢ, before any suppression. */
  readonly lifeExpectancy: number;
  readonly standardError: number;
}

export interface LifeExpectancyResult extends LifeExpectancyAtAge {
  readonly totalPopulation: number;
  readonly totalDeaths: number;
  /** Life expectancy at the start of every band. */
  readonly byAge: readonly LifeExpectancyAtAge[];
  readonly lifeTable: readonly LifeTableRow[];
}

interface Band {
  readonly label: string;
  readonly startAge: number;
  readonly deaths: number;
  readonly population: number;
}

const prepare = (rows: readonly LifeExpectancyRow[]): Band[] => {
  if (!Array.isArray(rows)) throw invalid('lifeExpectancy needs a list of 20 age band rows');
  const order = matchAgeBands(
    rows.map((row) => row.ageBand),
    LIFE_TABLE_AGE_BANDS,
    'lifeExpectancy (bands 0, 1-4, 5-9, …, 85-89, 90+)',
  );
  return order.map((rowIndex, bandIndex) => {
    const row = rows[rowIndex]!;
    const band = LIFE_TABLE_AGE_BANDS[bandIndex]!;
    const { deaths, population } = row;
    // Valid rows take the fast path; the checks (and their messages) only run for the others.
    if (Number.isInteger(deaths) && deaths >= 0 && population > 0 && Number.isFinite(population) && deaths <= population) {
      return { label: band.label, startAge: band.startAge, deaths, population };
    }
    const where = `age band '${String(row.ageBand)}'`;
    const checkedDeaths = requireCount(deaths, `deaths in ${where}`);
    if (population === 0) throw invalid(`population in ${where} must be greater than 0, got 0 (zero denominator)`);
    const checkedPopulation = requirePositive(population, `population in ${where}`);
    throw invalid(`deaths (${checkedDeaths}) in ${where} must not be greater than its population (${checkedPopulation})`);
  });
};

/** Builds the Chiang II abridged life table with Silcocks' variance for the final band. */
const buildLifeTable = (bands: readonly Band[]): LifeTableRow[] => {
  // One pass per column over typed arrays (a table for every group of a large file); the arithmetic,
  // and its order, is the formulas' as written in docs/statistics.md.
  const size = bands.length;
  const last = size - 1;
  const m = new Float64Array(size);
  const a = new Float64Array(size);
  const n = new Float64Array(size);
  const q = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    const b = bands[i]!;
    m[i] = b.deaths / b.population;
    a[i] = b.startAge === 0 ? 0.1 : 0.5;
    if (i === last) {
      q[i] = 1;
      continue;
    }
    const width = bands[i + 1]!.startAge - b.startAge;
    n[i] = width;
    // The formula exceeds 1 when deaths > population / (n a); q is then capped at 1.
    if (b.deaths > b.population / width / a[i]!) q[i] = 1;
    else {
      const nm = width * m[i]!;
      q[i] = nm / (1 + nm * (1 - a[i]!));
    }
  }
  const l = new Float64Array(size);
  l[0] = RADIX;
  for (let i = 1; i <= last; i += 1) l[i] = l[i - 1]! * (1 - q[i - 1]!);
  const d = new Float64Array(size);
  const bigL = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    d[i] = l[i]! - (i < last ? l[i + 1]! : 0);
    bigL[i] = i < last ? n[i]! * (l[i + 1]! + a[i]! * d[i]!) : l[i]! / m[i]!;
  }
  const t = new Float64Array(size);
  for (let i = last, sum = 0; i >= 0; i -= 1) {
    sum += bigL[i]!;
    t[i] = sum;
  }
  const e = new Float64Array(size);
  for (let i = 0; i < size; i += 1) e[i] = l[i] === 0 ? 0 : t[i]! / l[i]!;
  // Variance: Chiang's Σ l²ⱼ ((1 − aⱼ) nⱼ + eⱼ₊₁)² Var(qⱼ) with Var(qⱼ) = qⱼ²(1 − qⱼ) / Dⱼ, plus
  // Silcocks' term for the open band, l²_ω Var(1 / M_ω) = (l_ω / 2)² × 4 / (D_ω M_ω²).
  const se = new Float64Array(size);
  for (let i = last, sum = 0; i >= 0; i -= 1) {
    const deaths = bands[i]!.deaths;
    let weighted: number;
    if (i === last) weighted = (l[i]! / 2) ** 2 * (4 / (deaths * m[i]! ** 2));
    else {
      const varianceQ = d[i] === 0 ? 0 : (q[i]! ** 2 * (1 - q[i]!)) / deaths;
      weighted = varianceQ * l[i]! ** 2 * ((1 - a[i]!) * n[i]! + e[i + 1]!) ** 2;
    }
    sum += weighted;
    se[i] = Math.sqrt(sum / l[i]! ** 2);
  }
  const rows: LifeTableRow[] = new Array<LifeTableRow>(size);
  for (let i = 0; i < size; i += 1) {
    const b = bands[i]!;
    rows[i] = {
      ageBand: b.label,
      startAge: b.startAge,
      width: i < last ? n[i]! : null,
      deaths: b.deaths,
      population: b.population,
      mortalityRate: m[i]!,
      fractionLived: a[i]!,
      probabilityOfDying: q[i]!,
      survivors: l[i]!,
      tableDeaths: d[i]!,
      personYears: bigL[i]!,
      totalPersonYears: t[i]!,
      lifeExpectancy: e[i]!,
      standardError: se[i]!,
    };
  }
  return rows;
};

/**
 * Life expectancy at `startAge` (default birth) and at every band start, with confidence limits
 * e ± z × SE. PHE publication rules are applied as suppression, never by dropping the result:
 * - total population ≤ 5,000 → `suppressed`, reason 'population-5000-or-less', value and limits `null`
 *   (PHEindicatormethods tests `total_pop <= 5000`; the PHE guidance words it as "less than 5,000");
 * - no deaths in the 90+ band → reason 'no-deaths-in-final-band', value and limits `null`;
 * - 95% interval wider than 20 years (1.96 × SE > 10) → reason 'confidence-interval-wider-than-20-years',
 *   value `null` but the limits are kept, for any requested confidence level.
 * Nonsense input throws a `UserError` ('invalid-input'): missing, duplicated or unknown bands,
 * negative or non-integer deaths, zero or negative populations, deaths above the population.
 */
export const lifeExpectancy = (rows: readonly LifeExpectancyRow[], options: LifeExpectancyOptions = {}): LifeExpectancyResult => {
  const levels = resolveConfidence(options.confidence);
  const startAge = options.startAge ?? 0;
  if (!LIFE_TABLE_AGE_BANDS.some((band) => band.startAge === startAge)) {
    throw invalid(`startAge must be the start of a life-table band (0, 1, 5, 10, …, 90), got ${String(startAge)}`);
  }
  const bands = prepare(rows);
  const totalPopulation = bands.reduce((sum, b) => sum + b.population, 0);
  const totalDeaths = bands.reduce((sum, b) => sum + b.deaths, 0);
  const lifeTable = buildLifeTable(bands);
  const z95 = zScore(0.95);
  const finalDeaths = bands[bands.length - 1]!.deaths;

  const byAge = lifeTable.map((row): LifeExpectancyAtAge => {
    const withheld = (reason: LifeExpectancySuppressionReason): LifeExpectancyAtAge => ({
      startAge: row.startAge,
      ageBand: row.ageBand,
      value: null,
      standardError: null,
      intervals: levels.map(missingInterval),
      suppressed: true,
      reason,
    });
    if (totalPopulation <= LIFE_EXPECTANCY_MINIMUM_POPULATION) return withheld('population-5000-or-less');
    if (finalDeaths === 0) return withheld('no-deaths-in-final-band');
    const se = row.standardError;
    const finite = Number.isFinite(se);
    const intervals = levels.map((confidence) => {
      const z = zScore(confidence);
      return finite
        ? { confidence, lower: row.lifeExpectancy - z * se, upper: row.lifeExpectancy + z * se }
        : missingInterval(confidence);
    });
    const tooWide = finite && 2 * z95 * se > LIFE_EXPECTANCY_MAXIMUM_CI_WIDTH;
    return {
      startAge: row.startAge,
      ageBand: row.ageBand,
      value: tooWide ? null : row.lifeExpectancy,
      standardError: finite ? se : null,
      intervals,
      suppressed: tooWide,
      reason: tooWide ? 'confidence-interval-wider-than-20-years' : null,
    };
  });
  const chosen = byAge.find((row) => row.startAge === ageBandStart(startAge))!;
  return { ...chosen, totalPopulation, totalDeaths, byAge, lifeTable };
};
