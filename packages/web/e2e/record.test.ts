/**
 * Browser tests of the person page for care professionals: the page always shows the person in
 * the address (look-ups, links, Back and Forward), the record in plain terms (alerts, advance care
 * plan, risk with its drivers, care gaps, conditions, medicines, the timeline with filters), how it
 * prints, and worklists that show state (offering only breaking glass for a resident registered with
 * another neighbourhood's practice). The built web app served by @openphm/server against a
 * small synthetic partnership, in Debian's Chromium (as browser.test.ts).
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
const SIZE = 6_000;

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** Residents of the demo team's neighbourhood registered with its practices (a care relationship): the oldest first (they have the most to read). */
let residents: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-record-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'record', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'record.duckdb');
  await buildDatabase({ outFile: duckdbFile, csvDir, geography, threads: 2, meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) } });
  rmSync(csvDir, { recursive: true, force: true });
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const neighbourhoodId = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  residents = (
    await app.openphm.data.query<{ id: string }>(
      `SELECT p.person_id::VARCHAR AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
         JOIN geo_practice gp ON gp.practice_code = p.practice_code JOIN geo_neighbourhood n ON n.pcn_code = gp.pcn_code
       WHERE l.neighbourhood_id = $1 AND n.neighbourhood_id = $1 AND NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id)
       ORDER BY p.date_of_birth, p.person_id LIMIT 3`,
      [neighbourhoodId],
    )
  ).map((r) => r.id);
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

