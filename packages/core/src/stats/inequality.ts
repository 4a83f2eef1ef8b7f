/**
 * Inequality measures across deprivation quantiles: the slope index of inequality (SII) and
 * relative index of inequality (RII) by population-weighted least squares on the relative rank,
 * with Monte Carlo confidence limits (the Fingertips / `phe_sii` method; Low & Low 2004), and the
 * simple gap between the most and least deprived groups.
 * @module
 */
import { Random } from '../random/prng.js';
import { normalQuantile } from './distributions.js';
import { type ConfidenceInterval, missingInterval, zScore } from './intervals.js';
import { invalid, isMissing, requireFinite, requireInteger, requireNonNegative, requirePositive, resolveConfidence } from './validate.js';

export interface SiiGroup {
  /** Position in the deprivation order: the smallest rank is the MOST deprived (e.g. IMD decile 1). */
  readonly rank: number;
  /** Indicator value for the group (e.g. life expectancy, a rate or a proportion). */
  readonly value: number;
  /** Population of the group: its weight in the regression. Must be > 0. */
  readonly population: number;
  /** 95% confidence limits of the value, used to derive its standard error when `standardError` is absent. */
  readonly lowerCI?: number | null;
  readonly upperCI?: number | null;
  /** Standard error of the value (on the transformed scale for rates and proportions). */
  readonly standardError?: number | null;
}

/**
 * How the value's uncertainty is modelled in the simulation: 'normal' as is; 'rate' on the log
 * scale; 'proportion' (a proportion of 1) on the logit scale, as PHEindicatormethods `value_type` 0/1/2.
 */
export type SiiValueType = 'normal' | 'rate' | 'proportion';

/** Monte Carlo repetitions for the limits unless told otherwise: `phe_sii`'s default. */
export const DEFAULT_SII_SIMULATIONS = 100_000;
/** The reference (`phe_sii`) needs between 5 and 100 quantiles. */
export const SII_MINIMUM_QUANTILES = 5;
export const SII_MAXIMUM_QUANTILES = 100;
/** Above this many quantiles small values can make the SII unstable: a warning is returned. */
export const SII_UNSTABLE_ABOVE_QUANTILES = 10;

export interface SiiOptions {
  /** One level or several, each a probability in (0, 1); default 0.95. */
  readonly confidence?: number | readonly number[];
  /**
   * Number of Monte Carlo repetitions for the limits; default 100,000 (DEFAULT_SII_SIMULATIONS), as
   * the reference (`phe_sii`) and `phm stats sii`; minimum 1,000.
   */
  readonly simulations?: number;
  /**
   * Source of randomness: a `Random` (its `.normal()` is used) or a function returning uniform
   * numbers in [0, 1) (transformed with the normal quantile). Default `Random.fromKey('openphm/sii')`,
   * so results are reproducible.
   */
  readonly random?: Random | (() => number);
  readonly valueType?: SiiValueType;
  /**
   * Scales the SII (e.g. 100 to express proportions of 1 as percentage points). A negative
   * multiplier reverses the polarity: the SII changes sign and the RII is inverted. Default 1.
   */
  readonly multiplier?: number;
  /**
   * Fit the line to the log (valueType 'rate') or logit ('proportion') of the values and report the
   * SII and RII back on the original scale, as `phe_sii(transform = TRUE)`: SII = ŷ(1) − ŷ(0) and
   * RII = ŷ(1) / ŷ(0) with ŷ back-transformed. Needs 95% limits on every group (not standard errors)
   * and a valueType of 'rate' or 'proportion'. Default false.
   */
  readonly transform?: boolean;
  /** Fewest groups (quantiles) accepted; default 5 as the reference, at least 2 (e.g. a worked example). */
  readonly minimumQuantiles?: number;
}

export interface SiiGroupFit {
  readonly rank: number;
  readonly value: number;
  readonly population: number;
  /** aᵢ, the group's share of the total population. */
  readonly populationShare: number;
  /** xᵢ, the midpoint of the group's range of cumulative population share (0 = most deprived end). */
  readonly relativeRank: number;
  /** Standard error used in the simulation (transformed scale); `null` without limits. */
  readonly standardError: number | null;
}

