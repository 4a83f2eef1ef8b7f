/**
 * The person-level tables as FHIR R4 resources for Bulk FHIR NDJSON export (`phm export --fhir`),
 * written as the inverse of the FHIR import's mapping (../map.ts), so that exporting and importing
 * again gives the same rows. Every resource names its UK Core profile and conforms to the UK Core
 * constraints validate.ts checks. Pure: the caller reads the rows (store-duckdb) and writes the files.
 *
 * Table by table (docs/fhir-api.md, "Round trip", has the table and the reasons):
 * - person: Patient (sex, birth date, ethnic category, the postcode of the identity, which lies in
 *   the person's LSOA; the practice) and an EpisodeOfCare at the practice (the registration date);
 *   is_carer comes back from the GP record's carer code (SNOMED CT 224484003), which it mirrors;
 * - identity: on the Patient; death: Patient.deceasedDateTime, and an Observation 'Cause of death'
 *   (SNOMED CT 184305005) valued with the underlying cause in ICD-10, the place of death in a component;
 * - clinical_event: Observation (SNOMED CT, value); medication: MedicationRequest coded in BNF;
 * - gp_appointment: Encounter (AMB, HH home visit, VR online; VR with the type 'Telephone encounter'
 *   for telephone), the staff seen a participant: a PractitionerRole of the practice (GP, nurse, other);
 * - ae_attendance: Encounter EMER, the department type as service type, the disposal as discharge
 *   disposition ('Discharge to ward' for admitted);
 * - hospital_spell: Encounter IMP, the admission method (UK Core extension), priority EM for
 *   emergencies, ICD-10 reason codes (the primary diagnosis, then any external cause), discharge disposition;
 * - outpatient_appointment: an attended one is an Encounter AMB at a trust, specialty as service
 *   type; one not attended an Appointment with status noshow;
 * - community_contact, mental_health_contact, social_care_event: Encounter with the service (or the
 *   kind of social care event) as service type;
 * - care_home_stay: EpisodeOfCare typed as a care home stay (kind of care, permanent, council-funded);
 * - birth: an Observation 'Birth weight' of the baby (gestation and the mother's smoking at delivery as
 *   components) and a RelatedPerson 'natural mother' of the baby, linked from the mother's Patient;
 * - carer_relationship: a RelatedPerson 'Carer' of the person cared for, linked from the carer's Patient;
 * - opt_out: Consent (deny), with the type 1 dissent code or the national data opt-out's policy.
 */
import { TABLE_NAMES, type TableName } from '../../schema/tables.js';
import { FHIR_ROUND_TRIP as R, FHIR_ROUND_TRIP_CODES as C } from '../systems.js';
import { UK_CORE_PROFILES, type FhirValidatedType } from './profiles.js';
import { patientResource, type FhirResource, type PatientInput } from './resources.js';

export const EXPORT_ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const LOINC = 'http://loinc.org';
const BNF = 'https://www.nhsbsa.nhs.uk/bnf';
const ACT_CODE = R.actCode;
const DISCHARGE = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

const meta = (type: FhirValidatedType) => ({ profile: [UK_CORE_PROFILES[type].url] });
const patientRef = (personId: string) => ({ reference: `Patient/${personId}` });
const coded = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display !== undefined ? { display } : {}) }] });

/** Every table the export writes: all of OpenPHM's person-level tables. */
export const FHIR_EXPORT_TABLES: readonly TableName[] = TABLE_NAMES;
/** Columns of exported tables the round trip does not keep (`table.column`): none. */
export const FHIR_EXPORT_LOST_COLUMNS: readonly `${string}.${string}`[] = [];
/** The resource types the export writes, one NDJSON file each. */
export const FHIR_EXPORT_RESOURCE_TYPES = ['Organization', 'PractitionerRole', 'Patient', 'EpisodeOfCare', 'Observation', 'Encounter', 'MedicationRequest', 'Appointment', 'RelatedPerson', 'Consent'] as const;

/** The Organization of a practice or provider by its ODS code (id `ods-<code>`). */
export const odsOrganization = (code: string): FhirResource => ({
  resourceType: 'Organization',
  id: `ods-${code}`,
  meta: meta('Organization'),
  identifier: [{ system: EXPORT_ODS, value: code }],
  name: code,
});

const STAFF_ROLES: Record<string, { id: string; code: string; display: string }> = {
  GP: { id: 'gp', code: C.generalPractitioner, display: 'General practitioner' },
  Nurse: { id: 'nurse', code: C.professionalNurse, display: 'Professional nurse' },
  Other: { id: 'other', code: C.healthcareProfessional, display: 'Healthcare professional' },
};
const roleId = (practice: string, role: string): string => `role-${practice}-${STAFF_ROLES[role]?.id ?? 'other'}`;

