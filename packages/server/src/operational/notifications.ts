/**
 * Notifications in the operational store: one row a user and thing to know, read or not. A row
 * with a key is written once (a review that has come is told once per review date).
 */
import { NOTIFICATION_KIND_IDS, expectOneOf, type Notification, type NotificationKind } from '@openphm/core';
import type { Queryable } from './db.js';
import { ISO_TIME } from './versioned.js';

const SELECT = `id, user_id, kind, summary, link, person_id::text AS person_id, ${ISO_TIME('created_at')} AS created_at, ${ISO_TIME('read_at')} AS read_at`;

const toNotification = (r: Record<string, unknown>): Notification => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  kind: expectOneOf(NOTIFICATION_KIND_IDS, r.kind, 'notification kind'),
  summary: String(r.summary),
  link: String(r.link),
  personId: r.person_id === null ? null : String(r.person_id),
  createdAt: String(r.created_at),
  readAt: r.read_at === null ? null : String(r.read_at),
});

export interface NewNotification {
  readonly userId: number;
  readonly kind: NotificationKind;
  readonly summary: string;
  readonly link: string;
  readonly personId: string | null;
  /** Written once per user and key (later ones with the same key are dropped). */
  readonly onceKey?: string;
}

/** Writes notifications (in the caller's transaction when given one); returns how many were new. */
export const notify = async (db: Queryable, rows: readonly NewNotification[]): Promise<number> => {
  let n = 0;
  for (const r of rows) {
    const written = await db.query(
      `INSERT INTO notification (user_id, kind, summary, link, person_id, once_key) VALUES ($1, $2, $3, $4, $5::bigint, $6) ON CONFLICT (user_id, once_key) DO NOTHING RETURNING id`,
      [r.userId, r.kind, r.summary.slice(0, 300), r.link, r.personId, r.onceKey ?? null],
    );
    n += written.length;
  }
  return n;
};

/** A user's notifications, newest first (unread only when asked), at most `limit`. */
export const listNotifications = async (db: Queryable, userId: number, options: { readonly unreadOnly?: boolean; readonly limit?: number } = {}): Promise<Notification[]> =>
  (
    await db.query<Record<string, unknown>>(`SELECT ${SELECT} FROM notification WHERE user_id = $1${options.unreadOnly ? ' AND read_at IS NULL' : ''} ORDER BY id DESC LIMIT $2`, [userId, options.limit ?? 100])
  ).map(toNotification);

export const unreadCount = async (db: Queryable, userId: number): Promise<number> =>
  Number((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM notification WHERE user_id = $1 AND read_at IS NULL', [userId]))[0]?.n ?? 0);

/** Marks a user's notifications read (the ones named, or all); returns how many changed. Others' notifications are never touched. */
export const markRead = async (db: Queryable, userId: number, ids: readonly number[] | 'all'): Promise<number> => {
  if (ids !== 'all' && ids.length === 0) return 0;
  const rows = await db.query(
    `UPDATE notification SET read_at = clock_timestamp() WHERE user_id = $1 AND read_at IS NULL${ids === 'all' ? '' : ` AND id = ANY(string_to_array($2, ',')::bigint[])`} RETURNING id`,
    ids === 'all' ? [userId] : [userId, ids.join(',')],
  );
  return rows.length;
};

/** The active caseload episodes a user is key worker for whose review has come (the reviews to tell them of). */
export const dueReviewsOf = async (db: Queryable, userId: number, today: string): Promise<{ entryId: number; personId: string; nextReview: string }[]> =>
  (
    await db.query<{ id: number; person_id: string; next_review: string }>(
      `SELECT id, person_id::text AS person_id, to_char(next_review, 'YYYY-MM-DD') AS next_review FROM caseload_entry WHERE key_worker_user_id = $1 AND status = 'active' AND next_review <= $2::date ORDER BY next_review, id`,
      [userId, today],
    )
  ).map((r) => ({ entryId: Number(r.id), personId: r.person_id, nextReview: r.next_review }));
