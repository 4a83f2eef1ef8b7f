import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { Random } from '../random/prng.js';
import { DEFAULT_SII_SIMULATIONS, type SiiGroup, gap, selectPositions, slopeIndexOfInequality } from './inequality.js';

/** Deciles with unequal populations (rank 1 = most deprived). */
const POPULATIONS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534];

const relativeRanks = (populations: readonly number[]): number[] => {
  const total = populations.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return populations.map((p) => {
    const x = cumulative + p / total / 2;
    cumulative += p / total;
    return x;
  });
};

describe('slopeIndexOfInequality: point estimates', () => {
  it('hand-worked example: three groups, populations 1:2:1, values 10, 20, 40', () => {
    // Shares a = ¼, ½, ¼; relative ranks x = 0.125, 0.5, 0.875; weighted x̄ = ½, ȳ = 22.5.
    // Sxx = 2 × ¼ × 0.375² = 0.0703125; Sxy = ¼ × 0.375 × (40 − 10) = 2.8125 → slope 40, intercept 2.5.
    const result = slopeIndexOfInequality(
      [
        { rank: 1, value: 10, population: 100 },
        { rank: 2, value: 20, population: 200 },
        { rank: 3, value: 40, population: 100 },
      ],
      { minimumQuantiles: 3 },
    );
    expect(result.groups.map((g) => g.relativeRank)).toEqual([0.125, 0.5, 0.875]);
    expect(result.sii).toBeCloseTo(40, 12);
    expect(result.intercept).toBeCloseTo(2.5, 12);
    expect(result.rii).toBeCloseTo(42.5 / 2.5, 12);
  });

  it('SII of values exactly linear in the relative rank is the slope, and RII is (α + β) / α', () => {
    const alpha = 70;
    const beta = 9.5;
    const groups: SiiGroup[] = relativeRanks(POPULATIONS).map((x, i) => ({
      rank: i + 1,
      value: alpha + beta * x,
      population: POPULATIONS[i]!,
    }));
    const result = slopeIndexOfInequality(groups);
    expect(Math.abs(result.sii - beta)).toBeLessThan(1e-11);
    expect(Math.abs(result.intercept - alpha)).toBeLessThan(1e-11);
    expect(Math.abs(result.rii - (alpha + beta) / alpha)).toBeLessThan(1e-13);
  });

  it('sorts by rank (smallest = most deprived) whatever the input order', () => {
    const groups: SiiGroup[] = POPULATIONS.map((population, i) => ({ rank: i + 1, value: 80 - i, population }));
    const forward = slopeIndexOfInequality(groups);
    const shuffled = slopeIndexOfInequality([...groups].reverse());
    expect(shuffled.sii).toBeCloseTo(forward.sii, 12);
    expect(forward.sii).toBeLessThan(0); // values fall towards the least deprived end
  });

  it('equal populations give the ordinary least-squares slope on x = (i − ½)/k', () => {
    const values = [12, 15, 11, 19, 22];
    const x = [0.1, 0.3, 0.5, 0.7, 0.9];
    const mx = 0.5;
    const my = values.reduce((a, b) => a + b, 0) / 5;
    const slope = x.reduce((s, xi, i) => s + (xi - mx) * (values[i]! - my), 0) / x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
    const result = slopeIndexOfInequality(values.map((value, i) => ({ rank: i + 1, value, population: 1000 })));
    expect(result.sii).toBeCloseTo(slope, 12);
  });

  it('a negative multiplier reverses polarity: SII changes sign and RII is inverted', () => {
    const groups: SiiGroup[] = POPULATIONS.map((population, i) => ({ rank: i + 1, value: 50 + 2 * i, population }));
    const plain = slopeIndexOfInequality(groups);
    const reversed = slopeIndexOfInequality(groups, { multiplier: -1 });
    expect(reversed.sii).toBeCloseTo(-plain.sii, 12);
    expect(reversed.rii).toBeCloseTo(1 / plain.rii, 12);
  });

  it('without limits or standard errors the intervals are missing', () => {
    const result = slopeIndexOfInequality(POPULATIONS.map((population, i) => ({ rank: i + 1, value: i, population })));
    expect(result.simulations).toBe(0);
    expect(result.siiIntervals).toEqual([{ confidence: 0.95, lower: null, upper: null }]);
  });
});

