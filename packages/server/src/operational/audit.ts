/** The append-only audit log: who (user, role), what (action, resource), when, and the outcome. */
import type { Role } from '../roles.js';
import type { Queryable } from './db.js';

export const AUDIT_OUTCOMES = ['granted', 'denied', 'unauthenticated', 'not-found', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  readonly userId: number | null;
  readonly userEmail: string | null;
  readonly role: Role;
  /** What was attempted, e.g. `person.view`, `audit.view`, `auth.login`, or `GET /api/audit` for a refused route. */
  readonly action: string;
  /** What it was attempted on, e.g. `person:12345`. */
  readonly resource: string | null;
  readonly outcome: AuditOutcome;
  readonly status: number;
  readonly ip: string | null;
  /** Short free text (never person-level data beyond the pseudonymous id in `resource`). */
  readonly detail?: string | null;
}

export interface AuditRecord extends AuditEntry {
  readonly id: number;
  readonly detail: string | null;
  /** ISO 8601 timestamp (UTC). */
  readonly at: string;
}

export const writeAudit = async (db: Queryable, e: AuditEntry): Promise<void> => {
  await db.query(
    `INSERT INTO audit_event (user_id, user_email, role, action, resource, outcome, status, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.userId, e.userEmail, e.role, e.action, e.resource, e.outcome, e.status, e.ip, e.detail ?? null],
  );
};

export interface AuditQuery {
  readonly limit: number;
  readonly offset: number;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly userEmail?: string;
}

interface AuditRow {
  id: number;
  at: Date | string;
  user_id: number | null;
  user_email: string | null;
  role: Role;
  action: string;
  resource: string | null;
  outcome: AuditOutcome;
  status: number;
  ip: string | null;
  detail: string | null;
}

/** Newest first. */
export const listAudit = async (db: Queryable, q: AuditQuery): Promise<{ total: number; rows: AuditRecord[] }> => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.action !== undefined) where.push(`action = $${params.push(q.action)}`);
  if (q.outcome !== undefined) where.push(`outcome = $${params.push(q.outcome)}`);
  if (q.userEmail !== undefined) where.push(`user_email = $${params.push(q.userEmail.toLowerCase())}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM audit_event ${clause}`, params);
  const rows = await db.query<AuditRow>(
    `SELECT id::double precision AS id, at, user_id, user_email, role, action, resource, outcome, status, ip, detail
     FROM audit_event ${clause} ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.limit, q.offset],
  );
  return {
    total: count?.n ?? 0,
    rows: rows.map((r) => ({
      id: Number(r.id),
      at: (r.at instanceof Date ? r.at : new Date(r.at)).toISOString(),
      userId: r.user_id === null ? null : Number(r.user_id),
      userEmail: r.user_email,
      role: r.role,
      action: r.action,
      resource: r.resource,
      outcome: r.outcome,
      status: Number(r.status),
      ip: r.ip,
      detail: r.detail,
    })),
  };
};
