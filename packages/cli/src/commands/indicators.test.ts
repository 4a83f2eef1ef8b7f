/** `phm indicators` end to end on a small synthetic partnership (the built CLI; npm test builds first). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE } from '@openphm/core';
import { phmRunner } from '../test-support.js';

const { phm, cleanup } = phmRunner('ind');
afterAll(cleanup);

interface Row { indicator_id: string; breakdown: string; group: string; numerator: number | null; value: number | null; suppressed: boolean; note: string }

let rows: Row[];
beforeAll(async () => {
  const g = await phm('generate', '--size', '20000', '--seed', 'ind', '--db', 'p.duckdb', '-q');
  if (g.code !== 0) throw new Error(g.stderr);
  const r = await phm('indicators', 'run', '--db', 'p.duckdb', '--by', 'ics,place,imd-quintile,neighbourhood', '--format', 'json', '-q');
  if (r.code !== 0) throw new Error(r.stderr);
  rows = JSON.parse(r.stdout) as Row[];
}, 300_000);

describe('phm indicators', () => {
  it('lists the catalogue', async () => {
    const r = await phm('indicators', 'list');
    expect(r.code).toBe(0);
    for (const d of INDICATOR_CATALOGUE) expect(r.stdout).toContain(d.id);
  });

  it('computes every indicator of the catalogue for the partnership', () => {
    for (const d of INDICATOR_CATALOGUE) expect(rows.some((r) => r.indicator_id === d.id && r.breakdown === 'ics'), d.id).toBe(true);
  });

  it('never publishes a count of 1-7, and computes proportions from the published counts', () => {
    for (const r of rows) {
      if (r.numerator === null) continue;
      expect(r.numerator === 0 || r.numerator >= 8, `${r.indicator_id} ${r.group} ${r.numerator}`).toBe(true);
      expect(Number.isInteger(r.numerator)).toBe(true);
      const def = INDICATOR_CATALOGUE.find((d) => d.id === r.indicator_id)!;
      if (def.measure.kind === 'person-proportion' && r.value !== null && r.denominator) expect(r.value).toBeCloseTo((r.numerator / r.denominator) * def.multiplier, 4);
    }
    const suppressed = rows.filter((r) => r.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const r of suppressed) expect(r.note).not.toBe('');
  });

  it('shows the deprivation gradient of the synthetic data', () => {
    const q = (id: string, group: string) => rows.find((r) => r.indicator_id === id && r.breakdown === 'imd-quintile' && r.group === group)!.value!;
    expect(q('smoking-prevalence', '1')).toBeGreaterThan(q('smoking-prevalence', '5'));
    expect(q('emergency-admissions', '1')).toBeGreaterThan(q('emergency-admissions', '5'));
    expect(q('prevalence-diabetes', '1')).toBeGreaterThan(q('prevalence-diabetes', '5'));
  });

  it.each([
    [['indicators', 'run', 'no-such-indicator', '--db', 'p.duckdb'], 4, "unknown indicator 'no-such-indicator'"],
    [['indicators', 'run', '--db', 'p.duckdb', '--by', 'postcode'], 2, "unknown breakdown 'postcode'"],
    [['indicators', 'run', 'smoking-prevalence', '--db', 'p.duckdb', '--year', '2015'], 2, 'outside the data'],
  ])('rejects %j with exit code %d', async (args, code, message) => {
    const r = await phm(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });
});
