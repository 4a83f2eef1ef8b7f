/**
 * The NHS number: ten digits, the last a modulus 11 check digit over the first nine (weights 10
 * down to 2; check = 11 - sum mod 11, 11 becomes 0, 10 means the nine digits are never issued).
 * Held as ten digits without spaces, shown as "999 123 4567" (3-3-4).
 *
 * Synthetic people get numbers that can never belong to anyone: the test range 999 000 0000 -
 * 999 999 9999, reserved for testing and never issued. It holds 909,091 valid numbers, fewer than a
 * whole ICS, so a larger synthetic population uses 990 000 0000 - 999 999 9999 (numbers beginning 9
 * have never been issued: England, Wales and the Isle of Man issue 4xx and 6xx-7xx, Northern Ireland
 * 320-399, Scotland's CHI numbers start with a day of the month).
 */
import type { Brand } from './brand.js';
import { UserError } from '../errors/errors.js';

export type NhsNumber = Brand<string, 'NhsNumber'>;

/** The check digit of nine digits, or null when the nine digits give 10 (no valid NHS number starts with them). */
export const nhsNumberCheckDigit = (nine: string): number | null => {
  if (!/^\d{9}$/.test(nine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return check === 11 ? 0 : check;
};

/**
 * What is wrong with text as an NHS number, or null when it is one. Spaces (3-3-4 or anywhere) and
 * hyphens between digits are allowed; anything else is named.
 */
export const nhsNumberProblem = (text: string): string | null => {
  const digits = text.trim().replace(/[\s-]/g, '');
  if (digits === '') return 'an NHS number is required';
  if (!/^\d+$/.test(digits)) return 'an NHS number has only digits (and spaces)';
  if (digits.length !== 10) return `an NHS number has 10 digits, not ${digits.length}`;
  const check = nhsNumberCheckDigit(digits.slice(0, 9));
  if (check === null) return 'not a valid NHS number: its first nine digits have no check digit (modulus 11 gives 10)';
  if (check !== digits.charCodeAt(9) - 48) return `not a valid NHS number: the check digit should be ${check}`;
  return null;
};

export const isNhsNumber = (text: string): text is NhsNumber => /^\d{10}$/.test(text) && nhsNumberProblem(text) === null;

/** Parses an NHS number as people type it ("999 123 4567", "9991234567"); throws a UserError saying what is wrong. */
export const parseNhsNumber = (text: string, field = 'nhsNumber'): NhsNumber => {
  const problem = nhsNumberProblem(text);
  if (problem !== null) throw new UserError(`${field}: ${problem}`, 'invalid-input');
  const digits = text.trim().replace(/[\s-]/g, '');
  if (!isNhsNumber(digits)) throw new UserError(`${field}: not a valid NHS number`, 'invalid-input');
  return digits;
};

/** "999 123 4567". */
export const formatNhsNumber = (n: NhsNumber): string => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;

/** The NHS number whose first nine digits are `nine`, or null when those digits have no check digit. */
export const nhsNumberFromNine = (nine: string): NhsNumber | null => {
  const check = nhsNumberCheckDigit(nine);
  if (check === null) return null;
  const n = `${nine}${check}`;
  return isNhsNumber(n) ? n : null;
};

/** A range of NHS numbers by their first nine digits (inclusive). */
export interface NhsNumberRange {
  readonly name: string;
  readonly firstNine: number;
  readonly lastNine: number;
}

/** Reserved for testing, never issued: 999 000 0000 - 999 999 9999. */
export const NHS_NUMBER_TEST_RANGE: NhsNumberRange = { name: '999 000 0000 - 999 999 9999', firstNine: 999_000_000, lastNine: 999_999_999 };
/** Never issued (numbers beginning 9): for synthetic populations larger than the test range holds. */
export const NHS_NUMBER_SYNTHETIC_WIDE_RANGE: NhsNumberRange = { name: '990 000 0000 - 999 999 9999', firstNine: 990_000_000, lastNine: 999_999_999 };

export const inNhsNumberRange = (n: NhsNumber, range: NhsNumberRange): boolean => {
  const nine = Number(n.slice(0, 9));
  return nine >= range.firstNine && nine <= range.lastNine;
};

/** Whether the number is one no real person can have (the ranges synthetic people are given). */
export const isSyntheticNhsNumber = (n: NhsNumber): boolean => inNhsNumberRange(n, NHS_NUMBER_SYNTHETIC_WIDE_RANGE);
