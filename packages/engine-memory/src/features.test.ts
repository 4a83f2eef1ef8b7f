/**
 * The in-memory feature engine against the DuckDB SQL, person by person: on a realistic synthetic
 * partnership (every table populated by the generator) at several reference dates, including a
 * 29 February, every feature of every resident must be equal.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_FEATURES, NUMERIC_FEATURES, type IndicatorData, type PersonFeatures } from '@openphm/core';
import { computePersonFeatures, openDatabase, readIndicatorData, readPersonFeatures, type PhmDatabase } from '@openphm/store-duckdb';
import { computeFeaturesInMemory } from './features.js';

const CLI = new URL('../../cli/dist/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'phm-features-memory-'));
const DB = join(dir, 'features.duckdb');
let db: PhmDatabase;
let data: IndicatorData;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
  await promisify(execFile)(process.execPath, [CLI, 'generate', '--size', '4000', '--seed', 'features-memory', '--db', DB, '-q'], { cwd: dir });
  db = await openDatabase(DB, { readOnly: true });
  data = await readIndicatorData(db);
}, 120_000);
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A person's features as one flat record, for readable differences. */
const flat = (p: PersonFeatures): Record<string, string | number | boolean> => ({
  personId: p.personId,
  sex: p.sex,
  ethnicGroup: p.ethnicGroup,
  lsoaCode: p.lsoaCode,
  place: p.place,
  neighbourhoodId: p.neighbourhoodId,
  ...Object.fromEntries(NUMERIC_FEATURES.map((f) => [f, Math.round(p.numeric[f] * 1e9) / 1e9])),
  ...Object.fromEntries(FLAG_FEATURES.map((f) => [f, p.flags[f]])),
});

describe('in-memory person features', () => {
  it.each(['2025-03-31', '2024-02-29', '2023-10-01'])('equal the DuckDB features for every resident at %s', async (date) => {
    await computePersonFeatures(db, date, { table: 'features_check' });
    const sql = (await readPersonFeatures(db, undefined, 'features_check')).map(flat);
    const memory = computeFeaturesInMemory(data, date).map(flat);
    expect(memory.length).toBe(sql.length);
    expect(memory.length).toBeGreaterThan(3000);
    for (let i = 0; i < sql.length; i++) expect(memory[i], `person ${sql[i]!.personId}`).toEqual(sql[i]);
    // The population exercises the features (not all zero): someone has each activity and most flags.
    for (const f of ['conditionCount', 'efi', 'emergencyAdmissions12m', 'aeAttendances12m', 'gpAppointments12m', 'medicineSections12m', 'latestBmi'] as const) {
      expect(memory.some((p) => Number(p[f]) > 0), f).toBe(true);
    }
  });
});
