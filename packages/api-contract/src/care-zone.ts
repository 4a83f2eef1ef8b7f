/**
 * The care zone's identity routes (routes/care-zone.ts): finding a person by NHS number or by
 * name and date of birth, who a person is (for professionals with a legitimate relationship),
 * breaking glass, and the admins' list of break-glass grants. Identity fields appear only here and
 * only in responses to care professionals (a test scans every other route's schemas and answers).
 */
import { z } from 'zod';
import { BREAK_GLASS_HOURS, CARE_RELATIONSHIP_KINDS, IsoDaySchema, nhsNumberProblem, notAFigure } from '@openphm/core';

const why = 'who a person is, for their care team only (audited), never published';

/** The fields that identify a person: no other response of the API may carry them. */
export const IDENTITY_FIELDS = ['nhsNumber', 'nhs_number', 'givenName', 'given_name', 'familyName', 'family_name', 'postcode', 'addressLine1', 'address_line_1', 'phone'] as const;

const NhsNumberText = z
  .string()
  .max(20)
  .superRefine((s, ctx) => {
    const problem = nhsNumberProblem(s);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('NHS number: ten digits, spaces allowed ("999 123 4567"), with a valid modulus 11 check digit');

export const CareSearchQuery = z
  .object({
    nhsNumber: NhsNumberText.optional(),
    familyName: z.string().trim().min(1).max(100).optional().describe('Family name (any case; accents may be left out), with dateOfBirth'),
    dateOfBirth: IsoDaySchema.optional().describe('Date of birth, YYYY-MM-DD, with familyName'),
    givenName: z.string().trim().min(1).max(100).optional().describe('The start of the given name, to narrow a name search'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const byName = q.familyName !== undefined || q.dateOfBirth !== undefined || q.givenName !== undefined;
    if (q.nhsNumber !== undefined && byName) ctx.addIssue({ code: 'custom', path: ['nhsNumber'], message: 'search by NHS number, or by name and date of birth, not both' });
    else if (q.nhsNumber === undefined && !byName) ctx.addIssue({ code: 'custom', path: ['nhsNumber'], message: 'give an NHS number, or a family name and date of birth' });
    else if (q.nhsNumber === undefined) {
      if (q.familyName === undefined) ctx.addIssue({ code: 'custom', path: ['familyName'], message: 'a family name is needed with the date of birth' });
      if (q.dateOfBirth === undefined) ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'a date of birth is needed with the family name' });
    }
  });
export type CareSearchQueryT = z.infer<typeof CareSearchQuery>;

export const CareRelationshipOut = z.object({
  kind: z.enum(CARE_RELATIONSHIP_KINDS),
  detail: z.string(),
  until: z.string().optional().describe('when a break-glass grant ends'),
});

export const IdentityOut = notAFigure(
  z.object({
    nhsNumber: z.string().describe('ten digits'),
    nhsNumberFormatted: z.string().describe('as shown: 999 123 4567'),
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string(),
    age: z.number().int().describe('whole years today'),
    sex: z.enum(['F', 'M']),
    address: z.object({ line1: z.string(), line2: z.string().nullable(), town: z.string().nullable(), postcode: z.string().nullable() }),
    phone: z.string().nullable(),
  }),
  why,
);

export const CareSearchResult = z.discriminatedUnion('access', [
  z.object({ access: z.literal('allowed'), personId: z.string(), identity: IdentityOut, relationships: z.array(CareRelationshipOut) }),
  z
    .object({ access: z.literal('break-glass'), personId: z.string(), message: z.string() })
    .describe('Found, but the professional has no care relationship with the person: no identity; they may break glass with a reason'),
]);

export const CareSearchResponse = notAFigure(
  z.object({
    by: z.enum(['nhs-number', 'name-and-birth']),
    results: z.array(CareSearchResult),
    truncated: z.boolean().describe('more people matched than are listed: add the given name'),
  }),
  why,
);
export type CareSearchResponseT = z.infer<typeof CareSearchResponse>;

export const CarePersonResponse = notAFigure(
  z.object({
    personId: z.string(),
    identity: IdentityOut.nullable().describe('null when the database holds no identities'),
    practice: z.object({ code: z.string(), name: z.string() }).nullable().describe('the registered GP practice'),
    relationships: z.array(CareRelationshipOut).describe('what allows this professional to see the person'),
  }),
  why,
);
export type CarePersonResponseT = z.infer<typeof CarePersonResponse>;


export const BreakGlassResponse = notAFigure(
  z.object({ personId: z.string(), grantedAt: z.string(), expiresAt: z.string().describe(`${BREAK_GLASS_HOURS} hours after it was granted`) }),
  why,
);

export const BreakGlassAlertsQuery = z.object({ since: IsoDaySchema.optional().describe('grants from this day on (default: all, newest first, at most 200)') }).strict();

export const BreakGlassAlertsResponse = notAFigure(
  z.object({
    alerts: z.array(
      z.object({
        id: z.number().int(),
        userEmail: z.string(),
        neighbourhoodId: z.string().nullable(),
        personId: z.string().describe('the pseudonymous person: admins never see who it is'),
        reason: z.string(),
        grantedAt: z.string(),
        expiresAt: z.string(),
        live: z.boolean(),
      }),
    ),
  }),
  'the break-glass grants, for admins to review (audited)',
);
export type BreakGlassAlertsResponseT = z.infer<typeof BreakGlassAlertsResponse>;
