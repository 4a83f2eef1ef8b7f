import { describe, expect, it } from 'vitest';
import type { ReferralStatus } from '../../care/referrals.js';
import type { TaskStatus } from '../../care/tasks.js';
import { UK_CORE_PROFILES } from './profiles.js';
import {
  carePlanResource,
  conditionResource,
  episodeOfCareResource,
  fhirDateTime,
  healthcareServiceResource,
  locationResource,
  organizationResource,
  patientResource,
  serviceRequestResource,
  taskResource,
  type FhirResource,
} from './resources.js';
import { EPISODE, PATIENT, PLAN, REFERRAL, SERVICE, TASK } from './test-fixtures.js';
import { ukCoreProblems } from './validate.js';

const ALL: readonly [string, FhirResource][] = [
  ['Patient with identity', patientResource(PATIENT)],
  ['Patient without identity, dead, with ethnic category', patientResource({ ...PATIENT, identity: null, dateOfDeath: '2026-02-01', ethnicCategory: 'A' })],
  ['Condition', conditionResource({ personId: '17', code: '38341003', term: 'Hypertensive disorder', first: '2019-05-01' })],
  ['CarePlan', carePlanResource(PLAN)],
  ['ServiceRequest', serviceRequestResource(REFERRAL, 'Walking group')],
  ['Task', taskResource(TASK, null)],
  ['EpisodeOfCare', episodeOfCareResource(EPISODE)],
  ['HealthcareService', healthcareServiceResource(SERVICE, ['Leeds'])],
  ['Organization', organizationResource(SERVICE)],
  ['Location', locationResource(SERVICE)!],
];

describe('FHIR out resources', () => {
  it.each(ALL)('%s conforms to its UK Core profile (the constraints checked) and names it', (_name, resource) => {
    expect(ukCoreProblems(resource)).toEqual([]);
    expect((resource.meta as { profile: string[] }).profile).toEqual([UK_CORE_PROFILES[resource.resourceType as keyof typeof UK_CORE_PROFILES].url]);
  });

  it('Patient: the NHS number with its verification status, name, address, practice by ODS code', () => {
    const p = patientResource(PATIENT) as Record<string, any>;
    expect(p.identifier).toEqual([
      {
        extension: [{ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus', valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland', code: '02', display: 'Number present but not traced' }] } }],
        system: 'https://fhir.nhs.uk/Id/nhs-number',
        value: '9434765919',
      },
    ]);
    expect(p.name).toEqual([{ use: 'official', family: 'Jones', given: ['Ada', 'Mary'] }]);
    expect(p.address).toEqual([{ use: 'home', line: ['1 High Street'], city: 'Leeds', postalCode: 'LS1 4AP' }]);
    expect(p.generalPractitioner).toEqual([{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B86001' }, display: 'Test Practice' }]);
    expect(p.gender).toBe('female');
    const anonymous = patientResource({ ...PATIENT, identity: null }) as Record<string, any>;
    expect(anonymous.identifier).toBeUndefined();
    expect(anonymous.name).toBeUndefined();
    expect(anonymous.address).toBeUndefined();
  });

  it.each([
    ['referred', 'active'],
    ['accepted', 'active'],
    ['attending', 'active'],
    ['completed', 'completed'],
    ['declined', 'revoked'],
    ['did-not-attend', 'revoked'],
    ['withdrawn', 'revoked'],
  ] as const)('a %s referral is a ServiceRequest with status %s', (status: ReferralStatus, expected) => {
    const r = serviceRequestResource({ ...REFERRAL, status }, 'Walking group') as Record<string, any>;
    expect(r.status).toBe(expected);
    expect(r.performer).toEqual([{ reference: 'HealthcareService/walking-group', display: 'Walking group' }]);
    expect(r.code.coding[0].code).toBe('871731000000106');
  });

  it.each([
    ['open', 'requested'],
    ['done', 'completed'],
    ['cancelled', 'cancelled'],
  ] as const)('a %s task is a Task with status %s', (status: TaskStatus, expected) => {
    expect((taskResource({ ...TASK, status }, null) as Record<string, any>).status).toBe(expected);
  });

  it('Task: the team owns an unassigned task, a member an assigned one; a plan review focuses on the plan; due is the restriction', () => {
    const t = taskResource(TASK, null) as Record<string, any>;
    expect(t.owner).toEqual({ identifier: { system: 'https://openphm.org/Id/neighbourhood-team', value: 'leeds-1' }, display: 'Neighbourhood team leeds-1' });
    expect(t.focus).toEqual({ reference: 'CarePlan/3' });
    expect(t.restriction).toEqual({ period: { end: '2026-12-01' } });
    expect(t.authoredOn).toBe('2026-11-01T08:00:00Z');
    expect((taskResource({ ...TASK, assigneeId: 2 }, 'Sam') as Record<string, any>).owner).toEqual({ display: 'Sam' });
  });

  it('EpisodeOfCare: active or finished, the period to the discharge', () => {
    const e = episodeOfCareResource(EPISODE) as Record<string, any>;
    expect(e.status).toBe('finished');
    expect(e.period).toEqual({ start: '2026-01-05', end: '2026-06-01' });
    expect((episodeOfCareResource({ ...EPISODE, status: 'active', outcome: null }) as Record<string, any>).period).toEqual({ start: '2026-01-05' });
  });

  it('CarePlan: active or completed, what matters, goals and support as notes', () => {
    const p = carePlanResource(PLAN) as Record<string, any>;
    expect(p.status).toBe('active');
    expect((carePlanResource({ ...PLAN, status: 'closed' }) as Record<string, any>).status).toBe('completed');
    expect(p.description).toBe('Staying at home.');
    expect(p.note.map((n: { text: string }) => n.text)).toEqual(['Goal (working-on): Walk to the shop', 'Support from Daughter: Shopping', 'If things get worse: Ring the practice.', 'Review by 2027-01-01']);
  });

  it('a service without a location has no Location', () => {
    const { location: _none, ...rest } = SERVICE;
    expect(locationResource(rest)).toBeNull();
    expect((healthcareServiceResource(rest, []) as Record<string, any>).location).toBeUndefined();
  });

  it.each([
    ['2026-01-02T10:00:00.000Z', '2026-01-02T10:00:00.000Z'],
    ['2026-01-02 10:00:00', '2026-01-02T10:00:00Z'],
    ['2026-01-02T10:00:00+0100', '2026-01-02T10:00:00+01:00'],
    ['2026-01-02', '2026-01-02'],
  ])('fhirDateTime(%s) = %s', (text, expected) => expect(fhirDateTime(text)).toBe(expected));
});