export interface SiiResult {
  /** Slope of the fitted line: fitted value at x = 1 (least deprived) minus at x = 0 (most deprived), × multiplier. */
  readonly sii: number;
  /** Ratio of the fitted values at x = 1 and x = 0: (intercept + slope) / intercept (inverted for a negative multiplier). */
  readonly rii: number;
  /** Fitted value at x = 0, the most deprived end of the scale (on the original scale, also when transformed). */
  readonly intercept: number;
  /** Fitted value at x = 1 minus at x = 0, before the multiplier (on the original scale). */
  readonly slope: number;
  /** 'identity', or 'log' / 'logit' when the line was fitted to transformed values (`transform`). */
  readonly scale: 'identity' | 'log' | 'logit';
  readonly siiIntervals: readonly ConfidenceInterval[];
  readonly riiIntervals: readonly ConfidenceInterval[];
  /** Repetitions used for the limits; 0 when no standard errors were given. */
  readonly simulations: number;
  readonly groups: readonly SiiGroupFit[];
  /** Cautions that do not stop the calculation (e.g. more than 10 quantiles). */
  readonly warnings: readonly string[];
}

const transformers: Record<SiiValueType, { scale: SiiResult['scale']; to: (v: number) => number; from: (v: number) => number; check: (v: number, what: string) => void }> = {
  normal: { scale: 'identity', to: (v) => v, from: (v) => v, check: () => undefined },
  rate: {
    scale: 'log',
    to: Math.log,
    from: Math.exp,
    check: (v, what) => {
      if (!(v > 0)) throw invalid(`${what} must be greater than 0 for valueType 'rate' (log scale), got ${v}`);
    },
  },
  proportion: {
    scale: 'logit',
    to: (v) => Math.log(v / (1 - v)),
    from: (v) => 1 / (1 + Math.exp(-v)),
    check: (v, what) => {
      if (!(v > 0 && v < 1)) throw invalid(`${what} must be strictly between 0 and 1 for valueType 'proportion' (logit scale), got ${v}`);
    },
  },
};

interface WeightedLine {
  readonly intercept: number;
  readonly slope: number;
}

/**
 * Weighted least squares with weights a (summing to 1): slope = Σ a(x − x̄)(y − ȳ) / Σ a(x − x̄)²,
 * intercept = ȳ − slope x̄. Identical to regressing y√a on √a and x√a without a constant.
 * Returned as coefficient vectors so each simulated fit is two dot products.
 */
const lineCoefficients = (a: readonly number[], x: readonly number[]): { slope: number[]; mean: number[]; xBar: number } => {
  const xBar = a.reduce((sum, ai, i) => sum + ai * x[i]!, 0);
  const sxx = a.reduce((sum, ai, i) => sum + ai * (x[i]! - xBar) ** 2, 0);
  return { slope: a.map((ai, i) => (ai * (x[i]! - xBar)) / sxx), mean: [...a], xBar };
};

const fitLine = (coefficients: { slope: number[]; mean: number[]; xBar: number }, y: ArrayLike<number>): WeightedLine => {
  let slope = 0;
  let mean = 0;
  for (let i = 0; i < y.length; i += 1) {
    slope += coefficients.slope[i]! * y[i]!;
    mean += coefficients.mean[i]! * y[i]!;
  }
  return { slope, intercept: mean - slope * coefficients.xBar };
};

/** Normals drawn `count` at a time into a buffer (the same sequence as one at a time). */
type NormalSource = (out: Float64Array, count: number) => void;

const normalSource = (random: SiiOptions['random']): NormalSource => {
  if (random === undefined || random instanceof Random) {
    const generator = random ?? Random.fromKey('openphm/sii');
    return (out, count) => generator.fillNormal(out, 0, count);
  }
  if (typeof random !== 'function') throw invalid('random must be a Random or a function returning uniform numbers in [0, 1)');
  const one = (): number => {
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const u = random();
      if (typeof u !== 'number' || !(u >= 0 && u < 1)) throw invalid(`random() must return numbers in [0, 1), got ${String(u)}`);
      if (u > 0) return normalQuantile(u);
    }
    throw invalid('random() returned 0 a thousand times in a row');
  };
  return (out, count) => {
    for (let i = 0; i < count; i += 1) out[i] = one();
  };
};

