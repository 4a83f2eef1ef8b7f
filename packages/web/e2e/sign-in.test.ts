/**
 * Browser tests of signing in and of accounts (issue 13): single sign-on through a real OpenID
 * provider (oidc-provider, certified) started here, its own log-in page and back, landing signed in
 * with the mapped role; a user the provider gives no role is turned away; an admin's person-level
 * grant waits for a second admin, who approves it on the Accounts page; a lock-out lifted there;
 * TOTP set up on My account and asked for at the next log-in. Driven by playwright-core in Debian's
 * Chromium, on the built web app (npm run build), against a small synthetic partnership.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeography } from '@openphm/reference-data';
import { createServer, createUser, DEMO_PASSWORD } from '@openphm/server';
import { buildDatabase } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';
import { freePort, startTestProvider, type TestProvider } from '../../server/src/test-oidc-provider.js';
import { totpCode } from '../../server/src/data/totp.js';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 2_000;

let dir: string;
let app: FastifyInstance;
let provider: TestProvider;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; npm test does) or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-sign-in-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'sign-in', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'sign-in.duckdb');
  await buildDatabase({
    outFile: duckdbFile,
    csvDir,
    geography,
    threads: 2,
    meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) },
  });
  rmSync(csvDir, { recursive: true, force: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider([`${base}/api/auth/oidc/callback`], {
    'ann.analyst': { email: 'ann.analyst@nhs.test', name: 'Ann Analyst', roles: ['PHM Analyst'] },
    'no.role': { email: 'no.role@nhs.test', name: 'No Role', roles: [] },
  });
  app = await createServer({
    duckdbFile,
    webDir: WEB_DIST,
    demoAccounts: true,
    signIn: {
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUrl: `${base}/api/auth/oidc/callback`,
        scopes: 'openid email profile roles',
        roleMap: { 'PHM Analyst': 'analyst' },
        label: 'Sign in with NHS test identity',
      },
    },
  });
  await app.listen({ port, host: '127.0.0.1' });
  // A second admin, as a partnership has (the demo seeds one).
  await createUser(app.openphm.ops, { email: 'admin2@demo', displayName: 'Second admin', password: DEMO_PASSWORD, role: 'admin' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await provider?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const session = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
};

const who = (page: Page) => page.locator('[data-testid=who]');
const nav = async (page: Page) => (await page.locator('nav[aria-label=Main] a').allTextContents()).map((t) => t.trim());

const logIn = async (page: Page, email: string, password = DEMO_PASSWORD) => {
  await page.goto(`${base}#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
};

/** The provider's own log-in page (oidc-provider's development form): any login name is that identity. */
const providerLogIn = async (page: Page, login: string) => {
  await page.waitForURL((u) => u.href.startsWith(provider.issuer));
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
};

