import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { proportion } from '../stats/proportion.js';
import { DEFAULT_POLICY, type DisclosurePolicy } from './policy.js';
import { type ProtectedCell, applyDisclosureControl, protectIndicatorTable } from './protect.js';
import { type DisclosureCell, type MarginalGroup, marginalGroupsFromKeys } from './table.js';

/** A cell of a rate table (population denominator) with a made-up value. */
const rateCell = (id: string, numerator: number, population = 10_000): DisclosureCell => ({
  id,
  key: { place: id },
  numerator,
  denominator: population,
  value: (numerator / population) * 100_000,
  intervals: [{ confidence: 0.95, lower: 1, upper: 2 }],
});

/** A proportion cell, its value and Wilson limits computed from the unrounded counts. */
const propCell = (id: string, numerator: number, denominator: number): DisclosureCell => {
  if (denominator === 0) return { id, key: { place: id }, numerator, denominator, value: null, intervals: null };
  const { value, intervals } = proportion(numerator, denominator, { multiplier: 100 });
  return { id, key: { place: id }, numerator, denominator, value, intervals };
};

const byId = (cells: readonly ProtectedCell[]) => new Map(cells.map((cell) => [cell.id, cell]));
const suppressedIds = (cells: readonly ProtectedCell[]) => cells.filter((cell) => cell.suppressed).map((cell) => cell.id);

/**
 * The attack secondary suppression prevents: in any group where exactly one member's numerator is
 * withheld, recover it as total − Σ published parts (or Σ parts for a withheld total). Uses the
 * exact unrounded counts of the published cells, the worst case. Returns what it recovered.
 */
const recoverBySubtraction = (input: readonly DisclosureCell[], groups: readonly MarginalGroup[], output: readonly ProtectedCell[]): Map<string, number> => {
  const raw = new Map(input.map((cell) => [cell.id ?? '', cell.numerator]));
  const known = new Map(output.filter((cell) => cell.numerator !== null).map((cell) => [cell.id, raw.get(cell.id)!]));
  const recovered = new Map<string, number>();
  for (let progress = true; progress; ) {
    progress = false;
    for (const group of groups) {
      const unknown = [group.total, ...group.parts].filter((id) => !known.has(id));
      if (unknown.length !== 1) continue;
      const target = unknown[0]!;
      const partsSum = group.parts.filter((id) => id !== target).reduce((sum, id) => sum + known.get(id)!, 0);
      const value = target === group.total ? partsSum : known.get(group.total)! - partsSum;
      known.set(target, value);
      recovered.set(target, value);
      progress = true;
    }
  }
  return recovered;
};

describe('primary suppression', () => {
  it.each([
    [0, false],
    [1, true],
    [2, true],
    [5, true],
    [7, true],
    [8, false],
    [9, false],
    [250, false],
  ])('a count of %i is suppressed: %s', (count, suppressed) => {
    const [cell] = applyDisclosureControl([rateCell('leeds', count)], [], DEFAULT_POLICY, { denominator: 'population' });
    expect(cell!.suppressed).toBe(suppressed);
    if (suppressed) {
      expect(cell).toMatchObject({ numerator: null, value: null, intervals: null, reason: { kind: 'primary', rule: 'small-count', detail: 'count 1-7' } });
      expect(cell!.denominator).toBe(10_000);
    } else {
      expect(cell!.reason).toBeNull();
      expect(cell!.value).toBe((count / 10_000) * 100_000);
    }
  });

  it('suppresses zero when the policy says so', () => {
    const policy: DisclosurePolicy = { ...DEFAULT_POLICY, suppressZero: true };
    const [cell] = applyDisclosureControl([rateCell('leeds', 0)], [], policy, { denominator: 'population' });
    expect(cell).toMatchObject({ suppressed: true, numerator: null, reason: { kind: 'primary', detail: 'count 0-7' } });
  });

  it('follows a configured minimum', () => {
    const policy: DisclosurePolicy = { ...DEFAULT_POLICY, minimumCount: 10 };
    const cells = applyDisclosureControl([rateCell('a', 9), rateCell('b', 10)], [], policy, { denominator: 'population' });
    expect(suppressedIds(cells)).toEqual(['a']);
    expect(cells[0]!.reason).toMatchObject({ detail: 'count 1-9' });
  });
});

