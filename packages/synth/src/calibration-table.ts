/**
 * Writes the calibration table of docs/synthetic-data.md: generates the calibration population
 * (CALIBRATION_SEED, CALIBRATION_SIZE), measures every figure of calibration.ts and prints the table;
 * with `--write`, replaces the table between the markers in docs/synthetic-data.md.
 *   npx tsc -b packages/synth && node packages/synth/dist/calibration-table.js --write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGeography } from '@openphm/reference-data';
import { CALIBRATION_END, CALIBRATION_SEED, CALIBRATION_SIZE, CALIBRATION_START, calibrationTable, measureCalibration } from './calibration.js';
import { generateInMemory } from './generate.js';

export const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'synthetic-data.md');

/** The document with its calibration table replaced. */
export const replaceCalibrationTable = (markdown: string, table: string): string => {
  const from = markdown.indexOf(CALIBRATION_START);
  const to = markdown.indexOf(CALIBRATION_END);
  if (from < 0 || to < from) throw new Error(`${DOC_PATH} has no ${CALIBRATION_START} … ${CALIBRATION_END}`);
  return markdown.slice(0, from) + table + markdown.slice(to + CALIBRATION_END.length);
};

const main = async (): Promise<void> => {
  const rows = generateInMemory(await loadGeography(), CALIBRATION_SEED, CALIBRATION_SIZE);
  const results = measureCalibration(rows);
  const table = calibrationTable(results);
  process.stdout.write(`${table}\n`);
  for (const r of results) if (!r.within) process.stderr.write(`off target: ${r.figure.id} ${r.value} (target ${r.figure.target} ± ${r.figure.tolerance})\n`);
  if (process.argv.includes('--write')) {
    writeFileSync(DOC_PATH, replaceCalibrationTable(readFileSync(DOC_PATH, 'utf8'), table));
    process.stdout.write(`wrote ${DOC_PATH}\n`);
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
