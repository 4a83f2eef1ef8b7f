import { describe, expect, it } from 'vitest';
import { parseQuarter, previousQuarter, quarterContaining } from './quarters.js';

describe('financial quarters', () => {
  it.each([
    ['2026-04-01', '2026-27-q1', 'Q1 2026/27', '2026-04-01', '2026-06-30'],
    ['2026-09-30', '2026-27-q2', 'Q2 2026/27', '2026-07-01', '2026-09-30'],
    ['2026-11-26', '2026-27-q3', 'Q3 2026/27', '2026-10-01', '2026-12-31'],
    ['2027-01-01', '2026-27-q4', 'Q4 2026/27', '2027-01-01', '2027-03-31'],
    ['2028-02-29', '2027-28-q4', 'Q4 2027/28', '2028-01-01', '2028-03-31'],
    ['2099-12-31', '2099-00-q3', 'Q3 2099/00', '2099-10-01', '2099-12-31'],
  ])('%s is in %s (%s, %s to %s)', (date, id, label, start, end) => {
    expect(quarterContaining(date)).toEqual({ id, label, start, end });
    expect(parseQuarter(id)).toEqual({ id, label, start, end });
  });

  it('steps back a quarter across the year end', () => {
    expect(previousQuarter(parseQuarter('2026-27-q1')).id).toBe('2025-26-q4');
    expect(previousQuarter(parseQuarter('2026-27-q4')).id).toBe('2026-27-q3');
  });

  it.each(['2026-q3', '2026-28-q1', '2026-27-q5', '2026/27 Q3', ''])('rejects %j, saying how to write a quarter', (id) => {
    expect(() => parseQuarter(id)).toThrow(/is not a financial quarter: write it like 2026-27-q3/);
  });
});
