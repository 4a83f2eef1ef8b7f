import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGeography } from '@openphm/reference-data';
import {
  CALIBRATION_FIGURES, CALIBRATION_SEED, CALIBRATION_SIZE, calibrationTable, measureCalibration, parseCalibrationTable, whyCell,
  type CalibrationResult,
} from './calibration.js';
import { DOC_PATH, replaceCalibrationTable } from './calibration-table.js';
import { generateInMemory } from './generate.js';

// Issue 15, item 5: the calibration table of docs/synthetic-data.md, checked on the population it
// describes (seed 'calibration', 30,000 people: a few seconds).
let results: CalibrationResult[];
beforeAll(async () => {
  results = measureCalibration(generateInMemory(await loadGeography(), CALIBRATION_SEED, CALIBRATION_SIZE));
}, 120_000);

describe('calibration figures', () => {
  it.each(CALIBRATION_FIGURES.filter((f) => f.offTarget === undefined).map((f) => [f.id, f] as const))(
    '%s is within its tolerance of its published target',
    (id) => {
      const r = results.find((x) => x.figure.id === id)!;
      expect(Number.isFinite(r.value)).toBe(true);
      expect(Math.abs(r.value - r.figure.target), `${id}: ${r.value} against ${r.figure.target} ± ${r.figure.tolerance}`)
        .toBeLessThanOrEqual(r.figure.tolerance);
    },
  );

  // A figure known to be off target stays listed, with its reason, until the generator is retuned:
  // when it comes within tolerance this fails, to move it back among the checked figures.
  it.each(CALIBRATION_FIGURES.filter((f) => f.offTarget !== undefined).map((f) => [f.id, f] as const))(
    '%s is still off target as the table says (remove offTarget when it is fixed)',
    (id) => {
      const r = results.find((x) => x.figure.id === id)!;
      expect(r.within, `${id}: ${r.value}`).toBe(false);
    },
  );

  it('has unique ids and positive tolerances', () => {
    expect(new Set(CALIBRATION_FIGURES.map((f) => f.id)).size).toBe(CALIBRATION_FIGURES.length);
    for (const f of CALIBRATION_FIGURES) expect(f.tolerance, f.id).toBeGreaterThan(0);
  });
});

describe('the table in docs/synthetic-data.md', () => {
  const doc = readFileSync(DOC_PATH, 'utf8');

  it('has exactly the figures of calibration.ts, with the same targets, sources and tolerances', () => {
    const rows = parseCalibrationTable(doc);
    expect(rows.map((r) => r.id)).toEqual(CALIBRATION_FIGURES.map((f) => f.id));
    for (const [i, f] of CALIBRATION_FIGURES.entries()) {
      expect(rows[i]).toEqual({ id: f.id, target: `${f.target} ${f.unit}`, source: f.source, tolerance: `± ${f.tolerance}`, why: whyCell(f) });
    }
  });

  it('parses the table the writer writes, and the writer replaces only the table', () => {
    const table = calibrationTable(results);
    expect(parseCalibrationTable(table).map((r) => r.id)).toEqual(CALIBRATION_FIGURES.map((f) => f.id));
    const replaced = replaceCalibrationTable(doc, table);
    expect(replaced.split('<!-- calibration:start -->')[0]).toBe(doc.split('<!-- calibration:start -->')[0]);
    expect(replaced.split('<!-- calibration:end -->')[1]).toBe(doc.split('<!-- calibration:end -->')[1]);
  });
});
