/**
 * `phm import --incremental` end to end with the built `phm`: a generated partnership's CSV split
 * into a base (before 1 March 2026, with some rows as they looked then and some that were later
 * withdrawn) and the month that follows (new people and events, changed people, stays and spells
 * that ended, deaths, deletions); base + month equals a full import of the same data, table by table,
 * identity by identity, and in the indicator catalogue's results. A load killed with kill -9 leaves
 * the database and its identity store byte-identical, and the next load cleans up after it.
 */
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '@openphm/core';
import { identityFileOf, openDatabase, openIdentityStore, readLoadHistory } from '@openphm/store-duckdb';
import { PHM_MAIN, phmRunner } from '../test-support.js';

const { dir, phm, cleanup } = phmRunner('incremental');
afterAll(cleanup);

const CUT = '2026-03-01';
const SALT = 'incremental-cli-test-salt-0001';
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

/** The date that decides whether a row is in the base or the month, by table: its column. */
const DATE_COLUMN: Record<string, string> = {
  person: 'date_of_birth',
  clinical_event: 'event_date',
  medication: 'issue_date',
  gp_appointment: 'appointment_date',
  ae_attendance: 'arrival_time',
  hospital_spell: 'admission_date',
  outpatient_appointment: 'appointment_date',
  community_contact: 'contact_date',
  mental_health_contact: 'contact_date',
  social_care_event: 'event_date',
  care_home_stay: 'start_date',
  birth: 'birth_date',
  death: 'date_of_death',
  opt_out: 'recorded_date',
  carer_relationship: 'start_date',
};
const PERSON_COLUMNS = ['person_id', 'baby_person_id', 'mother_person_id', 'carer_person_id', 'cared_for_person_id'];

interface Table {
  readonly header: string;
  readonly columns: readonly string[];
  readonly rows: string[][];
}

/** The generator's part files of a table, as rows of fields (its CSV has no quoted commas, identity apart). */
const readTable = (csvDir: string, table: string): Table => {
  const folder = join(csvDir, table);
  let header = '';
  const rows: string[][] = [];
  for (const part of readdirSync(folder).sort()) {
    const [first, ...lines] = readFileSync(join(folder, part), 'utf8').split('\n').filter((l) => l !== '');
    header = first!;
    for (const line of lines) rows.push(table === 'identity' ? [line.slice(0, line.indexOf(',')), line] : line.split(','));
  }
  return { header, columns: header.split(','), rows };
};

const write = (folder: string, name: string, header: string, lines: readonly string[]) => {
  if (lines.length > 0) writeFileSync(join(folder, `${name}.csv`), `${header}\n${lines.join('\n')}\n`);
};

/**
 * Splits the generated CSV into base/ and month/ (see the file comment). Returns what the month
 * should change, for the record.
 */
