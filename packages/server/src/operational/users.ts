/** Local accounts: argon2id password hashes, never the passwords themselves. */
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
  const neighbourhoodId = user.role === 'neighbourhood' ? (user.neighbourhoodId ?? null) : null;
  if (user.role === 'neighbourhood' && !neighbourhoodId) throw new UserError('a neighbourhood account needs a neighbourhood id');
  const email = normaliseEmail(user.email);
  const existing = await db.query<{ id: number }>('SELECT id FROM app_user WHERE email = $1', [email]);
  if (existing.length > 0) throw new UserError(`an account for ${email} already exists`, 'conflict');
  const rows = await db.query<UserRow>(
    `INSERT INTO app_user (email, display_name, password_hash, role, neighbourhood_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
    [email, user.displayName, await hashPassword(user.password), user.role, neighbourhoodId],
  );
  return toSessionUser(rows[0]!);
};

export const countUsers = async (db: Queryable): Promise<number> => {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM app_user');
  return row?.n ?? 0;
};

export const listUsers = async (db: Queryable): Promise<(SessionUser & { disabled: boolean })[]> =>
  (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user ORDER BY id`)).map((r) => ({ ...toSessionUser(r), disabled: r.disabled }));

/** The account for these credentials, or null (unknown email, wrong password or disabled account). */
export const checkCredentials = async (db: Queryable, email: string, password: string): Promise<SessionUser | null> => {
  const rows = await db.query<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM app_user WHERE email = $1`, [normaliseEmail(email)]);
  const row = rows[0];
  if (row === undefined) {
    await verifyPassword(await dummy(), password);
    return null;
  }
  const ok = await verifyPassword(row.password_hash, password);
  return ok && !row.disabled ? toSessionUser(row) : null;
};
