/**
 * Browser test of saved cohorts (issue 16, item 7): an analyst builds a cohort in the cohort builder,
 * breaks its count down by ethnic group, saves it with a name (shared with their team), reopens it
 * from the saved list and sees version 1, edits it and saves version 2; the version history shows
 * both, and the cohort is usable for a worklist. The built web app served by @openphm/server on a
 * small synthetic partnership, in Debian's Chromium (as browser.test.ts); screenshot saved-cohort.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeography } from '@openphm/reference-data';
import { createServer, DEMO_PASSWORD } from '@openphm/server';
import { buildDatabase } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 8_000;
const NAME = 'Over-70s for the frailty review';
const ID = 'over-70s-for-the-frailty-review';

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-saved-cohorts-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'saved-cohorts', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'saved-cohorts.duckdb');
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const expectText = async (page: Page, selector: string, text: RegExp | string) => {
  await page.waitForSelector(selector);
  await page.waitForFunction(
    ([s, t, isRe]) => {
      const content = document.querySelector(s as string)?.textContent ?? '';
      return isRe ? new RegExp(t as string).test(content) : content.includes(t as string);
    },
    [selector, text instanceof RegExp ? text.source : text, text instanceof RegExp] as const,
    { timeout: 20_000 },
  );
};

/** An API call from inside the page (with the page's session cookie): the status code. */
const statusOf = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);

describe('saved cohorts in Chromium', () => {
  it('analyst: builds a cohort, breaks it down by ethnic group, saves it, reopens version 1 and saves version 2', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${base}#/login`);
    await page.getByLabel('Email').fill('analyst@demo');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page, '[data-testid=who]', /Demo/);

    // Build: people aged 70 and over, counted by ethnic group as well as the default breakdowns.
    await page.goto(`${base}#/cohorts`);
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    await page.getByLabel('Value of criterion 1.1').fill('70');
    await page.locator('#cohort-title').fill(NAME);
    await page.locator('.checks label', { hasText: 'Ethnic group' }).locator('input').check();
    await page.waitForSelector('[data-testid=cohort-breakdown-ethnic-group]');
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    await expectText(page, '[data-testid=cohort-breakdown-ethnic-group]', /White/);

    // Save it with a name, a description, shared with the analysts.
    await page.locator('#save-description').fill('People aged 70+ for the frailty review, by ethnic group');
    await page.locator('#save-sharing').selectOption('team');
    await page.getByRole('button', { name: 'Save cohort' }).click();
    await expectText(page, '[data-testid=save-status]', `as ${ID}, version 1`);
    await expectText(page, '[data-testid=saved-cohorts]', NAME);

    // Reopen it from the saved list in a fresh page: version 1, with its criteria.
    await page.goto(`${base}#/dashboard`);
    await page.goto(`${base}#/cohorts`);
    await page.getByRole('button', { name: `Open ${NAME}` }).click();
    await expectText(page, '[data-testid=stored-description]', 'saved cohort, version 1');
    expect(await page.getByLabel('Value of criterion 1.1').inputValue()).toBe('70');
    await expectText(page, '[data-testid=cohort-versions]', 'Open version 1');
    expect(await page.locator('[data-testid=cohort-versions] tbody tr').count()).toBe(1);

    // Edit and save version 2; both versions are in the history, and version 1 still opens.
    await page.getByLabel('Value of criterion 1.1').fill('75');
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page, '[data-testid=save-status]', `version 2 of ${ID}`);
    await expectText(page, '[data-testid=stored-description]', 'saved cohort, version 2');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cohort-versions] tbody tr').length === 2);
    await page.locator('.checks label', { hasText: 'Ethnic group' }).locator('input').check();
    await page.waitForSelector('[data-testid=cohort-breakdown-ethnic-group]');
    await expectText(page, '[data-testid=count-status]', 'Up to date');
    await page.screenshot({ path: join(SCREENSHOTS, 'saved-cohort.png'), fullPage: true });
    await page.getByRole('button', { name: 'Open version 1' }).click();
    await expectText(page, '[data-testid=stored-description]', 'version 1, an earlier version');
    expect(await page.getByLabel('Value of criterion 1.1').inputValue()).toBe('70');
    expect(await page.getByRole('link', { name: /Use for a worklist/ }).getAttribute('href')).toBe(`#/worklist?cohort=${ID}&version=1`);

    // Usable for a worklist: the latest by id, and an earlier version by number (above).
    await page.getByRole('button', { name: 'Open version 2' }).click();
    await expectText(page, '[data-testid=stored-description]', 'saved cohort, version 2');
    expect(await page.getByRole('link', { name: /Use for a worklist/ }).getAttribute('href')).toBe(`#/worklist?cohort=${ID}`);
    const neighbourhood = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
    expect(await statusOf(page, `/api/worklist?cohort=${ID}&neighbourhood=${neighbourhood}`)).toBe(200);
    expect(await statusOf(page, `/api/worklist?cohort=${ID}&neighbourhood=${neighbourhood}&version=1`)).toBe(200);
    await page.getByRole('link', { name: /Use for a worklist/ }).click();
    await page.waitForSelector('#worklist-cohort');
    expect(await page.locator('#worklist-cohort').inputValue()).toBe(ID);
    // In the list, a saved cohort says so, apart from the cohort files deployed with the server.
    expect(await page.locator('#worklist-cohort option:checked').textContent()).toMatch(/ \(saved\)$/);
    expect(await page.locator('#worklist-cohort option[value=frail-65-emergency-admission]').textContent()).not.toMatch(/saved/);

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
