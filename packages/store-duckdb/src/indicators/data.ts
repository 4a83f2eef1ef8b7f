/**
 * Moving small person-level datasets between row objects and DuckDB, so the in-memory reference
 * engine and the DuckDB engine can be fed exactly the same input: read every table of a database
 * as plain rows (the shape @openphm/engine-memory takes), or build a database from row objects
 * through the ordinary CSV build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, TABLE_NAMES, TEST_RECORD_KEY_SALT, type Geography, type IndicatorData, type PlainRow, type PlainTables, type PlainValue, type TableName } from '@openphm/core';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase, type SqlRow } from '../database.js';
import { ident, literal } from '../sql.js';
import { num } from './sql-parts.js';

const plain = (value: unknown): PlainValue => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
  return String(value);
};

/** Reads a (small) database into plain rows. */
export const readIndicatorData = async (db: PhmDatabase): Promise<IndicatorData> => {
  const tables: Partial<Record<TableName, PlainRow[]>> = {};
  for (const table of TABLE_NAMES) {
    const rows = await db.query<SqlRow>(`SELECT * FROM ${ident(table)} ORDER BY rowid`);
    tables[table] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  }
  const lsoas = await db.query<{ lsoa_code: string; place: string; lad_code: string; neighbourhood_id: string; imd_decile: number; imd_quintile: number }>(
    'SELECT lsoa_code, place, lad_code, neighbourhood_id, imd_decile, imd_quintile FROM geo_lsoa ORDER BY lsoa_code',
  );
  return {
    tables,
    lsoas: lsoas.map((l) => ({ code: l.lsoa_code, place: l.place, ladCode: l.lad_code, neighbourhoodId: l.neighbourhood_id, imdDecile: Number(l.imd_decile), imdQuintile: Number(l.imd_quintile) })),
  };
};

const csvField = (value: PlainValue | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Writes `<table>.csv` (columns in schema order) for every table with rows. */
export const writeTableCsvs = (dir: string, tables: PlainTables): void => {
  mkdirSync(dir, { recursive: true });
  for (const table of TABLE_NAMES) {
    const rows = tables[table];
    if (!rows || rows.length === 0) continue;
    const columns = TABLES[table].columns.map((c) => c.name);
    const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))];
    writeFileSync(join(dir, `${table}.csv`), `${lines.join('\n')}\n`);
  }
};

const sqlValue = (value: PlainValue | undefined): string =>
  value === null || value === undefined ? 'NULL' : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : typeof value === 'number' ? num(value) : literal(value);

export interface BuildFromRowsOptions {
  /** Working directory: the CSV files and the database file are written here. */
  readonly dir: string;
  readonly geography: Geography;
  readonly tables: PlainTables;
  /** The record key salt (default: core's TEST_RECORD_KEY_SALT, as the in-memory engine's default). */
  readonly recordKeySalt?: string;
}

/**
 * Builds a database from row objects with the ordinary CSV build (so the input is validated as a
 * real extract would be). Rows the build would refuse because they refer to people outside the
 * partnership (a person whose LSOA is not in the geography, or an event of a person who is not in
 * the person table) are then inserted directly, so engines can be tested on them; the database is
 * then returned open for writing, otherwise read-only. The caller closes it.
 */
export const buildDatabaseFromRows = async (options: BuildFromRowsOptions): Promise<PhmDatabase> => {
  const lsoas = new Set(options.geography.lsoas.map((l) => l.code as string));
  const loadable = new Set<string>();
  const load: Partial<Record<TableName, PlainRow[]>> = {};
  const extra: Partial<Record<TableName, PlainRow[]>> = {};
  for (const row of options.tables.person ?? []) {
    const inside = typeof row.lsoa_code === 'string' && lsoas.has(row.lsoa_code);
    if (inside) loadable.add(String(row.person_id));
    ((inside ? load : extra).person ??= []).push(row);
  }
  for (const table of TABLE_NAMES) {
    if (table === 'person') continue;
    const personColumns = TABLES[table].columns.filter((c) => c.check?.kind === 'person').map((c) => c.name);
    for (const row of options.tables[table] ?? []) {
      const known = personColumns.every((c) => loadable.has(String(row[c])));
      ((known ? load : extra)[table] ??= []).push(row);
    }
  }
  const csvDir = join(options.dir, 'csv');
  writeTableCsvs(csvDir, load);
  const outFile = join(options.dir, 'indicators.duckdb');
  await buildDatabase({ outFile, csvDir, geography: options.geography, meta: { source: 'synthetic', seed: 'indicator-data' }, threads: 1, memoryLimit: '256MB', recordKeySalt: options.recordKeySalt ?? TEST_RECORD_KEY_SALT });
  const extras = TABLE_NAMES.filter((t) => (extra[t]?.length ?? 0) > 0);
  const db = await openDatabase(outFile, { readOnly: extras.length === 0, threads: 1 });
  try {
    for (const table of extras) {
      const columns = TABLES[table].columns.map((c) => c.name);
      const values = extra[table]!.map((r) => `(${columns.map((c) => sqlValue(r[c])).join(', ')})`);
      await db.query(`INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${values.join(', ')}`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
};
