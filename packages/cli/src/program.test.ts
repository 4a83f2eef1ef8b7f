/**
 * End-to-end tests of the built `phm` command (npm test builds first): exit codes, messages,
 * determinism of the whole generate → load pipeline, import validation that never loses data.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '@openphm/core';
import { identityByPersonId, identityFileOf, openDatabase, openIdentityStore } from '@openphm/store-duckdb';
import { PHM_MAIN, phmRunner } from './test-support.js';

const { dir, phm, cleanup } = phmRunner('cli');
afterAll(cleanup);

/** Content hash of every table, in stored order. */
const contentHash = async (file: string): Promise<string> => {
  const db = await openDatabase(file);
  try {
    const h = createHash('sha256');
    for (const t of [...TABLE_NAMES, 'geo_lsoa', 'geo_neighbourhood']) {
      const [row] = await db.query<{ h: string | null; n: number }>(`SELECT md5(string_agg(x::VARCHAR, '|')) AS h, count(*) AS n FROM ${t} x`);
      h.update(`${t}:${row?.n}:${row?.h}\n`);
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
};

beforeAll(() => {
});

describe('phm', () => {
  it('prints help listing the commands', async () => {
    const r = await phm('--help');
    expect(r.code).toBe(0);
    for (const c of ['generate', 'import', 'info', 'demo', 'referrals']) expect(r.stdout).toContain(c);
    const g = await phm('generate', '--help');
    expect(g.stdout).toContain('--seed');
  });

  it.each([
    [['generate', '--size', 'lots'], "--size must be a number of people such as 5000, 50k, 2.7m or 'full', got 'lots'"],
    [['generate', '--size', '10'], "--size must be at least 100 people, got '10'"],
    [['generate', '--workers', '0'], "--workers must be a whole number of at least 1, got '0'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['referrals', 'import', 'x.csv'], "required option '--by <email>' not specified"],
  ])('rejects bad usage %j with exit code 2', async (args, message) => {
    const r = await phm(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('exits 4 when the database does not exist', async () => {
    const r = await phm('info', '--db', 'nowhere.duckdb');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('nowhere.duckdb');
  });
});

describe('phm generate', () => {
  it('gives an identical database for the same seed whatever the number of workers, and different people for another seed', async () => {
    const a = await phm('generate', '--size', '2000', '--seed', 'one', '--db', 'a.duckdb', '--workers', '2', '--keep-csv', 'a-csv');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/Generated [\d,]+ people/);
    expect((await phm('generate', '--size', '2000', '--seed', 'one', '--db', 'b.duckdb', '--workers', '1', '-q')).code).toBe(0);
    expect((await phm('generate', '--size', '2000', '--seed', 'two', '--db', 'c.duckdb', '-q')).code).toBe(0);
    const [ha, hb, hc] = await Promise.all(['a', 'b', 'c'].map((x) => contentHash(join(dir, `${x}.duckdb`))));
    expect(hb).toBe(ha);
    expect(hc).not.toBe(ha);
    expect(readdirSync(dir).filter((f) => f.includes('.work-') || f.includes('csv-tmp'))).toEqual([]);
  });

  it('keeps its person-level files in a private folder, and the next run removes what a killed run left', async () => {
    // kill -9 while the people are being generated: the CSV part files stay behind, in a folder only the owner can enter.
    const child = spawn(process.execPath, [PHM_MAIN, 'generate', '--size', '20000', '--seed', 'killed', '--db', 'k.duckdb', '--workers', '1'], { cwd: dir, stdio: 'ignore' });
    const work = join(dir, `k.duckdb.work-${child.pid}`);
    let exited = false;
    child.on('exit', () => void (exited = true));
    const partFiles = () => (existsSync(join(work, 'csv', 'person')) ? readdirSync(join(work, 'csv', 'person')).length : 0);
    while (partFiles() === 0) {
      if (exited) throw new Error('phm generate finished before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(statSync(work).mode & 0o777).toBe(0o700);
    expect(partFiles()).toBeGreaterThan(0);
    // An older version's leftovers too (X.csv-tmp-PID/, X.tmp-PID).
    writeFileSync(join(dir, `k.duckdb.tmp-${child.pid}`), 'x');
    const again = await phm('generate', '--size', '500', '--seed', 'again', '--db', 'k.duckdb', '-q');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Removed ${work}, left by an interrupted run (process ${child.pid}, no longer running)`);
    expect(readdirSync(dir).filter((f) => f.startsWith('k.duckdb'))).toEqual(['k.duckdb']);
    expect(statSync(join(dir, 'k.duckdb')).mode & 0o777).toBe(0o600);
  });

  it('writes synthetic identities next to the database, of the same build, for every person', async () => {
    const db = await openDatabase(join(dir, 'a.duckdb'));
    const [[build], people] = await Promise.all([
      db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'"),
      db.query<{ person_id: number; date_of_birth: string }>('SELECT person_id, strftime(date_of_birth, \'%Y-%m-%d\') AS date_of_birth FROM person ORDER BY person_id LIMIT 3'),
    ]);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM person') as [{ n: number }];
    db.close();
    const file = identityFileOf(join(dir, 'a.duckdb'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const store = (await openIdentityStore(file, build!.value))!;
    try {
      const [{ rows }] = (await store.query<{ rows: number }>('SELECT count(*) AS rows FROM identity')) as [{ rows: number }];
      expect(rows).toBe(n);
      for (const p of people) expect((await identityByPersonId(store, p.person_id))?.dateOfBirth).toBe(p.date_of_birth);
    } finally {
      store.close();
    }
  });

  it('reports people by place, neighbourhood and IMD decile', async () => {
    const r = await phm('info', '--db', 'a.duckdb', '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.byPlace).toHaveLength(6);
    expect(info.byNeighbourhood).toHaveLength(56);
    expect(info.byImdDecile).toHaveLength(10);
    const sum = (rows: { people: number }[]) => rows.reduce((a, b) => a + b.people, 0);
    expect(sum(info.byPlace)).toBe(info.people.total);
    expect(sum(info.byNeighbourhood)).toBe(info.people.total);
    expect(sum(info.byImdDecile)).toBe(info.people.total);
    const text = await phm('info', '--db', 'a.duckdb');
    expect(text.stdout).toContain('Bradford District & Craven');
    expect(text.stdout).toContain('By IMD 2019 decile');
  });
});

describe('phm import', () => {
  const fileHash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

  it('loads a folder of extracts in the documented schema', async () => {
    const r = await phm('import', 'a-csv', '--db', 'imported.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('person');
    // The kept CSV files hold the identities too (identity/): imported into a store of their own.
    expect(r.stdout).toMatch(/Identities: .*imported\.identity\.duckdb \([\d,]+ people, for care teams only\)/);
    // The data window, as a FHIR import records it: the first day of activity to the day after the last (docs/fhir-import.md, "Data window").
    const generated = await openDatabase(join(dir, 'a.duckdb'));
    const [span] = await generated.query<{ first: string; last: string }>(
      "SELECT min(d)::VARCHAR AS first, (max(d) + 1)::VARCHAR AS last FROM (SELECT appointment_date AS d FROM gp_appointment UNION ALL SELECT appointment_date FROM outpatient_appointment " +
        'UNION ALL SELECT admission_date FROM hospital_spell UNION ALL SELECT arrival_time::DATE FROM ae_attendance UNION ALL SELECT issue_date FROM medication UNION ALL SELECT contact_date FROM community_contact ' +
        'UNION ALL SELECT contact_date FROM mental_health_contact UNION ALL SELECT event_date FROM social_care_event UNION ALL SELECT date_of_death FROM death)',
    );
    generated.close();
    expect(r.stdout).toContain(`Data window: ${span!.first} to ${span!.last} (end exclusive; from the activity in the files)`);
    const imported = await openDatabase(join(dir, 'imported.duckdb'));
    const meta = await imported.query("SELECT key, value FROM meta WHERE key LIKE 'window%' ORDER BY key");
    imported.close();
    expect(meta).toEqual([
      { key: 'window_end', value: span!.last },
      { key: 'window_from', value: 'activity' },
      { key: 'window_start', value: span!.first },
    ]);
    // The generated window is five years from 2021-04-01: the activity lies within it.
    expect(span!.first >= '2021-04-01' && span!.last <= '2026-04-01').toBe(true);
  });

  /**
   * The good extract with each table's part files joined into one part-0000.csv (the same rows in the
   * same order, so part-0000's first lines are as generated): a load reads its files one by one, so
   * 16 files rather than the generator's 128 (8 parts a table for a small partnership) make each
   * refused import below cheaper without changing what is refused or where.
   */
  const onePartExtract = (): string => {
    const root = join(dir, 'a-csv-one-part');
    if (existsSync(root)) return root;
    const building = `${root}.tmp`;
    mkdirSync(building);
    for (const entry of readdirSync(join(dir, 'a-csv'), { withFileTypes: true })) {
      const from = join(dir, 'a-csv', entry.name);
      if (!entry.isDirectory()) {
        cpSync(from, join(building, entry.name));
        continue;
      }
      // Each part: its header line, then its records (which end with a line break); the header is kept once.
      const texts = readdirSync(from).filter((f) => f.endsWith('.csv')).sort().map((f) => readFileSync(join(from, f), 'utf8'));
      const header = texts[0]!.slice(0, texts[0]!.indexOf('\n') + 1);
      if (!texts.every((t) => t.startsWith(header) && t.endsWith('\n'))) throw new Error(`the parts of ${from} differ in header or do not end with a line break`);
      mkdirSync(join(building, entry.name));
      writeFileSync(join(building, entry.name, 'part-0000.csv'), header + texts.map((t) => t.slice(t.indexOf('\n') + 1)).join(''));
    }
    renameSync(building, root);
    return root;
  };

  /** Copies the good extract (as one part per table), applies a change to one file, and expects exit 3 with the message; the database is untouched. */
  const cases: [string, (root: string) => void, RegExp][] = [
    ['a missing column', (root) => editFirst(root, 'person', (lines) => lines.map((l) => l.split(',').slice(0, 7).join(','))), /person\/part-0000\.csv, line 1, field 'is_carer': missing column/],
    ['a bad date', (root) => editFirst(root, 'person', (lines) => [lines[0]!, lines[1]!.replace(/,\d{4}-\d{2}-\d{2},/, ',1980-02-30,'), ...lines.slice(2)]), /person\/part-0000\.csv, line 2, field 'date_of_birth': '1980-02-30' is not a valid date/],
    ['an unknown code', (root) => editFirst(root, 'hospital_spell', (lines) => [lines[0]!, lines[1]!.replace(/,(emergency|elective|maternity),[A-Z0-9]+,/, ',$1,I21.9,'), ...lines.slice(2)]), /hospital_spell\/part-0000\.csv, line 2, field 'primary_diagnosis': 'I21\.9' is not a valid ICD-10 code/],
    ['an unknown LSOA', (root) => editFirst(root, 'person', (lines) => [lines[0]!, lines[1]!.replace(/,E01\d{6},/, ',E01999999,'), ...lines.slice(2)]), /person\/part-0000\.csv, line 2, field 'lsoa_code': unknown LSOA 'E01999999'/],
    ['a duplicate id', (root) => editFirst(root, 'person', (lines) => [...lines, lines[1]!]), /person\/part-0000\.csv, line \d+, field 'person_id': duplicate person_id \d+, first seen on line 2/],
    // Opt-outs: a person of the extract with a kind that is not one, an opt-out of nobody, the same opt-out twice.
    ['an unknown kind of opt-out', (root) => editFirst(root, 'opt_out', (lines) => [...lines, `${firstPersonId(root)},ndoo,`]), /opt_out\/part-0000\.csv, line \d+, field 'kind': 'ndoo' is not one of type-1, national/],
    ['an opt-out of an unknown person', (root) => editFirst(root, 'opt_out', (lines) => [...lines, '999999999999,national,']), /opt_out\/part-0000\.csv, line \d+, field 'person_id': unknown person 999999999999 \(not in the person table\)/],
    // Identities: a wrong check digit, a date of birth that is not the person's.
    [
      'an NHS number with a wrong check digit',
      (root) => editFirst(root, 'identity', (lines) => [lines[0]!, lines[1]!.replace(/^(\d+),(\d{9})(\d)/, (_, id: string, nine: string, d: string) => `${id},${nine}${(Number(d) + 1) % 10}`), ...lines.slice(2)]),
      /identity\/part-0000\.csv, line 2, field 'nhs_number': '\d{10}' is not a valid NHS number/,
    ],
    [
      'an identity whose date of birth is not the person\'s',
      (root) => editFirst(root, 'identity', (lines) => [lines[0]!, lines[1]!.replace(/,(\d{4})-(\d{2})-(\d{2}),([FM]),/, (_, y: string, m: string, d: string, sex: string) => `,${Number(y) - 1}-${m}-${d === '29' ? '28' : d},${sex},`), ...lines.slice(2)]),
      /identity\/part-0000\.csv, line 2, field 'date_of_birth': '\d{4}-\d{2}-\d{2}' is not the person's date_of_birth in the person table/,
    ],
    [
      'the same opt-out twice',
      (root) => editFirst(root, 'opt_out', (lines) => [...lines, `${firstPersonId(root)},national,`, `${firstPersonId(root)},national,`]),
      /opt_out\/part-0000\.csv, line \d+, field 'person_id': duplicate \(person_id, kind\) \(\d+, national\), first seen on line \d+/,
    ],
  ];

  it.each(cases)('rejects %s naming file, line and field, and keeps the existing database', async (_, change, message) => {
    const before = fileHash(join(dir, 'imported.duckdb'));
    const identitiesBefore = fileHash(join(dir, 'imported.identity.duckdb'));
    const root = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    cpSync(onePartExtract(), root, { recursive: true });
    change(root);
    const r = await phm('import', root, '--db', 'imported.duckdb', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(fileHash(join(dir, 'imported.duckdb'))).toBe(before);
    expect(fileHash(join(dir, 'imported.identity.duckdb'))).toBe(identitiesBefore);
    expect(readdirSync(dir).filter((f) => f.startsWith('imported.duckdb') && f !== 'imported.duckdb')).toEqual([]);
  });
});

/** The id of the first person of the extract (a person of the first part file with no opt-out row in it). */
function firstPersonId(root: string): string {
  const optedOut = new Set(readFileSync(join(root, 'opt_out', 'part-0000.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]));
  const ids = readFileSync(join(root, 'person', 'part-0000.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]!);
  return ids.find((id) => !optedOut.has(id))!;
}

function editFirst(root: string, table: string, edit: (lines: string[]) => string[]): void {
  const file = join(root, table, 'part-0000.csv');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  writeFileSync(file, `${edit(lines).join('\n')}\n`);
}
