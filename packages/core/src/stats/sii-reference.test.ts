/**
 * The slope index of inequality against the test cases published with PHEindicatormethods (the
 * package's testdata_SII workbook as CSV, `phe_sii_testdata.csv`), read at test time from the shared
 * data folder (../shared/data/reference-stats, or $PHM_SHARED_DATA/reference-stats) when it is there,
 * as the other reference-stats files are: the project carries no copy of the package's (GPL-3) test
 * data (docs/decisions/0010-no-gpl-test-data-in-the-repository.md). Without the file these
 * cases are skipped; the formula-derived tests of inequality.test.ts always run.
 * Every value type, 95/98/99% and two levels at once, multipliers 100 and negative (polarity), log
 * and logit transformation, quintiles. SII, RII and intercept are deterministic and must agree to
 * 1e-12; the limits are simulated (by R and here, 100,000 repetitions each) and must agree to within
 * 2.5% of the interval's width. Columns: see docs/statistics.md, "Reference results".
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../random/prng.js';
import { type SiiValueType, slopeIndexOfInequality } from './inequality.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const sharedData = process.env.PHM_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data');
const file = path.join(sharedData, 'reference-stats', 'phe_sii_testdata.csv');
const present = existsSync(file);

type Row = Record<string, string>;


/** The fixture is written by Python's csv module: quoted fields only where a comma appears. */
const readRows = (): Row[] => {
  if (!present) return [];
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(head!);
  return lines.map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
};

const rows = readRows();
const cases = new Map<string, Row[]>();
for (const row of rows) {
  const key = `${row.case} (${row.area})`;
  cases.set(key, [...(cases.get(key) ?? []), row]);
}
const calculations = [...cases.entries()].filter(([, group]) => !/error handling|warning handling/.test(group[0]!.case!));

const n = (text: string | undefined): number | null => (text === undefined || text === '' ? null : Number(text));

const closeTo = (actual: number, expected: number, what: string): void => {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
};

describe.skipIf(!present)('slope index of inequality: PHEindicatormethods test cases (shared reference-stats/phe_sii_testdata.csv)', () => {
  it('has the published calculation cases', () => {
    expect(rows).toHaveLength(505);
    expect(calculations.length).toBe(44);
  });

  calculations.forEach(([label, group]) => {
    const first = group[0]!;
    const confidence = first.confidence!.split(' ').map(Number);
    const multiplier = Number(first.multiplier);
    it(label, () => {
      const result = slopeIndexOfInequality(
        group.map((r) => ({
          rank: Number(r.quantile),
          value: n(r.value) ?? Number(r.count) / Number(r.population),
          population: Number(r.population),
          lowerCI: n(r.lower_cl),
          upperCI: n(r.upper_cl),
        })),
        {
          valueType: first.value_type as SiiValueType,
          transform: first.transform === 'true',
          multiplier,
          confidence,
          simulations: 100_000,
          random: Random.fromKey(`phe-sii/${label}`),
        },
      );
      closeTo(result.sii, Number(first.sii), 'sii');
      if (first.rii !== '') closeTo(result.rii, Number(first.rii), 'rii');
      // The reference reports the back-transformed intercept × |multiplier| when transformed, the raw one otherwise.
      if (first.intercept !== '') closeTo(result.intercept * (first.transform === 'true' ? Math.abs(multiplier) : 1), Number(first.intercept), 'intercept');
      confidence.forEach((level, i) => {
        const suffix = `_${i + 1}`;
        for (const [measure, intervals] of [['sii', result.siiIntervals], ['rii', result.riiIntervals]] as const) {
          const lower = n(first[`${measure}_lower${suffix}`]);
          const upper = n(first[`${measure}_upper${suffix}`]);
          if (lower === null || upper === null) continue;
          const tolerance = 0.025 * Math.abs(upper - lower);
          expect(Math.abs(intervals[i]!.lower! - lower), `${measure} lower at ${level}`).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(intervals[i]!.upper! - upper), `${measure} upper at ${level}`).toBeLessThanOrEqual(tolerance);
        }
      });
    });
  });
});
