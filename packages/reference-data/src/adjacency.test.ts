import { describe, expect, it } from 'vitest';
import { buildAdjacency, connectedComponents, connectIslands, isConnected, projectToKm, type AreaShape } from './adjacency.js';
import type { Position } from './boundaries.js';

const cell = (r: number, c: number) => `r${r}c${c}`;
const square = (x: number, y: number, size = 1): Position[] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];

/** A rows × cols grid of 0.01° squares; every other square is shifted east by `jitter` degrees. */
const grid = (rows: number, cols: number, jitter = 0): AreaShape[] => {
  const out: AreaShape[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const ring = square(-2 + c * 0.01, 53 + r * 0.01, 0.01).map(([x, y]) => [x + ((r + c) % 2) * jitter, y] as const);
      out.push({ code: cell(r, c), polygons: [[ring]] });
    }
  }
  return out;
};

describe('buildAdjacency', () => {
  it('links squares that share an edge (rook contiguity)', () => {
    const adj = buildAdjacency(grid(3, 3));
    expect(adj.get(cell(1, 1))).toEqual([cell(0, 1), cell(1, 0), cell(1, 2), cell(2, 1)]);
    expect(adj.get(cell(0, 0))).toEqual([cell(0, 1), cell(1, 0)]);
    expect([...adj.keys()]).toHaveLength(9);
  });

  it('also links corner-touching squares in vertex mode (queen contiguity)', () => {
    const adj = buildAdjacency(grid(3, 3), { mode: 'vertex' });
    expect(adj.get(cell(1, 1))).toHaveLength(8);
    expect(adj.get(cell(0, 0))).toEqual([cell(0, 1), cell(1, 0), cell(1, 1)]);
  });

  it('matches vertices after rounding to the precision', () => {
    expect(buildAdjacency(grid(2, 2, 2e-7)).get(cell(0, 0))).toEqual([cell(0, 1), cell(1, 0)]);
    expect(buildAdjacency(grid(2, 2, 3e-6)).get(cell(0, 0))).toEqual([]);
  });

  it('does not link a square sharing only a partial, unmatched edge', () => {
    // A 2-wide square on top of two unit squares: its bottom edge is one segment, theirs are two.
    const areas: AreaShape[] = [
      { code: 'a', polygons: [[square(0, 0)]] },
      { code: 'b', polygons: [[square(1, 0)]] },
      { code: 'top', polygons: [[square(0, 1, 2)]] },
    ];
    expect(buildAdjacency(areas).get('top')).toEqual([]);
    expect(buildAdjacency(areas, { mode: 'vertex' }).get('top')).toEqual(['a', 'b']);
  });
});

describe('components and islands', () => {
  const areas = [...grid(2, 2), { code: 'island', polygons: [[square(-1.9, 53, 0.01)]] }];
  const adjacency = buildAdjacency(areas);
  const centroids = new Map<string, readonly [number, number]>([
    [cell(0, 0), [-1.995, 53.005]],
    [cell(0, 1), [-1.985, 53.005]],
    [cell(1, 0), [-1.995, 53.015]],
    [cell(1, 1), [-1.985, 53.015]],
    ['island', [-1.895, 53.005]],
  ]);

  it('finds components, largest first', () => {
    expect(connectedComponents(centroids.keys(), adjacency)).toEqual([[cell(0, 0), cell(0, 1), cell(1, 0), cell(1, 1)], ['island']]);
    expect(isConnected([cell(0, 0), cell(1, 1)], adjacency)).toBe(false);
  });

  it('links an island to the nearest area by centroid', () => {
    const { adjacency: linked, links } = connectIslands([...centroids.keys()], adjacency, centroids);
    expect(links.map((l) => [l.from, l.to])).toEqual([['island', cell(0, 1)]]);
    expect(links[0]!.distanceKm).toBeCloseTo(0.09 * 111.195 * Math.cos((53.009 * Math.PI) / 180), 1);
    expect(linked.get('island')).toEqual([cell(0, 1)]);
    expect(linked.get(cell(0, 1))).toContain('island');
    expect(isConnected(centroids.keys(), linked)).toBe(true);
    expect(adjacency.get('island')).toEqual([]); // input untouched
  });

  it('projects lon/lat to km', () => {
    const [x0, y0] = projectToKm([-1.5, 53.8], 53.8);
    const [x1, y1] = projectToKm([-1.4, 53.9], 53.8);
    expect(y1 - y0).toBeCloseTo(11.12, 2);
    expect(x1 - x0).toBeCloseTo(6.57, 2);
  });
});
