/**
 * Browser tests of a team that works together: a care coordinator raises a task from the worklist
 * for a colleague (who sees it in My work, with the unread count in the navigation), writes a note
 * and refers from the person page, the service accepts the referral in its inbox, the team
 * discusses a person at an MDT meeting and records the outcome as tasks, and the coordinator
 * records a caseload review (clearing "due"). An analyst gets none of it. The built web app served
 * by @openphm/server against a small synthetic partnership, in Debian's Chromium (as browser.test.ts).
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

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 6_000;

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let neighbourhoodId: string;
/** Residents of the demo team's neighbourhood (the oldest first): someone to take on to the caseload. */
let residents: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-team-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'team', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'team.duckdb');
  await buildDatabase({ outFile: duckdbFile, csvDir, geography, threads: 2, meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) } });
  rmSync(csvDir, { recursive: true, force: true });
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  neighbourhoodId = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  residents = (
    await app.openphm.data.query<{ id: string }>(
      `SELECT p.person_id::VARCHAR AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       WHERE l.neighbourhood_id = $1 AND NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id)
       ORDER BY p.date_of_birth, p.person_id LIMIT 5`,
      [neighbourhoodId],
    )
  ).map((r) => r.id);
  // A colleague in the same team, to assign work to.
  await createUser(app.openphm.ops, { email: 'colleague@demo', displayName: 'Demo colleague', password: DEMO_PASSWORD, role: 'neighbourhood', neighbourhoodId });
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
const statusOf = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);

