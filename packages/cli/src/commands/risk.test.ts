/**
 * `phm risk` end to end on a 20,000-person synthetic partnership: risk stratification by breakdown,
 * the emergency admission model beating age and sex alone on a later period, and its model card.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakdownSql, openDatabase, riskSummary } from '@openphm/store-duckdb';
import { phmRunner } from '../test-support.js';

const { dir, phm, cleanup } = phmRunner('risk');
const DB = join(dir, 'risk.duckdb');

interface Row { breakdown: string; group: string; measure: string; category: string; people: number | null; group_people: number | null; share: number | null; suppressed: boolean }

beforeAll(async () => {
  const r = await phm('generate', '--size', '20k', '--seed', 'risk-test', '--db', DB, '-q');
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(cleanup);

describe('phm risk', () => {
  let json: { date: string; model: { cStatistic: number; baselineCStatistic: number; trainDate: string; testDate: string; purpose: string; leftOut: number | null; optOuts: string }; plusGroups: string[]; rows: Row[] };
  let stderr: string;

  beforeAll(async () => {
    const r = await phm('risk', '--db', DB, '--by', 'ics,age-band', '--format', 'json', '--model-card', 'docs/models/card.md');
    if (r.code !== 0) throw new Error(r.stderr);
    json = JSON.parse(r.stdout);
    stderr = r.stderr;
  });

  it('fits on one half at window start + 2 years and tests on the other half a year later, beating age and sex alone', () => {
    expect(json.model).toMatchObject({ trainDate: '2023-04-01', testDate: '2024-04-01' });
    expect(json.model.cStatistic).toBeGreaterThan(0.7);
    expect(json.model.cStatistic).toBeGreaterThan(json.model.baselineCStatistic + 0.01);
    expect(stderr).toMatch(/Emergency admission model: C-statistic 0\.\d{3} \(age and sex only 0\.\d{3}\)/);
  });

  it('fits and tests the model for research, leaving out people with opt-outs, and says how many (a published count)', () => {
    expect(json.model.purpose).toBe('research');
    // About 6% of 20,000 people hold an opt-out; the two samples hold up to half of them each.
    expect(json.model.leftOut).toBeGreaterThan(100);
    expect(json.model.optOuts).toBe(`Purpose: research. People with a national data opt-out or a type 1 opt-out are left out: ${json.model.leftOut} of them.`);
    expect(stderr).toContain(json.model.optOuts);
    const card = readFileSync(join(dir, 'docs', 'models', 'card.md'), 'utf8');
    expect(card).toContain('| Sample | Date | Residents | People used | Left out (opt-outs) | Emergency admission in next 12 months |');
    expect(card).toMatch(/fitting and testing a model is research, not individual care/);
  });

  it('writes the model card', () => {
    const card = readFileSync(join(dir, 'docs', 'models', 'card.md'), 'utf8');
    for (const heading of ['# Model card: emergency admission in the next 12 months', '## Intended use', '## Data', '## Features', '## Performance', '### Calibration by decile', '### By sex, ethnic group and deprivation', '## Fairness', '## Limitations']) {
      expect(card).toContain(heading);
    }
    expect(card).toContain(`**${json.model.cStatistic.toFixed(3)}** (age and sex only: ${json.model.baselineCStatistic.toFixed(3)})`);
    expect(card).toContain('synthetic data only');
    expect(card).toContain("seed 'risk-test'");
  });

  it('counts every measure at the last day of the window, disclosure-controlled', () => {
    expect(json.date).toBe('2026-03-31');
    expect(json.plusGroups).toEqual(['learning-disability', 'smi', 'carers', 'ethnic-minority']);
    const ics = json.rows.filter((r) => r.breakdown === 'ics');
    expect([...new Set(ics.map((r) => r.measure))]).toEqual(['frailty', 'conditions', 'multimorbidity-score', 'core20plus5', 'admission-risk']);
    const frailty = ics.filter((r) => r.measure === 'frailty');
    expect(frailty.map((r) => r.category)).toEqual(['fit', 'mild', 'moderate', 'severe']);
    // Shares from the published (perturbed) counts: they add up to 1 within the noise.
    expect(frailty.reduce((a, r) => a + r.share!, 0)).toBeCloseTo(1, 2);
    for (const r of frailty) expect(r.share).toBe(r.people! / r.group_people!);
    const byAge = json.rows.filter((r) => r.breakdown === 'age-band');
    for (const r of byAge) {
      if (r.suppressed) expect(r.people).toBeNull();
      else expect(r.people === 0 || r.people! >= 8).toBe(true);
    }
    // Small cells (e.g. severe frailty under 50) are withheld.
    expect(byAge.some((r) => r.suppressed)).toBe(true);
  });

  it('finds frailty and multimorbidity rising with age, and higher in the most deprived quintile at the same age', async () => {
    const db = await openDatabase(DB);
    try {
      const date = '2026-03-31';
      const summary = await riskSummary(db, date, [['age-band']], { plusGroups: [] });
      const share = (band: string, measure: string, categories: string[]) =>
        summary.rows.filter((r) => r.group === band && r.measure === measure && categories.includes(r.category)).reduce((a, r) => a + r.share, 0);
      const bands = ['35-49', '50-64', '65-74', '75-84', '85+'];
      for (const [measure, categories] of [['frailty', ['moderate', 'severe']], ['conditions', ['3+']], ['multimorbidity-score', ['moderate', 'high']]] as const) {
        const series = bands.map((b) => share(b, measure, [...categories]));
        for (let i = 1; i < series.length; i++) expect(series[i], `${measure} ${bands[i]}`).toBeGreaterThan(series[i - 1]!);
      }
      // Directly age-standardised (to the whole population's age bands): quintile 1 against quintile 5.
      const [row] = await db.query<Record<string, number>>(`
        WITH f AS (SELECT *, ${breakdownSql(['age-band'])} AS band FROM person_features),
        std AS (SELECT band, count(*) / (SELECT count(*) FROM f) AS w FROM f GROUP BY band),
        rates AS (SELECT imd_quintile AS q, band, avg((frailty_category IN ('moderate', 'severe'))::INT) AS frail, avg((condition_count >= 3)::INT) AS mm FROM f GROUP BY ALL)
        SELECT sum(w * frail) FILTER (WHERE q = 1) AS frail1, sum(w * frail) FILTER (WHERE q = 5) AS frail5,
               sum(w * mm) FILTER (WHERE q = 1) AS mm1, sum(w * mm) FILTER (WHERE q = 5) AS mm5
        FROM rates JOIN std USING (band)`);
      expect(row!.frail1).toBeGreaterThan(row!.frail5!);
      expect(row!.mm1).toBeGreaterThan(row!.mm5!);
    } finally {
      db.close();
    }
  });

  it('skips the model with --no-model and takes PLUS groups from --plus', async () => {
    const r = await phm('risk', '--db', DB, '--no-model', '--plus', 'autism,care-home', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('admission-risk');
    expect(r.stdout).toContain('core20plus5,autism');
    expect(r.stdout).toContain('core20plus5,care-home');
    expect(r.stdout).not.toContain('core20plus5,smi');
  });

  it.each([
    [['--plus', 'pirates'], "unknown PLUS group 'pirates'"],
    [['--no-model', '--model-card', 'x.md'], '--model-card needs the model'],
    [['--by', 'ics:ics'], 'cannot be crossed with itself'],
  ])('rejects %j with exit code 2', async (args, message) => {
    const r = await phm('risk', '--db', DB, ...args, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
