/**
 * Builds an OpenPHM database from CSV files: the synthetic generator's output or real extracts.
 *
 * The database is built in a temporary file next to the destination; only when every table has
 * loaded and passed validation is it checkpointed, closed and renamed over the destination, so a
 * failed build never damages an existing database.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, InternalError, PhmError, TABLES, TABLE_NAMES, UserError, type Geography, type TableName } from '@openphm/core';
import { discoverIdentityInput, discoverInputs } from './csv-input.js';
import { buildIdentityStore, identityFileOf } from './identity/store.js';
import { instanceOptions } from './database.js';
import { META_TABLE, SCHEMA_VERSION, schemaDdl, type GeoTableName } from './ddl.js';
import { appendRows, loadGeographyTables } from './geography.js';
import { RECORD_KEY_COLUMN, RECORD_KEY_SALT_META, checkRecordKeySalt, newRecordKeySalt, recordKeySql } from './record-keys.js';
import { checkStagedTable, insertCheckedSql, insertStagedTable, loadCheckedRows, stageTable, type CheckContext } from './validate.js';
import { swapPair } from './swap.js';
import { createWorkDir } from './work-dir.js';
import { DELETED_PERSON_TABLE, deletedPersonDdl, recordLoad } from './load-history.js';
import { activitySpanSql, windowOfSpan } from './activity-window.js';
import { ident, literal } from './sql.js';

export interface BuildProgress {
  /** Name of the current step; `done` is 0 when a step starts. */
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export interface BuildOptions {
  /** The database file to create or replace. */
  readonly outFile: string;
  /** Directory holding `<table>.csv` or `<table>/*.csv` for each table (person required). */
  readonly csvDir: string;
  readonly geography: Geography;
  /** Stored in the meta table. `source` ('synthetic' or 'import') is required. */
  readonly meta: Readonly<Record<string, string>>;
  readonly onProgress?: (progress: BuildProgress) => void;
  /** DuckDB worker threads (default: all cores). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. '4GB' (default: 80% of RAM); DuckDB spills to disk beyond it. */
  readonly memoryLimit?: string;
  /**
   * The salt of the people's record keys (cell-key perturbation, docs/decisions/0006). Default: the
   * salt of the database being replaced, so the same people keep the same keys from one load to
   * the next; a new random salt for a new database.
   */
  readonly recordKeySalt?: string;
  /**
   * The run's private working folder (work-dir.ts), when the caller made one (phm generate keeps its
   * CSV part files there); otherwise the build makes its own and removes it.
   */
  readonly workDir?: string;
  /** The build's id in meta.build_id (default: a new random UUID); the identity store built with it holds the same. */
  readonly buildId?: string;
  /** The clock for the load history's loaded_at (default: the time now). */
  readonly now?: () => Date;
  /** Called once every table is loaded and checked, before the database is written (the FHIR import stores its source keys here). */
  readonly afterLoad?: (connection: DuckDBConnection, salt: string) => Promise<void>;
  /**
   * Record the data window from the activity loaded (activity-window.ts) where `meta` gives no
   * window_start / window_end, with meta.window_from set to this value (the CSV import: 'activity').
   */
  readonly windowFromActivity?: string;
  /**
   * Refuse (a UserError, nothing replaced) to replace a database whose people this build does not keep:
   * none of their ids is kept, or most of the ids kept name someone of another sex or date of birth (an
   * extract renumbered, a database of another source). The import commands set it unless told to
   * replace the people (`--replace-people`); see carryDeletedPeople.
   */
  readonly guardPeople?: boolean;
}

/** What became of the people of the database a build replaced (carryDeletedPeople). */
export interface PreviousPeopleSummary {
  /** People the database replaced held. */
  readonly people: number;
  /** Of them, those whose id the new build holds. */
  readonly kept: number;
  /** Of those kept, the ids whose sex or date of birth changed. */
  readonly changed: number;
  /** Those whose id the new build does not hold: recorded as deleted by this data version. */
  readonly deleted: number;
  /** Earlier loads' deletions carried into the new database (each kept until the operational store applies it: it alone knows which it did). */
  readonly carried: number;
}

