import { describe, expect, it } from 'vitest';
import { findIndicator } from './catalogue.js';
import { evaluateIndicator, financialYearPeriod, type AggregateCell } from './evaluate.js';
import { publishResult } from './publish.js';

const period = financialYearPeriod(2024);
const def = findIndicator('ae-four-hours')!;
const result = (breakdown: 'ics' | 'place' | 'imd-quintile', cells: AggregateCell[]) => evaluateIndicator({ definition: def, period, breakdown }, cells);

describe('publishResult', () => {
  const places: AggregateCell[] = [
    { group: 'leeds', numerator: 750, denominator: 1000 },
    { group: 'kirklees', numerator: 400, denominator: 500 },
    { group: 'calderdale', numerator: 5, denominator: 6 },
    { group: 'harrogate', numerator: 90, denominator: 120 },
  ];
  const total = result('ics', [{ group: 'ICS', numerator: 1245, denominator: 1626 }]);

  it('suppresses a small count, protects it against the ICS total, and rounds the rest', () => {
    const rows = publishResult(result('place', places), total);
    const by = Object.fromEntries(rows.map((r) => [r.group, r]));
    expect(by.calderdale!.suppressed).toBe(true);
    expect(by.calderdale!.numerator).toBeNull();
    expect(by.calderdale!.value).toBeNull();
    expect(by.calderdale!.note).toMatch(/1-7/);
    // The next smallest place is withheld too, so ICS − published places does not reveal Calderdale.
    expect(by.harrogate!.suppressed).toBe(true);
    expect(by.harrogate!.note).toMatch(/calderdale/);
    expect(by.leeds!.numerator).toBe(750);
    expect(by.kirklees!.value).toBeCloseTo(80, 10);
    for (const r of rows) if (r.numerator !== null) expect(r.numerator % 5).toBe(0);
  });

  it('publishes everything when protection is switched off (analyst use)', () => {
    const rows = publishResult(result('place', places), total, false);
    expect(rows.every((r) => !r.suppressed)).toBe(true);
    expect(rows.find((r) => r.group === 'calderdale')!.numerator).toBe(5);
  });

  it('withholds the inequality summary when a deprivation group is suppressed', () => {
    const q = [1, 2, 3, 4, 5].map((g) => ({ group: String(g), numerator: g === 5 ? 3 : 100 * g, denominator: 1000 }));
    const qTotal = result('ics', [{ group: 'ICS', numerator: q.reduce((a, c) => a + c.numerator, 0), denominator: 5000 }]);
    const rows = publishResult(result('imd-quintile', q), qTotal);
    const sii = rows.find((r) => r.group === 'SII')!;
    expect(sii.value).toBeNull();
    expect(sii.note).toContain('suppressed');
  });
});
