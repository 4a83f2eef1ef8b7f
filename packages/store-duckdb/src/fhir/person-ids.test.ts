/**
 * Person ids kept across full FHIR imports (person-ids.ts): the rule on its own (a table of cases), then
 * full imports over a database of four people (A-D, ids 1-4): reordered, some removed, some added, a
 * Patient id changed, a key reused for someone else; the people not kept recorded as deleted; an id
 * never given again; a database whose people would all go refused when guarded.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError, type ResidenceContext } from '@openphm/core';
import { openDatabase } from '../database.js';
import { identityFileOf } from '../identity/store.js';
import { readDeletedPeople } from '../load-history.js';
import { GEOGRAPHY, makeTempDir, removeDir } from '../test-support.js';
import { createWorkDir } from '../work-dir.js';
import { hashSourceKey, importFhir } from './import.js';
import { assignPersonIds, type LoadedPatient, type PreviousPeople } from './person-ids.js';

describe('assignPersonIds', () => {
  // Stored: person 1 = Patient/a (NHS n1, F 1950-01-01), 2 = Patient/b (n2, M 1960-02-02), 3 = Patient/c (no NHS number, F 1970-03-03);
  // the largest id ever given is 7 (people 4-7 were deleted before).
  const stored = new Map<number, { sex: string; dateOfBirth: string; nhsNumber?: string }>([
    [1, { sex: 'F', dateOfBirth: '1950-01-01', nhsNumber: 'n1' }],
    [2, { sex: 'M', dateOfBirth: '1960-02-02', nhsNumber: 'n2' }],
    [3, { sex: 'F', dateOfBirth: '1970-03-03' }],
  ]);
  const keys = new Map([['Patient/a', 1], ['Patient/b', 2], ['Patient/c', 3]]);
  const previous: PreviousPeople = {
    idOfKey: (k) => keys.get(k),
    person: (id) => stored.get(id),
    idOfNhsNumber: (n) => [...stored].find(([, p]) => p.nhsNumber === n)?.[0],
    highWater: 7,
    people: 3,
    fromFhir: true,
    nhsNumbers: true,
  };
  const a: LoadedPatient = { key: 'Patient/a', sex: 'F', dateOfBirth: '1950-01-01', nhsNumber: 'n1' };
  const b: LoadedPatient = { key: 'Patient/b', sex: 'M', dateOfBirth: '1960-02-02', nhsNumber: 'n2' };
  const c: LoadedPatient = { key: 'Patient/c', sex: 'F', dateOfBirth: '1970-03-03' };
  const d: LoadedPatient = { key: 'Patient/d', sex: 'M', dateOfBirth: '1980-04-04', nhsNumber: 'n4' };
  const e: LoadedPatient = { key: 'Patient/e', sex: 'F', dateOfBirth: '1990-05-05' };

  it.each<[string, LoadedPatient[], Record<string, number>, Partial<Record<string, number>>]>([
    ['the same Patients in another order keep their ids', [c, b, a], { 'Patient/a': 1, 'Patient/b': 2, 'Patient/c': 3 }, { keptBySourceKey: 3, new: 0, notKept: 0 }],
    ['Patients removed: the others keep theirs', [b], { 'Patient/b': 2 }, { keptBySourceKey: 1, notKept: 2 }],
    ['Patients added: numbered after the largest id ever given, in the order read', [e, a, d], { 'Patient/e': 8, 'Patient/a': 1, 'Patient/d': 9 }, { keptBySourceKey: 1, new: 2, notKept: 2 }],
    ["a Patient's id changed, its NHS number the same: the id kept by NHS number", [{ ...a, key: 'Patient/a2' }, b], { 'Patient/a2': 1, 'Patient/b': 2 }, { keptBySourceKey: 1, keptByNhsNumber: 1 }],
    ['a date of birth corrected, the NHS number the same: kept', [{ ...a, dateOfBirth: '1951-01-01' }], { 'Patient/a': 1 }, { keptBySourceKey: 1 }],
    ['another NHS number, sex and date of birth the same: a new person (two NHS numbers never confirm)', [{ ...b, nhsNumber: 'n9' }], { 'Patient/b': 8 }, { keptBySourceKey: 0, new: 1, sourceKeyNotConfirmed: 1, notKept: 3 }],
    ['an NHS number added where none was stored, sex and date of birth the same: kept', [{ ...c, nhsNumber: 'n5' }], { 'Patient/c': 3 }, { keptBySourceKey: 1 }],
    ['no NHS number on either side: sex and date of birth confirm', [c], { 'Patient/c': 3 }, { keptBySourceKey: 1 }],
    ['a stored key sent for someone else (other NHS number, sex and birth): a new person', [{ key: 'Patient/a', sex: 'M', dateOfBirth: '2001-01-01', nhsNumber: 'n7' }], { 'Patient/a': 8 }, { keptBySourceKey: 0, new: 1, sourceKeyNotConfirmed: 1, notKept: 3 }],
    ['a new key with the NHS number of a person kept by their own key: a new person', [a, { ...d, nhsNumber: 'n1' }], { 'Patient/a': 1, 'Patient/d': 8 }, { keptBySourceKey: 1, keptByNhsNumber: 0, new: 1 }],
  ])('%s', (_name, patients, ids, counts) => {
    const result = assignPersonIds(patients, previous);
    expect(Object.fromEntries(result.ids)).toEqual(ids);
    expect(result.counts).toMatchObject(counts);
    // Never an id twice, never one given before to someone else.
    expect(new Set(result.ids.values()).size).toBe(result.ids.size);
  });
});

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const RESIDENCE: ResidenceContext = {
  lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230' })[postcode],
  practiceCodes: new Set(GEOGRAPHY.practices.map((p) => p.code)),
};
const SALT = 'person-ids-test-record-key-salt';
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

interface TestPatient {
  readonly id: string;
  readonly nhs: string;
  readonly sex: 'male' | 'female';
  readonly born: string;
}
// Synthetic NHS numbers (999 range, decision 0008).
const A: TestPatient = { id: 'A', nhs: '9990000018', sex: 'female', born: '1950-01-01' };
const B: TestPatient = { id: 'B', nhs: '9990000026', sex: 'male', born: '1960-02-02' };
const C: TestPatient = { id: 'C', nhs: '9990000034', sex: 'female', born: '1970-03-03' };
const D: TestPatient = { id: 'D', nhs: '9990000042', sex: 'male', born: '1980-04-04' };
const E: TestPatient = { id: 'E', nhs: '9990000050', sex: 'female', born: '1990-05-05' };

const patient = (p: TestPatient) => ({
  resourceType: 'Patient',
  id: p.id,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: p.nhs }],
  name: [{ use: 'official', family: 'Test', given: [p.id] }],
  gender: p.sex,
  birthDate: p.born,
  address: [{ use: 'home', line: ['1 Test Street'], city: 'Leeds', postalCode: 'LS1 4AP' }],
  generalPractitioner: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B86001' } }],
});

describe('full FHIR imports over a database', () => {
  let root: string;
  let base: string;
  let n = 0;

  const files = (patients: readonly TestPatient[]): string => {
    const dir = join(root, `fhir-${++n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'Patient.ndjson'), `${patients.map((p) => JSON.stringify(patient(p))).join('\n')}\n`);
    return dir;
  };
  const load = async (patients: readonly TestPatient[], db: string, guardPeople = false) => {
    const work = createWorkDir(db);
    try {
      return await importFhir({
        path: files(patients),
        outFile: db,
        workDir: work.path,
        geography: GEOGRAPHY,
        residence: RESIDENCE,
        meta: { source: 'import', import_format: 'fhir-r4', window_start: '2026-01-01', window_end: '2026-07-01' },
        threads: 1,
        memoryLimit: '256MB',
        recordKeySalt: SALT,
        guardPeople,
      });
    } finally {
      work.remove();
    }
  };
  /** A copy of the base database (A-D, ids 1-4) and its identity store. */
  const copyOfBase = (): string => {
    const db = join(root, `db-${++n}.duckdb`);
    copyFileSync(base, db);
    copyFileSync(identityFileOf(base), identityFileOf(db));
    return db;
  };
  /** Each stored Patient's person id (through the stored source keys), and the people recorded as deleted. */
  const stored = async (db: string, patients: readonly string[]) => {
    const database = await openDatabase(db);
    try {
      const ids: Record<string, number> = {};
      for (const id of patients) {
        const [row] = await database.query<{ id: number }>(`SELECT id::INTEGER AS id FROM fhir_source_key WHERE target = 'person' AND resource = '${hashSourceKey(SALT, `Patient/${id}`)}'`);
        if (row !== undefined) ids[id] = row.id;
      }
      const people = (await database.query<{ person_id: number }>('SELECT person_id::INTEGER AS person_id FROM person ORDER BY 1')).map((r) => r.person_id);
      const deleted = await readDeletedPeople(database);
      const [build] = await database.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'");
      return { ids, people, deleted, buildId: build!.value };
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    root = makeTempDir();
    base = join(root, 'base.duckdb');
    await load([A, B, C, D], base);
  });
  afterAll(() => removeDir(root));

  it('numbers the first import in the order read', async () => {
    expect(await stored(base, ['A', 'B', 'C', 'D'])).toMatchObject({ ids: { A: 1, B: 2, C: 3, D: 4 }, people: [1, 2, 3, 4], deleted: [] });
  });

  it.each<[string, TestPatient[], Record<string, number>, number[]]>([
    ['the same Patients in another order', [D, C, B, A], { A: 1, B: 2, C: 3, D: 4 }, []],
    ['some Patients removed', [C, A], { A: 1, C: 3 }, [2, 4]],
    ['some Patients added (first, and last)', [E, A, B, C, D, { ...E, id: 'F', nhs: '9990000069' }], { E: 5, A: 1, B: 2, C: 3, D: 4, F: 6 }, []],
    ["a Patient's id changed, its NHS number the same (read last)", [B, C, D, { ...A, id: 'A2' }], { B: 2, C: 3, D: 4, A2: 1 }, []],
    ['a Patient id sent again for another person (another NHS number, sex and birth)', [{ ...E, id: 'A' }, B, C, D], { A: 5, B: 2, C: 3, D: 4 }, [1]],
  ])('%s: people keep their ids, new ones come after, those not kept are recorded as deleted', async (_name, patients, ids, deleted) => {
    const db = copyOfBase();
    const summary = await load(patients, db);
    const after = await stored(db, patients.map((p) => p.id));
    expect(after.ids).toEqual(ids);
    expect(after.people).toEqual(Object.values(ids).sort((x, y) => x - y));
    expect(after.deleted).toEqual(deleted.map((personId) => ({ buildId: after.buildId, personId: String(personId) })));
    expect(summary.build.previous).toMatchObject({ people: 4, deleted: deleted.length });
  });

  it('never gives an id again, even of a person deleted by an earlier full import, and keeps that deletion', async () => {
    const db = copyOfBase();
    await load([A, B, C], db);
    const first = await stored(db, ['A', 'B', 'C']);
    expect(first.deleted).toEqual([{ buildId: first.buildId, personId: '4' }]);
    await load([A, B, C, E], db);
    const second = await stored(db, ['A', 'B', 'C', 'E']);
    // E is 5: id 4 stays D's (their closed operational records keep it). D's deletion is kept with its own version.
    expect(second.ids).toEqual({ A: 1, B: 2, C: 3, E: 5 });
    expect(second.deleted).toEqual([{ buildId: first.buildId, personId: '4' }]);
    // D sent again: a new id (their key went with them), never 4.
    await load([A, B, C, D, E], db);
    expect((await stored(db, ['D'])).ids).toEqual({ D: 6 });
  });

  it('killed (SIGKILL) while writing the new database, leaves the old database, its identities and its map as they were', async () => {
    const db = copyOfBase();
    const before = [sha(db), sha(identityFileOf(db))];
    const geography = join(root, 'geography.json');
    writeFileSync(geography, JSON.stringify(GEOGRAPHY));
    const script = join(root, `kill-${++n}.mjs`);
    // The built module (dist/: npx tsc -b packages/store-duckdb first), killing itself once every table, key and deletion is written, before the rename.
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';\nimport { importFhir } from ${JSON.stringify(join(DIST, 'fhir', 'import.js'))};\nimport { createWorkDir } from ${JSON.stringify(join(DIST, 'work-dir.js'))};\n` +
        `const geography = JSON.parse(readFileSync(${JSON.stringify(geography)}, 'utf8'));\nconst db = ${JSON.stringify(db)};\n` +
        `await importFhir({ path: ${JSON.stringify(files([D, C, E]))}, outFile: db, workDir: createWorkDir(db).path, geography, meta: { source: 'import', import_format: 'fhir-r4' }, threads: 1, memoryLimit: '256MB', recordKeySalt: ${JSON.stringify(SALT)}, ` +
        `residence: { lsoaOfPostcode: (p) => (p === 'LS1 4AP' ? 'E01011230' : undefined), practiceCodes: new Set(geography.practices.map((p) => p.code)) }, ` +
        `onProgress: (p) => { if (p.step === 'Writing database') process.kill(process.pid, 'SIGKILL'); } });\n`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect([sha(db), sha(identityFileOf(db))]).toEqual(before);
    // The next import (its working folder removes the dead run's) finds every id where it was.
    await load([B, A, D, C], db);
    expect((await stored(db, ['A', 'B', 'C', 'D'])).ids).toEqual({ A: 1, B: 2, C: 3, D: 4 });
    expect(readdirSync(root).filter((f) => f.startsWith(`${basename(db)}.work-`))).toEqual([]);
  });

  it('refuses, when guarded, to replace a database none of whose people it keeps, leaving it as it was', async () => {
    const db = copyOfBase();
    const before = sha(db);
    const error = await load([{ ...E, id: 'X' }], db, true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/holds 4 people and this import keeps none of their ids .*--replace-people/);
    expect(sha(db)).toBe(before);
    expect(existsSync(identityFileOf(db))).toBe(true);
    // Unguarded (--replace-people): replaced, every earlier person recorded as deleted, the new one numbered after them.
    await load([{ ...E, id: 'X' }], db, false);
    const after = await stored(db, ['X']);
    expect(after.ids).toEqual({ X: 5 });
    expect(after.deleted.map((d) => d.personId)).toEqual(['1', '2', '3', '4']);
  });
});
