/**
 * Spec inputs: a tiny partnership geography and compact, readable tables of people and events,
 * expanded into full rows of the person-level schema (every column filled with a valid value, so
 * the same input loads into DuckDB through the ordinary CSV build).
 */
import type { Geography, LadCode, LsoaArea, LsoaCode, OdsPcnCode, OdsPracticeCode, PlaceId, TableName } from '@openphm/core';

/** Leeds (E08000035), neighbourhood leeds-1, IMD decile 1 (quintile 1). */
export const LEEDS_1 = 'E01011229';
/** Leeds (E08000035), neighbourhood leeds-2, IMD decile 4 (quintile 2). */
export const LEEDS_2 = 'E01011230';
/** Calderdale (E08000033), neighbourhood calderdale-1, IMD decile 10 (quintile 5). */
export const CALDER_1 = 'E01010001';
/** Calderdale (E08000033), neighbourhood calderdale-1, IMD decile 6 (quintile 3). */
export const CALDER_2 = 'E01010002';
/** An LSOA outside the partnership (City of London): its residents are never counted. */
export const OUTSIDE = 'E01000001';

const LEEDS = 'E08000035' as LadCode;
const CALDERDALE = 'E08000033' as LadCode;

const lsoa = (code: string, ladCode: LadCode, ladName: string, place: PlaceId, neighbourhoodId: string, imdDecile: number): LsoaArea => ({
  code: code as LsoaCode,
  name: `${ladName} ${code.slice(-3)}`,
  ladCode,
  ladName,
  place,
  imdRank: imdDecile * 3000,
  imdDecile,
  imdQuintile: Math.ceil(imdDecile / 2),
  healthDeprivationRank: imdDecile * 2900,
  population: { total: 1500, age0to15: 300, age16to59: 900, age60plus: 300 },
  centroid: [-1.6, 53.8],
  neighbourhoodId,
});

export const SPEC_GEOGRAPHY: Geography = {
  icsName: 'Spec ICS',
  localAuthorities: [
    { code: LEEDS, name: 'Leeds', place: 'leeds' },
    { code: CALDERDALE, name: 'Calderdale', place: 'calderdale' },
  ],
  lsoas: [
    lsoa(LEEDS_1, LEEDS, 'Leeds', 'leeds', 'leeds-1', 1),
    lsoa(LEEDS_2, LEEDS, 'Leeds', 'leeds', 'leeds-2', 4),
    lsoa(CALDER_1, CALDERDALE, 'Calderdale', 'calderdale', 'calderdale-1', 10),
    lsoa(CALDER_2, CALDERDALE, 'Calderdale', 'calderdale', 'calderdale-1', 6),
  ],
  neighbourhoods: [
    { id: 'leeds-1', name: 'Leeds One', place: 'leeds', lsoaCodes: [LEEDS_1 as LsoaCode], population: 1500, pcnCode: 'U12345' as OdsPcnCode },
    { id: 'leeds-2', name: 'Leeds Two', place: 'leeds', lsoaCodes: [LEEDS_2 as LsoaCode], population: 1500, pcnCode: 'U12345' as OdsPcnCode },
    { id: 'calderdale-1', name: 'Calderdale One', place: 'calderdale', lsoaCodes: [CALDER_1 as LsoaCode, CALDER_2 as LsoaCode], population: 3000, pcnCode: 'U23456' as OdsPcnCode },
  ],
  practices: [
    { code: 'B86001' as OdsPracticeCode, name: 'Leeds Surgery', postcode: 'LS1 1AA', subIcbCode: '15F', place: 'leeds', pcnCode: 'U12345' as OdsPcnCode, imdScore: 40, imdDecile: 1 },
    { code: 'B82001' as OdsPracticeCode, name: 'Halifax Practice', postcode: 'HX1 1CC', subIcbCode: '02T', place: 'calderdale', pcnCode: 'U23456' as OdsPcnCode, imdScore: 10, imdDecile: 9 },
  ],
  pcns: [
    { code: 'U12345' as OdsPcnCode, name: 'Leeds PCN', place: 'leeds', subIcbCode: '15F', imdScore: 30, practiceCodes: ['B86001' as OdsPracticeCode] },
    { code: 'U23456' as OdsPcnCode, name: 'Calderdale PCN', place: 'calderdale', subIcbCode: '02T', imdScore: 10, practiceCodes: ['B82001' as OdsPracticeCode] },
  ],
};

export type SpecValue = string | number | boolean | null;
export type SpecRow = { readonly [column: string]: SpecValue };
export type SpecTables = { readonly [T in TableName]?: readonly SpecRow[] };

/** What an engine is built from: a geography and full rows per table. */
export interface SpecInput {
  readonly geography: Geography;
  readonly tables: SpecTables;
}

type Sex = 'F' | 'M';

