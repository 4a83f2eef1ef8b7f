import { describe, expect, it } from 'vitest';
import { UK_CORE_CONSTRAINTS, ukCoreProblems } from './validate.js';
import { carePlanResource, conditionResource, episodeOfCareResource, organizationResource, patientResource, serviceRequestResource, taskResource, locationResource, healthcareServiceResource, type FhirResource } from './resources.js';
import { EPISODE, PATIENT, PLAN, REFERRAL, SERVICE, TASK } from './test-fixtures.js';
import { FHIR_VALIDATED_TYPES } from './profiles.js';
import { exportAeAttendance, exportBirth, exportCarerRelationship, exportClinicalEvent, exportHospitalSpell, exportMedication, exportOptOut, exportOutpatient, exportPerson, exportPracticeRoles } from './export.js';

const observation = exportClinicalEvent({ id: '1', personId: '1', day: '2024-05-01', snomed: '60621009', value: 27.5 });
const birthObservation = exportBirth({ babyId: '2', motherId: '1', day: '2025-05-06', weightGrams: 3120, gestationWeeks: 39, smokingAtDelivery: true })[1]!;
const encounter = exportAeAttendance({ id: '1', personId: '1', arrival: '2021-07-01 10:00:00', departure: '2021-07-01 12:00:00', departmentType: '01', disposal: 'admitted' });
const spell = exportHospitalSpell({ id: '1', personId: '1', admission: '2022-01-01', discharge: '2022-01-03', method: 'maternity', diagnosis: 'O800', externalCause: null, destination: 'home' }) as Record<string, any>;
const prescription = exportMedication({ id: '1', personId: '1', day: '2025-01-02', bnf: '0302' });
const carer = exportCarerRelationship({ carerId: '1', caredForId: '3', start: '2024-02-03', end: null });
const optOut = exportOptOut({ personId: '1', kind: 'type-1', recorded: null });
const noShow = exportOutpatient({ id: '1', personId: '1', day: '2024-07-01', specialty: '300', attended: false }) as Record<string, any>;
const role = exportPracticeRoles('B86001')[0]!;
const linked = exportPerson({ ...PATIENT, registrationDate: '2001-01-01', links: ['mother-2'] })[0]! as Record<string, any>;

const patient = patientResource(PATIENT) as Record<string, any>;
const nhsIdentifier = patient.identifier[0];
const condition = conditionResource({ personId: '17', code: '38341003', term: 'Hypertensive disorder', first: '2019-05-01' }) as Record<string, any>;

const without = (r: FhirResource, key: string): FhirResource => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key)) as FhirResource;
const withField = (r: FhirResource, key: string, value: unknown): FhirResource => ({ ...r, [key]: value });