const split = (csvDir: string, baseDir: string, monthDir: string): void => {
  mkdirSync(baseDir);
  mkdirSync(monthDir);
  const person = readTable(csvDir, 'person');
  const at = (t: Table, c: string) => t.columns.indexOf(c);
  const newPeople = new Set(person.rows.filter((r) => r[at(person, 'date_of_birth')]! >= CUT || r[at(person, 'registration_date')]! >= CUT).map((r) => r[0]!));
  for (const table of TABLE_NAMES) {
    const t = table === 'person' ? person : readTable(csvDir, table);
    const base: string[] = [];
    const month: string[] = [];
    const dateAt = at(t, DATE_COLUMN[table]!);
    const personAt = PERSON_COLUMNS.map((c) => at(t, c)).filter((i) => i >= 0);
    t.rows.forEach((row, i) => {
      const line = row.join(',');
      const date = (row[dateAt] ?? '').slice(0, 10);
      if (personAt.some((p) => newPeople.has(row[p]!)) || (date !== '' && date >= CUT)) {
        month.push(line);
        return;
      }
      const endAt = at(t, 'end_date');
      const dischargeAt = at(t, 'discharge_date');
      if (endAt >= 0 && row[endAt] !== '' && row[endAt]! >= CUT) {
        // Still going on 1 March: the month brings its end (an update by source key).
        base.push(row.map((v, j) => (j === endAt ? '' : v)).join(','));
        month.push(line);
      } else if (dischargeAt >= 0 && row[dischargeAt]! >= CUT) {
        // In hospital on 1 March: the base holds a provisional discharge, the month the real one.
        base.push(row.map((v, j) => (j === dischargeAt ? row[at(t, 'admission_date')]! : v)).join(','));
        month.push(line);
      } else if (table === 'person' && i % 40 === 7) {
        // Changed people: registered at another practice before, moved since (the month sends them as they are).
        const other = person.rows[(i + 1) % person.rows.length]!;
        base.push(row.map((v, j) => (j === at(t, 'practice_code') ? other[j]! : j === at(t, 'lsoa_code') ? other[j]! : v)).join(','));
        month.push(line);
      } else base.push(line);
    });
    // Rows the base holds that were later withdrawn: a person (with their events) and one event row.
    if (table === 'person') base.push(`1,F,1990-01-01,A,${person.rows[0]![at(person, 'lsoa_code')]},${person.rows[0]![at(person, 'practice_code')]},2010-01-01,false`);
    if (table === 'clinical_event') base.push('1,2022-01-01,38341003,', `${person.rows[0]![0]},2022-02-02,60621009,999.5`);
    if (table === 'medication') base.push('1,2022-01-01,0302');
    write(baseDir, table, t.header, base);
    write(monthDir, table, t.header, month);
  }
  writeFileSync(join(monthDir, 'person.deletes.csv'), 'person_id\n1\n');
  writeFileSync(join(monthDir, 'clinical_event.deletes.csv'), `person_id,event_date,snomed_code,numeric_value\n${person.rows[0]![0]},2022-02-02,60621009,999.5\n`);
  const identity = readTable(csvDir, 'identity');
  write(baseDir, 'identity', identity.header, identity.rows.filter((r) => !newPeople.has(r[0]!)).map((r) => r[1]!));
  write(monthDir, 'identity', identity.header, identity.rows.filter((r) => newPeople.has(r[0]!)).map((r) => r[1]!));
};

/** Every person-level table's rows in a canonical order, and the load history. */
/** The data window a database records (meta window_*). */
const windowOf = async (file: string): Promise<unknown[]> => {
  const db = await openDatabase(file);
  try {
    return await db.query("SELECT key, value FROM meta WHERE key LIKE 'window%' ORDER BY key");
  } finally {
    db.close();
  }
};

const contents = async (file: string): Promise<{ tables: Record<string, string>; counts: Record<string, number> }> => {
  const db = await openDatabase(file);
  try {
    const tables: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (const t of TABLE_NAMES) {
      const [row] = await db.query<{ h: string | null; n: number }>(`SELECT md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)) AS h, count(*)::INTEGER AS n FROM ${t} x`);
      tables[t] = row?.h ?? '';
      counts[t] = row?.n ?? 0;
    }
    return { tables, counts };
  } finally {
    db.close();
  }
};

