import { describe, expect, it } from 'vitest';
import type { DashboardIndicator } from '../api.js';
import { COMPARISON_STYLE } from '../components/comparison.js';
import { ENGLAND_NOTE, badgeOf, englandCell } from './england.js';

const COMPARISONS = Object.keys(COMPARISON_STYLE) as (keyof typeof COMPARISON_STYLE)[];

describe('the comparison badge against England', () => {
  it.each(COMPARISONS)('%s: the same colours and word as against the ICS', (c) => {
    const ics = badgeOf(c, 'ICS');
    const england = badgeOf(c, 'England');
    expect([england.fill, england.text, england.label]).toEqual([ics.fill, ics.text, ics.label]);
    expect(ics.description).toBe(COMPARISON_STYLE[c].description);
  });

  it.each([
    ['better', 'better than England: the 95% confidence interval does not include the England value'],
    ['similar', 'similar to England: the 95% confidence interval includes the England value'],
    ['lower', 'lower than England, where lower is neither better nor worse'],
    ['not-compared', 'not compared with England: no England value for this period, or the local value is withheld'],
  ] as const)('%s says what it means against England', (c, description) => expect(badgeOf(c, 'England').description).toBe(description));
});

const england = (over: Partial<NonNullable<DashboardIndicator['england']>> = {}): NonNullable<DashboardIndicator['england']> => ({
  value: 83.14, lower95: 83.0, upper95: 83.3, count: null, denominator: null, period: '2021-23', periodNote: '', fingertipsId: 90366, indicatorName: 'Life expectancy at birth',
  sex: 'Female', age: 'All ages (at birth)', unit: 'Years', difference: null, set: 'England (OHID Fingertips)', source: 'OHID Fingertips', published: true, note: ENGLAND_NOTE,
  attribution: 'Contains public sector information licensed under the Open Government Licence v3.0 (OHID Fingertips; ONS)', ...over,
});

describe("England's cell on the dashboard", () => {
  it('writes the value and interval in the unit, with the comparison, period, difference and source', () => {
    const cell = englandCell({ england: england({ periodNote: 'calendar years', difference: 'Fingertips uses ONS estimates' }), englandComparison: 'worse', englandNote: '', unit: 'years' });
    expect(cell).toEqual({
      value: '83.1', ci: '83.0 to 83.3', comparison: 'worse', period: '2021-23', periodNote: 'calendar years', difference: 'Fingertips uses ONS estimates', absent: '',
      source: 'England (OHID Fingertips); OHID Fingertips. Contains public sector information licensed under the Open Government Licence v3.0 (OHID Fingertips; ONS)',
    });
    expect(englandCell({ england: england({ value: 7.4, lower95: null, upper95: null }), englandComparison: 'similar', englandNote: '', unit: '%' })).toMatchObject({ value: '7.4%', ci: '–', difference: '' });
  });

  it('says why there is no England value, and is not compared', () => {
    expect(englandCell({ england: null, englandComparison: 'not-compared', englandNote: 'no England value for 2025/26', unit: '%' })).toMatchObject({ value: '–', comparison: 'not-compared', absent: 'no England value for 2025/26' });
  });
});
