import { describe, expect, it } from 'vitest';
import type { CohortCountResponse } from '../api.js';
import { COUNT_COLUMNS, countCsvRows } from './count-csv.js';

const count = {
  cohort: { id: 'custom-cohort', version: 1, title: 'Carers' },
  total: { people: 1234, suppressed: false, note: '' },
  breakdowns: [
    {
      by: 'sex',
      rows: [
        { group: 'F', groupLabel: 'Female', people: 700, groupPeople: 7000, share: 0.1, suppressed: false },
        { group: 'M', groupLabel: 'Male', people: null, groupPeople: 6500, share: null, suppressed: true },
      ],
    },
  ],
  date: '2025-03-31',
  disclosure: { rule: '' },
} as unknown as CohortCountResponse;

describe("the cohort builder's CSV", () => {
  it('has the total, then each breakdown, withheld counts and shares as [c]', () => {
    expect(COUNT_COLUMNS).toHaveLength(7);
    expect(countCsvRows(count)).toEqual([
      ['total', 'total', 'All', 1234, '', '', false],
      ['sex', 'F', 'Female', 700, 7000, 0.1, false],
      ['sex', 'M', 'Male', '[c]', 6500, '[c]', true],
    ]);
  });

  it('withholds a withheld total', () => {
    expect(countCsvRows({ ...count, total: { people: null, suppressed: true, note: 'fewer than 10' }, breakdowns: [] } as unknown as CohortCountResponse)).toEqual([['total', 'total', 'All', '[c]', '', '', true]]);
  });
});
