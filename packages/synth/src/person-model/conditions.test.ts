import { describe, expect, it } from 'vitest';
import { ageReaching, BAND_KNOTS, prevalenceCurve } from './conditions.js';

describe('prevalence curves', () => {
  const curve = prevalenceCurve([0, 0.01, 0.02, 0.04, 0.08, 0.12, 0.1, 0.06], 18);

  it('passes through each band’s figure at its knot, is 0 before the youngest age and flat after 90', () => {
    BAND_KNOTS.slice(1).forEach((age, i) => expect(curve.at[Math.round(age * 10)]).toBeCloseTo([0.01, 0.02, 0.04, 0.08, 0.12, 0.1, 0.06][i]!, 10));
    expect(curve.at[170]).toBe(0);
    expect(curve.at[1000]).toBeCloseTo(0.06, 10);
  });

  it('never lets the chance of diagnosis by an age fall (its running maximum)', () => {
    for (let i = 1; i < curve.byAge.length; i++) expect(curve.byAge[i]!).toBeGreaterThanOrEqual(curve.byAge[i - 1]!);
    expect(curve.byAge[900]).toBeCloseTo(0.12, 10);
  });

  it('inverts the running maximum: the age at which it first reaches a chance', () => {
    for (const q of [0.005, 0.03, 0.06, 0.11]) {
      const age = ageReaching(curve, q);
      expect(curve.byAge[Math.floor(age * 10) + 1]!).toBeGreaterThanOrEqual(q);
      expect(curve.byAge[Math.floor(age * 10) - 1]!).toBeLessThanOrEqual(q);
    }
    expect(ageReaching(curve, 0.04)).toBeCloseTo(50, 0);
  });
});
