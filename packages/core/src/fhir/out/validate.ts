/**
 * The UK Core constraints FHIR out checks on every resource it writes, for the elements it uses
 * (docs/fhir-api.md lists them). Each is taken from the published StructureDefinition of the profile
 * (UK Core STU3, versions in profiles.ts) or from the FHIR R4 base resource the profile constrains:
 * cardinalities (min 1 / max 1), required bindings (the code is one of the value set's), UK Core's
 * slices (the NHS number identifier with its fixed system, its value and its verification-status
 * extension; ODS code slices), fixed values and the invariants named. A zod schema per resource type
 * says what must be there and what it may hold; elements FHIR out does not use are let through.
 */
import { z } from 'zod';
import { isNhsNumber } from '../../codes/nhs-number.js';
import { ETHNIC_CATEGORY_ENGLAND_CODES, FHIR_OUT_SYSTEMS as S, FHIR_VALIDATED_TYPES, NHS_NUMBER_VERIFICATION_CODES, UK_CORE_PROFILES, type FhirValidatedType } from './profiles.js';
import { FHIR_ROUND_TRIP as RT } from '../systems.js';

/** One constraint checked: where it comes from and what it says. */
export interface UkCoreConstraint {
  readonly type: FhirValidatedType;
  /** `UKCore-Patient` (the profile's differential) or `R4 Patient` (the base resource). */
  readonly source: string;
  readonly path: string;
  readonly rule: string;
}

const uk = (type: FhirValidatedType) => `UKCore-${type} ${UK_CORE_PROFILES[type].version}`;
const r4 = (type: FhirValidatedType) => `R4 ${type}`;

