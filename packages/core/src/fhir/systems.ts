/**
 * The code systems and identifier systems a FHIR R4 import recognises, by the URIs FHIR resources
 * carry in `coding.system` / `identifier.system`. UK Core (NHS England's FHIR R4 profiles) and the
 * US generators (Synthea) use different URIs for some; every URI a system is known by is listed.
 */

export const FHIR_CODE_SYSTEMS = ['snomed', 'icd10', 'opcs4', 'dmd', 'bnf', 'loinc', 'rxnorm', 'cvx', 'ethnic-category', 'us-race'] as const;
export type FhirCodeSystem = (typeof FHIR_CODE_SYSTEMS)[number];

/** The URIs of each code system (the first is the canonical one, used in reports). */
export const FHIR_CODE_SYSTEM_URIS: Record<FhirCodeSystem, readonly string[]> = {
  snomed: ['http://snomed.info/sct'],
  icd10: ['http://hl7.org/fhir/sid/icd-10', 'http://hl7.org/fhir/sid/icd-10-uk', 'http://hl7.org/fhir/sid/icd-10-cm'],
  opcs4: ['http://fhir.nhs.net/Id/opcs-4', 'https://fhir.nhs.uk/Id/opcs-4', 'urn:oid:2.16.840.1.113883.2.1.3.2.4.16.1'],
  // dm+d concepts are SNOMED CT identifiers (UK drug extension); UK Core codes medicines with http://snomed.info/sct.
  dmd: ['https://dmd.nhs.uk', 'https://fhir.nhs.uk/Id/dmd-code'],
  // BNF codes as NHSBSA publishes them (BNF Code Information; the English Prescribing Data). Neither UK Core nor HL7's
  // terminology registry names a URI for BNF codes, so OpenPHM writes its publisher's (docs/fhir-import.md, "Medicines").
  bnf: ['https://www.nhsbsa.nhs.uk/bnf'],
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

/**
 * What the round trip (`phm export --fhir`, then `phm import --fhir`) writes and reads beyond the
 * national code systems: UK Core's own code systems and extensions where it has one for the element,
 * and OpenPHM's code systems (https://openphm.org/CodeSystem/...) where no national one exists for a
 * FHIR element (docs/fhir-api.md, "Round trip", says which and why).
 */
export const FHIR_ROUND_TRIP = {
  /** UK Core Encounter.hospitalization extension: the NHS Data Dictionary admission method. */
  admissionMethodExtension: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AdmissionMethod',
  admissionMethodEngland: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland',
  /** Treatment function codes (outpatient specialty). */
  specialty: 'https://fhir.nhs.uk/CodeSystem/Specialty-1',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  /** UK Core's additional person relationship roles (code 'Carer'). */
  additionalRelationship: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  ucum: 'http://unitsofmeasure.org',
  /** Care home stays (EpisodeOfCare.type): the kind of care, permanent or short-term, council-funded or not (as adult social care client level data records them). */
  careHomeStay: 'https://openphm.org/CodeSystem/care-home-stay',
  /** Place of death as ONS groups it (the death registration's place). */
  placeOfDeath: 'https://openphm.org/CodeSystem/place-of-death',
  /** ECDS emergency care department type (NHS Data Dictionary codes 01-04). */
  emergencyDepartmentType: 'https://openphm.org/CodeSystem/emergency-care-department-type',
  /** Encounter.serviceType of community health, mental health and adult social care contacts (the data sets' service groupings). */
  communityService: 'https://openphm.org/CodeSystem/community-service',
  mentalHealthService: 'https://openphm.org/CodeSystem/mental-health-service',
  socialCareEvent: 'https://openphm.org/CodeSystem/social-care-event',
  /**
   * Extension on Patient.address: the 2011 LSOA (ONS code, valueCode) the source placed the person in. The import
   * places a person there when it is a partnership LSOA, ahead of the postcode (a postcode's LSOA in the ONS
   * lookup is not always the person's: an LSOA without a live postcode of its own is given one of its MSOA's).
   */
  lsoaExtension: 'https://openphm.org/StructureDefinition/address-lsoa-2011',
  /** The national data opt-out, as Consent.policy.uri. */
  nationalDataOptOut: 'https://digital.nhs.uk/services/national-data-opt-out',
} as const;

/** SNOMED CT and LOINC codes the round trip writes and reads (each a published concept). */
export const FHIR_ROUND_TRIP_CODES = {
  /** SNOMED CT 184305005 |Cause of death (observable entity)|: an Observation whose value is the underlying cause (ICD-10). */
  causeOfDeath: '184305005',
  /** LOINC 58332-8 Location of death: the component holding the place of death. */
  locationOfDeath: '58332-8',
  /** SNOMED CT 185317003 |Telephone encounter (procedure)|, in UKCore-EncounterType (below 185316007 |Indirect encounter|). */
  telephoneEncounter: '185317003',
  /** SNOMED CT 306706006 |Discharge to ward (procedure)|: an A&E attendance ending in admission. */
  dischargeToWard: '306706006',
  /** LOINC 8339-4 Birth weight Measured; 18185-9 Gestational age; 72166-2 Tobacco smoking status (the mother's, at delivery). */
  birthWeight: '8339-4',
  gestationalAge: '18185-9',
  tobaccoSmokingStatus: '72166-2',
  /** SNOMED CT 77176002 |Smoker (finding)|, 8392000 |Non-smoker (finding)|. */
  smoker: '77176002',
  nonSmoker: '8392000',
  /** SNOMED CT 827241000000103 |Dissent from secondary use of general practitioner patient identifiable data (finding)|: a type 1 opt-out. */
  type1OptOut: '827241000000103',
  /** SNOMED CT 224484003 |Patient is a carer (finding)|. */
  patientIsCarer: '224484003',
  /**
   * PractitionerRole.code of the staff seen in general practice (UKCore-PractitionerRoleCode: SNOMED CT
   * descendants of 223366009 |Healthcare professional (occupation)|): 62247001 |General practitioner|,
   * 106292003 |Professional nurse|, and 223366009 itself for other staff.
   */
  generalPractitioner: '62247001',
  professionalNurse: '106292003',
  healthcareProfessional: '223366009',
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
  'RelatedPerson',
  'Consent',
  'Appointment',
  'Organization',
  'Practitioner',
  'PractitionerRole',
] as const;
export type FhirImportType = (typeof FHIR_IMPORT_TYPES)[number];
export const isFhirImportType = (type: string): type is FhirImportType => (FHIR_IMPORT_TYPES as readonly string[]).includes(type);

/** Whether text looks like a FHIR resource type name (an upper-case letter, then letters). */
export const isResourceTypeName = (type: unknown): type is string => typeof type === 'string' && /^[A-Z][A-Za-z]{2,63}$/.test(type);

/** FHIR's id datatype: 1-64 letters, digits, '-' and '.'. */
export const isFhirId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(id);
