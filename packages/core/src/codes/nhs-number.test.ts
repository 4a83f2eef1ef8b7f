import { describe, expect, it } from 'vitest';
import {
  formatNhsNumber,
  isNhsNumber,
  isSyntheticNhsNumber,
  nhsNumberCheckDigit,
  nhsNumberFromNine,
  nhsNumberProblem,
  NHS_NUMBER_TEST_RANGE,
  inNhsNumberRange,
  parseNhsNumber,
} from './nhs-number.js';

describe('the modulus 11 check digit', () => {
  it.each([
    ['943476591', 9],
    ['900000000', 9],
    ['401023213', 7],
    ['999000001', 8],
    ['999000002', 6],
    ['999000003', 4],
    ['990000000', 5],
    ['999999999', 9],
    // 11 - (sum mod 11) = 10: no valid number starts with these digits.
    ['999000000', null],
    ['123456789', null],
    ['999123456', null],
    // Not nine digits.
    ['94347659', null],
    ['94347659a', null],
  ])('%s -> %s', (nine, check) => {
    expect(nhsNumberCheckDigit(nine)).toBe(check);
  });

  it('gives 0 when the remainder is 0 (11 - 0 = 11 becomes 0)', () => {
    // 000000062: 6*3 + 2*2 = 22, a multiple of 11.
    expect(nhsNumberCheckDigit('000000062')).toBe(0);
  });
});

describe('checking an NHS number as typed', () => {
  it.each([
    ['9434765919', null],
    ['943 476 5919', null],
    ['  943-476-5919 ', null],
    ['9990000018', null],
    ['9434765918', 'the check digit should be 9'],
    ['9990000000', 'modulus 11 gives 10'],
    ['943476591', 'has 10 digits, not 9'],
    ['94347659190', 'has 10 digits, not 11'],
    ['943476591X', 'only digits'],
    ['', 'is required'],
    ['   ', 'is required'],
  ])('%j -> %s', (text, problem) => {
    const found = nhsNumberProblem(text);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it.each([
    ['943 476 5919', '9434765919'],
    ['9990000018', '9990000018'],
  ])('parses %j as %s', (text, digits) => {
    expect(parseNhsNumber(text)).toBe(digits);
  });

  it('refuses a wrong number naming the field', () => {
    expect(() => parseNhsNumber('9434765918', 'nhs_number')).toThrow("nhs_number: not a valid NHS number: the check digit should be 9");
  });

  it.each([
    ['9434765919', true],
    ['943 476 5919', false], // the held form has no spaces
    ['9434765918', false],
  ])('isNhsNumber(%j) = %s', (text, expected) => {
    expect(isNhsNumber(text)).toBe(expected);
  });
});

describe('formatting and ranges', () => {
  it('formats 3-3-4', () => {
    expect(formatNhsNumber(parseNhsNumber('9434765919'))).toBe('943 476 5919');
  });

  it.each([
    ['999000001', '9990000018'],
    ['999000000', null],
  ])('the number from nine digits %s is %s', (nine, number) => {
    expect(nhsNumberFromNine(nine)).toBe(number);
  });

  it.each([
    ['9990000018', true, true],
    ['9999999999', true, true],
    ['9900000005', false, true],
    ['9434765919', false, false],
    ['4010232137', false, false],
  ])('%s: in the test range %s, synthetic %s', (text, test, synthetic) => {
    const n = parseNhsNumber(text);
    expect(inNhsNumberRange(n, NHS_NUMBER_TEST_RANGE)).toBe(test);
    expect(isSyntheticNhsNumber(n)).toBe(synthetic);
  });
});
