import { describe, expect, it } from 'vitest';
import { forSex, sexAllows } from './hospital.js';

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
