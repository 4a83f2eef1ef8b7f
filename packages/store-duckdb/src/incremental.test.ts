import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, TABLE_NAMES, UserError } from '@openphm/core';
import { recordKeyOf } from '@openphm/engine-memory';
import { buildDatabase } from './build.js';
import { openDatabase } from './database.js';
import { identityFileOf, openIdentityStore } from './identity/store.js';
import { applyIncremental, deletesDefinition, loadLockOf, SOURCE_KEYS, type IncrementalOptions } from './incremental.js';
import { readDeletedPeople, readLoadHistory } from './load-history.js';
import { acquireStoreLock } from './store-lock.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, csv, listDir, makeTempDir, removeDir, writeCsvDir } from './test-support.js';

const SALT = 'incremental-test-record-key-salt';
const NOW = new Date('2026-12-06T18:00:00.000Z');
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const PERSON_HEADER = 'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer';

let root: string;
let base: string;
let dbFile: string;

beforeAll(async () => {
  root = makeTempDir();
  base = join(root, 'base.duckdb');
  const csvDir = writeCsvDir(root, { ...VALID_FILES, 'identity.csv': csv(IDENTITY_HEADER, ...IDENTITY_ROWS) });
  await buildDatabase({ outFile: base, csvDir, geography: GEOGRAPHY, meta: META, threads: 1, memoryLimit: '512MB', recordKeySalt: SALT, now: () => new Date('2026-12-01T00:00:00Z') });
});
afterAll(() => removeDir(root));

let n = 0;
/** A fresh copy of the base database (and its identity store) for each test. */
beforeEach(() => {
  dbFile = join(root, `db-${++n}.duckdb`);
  copyFileSync(base, dbFile);
  copyFileSync(identityFileOf(base), identityFileOf(dbFile));
});

const load = (files: Record<string, string>, extra: Partial<IncrementalOptions> = {}) =>
  applyIncremental({ dbFile, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, threads: 1, memoryLimit: '512MB', now: () => NOW, ...extra });

const rows = async (sql: string): Promise<unknown[]> => {
  const db = await openDatabase(dbFile);
  try {
    return await db.query(sql);
  } finally {
    db.close();
  }
};

const identityRows = async (): Promise<unknown[]> => {
  const [meta] = (await rows("SELECT value FROM meta WHERE key = 'build_id'")) as [{ value: string }];
  const store = (await openIdentityStore(identityFileOf(dbFile), meta.value))!;
  try {
    return await store.query('SELECT person_id, nhs_number, family_name FROM identity ORDER BY person_id');
  } finally {
    store.close();
  }
};

describe('source keys', () => {
  it.each([
    ['person', ['person_id']],
    ['ae_attendance', ['attendance_id']],
    ['hospital_spell', ['spell_id']],
    ['care_home_stay', ['person_id', 'start_date']],
    ['opt_out', ['person_id', 'kind']],
    ['carer_relationship', ['carer_person_id', 'cared_for_person_id', 'start_date']],
    ['clinical_event', 'row'],
    ['medication', 'row'],
  ] as const)('%s is keyed by %j', (table, key) => {
    const expected = key === 'row' ? { kind: 'row' } : { kind: 'columns', columns: key };
    expect(SOURCE_KEYS[table]).toEqual(expected);
  });

  it('deletions name the key (the whole row where there is none), without the person reference check', () => {
    expect(deletesDefinition('death').columns.map((c) => c.name)).toEqual(['person_id']);
    expect(deletesDefinition('clinical_event').columns.map((c) => c.name)).toEqual(['person_id', 'event_date', 'snomed_code', 'numeric_value']);
    expect(deletesDefinition('clinical_event').columns.find((c) => c.name === 'snomed_code')?.check).toEqual({ kind: 'snomed' });
    expect(deletesDefinition('birth').columns.every((c) => c.check?.kind !== 'person')).toBe(true);
  });
});