describe('complement suppression (count denominators)', () => {
  it.each([
    [3, 100, true, 'small-count'],
    [95, 100, true, 'small-complement'],
    [93, 100, true, 'small-complement'],
    [92, 100, false, null],
    [100, 100, false, null],
    [0, 5, true, 'small-complement'],
    [0, 0, false, null],
    [8, 15, true, 'small-complement'],
    [8, 16, false, null],
  ])('%i of %i suppressed: %s (%s)', (numerator, denominator, suppressed, rule) => {
    const [cell] = applyDisclosureControl([propCell('leeds', numerator, denominator)], []);
    expect(cell!.suppressed).toBe(suppressed);
    if (rule !== null) {
      expect(cell!.reason).toMatchObject({ kind: 'primary', rule });
      expect(cell).toMatchObject({ numerator: null, denominator: null, value: null, intervals: null });
    }
  });

  it('reports the complement rule in words', () => {
    const [cell] = applyDisclosureControl([propCell('leeds', 95, 100)], []);
    expect(cell!.reason?.detail).toBe('denominator minus count 1-7');
  });

  it('does not apply to population denominators (rates), which stay published', () => {
    const [cell] = applyDisclosureControl([rateCell('leeds', 95, 100)], [], DEFAULT_POLICY, { denominator: 'population' });
    expect(cell).toMatchObject({ suppressed: false, numerator: 95, denominator: 100 });
  });

  it('treats a complement of 0 (100%) as small when zeros are suppressed', () => {
    const [cell] = applyDisclosureControl([propCell('leeds', 40, 40)], [], { ...DEFAULT_POLICY, suppressZero: true });
    expect(cell!.reason).toMatchObject({ kind: 'primary', rule: 'small-complement' });
  });
});

describe('rounding', () => {
  it.each([
    [3, null],
    [12, 10],
    [13, 15],
    [0, 0],
    [8, 10],
    [1234, 1235],
  ])('a numerator of %i is published as %s', (count, published) => {
    const [cell] = applyDisclosureControl([rateCell('leeds', count)], [], DEFAULT_POLICY, { denominator: 'population' });
    expect(cell!.numerator).toBe(published);
  });

  it('keeps the value computed from the unrounded counts', () => {
    const input = propCell('leeds', 13, 52);
    const [cell] = applyDisclosureControl([input], []);
    expect(cell).toMatchObject({ numerator: 15, denominator: 50, value: 25, intervals: input.intervals });
  });

  it('rounds count denominators but publishes population denominators as given', () => {
    expect(applyDisclosureControl([propCell('a', 20, 123)], [])[0]!.denominator).toBe(125);
    expect(applyDisclosureControl([rateCell('a', 20, 1234.6)], [], DEFAULT_POLICY, { denominator: 'population' })[0]!.denominator).toBe(1234.6);
  });

  it('follows the configured base, and 1 means no rounding', () => {
    const policy = (rounding: number): DisclosurePolicy => ({ ...DEFAULT_POLICY, rounding });
    expect(applyDisclosureControl([propCell('a', 15, 64)], [], policy(10))[0]).toMatchObject({ numerator: 20, denominator: 60 });
    expect(applyDisclosureControl([propCell('a', 13, 64)], [], policy(1))[0]).toMatchObject({ numerator: 13, denominator: 64 });
  });
});

