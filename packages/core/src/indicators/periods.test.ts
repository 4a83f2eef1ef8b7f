import { describe, expect, it } from 'vitest';
import { financialYearOf, firstWholeFinancialYear, lastWholeFinancialYear, windowPeriods } from './evaluate.js';

describe('financial years of a data window', () => {
  it.each([
    ['2024-03-31', 2023],
    ['2024-04-01', 2024],
    ['2025-01-15', 2024],
  ])('%s is in the year starting %i', (day, year) => expect(financialYearOf(day)).toBe(year));

  it.each([
    ['2026-04-01', 2025],
    ['2026-03-31', 2024],
    ['2026-12-04', 2025],
  ])('a window ending before %s has its last whole year starting %i', (end, year) => expect(lastWholeFinancialYear(end)).toBe(year));

  it.each([
    ['2021-04-01', 2021],
    ['2021-04-02', 2022],
    ['2021-01-01', 2021],
  ])('a window starting %s has its first whole year starting %i', (start, year) => expect(firstWholeFinancialYear(start)).toBe(year));

  it('lists every whole period, rolling pooled periods, oldest first', () => {
    const w = { start: '2021-04-01', end: '2026-04-01' };
    expect(windowPeriods(w, 1).map((p) => p.label)).toEqual(['2021/22', '2022/23', '2023/24', '2024/25', '2025/26']);
    expect(windowPeriods(w, 3).map((p) => p.label)).toEqual(['2021/22 - 2023/24', '2022/23 - 2024/25', '2023/24 - 2025/26']);
    expect(windowPeriods({ end: '2026-04-01' }, 1).map((p) => p.label)).toEqual(['2025/26']);
    expect(windowPeriods({ start: '2025-05-01', end: '2026-04-01' }, 3).map((p) => p.label)).toEqual(['2023/24 - 2025/26']);
  });
});
