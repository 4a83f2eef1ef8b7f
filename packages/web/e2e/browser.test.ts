/**
 * Browser tests: the built web app served by @openphm/server on a random port, against a small
 * synthetic partnership generated in-process, driven by playwright-core in Debian's Chromium
 * (/usr/bin/chromium, or PHM_CHROMIUM). Logs in as each role, checks what each may and may not
 * see, and saves screenshots of the main pages to docs/screenshots/.
 *
 * Nothing is skipped: without Chromium or the built web app (npm run build) the tests fail and say why.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeography } from '@openphm/reference-data';
import { createServer, DEMO_PASSWORD } from '@openphm/server';
import { buildDatabase } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 15_000;

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let neighbourhoodId: string;
let insider: number;
let outsider: number;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set PHM_CHROMIUM to a Chromium binary.`);
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-browser-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'browser', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'browser.duckdb');
  await buildDatabase({
    outFile: duckdbFile,
    csvDir,
    geography,
    threads: 2,
    meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) },
  });
  rmSync(csvDir, { recursive: true, force: true });
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  neighbourhoodId = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  const [inside] = await app.openphm.data.query<{ id: number }>(
    'SELECT p.person_id AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code WHERE l.neighbourhood_id = $1 ORDER BY p.person_id LIMIT 1',
    [neighbourhoodId],
  );
  const [outside] = await app.openphm.data.query<{ id: number }>(
    'SELECT p.person_id AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code WHERE l.neighbourhood_id <> $1 ORDER BY p.person_id LIMIT 1',
    [neighbourhoodId],
  );
  insider = inside!.id;
  outsider = outside!.id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const session = async (): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
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
  await expectText(page, '[data-testid=who]', /Demo/);
};

const expectText = async (page: Page, selector: string, text: RegExp | string) => {
  await page.waitForSelector(selector);
  await page.waitForFunction(
    ([s, t, isRe]) => {
      const content = document.querySelector(s as string)?.textContent ?? '';
      return isRe ? new RegExp(t as string).test(content) : content.includes(t as string);
    },
    [selector, text instanceof RegExp ? text.source : text, text instanceof RegExp] as const,
    { timeout: 15_000 },
  );
};

const navLabels = async (page: Page) => (await page.locator('nav[aria-label=Main] a').allTextContents()).map((t) => t.trim());

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

describe('web app in Chromium', () => {
  it('public: map with Crown copyright, population, dashboard; no person-level pages', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/map`);
    await page.waitForSelector('[data-testid=map] path[data-lsoa]');
    expect(await page.locator('[data-testid=map] path[data-lsoa]').count()).toBeGreaterThan(1400);
    await expectText(page, '[data-testid=attribution]', '© Crown copyright');
    expect(await navLabels(page)).toEqual(['Dashboard', 'Map', 'Population', 'Log in']);
    await shot(page, 'map');

    // Keyboard: the neighbourhood select opens an area profile.
    await page.locator('#neighbourhood').focus();
    await page.keyboard.press('ArrowDown');
    await expectText(page, '[data-testid=area-profile]', /People in the data/);

    await page.goto(`${base}#/population`);
    await page.waitForSelector('svg.chart');
    await expectText(page, '[data-testid=population-total]', /people alive/);
    const decileCells = await page.locator('[data-testid=decile-table] tbody td.num').allTextContents();
    expect(decileCells).toHaveLength(10);
    for (const c of decileCells) expect(c === 'c' || Number(c.replace(/,/g, '')) % 5 === 0, c).toBe(true);

    await page.goto(`${base}#/dashboard`);
    await expectText(page, 'main', 'not available yet');
    await shot(page, 'dashboard', false);

    await page.goto(`${base}#/person`);
    await expectText(page, 'main', 'Log in to see this page');
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'Log in to see this page');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('analyst: logs in, drills into an area, exports CSV and PNG, looks up any person', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/login`);
    await page.waitForSelector('#email');
    await shot(page, 'login');
    await logIn(page, 'analyst@demo');
    expect(await navLabels(page)).toEqual(['Dashboard', 'Map', 'Population', 'Person look-up']);

    await page.goto(`${base}#/map`);
    await page.waitForSelector('[data-testid=map] path[data-lsoa]');
    await page.locator('#zoom').selectOption('leeds');
    const first = page.locator('[data-testid=map] path[data-lsoa]').first();
    const code = await first.getAttribute('data-lsoa');
    await first.click({ force: true });
    await expectText(page, '[data-testid=area-profile]', code!);
    await expectText(page, '[data-testid=area-profile]', /IMD 2019 decile/);
    await expectText(page, '[data-testid=profile-people]', /^(c|\d[\d,]*)$/);
    await shot(page, 'map-area-profile');

    await page.goto(`${base}#/population`);
    await page.waitForSelector('svg.chart');
    await page.locator('#area').selectOption('place:leeds');
    await expectText(page, '[data-testid=population-total]', 'Leeds');
    await expectText(page, '[data-testid=breakdown-table]', 'Leeds neighbourhood');
    await shot(page, 'population');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).first().click()]);
    expect(csv.suggestedFilename()).toMatch(/^population-place-leeds-pyramid\.csv$/);
    const csvPath = join(dir, 'pyramid.csv');
    await csv.saveAs(csvPath);
    expect(statSync(csvPath).size).toBeGreaterThan(100);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save chart as PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('pyramid-place-leeds.png');
    const pngPath = join(dir, 'pyramid.png');
    await png.saveAs(pngPath);
    expect(statSync(pngPath).size).toBeGreaterThan(5000);

    await page.goto(`${base}#/person`);
    await page.getByLabel('Person id').fill(String(outsider));
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '[data-testid=person]', `Person ${outsider}`);
    await shot(page, 'person');
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'does not give access');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('neighbourhood team: own residents only', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await expectText(page, '[data-testid=who]', neighbourhoodId);
    await page.goto(`${base}#/person`);
    await page.getByLabel('Person id').fill(String(insider));
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '[data-testid=person]', neighbourhoodId);
    await page.getByLabel('Person id').fill(String(outsider));
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '[data-testid=person-error]', /Not allowed/);
    expect(await page.locator('[data-testid=person]').count()).toBe(0);
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'does not give access');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('admin: reads the audit log, including the refusals; no person look-up', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'admin@demo');
    expect(await navLabels(page)).toEqual(['Dashboard', 'Map', 'Population', 'Audit log']);
    await page.goto(`${base}#/audit`);
    await expectText(page, '[data-testid=audit-table]', `person:${outsider}`);
    const rows = await page.locator('[data-testid=audit-table] tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('neighbourhood@demo') && r.includes(`person:${outsider}`) && r.includes('denied'))).toBe(true);
    expect(rows.some((r) => r.includes('analyst@demo') && r.includes(`person:${outsider}`) && r.includes('granted'))).toBe(true);
    await shot(page, 'audit');
    await page.goto(`${base}#/person`);
    await expectText(page, 'main', 'does not give access');
    // Logging out returns to the public view.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectText(page, '[data-testid=who]', 'Public view');
    expect(errors).toEqual([]);
    await context.close();
  });
});
