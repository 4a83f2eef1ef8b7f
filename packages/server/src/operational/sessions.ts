/**
 * Server-side sessions. The browser holds a random 256-bit token (in a signed, HttpOnly cookie);
 * the store holds only its SHA-256, so a copy of the database cannot be used to log in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SessionUser } from '../roles.js';
import type { Queryable } from './db.js';
import { toSessionUser } from './users.js';

export const SESSION_HOURS = 12;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export const createSession = async (db: Queryable, userId: number, hours = SESSION_HOURS): Promise<string> => {
  const token = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO app_session (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`, [
    digest(token),
    userId,
    hours,
  ]);
  return token;
};

/** The user of a live session, or null (unknown, expired, or the account was disabled). */
export const sessionUser = async (db: Queryable, token: string): Promise<SessionUser | null> => (await liveSession(db, digest(token)))?.user ?? null;

/** How long a session's user is kept in memory at most (SessionCache). */
export const SESSION_CACHE_MS = 5_000;
/** Sessions kept at most; beyond it the cache starts again empty. */
const SESSION_CACHE_SIZE = 10_000;

/**
 * Live sessions' users kept in memory for a few seconds, so a burst of requests (a page's several
 * calls, or a flood that the per-user limit refuses) does not ask the operational store for the
 * session each time: on PGlite every query runs on the server's one thread, and a flood's session
 * lookups queued everyone else's requests behind them. The server clears it whenever a request that
 * changes something has been handled (log-in, log-out, an account disabled, a role changed: every
 * change to users and sessions is such a request, the store having one writer), so a change is seen
 * by the next request; anything else (a session expiring) within SESSION_CACHE_MS, never beyond the
 * session's own expiry. Unknown tokens are not kept.
 */
export class SessionCache {
  private readonly users = new Map<string, { readonly user: SessionUser; readonly until: number }>();

  constructor(
    private readonly ttlMs = SESSION_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The session's user, from memory while it is fresh, else from the store. */
  async user(db: Queryable, token: string): Promise<SessionUser | null> {
    const key = digest(token);
    const kept = this.users.get(key);
    const now = this.now();
    if (kept !== undefined && kept.until > now) return kept.user;
    const found = await liveSession(db, key);
    if (found === null) {
      this.users.delete(key);
      return null;
    }
    if (this.users.size >= SESSION_CACHE_SIZE) this.users.clear();
    this.users.set(key, { user: found.user, until: Math.min(now + this.ttlMs, found.expiresAt) });
    return found.user;
  }

  clear(): void {
    this.users.clear();
  }
}

const liveSession = async (db: Queryable, tokenHash: string): Promise<{ user: SessionUser; expiresAt: number } | null> => {
  const rows = await db.query<Parameters<typeof toSessionUser>[0] & { expires_ms: number | string }>(
    `SELECT u.id, u.email, u.display_name, u.role, u.neighbourhood_id, u.disabled, (extract(epoch FROM s.expires_at) * 1000)::double precision AS expires_ms
     FROM app_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
  );
  const row = rows[0];
  return row === undefined ? null : { user: toSessionUser(row), expiresAt: Number(row.expires_ms) };
};

export const deleteSession = async (db: Queryable, token: string): Promise<void> => {
  await db.query('DELETE FROM app_session WHERE token_hash = $1', [digest(token)]);
};

export const deleteExpiredSessions = async (db: Queryable): Promise<void> => {
  await db.query('DELETE FROM app_session WHERE expires_at <= now()');
};
