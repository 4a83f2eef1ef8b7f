/**
 * Reproduces the reference values published in the PHEindicatormethods test data (copied, as CSV,
 * to the shared data folder: ../shared/data/reference-stats, or $PHM_SHARED_DATA/reference-stats).
 * The files are read at test time; nothing from them is embedded here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { ESP1976, ESP2013 } from './age-bands.js';
import { type DsrRow, type EventFrequencyRow, dsr } from './dsr.js';
import { type ConfidenceInterval, byarsLower, byarsUpper, wilsonLower, wilsonUpper } from './intervals.js';
import { proportion } from './proportion.js';
import { crudeRate } from './rate.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const sharedData = process.env.PHM_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data');
const referenceDir = path.join(sharedData, 'reference-stats');

type Row = Record<string, string>;

/** Minimal CSV reader: header row, comma separated, double-quoted fields may contain commas. */
const readCsv = (name: string): Row[] => {
  const text = readFileSync(path.join(referenceDir, name), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  });
};

/** A numeric cell, or null when empty. */
const num = (row: Row, column: string): number | null => {
  const cell = row[column];
  if (cell === undefined) throw new Error(`no column ${column}`);
  return cell.trim() === '' ? null : Number(cell);
};

/** Published values carry full double precision; agreement to 1e-12 relative is "the published precision". */
const RELATIVE = 1e-12;