describe('slopeIndexOfInequality: simulated confidence limits', () => {
  const ses = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57];
  const values = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3];
  const groups: SiiGroup[] = values.map((value, i) => ({ rank: i + 1, value, population: POPULATIONS[i]!, standardError: ses[i]! }));

  /** For normal values the simulated slope is exactly normal with variance Σ cᵢ² seᵢ², cᵢ = aᵢ(xᵢ − x̄)/Sxx. */
  const analyticSd = (): number => {
    const total = POPULATIONS.reduce((a, b) => a + b, 0);
    const a = POPULATIONS.map((p) => p / total);
    const x = relativeRanks(POPULATIONS);
    const xBar = a.reduce((s, ai, i) => s + ai * x[i]!, 0);
    const sxx = a.reduce((s, ai, i) => s + ai * (x[i]! - xBar) ** 2, 0);
    return Math.sqrt(a.reduce((s, ai, i) => s + ((ai * (x[i]! - xBar)) / sxx) ** 2 * ses[i]! ** 2, 0));
  };

  it('match the normal-theory interval of the weighted slope', () => {
    const result = slopeIndexOfInequality(groups, { confidence: [0.95, 0.998], simulations: 20_000, random: Random.fromKey('sii-test') });
    const sd = analyticSd();
    const [ci95, ci998] = result.siiIntervals;
    expect(Math.abs(ci95!.lower! - (result.sii - 1.959964 * sd))).toBeLessThan(0.05 * sd);
    expect(Math.abs(ci95!.upper! - (result.sii + 1.959964 * sd))).toBeLessThan(0.05 * sd);
    expect(Math.abs(ci998!.lower! - (result.sii - 3.090232 * sd))).toBeLessThan(0.15 * sd);
    expect(Math.abs(ci998!.upper! - (result.sii + 3.090232 * sd))).toBeLessThan(0.15 * sd);
    expect(result.riiIntervals[0]!.lower!).toBeLessThan(result.rii);
    expect(result.riiIntervals[0]!.upper!).toBeGreaterThan(result.rii);
    expect(result.simulations).toBe(20_000);
  });

  it('are reproducible with the same seed and differ with another', () => {
    const first = slopeIndexOfInequality(groups, { random: Random.fromKey('seed-1') });
    const again = slopeIndexOfInequality(groups, { random: Random.fromKey('seed-1') });
    const other = slopeIndexOfInequality(groups, { random: Random.fromKey('seed-2') });
    expect(again.siiIntervals).toEqual(first.siiIntervals);
    expect(other.siiIntervals).not.toEqual(first.siiIntervals);
    // The default source is seeded too.
    expect(slopeIndexOfInequality(groups).siiIntervals).toEqual(slopeIndexOfInequality(groups).siiIntervals);
  });

  it('accept a uniform random function', () => {
    const random = Random.fromKey('uniform');
    const result = slopeIndexOfInequality(groups, { random: () => random.next(), simulations: 20_000 });
    const sd = analyticSd();
    expect(Math.abs(result.siiIntervals[0]!.lower! - (result.sii - 1.959964 * sd))).toBeLessThan(0.05 * sd);
  });

  it('derive standard errors from 95% limits, on the log scale for rates', () => {
    const rateGroups: SiiGroup[] = [100, 120, 150, 170, 210].map((value, i) => ({
      rank: i + 1,
      value,
      population: 10_000,
      lowerCI: value * 0.8,
      upperCI: value * 1.25,
    }));
    const result = slopeIndexOfInequality(rateGroups, { valueType: 'rate' });
    const expectedSe = (Math.log(1.25) - Math.log(0.8)) / (2 * 1.959963984540054);
    for (const group of result.groups) expect(group.standardError).toBeCloseTo(expectedSe, 12);
    expect(result.siiIntervals[0]!.lower!).toBeLessThan(result.sii);
    expect(result.siiIntervals[0]!.upper!).toBeGreaterThan(result.sii);
  });

  it('run 100,000 simulations by default, as phe_sii', () => {
    expect(DEFAULT_SII_SIMULATIONS).toBe(100_000);
    expect(slopeIndexOfInequality(groups).simulations).toBe(100_000);
  });

  /**
   * Proportions: the SE is taken on the logit scale from the 95% limits, se = (logit U − logit L) / (2 × 1.96),
   * and each repetition draws expit(logit p + se × z). For small SEs p varies by about p(1 − p) × se
   * (delta method), so the slope's limits are close to the normal-theory ones with sdᵢ = pᵢ(1 − pᵢ)seᵢ.
   */
  it.each([
    ['multiplier 1', 1],
    ['percentage points (multiplier 100)', 100],
    ['reversed polarity (multiplier −100)', -100],
  ])('derive standard errors from 95% limits on the logit scale for proportions: %s', (_, multiplier) => {
    const logit = (p: number) => Math.log(p / (1 - p));
    const expit = (v: number) => 1 / (1 + Math.exp(-v));
    const z95 = 1.959963984540054;
    const values = [0.12, 0.15, 0.17, 0.2, 0.21, 0.24, 0.26, 0.27, 0.3, 0.33];
    const seLogit = 0.02;
    const proportions: SiiGroup[] = values.map((value, i) => ({
      rank: i + 1,
      value,
      population: POPULATIONS[i]!,
      lowerCI: expit(logit(value) - z95 * seLogit),
      upperCI: expit(logit(value) + z95 * seLogit),
    }));
    const result = slopeIndexOfInequality(proportions, { valueType: 'proportion', multiplier, random: Random.fromKey('logit-se') });
    for (const group of result.groups) expect(group.standardError).toBeCloseTo(seLogit, 12);
    const total = POPULATIONS.reduce((a, b) => a + b, 0);
    const a = POPULATIONS.map((p) => p / total);
    const x = relativeRanks(POPULATIONS);
    const xBar = a.reduce((sum, ai, i) => sum + ai * x[i]!, 0);
    const sxx = a.reduce((sum, ai, i) => sum + ai * (x[i]! - xBar) ** 2, 0);
    const slope = a.reduce((sum, ai, i) => sum + (ai * (x[i]! - xBar) * values[i]!) / sxx, 0);
    const sd = Math.abs(multiplier) * Math.sqrt(a.reduce((sum, ai, i) => sum + ((ai * (x[i]! - xBar)) / sxx) ** 2 * (values[i]! * (1 - values[i]!) * seLogit) ** 2, 0));
    expect(result.sii).toBeCloseTo(multiplier * slope, 12);
    const [ci] = result.siiIntervals;
    expect(Math.abs(ci!.lower! - (result.sii - z95 * sd))).toBeLessThan(0.03 * sd);
    expect(Math.abs(ci!.upper! - (result.sii + z95 * sd))).toBeLessThan(0.03 * sd);
  });

  it('collapse onto the SII when the standard errors are tiny', () => {
    const precise = groups.map((g) => ({ ...g, standardError: 1e-9 }));
    const result = slopeIndexOfInequality(precise);
    expect(result.siiIntervals[0]!.lower!).toBeCloseTo(result.sii, 6);
    expect(result.siiIntervals[0]!.upper!).toBeCloseTo(result.sii, 6);
  });
});

