/**
 * The person-level tables as FHIR R4 resources for Bulk FHIR NDJSON export (`phm export --fhir`),
 * written as the inverse of the FHIR import's mapping (../map.ts) for everything that import reads,
 * so that exporting and importing again gives the same rows for those tables and columns. Pure: the
 * caller reads the rows (store-duckdb) and writes the files.
 *
 * What survives the round trip, and what does not (the import has nowhere to put it):
 * - person: sex, date of birth, ethnic category, LSOA (through the postcode of the person's
 *   identity, which lies in their LSOA), practice, registration date (an EpisodeOfCare at the
 *   practice); not is_carer (the import sets false; the carer code stays in the GP record);
 * - identity: all of it; death: the date (the cause and place are not in the Patient resource);
 * - clinical_event: all of it (an Observation coded in SNOMED CT, with its value);
 * - gp_appointment: the date, and home visits and online consultations (staff role, and telephone
 *   consultations, are not carried by the Encounter's class);
 * - ae_attendance, hospital_spell: arrival, departure, dates, emergency admission or not, primary
 *   diagnosis, discharge destination, disposal (as discharge dispositions); not the department type,
 *   an A&E disposal 'admitted', the external cause, or a maternity admission (it comes back elective:
 *   the import knows emergency and elective only, so indicators of emergency admissions keep theirs);
 * - outpatient_appointment: date and specialty (not did-not-attend);
 * - not exported (the import reads none of them): medication (BNF codes; the import maps dm+d and
 *   RxNorm), community and mental health contacts, social care events, care home stays, births,
 *   opt-outs, carer relationships.
 */
import { patientResource, type FhirResource, type PatientInput } from './resources.js';

export const EXPORT_ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const DISCHARGE = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

/** The tables the export writes, and the ones it leaves out (the import reads none of them). */
export const FHIR_EXPORT_TABLES = ['person', 'death', 'clinical_event', 'gp_appointment', 'ae_attendance', 'hospital_spell', 'outpatient_appointment'] as const;
export const FHIR_EXPORT_LEFT_OUT = ['medication', 'community_contact', 'mental_health_contact', 'social_care_event', 'care_home_stay', 'birth', 'opt_out', 'carer_relationship'] as const;
/** Columns of exported tables the round trip does not keep (`table.column`). */
export const FHIR_EXPORT_LOST_COLUMNS = [
  'person.is_carer',
  'death.underlying_cause',
  'death.place_of_death',
  'gp_appointment.staff_role',
  'gp_appointment.mode',
  'ae_attendance.department_type',
  'ae_attendance.disposal',
  'hospital_spell.external_cause',
  'outpatient_appointment.attended',
] as const;

/** The Organization of a practice or provider by its ODS code (id `ods-<code>`). */
export const odsOrganization = (code: string): FhirResource => ({
  resourceType: 'Organization',
  id: `ods-${code}`,
  identifier: [{ system: EXPORT_ODS, value: code }],
  name: code,
});

export interface ExportPerson extends PatientInput {
  readonly registrationDate: string;
}

/** A person as a Patient and their registration as an EpisodeOfCare at the practice (the import's registration date). */
export const exportPerson = (p: ExportPerson): FhirResource[] => [
  patientResource(p),
  {
    resourceType: 'EpisodeOfCare',
    id: `registration-${p.personId}`,
    status: 'active',
    type: [{ text: 'GP registration' }],
    patient: { reference: `Patient/${p.personId}` },
    managingOrganization: { reference: `Organization/ods-${p.practice.code}` },
    period: { start: p.registrationDate },
  },
];

export interface ClinicalEventRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly snomed: string;
  readonly value: number | null;
}

export const exportClinicalEvent = (r: ClinicalEventRow): FhirResource => ({
  resourceType: 'Observation',
  id: `ce-${r.id}`,
  status: 'final',
  code: { coding: [{ system: SNOMED, code: r.snomed }] },
  subject: { reference: `Patient/${r.personId}` },
  effectiveDateTime: r.day,
  ...(r.value !== null ? { valueQuantity: { value: r.value } } : {}),
});

export interface GpAppointmentRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly mode: string;
  readonly practice: string;
}

const GP_CLASS: Record<string, string> = { 'home-visit': 'HH', online: 'VR' };

export const exportGpAppointment = (r: GpAppointmentRow): FhirResource => ({
  resourceType: 'Encounter',
  id: `gp-${r.id}`,
  status: 'finished',
  class: { system: ACT_CODE, code: GP_CLASS[r.mode] ?? 'AMB' },
  subject: { reference: `Patient/${r.personId}` },
  period: { start: r.day, end: r.day },
  serviceProvider: { reference: `Organization/ods-${r.practice}` },
});

export interface OutpatientRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly specialty: string;
}

/** The provider of outpatient appointments (an ODS code that is not a practice's, so the import reads them as outpatients). */
export const OUTPATIENT_PROVIDER = 'RR8';

export const exportOutpatient = (r: OutpatientRow): FhirResource => ({
  resourceType: 'Encounter',
  id: `op-${r.id}`,
  status: 'finished',
  class: { system: ACT_CODE, code: 'AMB' },
  ...(/^\d{3}$/.test(r.specialty) ? { serviceType: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/Specialty-1', code: r.specialty }] } } : {}),
  subject: { reference: `Patient/${r.personId}` },
  period: { start: r.day, end: r.day },
  serviceProvider: { reference: `Organization/ods-${OUTPATIENT_PROVIDER}` },
});

const AE_DISPOSITION: Record<string, string | undefined> = { discharged: 'home', referred: 'other-hcf', left: 'aadvice', died: 'exp', admitted: undefined };

export interface AeRow {
  readonly id: string;
  readonly personId: string;
  /** `YYYY-MM-DD HH:MM:SS` local time. */
  readonly arrival: string;
  readonly departure: string;
  readonly disposal: string;
}

const localDateTime = (t: string): string => t.replace(' ', 'T');

export const exportAeAttendance = (r: AeRow): FhirResource => {
  const disposition = AE_DISPOSITION[r.disposal];
  return {
    resourceType: 'Encounter',
    id: `ae-${r.id}`,
    status: 'finished',
    class: { system: ACT_CODE, code: 'EMER' },
    subject: { reference: `Patient/${r.personId}` },
    period: { start: localDateTime(r.arrival), end: localDateTime(r.departure) },
    ...(disposition !== undefined ? { hospitalization: { dischargeDisposition: { coding: [{ system: DISCHARGE, code: disposition }] } } } : {}),
  };
};

const SPELL_DISPOSITION: Record<string, string> = { home: 'home', other_hospital: 'other-hcf', care_home: 'snf', died: 'exp' };

export interface SpellRow {
  readonly id: string;
  readonly personId: string;
  readonly admission: string;
  readonly discharge: string;
  readonly method: string;
  readonly diagnosis: string;
  readonly destination: string;
}

export const exportHospitalSpell = (r: SpellRow): FhirResource => ({
  resourceType: 'Encounter',
  id: `spell-${r.id}`,
  status: 'finished',
  class: { system: ACT_CODE, code: 'IMP' },
  ...(r.method === 'emergency' ? { priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority', code: 'EM' }] } } : {}),
  subject: { reference: `Patient/${r.personId}` },
  period: { start: r.admission, end: r.discharge },
  reasonCode: [{ coding: [{ system: ICD10, code: r.diagnosis }] }],
  hospitalization: { dischargeDisposition: { coding: [{ system: DISCHARGE, code: SPELL_DISPOSITION[r.destination] ?? 'home' }] } },
});
