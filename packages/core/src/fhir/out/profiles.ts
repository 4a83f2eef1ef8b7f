/**
 * What FHIR out (the read-only FHIR R4 API, docs/fhir-api.md) stamps on the resources it writes:
 * the UK Core profile each conforms to, the identifier and code systems it uses, and the codes of
 * the value sets bound to the elements it fills. Profiles, systems and codes are those of the
 * published UK Core StructureDefinitions (NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN, UK Core STU3:
 * the version of each profile read is kept beside its URL).
 */

/** The resource types FHIR out serves. */
export const FHIR_OUT_TYPES = ['Patient', 'Condition', 'CarePlan', 'ServiceRequest', 'Task', 'EpisodeOfCare', 'HealthcareService', 'Location', 'Organization'] as const;
export type FhirOutType = (typeof FHIR_OUT_TYPES)[number];
/** Types only the Bulk FHIR export (`phm export --fhir`, export.ts) writes: not served under /fhir. */
export const FHIR_EXPORT_ONLY_TYPES = ['Observation', 'Encounter', 'MedicationRequest', 'RelatedPerson', 'Consent', 'Appointment', 'PractitionerRole'] as const;
/** Every type validate.ts checks: FHIR out's and the export's. */
export type FhirValidatedType = FhirOutType | (typeof FHIR_EXPORT_ONLY_TYPES)[number];
export const FHIR_VALIDATED_TYPES: readonly FhirValidatedType[] = [...FHIR_OUT_TYPES, ...FHIR_EXPORT_ONLY_TYPES];

/** The UK Core profile of each type, and the profile version whose constraints validate.ts checks. */
export const UK_CORE_PROFILES: Record<FhirValidatedType, { readonly url: string; readonly version: string }> = {
  Patient: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient', version: '2.6.1' },
  Condition: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition', version: '2.6.0' },
  CarePlan: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan', version: '2.2.0' },
  ServiceRequest: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest', version: '2.5.1' },
  Task: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Task', version: '1.2.0' },
  EpisodeOfCare: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-EpisodeOfCare', version: '2.2.0' },
  HealthcareService: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-HealthcareService', version: '1.3.0' },
  Location: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Location', version: '2.3.0' },
  Organization: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization', version: '2.5.1' },
  Observation: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation', version: '2.5.0' },
  Encounter: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter', version: '2.5.0' },
  MedicationRequest: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-MedicationRequest', version: '2.5.0' },
  RelatedPerson: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-RelatedPerson', version: '2.5.0' },
  Consent: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Consent', version: '2.4.0' },
  Appointment: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment', version: '1.3.0' },
  PractitionerRole: { url: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-PractitionerRole', version: '2.4.0' },
};

export const FHIR_OUT_SYSTEMS = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  snomed: 'http://snomed.info/sct',
  /** UK Core Extension-UKCore-NHSNumberVerificationStatus, on the NHS number identifier. */
  nhsNumberVerificationExtension: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
  nhsNumberVerificationEngland: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
  ethnicCategoryExtension: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory',
  ethnicCategoryEngland: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  /** OpenPHM's own identifiers: records of the operational store and the directory (no national system exists for them). */
  carePlanId: 'https://openphm.org/Id/care-plan',
  referralId: 'https://openphm.org/Id/referral',
  taskId: 'https://openphm.org/Id/task',
  caseloadEpisodeId: 'https://openphm.org/Id/caseload-episode',
  directoryService: 'https://openphm.org/Id/directory-service',
  directoryOrganisation: 'https://openphm.org/Id/directory-organisation',
  neighbourhoodTeam: 'https://openphm.org/Id/neighbourhood-team',
  serviceCategory: 'https://openphm.org/CodeSystem/service-category',
  referralReason: 'https://openphm.org/CodeSystem/social-prescribing-referral-reason',
} as const;

/**
 * The NHS number verification status given: 02 "Number present but not traced". OpenPHM receives
 * NHS numbers in extracts and never traces them against PDS itself, so it does not claim 01.
 */
export const NHS_NUMBER_VERIFICATION = { code: '02', display: 'Number present but not traced' } as const;

/** Codes of UKCore-NHSNumberVerificationStatusEngland (the value set's England part; Wales's and NullFlavor NI also belong to it). */
export const NHS_NUMBER_VERIFICATION_CODES = ['01', '02', '03', '04', '05', '06', '07', '08'] as const;

/** Codes of UKCore-EthnicCategoryEngland. */
export const ETHNIC_CATEGORY_ENGLAND_CODES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'Z', '99'] as const;

/** SNOMED CT 871731000000106 |Referral to social prescribing service (procedure)|: the code of a social prescribing ServiceRequest. */
export const SOCIAL_PRESCRIBING_REFERRAL = { code: '871731000000106', display: 'Referral to social prescribing service' } as const;
