import { describe, expect, it } from 'vitest';
import { codeForSex, MALE_BREAST_CANCER_SHARE, sexOfCode } from './sex-codes.js';

describe('sex-specific codes', () => {
  it.each([
    ['C61X', 'M'], ['C629', 'M'], ['N40X', 'M'], ['C509', undefined], ['C56X', 'F'], ['C539', 'F'], ['N800', 'F'], ['O800', 'F'], ['C349', undefined], ['N390', undefined],
  ] as const)('%s belongs to %s', (code, sex) => expect(sexOfCode(code)).toBe(sex));

  it('replaces a code of the other sex’s organs and keeps the rest', () => {
    expect(codeForSex('C61X', false, 70, 0.9)).toBe('C509');
    expect(codeForSex('C56X', true, 70, 0.5)).toBe('C61X');
    expect(codeForSex('C539', true, 40, 0.5)).toBe('C189');
    expect(codeForSex('N40X', false, 70, 0.5)).toBe('N390');
    expect(codeForSex('C349', true, 70, 0.5)).toBe('C349');
    expect(codeForSex('C61X', true, 70, 0.5)).toBe('C61X');
  });

  it('keeps breast cancer for about 1 man in 100 drawn with it', () => {
    expect(codeForSex('C509', true, 70, MALE_BREAST_CANCER_SHARE / 2)).toBe('C509');
    expect(codeForSex('C509', true, 70, 0.5)).toBe('C61X');
    expect(codeForSex('C509', false, 70, 0.001)).toBe('C509');
  });
});
