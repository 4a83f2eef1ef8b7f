import { describe, expect, it } from 'vitest';
import { isConnected } from './adjacency.js';
import { partitionNeighbourhoods, type PartitionArea } from './partition.js';

const id = (r: number, c: number) => `r${String(r).padStart(2, '0')}c${String(c).padStart(2, '0')}`;

/** A rows × cols grid of areas with rook adjacency; weight(r, c) gives the population. */
const grid = (rows: number, cols: number, weight: (r: number, c: number) => number) => {
  const areas: PartitionArea[] = [];
  const adjacency = new Map<string, string[]>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      areas.push({ code: id(r, c), weight: weight(r, c), x: c, y: r });
      const next = [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]] as const;
      adjacency.set(id(r, c), next.filter(([a, b]) => a >= 0 && a < rows && b >= 0 && b < cols).map(([a, b]) => id(a, b)));
    }
  }
  return { areas, adjacency };
};

const sizes = (groups: string[][], areas: readonly PartitionArea[]) => {
  const weight = new Map(areas.map((a) => [a.code, a.weight]));
  return groups.map((g) => g.reduce((s, code) => s + weight.get(code)!, 0));
};

// LSOA-like populations: 1,200-2,400, varying smoothly and deterministically.
const lsoaLike = (r: number, c: number) => 1200 + ((r * 7 + c * 13 + r * c) % 13) * 100;

describe('partitionNeighbourhoods on a synthetic grid', () => {
  const { areas, adjacency } = grid(16, 16, lsoaLike);
  const total = areas.reduce((s, a) => s + a.weight, 0);

  it.each([1, 2, 3, 4, 5, 7, 9, 12, 19])('%d groups: every area once, contiguous, balanced', (k) => {
    const groups = partitionNeighbourhoods(areas, adjacency, k);
    expect(groups).toHaveLength(k);
    expect(groups.flat().sort()).toEqual(areas.map((a) => a.code).sort());
    for (const g of groups) expect(isConnected(g, adjacency)).toBe(true);
    const mean = total / k;
    // Within about one area of the mean (areas weigh up to 2,400).
    for (const size of sizes(groups, areas)) expect(Math.abs(size - mean)).toBeLessThanOrEqual(2400);
  });

  it('is deterministic and independent of input order', () => {
    const first = partitionNeighbourhoods(areas, adjacency, 7);
    const shuffled = [...areas].sort((a, b) => ((a.weight * 31 + a.x) % 17) - ((b.weight * 31 + b.x) % 17) || (a.code < b.code ? 1 : -1));
    expect(partitionNeighbourhoods(shuffled, adjacency, 7)).toEqual(first);
    expect(partitionNeighbourhoods(areas, adjacency, 7)).toEqual(first);
  });

  it('returns each group sorted by code', () => {
    for (const g of partitionNeighbourhoods(areas, adjacency, 5)) expect(g).toEqual([...g].sort());
  });
});

describe('partitionNeighbourhoods shapes and bounds', () => {
  it('keeps both sides connected around a cut vertex (a dumbbell)', () => {
    // Two 3x3 blocks joined by a single bridge area.
    const { areas, adjacency } = grid(3, 7, () => 1);
    const keep = areas.filter((a) => a.x !== 3 || a.y === 1);
    const codes = new Set(keep.map((a) => a.code));
    const adj = new Map([...adjacency].filter(([c]) => codes.has(c)).map(([c, n]) => [c, n.filter((x) => codes.has(x))]));
    const groups = partitionNeighbourhoods(keep, adj, 2);
    for (const g of groups) expect(isConnected(g, adj)).toBe(true);
    expect(sizes(groups, keep).sort((a, b) => a - b)).toEqual([9, 10]);
  });

  it('moves boundary areas to respect size bounds where single moves allow', () => {
    const weights = [5, 9, 2, 4, 8, 6, 5, 1, 3, 3, 1, 5, 8, 7, 8, 4, 2, 8, 1, 6];
    const { areas, adjacency } = grid(4, 5, (r, c) => weights[r * 5 + c]!);
    const bounds = { min: 28, max: 36 };
    const inBounds = (s: number[]) => s.every((x) => x >= bounds.min && x <= bounds.max);
    expect(inBounds(sizes(partitionNeighbourhoods(areas, adjacency, 3), areas))).toBe(false);
    const groups = partitionNeighbourhoods(areas, adjacency, 3, { bounds });
    expect(inBounds(sizes(groups, areas))).toBe(true);
    for (const g of groups) expect(isConnected(g, adjacency)).toBe(true);
  });

  it('rejects impossible requests', () => {
    const { areas, adjacency } = grid(2, 2, () => 1);
    expect(() => partitionNeighbourhoods(areas, adjacency, 0)).toThrow(/positive whole number/);
    expect(() => partitionNeighbourhoods(areas, adjacency, 5)).toThrow(/cannot make 5 groups from 4 areas/);
    const split = new Map([...adjacency].map(([c]) => [c, [] as string[]]));
    expect(() => partitionNeighbourhoods(areas, split, 2)).toThrow(/not connected/);
  });
});
