import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { LIFE_TABLE_AGE_BANDS } from './age-bands.js';
import { type LifeExpectancyRow, lifeExpectancy } from './life-expectancy.js';

const STARTS = LIFE_TABLE_AGE_BANDS.map((band) => band.startAge);

const table = (deaths: readonly number[], populations: readonly number[]): LifeExpectancyRow[] =>
  LIFE_TABLE_AGE_BANDS.map((band, i) => ({ ageBand: band.label, deaths: deaths[i]!, population: populations[i]! }));

/**
 * Worked example published with PHEindicatormethods (`phe_life_expectancy` examples and tests),
 * whose expected values come from the PHE Life Expectancy Calculator (Excel).
 */
const EXAMPLE_POPULATIONS = [
  7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936,
  11936,
];
const EXAMPLE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937];
const EXPECTED_VALUE = [
  80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088, 55.78835987, 50.92752727, 46.06740425, 41.24505636,
  36.49322717, 31.83343842, 27.26027992, 22.9719144, 18.76856852, 14.95858336, 11.51684445, 8.618849241, 6.163942934, 6.16210635,
];
const EXPECTED_LOWER = [
  79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577, 55.53801579, 50.68279939, 45.82666794, 41.00842831,
  36.26223216, 31.60996318, 27.04337271, 22.76653134, 18.57570352, 14.77985004, 11.34831778, 8.451134045, 5.978358351, 5.887683386,
];
const EXPECTED_UPPER = [
  80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436, 56.03870395, 51.17225516, 46.30814055, 41.48168441,
  36.72422219, 32.05691365, 27.47718713, 23.17729746, 18.96143352, 15.13731667, 11.68537112, 8.786564437, 6.349527517, 6.436529314,
];

describe('lifeExpectancy: published worked example (PHE Life Expectancy Calculator)', () => {
  const result = lifeExpectancy(table(EXAMPLE_DEATHS, EXAMPLE_POPULATIONS));

  it('reproduces life expectancy at every age to the published 8-10 significant figures', () => {
    result.byAge.forEach((age, i) => {
      expect(Math.abs(age.value! - EXPECTED_VALUE[i]!), `e at ${age.ageBand}`).toBeLessThan(1e-8);
    });
    expect(result.value).toBe(result.byAge[0]!.value);
    expect(result.startAge).toBe(0);
  });

  it('reproduces the confidence limits to 4 decimal places (the precision PHEindicatormethods tests)', () => {
    result.byAge.forEach((age, i) => {
      expect(Math.abs(age.intervals[0]!.lower! - EXPECTED_LOWER[i]!), `lower at ${age.ageBand}`).toBeLessThan(5e-5);
      expect(Math.abs(age.intervals[0]!.upper! - EXPECTED_UPPER[i]!), `upper at ${age.ageBand}`).toBeLessThan(5e-5);
    });
  });

  it('has exactly the published standard errors: the calculator used z = 1.96 rather than 1.959964', () => {
    // The spreadsheet's limits are e ± 1.96 SE; with that z our SE reproduces them to their precision.
    result.byAge.forEach((age, i) => {
      expect(Math.abs(age.value! - 1.96 * age.standardError! - EXPECTED_LOWER[i]!), `lower at ${age.ageBand}`).toBeLessThan(1e-8);
      expect(Math.abs(age.value! + 1.96 * age.standardError! - EXPECTED_UPPER[i]!), `upper at ${age.ageBand}`).toBeLessThan(1e-8);
    });
  });

  it('reports the requested start age and several confidence levels', () => {
    const at65 = lifeExpectancy(table(EXAMPLE_DEATHS, EXAMPLE_POPULATIONS), { startAge: 65, confidence: [0.95, 0.998] });
    expect(at65.ageBand).toBe('65-69');
    expect(at65.value).toBeCloseTo(18.76856852, 7);
    expect(at65.intervals.map((i) => i.confidence)).toEqual([0.95, 0.998]);
    const [ci95, ci998] = at65.intervals;
    expect(ci998!.lower!).toBeLessThan(ci95!.lower!);
    expect(ci998!.upper!).toBeGreaterThan(ci95!.upper!);
    expect(at65.suppressed).toBe(false);
    expect(at65.totalPopulation).toBe(EXAMPLE_POPULATIONS.reduce((a, b) => a + b, 0));
  });

  it('does not depend on the order of the rows, and accepts starting ages as band names', () => {
    const rows = table(EXAMPLE_DEATHS, EXAMPLE_POPULATIONS)
      .map((row, i) => ({ ...row, ageBand: STARTS[i]! }))
      .reverse();
    expect(lifeExpectancy(rows).value).toBe(result.value);
  });

  it('builds a consistent life table', () => {
    const lt = result.lifeTable;
    expect(lt).toHaveLength(20);
    expect(lt[0]!.survivors).toBe(100_000);
    expect(lt[0]!.fractionLived).toBe(0.1);
    expect(lt[1]!.fractionLived).toBe(0.5);
    expect(lt[19]!.probabilityOfDying).toBe(1);
    expect(lt[19]!.width).toBeNull();
    // q₀ = n M / (1 + n M (1 − a)) with n = 1, a = 0.1.
    const m0 = 17 / 7060;
    expect(lt[0]!.probabilityOfDying).toBeCloseTo(m0 / (1 + 0.9 * m0), 15);
    for (let i = 0; i < 19; i += 1) {
      expect(lt[i + 1]!.survivors).toBeCloseTo(lt[i]!.survivors * (1 - lt[i]!.probabilityOfDying), 8);
      expect(lt[i]!.totalPersonYears).toBeCloseTo(lt[i]!.personYears + lt[i + 1]!.totalPersonYears, 6);
    }
  });
});

