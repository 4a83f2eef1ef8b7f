import { describe, expect, it } from 'vitest';
import { EXTERNAL_CAUSES, externalCauseOf, forSex, sexAllows } from './hospital.js';

describe('sex-specific hospital diagnoses', () => {
  it.each([
    // code, men, women
    ['N40X', true, false], // benign prostatic hyperplasia
    ['C61X', true, false], // prostate cancer
    ['Q531', true, false], // undescended testis
    ['N47X', true, false],
    ['C509', false, true], // breast cancer (men under 1%: none here)
    ['D259', false, true], // uterine fibroids
    ['O800', false, true], // childbirth
    ['N390', true, true], // urinary tract infection
    ['N201', true, true], // kidney stone
    ['K409', true, true], // inguinal hernia
    ['C349', true, true],
  ])('%s: men %s, women %s', (code, men, women) => {
    expect(sexAllows(code, true)).toBe(men);
    expect(sexAllows(code, false)).toBe(women);
  });

  it('filters a list for each sex and keeps the list when nothing is removed', () => {
    const cancer = ['C349', 'C189', 'C509', 'C61X'];
    expect(forSex(cancer, true)).toEqual(['C349', 'C189', 'C61X']);
    expect(forSex(cancer, false)).toEqual(['C349', 'C189', 'C509']);
    expect(forSex(cancer, false)).toBe(forSex(cancer, false));
  });
});

describe('external causes of injuries and poisonings', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => 3_671_900_634_000 + i * 1001);

  it('gives fractures a fall (W00-W19) and benzodiazepine poisonings an accidental or undetermined cause, nothing to other diagnoses', () => {
    for (const id of ids) {
      expect(externalCauseOf('S720', id)).toMatch(/^W(0\d|1[0-9])$/);
      expect(externalCauseOf('S525', id)).toMatch(/^W(0\d|1[0-9])$/);
      expect(['X41', 'Y11']).toContain(externalCauseOf('T424', id));
      expect(externalCauseOf('I219', id)).toBe('');
    }
  });

  it('uses every cause of a list, spread over spell ids', () => {
    for (const [code, causes] of Object.entries(EXTERNAL_CAUSES)) {
      expect(new Set(ids.map((id) => externalCauseOf(code, id))), code).toEqual(new Set(causes));
      // W19 (unspecified fall) is the most common cause of a fracture, as in HES.
      if (code.startsWith('S7') || code.startsWith('S5')) {
        const w19 = ids.filter((id) => externalCauseOf(code, id) === 'W19').length / ids.length;
        expect(w19, code).toBeGreaterThan(0.3);
      }
    }
  });
});