describe('slopeIndexOfInequality: invalid input', () => {
  const base: SiiGroup[] = [
    { rank: 1, value: 10, population: 100 },
    { rank: 2, value: 12, population: 100 },
    { rank: 3, value: 15, population: 100 },
    { rank: 4, value: 16, population: 100 },
    { rank: 5, value: 19, population: 100 },
  ];
  const expectInvalid = (action: () => unknown, message: RegExp): void => {
    expect(action).toThrow(UserError);
    expect(action).toThrow(message);
  };
  it('duplicated ranks', () => expectInvalid(() => slopeIndexOfInequality([...base, { rank: 2, value: 1, population: 1 }]), /rank 2 appears more than once/));
  it('zero population', () =>
    expectInvalid(() => slopeIndexOfInequality([...base.slice(1), { rank: 1, value: 10, population: 0 }]), /population of group 5 \(rank 1\) must be greater than 0/));
  it('a single group', () => expectInvalid(() => slopeIndexOfInequality(base.slice(0, 1)), /at least two groups/));
  it('limits on some groups only', () =>
    expectInvalid(() => slopeIndexOfInequality([{ ...base[0]!, standardError: 1 }, ...base.slice(1)]), /every group or for none/));
  it('proportions outside (0, 1)', () => expectInvalid(() => slopeIndexOfInequality(base, { valueType: 'proportion' }), /strictly between 0 and 1/));
  it('too few simulations', () => expectInvalid(() => slopeIndexOfInequality(base, { simulations: 10 }), /simulations must be a whole number between 1000/));
  it('a random source outside [0, 1)', () =>
    expectInvalid(
      () => slopeIndexOfInequality(base.map((g) => ({ ...g, standardError: 1 })), { random: () => 2 }),
      /random\(\) must return numbers in \[0, 1\)/,
    ));
});