describe('a team that works together', () => {
  let personId = '';

  it('raises a task from the worklist for a colleague, who sees it in My work', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    expect(await navLabels(page)).toEqual(expect.arrayContaining(['My work', 'MDT meetings', 'Service inbox']));
    await page.goto(`${base}#/worklist`);
    await page.locator('#worklist-cohort').selectOption('carers-multimorbidity');
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr');
    // The first row the coordinator may act for (a resident registered with another neighbourhood's practice offers only breaking glass).
    const row = page.locator('[data-testid=worklist-table] tbody tr').filter({ hasNot: page.locator('[data-testid^=no-relationship-]') }).first();
    personId = (await row.locator('th').innerText()).trim();
    await row.getByRole('button', { name: `Raise a task for person ${personId}` }).click();
    const form = page.locator(`[data-testid=raise-task-${personId}]`);
    await form.getByLabel('Task').fill('Phone to arrange a carer’s assessment');
    await form.getByLabel('Assign to').selectOption({ label: 'Demo colleague' });
    await form.getByRole('button', { name: 'Raise task' }).click();
    await row.getByText('Task raised').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    const colleague = await session();
    await logIn(colleague.page, 'colleague@demo');
    await colleague.page.waitForSelector('[data-testid=unread-count]');
    expect(await colleague.page.locator('[data-testid=unread-count]').innerText()).toMatch(/^1/);
    await colleague.page.getByRole('link', { name: 'My work' }).click();
    await colleague.page.waitForSelector('[data-testid=notification-task-assigned]');
    expect(await colleague.page.locator('[data-testid=notification-task-assigned]').innerText()).toContain(`Task for person ${personId}: Phone to arrange a carer’s assessment`);
    await colleague.page.waitForSelector('[data-testid=my-tasks] tbody tr');
    expect(await colleague.page.locator('[data-testid=my-tasks]').innerText()).toContain('From a worklist');
    await shot(colleague.page, 'my-work');
    await colleague.page.getByRole('button', { name: 'Mark all read' }).click();
    await colleague.page.waitForSelector('[data-testid=unread-count]', { state: 'detached' });
    await colleague.page.getByRole('button', { name: `Done: Phone to arrange a carer’s assessment (person ${personId})` }).click();
    await colleague.page.waitForSelector('[data-testid=my-tasks-empty]');
    expect(colleague.errors).toEqual([]);
    await colleague.context.close();
  });

  it('writes a note and refers from the person page; the service accepts in its inbox', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await page.goto(`${base}#/person?id=${personId}`);
    await page.waitForSelector('[data-testid=notes-panel]');
    await page.getByLabel('New note').fill('Cares for her husband; finds evenings hardest.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForSelector('[data-testid=person-notes] li');
    expect(await page.locator('[data-testid=person-notes]').innerText()).toContain('finds evenings hardest');
    // The task done in My work shows once done tasks are shown too.
    await page.getByLabel('Show done and cancelled tasks too').check();
    await page.waitForSelector('[data-testid=person-tasks] tbody tr');
    expect(await page.locator('[data-testid=person-tasks]').innerText()).toContain('Done');
    await page.getByRole('button', { name: `Refer person ${personId} to a service` }).click();
    const refer = page.locator(`[data-testid=refer-${personId}]`);
    await refer.waitFor();
    await refer.getByLabel('Reason').selectOption('carer-strain');
    await refer.getByRole('button', { name: 'Refer' }).click();
    await page.getByText(/^\s*Referred to /).waitFor();

    await page.getByRole('link', { name: 'Service inbox' }).click();
    await page.waitForSelector(`[data-testid=inbox-${personId}]`);
    await shot(page, 'service-inbox');
    await page.locator(`[data-testid=inbox-${personId}]`).getByRole('button', { name: /^Accept the referral/ }).click();
    await page.waitForSelector(`[data-testid=inbox-${personId}]`, { state: 'detached' });
    await page.locator('#inbox-show').selectOption('decided');
    await page.waitForSelector(`[data-testid=inbox-${personId}]`);
    expect(await page.locator(`[data-testid=inbox-${personId}]`).innerText()).toContain('Accepted');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('discusses a person at an MDT meeting, recording the outcome as tasks, and records a caseload review', async () => {
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    await page.getByRole('link', { name: 'MDT meetings' }).click();
    await page.getByText('Arrange a meeting').click();
    await page.getByRole('button', { name: 'Arrange meeting' }).click();
    await page.waitForSelector('[data-testid=meeting-title]');
    expect(page.url()).toMatch(/#\/meetings\?id=\d+/);
    // Add the person from the worklist by id (whoever else is due is listed above).
    await page.getByText('Add someone else').click();
    await page.locator('#agenda-person').fill(personId);
    await page.locator('#agenda-reason').fill('Carer strain; referred to a carers’ service');
    await page.locator('[data-testid=agenda-add]').getByRole('button', { name: 'Add to agenda' }).click();
    const form = page.locator(`[data-testid=outcome-form-${personId}]`);
    await form.waitFor();
    await form.getByLabel('What the team decided').fill('Offer a carer’s assessment; review in a month.');
    await form.getByLabel('Action 1').fill('Book the carer’s assessment');
    await form.getByLabel('Assign to').selectOption({ label: 'Demo colleague' });
    await form.getByRole('button', { name: 'Record outcome' }).click();
    await page.waitForSelector(`[data-testid=outcome-${personId}]`);
    expect(await page.locator(`[data-testid=outcome-${personId}]`).innerText()).toContain('Task: Book the carer’s assessment, Demo colleague');
    await shot(page, 'mdt-meeting');

    // Someone taken on with a review today: the review has come. Recorded, it is no longer due.
    await page.getByRole('link', { name: 'Caseload' }).click();
    await page.waitForSelector('[data-testid=caseload-count]');
    await page.getByText('Take someone on').click();
    const add = page.locator('[data-testid=caseload-add]');
    const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
    let dueId = '';
    for (const id of residents) {
      await add.getByLabel('Person id').fill(id);
      await add.getByLabel('Key worker').fill('Demo neighbourhood team');
      await add.getByLabel('Next review').fill(today);
      await add.getByRole('button', { name: 'Add to the caseload' }).click();
      const outcome = await Promise.race([
        page.waitForSelector(`[data-testid=caseload-${id}]`).then(() => 'added'),
        add.getByRole('alert').waitFor().then(() => 'refused'),
      ]);
      if (outcome === 'added') {
        dueId = id;
        break;
      }
    }
    expect(dueId).not.toBe('');
    const dueBefore = Number((await page.locator('[data-testid=caseload-count]').innerText()).match(/(\d+) reviews? due/)![1]);
    expect(dueBefore).toBeGreaterThan(0);
    const due = page.locator(`[data-testid=caseload-${dueId}]`);
    await due.getByRole('button', { name: `Record a review of person ${dueId}` }).click();
    const review = page.locator(`[data-testid=record-review-${dueId}]`);
    await review.getByLabel('Outcome').selectOption('more-support');
    await review.getByLabel('Note').fill('More falls; physiotherapy asked for.');
    await review.getByRole('button', { name: 'Save review' }).click();
    await page.waitForFunction((n) => new RegExp(`; ${n} reviews? due`).test(document.querySelector('[data-testid=caseload-count]')?.textContent ?? ''), dueBefore - 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('gives an analyst none of it', async () => {
    const { context, page } = await session();
    await logIn(page, 'analyst@demo');
    const nav = await navLabels(page);
    for (const label of ['My work', 'MDT meetings', 'Service inbox']) expect(nav).not.toContain(label);
    for (const url of ['/api/care/tasks', '/api/care/meetings', '/api/care/inbox', '/api/care/notifications', `/api/care/people/${personId}/notes`]) expect(await statusOf(page, url)).toBe(403);
    await page.goto(`${base}#/my-work`);
    await page.getByText('does not give access to this page').waitFor();
    await context.close();
  });
});
