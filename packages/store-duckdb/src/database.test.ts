import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { UserError, exitCodeFor } from '@openphm/core';
import { buildDatabase } from './build.js';
import { StatementCache, openDatabase, type LookupDatabase } from './database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from './test-support.js';

describe('openDatabase', () => {
  let root: string;
  let file: string;
  let db: LookupDatabase;

  beforeAll(async () => {
    root = makeTempDir();
    file = join(root, 'phm.duckdb');
    await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
    db = await openDatabase(file);
  });
  afterAll(() => {
    db.close();
    removeDir(root);
  });

  it('returns plain objects: safe integers as numbers, dates and timestamps as ISO text', async () => {
    expect(
      await db.query(
        `SELECT 42::BIGINT AS big, 9007199254740993::BIGINT AS huge, 1.25::DECIMAL(5,2) AS dec, DATE '2021-04-01' AS d,
         TIMESTAMP '2021-04-01 10:30:00' AS ts, true AS b, NULL AS n, ['a', 'b'] AS list, count(*) AS c FROM person`,
      ),
    ).toEqual([{ big: 42, huge: 9007199254740993n, dec: 1.25, d: '2021-04-01', ts: '2021-04-01 10:30:00', b: true, n: null, list: ['a', 'b'], c: 4 }]);
  });

  it.each([
    ['positional', 'SELECT person_id FROM person WHERE sex = $1 AND date_of_birth < $2::DATE ORDER BY person_id', ['F', '2000-01-01']],
    ['named', 'SELECT person_id FROM person WHERE sex = $sex AND date_of_birth < $dob::DATE ORDER BY person_id', { sex: 'F', dob: '2000-01-01' }],
  ] as const)('binds %s parameters', async (_kind, sql, params) => {
    expect(await db.query<{ person_id: number }>(sql, params)).toEqual([{ person_id: 3 }]);
  });

  it('runs lookups on connections of their own, which see the stored tables but not a main connection\'s TEMP tables', async () => {
    const two = await openDatabase(file, { lookupConnections: 2 });
    try {
      await two.query('CREATE TEMP TABLE scratch AS SELECT 1 AS x');
      expect(await two.query('SELECT x FROM scratch')).toEqual([{ x: 1 }]);
      await expect(two.lookup('SELECT x FROM scratch')).rejects.toThrow(/scratch/);
      const ids = await Promise.all([1, 2, 3, 4].map(async (id) => (await two.lookup<{ id: number }>('SELECT person_id AS id FROM person WHERE person_id = $1::BIGINT', [String(id)]))[0]?.id));
      expect(ids).toEqual([1, 2, 3, 4]);
    } finally {
      two.close();
    }
    // With none, lookups take the main connection (and see its TEMP tables).
    expect(await db.lookup('SELECT count(*) AS n FROM person')).toEqual([{ n: 4 }]);
    await expect(openDatabase(file, { lookupConnections: -1 })).rejects.toThrow(/lookup connections must be a whole number/);
  });

  it('keeps a lookup connection\'s prepared statements: the same answers as unprepared, the least recently used dropped, a failed one prepared again', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      await c.run('CREATE TABLE t AS SELECT range AS id, range * 10 AS v FROM range(5)');
      const cache = new StatementCache(2);
      const byId = 'SELECT v FROM t WHERE id = $1::BIGINT';
      const below = 'SELECT count(*) AS n FROM t WHERE id < $1';
      const pair = 'SELECT $1::INTEGER + $2::INTEGER AS s';
      expect(await cache.run(c, byId, ['3'])).toEqual([{ v: 30 }]);
      // Bound afresh each run: a second run with other values answers for them.
      expect(await cache.run(c, byId, ['4'])).toEqual([{ v: 40 }]);
      expect(await cache.run(c, below, [2])).toEqual([{ n: 2 }]);
      expect(cache.held).toBe(2);
      expect(await cache.run(c, byId, ['1'])).toEqual([{ v: 10 }]);
      // A third statement drops the least recently used (below), not the one just run.
      expect(await cache.run(c, pair, [2, 3])).toEqual([{ s: 5 }]);
      expect(cache.held).toBe(2);
      expect(await cache.run(c, byId, ['2'])).toEqual([{ v: 20 }]);
      // A run that fails drops its statement; the next run prepares it again and works.
      await expect(cache.run(c, pair, ['x', 3])).rejects.toThrow(/convert|cast/i);
      expect(cache.held).toBe(1);
      expect(await cache.run(c, pair, [4, 5])).toEqual([{ s: 9 }]);
      // Named parameters too.
      expect(await cache.run(c, 'SELECT v FROM t WHERE id = $id', { id: 0 })).toEqual([{ v: 0 }]);
      cache.clear();
      expect(cache.held).toBe(0);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });

  it('answers lookups with parameters the same way run again and again (prepared once per connection)', async () => {
    const two = await openDatabase(file, { lookupConnections: 2 });
    try {
      const sql = 'SELECT person_id AS id FROM person WHERE person_id = $1::BIGINT';
      for (let round = 0; round < 3; round++) {
        const ids = await Promise.all([1, 2, 3, 4, 99].map(async (id) => (await two.lookup<{ id: number }>(sql, [String(id)]))[0]?.id ?? null));
        expect(ids).toEqual([1, 2, 3, 4, null]);
      }
    } finally {
      two.close();
    }
  });

  it('opens read-only by default, so writes fail', async () => {
    await expect(db.query('DELETE FROM person')).rejects.toThrow(/read-only/i);
  });

  it('lets several read-only handles share the file', async () => {
    const other = await openDatabase(file, { readOnly: true });
    try {
      expect(await other.query('SELECT count(*) AS n FROM person')).toEqual([{ n: 4 }]);
    } finally {
      other.close();
    }
  });

  it('reports a missing file as not found (exit code 4)', async () => {
    const error = await openDatabase(join(root, 'missing.duckdb')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('not-found');
    expect((error as Error).message).toBe(`database not found: ${join(root, 'missing.duckdb')} (create it with 'phm generate' or 'phm import')`);
    expect(exitCodeFor(error)).toBe(4);
  });

  it.each([
    ['a text file', 'text.duckdb', (path: string) => writeFileSync(path, 'hello, not a database\n'), /cannot open .* as a DuckDB database/],
    [
      'a DuckDB database without a meta table',
      'plain.duckdb',
      async (path: string) => {
        const instance = await DuckDBInstance.create(path);
        const connection = await instance.connect();
        await connection.run('CREATE TABLE t (x INTEGER)');
        connection.closeSync();
        instance.closeSync();
      },
      /is not an OpenPHM database \(it has no meta table\)/,
    ],
    [
      'a store built before opt-outs (schema version 2)',
      'v2.duckdb',
      async (path: string) => {
        await buildDatabase({ outFile: path, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
        const instance = await DuckDBInstance.create(path);
        const connection = await instance.connect();
        await connection.run('DROP TABLE opt_out');
        connection.closeSync();
        instance.closeSync();
      },
      /was built by an older OpenPHM without the opt_out table \(national data and type 1 opt-outs\): build it again with 'phm generate' or 'phm import'/,
    ],
  ])('rejects %s as invalid input', async (_name, name, make, message) => {
    const path = join(root, name);
    await make(path);
    const error = await openDatabase(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('invalid-input');
    expect((error as Error).message).toMatch(message);
  });
});
