import { describe, expect, it } from 'vitest';
import type { IndicatorResultsT } from '../api.js';
import { NO_FIGURE_FILL, VALUE_FILLS, areaFigures, fillOf, legendBreaks, legendOf, levelsOf, valueClass, type AreaFigure } from './outcome-map.js';

type Row = IndicatorResultsT['rows'][number];
const row = (group: string, value: number | null, lower: number | null, upper: number | null, over: Partial<Row> = {}): Row =>
  ({
  indicator_id: 'smoking-prevalence', indicator_version: 1, title: 'Smoking', period: '2024/25', breakdown: 'place', group,
  numerator: value === null ? null : 100, denominator: value === null ? null : 1000, value, lower_95: lower, upper_95: upper,
  lower_99_8: null, upper_99_8: null, unit: '%', suppressed: value === null, note: value === null ? 'count 0-7' : '', ...over,
  }) as unknown as Row; // published figures as the API sends them
const NAMES: Record<string, string> = { leeds: 'Leeds', bradford: 'Bradford District and Craven', calderdale: 'Calderdale', kirklees: 'Kirklees' };

describe('levelsOf', () => {
  it('keeps the map levels an indicator has, coarsest first', () => {
    expect(levelsOf(['ics', 'lsoa', 'place', 'imd-decile', 'neighbourhood'])).toEqual(['place', 'neighbourhood', 'lsoa']);
    expect(levelsOf(['ics', 'place', 'local-authority'])).toEqual(['place']);
  });
});

describe('areaFigures', () => {
  const rows = [row('leeds', 14, 13, 15), row('bradford', 18, 17, 19), row('calderdale', 12.5, 11, 15), row('kirklees', null, null, null), row('SII', 3, 1, 5)];

  it('names and sorts the areas, leaves out rows that are not areas, and compares each interval with the benchmark by polarity', () => {
    const figures = areaFigures(rows, (id) => NAMES[id], 14.5, 'lower-is-better');
    expect(figures.map((f) => [f.name, f.comparison])).toEqual([
      ['Bradford District and Craven', 'worse'],
      ['Calderdale', 'similar'],
      ['Kirklees', 'not-compared'],
      ['Leeds', 'similar'],
    ]);
    expect(areaFigures(rows, (id) => NAMES[id], 16, 'lower-is-better').find((f) => f.id === 'leeds')?.comparison).toBe('better');
    expect(areaFigures(rows, (id) => NAMES[id], 16, 'no-judgement').map((f) => f.comparison)).toEqual(['higher', 'lower', 'not-compared', 'lower']);
  });

  it('keeps a withheld figure withheld (no value, no interval, not compared) with its note', () => {
    const kirklees = areaFigures(rows, (id) => NAMES[id], 14.5, 'lower-is-better').find((f) => f.id === 'kirklees')!;
    expect(kirklees).toMatchObject({ value: null, lower95: null, upper95: null, suppressed: true, note: 'count 0-7', comparison: 'not-compared' });
  });

  it('compares nothing without a benchmark', () => {
    expect(new Set(areaFigures(rows, (id) => NAMES[id], null, 'lower-is-better').map((f) => f.comparison))).toEqual(new Set(['not-compared']));
  });
});

describe('legend breaks and value classes', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 5, [3, 5, 7, 9]],
    [[10, 20], 5, [15]],
    [[5, 5, 5, 5, 6], 5, [5.2]],
    [[7], 5, []],
    [[], 5, []],
    [[3, 1, 2, Number.NaN, 4], 2, [2.5]],
  ])('%j in %i classes break at %j', (values, classes, breaks) => {
    const got = legendBreaks(values, classes);
    expect(got.length).toBe(breaks.length);
    got.forEach((b, i) => expect(b).toBeCloseTo(breaks[i]!, 9));
  });

  it('never breaks at the smallest value (no empty first class)', () => {
    expect(legendBreaks([2, 2, 2, 2, 2, 3])).toEqual([]);
    expect(legendBreaks([1, 2, 2, 2, 2, 3])).toEqual([2]);
  });

  it('puts a value in the class whose lower break it reaches', () => {
    const breaks = [3, 5, 7, 9];
    expect([1, 3, 4.99, 5, 9, 100].map((v) => valueClass(v, breaks))).toEqual([0, 1, 1, 2, 4, 4]);
    expect(valueClass(42, [])).toBe(0);
  });
});

describe('fills and the legend', () => {
  const figures: AreaFigure[] = areaFigures([row('leeds', 14, 13, 15), row('bradford', 18, 17, 19), row('calderdale', 12.5, 11, 12), row('kirklees', null, null, null)], (id) => NAMES[id], 14.5, 'lower-is-better');
  const byId = (id: string) => figures.find((f) => f.id === id);

  it('colours by significance in the Fingertips colours, and withheld areas grey', () => {
    expect(['leeds', 'bradford', 'calderdale', 'kirklees'].map((id) => fillOf(byId(id), 'significance', []))).toEqual(['#ffc000', '#c00000', '#92d050', NO_FIGURE_FILL]);
    expect(fillOf(undefined, 'significance', [])).toBe(NO_FIGURE_FILL);
  });

  it('colours by value class, light to dark', () => {
    const breaks = legendBreaks(figures.flatMap((f) => (f.value === null ? [] : [f.value])));
    expect(['calderdale', 'leeds', 'bradford'].map((id) => fillOf(byId(id), 'value', breaks))).toEqual([VALUE_FILLS[0], VALUE_FILLS[1], VALUE_FILLS[2]]);
  });

  it('says what each colour means and how many areas have it', () => {
    expect(legendOf(figures, 'significance', [], '%', 'ics').map((i) => [i.label, i.count])).toEqual([
      ['Better than the ICS', 1],
      ['Similar to the ICS', 1],
      ['Worse than the ICS', 1],
      ['Withheld (small numbers) or not published', 1],
    ]);
    expect(legendOf(figures, 'significance', [], '%', 'england')[0]!.label).toBe('Better than England');
    expect(legendOf(figures, 'value', [13, 16], '%', 'ics').map((i) => [i.label, i.count])).toEqual([
      ['Below 13.0%', 1],
      ['13.0% to below 16.0%', 1],
      ['16.0% and above', 1],
      ['Withheld (small numbers) or not published', 1],
    ]);
  });
});
