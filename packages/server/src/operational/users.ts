/**
 * Accounts: local ones (argon2id password hashes, never the passwords themselves; optional TOTP) and
 * single sign-on ones (the identity provider's issuer and subject, no password).
 */
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { UserError } from '@openphm/core';
import type { AccountRole, SessionUser } from '../roles.js';
import type { Queryable } from './db.js';

/** OWASP's argon2id minimum (19 MiB, 2 iterations, 1 lane). */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

/** Verified against when the email is unknown, so a wrong email costs as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('openphm-no-such-user-password'));

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: AccountRole;
  neighbourhood_id: string | null;
  disabled: boolean;
}

const USER_COLUMNS = 'id, email, display_name, role, neighbourhood_id, disabled';

export const toSessionUser = (r: UserRow): SessionUser => ({
  id: Number(r.id),
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  neighbourhoodId: r.neighbourhood_id,
});

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly password: string;
  readonly role: AccountRole;
  readonly neighbourhoodId?: string | null;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const createUser = async (db: Queryable, user: NewUser): Promise<SessionUser> => {
  if (user.password.length < MIN_PASSWORD_LENGTH) throw new UserError(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return createUserWithHash(db, { ...user, passwordHash: await hashPassword(user.password) });
};

/** Creates a local account from a password hash made earlier (an approved request keeps only the hash). */
export const createUserWithHash = async (db: Queryable, user: Omit<NewUser, 'password'> & { readonly passwordHash: string }): Promise<SessionUser> => {
  const neighbourhoodId = user.role === 'neighbourhood' ? (user.neighbourhoodId ?? null) : null;
  if (user.role === 'neighbourhood' && !neighbourhoodId) throw new UserError('a neighbourhood account needs a neighbourhood id');
  const email = normaliseEmail(user.email);
  const existing = await db.query<{ id: number }>('SELECT id FROM app_user WHERE email = $1', [email]);
  if (existing.length > 0) throw new UserError(`an account for ${email} already exists`, 'conflict');
  const rows = await db.query<UserRow>(
    `INSERT INTO app_user (email, display_name, password_hash, role, neighbourhood_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
    [email, user.displayName, user.passwordHash, user.role, neighbourhoodId],
  );
  return toSessionUser(rows[0]!);
};

export const countUsers = async (db: Queryable): Promise<number> => {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM app_user');
  return row?.n ?? 0;
};

export const listUsers = async (db: Queryable): Promise<(SessionUser & { disabled: boolean })[]> =>
  (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user ORDER BY id`)).map((r) => ({ ...toSessionUser(r), disabled: r.disabled }));

/** An account as administrators see it: how it signs in, whether it is disabled or locked out, whether TOTP is set up. */
export interface AccountRecord extends SessionUser {
  readonly disabled: boolean;
  readonly signIn: 'local' | 'single-sign-on';
  readonly totp: boolean;
  readonly locked: boolean;
  readonly createdAt: string;
  /** The directory services the account works for (user_service), sorted. */
  readonly serviceIds: string[];
}

interface AccountRow extends UserRow {
  oidc_subject: string | null;
  totp: boolean;
  locked: boolean;
  created_at: Date | string;
  /** A JSON array (text on some drivers). */
  service_ids: unknown;
}

const toAccount = (r: AccountRow): AccountRecord => ({
  ...toSessionUser(r),
  disabled: r.disabled,
  signIn: r.oidc_subject === null ? 'local' : 'single-sign-on',
  totp: r.totp,
  locked: r.locked,
  createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  serviceIds: (typeof r.service_ids === 'string' ? JSON.parse(r.service_ids) : r.service_ids) as string[],
});

const ACCOUNT_SELECT = `SELECT u.id, u.email, u.display_name, u.role, u.neighbourhood_id, u.disabled, u.oidc_subject, u.totp_secret IS NOT NULL AS totp,
    EXISTS (SELECT 1 FROM login_throttle t WHERE t.kind = 'account' AND t.key = u.email AND t.locked_at IS NOT NULL) AS locked, u.created_at,
    coalesce((SELECT json_agg(s.service_id ORDER BY s.service_id) FROM user_service s WHERE s.user_id = u.id), '[]'::json) AS service_ids
  FROM app_user u`;

/** Every account, oldest first. */
export const listAccounts = async (db: Queryable): Promise<AccountRecord[]> => (await db.query<AccountRow>(`${ACCOUNT_SELECT} ORDER BY u.id`)).map(toAccount);

/** One account; not-found when there is none. */
export const getAccount = async (db: Queryable, id: number): Promise<AccountRecord> => {
  const [row] = await db.query<AccountRow>(`${ACCOUNT_SELECT} WHERE u.id = $1`, [id]);
  if (row === undefined) throw new UserError(`no account ${id}`, 'not-found');
  return toAccount(row);
};

/** Whether an account with this email exists. */
export const emailInUse = async (db: Queryable, email: string): Promise<boolean> =>
  (await db.query<{ id: number }>('SELECT id FROM app_user WHERE email = $1', [normaliseEmail(email)])).length > 0;

