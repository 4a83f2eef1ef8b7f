/**
 * What the first pass over the FHIR files learns about every resource, so the second can resolve
 * references wherever they point: each resource's key (`Type/id`) with where it was first read and a
 * digest of its content (a repeated id with different content is a duplicate; the same resource
 * repeated, as Synthea repeats its organisations in every bundle, is read once), bundle fullUrls,
 * identifiers (for conditional references), patients' person ids, organisations' ODS codes, the
 * dates the mapping of a patient needs (GP registration, first encounter), what a Patient's row needs
 * from other resources (the cause and place of death, the carer code) and who is whom across
 * resources (Patient.link to RelatedPersons, babies' mothers, PractitionerRoles' staff roles). Pure: no I/O.
 *
 * Memory: a few short strings per resource (its key, location and digest), so a load of tens of
 * millions of resources needs a few GB; the resources themselves are never held.
 */
import { FHIR_IDENTIFIER_SYSTEMS, FHIR_ROUND_TRIP, FHIR_ROUND_TRIP_CODES, isFhirId, isResourceTypeName } from './systems.js';

export type FhirJson = { readonly [key: string]: unknown };

/** Where a resource was read: file, line (of the NDJSON line, or of the bundle entry's opening brace) and, in a bundle, the entry. */
export interface FhirLocation {
  readonly file: string;
  readonly line: number;
  /** Index of the entry in a Bundle (undefined for NDJSON). */
  readonly entry?: number;
}

export const sameLocation = (a: FhirLocation, b: FhirLocation): boolean => a.file === b.file && a.line === b.line && a.entry === b.entry;

export type ParsedReference =
  | { readonly kind: 'literal'; readonly type: string; readonly id: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'conditional'; readonly type: string; readonly system: string; readonly value: string }
  | { readonly kind: 'invalid' };

/** A FHIR Reference.reference: `Type/id`, an absolute URL ending in `Type/id` (or `_history`), a `urn:uuid:`, or a conditional `Type?identifier=system|value`. */
export const parseReference = (reference: string): ParsedReference => {
  const conditional = /^([A-Z][A-Za-z]+)\?identifier=([^|&]*)\|([^&]+)$/.exec(reference);
  if (conditional) return { kind: 'conditional', type: conditional[1]!, system: decodeURIComponent(conditional[2]!), value: decodeURIComponent(conditional[3]!) };
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) return { kind: 'url', url: reference };
  const literal = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]+)?$/.exec(reference);
  if (literal && (literal.index === 0 || /^https?:\/\//.test(reference))) return { kind: 'literal', type: literal[1]!, id: literal[2]! };
  return { kind: 'invalid' };
};

interface Known {
  readonly location: FhirLocation;
  readonly digest: string;
}

export type AddOutcome =
  | { readonly kind: 'new'; readonly key: string }
  | { readonly kind: 'repeat'; readonly key: string; readonly first: FhirLocation }
  | { readonly kind: 'duplicate'; readonly key: string; readonly first: FhirLocation };

const SNOMED_URI = 'http://snomed.info/sct';
const PRACTITIONER_ROLE = 'http://terminology.hl7.org/CodeSystem/practitioner-role';
const codingsOf = (concept: unknown): { system?: string; code?: string }[] =>
  concept !== null && typeof concept === 'object' && Array.isArray((concept as FhirJson).coding)
    ? ((concept as FhirJson).coding as FhirJson[]).map((c) => ({ ...(typeof c?.system === 'string' ? { system: c.system } : {}), ...(typeof c?.code === 'string' ? { code: c.code } : {}) }))
    : [];

const earlier = (a: string | undefined, b: string): string => (a === undefined || b < a ? b : a);
const later = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);

const identifiersOf = (resource: FhirJson): { system: string; value: string }[] =>
  Array.isArray(resource.identifier)
    ? (resource.identifier as FhirJson[]).flatMap((i) => (typeof i?.system === 'string' && typeof i.value === 'string' ? [{ system: i.system, value: i.value }] : []))
    : [];

/** The calendar day of a FHIR date or dateTime as written (no time-zone conversion); partial dates give the first of the month or year. */
export const dayOf = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$/.exec(value);
  if (!m) return undefined;
  return `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}`;
};