/** Every constraint the validator checks (the documentation's table). */
export const UK_CORE_CONSTRAINTS: readonly UkCoreConstraint[] = [
  ...FHIR_VALIDATED_TYPES.map((type) => ({ type, source: 'FHIR out', path: `${type}.meta.profile`, rule: `names ${UK_CORE_PROFILES[type].url}` })),
  ...FHIR_VALIDATED_TYPES.map((type) => ({ type, source: `R4 ${type}`, path: `${type}.id`, rule: 'an id: 1-64 letters, digits, - and .' })),
  { type: 'Patient', source: uk('Patient'), path: 'Patient.identifier:nhsNumber', rule: 'at most one (0..1); system fixed to https://fhir.nhs.uk/Id/nhs-number' },
  { type: 'Patient', source: uk('Patient'), path: 'Patient.identifier:nhsNumber.value', rule: '1..1, a valid NHS number (10 digits, modulus 11 check digit)' },
  { type: 'Patient', source: uk('Patient'), path: 'Patient.identifier:nhsNumber.extension:nhsNumberVerificationStatus', rule: '0..1; valueCodeableConcept 1..1 bound (required) to UKCore-NHSNumberVerificationStatus' },
  { type: 'Patient', source: uk('Patient'), path: 'Patient.extension:ethnicCategory', rule: '0..1; valueCodeableConcept coded from UKCore-EthnicCategoryEngland' },
  { type: 'Patient', source: r4('Patient'), path: 'Patient.gender', rule: '0..1, bound (required) to administrative-gender' },
  { type: 'Patient', source: r4('Patient'), path: 'Patient.birthDate / deceasedDateTime', rule: 'a FHIR date / dateTime' },
  { type: 'Patient', source: 'FHIR out', path: 'Patient.address.extension:lsoa', rule: 'valueCode a 2011 LSOA code (OpenPHM extension)' },
  { type: 'Patient', source: r4('Patient'), path: 'Patient.link', rule: 'other 1..1, a Patient or RelatedPerson reference; type 1..1 bound (required) to link-type' },
  { type: 'Condition', source: r4('Condition'), path: 'Condition.subject', rule: '1..1, a Patient reference' },
  { type: 'Condition', source: r4('Condition'), path: 'Condition.clinicalStatus', rule: '0..1, bound (required) to condition-clinical' },
  { type: 'Condition', source: r4('Condition'), path: 'Condition.verificationStatus', rule: '0..1, bound (required) to condition-ver-status' },
  { type: 'Condition', source: uk('Condition'), path: 'Condition.category', rule: 'codes of condition-category or UKCore-ConditionCategory (UKCore-ConditionCategory, extensible)' },
  { type: 'Condition', source: r4('Condition'), path: 'Condition (con-3, con-5)', rule: 'a problem-list item has a clinicalStatus; none when entered in error' },
  { type: 'Condition', source: uk('Condition'), path: 'Condition.code', rule: 'SNOMED CT codings have a valid concept id (UKCore-ConditionCode, preferred)' },
  { type: 'CarePlan', source: r4('CarePlan'), path: 'CarePlan.status', rule: '1..1, bound (required) to request-status' },
  { type: 'CarePlan', source: r4('CarePlan'), path: 'CarePlan.intent', rule: '1..1, bound (required) to care-plan-intent' },
  { type: 'CarePlan', source: r4('CarePlan'), path: 'CarePlan.subject', rule: '1..1, a Patient reference' },
  { type: 'ServiceRequest', source: r4('ServiceRequest'), path: 'ServiceRequest.status', rule: '1..1, bound (required) to request-status' },
  { type: 'ServiceRequest', source: r4('ServiceRequest'), path: 'ServiceRequest.intent', rule: '1..1, bound (required) to request-intent' },
  { type: 'ServiceRequest', source: r4('ServiceRequest'), path: 'ServiceRequest.subject', rule: '1..1, a Patient reference' },
  { type: 'ServiceRequest', source: r4('ServiceRequest'), path: 'ServiceRequest (prr-1)', rule: 'orderDetail only with a code' },
  { type: 'Task', source: r4('Task'), path: 'Task.status', rule: '1..1, bound (required) to task-status' },
  { type: 'Task', source: r4('Task'), path: 'Task.intent', rule: '1..1, bound (required) to task-intent' },
  { type: 'Task', source: r4('Task'), path: 'Task (inv-1)', rule: 'lastModified is not before authoredOn' },
  { type: 'EpisodeOfCare', source: r4('EpisodeOfCare'), path: 'EpisodeOfCare.status', rule: '1..1, bound (required) to episode-of-care-status' },
  { type: 'EpisodeOfCare', source: r4('EpisodeOfCare'), path: 'EpisodeOfCare.patient', rule: '1..1, a Patient reference' },
  { type: 'EpisodeOfCare', source: r4('EpisodeOfCare'), path: 'EpisodeOfCare.period (per-1)', rule: 'start not after end' },
  { type: 'HealthcareService', source: r4('HealthcareService'), path: 'HealthcareService.active / providedBy / location', rule: 'a boolean; references to an Organization / Locations' },
  { type: 'Location', source: r4('Location'), path: 'Location.status', rule: '0..1, bound (required) to location-status' },
  { type: 'Location', source: uk('Location'), path: 'Location.identifier:odsSiteCode', rule: 'at most one (0..1); value 1..1' },
  { type: 'Organization', source: uk('Organization'), path: 'Organization.identifier:odsOrganisationCode / odsSiteCode', rule: 'at most one of each (0..1); value 1..1' },
  { type: 'Organization', source: r4('Organization'), path: 'Organization (org-1)', rule: 'an identifier or a name' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation.status', rule: '1..1, bound (required) to observation-status' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation.code / component.code', rule: '1..1; SNOMED CT codings have a valid concept id (UKCore-ObservationType, preferred)' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation.subject', rule: 'a Patient (or Group, Device, Location) reference' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation.effectiveDateTime', rule: 'a FHIR dateTime' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation.valueQuantity (qty-3)', rule: 'a number; a unit code only with its system' },
  { type: 'Observation', source: r4('Observation'), path: 'Observation (obs-7)', rule: 'no value when a component has the code of the Observation' },
  { type: 'Encounter', source: r4('Encounter'), path: 'Encounter.status', rule: '1..1, bound (required) to encounter-status' },
  { type: 'Encounter', source: r4('Encounter'), path: 'Encounter.class', rule: '1..1, a Coding' },
  { type: 'Encounter', source: r4('Encounter'), path: 'Encounter.subject / serviceProvider / participant.individual', rule: 'a Patient reference / an Organization reference / a Practitioner, PractitionerRole or RelatedPerson reference' },
  { type: 'Encounter', source: r4('Encounter'), path: 'Encounter.period (per-1)', rule: 'start not after end' },
  { type: 'Encounter', source: uk('Encounter'), path: 'Encounter.hospitalization.extension:admissionMethod', rule: '0..1; valueCodeableConcept 1..1, a code of UKCore-AdmissionMethodEngland (UKCore-AdmissionMethod, extensible)' },
  { type: 'Encounter', source: uk('Encounter'), path: 'Encounter.type / dischargeDisposition', rule: 'SNOMED CT codings have a valid concept id (UKCore-EncounterType, UKCore-DischargeDestination: preferred)' },
  { type: 'MedicationRequest', source: r4('MedicationRequest'), path: 'MedicationRequest.status', rule: '1..1, bound (required) to medicationrequest-status' },
  { type: 'MedicationRequest', source: r4('MedicationRequest'), path: 'MedicationRequest.intent', rule: '1..1, bound (required) to medicationrequest-intent' },
  { type: 'MedicationRequest', source: r4('MedicationRequest'), path: 'MedicationRequest.medication[x] / subject', rule: '1..1 each; the subject a Patient reference' },
  { type: 'MedicationRequest', source: uk('MedicationRequest'), path: 'MedicationRequest.substitution', rule: '1..1 (UK Core); allowed[x] 1..1' },
  { type: 'RelatedPerson', source: r4('RelatedPerson'), path: 'RelatedPerson.patient', rule: '1..1, a Patient reference' },
  { type: 'RelatedPerson', source: uk('RelatedPerson'), path: 'RelatedPerson.relationship', rule: 'codes of v3-RoleCode, v2-0131 (not O) or UKCore-AdditionalPersonRelationshipRole (UKCore-PersonRelationshipType, extensible)' },
  { type: 'RelatedPerson', source: r4('RelatedPerson'), path: 'RelatedPerson.period (per-1)', rule: 'start not after end' },
  { type: 'Consent', source: r4('Consent'), path: 'Consent.status', rule: '1..1, bound (required) to consent-state-codes' },
  { type: 'Consent', source: r4('Consent'), path: 'Consent.scope / category', rule: 'scope 1..1 (consent-scope); category 1..*' },
  { type: 'Consent', source: r4('Consent'), path: 'Consent (ppc-1, ppc-2)', rule: 'a policy or a policyRule; a privacy consent has a patient' },
  { type: 'Consent', source: r4('Consent'), path: 'Consent.provision.type', rule: '0..1, bound (required) to consent-provision-type' },
  { type: 'Appointment', source: r4('Appointment'), path: 'Appointment.status', rule: '1..1, bound (required) to appointmentstatus' },
  { type: 'Appointment', source: r4('Appointment'), path: 'Appointment.participant', rule: '1..*; status 1..1 bound (required) to participationstatus; a type or an actor (app-1)' },
  { type: 'Appointment', source: r4('Appointment'), path: 'Appointment.start / end (app-2, app-3)', rule: 'instants; both or neither; only proposed, cancelled or waitlisted appointments without them' },
  { type: 'PractitionerRole', source: r4('PractitionerRole'), path: 'PractitionerRole.active / organization', rule: 'a boolean / an Organization reference' },
  { type: 'PractitionerRole', source: uk('PractitionerRole'), path: 'PractitionerRole.code', rule: 'SNOMED CT codings have a valid concept id (UKCore-PractitionerRoleCode)' },
  { type: 'PractitionerRole', source: r4('PractitionerRole'), path: 'PractitionerRole.period (per-1)', rule: 'start not after end' },
];

// ---- datatypes

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'not a FHIR id (1-64 letters, digits, - and .)');
const FhirDate = z.string().regex(DATE, 'not a FHIR date');
const FhirDateTime = z.string().regex(DATE_TIME, 'not a FHIR dateTime');
const Coding = z.looseObject({ system: z.string().min(1).optional(), code: z.string().min(1).optional(), display: z.string().optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).min(1).optional(), text: z.string().optional() });
const Identifier = z.looseObject({ system: z.string().min(1).optional(), value: z.string().min(1).optional() });
const Reference = z
  .looseObject({ reference: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, 'not a relative reference (Type/id)').optional(), identifier: Identifier.optional(), display: z.string().optional() })
  .refine((r) => r.reference !== undefined || r.identifier !== undefined || r.display !== undefined, 'a reference needs a reference, an identifier or a display (ref-1)');
