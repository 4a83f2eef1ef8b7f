/**
 * Log-in throttling, per account (the email tried, whether or not it has an account, so that a
 * lock-out says nothing about which emails exist) and per client address. Each key counts its
 * failures: after `free` of them every attempt must wait twice as long as the one before (from
 * `baseMs`, at most `capMs`), attempts made too soon are refused and counted too, and at `lockAfter`
 * failures the key is locked until an administrator lifts it. Failures older than `windowMs` are
 * forgotten (unless locked). An attempt is counted as it starts (so parallel attempts cannot slip
 * past the back-off) and given back when it succeeds.
 */
import type { OperationalDb, Queryable } from './db.js';

export type ThrottleKind = 'account' | 'address';

export interface ThrottleRule {
  /** Failures allowed before attempts must wait. */
  readonly free: number;
  /** The first wait (ms); each further failure doubles it. */
  readonly baseMs: number;
  /** The longest wait (ms). */
  readonly capMs: number;
  /** Failures that lock the key until an administrator lifts it. */
  readonly lockAfter: number;
  /** Failures older than this (ms) are forgotten. */
  readonly windowMs: number;
}

export type Claim =
  | { readonly verdict: 'proceed' }
  | { readonly verdict: 'wait'; readonly retryAfterMs: number }
  | { readonly verdict: 'locked'; readonly lockedNow: boolean };

interface ThrottleRow {
  id: number;
  failures: number;
  last_failure_at: Date | string | null;
  locked_at: Date | string | null;
}

const ms = (t: Date | string | null): number | null => (t === null ? null : (t instanceof Date ? t : new Date(t)).getTime());

/** How long after the last failure the next attempt must wait, with `failures` counted. */
export const waitAfter = (rule: ThrottleRule, failures: number): number =>
  failures < rule.free ? 0 : Math.min(rule.capMs, rule.baseMs * 2 ** Math.min(failures - rule.free, 40));

/** Counts an attempt for a key as it starts, and says whether it may go on. */
export const claimAttempt = (db: OperationalDb, kind: ThrottleKind, key: string, rule: ThrottleRule, now: Date): Promise<Claim> =>
  db.transaction(async (tx) => {
    await tx.query('INSERT INTO login_throttle (kind, key) VALUES ($1, $2) ON CONFLICT (kind, key) DO NOTHING', [kind, key]);
    const [row] = await tx.query<ThrottleRow>('SELECT id, failures, last_failure_at, locked_at FROM login_throttle WHERE kind = $1 AND key = $2 FOR UPDATE', [kind, key]);
    if (row!.locked_at !== null) return { verdict: 'locked', lockedNow: false } as const;
    const last = ms(row!.last_failure_at);
    const t = now.getTime();
    const failures = last !== null && t - last < rule.windowMs ? Number(row!.failures) : 0;
    const wait = last === null ? 0 : last + waitAfter(rule, failures) - t;
    const counted = failures + 1;
    const lock = wait > 0 && counted >= rule.lockAfter;
    await tx.query('UPDATE login_throttle SET failures = $2, last_failure_at = $3, locked_at = $4 WHERE id = $1', [row!.id, counted, now, lock ? now : null]);
    if (lock) return { verdict: 'locked', lockedNow: true } as const;
    return wait > 0 ? ({ verdict: 'wait', retryAfterMs: wait } as const) : ({ verdict: 'proceed' } as const);
  });

/** After a failed attempt (already counted): locks the key when it has reached `lockAfter` failures; true when it locked it now. */
export const lockIfDue = async (db: Queryable, kind: ThrottleKind, key: string, rule: ThrottleRule, now: Date): Promise<boolean> =>
  (await db.query<{ id: number }>('UPDATE login_throttle SET locked_at = $4 WHERE kind = $1 AND key = $2 AND failures >= $3 AND locked_at IS NULL RETURNING id', [kind, key, rule.lockAfter, now])).length > 0;

/**
 * After a successful attempt: an account's failures are cleared; an address gives back the attempt
 * counted for it (so that signing in now and then with one account does not clear failures tried
 * against others from the same address).
 */
export const settleAttempt = async (db: Queryable, kind: ThrottleKind, key: string): Promise<void> => {
  await db.query(
    kind === 'account'
      ? 'UPDATE login_throttle SET failures = 0 WHERE kind = $1 AND key = $2 AND locked_at IS NULL'
      : 'UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE kind = $1 AND key = $2 AND locked_at IS NULL',
    [kind, key],
  );
};

export interface Lockout {
  readonly id: number;
  readonly kind: ThrottleKind;
  readonly key: string;
  readonly failures: number;
  readonly lockedAt: string;
}

/** Every locked account email and address, most recent first. */
export const listLockouts = async (db: Queryable): Promise<Lockout[]> =>
  (await db.query<ThrottleRow & { kind: ThrottleKind; key: string }>('SELECT id, kind, key, failures, last_failure_at, locked_at FROM login_throttle WHERE locked_at IS NOT NULL ORDER BY locked_at DESC, id DESC')).map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    key: r.key,
    failures: Number(r.failures),
    lockedAt: new Date(ms(r.locked_at)!).toISOString(),
  }));

/** Lifts a lock-out (its failures forgotten); null when there is no such lock-out. */
export const liftLockout = async (db: Queryable, id: number): Promise<{ kind: ThrottleKind; key: string } | null> => {
  const [row] = await db.query<{ kind: ThrottleKind; key: string }>(
    'UPDATE login_throttle SET failures = 0, last_failure_at = NULL, locked_at = NULL WHERE id = $1 AND locked_at IS NOT NULL RETURNING kind, key',
    [id],
  );
  return row ?? null;
};

/** The lock-out of an account's email, if it is locked. */
export const accountLockout = async (db: Queryable, email: string): Promise<number | null> => {
  const [row] = await db.query<{ id: number }>("SELECT id FROM login_throttle WHERE kind = 'account' AND key = $1 AND locked_at IS NOT NULL", [email]);
  return row === undefined ? null : Number(row.id);
};
