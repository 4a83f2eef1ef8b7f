import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '@openphm/core';
import { buildDatabase } from './build.js';
import { openDatabase } from './database.js';
import { HISTORY_TABLE_NAMES, changedTables, loadHistoryInsertSql, loadRecordsOf, readLoadHistory, type LoadRecord } from './load-history.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, csv, makeTempDir, removeDir, writeCsvDir } from './test-support.js';

const NOW = new Date('2026-12-06T17:30:00.000Z');

describe('load history of a full build', () => {
  let root: string;
  let dbFile: string;
  let buildId: string;

  beforeAll(async () => {
    root = makeTempDir();
    const csvDir = writeCsvDir(root, { ...VALID_FILES, 'identity.csv': csv(IDENTITY_HEADER, ...IDENTITY_ROWS) });
    dbFile = join(root, 'phm.duckdb');
    buildId = (await buildDatabase({ outFile: dbFile, csvDir, geography: GEOGRAPHY, meta: { ...META, imported_from: '/x' }, threads: 1, memoryLimit: '512MB', now: () => NOW })).buildId;
  });
  afterAll(() => removeDir(root));

  it('records one load of kind full, without a parent, with the rows of every table and the identities', async () => {
    const db = await openDatabase(dbFile);
    try {
      const history = await readLoadHistory(db);
      expect(history).toHaveLength(1);
      const [load] = history as [LoadRecord];
      expect({ ...load, changes: undefined }).toEqual({
        buildId,
        parentBuildId: null,
        kind: 'full',
        loadedAt: '2026-12-06T17:30:00Z',
        source: 'synthetic',
        loadedFrom: '/x',
        changes: undefined,
      });
      expect(Object.keys(load.changes)).toEqual(HISTORY_TABLE_NAMES);
      expect(load.changes.person).toEqual({ inserted: 4, updated: 0, deleted: 0 });
      expect(load.changes.clinical_event).toEqual({ inserted: 5, updated: 0, deleted: 0 });
      expect(load.changes.identity).toEqual({ inserted: 4, updated: 0, deleted: 0 });
      expect(changedTables(load)).toEqual(HISTORY_TABLE_NAMES);
    } finally {
      db.close();
    }
  });

  it('is empty for a database without the table (built before it existed)', async () => {
    const db = await openDatabase(dbFile, { readOnly: false });
    try {
      await db.query('DROP TABLE load_history');
      expect(await readLoadHistory(db)).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('load records', () => {
  const row = (build: string, table: string, counts: [number, number, number], at = '2026-01-01T00:00:00Z', parent: string | null = 'p') => ({
    build_id: build,
    parent_build_id: parent,
    kind: parent === null ? 'full' : 'incremental',
    loaded_at: at,
    source: 'import',
    loaded_from: null,
    table_name: table,
    inserted: counts[0],
    updated: counts[1],
    deleted: counts[2],
  });

  it('groups rows by load, oldest first', () => {
    const records = loadRecordsOf([
      row('b', 'person', [1, 0, 0], '2026-02-01T00:00:00Z', 'a'),
      row('a', 'person', [10, 0, 0], '2026-01-01T00:00:00Z', null),
      row('b', 'death', [0, 0, 2], '2026-02-01T00:00:00Z', 'a'),
    ]);
    expect(records.map((r) => [r.buildId, r.parentBuildId, Object.keys(r.changes)])).toEqual([
      ['a', null, ['person']],
      ['b', 'a', ['person', 'death']],
    ]);
  });

  it.each([
    [{ person: [0, 0, 0], death: [0, 0, 0] }, []],
    [{ person: [0, 1, 0], death: [0, 0, 0] }, ['person']],
    [{ clinical_event: [3, 0, 0], death: [0, 0, 1], identity: [0, 2, 0] }, ['clinical_event', 'death', 'identity']],
  ] as const)('an incremental load changed the tables with rows inserted, updated or deleted: %j', (counts, expected) => {
    const [record] = loadRecordsOf(Object.entries(counts).map(([t, c]) => row('b', t, [...c] as [number, number, number])));
    expect(changedTables(record!)).toEqual(expected);
  });

  it('rejects a row that is not a load history row', () => {
    expect(() => loadRecordsOf([{ ...row('a', 'person', [1, 0, 0]), kind: 'partial' }])).toThrow();
    expect(() => loadRecordsOf([{ ...row('a', 'person', [1, 0, 0]), inserted: -1 }])).toThrow();
  });

  it('writes one row per table the load counted, in table order', () => {
    const sql = loadHistoryInsertSql({
      buildId: "b'1",
      parentBuildId: null,
      kind: 'full',
      loadedAt: '2026-12-06T17:30:00.123Z',
      source: 'import',
      loadedFrom: null,
      changes: { death: { inserted: 1, updated: 0, deleted: 0 }, person: { inserted: 2, updated: 0, deleted: 0 } },
    });
    expect(sql).toContain("'b''1'");
    expect(sql).toContain("TIMESTAMP '2026-12-06 17:30:00'");
    expect(sql.indexOf("'person'")).toBeLessThan(sql.indexOf("'death'"));
    expect(TABLE_NAMES.indexOf('person')).toBeLessThan(TABLE_NAMES.indexOf('death'));
  });
});
