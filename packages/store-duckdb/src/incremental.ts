/**
 * Incremental loads (docs/decisions/0009-incremental-loads.md): a folder of CSV files in the
 * import schema that adds, replaces or removes rows of an existing database, without rebuilding it.
 *
 * - `<table>.csv` (or `<table>/*.csv`): rows to upsert, keyed by the table's source key
 *   (SOURCE_KEYS: the primary key; a care home stay by person and start date). A row whose key is
 *   stored replaces it; a new key is added. Tables without source identifiers (the coded events,
 *   prescriptions, contacts, appointments) are keyed by the whole row: a row is added unless an
 *   identical row is stored (as many copies as the file holds), so loading a month twice changes
 *   nothing.
 * - `<table>.deletes.csv`: rows to remove, by the source key's columns (the whole row for tables
 *   without a key). Deleting a person removes everything about them (every row naming them, and
 *   their identity). A key both deleted and upserted in one load is an error.
 * - `identity.csv`: identities to upsert in the identity store (by person_id), checked as in a full
 *   import.
 * - The data window: `windowEnd` when given; otherwise a window the database records is moved on to the
 *   day after the load's last activity and back to its first (activity-window.ts).
 * - The people deleted are recorded with the new data version (deleted_person, load-history.ts) for the
 *   server to close what the operational store holds about them (decision 0009).
 *
 * Every row is checked as in a full import (types, codes, LSOAs, practices, keys unique within the
 * load, every person named present after the load), the first problem reported with file, line and
 * field. The load works on a copy of the database (and of the identity store) in the run's private
 * folder, applies everything in one transaction, records the new data version (meta.build_id, with
 * the load history: load-history.ts), checkpoints, and renames the copies over the originals: the
 * version being served stays whole until the swap, and a failed or killed load leaves it as it was.
 * One load at a time (a lock next to the database); a database replaced meanwhile (phm generate)
 * makes the load fail rather than lose that build.
 */
import { randomUUID } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { chmod, copyFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  IDENTITY_TABLE,
  InputError,
  InternalError,
  PhmError,
  TABLES,
  TABLE_NAMES,
  UserError,
  isTableName,
  type Geography,
  type TableName,
} from '@openphm/core';
import { activitySpanSql, windowOfSpan, type ActivitySpan } from './activity-window.js';
import { filesOf, readInputEntries, type InputFile } from './csv-input.js';
import { instanceOptions } from './database.js';
import { META_TABLE, SCHEMA_VERSION } from './ddl.js';
import { identityFileOf, identityRowsSql } from './identity/store.js';
import { DELETED_PERSON_TABLE, HISTORY_TABLE_NAMES, deletedPersonDdl, recordLoad, type TableChange } from './load-history.js';
import { RECORD_KEY_COLUMN, RECORD_KEY_SALT_META, recordKeySql } from './record-keys.js';
import { ident, literal } from './sql.js';
import { acquireStoreLock } from './store-lock.js';
import { canonicalOrderSql, checkStagedTable, lineOf, stageTable, typedColumnsSql, type CheckContext, type CheckedTableDefinition, type StagedTable } from './validate.js';
import { swapPair } from './swap.js';
import { createWorkDir } from './work-dir.js';
import type { BuildProgress } from './build.js';

/** How the rows of a table are known from one load to the next. */
export type SourceKey = { readonly kind: 'columns'; readonly columns: readonly string[] } | { readonly kind: 'row' };

/** Keys of tables whose definition has no primary key but whose rows are known by some columns. */
const EXTRA_KEYS: Partial<Record<TableName, readonly string[]>> = {
  // A stay is known by its person and the day they moved in; its end is filled in by a later load.
  care_home_stay: ['person_id', 'start_date'],
};

export const SOURCE_KEYS: Readonly<Record<TableName, SourceKey>> = Object.fromEntries(
  TABLE_NAMES.map((t) => {
    const columns = TABLES[t].primaryKey ?? EXTRA_KEYS[t];
    return [t, columns ? { kind: 'columns', columns } : { kind: 'row' }];
  }),
) as Record<TableName, SourceKey>;

export const DELETES_SUFFIX = '.deletes';

/** The columns of a table's deletions file: its source key, or every column (optional ones may be left out). */
export const deletesDefinition = (table: TableName): CheckedTableDefinition => {
  const def = TABLES[table];
  const key = SOURCE_KEYS[table];
  const columns = key.kind === 'row' ? def.columns : key.columns.map((name) => def.columns.find((c) => c.name === name)!);
  return {
    ...def,
    name: `${table}${DELETES_SUFFIX}`,
    description: `Rows to delete from ${table}`,
    // What is deleted need not exist: a row naming a person no longer stored is simply gone already.
    columns: columns.map((c) => (c.check?.kind === 'person' || c.check?.kind === 'as-person' ? { ...c, check: undefined } : c)),
    primaryKey: undefined,
    uniqueKeys: undefined,
    rowChecks: undefined,
  };
};

