/**
 * Single sign-on end to end against a real OpenID provider (oidc-provider, certified) started here:
 * the browser's part is played by fetch with a cookie jar, following redirects and submitting the
 * provider's log-in form. No mocks: discovery, the authorization code flow with PKCE, state and
 * nonce, the token and userinfo endpoints are the provider's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../operational/audit.js';
import { PASSWORD, buildFixtureDatabase, login } from '../test-support.js';
import { createServer } from '../server.js';
import { freePort, startTestProvider, type TestAccountClaims, type TestProvider } from '../test-oidc-provider.js';
import { createUser } from '../operational/users.js';

/** The test's identities at the provider (the login name is the subject). */
const IDENTITIES: Record<string, TestAccountClaims> = {
  ann: { email: 'ann@nhs.test', name: 'Ann Analyst', roles: ['PHM Analyst', 'Some Other App'] },
  nell: { email: 'nell@nhs.test', name: 'Nell Team', roles: 'PHM Neighbourhood', neighbourhood: 'leeds-1' },
  ned: { email: 'ned@nhs.test', name: 'Ned Nowhere', roles: 'PHM Neighbourhood', neighbourhood: 'atlantis-9' },
  nobody: { email: 'nobody@nhs.test', name: 'No Role', roles: ['Some Other App'] },
  both: { email: 'both@nhs.test', roles: ['PHM Analyst', 'PHM Admin'] },
  clash: { email: 'analyst@local.test', roles: ['PHM Analyst'] },
  mutable: { email: 'mutable@nhs.test', roles: ['PHM Analyst'] },
};

/** A browser, as far as cookies and redirects go: one jar for every host on 127.0.0.1 (cookies do not keep ports apart). */
const browser = () => {
  const jar = new Map<string, string>();
  const take = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair, ...attributes] = c.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value.join('=') === '') jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const r = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookie() } });
    take(r);
    return r;
  };
  /** Follows redirects from `url`, submitting the provider's log-in form as `loginName`, until a response that is not a redirect to a server (the app's page). */
  const signIn = async (start: string, loginName: string, stopAt: (url: string) => boolean = () => false): Promise<{ url: string; response: Response }> => {
    let url = start;
    for (let hops = 0; hops < 20; hops++) {
      if (stopAt(url)) return { url, response: new Response(null) };
      const r = await go(url);
      if (r.status >= 300 && r.status < 400) {
        url = new URL(r.headers.get('location')!, url).href;
        if (url.includes('/#/')) return { url, response: r };
        continue;
      }
      const html = await r.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (r.status !== 200 || action === undefined) throw new Error(`unexpected page at ${url}: ${r.status} ${html.slice(0, 300)}`);
      const form = new URLSearchParams({ prompt: 'login', login: loginName, password: 'any password' });
      const posted = await go(new URL(action.replace(/&amp;/g, '&'), url).href, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      url = new URL(posted.headers.get('location')!, url).href;
    }
    throw new Error('too many redirects');
  };
  return { jar, go, signIn, cookie };
};

