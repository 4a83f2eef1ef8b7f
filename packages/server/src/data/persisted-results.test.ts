/**
 * Persisted results, counted (not timed): a computation runs only when no valid entry is on disk.
 * A new store on the same folder is a restart; a rebuilt database is a new data version.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyIncremental, buildDatabase, tableFingerprints } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, writeCsvDir } from '../../../store-duckdb/src/test-support.js';
import { openPhmData, type PhmData } from './phm-data.js';
import { createResultStore, definitionHash, writeAtomically, type EntrySpec } from './persisted-results.js';

const AE_ROW = '30,1,2023-07-01 10:00:00,2023-07-01 11:00:00,01,discharged';
const withAe = { ...VALID_FILES, 'ae_attendance.csv': `${VALID_FILES['ae_attendance.csv']!.trimEnd()}\n${AE_ROW}\n` };

let root: string;
let file: string;
const build = async (files: Readonly<Record<string, string | null>>) =>
  buildDatabase({ outFile: file, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, meta: META, threads: 1 });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'phm-persisted-'));
  file = join(root, 'data.duckdb');
  await build(VALID_FILES);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `use` with the database open and a store on `dir` that counts computations by kind. */
const withStore = async <T>(dir: string, use: (get: (spec: EntrySpec<number[]>, value: number[]) => Promise<number[]>, counted: string[]) => Promise<T>, codeVersion = 'code-1') => {
  const counted: string[] = [];
  const warnings: string[] = [];
  const store = createResultStore({ dir, codeVersion, onCompute: (kind, key) => counted.push(`${kind}:${key}`), warn: (m) => warnings.push(m) });
  const data = await openPhmData(file);
  try {
    return await use((spec, value) => store.get(data, spec, async () => value), counted);
  } finally {
    data.close();
    await data.closed();
  }
};

const Numbers = z.array(z.number());
const spec = (key: string, tables: readonly string[], extra: Partial<EntrySpec<number[]>> = {}): EntrySpec<number[]> => ({ kind: 'test', key, code: 'def-1', tables, schema: Numbers, ...extra });