const referenceTo = (...types: readonly string[]) =>
  Reference.refine((r) => r.reference === undefined || types.includes(r.reference.split('/')[0]!), `must refer to ${types.join(' or ')}`);
const Period = z.looseObject({ start: FhirDateTime.optional(), end: FhirDateTime.optional() }).refine((p) => p.start === undefined || p.end === undefined || p.start.slice(0, 10) <= p.end.slice(0, 10), { message: 'start is after end (per-1)', path: ['end'] });

/** A CodeableConcept bound (required) to a code system's codes: at least one coding of the system, each with one of the codes. */
const requiredCode = (system: string, codes: readonly string[]) =>
  CodeableConcept.superRefine((cc, ctx) => {
    const codings = (cc.coding ?? []).filter((c) => c.system === system);
    if (codings.length === 0) ctx.addIssue({ code: 'custom', message: `needs a coding from ${system}`, path: ['coding'] });
    for (const [i, c] of (cc.coding ?? []).entries()) {
      if (c.system === system && (c.code === undefined || !codes.includes(c.code))) ctx.addIssue({ code: 'custom', message: `'${c.code ?? ''}' is not in ${system}`, path: ['coding', i, 'code'] });
    }
  });

const SNOMED_ID = /^[1-9]\d{5,17}$/;

