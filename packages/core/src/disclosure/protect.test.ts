import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { proportion } from '../stats/proportion.js';
import { perturbCount } from './cell-key.js';
import { DEFAULT_POLICY, ROUNDING_POLICY, type DisclosurePolicy } from './policy.js';
import { type DisclosureOptions, type ProtectedCell, applyDisclosureControl, protectIndicatorTable } from './protect.js';
import { type DisclosureCell, type MarginalGroup, marginalGroupsFromKeys } from './table.js';

/**
 * Most tests below check suppression, rounding and secondary suppression, which are easiest to
 * read without noise: they use the rounding policy (1-7 withheld, rounded to 5, secondary on).
 * Cell-key perturbation, the default, has its own section at the end.
 */
const ROUNDED = ROUNDING_POLICY;

/** A cell of a rate table (population denominator). */
const rateCell = (id: string, numerator: number, population = 10_000): DisclosureCell => ({ id, key: { place: id }, numerator, denominator: population });
/** A rate per 100,000 from the published counts. */
const RATE: DisclosureOptions = { denominator: 'population', statistic: (_cell, p) => ({ value: (p.numerator / p.denominator!) * 100_000, intervals: [{ confidence: 0.95, lower: 1, upper: 2 }] }) };

/** A proportion cell. */
const propCell = (id: string, numerator: number, denominator: number): DisclosureCell => ({ id, key: { place: id }, numerator, denominator });
/** A percentage with Wilson limits, from the published counts. */
const PROPORTION: DisclosureOptions = { denominator: 'count', statistic: (_cell, p) => (p.denominator ? proportion(p.numerator, p.denominator, { multiplier: 100 }) : null) };

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
    const [cell] = applyDisclosureControl([rateCell('leeds', count)], [], ROUNDED, RATE);
    expect(cell!.suppressed).toBe(suppressed);
    if (suppressed) {
      expect(cell).toMatchObject({ numerator: null, value: null, intervals: null, reason: { kind: 'primary', rule: 'small-count', detail: 'count 1-7' } });
      expect(cell!.denominator).toBe(10_000);
    } else {
      expect(cell!.reason).toBeNull();
      expect(cell!.value).toBe((cell!.numerator! / 10_000) * 100_000);
    }
  });

  it('suppresses zero when the policy says so', () => {
    const policy: DisclosurePolicy = { ...ROUNDED, suppressZero: true };
    const [cell] = applyDisclosureControl([rateCell('leeds', 0)], [], policy, RATE);
    expect(cell).toMatchObject({ suppressed: true, numerator: null, reason: { kind: 'primary', detail: 'count 0-7' } });
  });

  it('follows a configured minimum', () => {
    const policy: DisclosurePolicy = { ...ROUNDED, minimumCount: 10 };
    const cells = applyDisclosureControl([rateCell('a', 9), rateCell('b', 10)], [], policy, RATE);
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
    const [cell] = applyDisclosureControl([propCell('leeds', numerator, denominator)], [], ROUNDED, PROPORTION);
    expect(cell!.suppressed).toBe(suppressed);
    if (rule !== null) {
      expect(cell!.reason).toMatchObject({ kind: 'primary', rule });
      expect(cell).toMatchObject({ numerator: null, denominator: null, value: null, intervals: null });
    }
  });

  it('reports the complement rule in words', () => {
    const [cell] = applyDisclosureControl([propCell('leeds', 95, 100)], [], ROUNDED, PROPORTION);
    expect(cell!.reason?.detail).toBe('denominator minus count 1-7');
  });

  it('does not apply to population denominators (rates), which stay published', () => {
    const [cell] = applyDisclosureControl([rateCell('leeds', 95, 100)], [], ROUNDED, RATE);
    expect(cell).toMatchObject({ suppressed: false, numerator: 95, denominator: 100 });
  });

  it('treats a complement of 0 (100%) as small when zeros are suppressed', () => {
    const [cell] = applyDisclosureControl([propCell('leeds', 40, 40)], [], { ...ROUNDED, suppressZero: true }, PROPORTION);
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
    const [cell] = applyDisclosureControl([rateCell('leeds', count)], [], ROUNDED, RATE);
    expect(cell!.numerator).toBe(published);
  });

  it('computes the value from the published (rounded) counts, never the true ones', () => {
    const [cell] = applyDisclosureControl([propCell('leeds', 13, 52)], [], ROUNDED, PROPORTION);
    expect(cell).toMatchObject({ numerator: 15, denominator: 50, value: 30, intervals: proportion(15, 50, { multiplier: 100 }).intervals });
  });

  it('rounds count denominators but publishes population denominators as given', () => {
    expect(applyDisclosureControl([propCell('a', 20, 123)], [], ROUNDED, PROPORTION)[0]!.denominator).toBe(125);
    expect(applyDisclosureControl([rateCell('a', 20, 1234.6)], [], ROUNDED, RATE)[0]!.denominator).toBe(1234.6);
  });

  it('follows the configured base, and 1 means no rounding', () => {
    const policy = (rounding: number): DisclosurePolicy => ({ ...ROUNDED, rounding });
    expect(applyDisclosureControl([propCell('a', 15, 64)], [], policy(10))[0]).toMatchObject({ numerator: 20, denominator: 60 });
    expect(applyDisclosureControl([propCell('a', 13, 64)], [], policy(1))[0]).toMatchObject({ numerator: 13, denominator: 64 });
  });
});