describe('persisted results', () => {
  it('a restart on unchanged data computes nothing and gives the same values', async () => {
    const dir = join(root, 'restart.results');
    const first = await withStore(dir, async (get, counted) => [await get(spec('a', ['person']), [1, 2]), await get(spec('b', ['ae_attendance']), [3]), counted.length]);
    expect(first).toEqual([[1, 2], [3], 2]);
    // Restarted: values that would differ if computed show they were read from disk.
    const again = await withStore(dir, async (get, counted) => [await get(spec('a', ['person']), [9]), await get(spec('b', ['ae_attendance']), [9]), counted.length]);
    expect(again).toEqual([[1, 2], [3], 0]);
  });

  it('a provisional value (keep false) is not kept: the next start computes it again, and reads a kept one', async () => {
    const dir = join(root, 'keep.results');
    const provisional = spec('p', ['person'], { keep: (v) => v.length > 1 });
    expect(await withStore(dir, async (get, counted) => [await get(provisional, [1]), counted.length])).toEqual([[1], 1]);
    expect(await withStore(dir, async (get, counted) => [await get(provisional, [1, 2]), counted.length])).toEqual([[1, 2], 1]);
    expect(await withStore(dir, async (get, counted) => [await get(provisional, [7]), counted.length])).toEqual([[1, 2], 0]);
  });

  it('a new data version computes only the results that read a changed table', async () => {
    const dir = join(root, 'version.results');
    await withStore(dir, async (get) => {
      await get(spec('person', ['person']), [1]);
      await get(spec('ae', ['ae_attendance']), [2]);
      await get(spec('both', ['person', 'ae_attendance']), [3]);
    });
    // The same data built again (a new build id, the same rows): nothing computed.
    await build(VALID_FILES);
    expect(await withStore(dir, async (get, counted) => [await get(spec('person', ['person']), [0]), await get(spec('ae', ['ae_attendance']), [0]), counted])).toEqual([[1], [2], []]);
    // One more A&E attendance: only what reads ae_attendance is computed again.
    await build(withAe);
    try {
      const result = await withStore(dir, async (get, counted) => ({
        values: [await get(spec('person', ['person']), [0]), await get(spec('ae', ['ae_attendance']), [20]), await get(spec('both', ['person', 'ae_attendance']), [30])],
        counted,
      }));
      expect(result).toEqual({ values: [[1], [20], [30]], counted: ['test:ae', 'test:both'] });
    } finally {
      await build(VALID_FILES);
    }
  });

  it('another code version, definition or operational-store stamp computes again', async () => {
    const dir = join(root, 'code.results');
    await withStore(dir, (get) => get(spec('x', ['person'], { stamps: { names: '1' } }), [1]));
    const cases: [string, string, Partial<EntrySpec<number[]>>][] = [
      ['the same', 'code-1', { stamps: { names: '1' } }],
      ['another code version', 'code-2', { stamps: { names: '1' } }],
      ['another definition', 'code-1', { code: 'def-2', stamps: { names: '1' } }],
      ['another stamp', 'code-1', { stamps: { names: '2' } }],
      ['no stamp', 'code-1', {}],
    ];
    const computed = [];
    for (const [, code, extra] of cases) computed.push(await withStore(dir, async (get, counted) => (await get(spec('x', ['person'], extra), [1]), counted.length), code));
    // Each case after the first overwrote the entry, so the next one differs from what is stored.
    expect(Object.fromEntries(cases.map(([name], i) => [name, computed[i]]))).toEqual({ 'the same': 0, 'another code version': 1, 'another definition': 1, 'another stamp': 1, 'no stamp': 1 });
  });

  it('ignores a corrupt, half-written or altered entry and computes it again, never serving it', async () => {
    const dir = join(root, 'corrupt.results');
    await withStore(dir, (get) => get(spec('c', ['person']), [1, 2, 3]));
    const entry = join(dir, 'test', readdirSync(join(dir, 'test')).find((f) => f.endsWith('.json'))!);
    const good = readFileSync(entry, 'utf8');
    const damages: [string, string][] = [
      ['half-written', good.slice(0, Math.floor(good.length / 2))],
      ['empty', ''],
      ['not JSON', 'garbage'],
      ['a value altered (checksum)', good.replace('[1,2,3]', '[1,2,4]')],
      ['a value of the wrong shape', JSON.stringify({ ...JSON.parse(good), value: 'text' })],
      ['another format', JSON.stringify({ ...JSON.parse(good), format: 999 })],
    ];
    for (const [name, text] of damages) {
      writeFileSync(entry, text);
      const got = await withStore(dir, async (get, counted) => ({ value: await get(spec('c', ['person']), [7]), computed: counted.length }));
      expect(got, name).toEqual({ value: [7], computed: 1 });
      // The recomputed value replaced the bad entry; put the good one back for the next case.
      expect(JSON.parse(readFileSync(entry, 'utf8')).value, name).toEqual([7]);
      writeFileSync(entry, good);
    }
    expect(await withStore(dir, (get) => get(spec('c', ['person']), [7]))).toEqual([1, 2, 3]);
  });

  it('keeps the folder private (0700) and its files 0600, leaving no temporary files', async () => {
    const dir = join(root, 'private.results');
    await withStore(dir, (get) => get(spec('p', ['person']), [1]));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.name).not.toMatch(/\.tmp$/);
      expect(statSync(join(f.parentPath, f.name)).mode & 0o777, f.name).toBe(0o600);
    }
  });

  it('writes atomically: a failed write leaves the old file and no temporary file', async () => {
    const dir = mkdtempSync(join(root, 'atomic-'));
    const target = join(dir, 'x.json');
    await writeAtomically(target, 'old');
    await expect(writeAtomically(join(dir, 'missing', 'x.json'), 'new')).rejects.toThrow();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('without a folder computes every time a result is asked for (nothing on disk)', async () => {
    const counted: string[] = [];
    const store = createResultStore({ onCompute: (kind) => counted.push(kind) });
    const data = await openPhmData(file);
    try {
      expect(await store.get(data, spec('n', ['person']), async () => [1])).toEqual([1]);
      expect(await store.get(data, spec('n', ['person']), async () => [2])).toEqual([2]);
    } finally {
      data.close();
    }
    expect(counted).toEqual(['test', 'test']);
  });

  it('after an incremental load, scans only the tables it changed (with meta and geography) and reuses the rest', async () => {
    const incFile = join(root, 'incremental.duckdb');
    await buildDatabase({ outFile: incFile, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
    const dir = join(root, 'incremental.results');
    const counted: string[] = [];
    /** A store on `dir` over the database, recording the SQL it runs. */
    const session = async <T>(use: (store: ReturnType<typeof createResultStore>, data: PhmData, sql: string[]) => Promise<T>) => {
      const data = await openPhmData(incFile);
      const sql: string[] = [];
      const spied: PhmData = { ...data, query: (text, params) => (sql.push(text), data.query(text, params)) };
      try {
        return await use(createResultStore({ dir, codeVersion: 'code-1', onCompute: (_kind, key) => counted.push(key) }), spied, sql);
      } finally {
        data.close();
        await data.closed();
      }
    };
    await session(async (store, data) => {
      await store.get(data, spec('person', ['person']), async () => [1]);
      await store.get(data, spec('ae', ['ae_attendance']), async () => [2]);
    });
    const csvDir = writeCsvDir(root, { 'ae_attendance.csv': `attendance_id,person_id,arrival_time,departure_time,department_type,disposal\n${AE_ROW}\n` });
    await applyIncremental({ dbFile: incFile, csvDir, geography: GEOGRAPHY, threads: 1 });
    counted.length = 0;
    const after = await session(async (store, data, sql) => {
      const values = [await store.get(data, spec('person', ['person']), async () => [0]), await store.get(data, spec('ae', ['ae_attendance']), async () => [20])];
      const prints = await store.fingerprints(data);
      // What the store scanned (before the full scan the check below makes).
      const scanned = sql.filter((q) => q.includes('sum(hash(')).join(' ');
      return { values, prints, scanned, full: await tableFingerprints(data) };
    });
    expect(after.values).toEqual([[1], [20]]);
    expect(counted).toEqual(['ae']);
    expect(after.prints).toEqual(after.full);
    expect(after.scanned).toContain('FROM "ae_attendance"');
    expect(after.scanned).not.toContain('FROM "clinical_event"');
    expect(after.scanned).not.toContain('FROM "person"');
  });

  it('definitionHash changes with any part of a definition, not with the order of its keys', () => {
    expect(definitionHash({ a: 1, b: { c: [1, 2] } })).toBe(definitionHash({ b: { c: [1, 2] }, a: 1 }));
    expect(definitionHash({ a: 1, b: { c: [1, 2] } })).not.toBe(definitionHash({ a: 1, b: { c: [1, 3] } }));
  });
});
