/**
 * The export is the FHIR import's inverse for what the import reads: each row exported, mapped back
 * by the import's own mapping (../map.ts with its registry), gives the same row, but for the columns
 * FHIR_EXPORT_LOST_COLUMNS names (and ids the import numbers itself).
 */
import { describe, expect, it } from 'vitest';
import { decidePerson, mapResource, patientFacts, type MappedRow, type PersonOutcome, type ResidenceContext } from '../map.js';
import { FhirRegistry, type FhirJson } from '../registry.js';
import {
  FHIR_EXPORT_LOST_COLUMNS,
  OUTPATIENT_PROVIDER,
  exportAeAttendance,
  exportClinicalEvent,
  exportGpAppointment,
  exportHospitalSpell,
  exportOutpatient,
  exportPerson,
  odsOrganization,
  type ExportPerson,
} from './export.js';

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
const RESIDENCE: ResidenceContext = { lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230' })[postcode], practiceCodes: new Set(['B86001']) };

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

const BASE = [odsOrganization('B86001'), odsOrganization(OUTPATIENT_PROVIDER), ...exportPerson(PERSON)];

describe('FHIR export, imported again', () => {
  it('a person: sex, birth date, ethnic category, LSOA from the postcode, practice, registration date, identity, date of death', () => {
    const rows = importRows(BASE);
    expect(rows.find((r) => r.table === 'person')!.values).toEqual({
      person_id: 1, sex: 'F', date_of_birth: '1950-03-04', ethnic_category: 'J', lsoa_code: 'E01011230', practice_code: 'B86001', registration_date: '2001-06-01', is_carer: false,
    });
    expect(rows.find((r) => r.table === 'identity')!.values).toMatchObject({ nhs_number: '9990000018', given_name: 'Ann May', family_name: 'Smith', postcode: 'LS1 4AP' });
    expect(kept(rows.find((r) => r.table === 'death')!)).toEqual({ person_id: 1, date_of_death: '2026-02-01' });
  });

  // [table, the exported resource, the row it was exported from (kept columns)]
  it.each<[string, FhirJson, Record<string, unknown>]>([
    ['clinical_event', exportClinicalEvent({ id: '1', personId: '1', day: '2024-05-01', snomed: '60621009', value: 27.5 }), { person_id: 1, event_date: '2024-05-01', snomed_code: '60621009', numeric_value: 27.5 }],
    ['clinical_event', exportClinicalEvent({ id: '2', personId: '1', day: '2021-04-03', snomed: '38341003', value: null }), { person_id: 1, event_date: '2021-04-03', snomed_code: '38341003', numeric_value: null }],
    ['gp_appointment', exportGpAppointment({ id: '1', personId: '1', day: '2024-06-01', mode: 'face-to-face', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-01' }],
    ['gp_appointment', exportGpAppointment({ id: '2', personId: '1', day: '2024-06-02', mode: 'home-visit', practice: 'B86001' }), { person_id: 1, appointment_date: '2024-06-02' }],
    ['outpatient_appointment', exportOutpatient({ id: '1', personId: '1', day: '2024-07-01', specialty: '300' }), { person_id: 1, appointment_date: '2024-07-01', specialty: '300' }],
    [
      'ae_attendance',
      exportAeAttendance({ id: '10', personId: '1', arrival: '2021-07-01 23:00:00', departure: '2021-07-02 01:00:00', disposal: 'referred' }),
      { person_id: 1, arrival_time: '2021-07-01 23:00:00', departure_time: '2021-07-02 01:00:00', attendance_id: 1 },
    ],
    [
      'hospital_spell',
      exportHospitalSpell({ id: '100', personId: '1', admission: '2022-12-01', discharge: '2023-02-01', method: 'emergency', diagnosis: 'I219', destination: 'care_home' }),
      { spell_id: 1, person_id: 1, admission_date: '2022-12-01', discharge_date: '2023-02-01', admission_method: 'emergency', primary_diagnosis: 'I219', discharge_destination: 'care_home' },
    ],
    [
      'hospital_spell',
      exportHospitalSpell({ id: '101', personId: '1', admission: '2023-03-01', discharge: '2023-03-02', method: 'elective', diagnosis: 'K802', destination: 'home' }),
      { spell_id: 1, person_id: 1, admission_date: '2023-03-01', discharge_date: '2023-03-02', admission_method: 'elective', primary_diagnosis: 'K802', discharge_destination: 'home' },
    ],
  ])('%s: the same row back (%#)', (table, resource, row) => {
    const rows = importRows([...BASE, resource]).filter((r) => r.table === table);
    expect(rows.map(kept)).toEqual([row]);
  });

  it('A&E disposals other than admitted come back; hospital discharge destinations all do', () => {
    for (const disposal of ['discharged', 'referred', 'left', 'died']) {
      const [row] = importRows([...BASE, exportAeAttendance({ id: '1', personId: '1', arrival: '2021-07-01 10:00:00', departure: '2021-07-01 12:00:00', disposal })]).filter((r) => r.table === 'ae_attendance');
      expect(row!.values.disposal, disposal).toBe(disposal);
    }
    for (const destination of ['home', 'care_home', 'other_hospital', 'died']) {
      const [row] = importRows([...BASE, exportHospitalSpell({ id: '1', personId: '1', admission: '2022-01-01', discharge: '2022-01-03', method: 'emergency', diagnosis: 'J189', destination })]).filter((r) => r.table === 'hospital_spell');
      expect(row!.values.discharge_destination, destination).toBe(destination);
    }
  });
});