describe('slopeIndexOfInequality: quantile counts (5 to 100, as phe_sii)', () => {
  const groupsOf = (n: number): SiiGroup[] => Array.from({ length: n }, (_, i) => ({ rank: i + 1, value: 10 + i, population: 100 }));
  it.each([4, 101])('rejects %i quantiles', (n) => {
    expect(() => slopeIndexOfInequality(groupsOf(n))).toThrow(`the number of quantiles must be between 5 and 100, got ${n}`);
  });
  it('accepts 5 and 100, and warns above 10', () => {
    expect(slopeIndexOfInequality(groupsOf(5)).warnings).toEqual([]);
    expect(slopeIndexOfInequality(groupsOf(10)).warnings).toEqual([]);
    expect(slopeIndexOfInequality(groupsOf(100)).warnings).toEqual(['100 quantiles: small values can make the SII unstable with more than 10']);
  });
  it('a smaller minimum can be asked for (worked examples), never below 2', () => {
    expect(slopeIndexOfInequality(groupsOf(3), { minimumQuantiles: 3 }).sii).toBeCloseTo(3, 12); // 10, 11, 12 at x = 1/6, 1/2, 5/6
    expect(() => slopeIndexOfInequality(groupsOf(3), { minimumQuantiles: 1 })).toThrow(/minimumQuantiles/);
  });
});

describe('slopeIndexOfInequality: log and logit transformation (phe_sii transform = TRUE)', () => {
  const x = relativeRanks(POPULATIONS);
  const alpha = Math.log(200);
  const beta = -0.6;
  /** Rates exactly exponential in the relative rank, with 95% limits ×/÷ a factor. */
  const rates = (factor: number): SiiGroup[] =>
    x.map((xi, i) => {
      const value = Math.exp(alpha + beta * xi);
      return { rank: i + 1, value, population: POPULATIONS[i]!, lowerCI: value / factor, upperCI: value * factor };
    });

  it('fits the line to log rates and reports the SII and RII back in rate units', () => {
    const result = slopeIndexOfInequality(rates(1.1), { valueType: 'rate', transform: true, simulations: 1000 });
    expect(result.scale).toBe('log');
    expect(result.sii).toBeCloseTo(Math.exp(alpha + beta) - Math.exp(alpha), 9);
    expect(result.rii).toBeCloseTo(Math.exp(beta), 12);
    expect(result.intercept).toBeCloseTo(200, 9);
  });

  it('turns the simulated log-scale slope limits back by pivoting about the midpoint of the line', () => {
    const factor = 1.2;
    const result = slopeIndexOfInequality(rates(factor), { valueType: 'rate', transform: true, confidence: [0.95, 0.998], simulations: 100_000, random: Random.fromKey('transform') });
    // On the log scale every group has SE = ln(factor) / 1.96, so the slope is normal with sd = SE × √Σcᵢ².
    const total = POPULATIONS.reduce((a, b) => a + b, 0);
    const a = POPULATIONS.map((p) => p / total);
    const xBar = a.reduce((sum, ai, i) => sum + ai * x[i]!, 0);
    const sxx = a.reduce((sum, ai, i) => sum + ai * (x[i]! - xBar) ** 2, 0);
    const sd = (Math.log(factor) / 1.959963984540054) * Math.sqrt(a.reduce((sum, ai, i) => sum + ((ai * (x[i]! - xBar)) / sxx) ** 2, 0));
    const middle = alpha + beta / 2;
    const siiAt = (b: number) => Math.exp(middle + b / 2) - Math.exp(middle - b / 2);
    [1.959964, 3.090232].forEach((z, level) => {
      const ci = result.siiIntervals[level]!;
      expect(Math.abs(ci.lower! - siiAt(beta - z * sd))).toBeLessThan(0.03 * Math.abs(siiAt(beta - z * sd) - result.sii) + 1e-9);
      expect(Math.abs(ci.upper! - siiAt(beta + z * sd))).toBeLessThan(0.03 * Math.abs(siiAt(beta + z * sd) - result.sii) + 1e-9);
      const rii = result.riiIntervals[level]!;
      expect(rii.lower!).toBeCloseTo(Math.exp(beta - z * sd), 2);
      expect(rii.upper!).toBeCloseTo(Math.exp(beta + z * sd), 2);
    });
  });

  it('logit for proportions', () => {
    const groups: SiiGroup[] = x.map((xi, i) => {
      const value = 1 / (1 + Math.exp(-(-1 + 1.5 * xi)));
      return { rank: i + 1, value, population: POPULATIONS[i]!, lowerCI: value * 0.9, upperCI: value * 1.05 };
    });
    const result = slopeIndexOfInequality(groups, { valueType: 'proportion', transform: true, multiplier: 100, simulations: 1000 });
    const logistic = (v: number) => 1 / (1 + Math.exp(-v));
    expect(result.scale).toBe('logit');
    expect(result.sii).toBeCloseTo(100 * (logistic(0.5) - logistic(-1)), 9);
    expect(result.rii).toBeCloseTo(logistic(0.5) / logistic(-1), 12);
  });

  it('a negative multiplier reverses polarity on the back-transformed scale, limits still in order', () => {
    const plain = slopeIndexOfInequality(rates(1.1), { valueType: 'rate', transform: true });
    const reversed = slopeIndexOfInequality(rates(1.1), { valueType: 'rate', transform: true, multiplier: -1 });
    expect(reversed.sii).toBeCloseTo(-plain.sii, 12);
    expect(reversed.rii).toBeCloseTo(1 / plain.rii, 12);
    expect(reversed.siiIntervals[0]!.lower).toBeCloseTo(-plain.siiIntervals[0]!.upper!, 12);
    expect(reversed.siiIntervals[0]!.upper).toBeCloseTo(-plain.siiIntervals[0]!.lower!, 12);
    expect(reversed.riiIntervals[0]!.lower).toBeCloseTo(1 / plain.riiIntervals[0]!.upper!, 12);
  });

  it.each<[string, SiiGroup[], object, RegExp]>([
    ['normal values', rates(1.1), { transform: true }, /transform needs valueType 'rate' \(log\) or 'proportion' \(logit\)/],
    ['standard errors', rates(1.1).map((g) => ({ rank: g.rank, value: g.value, population: g.population, standardError: 0.1 })), { valueType: 'rate', transform: true }, /not standard errors/],
    ['no limits', rates(1.1).map((g) => ({ rank: g.rank, value: g.value, population: g.population })), { valueType: 'rate', transform: true }, /needs 95% limits/],
  ])('rejects %s', (_, groups, options, message) => {
    expect(() => slopeIndexOfInequality(groups, options)).toThrow(message);
  });
});