/** The roles of a practice's staff whom people see (GP, nurse, other), as PractitionerRoles of the practice: GP appointments name theirs. */
export const exportPracticeRoles = (practice: string): FhirResource[] =>
  Object.keys(STAFF_ROLES).map((role) => ({
    resourceType: 'PractitionerRole',
    id: roleId(practice, role),
    meta: meta('PractitionerRole'),
    active: true,
    organization: { reference: `Organization/ods-${practice}` },
    code: [coded(SNOMED, STAFF_ROLES[role]!.code, STAFF_ROLES[role]!.display)],
  }));

export interface ExportPerson extends PatientInput {
  readonly registrationDate: string;
  /** The 2011 LSOA the person lives in: an extension of the home address (FHIR_ROUND_TRIP.lsoaExtension), with or without the identity's postcode. */
  readonly lsoa?: string;
  /** Ids of the RelatedPersons that are this person in another role (mother of a baby, carer of someone): Patient.link. */
  readonly links?: readonly string[];
}

/** A person as a Patient and their registration as an EpisodeOfCare at the practice (the import's registration date). */
export const exportPerson = (p: ExportPerson): FhirResource[] => {
  const patient = patientResource(p);
  const lsoa = p.lsoa !== undefined ? { url: R.lsoaExtension, valueCode: p.lsoa } : undefined;
  const addresses = (patient.address as readonly Record<string, unknown>[] | undefined) ?? [];
  const address = lsoa === undefined ? addresses : addresses.length > 0 ? addresses.map((a, i) => (i === 0 ? { extension: [lsoa], ...a } : a)) : [{ extension: [lsoa], use: 'home' }];
  return [
    {
      ...patient,
      ...(address.length > 0 ? { address } : {}),
      ...(p.links !== undefined && p.links.length > 0 ? { link: p.links.map((id) => ({ other: { reference: `RelatedPerson/${id}` }, type: 'seealso' })) } : {}),
    },
    {
      resourceType: 'EpisodeOfCare',
      id: `registration-${p.personId}`,
      meta: meta('EpisodeOfCare'),
      status: 'active',
      type: [{ text: 'GP registration' }],
      patient: patientRef(p.personId),
      managingOrganization: { reference: `Organization/ods-${p.practice.code}` },
      period: { start: p.registrationDate },
    },
  ];
};

export interface DeathRow {
  readonly personId: string;
  readonly day: string;
  readonly cause: string;
  readonly place: string;
}

/** The death registration's underlying cause (ICD-10) and place: an Observation 'Cause of death' of the person (the date is Patient.deceasedDateTime). */
export const exportDeath = (r: DeathRow): FhirResource => ({
  resourceType: 'Observation',
  id: `death-${r.personId}`,
  meta: meta('Observation'),
  status: 'final',
  code: coded(SNOMED, C.causeOfDeath, 'Cause of death'),
  subject: patientRef(r.personId),
  effectiveDateTime: r.day,
  valueCodeableConcept: coded(ICD10, r.cause),
  component: [{ code: coded(LOINC, C.locationOfDeath, 'Location of death'), valueCodeableConcept: coded(R.placeOfDeath, r.place) }],
});

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
  meta: meta('Observation'),
  status: 'final',
  code: coded(SNOMED, r.snomed),
  subject: patientRef(r.personId),
  effectiveDateTime: r.day,
  ...(r.value !== null ? { valueQuantity: { value: r.value } } : {}),
});

export interface MedicationRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly bnf: string;
}

/** A prescription issued: MedicationRequest (order, completed) coded in BNF, authored on the issue date. */
export const exportMedication = (r: MedicationRow): FhirResource => ({
  resourceType: 'MedicationRequest',
  id: `med-${r.id}`,
  meta: meta('MedicationRequest'),
  status: 'completed',
  intent: 'order',
  medicationCodeableConcept: coded(BNF, r.bnf),
  subject: patientRef(r.personId),
  authoredOn: r.day,
  // UK Core makes substitution 1..1; the prescribing record does not say, and generic dispensing is the default.
  substitution: { allowedBoolean: true },
});

export interface GpAppointmentRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly mode: string;
  /** GP, Nurse or Other: a PractitionerRole of the practice (exportPracticeRoles). */
  readonly staffRole: string;
  readonly practice: string;
}

const GP_CLASS: Record<string, string> = { 'home-visit': 'HH', online: 'VR', telephone: 'VR' };

