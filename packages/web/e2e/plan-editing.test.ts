/**
 * Browser test of plans made in the app (issue 16, item 7): a programme lead creates a strategy for
 * Leeds' Health and Wellbeing Board (which has no plan file), adds a priority, an ambition with a
 * measure (baseline and target), an action meant to move the measure and a risk the action
 * addresses; a board member then reads the board report, in which a measure whose change is not
 * statistically significant is not red ("no significant change") and the risk names its priority
 * and its action. The built web app served by @openphm/server on a small synthetic partnership, in
 * Debian's Chromium (as browser.test.ts); screenshots create-priority.png and board-report-status.png.
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
import { buildDatabase, createDuckDbEngine } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 8_000;
const STRATEGY = 'leeds-hwb';
const MEASURE = 'adults-who-smoke';

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-plan-editing-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'plan-editing', size: SIZE, outDir: csvDir, workers: 0 });
  const duckdbFile = join(dir, 'plan-editing.duckdb');
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
  await expectText(page, '[data-testid=who]', /Demo/);
};

const expectText = async (page: Page, selector: string, text: RegExp | string, timeout = 15_000) => {
  await page.waitForSelector(selector, { timeout });
  await page.waitForFunction(
    ([s, t, isRe]) => {
      const content = document.querySelector(s as string)?.textContent ?? '';
      return isRe ? new RegExp(t as string).test(content) : content.includes(t as string);
    },
    [selector, text instanceof RegExp ? text.source : text, text instanceof RegExp] as const,
    { timeout },
  );
};

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('plans made in the app', () => {
  it('a programme lead makes a plan for Leeds with a priority, a measure, its action and a risk; the board report does not show a non-significant change red', async () => {
    const lead = await session();
    const { page } = lead;
    await logIn(page, 'programme@demo');
    await page.goto(`${base}#/scorecard`);
    await page.waitForSelector('[data-testid=strategy-summary]', { timeout: 60_000 });

    // A strategy for Leeds' Health and Wellbeing Board: the board follows the area chosen.
    await page.getByRole('button', { name: 'New strategy for a board' }).click();
    const form = page.getByRole('form', { name: 'New strategy' });
    await form.getByLabel('Area').selectOption({ label: 'Leeds' });
    expect(await form.getByLabel('Board').inputValue()).toBe('Leeds Health and Wellbeing Board');
    await form.getByLabel('Title').fill('Healthy Leeds');
    await form.getByLabel("Id (the plan file's name)").fill(STRATEGY);
    await form.getByLabel('From').fill('2024-04-01');
    await form.getByLabel('To').fill('2030-03-31');
    await form.getByLabel('What it is for').fill("Leeds' joint local health and wellbeing strategy.");
    await form.getByLabel('First priority').fill('Living well');
    await form.getByLabel('Its first ambition').fill('Fewer people smoke');
    await form.getByLabel('Why it is made').fill('Agreed by the Leeds Health and Wellbeing Board, 3 December 2026');
    await form.getByRole('button', { name: 'Create the strategy' }).click();
    await expectText(page, '[data-testid=strategy-created]', `Created the strategy '${STRATEGY}' (version 1)`);
    await expectText(page, '[data-testid=strategy-summary]', /Leeds Health and Wellbeing Board · Leeds .* version 1/);
    expect(page.url()).toContain(`strategy=${STRATEGY}`);
    // The same id again is refused, saying why.
    await page.getByRole('button', { name: 'New strategy for a board' }).click();
    const again = page.getByRole('form', { name: 'New strategy' });
    await again.getByLabel('Area').selectOption({ label: 'Leeds' });
    for (const [label, value] of [['Title', 'Leeds again'], ["Id (the plan file's name)", STRATEGY], ['From', '2024-04-01'], ['To', '2030-03-31'], ['What it is for', 'Again.'], ['First priority', 'Again'], ['Its first ambition', 'Again'], ['Why it is made', 'Testing']] as const) {
      await again.getByLabel(label).fill(value);
    }
    await again.getByRole('button', { name: 'Create the strategy' }).click();
    await expectText(page, '[data-testid=new-strategy]', `there is already a strategy '${STRATEGY}'`);
    await again.getByRole('button', { name: 'Cancel' }).click();

    // A second priority with its first ambition.
    await page.getByRole('button', { name: 'Add a priority' }).click();
    const priority = page.getByRole('form', { name: 'Add a priority' });
    await priority.getByLabel('Priority', { exact: true }).fill('Starting well');
    await priority.getByLabel('Ambition', { exact: true }).fill('Every child ready for school');
    await priority.getByLabel('Why the change').fill('Agreed by the Leeds Health and Wellbeing Board');
    await shot(page, 'create-priority');
    await priority.getByRole('button', { name: 'Add the priority' }).click();
    await expectText(page, '[data-testid=strategy-saved]', 'Saved as version 2 of the strategy: The priority "Starting well" added. The ambition "Every child ready for school" added.');
    await page.locator('h2', { hasText: 'Starting well' }).waitFor();

    // A measure under the first ambition, from the smoking indicator for Leeds.
    const ambition = page.locator('[data-testid=ambition-fewer-people-smoke]');
    await ambition.getByRole('button', { name: 'Add a measure' }).click();
    const measureForm = page.getByRole('form', { name: 'Add a measure to Fewer people smoke' });
    await measureForm.getByLabel('Measure', { exact: true }).fill('Adults who smoke');
    await measureForm.getByLabel('Indicator').selectOption('smoking-prevalence');
    await measureForm.getByLabel('Why the change').fill('Agreed by the Leeds Health and Wellbeing Board');
    await measureForm.getByRole('button', { name: 'Add the measure' }).click();
    await expectText(page, '[data-testid=strategy-saved]', 'Saved as version 3 of the strategy: Measure "Adults who smoke" added.');
    await expectText(page, `[data-testid=measure-${MEASURE}]`, 'no baseline agreed', 60_000);

    // Its baseline and target: the baseline a year before the latest value at that value, and a target whose line
    // passes half-way into the latest value's 95% confidence interval: behind the line, but not significantly.
    const latest = await page.evaluate(async ([s, m]) => {
      const card = (await (await fetch(`/api/strategies/${s}/scorecard`)).json()) as { measures: { id: string; latest: { date: string; value: number; lower95: number | null; upper95: number | null } | null }[] };
      return card.measures.find((x) => x.id === m)!.latest;
    }, [STRATEGY, MEASURE] as const);
    expect(latest).not.toBeNull();
    expect(latest!.lower95).not.toBeNull();
    const latestAt = Date.parse(`${latest!.date}T00:00:00Z`);
    const baselineAt = latestAt - 365 * DAY;
    const targetAt = Date.parse('2030-03-31T00:00:00Z');
    const fraction = (latestAt - baselineAt) / (targetAt - baselineAt);
    const baseline = Math.round(latest!.value * 100) / 100;
    const behind = (latest!.value - latest!.lower95!) / 2; // lower is better for smoking
    const target = Math.round((baseline - behind / fraction) * 100) / 100;
    await page.locator(`[data-testid=measure-${MEASURE}]`).getByRole('button', { name: /^Show the chart/ }).click();
    await page.locator(`#more-${MEASURE}`).getByRole('button', { name: 'Change the baseline, target, owner or note' }).click();
    const editor = page.locator(`[data-testid=measure-editor-${MEASURE}]`);
    await editor.getByLabel('Baseline', { exact: true }).selectOption('stated');
    await editor.getByLabel('Baseline value').fill(String(baseline));
    await editor.getByLabel('Baseline period', { exact: true }).fill(`Year to ${isoDay(baselineAt)}`);
    await editor.getByLabel('Baseline period end').fill(isoDay(baselineAt));
    await editor.getByLabel('Target', { exact: true }).selectOption('absolute');
    await editor.getByLabel('Target value').fill(String(Math.max(0, target)));
    await editor.getByLabel('Target date').fill('2030-03-31');
    await editor.getByLabel('Why the change').fill('Baseline and target agreed by the Leeds board');
    await editor.getByRole('button', { name: 'Save a new version' }).click();
    await expectText(page, `[data-testid=measure-saved-${MEASURE}]`, /Saved as version 4 of the strategy/);
    await page.locator(`[data-testid=measure-${MEASURE}] [data-testid=status-no-significant-change]`).waitFor({ timeout: 60_000 });

    // An action meant to move the measure.
    await page.goto(`${base}#/actions?strategy=${STRATEGY}`);
    await page.waitForSelector('[data-testid=actions-table]');
    await page.getByRole('button', { name: 'Add an action' }).click();
    await page.getByLabel('Action', { exact: true }).fill('Stop smoking service in every Leeds PCN');
    await page.getByLabel('Priority').selectOption('living-well');
    await page.getByLabel('Ambition').selectOption('fewer-people-smoke');
    await page.getByLabel('Owner group').fill('Leeds tobacco control alliance');
    await page.getByLabel('Named lead').fill('Leeds tobacco lead');
    await page.getByLabel('Due date').fill('2027-06-30');
    await page.getByLabel('RAG rating', { exact: true }).selectOption('amber');
    await page.locator('[data-testid=measure-picker]').getByLabel(/Adults who smoke/).check();
    await page.getByRole('button', { name: 'Add the action' }).click();
    await expectText(page, '[data-testid=actions-table]', 'Stop smoking service in every Leeds PCN');

    // A risk to the priority, addressed by that action.
    await page.goto(`${base}#/risks?strategy=${STRATEGY}`);
    await page.waitForSelector('[data-testid=risk-heatmap]');
    await page.getByRole('button', { name: 'Add a risk' }).click();
    await page.getByLabel('Risk', { exact: true }).fill('Stop smoking service contract lapses');
    await page.getByLabel('Owner').fill('Director of Public Health, Leeds');
    await page.getByLabel('Likelihood', { exact: true }).selectOption('5');
    await page.getByLabel('Impact', { exact: true }).selectOption('4');
    await page.getByLabel('Next review by').fill('2027-01-15');
    await page.getByLabel('Priority it threatens').selectOption('living-well');
    await page.locator('[data-testid=measure-picker]').getByLabel(/Adults who smoke/).check();
    await page.locator('[data-testid=action-picker]').getByLabel(/Stop smoking service in every Leeds PCN/).check();
    await page.getByRole('button', { name: 'Add the risk' }).click();
    await expectText(page, '[data-testid=risks-table]', 'Stop smoking service contract lapses');
    await expectText(page, '[data-testid=risks-table]', 'Priority: Living well');
    await expectText(page, '[data-testid=risks-table]', 'Actions: Stop smoking service in every Leeds PCN');
    expect(lead.errors).toEqual([]);

    // The measure knows what addresses it.
    const links = await page.evaluate(async (s) => (await (await fetch(`/api/strategies/${s}/measure-links`)).json()) as { measures: { measureId: string; actions: { title: string }[]; risks: { title: string }[] }[] }, STRATEGY);
    expect(links.measures.find((m) => m.measureId === MEASURE)).toMatchObject({ actions: [{ title: 'Stop smoking service in every Leeds PCN' }], risks: [{ title: 'Stop smoking service contract lapses' }] });
    // The plan file of the latest version is the interchange format: it names the strategy and its priorities.
    const file = await page.evaluate(async (s) => (await (await fetch(`/api/strategies/${s}/versions/4`)).json()) as { id: string; version: number; priorities: { id: string }[] }, STRATEGY);
    expect([file.id, file.version, file.priorities.map((p) => p.id)]).toEqual([STRATEGY, 4, ['living-well', 'starting-well']]);
    await lead.context.close();

    // A board member reads the report: the measure is counted as no significant change, not raised red, and no recovery plan is asked for.
    const board = await session();
    await logIn(board.page, 'board@demo');
    await board.page.goto(`${base}#/report?strategy=${STRATEGY}`);
    await board.page.waitForSelector('[data-testid=board-report]', { timeout: 60_000 });
    await expectText(board.page, '[data-testid=report-status-summary]', /No significant change\s*1/);
    await expectText(board.page, '[data-testid=conclusions]', 'the change is not statistically significant: no recovery plan is asked for');
    const issues = await board.page.locator('[data-testid=report-issues]').textContent();
    expect(issues).not.toContain('Adults who smoke');
    await expectText(board.page, '[data-testid=report-issues]', /Risk: Stop smoking service contract lapses \(critical, 20\).*Priority: Living well\. Actions: Stop smoking service in every Leeds PCN \(amber, Leeds tobacco lead\)\./);
    await shot(board.page, 'board-report-status');
    // On the scorecard the board member sees the status in words, not red.
    await board.page.goto(`${base}#/scorecard?strategy=${STRATEGY}`);
    await board.page.locator(`[data-testid=measure-${MEASURE}] [data-testid=status-no-significant-change]`).waitFor({ timeout: 60_000 });
    // What is being done about it: the action, and the risk with the action that addresses it.
    await board.page.locator(`[data-testid=measure-${MEASURE}]`).getByRole('button', { name: /^Show the chart/ }).click();
    await expectText(board.page, `[data-testid=measure-links-${MEASURE}]`, 'Stop smoking service in every Leeds PCN');
    await expectText(board.page, `[data-testid=measure-links-${MEASURE}]`, 'Stop smoking service contract lapses');
    await expectText(board.page, `[data-testid=measure-links-${MEASURE}]`, 'Addressed by: Stop smoking service in every Leeds PCN');
    expect(await board.page.getByRole('button', { name: 'New strategy for a board' }).count()).toBe(0);
    expect(board.errors).toEqual([]);
    await board.context.close();
  }, 300_000);
});
