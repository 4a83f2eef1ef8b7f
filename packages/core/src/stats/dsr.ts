/**
 * Directly standardised rates (DSRs) with Dobson confidence limits, as `calculate_dsr` in
 * PHEindicatormethods and the DSR chapter of the Fingertips Public Health Technical Guidance,
 * including the variance adjustment for non-independent events (people with repeat events).
 * @module
 */
import { ESP2013, type StandardPopulation, ageBandStart, matchAgeBands } from './age-bands.js';
import { type ConfidenceInterval, type Estimate, byarsLower, byarsUpper, missingInterval } from './intervals.js';
import {
  type MaybeNumber,
  invalid,
  isMissing,
  optionalCount,
  requireInteger,
  requireMultiplier,
  requireNonNegative,
  requirePositive,
  resolveConfidence,
} from './validate.js';

/** DSRs are not published when the total count is below this (PHE convention). */
export const DSR_MINIMUM_COUNT = 10;

export interface DsrRow {
  /** Age band label ('0-4', '90+', …) or starting age; matched to the standard's bands by starting age. */
  readonly ageBand: string | number;
  /** Observed events in the band; missing (`null`/`undefined`) counts as 0, as in PHEindicatormethods. */
  readonly count: MaybeNumber;
  /** Population (person-years at risk) in the band; must be > 0. */
  readonly population: number;
  /** Standard population for the band. Give it on every row or on none (then `standard` is used). */
  readonly standardPopulation?: number | null;
}

/**
 * For non-independent events: the number of people (`persons`) in an age band who had exactly
 * `frequency` events (1, 2, 3, …). The band's events are Σ frequency × persons.
 */
export interface EventFrequencyRow {
  readonly ageBand: string | number;
  readonly frequency: number;
  /** Missing counts as 0. */
  readonly persons: MaybeNumber;
}

export interface DsrOptions {
  /** One level or several, each a probability in (0, 1); default 0.95. `[0.95, 0.998]` gives both. */
  readonly confidence?: number | readonly number[];
  /** Rate per this many of the standard population; default 100,000. */
  readonly multiplier?: number;
  /** Standard population matched to the rows by age band; default ESP 2013 (19 bands). */
  readonly standard?: StandardPopulation;
  /**
   * Whether events are independent (default true). When false, `eventFrequencies` must give the
   * breakdown of people by number of events, and the confidence limits are widened accordingly.
   */
  readonly independentEvents?: boolean;
  readonly eventFrequencies?: readonly EventFrequencyRow[];
}

export type DsrMethod = 'dobson' | 'dobson-non-independent-events';

/** Why a DSR is not published: the total count is below 10. */
export type DsrSuppressionReason = 'total-count-below-10';

export interface DsrResult extends Estimate {
  /** Total observed events. */
  readonly totalCount: number;
  readonly totalPopulation: number;
  /** The DSR per `multiplier`; `null` when suppressed. */
  readonly value: number | null;
  readonly intervals: readonly ConfidenceInterval[];
  readonly multiplier: number;
  readonly method: DsrMethod;
  /** True when the total count is below 10, so the DSR is not published. */
  readonly suppressed: boolean;
  readonly reason: DsrSuppressionReason | null;
}

interface PreparedBand {
  readonly label: string;
  readonly count: number;
  readonly population: number;
  readonly weight: number;
}

const describe = (row: DsrRow, index: number): string => `row ${index + 1} (age band '${String(row.ageBand)}')`;

const prepareBands = (rows: readonly DsrRow[], options: DsrOptions): PreparedBand[] => {
  if (!Array.isArray(rows) || rows.length === 0) throw invalid('dsr needs at least one age band row');
  let withStandard = 0;
  for (const row of rows) if (!isMissing(row.standardPopulation)) withStandard += 1;
  if (withStandard > 0 && withStandard < rows.length) {
    throw invalid('dsr: give standardPopulation on every row or on none (then the standard option is used)');
  }
  if (withStandard > 0 && options.standard !== undefined) {
    throw invalid('dsr: give either standardPopulation on the rows or the standard option, not both');
  }
  // Valid numbers take the fast path; the checks (and their messages) only run for the others.
  const counts = new Array<number>(rows.length);
  const populations = new Array<number>(rows.length);
  rows.forEach((row, index) => {
    counts[index] = isCount(row.count) ? row.count : (optionalCount(row.count, `count in ${describe(row, index)}`) ?? 0);
    populations[index] = isPositive(row.population) ? row.population : requirePositiveWithZeroMessage(row.population, `population in ${describe(row, index)}`);
  });
  if (withStandard > 0) {
    const seen = new Set<number>();
    return rows.map((row, index) => {
      const start = ageBandStart(row.ageBand);
      if (seen.has(start)) throw invalid(`dsr: age band '${String(row.ageBand)}' appears more than once`);
      seen.add(start);
      const weight = requireNonNegative(row.standardPopulation, `standardPopulation in ${describe(row, index)}`);
      return { label: String(row.ageBand), count: counts[index]!, population: populations[index]!, weight };
    });
  }
  const standard = options.standard ?? ESP2013;
  const order = matchAgeBands(
    rows.map((row) => row.ageBand),
    standard.bands,
    `dsr with the ${standard.name}`,
  );
  return order.map((rowIndex, bandIndex) => ({
    label: String(rows[rowIndex]!.ageBand),
    count: counts[rowIndex]!,
    population: populations[rowIndex]!,
    weight: standard.bands[bandIndex]!.weight,
  }));
};

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isPositive = (value: unknown): value is number => typeof value === 'number' && value > 0 && Number.isFinite(value);

