import { describe, expect, it } from 'vitest';
import { findIndicator } from './catalogue.js';
import { ageBreakdownLabel, esp19Label, evaluateIndicator, financialYearPeriod, lifeTableLabel, periodLastDay, periodMidpoint, periodYears, type AggregateCell } from './evaluate.js';

const period = financialYearPeriod(2024);

describe('periods and bands', () => {
  it('builds financial years', () => {
    expect(period).toEqual({ start: '2024-04-01', end: '2025-04-01', label: '2024/25' });
    expect(financialYearPeriod(2024, 3)).toEqual({ start: '2022-04-01', end: '2025-04-01', label: '2022/23 - 2024/25' });
    expect(periodLastDay(period)).toBe('2025-03-31');
    expect(periodMidpoint(period)).toBe('2024-09-30');
    expect(periodYears(period)).toBeCloseTo(1, 2);
  });
  it.each([[0, '0', '0-4', '0-17'], [3, '1-4', '0-4', '0-17'], [17, '15-19', '15-19', '0-17'], [64, '60-64', '60-64', '50-64'], [97, '90+', '90+', '85+']])(
    'age %d → life table %s, ESP %s, breakdown %s', (age, life, esp, breakdown) => {
      expect(lifeTableLabel(age)).toBe(life);
      expect(esp19Label(age)).toBe(esp);
      expect(ageBreakdownLabel(age)).toBe(breakdown);
    });
});

describe('evaluateIndicator', () => {
  it('computes a proportion with Wilson limits per group', () => {
    const def = findIndicator('ae-four-hours')!;
    const cells: AggregateCell[] = [{ group: 'leeds', numerator: 75, denominator: 100 }, { group: 'kirklees', numerator: 0, denominator: 10 }];
    const r = evaluateIndicator({ definition: def, period, breakdown: 'place' }, cells);
    expect(r.values.map((v) => v.group)).toEqual(['kirklees', 'leeds']);
    const leeds = r.values[1]!;
    expect(leeds.value).toBeCloseTo(75, 10);
    expect(leeds.intervals[0]!.lower).toBeCloseTo(65.70, 1);
    expect(leeds.intervals[0]!.upper).toBeCloseTo(82.455, 2);
  });

  it('standardises rates by ESP 2013 bands and withholds a DSR from fewer than 10 events', () => {
    const def = findIndicator('emergency-admissions')!;
    const cells: AggregateCell[] = [
      { group: 'a', ageBand: '0-4', numerator: 5, denominator: 1000 },
      { group: 'a', ageBand: '90+', numerator: 50, denominator: 100 },
      { group: 'b', ageBand: '0-4', numerator: 3, denominator: 1000 },
    ];
    const r = evaluateIndicator({ definition: def, period, breakdown: 'place' }, cells);
    const a = r.values.find((v) => v.group === 'a')!;
    // (5/1000 × 5000 + 50/100 × 1000) / (5000 + 1000) × 100,000
    expect(a.value).toBeCloseTo(((0.005 * 5000 + 0.5 * 1000) / 6000) * 100000, 6);
    expect(r.values.find((v) => v.group === 'b')!.statisticSuppressed).toBe('total-count-below-10');
  });

  it('withholds life expectancy for a group too small for a life table instead of failing', () => {
    const def = findIndicator('life-expectancy-birth-female')!;
    const bands = ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
    const big = bands.map((ageBand, i): AggregateCell => ({ group: 'big', ageBand, numerator: i < 14 ? 2 : 40 * (i - 13), denominator: 9000 }));
    // 'small': four deaths in the 90+ band against three person-years at risk.
    const small = bands.map((ageBand): AggregateCell => ({ group: 'small', ageBand, numerator: ageBand === '90+' ? 4 : 0, denominator: ageBand === '90+' ? 3.0006 : 60 }));
    const r = evaluateIndicator({ definition: def, period: financialYearPeriod(2024, 3), breakdown: 'place' }, [...big, ...small]);
    const byGroup = new Map(r.values.map((v) => [v.group, v]));
    expect(byGroup.get('big')!.value).toBeGreaterThan(50);
    expect(byGroup.get('small')!.value).toBeNull();
    expect(byGroup.get('small')!.statisticSuppressed).toMatch(/too small for a life table/);
  });

  it('adds a gap and slope index of inequality across deciles', () => {
    const def = findIndicator('smoking-prevalence')!;
    const cells: AggregateCell[] = Array.from({ length: 10 }, (_, i) => ({ group: String(i + 1), numerator: 300 - 20 * i, denominator: 1000 }));
    const r = evaluateIndicator({ definition: def, period, breakdown: 'imd-decile' }, cells);
    // Least deprived (decile 10, 12%) minus most deprived (decile 1, 30%): negative, as the SII is.
    expect(r.inequality!.absoluteGap).toBeCloseTo(12 - 30, 10);
    // Equal populations, linear values: SII = slope across the whole range = -(30 - 12) × 10/9.
    expect(r.inequality!.sii!.value).toBeCloseTo(-20, 6);
  });
});
