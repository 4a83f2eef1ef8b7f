/**
 * The load history: one row per load and table, in the database itself (`load_history`), so every
 * data version (meta.build_id) says where it came from and what changed. A full build (build.ts)
 * writes rows of kind `full` (no parent: everything was replaced); an incremental load
 * (incremental.ts) writes rows of kind `incremental`, naming the version it was applied to
 * (`parent_build_id`) and the rows inserted, updated and deleted in each table. The identity store
 * (a store of its own) is counted under the table name `identity`.
 *
 * Readers (the server's per-version caches and persisted results) key on meta.build_id and may ask
 * which tables a version changed since its parent: readLoadHistory and changedTables below.
 */
import { z } from 'zod';
import type { DuckDBConnection } from '@duckdb/node-api';
import { IDENTITY_TABLE, InternalError, TABLE_NAMES } from '@openphm/core';
import type { PhmDatabase } from './database.js';
import type { AuxTableDefinition } from './ddl.js';
import { auxTableDdl } from './ddl.js';
import { ident, literal } from './sql.js';

export const LOAD_KINDS = ['full', 'incremental'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/** The tables a load counts: the person-level tables and the identity store's table. */
export const HISTORY_TABLE_NAMES: readonly string[] = [...TABLE_NAMES, IDENTITY_TABLE.name];

export const LOAD_HISTORY_TABLE: AuxTableDefinition = {
  name: 'load_history',
  description:
    'One row per load and table: the data version each load made (build_id, as meta.build_id), the version an incremental load was ' +
    'applied to (parent_build_id; empty for a full build, which replaces everything), when, from what, and how many rows of the ' +
    'table it inserted, updated and deleted (the identity store is counted as the table identity; a full build counts as person ' +
    'deleted the people of the database it replaced that it left out). Written by phm generate, ' +
    'phm import and phm import --incremental; kept from one incremental load to the next, started again by a full build.',
  source: 'Written by the build and by incremental loads',
  primaryKey: ['build_id', 'table_name'],
  columns: [
    { name: 'build_id', type: 'varchar', description: 'The data version the load made (meta.build_id after it).' },
    { name: 'parent_build_id', type: 'varchar', nullable: true, description: 'The version an incremental load was applied to; empty for a full build.' },
    { name: 'kind', type: 'varchar', description: `${LOAD_KINDS.join(' or ')}.` },
    { name: 'loaded_at', type: 'timestamp', description: 'When the load finished writing (UTC).' },
    { name: 'source', type: 'varchar', description: 'synthetic or import (as meta.source), with the format for FHIR (import fhir-r4).' },
    { name: 'loaded_from', type: 'varchar', nullable: true, description: 'The folder or file loaded (empty for generated data).' },
    { name: 'table_name', type: 'varchar', description: 'A person-level table, or identity.' },
    { name: 'inserted', type: 'bigint', description: 'Rows added (for a full build: the rows loaded).' },
    { name: 'updated', type: 'bigint', description: 'Stored rows replaced by a row with the same source key and a different content.' },
    { name: 'deleted', type: 'bigint', description: 'Stored rows removed (by the load\'s deletions, or with a deleted person; for a full build, person only: the people of the database replaced it left out).' },
  ],
};

export interface TableChange {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

/** One load: the data version it made and what changed. */
export interface LoadRecord {
  readonly buildId: string;
  readonly parentBuildId: string | null;
  readonly kind: LoadKind;
  /** ISO 8601, UTC. */
  readonly loadedAt: string;
  readonly source: string;
  readonly loadedFrom: string | null;
  /** Per table (person-level tables and `identity`). A full build lists the tables it loaded. */
  readonly changes: Readonly<Record<string, TableChange>>;
}

const rowSchema = z.object({
  build_id: z.string(),
  parent_build_id: z.string().nullable(),
  kind: z.enum(LOAD_KINDS),
  loaded_at: z.string(),
  source: z.string(),
  loaded_from: z.string().nullable(),
  table_name: z.string(),
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
});

/** The statements creating the table (when it is missing: databases built before it existed). */
export const loadHistoryDdl = (): string[] => {
  const [create, ...comments] = auxTableDdl(LOAD_HISTORY_TABLE);
  return [create!.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS '), ...comments];
};

/** Rows of the table for one load (a row per table in `changes`, in HISTORY_TABLE_NAMES order). */
export const loadHistoryInsertSql = (record: LoadRecord): string => {
  const at = record.loadedAt.replace('T', ' ').replace(/Z$/, '').replace(/\.\d+$/, '');
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(at)) throw new InternalError(`load history: bad time ${record.loadedAt}`);
  const tables = HISTORY_TABLE_NAMES.filter((t) => record.changes[t] !== undefined);
  if (tables.length === 0) throw new InternalError('load history: a load with no tables');
  const values = tables.map((t) => {
    const c = record.changes[t]!;
    return `(${[
      literal(record.buildId),
      record.parentBuildId === null ? 'NULL' : literal(record.parentBuildId),
      literal(record.kind),
      `TIMESTAMP ${literal(at)}`,
      literal(record.source),
      record.loadedFrom === null ? 'NULL' : literal(record.loadedFrom),
      literal(t),
      String(c.inserted),
      String(c.updated),
      String(c.deleted),
    ].join(', ')})`;
  });
  return `INSERT INTO ${ident(LOAD_HISTORY_TABLE.name)} VALUES ${values.join(', ')}`;
};

/** Creates the table if need be and records one load (within the caller's transaction). */
export const recordLoad = async (connection: DuckDBConnection, record: LoadRecord): Promise<void> => {
  for (const sql of loadHistoryDdl()) await connection.run(sql);
  await connection.run(loadHistoryInsertSql(record));
};

const SELECT_HISTORY =
  `SELECT build_id, parent_build_id, kind, strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') AS loaded_at, source, loaded_from, table_name, ` +
  `CAST(inserted AS DOUBLE) AS inserted, CAST(updated AS DOUBLE) AS updated, CAST(deleted AS DOUBLE) AS deleted FROM ${ident(LOAD_HISTORY_TABLE.name)}`;

/** Groups the table's rows into loads, oldest first. */
export const loadRecordsOf = (rows: readonly unknown[]): LoadRecord[] => {
  const byBuild = new Map<string, { record: Omit<LoadRecord, 'changes'>; changes: Record<string, TableChange> }>();
  for (const raw of rows) {
    const r = rowSchema.parse(raw);
    let entry = byBuild.get(r.build_id);
    if (entry === undefined) {
      entry = {
        record: { buildId: r.build_id, parentBuildId: r.parent_build_id, kind: r.kind, loadedAt: r.loaded_at, source: r.source, loadedFrom: r.loaded_from },
        changes: {},
      };
      byBuild.set(r.build_id, entry);
    }
    entry.changes[r.table_name] = { inserted: r.inserted, updated: r.updated, deleted: r.deleted };
  }
  return [...byBuild.values()]
    .map(({ record, changes }) => ({ ...record, changes }))
    .sort((a, b) => (a.loadedAt < b.loadedAt ? -1 : a.loadedAt > b.loadedAt ? 1 : 0));
};

/**
 * Every load recorded in the database, oldest first: the full build it started from, then each
 * incremental load (the last is the version the database holds: its buildId is meta.build_id).
 * Empty for a database built before the load history existed.
 */
export const readLoadHistory = async (db: Pick<PhmDatabase, 'query'>): Promise<LoadRecord[]> => {
  const [present] = await db.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${literal(LOAD_HISTORY_TABLE.name)}`,
  );
  if (!present || present.n === 0) return [];
  return loadRecordsOf(await db.query(SELECT_HISTORY));
};

/**
 * The tables a load changed (any row inserted, updated or deleted): for a full build every table
 * (everything was replaced, even a table left empty).
 */
export const changedTables = (record: LoadRecord): string[] =>
  record.kind === 'full'
    ? [...HISTORY_TABLE_NAMES]
    : HISTORY_TABLE_NAMES.filter((t) => {
        const c = record.changes[t];
        return c !== undefined && c.inserted + c.updated + c.deleted > 0;
      });

/**
 * The people each load deleted (decision 0009, "Deleted people's operational records"): a server
 * applies them to the operational store it owns when it moves to that data version (or at start), as
 * do commands that open the operational store without a server. Written in an incremental load's
 * transaction; a full build over a database records the people of that database it leaves out, with
 * its own version, and carries the rows already there (build.ts: the operational store alone knows
 * which it applied, once each); so the table only grows, and its largest id is never given again
 * (docs/decisions/0013-stable-person-ids.md).
 */
export const DELETED_PERSON_TABLE: AuxTableDefinition = {
  name: 'deleted_person',
  description:
    'One row per person a load deleted (person.deletes.csv, a FHIR DELETE of their Patient, or a Patient the feed now excludes) or a full build ' +
    'left out of the database it replaced: the data version that deleted them (build_id, as in load_history) and their pseudonymous person_id. ' +
    'A full build carries the rows of the database it replaces. The server closes what the ' +
    'operational store holds about them (caseload episodes, care plans, referrals, tasks, alerts) when it moves to that version: ' +
    'docs/decisions/0009-incremental-loads.md, docs/decisions/0013-stable-person-ids.md.',
  source: 'Written by incremental loads, and by full builds over a database',
  primaryKey: ['build_id', 'person_id'],
  columns: [
    { name: 'build_id', type: 'varchar', description: 'The data version (meta.build_id) the load that deleted the person made.' },
    { name: 'person_id', type: 'bigint', description: 'The person deleted (no longer in the person table, unless a later load added them again).' },
  ],
};

/** The statements creating the table when it is missing. */
export const deletedPersonDdl = (): string[] => {
  const [create, ...comments] = auxTableDdl(DELETED_PERSON_TABLE);
  return [create!.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS '), ...comments];
};

/** A person an incremental load deleted, with the data version that deleted them. */
export interface DeletedPerson {
  readonly buildId: string;
  readonly personId: string;
}

/**
 * The people incremental loads deleted who are still absent from the person table (a person a later
 * load added again is not listed), oldest load first. Empty for a database without the table.
 */
export const readDeletedPeople = async (db: Pick<PhmDatabase, 'query'>): Promise<DeletedPerson[]> => {
  const [present] = await db.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${literal(DELETED_PERSON_TABLE.name)}`,
  );
  if (!present || present.n === 0) return [];
  const rows = await db.query<{ build_id: string; person_id: string }>(
    `SELECT d.build_id, d.person_id::VARCHAR AS person_id FROM ${ident(DELETED_PERSON_TABLE.name)} d ` +
      `LEFT JOIN (SELECT build_id, min(loaded_at) AS at FROM ${ident(LOAD_HISTORY_TABLE.name)} GROUP BY build_id) h ON h.build_id = d.build_id ` +
      `WHERE d.person_id NOT IN (SELECT person_id FROM person) ORDER BY h.at NULLS LAST, d.build_id, d.person_id`,
  );
  return rows.map((r) => ({ buildId: r.build_id, personId: r.person_id }));
};