export const exportGpAppointment = (r: GpAppointmentRow): FhirResource => ({
  resourceType: 'Encounter',
  id: `gp-${r.id}`,
  meta: meta('Encounter'),
  status: 'finished',
  class: { system: ACT_CODE, code: GP_CLASS[r.mode] ?? 'AMB' },
  ...(r.mode === 'telephone' ? { type: [coded(SNOMED, C.telephoneEncounter, 'Telephone encounter')] } : {}),
  subject: patientRef(r.personId),
  participant: [{ individual: { reference: `PractitionerRole/${roleId(r.practice, r.staffRole)}` } }],
  period: { start: r.day, end: r.day },
  serviceProvider: { reference: `Organization/ods-${r.practice}` },
});

export interface OutpatientRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  readonly specialty: string;
  readonly attended: boolean;
}

/** The provider of outpatient appointments (an ODS code that is not a practice's, so the import reads them as outpatients). */
export const OUTPATIENT_PROVIDER = 'RR8';

/** An attended outpatient appointment is an Encounter; one not attended an Appointment with status noshow (an Encounter is care that happened). */
export const exportOutpatient = (r: OutpatientRow): FhirResource => {
  const specialty = /^\d{3}$/.test(r.specialty) ? [coded(R.specialty, r.specialty)] : undefined;
  if (!r.attended) {
    return {
      resourceType: 'Appointment',
      id: `op-${r.id}`,
      meta: meta('Appointment'),
      status: 'noshow',
      serviceType: specialty ?? [{ text: r.specialty }],
      start: `${r.day}T00:00:00Z`,
      end: `${r.day}T00:00:00Z`,
      participant: [{ actor: patientRef(r.personId), status: 'accepted' }],
    };
  }
  return {
    resourceType: 'Encounter',
    id: `op-${r.id}`,
    meta: meta('Encounter'),
    status: 'finished',
    class: { system: ACT_CODE, code: 'AMB' },
    ...(specialty !== undefined ? { serviceType: specialty[0] } : {}),
    subject: patientRef(r.personId),
    period: { start: r.day, end: r.day },
    serviceProvider: { reference: `Organization/ods-${OUTPATIENT_PROVIDER}` },
  };
};

const AE_DISPOSITION: Record<string, { system: string; code: string; display?: string }> = {
  discharged: { system: DISCHARGE, code: 'home' },
  referred: { system: DISCHARGE, code: 'other-hcf' },
  left: { system: DISCHARGE, code: 'aadvice' },
  died: { system: DISCHARGE, code: 'exp' },
  admitted: { system: SNOMED, code: C.dischargeToWard, display: 'Discharge to ward' },
};

export interface AeRow {
  readonly id: string;
  readonly personId: string;
  /** `YYYY-MM-DD HH:MM:SS` local time. */
  readonly arrival: string;
  readonly departure: string;
  readonly departmentType: string;
  readonly disposal: string;
}

/** The last Sunday of a month (1-12) of a year, as a day of the month. */
const lastSunday = (year: number, month: number): number => {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
};

/**
 * A local time of the partnership (`YYYY-MM-DD HH:MM:SS`, as ECDS records it) as a FHIR dateTime, which
 * needs a zone once it has a time: the UK's offset at that time (+01:00 in British Summer Time, from
 * 01:00 on the last Sunday of March to 01:00 on the last Sunday of October, else +00:00). The clock
 * time is written as it is, so the import (which reads the time as written) gives it back.
 */
export const localDateTime = (t: string): string => {
  const [day, time = '00:00:00'] = t.split(' ');
  const [y, m, d] = day!.split('-').map(Number) as [number, number, number];
  const hour = Number(time.slice(0, 2));
  const after = (month: number) => m > month || (m === month && (d > lastSunday(y, month) || (d === lastSunday(y, month) && hour >= 1)));
  const summer = after(3) && !after(10);
  return `${day}T${time}${summer ? '+01:00' : '+00:00'}`;
};

export const exportAeAttendance = (r: AeRow): FhirResource => {
  const disposition = AE_DISPOSITION[r.disposal];
  return {
    resourceType: 'Encounter',
    id: `ae-${r.id}`,
    meta: meta('Encounter'),
    status: 'finished',
    class: { system: ACT_CODE, code: 'EMER' },
    serviceType: coded(R.emergencyDepartmentType, r.departmentType),
    subject: patientRef(r.personId),
    period: { start: localDateTime(r.arrival), end: localDateTime(r.departure) },
    ...(disposition !== undefined ? { hospitalization: { dischargeDisposition: coded(disposition.system, disposition.code, disposition.display) } } : {}),
  };
};

