/** Test helpers for the server: a tiny database from the store's fixture, logins, cookies. Not part of the build. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, writeCsvDir } from '../../store-duckdb/src/test-support.js';
import { createUser } from './operational/users.js';

export const PASSWORD = 'correct horse battery';

/** Builds the store's four-person fixture database in a new temporary folder. */
export const buildFixtureDatabase = async (): Promise<{ dir: string; file: string; remove: () => void }> => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-server-'));
  const csvDir = writeCsvDir(dir, VALID_FILES);
  const file = join(dir, 'fixture.duckdb');
  await buildDatabase({ outFile: file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Accounts for every role (neighbourhood bound to leeds-1, which holds persons 1 and 3). */
export const seedRoleAccounts = async (app: FastifyInstance): Promise<void> => {
  const ops = app.openphm.ops;
  await createUser(ops, { email: 'analyst@test', displayName: 'Analyst', password: PASSWORD, role: 'analyst' });
  await createUser(ops, { email: 'leeds@test', displayName: 'Leeds team', password: PASSWORD, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
  await createUser(ops, { email: 'admin@test', displayName: 'Admin', password: PASSWORD, role: 'admin' });
};

export const ROLE_EMAIL = { analyst: 'analyst@test', neighbourhood: 'leeds@test', admin: 'admin@test' } as const;

export const cookieOf = (response: LightMyRequestResponse): string => {
  const set = response.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  if (!first) throw new Error(`no cookie set (status ${response.statusCode}: ${response.body})`);
  return first.split(';')[0]!;
};

/** Logs in and returns the Cookie header value. */
export const login = async (app: FastifyInstance, email: string, password = PASSWORD): Promise<string> => {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login as ${email} failed: ${response.statusCode} ${response.body}`);
  return cookieOf(response);
};