describe('derived suppression', () => {
  it('withholds a value computed from suppressed cells, but publishes its own counts', () => {
    const cells: DisclosureCell[] = [
      { id: 'le', key: { place: 'leeds', measure: 'le' }, numerator: 40, denominator: 5_000.5, value: 79.2, intervals: [{ confidence: 0.95, lower: 78, upper: 80 }], derivedFrom: ['0-44', '45+'] },
      { id: '0-44', key: { place: 'leeds', age: '0-44' }, numerator: 3, denominator: 3_000 },
      { id: '45+', key: { place: 'leeds', age: '45+' }, numerator: 37, denominator: 2_000.5 },
    ];
    const out = byId(applyDisclosureControl(cells, [], { ...DEFAULT_POLICY, secondary: false }, { denominator: 'population' }));
    expect(out.get('le')).toMatchObject({
      suppressed: true,
      numerator: 40,
      denominator: 5_000.5,
      value: null,
      intervals: null,
      reason: { kind: 'derived', from: ['0-44'], detail: 'computed from suppressed 0-44' },
    });
    expect(out.get('45+')!.suppressed).toBe(false);
  });

  it('leaves a derived value alone when its sources are published', () => {
    const cells: DisclosureCell[] = [
      { id: 'gap', key: { measure: 'gap' }, numerator: 0, value: 4.5, derivedFrom: ['a', 'b'] },
      rateCell('a', 30),
      rateCell('b', 40),
    ];
    expect(byId(applyDisclosureControl(cells, [], DEFAULT_POLICY, { denominator: 'population' })).get('gap')).toMatchObject({ suppressed: false, value: 4.5 });
  });
});