/**
 * Puts the elements at the (0-based) positions `ks` (ascending) where a full ascending sort would
 * put them, by quickselect: the same values as sorting, in linear rather than n log n time. Arrays
 * holding NaN are sorted instead (NaN has no place in `<`).
 */
export const selectPositions = (a: Float64Array, ks: readonly number[]): void => {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== a[i]) {
      a.sort();
      return;
    }
  }
  let lo = 0;
  for (const k of ks) {
    if (k < lo) continue;
    select(a, k, lo, a.length - 1);
    // Everything after k is at least a[k]: the next position is found among those.
    lo = k + 1;
  }
};

/** Hoare quickselect (median-of-three pivot): a[k] becomes the k-th smallest of a[lo..hi], smaller before, larger after. */
const select = (a: Float64Array, k: number, lo: number, hi: number): void => {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to a[mid].
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i += 1;
      while (a[j]! > pivot) j -= 1;
      if (i <= j) {
        swap(a, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
};

const swap = (a: Float64Array, i: number, j: number): void => {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
};

/** The value at a sorted position, by the `phe_sii` rule: element round(n × p) (1-based). */
const percentilePosition = (n: number, p: number): number => Math.min(n, Math.max(1, Math.round(n * p)));
const percentile = (sorted: Float64Array, p: number): number => sorted[percentilePosition(sorted.length, p) - 1]!;

/**
 * Slope and relative index of inequality. Groups are ordered by `rank` (smallest = most
 * deprived); each gets the relative rank xᵢ = (cumulative share before it) + aᵢ / 2, and the line
 * y = intercept + slope × x is fitted by least squares weighted by the population shares aᵢ.
 * SII = slope × multiplier; RII = (intercept + slope) / intercept.
 *
 * Confidence limits: each repetition draws every group's value from a normal distribution on the
 * transformed scale (identity, log or logit) with the group's standard error (given, or
 * (upper − lower) / (2 × 1.96) from its 95% limits), back-transforms, refits, and the limits are
 * the simulated SIIs / RIIs at positions round(n (1 − c)/2) and round(n (1 + c)/2) of the sorted
 * results. Without any limits or standard errors the intervals are missing.
 *
 * With `transform`, the line is fitted to the log / logit values and the simulated slopes stay on
 * that scale; a limit b of the slope is turned back into the original units by pivoting the fitted
 * line about its midpoint m = intercept + slope / 2: SII limit = (ŷ(m + b/2) − ŷ(m − b/2)) × multiplier
 * and RII limit = ŷ(m + b/2) / ŷ(m − b/2), ŷ the back-transformation (the lower and upper limits swap
 * for a negative multiplier).
 */
export const slopeIndexOfInequality = (groups: readonly SiiGroup[], options: SiiOptions = {}): SiiResult => {
  const levels = resolveConfidence(options.confidence);
  const valueType = options.valueType ?? 'normal';
  const transform = transformers[valueType];
  if (transform === undefined) throw invalid(`valueType must be 'normal', 'rate' or 'proportion', got ${String(valueType)}`);
  const multiplier = requireFinite(options.multiplier ?? 1, 'multiplier');
  if (multiplier === 0) throw invalid('multiplier must not be 0');
  const simulations = requireInteger(options.simulations ?? DEFAULT_SII_SIMULATIONS, 'simulations', 1000);
  const transformed = options.transform ?? false;
  if (typeof transformed !== 'boolean') throw invalid('transform must be true or false');
  if (transformed && valueType === 'normal') {
    throw invalid("transform needs valueType 'rate' (log) or 'proportion' (logit), not 'normal'");
  }
  const minimumQuantiles = requireInteger(options.minimumQuantiles ?? SII_MINIMUM_QUANTILES, 'minimumQuantiles', 2, SII_MAXIMUM_QUANTILES);
  if (!Array.isArray(groups) || groups.length < 2) throw invalid('slopeIndexOfInequality needs at least two groups');

  const seen = new Set<number>();
  const sorted = groups
    .map((group, index) => {
      const where = `group ${index + 1}`;
      const rank = requireFinite(group.rank, `rank of ${where}`);
      if (seen.has(rank)) throw invalid(`rank ${rank} appears more than once`);
      seen.add(rank);
      const value = requireFinite(group.value, `value of ${where} (rank ${rank})`);
      transform.check(value, `value of ${where} (rank ${rank})`);
      if (group.population === 0) throw invalid(`population of ${where} (rank ${rank}) must be greater than 0, got 0`);
      const population = requirePositive(group.population, `population of ${where} (rank ${rank})`);
      let se: number | null = null;
      if (!isMissing(group.standardError)) {
        if (transformed) throw invalid('transform needs 95% limits (lowerCI, upperCI), not standard errors, as phe_sii');
        se = requireNonNegative(group.standardError, `standardError of ${where} (rank ${rank})`);
      } else if (!isMissing(group.lowerCI) || !isMissing(group.upperCI)) {
        if (isMissing(group.lowerCI) || isMissing(group.upperCI)) {
          throw invalid(`${where} (rank ${rank}) has only one of lowerCI and upperCI`);
        }
        const lower = requireFinite(group.lowerCI, `lowerCI of ${where} (rank ${rank})`);
        const upper = requireFinite(group.upperCI, `upperCI of ${where} (rank ${rank})`);
        if (lower > upper) throw invalid(`lowerCI (${lower}) is above upperCI (${upper}) in ${where} (rank ${rank})`);
        transform.check(lower, `lowerCI of ${where} (rank ${rank})`);
        transform.check(upper, `upperCI of ${where} (rank ${rank})`);
        se = (transform.to(upper) - transform.to(lower)) / zScore(0.95) / 2;
      }
      return { rank, value, population, se };
    })
    .sort((p, q) => p.rank - q.rank);

  if (sorted.length < minimumQuantiles || sorted.length > SII_MAXIMUM_QUANTILES) {
    throw invalid(`the number of quantiles must be between ${minimumQuantiles} and ${SII_MAXIMUM_QUANTILES}, got ${sorted.length}`);
  }
  const warnings =
    sorted.length > SII_UNSTABLE_ABOVE_QUANTILES
      ? [`${sorted.length} quantiles: small values can make the SII unstable with more than ${SII_UNSTABLE_ABOVE_QUANTILES}`]
      : [];
  const withSe = sorted.filter((g) => g.se !== null).length;
  if (withSe > 0 && withSe < sorted.length) {
    throw invalid('give confidence limits (or standard errors) for every group or for none');
  }
  if (transformed && withSe === 0) throw invalid('transform needs 95% limits (lowerCI, upperCI) on every group');
  const totalPopulation = sorted.reduce((sum, g) => sum + g.population, 0);
  const shares = sorted.map((g) => g.population / totalPopulation);
  const relativeRanks: number[] = [];
  shares.reduce((cumulative, share) => {
    relativeRanks.push(cumulative + share / 2);
    return cumulative + share;
  }, 0);
  const coefficients = lineCoefficients(shares, relativeRanks);
  const values = sorted.map((g) => g.value);
  const line = fitLine(coefficients, transformed ? values.map(transform.to) : values);
  const invertRii = multiplier < 0;
  const riiOf = (fit: WeightedLine): number => {
    const rii = (fit.intercept + fit.slope) / fit.intercept;
    return invertRii ? 1 / rii : rii;
  };
  // On the original scale: the fitted values at x = 0 and x = 1.
  const atZero = transformed ? transform.from(line.intercept) : line.intercept;
  const atOne = transformed ? transform.from(line.intercept + line.slope) : line.intercept + line.slope;
  const ratio = (one: number, zero: number): number => (invertRii ? zero / one : one / zero);

  let siiIntervals: ConfidenceInterval[] = levels.map(missingInterval);
  let riiIntervals: ConfidenceInterval[] = levels.map(missingInterval);
  let used = 0;
  if (withSe > 0) {
    const draw = normalSource(options.random);
    const centres = values.map(transform.to);
    const ses = sorted.map((g) => g.se!);
    const simulatedSii = new Float64Array(simulations);
    const simulatedRii = new Float64Array(simulations);
    const back = transformed ? (v: number) => v : transform.from;
    // The hot loop: two dot products per repetition, nothing allocated (fitLine's arithmetic inline);
    // the normals drawn a block of repetitions at a time, in the order the repetitions use them.
    const slopeWeights = Float64Array.from(coefficients.slope);
    const meanWeights = Float64Array.from(coefficients.mean);
    const { xBar } = coefficients;
    const n = centres.length;
    const perBlock = Math.max(1, Math.floor(8192 / n));
    const normals = new Float64Array(perBlock * n);
    let next = normals.length;
    for (let s = 0; s < simulations; s += 1) {
      if (next === normals.length || next + n > normals.length) {
        draw(normals, Math.min(perBlock, simulations - s) * n);
        next = 0;
      }
      let slope = 0;
      let mean = 0;
      for (let i = 0; i < n; i += 1) {
        const yi = back(centres[i]! + ses[i]! * normals[next + i]!);
        slope += slopeWeights[i]! * yi;
        mean += meanWeights[i]! * yi;
      }
      next += n;
      if (transformed) {
        simulatedSii[s] = slope;
        continue;
      }
      const intercept = mean - slope * xBar;
      const rii = (intercept + slope) / intercept;
      simulatedSii[s] = multiplier * slope;
      simulatedRii[s] = invertRii ? 1 / rii : rii;
    }
    // Only the limits' positions are read: put those in place (as sorting would) rather than sort.
    const wanted = [...new Set(levels.flatMap((c) => [(1 - c) / 2, c + (1 - c) / 2].map((p) => percentilePosition(simulations, p) - 1)))].sort((x, y) => x - y);
    selectPositions(simulatedSii, wanted);
    if (!transformed) selectPositions(simulatedRii, wanted);
    const positions = (c: number): [number, number] => [(1 - c) / 2, c + (1 - c) / 2];
    if (!transformed) {
      siiIntervals = levels.map((c) => {
        const [p, q] = positions(c);
        return { confidence: c, lower: percentile(simulatedSii, p), upper: percentile(simulatedSii, q) };
      });
      riiIntervals = levels.map((c) => {
        const [p, q] = positions(c);
        return { confidence: c, lower: percentile(simulatedRii, p), upper: percentile(simulatedRii, q) };
      });
    } else {
      const middle = line.intercept + line.slope / 2;
      const pivot = (slope: number) => ({ zero: transform.from(middle - slope / 2), one: transform.from(middle + slope / 2) });
      const limits = levels.map((c) => {
        const [p, q] = positions(c);
        const low = pivot(percentile(simulatedSii, p));
        const high = pivot(percentile(simulatedSii, q));
        // A negative multiplier reverses the order: the smallest slope gives the largest limit.
        const [first, second] = invertRii ? [high, low] : [low, high];
        return {
          sii: { confidence: c, lower: (first.one - first.zero) * multiplier, upper: (second.one - second.zero) * multiplier },
          rii: { confidence: c, lower: ratio(first.one, first.zero), upper: ratio(second.one, second.zero) },
        };
      });
      siiIntervals = limits.map((l) => l.sii);
      riiIntervals = limits.map((l) => l.rii);
    }
    used = simulations;
  }

  return {
    sii: multiplier * (atOne - atZero),
    rii: transformed ? ratio(atOne, atZero) : riiOf(line),
    intercept: atZero,
    slope: atOne - atZero,
    scale: transformed ? transform.scale : 'identity',
    siiIntervals,
    riiIntervals,
    simulations: used,
    groups: sorted.map((g, i) => ({
      rank: g.rank,
      value: g.value,
      population: g.population,
      populationShare: shares[i]!,
      relativeRank: relativeRanks[i]!,
      standardError: g.se,
    })),
    warnings,
  };
};

export interface Gap {
  /** leastDeprived − mostDeprived (the direction of the SII). */
  readonly absolute: number;
  /** leastDeprived / mostDeprived (the direction of the RII); `null` when mostDeprived is 0. */
  readonly relative: number | null;
}

/**
 * The gap between the least and most deprived groups, running the same way as the SII and RII
 * (least deprived minus most deprived): absolute = least − most, relative = least / most. So for life
 * expectancy a positive gap means the least deprived live longer (the plans' "life expectancy gap");
 * for death and admission rates a negative gap (a relative gap below 1) means the most deprived
 * fare worse, as a negative SII does.
 */
export const gap = (mostDeprived: number, leastDeprived: number): Gap => {
  const most = requireFinite(mostDeprived, 'mostDeprived');
  const least = requireFinite(leastDeprived, 'leastDeprived');
  return { absolute: least - most, relative: most === 0 ? null : least / most };
};