const common = (type: FhirValidatedType) => ({
  resourceType: z.literal(type),
  id: FhirId,
  meta: z.looseObject({
    profile: z.array(z.string()).refine((p) => p.includes(UK_CORE_PROFILES[type].url), `must name the profile ${UK_CORE_PROFILES[type].url}`),
  }),
});

const REQUEST_STATUS = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] as const;

const slice = <T extends { readonly system?: string | undefined }>(identifiers: readonly T[] | undefined, system: string) => (identifiers ?? []).map((x, i) => [x, i] as const).filter(([x]) => x.system === system);

const PatientSchema = z
  .looseObject({
    ...common('Patient'),
    extension: z.array(z.looseObject({ url: z.string(), valueCodeableConcept: CodeableConcept.optional() })).optional(),
    identifier: z.array(z.looseObject({ system: z.string().min(1).optional(), value: z.string().min(1).optional(), extension: z.array(z.looseObject({ url: z.string(), valueCodeableConcept: CodeableConcept.optional() })).optional() })).optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    birthDate: FhirDate.optional(),
    deceasedDateTime: FhirDateTime.optional(),
    generalPractitioner: z.array(referenceTo('Organization', 'Practitioner', 'PractitionerRole')).optional(),
    link: z.array(z.looseObject({ other: referenceTo('Patient', 'RelatedPerson'), type: z.enum(['replaced-by', 'replaces', 'refer', 'seealso']) })).optional(),
    address: z.array(z.looseObject({ extension: z.array(z.looseObject({ url: z.string(), valueCode: z.string().optional() })).optional() })).optional(),
  })
  .superRefine((p, ctx) => {
    const nhs = slice(p.identifier, S.nhsNumber);
    if (nhs.length > 1) ctx.addIssue({ code: 'custom', message: 'identifier:nhsNumber is 0..1: more than one NHS number', path: ['identifier'] });
    for (const [identifier, i] of nhs) {
      if (identifier.value === undefined) ctx.addIssue({ code: 'custom', message: 'identifier:nhsNumber.value is 1..1: missing', path: ['identifier', i, 'value'] });
      else if (!isNhsNumber(identifier.value)) ctx.addIssue({ code: 'custom', message: 'identifier:nhsNumber.value is not a valid NHS number', path: ['identifier', i, 'value'] });
      const verification = (identifier.extension ?? []).map((e, j) => [e, j] as const).filter(([e]) => e.url === S.nhsNumberVerificationExtension);
      if (verification.length > 1) ctx.addIssue({ code: 'custom', message: 'extension:nhsNumberVerificationStatus is 0..1', path: ['identifier', i, 'extension'] });
      for (const [e, j] of verification) {
        const codings = e.valueCodeableConcept?.coding ?? [];
        const ok = codings.some((c) => (c.system === S.nhsNumberVerificationEngland && (NHS_NUMBER_VERIFICATION_CODES as readonly string[]).includes(c.code ?? '')) || (c.system === 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusWales' && c.code !== undefined) || (c.system === 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor' && c.code === 'NI'));
        if (!ok) ctx.addIssue({ code: 'custom', message: 'extension:nhsNumberVerificationStatus.valueCodeableConcept is 1..1 and bound (required) to UKCore-NHSNumberVerificationStatus', path: ['identifier', i, 'extension', j, 'valueCodeableConcept'] });
      }
    }
    for (const [i, a] of (p.address ?? []).entries()) {
      for (const [j, e] of (a.extension ?? []).entries()) {
        if (e.url === RT.lsoaExtension && !/^[EW]01\d{6}$/.test(e.valueCode ?? '')) ctx.addIssue({ code: 'custom', message: 'the LSOA extension needs a 2011 LSOA code (valueCode)', path: ['address', i, 'extension', j, 'valueCode'] });
      }
    }
    const ethnic = (p.extension ?? []).map((e, j) => [e, j] as const).filter(([e]) => e.url === S.ethnicCategoryExtension);
    if (ethnic.length > 1) ctx.addIssue({ code: 'custom', message: 'extension:ethnicCategory is 0..1', path: ['extension'] });
    for (const [e, j] of ethnic) {
      const ok = (e.valueCodeableConcept?.coding ?? []).some((c) => c.system === S.ethnicCategoryEngland && (ETHNIC_CATEGORY_ENGLAND_CODES as readonly string[]).includes(c.code ?? ''));
      if (!ok) ctx.addIssue({ code: 'custom', message: 'extension:ethnicCategory needs a code of UKCore-EthnicCategoryEngland', path: ['extension', j, 'valueCodeableConcept'] });
    }
  });

