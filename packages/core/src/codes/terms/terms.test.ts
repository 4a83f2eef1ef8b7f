import { describe, expect, it } from 'vitest';
import { CARE_GAP_CODES } from '../../care/care-gaps.js';
import { CONDITIONS, CONDITION_KEYS, OBSERVATION_CODES } from '../../codelists/conditions.js';
import { CODED_FRAILTY_DEFICITS } from '../../codelists/frailty.js';
import { MEDICINES } from '../../codelists/medicines.js';
import { FURTHER_CONDITIONS, FURTHER_CONDITION_KEYS } from '../../codelists/multimorbidity.js';
import { Icd10, Snomed } from '../codes.js';
import { CODE_SYSTEMS, CODE_SYSTEM_IDS, ICD10_TERMS, SNOMED_TERMS, TREATMENT_FUNCTIONS, codeTerm, icd10ChapterOf, odsName, practiceLabel, termOf, type CodeSystemId } from './index.js';

describe('code terms', () => {
  it.each<[CodeSystemId, string, string | null, string]>([
    ['snomed', '195967001', 'Asthma', 'Asthma'],
    ['snomed', '267036007', 'Dyspnoea', 'Dyspnoea'],
    ['snomed', '822851000000102', 'Seasonal influenza vaccination', 'Seasonal influenza vaccination'],
    ['snomed', '999999999', null, '999999999 (no term)'],
    ['icd10', 'E86X', 'Volume depletion', 'Volume depletion'],
    ['icd10', 'I10X', 'Essential (primary) hypertension', 'Essential (primary) hypertension'],
    // Written with a dot, or without the X filler: the same code.
    ['icd10', 'I21.9', 'Acute myocardial infarction, unspecified', 'Acute myocardial infarction, unspecified'],
    ['icd10', 'I10', 'Essential (primary) hypertension', 'Essential (primary) hypertension'],
    ['icd10', 'W19', 'Unspecified fall', 'Unspecified fall'],
    ['icd10', 'Z999', null, 'Z999 (no term)'],
    ['treatment-function', '307', 'Diabetic Medicine', 'Diabetic Medicine'],
    ['treatment-function', '430', 'Geriatric Medicine', 'Geriatric Medicine'],
    // "Not a treatment function" in the Data Dictionary: unknown.
    ['treatment-function', '312', null, '312 (no term)'],
    ['bnf', '0301', 'Bronchodilators', 'Bronchodilators'],
    ['bnf', '0603020T0', 'Prednisolone', 'Prednisolone'],
    // A presentation code: its section's name; a section not listed: its chapter's.
    ['bnf', '0301011R0AAAPAP', 'Bronchodilators', 'Bronchodilators'],
    ['bnf', '0101', 'Gastro-intestinal system (other)', 'Gastro-intestinal system (other)'],
    ['bnf', '99', null, '99 (no term)'],
    ['opcs4', 'W371', null, 'W371 (no term)'],
    ['ecds-department-type', '03', 'Urgent treatment centre or minor injury unit', 'Urgent treatment centre or minor injury unit'],
  ])('%s %s → %s', (system, code, term, text) => {
    expect(termOf(system, code)).toBe(term);
    expect(codeTerm(system, code)).toEqual({ system, code, term, text });
  });

  it('has a SNOMED CT term for every code in the condition, further condition, observation, frailty and care-gap code lists, and each is a valid concept id', () => {
    const used = [
      ...CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => c.code as string)),
      ...Object.values(OBSERVATION_CODES).map((c) => c.code as string),
      ...CODED_FRAILTY_DEFICITS.flatMap((d) => d.source.codes.map((c) => c.code as string)),
      ...FURTHER_CONDITION_KEYS.flatMap((k) => FURTHER_CONDITIONS[k].codes.map((c) => c.code as string)),
      ...CARE_GAP_CODES,
      '827241000000103',
      '827261000000102',
    ];
    expect(used.filter((c) => SNOMED_TERMS[c] === undefined)).toEqual([]);
    expect(Object.keys(SNOMED_TERMS).filter((c) => !Snomed.is(c))).toEqual([]);
  });

  it('has a BNF name for every medicine in the code lists', () => {
    expect(Object.values(MEDICINES).filter((m) => termOf('bnf', m.code) === null)).toEqual([]);
  });

  it('holds ICD-10 codes as the data sets do (no dot, X filler) and treatment functions as three digits', () => {
    expect(Object.keys(ICD10_TERMS).filter((c) => !Icd10.is(c))).toEqual([]);
    expect(Object.keys(TREATMENT_FUNCTIONS).filter((c) => !/^\d{3}$/.test(c))).toEqual([]);
  });

  it.each([
    ['I219', 'Diseases of the circulatory system'],
    ['C61X', 'Neoplasms'],
    ['D509', 'Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism'],
    ['X70', 'External causes of morbidity and mortality'],
    ['T509', 'Injury, poisoning and certain other consequences of external causes'],
    ['U071', null],
    ['??', null],
  ])('ICD-10 %s is in the chapter %s', (code, chapter) => {
    expect(icd10ChapterOf(code)).toBe(chapter);
  });

  it.each([
    ['THE DENSHAM SURGERY', 'The Densham Surgery'],
    ['BOROUGH ROAD & NUNTHORPE MEDICAL GROUP', 'Borough Road & Nunthorpe Medical Group'],
    ["ST JOHN'S HEALTH CENTRE", "St John's Health Centre"],
    ['LEEDS CENTRAL PCN', 'Leeds Central PCN'],
    ['DR RASOOL', 'Dr Rasool'],
    ['HALTON-WITH-AIRE', 'Halton-With-Aire'],
    ['PARK AND LEEDS 1 PCN', 'Park and Leeds 1 PCN'],
    ['', null],
    [null, null],
  ])('ODS name %j reads %j', (name, text) => {
    expect(odsName(name)).toBe(text);
  });

  it('labels a practice by name and code, or by code alone when the name is not known', () => {
    expect(practiceLabel('B86002', 'THE LEEDS PRACTICE')).toBe('The Leeds Practice (B86002)');
    expect(practiceLabel('B86002', null)).toBe('practice B86002');
  });

  it('says where every code system comes from and under what licence', () => {
    for (const id of CODE_SYSTEM_IDS) {
      expect(CODE_SYSTEMS[id].source, id).not.toBe('');
      expect(CODE_SYSTEMS[id].licence, id).not.toBe('');
      expect(CODE_SYSTEMS[id].url, id).toMatch(/^https:\/\//);
    }
  });
});
