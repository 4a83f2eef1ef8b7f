import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type ResidenceContext } from '@openphm/core';
import { openDatabase } from '../database.js';
import { GEOGRAPHY, makeTempDir, removeDir } from '../test-support.js';
import { createWorkDir } from '../work-dir.js';
import { FHIR_INDEX_STEP, FHIR_MAP_STEP, FhirImportError, importFhir, type FhirImportReport } from './import.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const RESIDENCE: ResidenceContext = {
  lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230', 'HX1 1AB': 'E01010001' })[postcode],
  practiceCodes: new Set(GEOGRAPHY.practices.map((p) => p.code)),
};

/** Imports `path` into `db` in a private work folder, as the CLI does. */
const run = async (path: string, db: string, onReport?: (r: FhirImportReport) => void, steps?: string[]) => {
  const work = createWorkDir(db);
  try {
    return await importFhir({
      path,
      outFile: db,
      workDir: work.path,
      geography: GEOGRAPHY,
      residence: RESIDENCE,
      meta: { source: 'import', import_format: 'fhir-r4' },
      threads: 1,
      memoryLimit: '256MB',
      recordKeySalt: 'fhir-import-test-record-key-salt',
      ...(onReport ? { onReport } : {}),
      onProgress: (p) => steps?.push(p.step),
    });
  } finally {
    work.remove();
  }
};