describe('secondary suppression in a 1-D group (places summing to the ICS)', () => {
  const places = [rateCell('leeds', 120), rateCell('bradford', 3), rateCell('wakefield', 40), rateCell('calderdale', 25), rateCell('kirklees', 60)];
  const cells = [rateCell('ics', 248), ...places];
  const groups: MarginalGroup[] = [{ total: 'ics', parts: places.map((p) => p.id!) }];

  it('withholds the next-smallest place too', () => {
    const out = byId(applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' }));
    expect(out.get('bradford')!.reason).toMatchObject({ kind: 'primary' });
    expect(out.get('calderdale')).toMatchObject({
      suppressed: true,
      numerator: null,
      value: null,
      reason: { kind: 'secondary', protects: ['bradford'], group: 'ics', detail: 'protects bradford in ics' },
    });
    expect(suppressedIds([...out.values()])).toEqual(['bradford', 'calderdale']);
  });

  it('so the ICS total minus the published places no longer reveals the small count', () => {
    const withoutSecondary = applyDisclosureControl(cells, groups, { ...DEFAULT_POLICY, secondary: false }, { denominator: 'population' });
    expect(recoverBySubtraction(cells, groups, withoutSecondary)).toEqual(new Map([['bradford', 3]]));

    const withSecondary = applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' });
    expect(recoverBySubtraction(cells, groups, withSecondary).size).toBe(0);
    // All an attacker learns is the two together: 248 − (120 + 40 + 60) = 28.
    const published = withSecondary.filter((c) => c.numerator !== null && c.id !== 'ics').map((c) => cells.find((x) => x.id === c.id)!.numerator);
    expect(248 - published.reduce((a, b) => a + b, 0)).toBe(28);
  });

  it('keeps going while the withheld places together are still a small count', () => {
    const small = [rateCell('a', 3), rateCell('b', 2), rateCell('c', 50), rateCell('d', 60)];
    const out = applyDisclosureControl([rateCell('ics', 115), ...small], [{ total: 'ics', parts: ['a', 'b', 'c', 'd'] }], DEFAULT_POLICY, { denominator: 'population' });
    // a and b are both primary, but 115 − (50 + 60) = 5 would reveal their sum: c is withheld too.
    expect(suppressedIds(out)).toEqual(['a', 'b', 'c']);
    expect(byId(out).get('c')!.reason).toMatchObject({ kind: 'secondary', protects: ['a', 'b'], detail: 'protects a, b in ics' });
  });

  it('passes over zero parts, which add nothing to protect a count', () => {
    const out = applyDisclosureControl(
      [rateCell('ics', 43), rateCell('a', 3), rateCell('b', 0), rateCell('c', 40)],
      [{ total: 'ics', parts: ['a', 'b', 'c'] }],
      DEFAULT_POLICY,
      { denominator: 'population' },
    );
    expect(suppressedIds(out)).toEqual(['a', 'c']);
    expect(byId(out).get('b')).toMatchObject({ suppressed: false, numerator: 0 });
  });

  it('breaks ties by id', () => {
    const out = applyDisclosureControl(
      [rateCell('ics', 43), rateCell('x', 3), rateCell('b', 20), rateCell('a', 20)],
      [{ total: 'ics', parts: ['x', 'b', 'a'] }],
      DEFAULT_POLICY,
      { denominator: 'population' },
    );
    expect(suppressedIds(out)).toEqual(['x', 'a']);
  });

  it('protects small complements of proportions too', () => {
    const parts = [propCell('a', 95, 100), propCell('b', 60, 100), propCell('c', 80, 90)];
    const out = byId(applyDisclosureControl([propCell('ics', 235, 290), ...parts], [{ total: 'ics', parts: ['a', 'b', 'c'] }]));
    expect(out.get('a')!.reason).toMatchObject({ kind: 'primary', rule: 'small-complement' });
    expect(out.get('b')!.reason).toMatchObject({ kind: 'secondary', protects: ['a'] });
    expect(out.get('c')!.suppressed).toBe(false);
  });

  it('withholds a part when only the total is suppressed (a place and its neighbourhoods)', () => {
    // The place is withheld to protect a sibling place; its neighbourhoods would add up to it.
    const cells: DisclosureCell[] = [
      { id: 'ics', key: {}, numerator: 73 },
      { id: 'a', key: { place: 'a' }, numerator: 5 },
      { id: 'b', key: { place: 'b' }, numerator: 30 },
      { id: 'c', key: { place: 'c' }, numerator: 38 },
      { id: 'b1', key: { place: 'b', neighbourhood: 'b1' }, numerator: 12 },
      { id: 'b2', key: { place: 'b', neighbourhood: 'b2' }, numerator: 18 },
    ];
    const groups = marginalGroupsFromKeys(cells);
    const out = byId(applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' }));
    expect(out.get('b')!.reason).toMatchObject({ kind: 'secondary', protects: ['a'], group: 'ics' });
    expect(out.get('b1')!.reason).toMatchObject({ kind: 'secondary', protects: ['b'], group: 'b' });
    // Two of the group's three members are now withheld: b2 can be published.
    expect(out.get('b2')).toMatchObject({ suppressed: false, numerator: 20 });
    expect(recoverBySubtraction(cells, groups, [...out.values()]).size).toBe(0);
  });

  it('is off when the policy says so', () => {
    const out = applyDisclosureControl(cells, groups, { ...DEFAULT_POLICY, secondary: false }, { denominator: 'population' });
    expect(suppressedIds(out)).toEqual(['bradford']);
  });
});

describe('secondary suppression in a 2-D table (sex × place)', () => {
  // Columns: places a, b, c. Rows: F, M. One small cell: F in b.
  const counts: Record<string, Record<string, number>> = { F: { a: 50, b: 3, c: 40 }, M: { a: 45, b: 30, c: 38 } };
  const cells: DisclosureCell[] = [
    { key: {}, numerator: 206 },
    ...['F', 'M'].map((sex) => ({ key: { sex }, numerator: Object.values(counts[sex]!).reduce((x, y) => x + y, 0) })),
    ...['a', 'b', 'c'].map((place) => ({ key: { place }, numerator: counts.F![place]! + counts.M![place]! })),
    ...['F', 'M'].flatMap((sex) => ['a', 'b', 'c'].map((place) => ({ key: { place, sex }, numerator: counts[sex]![place]! }))),
  ].map((cell) => ({ ...cell, id: Object.entries(cell.key).sort().map(([d, v]) => `${d}=${v}`).join(';') || 'all', denominator: 1_000 }));
  const groups = marginalGroupsFromKeys(cells);

  it('propagates across rows and columns until every group is safe', () => {
    const out = applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' });
    const reasons = Object.fromEntries(out.filter((c) => c.suppressed).map((c) => [c.id, c.reason]));
    // The smallest cells forming a rectangle: no row or column has a single withheld cell.
    expect(Object.keys(reasons).sort()).toEqual(['place=b;sex=F', 'place=b;sex=M', 'place=c;sex=F', 'place=c;sex=M']);
    expect(reasons['place=b;sex=F']).toMatchObject({ kind: 'primary' });
    expect(reasons['place=c;sex=F']).toMatchObject({ kind: 'secondary', protects: ['place=b;sex=F'], group: 'sex=F' });
    expect(reasons['place=b;sex=M']).toMatchObject({ kind: 'secondary', protects: ['place=b;sex=F'], group: 'place=b' });
    expect(reasons['place=c;sex=M']).toMatchObject({ kind: 'secondary', protects: ['place=c;sex=F'], group: 'place=c' });
    for (const group of groups) {
      const hidden = [group.total, ...group.parts].filter((id) => out.find((c) => c.id === id)!.numerator === null);
      expect(hidden.length).not.toBe(1);
    }
    expect(recoverBySubtraction(cells, groups, out).size).toBe(0);
  });

  it('gives the same answer whatever order the cells come in', () => {
    const forward = applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' });
    const backward = applyDisclosureControl([...cells].reverse(), groups, DEFAULT_POLICY, { denominator: 'population' });
    expect([...backward].reverse()).toEqual(forward);
  });

  it('gives every suppressed cell its reason, and only suppressed cells a reason', () => {
    for (const cell of applyDisclosureControl(cells, groups, DEFAULT_POLICY, { denominator: 'population' })) {
      expect(cell.suppressed).toBe(cell.reason !== null);
      if (cell.reason !== null) {
        expect(cell.reason.detail.length).toBeGreaterThan(0);
        expect(cell.value).toBeNull();
        expect(cell.numerator === null).toBe(cell.reason.kind !== 'derived');
      }
    }
  });
});

describe('protectIndicatorTable', () => {
  const cells: DisclosureCell[] = [
    { key: {}, numerator: 60, denominator: 200 },
    { key: { sex: 'F' }, numerator: 4, denominator: 90 },
    { key: { sex: 'M' }, numerator: 56, denominator: 110 },
  ];

  it('reads the groups from the keys and summarises what was suppressed', () => {
    const table = protectIndicatorTable({ cells, denominator: 'count' });
    expect(table.policy).toEqual(DEFAULT_POLICY);
    expect(table.groups).toEqual([{ total: 'all', parts: ['sex=F', 'sex=M'] }]);
    expect(table.summary).toEqual({ cells: 3, published: 1, primary: 1, secondary: 1, derived: 0 });
    expect(table.cells.map((c) => [c.id, c.numerator, c.denominator])).toEqual([
      ['all', 60, 200],
      ['sex=F', null, null],
      ['sex=M', null, null],
    ]);
  });

  it('takes a partial policy and validates it', () => {
    expect(protectIndicatorTable({ cells, denominator: 'count' }, { secondary: false }).summary.secondary).toBe(0);
    expect(() => protectIndicatorTable({ cells, denominator: 'count' }, { minimumCount: -1 })).toThrow(UserError);
  });
});

describe('invalid input', () => {
  it('rejects an invalid policy passed to applyDisclosureControl', () => {
    expect(() => applyDisclosureControl([], [], { ...DEFAULT_POLICY, rounding: 0 })).toThrow(/rounding/);
  });

  it('rejects fractional denominators unless they are declared populations', () => {
    const cells = [rateCell('a', 10, 123.4)];
    expect(() => applyDisclosureControl(cells, [])).toThrow(/use denominator kind 'population'/);
    expect(() => applyDisclosureControl(cells, [], DEFAULT_POLICY, { denominator: 'population' })).not.toThrow();
  });
});
