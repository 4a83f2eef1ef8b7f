import { describe, expect, it } from 'vitest';
import type { DashboardIndicator } from '../api.js';
import { byTheme, dashboardCsvRows, dashboardHref, fmtCi, fmtCountOrC, fmtValue, groupName, polarityLabel, splitResults, unitNote } from './format.js';

describe('the dashboard in words', () => {
  it.each<[number | null | undefined, string, string]>([
    [12.345, '%', '12.3%'],
    [345.67, 'per 100,000', '345.7'],
    [1234.5, 'per 100,000', '1,235'],
    [-2.25, 'years', '-2.3'],
    [null, '%', '[c]'],
    [undefined, '%', '[c]'],
  ])('the value %j in %s is %s', (v, unit, text) => {
    expect(fmtValue(v, unit)).toBe(text);
  });

  it.each<[number | null, number | null, string, string]>([
    [12.1, 14, '%', '12.1% to 14.0%'],
    [null, 14, '%', '–'],
    [1, null, 'per 1,000', '–'],
  ])('the interval %s to %s (%s) is %s', (lo, hi, unit, text) => {
    expect(fmtCi(lo, hi, unit)).toBe(text);
  });

  it('writes the unit beside a value unless the value carries it (%)', () => {
    expect(['%', 'per 100,000'].map(unitNote)).toEqual(['', 'per 100,000']);
  });

  it('names polarities in words', () => {
    expect(['higher-is-better', 'no-judgement', 'sideways'].map(polarityLabel)).toEqual(['Higher is better', 'No judgement (higher or lower)', 'sideways']);
  });

  it('writes a withheld numerator or denominator as [c]', () => {
    expect([1234, null, undefined].map(fmtCountOrC)).toEqual(['1,234', '[c]', '[c]']);
    // A denominator in person-years (life expectancy, rates over a period) reads to the whole year.
    expect([25_763.877, 0.4, 1_000_000.5].map(fmtCountOrC)).toEqual(['25,764', '0', '1,000,001']);
  });

  it.each<[string, string | undefined, string]>([
    ['ics', undefined, '#/dashboard?area=ics'],
    ['place:leeds', 'smoking-prevalence', '#/dashboard?area=place%3Aleeds&indicator=smoking-prevalence'],
  ])('the address of %s, indicator %s, is %s', (area, indicator, href) => {
    expect(dashboardHref(area, indicator)).toBe(href);
  });

  const geography = { places: [{ id: 'leeds', name: 'Leeds' }], neighbourhoods: [{ id: 'leeds-01', name: 'Seacroft', place: 'leeds' }] } as unknown as Parameters<typeof groupName>[2];
  it.each<[string, string, string]>([
    ['place', 'leeds', 'Leeds'],
    ['place', 'york', 'york'],
    ['neighbourhood', 'leeds-01', 'Seacroft'],
    ['imd-decile', '1', 'Decile 1 (most deprived)'],
    ['imd-decile', '5', 'Decile 5'],
    ['imd-decile', '10', 'Decile 10 (least deprived)'],
    ['imd-quintile', '1', 'Quintile 1 (most deprived)'],
    ['imd-quintile', '5', 'Quintile 5 (least deprived)'],
    ['sex', 'F', 'Female'],
    ['sex', 'M', 'Male'],
    ['ethnic-group', 'Asian', 'Asian'],
    ['age-band', '65-74', '65-74'],
  ])('group %s %s is called %s', (by, group, name) => {
    expect(groupName(by, group, geography)).toBe(name);
  });

  it('tells groups from the inequality measures', () => {
    const rows = ['1', '10', 'gap (10 minus 1)', 'relative gap (10 / 1)', 'SII', 'RII', 'SII note'].map((group) => ({ group })) as unknown as Parameters<typeof splitResults>[0];
    const { groups, inequality } = splitResults(rows);
    expect(groups.map((r) => r.group)).toEqual(['1', '10', 'SII note']);
    expect(inequality.map((r) => r.group)).toEqual(['gap (10 minus 1)', 'relative gap (10 / 1)', 'SII', 'RII']);
  });

  const indicator = (id: string, title: string, themes: string[]) => ({ id, title, themes });
  const list = [indicator('smoking', 'Smoking prevalence', ['prevention']), indicator('ae', 'A&E attendances', ['urgent care', 'prevention']), indicator('obesity', 'Obesity', ['prevention']), indicator('x', 'Unthemed', [])];
  it.each<[string, [string, string[]][]]>([
    ['', [['other', ['x']], ['prevention', ['smoking', 'obesity']], ['urgent care', ['ae']]]],
    ['SMOK', [['prevention', ['smoking']]]],
    ['  prevention ', [['prevention', ['smoking', 'obesity']], ['urgent care', ['ae']]]],
    ['nothing like it', []],
  ])('filtered by %j, the indicators by theme are %j', (filter, expected) => {
    expect(byTheme(list, filter).map(([theme, items]) => [theme, items.map((i) => i.id)])).toEqual(expected);
  });

  it('downloads a withheld latest value as [c]', () => {
    const i = {
      id: 'smoking',
      title: 'Smoking',
      themes: ['prevention', 'adults'],
      unit: '%',
      polarity: 'lower-is-better',
      latest: { period: { label: '2024/25' }, value: 12, lower95: 10, upper95: 14, numerator: null, denominator: 800, suppressed: true, note: 'small numbers' },
      benchmark: { name: 'ICS', value: 13 },
      comparison: 'similar',
      inequality: null,
      trend: [],
      england: null,
      englandComparison: 'not-compared',
      englandNote: 'no England value for 2024/25',
    } as unknown as DashboardIndicator;
    expect(dashboardCsvRows([i])).toEqual([
      ['smoking', 'Smoking', 'prevention; adults', '%', 'lower-is-better', '2024/25', '[c]', 10, 14, '[c]', '[c]', 'ICS', 13, 'similar', undefined, undefined, undefined, undefined, 'not-compared', 'no England value for 2024/25', undefined, undefined, undefined, undefined, undefined, 'small numbers'],
    ]);
  });

  it("downloads England's published value with its period, comparison and source", () => {
    const i = {
      id: 'smoking', title: 'Smoking', themes: ['smoking'], unit: '%', polarity: 'lower-is-better', benchmark: null, comparison: 'not-compared', inequality: null, trend: [],
      latest: { period: { label: '2023/24' }, value: 12, lower95: 10, upper95: 14, numerator: 120, denominator: 1000, suppressed: false, note: '' },
      england: { value: 7.4, lower95: 7.35, upper95: 7.45, period: '2023/24', note: 'England: real published figure (OHID Fingertips, OGL v3)', source: 'OHID Fingertips' },
      englandComparison: 'worse',
      englandNote: '',
    } as unknown as DashboardIndicator;
    expect(dashboardCsvRows([i])[0]!.slice(14, 20)).toEqual([7.4, 7.35, 7.45, '2023/24', 'worse', 'England: real published figure (OHID Fingertips, OGL v3); OHID Fingertips']);
  });
});