/** A table's definition for its upserts: duplicate source keys within the load are an error. */
const upsertDefinition = (table: TableName): CheckedTableDefinition => {
  const key = SOURCE_KEYS[table];
  return { ...TABLES[table], primaryKey: key.kind === 'columns' ? key.columns : undefined };
};

export interface IncrementalTableInput {
  readonly table: TableName;
  readonly upserts: readonly InputFile[];
  readonly deletes: readonly InputFile[];
}

export interface IncrementalInputs {
  readonly tables: readonly IncrementalTableInput[];
  readonly identity: readonly InputFile[];
}

/** Finds the files of an incremental load, headers checked (an InputError for a wrong name or header). */
export const discoverIncrementalInputs = async (csvDir: string, options: { readonly allowEmpty?: boolean } = {}): Promise<IncrementalInputs> => {
  const entries = await readInputEntries(csvDir);
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.csv') || entry.name.startsWith('.')) continue;
    const base = entry.name.slice(0, -4);
    const table = base.endsWith(DELETES_SUFFIX) ? base.slice(0, -DELETES_SUFFIX.length) : base;
    if (!isTableName(table) && base !== IDENTITY_TABLE.name) {
      throw new InputError(
        { file: entry.name },
        `not a known table: an incremental load holds <table>.csv (rows to add or replace), <table>.deletes.csv (rows to delete) and identity.csv, for the tables ${TABLE_NAMES.join(', ')}`,
      );
    }
  }
  const tables: IncrementalTableInput[] = [];
  for (const table of TABLE_NAMES) {
    tables.push({ table, upserts: await filesOf(csvDir, entries, TABLES[table], false), deletes: await filesOf(csvDir, entries, deletesDefinition(table), false) });
  }
  const identity = await filesOf(csvDir, entries, IDENTITY_TABLE, false);
  if (!options.allowEmpty && identity.length === 0 && tables.every((t) => t.upserts.length === 0 && t.deletes.length === 0)) {
    throw new UserError(`${csvDir}: nothing to load (no <table>.csv, <table>.deletes.csv or identity.csv)`, 'invalid-input');
  }
  return { tables: tables.filter((t) => t.upserts.length > 0 || t.deletes.length > 0), identity };
};

export interface IncrementalOptions {
  /** The database to change (replaced atomically when the load is complete). */
  readonly dbFile: string;
  /** The load's folder (see the module comment). */
  readonly csvDir: string;
  readonly geography: Geography;
  /** The load history's source (default `import`). */
  readonly source?: string;
  /** The new end of the data window (meta.window_end, the first day after the data), when the load extends it. */
  readonly windowEnd?: string;
  /** The run's private working folder (work-dir.ts), when the caller made one. */
  readonly workDir?: string;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /** The clock for the load history (default: the time now). */
  readonly now?: () => Date;
  /** The new data version (default: a new random UUID). */
  readonly buildId?: string;
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * Called on the copy once it is open and checked, before the load's folder is read (the FHIR
   * incremental load maps its feed here, against what the copy stores, into `csvDir`). It may give
   * the window the load covers: the window end is moved on to it (never back), the start back to it.
   */
  readonly prepare?: (connection: DuckDBConnection, meta: ReadonlyMap<string, string>) => Promise<{ readonly windowStart?: string; readonly windowEnd?: string } | undefined>;
  /**
   * Called in the load's transaction after every table is applied (the FHIR load applies the rows it knows by
   * their resource and keeps its source keys up to date here), with the counts to add its changes to and the
   * context rows are checked with.
   */
  readonly inTransaction?: (connection: DuckDBConnection, load: { readonly changes: Record<string, { inserted: number; updated: number; deleted: number }>; readonly context: CheckContext }) => Promise<void>;
  /** What the load history names as the load's origin (default: csvDir). */
  readonly loadedFrom?: string;
  /** For tests: called between the identity store's rename and the database's (swap.ts). */
  readonly betweenRenames?: () => void;
}

