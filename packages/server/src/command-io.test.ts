import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@openphm/core';
import { defaultOperationalDir, operationalStoreOf, sessionSecretsFromEnv, type ServeIo } from './command-io.js';
import { createUser } from './operational/users.js';
import { createServer } from './server.js';
import { buildFixtureDatabase, login, PASSWORD, type Fixture } from './test-support.js';

const io = (env: Record<string, string | undefined>): ServeIo => ({ stdout: { write: () => undefined }, stderr: { write: () => undefined }, env, cwd: '/srv/phm' });
const OLD = 'o'.repeat(32);
const NEW = 'n'.repeat(40);

describe('where a command finds the operational store', () => {
  it.each([
    // env, options → store
    [{}, { db: 'data/x.duckdb' }, { dataDir: '/srv/phm/data/x.operational' }],
    [{}, { db: 'x.duckdb', operationalDir: '/var/ops' }, { dataDir: '/var/ops' }],
    [{ PHM_DATABASE_URL: ' postgres://h/db ' }, { db: 'x.duckdb' }, { url: 'postgres://h/db' }],
    [{ PHM_DATABASE_URL: 'postgres://h/db', PHM_DATABASE_SCHEMA: 'phm' }, { db: 'x.duckdb' }, { url: 'postgres://h/db', schema: 'phm' }],
  ])('%j %j → %j', (env, options, store) => {
    expect(operationalStoreOf(io(env), options)).toEqual(store);
  });

  it('names the PGlite folder after the database', () => {
    expect(defaultOperationalDir('a/b.duckdb')).toBe('a/b.operational');
    expect(defaultOperationalDir('a/b.DUCKDB')).toBe('a/b.operational');
  });
});

describe('session secrets (PHM_SESSION_SECRET)', () => {
  it.each([
    [undefined, undefined],
    ['  ', undefined],
    [OLD, [OLD]],
    [`${NEW}, ${OLD}`, [NEW, OLD]],
  ])('%j → %j', (value, secrets) => {
    expect(sessionSecretsFromEnv({ PHM_SESSION_SECRET: value })).toEqual(secrets);
  });

  it.each([
    ['short', 'PHM_SESSION_SECRET: secret 1 of 1 is 5 characters; each must be at least 32'],
    [`${NEW},`, 'PHM_SESSION_SECRET: secret 2 of 2 is 0 characters; each must be at least 32'],
  ])('refuses %j', (value, message) => {
    const error = (() => {
      try {
        return sessionSecretsFromEnv({ PHM_SESSION_SECRET: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('usage');
    expect((error as Error).message).toContain(message);
  });

  describe('across restarts of the server on one store', () => {
    let fixture: Fixture;
    let dir: string;
    beforeAll(async () => {
      fixture = await buildFixtureDatabase();
      dir = mkdtempSync(join(tmpdir(), 'phm-secrets-'));
    });
    afterAll(() => {
      fixture?.remove();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Starts a server with these secrets, asks who the cookie's user is, stops it. */
    const whoIs = async (secrets: string[], cookie: string): Promise<string> => {
      const app = await createServer({ duckdbFile: fixture.file, webDir: false, operational: { dataDir: join(dir, 'ops') }, sessionSecret: secrets });
      try {
        const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
        return me.json().role;
      } finally {
        await app.close();
      }
    };

    it('keeps sessions signed with the old secret while rotating (new,old), and ends them once it is dropped', async () => {
      const app = await createServer({ duckdbFile: fixture.file, webDir: false, operational: { dataDir: join(dir, 'ops') }, sessionSecret: [OLD] });
      let cookie: string;
      try {
        await createUser(app.openphm.ops, { email: 'analyst@test', displayName: 'Analyst', password: PASSWORD, role: 'analyst' });
        cookie = await login(app, 'analyst@test');
      } finally {
        await app.close();
      }
      expect(await whoIs([OLD], cookie)).toBe('analyst');
      expect(await whoIs([NEW, OLD], cookie)).toBe('analyst');
      expect(await whoIs([NEW], cookie)).toBe('public');
    });
  });
});
