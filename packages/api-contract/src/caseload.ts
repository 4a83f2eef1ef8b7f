/** Neighbourhood caseloads (routes/caseload.ts). */
import { z } from 'zod';
import { CASELOAD_SOURCES, notAFigure } from '@openphm/core';
import { EvaluationByParam } from './evaluation.js';

export const CaseloadParams = z.object({ entryId: z.coerce.number().int().min(1) });

export const CaseloadEntryOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  source: z.string(),
  sourceLabel: z.string(),
  cohortId: z.string().nullable(),
  keyWorker: z.string(),
  nextReview: z.string(),
  reviewDue: z.boolean(),
  status: z.enum(['active', 'discharged']),
  outcome: z.string().nullable(),
  outcomeLabel: z.string().nullable(),
  addedAt: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level caseload episode for the care team (audited), never published');

export const CaseloadQuery = z.object({
  neighbourhood: z.string().max(64).optional().describe('analysts: one neighbourhood (neighbourhood teams always see their own)'),
  status: z.enum(['active', 'discharged']).optional(),
});

export const CaseloadResponse = z.object({
  neighbourhood: z.string().nullable(),
  today: z.string(),
  sources: z.array(z.object({ id: z.string(), label: z.string() })),
  outcomes: z.array(z.object({ id: z.string(), label: z.string() })),
  entries: z.array(CaseloadEntryOut),
});

export type CaseloadResponseT = z.infer<typeof CaseloadResponse>;

export type CaseloadEntryT = z.infer<typeof CaseloadEntryOut>;

export const CaseloadEvaluationQuery = z.object({
  source: z
    .enum(['all', ...CASELOAD_SOURCES.map((x) => x.id)] as [string, ...string[]])
    .default('all')
    .describe('Everyone taken on (all), or those from one source: worklist, gp, hospital-discharge, social-care, self-or-family, other'),
  by: EvaluationByParam,
});

// ---- reviews and key workers (routes/caseload.ts)

export const CaseloadReviewOut = z.object({
  id: z.number().int(),
  entryId: z.number().int(),
  reviewedOn: z.string(),
  reviewedBy: z.string(),
  outcome: z.string(),
  outcomeLabel: z.string(),
  note: z.string(),
  nextReview: z.string(),
  recordedAt: z.string(),
});

export const KeyWorkerChangeOut = z.object({
  id: z.number().int(),
  entryId: z.number().int(),
  from: z.string(),
  to: z.string(),
  toUserId: z.number().int().nullable(),
  reason: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
});

export const ReviewsResponse = notAFigure(
  z.object({
    entry: CaseloadEntryOut,
    keyWorkerUserId: z.number().int().nullable().describe("the key worker's account, when they have one"),
    outcomes: z.array(z.object({ id: z.string(), label: z.string(), nextInDays: z.number().int() })),
    reviews: z.array(CaseloadReviewOut),
    keyWorkerChanges: z.array(KeyWorkerChangeOut),
  }),
  "a caseload episode's reviews and key workers (audited), never published",
);

export const ReviewResponse = notAFigure(z.object({ entry: CaseloadEntryOut, review: CaseloadReviewOut }), 'a caseload review (audited), never published');
export const KeyWorkerResponse = notAFigure(z.object({ entry: CaseloadEntryOut, change: KeyWorkerChangeOut }), 'a change of key worker (audited), never published');

export type ReviewsResponseT = z.infer<typeof ReviewsResponse>;
export type ReviewResponseT = z.infer<typeof ReviewResponse>;
export type KeyWorkerResponseT = z.infer<typeof KeyWorkerResponse>;
