/**
 * Browser tests of a team that works together, the whole way for one person: a care coordinator
 * finds them by NHS number and reads their record; raises a task from the worklist for a colleague
 * and takes them onto the caseload; discusses them at an MDT meeting, recording the outcome as a
 * task; writes a note and refers them from the person page to a service; an administrator sets up an
 * account for that service (Accounts, Services), whose worker accepts the referral in the service's
 * inbox; the colleague finds the tasks in My work (with the unread count in the navigation); the
 * coordinator is told of the acceptance and records a caseload review (clearing "due"). An analyst
 * gets none of it. The built web app served by @openphm/server against a small synthetic
 * partnership with its identity store, in Debian's Chromium (as browser.test.ts).
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
import { createServer, createUser, DEMO_PASSWORD } from '@openphm/server';
import { buildDatabase, identityByPersonId, identityFileOf, openIdentityStore, readMeta, type IdentityRecord } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 6_000;
/** The worklists the person is looked for on, in order. */
const COHORTS = ['carers-multimorbidity', 'multimorbidity-imd-q1', 'frail-65-emergency-admission', 'high-intensity-ae-users', 'respiratory-case-finding', 'dementia-diagnosed-12m', 'smi-no-recent-gp'];

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** The person followed the whole way: on a worklist of the demo team, registered with one of its practices (a care relationship), on no caseload. */
let person: IdentityRecord;
/** The worklist they are on. */
let cohort: string;

