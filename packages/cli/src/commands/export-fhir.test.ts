/**
 * The round trip (issue 17 item 4), end to end with the built CLI: a generated partnership of about
 * 2,000 people exported as Bulk FHIR NDJSON (`phm export --fhir`) and imported again
 * (`phm import --fhir`) gives the same indicators, cohorts, segments and population for everything
 * the FHIR import can carry. Which indicators, cohorts and segmentations that is, is decided before
 * comparing, from what they read: an indicator whose tables are all exported and whose SQL reads no
 * column the round trip loses (core FHIR_EXPORT_LOST_COLUMNS); cohorts and segmentations (built on
 * the person features) when the features' SQL reads only exported tables and no lost column. Every
 * such one must be equal, and their number may not fall below what the export carries today.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FHIR_EXPORT_LOST_COLUMNS, FHIR_EXPORT_RESOURCE_TYPES, FHIR_EXPORT_TABLES, INDICATOR_CATALOGUE, TABLE_NAMES, ukCoreProblems, type IndicatorDefinition } from '@openphm/core';
import { resolveSharedDataDir } from '@openphm/reference-data';
import { indicatorSql, indicatorTables, personFeaturesSql } from '@openphm/store-duckdb';
import { phmRunner, type PhmRunner } from '../test-support.js';

const sharedData = (() => {
  try {
    return resolveSharedDataDir();
  } catch {
    return undefined;
  }
})();

const LOST_COLUMNS = FHIR_EXPORT_LOST_COLUMNS.map((c) => c.split('.')[1]!);
const PERIOD = { start: '2025-04-01', end: '2026-03-31', label: '2025/26' };

/** Whether an indicator can survive the round trip: every table it reads is exported, and its SQL reads no lost column. */
export const roundTrips = (d: IndicatorDefinition): boolean =>
  indicatorTables(d).every((t) => (FHIR_EXPORT_TABLES as readonly string[]).includes(t)) &&
  !LOST_COLUMNS.some((column) => new RegExp(`\\b${column}\\b`).test(indicatorSql(d, PERIOD, ['ics'])));

const COHORTS_DIR = new URL('../../../../cohorts/', import.meta.url).pathname;
const DATE = '2026-03-31';
const exported = (table: string) => (FHIR_EXPORT_TABLES as readonly string[]).includes(table);
/** Whether the person features (cohort rules and segmentations are built on them) survive: every table their SQL reads is exported, and it reads no lost column. */
const featuresSql = personFeaturesSql(DATE);
const featureTables = TABLE_NAMES.filter((t) => new RegExp(`\\b${t}\\b`).test(featuresSql));
export const featuresRoundTrip = featureTables.every(exported) && !LOST_COLUMNS.some((column) => new RegExp(`\\b${column}\\b`).test(featuresSql));
const COHORTS = readdirSync(COHORTS_DIR).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).sort();

