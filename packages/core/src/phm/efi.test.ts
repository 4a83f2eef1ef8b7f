import { describe, expect, it } from 'vitest';
import type { ConditionKey } from '../codelists/conditions.js';
import { efiEvidenceText, efiOf } from './efi.js';

const of = (codes: string[], conditions: ConditionKey[], sections = 0) => efiOf({ codes: new Set(codes), conditions: new Set(conditions), medicineSections12m: sections });

describe('efiOf', () => {
  it.each<[string, string[], ConditionKey[], number, string[], string]>([
    ['nothing', [], [], 0, [], 'fit'],
    ['falls and housebound', ['161898004', '160689007'], [], 0, ['falls', 'housebound'], 'fit'],
    // Asthma and COPD are one deficit (respiratory disease); hypertension is one.
    ['asthma, COPD and hypertension', [], ['asthma', 'copd', 'hypertension'], 0, ['hypertension', 'respiratory_disease'], 'fit'],
    ['polypharmacy at 5 sections, not at 4', [], [], 5, ['polypharmacy'], 'fit'],
    ['4 sections', [], [], 4, [], 'fit'],
    ['a code not in the eFI', ['195967001'], [], 0, [], 'fit'],
    [
      'five deficits: mild (5/36 = 0.139)',
      ['161898004', '8510008', '15188001'],
      ['diabetes', 'heart_failure'],
      0,
      ['diabetes', 'falls', 'hearing_impairment', 'heart_failure', 'mobility_transfer_problems'],
      'mild',
    ],
  ])('%s', (_label, codes, conditions, sections, keys, category) => {
    const r = of(codes, conditions, sections);
    expect(r.deficits.map((d) => d.key)).toEqual(keys);
    expect(r.efi).toBeCloseTo(keys.length / 36, 10);
    expect(r.category).toBe(category);
    expect(r.of).toBe(36);
  });

  it('names the evidence for each deficit', () => {
    const r = of(['161898004'], ['diabetes'], 7);
    expect(r.deficits.map((d) => efiEvidenceText(d.evidence))).toEqual(['On the Diabetes register', 'Falls recorded', '7 medicine groups (BNF sections) issued in 12 months (5 or more)']);
  });
});
