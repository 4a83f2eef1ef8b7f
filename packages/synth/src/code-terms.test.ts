/**
 * Every code the generator writes reads as a term on a person's record (core's code terms): SNOMED
 * CT in the GP record, ICD-10 diagnoses and causes of death, BNF medicines, treatment functions of
 * outpatient appointments and A&E department types.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { termOf, type CodeSystemId, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from './generate.js';

let rows: Readonly<Record<string, readonly string[]>>;
beforeAll(async () => {
  const geography: Geography = await loadGeography();
  rows = generateInMemory(geography, 'terms', 6000).rows;
}, 120_000);

/** The distinct values of one CSV column of a generated table (empty ones left out: an optional column may be empty). */
const column = (table: string, index: number): string[] => [...new Set((rows[table] ?? []).map((line) => line.split(',')[index]!))].filter((v) => v !== '').sort();

describe('the generated record has a term for every code', () => {
  it.each<[string, string, number, CodeSystemId]>([
    ['clinical_event', 'snomed_code', 2, 'snomed'],
    ['hospital_spell', 'primary_diagnosis', 5, 'icd10'],
    ['hospital_spell', 'external_cause', 6, 'icd10'],
    ['death', 'underlying_cause', 2, 'icd10'],
    ['medication', 'bnf_code', 2, 'bnf'],
    ['outpatient_appointment', 'specialty', 2, 'treatment-function'],
    ['ae_attendance', 'department_type', 4, 'ecds-department-type'],
  ])('%s.%s', (table, _name, index, system) => {
    const codes = column(table, index);
    expect(codes.length, table).toBeGreaterThan(0);
    expect(codes.filter((c) => termOf(system, c) === null)).toEqual([]);
  });
});
