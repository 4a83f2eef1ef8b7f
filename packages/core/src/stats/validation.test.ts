import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { ESP2013, ESP2013_LIFE_TABLE, LIFE_TABLE_AGE_BANDS, parseAgeBand } from './age-bands.js';
import { type DsrRow, dsr } from './dsr.js';
import { intervalAt } from './intervals.js';
import { proportion } from './proportion.js';
import { crudeRate } from './rate.js';

const expectInvalid = (action: () => unknown, message: RegExp): void => {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a UserError').toBeInstanceOf(UserError);
  expect((thrown as UserError).kind).toBe('invalid-input');
  expect((thrown as UserError).message).toMatch(message);
};

describe('European Standard Population 2013', () => {
  it('has 19 bands summing to 100,000', () => {
    expect(ESP2013.bands).toHaveLength(19);
    expect(ESP2013.total).toBe(100_000);
    expect(ESP2013.bands.map((b) => b.label).join(' ')).toBe(
      '0-4 5-9 10-14 15-19 20-24 25-29 30-34 35-39 40-44 45-49 50-54 55-59 60-64 65-69 70-74 75-79 80-84 85-89 90+',
    );
    expect(ESP2013.bands.map((b) => b.weight)).toEqual([
      5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
    ]);
  });

  it('has a 20-band life-table form splitting 0-4 into 0 (1,000) and 1-4 (4,000)', () => {
    expect(ESP2013_LIFE_TABLE.total).toBe(100_000);
    expect(ESP2013_LIFE_TABLE.bands.slice(0, 2)).toEqual([
      { label: '0', startAge: 0, endAge: 0, weight: 1000 },
      { label: '1-4', startAge: 1, endAge: 4, weight: 4000 },
    ]);
    expect(LIFE_TABLE_AGE_BANDS).toHaveLength(20);
    expect(Object.isFrozen(ESP2013.bands)).toBe(true);
  });

  it('parses common age band labels', () => {
    expect(parseAgeBand('05-09')).toEqual({ startAge: 5, endAge: 9 });
    expect(parseAgeBand('10 – 14')).toEqual({ startAge: 10, endAge: 14 });
    expect(parseAgeBand('90 +')).toEqual({ startAge: 90, endAge: null });
    expect(parseAgeBand('<1')).toEqual({ startAge: 0, endAge: 0 });
    expect(parseAgeBand(85)).toEqual({ startAge: 85, endAge: undefined });
    expectInvalid(() => parseAgeBand('adults'), /unrecognised age band 'adults'/);
    expectInvalid(() => parseAgeBand('9-5'), /ends before it starts/);
  });
});

describe('confidence option', () => {
  it('accepts one level or several and returns intervals in that order', () => {
    const result = proportion(20, 100, { confidence: [0.998, 0.95] });
    expect(result.intervals.map((i) => i.confidence)).toEqual([0.998, 0.95]);
    expect(intervalAt(result, 0.95).lower).toBeCloseTo(13.33669333310325, 10);
    expect(() => intervalAt(result, 0.9)).toThrow(/no 0.9 confidence interval/);
    expect(proportion(20, 100).intervals.map((i) => i.confidence)).toEqual([0.95]);
  });

  it.each([0, 1, 95, -0.5, Number.NaN])('rejects confidence %s', (confidence) => {
    expectInvalid(() => proportion(20, 100, { confidence }), /confidence/);
    expectInvalid(() => crudeRate(20, 100, { confidence: [0.95, confidence] }), /confidence/);
  });

  it('rejects an empty list and repeated levels', () => {
    expectInvalid(() => crudeRate(20, 100, { confidence: [] }), /non-empty list/);
    expectInvalid(() => crudeRate(20, 100, { confidence: [0.95, 0.95] }), /listed more than once/);
  });
});

describe('proportion: invalid input', () => {
  it('negative numerator', () => expectInvalid(() => proportion(-1, 100), /numerator must not be negative, got -1/));
  it('numerator above denominator', () => expectInvalid(() => proportion(101, 100), /numerator \(101\) must not be greater than the denominator \(100\)/));
  it('non-integer counts', () => {
    expectInvalid(() => proportion(2.5, 100), /numerator must be a whole number \(a count\), got 2.5/);
    expectInvalid(() => proportion(2, 100.5), /denominator must be a whole number/);
  });
  it('zero denominator', () => expectInvalid(() => proportion(0, 0), /denominator must be greater than 0, got 0/));
  it('non-positive multiplier', () => expectInvalid(() => proportion(1, 2, { multiplier: 0 }), /multiplier must be greater than 0/));
  it('a 0% and a 100% proportion are fine', () => {
    expect(proportion(0, 40).intervals[0]!.lower).toBe(0);
    expect(proportion(40, 40).value).toBe(100);
  });
});

