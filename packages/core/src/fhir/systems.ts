/**
 * The code systems and identifier systems a FHIR R4 import recognises, by the URIs FHIR resources
 * carry in `coding.system` / `identifier.system`. UK Core (NHS England's FHIR R4 profiles) and the
 * US generators (Synthea) use different URIs for some; every URI a system is known by is listed.
 */

export const FHIR_CODE_SYSTEMS = ['snomed', 'icd10', 'opcs4', 'dmd', 'loinc', 'rxnorm', 'cvx', 'ethnic-category', 'us-race'] as const;
export type FhirCodeSystem = (typeof FHIR_CODE_SYSTEMS)[number];

/** The URIs of each code system (the first is the canonical one, used in reports). */
export const FHIR_CODE_SYSTEM_URIS: Record<FhirCodeSystem, readonly string[]> = {
  snomed: ['http://snomed.info/sct'],
  icd10: ['http://hl7.org/fhir/sid/icd-10', 'http://hl7.org/fhir/sid/icd-10-uk', 'http://hl7.org/fhir/sid/icd-10-cm'],
  opcs4: ['http://fhir.nhs.net/Id/opcs-4', 'https://fhir.nhs.uk/Id/opcs-4', 'urn:oid:2.16.840.1.113883.2.1.3.2.4.16.1'],
  // dm+d concepts are SNOMED CT identifiers (UK drug extension); UK Core codes medicines with http://snomed.info/sct.
  dmd: ['https://dmd.nhs.uk', 'https://fhir.nhs.uk/Id/dmd-code'],
  loinc: ['http://loinc.org'],
  rxnorm: ['http://www.nlm.nih.gov/research/umls/rxnorm'],
  cvx: ['http://hl7.org/fhir/sid/cvx'],
  'ethnic-category': ['https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory', 'https://fhir.nhs.uk/CodeSystem/ethnic-category'],
  'us-race': ['urn:oid:2.16.840.1.113883.6.238'],
};

const BY_URI = new Map<string, FhirCodeSystem>(FHIR_CODE_SYSTEMS.flatMap((key) => FHIR_CODE_SYSTEM_URIS[key].map((uri) => [uri, key] as const)));

/** The code system a coding's `system` URI names, or undefined for one the import does not know. */
export const codeSystemOf = (uri: string | undefined): FhirCodeSystem | undefined => (uri === undefined ? undefined : BY_URI.get(uri));

export const FHIR_IDENTIFIER_SYSTEMS = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  odsSite: 'https://fhir.nhs.uk/Id/ods-site-code',
} as const;

export const FHIR_EXTENSION_URLS = {
  /** UK Core Patient extension: the NHS Data Dictionary ethnic category (valueCodeableConcept). */
  ethnicCategory: ['https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory', 'https://fhir.nhs.uk/R4/StructureDefinition/Extension-UKCore-EthnicCategory'],
  /** US Core race (extension with an ombCategory sub-extension holding a Coding). */
  usRace: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-race'],
} as const;

/** The resource types the import reads; any other type is counted and left out (never an error). */
export const FHIR_IMPORT_TYPES = [
  'Patient',
  'Encounter',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Immunization',
  'Procedure',
  'AllergyIntolerance',
  'EpisodeOfCare',
  'CarePlan',
  'ServiceRequest',
  'Organization',
  'Practitioner',
] as const;
export type FhirImportType = (typeof FHIR_IMPORT_TYPES)[number];
export const isFhirImportType = (type: string): type is FhirImportType => (FHIR_IMPORT_TYPES as readonly string[]).includes(type);

/** Whether text looks like a FHIR resource type name (an upper-case letter, then letters). */
export const isResourceTypeName = (type: unknown): type is string => typeof type === 'string' && /^[A-Z][A-Za-z]{2,63}$/.test(type);

/** FHIR's id datatype: 1-64 letters, digits, '-' and '.'. */
export const isFhirId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(id);
