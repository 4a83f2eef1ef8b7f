/**
 * Browser test of the outcome map (issue 16 item 3): as the public, map an indicator by place,
 * coloured by its comparison with the ICS and then with England (OHID's published value for the
 * same period), switch to the table of the same published figures, go down to neighbourhoods and
 * LSOAs, and find an area by postcode (and be told clearly when a postcode is unknown). The built
 * web app served by @openphm/server against a small synthetic partnership whose five-year window
 * ends in March 2023, so that its latest year, 2022/23, is one England publishes smoking prevalence
 * for (QOF, Fingertips 91547, in the shared extract, imported as the demo does); in Debian's Chromium.
 * Screenshots docs/screenshots/outcome-map.png, outcome-map-england.png and postcode-search.png.
 * Nothing is skipped: without Chromium, the built app or the shared England extract the test fails and says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeography, resolveSharedDataDir } from '@openphm/reference-data';
import { createServer, ENGLAND_LABEL, importBenchmarks } from '@openphm/server';
import { buildDatabase, createDuckDbEngine } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';

const CHROMIUM = process.env.PHM_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SIZE = 10_000;
const INDICATOR = 'smoking-prevalence';
/** The synthetic window: five financial years to March 2023 (England's smoking prevalence is published to 2022/23). */
const WINDOW_START = '2018-04-01';
const ENGLAND_FILE = join(resolveSharedDataDir(), 'benchmarks', 'england_fingertips.csv');

