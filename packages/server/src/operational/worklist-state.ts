/**
 * What the care team already has in hand for each person of a worklist, from the operational
 * store: the active caseload episode (in any neighbourhood: a person has at most one), the active
 * care and support plan, and referrals still open. One query each for the whole list.
 */
import { REFERRAL_STATUSES, isFinalStatus } from '@openphm/core';
import type { Queryable } from './db.js';
import { ISO_DAY } from './versioned.js';

const idList = (personIds: readonly string[]): string => personIds.filter((id) => /^\d{1,18}$/.test(id)).join(',');
const OPEN_REFERRAL_STATUSES = REFERRAL_STATUSES.filter((s) => !isFinalStatus(s));

export interface ActiveEpisode {
  readonly entryId: number;
  readonly neighbourhoodId: string;
  readonly keyWorker: string;
  readonly nextReview: string;
}

/** The active caseload episode of each person who has one. */
export const activeEpisodesOf = async (db: Queryable, personIds: readonly string[]): Promise<Map<string, ActiveEpisode>> => {
  const ids = idList(personIds);
  if (ids === '') return new Map();
  const rows = await db.query<{ person_id: string; id: number; neighbourhood_id: string; key_worker: string; next_review: string }>(
    `SELECT person_id::text AS person_id, id, neighbourhood_id, key_worker, ${ISO_DAY('next_review')} AS next_review FROM caseload_entry
     WHERE status = 'active' AND person_id = ANY(string_to_array($1, ',')::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.person_id, { entryId: Number(r.id), neighbourhoodId: r.neighbourhood_id, keyWorker: r.key_worker, nextReview: r.next_review }]));
};

/** The review date of each person's active care and support plan. */
export const activePlansOf = async (db: Queryable, personIds: readonly string[]): Promise<Map<string, string>> => {
  const ids = idList(personIds);
  if (ids === '') return new Map();
  const rows = await db.query<{ person_id: string; review_date: string }>(
    `SELECT person_id::text AS person_id, ${ISO_DAY('review_date')} AS review_date FROM care_plan WHERE status = 'active' AND person_id = ANY(string_to_array($1, ',')::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.person_id, r.review_date]));
};

/** How many referrals each person has that are still open (referred, accepted or attending). */
export const openReferralCounts = async (db: Queryable, personIds: readonly string[]): Promise<Map<string, number>> => {
  const ids = idList(personIds);
  if (ids === '') return new Map();
  const rows = await db.query<{ person_id: string; n: number }>(
    `SELECT person_id::text AS person_id, count(*)::integer AS n FROM referral WHERE status = ANY(string_to_array($2, ',')) AND person_id = ANY(string_to_array($1, ',')::bigint[]) GROUP BY person_id`,
    [ids, OPEN_REFERRAL_STATUSES.join(',')],
  );
  return new Map(rows.map((r) => [r.person_id, Number(r.n)]));
};