/** Waits until the page shows the record (or summary) of `id`, and says which person it shows. */
const shown = async (page: Page, id: string): Promise<string | null> => {
  await page.waitForSelector(`[data-testid=person][data-person-id="${id}"]`, { timeout: 30_000 });
  return page.locator('[data-testid=person]').getAttribute('data-person-id');
};

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('the person page for care professionals', () => {
  it('always shows the person in the address: look-ups, links, Back and Forward', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    const [a, b, c] = residents as [string, string, string];
    await page.goto(`${base}#/person?id=${a}`);
    expect(await shown(page, a)).toBe(a);
    // Changing the person in the address.
    await page.evaluate((id) => (window.location.hash = `#/person?id=${id}`), b);
    expect(await shown(page, b)).toBe(b);
    expect(await page.locator('[data-testid=person]').count()).toBe(1);
    // Looking someone up adds to the history.
    await page.getByLabel('Person id').fill(c);
    await page.getByRole('button', { name: 'Look up' }).click();
    expect(await shown(page, c)).toBe(c);
    expect(page.url()).toContain(`id=${c}`);
    // Back, Back, Forward: the person of each address in turn, and the look-up box says who.
    await page.goBack();
    expect(await shown(page, b)).toBe(b);
    expect(await page.getByLabel('Person id').inputValue()).toBe(b);
    await page.goBack();
    expect(await shown(page, a)).toBe(a);
    await page.goForward();
    expect(await shown(page, b)).toBe(b);
    expect(await page.title()).toBe(`Person ${b} · OpenPHM`);
    // An address that is not a person id says so, and shows nobody.
    await page.evaluate(() => (window.location.hash = '#/person?id=abc'));
    await page.waitForSelector('[data-testid=person-error]');
    expect(await page.locator('[data-testid=person]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads the record in plain terms, raises an alert, records an advance care plan and filters the timeline', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    const id = residents[0]!;
    await page.goto(`${base}#/person?id=${id}`);
    await shown(page, id);
    for (const section of ['Alerts', 'Advance care plan and end-of-life preferences', 'Frailty and risk', 'Care gaps', 'Conditions', 'Medicines', 'Carers and family', 'Care and support plan', 'Referrals', 'Caseload episodes', 'Timeline']) {
      expect(await page.getByRole('heading', { name: section, exact: true }).count(), section).toBe(1);
    }
    const record = await text(page, '[data-testid=person]');
    expect(record).toMatch(/Registered with\s+[^\n]+ \(\w\d{5}\)/);
    expect(record).not.toContain('(no term)');
    // Risk with what drives it (the model fitted on the partnership), and frailty with its deficits.
    await page.waitForSelector('[data-testid=admission-risk]');
    expect(await text(page, '[data-testid=record-risk]')).toMatch(/eFI \d\.\d\d/);
    expect(await text(page, '[data-testid=admission-risk]')).toMatch(/^\d+(\.\d)?% \(band /);
    expect(await page.locator('[data-testid=record-risk] caption').innerText()).toBe('What drives it, most first');
    // The timeline in words, newest first, filtered to GP appointments.
    expect(await page.locator('[data-testid=timeline-table] tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('checkbox', { name: /^GP appointments/ }).check();
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.waitForFunction(() => /\(gp appointments\)/.test(document.querySelector('[data-testid=timeline-summary]')?.textContent ?? ''));
    const kinds = await page.locator('[data-testid=timeline-table] tbody tr td:nth-child(2) .note').allInnerTexts();
    expect(new Set(kinds)).toEqual(new Set(['GP appointments']));

    // An alert, first on the record.
    await page.getByRole('button', { name: 'Raise an alert' }).click();
    await page.getByLabel('Kind of alert').selectOption('communication');
    await page.getByLabel('What a visitor or caller needs to know').fill('Deaf: book a BSL interpreter for visits.');
    await page.getByRole('button', { name: 'Raise the alert' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=record-alerts]')?.textContent ?? '').includes('Communication needs: Deaf: book a BSL interpreter'));
    // An advance care plan with a DNACPR decision: its date and who made it are required.
    await page.getByRole('button', { name: 'Record an advance care plan' }).click();
    await page.getByLabel('Preferred place of death').selectOption('home');
    await page.getByLabel('CPR decision', { exact: true }).selectOption('dnacpr');
    await page.getByRole('button', { name: 'Record the plan' }).click();
    await page.waitForFunction(() => /give the date the CPR decision was made/.test(document.querySelector('[data-testid=acp-form]')?.textContent ?? ''));
    await page.getByLabel('Date of the CPR decision').fill('2026-02-10');
    await page.getByLabel('Made by (name and role)').fill('Dr A Patel, GP');
    await page.getByLabel("Wishes, in the person's words").fill('To stay at home with the dog.');
    await page.getByRole('button', { name: 'Record the plan' }).click();
    await page.waitForSelector('[data-testid=acp-cpr]');
    expect(await text(page, '[data-testid=acp-cpr]')).toBe('Do not attempt cardiopulmonary resuscitation (DNACPR), decided 10 Feb 2026 by Dr A Patel, GP');
    await page.screenshot({ path: join(SCREENSHOTS, 'person-record.png'), fullPage: true });

    // It prints cleanly: no menu, header, forms or buttons; the care plan alone when printed for the person.
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => ['.side', '.top', '.person-lookup', '[data-testid=record-timeline] form'].map((s) => getComputedStyle(document.querySelector(s)!).display));
    expect(hidden).toEqual(['none', 'none', 'none', 'none']);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=section-alerts]')!).display)).toBe('block');
    await page.evaluate(() => document.body.classList.add('print-care-plan'));
    const planOnly = await page.evaluate(() => ['[data-testid=section-alerts]', '.record-head', '[data-testid=section-care-plan]', '.plan-print-head'].map((s) => getComputedStyle(document.querySelector(s)!).display));
    expect(planOnly).toEqual(['none', 'none', 'block', 'block']);
    await page.evaluate(() => document.body.classList.remove('print-care-plan'));
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('worklists show what is in hand, the risk and the care gaps, and offer "Add to caseload" only to people on no caseload', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await page.goto(`${base}#/worklist`);
    await page.locator('#worklist-cohort').selectOption('frail-65-emergency-admission');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr', { timeout: 60_000 });
    const heads = await page.locator('[data-testid=worklist-table] thead th').allInnerTexts();
    expect(heads).toEqual(expect.arrayContaining(['In hand', 'Admission risk (12 m)', 'Care gaps due']));
    expect(heads.at(-1)).toMatch(/^Caseload/);
    const rows = page.locator('[data-testid=worklist-table] tbody tr');
    // The first row the team may act for (a row without a care relationship offers only breaking glass: the next test).
    const first = rows.filter({ hasNot: page.locator('[data-testid^=no-relationship-]') }).first();
    const firstId = (await first.locator('th').innerText()).trim();
    const addButton = first.getByRole('button', { name: `Add person ${firstId} to the caseload` });
    if ((await addButton.count()) === 1) {
      await addButton.click();
      await first.getByLabel(/^Key worker for person/).fill('Community matron');
      await first.getByRole('button', { name: 'Add', exact: true }).click();
      await first.getByText('On the caseload').waitFor();
    }
    // Shown again: the person is on the caseload, and nothing offers to add them.
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForFunction((id) => {
      const row = [...document.querySelectorAll('[data-testid=worklist-table] tbody tr')].find((r) => r.querySelector('th')?.textContent?.trim() === id);
      return row !== undefined && /On the caseload/.test(row.textContent ?? '');
    }, firstId);
    expect(await rows.filter({ hasText: firstId }).first().getByRole('button', { name: /to the caseload$/ }).count()).toBe(0);
    expect(await page.locator('[data-testid=worklist-in-hand]').first().innerText()).toMatch(/On the caseload|Care plan|open|Nothing yet/);
    await page.screenshot({ path: join(SCREENSHOTS, 'worklist-state.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a worklist row for a resident registered with another neighbourhood’s practice offers only breaking glass, then its actions', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    // Every adult living in the neighbourhood, as the cohort builder would send it to the worklist (this tab's session storage).
    await page.evaluate(() =>
      sessionStorage.setItem('openphm.worklist.definition', JSON.stringify({ id: 'adult-residents', version: 1, title: 'Adults living in the neighbourhood', description: 'Everyone aged 18 or over living in the neighbourhood.', rule: { kind: 'compare', feature: 'age', op: '>=', value: 18 } })),
    );
    await page.goto(`${base}#/worklist?custom=1`);
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr, [data-testid=worklist-error]', { timeout: 60_000 });
    expect(await page.locator('[data-testid=worklist-error]').count(), await page.locator('main').innerText()).toBe(0);
    const cell = page.locator('[data-testid^=no-relationship-]').first();
    const outsider = (await cell.count()) > 0 ? (await cell.getAttribute('data-testid'))!.replace('no-relationship-', '') : '';
    expect(outsider, 'no adult resident is registered with another neighbourhood’s practice').not.toBe('');
    const row = page.locator('[data-testid=worklist-table] tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^\\s*${outsider}\\s*$`) }) });
    await row.scrollIntoViewIfNeeded();
    expect(await row.innerText()).toContain('No care relationship: registered with a practice of another neighbourhood');
    // Nothing that would be refused is offered, and it would be refused.
    expect(await row.getByRole('button', { name: `Raise a task for person ${outsider}` }).count()).toBe(0);
    expect(await row.getByRole('button', { name: `Add person ${outsider} to the caseload` }).count()).toBe(0);
    expect(await row.getByRole('button', { name: `Refer person ${outsider} to a service` }).count()).toBe(0);
    const refused = await page.evaluate(async (personId) => (await fetch('/api/care/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId, title: 'Would be refused' }) })).status, outsider);
    expect(refused).toBe(403);
    // A referral too (it would give the service's workers a care relationship with them): to a service the team may refer to.
    const referral = await page.evaluate(async (personId) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { user: { neighbourhoodId: string } };
      const directory = (await (await fetch(`/api/directory/services?neighbourhood=${me.user.neighbourhoodId}&linkWorker=true`)).json()) as { services: { id: string }[] };
      const serviceId = directory.services[0]?.id ?? '';
      const r = await fetch('/api/referrals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId, serviceId, reason: 'loneliness' }) });
      return { serviceId, status: r.status };
    }, outsider);
    expect(referral.serviceId, 'no service takes link-worker referrals in the neighbourhood').not.toBe('');
    expect(referral.status).toBe(403);
    await row.locator(`[data-testid=no-relationship-${outsider}]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'worklist-no-relationship.png') });
    // Breaking glass with a reason: the row's actions for the grant's four hours.
    await row.getByRole('button', { name: `Break glass to act for person ${outsider}` }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Why do you need this record?').fill('About to take on their care: their GP asked us to visit');
    await dialog.getByRole('button', { name: 'See the record for four hours' }).click();
    await row.getByRole('button', { name: `Raise a task for person ${outsider}` }).waitFor();
    await row.getByRole('button', { name: `Refer person ${outsider} to a service` }).waitFor();
    expect(await page.locator(`[data-testid=no-relationship-${outsider}]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('analysts keep the pseudonymous summary and cannot read the care record', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'analyst@demo');
    const id = residents[0]!;
    await page.goto(`${base}#/person?id=${id}`);
    expect(await shown(page, id)).toBe(id);
    expect(await page.getByRole('heading', { name: 'Alerts' }).count()).toBe(0);
    expect(await page.evaluate(async (u) => (await fetch(u)).status, `/api/care/people/${id}/record`)).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });
});
