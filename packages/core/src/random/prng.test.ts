import { describe, expect, it } from 'vitest';
import { Random, hashString, mix32 } from './prng.js';

describe('Random', () => {
  it('gives the same sequence for the same key and a different one for another key', () => {
    const a = Random.fromKey('seed-1/E01010568');
    const b = Random.fromKey('seed-1/E01010568');
    const c = Random.fromKey('seed-2/E01010568');
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws uniforms in [0,1) with the right mean, and normals with mean 0 and sd 1', () => {
    const r = Random.fromKey('moments');
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('fillNormal gives the same normals, in the same order, as normal(), and leaves the same state', () => {
    for (const split of [[0, 7], [1, 6, 13], [2, 1, 4, 0, 9]]) {
      const one = Random.fromKey('fill');
      const batch = Random.fromKey('fill');
      const expected: number[] = [];
      const got: number[] = [];
      for (const count of split) {
        // An odd count leaves the spare of a pair for the next call, as normal() does.
        for (let i = 0; i < count; i++) expected.push(one.normal());
        const out = new Float64Array(count + 2).fill(99);
        batch.fillNormal(out, 1, 1 + count);
        expect(out[0]).toBe(99);
        expect(out[count + 1]).toBe(99);
        got.push(...out.subarray(1, 1 + count));
      }
      expect(got).toEqual(expected);
      expect(batch.normal()).toBe(one.normal());
      expect(batch.nextUint32()).toBe(one.nextUint32());
    }
  });

  it('draws Poisson counts with the requested mean', () => {
    const r = Random.fromKey('poisson');
    for (const mean of [0.3, 4, 50]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += r.poisson(mean);
      expect(sum / 20_000).toBeCloseTo(mean, mean < 1 ? 1 : 0);
    }
    expect(r.poisson(0)).toBe(0);
  });

  it('picks from cumulative weights in proportion', () => {
    const r = Random.fromKey('pick');
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.pickCumulative([1, 1, 4])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 30_000).toBeCloseTo(0.25, 1);
  });
});

describe('mix32 and hashString', () => {
  it('mix32 is one-to-one over a range of counters', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(mix32(i, 12345));
    expect(seen.size).toBe(200_000);
  });
  it('hashString is stable', () => {
    expect(hashString('openphm')).toEqual(hashString('openphm'));
    expect(hashString('openphm')).not.toEqual(hashString('openphn'));
  });
});