const requirePositiveWithZeroMessage = (value: unknown, what: string): number => {
  if (value === 0) throw invalid(`${what} must be greater than 0, got 0 (zero denominator)`);
  return requirePositive(value, what);
};

/** Σ f² × persons per age band, and the events Σ f × persons, from the event-frequency breakdown. */
const frequencyBreakdown = (
  bands: readonly PreparedBand[],
  rows: readonly EventFrequencyRow[],
): { events: number[]; squaredFrequencyPersons: number[] } => {
  const indexByStart = new Map<number, number>();
  bands.forEach((b, i) => indexByStart.set(ageBandStart(b.label), i));
  const events = bands.map(() => 0);
  const squared = bands.map(() => 0);
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const where = `eventFrequencies row ${i + 1} (age band '${String(row.ageBand)}', frequency ${String(row.frequency)})`;
    const bandIndex = indexByStart.get(ageBandStart(row.ageBand));
    if (bandIndex === undefined) throw invalid(`${where}: age band is not among the dsr rows`);
    const frequency = requireInteger(row.frequency, `frequency in ${where}`, 1);
    const key = `${bandIndex}/${frequency}`;
    if (seen.has(key)) throw invalid(`${where}: this age band and frequency appear more than once`);
    seen.add(key);
    const persons = optionalCount(row.persons, `persons in ${where}`) ?? 0;
    events[bandIndex] = events[bandIndex]! + frequency * persons;
    squared[bandIndex] = squared[bandIndex]! + frequency * frequency * persons;
  });
  return { events, squaredFrequencyPersons: squared };
};

/**
 * Directly standardised rate: DSR = Σ (wᵢ xᵢ / nᵢ) / Σ wᵢ × multiplier, with Dobson et al (1991)
 * limits built on Byar's limits for the total count O:
 * DSR + √(Var(DSR) / O) × (O_lower − O) (and likewise for the upper limit), where
 * Var(DSR) = Σ xᵢ (wᵢ / nᵢ)² / (Σ wᵢ)².
 *
 * For non-independent events (`independentEvents: false`), the variance is instead
 * Σᵢ (wᵢ / nᵢ)² Σ_f f² pᵢf / (Σ wᵢ)², where pᵢf is the number of people in band i with f events,
 * and O is the total number of events. A row's `count` may be omitted (it is Σ f pᵢf) but if given
 * it must match.
 *
 * With a total count below 10 the result is `suppressed` (value and limits `null`).
 */
export const dsr = (rows: readonly DsrRow[], options: DsrOptions = {}): DsrResult => {
  const levels = resolveConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100_000);
  const independent = options.independentEvents ?? true;
  if (typeof independent !== 'boolean') throw invalid('independentEvents must be true or false');
  if (independent && options.eventFrequencies !== undefined) {
    throw invalid('dsr: eventFrequencies are only used with independentEvents: false');
  }
  if (!independent && (options.eventFrequencies === undefined || options.eventFrequencies.length === 0)) {
    throw invalid('dsr: independentEvents: false needs eventFrequencies (people by number of events in each age band)');
  }

  let bands = prepareBands(rows, options);
  let squaredFrequencyPersons: number[] | null = null;
  if (!independent) {
    const breakdown = frequencyBreakdown(bands, options.eventFrequencies!);
    bands = bands.map((b, i) => {
      const events = breakdown.events[i]!;
      const given = rows.find((row) => ageBandStart(row.ageBand) === ageBandStart(b.label))?.count;
      if (!isMissing(given) && given !== events) {
        throw invalid(
          `dsr: count ${String(given)} in age band '${b.label}' does not equal the ${events} events implied by eventFrequencies`,
        );
      }
      return { ...b, count: events };
    });
    squaredFrequencyPersons = breakdown.squaredFrequencyPersons;
  }

  const totalWeight = bands.reduce((sum, b) => sum + b.weight, 0);
  if (!(totalWeight > 0)) throw invalid('dsr: the standard population weights sum to 0');
  const totalCount = bands.reduce((sum, b) => sum + b.count, 0);
  const totalPopulation = bands.reduce((sum, b) => sum + b.population, 0);
  const method: DsrMethod = independent ? 'dobson' : 'dobson-non-independent-events';

  if (totalCount < DSR_MINIMUM_COUNT) {
    return {
      totalCount,
      totalPopulation,
      value: null,
      intervals: levels.map(missingInterval),
      multiplier,
      method,
      suppressed: true,
      reason: 'total-count-below-10',
    };
  }

  let weightedRates = 0;
  let varianceSum = 0;
  bands.forEach((b, i) => {
    const ratio = b.weight / b.population;
    weightedRates += (b.count * b.weight) / b.population;
    varianceSum += (squaredFrequencyPersons === null ? b.count : squaredFrequencyPersons[i]!) * ratio * ratio;
  });
  const value = (weightedRates / totalWeight) * multiplier;
  const variance = varianceSum / (totalWeight * totalWeight);
  const spread = Math.sqrt(variance / totalCount) * multiplier;
  return {
    totalCount,
    totalPopulation,
    value,
    intervals: levels.map((confidence) => ({
      confidence,
      lower: value + spread * (byarsLower(totalCount, confidence) - totalCount),
      upper: value + spread * (byarsUpper(totalCount, confidence) - totalCount),
    })),
    multiplier,
    method,
    suppressed: false,
    reason: null,
  };
};
