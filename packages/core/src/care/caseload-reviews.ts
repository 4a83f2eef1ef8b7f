/**
 * Reviewing people on the caseload, and changing who coordinates their care. A review is due once
 * its date has come (the caseload shows it "due"); recording one (when, what was decided, when
 * next) sets the next review and so clears "due". The key worker is the team member who
 * coordinates the person's care; a change says why, and the changes are kept. Pure: definitions
 * and checks.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';
import type { FieldProblem } from '../errors/errors.js';
import type { CaseloadEntry } from './plans.js';
import { isoDayPlus } from './tasks.js';

/** What a review decided, and how soon the next one usually is (days). */
export const REVIEW_OUTCOMES = [
  { id: 'continue', label: 'Continue as planned', nextInDays: 91 },
  { id: 'more-support', label: 'More support needed', nextInDays: 14 },
  { id: 'less-support', label: 'Less support needed', nextInDays: 182 },
  { id: 'plan-discharge', label: 'Plan discharge', nextInDays: 28 },
] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number]['id'];
export const REVIEW_OUTCOME_IDS = REVIEW_OUTCOMES.map((o) => o.id) as [ReviewOutcome, ...ReviewOutcome[]];

/** The longest gap between reviews of someone on the caseload (days). */
export const MAX_REVIEW_INTERVAL_DAYS = 366;

/** A review as stored. */
export interface CaseloadReview {
  readonly id: number;
  readonly entryId: number;
  readonly reviewedOn: string;
  readonly reviewedBy: string;
  readonly outcome: ReviewOutcome;
  readonly note: string;
  readonly nextReview: string;
  readonly recordedAt: string;
}

/** What a user sends to record a review: when, what was decided, when next, and the episode's version. */
export const ReviewInputSchema = z
  .object({
    reviewedOn: IsoDaySchema,
    outcome: z.enum(REVIEW_OUTCOME_IDS),
    note: z.string().trim().max(2000).default(''),
    nextReview: IsoDaySchema,
    version: z.number().int().min(1),
  })
  .strict();
export type ReviewInput = z.output<typeof ReviewInputSchema>;

/** Whether an episode's review has come (active, next review today or before). */
export const isCaseloadReviewDue = (entry: Pick<CaseloadEntry, 'status' | 'nextReview'>, today: string): boolean => entry.status === 'active' && entry.nextReview <= today;

/** When the next review usually is after a review with this outcome. */
export const suggestedNextReview = (reviewedOn: string, outcome: ReviewOutcome): string => isoDayPlus(reviewedOn, REVIEW_OUTCOMES.find((o) => o.id === outcome)!.nextInDays);

/**
 * The problem with recording a review of an episode, or null: the episode is active, the review took
 * place between the day the person was taken on and today, and the next one is after it and within
 * a year (so "due" clears and comes back).
 */
export const reviewProblem = (entry: Pick<CaseloadEntry, 'status' | 'addedAt'>, review: Pick<ReviewInput, 'reviewedOn' | 'nextReview'>, today: string): FieldProblem | null => {
  if (entry.status !== 'active') return { field: 'reviewedOn', message: 'the person has been discharged: a review is recorded while they are on the caseload' };
  if (review.reviewedOn > today) return { field: 'reviewedOn', message: 'a review is recorded once it has taken place (not after today)' };
  if (review.reviewedOn < entry.addedAt.slice(0, 10)) return { field: 'reviewedOn', message: `the person was taken on on ${entry.addedAt.slice(0, 10)}: a review is on or after that day` };
  if (review.nextReview <= review.reviewedOn) return { field: 'nextReview', message: 'the next review is after this one' };
  if (review.nextReview <= today) return { field: 'nextReview', message: 'the next review is after today (or the review stays due)' };
  if (review.nextReview > isoDayPlus(review.reviewedOn, MAX_REVIEW_INTERVAL_DAYS)) return { field: 'nextReview', message: 'review again within a year' };
  return null;
};

/** A change of key worker as kept. */
export interface KeyWorkerChange {
  readonly id: number;
  readonly entryId: number;
  readonly from: string;
  readonly to: string;
  /** The team member's account, when the key worker has one (they are then told of the change and of notes on the person). */
  readonly toUserId: number | null;
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt: string;
}

/** What a user sends to change the key worker: the new one (a name, and their account when they have one), why, and the episode's version. */
export const KeyWorkerChangeSchema = z
  .object({
    keyWorker: z.string().trim().min(1, 'name the new key worker').max(200),
    keyWorkerUserId: z.number().int().min(1).nullable().default(null),
    reason: z.string().trim().min(3, 'say why the key worker changes').max(500),
    version: z.number().int().min(1),
  })
  .strict();
export type KeyWorkerChangeInput = z.output<typeof KeyWorkerChangeSchema>;

/** The problem with changing the key worker, or null: the episode is active and the key worker is someone else. */
export const keyWorkerChangeProblem = (
  entry: Pick<CaseloadEntry, 'status' | 'keyWorker'> & { readonly keyWorkerUserId: number | null },
  change: Pick<KeyWorkerChangeInput, 'keyWorker' | 'keyWorkerUserId'>,
): FieldProblem | null => {
  if (entry.status !== 'active') return { field: 'keyWorker', message: 'the person has been discharged: the key worker no longer changes' };
  if (entry.keyWorker === change.keyWorker && entry.keyWorkerUserId === change.keyWorkerUserId) return { field: 'keyWorker', message: `${change.keyWorker} is already the key worker` };
  return null;
};
