/**
 * The operational store on both back ends: embedded PGlite and a real PostgreSQL server
 * (PHM_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; each run uses its own
 * schema and drops it). A missing server fails the tests with a clear message: both back ends are
 * always tested.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOperationalDb } from './db.js';
import { listAudit, writeAudit } from './audit.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { createSession, deleteExpiredSessions, deleteSession, sessionUser } from './sessions.js';
import { checkCredentials, countUsers, createUser, listUsers } from './users.js';

describe.each(TEST_BACKENDS)('operational store on $name', (backend) => {
  const db = useTestDb(backend, 'phm_test');

  it('migrates once: reopening applies nothing new', async () => {
    expect(await migrate(db)).toEqual([]);
    const versions = await db.query<{ version: number }>('SELECT version FROM schema_migration ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('stores argon2id hashes, checks credentials, refuses duplicates and weak passwords', async () => {
    expect(await countUsers(db)).toBe(0);
    const user = await createUser(db, { email: ' Analyst@Example.org', displayName: 'A', password: 'a good long password', role: 'analyst' });
    expect(user).toMatchObject({ email: 'analyst@example.org', role: 'analyst', neighbourhoodId: null });
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [user.id]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.password_hash).not.toContain('a good long password');
    expect(await checkCredentials(db, 'analyst@example.org', 'a good long password')).toMatchObject({ id: user.id });
    expect(await checkCredentials(db, 'analyst@example.org', 'wrong')).toBeNull();
    expect(await checkCredentials(db, 'nobody@example.org', 'a good long password')).toBeNull();
    await expect(createUser(db, { email: 'analyst@example.org', displayName: 'B', password: 'another long one', role: 'admin' })).rejects.toThrow(/already exists/);
    await expect(createUser(db, { email: 'short@example.org', displayName: 'B', password: 'short', role: 'admin' })).rejects.toThrow(/at least 10/);
    const n = await createUser(db, { email: 'team@example.org', displayName: 'T', password: 'team password 1', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    expect(n.neighbourhoodId).toBe('leeds-1');
    // The schema itself refuses a neighbourhood account without a neighbourhood.
    await expect(db.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('x@y', 'x', 'h', 'neighbourhood')`)).rejects.toThrow();
    expect((await listUsers(db)).map((u) => u.email)).toEqual(['analyst@example.org', 'team@example.org']);
  });

  it('keeps sessions by hash only, and ends them on logout, expiry or a disabled account', async () => {
    const [user] = await listUsers(db);
    const token = await createSession(db, user!.id);
    expect(await sessionUser(db, token)).toMatchObject({ id: user!.id });
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM app_session');
    expect(stored.some((s) => s.token_hash === token)).toBe(false);
    await deleteSession(db, token);
    expect(await sessionUser(db, token)).toBeNull();

    const expired = await createSession(db, user!.id, -1);
    expect(await sessionUser(db, expired)).toBeNull();
    await deleteExpiredSessions(db);
    expect((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM app_session'))[0]!.n).toBe(0);

    const live = await createSession(db, user!.id);
    await db.query('UPDATE app_user SET disabled = true WHERE id = $1', [user!.id]);
    expect(await sessionUser(db, live)).toBeNull();
    expect(await checkCredentials(db, user!.email, 'a good long password')).toBeNull();
    await db.query('UPDATE app_user SET disabled = false WHERE id = $1', [user!.id]);
  });

  it('appends audit events, lists them newest first with filters, and refuses changes', async () => {
    const base = { userId: 1, userEmail: 'analyst@example.org', role: 'analyst' as const, ip: '127.0.0.1', status: 200 };
    await writeAudit(db, { ...base, action: 'person.view', resource: 'person:1', outcome: 'granted' });
    await writeAudit(db, { ...base, action: 'person.view', resource: 'person:2', outcome: 'denied', status: 403, detail: 'outside' });
    await writeAudit(db, { ...base, userId: null, userEmail: null, role: 'public', action: 'GET /api/audit', resource: null, outcome: 'unauthenticated', status: 401 });
    const all = await listAudit(db, { limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => r.outcome)).toEqual(['unauthenticated', 'denied', 'granted']);
    expect(all.rows[1]).toMatchObject({ resource: 'person:2', detail: 'outside', status: 403, role: 'analyst' });
    expect(all.rows[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const denied = await listAudit(db, { limit: 10, offset: 0, outcome: 'denied' });
    expect(denied.rows.map((r) => r.resource)).toEqual(['person:2']);
    const page = await listAudit(db, { limit: 1, offset: 1, action: 'person.view', userEmail: 'ANALYST@example.org' });
    expect(page).toMatchObject({ total: 2, rows: [{ resource: 'person:1' }] });
    await expect(db.query(`UPDATE audit_event SET outcome = 'granted'`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
  });

  it('rolls a failed transaction back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('rollback@x', 'x', 'h', 'admin')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query(`SELECT id FROM app_user WHERE email = 'rollback@x'`)).toEqual([]);
  });
});

describe('the embedded store on disk', () => {
  it('keeps its folder private (0700), even one made by hand with wider permissions', async () => {
    const root = mkdtempSync(join(tmpdir(), 'phm-ops-private-'));
    try {
      for (const dataDir of [join(root, 'new', 'x.operational'), join(root, 'existing')]) {
        if (dataDir.endsWith('existing')) mkdirSync(dataDir, { mode: 0o755 });
        const db = await openOperationalDb({ dataDir });
        await db.close();
        expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