// [what is wrong, the resource, the path of the problem, words of its message]
const BROKEN: [string, FhirResource, string, string][] = [
  ['no UK Core profile', withField(patient as FhirResource, 'meta', { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }), 'Patient.meta.profile', 'UKCore-Patient'],
  ['a bad id', withField(patient as FhirResource, 'id', 'a b'), 'Patient.id', 'FHIR id'],
  ['two NHS numbers', withField(patient as FhirResource, 'identifier', [nhsIdentifier, nhsIdentifier]), 'Patient.identifier', 'identifier:nhsNumber is 0..1'],
  ['an NHS number without a value', withField(patient as FhirResource, 'identifier', [{ ...nhsIdentifier, value: undefined }]), 'Patient.identifier[0].value', '1..1'],
  ['an invalid NHS number', withField(patient as FhirResource, 'identifier', [{ ...nhsIdentifier, value: '9434765918' }]), 'Patient.identifier[0].value', 'not a valid NHS number'],
  ['a verification status outside the value set', withField(patient as FhirResource, 'identifier', [{ ...nhsIdentifier, extension: [{ ...nhsIdentifier.extension[0], valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland', code: '09' }] } }] }]), 'Patient.identifier[0].extension[0].valueCodeableConcept', 'UKCore-NHSNumberVerificationStatus'],
  ['a verification status without a value', withField(patient as FhirResource, 'identifier', [{ ...nhsIdentifier, extension: [{ url: nhsIdentifier.extension[0].url }] }]), 'Patient.identifier[0].extension[0].valueCodeableConcept', '1..1'],
  ['two verification statuses', withField(patient as FhirResource, 'identifier', [{ ...nhsIdentifier, extension: [nhsIdentifier.extension[0], nhsIdentifier.extension[0]] }]), 'Patient.identifier[0].extension', '0..1'],
  ['an ethnic category outside England\'s codes', patientResource({ ...PATIENT, ethnicCategory: 'Q' }), 'Patient.extension[0].valueCodeableConcept', 'UKCore-EthnicCategoryEngland'],
  ['two ethnic categories', { ...patientResource({ ...PATIENT, ethnicCategory: 'A' }), extension: [...(patientResource({ ...PATIENT, ethnicCategory: 'A' }).extension as object[]), ...(patientResource({ ...PATIENT, ethnicCategory: 'B' }).extension as object[])] }, 'Patient.extension', 'ethnicCategory is 0..1'],
  ['a malformed date of death', withField(patient as FhirResource, 'deceasedDateTime', '2026-02-01T25:00:00Z'), 'Patient.deceasedDateTime', 'FHIR dateTime'],
  ['a ServiceRequest without a subject', without(serviceRequestResource(REFERRAL, 'x'), 'subject'), 'ServiceRequest.subject', ''],
  ['a HealthcareService whose active is not a boolean', withField(healthcareServiceResource(SERVICE, []), 'active', 'yes'), 'HealthcareService.active', ''],
  ['a gender outside administrative-gender', withField(patient as FhirResource, 'gender', 'F'), 'Patient.gender', ''],
  ['a malformed birth date', withField(patient as FhirResource, 'birthDate', '1950-13-01'), 'Patient.birthDate', 'FHIR date'],
  ['a Condition without a subject', without(condition as FhirResource, 'subject'), 'Condition.subject', ''],
  ['a Condition about a Practitioner', withField(condition as FhirResource, 'subject', { reference: 'Practitioner/1' }), 'Condition.subject', 'must refer to Patient'],
  ['a clinical status outside condition-clinical', withField(condition as FhirResource, 'clinicalStatus', { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'ongoing' }] }), 'Condition.clinicalStatus.coding[0].code', 'not in'],
  ['a clinical status of another system', withField(condition as FhirResource, 'clinicalStatus', { coding: [{ system: 'http://snomed.info/sct', code: '55561003' }] }), 'Condition.clinicalStatus.coding', 'needs a coding'],
  ['a category outside the value set', withField(condition as FhirResource, 'category', [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'worry' }] }]), 'Condition.category[0]', 'condition-category'],
  ['con-3: a problem-list item without a clinical status', without(condition as FhirResource, 'clinicalStatus'), 'Condition.clinicalStatus', 'con-3'],
  ['con-5: a clinical status when entered in error', withField(condition as FhirResource, 'verificationStatus', { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] }), 'Condition.clinicalStatus', 'con-5'],
  ['an invalid SNOMED CT id', withField(condition as FhirResource, 'code', { coding: [{ system: 'http://snomed.info/sct', code: 'HYP' }] }), 'Condition.code.coding[0].code', 'SNOMED CT'],
  ['a CarePlan without a status', without(carePlanResource(PLAN), 'status'), 'CarePlan.status', ''],
  ['a CarePlan with an intent outside care-plan-intent', withField(carePlanResource(PLAN), 'intent', 'directive'), 'CarePlan.intent', ''],
  ['a CarePlan without a subject', without(carePlanResource(PLAN), 'subject'), 'CarePlan.subject', ''],
  ['a ServiceRequest without an intent', without(serviceRequestResource(REFERRAL, 'x'), 'intent'), 'ServiceRequest.intent', ''],
  ['a ServiceRequest with a status outside request-status', withField(serviceRequestResource(REFERRAL, 'x'), 'status', 'attending'), 'ServiceRequest.status', ''],
  ['prr-1: orderDetail without a code', withField(without(serviceRequestResource(REFERRAL, 'x'), 'code'), 'orderDetail', [{ text: 'x' }]), 'ServiceRequest.orderDetail', 'prr-1'],
  ['a Task with a status outside task-status', withField(taskResource(TASK, null), 'status', 'open'), 'Task.status', ''],
  ['a Task without an intent', without(taskResource(TASK, null), 'intent'), 'Task.intent', ''],
  ['inv-1: a Task modified before it was raised', withField(taskResource(TASK, null), 'lastModified', '2026-10-01T00:00:00Z'), 'Task.lastModified', 'inv-1'],
  ['an EpisodeOfCare without a patient', without(episodeOfCareResource(EPISODE), 'patient'), 'EpisodeOfCare.patient', ''],
  ['an EpisodeOfCare ending before it starts', withField(episodeOfCareResource(EPISODE), 'period', { start: '2026-02-01', end: '2026-01-01' }), 'EpisodeOfCare.period.end', 'per-1'],
  ['a status outside episode-of-care-status', withField(episodeOfCareResource(EPISODE), 'status', 'discharged'), 'EpisodeOfCare.status', ''],
  ['a Location with a status outside location-status', withField(locationResource(SERVICE)!, 'status', 'open'), 'Location.status', ''],
  ['two ODS site codes on a Location', withField(locationResource(SERVICE)!, 'identifier', [{ system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'A' }, { system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'B' }]), 'Location.identifier', 'odsSiteCode is 0..1'],
  ['an ODS organisation code without a value', withField(organizationResource(SERVICE), 'identifier', [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code' }]), 'Organization.identifier[0].value', '1..1'],
  ['org-1: an Organization without identifier or name', without(without(organizationResource(SERVICE), 'identifier'), 'name'), 'Organization.name', 'org-1'],
  ['a HealthcareService provided by a Patient', withField(healthcareServiceResource(SERVICE, []), 'providedBy', { reference: 'Patient/1' }), 'HealthcareService.providedBy', 'Organization'],
  ['a reference with nothing in it', withField(healthcareServiceResource(SERVICE, []), 'providedBy', {}), 'HealthcareService.providedBy', 'ref-1'],
  ['an LSOA extension without an LSOA code', withField(linked as FhirResource, 'address', [{ extension: [{ url: 'https://openphm.org/StructureDefinition/address-lsoa-2011', valueCode: 'LS1' }] }]), 'Patient.address[0].extension[0].valueCode', '2011 LSOA code'],
  ['a Patient.link to an Organization', withField(linked as FhirResource, 'link', [{ other: { reference: 'Organization/1' }, type: 'seealso' }]), 'Patient.link[0].other', 'must refer to Patient or RelatedPerson'],
  ['a Patient.link of no link-type', withField(linked as FhirResource, 'link', [{ ...linked.link[0], type: 'mother' }]), 'Patient.link[0].type', ''],
  ['an Observation without a status', without(observation, 'status'), 'Observation.status', ''],
  ['an Observation with a status outside observation-status', withField(observation, 'status', 'done'), 'Observation.status', ''],
  ['an Observation without a code', without(observation, 'code'), 'Observation.code', ''],
  ['an Observation with an invalid SNOMED CT code', withField(observation, 'code', { coding: [{ system: 'http://snomed.info/sct', code: 'BMI' }] }), 'Observation.code.coding[0].code', 'SNOMED CT'],
  ['an Observation about an Organization', withField(observation, 'subject', { reference: 'Organization/1' }), 'Observation.subject', 'must refer to Patient'],
  ['an Observation with a malformed date', withField(observation, 'effectiveDateTime', '2024-05-01T10:00'), 'Observation.effectiveDateTime', 'FHIR dateTime'],
  ['qty-3: a unit code without its system', withField(birthObservation, 'valueQuantity', { value: 3120, code: 'g' }), 'Observation.valueQuantity.system', 'qty-3'],
  ['obs-7: a value and a component of the same code', withField(birthObservation, 'component', [{ code: birthObservation.code, valueQuantity: { value: 1 } }]), 'Observation.component[0].code', 'obs-7'],
  ['an Encounter without a status', without(encounter, 'status'), 'Encounter.status', ''],
  ['an Encounter with a status outside encounter-status', withField(encounter, 'status', 'done'), 'Encounter.status', ''],
  ['an Encounter without a class', without(encounter, 'class'), 'Encounter.class', ''],
  ['an Encounter about a Practitioner', withField(encounter, 'subject', { reference: 'Practitioner/1' }), 'Encounter.subject', 'must refer to Patient'],
  ['an Encounter ending before it starts', withField(encounter, 'period', { start: '2021-07-02', end: '2021-07-01' }), 'Encounter.period.end', 'per-1'],
  ['an Encounter at a time without a zone', withField(encounter, 'period', { start: '2021-07-01T10:00:00' }), 'Encounter.period.start', 'FHIR dateTime'],
  ['an Encounter provided by a Patient', withField(encounter, 'serviceProvider', { reference: 'Patient/1' }), 'Encounter.serviceProvider', 'must refer to Organization'],
  ['an admission method outside UKCore-AdmissionMethodEngland', withField(spell as FhirResource, 'hospitalization', { ...spell.hospitalization, extension: [{ ...spell.hospitalization.extension[0], valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland', code: '41' }] } }] }), 'Encounter.hospitalization.extension[0].valueCodeableConcept.coding[0].code', 'UKCore-AdmissionMethodEngland'],
  ['two admission methods', withField(spell as FhirResource, 'hospitalization', { ...spell.hospitalization, extension: [spell.hospitalization.extension[0], spell.hospitalization.extension[0]] }), 'Encounter.hospitalization.extension', '0..1'],
  ['an admission method without a value', withField(spell as FhirResource, 'hospitalization', { ...spell.hospitalization, extension: [{ url: spell.hospitalization.extension[0].url }] }), 'Encounter.hospitalization.extension[0]', '1..1'],
  ['a discharge disposition of an invalid SNOMED CT code', withField(encounter, 'hospitalization', { dischargeDisposition: { coding: [{ system: 'http://snomed.info/sct', code: 'WARD' }] } }), 'Encounter.hospitalization.dischargeDisposition.coding[0].code', 'SNOMED CT'],
  ['a MedicationRequest without a status', without(prescription, 'status'), 'MedicationRequest.status', ''],
  ['a MedicationRequest with an intent outside medicationrequest-intent', withField(prescription, 'intent', 'issue'), 'MedicationRequest.intent', ''],
  ['a MedicationRequest without its medicine', without(prescription, 'medicationCodeableConcept'), 'MedicationRequest.medicationCodeableConcept', 'medication[x] is 1..1'],
  ['a MedicationRequest without a subject', without(prescription, 'subject'), 'MedicationRequest.subject', ''],
  ['a MedicationRequest without substitution (UK Core 1..1)', without(prescription, 'substitution'), 'MedicationRequest.substitution', ''],
  ['a substitution without allowed[x]', withField(prescription, 'substitution', {}), 'MedicationRequest.substitution', 'allowed[x] is 1..1'],
  ['a RelatedPerson without a patient', without(carer, 'patient'), 'RelatedPerson.patient', ''],
  ['a relationship outside UKCore-PersonRelationshipType', withField(carer, 'relationship', [{ coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole', code: 'Friend' }] }]), 'RelatedPerson.relationship[0].coding[0]', 'UKCore-PersonRelationshipType'],
  ['v2-0131 Other, which UK Core excludes', withField(carer, 'relationship', [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'O' }] }]), 'RelatedPerson.relationship[0].coding[0]', 'UKCore-PersonRelationshipType'],
  ['a RelatedPerson ending before it starts', withField(carer, 'period', { start: '2024-02-03', end: '2024-02-01' }), 'RelatedPerson.period.end', 'per-1'],
  ['a Consent with a status outside consent-state-codes', withField(optOut, 'status', 'withdrawn'), 'Consent.status', ''],
  ['a Consent without a scope', without(optOut, 'scope'), 'Consent.scope', ''],
  ['a Consent without a category', withField(optOut, 'category', []), 'Consent.category', '1..*'],
  ['ppc-1: a Consent without a policy or policy rule', without(optOut, 'policyRule'), 'Consent.policyRule', 'ppc-1'],
  ['ppc-2: a privacy Consent without a patient', without(optOut, 'patient'), 'Consent.patient', 'ppc-2'],
  ['a provision type outside consent-provision-type', withField(optOut, 'provision', { type: 'refuse' }), 'Consent.provision.type', ''],
  ['an Appointment with a status outside appointmentstatus', withField(noShow as FhirResource, 'status', 'dna'), 'Appointment.status', ''],
  ['an Appointment without participants', withField(noShow as FhirResource, 'participant', []), 'Appointment.participant', '1..*'],
  ['a participant without a status', withField(noShow as FhirResource, 'participant', [{ actor: noShow.participant[0].actor }]), 'Appointment.participant[0].status', ''],
  ['app-1: a participant without a type or an actor', withField(noShow as FhirResource, 'participant', [{ status: 'accepted' }]), 'Appointment.participant[0]', 'app-1'],
  ['app-2: a start without an end', without(noShow as FhirResource, 'end'), 'Appointment.end', 'app-2'],
  ['app-3: a missed appointment without a time', without(without(noShow as FhirResource, 'end'), 'start'), 'Appointment.start', 'app-3'],
  ['an Encounter participant that is an Organization', withField(encounter, 'participant', [{ individual: { reference: 'Organization/1' } }]), 'Encounter.participant[0].individual', 'must refer to Practitioner or PractitionerRole or RelatedPerson'],
  ['a PractitionerRole of a Patient', withField(role, 'organization', { reference: 'Patient/1' }), 'PractitionerRole.organization', 'must refer to Organization'],
  ['a PractitionerRole whose active is not a boolean', withField(role, 'active', 'yes'), 'PractitionerRole.active', ''],
  ['a PractitionerRole code that is not a SNOMED CT id', withField(role, 'code', [{ coding: [{ system: 'http://snomed.info/sct', code: 'GP' }] }]), 'PractitionerRole.code[0].coding[0].code', 'SNOMED CT'],
  ['a PractitionerRole ending before it starts', withField(role, 'period', { start: '2024-02-03', end: '2024-02-01' }), 'PractitionerRole.period.end', 'per-1'],
  ['a start that is not an instant', withField(withField(noShow as FhirResource, 'start', '2024-07-01'), 'end', '2024-07-01'), 'Appointment.start', 'FHIR instant'],
];

describe('UK Core validation', () => {
  it.each(BROKEN)('%s is refused', (_what, resource, path, words) => {
    const problems = ukCoreProblems(resource);
    expect(problems.length, JSON.stringify(problems)).toBeGreaterThan(0);
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toContain(words);
  });

  it('a type FHIR out does not write is refused', () => {
    expect(ukCoreProblems({ resourceType: 'Medication', id: '1' })).toEqual([{ path: 'resourceType', message: '"Medication" is not a type FHIR out writes' }]);
    expect(ukCoreProblems(null)[0]!.path).toBe('resourceType');
  });

  it('lists the constraints it checks for every type it writes', () => {
    for (const type of FHIR_VALIDATED_TYPES) expect(UK_CORE_CONSTRAINTS.filter((c) => c.type === type).length, type).toBeGreaterThanOrEqual(3);
  });
});
