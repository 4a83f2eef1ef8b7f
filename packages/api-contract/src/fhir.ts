/**
 * FHIR out (routes/fhir.ts, docs/fhir-api.md): the read-only FHIR R4 API under /fhir. Search
 * parameters are checked strictly (an unknown parameter is a 400 OperationOutcome naming it);
 * repeated date parameters are ANDed. Responses are FHIR resources (application/fhir+json) whose
 * shapes core's fhir/out module writes and checks against UK Core.
 */
import { z } from 'zod';
import { FHIR_DEFAULT_COUNT, FHIR_MAX_COUNT } from '@openphm/core';

/** A FHIR resource (a Bundle, a CapabilityStatement, an OperationOutcome or one of the resources served). */
export const FhirResourceSchema = z.looseObject({ resourceType: z.string() });

const oneOrMore = z.union([z.string().max(100), z.array(z.string().max(100)).max(4)]);
const paging = {
  _count: z.coerce.number().int().min(1).max(FHIR_MAX_COUNT).default(FHIR_DEFAULT_COUNT).describe(`Resources a page (1-${FHIR_MAX_COUNT}, default ${FHIR_DEFAULT_COUNT})`),
  _offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Matches skipped (the next link sets it)'),
};
const patient = z.string().min(1).max(200).describe('The person: Patient/<id> (within a care relationship)');

export const FhirIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id') });
export const FhirPatientParams = z.object({ personId: z.string().regex(/^\d{1,18}$/, 'a Patient id (digits)') });

export const FhirPatientQuery = z.strictObject({ identifier: z.string().min(1).max(200).describe('NHS number: https://fhir.nhs.uk/Id/nhs-number|<10 digits>'), ...paging });
export const FhirConditionQuery = z.strictObject({ patient, 'recorded-date': oneOrMore.optional(), 'onset-date': oneOrMore.optional(), ...paging });
export const FhirCarePlanQuery = z.strictObject({ patient, status: z.enum(['active', 'completed']).optional(), ...paging });
export const FhirServiceRequestQuery = z.strictObject({ patient, authored: oneOrMore.optional(), status: z.enum(['active', 'completed', 'revoked']).optional(), ...paging });
export const FhirTaskQuery = z.strictObject({
  patient: patient.optional(),
  owner: z.string().min(1).max(200).optional().describe("Your team's tasks: https://openphm.org/Id/neighbourhood-team|<neighbourhood> or the neighbourhood id"),
  'authored-on': oneOrMore.optional(),
  status: z.enum(['requested', 'completed', 'cancelled']).optional(),
  ...paging,
});
export const FhirEpisodeOfCareQuery = z.strictObject({ patient, date: oneOrMore.optional(), status: z.enum(['active', 'finished']).optional(), ...paging });
export const FhirHealthcareServiceQuery = z.strictObject({ name: z.string().min(1).max(100).optional(), active: z.enum(['true', 'false']).optional(), ...paging });
export const FhirDirectoryQuery = z.strictObject({ ...paging });

export type FhirConditionQueryT = z.output<typeof FhirConditionQuery>;
export type FhirCarePlanQueryT = z.output<typeof FhirCarePlanQuery>;
export type FhirServiceRequestQueryT = z.output<typeof FhirServiceRequestQuery>;
export type FhirTaskQueryT = z.output<typeof FhirTaskQuery>;
export type FhirEpisodeOfCareQueryT = z.output<typeof FhirEpisodeOfCareQuery>;
export type FhirHealthcareServiceQueryT = z.output<typeof FhirHealthcareServiceQuery>;
