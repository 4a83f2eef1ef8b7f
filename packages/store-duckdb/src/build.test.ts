import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordKeyOf } from '@openphm/engine-memory';
import { InputError, TABLE_NAMES, UserError, exitCodeFor } from '@openphm/core';
import { buildDatabase, metaRows, windowEndOf, type BuildProgress } from './build.js';
import { openDatabase, type PhmDatabase } from './database.js';
import { AUX_TABLES } from './ddl.js';
import { isPrivateFolder, workDirOf } from './work-dir.js';
import { GEOGRAPHY, META, VALID_FILES, listDir, makeTempDir, removeDir, withFiles, writeCsvDir } from './test-support.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every table's rows in stored order (no ORDER BY), for comparing two databases. */
const dump = async (db: PhmDatabase): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  // Every build has a build id of its own (meta.build_id); the rest is the same for the same input.
  for (const t of [...TABLE_NAMES, ...AUX_TABLES.map((a) => a.name)]) out[t] = await db.query(`SELECT * FROM "${t}"${t === 'meta' ? " WHERE key <> 'build_id'" : ''}`);
  return out;
};

const SALT = 'build-test-record-key-salt';

describe('buildDatabase', () => {
  let root: string;
  let csvDir: string;
  let dbFile: string;
  let progress: BuildProgress[];

  beforeAll(async () => {
    root = makeTempDir();
    csvDir = writeCsvDir(root, VALID_FILES);
    dbFile = join(root, 'phm.duckdb');
    progress = [];
    await buildDatabase({ outFile: dbFile, csvDir, geography: GEOGRAPHY, meta: META, threads: 2, memoryLimit: '512MB', recordKeySalt: SALT, onProgress: (p) => progress.push(p) });
  });
  afterAll(() => removeDir(root));

  it('loads every table and reports row counts and the file size', async () => {
    const summary = await buildDatabase({ outFile: join(root, 'again.duckdb'), csvDir, geography: GEOGRAPHY, meta: META });
    expect(summary.rows).toEqual({
      person: 4,
      clinical_event: 5,
      medication: 2,
      gp_appointment: 2,
      ae_attendance: 2,
      hospital_spell: 1,
      outpatient_appointment: 2,
      community_contact: 1,
      mental_health_contact: 1,
      social_care_event: 1,
      care_home_stay: 2,
      birth: 1,
      death: 1,
      opt_out: 3,
      carer_relationship: 2,
    });
    expect(summary.geography).toEqual({ geo_lsoa: 3, geo_neighbourhood: 2, geo_practice: 3, geo_pcn: 2, geo_local_authority: 2, geo_place: 2 });
    expect(summary.fileBytes).toBe(readFileSync(join(root, 'again.duckdb')).length);
    expect(summary.outFile).toBe(join(root, 'again.duckdb'));
  });

  it('stores rows in each table\'s canonical order with typed values', async () => {
    const db = await openDatabase(dbFile);
    try {
      expect(await db.query('SELECT person_id, sex, date_of_birth, is_carer FROM person')).toEqual([
        { person_id: 1, sex: 'M', date_of_birth: '1980-05-06', is_carer: true },
        { person_id: 2, sex: 'F', date_of_birth: '2021-06-01', is_carer: false },
        { person_id: 3, sex: 'F', date_of_birth: '1950-02-01', is_carer: false },
        { person_id: 4, sex: 'M', date_of_birth: '1940-01-01', is_carer: false },
      ]);
      expect(await db.query('SELECT person_id, event_date, snomed_code, numeric_value FROM clinical_event')).toEqual([
        { person_id: 1, event_date: '2021-04-03', snomed_code: '38341003', numeric_value: null },
        { person_id: 1, event_date: '2021-05-01', snomed_code: '60621009', numeric_value: 27.5 },
        { person_id: 2, event_date: '2022-01-01', snomed_code: '38341003', numeric_value: null },
        { person_id: 3, event_date: '2021-04-02', snomed_code: '195967001', numeric_value: null },
        { person_id: 3, event_date: '2021-04-02', snomed_code: '38341003', numeric_value: null },
      ]);
      expect(await db.query('SELECT attendance_id, arrival_time, department_type FROM ae_attendance')).toEqual([
        { attendance_id: 10, arrival_time: '2021-07-01 23:00:00', department_type: '03' },
        { attendance_id: 20, arrival_time: '2022-12-01 10:00:00', department_type: '01' },
      ]);
      expect(await db.query('SELECT person_id, end_date FROM care_home_stay')).toEqual([
        { person_id: 3, end_date: null },
        { person_id: 4, end_date: '2022-12-01' },
      ]);
      // Opt-outs by person, then kind (national before type-1); the national one has no date.
      expect(await db.query('SELECT person_id, kind, recorded_date FROM opt_out')).toEqual([
        { person_id: 2, kind: 'national', recorded_date: null },
        { person_id: 4, kind: 'national', recorded_date: null },
        { person_id: 4, kind: 'type-1', recorded_date: '2021-06-01' },
      ]);
      expect(await db.query('SELECT data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', ['birth'])).toEqual(
        ['BIGINT', 'BIGINT', 'DATE', 'INTEGER', 'INTEGER', 'BOOLEAN'].map((data_type) => ({ data_type })),
      );
    } finally {
      db.close();
    }
  });

  it('loads the geography lookup tables and the meta table', async () => {
    const db = await openDatabase(dbFile);
    try {
      expect(await db.query('SELECT lsoa_code, place, neighbourhood_id, imd_decile, pop_total FROM geo_lsoa')).toEqual([
        { lsoa_code: 'E01010001', place: 'calderdale', neighbourhood_id: 'calderdale-1', imd_decile: 10, pop_total: 1400 },
        { lsoa_code: 'E01011229', place: 'leeds', neighbourhood_id: 'leeds-1', imd_decile: 1, pop_total: 1500 },
        { lsoa_code: 'E01011230', place: 'leeds', neighbourhood_id: 'leeds-1', imd_decile: 5, pop_total: 1600 },
      ]);
      expect(await db.query('SELECT * FROM geo_place')).toEqual([
        { place: 'calderdale', name: 'Calderdale', ics_name: 'Test ICS', population: 1400 },
        { place: 'leeds', name: 'Leeds', ics_name: 'Test ICS', population: 3100 },
      ]);
      expect(await db.query('SELECT key, value FROM meta')).toEqual([
        { key: 'build_id', value: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) },
        { key: 'record_key_salt', value: SALT },
        { key: 'schema_version', value: '5' },
        { key: 'seed', value: 'test' },
        { key: 'size', value: '4' },
        { key: 'source', value: 'synthetic' },
        { key: 'window_end', value: '2026-04-01' },
        { key: 'window_start', value: '2021-04-01' },
        { key: 'years', value: '5' },
      ]);
    } finally {
      db.close();
    }
  });

  it('gives every person a record key from the salt, kept when the database is built again', async () => {
    const db = await openDatabase(dbFile);
    const keys = await db.query<{ person_id: number; record_key: number }>('SELECT person_id, record_key FROM person ORDER BY person_id');
    db.close();
    expect(keys.map((k) => k.record_key)).toEqual(keys.map((k) => recordKeyOf(SALT, k.person_id)));
    expect(new Set(keys.map((k) => k.record_key)).size).toBeGreaterThan(1);
    // Built again without a salt: the database it replaces gives its own, so the same people keep the same keys.
    const dir = makeTempDir();
    const again = join(dir, 'again-keys.duckdb');
    await buildDatabase({ outFile: again, csvDir, geography: GEOGRAPHY, meta: META, recordKeySalt: SALT });
    await buildDatabase({ outFile: again, csvDir, geography: GEOGRAPHY, meta: META });
    const reopened = await openDatabase(again);
    expect(await reopened.query('SELECT person_id, record_key FROM person ORDER BY person_id')).toEqual(keys);
    reopened.close();
    // A new database without a salt gets a random one.
    const fresh = join(dir, 'fresh-keys.duckdb');
    await buildDatabase({ outFile: fresh, csvDir, geography: GEOGRAPHY, meta: META });
    const f = await openDatabase(fresh);
    const [salt] = await f.query<{ value: string }>("SELECT value FROM meta WHERE key = 'record_key_salt'");
    f.close();
    removeDir(dir);
    expect(salt!.value).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is deterministic: the same input gives the same content whatever the threads', async () => {
    const other = join(root, 'single-thread.duckdb');
    await buildDatabase({ outFile: other, csvDir, geography: GEOGRAPHY, meta: META, threads: 1, recordKeySalt: SALT });
    const [a, b] = [await openDatabase(dbFile), await openDatabase(other)];
    try {
      expect(await dump(b)).toEqual(await dump(a));
    } finally {
      a.close();
      b.close();
    }
  });

  it('reports progress: a load step from 0 to its total, then the write step', () => {
    const load = progress.filter((p) => p.step === 'Loading and checking data');
    expect(load[0]?.done).toBe(0);
    expect(load.at(-1)?.done).toBe(load[0]?.total);
    expect(progress.at(-1)).toEqual({ step: 'Writing database', done: 1, total: 1 });
  });

  it('creates optional tables empty when their files are absent', async () => {
    const dir = writeCsvDir(root, { 'person.csv': VALID_FILES['person.csv']! });
    const summary = await buildDatabase({ outFile: join(root, 'person-only.duckdb'), csvDir: dir, geography: GEOGRAPHY, meta: { source: 'import' } });
    expect(summary.rows.person).toBe(4);
    expect(summary.rows.death).toBe(0);
  });

  it('leaves no temporary files next to the database', () => {
    expect(listDir(root).filter((f) => !f.startsWith('csv-'))).toEqual(['again.duckdb', 'person-only.duckdb', 'phm.duckdb', 'single-thread.duckdb']);
  });

  it('keeps an existing database byte-identical when a build fails, and removes its temporary file', async () => {
    const before = sha(dbFile);
    const bad = writeCsvDir(root, withFiles({ 'death.csv': 'person_id,date_of_death,underlying_cause,place_of_death\n4,2023-02-01,I21.9,hospital\n' }));
    const failure = buildDatabase({ outFile: dbFile, csvDir: bad, geography: GEOGRAPHY, meta: META });
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow("death.csv, line 2, field 'underlying_cause': 'I21.9' is not a valid ICD-10 code (write ICD-10 codes without the dot, e.g. I219)");
    expect(sha(dbFile)).toBe(before);
    const db = await openDatabase(dbFile);
    try {
      expect(await db.query('SELECT count(*) AS n FROM person')).toEqual([{ n: 4 }]);
    } finally {
      db.close();
    }
    expect(listDir(root).filter((f) => f.includes('.tmp') || f.includes('.work-') || f.endsWith('.wal'))).toEqual([]);
  });

  const CARER_HEADER = 'carer_person_id,cared_for_person_id,start_date,end_date';
  it.each<[string, string[], string]>([
    ['a carer who is not a person', ['1,3,2022-01-01,', '99,3,2022-01-01,'], "carer_relationship.csv, line 3, field 'carer_person_id': unknown person 99 (not in the person table)"],
    ['a cared-for person who is not a person', ['1,42,2022-01-01,'], "carer_relationship.csv, line 2, field 'cared_for_person_id': unknown person 42 (not in the person table)"],
    ['a carer linked to themself', ['1,3,2022-01-01,', '1,1,2022-01-01,'], "carer_relationship.csv, line 3, field 'cared_for_person_id': '1' is carer_person_id '1': a carer cannot be linked to themself"],
    ['an impossible start date', ['1,3,2022-02-30,'], "carer_relationship.csv, line 2, field 'start_date': '2022-02-30' is not a valid date (YYYY-MM-DD)"],
    ['no start date', ['1,3,,'], "carer_relationship.csv, line 2, field 'start_date': empty, but a value is required"],
    ['an end before the start', ['1,3,2022-01-01,2021-12-31'], "carer_relationship.csv, line 2, field 'end_date': '2021-12-31' is before start_date '2022-01-01'"],
    ['the same link twice', ['1,3,2022-01-01,', '1,3,2022-01-01,2023-01-01'], "carer_relationship.csv, line 3, field 'carer_person_id': duplicate (carer_person_id, cared_for_person_id, start_date) (1, 3, 2022-01-01), first seen on line 2"],
  ])('refuses carer links with %s, naming file, line and field, and keeps the existing database', async (_name, rows, message) => {
    const before = sha(dbFile);
    const bad = writeCsvDir(root, withFiles({ 'carer_relationship.csv': `${CARER_HEADER}\n${rows.join('\n')}\n` }));
    const failure = buildDatabase({ outFile: dbFile, csvDir: bad, geography: GEOGRAPHY, meta: META });
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(sha(dbFile)).toBe(before);
  });

  it('stores carer links as given, with the end date optional', async () => {
    const db = await openDatabase(dbFile);
    try {
      expect(await db.query('SELECT carer_person_id, cared_for_person_id, start_date, end_date FROM carer_relationship')).toEqual([
        { carer_person_id: 1, cared_for_person_id: 2, start_date: '2023-01-01', end_date: '2024-06-30' },
        { carer_person_id: 1, cared_for_person_id: 3, start_date: '2022-01-01', end_date: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('builds in a private working folder (0700) and leaves the database readable by its owner only', async () => {
    const outFile = join(root, 'private.duckdb');
    const seen: { exists: boolean; private: boolean; holdsDatabase: boolean }[] = [];
    await buildDatabase({
      outFile,
      csvDir,
      geography: GEOGRAPHY,
      meta: META,
      onProgress: () => {
        const work = workDirOf(outFile);
        const exists = existsSync(work);
        seen.push({ exists, private: exists && isPrivateFolder(work), holdsDatabase: exists && existsSync(join(work, 'database.duckdb')) });
      },
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((s) => s.exists && s.private)).toBe(true);
    expect(seen.some((s) => s.holdsDatabase)).toBe(true);
    expect(statSync(outFile).mode & 0o777).toBe(0o600);
    expect(existsSync(workDirOf(outFile))).toBe(false);
  });

  it('maps input errors to exit code 3', async () => {
    const bad = writeCsvDir(root, withFiles({ 'person.csv': null }));
    const error = await buildDatabase({ outFile: join(root, 'x.duckdb'), csvDir: bad, geography: GEOGRAPHY, meta: META }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('person.csv: file not found: the person table is required (person.csv or person/*.csv)');
    expect(exitCodeFor(error)).toBe(3);
  });

  it.each([
    ['a missing CSV directory', { csvDir: '/nonexistent/phm-csv' }, 'CSV directory not found: /nonexistent/phm-csv'],
    ['a missing output directory', { outFile: '/nonexistent/dir/phm.duckdb' }, 'directory for the database does not exist: /nonexistent/dir'],
    ['no meta source', { meta: {} }, "meta.source must be one of synthetic, import, got nothing"],
    ['a bad memory limit', { memoryLimit: 'lots' }, "memory limit must look like 4GB or 512MB, got 'lots'"],
  ])('rejects %s with a UserError', async (_name, override, message) => {
    const options = { outFile: join(root, 'y.duckdb'), csvDir, geography: GEOGRAPHY, meta: META, ...override };
    const error = await buildDatabase(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(message);
  });

  it('refuses to replace a database that has a write-ahead log', async () => {
    const target = join(root, 'busy.duckdb');
    writeFileSync(`${target}.wal`, '');
    await expect(buildDatabase({ outFile: target, csvDir, geography: GEOGRAPHY, meta: META })).rejects.toThrow(/busy\.duckdb\.wal exists/);
    removeDir(`${target}.wal`);
  });
});

describe('meta', () => {
  it.each([
    ['2021-04-01', 5, '2026-04-01'],
    ['2020-02-29', 1, '2021-03-01'],
  ])('a window from %s of %i years ends before %s', (start, years, end) => {
    expect(windowEndOf(start, years)).toBe(end);
  });

  it('keeps an explicit window_end and always sets schema_version', () => {
    expect(metaRows({ source: 'import', window_end: '2024-01-01', window_start: '2019-01-01', years: '5', schema_version: 'x' })).toEqual([
      ['schema_version', '5'],
      ['source', 'import'],
      ['window_end', '2024-01-01'],
      ['window_start', '2019-01-01'],
      ['years', '5'],
    ]);
  });
});

describe('the data window of an import (windowFromActivity)', () => {
  let root: string;
  let csvDir: string;
  beforeAll(() => {
    root = makeTempDir();
    csvDir = writeCsvDir(root, VALID_FILES);
  });
  afterAll(() => removeDir(root));

  const build = async (meta: Record<string, string>, name: string) => {
    const outFile = join(root, `${name}.duckdb`);
    const summary = await buildDatabase({ outFile, csvDir, geography: GEOGRAPHY, meta: { source: 'import', ...meta }, threads: 1, memoryLimit: '512MB', recordKeySalt: SALT, windowFromActivity: 'activity' });
    const db = await openDatabase(outFile);
    try {
      return { summary, meta: await db.query<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'window%' ORDER BY key") };
    } finally {
      db.close();
    }
  };

  it('is the first day of activity to the day after the last (prescriptions, attendances, admissions, deaths, ...; coded events left out)', async () => {
    // VALID_FILES: the first activity is a prescription on 2021-04-01, the last a death on 2023-02-01 (a coded event on 2022-01-01 is not later).
    const { summary, meta } = await build({}, 'derived');
    expect(meta).toEqual([
      { key: 'window_end', value: '2023-02-02' },
      { key: 'window_from', value: 'activity' },
      { key: 'window_start', value: '2021-04-01' },
    ]);
    expect(summary.window).toEqual({ start: '2021-04-01', end: '2023-02-02', from: 'activity' });
  });

  it('keeps what is given, deriving only what is not', async () => {
    expect((await build({ window_start: '2020-04-01', window_end: '2024-04-01' }, 'given')).meta).toEqual([
      { key: 'window_end', value: '2024-04-01' },
      { key: 'window_start', value: '2020-04-01' },
    ]);
    expect((await build({ window_end: '2024-04-01' }, 'end-given')).meta).toEqual([
      { key: 'window_end', value: '2024-04-01' },
      { key: 'window_from', value: 'activity' },
      { key: 'window_start', value: '2021-04-01' },
    ]);
  });

  it('is not recorded without windowFromActivity (phm generate records its own)', async () => {
    const outFile = join(root, 'none.duckdb');
    const summary = await buildDatabase({ outFile, csvDir, geography: GEOGRAPHY, meta: { source: 'import' }, threads: 1, memoryLimit: '512MB', recordKeySalt: SALT });
    expect(summary.window).toBeUndefined();
  });
});

describe('a full build over a database: the people it leaves out', () => {
  let root: string;
  const HEADER = 'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer';
  const PEOPLE: Record<number, string> = { 1: 'M,1980-05-06', 2: 'F,1990-06-07', 3: 'F,1950-02-01', 4: 'M,1940-01-01', 5: 'M,1999-09-09', 9: 'F,1930-03-03' };
  /** A person-only extract: each id with the sex and birth of the person given (by their id in PEOPLE). */
  const extract = (people: readonly (readonly [number, number])[], birth?: Record<number, string>): string =>
    writeCsvDir(root, { 'person.csv': `${[HEADER, ...people.map(([id, who]) => `${id},${birth?.[id] ?? PEOPLE[who]},A,E01011229,B86001,2000-01-01,false`)].join('\n')}\n` });
  const same = (ids: readonly number[]) => ids.map((id) => [id, id] as const);
  let n = 0;
  let first: string;
  /** A copy of a database of people 1-4 whose earlier build left out person 9 (deleted_person), at a new path. */
  const base = async (): Promise<string> => {
    const db = join(root, `db-${++n}.duckdb`);
    copyFileSync(first, db);
    return db;
  };
  const deleted = async (db: string): Promise<number[]> => {
    const database = await openDatabase(db);
    try {
      return (await database.query<{ id: number }>('SELECT person_id::INTEGER AS id FROM deleted_person ORDER BY 1')).map((r) => r.id);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    root = makeTempDir();
    first = join(root, 'first.duckdb');
    await buildDatabase({ outFile: first, csvDir: extract(same([1, 2, 3, 4, 9])), geography: GEOGRAPHY, meta: META, threads: 1 });
    await buildDatabase({ outFile: first, csvDir: extract(same([1, 2, 3, 4])), geography: GEOGRAPHY, meta: META, threads: 1 });
  });
  afterAll(() => removeDir(root));

  it.each<[string, () => string, { kept: number; changed: number; deleted: number } | RegExp]>([
    ['the same people again', () => extract(same([4, 3, 2, 1])), { kept: 4, changed: 0, deleted: 0 }],
    ['two left out', () => extract(same([1, 3])), { kept: 2, changed: 0, deleted: 2 }],
    ['one added, a date of birth corrected', () => extract(same([1, 2, 3, 4, 5]), { 1: 'M,1980-05-07' }), { kept: 4, changed: 1, deleted: 0 }],
    ['renumbered (each id now names the next person)', () => extract([[2, 1], [3, 2], [4, 3], [5, 4]]), /3 of the 3 person ids this import shares with the database name someone of another sex or date of birth/],
    ['other people entirely', () => extract([[11, 1], [12, 2]]), /holds 4 people and this import keeps none of their ids/],
  ])('%s', async (_name, files, expected) => {
    const db = await base();
    const before = sha(db);
    const run = buildDatabase({ outFile: db, csvDir: files(), geography: GEOGRAPHY, meta: META, threads: 1, guardPeople: true });
    if (expected instanceof RegExp) {
      const error = await run.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(exitCodeFor(error as UserError)).toBe(5);
      expect((error as Error).message).toMatch(expected);
      expect(sha(db)).toBe(before);
      return;
    }
    const summary = await run;
    expect(summary.previous).toEqual({ people: 4, ...expected, carried: 1 });
    // Person 9's deletion is carried over; those left out now are recorded with the new version.
    const left = [1, 2, 3, 4].filter((id) => expected.deleted > 0 && ![1, 3].includes(id));
    expect(await deleted(db)).toEqual([...left, 9]);
  });

  it('replaces them when not guarded (--replace-people), recording every one left out', async () => {
    const db = await base();
    const summary = await buildDatabase({ outFile: db, csvDir: extract([[11, 1]]), geography: GEOGRAPHY, meta: META, threads: 1 });
    expect(summary.previous).toEqual({ people: 4, kept: 0, changed: 0, deleted: 4, carried: 1 });
    expect(await deleted(db)).toEqual([1, 2, 3, 4, 9]);
  });
});
