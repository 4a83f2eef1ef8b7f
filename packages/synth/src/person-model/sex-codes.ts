/**
 * Codes that belong to one sex: a cause of death (or any ICD-10 code) drawn from a list shared by
 * both sexes is replaced by one suited to the person.
 */
/**
 * Sex-specific ICD-10 codes, the generator's one list (causes of death here, hospital diagnoses in
 * hospital.ts). Male only: C60-C63 (penis, prostate, testis, other male genital organs), N40-N51
 * (male genital organs) and Q53-Q55 (their congenital malformations). Female only: C51-C58 (female
 * genital organs), D25-D27 (benign tumours of the uterus and ovary), N70-N98 (female pelvic and
 * genital organs), O00-O99 (pregnancy and childbirth) and Q50-Q52 (their malformations). Breast
 * cancer (C50) is overwhelmingly in women: `MALE_BREAST_CANCER_SHARE` of it is in men.
 */
export const sexOfCode = (code: string): 'M' | 'F' | undefined => {
  const letter = code[0];
  const n = Number(code.slice(1, 3));
  if (letter === 'C') return n >= 60 && n <= 63 ? 'M' : n >= 51 && n <= 58 ? 'F' : undefined;
  if (letter === 'N') return n >= 40 && n <= 51 ? 'M' : n >= 70 && n <= 98 ? 'F' : undefined;
  if (letter === 'D') return n >= 25 && n <= 27 ? 'F' : undefined;
  if (letter === 'Q') return n >= 53 && n <= 55 ? 'M' : n >= 50 && n <= 52 ? 'F' : undefined;
  if (letter === 'O') return 'F';
  return undefined;
};

/**
 * Whether an ICD-10 code can be a hospital diagnosis of a person of this sex: not the other sex's
 * (sexOfCode), and no breast cancer admissions for men (under 1% of cases; the generator has none).
 */
export const sexAllows = (code: string, male: boolean): boolean => {
  const sex = sexOfCode(code);
  return (sex === undefined || sex === (male ? 'M' : 'F')) && !(male && code.startsWith('C50'));
};

/**
 * Breast cancer in men: about 1 in 100 breast cancers (Cancer Research UK, breast cancer incidence
 * statistics: around 55,900 new cases a year in women and 370 in men in the UK, 2017-19; deaths
 * about 11,500 and 85).
 */
export const MALE_BREAST_CANCER_SHARE = 0.01;

/**
 * A code suitable for the person's sex: a code of the other sex's organs is replaced by the nearest
 * of theirs (prostate or ovary, breast or colon). `u` is a uniform draw, spent either way.
 */
export function codeForSex(code: string, male: boolean, age: number, u: number): string {
  const breast = code.startsWith('C50');
  if (male && breast) return u < MALE_BREAST_CANCER_SHARE ? code : age >= 55 ? 'C61X' : 'C189';
  const sex = sexOfCode(code);
  if (sex === undefined || sex === (male ? 'M' : 'F')) return code;
  if (code[0] === 'C') return male ? (age >= 55 ? 'C61X' : 'C189') : 'C509';
  // Other organs' diseases (N40-N51, N70-N98): a urinary tract infection; pregnancy codes never in men.
  return code[0] === 'N' ? 'N390' : 'R69X';
}
