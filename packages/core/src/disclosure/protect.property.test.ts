/**
 * Property test: random 1-D, 2-D, nested and nested × sex tables from a seeded generator, under
 * several policies.
 * - Rounding and secondary suppression (no perturbation): whatever the counts, no withheld count can
 *   be worked out by subtraction within a group (repeatedly, using everything recovered so far and
 *   the exact unrounded published counts), the withheld parts of a published total never sum to a
 *   small count, small counts are always withheld, and published counts are the rounded true counts.
 * - Cell-key perturbation (the default): small counts are always withheld, published counts are
 *   within the table's noise of the truth and never below the threshold, the same count with the
 *   same key is published the same way in any table, and values come from the published counts.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../random/prng.js';
import { maxPerturbation, perturbCount } from './cell-key.js';
import { DEFAULT_POLICY, ROUNDING_POLICY, type DisclosurePolicy, isPublishable, roundCount } from './policy.js';
import { type DisclosureOptions, type ProtectedCell, applyDisclosureControl } from './protect.js';
import { type DenominatorKind, type DisclosureCell, type MarginalGroup, cellId, marginalGroupsFromKeys } from './table.js';

interface Dimension {
  readonly name: string;
  /** Values, or per parent value for a nested dimension (neighbourhoods within places). */
  readonly values: readonly string[] | Readonly<Record<string, readonly string[]>>;
  readonly parent?: string;
}

type Shape = 'one-way' | 'two-way' | 'nested' | 'nested-by-sex';

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

const dimensionsFor = (shape: Shape, rng: Random): Dimension[] => {
  const places = range(rng.int(2, shape === 'one-way' ? 9 : 5), 'p');
  const neighbourhoods = Object.fromEntries(places.map((p) => [p, range(rng.int(1, 4), `${p}n`)]));
  const sexes = ['F', 'M', 'U'].slice(0, rng.int(2, 3));
  const nested: Dimension = { name: 'neighbourhood', values: neighbourhoods, parent: 'place' };
  switch (shape) {
    case 'one-way':
      return [{ name: 'place', values: places }];
    case 'two-way':
      return [{ name: 'place', values: places }, { name: 'sex', values: sexes }];
    case 'nested':
      return [{ name: 'place', values: places }, nested];
    case 'nested-by-sex':
      return [{ name: 'place', values: places }, nested, { name: 'sex', values: sexes }];
  }
};

/** Leaf cells (every dimension set), then every margin: the keys projected onto each parent-closed subset of dimensions. */
const randomTable = (shape: Shape, rng: Random, kind: DenominatorKind): { cells: DisclosureCell[]; groups: MarginalGroup[] } => {
  const dims = dimensionsFor(shape, rng);
  let leaves: Record<string, string>[] = [{}];
  for (const dim of dims) {
    leaves = leaves.flatMap((key) => {
      const values = Array.isArray(dim.values) ? dim.values : (dim.values as Record<string, string[]>)[key[dim.parent!]!]!;
      return values.map((value) => ({ ...key, [dim.name]: value }));
    });
  }
  const smallish = () => (rng.bernoulli(0.4) ? rng.int(0, 9) : rng.int(0, 120));
  const leafCounts = leaves.map((key) => {
    const numerator = smallish();
    const denominator = kind === 'count' ? numerator + smallish() : numerator * 7 + 500.25;
    return { key, numerator, denominator, numeratorKey: rng.int(0, 255), denominatorKey: rng.int(0, 255) };
  });
  const cells: DisclosureCell[] = [];
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    const kept = dims.filter((_, i) => mask & (1 << i));
    if (kept.some((d) => d.parent !== undefined && !kept.some((p) => p.name === d.parent))) continue;
    const margins = new Map<string, { key: Record<string, string>; numerator: number; denominator: number; numeratorKey: number; denominatorKey: number }>();
    for (const leaf of leafCounts) {
      const key = Object.fromEntries(kept.map((d) => [d.name, leaf.key[d.name]!]));
      const id = cellId(key);
      const margin = margins.get(id) ?? { key, numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0 };
      margins.set(id, {
        key,
        numerator: margin.numerator + leaf.numerator,
        denominator: margin.denominator + leaf.denominator,
        numeratorKey: (margin.numeratorKey + leaf.numeratorKey) % 256,
        denominatorKey: (margin.denominatorKey + leaf.denominatorKey) % 256,
      });
    }
    for (const [id, m] of margins) cells.push({ id, ...m });
  }
  return { cells, groups: marginalGroupsFromKeys(cells) };
};