export class FhirRegistry {
  private readonly known = new Map<string, Known>();
  private readonly fullUrls = new Map<string, string>();
  private readonly identifiers = new Map<string, string>();
  /** Patient key → person_id (1, 2, ... in the order patients are first read). */
  readonly personIds = new Map<string, number>();
  /** Organization key → ODS code (UK Core identifier), when it has one. */
  readonly odsCodes = new Map<string, string>();
  /** Patient key → start of the latest EpisodeOfCare (a registration) managed by an organisation with an ODS code. */
  readonly episodeStarts = new Map<string, { start: string; organisation: string }>();
  /** Patient key → the day of their earliest Encounter. */
  readonly firstEncounter = new Map<string, string>();
  /** Condition key → its ICD-10 code, for hospital spells' diagnoses. */
  readonly conditionIcd10 = new Map<string, string>();
  /** Patient key → the underlying cause (ICD-10 as written) and place of their death, from an Observation 'Cause of death' (SNOMED CT 184305005). */
  readonly deathFacts = new Map<string, { cause: string; place: string | undefined; day: string | undefined }>();
  /** Patients recorded as carers (an Observation or Condition coded SNOMED CT 224484003 |Patient is a carer|). */
  readonly carers = new Set<string>();
  /** RelatedPerson key → the Patient that is the same person (Patient.link). */
  readonly linkedPatients = new Map<string, string>();
  /** Baby's Patient key → the RelatedPerson key of their mother (relationship NMTH or MTH). */
  readonly motherLinks = new Map<string, string>();
  /** PractitionerRole key → the staff role its code says (GP, Nurse, Other), for GP appointments. */
  readonly staffRoles = new Map<string, 'GP' | 'Nurse' | 'Other'>();
  /** Resources per type, counting a repeated resource once. */
  readonly counts = new Map<string, number>();
  /**
   * Resources stored by an earlier load (an incremental load, docs/fhir-import.md): a literal
   * reference `Type/id` to a resource not in the files resolves to its key when this says it is stored.
   */
  private stored: ((key: string) => boolean) | undefined;

  /** Lets literal references resolve to resources an earlier load stored (see `stored`). */
  setStored(isStored: (key: string) => boolean): void {
    this.stored = isStored;
  }

  /** Records a resource (its type and id already checked). */
  add(resource: FhirJson, location: FhirLocation, digest: string, fullUrl?: string): AddOutcome {
    const type = resource.resourceType as string;
    const key = `${type}/${resource.id as string}`;
    const seen = this.known.get(key);
    if (seen !== undefined) return seen.digest === digest ? { kind: 'repeat', key, first: seen.location } : { kind: 'duplicate', key, first: seen.location };
    this.known.set(key, { location, digest });
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (fullUrl !== undefined) this.fullUrls.set(fullUrl, key);
    for (const { system, value } of identifiersOf(resource)) this.identifiers.set(`${type}|${system}|${value}`, key);
    if (type === 'Patient') this.personIds.set(key, this.personIds.size + 1);
    if (type === 'PractitionerRole') {
      const codes = (Array.isArray(resource.code) ? (resource.code as FhirJson[]) : []).flatMap((c) => codingsOf(c));
      const role = codes.some((c) => (c.system === SNOMED_URI && c.code === FHIR_ROUND_TRIP_CODES.generalPractitioner) || (c.system === PRACTITIONER_ROLE && c.code === 'doctor'))
        ? 'GP'
        : codes.some((c) => (c.system === SNOMED_URI && c.code === FHIR_ROUND_TRIP_CODES.professionalNurse) || (c.system === PRACTITIONER_ROLE && c.code === 'nurse'))
          ? 'Nurse'
          : codes.length > 0
            ? 'Other'
            : undefined;
      if (role !== undefined) this.staffRoles.set(key, role);
    }
    if (type === 'Organization') {
      const ods = identifiersOf(resource).find((i) => i.system === FHIR_IDENTIFIER_SYSTEMS.odsOrganisation);
      if (ods !== undefined) this.odsCodes.set(key, ods.value.toUpperCase());
    }
    return { kind: 'new', key };
  }