const SPELL_DISPOSITION: Record<string, string> = { home: 'home', other_hospital: 'other-hcf', care_home: 'snf', died: 'exp' };
/** OpenPHM's admission method groups as the first NHS Data Dictionary code of each group (the import reads any code of a group). */
const ADMISSION_METHOD: Record<string, { code: string; display: string }> = {
  elective: { code: '11', display: 'Elective Admission: Waiting list' },
  emergency: { code: '21', display: 'Emergency Admission: Emergency Care Department or dental casualty department of the Health Care Provider' },
  maternity: { code: '31', display: 'Maternity Admission: Admitted ante partum' },
};

export interface SpellRow {
  readonly id: string;
  readonly personId: string;
  readonly admission: string;
  readonly discharge: string;
  readonly method: string;
  readonly diagnosis: string;
  readonly externalCause: string | null;
  readonly destination: string;
}

export const exportHospitalSpell = (r: SpellRow): FhirResource => {
  const method = ADMISSION_METHOD[r.method];
  return {
    resourceType: 'Encounter',
    id: `spell-${r.id}`,
    meta: meta('Encounter'),
    status: 'finished',
    class: { system: ACT_CODE, code: 'IMP' },
    ...(r.method === 'emergency' ? { priority: coded('http://terminology.hl7.org/CodeSystem/v3-ActPriority', 'EM') } : {}),
    subject: patientRef(r.personId),
    period: { start: r.admission, end: r.discharge },
    reasonCode: [coded(ICD10, r.diagnosis), ...(r.externalCause !== null ? [coded(ICD10, r.externalCause)] : [])],
    hospitalization: {
      ...(method !== undefined ? { extension: [{ url: R.admissionMethodExtension, valueCodeableConcept: coded(R.admissionMethodEngland, method.code, method.display) }] } : {}),
      dischargeDisposition: coded(DISCHARGE, SPELL_DISPOSITION[r.destination] ?? 'home'),
    },
  };
};

export interface ContactRow {
  readonly id: string;
  readonly personId: string;
  readonly day: string;
  /** The service (community, mental health) or the kind of social care event. */
  readonly service: string;
}

const contact = (prefix: string, system: string) => (r: ContactRow): FhirResource => ({
  resourceType: 'Encounter',
  id: `${prefix}-${r.id}`,
  meta: meta('Encounter'),
  status: 'finished',
  class: { system: ACT_CODE, code: 'AMB' },
  serviceType: coded(system, r.service),
  subject: patientRef(r.personId),
  period: { start: r.day, end: r.day },
});
export const exportCommunityContact = contact('cc', R.communityService);
export const exportMentalHealthContact = contact('mh', R.mentalHealthService);
export const exportSocialCareEvent = contact('sc', R.socialCareEvent);

export interface CareHomeStayRow {
  readonly id: string;
  readonly personId: string;
  readonly start: string;
  readonly end: string | null;
  readonly careType: string;
  readonly permanent: boolean;
  readonly councilFunded: boolean;
}

export const exportCareHomeStay = (r: CareHomeStayRow): FhirResource => ({
  resourceType: 'EpisodeOfCare',
  id: `care-home-${r.id}`,
  meta: meta('EpisodeOfCare'),
  status: r.end === null ? 'active' : 'finished',
  type: [
    coded(R.careHomeStay, r.careType === 'nursing' ? 'nursing-care' : 'residential-care'),
    coded(R.careHomeStay, r.permanent ? 'permanent' : 'short-term'),
    coded(R.careHomeStay, r.councilFunded ? 'council-funded' : 'not-council-funded'),
  ],
  patient: patientRef(r.personId),
  period: { start: r.start, ...(r.end !== null ? { end: r.end } : {}) },
});

export interface BirthRow {
  readonly babyId: string;
  readonly motherId: string;
  readonly day: string;
  readonly weightGrams: number;
  readonly gestationWeeks: number;
  readonly smokingAtDelivery: boolean | null;
}

/** The RelatedPerson that is a baby's mother (the mother's Patient links to it). */
export const motherLinkId = (babyId: string): string => `mother-${babyId}`;