export interface IncrementalSummary {
  readonly dbFile: string;
  readonly fileBytes: number;
  /** The new data version (meta.build_id). */
  readonly buildId: string;
  /** The version the load was applied to. */
  readonly parentBuildId: string;
  /** Rows inserted, updated and deleted per table (every person-level table; `identity` when there is an identity store). */
  readonly changes: Readonly<Record<string, TableChange>>;
  readonly windowEnd: string | undefined;
}

export const COPY_STEP = 'Copying the database';
export const APPLY_STEP = 'Loading and checking changes';
export const FINISH_INCREMENTAL_STEP = 'Writing the new version';

/** The lock one load at a time holds: `X.duckdb.load.lock` (the server's is `X.duckdb.lock`). */
export const loadLockOf = (dbFile: string): string => `${dbFile}.load`;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const IDENTITY_SCHEMA = 'identity_store';

const readAll = async (connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> =>
  (await connection.runAndReadAll(sql)).getRowObjectsJS();
const changed = async (connection: DuckDBConnection, sql: string): Promise<number> => Number((await connection.run(sql)).rowsChanged);
const countOf = async (connection: DuckDBConnection, sql: string): Promise<number> => Number((await readAll(connection, sql))[0]?.n ?? 0);

const fileIdentity = async (file: string): Promise<string> => {
  const s = await stat(file);
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
};

const removeDatabaseFiles = async (file: string): Promise<void> => {
  await Promise.all([file, `${file}.wal`, `${file}.tmp`].map((f) => rm(f, { recursive: true, force: true })));
};

const columnsEqual = (names: readonly string[], a: string, b: string, op = 'IS NOT DISTINCT FROM'): string =>
  names.map((n) => `${a}.${ident(n)} ${op} ${b}.${ident(n)}`).join(' AND ');

const orderOf = (table: TableName): string => canonicalOrderSql(TABLES[table]);

/** The staged row a temp table's `_rid` points at, as an InputError. */
const problemAt = async (staged: StagedTable, rid: number, field: string, problem: string): Promise<InputError> => {
  const { file, line } = await lineOf(staged, rid);
  return new InputError({ file: file.name, line, field }, problem);
};

interface Work {
  readonly connection: DuckDBConnection;
  readonly context: CheckContext;
  readonly salt: string;
  readonly identity: boolean;
  readonly changes: Record<string, { inserted: number; updated: number; deleted: number }>;
  readonly advance: (bytes: number) => void;
  /** The data version the load makes. */
  readonly buildId: string;
}

const bytesOf = (files: readonly InputFile[]): number => files.reduce((s, f) => s + f.bytes, 0);

/** The span of activity so far, widened by a table's staged (and checked) upserts when the table counts as activity. */
const widenSpan = async (connection: DuckDBConnection, span: ActivitySpan | undefined, table: TableName, staged: StagedTable): Promise<ActivitySpan | undefined> => {
  const sql = activitySpanSql((t) => (t === table ? `(SELECT ${typedColumnsSql(staged.def)} FROM ${staged.sqlName})` : undefined));
  if (sql === undefined) return span;
  const [row] = await readAll(connection, sql);
  if (!row?.first || !row.last) return span;
  const first = String(row.first);
  const last = String(row.last);
  return span === undefined ? { first, last } : { first: first < span.first ? first : span.first, last: last > span.last ? last : span.last };
};

/** Applies a table's deletions (staged and checked): by key, or by whole row; a deleted person takes every row naming them. */
const applyDeletes = async (work: Work, table: TableName, staged: StagedTable): Promise<void> => {
  const { connection, changes } = work;
  const def = staged.def;
  const names = def.columns.map((c) => c.name);
  await connection.run(`CREATE OR REPLACE TEMP TABLE inc_del AS SELECT ${typedColumnsSql(def)}, rowid AS _rid FROM ${staged.sqlName}`);
  if (table === 'person') {
    // Who this version deleted, for the server to apply to the operational store it owns (load-history.ts DELETED_PERSON_TABLE).
    for (const sql of deletedPersonDdl()) await connection.run(sql);
    await connection.run(
      `INSERT INTO ${ident(DELETED_PERSON_TABLE.name)} SELECT ${literal(work.buildId)}, person_id FROM person WHERE person_id IN (SELECT person_id FROM inc_del) ORDER BY person_id`,
    );
  }
  changes[table]!.deleted += await changed(connection, `DELETE FROM ${ident(table)} t USING inc_del d WHERE ${columnsEqual(names, 't', 'd')}`);
  if (table !== 'person') return;
  // Everything about a deleted person goes with them.
  await connection.run('CREATE OR REPLACE TEMP TABLE inc_deleted_people AS SELECT DISTINCT person_id FROM inc_del');
  for (const other of TABLE_NAMES) {
    const personColumns = TABLES[other].columns.filter((c) => c.check?.kind === 'person').map((c) => c.name);
    if (other === 'person' || personColumns.length === 0) continue;
    const where = personColumns.map((c) => `${ident(c)} IN (SELECT person_id FROM inc_deleted_people)`).join(' OR ');
    changes[other]!.deleted += await changed(connection, `DELETE FROM ${ident(other)} WHERE ${where}`);
  }
  if (work.identity) {
    changes.identity!.deleted += await countOf(
      connection,
      `SELECT count(*) AS n FROM ${IDENTITY_SCHEMA}.identity WHERE person_id IN (SELECT person_id FROM inc_deleted_people)`,
    );
  }
};

/** Upserts by source key: new keys added, stored keys with a different row replaced, identical rows left alone. */
const upsertByKey = async (work: Work, table: TableName, staged: StagedTable, key: readonly string[], deletes: StagedTable | undefined): Promise<void> => {
  const { connection, changes } = work;
  const def = TABLES[table];
  const names = def.columns.map((c) => c.name);
  const extra = table === 'person' ? `, ${recordKeySql(work.salt)} AS ${RECORD_KEY_COLUMN}` : '';
  await connection.run(`CREATE OR REPLACE TEMP TABLE inc_ld AS SELECT *${extra} FROM (SELECT ${typedColumnsSql(def)}, rowid AS _rid FROM ${staged.sqlName})`);
  if (deletes !== undefined) {
    const [both] = await readAll(
      connection,
      `SELECT min(d._rid) AS rid FROM inc_del d JOIN inc_ld l ON ${columnsEqual(key, 'd', 'l', '=')}`,
    );
    if (both?.rid !== null && both?.rid !== undefined) {
      throw await problemAt(deletes, Number(both.rid), key[0]!, `is also in ${staged.files[0]!.name}: a row cannot be deleted and added in the same load`);
    }
  }
  // 0 new key, 1 changed (replaces what is stored), 2 the same as stored.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE inc_status AS SELECT l.*, CASE WHEN m.n IS NULL THEN 0 WHEN m.n = 1 AND m.same = 1 THEN 2 ELSE 1 END AS _status ` +
      `FROM inc_ld l LEFT JOIN (SELECT ${key.map((k) => `l.${ident(k)}`).join(', ')}, count(*) AS n, count(*) FILTER (WHERE ${columnsEqual(names, 's', 'l')}) AS same ` +
      `FROM inc_ld l JOIN ${ident(table)} s ON ${columnsEqual(key, 's', 'l', '=')} GROUP BY ALL) m ON ${columnsEqual(key, 'm', 'l', '=')}`,
  );
  const [counts] = await readAll(
    connection,
    'SELECT count(*) FILTER (WHERE _status = 0) AS inserted, count(*) FILTER (WHERE _status = 1) AS updated FROM inc_status',
  );
  const inserted = Number(counts?.inserted ?? 0);
  const updated = Number(counts?.updated ?? 0);
  if (updated > 0) {
    const removed = await changed(
      connection,
      `DELETE FROM ${ident(table)} t USING (SELECT ${key.map(ident).join(', ')} FROM inc_status WHERE _status = 1) u WHERE ${columnsEqual(key, 't', 'u', '=')}`,
    );
    // More than one stored row under one key (allowed in a full build where the key is not enforced): all are replaced.
    changes[table]!.deleted += removed - updated;
  }
  const stored = [...names, ...(table === 'person' ? [RECORD_KEY_COLUMN] : [])].map(ident).join(', ');
  if (inserted + updated > 0) {
    await connection.run(`INSERT INTO ${ident(table)} (${stored}) SELECT ${stored} FROM inc_status WHERE _status <> 2 ORDER BY ${orderOf(table)}`);
  }
  changes[table]!.inserted += inserted;
  changes[table]!.updated += updated;
  if (table === 'person') {
    await connection.run('CREATE OR REPLACE TEMP TABLE inc_changed_people AS SELECT person_id, _rid FROM inc_status WHERE _status = 1');
  }
};

