/**
 * FHIR R4 resources to rows of OpenPHM's person-level tables (../schema/tables.ts) and the identity
 * table (../schema/identity.ts). Pure: the caller reads the files, keeps the registry of the first
 * pass (registry.ts) and writes the rows.
 *
 * What maps to what (docs/fhir-import.md has the full table):
 * - Patient → person (+ identity when it has an NHS number, + death when deceased). People without
 *   a usable postcode, living outside the partnership, registered with no partnership practice,
 *   without a birth date or with a sex other than male or female are excluded and counted by reason.
 * - Condition, Procedure, AllergyIntolerance, Immunization, CarePlan (category), ServiceRequest and
 *   Observation (smoking status, BMI, blood pressure components, SNOMED-coded scores such as
 *   frailty) → clinical_event, SNOMED CT directly or through a code list (codelists.ts).
 * - MedicationRequest / MedicationStatement → medication (BNF through a code list).
 * - Encounter → gp_appointment (ambulatory, virtual, home), outpatient_appointment (ambulatory at an
 *   organisation with an ODS code that is not a practice), ae_attendance (emergency),
 *   hospital_spell (inpatient).
 * - EpisodeOfCare → the person's registration date; Organization, Practitioner → references only.
 * A problem (an invalid code, a malformed date, a reference to nothing) rejects the resource, and
 * the caller rejects the load; a valid code no list maps is reported as unmapped, never an error.
 */
import { Bnf, Icd10, Snomed } from '../codes/codes.js';
import { nhsNumberProblem } from '../codes/nhs-number.js';
import { hashString } from '../random/prng.js';
import { isRealIsoDay } from '../time/iso-day.js';
import type { TableName } from '../schema/tables.js';
import {
  BLOOD_PRESSURE_PANEL_LOINC,
  CVX_TO_SNOMED,
  DMD_TO_BNF,
  ICD10_TO_SNOMED,
  LOINC_TO_SNOMED,
  RXNORM_TO_BNF,
  SMOKING_STATUS_LOINC,
  SMOKING_TO_SNOMED,
  isOpcs4,
  lookUp,
  normaliseIcd10,
} from './codelists.js';
import { dayOf, type FhirJson, type FhirRegistry } from './registry.js';
import { FHIR_CODE_SYSTEM_URIS, FHIR_EXTENSION_URLS, FHIR_IDENTIFIER_SYSTEMS, FHIR_ROUND_TRIP, FHIR_ROUND_TRIP_CODES, codeSystemOf, isFhirImportType } from './systems.js';

const obj = (value: unknown): FhirJson | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as FhirJson) : undefined);
const arr = (value: unknown): FhirJson[] => (Array.isArray(value) ? (value as FhirJson[]) : []);

export type RowValue = string | number | boolean | null;
export interface MappedRow {
  readonly table: TableName | 'identity';
  readonly values: Readonly<Record<string, RowValue>>;
}
export interface Unmapped {
  /** The coding's system URI ('(none)' when a concept has only text). */
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}
export interface FhirProblem {
  /** FHIRPath-like element path, e.g. `Condition.code.coding[0].code`. */
  readonly path: string;
  readonly problem: string;
}

