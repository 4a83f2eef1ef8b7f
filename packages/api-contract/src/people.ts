/** One person's summary for their care team (routes/people.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';

export const PersonParams = z.object({
  personId: z.string().regex(/^\d{1,18}$/, 'personId must be a whole number (the pseudonymous person id)'),
});

export const PersonSummary = notAFigure(z.object({
  personId: z.string(),
  referenceDate: z.string(),
  demographics: z.object({
    sex: z.string(),
    age: z.number().int().describe('Age in whole years on the reference date (or at death)'),
    ageBand: z.string(),
    ethnicGroup: z.string(),
    isCarer: z.boolean(),
    died: z.string().nullable().describe('Month of death (YYYY-MM), null when alive'),
  }),
  residence: z.object({
    lsoaCode: z.string(),
    neighbourhoodId: z.string().nullable(),
    place: z.string().nullable(),
    imdDecile: z.number().int().nullable(),
  }),
  practiceCode: z.string(),
  conditions: z.array(z.object({ key: z.string(), label: z.string(), since: z.string().describe('Year first recorded') })),
  activityLast12Months: z.array(z.object({ kind: z.string(), count: z.number().int() })),
  recentActivity: z.array(z.object({ date: z.string(), kind: z.string(), detail: z.string() })),
  socialPrescribing: z
    .array(z.object({ id: z.number().int(), serviceName: z.string(), reasonLabel: z.string(), status: z.string(), statusLabel: z.string(), referredAt: z.string(), referredBy: z.string() }))
    .describe("The person's social prescribing referrals, newest first (from the operational store: one view of the person)"),
  caseload: z.object({ entryId: z.number().int(), keyWorker: z.string(), nextReview: z.string(), source: z.string() }).nullable().describe('The active episode on the neighbourhood caseload, if any'),
  carePlan: z.object({ status: z.string(), reviewDate: z.string(), consentToShare: z.boolean(), updatedAt: z.string() }).nullable().describe('Whether there is a care and support plan (its content: GET /api/people/:personId/care-plan)'),
}), 'a person-level record for their care team (audited), never published');

export type PersonSummaryT = z.infer<typeof PersonSummary>;
