import { describe, expect, it } from 'vitest';
import { perturbCount } from '../disclosure/cell-key.js';
import { meanStep, publishMean, publishStatistic } from './statistic.js';

describe('publishStatistic', () => {
  it.each([
    [0.123456, 0.12],
    [-1.005, -1],
    [-0.001, 0],
    [2.5, 2.5],
    [null, null],
    [Number.NaN, null],
  ])('%s is published as %s', (value, published) => {
    expect(publishStatistic(value)).toBe(published);
  });

});

describe('publishMean', () => {
  it.each([
    [10, 0.2],
    [15, 0.1],
    [30, 0.05],
    [60, 0.02],
    [105, 0.01],
    [5000, 0.01],
    [4, 1],
  ])('a mean over a published %i people is published to steps of %f', (n, step) => {
    expect(meanStep(n)).toBe(step);
  });

  it('is withheld with the count it is over', () => {
    expect(publishMean(2.5, null)).toBeNull();
  });

  it('cannot be solved for the number of people behind it: every size the published count allows fits', () => {
    // Full precision gives the size away: 37/13 = 2.846153… is a ratio of whole numbers over 13 and no other size from 8 to 18.
    const exact = [];
    for (let n = 8; n <= 18; n++) if (Math.abs(Math.round((37 / 13) * n) / n - 37 / 13) < 1e-12) exact.push(n);
    expect(exact).toEqual([13]);
    // Published: the size perturbed by its cell key, the mean to the step that size allows.
    for (let key = 0; key < 256; key += 17) {
      for (const [total, n] of [[37, 13], [29, 11], [460, 230], [91, 57]] as const) {
        const published = perturbCount(n, key, 8);
        const mean = publishMean(total / n, published as never)!;
        const step = meanStep(published);
        const candidates = [];
        for (let m = Math.max(8, published - 5); m <= published + 5; m++) {
          // Some whole total S has S / m rounding to the published mean.
          const s = Math.round(mean * m);
          const fits = [s - 1, s, s + 1].some((x) => Math.abs(Math.round(x / m / step) * step - mean) < 1e-9);
          if (fits) candidates.push(m);
        }
        expect(candidates.length, `n ${n}, published ${published}, mean ${mean}`).toBe(Math.min(11, published + 5 - Math.max(8, published - 5) + 1));
      }
    }
  });
});