const expectClose = (actual: number | null | undefined, expected: number | null, what: string, absolute = 0): void => {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  const tolerance = Math.max(absolute, Math.abs(expected) * RELATIVE);
  expect(Math.abs(actual! - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
};

const at = (intervals: readonly ConfidenceInterval[], confidence: number): ConfidenceInterval => {
  const found = intervals.find((interval) => interval.confidence === confidence);
  if (!found) throw new Error(`no ${confidence} interval`);
  return found;
};

const confidenceOf = (label: string): number => {
  if (label === '95%') return 0.95;
  if (label === '99.8%') return 0.998;
  throw new Error(`unexpected confidence ${label}`);
};

const expectInvalidInput = (action: () => unknown, message: RegExp): void => {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an error').toBeInstanceOf(UserError);
  expect((thrown as UserError).kind).toBe('invalid-input');
  expect((thrown as UserError).message).toMatch(message);
};

describe('reference data folder', () => {
  it('is available (set PHM_SHARED_DATA to the shared data folder if it is elsewhere)', () => {
    expect(existsSync(path.join(referenceDir, 'testdata_Byars_Wilson__testdata_B_W.csv')), referenceDir).toBe(true);
  });
});

describe("Byar's and Wilson limits (testdata_B_W)", () => {
  const rows = readCsv('testdata_Byars_Wilson__testdata_B_W.csv');

  it('has the 13 published rows', () => {
    expect(rows).toHaveLength(13);
  });

  rows.forEach((row, index) => {
    const x = num(row, 'x')!;
    const n = num(row, 'n');
    const confidence = confidenceOf(row.confidence!);
    const label = `row ${index + 1}: ${row.method} x=${x} n=${n ?? '-'} at ${row.confidence}`;
    it(label, () => {
      if (row.method === 'Byars') {
        const lower = num(row, 'lowercl');
        if (lower === null) {
          // Published blank: Byar's cube is negative for x = 1 at 99.8%, so there is no valid limit.
          expect(byarsLower(x, confidence)).toBeLessThan(0);
        } else {
          expectClose(byarsLower(x, confidence), lower, `${label} lower`);
        }
        expectClose(byarsUpper(x, confidence), num(row, 'uppercl'), `${label} upper`);
      } else {
        expect(row.method).toBe('Wilson');
        expectClose(wilsonLower(x, n!, confidence), num(row, 'lowercl'), `${label} lower`);
        expectClose(wilsonUpper(x, n!, confidence), num(row, 'uppercl'), `${label} upper`);
      }
    });
  });
});

describe('proportions with Wilson limits (testdata_Prop, 95% and 99.8%)', () => {
  const rows = readCsv('testdata_Proportion__testdata_Prop.csv');
  it('has the 19 published rows', () => expect(rows).toHaveLength(19));
  rows.forEach((row, index) => {
    const label = `row ${index + 1} ${row.Area} ×${row.multiplier}`;
    it(label, () => {
      const result = proportion(num(row, 'Numerator'), num(row, 'Denominator'), {
        confidence: [0.95, 0.998],
        multiplier: num(row, 'multiplier')!,
      });
      expectClose(result.value, num(row, 'value'), `${label} value`);
      expectClose(at(result.intervals, 0.95).lower, num(row, 'lower95_0cl'), `${label} lower 95`);
      expectClose(at(result.intervals, 0.95).upper, num(row, 'upper95_0cl'), `${label} upper 95`);
      expectClose(at(result.intervals, 0.998).lower, num(row, 'lower99_8cl'), `${label} lower 99.8`);
      expectClose(at(result.intervals, 0.998).upper, num(row, 'upper99_8cl'), `${label} upper 99.8`);
      expect(result.method).toBe('wilson');
    });
  });
});

describe('proportions of grouped (summed) inputs (testdata_Prop_g, 95%)', () => {
  const rows = readCsv('testdata_Proportion__testdata_Prop_g.csv');
  it('has the 11 published rows', () => expect(rows).toHaveLength(11));
  rows.forEach((row, index) => {
    const label = `row ${index + 1} ${row.Area}`;
    it(label, () => {
      const confidence = confidenceOf(row.confidence!);
      const result = proportion(num(row, 'Numerator'), num(row, 'Denominator'), { confidence, multiplier: num(row, 'multiplier')! });
      expectClose(result.value, num(row, 'value'), `${label} value`);
      expectClose(result.intervals[0]!.lower, num(row, 'lowercl'), `${label} lower`);
      expectClose(result.intervals[0]!.upper, num(row, 'uppercl'), `${label} upper`);
    });
  });
});

const expectedRateMethod = (row: Row): 'exact' | 'byars' | null =>
  row.method === 'Exact' ? 'exact' : row.method === 'Byars' ? 'byars' : null;

describe("crude rates with exact (< 10) or Byar's (≥ 10) limits (testdata_Rate, 95% and 99.8%)", () => {
  const rows = readCsv('testdata_Rate__testdata_Rate.csv');
  it('has the 20 published rows', () => expect(rows).toHaveLength(20));
  rows.forEach((row, index) => {
    const label = `row ${index + 1} ${row.Area} per ${row.multiplier}`;
    it(label, () => {
      const result = crudeRate(num(row, 'Numerator'), num(row, 'Denominator'), {
        confidence: [0.95, 0.998],
        multiplier: num(row, 'multiplier')!,
      });
      expectClose(result.value, num(row, 'value'), `${label} value`);
      expectClose(at(result.intervals, 0.95).lower, num(row, 'lower95_0cl'), `${label} lower 95`);
      expectClose(at(result.intervals, 0.95).upper, num(row, 'upper95_0cl'), `${label} upper 95`);
      expectClose(at(result.intervals, 0.998).lower, num(row, 'lower99_8cl'), `${label} lower 99.8`);
      expectClose(at(result.intervals, 0.998).upper, num(row, 'upper99_8cl'), `${label} upper 99.8`);
      expect(result.method, `${label} method`).toBe(expectedRateMethod(row));
    });
  });
});

describe('crude rates of grouped (summed) inputs (testdata_Rate_g, 95%)', () => {
  const rows = readCsv('testdata_Rate__testdata_Rate_g.csv');
  it('has the 12 published rows', () => expect(rows).toHaveLength(12));
  rows.forEach((row, index) => {
    const label = `row ${index + 1} ${row.Area}`;
    it(label, () => {
      const result = crudeRate(num(row, 'Numerator'), num(row, 'Denominator'), {
        confidence: confidenceOf(row.confidence!),
        multiplier: num(row, 'multiplier')!,
      });
      expectClose(result.value, num(row, 'value'), `${label} value`);
      expectClose(result.intervals[0]!.lower, num(row, 'lowercl'), `${label} lower`);
      expectClose(result.intervals[0]!.upper, num(row, 'uppercl'), `${label} upper`);
      expect(result.method, `${label} method`).toBe(expectedRateMethod(row));
    });
  });
});

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
};

/**
 * The multiplier of a results row: from its statistic ('dsr per 10000'), or for suppressed rows
 * (statistic 'dsr NA …') from its position: rows 1-4 are per 10,000, the rest per 100,000.
 */
/**
 * The multiarea and non-independent-events files label the 55-59 band '55-69' (a typo in the
 * published spreadsheet; the data are the 55-59 band of ESP 2013 order). dsr() rejects a label that
 * contradicts the standard's band, so the tests correct it and check that rejection separately.
 */
const band = (label: string): string => (label === '55-69' ? '55-59' : label);

const multiplierOf = (row: Row, all: readonly Row[]): number => {
  const match = /per (\d+)/.exec(row.statistic!);
  if (match) return Number(match[1]);
  return all.indexOf(row) < 4 ? 10_000 : 100_000;
};

describe('directly standardised rates, Dobson limits, ESP 2013 (testresults_DSR rows 1-3 and 5-7)', () => {
  const inputs = groupBy(readCsv('testdata_DSR_ISR__testdata_multiarea.csv'), (row) => row.area!);
  const results = readCsv('testdata_DSR_ISR__testresults_DSR.csv');
  const multiplierOfRow = (row: Row): number => multiplierOf(row, results);
  const independent = results.filter((row) => row.method === 'Dobson' && inputs.has(row.area!));
  const lookup = readCsv('testdata_DSR_ISR__testdata_multiarea_lookup.csv');

  it('covers the three areas at both multipliers', () => {
    expect(independent).toHaveLength(6);
  });

  it('input totals agree with the multiarea lookup', () => {
    for (const row of lookup) {
      const rows = inputs.get(row.area!)!;
      const result = dsr(
        rows.map((r) => ({ ageBand: band(r.ageband!), count: num(r, 'count'), population: num(r, 'pop')! })),
        { multiplier: 100_000 },
      );
      expect(result.totalCount, row.area).toBe(num(row, 'total_count'));
    }
  });

  it("rejects the file's '55-69' label, which contradicts ESP 2013's 55-59 band", () => {
    const rows = inputs.get('testdata_big')!.map((r) => ({ ageBand: r.ageband!, count: num(r, 'count'), population: num(r, 'pop')! }));
    expectInvalidInput(() => dsr(rows), /age band\(s\) '55-69' \(expected '55-59'\) do not match the expected bands/);
  });

  independent.forEach((expected) => {
    const multiplier = multiplierOfRow(expected);
    const label = `${expected.area} per ${multiplier}`;
    it(label, () => {
      const rows: DsrRow[] = inputs
        .get(expected.area!)!
        .map((r) => ({ ageBand: band(r.ageband!), count: num(r, 'count'), population: num(r, 'pop')! }));
      const result = dsr(rows, { confidence: [0.95, 0.998], multiplier });
      expect(result.totalCount).toBe(num(expected, 'total_count'));
      expect(result.totalPopulation).toBe(num(expected, 'total_pop'));
      expect(result.method).toBe('dobson');
      expectClose(result.value, num(expected, 'value'), `${label} value`);
      expectClose(at(result.intervals, 0.95).lower, num(expected, 'lower95_0cl'), `${label} lower 95`);
      expectClose(at(result.intervals, 0.95).upper, num(expected, 'upper95_0cl'), `${label} upper 95`);
      expectClose(at(result.intervals, 0.998).lower, num(expected, 'lower99_8cl'), `${label} lower 99.8`);
      expectClose(at(result.intervals, 0.998).upper, num(expected, 'upper99_8cl'), `${label} upper 99.8`);
      expect(result.suppressed).toBe(expected.statistic!.startsWith('dsr NA'));
    });
  });

  it('the same DSR with the standard population given on the rows', () => {
    const rows = inputs.get('testdata_big')!.map((r, i) => ({
      ageBand: band(r.ageband!),
      count: num(r, 'count'),
      population: num(r, 'pop')!,
      standardPopulation: ESP2013.bands[i]!.weight,
    }));
    const expected = results.find((row) => row.area === 'testdata_big' && row.statistic === 'dsr per 100000')!;
    expectClose(dsr(rows).value, num(expected, 'value'), 'value with row standard populations');
  });
});

describe('DSRs adjusted for non-independent events (testresults_DSR rows 9-12)', () => {
  const inputs = groupBy(readCsv('testdata_DSR_ISR__testdata_nonindepe.csv'), (row) => row.area!);
  const allResults = readCsv('testdata_DSR_ISR__testresults_DSR.csv');
  const multiplierOfRow = (row: Row): number => multiplierOf(row, allResults);
  const results = allResults.filter((row) => row.method!.includes('non-independent'));

  it('covers the four areas', () => expect(results).toHaveLength(4));

  results.forEach((expected) => {
    const multiplier = multiplierOfRow(expected);
    const label = `${expected.area} per ${multiplier}`;
    it(label, () => {
      const source = inputs.get(expected.area!)!;
      const rows: DsrRow[] = source.map((r) => ({ ageBand: band(r.ageband!), count: num(r, 'count'), population: num(r, 'pop')! }));
      const eventFrequencies: EventFrequencyRow[] = source.flatMap((r) =>
        [1, 2, 3, 4].map((frequency) => ({ ageBand: band(r.ageband!), frequency, persons: num(r, `f${frequency}`) })),
      );
      const result = dsr(rows, { confidence: [0.95, 0.998], multiplier, independentEvents: false, eventFrequencies });
      expect(result.totalCount).toBe(num(expected, 'total_count'));
      expect(result.totalPopulation).toBe(num(expected, 'total_pop'));
      expect(result.method).toBe('dobson-non-independent-events');
      // These results are published rounded to 8 decimal places.
      const absolute = 5.1e-9;
      expectClose(result.value, num(expected, 'value'), `${label} value`, absolute);
      expectClose(at(result.intervals, 0.95).lower, num(expected, 'lower95_0cl'), `${label} lower 95`, absolute);
      expectClose(at(result.intervals, 0.95).upper, num(expected, 'upper95_0cl'), `${label} upper 95`, absolute);
      expectClose(at(result.intervals, 0.998).lower, num(expected, 'lower99_8cl'), `${label} lower 99.8`, absolute);
      expectClose(at(result.intervals, 0.998).upper, num(expected, 'upper99_8cl'), `${label} upper 99.8`, absolute);
      expect(result.suppressed).toBe(expected.statistic!.startsWith('dsr NA'));
    });
  });

  it('the adjustment leaves the DSR unchanged and widens the interval', () => {
    const source = inputs.get('testdata_nonind_big')!;
    const rows: DsrRow[] = source.map((r) => ({ ageBand: band(r.ageband!), count: num(r, 'count'), population: num(r, 'pop')! }));
    const eventFrequencies = source.flatMap((r) =>
      [1, 2, 3, 4].map((frequency) => ({ ageBand: band(r.ageband!), frequency, persons: num(r, `f${frequency}`) })),
    );
    const plain = dsr(rows);
    const adjusted = dsr(rows, { independentEvents: false, eventFrequencies });
    expect(adjusted.value).toBeCloseTo(plain.value!, 9);
    expect(adjusted.intervals[0]!.lower!).toBeLessThan(plain.intervals[0]!.lower!);
    expect(adjusted.intervals[0]!.upper!).toBeGreaterThan(plain.intervals[0]!.upper!);
  });
});

describe('DSR inputs that must be rejected (testdata_err1..4)', () => {
  const withStandard = (name: string): DsrRow[] =>
    readCsv(name).map((r) => ({
      ageBand: r['Age Band']!,
      count: num(r, 'count'),
      population: num(r, 'pop')!,
      standardPopulation: num(r, 'stdpop'),
    }));

  it('err1: a negative count', () => {
    expectInvalidInput(() => dsr(withStandard('testdata_DSR_ISR__testdata_err1.csv')), /count in row 6 \(age band '25-29'\) must not be negative, got -26/);
  });

  it('err2: a zero population (rows in ESP 2013 order, no age band column)', () => {
    const rows = readCsv('testdata_DSR_ISR__testdata_err2.csv');
    const areas = groupBy(rows, (row) => row.area!);
    expectInvalidInput(
      () =>
        dsr(
          areas.get('Area1')!.map((r, i) => ({ ageBand: ESP2013.bands[i]!.label, count: num(r, 'count'), population: num(r, 'pop')! })),
        ),
      /population in row 2 \(age band '5-9'\) must be greater than 0, got 0/,
    );
    // The other area in the file is valid.
    const area2 = dsr(
      areas.get('Area2')!.map((r, i) => ({ ageBand: ESP2013.bands[i]!.label, count: num(r, 'count'), population: num(r, 'pop')! })),
    );
    expect(area2.value).not.toBeNull();
  });

  it('err3: a negative population', () => {
    expectInvalidInput(() => dsr(withStandard('testdata_DSR_ISR__testdata_err3.csv')), /population in row 2 \(age band '5-9'\) must be greater than 0, got -558/);
  });

  it('err4: a negative standard population', () => {
    expectInvalidInput(
      () => dsr(withStandard('testdata_DSR_ISR__testdata_err4.csv')),
      /standardPopulation in row 6 \(age band '25-29'\) must not be negative, got -6000/,
    );
  });
});

/**
 * ESP 1976 (results rows 4 and 8, area testdata_1976). The shared folder has the results but not the
 * inputs; these are the sheet testdata_1976 of the same workbook (PHEindicatormethods
 * tests/testthat/testdata_DSR_ISR.xlsx): age band, count, population, and its esp1976 column, which
 * is ESP1976's weights. The '55-69' label of the sheet is its 55-59 band (as in the other sheets).
 */
describe('directly standardised rates, ESP 1976 (testresults_DSR rows 4 and 8)', () => {
  const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85+'];
  const counts = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82];
  const pops = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123];
  const sheetWeights = [8000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 6000, 5000, 4000, 3000, 2000, 1000, 1000];
  const rows: DsrRow[] = bands.map((ageBand, i) => ({ ageBand, count: counts[i]!, population: pops[i]! }));
  const results = readCsv('testdata_DSR_ISR__testresults_DSR.csv').filter((row) => row.area === 'testdata_1976');

  it('ESP1976 has the published 18 bands and weights (total 100,000)', () => {
    expect(ESP1976.bands.map((b) => b.label)).toEqual(bands);
    expect(ESP1976.bands.map((b) => b.weight)).toEqual(sheetWeights);
    expect(ESP1976.total).toBe(100_000);
  });

  it('has the two published results', () => expect(results).toHaveLength(2));

  results.forEach((expected) => {
    const multiplier = Number(/per (\d+)/.exec(expected.statistic!)![1]);
    it(`per ${multiplier}`, () => {
      const result = dsr(rows, { standard: ESP1976, confidence: [0.95, 0.998], multiplier });
      expect(result.totalCount).toBe(num(expected, 'total_count'));
      expect(result.totalPopulation).toBe(num(expected, 'total_pop'));
      expectClose(result.value, num(expected, 'value'), 'value');
      expectClose(at(result.intervals, 0.95).lower, num(expected, 'lower95_0cl'), 'lower 95');
      expectClose(at(result.intervals, 0.95).upper, num(expected, 'upper95_0cl'), 'upper 95');
      // The sheet's 99.8% limits are ten times the DSR's scale (a slip in the spreadsheet): ours × 10 match them.
      expectClose(at(result.intervals, 0.998).lower! * 10, num(expected, 'lower99_8cl'), 'lower 99.8 (× 10)');
      expectClose(at(result.intervals, 0.998).upper! * 10, num(expected, 'upper99_8cl'), 'upper 99.8 (× 10)');
      // The same with the weights given on the rows.
      const withWeights = dsr(rows.map((row, i) => ({ ...row, standardPopulation: sheetWeights[i]! })), { multiplier });
      expectClose(withWeights.value, num(expected, 'value'), 'value with row weights');
    });
  });
});

