import { describe, expect, it } from 'vitest';
import { quantile, spineOf } from './spine.js';

describe('spine charts', () => {
  it.each([
    [[1, 2, 3, 4, 5], 0.25, 2],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.75, 3.25],
    [[7], 0.25, 7],
  ])('quantile of %j at %d is %d (type 7, as R)', (sorted, p, q) => {
    expect(quantile(sorted, p)).toBeCloseTo(q, 12);
  });

  it('puts the worst on the left and the best on the right, whichever way is better', () => {
    // Smoking (lower is better) across six places, the ICS at 16.
    const smoking = spineOf([14, 20, 18, null, 12, 16], 'lower-is-better', 16)!;
    expect([smoking.worst, smoking.best, smoking.areas]).toEqual([20, 12, 5]);
    expect([smoking.q25, smoking.median, smoking.q75]).toEqual([18, 16, 14]);
    expect(smoking.position(16)).toBe(0.5);
    expect(smoking.position(20)).toBe(0);
    expect(smoking.position(12)).toBe(1);
    expect(smoking.position(18)).toBeCloseTo(0.25, 12);
    // Life expectancy (higher is better).
    const le = spineOf([80, 82, 84], 'higher-is-better', 82)!;
    expect([le.worst, le.best]).toEqual([80, 84]);
    expect([le.position(80), le.position(82), le.position(84)]).toEqual([0, 0.5, 1]);
  });

  it('keeps the scale symmetric about the benchmark and clamps values outside it', () => {
    const s = spineOf([10, 11, 30], 'higher-is-better', 12)!;
    // The furthest value (30, 18 above) sets the reach: 10 is 2 below, at 0.5 - 2/36.
    expect(s.position(10)).toBeCloseTo(0.5 - 2 / 36, 12);
    expect(s.position(30)).toBe(1);
    expect(s.position(100)).toBe(1);
    expect(s.position(-100)).toBe(0);
  });

  it('centres on the median without a benchmark, and needs at least three published values', () => {
    expect(spineOf([1, 2, 9], 'no-judgement', null)!.position(2)).toBe(0.5);
    expect(spineOf([1, null, 9], 'higher-is-better', 5)).toBeNull();
    expect(spineOf([4, 4, 4], 'higher-is-better', 4)!.position(4)).toBe(0.5);
  });
});