describe('lifeExpectancy: hand-checkable cases', () => {
  it('with deaths only in 90+, e₀ = 90 + 1/M₉₀ and SE = 1/(M₉₀ √D₉₀) (Silcocks final-band term only)', () => {
    const deaths = STARTS.map((s) => (s === 90 ? 250 : 0));
    const populations = STARTS.map(() => 1000);
    const result = lifeExpectancy(table(deaths, populations));
    // M = 0.25: mean survival 4 years after 90.
    expect(result.value).toBeCloseTo(94, 12);
    expect(result.standardError).toBeCloseTo(1 / (0.25 * Math.sqrt(250)), 12);
    expect(result.byAge[19]!.value).toBeCloseTo(4, 12);
    expect(result.byAge[10]!.value).toBeCloseTo(90 - 45 + 4, 12);
  });
});

describe('lifeExpectancy: PHE suppression rules', () => {
  const flat = (population: number, deaths: number): LifeExpectancyRow[] =>
    table(
      STARTS.map(() => deaths),
      STARTS.map(() => population),
    );

  it('suppresses everything when the total population is 5,000 or less', () => {
    const result = lifeExpectancy(flat(250, 5)); // total exactly 5,000
    expect(result.totalPopulation).toBe(5000);
    expect(result.suppressed).toBe(true);
    expect(result.reason).toBe('population-5000-or-less');
    expect(result.value).toBeNull();
    expect(result.intervals[0]).toEqual({ confidence: 0.95, lower: null, upper: null });
    expect(result.byAge.every((age) => age.suppressed && age.value === null)).toBe(true);
  });

  it('publishes just above 5,000', () => {
    const rows = flat(250, 5).map((row, i) => (i === 5 ? { ...row, population: 251 } : row));
    const result = lifeExpectancy(rows);
    expect(result.totalPopulation).toBe(5001);
    expect(result.reason).not.toBe('population-5000-or-less');
  });

  it('withholds values whose 95% interval is wider than 20 years but keeps their limits', () => {
    // 300 people per band, deaths concentrated in old age: the young ages are precise, the oldest are not.
    const deaths = STARTS.map((s) => (s >= 85 ? 2 : s >= 60 ? 20 : 1));
    const result = lifeExpectancy(table(deaths, STARTS.map(() => 300)), { confidence: [0.95, 0.998] });
    expect(result.totalPopulation).toBe(6000);
    const wide = result.byAge.filter((age) => age.reason === 'confidence-interval-wider-than-20-years');
    expect(wide.length).toBeGreaterThan(0);
    for (const age of wide) {
      expect(age.value).toBeNull();
      expect(age.suppressed).toBe(true);
      const ci95 = age.intervals[0]!;
      expect(ci95.upper! - ci95.lower!).toBeGreaterThan(20);
      expect(age.intervals[1]!.lower).not.toBeNull();
    }
    for (const age of result.byAge.filter((a) => !a.suppressed)) {
      expect(age.intervals[0]!.upper! - age.intervals[0]!.lower!).toBeLessThanOrEqual(20);
      expect(age.value).not.toBeNull();
    }
  });

  it('cannot compute without deaths in 90+', () => {
    const deaths = STARTS.map((s) => (s === 90 ? 0 : 10));
    const result = lifeExpectancy(table(deaths, STARTS.map(() => 1000)));
    expect(result.suppressed).toBe(true);
    expect(result.reason).toBe('no-deaths-in-final-band');
    expect(result.value).toBeNull();
  });
});

describe('lifeExpectancy: invalid input', () => {
  const good = table(EXAMPLE_DEATHS, EXAMPLE_POPULATIONS);
  const expectInvalid = (rows: LifeExpectancyRow[], message: RegExp, options = {}): void => {
    let thrown: unknown;
    try {
      lifeExpectancy(rows, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).kind).toBe('invalid-input');
    expect((thrown as UserError).message).toMatch(message);
  };

  it('rejects a missing band', () => expectInvalid(good.slice(0, 19), /missing age band\(s\) '90\+'/));
  it('rejects a duplicated band', () => expectInvalid([...good, good[3]!], /'10-14' appear more than once/));
  it('rejects 19-band (0-4) input', () =>
    expectInvalid([{ ageBand: '0-4', deaths: 26, population: 42119 }, ...good.slice(2)], /'0-4' \(expected '0'\) do not match/));
  it('rejects deaths above the population', () =>
    expectInvalid(
      good.map((row, i) => (i === 18 ? { ...row, population: 119 } : row)),
      /deaths \(1936\) in age band '85-89' must not be greater than its population \(119\)/,
    ));
  it('rejects negative deaths', () =>
    expectInvalid(
      good.map((row, i) => (i === 3 ? { ...row, deaths: -5 } : row)),
      /deaths in age band '10-14' must not be negative/,
    ));
  it('rejects non-integer deaths', () =>
    expectInvalid(
      good.map((row, i) => (i === 3 ? { ...row, deaths: 2.5 } : row)),
      /must be a whole number/,
    ));
  it('rejects a zero population', () =>
    expectInvalid(
      good.map((row, i) => (i === 5 ? { ...row, population: 0 } : row)),
      /population in age band '20-24' must be greater than 0, got 0/,
    ));
  it('rejects an unknown start age', () => expectInvalid(good, /startAge must be the start of a life-table band/, { startAge: 3 }));
  it('rejects confidence given as a percentage', () => expectInvalid(good, /strictly between 0 and 1/, { confidence: 95 }));
});
