import { describe, expect, it } from 'vitest';
import { CONDITION_KEYS, type ConditionKey } from '@openphm/core';
import { CONDITION_PARAMETERS } from '../parameters.js';
import { ageReaching, BAND_KNOTS, prevalenceCurve } from './conditions.js';
import { mortalityRatioAt } from './deaths.js';

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

describe('conditions that raise each other’s risk (riskWith, issue 15)', () => {
  it('names only conditions drawn earlier, so the other condition is known when the risk is drawn', () => {
    let pairs = 0;
    for (const [c, key] of CONDITION_KEYS.entries()) {
      for (const other of Object.keys(CONDITION_PARAMETERS[key].riskWith ?? {})) {
        pairs++;
        expect(CONDITION_KEYS.indexOf(other as ConditionKey), `${key} ← ${other}`).toBeGreaterThanOrEqual(0);
        expect(CONDITION_KEYS.indexOf(other as ConditionKey), `${key} ← ${other}`).toBeLessThan(c);
      }
    }
    expect(pairs).toBeGreaterThan(20);
  });
});

describe('mortality by years since diagnosis (issue 15)', () => {
  it('falls with the years since a cancer or heart failure diagnosis and averages the register’s hazard ratio over its make-up', () => {
    for (const [key, makeUp] of [['cancer', [0.11, 0.21, 0.68]], ['heart_failure', [0.17, 0.26, 0.57]]] as const) {
      const c = CONDITION_KEYS.indexOf(key);
      const ratios = [0.5, 3, 8].map((years) => mortalityRatioAt(c, years));
      expect(ratios[0]!).toBeGreaterThan(ratios[1]!);
      expect(ratios[1]!).toBeGreaterThanOrEqual(ratios[2]!);
      const average = makeUp.reduce((a, share, i) => a + share * ratios[i]!, 0);
      expect(average / CONDITION_PARAMETERS[key].mortalityRatio, key).toBeGreaterThan(0.95);
      expect(average / CONDITION_PARAMETERS[key].mortalityRatio, key).toBeLessThan(1.05);
    }
    // Other conditions keep their one ratio.
    expect(mortalityRatioAt(CONDITION_KEYS.indexOf('copd'), 0.5)).toBe(CONDITION_PARAMETERS.copd.mortalityRatio);
    expect(mortalityRatioAt(CONDITION_KEYS.indexOf('copd'), 8)).toBe(CONDITION_PARAMETERS.copd.mortalityRatio);
  });
});