describe('importFhir', () => {
  let root: string;
  let db: string;
  let report: FhirImportReport;
  const steps: string[] = [];

  beforeAll(async () => {
    root = makeTempDir();
    db = join(root, 'phm.duckdb');
    report = (await run(join(FIXTURES, 'good'), db, undefined, steps)).report;
  });
  afterAll(() => removeDir(root));

  it('reads Bundles and Bulk FHIR NDJSON, counting every resource as the files hold them', () => {
    expect(report.files).toEqual([
      { file: 'Condition.ndjson', format: 'ndjson', bytes: expect.any(Number), resources: 4 },
      { file: 'Organization.ndjson', format: 'ndjson', bytes: expect.any(Number), resources: 1 },
      { file: 'Patient.ndjson', format: 'ndjson', bytes: expect.any(Number), resources: 3 },
      { file: 'bundle.json', format: 'bundle', bytes: expect.any(Number), resources: 6 },
    ]);
    expect(report.read).toEqual({ Claim: 1, Condition: 4, Encounter: 1, Observation: 2, Organization: 2, Patient: 4 });
    expect(report.rejectedCount).toBe(0);
  });

  it('accounts for every patient: loaded, or excluded by reason', () => {
    expect(report.people).toEqual({
      read: 4,
      loaded: 2,
      excluded: { 'no-postcode': 1, 'outside-partnership': 1, 'no-partnership-practice': 0, 'no-birth-date': 0, 'sex-not-male-or-female': 0 },
    });
    expect(report.outcomes.Condition).toEqual({ clinical_event: 2, 'not loaded: person-excluded': 1, 'not loaded: unmapped': 1 });
  });

  it('lists unmapped codes by system and code, with counts', () => {
    expect(report.unmapped).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10', code: 'R51', count: 1 },
      { system: 'http://loinc.org', code: '8310-5', display: 'Body temperature', count: 1 },
    ]);
  });

  it('stores the mapped rows, and identities apart', async () => {
    expect(report.rows).toEqual({ clinical_event: 3, gp_appointment: 1, identity: 1, person: 2 });
    const database = await openDatabase(db);
    try {
      expect(await database.query('SELECT person_id, sex, CAST(date_of_birth AS VARCHAR) AS dob, lsoa_code, practice_code, CAST(registration_date AS VARCHAR) AS reg FROM person ORDER BY person_id')).toEqual([
        { person_id: 1, sex: 'M', dob: '1961-07-01', lsoa_code: 'E01010001', practice_code: 'B82001', reg: '1961-07-01' },
        { person_id: 4, sex: 'F', dob: '1948-02-03', lsoa_code: 'E01011230', practice_code: 'B86001', reg: '2022-03-01' },
      ]);
      expect(await database.query('SELECT person_id, CAST(event_date AS VARCHAR) AS d, snomed_code, numeric_value FROM clinical_event ORDER BY person_id, event_date')).toEqual([
        { person_id: 1, d: '2005-04-01', snomed_code: '195967001', numeric_value: null },
        { person_id: 1, d: '2012-09-10', snomed_code: '59621000', numeric_value: null },
        { person_id: 4, d: '2022-03-01', snomed_code: '60621009', numeric_value: 32.4 },
      ]);
    } finally {
      await database.close();
    }
    expect(existsSync(join(root, 'phm.identity.duckdb'))).toBe(true);
  });

  it('shows progress through both passes and the build', () => {
    expect(steps[0]).toBe(FHIR_INDEX_STEP);
    expect(steps).toContain(FHIR_MAP_STEP);
    expect(steps.at(-1)).toBe('Writing database');
  });

  describe('rejects bad input precisely, and keeps the stored database', () => {
    it.each([
      ['malformed.json', 'malformed.json, line 8: Bundle.entry[0]: malformed JSON: Expected \',\' or \'}\' after property value'],
      ['not-a-bundle.json', 'not-a-bundle.json, line 1: resourceType: is "Patient": a *.json file must hold a Bundle (single resources go in Bulk FHIR *.ndjson files)'],
      ['truncated.Observation.ndjson', 'truncated.Observation.ndjson, line 2: (line): malformed JSON (a truncated or broken line?)'],
      ['wrong-type.Condition.ndjson', 'wrong-type.Condition.ndjson, line 2: resource p9, resourceType: is Patient, but the file holds Condition resources (Bulk FHIR files hold one type each, named after it)'],
      ['missing-reference.Condition.ndjson', 'missing-reference.Condition.ndjson, line 1: resource c8, Condition.subject.reference: refers to Patient/ghost, which is not in the files read'],
      ['duplicate.Patient.ndjson', 'duplicate.Patient.ndjson, line 1: resource p2, Patient.id: duplicate id: Patient/p2 is also at Patient.ndjson line 1, with different content'],
      ['invalid-code.Condition.ndjson', "invalid-code.Condition.ndjson, line 1: resource c7, Condition.code.coding[0].code: '195967002' is not a valid SNOMED CT concept id (6-18 digits with a Verhoeff check digit)"],
    ])('%s', async (bad, message) => {
      const dir = join(root, `case-${bad}`);
      cpSync(join(FIXTURES, 'good'), dir, { recursive: true });
      cpSync(join(FIXTURES, 'bad', bad), join(dir, bad));
      const before = sha(db);
      let rejectedReport: FhirImportReport | undefined;
      const error = await run(dir, db, (r) => (rejectedReport = r)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FhirImportError);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message.startsWith(message), (error as Error).message).toBe(true);
      expect(rejectedReport?.rejectedCount).toBeGreaterThan(0);
      expect(rejectedReport?.rejected[0]).toMatchObject({ file: bad });
      // Nothing stored is lost or half-written: the database is byte for byte as it was, and no work files remain.
      expect(sha(db)).toBe(before);
      expect(readdirSync(root).filter((f) => f.includes('.work-'))).toEqual([]);
    });
  });

  it('refuses a load in which nobody lives in the partnership, saying why', async () => {
    const error = await run(join(FIXTURES, 'good', 'Patient.ndjson'), join(root, 'nobody.duckdb')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/^no person could be loaded from .*Patient\.ndjson: 3 Patient resources read, excluded: 1 no-postcode, 1 outside-partnership, 1 no-partnership-practice/);
    expect(existsSync(join(root, 'nobody.duckdb'))).toBe(false);
  });
});
