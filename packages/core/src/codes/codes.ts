import type { Brand } from './brand.js';
import { UserError } from '../errors/errors.js';

export type LsoaCode = Brand<string, 'LsoaCode'>;
export type LadCode = Brand<string, 'LadCode'>;
export type OdsPracticeCode = Brand<string, 'OdsPracticeCode'>;
export type OdsPcnCode = Brand<string, 'OdsPcnCode'>;
export type SnomedCode = Brand<string, 'SnomedCode'>;
export type Icd10Code = Brand<string, 'Icd10Code'>;
export type BnfCode = Brand<string, 'BnfCode'>;

interface CodeSystem<T extends string> {
  readonly name: string;
  readonly is: (value: string) => value is T;
  /** Throws a UserError naming the code system when `value` is not a valid code. */
  readonly parse: (value: string) => T;
}

const codeSystem = <T extends string>(name: string, test: (value: string) => boolean): CodeSystem<T> => {
  const is = (value: string): value is T => test(value);
  return {
    name,
    is,
    parse: (value: string): T => {
      if (!is(value)) throw new UserError(`'${value}' is not a valid ${name}`, 'invalid-input');
      return value;
    },
  };
};

// Verhoeff check digit, used by SNOMED CT identifiers (SCTIDs).
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

export const verhoeffValid = (digits: string): boolean => {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) {
    const d = digits.charCodeAt(n - 1 - i) - 48;
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return c === 0;
};

export const Lsoa = codeSystem<LsoaCode>('LSOA 2011 code', (v) => /^E01\d{6}$/.test(v));
export const Lad = codeSystem<LadCode>('local authority district code', (v) => /^E0[6-9]\d{6}$/.test(v));
export const OdsPractice = codeSystem<OdsPracticeCode>('ODS GP practice code', (v) => /^[A-Z]\d{5}$/.test(v));
export const OdsPcn = codeSystem<OdsPcnCode>('ODS PCN code', (v) => /^U\d{5}$/.test(v));
/** SNOMED CT concept id: 6-18 digits, no leading zero, partition 00 or 10 for concepts, valid Verhoeff check digit. */
export const Snomed = codeSystem<SnomedCode>(
  'SNOMED CT concept id',
  (v) => /^[1-9]\d{5,17}$/.test(v) && /^(0|1)0$/.test(v.slice(-3, -1)) && verhoeffValid(v),
);
/** ICD-10 code as stored by NHS England data sets: letter, two digits, optional 4th character, no dot (e.g. I219, X70). */
export const Icd10 = codeSystem<Icd10Code>('ICD-10 code', (v) => /^[A-Z]\d{2}[0-9X]?$/.test(v));
/** BNF presentation prefix (chapter/section/paragraph or chemical), e.g. 0302 (inhaled corticosteroids). */
export const Bnf = codeSystem<BnfCode>('BNF code', (v) => /^\d{4}[0-9A-Z]{0,11}$/.test(v));