/** Adds rows of a table without source identifiers: each row as many times as the load holds it, less the copies already stored. */
const upsertByRow = async (work: Work, table: TableName, staged: StagedTable): Promise<void> => {
  const { connection, changes } = work;
  const def = TABLES[table];
  const names = def.columns.map((c) => c.name);
  const list = names.map(ident).join(', ');
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE inc_ld AS SELECT *, row_number() OVER (PARTITION BY ${list}) AS _n FROM (SELECT ${typedColumnsSql(def)} FROM ${staged.sqlName})`,
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE inc_stored AS SELECT ${names.map((n) => `s.${ident(n)}`).join(', ')}, count(*) AS _c FROM ${ident(table)} s ` +
      `SEMI JOIN (SELECT DISTINCT ${list} FROM inc_ld) d ON ${columnsEqual(names, 's', 'd')} GROUP BY ALL`,
  );
  changes[table]!.inserted += await changed(
    connection,
    `INSERT INTO ${ident(table)} (${list}) SELECT ${names.map((n) => `l.${ident(n)}`).join(', ')} FROM inc_ld l LEFT JOIN inc_stored s ON ${columnsEqual(names, 'l', 's')} ` +
      `WHERE l._n > COALESCE(s._c, 0) ORDER BY ${names.map((n) => `l.${ident(n)}`).join(', ')}`,
  );
};