export interface BuildSummary {
  readonly outFile: string;
  /** Size of the database file in bytes. */
  readonly fileBytes: number;
  /** Rows loaded per person-level table. */
  readonly rows: Record<TableName, number>;
  /** Rows per geography lookup table. */
  readonly geography: Record<GeoTableName, number>;
  readonly buildId: string;
  /** The data window recorded (meta window_start, window_end), when there is one. */
  readonly window?: { readonly start?: string; readonly end?: string; readonly from?: string };
  /**
   * The identity store written next to the database (identity/store.ts) and its rows, when the
   * extract held identities; otherwise undefined (and any identity store of an earlier build is removed).
   */
  readonly identity?: { readonly file: string; readonly rows: number };
  /** When the build replaced a database: what became of its people (recorded in deleted_person). */
  readonly previous?: PreviousPeopleSummary;
}

export const LOAD_STEP = 'Loading and checking data';
export const FINISH_STEP = 'Writing database';

const SOURCES = ['synthetic', 'import'];

/** The first day after a window of whole years (29 February starts are moved to 1 March, as the generator does). */
export const windowEndOf = (windowStart: string, years: number): string => {
  const m = /^(\d{4})(-\d{2}-\d{2})$/.exec(windowStart);
  if (!m || !Number.isInteger(years)) throw new UserError(`cannot derive window_end from window_start '${windowStart}' and years '${years}'`);
  const rest = m[2] === '-02-29' ? '-03-01' : m[2]!;
  return `${String(Number(m[1]) + years).padStart(4, '0')}${rest}`;
};

