/**
 * What a local account's password must be: long enough, not one of the passwords people use most,
 * and not a repetition or a run of one character, pattern or sequence (`aaaaaaaaaa`, `abababab12`,
 * `1234567890`). The common passwords are the list zxcvbn-ts ships (`@zxcvbn-ts/language-common`:
 * its `passwords` dictionary, about 30,000 passwords ranked by how often they appear in breaches).
 * Checked where a password is set (accounts created by an admin, the demo and first-start accounts).
 */
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import { UserError } from '@openphm/core';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

let common: Set<string> | undefined;
const commonPasswords = (): Set<string> => (common ??= new Set((zxcvbnCommon.dictionary.passwords as string[]).map((p) => p.toLowerCase())));

/** The shortest unit that, repeated, makes up the text ('abab' → 'ab'). */
const repeatedUnit = (s: string): string => {
  for (let n = 1; n <= s.length / 2; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) return s.slice(0, n);
  }
  return s;
};

/** Whether every character is the one before it plus (or minus) one: `abcdef`, `98765`. */
const isSequence = (s: string): boolean => {
  if (s.length < 3) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
};

/** Why a password is refused, or null when it is acceptable. `email` is the account's (a password may not contain it). */
export const passwordProblem = (password: string, email?: string): string | null => {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const compact = lower.replace(/[\s._-]+/g, '');
  if (new Set(lower).size < 4) return 'this password repeats too few different characters: choose a longer phrase';
  // Also with digits or symbols added at the end ('abababab12', 'password123!').
  const stem = lower.replace(/[^a-z]+$/, '');
  for (const s of stem.length >= 6 ? [compact, stem] : [compact]) {
    if (repeatedUnit(s).length <= s.length / 2) return 'this password is a repeated pattern: choose a longer phrase';
    if (isSequence(s)) return 'this password is a sequence of characters: choose a longer phrase';
  }
  if (commonPasswords().has(lower) || commonPasswords().has(compact) || (stem.length >= 4 && commonPasswords().has(stem))) {
    return 'this is one of the most common passwords: choose another';
  }
  const local = email?.trim().toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'a password may not contain the account\'s email name';
  return null;
};

/** Throws a usage error (400) naming the problem when the password is not acceptable. */
export const checkPassword = (password: string, email?: string): void => {
  const problem = passwordProblem(password, email);
  if (problem !== null) throw new UserError(problem);
};