export const SKIP_REASONS = ['person-excluded', 'entered-in-error', 'not-done', 'reference-only', 'read-with-another', 'type-not-used', 'no-table', 'unmapped'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface MapResult {
  readonly rows: readonly MappedRow[];
  readonly unmapped: readonly Unmapped[];
  readonly problems: readonly FhirProblem[];
  /** Why the resource gave no row (when it gave none and has no problem). */
  readonly skipped?: SkipReason;
  /** Values the source did not hold, filled with a documented default (`table.column=value`). */
  readonly defaults: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// People

export const EXCLUSION_REASONS = ['no-postcode', 'outside-partnership', 'no-partnership-practice', 'no-birth-date', 'sex-not-male-or-female'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What the first pass keeps of each Patient: enough to decide whether they are loaded. */
export interface PatientFacts {
  readonly gender: string | undefined;
  readonly birthDate: string | undefined;
  readonly postcode: string | undefined;
  /** The LSOA of the address's extension (FHIR_ROUND_TRIP.lsoaExtension), when it has one. */
  readonly lsoa?: string | undefined;
  readonly practiceRefs: readonly string[];
  /** ODS codes of logical references (Reference.identifier, as UK Core allows for the registered practice). */
  readonly practiceOds: readonly string[];
  /** The NHS number of the first NHS number identifier, when it is a valid one (a full re-import keeps people's ids by it: store-duckdb fhir/person-ids.ts). */
  readonly nhsNumber?: string;
}

/** Normalises a UK postcode to upper case with one space before the inward code ("ls14ap" → "LS1 4AP"); undefined when it is not one. */
export const normalisePostcode = (text: string): string | undefined => {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : undefined;
};

/** The address a person lives at: the current home address (no end date), else the first without an end date, else the first. */
const homeAddress = (patient: FhirJson): FhirJson | undefined => {
  const addresses = Array.isArray(patient.address) ? (patient.address as FhirJson[]) : [];
  const current = addresses.filter((a) => (a?.period as FhirJson | undefined)?.end === undefined);
  return current.find((a) => a.use === 'home') ?? current[0] ?? addresses[0];
};

export const patientFacts = (patient: FhirJson): PatientFacts => {
  const address = homeAddress(patient);
  const postcode = address?.postalCode;
  const lsoa = arr(address?.extension).find((e) => e?.url === FHIR_ROUND_TRIP.lsoaExtension)?.valueCode;
  const gps = Array.isArray(patient.generalPractitioner) ? (patient.generalPractitioner as FhirJson[]) : [];
  const nhsIdentifier = arr(patient.identifier).find((i) => i?.system === FHIR_IDENTIFIER_SYSTEMS.nhsNumber)?.value;
  const nhsNumber = typeof nhsIdentifier === 'string' && nhsNumberProblem(nhsIdentifier) === null ? nhsIdentifier.replace(/[\s-]/g, '') : undefined;
  return {
    gender: typeof patient.gender === 'string' ? patient.gender : undefined,
    birthDate: typeof patient.birthDate === 'string' ? patient.birthDate : undefined,
    postcode: typeof postcode === 'string' ? postcode : undefined,
    ...(typeof lsoa === 'string' ? { lsoa } : {}),
    practiceRefs: gps.flatMap((g) => (typeof g?.reference === 'string' ? [g.reference] : [])),
    practiceOds: gps.flatMap((g) => {
      const identifier = obj(g?.identifier);
      return identifier?.system === FHIR_IDENTIFIER_SYSTEMS.odsOrganisation && typeof identifier.value === 'string' ? [identifier.value.toUpperCase()] : [];
    }),
    ...(nhsNumber !== undefined ? { nhsNumber } : {}),
  };
};

/** For synthetic data from generators outside England (Synthea): where people without a partnership address or practice are placed. */
export interface SyntheticResidence {
  /** Every LSOA of the partnership with the practices of its place, sorted by code. */
  readonly lsoas: readonly { readonly code: string; readonly practices: readonly string[] }[];
}

export interface ResidenceContext {
  /** The partnership LSOA of a normalised postcode, or undefined when the postcode is not in the partnership's lookup. */
  readonly lsoaOfPostcode: (postcode: string) => string | undefined;
  readonly practiceCodes: ReadonlySet<string>;
  /** The partnership's LSOAs: an address's LSOA extension places a person when it is one of them. */
  readonly partnershipLsoas?: ReadonlySet<string>;
  readonly syntheticResidence?: SyntheticResidence;
}

export type PersonOutcome =
  | {
      readonly kind: 'person';
      readonly personId: number;
      readonly sex: 'F' | 'M';
      readonly dateOfBirth: string;
      readonly lsoa: string;
      readonly practice: string;
      readonly registrationDate: string;
      /** Where the residence, practice and registration date came from. */
      readonly sources: readonly string[];
    }
  | { readonly kind: 'excluded'; readonly reason: ExclusionReason };

const pick = <T>(items: readonly T[], key: string): T => items[hashString(key)[0] % items.length]!;

/** Whether a patient is loaded, and with what residence, practice and registration date. */
export const decidePerson = (key: string, facts: PatientFacts, registry: FhirRegistry, context: ResidenceContext): PersonOutcome => {
  const sex = facts.gender === 'female' ? 'F' : facts.gender === 'male' ? 'M' : undefined;
  if (sex === undefined) return { kind: 'excluded', reason: 'sex-not-male-or-female' };
  const dateOfBirth = dayOf(facts.birthDate);
  if (dateOfBirth === undefined) return { kind: 'excluded', reason: 'no-birth-date' };
  const sources: string[] = [];
  const postcode = facts.postcode !== undefined ? normalisePostcode(facts.postcode) : undefined;
  const placed = facts.lsoa !== undefined && context.partnershipLsoas?.has(facts.lsoa) === true ? facts.lsoa : undefined;
  let lsoa = placed ?? (postcode !== undefined ? context.lsoaOfPostcode(postcode) : undefined);
  let lsoaEntry = lsoa !== undefined ? context.syntheticResidence?.lsoas.find((l) => l.code === lsoa) : undefined;
  if (lsoa === undefined) {
    if (context.syntheticResidence === undefined) return { kind: 'excluded', reason: facts.postcode === undefined || facts.postcode.trim() === '' ? 'no-postcode' : 'outside-partnership' };
    lsoaEntry = pick(context.syntheticResidence.lsoas, `lsoa|${key}`);
    lsoa = lsoaEntry.code;
    sources.push('synthetic-residence');
  } else sources.push(placed !== undefined ? 'lsoa-extension' : 'postcode');
  const practices = [
    ...facts.practiceRefs.flatMap((ref) => {
      const org = registry.resolve(ref);
      const ods = org !== undefined ? registry.odsCodes.get(org) : undefined;
      return ods !== undefined ? [ods] : [];
    }),
    ...facts.practiceOds,
  ].filter((ods) => context.practiceCodes.has(ods));
  let practice = practices[0];
  if (practice === undefined) {
    const candidates = lsoaEntry?.practices ?? [];
    if (context.syntheticResidence === undefined || candidates.length === 0) return { kind: 'excluded', reason: 'no-partnership-practice' };
    practice = pick(candidates, `practice|${key}`);
    sources.push('synthetic-practice');
  }
  const episode = registry.episodeStarts.get(key);
  let registrationDate: string;
  if (episode !== undefined && episode.organisation === practice) {
    registrationDate = episode.start;
    sources.push('registration-episode');
  } else if (registry.firstEncounter.has(key)) {
    registrationDate = registry.firstEncounter.get(key)!;
    sources.push('registration-first-encounter');
  } else {
    registrationDate = dateOfBirth;
    sources.push('registration-birth');
  }
  if (registrationDate < dateOfBirth) registrationDate = dateOfBirth;
  return { kind: 'person', personId: registry.personIds.get(key)!, sex, dateOfBirth, lsoa, practice, registrationDate, sources };
};

// ---------------------------------------------------------------------------------------------
// Mapping context and helpers

export interface MapContext {
  readonly registry: FhirRegistry;
  /** The outcome of each Patient (by key), decided after the first pass. */
  readonly person: (patientKey: string) => PersonOutcome | undefined;
  /** The next id of a table keyed by its own id (ae_attendance, hospital_spell). */
  readonly nextId: (table: 'ae_attendance' | 'hospital_spell') => number;
}

class Collector {
  readonly rows: MappedRow[] = [];
  readonly unmapped: Unmapped[] = [];
  readonly problems: FhirProblem[] = [];
  readonly defaults: string[] = [];
  skipped: SkipReason | undefined;

  result(): MapResult {
    const skipped = this.rows.length === 0 && this.problems.length === 0 ? (this.skipped ?? (this.unmapped.length > 0 ? 'unmapped' : 'no-table')) : undefined;
    // A resource with a problem gives no rows: the load is rejected, and nothing half-mapped is written.
    const rows = this.problems.length > 0 ? [] : this.rows;
    return { rows, unmapped: this.unmapped, problems: this.problems, defaults: this.defaults, ...(skipped !== undefined ? { skipped } : {}) };
  }
}


/** A day from the first of the fields present (e.g. onsetDateTime, recordedDate); a problem when a present value is malformed or none is present. */
const dayFrom = (resource: FhirJson, type: string, fields: readonly string[], out: Collector): string | undefined => {
  for (const field of fields) {
    const [name, sub] = field.split('.') as [string, string | undefined];
    const raw = sub === undefined ? resource[name] : obj(resource[name])?.[sub];
    if (raw === undefined) continue;
    const day = dayOf(raw);
    if (day === undefined || !isRealIsoDay(day)) {
      out.problems.push({ path: `${type}.${field}`, problem: `${JSON.stringify(raw)} is not a FHIR date or dateTime` });
      return undefined;
    }
    return day;
  }
  out.problems.push({ path: `${type}.${fields[0]!}`, problem: `is missing: a ${type} needs a date (${fields.join(', ')})` });
  return undefined;
};

/** The person a resource is about: its person id, or undefined (a problem is recorded, or the person is excluded). */
const personOf = (resource: FhirJson, type: string, field: string, context: MapContext, out: Collector): number | undefined => {
  const path = `${type}.${field}.reference`;
  const ref = obj(resource[field])?.reference;
  if (typeof ref !== 'string') {
    out.problems.push({ path, problem: `is missing: a ${type} must refer to its Patient` });
    return undefined;
  }
  const key = context.registry.resolve(ref);
  if (key === undefined) {
    out.problems.push({ path, problem: `refers to ${ref}, which is not in the files read` });
    return undefined;
  }
  if (!key.startsWith('Patient/')) {
    out.problems.push({ path, problem: `refers to ${key}, not a Patient` });
    return undefined;
  }
  const outcome = context.person(key);
  if (outcome?.kind !== 'person') {
    out.skipped = 'person-excluded';
    return undefined;
  }
  return outcome.personId;
};

interface CodingAt {
  readonly path: string;
  readonly system: string | undefined;
  readonly code: string | undefined;
  readonly display: string | undefined;
}

const codingsOf = (concept: unknown, path: string): CodingAt[] =>
  arr(obj(concept)?.coding).map((c, i) => ({
    path: `${path}.coding[${i}]`,
    system: typeof c?.system === 'string' ? c.system : undefined,
    code: typeof c?.code === 'string' ? c.code : undefined,
    display: typeof c?.display === 'string' ? c.display : undefined,
  }));

const unmappedOf = (concept: unknown, codings: readonly CodingAt[]): Unmapped[] => {
  if (codings.length === 0) {
    const text = obj(concept)?.text;
    return [{ system: '(none)', code: typeof text === 'string' ? text : '(no coding)' }];
  }
  return codings.map((c) => ({ system: c.system ?? '(none)', code: c.code ?? '(no code)', ...(c.display !== undefined ? { display: c.display } : {}) }));
};

/**
 * The SNOMED CT concept OpenPHM records for a CodeableConcept: a SNOMED CT coding (checked, and
 * specific smoking findings brought to OpenPHM's), else the first coding a code list maps. Invalid
 * codes are problems; a concept nothing maps is listed as unmapped and gives undefined.
 */
const snomedOf = (concept: unknown, path: string, out: Collector): string | undefined => {
  const codings = codingsOf(concept, path);
  let mapped: string | undefined;
  for (const coding of codings) {
    const system = codeSystemOf(coding.system);
    if (system === undefined) continue;
    const code = coding.code?.trim();
    if (code === undefined || code === '') {
      out.problems.push({ path: `${coding.path}.code`, problem: 'is missing' });
      continue;
    }
    switch (system) {
      case 'snomed':
        if (!Snomed.is(code)) {
          out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not a valid SNOMED CT concept id (6-18 digits with a Verhoeff check digit)` });
          continue;
        }
        // A SNOMED CT coding is used ahead of any other coding of the concept.
        return lookUp(SMOKING_TO_SNOMED, code)?.to ?? code;
      case 'icd10': {
        const icd = normaliseIcd10(code);
        if (icd === undefined || !Icd10.is(icd)) {
          out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not a valid ICD-10 code` });
          continue;
        }
        mapped ??= lookUp(ICD10_TO_SNOMED, icd)?.to;
        break;
      }
      case 'opcs4':
        if (!isOpcs4(code.toUpperCase())) out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not a valid OPCS-4 code` });
        break;
      case 'loinc':
        mapped ??= lookUp(LOINC_TO_SNOMED, code)?.to;
        break;
      case 'cvx':
        mapped ??= lookUp(CVX_TO_SNOMED, code)?.to;
        break;
      default:
        break;
    }
  }
  if (mapped === undefined && out.problems.length === 0) out.unmapped.push(...unmappedOf(concept, codings));
  return mapped;
};

/** The BNF code of a medication concept: a BNF coding as it is, else through the RxNorm or dm+d list. */
const bnfOf = (concept: unknown, path: string, out: Collector): string | undefined => {
  const codings = codingsOf(concept, path);
  for (const coding of codings) {
    const system = codeSystemOf(coding.system);
    const code = coding.code?.trim() ?? '';
    if (system === 'bnf') {
      if (!Bnf.is(code)) {
        out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not a BNF code (a 4-digit BNF section, then up to 11 digits and capitals)` });
        return undefined;
      }
      return code;
    } else if (system === 'snomed' || system === 'dmd') {
      if (!Snomed.is(code)) {
        out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not a valid dm+d / SNOMED CT code (Verhoeff check digit)` });
        return undefined;
      }
      const entry = lookUp(DMD_TO_BNF, code);
      if (entry !== undefined) return entry.to;
    } else if (system === 'rxnorm') {
      if (!/^\d{1,9}$/.test(code)) {
        out.problems.push({ path: `${coding.path}.code`, problem: `'${code}' is not an RxNorm concept id (digits)` });
        return undefined;
      }
      const entry = lookUp(RXNORM_TO_BNF, code);
      if (entry !== undefined) return entry.to;
    }
  }
  out.unmapped.push(...unmappedOf(concept, codings));
  return undefined;
};

const statusSkips = (resource: FhirJson, out: Collector): boolean => {
  const status = resource.status;
  if (status === 'entered-in-error') out.skipped = 'entered-in-error';
  else if (status === 'not-done' || status === 'cancelled' || status === 'revoked' || status === 'stopped' || status === 'planned') out.skipped = 'not-done';
  else return false;
  return true;
};

const numberAt = (value: unknown, path: string, out: Collector): number | null => {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    out.problems.push({ path, problem: `${JSON.stringify(value)} is not a number` });
    return null;
  }
  return value;
};

const clinicalEvent = (out: Collector, personId: number, day: string, snomed: string | undefined, value: number | null = null): void => {
  if (snomed !== undefined) out.rows.push({ table: 'clinical_event', values: { person_id: personId, event_date: day, snomed_code: snomed, numeric_value: value } });
};

// ---------------------------------------------------------------------------------------------
// Per resource type

type Mapper = (resource: FhirJson, context: MapContext, out: Collector) => void;

const PLACES_OF_DEATH = ['hospital', 'home', 'care_home', 'hospice', 'other'] as const;
const SNOMED_URI = FHIR_CODE_SYSTEM_URIS.snomed[0]!;
const hasCode = (concept: unknown, system: string, code: string): boolean => codingsOf(concept, '').some((c) => c.system === system && c.code === code);
const codeIn = (concept: unknown, system: string): string | undefined => codingsOf(concept, '').find((c) => c.system === system)?.code;
/** Whether an ICD-10 code (no dot) is an external cause (chapter XX, V01-Y98). */
const isExternalCause = (icd: string): boolean => icd >= 'V01' && icd < 'Y99';

const mapPatient: Mapper = (patient, context, out) => {
  const key = `Patient/${String(patient.id)}`;
  const outcome = context.person(key);
  if (outcome === undefined || outcome.kind !== 'person') {
    out.skipped = 'person-excluded';
    return;
  }
  const { personId } = outcome;
  // Ethnic category: UK Core extension, else not stated (US Core race is listed as unmapped).
  let ethnic = 'Z';
  for (const [i, extension] of arr(patient.extension).entries()) {
    const url = extension?.url;
    if (typeof url !== 'string') continue;
    if ((FHIR_EXTENSION_URLS.ethnicCategory as readonly string[]).includes(url)) {
      const coding = codingsOf(extension.valueCodeableConcept, `Patient.extension[${i}].valueCodeableConcept`)[0];
      const code = coding?.code?.toUpperCase();
      if (code === undefined || !/^[A-HJ-NPRSZ]$/.test(code)) {
        out.problems.push({ path: `${coding?.path ?? `Patient.extension[${i}]`}.code`, problem: `${JSON.stringify(coding?.code)} is not an NHS ethnic category (A-S, Z)` });
      } else ethnic = code;
    } else if ((FHIR_EXTENSION_URLS.usRace as readonly string[]).includes(url)) {
      const omb = arr(extension.extension).find((e) => e?.url === 'ombCategory');
      const coding = obj(omb?.valueCoding);
      if (typeof coding?.code === 'string') out.unmapped.push({ system: FHIR_CODE_SYSTEM_URIS['us-race'][0]!, code: coding.code, ...(typeof coding.display === 'string' ? { display: coding.display } : {}) });
    }
  }
  if (ethnic === 'Z') out.defaults.push('person.ethnic_category=Z');
  if (!isRealIsoDay(outcome.dateOfBirth)) out.problems.push({ path: 'Patient.birthDate', problem: `${JSON.stringify(patient.birthDate)} is not a FHIR date` });
  out.rows.push({
    table: 'person',
    values: {
      person_id: personId,
      sex: outcome.sex,
      date_of_birth: outcome.dateOfBirth,
      ethnic_category: ethnic,
      lsoa_code: outcome.lsoa,
      practice_code: outcome.practice,
      registration_date: outcome.registrationDate,
      is_carer: context.registry.carers.has(key),
    },
  });
  for (const source of outcome.sources) out.defaults.push(`person.${source}`);
  // Death: the date from Patient.deceasedDateTime; the underlying cause and place from an Observation 'Cause of death' of the
  // person (SNOMED CT 184305005, valued in ICD-10, the place in a component), else R99 (ill-defined) and other.
  // A Patient without deceasedDateTime (deceasedBoolean, or nothing) whose cause of death is recorded died on the Observation's date.
  const deathFacts = context.registry.deathFacts.get(key);
  const deathDate = patient.deceasedDateTime ?? (patient.deceasedBoolean !== false ? deathFacts?.day : undefined);
  if (deathDate !== undefined) {
    const day = dayOf(deathDate);
    if (day === undefined || !isRealIsoDay(day)) out.problems.push({ path: 'Patient.deceasedDateTime', problem: `${JSON.stringify(patient.deceasedDateTime)} is not a FHIR dateTime` });
    else {
      if (patient.deceasedDateTime === undefined) out.defaults.push('death.date_of_death=cause-of-death-observation');
      const facts = deathFacts;
      const cause = facts !== undefined ? normaliseIcd10(facts.cause) : undefined;
      // (An invalid cause is the Observation's problem, reported when it is mapped.)
      const place = facts?.place !== undefined && (PLACES_OF_DEATH as readonly string[]).includes(facts.place) ? facts.place : undefined;
      const valid = cause !== undefined && Icd10.is(cause) ? cause : undefined;
      out.rows.push({ table: 'death', values: { person_id: personId, date_of_death: day, underlying_cause: valid ?? 'R99', place_of_death: place ?? 'other' } });
      if (valid === undefined) out.defaults.push('death.underlying_cause=R99');
      if (place === undefined) out.defaults.push('death.place_of_death=other');
    }
  }
  // Identity (care zone only): when the Patient carries an NHS number.
  for (const [i, identifier] of arr(patient.identifier).entries()) {
    if (identifier?.system !== FHIR_IDENTIFIER_SYSTEMS.nhsNumber) continue;
    const value = typeof identifier.value === 'string' ? identifier.value : '';
    const problem = nhsNumberProblem(value);
    if (problem !== null) {
      out.problems.push({ path: `Patient.identifier[${i}].value`, problem: `'${value}' is not an NHS number: ${problem}` });
      break;
    }
    const name = arr(patient.name).find((n) => n?.use === 'official') ?? arr(patient.name)[0];
    const address = homeAddress(patient);
    const lines = arr(address?.line) as unknown[];
    const phone = arr(patient.telecom).find((t) => t?.system === 'phone');
    const given = (arr(name?.given) as unknown[]).filter((g): g is string => typeof g === 'string').join(' ');
    const family = typeof name?.family === 'string' ? name.family : '';
    const line1 = typeof lines[0] === 'string' ? lines[0] : '';
    if (given === '' || family === '' || line1 === '') {
      out.defaults.push('identity.not-loaded-incomplete');
      break;
    }
    const postcode = typeof address?.postalCode === 'string' ? normalisePostcode(address.postalCode) : undefined;
    out.rows.push({
      table: 'identity',
      values: {
        person_id: personId,
        nhs_number: value.replace(/[\s-]/g, ''),
        given_name: given,
        family_name: family,
        date_of_birth: outcome.dateOfBirth,
        sex: outcome.sex,
        address_line_1: line1,
        address_line_2: typeof lines[1] === 'string' ? lines[1] : null,
        town: typeof address?.city === 'string' ? address.city : null,
        postcode: postcode ?? null,
        phone: typeof phone?.value === 'string' ? phone.value : null,
      },
    });
    break;
  }
};

const mapCondition: Mapper = (resource, context, out) => {
  const verification = codingsOf(resource.verificationStatus, 'Condition.verificationStatus')[0]?.code;
  if (verification === 'entered-in-error' || verification === 'refuted') {
    out.skipped = 'entered-in-error';
    return;
  }
  const personId = personOf(resource, 'Condition', 'subject', context, out);
  const day = dayFrom(resource, 'Condition', ['onsetDateTime', 'onsetPeriod.start', 'recordedDate'], out);
  const snomed = snomedOf(resource.code, 'Condition.code', out);
  if (personId !== undefined && day !== undefined) clinicalEvent(out, personId, day, snomed);
};

const mapObservation: Mapper = (resource, context, out) => {
  if (resource.status === 'entered-in-error' || resource.status === 'cancelled') {
    out.skipped = 'entered-in-error';
    return;
  }
  // A cause of death (ICD-10 valued) is read with its Patient (the death row).
  if (hasCode(resource.code, SNOMED_URI, FHIR_ROUND_TRIP_CODES.causeOfDeath) && codingsOf(resource.valueCodeableConcept, '').some((c) => codeSystemOf(c.system) === 'icd10')) {
    for (const coding of codingsOf(resource.valueCodeableConcept, 'Observation.valueCodeableConcept')) {
      const icd = codeSystemOf(coding.system) === 'icd10' && coding.code !== undefined ? normaliseIcd10(coding.code) : undefined;
      if (codeSystemOf(coding.system) === 'icd10' && (icd === undefined || !Icd10.is(icd))) out.problems.push({ path: `${coding.path}.code`, problem: `'${coding.code ?? ''}' is not a valid ICD-10 code (the underlying cause of death)` });
    }
    if (out.problems.length === 0) out.skipped = 'read-with-another';
    return;
  }
  const personId = personOf(resource, 'Observation', 'subject', context, out);
  const day = dayFrom(resource, 'Observation', ['effectiveDateTime', 'effectivePeriod.start', 'issued'], out);
  const loinc = codingsOf(resource.code, 'Observation.code').filter((c) => codeSystemOf(c.system) === 'loinc').map((c) => c.code);
  // A birth: the baby's birth weight with the gestation, and the mother known (a RelatedPerson 'natural mother' her Patient links to).
  if (loinc.includes(FHIR_ROUND_TRIP_CODES.birthWeight) && personId !== undefined && day !== undefined) {
    const birth = birthOf(resource, context, out);
    if (birth === 'excluded') {
      out.skipped = 'person-excluded';
      return;
    }
    if (birth !== undefined) {
      out.rows.push({ table: 'birth', values: { baby_person_id: personId, birth_date: day, ...birth } });
      return;
    }
  }
  const rows: [string | undefined, number | null][] = [];
  if (loinc.some((c) => c !== undefined && SMOKING_STATUS_LOINC.includes(c))) {
    rows.push([snomedOf(resource.valueCodeableConcept, 'Observation.valueCodeableConcept', out), null]);
  } else if (loinc.some((c) => c !== undefined && BLOOD_PRESSURE_PANEL_LOINC.includes(c))) {
    for (const [i, component] of arr(resource.component).entries()) {
      const path = `Observation.component[${i}]`;
      rows.push([snomedOf(component.code, `${path}.code`, out), numberAt(obj(component.valueQuantity)?.value, `${path}.valueQuantity.value`, out)]);
    }
  } else {
    rows.push([snomedOf(resource.code, 'Observation.code', out), numberAt(obj(resource.valueQuantity)?.value, 'Observation.valueQuantity.value', out)]);
  }
  if (personId !== undefined && day !== undefined) for (const [snomed, value] of rows) clinicalEvent(out, personId, day, snomed, value);
};

const LOINC_URI = FHIR_CODE_SYSTEM_URIS.loinc[0]!;

/** The birth columns of a birth weight Observation (grams, weeks, the mother's smoking), undefined when it is not a birth the import can place, 'excluded' when the mother is. */
const birthOf = (resource: FhirJson, context: MapContext, out: Collector): Record<string, RowValue> | 'excluded' | undefined => {
  const baby = context.registry.resolve(String(obj(resource.subject)?.reference));
  const mother = baby !== undefined ? context.registry.motherOf(baby) : undefined;
  if (mother === undefined) return undefined;
  const motherOutcome = context.person(mother);
  if (motherOutcome?.kind !== 'person') return 'excluded';
  const quantity = obj(resource.valueQuantity);
  const components = arr(resource.component);
  const gestation = components.find((c) => hasCode(c.code, LOINC_URI, FHIR_ROUND_TRIP_CODES.gestationalAge));
  const weeks = obj(gestation?.valueQuantity);
  const weight = numberAt(quantity?.value, 'Observation.valueQuantity.value', out);
  const gestationWeeks = numberAt(weeks?.value, 'Observation.component.valueQuantity.value', out);
  if (weight === null || gestationWeeks === null) return undefined;
  const grams = quantity?.code === 'kg' || quantity?.unit === 'kg' ? weight * 1000 : weight;
  const smoking = components.find((c) => hasCode(c.code, LOINC_URI, FHIR_ROUND_TRIP_CODES.tobaccoSmokingStatus));
  const status = smoking !== undefined ? codeIn(smoking.valueCodeableConcept, SNOMED_URI) : undefined;
  return {
    mother_person_id: motherOutcome.personId,
    birth_weight_grams: Math.round(grams),
    gestation_weeks: Math.round(gestationWeeks),
    smoking_at_delivery: status === FHIR_ROUND_TRIP_CODES.smoker ? true : status === FHIR_ROUND_TRIP_CODES.nonSmoker ? false : null,
  };
};

const simpleCoded =
  (type: string, subject: string, dates: readonly string[], concept: (r: FhirJson) => [unknown, string]): Mapper =>
  (resource, context, out) => {
    if (statusSkips(resource, out)) return;
    const personId = personOf(resource, type, subject, context, out);
    const day = dayFrom(resource, type, dates, out);
    const [value, path] = concept(resource);
    const snomed = snomedOf(value, path, out);
    if (personId !== undefined && day !== undefined) clinicalEvent(out, personId, day, snomed);
  };

const mapMedication =
  (type: 'MedicationRequest' | 'MedicationStatement', dates: readonly string[]): Mapper =>
  (resource, context, out) => {
    if (statusSkips(resource, out)) return;
    const personId = personOf(resource, type, 'subject', context, out);
    const day = dayFrom(resource, type, dates, out);
    if (resource.medicationCodeableConcept === undefined) {
      out.unmapped.push({ system: '(medicationReference)', code: 'Medication resources are not read: code the medicine in medicationCodeableConcept' });
      return;
    }
    const bnf = bnfOf(resource.medicationCodeableConcept, `${type}.medicationCodeableConcept`, out);
    if (personId !== undefined && day !== undefined && bnf !== undefined) out.rows.push({ table: 'medication', values: { person_id: personId, issue_date: day, bnf_code: bnf } });
  };

/** `YYYY-MM-DD HH:MM:SS` of a FHIR dateTime as written (local time of the source). */
const timestampOf = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?/.exec(value);
  return m && isRealIsoDay(m[1]!) ? `${m[1]} ${m[2] ?? '00:00'}${m[3] ?? ':00'}` : undefined;
};

const DISCHARGE_DISPOSITION: Record<string, { ae: string; spell: string }> = {
  home: { ae: 'discharged', spell: 'home' },
  'alt-home': { ae: 'discharged', spell: 'home' },
  'other-hcf': { ae: 'referred', spell: 'other_hospital' },
  hosp: { ae: 'referred', spell: 'other_hospital' },
  long: { ae: 'referred', spell: 'care_home' },
  snf: { ae: 'referred', spell: 'care_home' },
  aadvice: { ae: 'left', spell: 'home' },
  exp: { ae: 'died', spell: 'died' },
};

const mapEncounter: Mapper = (resource, context, out) => {
  if (resource.status === 'entered-in-error' || resource.status === 'planned' || resource.status === 'cancelled') {
    out.skipped = resource.status === 'entered-in-error' ? 'entered-in-error' : 'not-done';
    return;
  }
  const personId = personOf(resource, 'Encounter', 'subject', context, out);
  const day = dayFrom(resource, 'Encounter', ['period.start'], out);
  const classCoding = obj(resource.class);
  const cls = typeof classCoding?.code === 'string' ? classCoding.code : undefined;
  if (cls === undefined) {
    out.problems.push({ path: 'Encounter.class.code', problem: 'is missing: the encounter class (AMB, EMER, IMP...) says which table it belongs in' });
    return;
  }
  if (personId === undefined || day === undefined) return;
  const period = obj(resource.period)!;
  // Community health, mental health and adult social care contacts: by their service type, whatever the class.
  for (const [system, table, column] of [
    [FHIR_ROUND_TRIP.communityService, 'community_contact', 'service'],
    [FHIR_ROUND_TRIP.mentalHealthService, 'mental_health_contact', 'service'],
    [FHIR_ROUND_TRIP.socialCareEvent, 'social_care_event', 'event_type'],
  ] as const) {
    const service = codeIn(resource.serviceType, system);
    if (service !== undefined) {
      out.rows.push({ table, values: { person_id: personId, [table === 'social_care_event' ? 'event_date' : 'contact_date']: day, [column]: service } });
      return;
    }
  }
  const end = dayOf(period.end) ?? day;
  const disposition = codingsOf(obj(resource.hospitalization)?.dischargeDisposition, 'Encounter.hospitalization.dischargeDisposition')[0]?.code;
  const mappedDisposition = disposition !== undefined ? DISCHARGE_DISPOSITION[disposition] : undefined;
  switch (cls) {
    case 'EMER': {
      const arrival = timestampOf(period.start);
      const departure = timestampOf(period.end) ?? arrival;
      if (arrival === undefined) {
        out.problems.push({ path: 'Encounter.period.start', problem: `${JSON.stringify(period.start)} is not a FHIR dateTime` });
        return;
      }
      const admitted = hasCode(obj(resource.hospitalization)?.dischargeDisposition, SNOMED_URI, FHIR_ROUND_TRIP_CODES.dischargeToWard);
      const disposal = admitted ? 'admitted' : mappedDisposition?.ae;
      if (disposal === undefined) out.defaults.push('ae_attendance.disposal=discharged');
      const department = codeIn(resource.serviceType, FHIR_ROUND_TRIP.emergencyDepartmentType);
      const departmentType = department !== undefined && ['01', '02', '03', '04'].includes(department) ? department : undefined;
      if (departmentType === undefined) out.defaults.push('ae_attendance.department_type=01');
      out.rows.push({
        table: 'ae_attendance',
        values: { attendance_id: context.nextId('ae_attendance'), person_id: personId, arrival_time: arrival, departure_time: departure!, department_type: departmentType ?? '01', disposal: disposal ?? 'discharged' },
      });
      return;
    }
    case 'IMP':
    case 'ACUTE':
    case 'NONAC': {
      const priority = codingsOf(resource.priority, 'Encounter.priority')[0]?.code;
      const admitSource = codingsOf(obj(resource.hospitalization)?.admitSource, 'Encounter.hospitalization.admitSource')[0]?.code;
      const emergency = priority === 'EM' || priority === 'UR' || admitSource === 'emd' || cls === 'ACUTE';
      // The NHS Data Dictionary admission method (UK Core extension), when given: 1x elective, 2x emergency, 3x maternity, 8x other (elective).
      const methodExtension = arr(obj(resource.hospitalization)?.extension).find((e) => e?.url === FHIR_ROUND_TRIP.admissionMethodExtension);
      const methodCode = codeIn(methodExtension?.valueCodeableConcept, FHIR_ROUND_TRIP.admissionMethodEngland);
      const method = methodCode?.startsWith('2') ? 'emergency' : methodCode?.startsWith('3') ? 'maternity' : methodCode?.startsWith('1') || methodCode?.startsWith('8') ? 'elective' : emergency ? 'emergency' : 'elective';
      let externalCause: string | undefined;
      let diagnosis: string | undefined;
      const ranked = [...arr(resource.diagnosis)].sort((a, b) => (typeof a.rank === 'number' ? a.rank : 99) - (typeof b.rank === 'number' ? b.rank : 99));
      for (const d of ranked) {
        const ref = obj(d.condition)?.reference;
        const key = typeof ref === 'string' ? context.registry.resolve(ref) : undefined;
        const icd = key !== undefined ? context.registry.conditionIcd10.get(key) : undefined;
        diagnosis ??= icd !== undefined ? normaliseIcd10(icd) : undefined;
      }
      // ICD-10 reason codes: the first one that is not an external cause is the primary diagnosis, the first external cause (V01-Y98) the external cause.
      for (const coding of arr(resource.reasonCode).flatMap((c, i) => codingsOf(c, `Encounter.reasonCode[${i}]`))) {
        if (codeSystemOf(coding.system) !== 'icd10' || coding.code === undefined) continue;
        const icd = normaliseIcd10(coding.code);
        if (icd !== undefined && Icd10.is(icd) && isExternalCause(icd)) externalCause ??= icd.slice(0, 3);
        else diagnosis ??= icd;
      }
      if (diagnosis === undefined || !Icd10.is(diagnosis)) {
        diagnosis = 'R69';
        out.defaults.push('hospital_spell.primary_diagnosis=R69');
      }
      if (mappedDisposition === undefined) out.defaults.push('hospital_spell.discharge_destination=home');
      out.rows.push({
        table: 'hospital_spell',
        values: {
          spell_id: context.nextId('hospital_spell'),
          person_id: personId,
          admission_date: day,
          discharge_date: end < day ? day : end,
          admission_method: method,
          primary_diagnosis: diagnosis,
          external_cause: externalCause ?? null,
          discharge_destination: mappedDisposition?.spell ?? 'home',
        },
      });
      return;
    }
    case 'AMB':
    case 'VR':
    case 'HH': {
      const providerRef = obj(resource.serviceProvider)?.reference;
      const provider = typeof providerRef === 'string' ? context.registry.resolve(providerRef) : undefined;
      const ods = provider !== undefined ? context.registry.odsCodes.get(provider) : undefined;
      const practice = ods === undefined || /^[A-Z]\d{5}$/.test(ods);
      if (practice) {
        // The staff seen: the first participant that is a PractitionerRole whose code says (GP, nurse, other), else GP.
        const role = arr(resource.participant)
          .map((p) => obj(p.individual)?.reference)
          .map((ref) => (typeof ref === 'string' ? context.registry.resolve(ref) : undefined))
          .map((k) => (k !== undefined ? context.registry.staffRoles.get(k) : undefined))
          .find((r) => r !== undefined);
        if (role === undefined) out.defaults.push('gp_appointment.staff_role=GP');
        const telephone = cls === 'VR' && arr(resource.type).some((t) => hasCode(t, SNOMED_URI, FHIR_ROUND_TRIP_CODES.telephoneEncounter));
        out.rows.push({ table: 'gp_appointment', values: { person_id: personId, appointment_date: day, staff_role: role ?? 'GP', mode: telephone ? 'telephone' : cls === 'VR' ? 'online' : cls === 'HH' ? 'home-visit' : 'face-to-face' } });
      } else {
        const specialty = codingsOf(resource.serviceType, 'Encounter.serviceType')[0]?.code;
        const code = specialty !== undefined && /^\d{3}$/.test(specialty) ? specialty : 'unknown';
        if (code === 'unknown') out.defaults.push('outpatient_appointment.specialty=unknown');
        out.rows.push({ table: 'outpatient_appointment', values: { person_id: personId, appointment_date: day, specialty: code, attended: true } });
      }
      return;
    }
    default:
      out.unmapped.push({ system: typeof classCoding?.system === 'string' ? classCoding.system : '(none)', code: cls });
  }
};

const CARE_HOME_TYPES = ['residential-care', 'nursing-care'];

/** A care home stay (an EpisodeOfCare typed as one) → care_home_stay; any other episode (a GP registration) gives the registration date only. */
const mapEpisodeOfCare: Mapper = (resource, context, out) => {
  if (resource.status === 'entered-in-error' || resource.status === 'cancelled' || resource.status === 'planned' || resource.status === 'waitlist') {
    out.skipped = resource.status === 'entered-in-error' ? 'entered-in-error' : 'not-done';
    return;
  }
  const personId = personOf(resource, 'EpisodeOfCare', 'patient', context, out);
  const types = arr(resource.type).flatMap((t) => codingsOf(t, '')).filter((c) => c.system === FHIR_ROUND_TRIP.careHomeStay).map((c) => c.code);
  const care = types.find((c) => c !== undefined && CARE_HOME_TYPES.includes(c));
  if (care === undefined) {
    if (out.skipped === undefined) out.skipped = 'reference-only';
    return;
  }
  const start = dayFrom(resource, 'EpisodeOfCare', ['period.start'], out);
  const endRaw = obj(resource.period)?.end;
  const end = endRaw !== undefined ? dayOf(endRaw) : undefined;
  if (endRaw !== undefined && (end === undefined || !isRealIsoDay(end))) out.problems.push({ path: 'EpisodeOfCare.period.end', problem: `${JSON.stringify(endRaw)} is not a FHIR dateTime` });
  if (personId === undefined || start === undefined) return;
  out.rows.push({
    table: 'care_home_stay',
    values: {
      person_id: personId,
      start_date: start,
      end_date: end ?? null,
      care_type: care === 'nursing-care' ? 'nursing' : 'residential',
      permanent: types.includes('permanent'),
      council_funded: types.includes('council-funded'),
    },
  });
};

/** A RelatedPerson 'Carer' (UK Core) linked from the carer's Patient → carer_relationship; a mother is read with the birth. */
const mapRelatedPerson: Mapper = (resource, context, out) => {
  const relationships = arr(resource.relationship).flatMap((r) => codingsOf(r, ''));
  if (relationships.some((c) => c.system === FHIR_ROUND_TRIP.roleCode && (c.code === 'NMTH' || c.code === 'MTH'))) {
    out.skipped = 'read-with-another';
    return;
  }
  if (!relationships.some((c) => c.system === FHIR_ROUND_TRIP.additionalRelationship && c.code === 'Carer')) {
    out.skipped = 'no-table';
    return;
  }
  const caredFor = personOf(resource, 'RelatedPerson', 'patient', context, out);
  const carerKey = context.registry.linkedPatients.get(`RelatedPerson/${String(resource.id)}`);
  if (carerKey === undefined) {
    if (out.skipped === undefined) out.skipped = 'no-table';
    out.defaults.push('carer_relationship.not-loaded-no-linked-patient');
    return;
  }
  const carer = context.person(carerKey);
  const start = dayFrom(resource, 'RelatedPerson', ['period.start'], out);
  const endRaw = obj(resource.period)?.end;
  const end = endRaw !== undefined ? dayOf(endRaw) : undefined;
  if (caredFor === undefined || start === undefined) return;
  if (carer?.kind !== 'person') {
    out.skipped = 'person-excluded';
    return;
  }
  if (carer.personId === caredFor) {
    out.problems.push({ path: 'RelatedPerson.patient', problem: `${carerKey} is linked to this RelatedPerson as the carer of themself` });
    return;
  }
  out.rows.push({ table: 'carer_relationship', values: { carer_person_id: carer.personId, cared_for_person_id: caredFor, start_date: start, end_date: end ?? null } });
};

/** A Consent denying the use of data (provision.type deny, active): a type 1 opt-out (SNOMED CT 827241000000103) or the national data opt-out (its policy) → opt_out. */
const mapConsent: Mapper = (resource, context, out) => {
  if (resource.status !== 'active') {
    out.skipped = resource.status === 'entered-in-error' ? 'entered-in-error' : 'not-done';
    return;
  }
  const kind = hasCode(resource.policyRule, SNOMED_URI, FHIR_ROUND_TRIP_CODES.type1OptOut)
    ? 'type-1'
    : arr(resource.policy).some((p) => p?.uri === FHIR_ROUND_TRIP.nationalDataOptOut)
      ? 'national'
      : undefined;
  if (kind === undefined || obj(resource.provision)?.type !== 'deny') {
    out.skipped = 'no-table';
    return;
  }
  const personId = personOf(resource, 'Consent', 'patient', context, out);
  const raw = resource.dateTime;
  const day = raw !== undefined ? dayOf(raw) : undefined;
  if (raw !== undefined && (day === undefined || !isRealIsoDay(day))) out.problems.push({ path: 'Consent.dateTime', problem: `${JSON.stringify(raw)} is not a FHIR dateTime` });
  if (personId !== undefined) out.rows.push({ table: 'opt_out', values: { person_id: personId, kind, recorded_date: day ?? null } });
};

/** An Appointment the person did not attend (noshow) with a treatment function as service type → outpatient_appointment, attended false; attended care is an Encounter. */
const mapAppointment: Mapper = (resource, context, out) => {
  if (resource.status !== 'noshow') {
    out.skipped = resource.status === 'entered-in-error' ? 'entered-in-error' : 'not-done';
    return;
  }
  const specialty = arr(resource.serviceType).map((t) => codeIn(t, FHIR_ROUND_TRIP.specialty)).find((c) => c !== undefined && /^\d{3}$/.test(c));
  if (specialty === undefined) {
    out.skipped = 'no-table';
    return;
  }
  const patient = arr(resource.participant).find((p) => typeof obj(p.actor)?.reference === 'string' && context.registry.resolve(String(obj(p.actor)!.reference))?.startsWith('Patient/'));
  if (patient === undefined) {
    out.problems.push({ path: 'Appointment.participant.actor', problem: 'is missing: an Appointment must name its Patient among the participants' });
    return;
  }
  const personId = personOf(patient, 'Appointment.participant', 'actor', context, out);
  const day = dayFrom(resource, 'Appointment', ['start'], out);
  if (personId !== undefined && day !== undefined) out.rows.push({ table: 'outpatient_appointment', values: { person_id: personId, appointment_date: day, specialty, attended: false } });
};

const referenceOnly: Mapper = (_resource, _context, out) => {
  out.skipped = 'reference-only';
};

const MAPPERS: Record<string, Mapper> = {
  Patient: mapPatient,
  Encounter: mapEncounter,
  Condition: mapCondition,
  Observation: mapObservation,
  MedicationRequest: mapMedication('MedicationRequest', ['authoredOn']),
  MedicationStatement: mapMedication('MedicationStatement', ['effectiveDateTime', 'effectivePeriod.start', 'dateAsserted']),
  Immunization: simpleCoded('Immunization', 'patient', ['occurrenceDateTime', 'recorded'], (r) => [r.vaccineCode, 'Immunization.vaccineCode']),
  Procedure: simpleCoded('Procedure', 'subject', ['performedDateTime', 'performedPeriod.start'], (r) => [r.code, 'Procedure.code']),
  AllergyIntolerance: simpleCoded('AllergyIntolerance', 'patient', ['onsetDateTime', 'recordedDate'], (r) => [r.code, 'AllergyIntolerance.code']),
  CarePlan: simpleCoded('CarePlan', 'subject', ['period.start', 'created'], (r) => [arr(r.category)[0], 'CarePlan.category[0]']),
  ServiceRequest: simpleCoded('ServiceRequest', 'subject', ['authoredOn', 'occurrenceDateTime'], (r) => [r.code, 'ServiceRequest.code']),
  EpisodeOfCare: mapEpisodeOfCare,
  RelatedPerson: mapRelatedPerson,
  Consent: mapConsent,
  Appointment: mapAppointment,
  Organization: referenceOnly,
  Practitioner: referenceOnly,
  PractitionerRole: referenceOnly,
};

/** Maps one resource (type and id already checked, its references resolvable through the context's registry). */
export const mapResource = (resource: FhirJson, context: MapContext): MapResult => {
  const out = new Collector();
  const type = resource.resourceType as string;
  if (!isFhirImportType(type)) {
    out.skipped = 'type-not-used';
    return out.result();
  }
  MAPPERS[type]!(resource, context, out);
  return out.result();
};