describe('crudeRate', () => {
  it('switches from exact to Byar’s limits at exactly 10 events', () => {
    expect(crudeRate(9, 1000).method).toBe('exact');
    expect(crudeRate(10, 1000).method).toBe('byars');
    expect(crudeRate(0, 1000).intervals[0]!.lower).toBe(0);
    expect(crudeRate(0, 1000).value).toBe(0);
  });
  it('allows counts above the denominator', () => expect(crudeRate(250, 220, { multiplier: 100 }).value).toBeCloseTo(113.63636363636364, 12));
  it('negative count', () => expectInvalid(() => crudeRate(-3, 1000), /count must not be negative, got -3/));
  it('non-integer count', () => expectInvalid(() => crudeRate(3.2, 1000), /count must be a whole number/));
  it('zero denominator', () => expectInvalid(() => crudeRate(3, 0), /denominator must be greater than 0, got 0/));
  it('negative denominator', () => expectInvalid(() => crudeRate(3, -10), /denominator must be greater than 0, got -10/));
});

describe('dsr: validation and conventions', () => {
  const rows = (count = 20): DsrRow[] =>
    ESP2013.bands.map((band, i) => ({ ageBand: band.label, count: i === 0 ? count : 0, population: 1000 }));

  it('is suppressed below 10 events and published from 10', () => {
    const small = dsr(rows(9));
    expect(small.suppressed).toBe(true);
    expect(small.value).toBeNull();
    expect(small.reason).toBe('total-count-below-10');
    const ten = dsr(rows(10));
    expect(ten.suppressed).toBe(false);
    // 10 events in 0-4 (weight 5,000) over a population of 1,000: 10/1000 × 5000 / 100000 × 100000 = 50.
    expect(ten.value).toBeCloseTo(50, 10);
  });

  it('treats a missing count as 0', () => {
    const withMissing = rows(30).map((row, i) => (i === 3 ? { ...row, count: null } : row));
    expect(dsr(withMissing).value).toBe(dsr(rows(30)).value);
  });

  it('rejects missing, duplicated and unknown age bands', () => {
    expectInvalid(() => dsr(rows().slice(1)), /missing age band\(s\) '0-4'/);
    expectInvalid(() => dsr([...rows(), { ageBand: '5-9', count: 1, population: 10 }]), /'5-9' appear more than once/);
    expectInvalid(() => dsr([...rows(), { ageBand: '95+', count: 1, population: 10 }]), /'95\+' are not in the expected bands/);
    expectInvalid(() => dsr(rows().map((row, i) => (i === 18 ? { ...row, ageBand: '90-94' } : row))), /'90-94' \(expected '90\+'\)/);
  });

  it('rejects non-integer counts and zero populations', () => {
    expectInvalid(() => dsr(rows().map((row, i) => (i === 2 ? { ...row, count: 1.5 } : row))), /count in row 3 \(age band '10-14'\) must be a whole number/);
    expectInvalid(() => dsr(rows().map((row, i) => (i === 2 ? { ...row, population: 0 } : row))), /population in row 3 \(age band '10-14'\) must be greater than 0, got 0/);
  });

  it('rejects mixing row standard populations with the standard option', () => {
    expectInvalid(() => dsr(rows().map((row, i) => (i === 0 ? { ...row, standardPopulation: 5000 } : row))), /on every row or on none/);
    expectInvalid(
      () => dsr(rows().map((row) => ({ ...row, standardPopulation: 1 })), { standard: ESP2013 }),
      /either standardPopulation on the rows or the standard option/,
    );
  });

  it('checks the event-frequency options for non-independent events', () => {
    expectInvalid(() => dsr(rows(), { independentEvents: false }), /needs eventFrequencies/);
    expectInvalid(() => dsr(rows(), { eventFrequencies: [{ ageBand: '0-4', frequency: 1, persons: 20 }] }), /only used with independentEvents: false/);
    expectInvalid(
      () => dsr(rows(20), { independentEvents: false, eventFrequencies: [{ ageBand: '0-4', frequency: 2, persons: 5 }] }),
      /count 20 in age band '0-4' does not equal the 10 events implied by eventFrequencies/,
    );
    expectInvalid(
      () =>
        dsr(rows(20), {
          independentEvents: false,
          eventFrequencies: [
            { ageBand: '0-4', frequency: 1, persons: 10 },
            { ageBand: '0-4', frequency: 1, persons: 10 },
          ],
        }),
      /appear more than once/,
    );
    expectInvalid(
      () => dsr(rows(20), { independentEvents: false, eventFrequencies: [{ ageBand: '0-4', frequency: 0, persons: 20 }] }),
      /frequency in eventFrequencies row 1 .* must be a whole number between 1/,
    );
  });

  it('non-independent events with every person having one event equal the independent result', () => {
    const base = rows(20).map((row, i) => ({ ...row, count: 5 + i }));
    const eventFrequencies = base.map((row) => ({ ageBand: row.ageBand, frequency: 1, persons: row.count }));
    const independent = dsr(base);
    const adjusted = dsr(base, { independentEvents: false, eventFrequencies });
    expect(adjusted.value).toBeCloseTo(independent.value!, 10);
    expect(adjusted.intervals[0]!.lower).toBeCloseTo(independent.intervals[0]!.lower!, 10);
    expect(adjusted.intervals[0]!.upper).toBeCloseTo(independent.intervals[0]!.upper!, 10);
  });
});
