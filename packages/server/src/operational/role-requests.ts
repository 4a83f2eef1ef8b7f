/**
 * Requests to grant a role that needs a second administrator: a new account with such a role, or
 * an account's role changed to one. Kept whole after they are decided (who asked, who decided, when);
 * a new account's password hash is kept only until the request is decided.
 */
import { UserError } from '@openphm/core';
import type { AccountRole } from '../roles.js';
import type { Queryable } from './db.js';

export type RoleRequestKind = 'create' | 'change-role';
export type RoleRequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface RoleRequest {
  readonly id: number;
  readonly kind: RoleRequestKind;
  /** The account whose role is changed (null for a new account). */
  readonly userId: number | null;
  readonly email: string;
  readonly displayName: string;
  readonly role: AccountRole;
  readonly neighbourhoodId: string | null;
  readonly requestedBy: number;
  readonly requestedByEmail: string;
  readonly requestedAt: string;
  readonly status: RoleRequestStatus;
  readonly decidedBy: number | null;
  readonly decidedByEmail: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
}

interface Row {
  id: number;
  kind: RoleRequestKind;
  user_id: number | null;
  email: string;
  display_name: string;
  role: AccountRole;
  neighbourhood_id: string | null;
  requested_by: number;
  requested_by_email: string;
  requested_at: Date | string;
  status: RoleRequestStatus;
  decided_by: number | null;
  decided_by_email: string | null;
  decided_at: Date | string | null;
  reason: string | null;
}

const iso = (t: Date | string) => (t instanceof Date ? t : new Date(t)).toISOString();

const toRequest = (r: Row): RoleRequest => ({
  id: Number(r.id),
  kind: r.kind,
  userId: r.user_id === null ? null : Number(r.user_id),
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  neighbourhoodId: r.neighbourhood_id,
  requestedBy: Number(r.requested_by),
  requestedByEmail: r.requested_by_email,
  requestedAt: iso(r.requested_at),
  status: r.status,
  decidedBy: r.decided_by === null ? null : Number(r.decided_by),
  decidedByEmail: r.decided_by_email,
  decidedAt: r.decided_at === null ? null : iso(r.decided_at),
  reason: r.reason,
});

const SELECT = `SELECT r.id, r.kind, r.user_id, r.email, r.display_name, r.role, r.neighbourhood_id, r.requested_by, a.email AS requested_by_email,
    r.requested_at, r.status, r.decided_by, d.email AS decided_by_email, r.decided_at, r.reason
  FROM role_request r JOIN app_user a ON a.id = r.requested_by LEFT JOIN app_user d ON d.id = r.decided_by`;

export interface NewRoleRequest {
  readonly kind: RoleRequestKind;
  readonly userId: number | null;
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
  readonly role: AccountRole;
  readonly neighbourhoodId: string | null;
  readonly requestedBy: number;
}

export const createRoleRequest = async (db: Queryable, r: NewRoleRequest): Promise<RoleRequest> => {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO role_request (kind, user_id, email, display_name, password_hash, role, neighbourhood_id, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [r.kind, r.userId, r.email, r.displayName, r.passwordHash, r.role, r.role === 'neighbourhood' ? r.neighbourhoodId : null, r.requestedBy],
  );
  return getRoleRequest(db, Number(row!.id));
};

export const getRoleRequest = async (db: Queryable, id: number): Promise<RoleRequest> => {
  const [row] = await db.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
  if (row === undefined) throw new UserError(`no request ${id}`, 'not-found');
  return toRequest(row);
};

/** Pending requests first (oldest first), then the most recently decided ones (at most `decided`). */
export const listRoleRequests = async (db: Queryable, decided = 50): Promise<RoleRequest[]> => [
  ...(await db.query<Row>(`${SELECT} WHERE r.status = 'pending' ORDER BY r.id`)).map(toRequest),
  ...(await db.query<Row>(`${SELECT} WHERE r.status <> 'pending' ORDER BY r.decided_at DESC, r.id DESC LIMIT $1`, [decided])).map(toRequest),
];

/** A pending request for this email or account, if there is one. */
export const pendingRequestFor = async (db: Queryable, email: string, userId: number | null): Promise<number | null> => {
  const [row] = await db.query<{ id: number }>(`SELECT id FROM role_request WHERE status = 'pending' AND (email = $1 OR user_id = $2) LIMIT 1`, [email, userId ?? -1]);
  return row === undefined ? null : Number(row.id);
};

/**
 * Locks a pending request for deciding (in a transaction) and returns it with the password hash of
 * a new account; a conflict when it has been decided already.
 */
export const lockPendingRequest = async (tx: Queryable, id: number): Promise<RoleRequest & { passwordHash: string | null }> => {
  const [row] = await tx.query<{ status: RoleRequestStatus; password_hash: string | null }>('SELECT status, password_hash FROM role_request WHERE id = $1 FOR UPDATE', [id]);
  if (row === undefined) throw new UserError(`no request ${id}`, 'not-found');
  if (row.status !== 'pending') throw new UserError(`request ${id} has been ${row.status} already`, 'conflict');
  return { ...(await getRoleRequest(tx, id)), passwordHash: row.password_hash };
};

/** Records the decision on a pending request (the password hash is dropped). */
export const decideRoleRequest = async (tx: Queryable, id: number, status: Exclude<RoleRequestStatus, 'pending'>, decidedBy: number, reason: string | null): Promise<RoleRequest> => {
  await tx.query(`UPDATE role_request SET status = $2, decided_by = $3, decided_at = now(), reason = $4, password_hash = NULL WHERE id = $1 AND status = 'pending'`, [id, status, decidedBy, reason]);
  return getRoleRequest(tx, id);
};
