import { describe, expect, it } from 'vitest';
import { createResultCache } from './cache.js';
import { toCsv } from './csv.js';
import { dissolve, simplifyLine, simplifyRing } from './data/boundaries.js';
import { loggableUrl } from './server.js';

describe('toCsv', () => {
  it('quotes when needed, empties nulls and defuses formulas', () => {
    expect(toCsv(['a', 'b'], [['x,y', null], ['say "hi"', 3], ['=SUM(A1)', -2]])).toBe('a,b\r\n"x,y",\r\n"say ""hi""",3\r\n\'=SUM(A1),-2\r\n');
  });
});

describe('createResultCache', () => {
  it('computes once per key and version, drops old versions, forgets failures', async () => {
    const cache = createResultCache(2);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get('e', { a: 1, b: undefined }, 'v1', compute)).toBe(1);
    expect(await cache.get('e', { a: 1 }, 'v1', compute)).toBe(1);
    expect(await cache.get('e', { a: 2 }, 'v1', compute)).toBe(2);
    expect(await cache.get('e', { a: 1 }, 'v2', compute)).toBe(3);
    expect(cache.size).toBe(1);
    await expect(cache.get('e', { a: 9 }, 'v2', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await cache.get('e', { a: 9 }, 'v2', compute)).toBe(4);
    // At most two entries: the least recently used goes.
    await cache.get('e', { a: 10 }, 'v2', compute);
    expect(cache.size).toBe(2);
  });
});

describe('boundaries', () => {
  const square = (x: number, y: number, s = 1): [number, number][] => [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ];

  it('simplifies a line but keeps its ends and its corners', () => {
    const line: [number, number][] = [
      [0, 0],
      [1, 0.00001],
      [2, 0],
      [2, 1],
    ];
    expect(simplifyLine(line, 0.001)).toEqual([
      [0, 0],
      [2, 0],
      [2, 1],
    ]);
  });

  it('simplifies and rounds rings, keeping them closed', () => {
    const ring = simplifyRing([[0, 0], [0.5, 0.000001], [1, 0], [1, 1], [0, 1], [0, 0]], 0.001, 4)!;
    expect(ring).toEqual([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(simplifyRing([[0, 0], [0.00001, 0], [0, 0.00001], [0, 0]], 0.001, 4)).toBeNull();
  });

  it('dissolves adjacent squares into one outline, and keeps a hole', () => {
    const two = dissolve([[square(0, 0)], [square(1, 0)]]);
    expect(two).toHaveLength(1);
    expect(two[0]).toHaveLength(1);
    const xs = two[0]![0]!.map((p) => p[0]);
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(2);
    // A ring of 8 unit squares around a missing centre: one polygon with one hole.
    const around = [0, 1, 2].flatMap((x) => [0, 1, 2].filter((y) => !(x === 1 && y === 1)).map((y) => [square(x, y)]));
    const ring = dissolve(around);
    expect(ring).toHaveLength(1);
    expect(ring[0]).toHaveLength(2);
    // Separate areas stay separate polygons.
    expect(dissolve([[square(0, 0)], [square(5, 5)]])).toHaveLength(2);
  });
});

describe('loggableUrl', () => {
  it('hides person ids and query strings', () => {
    expect(loggableUrl('/api/people/123?x=1')).toBe('/api/people/:personId');
    expect(loggableUrl('/api/population/summary?area=lsoa:E01011229')).toBe('/api/population/summary');
  });
});
