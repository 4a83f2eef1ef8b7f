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
export const sessionUser = async (db: Queryable, token: string): Promise<SessionUser | null> => {
  const rows = await db.query<Parameters<typeof toSessionUser>[0]>(
    `SELECT u.id, u.email, u.display_name, u.role, u.neighbourhood_id, u.disabled
     FROM app_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [digest(token)],
  );
  const row = rows[0];
  return row === undefined ? null : toSessionUser(row);
};

export const deleteSession = async (db: Queryable, token: string): Promise<void> => {
  await db.query('DELETE FROM app_session WHERE token_hash = $1', [digest(token)]);
};

export const deleteExpiredSessions = async (db: Queryable): Promise<void> => {
  await db.query('DELETE FROM app_session WHERE expires_at <= now()');
};
