import { describe, expect, it } from 'vitest';
import { UK_CORE_CONSTRAINTS, ukCoreProblems } from './validate.js';
import { carePlanResource, conditionResource, episodeOfCareResource, organizationResource, patientResource, serviceRequestResource, taskResource, locationResource, healthcareServiceResource, type FhirResource } from './resources.js';
import { EPISODE, PATIENT, PLAN, REFERRAL, SERVICE, TASK } from './test-fixtures.js';
import { FHIR_OUT_TYPES } from './profiles.js';

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
    expect(ukCoreProblems({ resourceType: 'Observation', id: '1' })).toEqual([{ path: 'resourceType', message: '"Observation" is not a type FHIR out writes' }]);
    expect(ukCoreProblems(null)[0]!.path).toBe('resourceType');
  });

  it('lists the constraints it checks for every type it writes', () => {
    for (const type of FHIR_OUT_TYPES) expect(UK_CORE_CONSTRAINTS.filter((c) => c.type === type).length, type).toBeGreaterThanOrEqual(3);
  });
});
