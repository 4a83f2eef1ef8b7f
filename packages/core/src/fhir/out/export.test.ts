/**
 * The export is the FHIR import's inverse: each row of every person-level table exported, mapped
 * back by the import's own mapping (../map.ts with its registry), gives the same row, but for the
 * columns FHIR_EXPORT_LOST_COLUMNS names (and ids the import numbers itself); and every resource
 * exported conforms to the UK Core constraints validate.ts checks.
 */
import { describe, expect, it } from 'vitest';
import { decidePerson, mapResource, patientFacts, type MappedRow, type PersonOutcome, type ResidenceContext } from '../map.js';
import { FhirRegistry, type FhirJson } from '../registry.js';
import {
  FHIR_EXPORT_LOST_COLUMNS,
  FHIR_EXPORT_RESOURCE_TYPES,
  OUTPATIENT_PROVIDER,
  carerLinkId,
  exportAeAttendance,
  exportBirth,
  exportCareHomeStay,
  exportCarerRelationship,
  exportClinicalEvent,
  exportCommunityContact,
  exportDeath,
  exportGpAppointment,
  exportHospitalSpell,
  exportMedication,
  exportMentalHealthContact,
  exportOptOut,
  exportOutpatient,
  exportPerson,
  exportPracticeRoles,
  exportResources,
  exportSocialCareEvent,
  motherLinkId,
  odsOrganization,
  type ExportPerson,
  type FhirExportRows,
} from './export.js';
import { ukCoreProblems } from './validate.js';

