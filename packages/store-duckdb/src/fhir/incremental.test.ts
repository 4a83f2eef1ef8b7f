/**
 * FHIR feeds applied to a database built from FHIR (the small fixture of fixtures/good: person 1 is
 * Patient/p2 with Conditions c1, asthma 2005-04-01, and c2, hypertension 2012-09-10; person 4 has a BMI
 * Observation), for the rows without a source key: known by the resource they came from (fhir_row_source).
 * The end-to-end equality with a whole import is in packages/cli/src/commands/import-fhir-incremental.test.ts.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type ResidenceContext } from '@openphm/core';
import { openDatabase } from '../database.js';
import { readDeletedPeople } from '../load-history.js';
import { GEOGRAPHY, makeTempDir, removeDir } from '../test-support.js';
import { createWorkDir } from '../work-dir.js';
import { FHIR_ROW_SOURCE_TABLE, importFhir } from './import.js';
import { importFhirIncremental } from './incremental.js';
import { identityFileOf } from '../identity/store.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SALT = 'fhir-incremental-test-record-key-salt';
const RESIDENCE: ResidenceContext = {
  lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230', 'HX1 1AB': 'E01010001' })[postcode],
  practiceCodes: new Set(GEOGRAPHY.practices.map((p) => p.code)),
};
const BMI = '0b1e7d2c-0000-4000-8000-000000000004';

let root: string;
let base: string;
let db: string;

beforeAll(async () => {
  root = makeTempDir();
  base = join(root, 'base.duckdb');
  const work = createWorkDir(base);
  try {
    await importFhir({ path: join(FIXTURES, 'good'), outFile: base, workDir: work.path, geography: GEOGRAPHY, residence: RESIDENCE, meta: { source: 'import', import_format: 'fhir-r4' }, threads: 1, memoryLimit: '256MB', recordKeySalt: SALT });
  } finally {
    work.remove();
  }
});
afterAll(() => removeDir(root));

let n = 0;
beforeEach(() => {
  db = join(root, `db-${++n}.duckdb`);
  copyFileSync(base, db);
  copyFileSync(identityFileOf(base), identityFileOf(db));
});

/** Writes a feed folder of files. */
const feed = (files: Record<string, unknown[] | object>): string => {
  const dir = join(root, `feed-${++n}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), Array.isArray(content) ? `${content.map((r) => JSON.stringify(r)).join('\n')}\n` : JSON.stringify(content));
  }
  return dir;
};

const load = async (path: string) => {
  const work = createWorkDir(db);
  try {
    return await importFhirIncremental({ dbFile: db, path, workDir: work.path, geography: GEOGRAPHY, residence: RESIDENCE, threads: 1, memoryLimit: '256MB' });
  } finally {
    work.remove();
  }
};

/** Every person-level table and the FHIR keys, each sorted by every column. */
const tables = async (): Promise<Record<string, unknown[]>> => {
  const database = await openDatabase(db);
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of [...TABLE_NAMES, 'fhir_source_key', FHIR_ROW_SOURCE_TABLE]) out[t] = await database.query(`SELECT * FROM ${t} ORDER BY ALL`);
    return out;
  } finally {
    database.close();
  }
};

const events = async (): Promise<unknown[]> => {
  const database = await openDatabase(db);
  try {
    return await database.query('SELECT person_id, CAST(event_date AS VARCHAR) AS d, snomed_code, numeric_value FROM clinical_event ORDER BY ALL');
  } finally {
    database.close();
  }
};

const condition = (id: string, code: string, system: string, day: string) => ({
  resourceType: 'Condition',
  id,
  subject: { reference: 'Patient/p2' },
  code: { coding: [{ system, code }] },
  recordedDate: day,
});
const SNOMED = 'http://snomed.info/sct';

describe('FHIR feeds: rows known by the resource they came from', () => {
  it('replaces the rows of a resource sent again corrected, adds a new resource whose row is the same as another, and a second load of the same feed changes nothing', async () => {
    const before = await tables();
    expect(before[FHIR_ROW_SOURCE_TABLE]).toHaveLength(4); // 3 coded events and the GP appointment
    const month = feed({
      'Condition.ndjson': [
        // c1 corrected: diabetes, not asthma.
        condition('c1', '44054006', SNOMED, '2005-04-01'),
        // c2 sent again as it was (hypertension, as ICD-10 I10).
        condition('c2', 'I10', 'http://hl7.org/fhir/sid/icd-10', '2012-09-10'),
        // c5: a second record with the same content as c2 (another resource: a second row).
        condition('c5', 'I10', 'http://hl7.org/fhir/sid/icd-10', '2012-09-10'),
      ],
    });
    const first = await load(month);
    expect(first.changes.clinical_event).toEqual({ inserted: 2, updated: 0, deleted: 1 });
    expect(await events()).toEqual([
      { person_id: 1, d: '2005-04-01', snomed_code: '44054006', numeric_value: null },
      { person_id: 1, d: '2012-09-10', snomed_code: '59621000', numeric_value: null },
      { person_id: 1, d: '2012-09-10', snomed_code: '59621000', numeric_value: null },
      { person_id: 4, d: '2022-03-01', snomed_code: '60621009', numeric_value: 32.4 },
    ]);
    const once = await tables();

    const second = await load(month);
    for (const t of [...TABLE_NAMES, 'identity']) expect(second.changes[t], t).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect(await tables()).toEqual(once);
  });

  it('a DELETE of a Condition or an Observation removes the rows it gave (one copy of two alike); a resource that now gives no row loses its old one', async () => {
    await load(feed({ 'Condition.ndjson': [condition('c5', 'I10', 'http://hl7.org/fhir/sid/icd-10', '2012-09-10')] }));
    const deletes = feed({
      'bundle.json': {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'DELETE', url: 'Condition/c5' } },
          { request: { method: 'DELETE', url: `Observation/${BMI}` } },
          { request: { method: 'DELETE', url: 'Condition/never-sent' } },
        ],
      },
      // c1 sent again with a code no list maps: it gives no row now, so its asthma row goes.
      'Condition.ndjson': [condition('c1', '999999999', 'http://example.org/codes', '2005-04-01')],
    });
    const summary = await load(deletes);
    expect(summary.report.deletions).toEqual({ 'Condition: deleted': 1, 'Condition: not stored': 1, 'Observation: deleted': 1 });
    expect(summary.changes.clinical_event).toEqual({ inserted: 0, updated: 0, deleted: 3 });
    expect(await events()).toEqual([{ person_id: 1, d: '2012-09-10', snomed_code: '59621000', numeric_value: null }]);
    const database = await openDatabase(db);
    try {
      expect(await database.query(`SELECT table_name, count(*)::INTEGER AS n FROM ${FHIR_ROW_SOURCE_TABLE} GROUP BY ALL ORDER BY ALL`)).toEqual([
        { table_name: 'clinical_event', n: 1 },
        { table_name: 'gp_appointment', n: 1 },
      ]);
    } finally {
      database.close();
    }
  });

  it('a deleted Patient takes their row sources with them, and is recorded for the operational store (deleted_person)', async () => {
    const summary = await load(feed({ 'bundle.json': { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Patient/p2' } }] } }));
    const after = await tables();
    expect(after.clinical_event).toHaveLength(1);
    expect((after[FHIR_ROW_SOURCE_TABLE] as { person_id: number }[]).map((r) => r.person_id)).toEqual([4, 4]);
    const database = await openDatabase(db);
    try {
      expect(await readDeletedPeople(database)).toEqual([{ buildId: summary.buildId, personId: '1' }]);
    } finally {
      database.close();
    }
  });

  it('never gives a new Patient the id of a person a load deleted (the operational store keeps their closed records under it)', async () => {
    // Person 4 (the bundle's Patient) has the largest id; deleted, then a new Patient arrives.
    await load(feed({ 'bundle.json': { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Patient/0b1e7d2c-0000-4000-8000-000000000002' } }] } }));
    await load(
      feed({
        'Organization.ndjson': [{ resourceType: 'Organization', id: 'halifax', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82001' }], name: 'Halifax Practice' }],
        'Patient.ndjson': [{ resourceType: 'Patient', id: 'p9', gender: 'female', birthDate: '1990-05-05', address: [{ use: 'home', postalCode: 'HX1 1AB' }], generalPractitioner: [{ reference: 'Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|B82001' }] }],
      }),
    );
    expect(((await tables()).person as { person_id: number }[]).map((p) => p.person_id)).toEqual([1, 5]);
  });
});
