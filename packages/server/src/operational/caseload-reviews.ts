/**
 * Caseload reviews and changes of key worker in the operational store. Recording a review sets the
 * episode's next review (a new version of the episode, in its history) and keeps the review itself
 * (append-only); a change of key worker likewise changes the episode and keeps who, why and when.
 */
import { REVIEW_OUTCOME_IDS, expectOneOf, type CaseloadEntry, type CaseloadReview, type KeyWorkerChange, type KeyWorkerChangeInput, type ReviewInput } from '@openphm/core';
import type { Queryable } from './db.js';
import { updateCaseloadEntry } from './care-plans.js';
import { ISO_DAY, ISO_TIME } from './versioned.js';

const REVIEW = `id, caseload_entry_id, ${ISO_DAY('reviewed_on')} AS reviewed_on, reviewed_by, outcome, note, ${ISO_DAY('next_review')} AS next_review, ${ISO_TIME('recorded_at')} AS recorded_at`;
const CHANGE = `id, caseload_entry_id, from_key_worker, to_key_worker, to_user_id, reason, changed_by, ${ISO_TIME('changed_at')} AS changed_at`;

const toReview = (r: Record<string, unknown>): CaseloadReview => ({
  id: Number(r.id),
  entryId: Number(r.caseload_entry_id),
  reviewedOn: String(r.reviewed_on),
  reviewedBy: String(r.reviewed_by),
  outcome: expectOneOf(REVIEW_OUTCOME_IDS, r.outcome, 'review outcome'),
  note: String(r.note),
  nextReview: String(r.next_review),
  recordedAt: String(r.recorded_at),
});

const toChange = (r: Record<string, unknown>): KeyWorkerChange => ({
  id: Number(r.id),
  entryId: Number(r.caseload_entry_id),
  from: String(r.from_key_worker),
  to: String(r.to_key_worker),
  toUserId: r.to_user_id === null ? null : Number(r.to_user_id),
  reason: String(r.reason),
  changedBy: String(r.changed_by),
  changedAt: String(r.changed_at),
});

/** Records a review in the caller's transaction: the episode's next review (version checked) and the review kept. */
export const recordReview = async (tx: Queryable, entryId: number, review: ReviewInput, by: string): Promise<{ entry: CaseloadEntry; review: CaseloadReview }> => {
  const entry = await updateCaseloadEntry(tx, entryId, { nextReview: review.nextReview, version: review.version }, by);
  const [row] = await tx.query<Record<string, unknown>>(
    `INSERT INTO caseload_review (caseload_entry_id, reviewed_on, reviewed_by, outcome, note, next_review) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${REVIEW}`,
    [entryId, review.reviewedOn, by, review.outcome, review.note, review.nextReview],
  );
  return { entry, review: toReview(row!) };
};

export const listReviews = async (db: Queryable, entryId: number): Promise<CaseloadReview[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${REVIEW} FROM caseload_review WHERE caseload_entry_id = $1 ORDER BY id DESC`, [entryId])).map(toReview);

/** The account of an episode's key worker, when they have one. */
export const keyWorkerUserOf = async (db: Queryable, entryId: number): Promise<number | null> => {
  const [row] = await db.query<{ key_worker_user_id: number | null }>('SELECT key_worker_user_id FROM caseload_entry WHERE id = $1', [entryId]);
  return row?.key_worker_user_id == null ? null : Number(row.key_worker_user_id);
};

/** The account of the key worker of a person's active episode, when there is one and they have an account. */
export const activeKeyWorkerOfPerson = async (db: Queryable, personId: string): Promise<number | null> => {
  const [row] = await db.query<{ key_worker_user_id: number | null }>(`SELECT key_worker_user_id FROM caseload_entry WHERE person_id = $1::bigint AND status = 'active'`, [personId]);
  return row?.key_worker_user_id == null ? null : Number(row.key_worker_user_id);
};

/** The key worker accounts of a neighbourhood's active episodes, by episode id. */
export const keyWorkerUsers = async (db: Queryable, neighbourhoodId: string): Promise<Map<number, number>> => {
  const rows = await db.query<{ id: number; key_worker_user_id: number }>(`SELECT id, key_worker_user_id FROM caseload_entry WHERE neighbourhood_id = $1 AND key_worker_user_id IS NOT NULL`, [neighbourhoodId]);
  return new Map(rows.map((r) => [Number(r.id), Number(r.key_worker_user_id)]));
};

/** Changes the key worker in the caller's transaction: the episode (version checked), their account, and the change kept. */
export const changeKeyWorker = async (tx: Queryable, entryId: number, from: string, change: KeyWorkerChangeInput, by: string): Promise<{ entry: CaseloadEntry; change: KeyWorkerChange }> => {
  const entry = await updateCaseloadEntry(tx, entryId, { keyWorker: change.keyWorker, version: change.version }, by);
  await tx.query('UPDATE caseload_entry SET key_worker_user_id = $2 WHERE id = $1', [entryId, change.keyWorkerUserId]);
  const [row] = await tx.query<Record<string, unknown>>(
    `INSERT INTO caseload_key_worker_change (caseload_entry_id, from_key_worker, to_key_worker, to_user_id, reason, changed_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CHANGE}`,
    [entryId, from, change.keyWorker, change.keyWorkerUserId, change.reason, by],
  );
  return { entry, change: toChange(row!) };
};

/** Sets the account of an episode's key worker without a change of person (the demo's seeding, an import naming the account). */
export const setKeyWorkerUser = async (db: Queryable, entryId: number, userId: number | null): Promise<void> => {
  await db.query('UPDATE caseload_entry SET key_worker_user_id = $2 WHERE id = $1', [entryId, userId]);
};

export const keyWorkerChanges = async (db: Queryable, entryId: number): Promise<KeyWorkerChange[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${CHANGE} FROM caseload_key_worker_change WHERE caseload_entry_id = $1 ORDER BY id DESC`, [entryId])).map(toChange);
