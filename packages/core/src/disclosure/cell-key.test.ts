import { describe, expect, it } from 'vitest';
import { InternalError } from '../errors/errors.js';
import { KEY_SPACE, OPENPHM_PTABLE_1, addKeys, cellKeyFromSum, cellKeyOf, checkPerturbationTable, maxPerturbation, perturbCount, perturbation, possibleTrueCounts } from './cell-key.js';

const keys = Array.from({ length: KEY_SPACE }, (_, k) => k);
/** The noise a count gets over every cell key: what an attacker who does not know the key faces. */
const noiseDistribution = (n: number, floor: number): Map<number, number> => {
  const out = new Map<number, number>();
  for (const k of keys) {
    const d = perturbation(n, k, floor);
    out.set(d, (out.get(d) ?? 0) + 1);
  }
  return out;
};
const mean = (dist: Map<number, number>) => [...dist].reduce((a, [d, w]) => a + d * w, 0) / KEY_SPACE;
const variance = (dist: Map<number, number>) => [...dist].reduce((a, [d, w]) => a + d * d * w, 0) / KEY_SPACE - mean(dist) ** 2;

describe('cell keys', () => {
  it('add modulo 256, so the key of a union of disjoint sets is the sum of their keys', () => {
    expect(cellKeyOf([200, 100, 3])).toBe(47);
    expect(addKeys(cellKeyOf([200]), cellKeyOf([100, 3]))).toBe(47);
    expect(cellKeyOf([])).toBe(0);
    expect(cellKeyFromSum(303)).toBe(47);
    expect(cellKeyFromSum(303n)).toBe(47);
  });

  it('rejects keys that are not whole non-negative numbers', () => {
    expect(() => cellKeyOf([1.5])).toThrow(InternalError);
    expect(() => addKeys(-1, 3)).toThrow(InternalError);
  });
});

describe('OPENPHM_PTABLE_1', () => {
  it('is a valid table: symmetric weights summing to 256, noise at most ±5', () => {
    expect(checkPerturbationTable(OPENPHM_PTABLE_1)).toBe(OPENPHM_PTABLE_1);
    expect(maxPerturbation()).toBe(5);
    expect(() => checkPerturbationTable({ id: 'bad', weights: [1, 254, 2] })).toThrow(/symmetric/);
  });

  it.each([
    // count, floor, largest noise, variance (people squared)
    [13, 8, 5, 2.594],
    [1000, 8, 5, 2.594],
    [12, 8, 4, 2.398],
    [10, 8, 2, 1.195],
    [9, 8, 1, 0.383],
    [8, 8, 0, 0],
    [3, 0, 3, 1.898],
    [1, 0, 1, 0.383],
  ])('a count of %i above a floor of %i gets noise of at most ±%i, mean 0 and variance %f', (n, floor, max, v) => {
    const dist = noiseDistribution(n, floor);
    expect(Math.max(...[...dist.keys()].map(Math.abs))).toBe(max);
    expect(mean(dist)).toBeCloseTo(0, 12);
    expect(variance(dist)).toBeCloseTo(v, 2);
    for (const k of keys) expect(perturbCount(n, k, floor)).toBeGreaterThanOrEqual(floor);
  });

  it('never perturbs zero, and refuses a count below its floor', () => {
    for (const k of keys) expect(perturbation(0, k, 8)).toBe(0);
    expect(() => perturbation(5, 0, 8)).toThrow(/below its floor/);
  });

  it('gives the same count and key the same noise every time, and reads the key as a position in the table', () => {
    expect(perturbation(500, 0, 8)).toBe(-5);
    expect(perturbation(500, 1, 8)).toBe(-4);
    expect(perturbation(500, 128, 8)).toBe(0);
    expect(perturbation(500, 255, 8)).toBe(5);
    expect(perturbation(500, 77, 8)).toBe(perturbation(500, 77, 8));
  });

  it('leaves an attacker who sees a published count several possible true counts', () => {
    expect(possibleTrueCounts(100, 8)).toEqual([95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105]);
    expect(possibleTrueCounts(8, 8)).toEqual([8, 9, 10, 11, 12, 13]);
    expect(possibleTrueCounts(0, 8)).toEqual([0]);
  });
});