/** Everything single subtractions within groups reveal, applied until nothing new is learnt. */
const recoverBySubtraction = (raw: ReadonlyMap<string, number>, groups: readonly MarginalGroup[], out: readonly ProtectedCell[]): Map<string, number> => {
  const known = new Map(out.filter((c) => c.numerator !== null).map((c) => [c.id, raw.get(c.id)!]));
  const recovered = new Map<string, number>();
  for (let progress = true; progress; ) {
    progress = false;
    for (const group of groups) {
      const unknown = [group.total, ...group.parts].filter((id) => !known.has(id));
      if (unknown.length !== 1) continue;
      const target = unknown[0]!;
      const others = group.parts.filter((id) => id !== target).reduce((sum, id) => sum + known.get(id)!, 0);
      const value = target === group.total ? others : known.get(group.total)! - others;
      known.set(target, value);
      recovered.set(target, value);
      progress = true;
    }
  }
  return recovered;
};

/** The value of a cell: numerator / denominator of the PUBLISHED counts. */
const SHARE = (kind: DenominatorKind): DisclosureOptions => ({
  denominator: kind,
  statistic: (_cell, p) => (p.denominator ? { value: p.numerator / p.denominator, intervals: [] } : null),
});

const POLICIES: readonly (readonly [string, DisclosurePolicy])[] = [
  ['rounding', ROUNDING_POLICY],
  ['min 10, zero suppressed, no rounding', { minimumCount: 10, suppressZero: true, rounding: 1, secondary: true, perturbation: 'none' }],
  ['min 5, rounding 10', { minimumCount: 5, suppressZero: false, rounding: 10, secondary: true, perturbation: 'none' }],
];
const SHAPES: readonly Shape[] = ['one-way', 'two-way', 'nested', 'nested-by-sex'];
const TABLES_PER_CASE = 150;

describe.each(POLICIES)('disclosure control properties (%s policy)', (_name, policy) => {
  it.each(SHAPES)('%s tables: nothing withheld is recoverable, small counts are withheld, counts are rounded', (shape) => {
    let withSecondary = 0;
    for (let t = 0; t < TABLES_PER_CASE; t++) {
      const rng = Random.fromKey(`disclosure-property/${_name}/${shape}/${t}`);
      const kind: DenominatorKind = rng.bernoulli(0.5) ? 'count' : 'population';
      const { cells, groups } = randomTable(shape, rng, kind);
      const out = applyDisclosureControl(cells, groups, policy, SHARE(kind));
      const context = `${shape} table ${t} (${kind})`;
      const raw = new Map(cells.map((c) => [c.id!, c]));
      const hidden = new Set(out.filter((c) => c.numerator === null).map((c) => c.id));
      const complement = (id: string) => (kind === 'count' ? raw.get(id)!.denominator! - raw.get(id)!.numerator : null);

      // No withheld count follows from the published ones by subtraction within a group, even chained.
      const numerators = new Map(cells.map((c) => [c.id!, c.numerator]));
      expect(recoverBySubtraction(numerators, groups, out), context).toEqual(new Map());

      for (const group of groups) {
        // … nor is the sum of the withheld parts of a published total a small count.
        const hiddenParts = group.parts.filter((id) => hidden.has(id));
        if (!hidden.has(group.total) && hiddenParts.length > 0) {
          expect(isPublishable(hiddenParts.reduce((s, id) => s + numerators.get(id)!, 0), policy), `${context}: ${group.total}`).toBe(true);
          if (kind === 'count') expect(isPublishable(hiddenParts.reduce((s, id) => s + complement(id)!, 0), policy), `${context}: ${group.total}`).toBe(true);
        }
      }

      for (const cell of out) {
        const input = raw.get(cell.id)!;
        const c = complement(cell.id);
        const small = !isPublishable(input.numerator, policy) || (c !== null && !isPublishable(c, policy));
        if (small) expect(cell.reason?.kind, `${context}: ${cell.id}`).toBe('primary');
        expect(cell.suppressed, `${context}: ${cell.id}`).toBe(cell.reason !== null);
        if (cell.reason?.kind === 'secondary') withSecondary++;
        if (cell.numerator === null) {
          expect(cell.value).toBeNull();
          expect(cell.intervals).toBeNull();
          expect(cell.denominator).toBe(kind === 'count' ? null : input.denominator);
        } else {
          expect(cell.numerator).toBe(roundCount(input.numerator, policy.rounding));
          expect(Math.abs(cell.numerator - input.numerator)).toBeLessThanOrEqual(policy.rounding / 2);
          expect(cell.numerator % policy.rounding).toBe(0);
          const d = kind === 'count' ? cell.denominator : input.denominator;
          expect(cell.value).toBe(d ? cell.numerator / d : null);
        }
      }
      expect(applyDisclosureControl(cells, groups, policy, SHARE(kind)), `${context}: deterministic`).toEqual(out);
    }
    // The generator does exercise secondary suppression.
    expect(withSecondary).toBeGreaterThan(TABLES_PER_CASE / 10);
  });
});

