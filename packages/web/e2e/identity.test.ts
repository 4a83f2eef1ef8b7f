/**
 * Browser tests of identities for care teams: a care coordinator finds a person by NHS number and
 * sees who they are (the banner on their record); finds someone without a care relationship, who is
 * "found, no care relationship", and breaks glass with a reason, which an admin then sees among the
 * break-glass alerts; an analyst never sees a name or an NHS number. The built web app served by
 * @openphm/server on a small synthetic partnership with its identity store, in Debian's Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNhsNumber, parseNhsNumber } from '@openphm/core';
import { loadGeography, loadIdentityReference } from '@openphm/reference-data';
import { createServer, DEMO_PASSWORD } from '@openphm/server';
import { buildDatabase, identityByPersonId, identityFileOf, openIdentityStore, readMeta, type IdentityRecord } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 5_000;

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** Registered with a practice of the demo team's neighbourhood, and living there. */
let insider: IdentityRecord;
/** Living elsewhere and registered with a practice of another neighbourhood. */
let outsider: IdentityRecord;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-identity-'));
  const [geography, identities] = await Promise.all([loadGeography(), loadIdentityReference()]);
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'identity', size: SIZE, outDir: csvDir, workers: 0, identities });
  const duckdbFile = join(dir, 'identity.duckdb');
  await buildDatabase({ outFile: duckdbFile, csvDir, geography, threads: 2, meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) } });
  rmSync(csvDir, { recursive: true, force: true });
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const neighbourhoodId = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  const pick = async (sql: string) => (await app.openphm.data.query<{ id: number }>(sql, [neighbourhoodId]))[0]!.id;
  const registered = `SELECT p.person_id AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code JOIN geo_practice gp ON gp.practice_code = p.practice_code
    WHERE NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id) AND date_diff('year', p.date_of_birth, DATE '2026-01-01') BETWEEN 20 AND 80 AND `;
  const ins = await pick(`${registered} l.neighbourhood_id = $1 AND gp.pcn_code = (SELECT pcn_code FROM geo_neighbourhood WHERE neighbourhood_id = $1) ORDER BY p.person_id LIMIT 1`);
  const out = await pick(`${registered} l.neighbourhood_id <> $1 AND gp.pcn_code <> (SELECT pcn_code FROM geo_neighbourhood WHERE neighbourhood_id = $1) ORDER BY p.person_id LIMIT 1`);
  const store = (await openIdentityStore(identityFileOf(duckdbFile), (await readMeta(app.openphm.data)).build_id))!;
  insider = (await identityByPersonId(store, ins))!;
  outsider = (await identityByPersonId(store, out))!;
  store.close();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const session = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
};

const logIn = async (page: Page, email: string) => {
  await page.goto(`${base}#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForFunction(() => /Demo/.test(document.querySelector('[data-testid=who]')?.textContent ?? ''));
};

const navLabels = async (page: Page) => (await page.locator('nav[aria-label=Main] a').allTextContents()).map((t) => t.trim());
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const REASON = 'Called by A&E: the patient is unconscious and needs their history';

describe('identities for care teams', () => {
  it('a care coordinator finds a person by NHS number and sees who they are on their record', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    expect(await navLabels(page)).toContain('Find a person');
    await page.getByRole('link', { name: 'Find a person' }).click();
    await page.locator('#find-nhs').fill(formatNhsNumber(parseNhsNumber(insider.nhsNumber)));
    await page.getByRole('button', { name: 'Find' }).click();
    const row = page.locator('[data-testid=search-result]');
    await row.waitFor();
    expect(await row.innerText()).toContain(insider.familyName.toUpperCase());
    expect(await row.innerText()).toContain('Registered with');
    await shot(page, 'find-person');
    await row.getByRole('link', { name: 'Open record' }).click();
    const banner = page.locator('[data-testid=identity-banner]');
    await banner.waitFor();
    expect(await page.locator('[data-testid=identity-nhs-number]').innerText()).toBe(formatNhsNumber(parseNhsNumber(insider.nhsNumber)));
    expect(await banner.innerText()).toContain(`${insider.familyName.toUpperCase()}, ${insider.givenName}`);
    expect(await page.locator('[data-testid=identity-relationship]').innerText()).toContain('a practice of your neighbourhood');
    await shot(page, 'identity-banner');
    // Back returns to the search, and a search by name and date of birth finds them too.
    await page.goBack();
    await row.waitFor();
    await page.getByLabel('Name and date of birth', { exact: true }).check();
    await page.locator('#find-family').fill(insider.familyName.toLowerCase());
    await page.locator('#find-dob').fill(insider.dateOfBirth);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid=search-result][data-person-id="${id}"]`) !== null, String(insider.personId));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a professional without a relationship is told so, without a name, and breaks glass with a reason; an admin sees the alert', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await page.goto(`${base}#/find-person?nhs=${outsider.nhsNumber}`);
    const row = page.locator('[data-testid=search-result-no-relationship]');
    await row.waitFor();
    expect(await row.innerText()).toContain('Found, no care relationship: break glass to view');
    expect(await page.locator('main').innerText()).not.toContain(outsider.familyName);
    await row.getByRole('link', { name: 'Break glass…' }).click();
    const notice = page.locator('[data-testid=no-relationship]');
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Break glass…' }).click();
    await page.getByLabel('Why do you need this record?').fill('too short');
    await page.getByRole('button', { name: 'See the record for four hours' }).click();
    await page.getByText('Say why, in at least 10 characters.').waitFor();
    await page.getByLabel('Why do you need this record?').fill(REASON);
    await page.getByRole('button', { name: 'See the record for four hours' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();

    const admin = await session();
    await logIn(admin.page, 'admin@demo');
    await admin.page.goto(`${base}#/audit`);
    const alert = admin.page.locator('[data-testid=break-glass-alert]').first();
    await alert.waitFor();
    expect(await alert.innerText()).toContain('neighbourhood@demo');
    expect(await alert.innerText()).toContain(REASON);
    expect(await alert.innerText()).toContain(String(outsider.personId));
    expect(await admin.page.locator('main').innerText()).not.toContain(outsider.familyName);
    await shot(admin.page, 'break-glass-alerts');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('an analyst never sees a name or an NHS number', async () => {
    const { context, page } = await session();
    await logIn(page, 'analyst@demo');
    expect(await navLabels(page)).not.toContain('Find a person');
    await page.goto(`${base}#/find-person`);
    await page.getByText('does not give access to this page').waitFor();
    await page.goto(`${base}#/person?id=${insider.personId}`);
    await page.locator('[data-testid=person]').waitFor();
    const text = await page.locator('main').innerText();
    for (const v of [insider.familyName, insider.nhsNumber, formatNhsNumber(parseNhsNumber(insider.nhsNumber)), insider.postcode ?? 'no postcode']) expect(text).not.toContain(v);
    const status = await page.evaluate(async (u) => (await fetch(u)).status, `/api/care/search?nhsNumber=${insider.nhsNumber}`);
    expect(status).toBe(403);
    await context.close();
  });
});
