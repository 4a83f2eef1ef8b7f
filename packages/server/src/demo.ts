/** Demo accounts for `phm demo` (documented in docs/security.md): seeded only into an empty store. */
import { randomBytes } from 'node:crypto';
import type { PhmData } from './data/phm-data.js';
import type { OperationalDb } from './operational/db.js';
import { countUsers, createUser } from './operational/users.js';
import type { AccountRole } from './roles.js';

/** The documented password of the demo accounts (synthetic data only; the server listens on 127.0.0.1 by default). */
export const DEMO_PASSWORD = 'openphm-demo';

export interface SeededAccount {
  readonly email: string;
  readonly role: AccountRole;
  readonly neighbourhoodId: string | null;
  readonly password: string;
}

/** The neighbourhood the demo neighbourhood account is bound to: the first of Leeds, else the first of all. */
export const demoNeighbourhood = async (data: PhmData): Promise<string | null> => {
  const rows = await data.query<{ id: string }>(
    `SELECT neighbourhood_id AS id FROM geo_neighbourhood ORDER BY (place = 'leeds') DESC, neighbourhood_id LIMIT 1`,
  );
  return rows[0]?.id ?? null;
};

/** Creates analyst@demo, neighbourhood@demo and admin@demo when the store has no accounts yet. */
export const seedDemoAccounts = async (ops: OperationalDb, data: PhmData, password = DEMO_PASSWORD): Promise<SeededAccount[]> => {
  if ((await countUsers(ops)) > 0) return [];
  const neighbourhoodId = await demoNeighbourhood(data);
  const accounts: SeededAccount[] = [
    { email: 'analyst@demo', role: 'analyst', neighbourhoodId: null, password },
    ...(neighbourhoodId ? [{ email: 'neighbourhood@demo', role: 'neighbourhood' as const, neighbourhoodId, password }] : []),
    { email: 'admin@demo', role: 'admin', neighbourhoodId: null, password },
  ];
  for (const a of accounts) {
    await createUser(ops, { email: a.email, displayName: `Demo ${a.role}`, password: a.password, role: a.role, neighbourhoodId: a.neighbourhoodId });
  }
  return accounts;
};

/** On a store with no accounts at all (and no demo accounts), creates admin@local with a random password to be shown once. */
export const ensureInitialAdmin = async (ops: OperationalDb): Promise<SeededAccount | null> => {
  if ((await countUsers(ops)) > 0) return null;
  const password = randomBytes(12).toString('base64url');
  await createUser(ops, { email: 'admin@local', displayName: 'Administrator', password, role: 'admin' });
  return { email: 'admin@local', role: 'admin', neighbourhoodId: null, password };
};
