/**
 * Caseload reviews and key workers as the API shows them: an episode's reviews and changes of key
 * worker, a review recorded (clearing "due": core's reviewProblem), a new key worker (core's
 * keyWorkerChangeProblem; their account must be a member of the team).
 */
import { REVIEW_OUTCOMES, keyWorkerChangeProblem, reviewProblem, type CaseloadReview, type KeyWorkerChangeInput, type ReviewInput } from '@openphm/core';
import type { KeyWorkerResponseT, ReviewResponseT, ReviewsResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { getCaseloadEntry } from '../operational/care-plans.js';
import { changeKeyWorker, keyWorkerChanges, keyWorkerUserOf, listReviews, recordReview } from '../operational/caseload-reviews.js';
import { atomically } from '../operational/versioned.js';
import { entryOut } from './caseload.js';
import { assigneeProblem, teamNames } from './tasks.js';

const reviewOut = (r: CaseloadReview): ReviewResponseT['review'] => ({ ...r, outcomeLabel: REVIEW_OUTCOMES.find((o) => o.id === r.outcome)?.label ?? r.outcome });

/** An episode's reviews and key worker changes, newest first (GET /api/caseload/:entryId/reviews). */
export const reviewsOf = async (ctx: ServerContext, entryId: number): Promise<Audited<ReviewsResponseT>> => {
  const entry = await getCaseloadEntry(ctx.ops, entryId);
  const [reviews, changes, keyWorkerUserId] = await Promise.all([listReviews(ctx.ops, entryId), keyWorkerChanges(ctx.ops, entryId), keyWorkerUserOf(ctx.ops, entryId)]);
  return {
    value: { entry: entryOut(entry, ctx.today()), keyWorkerUserId, outcomes: REVIEW_OUTCOMES.map((o) => ({ ...o })), reviews: reviews.map(reviewOut), keyWorkerChanges: changes },
    audit: `entry ${entryId}: ${reviews.length} reviews`,
  };
};

/** Records a review of an episode with its version: the next review moves on, so the review is no longer due (POST /api/caseload/:entryId/reviews). */
export const recordCaseloadReview = async (ctx: ServerContext, entryId: number, input: ReviewInput, by: string): Promise<Audited<ReviewResponseT>> => {
  const current = await getCaseloadEntry(ctx.ops, entryId);
  const today = ctx.today();
  // An edit of an older version is a conflict (recordReview says who changed it), whatever it asks.
  const problem = current.version !== input.version ? null : reviewProblem(current, input, today);
  if (problem) throw invalidRequest('body', [problem]);
  const { entry, review } = await atomically(ctx.ops, (tx) => recordReview(tx, entryId, input, by));
  return { value: { entry: entryOut(entry, today), review: reviewOut(review) }, audit: `entry ${entryId} version ${entry.version}: reviewed (${review.outcome})` };
};

/** Changes an episode's key worker, saying why (PATCH /api/caseload/:entryId/key-worker). */
export const changeCaseloadKeyWorker = async (ctx: ServerContext, entryId: number, input: KeyWorkerChangeInput, by: string): Promise<Audited<KeyWorkerResponseT>> => {
  const current = await getCaseloadEntry(ctx.ops, entryId);
  const { names } = await teamNames(ctx, current.neighbourhoodId);
  const problem =
    assigneeProblem(input.keyWorkerUserId, names, current.neighbourhoodId, 'keyWorkerUserId') ??
    (current.version !== input.version ? null : keyWorkerChangeProblem({ ...current, keyWorkerUserId: await keyWorkerUserOf(ctx.ops, entryId) }, input));
  if (problem) throw invalidRequest('body', [problem]);
  const { entry, change } = await atomically(ctx.ops, (tx) => changeKeyWorker(tx, entryId, current.keyWorker, input, by));
  return { value: { entry: entryOut(entry, ctx.today()), change }, audit: `entry ${entryId} version ${entry.version}: key worker changed` };
};