  private pending: { kind: 'encounter' | 'episode'; patient: string; day: string; organisation?: string }[] = [];
  /** What settle() resolves besides: [kind, patient reference, value]. */
  private pendingFacts: ['death', string, { cause: string; place: string | undefined; day: string | undefined }][] = [];
  private pendingPeople: ['carer' | 'mother' | 'link', string, string][] = [];

  /** The Patient key of a baby's mother (through the RelatedPerson the mother's Patient links to), or undefined. */
  motherOf(babyKey: string): string | undefined {
    const related = this.motherLinks.get(babyKey);
    return related !== undefined ? this.linkedPatients.get(related) : undefined;
  }

  /**
   * Notes what a resource tells about its patient (an Encounter's date, an EpisodeOfCare's start
   * and organisation, a Condition's ICD-10 code); references are resolved by settle(), once every
   * resource has been added, wherever in the files they point.
   */
  note(resource: FhirJson): void {
    const type = resource.resourceType;
    const refOf = (field: string): string | undefined => {
      const ref = (resource[field] as FhirJson | undefined)?.reference;
      return typeof ref === 'string' ? ref : undefined;
    };
    if (type === 'Encounter') {
      const patient = refOf('subject');
      const day = dayOf((resource.period as FhirJson | undefined)?.start);
      if (patient !== undefined && day !== undefined) this.pending.push({ kind: 'encounter', patient, day });
    } else if (type === 'EpisodeOfCare') {
      const patient = refOf('patient');
      const day = dayOf((resource.period as FhirJson | undefined)?.start);
      const organisation = refOf('managingOrganization');
      if (patient !== undefined && day !== undefined && organisation !== undefined) this.pending.push({ kind: 'episode', patient, day, organisation });
    } else if (type === 'Condition') {
      const codings = ((resource.code as FhirJson | undefined)?.coding as FhirJson[] | undefined) ?? [];
      const icd = codings.find((c) => typeof c?.system === 'string' && c.system.startsWith('http://hl7.org/fhir/sid/icd-10'));
      if (typeof icd?.code === 'string') this.conditionIcd10.set(`Condition/${String(resource.id)}`, icd.code);
    }
    if (type === 'Observation' || type === 'Condition') {
      const patient = refOf('subject');
      const codes = codingsOf(resource.code);
      const inError = resource.status === 'entered-in-error' || codingsOf(resource.verificationStatus).some((c) => c.code === 'entered-in-error' || c.code === 'refuted');
      if (patient !== undefined && !inError) {
        if (codes.some((c) => c.system === SNOMED_URI && c.code === FHIR_ROUND_TRIP_CODES.patientIsCarer)) this.pendingPeople.push(['carer', patient, '']);
        if (type === 'Observation' && codes.some((c) => c.system === SNOMED_URI && c.code === FHIR_ROUND_TRIP_CODES.causeOfDeath)) {
          const cause = codingsOf(resource.valueCodeableConcept).find((c) => c.system?.startsWith('http://hl7.org/fhir/sid/icd-10'))?.code;
          const components = Array.isArray(resource.component) ? (resource.component as FhirJson[]) : [];
          const place = components.flatMap((c) => codingsOf(c?.valueCodeableConcept)).find((c) => c.system === FHIR_ROUND_TRIP.placeOfDeath)?.code;
          if (cause !== undefined) this.pendingFacts.push(['death', patient, { cause, place, day: dayOf(resource.effectiveDateTime) }]);
        }
      }
    } else if (type === 'Patient') {
      for (const link of Array.isArray(resource.link) ? (resource.link as FhirJson[]) : []) {
        const other = (link?.other as FhirJson | undefined)?.reference;
        if (typeof other === 'string') this.pendingPeople.push(['link', other, `Patient/${String(resource.id)}`]);
      }
    } else if (type === 'RelatedPerson') {
      const patient = refOf('patient');
      const relationships = (Array.isArray(resource.relationship) ? (resource.relationship as FhirJson[]) : []).flatMap((r) => codingsOf(r));
      if (patient !== undefined && relationships.some((c) => c.system === FHIR_ROUND_TRIP.roleCode && (c.code === 'NMTH' || c.code === 'MTH'))) {
        this.pendingPeople.push(['mother', patient, `RelatedPerson/${String(resource.id)}`]);
      }
    }
  }