const ConditionSchema = z
  .looseObject({
    ...common('Condition'),
    clinicalStatus: requiredCode(S.conditionClinical, ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).optional(),
    verificationStatus: requiredCode(S.conditionVerification, ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error']).optional(),
    category: z.array(CodeableConcept).optional(),
    code: CodeableConcept.optional(),
    subject: referenceTo('Patient', 'Group'),
    onsetDateTime: FhirDateTime.optional(),
    recordedDate: FhirDateTime.optional(),
  })
  .superRefine((c, ctx) => {
    const categories = (c.category ?? []).flatMap((cc) => cc.coding ?? []);
    for (const [i, coding] of categories.entries()) {
      if (coding.system === S.conditionCategory && !['problem-list-item', 'encounter-diagnosis'].includes(coding.code ?? '')) ctx.addIssue({ code: 'custom', message: `'${coding.code ?? ''}' is not a condition-category code`, path: ['category', i] });
      if (coding.system === 'https://fhir.hl7.org.uk/CodeSystem/UKCore-ConditionCategory' && !['presenting-complaint', 'co-morbidity'].includes(coding.code ?? '')) ctx.addIssue({ code: 'custom', message: `'${coding.code ?? ''}' is not a UKCore-ConditionCategory code`, path: ['category', i] });
    }
    const enteredInError = (c.verificationStatus?.coding ?? []).some((x) => x.code === 'entered-in-error');
    if (!enteredInError && c.clinicalStatus === undefined && categories.some((x) => x.code === 'problem-list-item')) ctx.addIssue({ code: 'custom', message: 'con-3: a problem-list item needs a clinicalStatus', path: ['clinicalStatus'] });
    if (enteredInError && c.clinicalStatus !== undefined) ctx.addIssue({ code: 'custom', message: 'con-5: no clinicalStatus when entered in error', path: ['clinicalStatus'] });
    for (const [i, coding] of (c.code?.coding ?? []).entries()) {
      if (coding.system === S.snomed && !SNOMED_ID.test(coding.code ?? '')) ctx.addIssue({ code: 'custom', message: `'${coding.code ?? ''}' is not a SNOMED CT concept id`, path: ['code', 'coding', i, 'code'] });
    }
  });

const CarePlanSchema = z.looseObject({
  ...common('CarePlan'),
  status: z.enum(REQUEST_STATUS),
  intent: z.enum(['proposal', 'plan', 'order', 'option']),
  subject: referenceTo('Patient', 'Group'),
  author: Reference.optional(),
  note: z.array(z.looseObject({ text: z.string().min(1) })).optional(),
});

const ServiceRequestSchema = z
  .looseObject({
    ...common('ServiceRequest'),
    status: z.enum(REQUEST_STATUS),
    intent: z.enum(['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
    code: CodeableConcept.optional(),
    orderDetail: z.array(CodeableConcept).optional(),
    subject: referenceTo('Patient', 'Group', 'Location', 'Device'),
    authoredOn: FhirDateTime.optional(),
    requester: Reference.optional(),
    performer: z.array(referenceTo('Practitioner', 'PractitionerRole', 'Organization', 'CareTeam', 'HealthcareService', 'Patient', 'Device', 'RelatedPerson')).optional(),
    reasonCode: z.array(CodeableConcept).optional(),
  })
  .refine((r) => r.orderDetail === undefined || r.code !== undefined, { message: 'prr-1: orderDetail only with a code', path: ['orderDetail'] });

const TaskSchema = z
  .looseObject({
    ...common('Task'),
    status: z.enum(['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error']),
    intent: z.enum(['unknown', 'proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
    focus: Reference.optional(),
    for: Reference.optional(),
    authoredOn: FhirDateTime.optional(),
    lastModified: FhirDateTime.optional(),
    owner: Reference.optional(),
    restriction: z.looseObject({ period: Period.optional() }).optional(),
  })
  .refine((t) => t.authoredOn === undefined || t.lastModified === undefined || Date.parse(t.lastModified) >= Date.parse(t.authoredOn), { message: 'inv-1: lastModified is before authoredOn', path: ['lastModified'] });

const EpisodeOfCareSchema = z.looseObject({
  ...common('EpisodeOfCare'),
  status: z.enum(['planned', 'waitlist', 'active', 'onhold', 'finished', 'cancelled', 'entered-in-error']),
  patient: referenceTo('Patient'),
  managingOrganization: Reference.optional(),
  period: Period.optional(),
  careManager: Reference.optional(),
});

const HealthcareServiceSchema = z.looseObject({
  ...common('HealthcareService'),
  active: z.boolean().optional(),
  providedBy: referenceTo('Organization').optional(),
  type: z.array(CodeableConcept).optional(),
  location: z.array(referenceTo('Location')).optional(),
  name: z.string().min(1).optional(),
});

const odsSlices = (identifiers: readonly z.infer<typeof Identifier>[] | undefined, slices: readonly [string, string][], ctx: z.RefinementCtx) => {
  for (const [name, system] of slices) {
    const found = slice(identifiers, system);
    if (found.length > 1) ctx.addIssue({ code: 'custom', message: `identifier:${name} is 0..1`, path: ['identifier'] });
    for (const [x, i] of found) if (x.value === undefined) ctx.addIssue({ code: 'custom', message: `identifier:${name}.value is 1..1: missing`, path: ['identifier', i, 'value'] });
  }
};

const LocationSchema = z
  .looseObject({
    ...common('Location'),
    identifier: z.array(Identifier).optional(),
    status: z.enum(['active', 'suspended', 'inactive']).optional(),
    name: z.string().min(1).optional(),
    managingOrganization: referenceTo('Organization').optional(),
  })
  .superRefine((l, ctx) => odsSlices(l.identifier, [['odsSiteCode', 'https://fhir.nhs.uk/Id/ods-site-code']], ctx));

const OrganizationSchema = z
  .looseObject({ ...common('Organization'), identifier: z.array(Identifier).optional(), active: z.boolean().optional(), name: z.string().min(1).optional() })
  .superRefine((o, ctx) => {
    odsSlices(o.identifier, [['odsOrganisationCode', S.odsOrganisation], ['odsSiteCode', 'https://fhir.nhs.uk/Id/ods-site-code']], ctx);
    if ((o.identifier ?? []).length === 0 && o.name === undefined) ctx.addIssue({ code: 'custom', message: 'org-1: an Organization needs an identifier or a name', path: ['name'] });
  });

const INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
const Instant = z.string().regex(INSTANT, 'not a FHIR instant');
const Quantity = z
  .looseObject({ value: z.number().optional(), unit: z.string().optional(), system: z.string().optional(), code: z.string().optional() })
  .refine((q) => q.code === undefined || q.system !== undefined, { message: 'qty-3: a unit code needs its system', path: ['system'] });
const RequiredConcept = CodeableConcept.refine((c) => (c.coding ?? []).length > 0 || c.text !== undefined, 'a CodeableConcept needs a coding or a text');
/** SNOMED CT codings of a concept are valid concept ids (for preferred bindings to SNOMED CT value sets). */
const snomedIds = (concept: z.infer<typeof CodeableConcept> | undefined, path: PropertyKey[], ctx: z.RefinementCtx) => {
  for (const [i, coding] of (concept?.coding ?? []).entries()) {
    if (coding.system === S.snomed && !SNOMED_ID.test(coding.code ?? '')) ctx.addIssue({ code: 'custom', message: `'${coding.code ?? ''}' is not a SNOMED CT concept id`, path: [...path, 'coding', i, 'code'] });
  }
};

const ObservationSchema = z
  .looseObject({
    ...common('Observation'),
    status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
    code: RequiredConcept,
    subject: referenceTo('Patient', 'Group', 'Device', 'Location').optional(),
    effectiveDateTime: FhirDateTime.optional(),
    valueQuantity: Quantity.optional(),
    valueCodeableConcept: CodeableConcept.optional(),
    component: z.array(z.looseObject({ code: RequiredConcept, valueQuantity: Quantity.optional(), valueCodeableConcept: CodeableConcept.optional() })).optional(),
  })
  .superRefine((o, ctx) => {
    snomedIds(o.code, ['code'], ctx);
    snomedIds(o.valueCodeableConcept, ['valueCodeableConcept'], ctx);
    const key = (c: z.infer<typeof CodeableConcept>) => (c.coding ?? []).map((x) => `${x.system}|${x.code}`);
    for (const [i, component] of (o.component ?? []).entries()) {
      snomedIds(component.code, ['component', i, 'code'], ctx);
      snomedIds(component.valueCodeableConcept, ['component', i, 'valueCodeableConcept'], ctx);
      if ((o.valueQuantity !== undefined || o.valueCodeableConcept !== undefined) && key(component.code).some((k) => key(o.code).includes(k))) {
        ctx.addIssue({ code: 'custom', message: 'obs-7: no value when a component has the code of the Observation', path: ['component', i, 'code'] });
      }
    }
  });

const ENCOUNTER_STATUS = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'] as const;
const ADMISSION_METHOD_ENGLAND = ['11', '12', '13', '21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28', '31', '32', '81', '82', '83', '98', '99'];

const EncounterSchema = z
  .looseObject({
    ...common('Encounter'),
    status: z.enum(ENCOUNTER_STATUS),
    class: Coding.refine((c) => c.code !== undefined, 'a class needs a code'),
    type: z.array(CodeableConcept).optional(),
    serviceType: CodeableConcept.optional(),
    priority: CodeableConcept.optional(),
    subject: referenceTo('Patient', 'Group').optional(),
    period: Period.optional(),
    reasonCode: z.array(CodeableConcept).optional(),
    hospitalization: z.looseObject({ extension: z.array(z.looseObject({ url: z.string(), valueCodeableConcept: CodeableConcept.optional() })).optional(), dischargeDisposition: CodeableConcept.optional() }).optional(),
    serviceProvider: referenceTo('Organization').optional(),
    participant: z.array(z.looseObject({ individual: referenceTo('Practitioner', 'PractitionerRole', 'RelatedPerson').optional() })).optional(),
  })
  .superRefine((e, ctx) => {
    for (const [i, t] of (e.type ?? []).entries()) snomedIds(t, ['type', i], ctx);
    snomedIds(e.hospitalization?.dischargeDisposition, ['hospitalization', 'dischargeDisposition'], ctx);
    const methods = (e.hospitalization?.extension ?? []).map((x, j) => [x, j] as const).filter(([x]) => x.url === RT.admissionMethodExtension);
    if (methods.length > 1) ctx.addIssue({ code: 'custom', message: 'extension:admissionMethod is 0..1', path: ['hospitalization', 'extension'] });
    for (const [x, j] of methods) {
      const codings = x.valueCodeableConcept?.coding ?? [];
      if (x.valueCodeableConcept === undefined) ctx.addIssue({ code: 'custom', message: 'extension:admissionMethod.value[x] is 1..1: missing', path: ['hospitalization', 'extension', j] });
      for (const [k, c] of codings.entries()) {
        if (c.system === RT.admissionMethodEngland && !ADMISSION_METHOD_ENGLAND.includes(c.code ?? '')) ctx.addIssue({ code: 'custom', message: `'${c.code ?? ''}' is not in UKCore-AdmissionMethodEngland`, path: ['hospitalization', 'extension', j, 'valueCodeableConcept', 'coding', k, 'code'] });
      }
    }
  });

const MedicationRequestSchema = z
  .looseObject({
    ...common('MedicationRequest'),
    status: z.enum(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
    intent: z.enum(['proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
    medicationCodeableConcept: RequiredConcept.optional(),
    medicationReference: referenceTo('Medication').optional(),
    subject: referenceTo('Patient', 'Group'),
    authoredOn: FhirDateTime.optional(),
    substitution: z.looseObject({ allowedBoolean: z.boolean().optional(), allowedCodeableConcept: CodeableConcept.optional() }).refine((x) => (x.allowedBoolean === undefined) !== (x.allowedCodeableConcept === undefined), 'substitution.allowed[x] is 1..1'),
  })
  .refine((m) => (m.medicationCodeableConcept === undefined) !== (m.medicationReference === undefined), { message: 'medication[x] is 1..1', path: ['medicationCodeableConcept'] });

const ADDITIONAL_RELATIONSHIP = ['Agent', 'Guardian', 'Personal', 'PolygamousPartner', 'Dependant', 'NonDependant', 'ProxyContact', 'ProxyCommunication', 'ProxyContactCommunication', 'Carer', 'NotSpecified'];

const RelatedPersonSchema = z
  .looseObject({ ...common('RelatedPerson'), patient: referenceTo('Patient'), relationship: z.array(CodeableConcept).optional(), period: Period.optional() })
  .superRefine((r, ctx) => {
    for (const [i, concept] of (r.relationship ?? []).entries()) {
      for (const [j, c] of (concept.coding ?? []).entries()) {
        const known = c.system === RT.roleCode || (c.system === 'http://terminology.hl7.org/CodeSystem/v2-0131' && c.code !== 'O') || (c.system === RT.additionalRelationship && ADDITIONAL_RELATIONSHIP.includes(c.code ?? ''));
        if (!known) ctx.addIssue({ code: 'custom', message: `${c.system ?? '(no system)'}|${c.code ?? ''} is not in UKCore-PersonRelationshipType`, path: ['relationship', i, 'coding', j] });
      }
    }
  });

const ConsentSchema = z
  .looseObject({
    ...common('Consent'),
    status: z.enum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
    scope: RequiredConcept,
    category: z.array(RequiredConcept).min(1, 'category is 1..*'),
    patient: referenceTo('Patient').optional(),
    dateTime: FhirDateTime.optional(),
    policy: z.array(z.looseObject({ uri: z.string().optional(), authority: z.string().optional() })).optional(),
    policyRule: CodeableConcept.optional(),
    provision: z.looseObject({ type: z.enum(['deny', 'permit']).optional() }).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.policy ?? []).length === 0 && c.policyRule === undefined) ctx.addIssue({ code: 'custom', message: 'ppc-1: a policy or a policyRule', path: ['policyRule'] });
    if ((c.scope.coding ?? []).some((x) => x.code === 'patient-privacy') && c.patient === undefined) ctx.addIssue({ code: 'custom', message: 'ppc-2: a privacy consent has a patient', path: ['patient'] });
    snomedIds(c.policyRule, ['policyRule'], ctx);
  });

const AppointmentSchema = z
  .looseObject({
    ...common('Appointment'),
    status: z.enum(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist']),
    start: Instant.optional(),
    end: Instant.optional(),
    participant: z
      .array(z.looseObject({ actor: Reference.optional(), type: z.array(CodeableConcept).optional(), status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']) }).refine((p) => p.actor !== undefined || (p.type ?? []).length > 0, 'app-1: a participant needs a type or an actor'))
      .min(1, 'participant is 1..*'),
  })
  .superRefine((a, ctx) => {
    if ((a.start === undefined) !== (a.end === undefined)) ctx.addIssue({ code: 'custom', message: 'app-2: start and end, or neither', path: ['end'] });
    if (a.start === undefined && !['proposed', 'cancelled', 'waitlist'].includes(a.status)) ctx.addIssue({ code: 'custom', message: 'app-3: only proposed, cancelled or waitlisted appointments lack start and end', path: ['start'] });
  });

const PractitionerRoleSchema = z
  .looseObject({ ...common('PractitionerRole'), active: z.boolean().optional(), organization: referenceTo('Organization').optional(), code: z.array(CodeableConcept).optional(), period: Period.optional() })
  .superRefine((r, ctx) => {
    for (const [i, c] of (r.code ?? []).entries()) snomedIds(c, ['code', i], ctx);
  });

const SCHEMAS: Record<FhirValidatedType, z.ZodType> = {
  PractitionerRole: PractitionerRoleSchema,
  Observation: ObservationSchema,
  Encounter: EncounterSchema,
  MedicationRequest: MedicationRequestSchema,
  RelatedPerson: RelatedPersonSchema,
  Consent: ConsentSchema,
  Appointment: AppointmentSchema,
  Patient: PatientSchema,
  Condition: ConditionSchema,
  CarePlan: CarePlanSchema,
  ServiceRequest: ServiceRequestSchema,
  Task: TaskSchema,
  EpisodeOfCare: EpisodeOfCareSchema,
  HealthcareService: HealthcareServiceSchema,
  Location: LocationSchema,
  Organization: OrganizationSchema,
};

export interface UkCoreProblem {
  /** FHIRPath-like: `Patient.identifier[0].value`. */
  readonly path: string;
  readonly message: string;
}

const pathOf = (type: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}.${String(p)}`), type);

/** The UK Core constraints a resource breaks (none: []). A type FHIR out does not write is a problem itself. */
export const ukCoreProblems = (resource: unknown): UkCoreProblem[] => {
  const type = resource !== null && typeof resource === 'object' ? (resource as { resourceType?: unknown }).resourceType : undefined;
  if (typeof type !== 'string' || !(FHIR_VALIDATED_TYPES as readonly string[]).includes(type)) return [{ path: 'resourceType', message: `${JSON.stringify(type)} is not a type FHIR out writes` }];
  const parsed = SCHEMAS[type as FhirValidatedType].safeParse(resource);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: pathOf(type, i.path), message: i.message }));
};