describe('the subtraction attack used above', () => {
  it.each(SHAPES)('recovers small counts from %s tables when secondary suppression is off', (shape) => {
    let recovered = 0;
    for (let t = 0; t < TABLES_PER_CASE; t++) {
      const rng = Random.fromKey(`disclosure-property/attack/${shape}/${t}`);
      const { cells, groups } = randomTable(shape, rng, 'population');
      const out = applyDisclosureControl(cells, groups, { ...ROUNDING_POLICY, secondary: false }, { denominator: 'population' });
      const found = recoverBySubtraction(new Map(cells.map((c) => [c.id!, c.numerator])), groups, out);
      for (const [id, value] of found) expect(value).toBe(cells.find((c) => c.id === id)!.numerator);
      recovered += found.size;
    }
    expect(recovered).toBeGreaterThan(TABLES_PER_CASE / 10);
  });
});

describe('cell-key perturbation properties (the default policy)', () => {
  it.each(SHAPES)('%s tables: small counts withheld, published counts noisy but close, values from published counts', (shape) => {
    const max = maxPerturbation();
    let perturbed = 0;
    let published = 0;
    for (let t = 0; t < TABLES_PER_CASE; t++) {
      const rng = Random.fromKey(`disclosure-property/cell-key/${shape}/${t}`);
      const kind: DenominatorKind = rng.bernoulli(0.5) ? 'count' : 'population';
      const { cells, groups } = randomTable(shape, rng, kind);
      const out = applyDisclosureControl(cells, groups, DEFAULT_POLICY, SHARE(kind));
      const context = `${shape} table ${t} (${kind})`;
      for (const [i, cell] of out.entries()) {
        const input = cells[i]!;
        const c = kind === 'count' ? input.denominator! - input.numerator : null;
        const small = !isPublishable(input.numerator, DEFAULT_POLICY) || (c !== null && !isPublishable(c, DEFAULT_POLICY));
        expect(cell.suppressed, `${context}: ${cell.id}`).toBe(small);
        expect(cell.reason?.kind === 'secondary', `${context}: no secondary suppression by default`).toBe(false);
        if (cell.numerator === null) continue;
        published++;
        if (cell.numerator !== input.numerator) perturbed++;
        expect(Math.abs(cell.numerator - input.numerator), context).toBeLessThanOrEqual(max);
        expect(cell.numerator === 0 || cell.numerator >= DEFAULT_POLICY.minimumCount, context).toBe(true);
        if (input.numerator === 0) expect(cell.numerator).toBe(0);
        const expected = perturbCount(input.numerator, input.numeratorKey!, DEFAULT_POLICY.minimumCount);
        expect(cell.numerator, context).toBe(kind === 'count' ? Math.min(expected, cell.denominator!) : expected);
        const d = kind === 'count' ? cell.denominator : input.denominator;
        expect(cell.value).toBe(d ? cell.numerator / d : null);
      }
    }
    // About 70% of published non-zero counts get some noise.
    expect(perturbed / published).toBeGreaterThan(0.4);
  });
});

