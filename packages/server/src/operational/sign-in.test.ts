/**
 * The sign-in tables on both back ends: log-in throttling (parallel attempts cannot slip past the
 * back-off; lock-outs and lifting them), single sign-on accounts, TOTP steps used once, and role
 * requests decided once by someone other than who asked.
 */
import { describe, expect, it } from 'vitest';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';
import { claimAttempt, liftLockout, listLockouts, lockIfDue, settleAttempt, waitAfter, type ThrottleRule } from './login-throttle.js';
import { createRoleRequest, decideRoleRequest, listRoleRequests, lockPendingRequest, pendingRequestFor } from './role-requests.js';
import { confirmTotp, createUser, listAccounts, setTotpPending, upsertOidcUser, useTotpStep } from './users.js';

const RULE: ThrottleRule = { free: 3, baseMs: 1000, capMs: 60_000, lockAfter: 10, windowMs: 3_600_000 };

describe.each(TEST_BACKENDS)('sign-in tables on $name', (backend) => {
  const db = useTestDb(backend, 'phm_signin');

  it('waits twice as long after each failure past the free ones, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 12].map((f) => waitAfter(RULE, f))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 60_000]);
  });

  it('counts parallel attempts as they start, so the back-off holds; locks at the limit; an admin lifts it', async () => {
    const t0 = new Date('2026-12-01T10:00:00Z');
    const claims = await Promise.all(Array.from({ length: 30 }, () => claimAttempt(db, 'account', 'a@test', RULE, t0)));
    const verdicts = claims.map((c) => c.verdict);
    // Three go ahead; the rest come too soon and are counted, and the tenth attempt locks the key.
    expect(verdicts.filter((v) => v === 'proceed')).toHaveLength(3);
    expect(verdicts.filter((v) => v === 'wait')).toHaveLength(6);
    expect(verdicts.filter((v) => v === 'locked')).toHaveLength(21);
    expect(claims.filter((c) => c.verdict === 'locked' && c.lockedNow)).toHaveLength(1);
    // Locked: even much later.
    expect((await claimAttempt(db, 'account', 'a@test', RULE, new Date('2026-12-09T10:00:00Z'))).verdict).toBe('locked');
    const [lock] = await listLockouts(db);
    expect(lock).toMatchObject({ kind: 'account', key: 'a@test', failures: 10 });
    expect(await liftLockout(db, lock!.id)).toEqual({ kind: 'account', key: 'a@test' });
    expect(await liftLockout(db, lock!.id)).toBeNull();
    expect((await claimAttempt(db, 'account', 'a@test', RULE, new Date('2026-12-09T10:00:01Z'))).verdict).toBe('proceed');
  });

  it('lets an attempt through once the wait is over; forgets failures after the window; a success clears an account', async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 9, 0, s));
    for (let i = 0; i < 3; i++) expect((await claimAttempt(db, 'account', 'b@test', RULE, at(0))).verdict).toBe('proceed');
    expect(await claimAttempt(db, 'account', 'b@test', RULE, at(0))).toEqual({ verdict: 'wait', retryAfterMs: 1000 });
    // Four failures counted: the next must wait 2 s from the last.
    expect(await claimAttempt(db, 'account', 'b@test', RULE, at(1))).toEqual({ verdict: 'wait', retryAfterMs: 1000 });
    expect((await claimAttempt(db, 'account', 'b@test', RULE, at(5))).verdict).toBe('proceed');
    expect(await lockIfDue(db, 'account', 'b@test', RULE, at(5))).toBe(false);
    await settleAttempt(db, 'account', 'b@test');
    expect((await claimAttempt(db, 'account', 'b@test', RULE, at(5))).verdict).toBe('proceed');
    // An address gives back only the attempt that succeeded.
    for (let i = 0; i < 3; i++) await claimAttempt(db, 'address', '192.0.2.1', RULE, at(0));
    await settleAttempt(db, 'address', '192.0.2.1');
    expect(await claimAttempt(db, 'address', '192.0.2.1', RULE, at(0))).toMatchObject({ verdict: 'proceed' });
    expect(await claimAttempt(db, 'address', '192.0.2.1', RULE, at(0))).toMatchObject({ verdict: 'wait' });
    // Two hours later the failures are forgotten.
    expect((await claimAttempt(db, 'address', '192.0.2.1', RULE, new Date(at(0).getTime() + 7_200_000))).verdict).toBe('proceed');
  });

  it('keeps single sign-on accounts by issuer and subject, with the role their claims give at each sign-in', async () => {
    const who = { issuer: 'https://idp.test', subject: 's-1', email: 'Sso@Test', displayName: 'S', role: 'analyst' as const, neighbourhoodId: null };
    const first = await upsertOidcUser(db, who);
    expect(first).toMatchObject({ email: 'sso@test', role: 'analyst', disabled: false });
    const again = await upsertOidcUser(db, { ...who, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    expect(again).toMatchObject({ id: first.id, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    await createUser(db, { email: 'local@test', displayName: 'L', password: 'a good long password', role: 'board' });
    await expect(upsertOidcUser(db, { ...who, subject: 's-2', email: 'local@test' })).rejects.toThrow(/belongs to another account/);
    const accounts = await listAccounts(db);
    expect(accounts.find((a) => a.email === 'sso@test')).toMatchObject({ signIn: 'single-sign-on', totp: false, locked: false });
    expect(accounts.find((a) => a.email === 'local@test')).toMatchObject({ signIn: 'local' });
    // A single sign-on account has no password; a local one must have one.
    await expect(db.query(`UPDATE app_user SET password_hash = NULL WHERE email = 'local@test'`)).rejects.toThrow();
  });

  it('uses each TOTP step once', async () => {
    const u = await createUser(db, { email: 'totp@test', displayName: 'T', password: 'a good long password', role: 'analyst' });
    await setTotpPending(db, u.id, 'JBSWY3DPEHPK3PXP');
    await confirmTotp(db, u.id, 100);
    expect(await useTotpStep(db, u.id, 100)).toBe(false);
    expect(await useTotpStep(db, u.id, 101)).toBe(true);
    expect(await useTotpStep(db, u.id, 101)).toBe(false);
    expect((await listAccounts(db)).find((a) => a.id === u.id)?.totp).toBe(true);
  });

  it('decides a role request once, never by the admin who made it (the table refuses it too)', async () => {
    const a = await createUser(db, { email: 'admin-a@test', displayName: 'A', password: 'a good long password', role: 'admin' });
    const b = await createUser(db, { email: 'admin-b@test', displayName: 'B', password: 'a good long password', role: 'admin' });
    const r = await createRoleRequest(db, { kind: 'create', userId: null, email: 'new@test', displayName: 'N', passwordHash: 'h', role: 'analyst', neighbourhoodId: null, requestedBy: a.id });
    expect(r).toMatchObject({ status: 'pending', requestedByEmail: 'admin-a@test', decidedBy: null });
    expect(await pendingRequestFor(db, 'new@test', null)).toBe(r.id);
    await expect(db.query(`UPDATE role_request SET status = 'approved', decided_by = $1, decided_at = now() WHERE id = $2`, [a.id, r.id])).rejects.toThrow();
    const decided = await db.transaction(async (tx) => {
      expect((await lockPendingRequest(tx, r.id)).passwordHash).toBe('h');
      return decideRoleRequest(tx, r.id, 'approved', b.id, null);
    });
    expect(decided).toMatchObject({ status: 'approved', decidedByEmail: 'admin-b@test' });
    await expect(db.transaction((tx) => lockPendingRequest(tx, r.id))).rejects.toThrow(/approved already/);
    const [row] = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM role_request WHERE id = $1', [r.id]);
    expect(row!.password_hash).toBeNull();
    expect((await listRoleRequests(db))[0]).toMatchObject({ id: r.id, status: 'approved' });
  });
});
