import { describe, expect, it } from 'vitest';
import { financialYearPeriod } from '../indicators/evaluate.js';
import { matchBenchmarkPeriod, parseFingertipsPeriod } from './periods.js';

describe('Fingertips period labels', () => {
  it.each([
    ['2022/23', { basis: 'financial', first: 2022, last: 2022 }],
    ['1999/00', { basis: 'financial', first: 1999, last: 1999 }],
    ['2021/22 - 23/24', { basis: 'financial', first: 2021, last: 2023 }],
    ['2021/22 - 2023/24', { basis: 'financial', first: 2021, last: 2023 }],
    ['2022', { basis: 'calendar', first: 2022, last: 2022 }],
    ['2021 - 23', { basis: 'calendar', first: 2021, last: 2023 }],
    ['2021-23', { basis: 'calendar', first: 2021, last: 2023 }],
    ['2002-2004', { basis: 'calendar', first: 2002, last: 2004 }],
    ['1998-00', { basis: 'calendar', first: 1998, last: 2000 }],
    ['2022/24', null],
    ['2023-21', null],
    ['2022 Q1', null],
    ['Jan 2023', null],
    ['', null],
  ])('%s', (label, expected) => expect(parseFingertipsPeriod(label)).toEqual(expected));
});

const CALENDAR = (label: string) => `England's figure is for the calendar years ${label}; this one for the financial years`;

describe('which Fingertips period a local period is compared with', () => {
  const single = financialYearPeriod(2022); // 2022/23
  const pooled = financialYearPeriod(2023, 3); // 2021/22 - 2023/24
  it.each([
    [single, '2022/23', 'same'],
    [single, '2021/22', null],
    [single, '2023/24', null],
    [single, '2022', null], // one calendar year is not read as a financial year
    [single, '2021/22 - 23/24', null],
    [pooled, '2021/22 - 23/24', 'same'],
    [pooled, '2021/22 - 2023/24', 'same'],
    [pooled, '2021 - 23', 'calendar-years'],
    [pooled, '2021-23', 'calendar-years'],
    [pooled, '2020-22', null],
    [pooled, '2022-24', null],
    [pooled, '2023/24', null],
    [pooled, '2021-2023', 'calendar-years'],
  ])('%o against %s: %s', (period, label, kind) => {
    const match = matchBenchmarkPeriod(period, label);
    expect(match?.kind ?? null).toBe(kind);
    if (kind === 'same') expect(match?.note).toBe('');
    if (kind === 'calendar-years') expect(match?.note).toContain(CALENDAR('2021-2023'));
  });

  it('compares nothing with a period that is not whole financial years', () => {
    expect(matchBenchmarkPeriod({ start: '2022-01-01', end: '2023-01-01', label: '2022' }, '2022')).toBeNull();
  });
});
