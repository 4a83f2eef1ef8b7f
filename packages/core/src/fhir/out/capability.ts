/**
 * What FHIR out offers, in one table: for each resource type its interactions and search
 * parameters (the server's routes follow it, and the CapabilityStatement at /fhir/metadata is
 * written from it), and who may call it. Pure.
 */
import { FHIR_OUT_TYPES, UK_CORE_PROFILES, type FhirOutType } from './profiles.js';
import type { FhirResource } from './resources.js';

export interface FhirSearchParam {
  readonly name: string;
  readonly type: 'reference' | 'date' | 'token' | 'string' | 'number';
  readonly documentation: string;
}

export interface FhirTypeOffer {
  /** Whether a single resource is read by id (GET /fhir/Type/id). */
  readonly read: boolean;
  readonly searchParams: readonly FhirSearchParam[];
  /** Who may call it, in words. */
  readonly who: string;
}

const count: FhirSearchParam = { name: '_count', type: 'number', documentation: 'Resources a page (1-200, default 50); the Bundle links to the next page.' };
const offset: FhirSearchParam = { name: '_offset', type: 'number', documentation: 'How many matches to skip (the next link sets it).' };
const patient: FhirSearchParam = { name: 'patient', type: 'reference', documentation: 'The person (Patient/id): required; only within a care relationship.' };
const CARE = "Care professionals (the neighbourhood role) within a legitimate care relationship with the person, or after breaking glass; every attempt audited.";
const PUBLIC = 'Everyone (the directory is public, as in the Open Referral UK feed).';

export const FHIR_OFFER: Record<FhirOutType, FhirTypeOffer> = {
  Patient: {
    read: true,
    searchParams: [{ name: 'identifier', type: 'token', documentation: 'The NHS number (https://fhir.nhs.uk/Id/nhs-number|9434765919): required. Found people without a care relationship are not returned; an OperationOutcome says one was found.' }, count, offset],
    who: CARE,
  },
  Condition: {
    read: false,
    searchParams: [patient, { name: 'recorded-date', type: 'date', documentation: 'When first recorded (eq, ge, gt, le, lt, ne).' }, { name: 'onset-date', type: 'date', documentation: 'Onset (the first recording).' }, count, offset],
    who: CARE,
  },
  CarePlan: {
    read: false,
    searchParams: [patient, { name: 'status', type: 'token', documentation: 'active or completed.' }, count, offset],
    who: `${CARE} A plan the person has not agreed to share is for its author only.`,
  },
  ServiceRequest: {
    read: false,
    searchParams: [patient, { name: 'authored', type: 'date', documentation: 'When the referral was made.' }, { name: 'status', type: 'token', documentation: 'active, completed or revoked.' }, count, offset],
    who: CARE,
  },
  Task: {
    read: false,
    searchParams: [
      { name: 'patient', type: 'reference', documentation: 'The person (Patient/id), within a care relationship; or give owner.' },
      { name: 'owner', type: 'reference', documentation: "Your own team's tasks: the team's identifier (https://openphm.org/Id/neighbourhood-team|<neighbourhood>) or its id." },
      { name: 'authored-on', type: 'date', documentation: 'When the task was raised.' },
      { name: 'status', type: 'token', documentation: 'requested, completed or cancelled.' },
      count,
      offset,
    ],
    who: CARE,
  },
  EpisodeOfCare: {
    read: false,
    searchParams: [patient, { name: 'date', type: 'date', documentation: 'Episodes whose period covers the day(s).' }, { name: 'status', type: 'token', documentation: 'active or finished.' }, count, offset],
    who: CARE,
  },
  HealthcareService: { read: true, searchParams: [{ name: 'name', type: 'string', documentation: 'Words in the name.' }, { name: 'active', type: 'token', documentation: 'true or false.' }, count, offset], who: PUBLIC },
  Location: { read: true, searchParams: [count, offset], who: PUBLIC },
  Organization: { read: true, searchParams: [count, offset], who: PUBLIC },
};

/** The CapabilityStatement of FHIR out (GET /fhir/metadata). */
export const capabilityStatement = (base: string, date: string, softwareVersion: string): FhirResource => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date,
  publisher: 'OpenPHM',
  kind: 'instance',
  software: { name: 'OpenPHM', version: softwareVersion },
  implementation: { description: 'OpenPHM FHIR out: read-only FHIR R4 (UK Core) for care teams\' systems', url: base },
  fhirVersion: '4.0.1',
  format: ['application/fhir+json', 'json'],
  rest: [
    {
      mode: 'server',
      documentation: 'Read-only. Person-level resources need a session of a care professional and a care relationship with the person; every request to them is audited.',
      security: { cors: false, description: 'Session cookie from POST /api/auth/login (or single sign-on); the roles, care relationships, break-glass and audit of the rest of the API.' },
      resource: FHIR_OUT_TYPES.map((type) => ({
        type,
        profile: UK_CORE_PROFILES[type].url,
        documentation: FHIR_OFFER[type].who,
        interaction: [...(FHIR_OFFER[type].read ? [{ code: 'read' }] : []), { code: 'search-type' }],
        searchParam: FHIR_OFFER[type].searchParams.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
      })),
    },
  ],
});
