import { describe, expect, it } from 'vitest';
import { Bnf, Icd10, Snomed } from '../codes/codes.js';
import { FHIR_CODE_LISTS, ICD10_TO_SNOMED, LOINC_TO_SNOMED, SMOKING_TO_SNOMED, isOpcs4, lookUp, normaliseIcd10, type CodeList } from './codelists.js';
import { FHIR_CODE_SYSTEMS, FHIR_CODE_SYSTEM_URIS, codeSystemOf } from './systems.js';

const lists = Object.entries(FHIR_CODE_LISTS) as [string, CodeList][];

describe('FHIR code lists', () => {
  it.each(lists)('%s states its source', (_name, list) => expect(list.source.length).toBeGreaterThan(20));

  it.each(lists)('%s maps only to valid OpenPHM codes', (_name, list) => {
    for (const [from, entry] of Object.entries(list.entries)) {
      const valid = list.to === 'snomed' ? Snomed.is(entry.to) : Bnf.is(entry.to);
      expect(valid, `${from} → ${entry.to}`).toBe(true);
    }
  });

  it('keys ICD-10 by category prefix, and SNOMED CT by valid concept ids', () => {
    for (const prefix of Object.keys(ICD10_TO_SNOMED.entries)) expect(prefix === 'C' || Icd10.is(prefix), prefix).toBe(true);
    for (const code of Object.keys(SMOKING_TO_SNOMED.entries)) expect(Snomed.is(code), code).toBe(true);
  });

  it.each([
    ['I10', '59621000'],
    ['E119', '44054006'],
    ['E10', '46635009'],
    ['N184', '709044004'],
    ['N183', '433144002'],
    ['C509', '363346000'],
    ['F840', '408856003'],
    ['F849', undefined],
    ['R51', undefined],
  ])('ICD-10 %s → %s (longest prefix)', (code, snomed) => expect(lookUp(ICD10_TO_SNOMED, code)?.to).toBe(snomed));

  it.each([
    ['39156-5', '60621009'],
    ['8480-6', '271649006'],
    ['8462-4', '271650006'],
    ['8310-5', undefined],
  ])('LOINC %s → %s', (code, snomed) => expect(lookUp(LOINC_TO_SNOMED, code)?.to).toBe(snomed));

  it.each([
    ['E11.9', 'E119'],
    ['i10', 'I10'],
    ['J44.10', 'J441'],
    ['X70', 'X70'],
    ['11E', undefined],
    ['E1', undefined],
  ])('normaliseIcd10(%s) = %s', (code, expected) => expect(normaliseIcd10(code)).toBe(expected));

  it.each([
    ['W37.1', true],
    ['K401', true],
    ['W37', true],
    ['37W', false],
  ])('isOpcs4(%s) = %s', (code, expected) => expect(isOpcs4(code)).toBe(expected));
});

describe('code systems', () => {
  it('knows every URI of a system, and no URI twice', () => {
    const all = FHIR_CODE_SYSTEMS.flatMap((s) => FHIR_CODE_SYSTEM_URIS[s]);
    expect(new Set(all).size).toBe(all.length);
    for (const system of FHIR_CODE_SYSTEMS) for (const uri of FHIR_CODE_SYSTEM_URIS[system]) expect(codeSystemOf(uri)).toBe(system);
    expect(codeSystemOf('http://example.org/local')).toBeUndefined();
  });
});
