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
import { buildDatabase, createDuckDbEngine } from '@openphm/store-duckdb';
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
let otherNeighbourhood: string;
// Care relationships (docs/security.md): someone registered with a practice of the team's neighbourhood, and someone registered
// with another neighbourhood's practice (living in the team's neighbourhood when anyone does: a resident the team may not refer).
let registered: number;
let registeredElsewhere: number;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; npm test does) or set PHM_CHROMIUM to a Chromium binary.`);
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
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true, indicatorEngine: (data) => createDuckDbEngine(data, { allBreakdowns: true }) });
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
  const [other] = await app.openphm.data.query<{ id: string }>(
    'SELECT DISTINCT neighbourhood_id AS id FROM geo_lsoa WHERE neighbourhood_id <> $1 ORDER BY 1 LIMIT 1',
    [neighbourhoodId],
  );
  otherNeighbourhood = other!.id;
  insider = inside!.id;
  outsider = outside!.id;
  const practicePcn = `SELECT p.person_id AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code JOIN geo_practice gp ON gp.practice_code = p.practice_code
    WHERE gp.pcn_code %s (SELECT pcn_code FROM geo_neighbourhood WHERE neighbourhood_id = $1)`;
  const [inPcn] = await app.openphm.data.query<{ id: number }>(`${practicePcn.replace('%s', '=')} ORDER BY l.neighbourhood_id = $1 DESC, p.person_id LIMIT 1`, [neighbourhoodId]);
  const [otherPcn] = await app.openphm.data.query<{ id: number }>(`${practicePcn.replace('%s', '<>')} ORDER BY l.neighbourhood_id = $1 DESC, p.person_id LIMIT 1`, [neighbourhoodId]);
  registered = inPcn!.id;
  registeredElsewhere = otherPcn!.id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The dashboards the pages open first, computed before the browser starts as phm serve's precompute does at start.
  for (const area of ['ics', 'place:leeds']) {
    const warm = await app.inject({ method: 'GET', url: `/api/dashboard?area=${encodeURIComponent(area)}` });
    if (warm.statusCode !== 200) throw new Error(`the ${area} dashboard failed: ${warm.statusCode} ${warm.body}`);
  }
}, 900_000);

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
  await page
    .waitForFunction(
      ([s, t, isRe]) => {
        const content = document.querySelector(s as string)?.textContent ?? '';
        return isRe ? new RegExp(t as string).test(content) : content.includes(t as string);
      },
      [selector, text instanceof RegExp ? text.source : text, text instanceof RegExp] as const,
      { timeout: 15_000 },
    )
    .catch(async (error: unknown) => {
      // Say what the page showed instead, so a failure says whether it was slow or wrong.
      const shown = await page.locator(selector).first().textContent().catch(() => '(gone)');
      throw new Error(`${selector} never showed ${String(text)} in 15 s; it showed: ${shown}`, { cause: error });
    });
};

const navLabels = async (page: Page) => (await page.locator('nav[aria-label=Main] a').allTextContents()).map((t) => t.trim());

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

/** An API call from inside the page (with the page's session cookie): the status code. */
const statusOf = (page: Page, url: string, body?: unknown) =>
  page.evaluate(
    async ([u, b]) => {
      const init: RequestInit = b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) };
      return (await fetch(u as string, init)).status;
    },
    [url, body] as const,
  );

const COUNT_BODY = { definition: { rule: { kind: 'compare', feature: 'age', op: '>=', value: 65 } }, by: ['place'] };
const PUBLIC_PAGES = ['Dashboard', 'Map', 'Population', 'Scorecard'];
const DELIVERY_NAV = ['Action plan', 'Risk register', 'Board report'];
/** What everyone sees, in menu order (the directory comes after the delivery pages). */
const DASHBOARD_NAV = [...PUBLIC_PAGES, 'Directory of services'];
const TEAM_NAV = [...PUBLIC_PAGES, ...DELIVERY_NAV, 'Directory of services', 'Referrals', 'Caseload', 'Social prescribing', 'Proactive care', 'Cohort builder', 'Worklist', 'Person look-up'];
/** A neighbourhood team's menu: the analysts' and the team's own pages (team.test.ts). */
const CARE_TEAM_NAV = [...PUBLIC_PAGES, ...DELIVERY_NAV, 'Directory of services', 'Referrals', 'Caseload', 'Find a person', 'My work', 'MDT meetings', 'Service inbox', 'Social prescribing', 'Proactive care', 'Cohort builder', 'Worklist', 'Person look-up'];
const BOARD_NAV = [...PUBLIC_PAGES, ...DELIVERY_NAV, 'Directory of services', 'Social prescribing', 'Proactive care'];

describe('web app in Chromium', () => {
  it('public: map with Crown copyright, population with segments and risk, dashboard and detail; no cohorts, worklists or person-level pages', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/map`);
    await page.waitForSelector('[data-testid=map] path[data-lsoa]');
    expect(await page.locator('[data-testid=map] path[data-lsoa]').count()).toBeGreaterThan(1400);
    await expectText(page, '[data-testid=attribution]', '© Crown copyright');
    expect(await navLabels(page)).toEqual([...DASHBOARD_NAV, 'Log in']);
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
    // Withheld (c), or a published count: 0 or at least 8 (perturbed, never 1-7).
    for (const c of decileCells) expect(c === 'c' || c === '0' || Number(c.replace(/,/g, '')) >= 8, c).toBe(true);

    // Segments and risk: stacked bars with tables, suppressed cells as [c], exportable.
    await page.waitForSelector('[data-testid=segments-chart]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=risk-chart]', { timeout: 60_000 });
    await page.locator('#segments-by').selectOption('imd-decile');
    await page.locator('[data-testid=segments-panel] details summary', { hasText: 'Show the figures as a table' }).click();
    await expectText(page, '[data-testid=segments-table]', 'most deprived');
    for (const c of await page.locator('[data-testid=segments-table] tbody td.num').allTextContents()) expect(c, c).toMatch(/^((\[c\]|\d[\d,]*)\s+(\[c\]|\d+\.\d%)|–)$/);
    await page.locator('#risk-measure').selectOption('frailty');
    await expectText(page, '[data-testid=risk-panel]', 'Severe frailty');
    expect(await page.locator('[data-testid=segments-panel]').getByRole('button', { name: 'Save chart as PNG' }).count()).toBe(1);
    expect(await page.locator('[data-testid=risk-panel]').getByRole('button', { name: 'Download CSV' }).count()).toBe(1);
    await shot(page, 'population-segments-risk');

    // The outcomes dashboard: every indicator, grouped by theme, with CI, trend, comparison and inequality.
    await page.goto(`${base}#/dashboard`);
    await page.waitForSelector('[data-testid=indicator-row]', { timeout: 90_000 });
    const indicators = await page.locator('[data-testid=indicator-row]').count();
    expect(indicators).toBeGreaterThan(20);
    expect(await page.locator('[data-testid=theme-panel]').count()).toBeGreaterThan(3);
    await expectText(page, '[data-testid=comparison-legend]', 'Not compared');
    await page.locator('#dashboard-area').selectOption('place:leeds');
    await expectText(page, 'thead', 'Leeds');
    await page.waitForSelector('[data-testid=indicator-row] [data-comparison][data-against=ICS]');
    const comparisons = await page.locator('[data-testid=indicator-row] [data-comparison][data-against=ICS]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-comparison'), e.textContent]));
    expect(comparisons.length).toBe(indicators);
    for (const [kind, label] of comparisons) expect(label!.toLowerCase().replace(' ', '-'), 'every colour has a text label').toBe(kind);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'dashboard', false);
    // The filter box narrows the list.
    await page.getByLabel('Filter indicators').fill('smoking');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=indicator-row]').length < 6);
    expect(await page.locator('[data-testid=indicator-row]').count()).toBeGreaterThan(0);
    // Detail view: trend chart and breakdown by place, neighbourhood and IMD decile.
    await page.locator('[data-testid=indicator-row] th a').first().click();
    await page.waitForSelector('[data-testid=indicator-detail] [data-testid=trend-chart]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=breakdown-results] tbody tr', { timeout: 60_000 });
    await page.locator('#breakdown-by').selectOption('imd-decile');
    await expectText(page, '[data-testid=breakdown-results]', 'Decile 1 (most deprived)');
    await page.waitForSelector('[data-testid=breakdown-chart]');
    // The gap and the SII run the same way (least deprived minus most deprived).
    await expectText(page, '[data-testid=inequality-table]', 'gap (10 minus 1)');
    await shot(page, 'dashboard-detail');
    // Equity breakdowns (Core20PLUS5): by ethnic group, said to be for the whole ICS on a place's page.
    await page.locator('#breakdown-by').selectOption('ethnic-group');
    await expectText(page, '[data-testid=breakdown-results]', 'White');
    await expectText(page, '[data-testid=breakdown-ics-wide]', 'For the whole ICS, not Leeds alone.');
    await page.locator('#breakdown-by').selectOption('imd-decile');
    const [trendPng] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save chart as PNG' }).first().click()]);
    expect(trendPng.suggestedFilename()).toMatch(/^trend-.*-place-leeds\.png$/);
    // The area profile: every indicator on a spine across the ICS's places, for Leeds.
    await page.goto(`${base}#/dashboard?profile=place:leeds`);
    await page.waitForSelector('[data-testid=spine-table] [data-testid=spine-row] svg.spine', { timeout: 90_000 });
    expect(await page.locator('[data-testid=spine-row]').count()).toBeGreaterThan(20);
    await expectText(page, '[data-testid=area-profile] h1', 'Area profile: Leeds');
    await shot(page, 'area-profile-spine');

    // No cohort builder or worklist for the public, in the page or the API.
    expect(await navLabels(page)).toEqual([...DASHBOARD_NAV, 'Log in']);
    await page.goto(`${base}#/cohorts`);
    await expectText(page, 'main', 'Log in to see this page');
    await page.goto(`${base}#/worklist`);
    await expectText(page, 'main', 'Log in to see this page');
    expect(await statusOf(page, '/api/cohorts')).toBe(401);
    expect(await statusOf(page, '/api/cohorts/count', COUNT_BODY)).toBe(401);
    expect(await statusOf(page, `/api/worklist?cohort=frail-65-emergency-admission&neighbourhood=${neighbourhoodId}`)).toBe(401);

    await page.goto(`${base}#/person`);
    await expectText(page, 'main', 'Log in to see this page');
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'Log in to see this page');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('analyst: logs in, drills into an area, exports CSV and PNG, looks up any person, builds a cohort, opens any worklist', async () => {
    const { context, page, errors } = await session();
    await page.goto(`${base}#/login`);
    await page.waitForSelector('#email');
    await shot(page, 'login');
    await logIn(page, 'analyst@demo');
    expect(await navLabels(page)).toEqual(TEAM_NAV);

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
    // Drill from the LSOA to its neighbourhood, then to the neighbourhood's population profile.
    await page.getByRole('button', { name: 'Neighbourhood profile' }).click();
    await expectText(page, '[data-testid=area-profile]', /People by IMD decile/);
    await page.locator('[data-testid=profile-links] a').first().click();
    await expectText(page, '[data-testid=population-total]', /neighbourhood/i);

    await page.goto(`${base}#/population`);
    await page.waitForSelector('svg.chart');
    await page.locator('#area').selectOption('place:leeds');
    await expectText(page, '[data-testid=population-total]', 'Leeds');
    // Neighbourhoods are named after their PCNs.
    await expectText(page, '[data-testid=breakdown-table]', /PCN/);
    await shot(page, 'population');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).first().click()]);
    expect(csv.suggestedFilename()).toMatch(/^population-place-leeds-pyramid\.csv$/);
    const csvPath = join(dir, 'pyramid.csv');
    await csv.saveAs(csvPath);
    expect(statSync(csvPath).size).toBeGreaterThan(100);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save chart as PNG' }).first().click()]);
    expect(png.suggestedFilename()).toBe('pyramid-place-leeds.png');
    const pngPath = join(dir, 'pyramid.png');
    await png.saveAs(pngPath);
    expect(statSync(pngPath).size).toBeGreaterThan(5000);

    await page.goto(`${base}#/person`);
    await page.getByLabel('Person id').fill(String(outsider));
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '[data-testid=person]', `Person ${outsider}`);
    await shot(page, 'person');

    // Cohort builder: a stored cohort, then edited criteria; the count follows (debounced).
    await page.goto(`${base}#/cohorts`);
    // A stored cohort written with a dated rule opens in the events editor, not as "everyone".
    await page.locator('#stored-cohort').selectOption('high-intensity-ae-users');
    await expectText(page, '[data-testid=stored-description]', 'High Intensity Use');
    expect(await page.locator('[id="rule-1.1-at-least"]').inputValue()).toBe('5');
    expect(await page.locator('[id="rule-1.1-event"]').inputValue()).toBe('aeAttendance');
    expect(await page.locator('[id="rule-1.1-days"]').inputValue()).toBe('365');
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    await shot(page, 'cohort-builder-dated-rule');
    await page.locator('#stored-cohort').selectOption('frail-65-emergency-admission');
    await expectText(page, '[data-testid=stored-description]', 'frailty');
    await expectText(page, '[data-testid=cohort-total]', /people on/);
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    const frail = (await page.locator('[data-testid=cohort-total]').textContent())!;
    await page.waitForSelector('[data-testid=cohort-breakdown-place]');
    await shot(page, 'cohort-builder');
    await page.getByLabel('Value of criterion 1.1').fill('20');
    await page.getByLabel('Value of criterion 1.2').fill('0');
    await page.getByLabel('Comparison of criterion 1.2').selectOption('>=');
    await page.getByLabel('Value of criterion 1.3').fill('0');
    await page.waitForFunction((before) => {
      const t = document.querySelector('[data-testid=cohort-total]')?.textContent ?? '';
      return t !== before && document.querySelector('[data-testid=count-status]')?.textContent?.includes('Up to date');
    }, frail, { timeout: 30_000 });
    const everyone = Number((await page.locator('[data-testid=cohort-total] strong').textContent())!.replace(/,/g, ''));
    expect(Number.isInteger(everyone)).toBe(true);
    expect(everyone).toBeGreaterThan(5000);
    // An age that is not on a 5-year step cannot be counted: the builder says why.
    await page.getByLabel('Value of criterion 1.1').fill('18');
    await expectText(page, '.cohort-results', /ages are compared in steps of 5 years/);
    await page.getByLabel('Value of criterion 1.1').fill('20');
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    // Add and remove a rule; the definition shown is what is counted.
    await page.getByText('Show the definition (JSON)').click();
    await page.getByRole('button', { name: 'Add a yes/no rule' }).first().click();
    await expectText(page, '[data-testid=cohort-json]', '"kind": "flag"');
    await page.getByRole('button', { name: 'Remove criterion 1.4' }).click();
    await page.getByRole('button', { name: 'Add events in a period' }).first().click();
    await expectText(page, '[data-testid=cohort-json]', '"kind": "events"');
    await page.locator('[id="rule-1.4-days"]').fill('731');
    await expectText(page, '[data-testid=cohort-json]', /whole days from 1 to 730 for emergency admissions/);
    await page.getByRole('button', { name: 'Remove criterion 1.4' }).click();
    const quintile1 = page.locator('.checks label', { hasText: '1 (most deprived)' }).locator('input');
    await quintile1.check();
    await expectText(page, '[data-testid=cohort-json]', '"imdQuintiles"');
    await quintile1.uncheck();
    await page.waitForSelector('[data-testid=cohort-breakdown-place]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=cohort-json]')?.textContent?.includes('imdQuintiles'));
    await expectText(page, '[data-testid=count-status]', 'Up to date');

    // Worklist of the edited cohort (POST /api/worklist): any neighbourhood for an analyst, sortable, CSV, audited.
    await page.getByRole('link', { name: 'Neighbourhood worklist for this cohort' }).click();
    await expectText(page, '[data-testid=audit-note]', 'Access is audited');
    await page.locator('#worklist-neighbourhood').selectOption(otherNeighbourhood);
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Age', exact: true }).click();
    const ages = (await page.locator('[data-testid=worklist-table] tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(ages.length).toBeGreaterThan(5);
    expect(ages.every((a) => a >= 18)).toBe(true);
    expect(ages).toEqual([...ages].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Age', exact: true }).click();
    const agesUp = (await page.locator('[data-testid=worklist-table] tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(agesUp).toEqual([...agesUp].sort((a, b) => a - b));
    const [wl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(wl.suggestedFilename()).toBe(`worklist-custom-cohort-${otherNeighbourhood.toLowerCase()}.csv`);
    const wlPath = join(dir, 'worklist.csv');
    await wl.saveAs(wlPath);
    expect(statSync(wlPath).size).toBeGreaterThan(200);
    // A stored cohort by id (GET /api/worklist).
    await page.locator('#worklist-cohort').selectOption('frail-65-emergency-admission');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await expectText(page, '[data-testid=worklist] h2', 'Frail people');
    await page.locator('#worklist-cohort').selectOption('__custom');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr', { timeout: 30_000 });
    await shot(page, 'worklist', false);
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'does not give access');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('neighbourhood team: own residents and own neighbourhood worklist only', async () => {
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

    // Cohort builder: counts default to the team's own neighbourhood.
    expect(await navLabels(page)).toEqual(CARE_TEAM_NAV);
    await page.goto(`${base}#/cohorts`);
    await expectText(page, '[data-testid=cohort-total]', /people on|suppressed/);
    expect(await page.locator('#cohort-neighbourhood').inputValue()).toBe(neighbourhoodId);
    // A team counts in its own neighbourhood, by the breakdowns its role may use (not by place).
    expect(await statusOf(page, '/api/cohorts/count', { ...COUNT_BODY, by: ['sex'] })).toBe(200);
    expect(await statusOf(page, '/api/cohorts/count', COUNT_BODY)).toBe(400);
    await expectText(page, '[data-testid=counts-in]', 'own neighbourhood');

    // Worklist: own neighbourhood only, no choice offered; another neighbourhood is refused by the API.
    await page.goto(`${base}#/worklist`);
    await expectText(page, '[data-testid=own-neighbourhood]', neighbourhoodId);
    expect(await page.locator('#worklist-neighbourhood').count()).toBe(0);
    await page.locator('#worklist-cohort').selectOption('multimorbidity-imd-q1');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-summary]', { timeout: 30_000 });
    await expectText(page, '[data-testid=worklist] h2', /neighbourhood/i);
    expect(await statusOf(page, `/api/worklist?cohort=multimorbidity-imd-q1&neighbourhood=${neighbourhoodId}`)).toBe(200);
    expect(await statusOf(page, `/api/worklist?cohort=multimorbidity-imd-q1&neighbourhood=${otherNeighbourhood}`)).toBe(403);
    await page.goto(`${base}#/audit`);
    await expectText(page, 'main', 'does not give access');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('admin: reads the audit log, including the refusals; no person look-up', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'admin@demo');
    expect(await navLabels(page)).toEqual([...DASHBOARD_NAV, 'Audit log', 'Accounts']);
    expect(await statusOf(page, '/api/cohorts')).toBe(403);
    await page.goto(`${base}#/cohorts`);
    await expectText(page, 'main', 'does not give access');
    await page.goto(`${base}#/audit`);
    await expectText(page, '[data-testid=audit-table]', `person:${outsider}`);
    const rows = await page.locator('[data-testid=audit-table] tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('neighbourhood@demo') && r.includes(`person:${outsider}`) && r.includes('denied'))).toBe(true);
    expect(rows.some((r) => r.includes('analyst@demo') && r.includes(`person:${outsider}`) && r.includes('granted'))).toBe(true);
    // Worklists are audited: the analyst's list and the neighbourhood team's refused request.
    expect(rows.some((r) => r.includes('analyst@demo') && r.includes('worklist') && r.includes('granted'))).toBe(true);
    expect(rows.some((r) => r.includes('neighbourhood@demo') && r.includes('worklist') && r.includes('denied'))).toBe(true);
    // A subject access request: who accessed one person's record; and the chain holds.
    await page.fill('#audit-person', String(outsider));
    await page.waitForFunction((id) => {
      const cells = [...document.querySelectorAll('[data-testid=audit-table] tbody tr td:nth-child(5)')].map((c) => c.textContent);
      return cells.length > 0 && cells.every((c) => c === `person:${id}`);
    }, outsider);
    await page.click('[data-testid=audit-chain]');
    await expectText(page, '[data-testid=audit-chain-result]', 'The chain holds');
    await shot(page, 'audit');
    await page.goto(`${base}#/person`);
    await expectText(page, 'main', 'does not give access');
    // Logging out returns to the public view.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectText(page, '[data-testid=who]', 'Public view');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('delivery: the public scorecard; programme leads keep the action plan and risk register; board members read the report', async () => {
    // Public: the scorecard only, with statuses in words and a trajectory chart.
    const pub = await session();
    await pub.page.goto(`${base}#/scorecard`);
    await expectText(pub.page, '[data-testid=strategy-summary]', 'West Yorkshire & Harrogate Partnership Board');
    await pub.page.waitForSelector('[data-testid=status-summary]', { timeout: 60_000 });
    await expectText(pub.page, '[data-testid=measure-ae-four-hours]', /Target met|On track|No significant change|Off track|Worse than baseline|Target missed|Incomplete/);
    await pub.page.locator('[data-testid=measure-smoking-prevalence]').getByRole('button', { name: /^Show the chart of/ }).click();
    await pub.page.waitForSelector('#more-smoking-prevalence [data-testid=trajectory-chart]');
    await expectText(pub.page, '[data-testid=measure-hle-gap-england]', 'no baseline agreed');
    await shot(pub.page, 'scorecard');
    await pub.page.locator('#strategy').selectOption('kirklees-hwb');
    await expectText(pub.page, '[data-testid=strategy-summary]', 'Kirklees Health and Wellbeing Board');
    expect(pub.page.url()).toContain('strategy=kirklees-hwb');
    expect(await navLabels(pub.page)).toEqual([...DASHBOARD_NAV, 'Log in']);
    expect(await statusOf(pub.page, '/api/strategies/wyh-partnership/actions')).toBe(401);
    expect(pub.errors).toEqual([]);
    await pub.context.close();

    // Programme lead: adds an action, rates it red, meets a conflicting edit, and rescores the register.
    const { context, page, errors } = await session();
    await logIn(page, 'programme@demo');
    expect(await navLabels(page)).toEqual(BOARD_NAV);
    await page.goto(`${base}#/actions`);
    await page.waitForSelector('[data-testid=actions-table]');
    await page.getByRole('button', { name: 'Add an action' }).click();
    await page.getByLabel('Action', { exact: true }).fill('Health checks for people with serious mental illness in every PCN');
    await page.getByLabel('Priority').selectOption('mental-health');
    await page.getByLabel('Ambition').selectOption('smi-life-expectancy');
    await page.getByLabel('Owner group').fill('Mental health programme board');
    await page.getByLabel('Named lead').fill('Clinical lead for SMI');
    await page.getByLabel('Due date').fill('2027-06-30');
    await page.getByLabel('RAG rating', { exact: true }).selectOption('amber');
    await page.getByRole('button', { name: 'Add the action' }).click();
    await expectText(page, '[data-testid=actions-table]', 'Health checks for people with serious mental illness');
    const row = page.locator('tr', { hasText: 'Health checks for people with serious mental illness' });
    await row.getByRole('button', { name: /^Update/ }).click();
    await row.getByLabel('RAG rating').selectOption('red');
    await row.getByLabel('Progress note').fill('Only 40% of PCNs offer the checks.');
    await row.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page, '[data-testid=actions-table]', 'Only 40% of PCNs offer the checks.');
    await row.locator('[data-testid=rag-red]').waitFor();
    await row.getByText(/Version 2, programme@demo/).waitFor();
    // Someone else changes the action while this page still shows version 2: saving is refused and says so.
    await row.getByRole('button', { name: /^Update/ }).click();
    const id = Number((await row.getAttribute('data-testid'))!.replace('action-', ''));
    const other = await page.evaluate(async (actionId) => (await fetch(`/api/actions/${actionId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lead: 'Another lead', version: 2 }) })).status, id);
    expect(other).toBe(200);
    await row.getByLabel('RAG rating').selectOption('amber');
    await row.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page, '[data-testid=conflict]', /changed by programme@demo .*you edited version 2/);
    await page.getByRole('button', { name: 'Reload the action plan' }).click();
    await row.getByText('Another lead').waitFor();
    await row.getByText(/Version 3, programme@demo/).waitFor();
    await shot(page, 'action-plan');

    await page.goto(`${base}#/risks`);
    await page.waitForSelector('[data-testid=risk-heatmap]');
    const criticalBefore = await page.locator('[data-testid=band-critical]').count();
    await page.getByRole('button', { name: 'Add a risk' }).click();
    await page.getByLabel('Risk', { exact: true }).fill('Mental health beds closed for refurbishment');
    await page.getByLabel('Owner').fill('Director of mental health');
    await page.getByLabel('Likelihood', { exact: true }).selectOption('5');
    await page.getByLabel('Impact', { exact: true }).selectOption('5');
    await expectText(page, '[data-testid=risk-form]', 'Score 25: Critical');
    await page.getByLabel('Next review by').fill('2027-01-15');
    await page.getByRole('button', { name: 'Add the risk' }).click();
    await expectText(page, '[data-testid=risks-table]', 'Mental health beds closed for refurbishment');
    expect(await page.locator('[data-testid=risks-table] [data-testid=band-critical]').count()).toBe(criticalBefore);
    await expectText(page, '[data-testid=risks-table] tbody tr:first-child', 'Mental health beds closed');
    await shot(page, 'risk-register');

    // The programme lead completes a measure's baseline and target: a new version of the strategy, listed with what changed.
    await page.goto(`${base}#/scorecard`);
    await page.waitForSelector('[data-testid=status-summary]', { timeout: 60_000 });
    await expectText(page, '[data-testid=measure-hle-gap-england]', 'no baseline agreed');
    await page.locator('[data-testid=measure-hle-gap-england]').getByRole('button', { name: /^Show the chart, values and targets of/ }).click();
    await page.locator('#more-hle-gap-england').getByRole('button', { name: 'Change the baseline, target, owner or note' }).click();
    const editor = page.locator('[data-testid=measure-editor-hle-gap-england]');
    await editor.getByLabel('Baseline', { exact: true }).selectOption('stated');
    await editor.getByLabel('Baseline value').fill('-2.6');
    await editor.getByLabel('Baseline period', { exact: true }).fill('2017-19');
    await editor.getByLabel('Baseline period end').fill('2019-12-31');
    await editor.getByLabel('Target', { exact: true }).selectOption('absolute');
    await editor.getByLabel('Target value').fill('-2');
    await editor.getByLabel('Target date').fill('2019-06-30');
    await editor.getByLabel('Why the change').fill('Baseline and target agreed by the Partnership Board');
    await editor.getByRole('button', { name: 'Save a new version' }).click();
    await expectText(page, '[data-testid=measure-editor-hle-gap-england]', 'target.date: must be after the baseline date (2019-12-31)');
    await editor.getByLabel('Target date').fill('2028-12-31');
    await shot(page, 'measure-editor');
    await editor.getByRole('button', { name: 'Save a new version' }).click();
    await expectText(page, '[data-testid=measure-saved-hle-gap-england]', /Saved as version 3 of the strategy: "Healthy life expectancy at birth, difference from England": baseline set to -2\.6 in 2017-19/);
    // Reported -3.2 for 2020-22 against a baseline of -2.6, higher is better.
    await expectText(page, '[data-testid=measure-hle-gap-england]', 'Worse than baseline');
    await expectText(page, '[data-testid=strategy-summary]', 'version 3');
    await page.getByText('Versions of this strategy').click();
    await expectText(page, '[data-testid=plan-history]', /Version 3.*changed in OpenPHM by programme@demo.*Why: Baseline and target agreed by the Partnership Board/);
    await expectText(page, '[data-testid=plan-history]', 'target set to -2 by 2028-12-31');
    await shot(page, 'scorecard-versions');

    // The shape of the strategy: a new ambition with a measure reported by its owner, then the measure removed again.
    await page.getByRole('button', { name: 'Add an ambition to Personalised care and prevention' }).click();
    const ambitionForm = page.getByRole('form', { name: 'Add an ambition to Personalised care and prevention' });
    await ambitionForm.getByLabel('Ambition', { exact: true }).fill('More people with a personalised care plan');
    await ambitionForm.getByLabel('Why the change').fill('Agreed by the Partnership Board');
    await ambitionForm.getByRole('button', { name: 'Add the ambition' }).click();
    await expectText(page, '[data-testid=strategy-saved]', 'Saved as version 4 of the strategy: The ambition "More people with a personalised care plan" added.');
    const ambition = page.locator('[data-testid=ambition-more-people-with-a-personalised-care-plan]');
    await ambition.getByRole('button', { name: 'Add a measure' }).click();
    const measureForm = page.getByRole('form', { name: 'Add a measure to More people with a personalised care plan' });
    await measureForm.getByLabel('Measure', { exact: true }).fill('People with a personalised care plan');
    await measureForm.getByLabel('Values from').selectOption('manual');
    await measureForm.getByLabel('Unit').fill('%');
    await measureForm.getByLabel('Why the change').fill('Agreed by the Partnership Board');
    await measureForm.getByRole('button', { name: 'Add the measure' }).click();
    // A manual measure must say whether higher is better: refused, naming the field.
    await expectText(page, '[data-testid=strategy-change]', 'change.measure.polarity: a manual measure needs a polarity');
    await measureForm.getByLabel('Better is').selectOption('higher-is-better');
    await measureForm.getByRole('button', { name: 'Add the measure' }).click();
    await expectText(page, '[data-testid=strategy-saved]', 'Saved as version 5 of the strategy: Measure "People with a personalised care plan" added.');
    await expectText(page, '[data-testid=measure-people-with-a-personalised-care-plan]', 'no baseline agreed');
    await page.locator('[data-testid=measure-people-with-a-personalised-care-plan]').getByRole('button', { name: /^Show the chart, values and targets of/ }).click();
    await page.locator('#more-people-with-a-personalised-care-plan').getByRole('button', { name: 'Remove this measure' }).click();
    const removal = page.getByRole('form', { name: 'Remove the measure "People with a personalised care plan"' });
    await removal.getByLabel('Why the change').fill('Duplicates a national measure');
    await removal.getByRole('button', { name: 'Remove the measure "People with a personalised care plan"' }).click();
    await expectText(page, '[data-testid=strategy-saved]', 'Saved as version 6 of the strategy: Measure "People with a personalised care plan" removed.');
    await page.waitForFunction(() => !document.querySelector('[data-testid=measure-people-with-a-personalised-care-plan]'));
    expect(errors).toEqual([]);
    await context.close();

    // Board member: reads the report (with the new red action) and downloads it; cannot change anything.
    const board = await session();
    await logIn(board.page, 'board@demo');
    await board.page.goto(`${base}#/report`);
    await board.page.waitForSelector('[data-testid=board-report]', { timeout: 60_000 });
    await expectText(board.page, '[data-testid=report-issues]', 'Action: Health checks for people with serious mental illness');
    await expectText(board.page, '[data-testid=recommendations]', 'Challenge the leads of the');
    // The baseline and target the programme lead agreed today are in the report, for the board to confirm.
    await expectText(board.page, '[data-testid=plan-changes]', /Version 3.*Baseline and target agreed by the Partnership Board/);
    await expectText(board.page, '[data-testid=recommendations]', /Confirm the 4 changes to the strategy made in Q\d/);
    const [download] = await Promise.all([board.page.waitForEvent('download'), board.page.getByRole('link', { name: 'Download as Markdown' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^wyh-partnership-\d{4}-\d{2}-q[1-4]\.md$/);
    await shot(board.page, 'board-report');
    await board.page.goto(`${base}#/actions`);
    await board.page.waitForSelector('[data-testid=actions-table]');
    expect(await board.page.getByRole('button', { name: 'Add an action' }).count()).toBe(0);
    expect(await statusOf(board.page, '/api/strategies/wyh-partnership/risks', { title: 'x', owner: 'y', likelihood: 1, impact: 1, reviewDate: '2027-01-01' })).toBe(403);
    // Whether proactive care changed outcomes: published figures, without the caseloads themselves.
    await board.page.goto(`${base}#/proactive-care`);
    await board.page.waitForSelector('[data-testid=evaluation-table] tbody tr', { timeout: 60_000 });
    await expectText(board.page, '[data-testid=evaluation-summary]', /people taken on could be evaluated/);
    await board.page.getByLabel('Effects by').selectOption('imd-quintile');
    await expectText(board.page, '[data-testid=evaluation-groups]', '1 (most deprived)');
    await board.page.locator('main').screenshot({ path: join(SCREENSHOTS, 'proactive-care.png') });
    expect(await statusOf(board.page, '/api/caseload')).toBe(403);
    expect(board.errors).toEqual([]);
    await board.context.close();
  }, 300_000);

  it('joining up care: the public directory; a neighbourhood team refers people it cares for and records progress; staff see reach and outcomes', async () => {
    // Public: the directory and its feed, no referrals.
    const pub = await session();
    await pub.page.goto(`${base}#/directory`);
    await pub.page.waitForSelector('[data-testid=directory-total]');
    const everything = (await pub.page.locator('[data-testid=directory-total]').textContent())!;
    await pub.page.getByLabel('Search').fill('walk');
    await pub.page.getByRole('button', { name: 'Search', exact: true }).click();
    await pub.page.waitForFunction((before) => {
      const t = document.querySelector('[data-testid=directory-total]')?.textContent ?? before;
      return t !== before && /^\d+ services?$/.test(t);
    }, everything);
    expect(pub.page.url()).toContain('q=walk');
    // Every service found mentions a walk (name, description, organisation or category).
    const walks = await pub.page.locator('article.service').allTextContents();
    expect(walks.length).toBeGreaterThan(0);
    expect(walks.filter((t) => !/walk/i.test(t))).toEqual([]);
    expect(await pub.page.getByRole('button', { name: /^Refer someone/ }).count()).toBe(0);
    expect(await statusOf(pub.page, '/api/oruk/services')).toBe(200);
    expect(await statusOf(pub.page, '/api/referrals')).toBe(401);
    expect(pub.errors).toEqual([]);
    await pub.context.close();

    // Neighbourhood team: refers someone registered with one of its practices from the directory, then records progress; someone
    // registered with another neighbourhood's practice is refused (no care relationship), with a link to their record to break glass.
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    const place = (await page.evaluate(async (n) => (await (await fetch('/api/geography')).json()).neighbourhoods.find((x: { id: string }) => x.id === n).place, neighbourhoodId)) as string;
    // Anywhere: only the services open to link-worker referrals in the team's neighbourhood offer a referral, as the
    // server checks one (the rest, in other places or neighbourhoods, would be refused).
    await page.goto(`${base}#/directory`);
    await page.getByRole('button', { name: /^Refer someone/ }).first().waitFor();
    const cardIds = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    const shown = await cardIds('article.service');
    const offered = await page.locator('article.service', { has: page.getByRole('button', { name: /^Refer someone/ }) }).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    const open = (await page.evaluate(
      async (n) => (await (await fetch(`/api/directory/services?neighbourhood=${n}&linkWorker=true`)).json()).services.map((s: { id: string }) => `service-${s.id}`),
      neighbourhoodId,
    )) as string[];
    expect(offered.sort()).toEqual(shown.filter((id) => open.includes(id)).sort());
    expect(shown.length).toBeGreaterThan(offered.length);
    await page.goto(`${base}#/directory?place=${place}`);
    await page.waitForSelector('article.service');
    const referable = page.locator('article.service', { has: page.getByRole('button', { name: /^Refer someone/ }) }).first();
    const card = page.locator(`[data-testid="${await referable.getAttribute('data-testid')}"]`);
    const serviceName = (await card.locator('h2').textContent())!;
    await card.getByRole('button', { name: /^Refer someone/ }).click();
    await card.getByLabel('Person id').fill(String(registeredElsewhere));
    await card.getByRole('button', { name: 'Make the referral' }).click();
    await expectText(page, '[data-testid=refer-message]', 'no care relationship with this person: break glass');
    expect(await card.getByRole('link', { name: `Open the record of person ${registeredElsewhere}` }).getAttribute('href')).toBe(`#/person?id=${registeredElsewhere}`);
    await card.getByLabel('Person id').fill(String(registered));
    await card.getByLabel('Reason').selectOption('loneliness');
    await card.getByLabel('Asked the four ONS wellbeing questions').check();
    await card.getByLabel(/^Life satisfaction/).selectOption('3');
    await card.getByRole('button', { name: 'Make the referral' }).click();
    await expectText(page, '[data-testid=refer-message]', `person ${registered} to ${serviceName}`);
    await shot(page, 'directory', false);

    await page.goto(`${base}#/referrals?x=${Date.now()}`);
    await page.getByLabel('Person id').fill(String(registered));
    await page.waitForSelector('[data-testid=referrals-table] tbody tr');
    const row = page.locator('[data-testid=referrals-table] tbody tr', { hasText: serviceName }).first();
    await row.locator('[data-testid=referral-status-referred]').waitFor();
    await row.getByRole('button', { name: /as accepted by the service$/ }).click();
    await row.getByRole('button', { name: 'Save' }).click();
    await row.locator('[data-testid=referral-status-accepted]').waitFor();
    await row.getByRole('button', { name: /as attending$/ }).click();
    await row.getByLabel('Asked the four ONS wellbeing questions').check();
    await row.getByLabel(/^Life satisfaction/).selectOption('6');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.locator('[data-testid=referral-status-attending]').waitFor();
    await expectText(page, '[data-testid=referrals-table]', '3 / 5 / 5 / 5 → 6 / 5 / 5 / 5');
    await page.getByLabel('Person id').fill('');
    await page.waitForSelector('[data-testid=referrals-table] tbody tr');
    await shot(page, 'referrals', false);
    expect(errors).toEqual([]);
    await context.close();

    // Analyst: reach and outcomes (published figures), and the referrals read only.
    const analyst = await session();
    await logIn(analyst.page, 'analyst@demo');
    expect(await navLabels(analyst.page)).toEqual(TEAM_NAV);
    await analyst.page.goto(`${base}#/social-prescribing`);
    await analyst.page.waitForSelector('[data-testid=reach-table] tbody tr');
    expect(await analyst.page.locator('[data-testid=reach-table] tbody tr').count()).toBe(5);
    await analyst.page.getByLabel('Break down by').selectOption('age-band');
    await expectText(analyst.page, '[data-testid=reach-table] thead', 'Age band');
    await analyst.page.waitForSelector('[data-testid=wellbeing-table]');
    // The evaluation against matched people never referred: one row per outcome, in words too.
    await analyst.page.waitForSelector('[data-testid=evaluation-table] tbody tr', { timeout: 60_000 });
    expect(await analyst.page.locator('[data-testid=evaluation-table] tbody tr').count()).toBe(3);
    await expectText(analyst.page, '[data-testid=evaluation-summary]', /people referred could be evaluated/);
    await expectText(analyst.page, '[data-testid=evaluation-table]', /interval|Too few people/);
    await shot(analyst.page, 'social-prescribing');
    await analyst.page.goto(`${base}#/referrals`);
    await analyst.page.waitForSelector('[data-testid=referrals-table]');
    expect(await analyst.page.getByRole('columnheader', { name: 'Record progress' }).count()).toBe(0);
    expect(analyst.errors).toEqual([]);
    await analyst.context.close();
  });

  it('care coordination: a team takes people on from a worklist, writes a care plan with consent, and discharges; analysts see that a plan exists, not what it says', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await page.goto(`${base}#/worklist`);
    await page.locator('#worklist-cohort').selectOption('multimorbidity-imd-q1');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr', { timeout: 30_000 });
    // Someone never on the caseload (the demo seeds people discharged from hospital, and past episodes).
    const onCaseload = (await page.evaluate(async () => (await (await fetch('/api/caseload')).json()).entries.map((e: { personId: string }) => e.personId))) as string[];
    // …with a care relationship (residents registered elsewhere are offered break glass, not the caseload).
    const addable = page.locator('[data-testid=worklist-table] tbody tr', { has: page.getByRole('button', { name: /^Add person .* to the caseload$/ }) });
    const ids = (await addable.locator('th').allTextContents()).map((t) => t.trim());
    const personId = ids.find((id) => !onCaseload.includes(id))!;
    expect(personId).toBeDefined();
    const firstRow = page.locator('[data-testid=worklist-table] tbody tr', { has: page.getByRole('link', { name: personId, exact: true }) });
    await firstRow.getByRole('button', { name: /^Add person .* to the caseload$/ }).click();
    await firstRow.getByLabel(/^Key worker for person/).fill('Community matron');
    await firstRow.getByRole('button', { name: 'Add', exact: true }).click();
    await firstRow.getByText('On the caseload').waitFor();

    await page.goto(`${base}#/caseload`);
    await page.waitForSelector(`[data-testid="caseload-${personId}"]`);
    await expectText(page, `[data-testid="caseload-${personId}"]`, 'Community matron');
    await expectText(page, `[data-testid="caseload-${personId}"]`, 'multimorbidity-imd-q1');

    await page.goto(`${base}#/person?id=${personId}`);
    await expectText(page, '[data-testid=person-caseload]', 'key worker Community matron');
    await page.getByRole('button', { name: 'Start a care plan' }).click();
    await page.getByLabel('What matters to the person (their words)').fill('Being able to get to chapel on Sundays.');
    await page.getByRole('button', { name: 'Add a goal' }).click();
    await page.getByLabel('Goal 1', { exact: true }).fill('Walk to the end of the road without stopping');
    await page.getByRole('button', { name: 'Add support' }).click();
    await page.getByLabel('Who, support 1').fill('Neighbour');
    await page.getByLabel('What, support 1').fill('Lifts to chapel');
    await page.getByLabel('Review by').fill('2027-03-01');
    await page.getByLabel(/The person agrees that the team around them may read this plan/).check();
    await page.getByRole('button', { name: 'Start the plan' }).click();
    await expectText(page, '[data-testid=care-plan]', 'Being able to get to chapel on Sundays.');
    await expectText(page, '[data-testid=care-plan]', 'With the team around the person');
    await expectText(page, '[data-testid=person-caseload]', 'Care and support plan: active, review by 2027-03-01');
    await shot(page, 'care-plan');

    await page.goto(`${base}#/caseload?x=1`);
    const row = page.locator(`[data-testid="caseload-${personId}"]`);
    await row.getByRole('button', { name: `Discharge person ${personId}` }).click();
    await row.getByLabel('Outcome').selectOption('stable-self-managing');
    await row.getByRole('button', { name: 'Discharge', exact: true }).click();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="caseload-${id}"]`), personId);
    await page.getByLabel('Show').selectOption('discharged');
    await expectText(page, `[data-testid="caseload-${personId}"]`, 'Discharged: Stable and managing');
    await shot(page, 'caseload', false);
    expect(errors).toEqual([]);
    await context.close();

    const analyst = await session();
    await logIn(analyst.page, 'analyst@demo');
    await analyst.page.goto(`${base}#/person?id=${personId}`);
    await expectText(analyst.page, '[data-testid=person-caseload]', 'Care and support plan: active');
    expect(await analyst.page.locator('[data-testid=care-plan]').count()).toBe(0);
    expect(await statusOf(analyst.page, `/api/people/${personId}/care-plan`)).toBe(403);
    // Did proactive care change outcomes? Past episodes against matched people never on a caseload.
    await analyst.page.goto(`${base}#/caseload`);
    await analyst.page.waitForSelector('[data-testid=evaluation-table] tbody tr', { timeout: 60_000 });
    expect(await analyst.page.locator('[data-testid=evaluation-table] tbody tr').count()).toBe(3);
    await expectText(analyst.page, '[data-testid=evaluation-summary]', /people taken on could be evaluated/);
    // Every outcome says what it means; the before-and-after change alone is shown only when enough people were matched to
    // publish it (disclosure control withholds it for the demo's few evaluable episodes on some populations).
    const verdicts = await analyst.page.locator('[data-testid=evaluation-table] tbody tr td:last-child').allTextContents();
    expect(verdicts.filter((t) => t.trim().length === 0)).toEqual([]);
    await analyst.page.locator('section[aria-labelledby=caseload-evaluation-heading]').screenshot({ path: join(SCREENSHOTS, 'caseload-evaluation.png') });
    expect(analyst.errors).toEqual([]);
    await analyst.context.close();
  });
});