describe('gap', () => {
  it('is most − least and most / least', () => {
    // Least deprived minus most deprived, as the SII runs: a death rate higher in the most deprived gives a negative gap…
    expect(gap(120, 80)).toEqual({ absolute: -40, relative: 80 / 120 });
    // …and life expectancy shorter in the most deprived a positive one (the plans' "life expectancy gap").
    expect(gap(76.5, 84)).toEqual({ absolute: 7.5, relative: 84 / 76.5 });
    expect(gap(0, 5)).toEqual({ absolute: 5, relative: null });
    expect(() => gap(Number.NaN, 1)).toThrow(UserError);
  });
});

describe('selectPositions', () => {
  it('puts the asked positions where sorting would, with ties, infinities and NaN', () => {
    const random = Random.fromKey('select');
    for (const [n, kinds] of [[1, 'plain'], [2, 'plain'], [17, 'ties'], [1000, 'plain'], [1000, 'ties'], [5000, 'inf'], [300, 'nan']] as const) {
      const a = Float64Array.from({ length: n }, () =>
        kinds === 'ties' ? Math.floor(random.next() * 5) : kinds === 'inf' && random.next() < 0.01 ? -Infinity : kinds === 'nan' && random.next() < 0.05 ? NaN : random.normal(),
      );
      const sorted = Float64Array.from(a).sort();
      const ks = [...new Set([0, Math.floor(n * 0.001), Math.floor(n * 0.025), Math.floor(n * 0.5), Math.floor(n * 0.975), n - 1])].sort((x, y) => x - y);
      selectPositions(a, ks);
      for (const k of ks) expect(a[k]).toBe(sorted[k]);
    }
  });
});