/** How many admin accounts exist (`active`: not disabled). */
export const countAdmins = async (db: Queryable, active = false): Promise<number> => {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM app_user WHERE role = 'admin'${active ? ' AND NOT disabled' : ''}`);
  return row?.n ?? 0;
};

/** Disables or enables an account; disabling ends its sessions at once. */
export const setDisabled = async (db: Queryable, id: number, disabled: boolean): Promise<void> => {
  await db.query('UPDATE app_user SET disabled = $2 WHERE id = $1', [id, disabled]);
  if (disabled) await db.query('DELETE FROM app_session WHERE user_id = $1', [id]);
};

/** Gives an account another role (and neighbourhood, for the neighbourhood role). */
export const setRole = async (db: Queryable, id: number, role: AccountRole, neighbourhoodId: string | null): Promise<void> => {
  await db.query('UPDATE app_user SET role = $2, neighbourhood_id = $3 WHERE id = $1', [id, role, role === 'neighbourhood' ? neighbourhoodId : null]);
};

// ---- Single sign-on accounts

export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: AccountRole;
  readonly neighbourhoodId: string | null;
}

/**
 * The account of a single sign-on identity (issuer and subject), created at its first sign-in and
 * given the role and neighbourhood its claims map to at every sign-in. A conflict when the email
 * belongs to another account (a local one, or another identity).
 */
export const upsertOidcUser = async (db: Queryable, who: OidcIdentity): Promise<SessionUser & { disabled: boolean }> => {
  const email = normaliseEmail(who.email);
  const neighbourhoodId = who.role === 'neighbourhood' ? who.neighbourhoodId : null;
  const [existing] = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE oidc_issuer = $1 AND oidc_subject = $2`, [who.issuer, who.subject]);
  const [other] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE email = $1 AND id <> $2', [email, existing?.id ?? -1]);
  if (other !== undefined) throw new UserError(`the email ${email} belongs to another account`, 'conflict');
  const rows = existing
    ? await db.query<UserRow>(
        `UPDATE app_user SET email = $2, display_name = $3, role = $4, neighbourhood_id = $5 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [existing.id, email, who.displayName, who.role, neighbourhoodId],
      )
    : await db.query<UserRow>(
        `INSERT INTO app_user (email, display_name, role, neighbourhood_id, oidc_issuer, oidc_subject) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
        [email, who.displayName, who.role, neighbourhoodId, who.issuer, who.subject],
      );
  return { ...toSessionUser(rows[0]!), disabled: rows[0]!.disabled };
};

/** Ends every session of the single sign-on identity (its claims no longer give access). */
export const endOidcSessions = async (db: Queryable, issuer: string, subject: string): Promise<void> => {
  await db.query('DELETE FROM app_session WHERE user_id IN (SELECT id FROM app_user WHERE oidc_issuer = $1 AND oidc_subject = $2)', [issuer, subject]);
};

// ---- Local sign-in

export interface LocalCredentials {
  readonly user: SessionUser;
  readonly disabled: boolean;
  readonly passwordHash: string | null;
  readonly totpSecret: string | null;
  readonly totpPending: string | null;
}

/** The stored credentials of an email's account (null: no such account). */
export const credentialsOf = async (db: Queryable, email: string): Promise<LocalCredentials | null> => {
  const [row] = await db.query<UserRow & { password_hash: string | null; totp_secret: string | null; totp_pending: string | null }>(
    `SELECT ${USER_COLUMNS}, password_hash, totp_secret, totp_pending FROM app_user WHERE email = $1`,
    [normaliseEmail(email)],
  );
  return row === undefined
    ? null
    : { user: toSessionUser(row), disabled: row.disabled, passwordHash: row.password_hash, totpSecret: row.totp_secret, totpPending: row.totp_pending };
};

/** Verifies a password against an account's hash, or against a dummy hash (no account, or a single sign-on one) so that it takes as long. */
export const passwordMatches = async (passwordHash: string | null, password: string): Promise<boolean> => {
  if (passwordHash === null) {
    await verifyPassword(await dummy(), password);
    return false;
  }
  return verifyPassword(passwordHash, password);
};

// ---- TOTP (RFC 6238)

/** Keeps a secret being set up until its first code is verified. */
export const setTotpPending = async (db: Queryable, id: number, secret: string): Promise<void> => {
  await db.query('UPDATE app_user SET totp_pending = $2 WHERE id = $1', [id, secret]);
};

/** The set-up secret becomes the account's TOTP secret; `step` is the time step of the code that proved it. */
export const confirmTotp = async (db: Queryable, id: number, step: number): Promise<void> => {
  await db.query('UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2 WHERE id = $1 AND totp_pending IS NOT NULL', [id, step]);
};

/** Records the time step of a verified code; false when that step (or a later one) was used already (a replayed code). */
export const useTotpStep = async (db: Queryable, id: number, step: number): Promise<boolean> =>
  (await db.query<{ id: number }>('UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id', [id, step])).length > 0;

/** Removes TOTP from an account (lost device): it sets it up again at its next sign-in when TOTP is required. */
export const resetTotp = async (db: Queryable, id: number): Promise<void> => {
  await db.query('UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1', [id]);
};

/** The account for these credentials, or null (unknown email, wrong password or disabled account). */
export const checkCredentials = async (db: Queryable, email: string, password: string): Promise<SessionUser | null> => {
  const found = await credentialsOf(db, email);
  const ok = await passwordMatches(found?.passwordHash ?? null, password);
  return ok && found !== null && !found.disabled ? found.user : null;
};
