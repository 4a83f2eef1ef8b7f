import { describe, expect, it } from 'vitest';
import { perturbCount } from '../disclosure/cell-key.js';
import { ROUNDING_POLICY } from '../disclosure/policy.js';
import type { KeyedCount } from './counts.js';
import { publishCrossTable } from './cross-table.js';

/** A group × category table of people; each cell's key stands in for the sum of its people's record keys. */
const counts: Record<string, Record<string, number>> = { a: { x: 100, y: 3, z: 50 }, b: { x: 40, y: 20, z: 12 } };
const keyOf = (g: string, c: string) => ((g.charCodeAt(0) * 31 + c.charCodeAt(0) * 7) % 256);
const cell = (g: string, c: string): KeyedCount => ({ n: counts[g]![c]!, key: keyOf(g, c) });
const total = (g: string): KeyedCount => ({ n: Object.values(counts[g]!).reduce((s, n) => s + n, 0), key: ['x', 'y', 'z'].reduce((k, c) => (k + keyOf(g, c)) % 256, 0) });
const table = { groups: ['a', 'b'], categories: ['x', 'y', 'z'], count: cell, groupTotal: total, partition: true };

describe('publishCrossTable (default policy: cell-key perturbation)', () => {
  const out = publishCrossTable(table);
  const at = (g: string, c: string) => out.find((r) => r.group === g && r.category === c)!;

  it('withholds the small cell only (no secondary suppression: perturbation protects the difference)', () => {
    expect(at('a', 'y')).toMatchObject({ people: null, share: null, suppressed: true, note: 'count 1-7' });
    expect(out.filter((r) => r.suppressed)).toHaveLength(1);
  });

  it('perturbs every other count by its own key, and the group total by the key of the whole group', () => {
    expect(at('a', 'x').people).toBe(perturbCount(100, keyOf('a', 'x'), 8));
    expect(at('a', 'x').groupPeople).toBe(perturbCount(153, total('a').key, 8));
    expect(at('b', 'z').people).toBe(perturbCount(12, keyOf('b', 'z'), 8));
  });

  it('computes each share from the published counts', () => {
    for (const r of out.filter((x) => !x.suppressed)) expect(r.share).toBe(r.people! / r.groupPeople!);
  });

  it('withholds a small complement of overlapping categories ("97 of 100 are carers")', () => {
    const overlapping = publishCrossTable({
      groups: ['a', 'b'],
      categories: ['carers', 'smokers'],
      count: (g, c) => ({ n: g === 'a' && c === 'carers' ? 97 : 40, key: 5 }),
      groupTotal: (g) => ({ n: g === 'a' ? 100 : 200, key: 9 }),
      partition: false,
    });
    expect(overlapping.find((r) => r.group === 'a' && r.category === 'carers')).toMatchObject({ people: null, suppressed: true, note: 'denominator minus count 1-7' });
    expect(overlapping.find((r) => r.group === 'a' && r.category === 'smokers')).toMatchObject({ suppressed: false });
  });
});

describe('publishCrossTable (rounding policy, for tables without keys)', () => {
  it('suppresses the small cell, protects it from subtraction and rounds the rest', () => {
    const out = publishCrossTable(table, ROUNDING_POLICY);
    const a = out.filter((c) => c.group === 'a');
    expect(a.find((c) => c.category === 'y')).toMatchObject({ people: null, suppressed: true, share: null });
    // 3 is suppressed; another cell in its row and column must go too, or 3 = total − the rest.
    expect(out.filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(4);
    for (const c of out.filter((x) => !x.suppressed)) expect(c.people! % 5).toBe(0);
    expect(out.find((c) => c.group === 'a' && c.category === 'x')).toMatchObject({ people: 100, groupPeople: 155, share: 100 / 155 });
  });
});