describe('applyIncremental', () => {
  it('adds a month: new people, changed people, new events, deaths; a new data version with its parent and what changed', async () => {
    const [before] = (await rows("SELECT value FROM meta WHERE key = 'build_id'")) as [{ value: string }];
    const summary = await load(
      {
        // Person 5 is born; person 1 moves to Calderdale.
        'person.csv': csv(PERSON_HEADER, '5,F,2026-03-02,A,E01011229,B86001,2026-03-02,false', '1,M,1980-05-06,H,E01010001,B82001,2000-01-01,true'),
        'clinical_event.csv': csv('person_id,event_date,snomed_code,numeric_value', '5,2026-03-10,38341003,', '1,2026-03-11,60621009,28.5'),
        'ae_attendance.csv': csv('attendance_id,person_id,arrival_time,departure_time,department_type,disposal', '30,5,2026-03-20 10:00:00,2026-03-20 12:00:00,01,discharged'),
        'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '3,2026-03-25,C349,home'),
        // Person 3's stay ends (its key: person and start date).
        'care_home_stay.csv': csv('person_id,start_date,end_date,care_type,permanent,council_funded', '3,2023-01-01,2026-03-25,nursing,true,true'),
        'identity.csv': csv(IDENTITY_HEADER, '5,9990000050,Ada,Sutcliffe,2026-03-02,F,1 New Row,,Leeds,LS1 1AA,'),
      },
      { windowEnd: '2026-04-01' },
    );
    expect(summary.parentBuildId).toBe(before.value);
    expect(summary.buildId).not.toBe(before.value);
    expect(summary.changes.person).toEqual({ inserted: 1, updated: 1, deleted: 0 });
    expect(summary.changes.clinical_event).toEqual({ inserted: 2, updated: 0, deleted: 0 });
    expect(summary.changes.ae_attendance).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(summary.changes.death).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(summary.changes.care_home_stay).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(summary.changes.identity).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(summary.changes.medication).toEqual({ inserted: 0, updated: 0, deleted: 0 });

    expect(await rows('SELECT person_id, lsoa_code, record_key FROM person WHERE person_id IN (1, 5) ORDER BY person_id')).toEqual([
      { person_id: 1, lsoa_code: 'E01010001', record_key: recordKeyOf(SALT, 1) },
      { person_id: 5, lsoa_code: 'E01011229', record_key: recordKeyOf(SALT, 5) },
    ]);
    expect(await rows("SELECT end_date::VARCHAR AS e FROM care_home_stay WHERE person_id = 3")).toEqual([{ e: '2026-03-25' }]);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM person')).toEqual([{ n: 5 }]);
    expect(await rows("SELECT key, value FROM meta WHERE key IN ('build_id', 'window_end') ORDER BY key")).toEqual([
      { key: 'build_id', value: summary.buildId },
      { key: 'window_end', value: '2026-04-01' },
    ]);
    // The identity store moves to the new version with the database.
    expect(await identityRows()).toHaveLength(5);

    const db = await openDatabase(dbFile);
    try {
      const history = await readLoadHistory(db);
      expect(history.map((h) => [h.kind, h.buildId, h.parentBuildId])).toEqual([
        ['full', before.value, null],
        ['incremental', summary.buildId, before.value],
      ]);
      expect(history[1]!.loadedAt).toBe('2026-12-06T18:00:00Z');
      expect(history[1]!.changes.person).toEqual({ inserted: 1, updated: 1, deleted: 0 });
    } finally {
      db.close();
    }
    expect(listDir(root).filter((f) => f.includes('.work-') || f.endsWith('.wal') || f.endsWith('.load.lock'))).toEqual([]);
  });

  it('is idempotent: loading the same month again changes nothing (rows without a key are not added twice)', async () => {
    const month = {
      'clinical_event.csv': csv('person_id,event_date,snomed_code,numeric_value', '1,2026-03-11,60621009,28.5', '1,2026-03-11,60621009,28.5', '3,2021-04-02,38341003,'),
      'medication.csv': csv('person_id,issue_date,bnf_code', '3,2026-03-01,0302'),
      'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '3,2026-03-25,C349,home'),
    };
    const first = await load(month);
    // Two identical new rows are both added; a row already stored (person 3, 2021-04-02) is not.
    expect(first.changes.clinical_event).toEqual({ inserted: 2, updated: 0, deleted: 0 });
    const second = await load(month);
    for (const t of [...TABLE_NAMES, 'identity']) expect(second.changes[t], t).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect(await rows("SELECT count(*)::INTEGER AS n FROM clinical_event WHERE event_date = '2026-03-11'")).toEqual([{ n: 2 }]);
  });

  it("moves the database's window on to the day after its last activity, and back to its first (never shortens it, never starts one)", async () => {
    const window = async () => rows("SELECT key, value FROM meta WHERE key IN ('window_start', 'window_end') ORDER BY key");
    // Within the window (2021-04-01 to 2026-04-01): left alone. A coded event is not activity.
    await load({ 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2026-03-01,0302'), 'clinical_event.csv': csv('person_id,event_date,snomed_code,numeric_value', '3,2027-01-01,38341003,') });
    expect(await window()).toEqual([{ key: 'window_end', value: '2026-04-01' }, { key: 'window_start', value: '2021-04-01' }]);
    // An appointment on 2026-05-10 and an attendance on 2021-03-30 widen it.
    const summary = await load({
      'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2026-05-10,GP,telephone'),
      'ae_attendance.csv': csv('attendance_id,person_id,arrival_time,departure_time,department_type,disposal', '31,1,2021-03-30 23:00:00,2021-03-31 01:00:00,01,discharged'),
    });
    expect(summary.windowEnd).toBe('2026-05-11');
    expect(await window()).toEqual([{ key: 'window_end', value: '2026-05-11' }, { key: 'window_start', value: '2021-03-30' }]);
    // --window-end given: that, not the activity.
    await load({ 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2026-06-10,GP,telephone') }, { windowEnd: '2026-07-01' });
    expect(await window()).toEqual([{ key: 'window_end', value: '2026-07-01' }, { key: 'window_start', value: '2021-03-30' }]);
    // A database without a window is not given one by a load (its start would be the load's).
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(dbFile);
    const connection = await instance.connect();
    await connection.run("DELETE FROM meta WHERE key IN ('window_start', 'window_end')");
    connection.closeSync();
    instance.closeSync();
    expect((await load({ 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2026-08-10,GP,telephone') })).windowEnd).toBeUndefined();
    expect(await window()).toEqual([]);
  });

  it('deletes rows by key or by whole row, and a deleted person with everything about them, their identity too', async () => {
    const summary = await load({
      'person.deletes.csv': csv('person_id', '4'),
      'clinical_event.deletes.csv': csv('person_id,event_date,snomed_code', '3,2021-04-02,38341003', '1,2099-01-01,38341003'),
      'opt_out.deletes.csv': csv('person_id,kind', '2,national'),
    });
    expect(summary.changes.person).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    // Person 4's attendance, spell, contacts, stay, death and opt-outs went with them.
    for (const t of ['ae_attendance', 'hospital_spell', 'community_contact', 'social_care_event', 'care_home_stay', 'death'] as const) {
      expect(summary.changes[t], t).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    }
    expect(summary.changes.opt_out).toEqual({ inserted: 0, updated: 0, deleted: 3 });
    // An absent row (2099) is already gone: not an error.
    expect(summary.changes.clinical_event).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(summary.changes.identity).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(await rows('SELECT count(*)::INTEGER AS n FROM death')).toEqual([{ n: 0 }]);
    expect((await identityRows()).map((r) => (r as { person_id: number }).person_id)).toEqual([1, 2, 3]);
    // Who the version deleted, for the server's operational store (a person not stored, 99, is not listed).
    expect(await rows('SELECT build_id, person_id FROM deleted_person')).toEqual([{ build_id: summary.buildId, person_id: 4 }]);
    const second = await load({ 'person.deletes.csv': csv('person_id', '2', '99') });
    const db = await openDatabase(dbFile);
    try {
      expect((await readDeletedPeople(db)).sort((a, b) => a.personId.localeCompare(b.personId))).toEqual([
        { buildId: second.buildId, personId: '2' },
        { buildId: summary.buildId, personId: '4' },
      ]);
    } finally {
      db.close();
    }
    // A person added again by a later load is no longer listed as deleted.
    await load({ 'person.csv': csv(PERSON_HEADER, '2,F,2021-06-01,Z,E01010001,B82001,2021-06-01,false') });
    const after = await openDatabase(dbFile);
    try {
      expect((await readDeletedPeople(after)).map((d) => d.personId)).toEqual(['4']);
    } finally {
      after.close();
    }
  });

  const unchanged = async (files: Record<string, string>, error: RegExp | string, extra: Partial<IncrementalOptions> = {}, leftAlone: readonly string[] = []) => {
    const hashes = [sha(dbFile), sha(identityFileOf(dbFile))];
    const failure = await load(files, extra).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(error);
    expect([sha(dbFile), sha(identityFileOf(dbFile))]).toEqual(hashes);
    expect(listDir(root).filter((f) => f.includes('.work-') || f.endsWith('.wal') || f.endsWith('.load.lock'))).toEqual(leftAlone);
    return failure as UserError;
  };

  it.each([
    ['a bad code', { 'clinical_event.csv': csv('person_id,event_date,snomed_code,numeric_value', '1,2026-03-11,60621009,', '1,2026-03-12,12,') }, "clinical_event.csv, line 3, field 'snomed_code': '12' is not a valid SNOMED CT"],
    ['a person not stored', { 'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '99,2026-03-25,C349,home') }, "death.csv, line 2, field 'person_id': unknown person 99"],
    ['a row of a person deleted in the same load', { 'person.deletes.csv': csv('person_id', '4'), 'medication.csv': csv('person_id,issue_date,bnf_code', '4,2026-03-01,0302') }, "medication.csv, line 2, field 'person_id': unknown person 4"],
    ['a key twice', { 'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '3,2026-03-25,C349,home', '3,2026-03-26,C349,home') }, "death.csv, line 3, field 'person_id': duplicate person_id 3, first seen on line 2"],
    ['a stay twice (its key is person and start)', { 'care_home_stay.csv': csv('person_id,start_date,end_date,care_type,permanent,council_funded', '3,2023-01-01,,nursing,true,true', '3,2023-01-01,2026-01-01,nursing,true,true') }, "care_home_stay.csv, line 3, field 'person_id': duplicate"],
    ['a key deleted and added', { 'ae_attendance.deletes.csv': csv('attendance_id', '10'), 'ae_attendance.csv': csv('attendance_id,person_id,arrival_time,departure_time,department_type,disposal', '10,1,2026-03-20 10:00:00,2026-03-20 12:00:00,01,discharged') }, "ae_attendance.deletes.csv, line 2, field 'attendance_id': is also in ae_attendance.csv"],
    ['a malformed deletion', { 'death.deletes.csv': csv('person_id', 'x') }, "death.deletes.csv, line 2, field 'person_id': 'x' is not a whole number"],
    ['a deletion without its key column', { 'opt_out.deletes.csv': csv('person_id', '2') }, "opt_out.deletes.csv, line 1, field 'kind': missing column"],
    ['a file named after no table', { 'deaths.csv': csv('person_id', '1') }, 'deaths.csv: not a known table'],
    ['an NHS number of another person', { 'identity.csv': csv(IDENTITY_HEADER, '2,9990000018,Amelia,Sutcliffe,2021-06-01,F,3 Oak Street,,Halifax,HX11CC,') }, "identity.csv, line 2, field 'nhs_number': is another person's NHS number"],
    ['a new date of birth without the identity', { 'person.csv': csv(PERSON_HEADER, '1,M,1980-05-07,H,E01011230,B86002,2000-01-01,true') }, "person.csv, line 2, field 'date_of_birth': differs from the person's identity"],
    ['an identity that disagrees with the person', { 'identity.csv': csv(IDENTITY_HEADER, '1,9990000018,Arjun,Patel,1980-05-07,M,Flat 2,4 Beck Road,Leeds,LS7 2BB,') }, "identity.csv, line 2, field 'date_of_birth'"],
    ['a malformed CSV line', { 'medication.csv': 'person_id,issue_date,bnf_code\n1,2026-03-01\n' }, 'medication.csv, line 2: expected 3 fields'],
  ])('rejects %s, naming file, line and field, and stores nothing', async (_, files, message) => {
    const error = await unchanged(files, message);
    expect(error).toBeInstanceOf(InputError);
  });

  it.each([
    ['nothing to load', {}, {}, /nothing to load/],
    ['a window end before the database\'s', { 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2026-03-01,0302') }, { windowEnd: '2020-01-01' }, /a load may extend the window, not shorten it/],
  ] as const)('refuses %s', async (_, files, extra, message) => {
    await unchanged(files, message, extra);
  });

  it('refuses while another load holds the database, naming it', async () => {
    const lock = acquireStoreLock(loadLockOf(dbFile), { what: 'x', advice: 'y', command: 'phm import --incremental other' });
    try {
      const error = await unchanged({ 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2026-03-01,0302') }, /is being loaded by process \d+ \(phm import --incremental other/, {}, [`db-${n}.duckdb.load.lock`]);
      expect(error.kind).toBe('conflict');
    } finally {
      lock.release();
    }
  });

  it('refuses a database without identities a load of identities', async () => {
    const plain = join(root, 'plain.duckdb');
    await buildDatabase({ outFile: plain, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1, memoryLimit: '512MB' });
    const before = sha(plain);
    await expect(
      applyIncremental({ dbFile: plain, csvDir: writeCsvDir(root, { 'identity.csv': csv(IDENTITY_HEADER, IDENTITY_ROWS[0]!) }), geography: GEOGRAPHY, threads: 1 }),
    ).rejects.toThrow(/has no identity store/);
    expect(sha(plain)).toBe(before);
    expect(existsSync(identityFileOf(plain))).toBe(false);
  });
});
