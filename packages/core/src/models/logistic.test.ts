import { describe, expect, it } from 'vitest';
import { Random } from '../random/prng.js';
import { calibrationByDecile, cStatistic, fitLogistic, predictLogistic } from './logistic.js';

describe('logistic regression', () => {
  it('recovers known coefficients from simulated data', () => {
    const rng = Random.fromKey('logistic-test');
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = rng.normal();
      const b = rng.next() < 0.3 ? 1 : 0;
      rows.push([a, b]);
      y.push(rng.next() < 1 / (1 + Math.exp(-(-2 + 0.8 * a + 1.2 * b))) ? 1 : 0);
    }
    const model = fitLogistic(['a', 'b'], rows, y, { ridge: 0 });
    // Back-transform standardised coefficients to the original scale.
    const slopeA = model.coefficients[1]! / model.sds[0]!;
    const slopeB = model.coefficients[2]! / model.sds[1]!;
    // Within about three standard errors of the truth.
    expect(Math.abs(slopeA - 0.8)).toBeLessThan(0.08);
    expect(Math.abs(slopeB - 1.2)).toBeLessThan(0.15);
    const predictions = rows.map((r) => predictLogistic(model, r));
    expect(cStatistic(predictions, y)).toBeGreaterThan(0.7);
    const bins = calibrationByDecile(predictions, y);
    expect(bins).toHaveLength(10);
    for (const bin of bins) expect(Math.abs(bin.meanPredicted - bin.observed)).toBeLessThan(0.04);
  });

  it.each([
    [[0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75],
    [[0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], 1],
    [[0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0.5],
  ])('C-statistic of %j with outcomes %j is %d', (p, y, c) => {
    expect(cStatistic(p, y)).toBeCloseTo(c, 10);
  });

  it('converges when a rare flag has a strong effect (step-halving)', () => {
    // 25,203 rows; a flag on 117 people of whom 48 have the outcome, about 7% otherwise.
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 25203; i++) {
      const flag = i < 117 ? 1 : 0;
      rows.push([flag]);
      y.push(flag ? (i < 48 ? 1 : 0) : i % 100 < 7 ? 1 : 0);
    }
    const model = fitLogistic(['flag'], rows, y, { ridge: 1e-4 });
    expect(model.iterations).toBeLessThan(50);
    expect(predictLogistic(model, [1])).toBeCloseTo(48 / 117, 2);
    expect(predictLogistic(model, [0])).toBeCloseTo(0.07, 2);
  });

  it('refuses an outcome that never happens', () => {
    expect(() => fitLogistic(['a'], [[1], [2], [3], [4]], [0, 0, 0, 0])).toThrow('the outcome never (or always) happens');
  });
});
