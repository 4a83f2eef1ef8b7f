/**
 * OpenPHM records as FHIR R4 resources conforming to UK Core (FHIR out, docs/fhir-api.md). Pure:
 * the caller reads the records (and decides who may see them); these functions only shape them.
 *
 * - Patient: who the person is (the identity zone) and their registered practice; the NHS number
 *   carries UK Core's verification-status extension.
 * - Condition: a long-term condition (a register's code) from the GP record, onset at its first recording.
 * - CarePlan: a personalised care and support plan.
 * - ServiceRequest: a social prescribing referral to a directory service.
 * - Task: a neighbourhood team's task about a person.
 * - EpisodeOfCare: an episode on a neighbourhood caseload.
 * - HealthcareService, Organization, Location: the directory of community services.
 */
import type { CarePlan, CaseloadEntry } from '../../care/plans.js';
import type { Referral, ReferralStatus } from '../../care/referrals.js';
import { REFERRAL_REASONS, REFERRAL_STATUS_LABEL } from '../../care/referrals.js';
import type { Task, TaskStatus } from '../../care/tasks.js';
import { CASELOAD_SOURCES } from '../../care/plans.js';
import { SERVICE_CATEGORIES, type DirectoryService } from '../../care/directory.js';
import { FHIR_OUT_SYSTEMS as S, NHS_NUMBER_VERIFICATION, SOCIAL_PRESCRIBING_REFERRAL, UK_CORE_PROFILES, type FhirOutType } from './profiles.js';

/** A FHIR resource as JSON. */
export type FhirResource = { readonly resourceType: string; readonly id?: string } & Readonly<Record<string, unknown>>;

const meta = (type: FhirOutType) => ({ profile: [UK_CORE_PROFILES[type].url] });
const patientRef = (personId: string) => ({ reference: `Patient/${personId}` });
const teamRef = (neighbourhoodId: string, display?: string) => ({ identifier: { system: S.neighbourhoodTeam, value: neighbourhoodId }, display: display ?? `Neighbourhood team ${neighbourhoodId}` });

/** A FHIR dateTime from the stores' timestamps ('2026-01-02T10:00:00.000Z', '2026-01-02 10:00:00', or a day). */
export const fhirDateTime = (text: string): string => {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (m === null) return text;
  if (m[2] === undefined) return m[1]!;
  const zone = m[4] === undefined ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  return `${m[1]}T${m[2]}${m[3] ?? ''}${zone}`;
};
const dayOfText = (text: string): string => text.slice(0, 10);

// ---- Patient

export interface PatientInput {
  readonly personId: string;
  readonly sex: 'F' | 'M';
  /** Shown with the identity (the pseudonymous store holds it too, but only the care zone shows it). */
  readonly dateOfBirth?: string;
  readonly practice: { readonly code: string; readonly name?: string };
  /** NHS Data Dictionary ethnic category (A-S, Z), when it is to be shown. */
  readonly ethnicCategory?: string;
  readonly dateOfDeath?: string | null;
  /** Who the person is (the identity zone); null when the store holds no identity for them. */
  readonly identity: {
    readonly nhsNumber: string;
    readonly givenName: string;
    readonly familyName: string;
    readonly address: { readonly line1: string; readonly line2: string | null; readonly town: string | null; readonly postcode: string | null };
    readonly phone: string | null;
  } | null;
}

export const patientResource = (p: PatientInput): FhirResource => {
  const id = p.identity;
  return {
    resourceType: 'Patient',
    id: p.personId,
    meta: meta('Patient'),
    ...(p.ethnicCategory !== undefined
      ? { extension: [{ url: S.ethnicCategoryExtension, valueCodeableConcept: { coding: [{ system: S.ethnicCategoryEngland, code: p.ethnicCategory }] } }] }
      : {}),
    ...(id !== null
      ? {
          identifier: [
            {
              extension: [
                {
                  url: S.nhsNumberVerificationExtension,
                  valueCodeableConcept: { coding: [{ system: S.nhsNumberVerificationEngland, code: NHS_NUMBER_VERIFICATION.code, display: NHS_NUMBER_VERIFICATION.display }] },
                },
              ],
              system: S.nhsNumber,
              value: id.nhsNumber,
            },
          ],
          name: [{ use: 'official', family: id.familyName, given: id.givenName.split(/\s+/).filter((g) => g !== '') }],
          ...(id.phone !== null ? { telecom: [{ system: 'phone', value: id.phone, use: 'home' }] } : {}),
        }
      : {}),
    gender: p.sex === 'F' ? 'female' : 'male',
    ...(p.dateOfBirth !== undefined ? { birthDate: p.dateOfBirth } : {}),
    ...(p.dateOfDeath ? { deceasedDateTime: p.dateOfDeath } : {}),
    ...(id !== null
      ? {
          address: [
            {
              use: 'home',
              line: [id.address.line1, ...(id.address.line2 !== null ? [id.address.line2] : [])],
              ...(id.address.town !== null ? { city: id.address.town } : {}),
              ...(id.address.postcode !== null ? { postalCode: id.address.postcode } : {}),
            },
          ],
        }
      : {}),
    generalPractitioner: [{ identifier: { system: S.odsOrganisation, value: p.practice.code }, ...(p.practice.name !== undefined ? { display: p.practice.name } : {}) }],
  };
};