const PERSON: ExportPerson = {
  personId: '1',
  sex: 'F',
  dateOfBirth: '1950-03-04',
  ethnicCategory: 'J',
  practice: { code: 'B86001' },
  registrationDate: '2001-06-01',
  dateOfDeath: '2026-02-01',
  identity: { nhsNumber: '9990000018', givenName: 'Ann May', familyName: 'Smith', address: { line1: '1 Park Row', line2: null, town: 'Leeds', postcode: 'LS1 4AP' }, phone: null },
};
const RESIDENCE: ResidenceContext = { lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230' })[postcode], practiceCodes: new Set(['B86001']), partnershipLsoas: new Set(['E01011230', 'E01011231']) };
/** A second and third person: a baby (of person 1) and someone person 1 cares for. */
const BABY: ExportPerson = { ...PERSON, personId: '2', dateOfBirth: '2025-05-06', dateOfDeath: null, registrationDate: '2025-05-06', identity: { ...PERSON.identity!, nhsNumber: '9990000026', givenName: 'Baby' } };
const CARED_FOR: ExportPerson = { ...PERSON, personId: '3', dateOfDeath: null, identity: { ...PERSON.identity!, nhsNumber: '9990000034', givenName: 'Bob' } };

/** Every resource through the import's two passes; the rows it gives. */
const importRows = (resources: readonly FhirJson[]): MappedRow[] => {
  const registry = new FhirRegistry();
  resources.forEach((r, i) => {
    registry.add(r, { file: 'export.ndjson', line: i + 1 }, String(i), undefined);
    registry.note(r);
  });
  registry.settle();
  const outcomes = new Map<string, PersonOutcome>();
  for (const r of resources) if (r.resourceType === 'Patient') outcomes.set(`Patient/${String(r.id)}`, decidePerson(`Patient/${String(r.id)}`, patientFacts(r), registry, RESIDENCE));
  let n = 0;
  const context = { registry, person: (key: string) => outcomes.get(key), nextId: () => ++n };
  return resources.flatMap((r) => {
    const result = mapResource(r, context);
    expect(result.problems, `${String(r.resourceType)}/${String(r.id)}`).toEqual([]);
    return [...result.rows];
  });
};

const lost = (table: string) => new Set(FHIR_EXPORT_LOST_COLUMNS.filter((c) => c.startsWith(`${table}.`)).map((c) => c.slice(table.length + 1)));
const kept = (row: MappedRow) => Object.fromEntries(Object.entries(row.values).filter(([k]) => !lost(row.table).has(k)));

const BASE = [odsOrganization('B86001'), odsOrganization(OUTPATIENT_PROVIDER), ...exportPracticeRoles('B86001'), ...exportPerson(PERSON)];

describe('FHIR export, imported again', () => {
  it('a person: sex, birth date, ethnic category, LSOA from the postcode, practice, registration date, identity, date of death', () => {
    const rows = importRows(BASE);
    expect(rows.find((r) => r.table === 'person')!.values).toEqual({
      person_id: 1, sex: 'F', date_of_birth: '1950-03-04', ethnic_category: 'J', lsoa_code: 'E01011230', practice_code: 'B86001', registration_date: '2001-06-01', is_carer: false,
    });
    expect(rows.find((r) => r.table === 'identity')!.values).toMatchObject({ nhs_number: '9990000018', given_name: 'Ann May', family_name: 'Smith', postcode: 'LS1 4AP' });
    // Without the Observation 'Cause of death' the import knows only the date.
    expect(rows.find((r) => r.table === 'death')!.values).toEqual({ person_id: 1, date_of_death: '2026-02-01', underlying_cause: 'R99', place_of_death: 'other' });
  });

  it("a person's LSOA comes back from the address's LSOA extension, even when the postcode's lies elsewhere, and without an identity", () => {
    const person = (p: ExportPerson) => importRows([...BASE.slice(0, 2), ...exportPerson(p)]).find((r) => r.table === 'person')?.values;
    expect(person({ ...PERSON, lsoa: 'E01011231' })?.lsoa_code).toBe('E01011231');
    expect(person({ ...PERSON, lsoa: 'E01011231', identity: null })).toMatchObject({ lsoa_code: 'E01011231', practice_code: 'B86001', date_of_birth: '1950-03-04' });
    // Without the extension and without an identity there is nothing to place the person by.
    expect(person({ ...PERSON, identity: null })).toBeUndefined();
  });

  it('a death: the underlying cause (ICD-10) and the place from the Observation Cause of death', () => {
    for (const [cause, place] of [['C349', 'hospice'], ['X80', 'home'], ['F03', 'care_home'], ['I219', 'hospital'], ['J449', 'other']] as const) {
      const rows = importRows([...BASE, exportDeath({ personId: '1', day: '2026-02-01', cause, place })]);
      expect(rows.filter((r) => r.table === 'death').map((r) => r.values)).toEqual([{ person_id: 1, date_of_death: '2026-02-01', underlying_cause: cause, place_of_death: place }]);
      expect(rows.filter((r) => r.table === 'clinical_event')).toEqual([]);
    }
  });

  it('is_carer comes back from the GP record\'s carer code (SNOMED CT 224484003), which it mirrors', () => {
    const rows = importRows([...BASE, exportClinicalEvent({ id: '1', personId: '1', day: '2020-01-01', snomed: '224484003', value: null })]);
    expect(rows.find((r) => r.table === 'person')!.values.is_carer).toBe(true);
    expect(rows.filter((r) => r.table === 'clinical_event').map((r) => r.values.snomed_code)).toEqual(['224484003']);
  });

  // [table, the exported resource, the row it was exported from (kept columns)]
  it.each<[string, FhirJson, Record<string, unknown>]>([
    ['clinical_event', exportClinicalEvent({ id: '1', personId: '1', day: '2024-05-01', snomed: '60621009', value: 27.5 }), { person_id: 1, event_date: '2024-05-01', snomed_code: '60621009', numeric_value: 27.5 }],
    ['clinical_event', exportClinicalEvent({ id: '2', personId: '1', day: '2021-04-03', snomed: '38341003', value: null }), { person_id: 1, event_date: '2021-04-03', snomed_code: '38341003', numeric_value: null }],
    ['medication', exportMedication({ id: '1', personId: '1', day: '2025-01-02', bnf: '0302' }), { person_id: 1, issue_date: '2025-01-02', bnf_code: '0302' }],
    ['medication', exportMedication({ id: '2', personId: '1', day: '2025-01-03', bnf: '0212000B0' }), { person_id: 1, issue_date: '2025-01-03', bnf_code: '0212000B0' }],
    ['gp_appointment', exportGpAppointment({ id: '1', personId: '1', day: '2024-06-01', mode: 'face-to-face', staffRole: 'GP', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-01', mode: 'face-to-face', staff_role: 'GP' }],
    ['gp_appointment', exportGpAppointment({ id: '2', personId: '1', day: '2024-06-02', mode: 'home-visit', staffRole: 'Nurse', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-02', mode: 'home-visit', staff_role: 'Nurse' }],
    ['gp_appointment', exportGpAppointment({ id: '3', personId: '1', day: '2024-06-03', mode: 'telephone', staffRole: 'Other', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-03', mode: 'telephone', staff_role: 'Other' }],
    ['gp_appointment', exportGpAppointment({ id: '4', personId: '1', day: '2024-06-04', mode: 'online', staffRole: 'Nurse', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-04', mode: 'online', staff_role: 'Nurse' }],
    ['outpatient_appointment', exportOutpatient({ id: '1', personId: '1', day: '2024-07-01', specialty: '300', attended: true }), { person_id: 1, appointment_date: '2024-07-01', specialty: '300', attended: true }],
    ['outpatient_appointment', exportOutpatient({ id: '2', personId: '1', day: '2024-07-02', specialty: '110', attended: false }), { person_id: 1, appointment_date: '2024-07-02', specialty: '110', attended: false }],
    [
      'ae_attendance',
      exportAeAttendance({ id: '10', personId: '1', arrival: '2021-07-01 23:00:00', departure: '2021-07-02 01:00:00', departmentType: '03', disposal: 'referred' }),
      { person_id: 1, arrival_time: '2021-07-01 23:00:00', departure_time: '2021-07-02 01:00:00', attendance_id: 1, department_type: '03', disposal: 'referred' },
    ],
    [
      'hospital_spell',
      exportHospitalSpell({ id: '100', personId: '1', admission: '2022-12-01', discharge: '2023-02-01', method: 'emergency', diagnosis: 'S720', externalCause: 'W19', destination: 'care_home' }),
      { spell_id: 1, person_id: 1, admission_date: '2022-12-01', discharge_date: '2023-02-01', admission_method: 'emergency', primary_diagnosis: 'S720', external_cause: 'W19', discharge_destination: 'care_home' },
    ],
    [
      'hospital_spell',
      exportHospitalSpell({ id: '101', personId: '1', admission: '2023-03-01', discharge: '2023-03-02', method: 'elective', diagnosis: 'K802', externalCause: null, destination: 'home' }),
      { spell_id: 1, person_id: 1, admission_date: '2023-03-01', discharge_date: '2023-03-02', admission_method: 'elective', primary_diagnosis: 'K802', external_cause: null, discharge_destination: 'home' },
    ],
    [
      'hospital_spell',
      exportHospitalSpell({ id: '102', personId: '1', admission: '2023-04-01', discharge: '2023-04-03', method: 'maternity', diagnosis: 'O800', externalCause: null, destination: 'home' }),
      { spell_id: 1, person_id: 1, admission_date: '2023-04-01', discharge_date: '2023-04-03', admission_method: 'maternity', primary_diagnosis: 'O800', external_cause: null, discharge_destination: 'home' },
    ],
    ['community_contact', exportCommunityContact({ id: '1', personId: '1', day: '2025-02-03', service: 'district-nursing' }), { person_id: 1, contact_date: '2025-02-03', service: 'district-nursing' }],
    ['mental_health_contact', exportMentalHealthContact({ id: '1', personId: '1', day: '2025-02-04', service: 'talking-therapies' }), { person_id: 1, contact_date: '2025-02-04', service: 'talking-therapies' }],
    ['social_care_event', exportSocialCareEvent({ id: '1', personId: '1', day: '2025-02-05', service: 'reablement-start' }), { person_id: 1, event_date: '2025-02-05', event_type: 'reablement-start' }],
    [
      'care_home_stay',
      exportCareHomeStay({ id: '1', personId: '1', start: '2024-01-01', end: null, careType: 'nursing', permanent: true, councilFunded: false }),
      { person_id: 1, start_date: '2024-01-01', end_date: null, care_type: 'nursing', permanent: true, council_funded: false },
    ],
    [
      'care_home_stay',
      exportCareHomeStay({ id: '2', personId: '1', start: '2023-01-01', end: '2023-02-01', careType: 'residential', permanent: false, councilFunded: true }),
      { person_id: 1, start_date: '2023-01-01', end_date: '2023-02-01', care_type: 'residential', permanent: false, council_funded: true },
    ],
    ['opt_out', exportOptOut({ personId: '1', kind: 'type-1', recorded: '2022-03-04' }), { person_id: 1, kind: 'type-1', recorded_date: '2022-03-04' }],
    ['opt_out', exportOptOut({ personId: '1', kind: 'national', recorded: null }), { person_id: 1, kind: 'national', recorded_date: null }],
  ])('%s: the same row back (%#)', (table, resource, row) => {
    const rows = importRows([...BASE, resource]).filter((r) => r.table === table);
    expect(rows.map(kept)).toEqual([row]);
  });

  it('every A&E disposal and department type comes back; hospital discharge destinations all do', () => {
    for (const disposal of ['admitted', 'discharged', 'referred', 'left', 'died']) {
      for (const departmentType of ['01', '02', '03', '04']) {
        const [row] = importRows([...BASE, exportAeAttendance({ id: '1', personId: '1', arrival: '2021-07-01 10:00:00', departure: '2021-07-01 12:00:00', departmentType, disposal })]).filter((r) => r.table === 'ae_attendance');
        expect([row!.values.disposal, row!.values.department_type], disposal).toEqual([disposal, departmentType]);
      }
    }
    for (const destination of ['home', 'care_home', 'other_hospital', 'died']) {
      const [row] = importRows([...BASE, exportHospitalSpell({ id: '1', personId: '1', admission: '2022-01-01', discharge: '2022-01-03', method: 'emergency', diagnosis: 'J189', externalCause: null, destination })]).filter((r) => r.table === 'hospital_spell');
      expect(row!.values.discharge_destination, destination).toBe(destination);
    }
  });

  it('a birth: the baby, the mother (a RelatedPerson her Patient links to), weight, gestation and smoking at delivery', () => {
    for (const smokingAtDelivery of [true, false, null]) {
      const birth = { babyId: '2', motherId: '1', day: '2025-05-06', weightGrams: 3120, gestationWeeks: 39, smokingAtDelivery };
      const rows = importRows([...BASE.slice(0, 2), ...exportPerson({ ...PERSON, links: [motherLinkId('2')] }), ...exportPerson(BABY), ...exportBirth(birth)]);
      expect(rows.filter((r) => r.table === 'birth').map((r) => r.values)).toEqual([
        { baby_person_id: 2, mother_person_id: 1, birth_date: '2025-05-06', birth_weight_grams: 3120, gestation_weeks: 39, smoking_at_delivery: smokingAtDelivery },
      ]);
      expect(rows.filter((r) => r.table === 'clinical_event')).toEqual([]);
    }
    // Without the mother's link the birth weight is not a birth the import can place (LOINC listed as unmapped).
    const unlinked = importRows([...BASE, ...exportPerson(BABY), ...exportBirth({ babyId: '2', motherId: '1', day: '2025-05-06', weightGrams: 3120, gestationWeeks: 39, smokingAtDelivery: null })]);
    expect(unlinked.filter((r) => r.table === 'birth')).toEqual([]);
  });

  it('a carer relationship: the carer (whose Patient links to the RelatedPerson Carer), the person cared for, the period', () => {
    for (const end of ['2025-12-31', null]) {
      const carer = { carerId: '1', caredForId: '3', start: '2024-02-03', end };
      const rows = importRows([...BASE.slice(0, 2), ...exportPerson({ ...PERSON, links: [carerLinkId(carer)] }), ...exportPerson(CARED_FOR), exportCarerRelationship(carer)]);
      expect(rows.filter((r) => r.table === 'carer_relationship').map((r) => r.values)).toEqual([{ carer_person_id: 1, cared_for_person_id: 2, start_date: '2024-02-03', end_date: end }]);
    }
  });

  it('every resource exported conforms to UK Core (validate.ts), one type of the export\'s each', () => {
    const rows: FhirExportRows = {
      people: [{ ...PERSON, lsoa: 'E01011230', links: [motherLinkId('2'), carerLinkId({ carerId: '1', caredForId: '3', start: '2024-02-03', end: null })] }, { ...BABY, lsoa: 'E01011231', identity: null }, CARED_FOR],
      deaths: [{ personId: '1', day: '2026-02-01', cause: 'C349', place: 'hospice' }],
      clinicalEvents: [{ id: '1', personId: '1', day: '2024-05-01', snomed: '60621009', value: 27.5 }],
      medications: [{ id: '1', personId: '1', day: '2025-01-02', bnf: '0302' }],
      gpAppointments: ['face-to-face', 'telephone', 'online', 'home-visit'].map((mode, i) => ({ id: String(i), personId: '1', day: '2024-06-01', mode, staffRole: ['GP', 'Nurse', 'Other', 'GP'][i]!, practice: 'B86001' })),
      aeAttendances: ['admitted', 'discharged'].map((disposal, i) => ({ id: String(i), personId: '1', arrival: '2021-07-01 10:00:00', departure: '2021-07-01 12:00:00', departmentType: '01', disposal })),
      hospitalSpells: ['emergency', 'elective', 'maternity'].map((method, i) => ({ id: String(i), personId: '1', admission: '2022-01-01', discharge: '2022-01-03', method, diagnosis: 'S720', externalCause: 'W19', destination: 'home' })),
      outpatients: [true, false].map((attended, i) => ({ id: String(i), personId: '1', day: '2024-07-01', specialty: '300', attended })),
      communityContacts: [{ id: '1', personId: '1', day: '2025-02-03', service: 'podiatry' }],
      mentalHealthContacts: [{ id: '1', personId: '1', day: '2025-02-03', service: 'crisis' }],
      socialCareEvents: [{ id: '1', personId: '1', day: '2025-02-03', service: 'assessment' }],
      careHomeStays: [{ id: '1', personId: '1', start: '2024-01-01', end: '2024-03-01', careType: 'nursing', permanent: true, councilFunded: true }],
      births: [{ babyId: '2', motherId: '1', day: '2025-05-06', weightGrams: 3120, gestationWeeks: 39, smokingAtDelivery: true }],
      carers: [{ carerId: '1', caredForId: '3', start: '2024-02-03', end: null }],
      optOuts: [{ personId: '1', kind: 'type-1', recorded: '2022-03-04' }, { personId: '1', kind: 'national', recorded: null }],
    };
    const resources = [odsOrganization('B86001'), ...exportPracticeRoles('B86001'), odsOrganization(OUTPATIENT_PROVIDER), ...exportResources(rows)];
    for (const r of resources) expect(ukCoreProblems(r), `${r.resourceType}/${String(r.id)}`).toEqual([]);
    expect([...new Set(resources.map((r) => r.resourceType))].sort()).toEqual([...FHIR_EXPORT_RESOURCE_TYPES].sort());
    // And they all come back: one row per exported row of every table.
    const back = importRows(resources);
    const count = (table: string) => back.filter((r) => r.table === table).length;
    expect([count('person'), count('death'), count('medication'), count('gp_appointment'), count('ae_attendance'), count('hospital_spell'), count('outpatient_appointment')]).toEqual([3, 1, 1, 4, 2, 3, 2]);
    expect([count('community_contact'), count('mental_health_contact'), count('social_care_event'), count('care_home_stay'), count('birth'), count('carer_relationship'), count('opt_out')]).toEqual([1, 1, 1, 1, 1, 1, 2]);
  });
});