/** The meta rows to store, sorted by key: the caller's, plus schema_version and (when derivable) window_end. */
export const metaRows = (meta: Readonly<Record<string, string>>): [string, string][] => {
  const source = meta.source;
  if (source === undefined || !SOURCES.includes(source)) {
    throw new UserError(`meta.source must be one of ${SOURCES.join(', ')}, got ${source === undefined ? 'nothing' : `'${source}'`}`);
  }
  const all: Record<string, string> = { ...meta, schema_version: SCHEMA_VERSION };
  if (all.window_end === undefined && all.window_start !== undefined && all.years !== undefined) {
    all.window_end = windowEndOf(all.window_start, Number(all.years));
  }
  return Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

/** The record key salt of an existing OpenPHM database at `file`, or undefined (none, or not readable). */
const existingSalt = async (file: string, config: Record<string, string>): Promise<string | undefined> => {
  if (!existsSync(file)) return undefined;
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(file, { ...config, access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT value FROM ${META_TABLE.name} WHERE key = '${RECORD_KEY_SALT_META}'`);
      const value = reader.getRows()[0]?.[0];
      return typeof value === 'string' && value.length >= 16 ? value : undefined;
    } finally {
      connection.closeSync();
    }
  } catch {
    return undefined;
  } finally {
    instance?.closeSync();
  }
};

const removeDatabaseFiles = async (file: string): Promise<void> => {
  await Promise.all([file, `${file}.wal`, `${file}.tmp`].map((f) => rm(f, { recursive: true, force: true })));
};

const checkDestination = async (outFile: string): Promise<void> => {
  const dir = dirname(outFile);
  if (!existsSync(dir)) throw new UserError(`directory for the database does not exist: ${dir}`, 'not-found');
  if (existsSync(outFile) && (await stat(outFile)).isDirectory()) throw new UserError(`${outFile} is a directory, not a database file`, 'usage');
  if (existsSync(`${outFile}.wal`)) {
    throw new UserError(
      `${outFile}.wal exists: the database is open for writing in another program, or was not closed cleanly. ` +
        'Close the other program (or delete the .wal file) and try again.',
      'conflict',
    );
  }
};

/** Derives the window from the activity loaded where the meta gives none (options.windowFromActivity), and reads it back. */
const recordWindow = async (connection: DuckDBConnection, options: BuildOptions, metaRows: readonly [string, string][]): Promise<BuildSummary['window']> => {
  const stored = new Map(metaRows);
  const given = { window_start: stored.get('window_start'), window_end: stored.get('window_end') };
  const derived: Record<string, string> = {};
  if (options.windowFromActivity !== undefined && (given.window_start === undefined || given.window_end === undefined)) {
    const sql = activitySpanSql((t) => ident(t));
    const [span] = sql === undefined ? [] : (await connection.runAndReadAll(sql)).getRowObjectsJS();
    const window = span?.first && span.last ? windowOfSpan({ first: String(span.first), last: String(span.last) }) : {};
    for (const [key, value] of Object.entries(window)) if (given[key as keyof typeof given] === undefined && value !== undefined) derived[key] = value;
    if (Object.keys(derived).length > 0) derived.window_from = options.windowFromActivity;
    if (derived.window_start !== undefined && given.window_end !== undefined && derived.window_start >= given.window_end) delete derived.window_start;
    if (derived.window_end !== undefined && given.window_start !== undefined && derived.window_end <= given.window_start) delete derived.window_end;
    for (const [key, value] of Object.entries(derived)) await connection.run(`INSERT INTO ${META_TABLE.name} VALUES (${literal(key)}, ${literal(value)})`);
  }
  const rows = (await connection.runAndReadAll(`SELECT key, value FROM ${META_TABLE.name} WHERE key IN ('window_start', 'window_end', 'window_from')`)).getRowObjectsJS();
  const meta = Object.fromEntries(rows.map((r) => [String(r.key), String(r.value)]));
  if (meta.window_start === undefined && meta.window_end === undefined) return undefined;
  return { ...(meta.window_start ? { start: meta.window_start } : {}), ...(meta.window_end ? { end: meta.window_end } : {}), ...(meta.window_from ? { from: meta.window_from } : {}) };
};

/**
 * The people of the database being replaced (`outFile`, attached read-only) who are not in the new one
 * are recorded as deleted by the new data version (deleted_person, load-history.ts), so that whoever
 * owns the operational store closes their records, as for an incremental load's deletions (decision
 * 0009); the deletions the old database records are carried over with their own versions (the
 * operational store applies each once: person_removal). Returns what became of its people, or
 * undefined when there was no OpenPHM database to replace.
 */
const carryDeletedPeople = async (connection: DuckDBConnection, outFile: string, buildId: string, guard: boolean): Promise<PreviousPeopleSummary | undefined> => {
  if (!existsSync(outFile)) return undefined;
  try {
    await connection.run(`ATTACH ${literal(outFile)} AS previous_db (READ_ONLY)`);
  } catch {
    // Not a DuckDB database: nothing of it to carry (it is replaced, as before).
    return undefined;
  }
  try {
    const has = async (table: string) =>
      Number(
        (await connection.runAndReadAll(`SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'previous_db' AND schema_name = 'main' AND table_name = ${literal(table)}`)).getRowObjectsJS()[0]?.n ?? 0,
      ) > 0;
    if (!(await has('person'))) return undefined;
    const [counts] = (
      await connection.runAndReadAll(
        `SELECT count(*)::DOUBLE AS people, count(n.person_id)::DOUBLE AS kept, ` +
          `count(*) FILTER (WHERE n.person_id IS NOT NULL AND (n.sex IS DISTINCT FROM o.sex OR n.date_of_birth IS DISTINCT FROM o.date_of_birth))::DOUBLE AS changed ` +
          `FROM previous_db.person o LEFT JOIN person n ON n.person_id = o.person_id`,
      )
    ).getRowObjectsJS();
    const people = Number(counts?.people ?? 0);
    const kept = Number(counts?.kept ?? 0);
    const changed = Number(counts?.changed ?? 0);
    if (guard && people > 0 && kept === 0) {
      throw new UserError(
        `${outFile} holds ${people.toLocaleString('en-GB')} people and this import keeps none of their ids (a database of another source?): every one would be recorded as deleted, ` +
          'and what the operational store holds open about them closed. Import into a new --db (with its own operational store), or give --replace-people to replace them',
        'conflict',
      );
    }
    if (guard && kept > 0 && changed * 2 > kept) {
      throw new UserError(
        `${outFile}: ${changed.toLocaleString('en-GB')} of the ${kept.toLocaleString('en-GB')} person ids this import shares with the database name someone of another sex or date of birth: ` +
          'the ids name other people than the database does, and the operational store\'s records (care plans, caseload, referrals, tasks) would be shown on the wrong people. ' +
          'Import into a new --db (with its own operational store), or give --replace-people if the ids do name the same people',
        'conflict',
      );
    }
    const carriedFrom = (await has(DELETED_PERSON_TABLE.name)) ? `previous_db.${ident(DELETED_PERSON_TABLE.name)}` : undefined;
    const carrying = carriedFrom === undefined ? 0 : Number((await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${carriedFrom}`)).getRowObjectsJS()[0]?.n ?? 0);
    const deleted = people - kept;
    // Only when there is something to record: a build that drops nobody and carries nothing is the same file as one over nothing.
    if (carrying + deleted === 0) return { people, kept, changed, deleted: 0, carried: 0 };
    for (const sql of deletedPersonDdl()) await connection.run(sql);
    const carried =
      carriedFrom === undefined ? 0 : Number((await connection.run(`INSERT INTO ${ident(DELETED_PERSON_TABLE.name)} SELECT DISTINCT build_id, person_id FROM ${carriedFrom} ORDER BY ALL`)).rowsChanged);
    await connection.run(
      `INSERT INTO ${ident(DELETED_PERSON_TABLE.name)} SELECT ${literal(buildId)}, person_id FROM previous_db.person WHERE person_id NOT IN (SELECT person_id FROM person) ORDER BY person_id`,
    );
    return { people, kept, changed, deleted, carried };
  } finally {
    await connection.run('DETACH previous_db');
  }
};