// ---- Condition

export interface ConditionInput {
  readonly personId: string;
  readonly code: string;
  readonly term: string;
  /** First recorded (the onset as OpenPHM knows it). */
  readonly first: string;
}

export const conditionId = (personId: string, code: string): string => `${personId}-${code}`;

export const conditionResource = (c: ConditionInput): FhirResource => ({
  resourceType: 'Condition',
  id: conditionId(c.personId, c.code),
  meta: meta('Condition'),
  clinicalStatus: { coding: [{ system: S.conditionClinical, code: 'active' }] },
  verificationStatus: { coding: [{ system: S.conditionVerification, code: 'confirmed' }] },
  category: [{ coding: [{ system: S.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] }],
  code: { coding: [{ system: S.snomed, code: c.code, display: c.term }], text: c.term },
  subject: patientRef(c.personId),
  onsetDateTime: c.first,
  recordedDate: c.first,
});

// ---- CarePlan

export const carePlanResource = (p: CarePlan): FhirResource => ({
  resourceType: 'CarePlan',
  id: String(p.id),
  meta: { ...meta('CarePlan'), versionId: String(p.version), lastUpdated: fhirDateTime(p.updatedAt) },
  identifier: [{ system: S.carePlanId, value: String(p.id) }],
  status: p.status === 'active' ? 'active' : 'completed',
  intent: 'plan',
  category: [{ text: 'Personalised care and support plan' }],
  title: 'Personalised care and support plan',
  description: p.whatMatters,
  subject: patientRef(p.personId),
  author: teamRef(p.neighbourhoodId),
  note: [
    ...p.goals.map((g) => ({ text: `Goal (${g.status}): ${g.goal}` })),
    ...p.support.map((s) => ({ text: `Support from ${s.who}: ${s.what}` })),
    ...(p.contingency !== '' ? [{ text: `If things get worse: ${p.contingency}` }] : []),
    { text: `Review by ${p.reviewDate}` },
  ],
});

// ---- ServiceRequest

const SERVICE_REQUEST_STATUS: Record<ReferralStatus, 'active' | 'completed' | 'revoked'> = {
  referred: 'active',
  accepted: 'active',
  attending: 'active',
  completed: 'completed',
  declined: 'revoked',
  'did-not-attend': 'revoked',
  withdrawn: 'revoked',
};

export const serviceRequestResource = (r: Referral, serviceName: string): FhirResource => {
  const reason = REFERRAL_REASONS.find((x) => x.id === r.reason);
  return {
    resourceType: 'ServiceRequest',
    id: String(r.id),
    meta: { ...meta('ServiceRequest'), versionId: String(r.version), lastUpdated: fhirDateTime(r.updatedAt) },
    identifier: [{ system: S.referralId, value: String(r.id) }],
    status: SERVICE_REQUEST_STATUS[r.status],
    intent: 'order',
    code: { coding: [{ system: S.snomed, code: SOCIAL_PRESCRIBING_REFERRAL.code, display: SOCIAL_PRESCRIBING_REFERRAL.display }] },
    subject: patientRef(r.personId),
    authoredOn: fhirDateTime(r.referredAt),
    requester: teamRef(r.neighbourhoodId),
    performer: [{ reference: `HealthcareService/${r.serviceId}`, display: serviceName }],
    reasonCode: [{ coding: [{ system: S.referralReason, code: r.reason, display: reason?.label ?? r.reason }], text: reason?.label ?? r.reason }],
    note: [{ text: `Status in OpenPHM: ${REFERRAL_STATUS_LABEL[r.status]}` }],
  };
};

// ---- Task

const TASK_STATUS: Record<TaskStatus, 'requested' | 'completed' | 'cancelled'> = { open: 'requested', done: 'completed', cancelled: 'cancelled' };

export const taskResource = (t: Task, assigneeName: string | null): FhirResource => ({
  resourceType: 'Task',
  id: String(t.id),
  meta: { ...meta('Task'), versionId: String(t.version), lastUpdated: fhirDateTime(t.updatedAt) },
  identifier: [{ system: S.taskId, value: String(t.id) }],
  status: TASK_STATUS[t.status],
  intent: 'order',
  description: t.title,
  ...(t.source === 'plan-review' && t.sourceRef !== null ? { focus: { reference: `CarePlan/${t.sourceRef}` } } : {}),
  for: patientRef(t.personId),
  authoredOn: fhirDateTime(t.createdAt),
  lastModified: fhirDateTime(t.updatedAt),
  owner: t.assigneeId === null ? teamRef(t.neighbourhoodId) : { display: assigneeName ?? `user ${t.assigneeId}` },
  ...(t.due !== null ? { restriction: { period: { end: t.due } } } : {}),
  ...(t.detail !== '' ? { note: [{ text: t.detail }] } : {}),
});

// ---- EpisodeOfCare

export const episodeOfCareResource = (e: CaseloadEntry): FhirResource => ({
  resourceType: 'EpisodeOfCare',
  id: String(e.id),
  meta: { ...meta('EpisodeOfCare'), versionId: String(e.version), lastUpdated: fhirDateTime(e.updatedAt) },
  identifier: [{ system: S.caseloadEpisodeId, value: String(e.id) }],
  status: e.status === 'active' ? 'active' : 'finished',
  type: [{ text: `Neighbourhood caseload: ${CASELOAD_SOURCES.find((s) => s.id === e.source)?.label ?? e.source}` }],
  patient: patientRef(e.personId),
  managingOrganization: teamRef(e.neighbourhoodId),
  period: { start: dayOfText(e.addedAt), ...(e.status === 'discharged' ? { end: dayOfText(e.updatedAt) } : {}) },
  careManager: { display: e.keyWorker },
});

// ---- the directory

export const locationId = (s: DirectoryService): string => `${s.id}-location`;

export const organizationResource = (s: DirectoryService): FhirResource => ({
  resourceType: 'Organization',
  id: s.organisation.id,
  meta: meta('Organization'),
  identifier: [{ system: S.directoryOrganisation, value: s.organisation.id }],
  active: true,
  name: s.organisation.name,
  ...(s.organisation.url !== undefined || s.organisation.email !== undefined
    ? { telecom: [...(s.organisation.url !== undefined ? [{ system: 'url', value: s.organisation.url }] : []), ...(s.organisation.email !== undefined ? [{ system: 'email', value: s.organisation.email }] : [])] }
    : {}),
});

export const locationResource = (s: DirectoryService): FhirResource | null =>
  s.location === undefined
    ? null
    : {
        resourceType: 'Location',
        id: locationId(s),
        meta: meta('Location'),
        status: s.status === 'active' ? 'active' : 'inactive',
        name: s.location.name,
        address: { use: 'work', line: [s.location.address], ...(s.location.postcode !== undefined ? { postalCode: s.location.postcode } : {}), country: 'GB' },
        managingOrganization: { reference: `Organization/${s.organisation.id}`, display: s.organisation.name },
      };

export const healthcareServiceResource = (s: DirectoryService, areaNames: readonly string[]): FhirResource => ({
  resourceType: 'HealthcareService',
  id: s.id,
  meta: meta('HealthcareService'),
  identifier: [{ system: S.directoryService, value: s.id }],
  active: s.status === 'active',
  providedBy: { reference: `Organization/${s.organisation.id}`, display: s.organisation.name },
  type: s.categories.map((c) => ({ coding: [{ system: S.serviceCategory, code: c, display: SERVICE_CATEGORIES.find((x) => x.id === c)!.label }] })),
  ...(s.location !== undefined ? { location: [{ reference: `Location/${locationId(s)}`, display: s.location.name }] } : {}),
  name: s.name,
  comment: s.description,
  ...(Object.values(s.contact).some((v) => v !== undefined)
    ? {
        telecom: [
          ...(s.contact.phone !== undefined ? [{ system: 'phone', value: s.contact.phone }] : []),
          ...(s.contact.email !== undefined ? [{ system: 'email', value: s.contact.email }] : []),
          ...(s.contact.url !== undefined ? [{ system: 'url', value: s.contact.url }] : []),
        ],
      }
    : {}),
  ...(areaNames.length > 0 ? { extraDetails: `Offered in: ${areaNames.join(', ')}` } : {}),
  eligibility: [
    {
      code: { text: [s.eligibility.minAge !== undefined ? `aged ${s.eligibility.minAge} or over` : '', s.eligibility.maxAge !== undefined ? `aged ${s.eligibility.maxAge} or under` : ''].filter((x) => x !== '').join(', ') || 'All ages' },
      ...(s.eligibility.description !== undefined ? { comment: s.eligibility.description } : {}),
    },
  ],
  referralMethod: [...(s.referral.self ? [{ text: 'Self-referral' }] : []), ...(s.referral.linkWorker ? [{ text: 'Social prescribing link worker' }] : [])],
  availabilityExceptions: s.schedule,
  program: [{ text: `Cost: ${s.cost}` }],
});
