/** The append-only audit log: who (user, role), what (action, resource), when, and the outcome. */
import type { Role } from '../roles.js';
import { createHash } from 'node:crypto';
import type { OperationalDb, Queryable, SqlParam } from './types.js';

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

/** The lock every chained write takes, so each row follows the one before it (pg_advisory_xact_lock key). */
const AUDIT_CHAIN_LOCK = 730_561;

/** What a row's hash covers: the previous row's hash and every field as written, in a fixed order. */
export const auditRowHash = (prevHash: string, at: string, e: AuditEntry): string =>
  createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(JSON.stringify([at, e.userId, e.userEmail, e.role, e.action, e.resource, e.outcome, e.status, e.ip, e.detail ?? null]))
    .digest('hex');

/** One row chained to the last stored row, in the caller's transaction (the chain lock held): a batch of one. */
const insertChained = async (tx: Queryable, e: AuditEntry, at: string): Promise<void> => {
  await insertChainedBatch(tx, [{ entry: e, at }]);
};

/** Rows written together in one transaction at most (12 parameters each, well under PostgreSQL's 65,535). */
export const AUDIT_BATCH = 200;

interface PendingAudit {
  readonly entry: AuditEntry;
  readonly at: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Rows chained to each other from `prev`: their parameters (12 each) and the last row's hash. */
const chainRows = (prev: string, rows: readonly { readonly entry: AuditEntry; readonly at: string }[], casts: readonly string[] = []) => {
  const params: SqlParam[] = [];
  const values: string[] = [];
  for (const { entry: e, at } of rows) {
    const hash = auditRowHash(prev, at, e);
    const base = params.length;
    params.push(at, e.userId, e.userEmail, e.role, e.action, e.resource, e.outcome, e.status, e.ip, e.detail ?? null, prev, hash);
    values.push(`(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}${casts[i] ?? ''}`).join(', ')})`);
    prev = hash;
  }
  return { params, values, last: prev };
};

const AUDIT_COLUMNS = 'at, user_id, user_email, role, action, resource, outcome, status, ip, detail, prev_hash, hash';

/** Rows chained to each other and to the last stored row, written in one statement (the chain lock held); the new last hash. */
const insertChainedBatch = async (tx: Queryable, rows: readonly { readonly entry: AuditEntry; readonly at: string }[]): Promise<string> => {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  const [last] = await tx.query<{ hash: string | null }>('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
  const { params, values, last: hash } = chainRows(last?.hash ?? '', rows);
  await tx.query(`INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${values.join(', ')}`, params);
  return hash;
};

/** The parameters' types where a VALUES list has no target column to take them from. */
const AUDIT_CASTS = ['::timestamptz', '::integer', '::text', '::text', '::text', '::text', '::text', '::integer', '::text', '::text', '::text', '::text'];

/**
 * Rows chained from `head`, inserted in one statement only if the chain still ends at `head` (the
 * last stored row's hash, '' for an empty log), in their order: the new last hash, or null when
 * the chain ended elsewhere and nothing was written. One statement is atomic on PGlite, which runs
 * one at a time for one process; PostgreSQL, shared by processes, takes the locked path.
 */
const appendAtHead = async (db: Queryable, head: string, rows: readonly { readonly entry: AuditEntry; readonly at: string }[]): Promise<string | null> => {
  const { params, values, last } = chainRows(head, rows, AUDIT_CASTS);
  params.push(head);
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO audit_event (${AUDIT_COLUMNS})
     SELECT ${AUDIT_COLUMNS} FROM (VALUES ${values.map((v, i) => `(${i}, ${v.slice(1)}`).join(', ')}) AS v(ord, ${AUDIT_COLUMNS})
     WHERE coalesce((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), '') = $${params.length}
     ORDER BY ord RETURNING id`,
    params,
  );
  if (inserted.length === rows.length) return last;
  if (inserted.length === 0) return null;
  throw new Error(`the audit log took ${inserted.length} of ${rows.length} rows`);
};

/**
 * Group commit: the rows waiting while a write is under way go together in the next transaction (one
 * lock, one look at the chain's end, one insert, one commit), so under load the audit log costs a
 * fraction of a transaction a request. Each caller still waits until its own row is committed. A
 * batch that fails is written again row by row, so one bad row fails only its own caller.
 */
class AuditWriter {
  private readonly queue: PendingAudit[] = [];
  private writing = false;
  /**
   * PGlite only (one process, statements one at a time): the chain's last hash as this writer left
   * it, so a batch is one statement that inserts only if the chain still ends there (appendAtHead);
   * unknown at first and after anything else, when the batch takes the locked path.
   */
  private head: string | undefined;

  constructor(private readonly db: OperationalDb) {}