/** Checks the identities (in the merged database) and works out what to write to the identity store, which is written after the commit. */
const prepareIdentity = async (work: Work, staged: StagedTable | undefined, person: StagedTable | undefined): Promise<void> => {
  const { connection, changes } = work;
  if (!work.identity) return;
  const store = `${IDENTITY_SCHEMA}.identity`;
  const names = [...IDENTITY_TABLE.columns.map((c) => c.name), 'name_key'];
  if (staged !== undefined) {
    await checkStagedTable(connection, staged, work.context);
    await connection.run(`CREATE OR REPLACE TEMP TABLE inc_identity AS ${identityRowsSql(staged.sqlName, true)}`);
    const [taken] = await readAll(
      connection,
      `SELECT min(l._rid) AS rid FROM inc_identity l JOIN ${store} s ON s.nhs_number = l.nhs_number AND s.person_id <> l.person_id ` +
        `WHERE s.person_id NOT IN (SELECT person_id FROM inc_identity) ` +
        `AND s.person_id NOT IN (SELECT person_id FROM inc_deleted_people)`,
    );
    if (taken?.rid !== null && taken?.rid !== undefined) {
      throw await problemAt(staged, Number(taken.rid), 'nhs_number', "is another person's NHS number in the identity store");
    }
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE inc_identity_status AS SELECT l.*, CASE WHEN s.person_id IS NULL THEN 0 WHEN ${columnsEqual(names, 's', 'l')} THEN 2 ELSE 1 END AS _status ` +
        `FROM inc_identity l LEFT JOIN ${store} s ON s.person_id = l.person_id`,
    );
    const [counts] = await readAll(
      connection,
      'SELECT count(*) FILTER (WHERE _status = 0) AS inserted, count(*) FILTER (WHERE _status = 1) AS updated FROM inc_identity_status',
    );
    changes.identity!.inserted += Number(counts?.inserted ?? 0);
    changes.identity!.updated += Number(counts?.updated ?? 0);
  }
  if (person !== undefined) {
    // A person whose date of birth or sex changed must come with their identity, which has to agree (as in a full import).
    const sent = staged !== undefined ? 'AND c.person_id NOT IN (SELECT person_id FROM inc_identity)' : '';
    const [stale] = await readAll(
      connection,
      `SELECT c._rid AS rid, CASE WHEN i.date_of_birth IS DISTINCT FROM p.date_of_birth THEN 'date_of_birth' ELSE 'sex' END AS field ` +
        `FROM inc_changed_people c JOIN person p ON p.person_id = c.person_id JOIN ${store} i ON i.person_id = c.person_id ` +
        `WHERE (i.date_of_birth IS DISTINCT FROM p.date_of_birth OR i.sex IS DISTINCT FROM p.sex) ${sent} ORDER BY c._rid LIMIT 1`,
    );
    if (stale !== undefined) {
      throw await problemAt(
        person,
        Number(stale.rid),
        String(stale.field),
        "differs from the person's identity in the identity store: send their identity row, with the same value, in identity.csv",
      );
    }
  }
};

/** Writes the identity changes worked out by prepareIdentity (after the database's transaction: one database per transaction). */
const writeIdentity = async (connection: DuckDBConnection, buildId: string, hasStaged: boolean, hasDeletedPeople: boolean): Promise<void> => {
  const store = `${IDENTITY_SCHEMA}.identity`;
  const names = [...IDENTITY_TABLE.columns.map((c) => c.name), 'name_key'].map(ident).join(', ');
  if (hasDeletedPeople) await connection.run(`DELETE FROM ${store} WHERE person_id IN (SELECT person_id FROM inc_deleted_people)`);
  if (hasStaged) {
    await connection.run(`DELETE FROM ${store} WHERE person_id IN (SELECT person_id FROM inc_identity_status WHERE _status = 1)`);
    await connection.run(`INSERT INTO ${store} (${names}) SELECT ${names} FROM inc_identity_status WHERE _status <> 2 ORDER BY nhs_number`);
  }
  await connection.run(`UPDATE ${IDENTITY_SCHEMA}.meta SET value = ${literal(buildId)} WHERE key = 'build_id'`);
  await connection.run(`UPDATE ${IDENTITY_SCHEMA}.meta SET value = (SELECT count(*)::VARCHAR FROM ${store}) WHERE key = 'rows'`);
};

const readMeta = async (connection: DuckDBConnection, schema = 'main'): Promise<Map<string, string>> =>
  new Map((await readAll(connection, `SELECT key, value FROM ${schema}.${META_TABLE.name}`)).map((r) => [String(r.key), String(r.value)]));

/**
 * Applies an incremental load to an existing database (see the module comment). Throws an
 * InputError (file, line, field) for the first bad row, a UserError when the database cannot take
 * the load; in every failure the database and its identity store are left exactly as they were.
 */
export const applyIncremental = async (options: IncrementalOptions): Promise<IncrementalSummary> => {
  const { dbFile, onProgress } = options;
  if (!existsSync(dbFile) || (await stat(dbFile)).isDirectory()) {
    throw new UserError(`${dbFile}: no such database (an incremental load changes a database built by 'phm import' or 'phm generate')`, 'not-found');
  }
  if (existsSync(`${dbFile}.wal`)) {
    throw new UserError(`${dbFile}.wal exists: the database is open for writing in another program, or was not closed cleanly`, 'conflict');
  }
  if (options.windowEnd !== undefined && !ISO_DAY.test(options.windowEnd)) {
    throw new UserError(`the window end must be a date (YYYY-MM-DD), got '${options.windowEnd}'`, 'usage');
  }
  let inputs = options.prepare === undefined ? await discoverIncrementalInputs(options.csvDir) : undefined;
  const lock = acquireStoreLock(loadLockOf(dbFile), {
    what: `the database ${dbFile}`,
    held: 'being loaded',
    advice: 'wait until that load has finished, then load again',
  });
  const config = instanceOptions({ threads: options.threads, memoryLimit: options.memoryLimit });
  const buildId = options.buildId ?? randomUUID();
  const identityFile = identityFileOf(dbFile);
  let ownWork: ReturnType<typeof createWorkDir> | undefined;
  let tmpFile: string | undefined;
  let tmpIdentity: string | undefined;
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  let renamed = false;
  try {
    ownWork = options.workDir === undefined ? createWorkDir(dbFile) : undefined;
    const workPath = options.workDir ?? ownWork!.path;
    tmpFile = join(workPath, 'database.duckdb');
    tmpIdentity = join(workPath, 'identity.duckdb');
    await removeDatabaseFiles(tmpFile);
    await removeDatabaseFiles(tmpIdentity);

    onProgress?.({ step: COPY_STEP, done: 0, total: 1 });
    const before = await fileIdentity(dbFile);
    const hasIdentity = existsSync(identityFile);
    const identityBefore = hasIdentity ? await fileIdentity(identityFile) : undefined;
    // A reflink where the file system offers one (instant), else a plain copy.
    await copyFile(dbFile, tmpFile, constants.COPYFILE_FICLONE);
    if (hasIdentity) await copyFile(identityFile, tmpIdentity, constants.COPYFILE_FICLONE);
    await chmod(tmpFile, 0o600);
    if (hasIdentity) await chmod(tmpIdentity, 0o600);
    if ((await fileIdentity(dbFile)) !== before) throw new UserError(`${dbFile} was replaced while it was being copied: load again`, 'conflict');
    onProgress?.({ step: COPY_STEP, done: 1, total: 1 });

    instance = await DuckDBInstance.create(tmpFile, { ...config, preserve_insertion_order: 'true' });
    connection = await instance.connect();
    const meta = await readMeta(connection).catch(() => {
      throw new UserError(`${dbFile} is not an OpenPHM database (no meta table)`, 'invalid-input');
    });
    if (meta.get('schema_version') !== SCHEMA_VERSION) {
      throw new UserError(`${dbFile} was built by another version of OpenPHM (schema ${meta.get('schema_version') ?? 'unknown'}, this one ${SCHEMA_VERSION}): build it again with 'phm import'`, 'invalid-input');
    }
    const parentBuildId = meta.get('build_id');
    const salt = meta.get(RECORD_KEY_SALT_META);
    if (parentBuildId === undefined || salt === undefined) throw new UserError(`${dbFile} has no build_id or record key salt: build it again with 'phm import'`, 'invalid-input');
    const oldEnd = meta.get('window_end');
    let windowEnd = options.windowEnd;
    let windowStart: string | undefined;
    if (options.prepare !== undefined) {
      const window = await options.prepare(connection, meta);
      // What the hook mapped may lie only in what its inTransaction applies (a FHIR feed of coded events): it says when there is nothing.
      inputs = await discoverIncrementalInputs(options.csvDir, { allowEmpty: true });
      if (window?.windowEnd !== undefined && windowEnd === undefined && (oldEnd === undefined || window.windowEnd > oldEnd)) windowEnd = window.windowEnd;
      const oldStart = meta.get('window_start');
      if (window?.windowStart !== undefined && (oldStart === undefined || window.windowStart < oldStart)) windowStart = window.windowStart;
    }
    if (inputs === undefined) throw new InternalError('no inputs');
    if (options.windowEnd !== undefined && oldEnd !== undefined && options.windowEnd < oldEnd) {
      throw new UserError(`the window end ${options.windowEnd} is before the database's (${oldEnd}): a load may extend the window, not shorten it`, 'usage');
    }
    if (inputs.identity.length > 0 && !hasIdentity) {
      throw new InputError(
        { file: inputs.identity[0]!.name },
        `${dbFile} has no identity store: identities come with a full import (phm import with identity.csv), then loads keep them up to date`,
      );
    }
    if (hasIdentity) {
      await connection.run(`ATTACH ${literal(tmpIdentity)} AS ${IDENTITY_SCHEMA}`);
      const identityMeta = await readMeta(connection, IDENTITY_SCHEMA);
      if (identityMeta.get('build_id') !== parentBuildId) {
        throw new UserError(`${identityFile} belongs to another build than ${dbFile}: build the database again with 'phm import'`, 'conflict');
      }
    }

    const context: CheckContext = {
      lsoaCodes: new Set(options.geography.lsoas.map((l) => l.code)),
      practiceCodes: new Set(options.geography.practices.map((p) => p.code)),
    };
    const totalBytes = inputs.tables.reduce((s, t) => s + bytesOf(t.upserts) + bytesOf(t.deletes), 0) + bytesOf(inputs.identity);
    const total = Math.max(1, totalBytes * 2);
    let done = 0;
    const advance = (bytes: number) => {
      done += bytes;
      onProgress?.({ step: APPLY_STEP, done: Math.min(done, total), total });
    };
    onProgress?.({ step: APPLY_STEP, done: 0, total });
    const changes: Record<string, { inserted: number; updated: number; deleted: number }> = Object.fromEntries(
      HISTORY_TABLE_NAMES.filter((t) => t !== IDENTITY_TABLE.name || hasIdentity).map((t) => [t, { inserted: 0, updated: 0, deleted: 0 }]),
    );
    const work: Work = { connection, context, salt, identity: hasIdentity, changes, advance, buildId };

    // Every file is read first (as text, into temporary tables, before the transaction: their rowids then number the
    // rows for messages), so a file that is not CSV is reported before any row is checked.
    const staged = new Map<TableName, { upserts?: StagedTable; deletes?: StagedTable }>();
    for (const input of inputs.tables) {
      const entry: { upserts?: StagedTable; deletes?: StagedTable } = {};
      if (input.deletes.length > 0) entry.deletes = await stageTable(connection, { def: deletesDefinition(input.table), files: input.deletes }, (f) => advance(f.bytes));
      if (input.upserts.length > 0) entry.upserts = await stageTable(connection, { def: upsertDefinition(input.table), files: input.upserts }, (f) => advance(f.bytes));
      staged.set(input.table, entry);
    }
    const stagedIdentity = inputs.identity.length > 0 ? await stageTable(connection, { def: IDENTITY_TABLE, files: inputs.identity }, (f) => advance(f.bytes)) : undefined;
    await connection.run('BEGIN TRANSACTION');
    let deletedPeople = false;
    /** The activity of a CSV load's rows (the FHIR load's prepare gives its own), which moves the database's window on. */
    let span: ActivitySpan | undefined;
    for (const input of inputs.tables) {
      const entry = staged.get(input.table)!;
      if (entry.deletes !== undefined) {
        await checkStagedTable(connection, entry.deletes, context);
        await applyDeletes(work, input.table, entry.deletes);
        if (input.table === 'person') deletedPeople = true;
        advance(bytesOf(input.deletes));
      }
      if (entry.upserts !== undefined) {
        // Checked against the database as it now is: every person named must be stored after this load.
        await checkStagedTable(connection, entry.upserts, context);
        if (options.prepare === undefined) span = await widenSpan(connection, span, input.table, entry.upserts);
        const key = SOURCE_KEYS[input.table];
        if (key.kind === 'columns') await upsertByKey(work, input.table, entry.upserts, key.columns, entry.deletes);
        else await upsertByRow(work, input.table, entry.upserts);
        advance(bytesOf(input.upserts));
      }
    }
    if (!deletedPeople && hasIdentity) await connection.run('CREATE OR REPLACE TEMP TABLE inc_deleted_people (person_id BIGINT)');
    await prepareIdentity(work, stagedIdentity, staged.get('person')?.upserts);
    advance(bytesOf(inputs.identity) * 2);

    if (span !== undefined) {
      // A CSV load extends a window the database records (never shortens it, nor starts one): its end on to the day
      // after the load's last activity unless --window-end is given, its start back to the load's first.
      const window = windowOfSpan(span);
      if (windowEnd === undefined && oldEnd !== undefined && window.window_end !== undefined && window.window_end > oldEnd) windowEnd = window.window_end;
      const oldStart = meta.get('window_start');
      if (oldStart !== undefined && window.window_start !== undefined && window.window_start < oldStart) windowStart = window.window_start;
    }
    onProgress?.({ step: FINISH_INCREMENTAL_STEP, done: 0, total: 1 });
    await connection.run(`UPDATE ${META_TABLE.name} SET value = ${literal(buildId)} WHERE key = 'build_id'`);
    for (const [key, value] of [['window_end', windowEnd], ['window_start', windowStart]] as const) {
      if (value === undefined) continue;
      await connection.run(`DELETE FROM ${META_TABLE.name} WHERE key = ${literal(key)}`);
      await connection.run(`INSERT INTO ${META_TABLE.name} VALUES (${literal(key)}, ${literal(value)})`);
    }
    await options.inTransaction?.(connection, { changes, context });
    await recordLoad(connection, {
      buildId,
      parentBuildId,
      kind: 'incremental',
      loadedAt: (options.now?.() ?? new Date()).toISOString(),
      source: options.source ?? 'import',
      loadedFrom: options.loadedFrom ?? options.csvDir,
      changes,
    });
    await connection.run('COMMIT');
    await connection.run('CHECKPOINT');
    if (hasIdentity) {
      await writeIdentity(connection, buildId, stagedIdentity !== undefined, deletedPeople);
      await connection.run(`CHECKPOINT ${IDENTITY_SCHEMA}`);
      await connection.run(`DETACH ${IDENTITY_SCHEMA}`);
    }
    connection.closeSync();
    connection = undefined;
    instance.closeSync();
    instance = undefined;
    if (existsSync(`${tmpFile}.wal`) || existsSync(`${tmpIdentity}.wal`)) throw new InternalError(`${tmpFile}.wal remains after checkpoint`);

    // The served version stays whole until here. A database replaced meanwhile (phm generate or import) is not overwritten.
    if ((await fileIdentity(dbFile)) !== before || (hasIdentity && (!existsSync(identityFile) || (await fileIdentity(identityFile)) !== identityBefore))) {
      throw new UserError(`${dbFile} was replaced by another build while this load ran: nothing was stored; load again onto the new database`, 'conflict');
    }
    // The identity store first, as a full build does, journaled (swap.ts): a kill between the two renames is repaired by the next load or start.
    if (hasIdentity) swapPair({ db: dbFile, identityFile, newDatabase: tmpFile, newIdentity: tmpIdentity, ...(options.betweenRenames ? { betweenRenames: options.betweenRenames } : {}) });
    else await rename(tmpFile, dbFile);
    renamed = true;
    const fileBytes = (await stat(dbFile)).size;
    onProgress?.({ step: FINISH_INCREMENTAL_STEP, done: 1, total: 1 });
    return { dbFile, fileBytes, buildId, parentBuildId, changes, windowEnd: windowEnd ?? oldEnd };
  } catch (error) {
    if (error instanceof PhmError) throw error;
    throw new InternalError(`loading into ${dbFile} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    try {
      connection?.closeSync();
      instance?.closeSync();
    } finally {
      if (tmpFile !== undefined && !renamed) await removeDatabaseFiles(tmpFile);
      if (tmpIdentity !== undefined) await removeDatabaseFiles(tmpIdentity);
      ownWork?.remove();
      lock.release();
    }
  }
};
