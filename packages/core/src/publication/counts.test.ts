import { describe, expect, it } from 'vitest';
import { perturbCount } from '../disclosure/cell-key.js';
import { ROUNDING_POLICY } from '../disclosure/policy.js';
import { publishCount, publishCounts, publishTable, sumKeyed } from './counts.js';

describe('publishCounts', () => {
  it('withholds counts of 1-7, keeps 0, and perturbs the rest by their keys', () => {
    const out = publishCounts({ n: 60, key: 200 }, { sex: [{ n: 57, key: 190 }, { n: 3, key: 10 }], age: [{ n: 0, key: 0 }, { n: 60, key: 200 }] });
    expect(out.total).toBe(perturbCount(60, 200, 8));
    expect(out.sections.sex).toEqual([perturbCount(57, 190, 8), null]);
    // The same people (the whole group again) get the same figure in every section.
    expect(out.sections.age).toEqual([0, out.total]);
    expect(out.suppressedCells).toBe(1);
  });

  it('publishes one count on its own', () => {
    expect(publishCount({ n: 5, key: 1 })).toBeNull();
    expect(publishCount({ n: 1234, key: 0 })).toBe(1229);
    expect(publishCount({ n: 1234, key: 0 }, ROUNDING_POLICY)).toBe(1235);
  });

  it('adds keyed counts of disjoint sets', () => {
    expect(sumKeyed([{ n: 3, key: 250 }, { n: 4, key: 10 }])).toEqual({ n: 7, key: 4 });
  });

  it('publishes a table with margins read from the keys', () => {
    const { cells, suppressedCells } = publishTable({
      cells: [
        { key: {}, numerator: 30, numeratorKey: 12 },
        { key: { s: 'F' }, numerator: 27, numeratorKey: 2 },
        { key: { s: 'M' }, numerator: 3, numeratorKey: 10 },
      ],
      denominator: 'population',
    });
    expect(cells.map((c) => [c.id, c.numerator, c.note])).toEqual([
      ['all', perturbCount(30, 12, 8), ''],
      ['s=F', perturbCount(27, 2, 8), ''],
      ['s=M', null, 'count 1-7'],
    ]);
    expect(suppressedCells).toBe(1);
  });
});
