/**
 * `phm import --fhir` end to end with the built CLI and the real reference data: the Synthea FHIR R4
 * sample bundles of the shared data (every patient accounted for, resource counts as the files hold
 * them, unmapped codes listed) and a rejected load that leaves the stored database as it was.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSharedDataDir } from '@openphm/reference-data';
import type { FhirImportReport } from '@openphm/store-duckdb';
import { phmRunner, type PhmRunner } from '../test-support.js';

const sharedData = (() => {
  try {
    return resolveSharedDataDir();
  } catch {
    return undefined;
  }
})();
const SAMPLES = sharedData === undefined ? '' : join(sharedData, 'fhir-samples', 'synthea-covid-juvenile');
const FIXTURES = fileURLToPath(new URL('../../../store-duckdb/src/fhir/fixtures/', import.meta.url));
const hash = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Resources per type in the sample bundles, counted independently of the importer. */
const countSamples = (): { byType: Record<string, number>; patients: number } => {
  const byType: Record<string, number> = {};
  for (const name of readdirSync(SAMPLES).filter((n) => n.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as { entry: { resource: { resourceType: string } }[] };
    for (const e of bundle.entry) byType[e.resource.resourceType] = (byType[e.resource.resourceType] ?? 0) + 1;
  }
  return { byType, patients: byType.Patient ?? 0 };
};

describe.skipIf(!existsSync(SAMPLES))('phm import --fhir (Synthea samples)', () => {
  let runner: PhmRunner;
  beforeAll(() => {
    runner = phmRunner('fhir');
  });
  afterAll(() => runner.cleanup());

  it('accounts for every patient when none lives in the partnership, and refuses an empty load', async () => {
    const r = await runner.phm('import', '--fhir', SAMPLES, '--db', 'us.duckdb', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no person could be loaded');
    expect(r.stderr).toContain('--synthetic-residence');
    const report = JSON.parse(readFileSync(join(runner.dir, 'us.duckdb.fhir-import.json'), 'utf8')) as FhirImportReport;
    const { byType, patients } = countSamples();
    expect(report.read).toEqual(byType);
    const excluded = Object.values(report.people.excluded).reduce((s, n) => s + n, 0);
    expect(report.people).toMatchObject({ read: patients, loaded: 0 });
    expect(excluded).toBe(patients);
    expect(existsSync(join(runner.dir, 'us.duckdb'))).toBe(false);
  });

  it('imports them with synthetic residence: every patient loaded, counts as the files hold them, unmapped codes listed', async () => {
    const started = Date.now();
    const r = await runner.phm('import', '--fhir', SAMPLES, '--synthetic-residence', '--db', 'synthea.duckdb', '-q');
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(0);
    const { byType, patients } = countSamples();
    const report = JSON.parse(readFileSync(join(runner.dir, 'synthea.duckdb.fhir-import.json'), 'utf8')) as FhirImportReport;
    expect(report.read).toEqual(byType);
    expect(report.people.loaded).toBe(patients);
    expect(report.rows.person).toBe(patients);
    expect(report.unmapped.length).toBeGreaterThan(0);
    expect(report.unmapped[0]).toMatchObject({ system: expect.any(String), code: expect.any(String), count: expect.any(Number) });
    expect(r.stdout).toContain(`People: ${patients} Patient resources, ${patients} loaded`);
    expect(r.stdout).toMatch(/Unmapped codes: \d+ distinct/);
    // Every resource read is accounted for: a row, a repeat, or a reason it was not loaded.
    for (const [type, n] of Object.entries(report.read)) {
      const outcomes = report.outcomes[type] ?? {};
      const rowTables = ['person', 'clinical_event', 'medication', 'gp_appointment', 'ae_attendance', 'hospital_spell', 'outpatient_appointment', 'death', 'identity'];
      const resourcesWithoutRows = Object.entries(outcomes).filter(([k]) => !rowTables.includes(k)).reduce((s, [, v]) => s + v, 0);
      expect(resourcesWithoutRows, type).toBeLessThanOrEqual(n);
    }
    const info = await runner.phm('info', '--db', 'synthea.duckdb', '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ tables: { person: patients, clinical_event: report.rows.clinical_event, gp_appointment: report.rows.gp_appointment } });
    console.log(`phm import --fhir of the Synthea samples (${patients} patients, ${Object.values(byType).reduce((s, n) => s + n, 0)} resources): ${seconds.toFixed(1)}s`);
  });

  it('rejects a bad load with the file, line, resource and element, keeping the stored database', async () => {
    const dir = join(runner.dir, 'bad');
    cpSync(join(FIXTURES, 'good'), dir, { recursive: true });
    cpSync(join(FIXTURES, 'bad', 'invalid-code.Condition.ndjson'), join(dir, 'invalid-code.Condition.ndjson'));
    const before = hash(join(runner.dir, 'synthea.duckdb'));
    const r = await runner.phm('import', '--fhir', dir, '--db', 'synthea.duckdb', '--report', 'bad-report.json', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("invalid-code.Condition.ndjson, line 1: resource c7, Condition.code.coding[0].code: '195967002' is not a valid SNOMED CT concept id");
    expect(r.stderr).toContain('Nothing was stored');
    expect(hash(join(runner.dir, 'synthea.duckdb'))).toBe(before);
    const report = JSON.parse(readFileSync(join(runner.dir, 'bad-report.json'), 'utf8')) as FhirImportReport;
    expect(report.rejected).toEqual([
      { file: 'invalid-code.Condition.ndjson', line: 1, resourceId: 'c7', path: 'Condition.code.coding[0].code', problem: "'195967002' is not a valid SNOMED CT concept id (6-18 digits with a Verhoeff check digit)" },
    ]);
  });

  it('refuses to replace every person of the database, or to import beside a lone operational store, unless told (ids kept: store-duckdb fhir/person-ids.test.ts)', async () => {
    cpSync(join(runner.dir, 'synthea.duckdb'), join(runner.dir, 'again.duckdb'));
    // (The Synthea samples carry no NHS numbers: no identity store beside it.)
    expect(existsSync(join(runner.dir, 'synthea.identity.duckdb'))).toBe(false);
    const { patients } = countSamples();
    // Other people (the small fixture): none of the database's people kept, so refused (exit 5) and the database kept.
    const before = hash(join(runner.dir, 'again.duckdb'));
    const other = await runner.phm('import', '--fhir', join(FIXTURES, 'good'), '--db', 'again.duckdb', '-q');
    expect(other.code).toBe(5);
    expect(other.stderr).toContain(`holds ${patients} people and this import keeps none of their ids`);
    expect(hash(join(runner.dir, 'again.duckdb'))).toBe(before);
    // Told to: done, every earlier person recorded as deleted (their operational records closed by the server), the new ones numbered after them.
    const replaced = await runner.phm('import', '--fhir', join(FIXTURES, 'good'), '--db', 'again.duckdb', '--replace-people', '-q');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('Person ids: 0 kept (0 by their Patient id, 0 by NHS number), 1 new');
    expect(replaced.stdout).toContain(`${patients} of the ${patients} people of the database replaced are not in this one: recorded as deleted`);
    // An operational store beside a database that is not there: its records name people by ids a new database cannot keep.
    mkdirSync(join(runner.dir, 'lost.operational'));
    const lost = await runner.phm('import', '--fhir', join(FIXTURES, 'good'), '--db', 'lost.duckdb', '-q');
    expect(lost.code).toBe(5);
    expect(lost.stderr).toContain('lost.duckdb does not exist, but the operational store');
    expect(existsSync(join(runner.dir, 'lost.duckdb'))).toBe(false);
  });

  it.each([
    [['import', '--fhir', 'x', '--incremental', '--replace-people'], '--replace-people goes with a full import'],
    [['import', '--incremental', 'dir', '--replace-people'], '--replace-people goes with a full import'],
    [['import'], 'phm import needs a folder of CSV files, or --fhir PATH'],
    [['import', 'dir', '--fhir', 'x'], 'give either a CSV folder or --fhir PATH, not both'],
    [['import', 'dir', '--synthetic-residence'], '--synthetic-residence and --report go with --fhir'],
  ])('usage: phm %j', async (args, message) => {
    const r = await runner.phm(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