describe('signing in and accounts in Chromium', () => {
  it('single sign-on: the button goes through the provider’s log-in and back, signed in with the mapped role', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/login`);
    const sso = page.getByRole('link', { name: 'Sign in with NHS test identity' });
    await sso.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'login-single-sign-on.png') });
    await sso.click();
    await providerLogIn(page, 'ann.analyst');
    await page.waitForURL(`${base}/#/dashboard`);
    await expect.poll(() => who(page).textContent(), { timeout: 15_000 }).toMatch(/Ann Analyst \(Analyst\)/);
    expect(await nav(page)).toContain('Person look-up');
    // Person-level rows, as the analyst role allows.
    const [person] = await app.openphm.data.query<{ id: number }>('SELECT person_id AS id FROM person ORDER BY person_id LIMIT 1');
    expect(await page.evaluate(async (id) => (await fetch(`/api/people/${id}`)).status, person!.id)).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('single sign-on without a mapped role: back on the log-in page, told why, not signed in', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/login`);
    await page.getByRole('link', { name: 'Sign in with NHS test identity' }).click();
    await providerLogIn(page, 'no.role');
    await page.waitForURL(`${base}/#/login?sso=no-access`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/gives you no role in OpenPHM/);
    expect(await who(page).textContent()).toMatch(/Public view/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('accounts: an admin’s analyst account waits for a second admin, who approves it; a lock-out is lifted', async () => {
    const first = await session();
    await logIn(first.page, 'admin@demo');
    await expect.poll(() => who(first.page).textContent()).toMatch(/Demo admin/);
    expect(await nav(first.page)).toContain('Accounts');
    await first.page.goto(`${base}#/accounts`);
    await first.page.getByLabel('Email').fill('new.analyst@demo');
    await first.page.getByLabel('Name').fill('New Analyst');
    await first.page.getByLabel('Password').fill('aaaaaaaaaa');
    await first.page.locator('#new-role').selectOption('analyst');
    await first.page.getByRole('button', { name: 'Ask for approval' }).click();
    await expect.poll(() => first.page.getByRole('alert').textContent()).toMatch(/repeats too few different characters/);
    await first.page.getByLabel('Password').fill('a long enough password');
    await first.page.getByRole('button', { name: 'Ask for approval' }).click();
    await expect.poll(() => first.page.locator('[data-testid=accounts-message]').textContent()).toMatch(/new.analyst@demo as Analyst waits for a second admin's approval/);
    // The admin who asked cannot approve it: no Approve button, and the API refuses.
    const pending = first.page.locator('[data-testid=pending-requests] tbody tr', { hasText: 'new.analyst@demo' });
    await expect.poll(() => pending.textContent()).toMatch(/Another admin must approve this/);
    expect(await pending.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const requestId = Number(await pending.locator('td').first().textContent());
    expect(await first.page.evaluate(async (id) => (await fetch(`/api/admin/requests/${id}/approve`, { method: 'POST' })).status, requestId)).toBe(403);

    // Meanwhile board@demo is locked out by wrong passwords.
    for (let i = 0; i < 12; i++) await first.page.evaluate(async () => fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'board@demo', password: 'not the password' }) }));

    const second = await session();
    await logIn(second.page, 'admin2@demo');
    await expect.poll(() => who(second.page).textContent()).toMatch(/Second admin/);
    await second.page.goto(`${base}#/accounts`);
    const row = second.page.locator('[data-testid=pending-requests] tbody tr', { hasText: 'new.analyst@demo' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => second.page.locator('[data-testid=accounts-message]').textContent()).toMatch(/Approved request \d+: new.analyst@demo is Analyst/);
    const board = second.page.locator('[data-testid=accounts-table] tr[data-email="board@demo"]');
    await expect.poll(() => board.textContent()).toMatch(/locked out/);
    await second.page.screenshot({ path: join(SCREENSHOTS, 'accounts.png'), fullPage: true });
    await board.getByRole('button', { name: 'Lift lock-out' }).click();
    await expect.poll(() => second.page.locator('[data-testid=accounts-message]').textContent()).toMatch(/Lifted the lock-out of board@demo/);
    await expect.poll(() => board.textContent()).not.toMatch(/locked out/);

    // The new analyst and the board member can log in now.
    const analyst = await session();
    await logIn(analyst.page, 'new.analyst@demo', 'a long enough password');
    await expect.poll(() => who(analyst.page).textContent()).toMatch(/New Analyst \(Analyst\)/);
    const member = await session();
    await logIn(member.page, 'board@demo');
    await expect.poll(() => who(member.page).textContent()).toMatch(/Demo board/);
    for (const s of [first, second, analyst, member]) {
      expect(s.errors).toEqual([]);
      await s.context.close();
    }
  });

  it('TOTP: a neighbourhood team member sets it up on My account; the next log-in asks for the code', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await expect.poll(() => who(page).textContent()).toMatch(/Demo neighbourhood/);
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('button', { name: 'Set up two-step log-in' }).click();
    const secret = (await page.locator('[data-testid=totp-secret]').textContent())!;
    expect(await page.locator('[data-testid=totp-enrolment] img').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await page.screenshot({ path: join(SCREENSHOTS, 'totp-set-up.png') });
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step log-in' }).click();
    await page.locator('[data-testid=totp-done]').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => who(page).textContent()).toMatch(/Public view/);

    await logIn(page, 'neighbourhood@demo');
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    await code.fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Log in with the code' }).click();
    await expect.poll(() => who(page).textContent()).toMatch(/Demo neighbourhood \(Neighbourhood team/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