describe('derived suppression', () => {
  it('withholds a value computed from suppressed cells, but publishes its own counts', () => {
    const cells: DisclosureCell[] = [
      { id: 'le', key: { place: 'leeds', measure: 'le' }, numerator: 40, denominator: 5_000.5, derivedFrom: ['0-44', '45+'] },
      { id: '0-44', key: { place: 'leeds', age: '0-44' }, numerator: 3, denominator: 3_000 },
      { id: '45+', key: { place: 'leeds', age: '45+' }, numerator: 37, denominator: 2_000.5 },
    ];
    const out = byId(applyDisclosureControl(cells, [], { ...ROUNDED, secondary: false }, { denominator: 'population' }));
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
      { id: 'gap', key: { measure: 'gap' }, numerator: 0, derivedFrom: ['a', 'b'] },
      rateCell('a', 30),
      rateCell('b', 40),
    ];
    const gap: DisclosureOptions = { denominator: 'population', statistic: (cell) => (cell.id === 'gap' ? { value: 4.5, intervals: [] } : null) };
    expect(byId(applyDisclosureControl(cells, [], ROUNDED, gap)).get('gap')).toMatchObject({ suppressed: false, value: 4.5 });
  });
});

describe('secondary suppression in a 1-D group (places summing to the ICS)', () => {
  const places = [rateCell('leeds', 120), rateCell('bradford', 3), rateCell('wakefield', 40), rateCell('calderdale', 25), rateCell('kirklees', 60)];
  const cells = [rateCell('ics', 248), ...places];
  const groups: MarginalGroup[] = [{ total: 'ics', parts: places.map((p) => p.id!) }];

  it('withholds the next-smallest place too', () => {
    const out = byId(applyDisclosureControl(cells, groups, ROUNDED, RATE));
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
    const withoutSecondary = applyDisclosureControl(cells, groups, { ...ROUNDED, secondary: false }, { denominator: 'population' });
    expect(recoverBySubtraction(cells, groups, withoutSecondary)).toEqual(new Map([['bradford', 3]]));

    const withSecondary = applyDisclosureControl(cells, groups, ROUNDED, RATE);
    expect(recoverBySubtraction(cells, groups, withSecondary).size).toBe(0);
    // All an attacker learns is the two together: 248 − (120 + 40 + 60) = 28.
    const published = withSecondary.filter((c) => c.numerator !== null && c.id !== 'ics').map((c) => cells.find((x) => x.id === c.id)!.numerator);
    expect(248 - published.reduce((a, b) => a + b, 0)).toBe(28);
  });

  it('keeps going while the withheld places together are still a small count', () => {
    const small = [rateCell('a', 3), rateCell('b', 2), rateCell('c', 50), rateCell('d', 60)];
    const out = applyDisclosureControl([rateCell('ics', 115), ...small], [{ total: 'ics', parts: ['a', 'b', 'c', 'd'] }], ROUNDED, RATE);
    // a and b are both primary, but 115 − (50 + 60) = 5 would reveal their sum: c is withheld too.
    expect(suppressedIds(out)).toEqual(['a', 'b', 'c']);
    expect(byId(out).get('c')!.reason).toMatchObject({ kind: 'secondary', protects: ['a', 'b'], detail: 'protects a, b in ics' });
  });

  it('passes over zero parts, which add nothing to protect a count', () => {
    const out = applyDisclosureControl(
      [rateCell('ics', 43), rateCell('a', 3), rateCell('b', 0), rateCell('c', 40)],
      [{ total: 'ics', parts: ['a', 'b', 'c'] }],
      ROUNDED,
      RATE,
    );
    expect(suppressedIds(out)).toEqual(['a', 'c']);
    expect(byId(out).get('b')).toMatchObject({ suppressed: false, numerator: 0 });
  });

  it('breaks ties by id', () => {
    const out = applyDisclosureControl(
      [rateCell('ics', 43), rateCell('x', 3), rateCell('b', 20), rateCell('a', 20)],
      [{ total: 'ics', parts: ['x', 'b', 'a'] }],
      ROUNDED,
      RATE,
    );
    expect(suppressedIds(out)).toEqual(['x', 'a']);
  });

  it('protects small complements of proportions too', () => {
    const parts = [propCell('a', 95, 100), propCell('b', 60, 100), propCell('c', 80, 90)];
    const out = byId(applyDisclosureControl([propCell('ics', 235, 290), ...parts], [{ total: 'ics', parts: ['a', 'b', 'c'] }], ROUNDED, PROPORTION));
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
    const out = byId(applyDisclosureControl(cells, groups, ROUNDED, RATE));
    expect(out.get('b')!.reason).toMatchObject({ kind: 'secondary', protects: ['a'], group: 'ics' });
    expect(out.get('b1')!.reason).toMatchObject({ kind: 'secondary', protects: ['b'], group: 'b' });
    // Two of the group's three members are now withheld: b2 can be published.
    expect(out.get('b2')).toMatchObject({ suppressed: false, numerator: 20 });
    expect(recoverBySubtraction(cells, groups, [...out.values()]).size).toBe(0);
  });

  it('is off when the policy says so', () => {
    const out = applyDisclosureControl(cells, groups, { ...ROUNDED, secondary: false }, { denominator: 'population' });
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
    const out = applyDisclosureControl(cells, groups, ROUNDED, RATE);
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
    const forward = applyDisclosureControl(cells, groups, ROUNDED, RATE);
    const backward = applyDisclosureControl([...cells].reverse(), groups, ROUNDED, RATE);
    expect([...backward].reverse()).toEqual(forward);
  });

  it('gives every suppressed cell its reason, and only suppressed cells a reason', () => {
    for (const cell of applyDisclosureControl(cells, groups, ROUNDED, RATE)) {
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
    const table = protectIndicatorTable({ cells, denominator: 'count' }, ROUNDED);
    expect(table.policy).toEqual(ROUNDED);
    expect(table.groups).toEqual([{ total: 'all', parts: ['sex=F', 'sex=M'] }]);
    expect(table.summary).toEqual({ cells: 3, published: 1, primary: 1, secondary: 1, derived: 0 });
    expect(table.cells.map((c) => [c.id, c.numerator, c.denominator])).toEqual([
      ['all', 60, 200],
      ['sex=F', null, null],
      ['sex=M', null, null],
    ]);
  });

  it('takes a partial policy and validates it', () => {
    expect(protectIndicatorTable({ cells, denominator: 'count' }, { ...ROUNDED, secondary: false }).summary.secondary).toBe(0);
    expect(protectIndicatorTable({ cells: cells.map((c) => ({ ...c, numeratorKey: 1, denominatorKey: 2 })), denominator: 'count' }).policy).toEqual(DEFAULT_POLICY);
    expect(() => protectIndicatorTable({ cells, denominator: 'count' }, { minimumCount: -1 })).toThrow(UserError);
  });
});

describe('invalid input', () => {
  it('rejects an invalid policy passed to applyDisclosureControl', () => {
    expect(() => applyDisclosureControl([], [], { ...ROUNDED, rounding: 0 })).toThrow(/rounding/);
  });

  it('rejects fractional denominators unless they are declared populations', () => {
    const cells = [rateCell('a', 10, 123.4)];
    expect(() => applyDisclosureControl(cells, [], ROUNDED)).toThrow(/use denominator kind 'population'/);
    expect(() => applyDisclosureControl(cells, [], ROUNDED, RATE)).not.toThrow();
  });
});

describe('cell-key perturbation (the default policy)', () => {
  const keyed = (id: string, numerator: number, key: number, denominator?: number, denominatorKey?: number): DisclosureCell => ({
    id,
    key: { place: id },
    numerator,
    numeratorKey: key,
    ...(denominator !== undefined ? { denominator, denominatorKey: denominatorKey ?? (key + 7) % 256 } : {}),
  });

  it('perturbs each published count by its own cell key, and suppresses 1-7 on the true count', () => {
    const out = applyDisclosureControl([keyed('a', 120, 0), keyed('b', 120, 128), keyed('c', 3, 0), keyed('d', 0, 0)], [], DEFAULT_POLICY, { denominator: 'population' });
    expect(out.map((c) => c.numerator)).toEqual([perturbCount(120, 0, 8), perturbCount(120, 128, 8), null, 0]);
    expect(out[0]!.numerator).toBe(115); // key 0 selects the smallest noise, −5
    expect(out[1]!.numerator).toBe(120); // key 128 is in the middle: no noise
    expect(out[2]!.reason).toMatchObject({ kind: 'primary', detail: 'count 1-7' });
  });

  it('gives the same cell the same published count in every table it appears in', () => {
    const alone = applyDisclosureControl([keyed('leeds', 431, 77)], [], DEFAULT_POLICY, { denominator: 'population' })[0]!;
    const withOthers = applyDisclosureControl([keyed('x', 50, 3), keyed('leeds', 431, 77), keyed('y', 9, 250)], [], DEFAULT_POLICY, { denominator: 'population' })[1]!;
    expect(withOthers.numerator).toBe(alone.numerator);
  });

  it('computes values from the perturbed counts, and keeps a numerator at or below its denominator', () => {
    const out = applyDisclosureControl([keyed('a', 77, 10, 11_921, 200), keyed('b', 40, 252, 48, 0)], [], DEFAULT_POLICY, PROPORTION);
    const a = out[0]!;
    expect(a.value).toBe(proportion(a.numerator!, a.denominator!, { multiplier: 100 }).value);
    expect(a.numerator).toBe(perturbCount(77, 10, 8));
    expect(a.denominator).toBe(perturbCount(11_921, 200, 8));
    // 40 of 48: +4 and −5 would give 44 of 43; the numerator is held at the denominator.
    expect(perturbCount(40, 252, 8)).toBe(44);
    expect(perturbCount(48, 0, 8)).toBe(43);
    expect(out[1]).toMatchObject({ numerator: 43, denominator: 43, value: 100 });
  });

  it('refuses a count without its key (every published count must carry one)', () => {
    expect(() => applyDisclosureControl([{ id: 'a', key: {}, numerator: 20 }], [], DEFAULT_POLICY, { denominator: 'population' })).toThrow(/no numerator key/);
    expect(() => applyDisclosureControl([{ id: 'a', key: {}, numerator: 20, numeratorKey: 1, denominator: 40 }], [], DEFAULT_POLICY)).toThrow(/no denominator key/);
  });

  it('makes "total minus published parts" a noisy guess, not a count', () => {
    // ICS 248 = 120 + 3 + 40 + 25 + 60; Bradford (3) is withheld, nothing else.
    const counts: [string, number, number][] = [['ics', 248, 91], ['leeds', 120, 17], ['bradford', 3, 201], ['wakefield', 40, 0], ['calderdale', 25, 130], ['kirklees', 60, 255]];
    const out = byId(applyDisclosureControl(counts.map(([id, n, k]) => keyed(id, n, k)), [], DEFAULT_POLICY, { denominator: 'population' }));
    expect(suppressedIds([...out.values()])).toEqual(['bradford']);
    const guess = out.get('ics')!.numerator! - ['leeds', 'wakefield', 'calderdale', 'kirklees'].reduce((a, id) => a + out.get(id)!.numerator!, 0);
    expect(guess).not.toBe(3);
  });
});