/** Builds (or atomically replaces) an OpenPHM database from CSV files. Throws InputError for bad input data. */
export const buildDatabase = async (options: BuildOptions): Promise<BuildSummary> => {
  const { outFile, onProgress } = options;
  const config = instanceOptions({ threads: options.threads, memoryLimit: options.memoryLimit });
  await checkDestination(outFile);
  const salt = options.recordKeySalt !== undefined ? checkRecordKeySalt(options.recordKeySalt) : ((await existingSalt(outFile, config)) ?? newRecordKeySalt());
  const buildId = options.buildId ?? randomUUID();
  const meta = metaRows({ ...options.meta, [RECORD_KEY_SALT_META]: salt, build_id: buildId });
  const inputs = await discoverInputs(options.csvDir);
  const identityFiles = await discoverIdentityInput(options.csvDir);
  const identityBytes = identityFiles.reduce((s, f) => s + f.bytes, 0);

  const totalBytes = inputs.reduce((sum, input) => sum + input.files.reduce((s, f) => s + f.bytes, 0), 0) + identityBytes;
  // Each file counts three times: staged, checked, inserted.
  const total = Math.max(1, totalBytes * 3);
  let done = 0;
  const advance = (bytes: number) => {
    done += bytes;
    onProgress?.({ step: LOAD_STEP, done: Math.min(done, total), total });
  };
  /** Moves the progress forward to `value` (never back). */
  const advanceTo = (value: number) => {
    if (value > done) advance(value - done);
  };

  // The new database is built in a private folder (0700) next to the old one, then renamed over it.
  const ownWork = options.workDir === undefined ? createWorkDir(outFile) : undefined;
  const tmpFile = join(options.workDir ?? ownWork!.path, 'database.duckdb');
  const tmpIdentity = join(options.workDir ?? ownWork!.path, 'identity.duckdb');
  const identityFile = identityFileOf(outFile);
  await removeDatabaseFiles(tmpFile);
  await removeDatabaseFiles(tmpIdentity);
  onProgress?.({ step: LOAD_STEP, done: 0, total });
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  let renamed = false;
  try {
    instance = await DuckDBInstance.create(tmpFile, { ...config, preserve_insertion_order: 'true' });
    connection = await instance.connect();
    await connection.run('BEGIN TRANSACTION');
    await connection.run(schemaDdl().join(';\n'));
    const geography = await loadGeographyTables(connection, options.geography);
    await appendRows(connection, META_TABLE, meta);
    await connection.run('COMMIT');
    const context: CheckContext = {
      lsoaCodes: new Set(options.geography.lsoas.map((l) => l.code)),
      practiceCodes: new Set(options.geography.practices.map((p) => p.code)),
    };

    const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    for (const input of inputs) {
      if (input.files.length === 0) continue;
      const tableBytes = input.files.reduce((s, f) => s + f.bytes, 0);
      // Clean files in one pass; files with a problem (or none loaded by it) the staged way, which names it.
      const before = done;
      const loaded = await loadCheckedRows(connection, input, context, {
        table: ident(input.table),
        insert: (checked) => insertCheckedSql(TABLES[input.table], ident(input.table), checked),
      });
      if (loaded !== undefined && loaded > 0) {
        rows[input.table] = loaded;
        advanceTo(before + tableBytes * 3);
        continue;
      }
      // The staged load's progress counts from where the table began (the bar does not move back).
      let stagedBytes = 0;
      const staged = await stageTable(connection, input, (file) => advanceTo(before + (stagedBytes += file.bytes)));
      if (input.table === 'person' && staged.rows === 0) {
        throw new InputError({ file: input.files.length === 1 ? input.files[0]!.name : 'person/' }, 'no data rows: the person table must hold at least one person');
      }
      await checkStagedTable(connection, staged, context);
      advanceTo(before + tableBytes * 2);
      rows[input.table] = await insertStagedTable(connection, staged);
      advanceTo(before + tableBytes * 3);
    }
    // The identifiable zone: a store of its own, checked against the person table just loaded.
    const identity =
      identityFiles.length === 0
        ? undefined
        : await buildIdentityStore(connection, { file: tmpIdentity, files: identityFiles, buildId, source: options.meta.source ?? '', context });
    advance(identityBytes * 3);
    await options.afterLoad?.(connection, salt);
    // The people of the database replaced who are not in this one: recorded as deleted by this version (and earlier deletions kept).
    const previous = await carryDeletedPeople(connection, outFile, buildId, options.guardPeople === true);
    const window = await recordWindow(connection, options, meta);
    onProgress?.({ step: FINISH_STEP, done: 0, total: 1 });
    await connection.run(`ALTER TABLE person ADD COLUMN ${RECORD_KEY_COLUMN} UTINYINT`);
    await connection.run(`UPDATE person SET ${RECORD_KEY_COLUMN} = ${recordKeySql(salt)}`);
    await connection.run(`COMMENT ON COLUMN person.${RECORD_KEY_COLUMN} IS 'Derived when the database is built: the record key (0-255) for cell-key perturbation, MD5 of the salt in meta.record_key_salt and person_id. Never published.'`);
    // The data version this build makes, in the load history (load-history.ts): everything replaced, no parent.
    await recordLoad(connection, {
      buildId,
      parentBuildId: null,
      kind: 'full',
      loadedAt: (options.now?.() ?? new Date()).toISOString(),
      source: [options.meta.source ?? '', options.meta.import_format].filter((x) => x !== undefined).join(' '),
      loadedFrom: options.meta.imported_from ?? null,
      changes: {
        ...Object.fromEntries(TABLE_NAMES.map((t) => [t, { inserted: rows[t], updated: 0, deleted: t === 'person' ? (previous?.deleted ?? 0) : 0 }])),
        ...(identity !== undefined ? { identity: { inserted: identity.rows, updated: 0, deleted: 0 } } : {}),
      },
    });
    await connection.run('CHECKPOINT');
    connection.closeSync();
    connection = undefined;
    instance.closeSync();
    instance = undefined;
    if (existsSync(`${tmpFile}.wal`)) throw new InternalError(`${tmpFile}.wal remains after checkpoint`);
    // Person-level data: readable by its owner only (the server runs as the user who builds it).
    await chmod(tmpFile, 0o600);
    // The identity store first: if the database's rename then failed, the pair's build ids would differ and no identity is shown.
    if (identity !== undefined) {
      await chmod(tmpIdentity, 0o600);
      // Journaled (swap.ts): a kill between the two renames is repaired by the next load or start.
      swapPair({ db: outFile, identityFile, newDatabase: tmpFile, newIdentity: tmpIdentity });
    } else await rename(tmpFile, outFile);
    renamed = true;
    // Identities of the people an earlier build held do not belong next to this one.
    if (identity === undefined) await removeDatabaseFiles(identityFile);
    const fileBytes = (await stat(outFile)).size;
    onProgress?.({ step: FINISH_STEP, done: 1, total: 1 });
    return { outFile, fileBytes, rows, geography, buildId, ...(window !== undefined ? { window } : {}), ...(previous !== undefined ? { previous } : {}), ...(identity !== undefined ? { identity: { file: identityFile, rows: identity.rows } } : {}) };
  } catch (error) {
    if (error instanceof PhmError) throw error;
    throw new InternalError(`building ${outFile} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    try {
      connection?.closeSync();
      instance?.closeSync();
    } finally {
      if (!renamed) await removeDatabaseFiles(tmpFile);
      else await rm(`${tmpFile}.tmp`, { recursive: true, force: true });
      await removeDatabaseFiles(tmpIdentity);
      ownWork?.remove();
    }
  }
};