let dir: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set PHM_CHROMIUM.`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built (${WEB_DIST} has no index.html): run npm run build first.`);
  if (!existsSync(ENGLAND_FILE)) throw new Error(`the shared England extract ${ENGLAND_FILE} is missing: set PHM_SHARED_DATA to the shared data folder.`);
  dir = mkdtempSync(join(tmpdir(), 'phm-outcome-map-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: 'outcome-map', size: SIZE, outDir: csvDir, workers: 0, windowStart: WINDOW_START, years: 5 });
  const duckdbFile = join(dir, 'map.duckdb');
  await buildDatabase({
    outFile: duckdbFile,
    csvDir,
    geography,
    threads: 2,
    meta: { source: 'synthetic', seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) },
  });
  rmSync(csvDir, { recursive: true, force: true });
  // One breakdown per query (not every breakdown at once, as phm serve does for its reports): the
  // ICS dashboard, where the page reads England's value, needs only the ICS and IMD deciles of each indicator.
  app = await createServer({ duckdbFile, webDir: WEB_DIST, indicatorEngine: (data) => createDuckDbEngine(data), logger: false });
  // England's values as the demo loads them (real published figures, labelled as such).
  await importBenchmarks(app.openphm.ops, ENGLAND_FILE, readFileSync(ENGLAND_FILE, 'utf8'), { label: ENGLAND_LABEL, by: null });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  // The ICS dashboard (every indicator, where the page reads England's value), computed once as the
  // served app's precompute does at start (phm serve), so that the page's first request is not the one that waits.
  const warm = await app.inject({ method: 'GET', url: '/api/dashboard?area=ics' });
  if (warm.statusCode !== 200) throw new Error(`the ICS dashboard failed: ${warm.statusCode} ${warm.body}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const expectText = async (page: Page, selector: string, text: RegExp | string, timeout = 20_000) => {
  await page.waitForSelector(selector, { timeout });
  await page
    .waitForFunction(
      ([s, t, isRe]) => {
        const content = document.querySelector(s as string)?.textContent ?? '';
        return isRe ? new RegExp(t as string).test(content) : content.includes(t as string);
      },
      [selector, text instanceof RegExp ? text.source : text, text instanceof RegExp] as const,
      { timeout },
    )
    .catch(async (error: unknown) => {
      // Say what the page showed instead (and any problem it reported).
      const shown = await page.locator(selector).first().textContent().catch(() => '(gone)');
      const problems = await page.locator('[role=alert], .error, .notice').allTextContents().catch(() => []);
      throw new Error(`${selector} never showed ${String(text)}; it showed: ${shown}; problems on the page: ${JSON.stringify(problems)}`, { cause: error });
    });
};

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('the outcome map, as the public', () => {
  it('maps an indicator by place against the ICS, shows the same figures as a table, goes down to LSOAs, and finds an area by postcode', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The published figures the page must show (the results API, as anyone can fetch them).
    const places = (await (await fetch(`${base}/api/indicators/${INDICATOR}/results?by=place`)).json()) as { rows: { group: string; value: number | null; suppressed: boolean }[] };
    const geography = (await (await fetch(`${base}/api/geography`)).json()) as { places: { id: string; name: string }[] };

    await page.goto(`${base}#/map`);
    await page.waitForSelector('[data-testid=map] path[data-lsoa]');
    await page.locator('#indicator').selectOption(INDICATOR);
    await page.waitForSelector(`[data-testid=map][data-mapped="${INDICATOR}:place"] path[data-comparison]`);
    await expectText(page, '[data-testid=map-legend]', 'than the ICS');
    await expectText(page, '[data-testid=map-benchmark]', /The ICS: \d/);
    // Every LSOA takes its place's comparison; the colours are the Fingertips ones.
    const comparisons = await page.locator('[data-testid=map] path[data-comparison]').evaluateAll((els) => [...new Set(els.map((e) => `${e.getAttribute('data-area')}=${e.getAttribute('data-comparison')}`))]);
    expect(comparisons.length).toBe(geography.places.length);
    for (const c of comparisons) expect(c).toMatch(/=(better|similar|worse|not-compared)$/);
    expect(await page.locator('[data-testid=map-legend] li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^ ?Better than the ICS \(\d+\)$/), expect.stringMatching(/Worse than the ICS \(\d+\)$/)]));
    await expectText(page, '[data-testid=disclosure-note]', 'How these figures are protected');
    expect(page.url()).toContain(`indicator=${INDICATOR}`);
    await shot(page, 'outcome-map');

    // Compared with England: OHID's value for the same year (real, published), each place's interval against it.
    // (The page reads England's value from the ICS dashboard, every indicator: slow on a loaded machine the first time.)
    await page.locator('#against').selectOption('england');
    await expectText(page, '[data-testid=map-benchmark]', /England \d/, 300_000);
    const dashboard = (await (await fetch(`${base}/api/dashboard?area=ics`)).json()) as { indicators: { id: string; england: { value: number; period: string } | null }[] };
    const england = dashboard.indicators.find((i) => i.id === INDICATOR)?.england ?? null;
    expect(england, 'England publishes smoking prevalence for 2022/23 (shared extract)').not.toBeNull();
    await expectText(page, '[data-testid=map-benchmark]', `England ${england!.value.toFixed(1)}% (${england!.period};`);
    await expectText(page, '[data-testid=map-benchmark]', "compared with England's value");
    expect(await page.locator('[data-testid=map-legend]').getAttribute('aria-label')).toBe('Compared with England');
    expect(await page.locator('#colouring option[value=significance]').textContent()).toBe('Better, similar or worse than England');
    expect(page.url()).toContain('against=england');
    const legend = await page.locator('[data-testid=map-legend] li').evaluateAll((lis) => lis.map((li) => [li.textContent?.trim() ?? '', (li.querySelector('.swatch') as HTMLElement | null)?.style.backgroundColor ?? '']));
    for (const [label] of legend) expect(label).toMatch(/^(Better than England|Similar to England|Worse than England|Withheld \(small numbers\) or not published) \(\d+\)$/);
    // Each place's colour: lower is better, so better when its whole interval is below England's value, worse when above.
    const expected = (r: { value: number | null; lower_95?: number | null; upper_95?: number | null; suppressed: boolean }) =>
      r.suppressed || r.value === null || r.lower_95 == null || r.upper_95 == null ? 'not-compared' : r.upper_95 < england!.value ? 'better' : r.lower_95 > england!.value ? 'worse' : 'similar';
    const withIntervals = places.rows as { group: string; value: number | null; lower_95?: number | null; upper_95?: number | null; suppressed: boolean }[];
    const byPlace = await page.locator('[data-testid=map] path[data-comparison]').evaluateAll((els) => [...new Map(els.map((e) => [e.getAttribute('data-area'), [e.getAttribute('data-comparison'), getComputedStyle(e).fill]])).entries()]);
    expect(byPlace.length).toBe(geography.places.length);
    const swatch = (word: string) => legend.find(([label]) => label!.startsWith(word))?.[1];
    for (const [place, [comparison, fill]] of byPlace) {
      const row = withIntervals.find((r) => r.group === place)!;
      expect(comparison, place!).toBe(expected(row));
      // The colour is the legend's for that class.
      if (comparison !== 'not-compared') expect(fill, place!).toBe(swatch(comparison === 'better' ? 'Better' : comparison === 'worse' ? 'Worse' : 'Similar'));
    }
    await shot(page, 'outcome-map-england');
    await page.locator('#against').selectOption('ics');
    await expectText(page, '[data-testid=map-legend]', 'than the ICS');

    // The table view: one row per place, the published value, its interval and comparison.
    await page.getByRole('button', { name: 'Table' }).click();
    await page.waitForSelector('[data-testid=outcome-table] tbody tr');
    const rows = await page.locator('[data-testid=outcome-table] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-area'), tr.querySelector('td')?.textContent ?? '', tr.querySelector('[data-comparison]')?.getAttribute('data-comparison')]));
    expect(rows.map((r) => r[0]).sort()).toEqual(geography.places.map((p) => p.id).sort());
    for (const [id, value] of rows) {
      const published = places.rows.find((r) => r.group === id)!;
      expect(value, id!).toBe(published.value === null ? '[c]' : `${published.value.toFixed(1)}%`);
    }
    expect(page.url()).toContain('view=table');

    // Down to neighbourhoods and small areas: the same door, withheld figures withheld.
    await page.locator('#level').selectOption('lsoa');
    await page.waitForSelector('[data-testid=outcome-table] tbody tr[data-area^=E01]');
    const lsoaCells = await page.locator('[data-testid=outcome-table] tbody tr td:nth-child(4)').allTextContents();
    for (const c of lsoaCells) expect(c === '[c]' || Number(c.replace(/,/g, '')) >= 8, c).toBe(true);
    await page.getByRole('button', { name: 'Map' }).click();
    await page.waitForSelector(`[data-testid=map][data-mapped="${INDICATOR}:lsoa"]`);
    await page.locator('#level').selectOption('place');
    await page.waitForSelector(`[data-testid=map][data-mapped="${INDICATOR}:place"]`);

    // Postcode search: a mistyped one and one outside the area are refused in words; a Leeds one jumps there.
    await page.getByLabel('Find your area by postcode').fill('Leeds');
    await page.getByRole('button', { name: 'Find' }).click();
    await expectText(page, '[data-testid=postcode-error]', 'not a UK postcode');
    await page.getByLabel('Find your area by postcode').fill('SW1A 1AA');
    await page.getByRole('button', { name: 'Find' }).click();
    await expectText(page, '[data-testid=postcode-error]', /SW1A 1AA is not a postcode of West Yorkshire or Harrogate/);
    await page.getByLabel('Find your area by postcode').fill('ls14dy');
    await page.getByRole('button', { name: 'Find' }).click();
    await expectText(page, '[data-testid=postcode-found]', /LS1 4DY.*E01033016.*of Leeds/);
    await expectText(page, '[data-testid=postcode-found]', 'Royal Mail');
    await expect.poll(() => page.locator('#zoom').inputValue()).toBe('leeds');
    await page.waitForSelector('[data-testid=selected-lsoa]');
    await expectText(page, '[data-testid=area-profile]', 'E01033016');
    await expectText(page, '[data-testid=profile-figure]', /(%|\[c\])/);
    await shot(page, 'postcode-search');
    await page.locator('[data-testid=postcode-found] a', { hasText: 'Outcomes dashboard for Leeds' }).click();
    await expect.poll(() => page.url()).toContain('area=place%3Aleeds');

    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