describe.skipIf(sharedData === undefined)('phm export --fhir, then phm import --fhir: the round trip', () => {
  let runner: PhmRunner;
  beforeAll(async () => {
    runner = phmRunner('fhir-round-trip');
    const generated = await runner.phm('generate', '--size', '2000', '--seed', 'round-trip', '--db', 'a.duckdb', '-q');
    expect(generated.code, generated.stderr).toBe(0);
  }, 600_000);
  afterAll(() => runner?.cleanup());

  it('exports every person and their rows as Bulk FHIR NDJSON, owner-only, into a new folder; refuses a folder that is not empty', async () => {
    const r = await runner.phm('export', '--fhir', 'fhir', '--db', 'a.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    const dir = join(runner.dir, 'fhir');
    expect(readdirSync(dir).sort()).toEqual(FHIR_EXPORT_RESOURCE_TYPES.map((t) => `${t}.ndjson`).sort());
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o077, name).toBe(0);
    const patients = readFileSync(join(dir, 'Patient.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { resourceType: string; identifier?: unknown[] });
    const info = JSON.parse((await runner.phm('info', '--db', 'a.duckdb', '--json')).stdout) as { tables: Record<string, number> };
    expect(patients.length).toBe(info.tables.person);
    expect(patients.every((p) => p.resourceType === 'Patient' && p.identifier?.length === 1)).toBe(true);
    expect(r.stdout).toContain('Identities included');
    // Every resource written conforms to the UK Core constraints FHIR out checks.
    let checked = 0;
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, name), 'utf8').trim().split('\n')) {
        const resource = JSON.parse(line) as { resourceType: string; id: string };
        expect(ukCoreProblems(resource), `${resource.resourceType}/${resource.id}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(info.tables.person * 10);
    expect(readdirSync(runner.dir).filter((n) => n.includes('.partial-'))).toEqual([]);
    const again = await runner.phm('export', '--fhir', 'fhir', '--db', 'a.duckdb', '-q');
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('not empty');
  }, 600_000);

  it('imports it again: every person placed, the exported tables with as many rows (row by row: core fhir/out/export.test.ts)', async () => {
    const r = await runner.phm('import', '--fhir', 'fhir', '--db', 'b.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    const [a, b] = await Promise.all(['a.duckdb', 'b.duckdb'].map(async (db) => JSON.parse((await runner.phm('info', '--db', db, '--json')).stdout) as { tables: Record<string, number>; people: { total: number }; byPlace: unknown[] }));
    for (const table of FHIR_EXPORT_TABLES) expect(b!.tables[table], table).toBe(a!.tables[table]);
    expect(b!.people.total).toBe(a!.people.total);
    expect(b!.byPlace).toEqual(a!.byPlace);
    expect(r.stdout).toContain(`${a!.people.total.toLocaleString('en-GB')} loaded`);
  }, 600_000);

  it('without an identity store: Patients carry no NHS number, name or postcode, and the import places every person by the LSOA of their address', async () => {
    copyFileSync(join(runner.dir, 'a.duckdb'), join(runner.dir, 'pseudonymous.duckdb'));
    const r = await runner.phm('export', '--fhir', 'fhir-pseudonymous', '--db', 'pseudonymous.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No identity store');
    const patients = readFileSync(join(runner.dir, 'fhir-pseudonymous', 'Patient.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(patients.some((p) => p.identifier !== undefined || p.name !== undefined || JSON.stringify(p.address).includes('postalCode'))).toBe(false);
    const imported = await runner.phm('import', '--fhir', 'fhir-pseudonymous', '--db', 'c.duckdb', '-q');
    expect(imported.code, imported.stderr).toBe(0);
    const [a, c] = await Promise.all(['a.duckdb', 'c.duckdb'].map(async (db) => JSON.parse((await runner.phm('info', '--db', db, '--json')).stdout) as { tables: Record<string, number>; people: { total: number }; byPlace: unknown[] }));
    expect(c!.people.total).toBe(a!.people.total);
    expect(c!.byPlace).toEqual(a!.byPlace);
    for (const table of FHIR_EXPORT_TABLES) expect(c!.tables[table], table).toBe(a!.tables[table]);
  }, 600_000);

  it('gives the same indicators (the DuckDB engine; ICS, place, sex, IMD quintile) for every indicator that can survive it', async () => {
    const run = async (db: string) => {
      const r = await runner.phm('indicators', 'run', '--db', db, '--by', 'ics,place,sex,imd-quintile', '--no-disclosure-control', '--year', '2025', '--format', 'json', '-q');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>[];
    };
    const [a, b] = [await run('a.duckdb'), await run('b.duckdb')];
    const comparable = INDICATOR_CATALOGUE.filter(roundTrips).map((d) => d.id);
    // Every table is exported and only the GP staff role is lost, which no indicator reads: all of them (86 on 6 December 2026).
    expect(comparable.length).toBe(INDICATOR_CATALOGUE.length);
    const rowsOf = (rows: Record<string, unknown>[], id: string) => rows.filter((r) => r.indicator_id === id).map((r) => [r.breakdown, r.group, r.numerator, r.denominator, r.value].join('|'));
    for (const id of comparable) {
      expect(rowsOf(a!, id).length, id).toBeGreaterThan(0);
      expect(rowsOf(b!, id), id).toEqual(rowsOf(a!, id));
    }
  }, 900_000);

  it('gives the same cohorts (members by place, sex and LSOA) and the same segment membership (people per segment by place, LSOA, age band and sex; movement over the year) under every segmentation', async () => {
    // Decided before comparing: the person features read only exported tables and no lost column.
    expect(featureTables.length).toBeGreaterThan(5);
    expect(featuresRoundTrip, `features read ${featureTables.join(', ')}`).toBe(true);
    expect(COHORTS.length).toBe(7);
    for (const id of COHORTS) {
      const file = join(COHORTS_DIR, `${id}.json`);
      expect(existsSync(file), id).toBe(true);
      const [a, b] = await Promise.all(['a.duckdb', 'b.duckdb'].map((db) => runner.phm('cohort', 'run', file, '--db', db, '--date', DATE, '--by', 'place,sex,lsoa', '--no-disclosure-control', '--format', 'csv', '-q')));
      expect(a!.code, a!.stderr).toBe(0);
      expect(b!.stdout, id).toBe(a!.stdout);
    }
    for (const segmentation of ['kirklees-four-groups', 'bridges-to-health']) {
      const [a, b] = await Promise.all(['a.duckdb', 'b.duckdb'].map((db) => runner.phm('segment', '--segmentation', segmentation, '--db', db, '--date', DATE, '--by', 'place,lsoa,age-band:sex', '--no-disclosure-control', '--format', 'json', '-q')));
      expect(a!.code, a!.stderr).toBe(0);
      const people = (text: string) => {
        const doc = JSON.parse(text) as { population: number; rows: Record<string, unknown>[] };
        return { population: doc.population, rows: doc.rows.map((r) => JSON.stringify(r)).sort() };
      };
      expect(people(a!.stdout).rows.length, segmentation).toBeGreaterThan(3);
      expect(people(b!.stdout), segmentation).toEqual(people(a!.stdout));
      // Movement between segments over the year to the date (who moved from which segment to which, born and died included).
      const [ta, tb] = await Promise.all(['a.duckdb', 'b.duckdb'].map((db) => runner.phm('segment', '--segmentation', segmentation, '--db', db, '--date', DATE, '--by', 'place', '--transitions', '--no-disclosure-control', '--format', 'json', '-q')));
      expect(ta!.code, ta!.stderr).toBe(0);
      expect(JSON.parse(tb!.stdout), `${segmentation} transitions`).toEqual(JSON.parse(ta!.stdout));
    }
  }, 900_000);
});