  /** Writes a batch: at the known head of the chain in one statement when it can, else under the chain lock in a transaction. */
  private async writeBatch(batch: readonly PendingAudit[]): Promise<void> {
    const head = this.head;
    this.head = undefined;
    if (this.db.kind === 'pglite' && head !== undefined) {
      const last = await appendAtHead(this.db.uncounted, head, batch);
      if (last !== null) {
        this.head = last;
        return;
      }
    }
    this.head = await this.db.transaction((tx) => insertChainedBatch(tx, batch), UNCOUNTED);
  }

  write(entry: AuditEntry, at: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, at, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, AUDIT_BATCH);
        try {
          await this.writeBatch(batch);
          for (const p of batch) p.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          for (const p of batch) {
            try {
              await this.writeBatch([p]);
              p.resolve();
            } catch (own) {
              p.reject(own);
            }
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const writers = new WeakMap<OperationalDb, AuditWriter>();

/** The audit log's own transactions do not move OperationalDb.writes (nothing cached reads the log). */
const UNCOUNTED = { counted: false } as const;

/**
 * Appends a row to the audit log, chained to the row before it (a SHA-256 of the previous row's hash
 * and this row's fields), so a row changed, removed or slipped in later breaks the chain
 * (verifyAuditChain). Inside a transaction (`tx`) it joins it; otherwise it is committed with the
 * other rows waiting at the same moment (group commit) before the promise resolves.
 */
export const writeAudit = async (db: Queryable | OperationalDb, e: AuditEntry, now: Date = new Date()): Promise<void> => {
  const at = now.toISOString();
  if ('transaction' in db) {
    let writer = writers.get(db);
    if (writer === undefined) writers.set(db, (writer = new AuditWriter(db)));
    await writer.write(e, at);
  } else await insertChained(db, e, at);
};

export interface AuditChainReport {
  /** Rows checked (those written since the chain began). */
  readonly checked: number;
  /** Rows written before the chain began (no hash). */
  readonly unchained: number;
  /** The first row that breaks the chain, and how; null when the chain holds. */
  readonly broken: { readonly id: number; readonly problem: string } | null;
  /** The hash of the last row (write it down elsewhere: a later check shows nothing after it was removed). */
  readonly head: string | null;
}

/** Walks the chain from its first row: every row's prev_hash is the hash before it, and its hash is what its fields give. */
export const verifyAuditChain = async (db: Queryable, batch = 5000): Promise<AuditChainReport> => {
  let checked = 0;
  let prev: string | null = null;
  let after = 0;
  const [unchained] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM audit_event WHERE hash IS NULL');
  for (;;) {
    const rows = await db.query<AuditRow & { prev_hash: string; hash: string }>(
      `SELECT id::double precision AS id, at, user_id, user_email, role, action, resource, outcome, status, ip, detail, prev_hash, hash
       FROM audit_event WHERE hash IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`,
      [after, batch],
    );
    for (const r of rows) {
      const id = Number(r.id);
      const expectedPrev: string = prev ?? '';
      if (r.prev_hash !== expectedPrev) return { checked, unchained: unchained?.n ?? 0, broken: { id, problem: prev === null ? 'the chain does not start at its first row (rows before it were removed)' : 'does not follow the row before it (a row was removed or slipped in)' }, head: prev };
      const at = (r.at instanceof Date ? r.at : new Date(r.at)).toISOString();
      const entry: AuditEntry = { userId: r.user_id === null ? null : Number(r.user_id), userEmail: r.user_email, role: r.role, action: r.action, resource: r.resource, outcome: r.outcome, status: Number(r.status), ip: r.ip, detail: r.detail };
      if (auditRowHash(r.prev_hash, at, entry) !== r.hash) return { checked, unchained: unchained?.n ?? 0, broken: { id, problem: 'its fields were changed after it was written' }, head: prev };
      prev = r.hash;
      checked += 1;
      after = id;
    }
    if (rows.length < batch) return { checked, unchained: unchained?.n ?? 0, broken: null, head: prev };
  }
};

export interface AuditQuery {
  readonly limit: number;
  readonly offset: number;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly userEmail?: string;
  /** Rows about one person (their pseudonymous id: `person:<id>`). */
  readonly personId?: string;
  /** From this day (inclusive), to this day (inclusive), UTC. */
  readonly from?: string;
  readonly to?: string;
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
  if (q.personId !== undefined) where.push(`resource = $${params.push(`person:${q.personId}`)}`);
  if (q.from !== undefined) where.push(`at >= ($${params.push(q.from)}::date)::timestamp AT TIME ZONE 'UTC'`);
  if (q.to !== undefined) where.push(`at < ($${params.push(q.to)}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
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