/** A birth: the baby's birth weight Observation (gestation, the mother's smoking at delivery) and their mother as a RelatedPerson. */
export const exportBirth = (r: BirthRow): FhirResource[] => [
  {
    resourceType: 'RelatedPerson',
    id: motherLinkId(r.babyId),
    meta: meta('RelatedPerson'),
    patient: patientRef(r.babyId),
    relationship: [coded(R.roleCode, 'NMTH', 'natural mother')],
  },
  {
    resourceType: 'Observation',
    id: `birth-${r.babyId}`,
    meta: meta('Observation'),
    status: 'final',
    code: coded(LOINC, C.birthWeight, 'Birth weight Measured'),
    subject: patientRef(r.babyId),
    effectiveDateTime: r.day,
    valueQuantity: { value: r.weightGrams, unit: 'g', system: R.ucum, code: 'g' },
    component: [
      { code: coded(LOINC, C.gestationalAge, 'Gestational age'), valueQuantity: { value: r.gestationWeeks, unit: 'wk', system: R.ucum, code: 'wk' } },
      ...(r.smokingAtDelivery !== null
        ? [{ code: { ...coded(LOINC, C.tobaccoSmokingStatus, 'Tobacco smoking status'), text: "Mother's smoking status at delivery" }, valueCodeableConcept: r.smokingAtDelivery ? coded(SNOMED, C.smoker, 'Smoker') : coded(SNOMED, C.nonSmoker, 'Non-smoker') }]
        : []),
    ],
  },
];

export interface CarerRow {
  readonly carerId: string;
  readonly caredForId: string;
  readonly start: string;
  readonly end: string | null;
}

/** The RelatedPerson that is a carer of someone (the carer's Patient links to it). */
export const carerLinkId = (r: CarerRow): string => `carer-${r.carerId}-${r.caredForId}-${r.start.replace(/-/g, '')}`;

export const exportCarerRelationship = (r: CarerRow): FhirResource => ({
  resourceType: 'RelatedPerson',
  id: carerLinkId(r),
  meta: meta('RelatedPerson'),
  patient: patientRef(r.caredForId),
  relationship: [coded(R.additionalRelationship, 'Carer', 'Carer of patient')],
  period: { start: r.start, ...(r.end !== null ? { end: r.end } : {}) },
});

export interface OptOutRow {
  readonly personId: string;
  readonly kind: string;
  readonly recorded: string | null;
}

export const exportOptOut = (r: OptOutRow): FhirResource => ({
  resourceType: 'Consent',
  id: `opt-out-${r.personId}-${r.kind}`,
  meta: meta('Consent'),
  status: 'active',
  scope: coded(R.consentScope, 'patient-privacy', 'Privacy Consent'),
  category: [coded(LOINC, '59284-0', 'Patient Consent')],
  patient: patientRef(r.personId),
  ...(r.recorded !== null ? { dateTime: r.recorded } : {}),
  ...(r.kind === 'type-1'
    ? { policyRule: coded(SNOMED, C.type1OptOut, 'Dissent from secondary use of general practitioner patient identifiable data') }
    : { policy: [{ uri: R.nationalDataOptOut }] }),
  provision: { type: 'deny' },
});

/** The rows of a range of people (store-duckdb's readFhirExportBatch). */
export interface FhirExportRows {
  readonly people: readonly ExportPerson[];
  readonly deaths: readonly DeathRow[];
  readonly clinicalEvents: readonly ClinicalEventRow[];
  readonly medications: readonly MedicationRow[];
  readonly gpAppointments: readonly GpAppointmentRow[];
  readonly aeAttendances: readonly AeRow[];
  readonly hospitalSpells: readonly SpellRow[];
  readonly outpatients: readonly OutpatientRow[];
  readonly communityContacts: readonly ContactRow[];
  readonly mentalHealthContacts: readonly ContactRow[];
  readonly socialCareEvents: readonly ContactRow[];
  readonly careHomeStays: readonly CareHomeStayRow[];
  readonly births: readonly BirthRow[];
  readonly carers: readonly CarerRow[];
  readonly optOuts: readonly OptOutRow[];
}

/** Every resource of a range of people's rows. */
export const exportResources = (rows: FhirExportRows): FhirResource[] => [
  ...rows.people.flatMap(exportPerson),
  ...rows.deaths.map(exportDeath),
  ...rows.clinicalEvents.map(exportClinicalEvent),
  ...rows.medications.map(exportMedication),
  ...rows.gpAppointments.map(exportGpAppointment),
  ...rows.aeAttendances.map(exportAeAttendance),
  ...rows.hospitalSpells.map(exportHospitalSpell),
  ...rows.outpatients.map(exportOutpatient),
  ...rows.communityContacts.map(exportCommunityContact),
  ...rows.mentalHealthContacts.map(exportMentalHealthContact),
  ...rows.socialCareEvents.map(exportSocialCareEvent),
  ...rows.careHomeStays.map(exportCareHomeStay),
  ...rows.births.flatMap(exportBirth),
  ...rows.carers.map(exportCarerRelationship),
  ...rows.optOuts.map(exportOptOut),
];