describe('single sign-on with OpenID Connect against a real provider', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let provider: TestProvider;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = await startTestProvider([`${base}/api/auth/oidc/callback`], IDENTITIES);
    app = await createServer({
      duckdbFile: fixture.file,
      webDir: false,
      signIn: {
        oidc: {
          issuer: provider.issuer,
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          redirectUrl: `${base}/api/auth/oidc/callback`,
          scopes: 'openid email profile roles',
          roleMap: { 'PHM Analyst': 'analyst', 'PHM Neighbourhood': 'neighbourhood', 'PHM Admin': 'admin' },
          label: 'Sign in with the test provider',
        },
      },
    });
    await app.listen({ port, host: '127.0.0.1' });
    await createUser(app.openphm.ops, { email: 'analyst@local.test', displayName: 'Local', password: PASSWORD, role: 'analyst' });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    fixture?.remove();
  });

  const me = (b: ReturnType<typeof browser>) => b.go(`${base}/api/auth/me`).then((r) => r.json());
  const lastSso = async () => (await listAudit(app.openphm.ops, { limit: 1, offset: 0, action: 'auth.sso' })).rows[0];

  it('the log-in page learns that single sign-on is offered', async () => {
    expect(await (await fetch(`${base}/api/auth/methods`)).json()).toEqual({ local: true, singleSignOn: { label: 'Sign in with the test provider' }, totpRequired: false });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const b = browser();
    const r = await b.go(`${base}/api/auth/oidc/login`);
    expect(r.status).toBe(302);
    const to = new URL(r.headers.get('location')!);
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ response_type: 'code', client_id: 'openphm', redirect_uri: `${base}/api/auth/oidc/callback`, code_challenge_method: 'S256', scope: 'openid email profile roles' });
    for (const p of ['code_challenge', 'state', 'nonce']) expect(to.searchParams.get(p)).toMatch(/^[\w-]{22,}$/);
    expect(r.headers.getSetCookie().join()).toMatch(/phm_oidc=.*HttpOnly.*SameSite=Lax/);
  });

  it('an analyst signs in at the provider and lands in the app signed in with the mapped role', async () => {
    const b = browser();
    const { url } = await b.signIn(`${base}/api/auth/oidc/login`, 'ann');
    expect(url).toBe(`${base}/#/dashboard`);
    expect(await me(b)).toMatchObject({ role: 'analyst', user: { email: 'ann@nhs.test', displayName: 'Ann Analyst', role: 'analyst', neighbourhoodId: null } });
    expect((await b.go(`${base}/api/people/1`)).status).toBe(200);
    expect(b.jar.has('phm_oidc')).toBe(false);
    expect(await lastSso()).toMatchObject({ userEmail: 'ann@nhs.test', role: 'analyst', outcome: 'granted', detail: "role analyst from the provider's claims" });
    // The account is kept as a single sign-on account: its role is the provider's, not an admin's to change.
    const admin = await createUser(app.openphm.ops, { email: 'sso-admin@test', displayName: 'A', password: PASSWORD, role: 'admin' });
    const cookie = await login(app, 'sso-admin@test');
    const accounts = (await app.inject({ url: '/api/admin/users', headers: { cookie } })).json().accounts as { id: number; email: string; signIn: string }[];
    const ann = accounts.find((a) => a.email === 'ann@nhs.test')!;
    expect(ann.signIn).toBe('single-sign-on');
    expect((await app.inject({ method: 'PUT', url: `/api/admin/users/${ann.id}/role`, payload: { role: 'board' }, headers: { cookie } })).statusCode).toBe(409);
    expect(admin.id).toBeGreaterThan(0);
  });

  it('a neighbourhood team member gets their neighbourhood from the claims', async () => {
    const b = browser();
    await b.signIn(`${base}/api/auth/oidc/login`, 'nell');
    expect(await me(b)).toMatchObject({ role: 'neighbourhood', user: { neighbourhoodId: 'leeds-1' } });
    expect((await b.go(`${base}/api/people/1`)).status).toBe(200);
    expect((await b.go(`${base}/api/people/2`)).status).toBe(403);
  });

  it.each([
    ['nobody', 'no role mapped from claim roles (Some Other App)'],
    ['both', 'claim roles maps to more than one role (analyst, admin): assign one'],
    ['ned', "no neighbourhood 'atlantis-9' in this database"],
    ['clash', 'the email analyst@local.test belongs to another account'],
  ])('%s gets no access, and it is audited', async (who, problem) => {
    const b = browser();
    const { url } = await b.signIn(`${base}/api/auth/oidc/login`, who);
    expect(url).toBe(`${base}/#/login?sso=no-access`);
    expect(await me(b)).toEqual({ user: null, role: 'public' });
    expect(await lastSso()).toMatchObject({ userEmail: IDENTITIES[who]!.email, role: 'public', outcome: 'denied', status: 403, detail: `no access: ${problem}` });
  });

  it('a user whose role is taken away at the provider loses access at the next sign-in, sessions included', async () => {
    const b = browser();
    await b.signIn(`${base}/api/auth/oidc/login`, 'mutable');
    expect((await me(b)).role).toBe('analyst');
    const old = b.cookie();
    IDENTITIES.mutable = { email: 'mutable@nhs.test', roles: [] };
    const again = browser();
    expect((await again.signIn(`${base}/api/auth/oidc/login`, 'mutable')).url).toBe(`${base}/#/login?sso=no-access`);
    expect((await (await fetch(`${base}/api/auth/me`, { headers: { cookie: old } })).json()).role).toBe('public');
  });

  it('refuses a code returned to another sign-in (state), and a return with no sign-in in progress', async () => {
    const victim = browser();
    const attacker = browser();
    // The attacker gets a code for their own sign-in, and gets the victim's browser to return it.
    const callback = (await attacker.signIn(`${base}/api/auth/oidc/login`, 'ann', (u) => u.startsWith(`${base}/api/auth/oidc/callback`))).url;
    await victim.go(`${base}/api/auth/oidc/login`);
    const r = await victim.go(callback);
    expect(r.headers.get('location')).toBe('/#/login?sso=failed');
    expect(await lastSso()).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^provider's answer refused: .*state/) });
    const none = await browser().go(callback);
    expect(none.headers.get('location')).toBe('/#/login?sso=expired');
    expect(await me(victim)).toEqual({ user: null, role: 'public' });
  });
});
