/**
 * Accounts and local sign-in through the API (issue 13): separation of duties (the scenario "one
 * admin can grant themself person-level access" fails), the password check, throttling with the
 * scenario "200 wrong passwords in 4 seconds" (lock-out; the right password refused until an admin
 * lifts it), and TOTP (set up, required at log-in, codes used once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../operational/audit.js';
import { createUser } from '../operational/users.js';
import { totpCode } from '../data/totp.js';
import { PASSWORD, buildFixtureDatabase, cookieOf, login, startSignedInServer, type SignedInServer } from '../test-support.js';
import { createServer } from '../server.js';

const inject = (app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, cookie?: string, payload?: object, remoteAddress?: string) =>
  app.inject({ method, url, ...(payload ? { payload } : {}), headers: cookie ? { cookie } : {}, ...(remoteAddress ? { remoteAddress } : {}) });

const auditSince = async (app: FastifyInstance, since: number) => (await listAudit(app.openphm.ops, { limit: 1000, offset: 0 })).rows.filter((r) => r.id > since).reverse();
const lastAuditId = async (app: FastifyInstance) => (await listAudit(app.openphm.ops, { limit: 1, offset: 0 })).rows[0]?.id ?? 0;

describe('accounts and sign-in', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let server: SignedInServer;
  let app: FastifyInstance;
  let adminB: string;

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    server = await startSignedInServer(fixture.file);
    app = server.app;
    await createUser(app.openphm.ops, { email: 'admin-b@test', displayName: 'Second admin', password: PASSWORD, role: 'admin' });
    adminB = await login(app, 'admin-b@test');
  });
  afterAll(async () => {
    await app?.close();
    fixture?.remove();
  });

  const newAccount = (email: string, role: string, extra: object = {}) => ({ email, displayName: email, password: 'a long enough password', role, ...extra });

  describe('separation of duties', () => {
    it('one admin cannot grant themself person-level access: the account waits for a second admin, who alone can approve it', async () => {
      const since = await lastAuditId(app);
      // The scenario from issue 13: create an analyst account, log in, read records.
      const created = await server.as('admin', 'POST', '/api/admin/users', newAccount('mole@test', 'analyst'));
      expect(created.statusCode).toBe(202);
      const request = created.json().request;
      expect(request).toMatchObject({ status: 'pending', email: 'mole@test', role: 'analyst', requestedByEmail: 'admin@test' });
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'mole@test', password: 'a long enough password' })).statusCode).toBe(401);
      // The admin who asked cannot approve it…
      const own = await server.as('admin', 'POST', `/api/admin/requests/${request.id}/approve`);
      expect(own.statusCode).toBe(403);
      expect(own.json().error.message).toMatch(/another admin must approve/);
      // …nor make a second admin to approve it, nor make themself an analyst.
      const sock = await server.as('admin', 'POST', '/api/admin/users', newAccount('sock@test', 'admin'));
      expect(sock.statusCode).toBe(202);
      const me = (await server.as('admin', 'GET', '/api/admin/users')).json().accounts.find((a: { email: string }) => a.email === 'admin@test');
      const self = await server.as('admin', 'PUT', `/api/admin/users/${me.id}/role`, { role: 'analyst' });
      expect(self.statusCode).toBe(202);
      expect((await server.as('admin', 'POST', `/api/admin/requests/${self.json().request.id}/approve`)).statusCode).toBe(403);
      // Nor read a record meanwhile.
      expect((await server.as('admin', 'GET', '/api/people/1')).statusCode).toBe(403);
      expect((await login(app, 'admin@test').then((c) => inject(app, 'GET', '/api/auth/me', c))).json().role).toBe('admin');
      // The admin withdraws what they asked for themself; the second admin rejects the sock puppet.
      expect((await server.as('admin', 'POST', `/api/admin/requests/${self.json().request.id}/reject`, {})).json()).toMatchObject({ status: 'withdrawn' });
      const rejected = await inject(app, 'POST', `/api/admin/requests/${sock.json().request.id}/reject`, adminB, { reason: 'not a person we know' });
      expect(rejected.json()).toMatchObject({ status: 'rejected', decidedByEmail: 'admin-b@test', reason: 'not a person we know' });
      // A second admin approves the analyst: only now can it log in and read records.
      const approved = await inject(app, 'POST', `/api/admin/requests/${request.id}/approve`, adminB);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', decidedByEmail: 'admin-b@test' });
      expect((await inject(app, 'POST', `/api/admin/requests/${request.id}/approve`, adminB)).statusCode).toBe(409);
      const mole = await login(app, 'mole@test', 'a long enough password');
      expect((await inject(app, 'GET', '/api/people/1', mole)).statusCode).toBe(200);

      const rows = await auditSince(app, since);
      const pick = (action: string) => rows.filter((r) => r.action === action).map((r) => [r.userEmail, r.outcome, r.status, r.resource, r.detail]);
      expect(pick('user.create')).toEqual([
        ['admin@test', 'granted', 202, null, `requested mole@test as analyst: request ${request.id} awaits a second admin`],
        ['admin@test', 'granted', 202, null, `requested sock@test as admin: request ${sock.json().request.id} awaits a second admin`],
      ]);
      expect(pick('user.approve')).toEqual([
        ['admin@test', 'denied', 403, `request:${request.id}`, 'you made this request: another admin must approve it'],
        ['admin@test', 'denied', 403, `request:${self.json().request.id}`, 'you made this request: another admin must approve it'],
        ['admin-b@test', 'granted', 200, `request:${request.id}`, `approved request ${request.id} by admin@test: created mole@test (analyst)`],
        ['admin-b@test', 'failed', 409, `request:${request.id}`, 'changed since it was read'],
      ]);
      expect(pick('user.role')).toEqual([['admin@test', 'granted', 202, `user:${me.id}`, `requested admin@test: admin → analyst; request ${self.json().request.id} awaits a second admin`]]);
      expect(pick('user.reject').map((r) => r[4])).toEqual([
        `withdrawn request ${self.json().request.id} by admin@test (admin@test as analyst)`,
        `rejected request ${sock.json().request.id} by admin@test (sock@test as admin): not a person we know`,
      ]);
    });

    it('roles without person-level rows are granted at once; neighbourhood grants need approval and a real neighbourhood', async () => {
      const board = await server.as('admin', 'POST', '/api/admin/users', newAccount('reader@test', 'board'));
      expect(board.statusCode).toBe(201);
      expect(board.json().account).toMatchObject({ email: 'reader@test', role: 'board', signIn: 'local', disabled: false, totp: false, locked: false });
      const id = board.json().account.id;
      expect((await server.as('admin', 'PUT', `/api/admin/users/${id}/role`, { role: 'programme' })).json()).toMatchObject({ status: 'changed', account: { role: 'programme' } });
      expect((await server.as('admin', 'PUT', `/api/admin/users/${id}/role`, { role: 'programme' })).statusCode).toBe(409);
      expect((await server.as('admin', 'PUT', `/api/admin/users/${id}/role`, { role: 'neighbourhood', neighbourhoodId: 'nowhere' })).statusCode).toBe(404);
      const team = await server.as('admin', 'PUT', `/api/admin/users/${id}/role`, { role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
      expect(team.statusCode).toBe(202);
      // One request at a time per account.
      expect((await server.as('admin', 'PUT', `/api/admin/users/${id}/role`, { role: 'analyst' })).statusCode).toBe(409);
      expect((await inject(app, 'POST', `/api/admin/requests/${team.json().request.id}/approve`, adminB)).json()).toMatchObject({ status: 'approved' });
      const view = (await server.as('admin', 'GET', '/api/admin/users')).json();
      expect(view.accounts.find((a: { id: number }) => a.id === id)).toMatchObject({ role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
      expect(view.requests.find((r: { id: number }) => r.id === team.json().request.id)).toMatchObject({ kind: 'change-role', status: 'approved' });
    });

    it('disabling ends the sessions at once; an admin cannot disable themself', async () => {
      const cookie = await login(app, 'board@test');
      const accounts = (await server.as('admin', 'GET', '/api/admin/users')).json().accounts as { id: number; email: string }[];
      const board = accounts.find((a) => a.email === 'board@test')!;
      const admin = accounts.find((a) => a.email === 'admin@test')!;
      expect((await server.as('admin', 'PATCH', `/api/admin/users/${board.id}`, { disabled: true })).json()).toMatchObject({ disabled: true });
      expect((await inject(app, 'GET', '/api/auth/me', cookie)).json().role).toBe('public');
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'board@test', password: PASSWORD })).statusCode).toBe(401);
      expect((await server.as('admin', 'PATCH', `/api/admin/users/${board.id}`, { disabled: false })).json()).toMatchObject({ disabled: false });
      await login(app, 'board@test');
      expect((await server.as('admin', 'PATCH', `/api/admin/users/${admin.id}`, { disabled: true })).statusCode).toBe(409);
    });

    it('refuses common and repetitive passwords, naming why', async () => {
      for (const [password, why] of [
        ['aaaaaaaaaa', /repeats too few different characters/],
        ['password123!', /most common passwords/],
        ['qwertyuiop', /most common passwords/],
        ['abcdabcdabcd', /repeated pattern/],
      ] as const) {
        const r = await server.as('admin', 'POST', '/api/admin/users', { ...newAccount('weak@test', 'admin'), password });
        expect(r.statusCode, password).toBe(400);
        expect(r.json().error.message).toMatch(why);
      }
    });

    it('a new store: its first admin may add a second admin directly, and no more', async () => {
      const solo = await createServer({ duckdbFile: fixture.file, webDir: false });
      try {
        // The first start's admin (admin@local, its password shown once).
        const first = solo.openphm.seededAccounts[0]!;
        const cookie = await login(solo, first.email, first.password);
        const second = await inject(solo, 'POST', '/api/admin/users', cookie, newAccount('second@test', 'admin'));
        expect(second.statusCode).toBe(201);
        expect((await inject(solo, 'POST', '/api/admin/users', cookie, newAccount('third@test', 'admin'))).statusCode).toBe(202);
        expect((await inject(solo, 'POST', '/api/admin/users', cookie, newAccount('analyst@test', 'analyst'))).statusCode).toBe(202);
        const rows = await auditSince(solo, 0);
        expect(rows.find((r) => r.action === 'user.create')?.detail).toBe('created second@test (admin): the second admin of a new store, without approval');
      } finally {
        await solo.close();
      }
    });
  });

  describe('throttling', () => {
    it('200 wrong passwords in a few seconds: backed off, then locked; the right password fails until an admin lifts the lock-out', async () => {
      const since = await lastAuditId(app);
      const started = Date.now();
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const rs = await Promise.all(Array.from({ length: 20 }, () => inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: 'wrong password' })));
        statuses.push(...rs.map((r) => r.statusCode));
      }
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(statuses).toHaveLength(200);
      // At most the three free attempts and the ones let through after a wait were checked; every other was refused unchecked.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(196);
      // The right password no longer works.
      const right = await inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: PASSWORD });
      expect(right.statusCode).toBe(429);
      expect(right.json().error.message).toMatch(/locked until an administrator lifts the lock-out/);
      // From another address too (the account is locked), while this address is locked for every account.
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: PASSWORD }, '192.0.2.10')).statusCode).toBe(429);
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'leeds@test', password: PASSWORD })).json().error.message).toMatch(/from your address/);

      const view = (await server.as('admin', 'GET', '/api/admin/users')).json();
      expect(view.accounts.find((a: { email: string }) => a.email === 'analyst@test').locked).toBe(true);
      const locks = view.lockouts as { id: number; kind: string; key: string }[];
      expect(locks.map((l) => `${l.kind}:${l.key}`).sort()).toEqual(['account:analyst@test', 'address:127.0.0.1']);
      // Only admins lift them.
      expect((await server.as('analyst', 'POST', `/api/admin/lockouts/${locks[0]!.id}/lift`)).statusCode).toBe(403);
      const account = locks.find((l) => l.kind === 'account')!;
      const address = locks.find((l) => l.kind === 'address')!;
      expect((await server.as('admin', 'POST', `/api/admin/lockouts/${account.id}/lift`)).json()).toEqual({ kind: 'account', key: 'analyst@test' });
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: PASSWORD }, '192.0.2.10')).statusCode).toBe(200);
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: PASSWORD })).statusCode).toBe(429);
      expect((await server.as('admin', 'POST', `/api/admin/lockouts/${address.id}/lift`)).statusCode).toBe(200);
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'analyst@test', password: PASSWORD })).statusCode).toBe(200);

      const rows = await auditSince(app, since);
      const logins = rows.filter((r) => r.action === 'auth.login' && r.userEmail === 'analyst@test');
      expect(logins.filter((r) => r.outcome === 'denied')).toHaveLength(203);
      expect(logins.filter((r) => r.outcome === 'granted')).toHaveLength(2);
      expect(rows.filter((r) => r.action === 'auth.lockout').map((r) => r.resource).sort()).toEqual(['account:analyst@test', 'address:127.0.0.1']);
      expect(rows.filter((r) => r.action === 'auth.unlock').map((r) => [r.userEmail, r.detail])).toEqual([
        ['admin@test', 'lifted the lock-out of account analyst@test'],
        ['admin@test', 'lifted the lock-out of address 127.0.0.1'],
      ]);
    });

    it('a throttled attempt says when to try again', async () => {
      for (let i = 0; i < 3; i++) expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'programme@test', password: 'wrong password' }, '192.0.2.20')).statusCode).toBe(401);
      const r = await inject(app, 'POST', '/api/auth/login', undefined, { email: 'programme@test', password: PASSWORD }, '192.0.2.20');
      expect(r.statusCode).toBe(429);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json().error).toMatchObject({ kind: 'rate-limited', message: 'too many failed log-ins: try again in 1 second' });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { email: 'programme@test', password: PASSWORD }, '192.0.2.20')).statusCode).toBe(200);
    });
  });

  describe('TOTP', () => {
    it('an analyst sets it up; then log-ins need a code, each code once; an admin resets it', async () => {
      const cookie = await login(app, 'mole@test', 'a long enough password');
      const setup = await inject(app, 'POST', '/api/auth/totp', cookie);
      expect(setup.statusCode).toBe(200);
      const { secret, otpauthUrl, qrCode } = setup.json();
      expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/OpenPHM:mole%40test\?issuer=OpenPHM&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/);
      expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
      expect((await inject(app, 'POST', '/api/auth/totp/confirm', cookie, { code: '000000' === totpCode(secret) ? '111111' : '000000' })).statusCode).toBe(400);
      expect((await inject(app, 'POST', '/api/auth/totp/confirm', cookie, { code: totpCode(secret) })).json()).toEqual({ totp: true });
      expect((await inject(app, 'POST', '/api/auth/totp', cookie)).statusCode).toBe(409);

      const creds = { email: 'mole@test', password: 'a long enough password' };
      const noCode = await inject(app, 'POST', '/api/auth/login', undefined, creds);
      expect(noCode.json()).toEqual({ user: null, role: 'public', next: 'totp' });
      expect(noCode.headers['set-cookie']).toBeUndefined();
      const next = totpCode(secret, Date.now() + 30_000);
      const ok = await inject(app, 'POST', '/api/auth/login', undefined, { ...creds, totp: next });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().role).toBe('analyst');
      cookieOf(ok);
      // The same code again is a replay; the code of an earlier step is too old now.
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { ...creds, totp: next })).statusCode).toBe(401);
      expect((await inject(app, 'POST', '/api/auth/login', undefined, { ...creds, totp: totpCode(secret) })).statusCode).toBe(401);

      const id = (await server.as('admin', 'GET', '/api/admin/users')).json().accounts.find((a: { email: string }) => a.email === 'mole@test').id;
      expect((await server.as('admin', 'POST', `/api/admin/users/${id}/totp-reset`)).json()).toMatchObject({ totp: false });
      expect((await inject(app, 'POST', '/api/auth/login', undefined, creds, '192.0.2.30')).statusCode).toBe(200);
    });

    it('required (PHM_TOTP_REQUIRED): a person-level account sets it up at its first log-in; other roles are not asked', async () => {
      const strict = await createServer({ duckdbFile: fixture.file, webDir: false, signIn: { totpRequired: true } });
      try {
        await createUser(strict.openphm.ops, { email: 'team@test', displayName: 'Team', password: PASSWORD, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
        await createUser(strict.openphm.ops, { email: 'lead@test', displayName: 'Lead', password: PASSWORD, role: 'programme' });
        expect((await inject(strict, 'GET', '/api/auth/methods')).json()).toEqual({ local: true, singleSignOn: null, totpRequired: true });
        const first = await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'team@test', password: PASSWORD });
        expect(first.json()).toMatchObject({ user: null, role: 'public', next: 'totp-enrolment', enrolment: { secret: expect.any(String) } });
        const secret = first.json().enrolment.secret as string;
        // Asked again, the same secret (the QR code already scanned stays good).
        expect((await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'team@test', password: PASSWORD })).json().enrolment.secret).toBe(secret);
        expect((await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'team@test', password: PASSWORD, totp: totpCode(secret) === '123456' ? '654321' : '123456' })).statusCode).toBe(401);
        const done = await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'team@test', password: PASSWORD, totp: totpCode(secret) });
        expect(done.json()).toMatchObject({ role: 'neighbourhood', user: { neighbourhoodId: 'leeds-1' } });
        expect((await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'team@test', password: PASSWORD })).json().next).toBe('totp');
        expect((await inject(strict, 'POST', '/api/auth/login', undefined, { email: 'lead@test', password: PASSWORD })).json().role).toBe('programme');
        const rows = await auditSince(strict, 0);
        expect(rows.find((r) => r.action === 'auth.totp-enrol')).toMatchObject({ userEmail: 'team@test', outcome: 'granted', detail: 'TOTP set up at log-in (required)' });
      } finally {
        await strict.close();
      }
    });
  });
});