const identities = async (file: string): Promise<unknown[]> => {
  const db = await openDatabase(file);
  const [{ value }] = (await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'")) as [{ value: string }];
  db.close();
  const store = (await openIdentityStore(identityFileOf(file), value))!;
  try {
    return await store.query('SELECT * FROM identity ORDER BY person_id');
  } finally {
    store.close();
  }
};

let server: ChildProcess | undefined;

/**
 * Starts `phm serve` on a database and waits until it says where it listens. Without the background
 * precomputation (PHM_PRECOMPUTE=0): the test asks one route, computed when asked, before and after the load.
 */
const serve = (db: string): Promise<string> =>
  new Promise((resolve, reject) => {
    server = spawn(process.execPath, [PHM_MAIN, 'serve', '--db', db, '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PHM_PRECOMPUTE: '0' } });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /OpenPHM is running at (http:\/\/\S+\/)/.exec(out);
      if (m) resolve(m[1]!);
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code, signal) => reject(new Error(`phm serve exited (${code ?? signal}) before listening:\n${out}`)));
  });

const INDICATOR_ARGS = ['indicators', 'run', '--by', 'ics,place,imd-quintile,age-band,sex', '--format', 'json', '-q'];

const E2E_TIMEOUT = 900_000;

describe('phm import --incremental', () => {
  beforeAll(async () => {
    process.env.PHM_RECORD_KEY_SALT = SALT;
    const g = await phm('generate', '--size', '1500', '--seed', 'incremental', '--db', 'generated.duckdb', '--keep-csv', 'csv', '-q');
    expect(g.code, g.stderr).toBe(0);
    split(join(dir, 'csv'), join(dir, 'base'), join(dir, 'month'));
    const full = await phm('import', 'csv', '--db', 'full.duckdb', '-q');
    expect(full.code, full.stderr).toBe(0);
    const base = await phm('import', 'base', '--db', 'base.duckdb', '-q');
    expect(base.code, base.stderr).toBe(0);
    for (const copy of ['killed', 'served']) {
      copyFileSync(join(dir, 'base.duckdb'), join(dir, `${copy}.duckdb`));
      copyFileSync(identityFileOf(join(dir, 'base.duckdb')), identityFileOf(join(dir, `${copy}.duckdb`)));
    }
  }, E2E_TIMEOUT);
  afterAll(() => {
    delete process.env.PHM_RECORD_KEY_SALT;
    server?.kill('SIGKILL');
  });

  it('loads the month onto the base: every table, every identity and the indicator catalogue equal a full import of the same data', async () => {
    const before = await contents(join(dir, 'base.duckdb'));
    const windowBefore = await windowOf(join(dir, 'base.duckdb'));
    const r = await phm('import', '--incremental', 'month', '--db', 'base.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Loaded .*month into .*base\.duckdb in [\d.]+s: data version \S+ \(after \S+\)/);
    expect(r.stdout).toMatch(/person\s+[\d,]+\s+[\d,]+\s+1\n/);

    const [after, full] = await Promise.all([contents(join(dir, 'base.duckdb')), contents(join(dir, 'full.duckdb'))]);
    expect(after.counts).toEqual(full.counts);
    expect(after.tables).toEqual(full.tables);
    expect(before.tables).not.toEqual(full.tables);
    expect(await identities(join(dir, 'base.duckdb'))).toEqual(await identities(join(dir, 'full.duckdb')));
    // The data window: the base's (from its activity) moved on by the month's activity, as the full import derives it.
    const [baseWindow, fullWindow] = [await windowOf(join(dir, 'base.duckdb')), await windowOf(join(dir, 'full.duckdb'))];
    expect(baseWindow).toEqual(fullWindow);
    expect(fullWindow.map((r) => (r as { key: string }).key)).toEqual(['window_end', 'window_from', 'window_start']);
    expect(windowBefore).not.toEqual(fullWindow);

    const [incremental, rebuilt] = await Promise.all([phm(...INDICATOR_ARGS, '--db', 'base.duckdb'), phm(...INDICATOR_ARGS, '--db', 'full.duckdb')]);
    expect(incremental.code, incremental.stderr).toBe(0);
    expect(JSON.parse(incremental.stdout).length).toBeGreaterThan(1000);
    expect(incremental.stdout).toBe(rebuilt.stdout);

    // The load history names the version the month was applied to, and what changed.
    const db = await openDatabase(join(dir, 'base.duckdb'));
    try {
      const history = await readLoadHistory(db);
      expect(history.map((h) => h.kind)).toEqual(['full', 'incremental']);
      expect(history[1]!.parentBuildId).toBe(history[0]!.buildId);
      expect(history[1]!.changes.person!.updated).toBeGreaterThan(10);
      expect(history[1]!.changes.person!.deleted).toBe(1);
      expect(history[1]!.changes.care_home_stay!.updated + history[1]!.changes.hospital_spell!.updated).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('.work-') || f.endsWith('.wal') || f.endsWith('.lock'))).toEqual([]);
  }, E2E_TIMEOUT);

  it('a running server switches to the new data version at its next request, without a restart', async () => {
    // A load that withdraws 150 people, so the population the server reports must change.
    const db = await openDatabase(join(dir, 'served.duckdb'));
    const ids = await db.query<{ id: number }>('SELECT person_id AS id FROM person WHERE person_id NOT IN (SELECT person_id FROM death) ORDER BY hash(person_id) LIMIT 150');
    db.close();
    mkdirSync(join(dir, 'withdrawn'));
    writeFileSync(join(dir, 'withdrawn', 'person.deletes.csv'), `person_id\n${ids.map((r) => r.id).join('\n')}\n`);

    const url = await serve('served.duckdb');
    const people = async (at = url): Promise<number> => (await (await fetch(`${at}api/population/summary`)).json()).total;
    const before = await people();
    const r = await phm('import', '--incremental', 'withdrawn', '--db', 'served.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/person\s+0\s+0\s+150\n/);
    expect(r.stdout).toContain('150 people deleted: what the operational store holds open about them (caseload episodes, care plans, referrals, tasks, alerts) is closed, and kept, by the server when it next answers');
    expect(r.stdout).toMatch(/Served by process \d+ \(phm serve --db served\.duckdb --port 0, since .*\): it switches to the new data at its next request, without a restart/);
    // Its answer (cached per data version) is now the new version's: as a server started afresh on the new file gives.
    const after = await people();
    expect(after).toBeLessThan(before - 100);
    expect(server!.exitCode).toBeNull();
    server!.kill('SIGKILL');
    await new Promise((resolve) => server!.once('exit', resolve));
    const fresh = await serve('served.duckdb');
    expect(await people(fresh)).toBe(after);
  }, E2E_TIMEOUT);

  it('rejects a bad row naming file, line and field (exit 3), and keeps the database byte-identical', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'death.csv'), 'person_id,date_of_death,underlying_cause,place_of_death\n7,2026-03-02,C349,home\n');
    const hashes = [sha(join(dir, 'killed.duckdb')), sha(identityFileOf(join(dir, 'killed.duckdb')))];
    const r = await phm('import', '--incremental', 'bad', '--db', 'killed.duckdb', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("death.csv, line 2, field 'person_id': unknown person 7");
    expect(r.stderr).toContain('Nothing was stored');
    expect([sha(join(dir, 'killed.duckdb')), sha(identityFileOf(join(dir, 'killed.duckdb')))]).toEqual(hashes);
  }, E2E_TIMEOUT);

  it('leaves the database byte-identical when killed with kill -9 mid-load; the next load removes what it left and succeeds', async () => {
    const db = join(dir, 'killed.duckdb');
    const hashes = [sha(db), sha(identityFileOf(db))];
    const child = spawn(process.execPath, [PHM_MAIN, 'import', '--incremental', 'month', '--db', 'killed.duckdb', '-q'], { cwd: dir, stdio: 'ignore' });
    const work = join(dir, `killed.duckdb.work-${child.pid}`);
    let exited = false;
    child.on('exit', () => void (exited = true));
    // Killed once the copy it works on exists: while it checks and writes the month.
    while (!existsSync(join(work, 'database.duckdb'))) {
      if (exited) throw new Error('the load finished before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect([sha(db), sha(identityFileOf(db))]).toEqual(hashes);
    expect(statSync(work).mode & 0o777).toBe(0o700);
    const again = await phm('import', '--incremental', 'month', '--db', 'killed.duckdb', '-q');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Removed ${work}, left by an interrupted run (process ${child.pid}, no longer running)`);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed.duckdb'))).toEqual(['killed.duckdb']);
    expect((await contents(db)).tables).toEqual((await contents(join(dir, 'full.duckdb'))).tables);
  }, E2E_TIMEOUT);
});