/** Compact tables; optional trailing fields take the defaults noted. */
export interface SpecData {
  /** [person_id, sex, date_of_birth, lsoa_code, ethnic_category = 'A'] */
  readonly people: readonly (readonly [number, Sex, string, string, string?])[];
  /** [person_id, date_of_death, underlying_cause = 'I219', place_of_death = 'hospital'] */
  readonly deaths?: readonly (readonly [number, string, string?, ('hospital' | 'home' | 'care_home' | 'hospice' | 'other')?])[];
  /** [person_id, event_date, snomed_code, numeric_value = null] */
  readonly clinical?: readonly (readonly [number, string, string, (number | null)?])[];
  /** [attendance_id, person_id, arrival_time, departure_time] */
  readonly ae?: readonly (readonly [number, number, string, string])[];
  /** [spell_id, person_id, admission_date, discharge_date, admission_method, discharge_destination = 'home', primary_diagnosis = 'I219', external_cause = null] */
  readonly spells?: readonly (readonly [number, number, string, string, 'emergency' | 'elective' | 'maternity', string?, string?, (string | null)?])[];
  /** [baby_person_id, mother_person_id, birth_date, birth_weight_grams, gestation_weeks, smoking_at_delivery] */
  readonly births?: readonly (readonly [number, number, string, number, number, boolean | null])[];
  /** [person_id, start_date, permanent] */
  readonly careHomes?: readonly (readonly [number, string, boolean])[];
  /** [person_id, appointment_date, mode = 'face-to-face'] (staff_role GP) */
  readonly gp?: readonly (readonly [number, string, ('face-to-face' | 'telephone' | 'home-visit' | 'online')?])[];
  /** [person_id, event_date, event_type] */
  readonly socialCare?: readonly (readonly [number, string, 'request' | 'assessment' | 'review' | 'home-care-start' | 'reablement-start' | 'direct-payment-start'])[];
  /** [person_id, issue_date, bnf_code] */
  readonly medication?: readonly (readonly [number, string, string])[];
  /** [person_id, contact_date, service] */
  readonly mentalHealth?: readonly (readonly [number, string, 'talking-therapies' | 'community-mental-health' | 'crisis' | 'inpatient' | 'memory-service' | 'learning-disability'])[];
}

const practiceFor = (lsoaCode: string): string => {
  const place = SPEC_GEOGRAPHY.lsoas.find((l) => l.code === lsoaCode)?.place ?? 'leeds';
  return SPEC_GEOGRAPHY.practices.find((p) => p.place === place)!.code;
};

/** Expands compact tables into full schema rows over the spec geography. */
export const specInput = (data: SpecData, geography: Geography = SPEC_GEOGRAPHY): SpecInput => ({
  geography,
  tables: {
    person: data.people.map(([id, sex, dob, lsoaCode, ethnic]) => ({
      person_id: id,
      sex,
      date_of_birth: dob,
      ethnic_category: ethnic ?? 'A',
      lsoa_code: lsoaCode,
      practice_code: practiceFor(lsoaCode),
      registration_date: dob,
      is_carer: false,
    })),
    death: (data.deaths ?? []).map(([id, date, cause, place]) => ({ person_id: id, date_of_death: date, underlying_cause: cause ?? 'I219', place_of_death: place ?? 'hospital' })),
    clinical_event: (data.clinical ?? []).map(([id, date, code, value]) => ({ person_id: id, event_date: date, snomed_code: code, numeric_value: value ?? null })),
    ae_attendance: (data.ae ?? []).map(([attendance, id, arrival, departure]) => ({
      attendance_id: attendance,
      person_id: id,
      arrival_time: arrival,
      departure_time: departure,
      department_type: '01',
      disposal: 'discharged',
    })),
    hospital_spell: (data.spells ?? []).map(([spell, id, admission, discharge, method, destination, diagnosis, externalCause]) => ({
      spell_id: spell,
      person_id: id,
      admission_date: admission,
      discharge_date: discharge,
      admission_method: method,
      primary_diagnosis: diagnosis ?? 'I219',
      external_cause: externalCause ?? null,
      discharge_destination: destination ?? 'home',
    })),
    birth: (data.births ?? []).map(([baby, mother, date, weight, gestation, smoking]) => ({
      baby_person_id: baby,
      mother_person_id: mother,
      birth_date: date,
      birth_weight_grams: weight,
      gestation_weeks: gestation,
      smoking_at_delivery: smoking,
    })),
    care_home_stay: (data.careHomes ?? []).map(([id, start, permanent]) => ({
      person_id: id,
      start_date: start,
      end_date: null,
      care_type: 'residential',
      permanent,
      council_funded: false,
    })),
    gp_appointment: (data.gp ?? []).map(([id, date, mode]) => ({ person_id: id, appointment_date: date, staff_role: 'GP', mode: mode ?? 'face-to-face' })),
    social_care_event: (data.socialCare ?? []).map(([id, date, type]) => ({ person_id: id, event_date: date, event_type: type })),
    mental_health_contact: (data.mentalHealth ?? []).map(([id, date, service]) => ({ person_id: id, contact_date: date, service })),
    medication: (data.medication ?? []).map(([id, date, bnf]) => ({ person_id: id, issue_date: date, bnf_code: bnf })),
  },
});
