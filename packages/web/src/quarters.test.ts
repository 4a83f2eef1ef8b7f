import { describe, expect, it } from 'vitest';
import { recentQuarters } from './quarters.js';

describe('financial quarters', () => {
  it.each<[string, number, string[]]>([
    ['2026-12-04', 4, ['Q3 2026/27', 'Q2 2026/27', 'Q1 2026/27', 'Q4 2025/26']],
    ['2026-04-01', 2, ['Q1 2026/27', 'Q4 2025/26']],
    ['2026-03-31', 2, ['Q4 2025/26', 'Q3 2025/26']],
    ['2026-01-15', 1, ['Q4 2025/26']],
    ['2099-07-01', 2, ['Q2 2099/00', 'Q1 2099/00']],
  ])('on %s the last %i are %j', (day, count, labels) => {
    expect(recentQuarters(new Date(`${day}T12:00:00Z`), count).map((q) => q.label)).toEqual(labels);
  });

  it('names each quarter by its financial year and number', () => {
    expect(recentQuarters(new Date('2026-12-04T00:00:00Z'), 2).map((q) => q.id)).toEqual(['2026-27-q3', '2026-27-q2']);
  });
});