/** The first person on a stored cohort's worklist whom the demo team cares for and has not taken on, as the team's worklist shows them. */
const personToFollow = async (): Promise<{ personId: string; cohort: string }> => {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'neighbourhood@demo', password: DEMO_PASSWORD } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const neighbourhood = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  for (const id of COHORTS) {
    const list = await app.inject({ method: 'GET', url: `/api/worklist?cohort=${id}&neighbourhood=${neighbourhood}`, headers: { cookie } });
    const people = (list.json() as { people: { personId: string; state: { caseload: unknown; careRelationships: string[] | null } | null }[] }).people;
    const found = people.find((p) => p.state !== null && p.state.caseload === null && (p.state.careRelationships ?? []).includes('registered'));
    if (found) return { personId: found.personId, cohort: id };
  }
  throw new Error('no stored cohort lists someone the demo team cares for and has not taken on');
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-team-'));
  const [geography, identities] = await Promise.all([loadGeography(), loadIdentityReference()]);
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'team', size: SIZE, outDir: csvDir, workers: 0, identities });
  const duckdbFile = join(dir, 'team.duckdb');
  await buildDatabase({ outFile: duckdbFile, csvDir, geography, threads: 2, meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) } });
  rmSync(csvDir, { recursive: true, force: true });
  app = await createServer({ duckdbFile, webDir: WEB_DIST, demoAccounts: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const neighbourhoodId = app.openphm.seededAccounts.find((a) => a.role === 'neighbourhood')!.neighbourhoodId!;
  // A colleague in the same team, to assign work to; and an account the administrator sets up for the service referred to.
  await createUser(app.openphm.ops, { email: 'colleague@demo', displayName: 'Demo colleague', password: DEMO_PASSWORD, role: 'neighbourhood', neighbourhoodId });
  await createUser(app.openphm.ops, { email: 'worker@demo', displayName: 'Demo service worker', password: DEMO_PASSWORD, role: 'neighbourhood', neighbourhoodId });
  const followed = await personToFollow();
  cohort = followed.cohort;
  const store = (await openIdentityStore(identityFileOf(duckdbFile), (await readMeta(app.openphm.data)).build_id))!;
  person = (await identityByPersonId(store, Number(followed.personId)))!;
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
/** Text as a regular expression that matches it literally. */
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const statusOf = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);

describe('a team that works together', () => {
  it('follows one person the whole way: found by NHS number, the record, a task from the worklist, the MDT, a referral the service accepts, a caseload review', async () => {
    const id = String(person.personId);
    const nhs = formatNhsNumber(parseNhsNumber(person.nhsNumber));
    const today = new Date().toISOString().slice(0, 10);
    const { context, page, errors } = await session();
    await logIn(page, 'neighbourhood@demo');
    expect(await navLabels(page)).toEqual(expect.arrayContaining(['Find a person', 'My work', 'MDT meetings', 'Service inbox', 'Caseload']));

    // Found by NHS number, and their record read: who they are, and the record in plain terms.
    await page.getByRole('link', { name: 'Find a person' }).click();
    await page.locator('#find-nhs').fill(nhs);
    await page.getByRole('button', { name: 'Find' }).click();
    const found = page.locator(`[data-testid=search-result][data-person-id="${id}"]`);
    await found.waitFor();
    expect(await found.innerText()).toContain(person.familyName.toUpperCase());
    await found.getByRole('link', { name: 'Open record' }).click();
    await page.locator(`[data-testid=person][data-person-id="${id}"]`).waitFor();
    expect(await page.locator('[data-testid=identity-nhs-number]').innerText()).toBe(nhs);
    expect(await page.locator('[data-testid=identity-relationship]').innerText()).toContain('a practice of your neighbourhood');
    for (const section of ['risk', 'care-gaps', 'conditions', 'medicines', 'timeline']) await page.locator(`[data-testid=section-${section}]`).waitFor();

    // From the worklist: a task for a colleague, and taken onto the caseload with the first review today.
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.locator('#worklist-cohort').selectOption(cohort);
    await page.getByRole('button', { name: 'Show worklist' }).click();
    await page.waitForSelector('[data-testid=worklist-table] tbody tr', { timeout: 60_000 });
    const row = page.locator('[data-testid=worklist-table] tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^\\s*${id}\\s*$`) }) });
    await row.getByRole('button', { name: `Raise a task for person ${id}` }).click();
    const task = page.locator(`[data-testid=raise-task-${id}]`);
    await task.getByLabel('Task').fill('Phone to arrange a carer’s assessment');
    await task.getByLabel('Assign to').selectOption({ label: 'Demo colleague' });
    await task.getByRole('button', { name: 'Raise task' }).click();
    await row.getByText('Task raised').waitFor();
    await row.getByRole('button', { name: `Add person ${id} to the caseload` }).click();
    await row.getByLabel(`Key worker for person ${id}`).fill('Demo neighbourhood team');
    await row.getByLabel(`Next review for person ${id}`).fill(today);
    await row.getByRole('button', { name: 'Add', exact: true }).click();
    await row.getByText('On the caseload').waitFor();

    // At today's MDT: due for discussion (the review has come), put on the agenda, the outcome recorded as a task.
    await page.getByRole('link', { name: 'MDT meetings' }).click();
    await page.getByText('Arrange a meeting').click();
    await page.getByRole('button', { name: 'Arrange meeting' }).click();
    await page.waitForSelector('[data-testid=meeting-title]');
    expect(page.url()).toMatch(/#\/meetings\?id=\d+/);
    const due = page.locator(`[data-testid=due-${id}]`);
    await due.waitFor();
    expect(await due.innerText()).toContain('Caseload review due');
    await due.getByRole('button', { name: `Add person ${id} to the agenda` }).click();
    const outcome = page.locator(`[data-testid=outcome-form-${id}]`);
    await outcome.waitFor();
    await outcome.getByLabel('What the team decided').fill('Offer a carer’s assessment; refer to a carers’ service; review in a month.');
    await outcome.getByLabel('Action 1').fill('Book the carer’s assessment');
    await outcome.getByLabel('Assign to').selectOption({ label: 'Demo colleague' });
    await outcome.getByRole('button', { name: 'Record outcome' }).click();
    await page.waitForSelector(`[data-testid=outcome-${id}]`);
    expect(await page.locator(`[data-testid=outcome-${id}]`).innerText()).toContain('Task: Book the carer’s assessment, Demo colleague');
    await shot(page, 'mdt-meeting');

    // On the person page: a note, and a referral to a service.
    await page.goto(`${base}#/person?id=${id}`);
    await page.waitForSelector('[data-testid=notes-panel]');
    await page.getByLabel('New note').fill('Cares for her husband; finds evenings hardest.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForSelector('[data-testid=person-notes] li');
    expect(await page.locator('[data-testid=person-notes]').innerText()).toContain('finds evenings hardest');
    await page.getByRole('button', { name: `Refer person ${id} to a service` }).click();
    const refer = page.locator(`[data-testid=refer-${id}]`);
    await refer.waitFor();
    await refer.getByLabel('Reason').selectOption('carer-strain');
    await refer.getByRole('button', { name: 'Refer' }).click();
    const referred = page.getByText(/^\s*Referred to /);
    await referred.waitFor();
    const service = (await referred.innerText()).trim().replace(/^Referred to /, '').replace(/\.$/, '');
    expect(service).not.toBe('');
    expect(errors).toEqual([]);

    // An administrator sets up an account for the service: it works for that service (Accounts, Services).
    const admin = await session();
    await logIn(admin.page, 'admin@demo');
    await admin.page.goto(`${base}#/accounts`);
    const account = admin.page.locator('[data-testid=accounts-table] tr[data-email="worker@demo"]');
    await account.getByRole('button', { name: 'Change the services worker@demo works for' }).click();
    const editor = account.locator('fieldset.services-editor');
    await editor.getByLabel('Find a service').fill(service);
    await editor.getByRole('checkbox', { name: new RegExp(`^${escaped(service)}`) }).check();
    await shot(admin.page, 'account-services');
    await editor.getByRole('button', { name: 'Save services' }).click();
    await expect.poll(() => admin.page.locator('[data-testid=accounts-message]').textContent()).toBe(`worker@demo works for ${service}.`);
    // The message and the table's row are drawn from the same answer, but not necessarily in the same frame.
    await expect.poll(() => account.locator('[data-testid=account-services]').innerText()).toContain(service);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // The service's worker accepts the referral in the service's inbox.
    const worker = await session();
    await logIn(worker.page, 'worker@demo');
    await worker.page.getByRole('link', { name: 'Service inbox' }).click();
    const referral = worker.page.locator(`[data-testid=inbox-${id}]`);
    await referral.waitFor();
    expect(await referral.innerText()).toContain(service);
    await shot(worker.page, 'service-inbox');
    await referral.getByRole('button', { name: `Accept the referral of person ${id} to ${service}` }).click();
    await referral.waitFor({ state: 'detached' });
    await worker.page.locator('#inbox-show').selectOption('decided');
    await referral.waitFor();
    expect(await referral.innerText()).toContain('Accepted');
    expect(worker.errors).toEqual([]);
    await worker.context.close();

    // The colleague finds the two tasks in My work (the unread count in the navigation), and does the first.
    const colleague = await session();
    await logIn(colleague.page, 'colleague@demo');
    await colleague.page.waitForSelector('[data-testid=unread-count]');
    expect(await colleague.page.locator('[data-testid=unread-count]').innerText()).toMatch(/^2/);
    await colleague.page.getByRole('link', { name: 'My work' }).click();
    await colleague.page.waitForSelector('[data-testid=my-tasks] tbody tr');
    const notes = await colleague.page.locator('[data-testid=notification-task-assigned]').allInnerTexts();
    expect(notes.join('\n')).toContain(`Task for person ${id}: Phone to arrange a carer’s assessment`);
    expect(notes.join('\n')).toContain(`Task for person ${id}: Book the carer’s assessment`);
    const tasks = await colleague.page.locator('[data-testid=my-tasks]').innerText();
    expect(tasks).toContain('From a worklist');
    expect(tasks).toContain('From an MDT meeting');
    await shot(colleague.page, 'my-work');
    await colleague.page.getByRole('button', { name: 'Mark all read' }).click();
    await colleague.page.waitForSelector('[data-testid=unread-count]', { state: 'detached' });
    await colleague.page.getByRole('button', { name: `Done: Phone to arrange a carer’s assessment (person ${id})` }).click();
    await colleague.page.getByRole('button', { name: `Done: Phone to arrange a carer’s assessment (person ${id})` }).waitFor({ state: 'detached' });
    expect(colleague.errors).toEqual([]);
    await colleague.context.close();

    // The coordinator is told the service accepted, sees it on the record, and records the caseload review: no longer due.
    await page.getByRole('link', { name: 'My work' }).click();
    await page.waitForSelector('[data-testid=notification-referral-decided]');
    expect(await page.locator('[data-testid=notification-referral-decided]').allInnerTexts()).toContainEqual(expect.stringContaining(`${service} accepted the referral of person ${id}`));
    await page.goto(`${base}#/person?id=${id}`);
    await page.waitForSelector('[data-testid=person-referrals]');
    expect(await page.locator('[data-testid=person-referrals]').innerText()).toMatch(new RegExp(`${escaped(service)}[\\s\\S]*accepted`, 'i'));
    await page.getByRole('link', { name: 'Caseload' }).click();
    await page.waitForSelector('[data-testid=caseload-count]');
    const dueBefore = Number((await page.locator('[data-testid=caseload-count]').innerText()).match(/(\d+) reviews? due/)![1]);
    expect(dueBefore).toBeGreaterThan(0);
    const episode = page.locator(`[data-testid=caseload-${id}]`);
    await episode.getByRole('button', { name: `Record a review of person ${id}` }).click();
    const review = page.locator(`[data-testid=record-review-${id}]`);
    await review.getByLabel('Outcome').selectOption('more-support');
    await review.getByLabel('Note').fill('Carer’s assessment booked; the carers’ service has accepted her.');
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
    for (const url of ['/api/care/tasks', '/api/care/meetings', '/api/care/inbox', '/api/care/notifications', `/api/care/people/${person.personId}/notes`, `/api/care/search?nhsNumber=${person.nhsNumber}`]) expect(await statusOf(page, url)).toBe(403);
    await page.goto(`${base}#/my-work`);
    await page.getByText('does not give access to this page').waitFor();
    await context.close();
  });
});
