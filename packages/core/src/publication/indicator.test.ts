import { describe, expect, it } from 'vitest';
import { perturbCount } from '../disclosure/cell-key.js';
import { INDICATOR_POLICY, ROUNDING_POLICY } from '../disclosure/policy.js';
import { findIndicator } from '../indicators/catalogue.js';
import { financialYearPeriod, type AggregateCell } from '../indicators/evaluate.js';
import { proportion } from '../stats/proportion.js';
import { publishIndicator } from './indicator.js';

const period = financialYearPeriod(2024);
const def = findIndicator('ae-four-hours')!;

describe('publishIndicator', () => {
  // A proportion by place: each cell with the keys of its numerator and denominator records.
  const places: AggregateCell[] = [
    { group: 'leeds', numerator: 750, denominator: 1000, numeratorKey: 17, denominatorKey: 200 },
    { group: 'kirklees', numerator: 400, denominator: 500, numeratorKey: 0, denominatorKey: 255 },
    { group: 'calderdale', numerator: 5, denominator: 6, numeratorKey: 3, denominatorKey: 4 },
    { group: 'harrogate', numerator: 90, denominator: 120, numeratorKey: 128, denominatorKey: 9 },
  ];
  const published = publishIndicator({ definition: def, period, breakdown: 'place' }, places);
  const by = Object.fromEntries(published.rows.map((r) => [r.group, r]));

  it('withholds a small count with its value, and nothing else (perturbation protects the total minus the rest)', () => {
    expect(by.calderdale).toMatchObject({ numerator: null, denominator: null, value: null, suppressed: true, note: 'count 1-7' });
    expect(published.suppressedCells).toBe(1);
    expect(by.harrogate!.suppressed).toBe(false);
  });

  it('perturbs each count by its own key and computes the value and limits from the published counts', () => {
    const leeds = by.leeds!;
    expect(leeds.numerator).toBe(perturbCount(750, 17, 8));
    expect(leeds.denominator).toBe(perturbCount(1000, 200, 8));
    const p = proportion(leeds.numerator!, leeds.denominator!, { multiplier: 100, confidence: [0.95, 0.998] });
    expect(leeds.value).toBe(p.value);
    expect(leeds.lower_95).toBe(p.intervals[0]!.lower);
    expect(leeds.upper_99_8).toBe(p.intervals[1]!.upper);
    expect(by.kirklees!.numerator).toBe(395); // key 0: noise −5
  });

  it('publishes the same cell the same way whatever else is in the table', () => {
    const alone = publishIndicator({ definition: def, period, breakdown: 'place' }, [places[0]!]).rows[0]!;
    expect(alone).toEqual(by.leeds);
  });

  it('refuses cells without keys when it perturbs, and needs none under the rounding policy', () => {
    const unkeyed = places.map(({ numeratorKey: _n, denominatorKey: _d, ...c }) => c);
    expect(() => publishIndicator({ definition: def, period, breakdown: 'place' }, unkeyed)).toThrow(/has no (numerator|denominator) key/);
    const rounded = publishIndicator({ definition: def, period, breakdown: 'place' }, unkeyed, ROUNDING_POLICY);
    expect(rounded.rows.find((r) => r.group === 'leeds')).toMatchObject({ numerator: 750, denominator: 1000, value: 75 });
  });

  it('withholds a zero numerator with the small ones under the indicator policy, so a withheld area is not known to hold at least one event', () => {
    // Seven neighbourhoods with one death each and five with none, in a place of seven: with zeros published, the
    // seven withheld cells (each at least 1) and the place's "1-7" would give every count away.
    const cells = Array.from({ length: 12 }, (_, i) => ({ group: `n${i}`, numerator: i < 7 ? 1 : 0, denominator: 4000 + i, numeratorKey: 3 * i, denominatorKey: 5 * i }));
    const rows = publishIndicator({ definition: def, period, breakdown: 'neighbourhood' }, cells, INDICATOR_POLICY).rows;
    expect(rows.map((r) => [r.suppressed, r.numerator, r.note])).toEqual(cells.map(() => [true, null, 'count 0-7']));
    // The default policy publishes the zeros (other tables: population, segments).
    expect(publishIndicator({ definition: def, period, breakdown: 'neighbourhood' }, cells).rows.filter((r) => r.numerator === 0).length).toBe(5);
  });

  it('withholds the inequality summary when a deprivation group is withheld', () => {
    const q = [1, 2, 3, 4, 5].map((g) => ({ group: String(g), numerator: g === 5 ? 3 : 100 * g, denominator: 1000, numeratorKey: g, denominatorKey: 7 * g }));
    const rows = publishIndicator({ definition: def, period, breakdown: 'imd-quintile' }, q).rows;
    expect(rows.find((r) => r.group === 'SII')).toMatchObject({ value: null, suppressed: true, note: 'not published: a deprivation group is withheld' });
    const all = [1, 2, 3, 4, 5].map((g) => ({ group: String(g), numerator: 100 * g, denominator: 1000, numeratorKey: g, denominatorKey: 7 * g }));
    const full = publishIndicator({ definition: def, period, breakdown: 'imd-quintile' }, all).rows;
    const gap = full.find((r) => r.group.startsWith('gap'))!;
    // The gap between the published values of quintiles 5 and 1: least deprived minus most deprived, as the SII runs.
    expect(gap.group).toBe('gap (5 minus 1)');
    expect(gap.value).toBeCloseTo(full.find((r) => r.group === '5')!.value! - full.find((r) => r.group === '1')!.value!, 12);
    const sii = full.find((r) => r.group === 'SII')!;
    expect(Math.sign(sii.value!)).toBe(Math.sign(gap.value!));
  });

  it('computes a standardised rate from perturbed counts per age band', () => {
    const dsrDef = findIndicator('emergency-admissions')!;
    const cells: AggregateCell[] = ['0-4', '5-9', '70-74', '85-89'].map((band, i) => ({ group: 'ICS', ageBand: band, numerator: 20 + i * 30, denominator: 5000 + i, numeratorKey: 40 * i, denominatorKey: 3 }));
    const [row] = publishIndicator({ definition: dsrDef, period, breakdown: 'ics' }, cells).rows;
    expect(row!.numerator).toBe(perturbCount(20 + 50 + 80 + 110, (0 + 40 + 80 + 120) % 256, 8));
    expect(row!.denominator).toBe(5000 + 5001 + 5002 + 5003);
    expect(row!.value).not.toBeNull();
  });
});