  /** Resolves what note() kept: first encounters and registration episodes by patient. */
  settle(): void {
    for (const p of this.pending) {
      const patient = this.resolve(p.patient);
      if (patient === undefined || !patient.startsWith('Patient/')) continue;
      if (p.kind === 'encounter') this.firstEncounter.set(patient, earlier(this.firstEncounter.get(patient), p.day));
      else {
        const organisation = this.resolve(p.organisation!);
        const ods = organisation !== undefined ? this.odsCodes.get(organisation) : undefined;
        const current = this.episodeStarts.get(patient);
        if (ods !== undefined && later(current?.start, p.day) === p.day) this.episodeStarts.set(patient, { start: p.day, organisation: ods });
      }
    }
    this.pending = [];
    for (const [, ref, facts] of this.pendingFacts) {
      const patient = this.resolve(ref);
      if (patient?.startsWith('Patient/')) this.deathFacts.set(patient, facts);
    }
    this.pendingFacts = [];
    for (const [kind, ref, value] of this.pendingPeople) {
      const key = this.resolve(ref);
      if (key === undefined) continue;
      if (kind === 'carer' && key.startsWith('Patient/')) this.carers.add(key);
      else if (kind === 'mother' && key.startsWith('Patient/')) this.motherLinks.set(key, value);
      else if (kind === 'link' && key.startsWith('RelatedPerson/')) this.linkedPatients.set(key, value);
    }
    this.pendingPeople = [];
  }

  /** Where the resource with this key was first read (undefined when there is none). */
  locationOf(key: string): FhirLocation | undefined {
    return this.known.get(key)?.location;
  }

  has(key: string): boolean {
    return this.known.has(key);
  }

  /** The key (`Type/id`) a reference points to, or undefined when no resource read has it. */
  resolve(reference: string): string | undefined {
    const parsed = parseReference(reference);
    switch (parsed.kind) {
      case 'literal': {
        const key = `${parsed.type}/${parsed.id}`;
        if (this.known.has(key)) return key;
        return this.fullUrls.get(reference) ?? (this.stored?.(key) === true ? key : undefined);
      }
      case 'url':
        return this.fullUrls.get(parsed.url);
      case 'conditional':
        return this.identifiers.get(`${parsed.type}|${parsed.system}|${parsed.value}`);
      case 'invalid':
        return undefined;
    }
  }
}

/** What is wrong with a resource's type and id for the import, or undefined when both are usable. */
export const typeAndIdProblem = (resource: unknown): { path: string; problem: string } | undefined => {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return { path: '(resource)', problem: 'is not a JSON object' };
  const r = resource as FhirJson;
  if (r.resourceType === undefined) return { path: 'resourceType', problem: 'is missing: every FHIR resource names its type' };
  if (!isResourceTypeName(r.resourceType)) return { path: 'resourceType', problem: `${JSON.stringify(r.resourceType)} is not a FHIR resource type` };
  if (r.id === undefined) return { path: `${r.resourceType}.id`, problem: 'is missing: the import needs every resource to have an id' };
  if (!isFhirId(r.id)) return { path: `${r.resourceType}.id`, problem: `${JSON.stringify(r.id)} is not a FHIR id (1-64 letters, digits, '-' or '.')` };
  return undefined;
};

/** Resource types the import reads only to resolve references (their identifiers: ODS codes, conditional references). */
export const REFERENCE_ONLY_TYPES: readonly string[] = ['Organization', 'Practitioner'];

/**
 * What two resources with the same type and id must agree on to be the same resource read twice
 * (rather than a duplicate id): the whole resource, except for organisations and practitioners,
 * of which only the identifiers are used (Synthea repeats its organisations in every patient's
 * bundle and again, with usage counts added, in a shared bundle).
 */
export const digestSubject = (resource: FhirJson): unknown =>
  REFERENCE_ONLY_TYPES.includes(resource.resourceType as string) ? { resourceType: resource.resourceType, id: resource.id, identifier: resource.identifier ?? [] } : resource;
