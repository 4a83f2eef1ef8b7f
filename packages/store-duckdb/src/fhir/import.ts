/**
 * `phm import --fhir`: FHIR R4 Bundles and Bulk FHIR NDJSON into an OpenPHM database, all or nothing.
 *
 * 1. Index: every file is read once (streamed, read.ts); each resource's type and id are checked,
 *    duplicates found, and the registry (core fhir/registry.ts) learns ids, fullUrls, identifiers,
 *    ODS codes and the dates a person's registration needs. Problems here (malformed JSON, a wrong
 *    resource type, a duplicate id) stop the load before anything is mapped.
 * 2. Decide: each Patient is loaded or excluded (no postcode, outside the partnership, ...), counted
 *    by reason.
 * 3. Map: every file is read again and each resource mapped (core fhir/map.ts) to rows, written as
 *    CSV in OpenPHM's documented schema into the run's private working folder. Problems (an invalid
 *    code, a reference to a resource not in the files, a malformed date) are collected with file,
 *    line, resource id and element path; any problem rejects the load.
 * 4. Build: the CSV files are loaded and checked by the same build as `phm import DIR` (build.ts),
 *    into a new database renamed over the old one only when complete: a rejected or interrupted load
 *    (even kill -9) leaves the stored database as it was.
 * The report says what was read (resources per type and file), mapped (rows per table), unmapped
 * (by code system and code, with counts), excluded (people by reason) and rejected.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FhirRegistry,
  IDENTITY_TABLE,
  InputError,
  TABLES,
  TABLE_NAMES,
  UserError,
  decidePerson,
  digestSubject,
  REFERENCE_ONLY_TYPES,
  mapResource,
  patientFacts,
  typeAndIdProblem,
  type ExclusionReason,
  type FhirLocation,
  type MappedRow,
  type PatientFacts,
  type PersonOutcome,
  type ResidenceContext,
  type RowValue,
  type TableName,
} from '@openphm/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildDatabase, type BuildOptions, type BuildSummary } from '../build.js';
import { ACTIVITY_DAY, windowOfSpan } from '../activity-window.js';
import { filesOf, readInputEntries } from '../csv-input.js';
import { SOURCE_KEYS } from '../incremental.js';
import { ident, literal } from '../sql.js';
import { checkStagedTable, dropStaged, stageTable, typedColumnsSql, type CheckContext, type CheckedTableDefinition, type StagedTable } from '../validate.js';
import { discoverFhirFiles, readFhirFile, type FhirFile } from './read.js';
import { instanceOptions } from '../database.js';
import { assignPersonIds, readPreviousPeople, type LoadedPatient, type PersonIdCounts, type PreviousPeople } from './person-ids.js';

export interface FhirRejection {
  readonly file: string;
  readonly line: number;
  readonly entry?: number;
  readonly resourceId?: string;
  readonly path: string;
  readonly problem: string;
}

export interface FhirImportReport {
  readonly source: string;
  readonly files: readonly { readonly file: string; readonly format: 'ndjson' | 'bundle'; readonly bytes: number; readonly resources: number }[];
  /** Files at the path that are neither *.json nor *.ndjson (not read). */
  readonly skippedFiles: readonly string[];
  /** Resources read per type, as the files hold them (a resource repeated with the same content counts each time). */
  readonly read: Readonly<Record<string, number>>;
  /** Distinct resources per type (repeats of the same resource counted once). */
  readonly distinct: Readonly<Record<string, number>>;
  readonly repeated: number;
  /** Bundle entries without a resource (DELETE requests). */
  readonly entriesWithoutResource: number;
  readonly people: {
    readonly read: number;
    readonly loaded: number;
    readonly excluded: Readonly<Record<ExclusionReason, number>>;
  };
  /** Resources read per type and what became of them: rows, or why none. */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Rows written per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Codes no list maps, by code system and code, most frequent first. */
  readonly unmapped: readonly { readonly system: string; readonly code: string; readonly display?: string; readonly count: number }[];
  /** Values filled with a documented default or derived another way, with counts. */
  readonly defaults: Readonly<Record<string, number>>;
  /** An incremental load's deletions (DELETE entries) by type and what became of them. */
  readonly deletions?: Readonly<Record<string, number>>;
  /** A full import over a database: how people kept their ids, or got new ones (fhir/person-ids.ts). */
  readonly personIds?: PersonIdCounts;
  readonly rejectedCount: number;
  /** The first problems found (at most MAX_REJECTIONS). */
  readonly rejected: readonly FhirRejection[];
}

export const MAX_REJECTIONS = 100;

/** A load rejected for problems in the FHIR data: the report holds every problem (up to MAX_REJECTIONS). */
export class FhirImportError extends InputError {
  readonly report: FhirImportReport;
  constructor(first: FhirRejection, report: FhirImportReport) {
    super(
      { file: first.file, line: first.line },
      `${first.resourceId !== undefined ? `resource ${first.resourceId}, ` : ''}${first.path}: ${first.problem}` +
        (report.rejectedCount > 1 ? ` (and ${report.rejectedCount - 1} more problem${report.rejectedCount > 2 ? 's' : ''}: see the report)` : ''),
    );
    this.report = report;
  }
}

export const FHIR_INDEX_STEP = 'Reading FHIR (1/2 index)';
export const FHIR_MAP_STEP = 'Reading FHIR (2/2 map)';

export interface FhirImportOptions extends Omit<BuildOptions, 'csvDir' | 'workDir'> {
  /** A FHIR file or a folder of them. */
  readonly path: string;
  /** The run's private working folder (work-dir.ts): the mapped CSV files and the new database are written there. */
  readonly workDir: string;
  readonly residence: ResidenceContext;
  /** Called with the report before the build (also when the load is rejected). */
  readonly onReport?: (report: FhirImportReport) => void;
}

/** A mapped resource's source key: a Patient's person_id, an Encounter's attendance_id or spell_id (kept in FHIR_SOURCE_KEY_TABLE). */
export interface FhirSourceKey {
  readonly key: string;
  readonly target: 'person' | 'ae_attendance' | 'hospital_spell';
  readonly id: number;
}

/** What an earlier load stored, for an incremental load's mapping (fhir/incremental.ts). */
export interface StoredFhir {
  /** The stored id a resource key (`Patient/x`, `Encounter/y`) was given, and its table. */
  readonly keyOf: (key: string) => { readonly target: FhirSourceKey['target']; readonly id: number } | undefined;
  /** A stored person's row. */
  readonly person: (personId: number) => { readonly sex: 'F' | 'M'; readonly dateOfBirth: string; readonly ethnicCategory: string; readonly lsoa: string; readonly practice: string; readonly registrationDate: string; readonly isCarer: boolean } | undefined;
  /** Of these resource keys, those whose rows are stored (the row sources). */
  readonly rowSourcesOf: (keys: readonly string[]) => Promise<ReadonlySet<string>>;
  /** The largest ids stored (new people, attendances and spells are numbered after them). */
  readonly maxIds: { readonly person: number; readonly ae_attendance: number; readonly hospital_spell: number };
}

export interface FhirMapped {
  readonly csvDir: string;
  /** The rows of the tables without a source key with the resource each came from, and (incremental) the feed's resources: FEED_RESOURCES_FILE. */
  readonly rowSourcesDir: string;
  /** Resources without a source key that an incremental load's DELETE entries delete (their stored rows go). */
  readonly deletedRowSources: readonly string[];
  readonly report: FhirImportReport;
  readonly keys: readonly FhirSourceKey[];
  /** Source keys deleted (an incremental load's DELETE entries, and people a resent Patient now excludes). */
  readonly deletedKeys: readonly string[];
  /** The earliest and latest day of the activity mapped (appointments, spells, attendances, contacts, prescriptions, deaths), when any. */
  readonly span: { readonly first: string; readonly last: string } | undefined;
}

export interface FhirImportSummary {
  readonly build: BuildSummary;
  readonly report: FhirImportReport;
}

const digestOf = (resource: unknown): string => createHash('sha1').update(JSON.stringify(resource)).digest('base64');

const csvCell = (value: RowValue): string => {
  if (value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * CSV files of the mapped rows, one per table, written in batches. Rows of the tables without a source
 * key (ROW_SOURCED_TABLES) are also written, with the key of the resource they came from, to
 * `<sources.dir>/<table>.fhir.csv` (the row sources: FHIR_ROW_SOURCE_TABLE); an incremental load's go there only.
 */
class CsvTables {
  private readonly files = new Map<string, { handle: FileHandle; columns: readonly string[]; buffer: string[]; size: number }>();
  readonly rows = new Map<string, number>();
  constructor(
    private readonly dir: string,
    private readonly sources: { readonly dir: string; readonly only: boolean },
  ) {}

  private async fileOf(name: string, path: string, columns: readonly string[]) {
    let file = this.files.get(name);
    if (file === undefined) {
      const handle = await open(path, 'w', 0o600);
      file = { handle, columns, buffer: [`${columns.join(',')}\n`], size: 0 };
      this.files.set(name, file);
    }
    return file;
  }

  private async write(file: { handle: FileHandle; columns: readonly string[]; buffer: string[]; size: number }, values: Readonly<Record<string, RowValue>>): Promise<void> {
    const line = `${file.columns.map((c) => csvCell(values[c] ?? null)).join(',')}\n`;
    file.buffer.push(line);
    file.size += line.length;
    if (file.size > 1 << 20) await this.flush(file);
  }

  /** Adds a row; `resource` (Type/id) is the resource it came from. */
  async add(row: MappedRow, resource?: string): Promise<void> {
    const columns = (row.table === 'identity' ? IDENTITY_TABLE : TABLES[row.table as TableName]).columns.map((c) => c.name);
    const sourced = resource !== undefined && ROW_SOURCED_TABLES.includes(row.table as TableName);
    if (sourced) {
      const file = await this.fileOf(`${row.table}${ROW_SOURCE_SUFFIX}`, join(this.sources.dir, `${row.table}${ROW_SOURCE_SUFFIX}.csv`), [...columns, ROW_SOURCE_COLUMN]);
      await this.write(file, { ...row.values, [ROW_SOURCE_COLUMN]: resource });
    }
    if (!sourced || !this.sources.only) await this.write(await this.fileOf(row.table, join(this.dir, `${row.table}.csv`), columns), row.values);
    this.rows.set(row.table, (this.rows.get(row.table) ?? 0) + 1);
  }

  private async flush(file: { handle: FileHandle; buffer: string[]; size: number }): Promise<void> {
    await file.handle.write(file.buffer.join(''));
    file.buffer = [];
    file.size = 0;
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) {
      await this.flush(file);
      await file.handle.close();
    }
  }
}

const increment = (map: Record<string, number>, key: string, by = 1): void => {
  map[key] = (map[key] ?? 0) + by;
};

const sortedRecord = (map: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The table the source keys of a FHIR import are kept in (hashed with the record key salt: never the ids as sent). */
export const FHIR_SOURCE_KEY_TABLE = 'fhir_source_key';

/**
 * The row sources: which rows of the tables without a source key (the coded events, prescriptions,
 * appointments, contacts) each resource gave (its key hashed with the record key salt, the person, and a
 * hash of the row's values), so that a feed that sends a resource again replaces its rows, a DELETE of it
 * removes them, and loading the same feed twice changes nothing (fhir/incremental.ts).
 */
export const FHIR_ROW_SOURCE_TABLE = 'fhir_row_source';
/** The tables whose FHIR rows are known by the resource they came from. */
export const ROW_SOURCED_TABLES: readonly TableName[] = TABLE_NAMES.filter((t) => SOURCE_KEYS[t].kind === 'row');
const ROW_SOURCE_SUFFIX = '.fhir';
const ROW_SOURCE_COLUMN = 'fhir_resource';
/** The keys of the resources an incremental load's feed sends (any type but Patient), in the row sources' folder. */
export const FEED_RESOURCES_FILE = 'resources.csv';

/** A table's row-source file: its columns and the resource each row came from. */
const rowSourceDefinition = (table: TableName): CheckedTableDefinition => ({
  ...TABLES[table],
  name: `${table}${ROW_SOURCE_SUFFIX}`,
  description: `Rows of ${table} with the FHIR resource each came from`,
  primaryKey: undefined,
  uniqueKeys: undefined,
  columns: [...TABLES[table].columns, { name: ROW_SOURCE_COLUMN, type: 'varchar', description: 'The resource (Type/id) the row came from.' }],
});

/** A hash of a stored row's values (the same for the typed row of a row-source file). */
export const rowHashSql = (table: TableName, alias?: string): string => `hash(${TABLES[table].columns.map((c) => `${alias === undefined ? '' : `${alias}.`}${ident(c.name)}`).join(', ')})`;

/** A resource key as the row sources keep it: MD5 (as a number) of the record key salt, ':' and the key. */
export const rowSourceKeySql = (salt: string, expression: string): string => `md5_number(${literal(`${salt}:`)} || ${expression})`;

/** The name of the temporary table stageRowSources makes for a table. */
export const stagedRowsOf = (table: TableName): string => ident(`fhir_rows_${table}`);

/**
 * Reads a mapping's row-source files as text into staging tables (before any transaction: their rowids
 * number the rows for messages, validate.ts). Returns them by table.
 */
export const stageRowSourceFiles = async (connection: DuckDBConnection, dir: string): Promise<Map<TableName, StagedTable>> => {
  const entries = await readInputEntries(dir);
  const found = new Map<TableName, StagedTable>();
  for (const table of ROW_SOURCED_TABLES) {
    const def = rowSourceDefinition(table);
    const files = await filesOf(dir, entries, def, false);
    if (files.length > 0) found.set(table, await stageTable(connection, { def, files }));
  }
  return found;
};

/**
 * Types the staged row sources into temporary tables (stagedRowsOf: the table's typed columns, `_resource`
 * the hashed resource key, `_h` the row hash), checked as a table's rows are when `context` is given.
 */
export const typeRowSources = async (connection: DuckDBConnection, staged: ReadonlyMap<TableName, StagedTable>, salt: string, context?: CheckContext): Promise<void> => {
  for (const [table, rows] of staged) {
    if (context !== undefined) await checkStagedTable(connection, rows, context);
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${stagedRowsOf(table)} AS SELECT * EXCLUDE (${ident(ROW_SOURCE_COLUMN)}), ${rowHashSql(table)} AS _h, ` +
        `${rowSourceKeySql(salt, ident(ROW_SOURCE_COLUMN))} AS _resource FROM (SELECT ${typedColumnsSql(rows.def)} FROM ${rows.sqlName})`,
    );
    await dropStaged(connection, rows);
  }
};

/** Creates the row sources' table when missing. */
export const createRowSourceTable = async (connection: DuckDBConnection): Promise<void> => {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${FHIR_ROW_SOURCE_TABLE} (table_name VARCHAR NOT NULL, resource UHUGEINT NOT NULL, person_id BIGINT NOT NULL, row_hash UBIGINT NOT NULL)`,
  );
};

/** SQL of the hashed keys of the resources an incremental load's feed sends or deletes (FEED_RESOURCES_FILE). */
export const feedResourcesSql = (dir: string, salt: string): string =>
  `SELECT DISTINCT ${rowSourceKeySql(salt, 'resource')} AS resource FROM read_csv(${literal(join(dir, FEED_RESOURCES_FILE))}, header = true, auto_detect = false, columns = {'resource': 'VARCHAR'}, quote = '"', escape = '"')`;

/** Stores the row sources of a mapping's files (the full import: every row of the tables without a source key). */
export const storeRowSources = async (connection: DuckDBConnection, dir: string, salt: string): Promise<void> => {
  await createRowSourceTable(connection);
  const staged = await stageRowSourceFiles(connection, dir);
  await typeRowSources(connection, staged, salt);
  for (const table of staged.keys()) {
    // By person: their ids then compress to almost nothing (the hashes do not compress).
    await connection.run(`INSERT INTO ${FHIR_ROW_SOURCE_TABLE} SELECT ${literal(table)}, _resource, person_id, _h FROM ${stagedRowsOf(table)} ORDER BY person_id, _resource, _h`);
    await connection.run(`DROP TABLE ${stagedRowsOf(table)}`);
  }
};

/** A source key as stored: SHA-256 of the database's record key salt, ':' and the key (DuckDB's sha256 gives the same). */
export const hashSourceKey = (salt: string, key: string): string => createHash('sha256').update(`${salt}:${key}`, 'utf8').digest('hex');


export interface FhirMapOptions {
  readonly path: string;
  readonly workDir: string;
  readonly residence: ResidenceContext;
  readonly onProgress?: FhirImportOptions['onProgress'];
  readonly onReport?: FhirImportOptions['onReport'];
  /** An incremental load: what the database stores (references to it resolve; DELETE entries are applied). */
  readonly stored?: StoredFhir;
  /** A full import over a database: its people, whose ids are kept (person-ids.ts). */
  readonly previous?: PreviousPeople;
}

const TARGET_OF: Partial<Record<string, FhirSourceKey['target']>> = { person: 'person', ae_attendance: 'ae_attendance', hospital_spell: 'hospital_spell' };

/** Reads, checks and maps FHIR files into CSV files of the import schema (all problems collected; a FhirImportError when there is any). */
export const mapFhir = async (options: FhirMapOptions): Promise<FhirMapped> => {
  const stored = options.stored;
  const { files, skipped } = await discoverFhirFiles(options.path);
  const totalBytes = Math.max(1, files.reduce((s, f) => s + f.bytes, 0));
  const progress = (step: string) => {
    let done = 0;
    options.onProgress?.({ step, done: 0, total: totalBytes });
    return (bytes: number) => {
      done += bytes;
      options.onProgress?.({ step, done: Math.min(done, totalBytes), total: totalBytes });
    };
  };

  const registry = new FhirRegistry();
  const rejected: FhirRejection[] = [];
  let rejectedCount = 0;
  const reject = (location: FhirLocation, path: string, problem: string, resourceId?: string) => {
    rejectedCount++;
    if (rejected.length < MAX_REJECTIONS) {
      rejected.push({ file: location.file, line: location.line, ...(location.entry !== undefined ? { entry: location.entry } : {}), ...(resourceId !== undefined ? { resourceId } : {}), path, problem });
    }
  };
  const read: Record<string, number> = {};
  const perFile = new Map<string, number>();
  let repeated = 0;
  let entriesWithoutResource = 0;
  const facts = new Map<string, PatientFacts>();
  if (stored !== undefined) registry.setStored((key) => stored.keyOf(key) !== undefined);
  /** DELETE entries of an incremental load: resource key → where. */
  const deletes = new Map<string, FhirLocation>();
  const deletions: Record<string, number> = {};

  // 1. Index.
  const indexBytes = progress(FHIR_INDEX_STEP);
  for (const file of files) {
    let count = 0;
    for await (const item of readFhirFile(file, indexBytes)) {
      if (item.kind === 'problem') {
        reject(item.problem.location, item.problem.path, item.problem.problem, item.problem.resourceId);
        continue;
      }
      if (item.kind === 'no-resource') {
        entriesWithoutResource++;
        if (stored !== undefined && item.request?.method.toUpperCase() === 'DELETE') {
          const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(item.request.url);
          const path = `Bundle.entry[${item.location.entry ?? 0}].request.url`;
          if (m === null) reject(item.location, path, `'${item.request.url}' is not a Type/id to delete`);
          else {
            const key = `${m[1]}/${m[2]}`;
            if (deletes.has(key)) reject(item.location, path, `${key} is deleted twice in this load`);
            deletes.set(key, item.location);
          }
        }
        continue;
      }
      count++;
      const { resource, location } = item;
      const prefix = location.entry !== undefined ? `Bundle.entry[${location.entry}].resource.` : '';
      const problem = typeAndIdProblem(resource);
      if (problem !== undefined) {
        reject(location, problem.path.startsWith('(') ? problem.path : `${prefix}${problem.path}`, problem.problem, typeof resource?.id === 'string' ? resource.id : undefined);
        continue;
      }
      const type = resource.resourceType as string;
      increment(read, type);
      const added = registry.add(resource, location, digestOf(digestSubject(resource)), item.fullUrl);
      if (added.kind === 'duplicate') {
        reject(location, `${type}.id`, `duplicate id: ${added.key} is also at ${added.first.file} line ${added.first.line}, with different content${REFERENCE_ONLY_TYPES.includes(type) ? " (different identifiers)" : ""}`, resource.id as string);
      } else if (added.kind === 'repeat') repeated++;
      else {
        registry.note(resource);
        if (type === 'Patient') facts.set(added.key, patientFacts(resource));
      }
    }
    perFile.set(file.name, count);
  }
  registry.settle();
  for (const [key, location] of deletes) {
    if (registry.has(key)) reject(location, `Bundle.entry[${location.entry ?? 0}].request`, `${key} is both deleted and sent in this load`);
  }

  // 2. Decide who is loaded.
  const outcomes = new Map<string, PersonOutcome>();
  const excluded = Object.fromEntries((['no-postcode', 'outside-partnership', 'no-partnership-practice', 'no-birth-date', 'sex-not-male-or-female'] as const).map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const deletedKeys: string[] = [];
  let nextPersonId = stored?.maxIds.person ?? 0;
  for (const [key, f] of facts) {
    let outcome = decidePerson(key, f, registry, options.residence);
    const before = stored?.keyOf(key);
    const storedPerson = before !== undefined ? stored!.person(before.id) : undefined;
    if (outcome.kind === 'person' && stored !== undefined) {
      if (before !== undefined && storedPerson !== undefined) {
        // A person loaded before keeps their id; without a registration episode in the feed their registration date stays
        // (the feed holds a month, not their first encounter); a carer stays a carer.
        const episode = registry.episodeStarts.get(key);
        const keep = (episode === undefined || episode.organisation !== outcome.practice) && storedPerson.practice === outcome.practice;
        outcome = { ...outcome, personId: before.id, ...(keep ? { registrationDate: storedPerson.registrationDate, sources: [...outcome.sources.filter((x) => !x.startsWith('registration-')), 'registration-stored'] } : {}) };
        if (storedPerson.isCarer) registry.carers.add(key);
      } else outcome = { ...outcome, personId: ++nextPersonId };
    } else if (outcome.kind === 'excluded' && before !== undefined) {
      // Stored, and no longer one of the partnership's people (moved away, re-registered elsewhere): deleted, as a full import would leave them out.
      deletedKeys.push(key);
      increment(deletions, 'Patient: now excluded, deleted');
    }
    outcomes.set(key, outcome);
    if (outcome.kind === 'excluded') excluded[outcome.reason]++;
  }
  // A full import over a database: each person keeps the id they had (by source key, else NHS number); new people are numbered after the largest id ever given.
  let personIds: PersonIdCounts | undefined;
  if (stored === undefined && options.previous !== undefined) {
    const loaded: LoadedPatient[] = [];
    for (const [key, outcome] of outcomes) {
      if (outcome.kind !== 'person') continue;
      const nhsNumber = facts.get(key)?.nhsNumber;
      loaded.push({ key, sex: outcome.sex, dateOfBirth: outcome.dateOfBirth, ...(nhsNumber !== undefined ? { nhsNumber } : {}) });
    }
    const assigned = assignPersonIds(loaded, options.previous);
    for (const { key } of loaded) outcomes.set(key, { ...(outcomes.get(key) as PersonOutcome & { kind: 'person' }), personId: assigned.ids.get(key)! });
    personIds = assigned.counts;
  }
  // A DELETE of a Patient or of an Encounter with a source key deletes by it; of any other resource, the rows it gave (its row sources).
  const deletedRowSources: string[] = [];
  const withRows = stored !== undefined && deletes.size > 0 ? await stored.rowSourcesOf([...deletes.keys()].filter((k) => stored.keyOf(k) === undefined)) : new Set<string>();
  for (const key of deletes.keys()) {
    if (stored?.keyOf(key) !== undefined) {
      deletedKeys.push(key);
      increment(deletions, `${key.slice(0, key.indexOf('/'))}: deleted`);
    } else if (withRows.has(key)) {
      deletedRowSources.push(key);
      increment(deletions, `${key.slice(0, key.indexOf('/'))}: deleted`);
    } else increment(deletions, `${key.slice(0, key.indexOf('/'))}: not stored`);
  }
  const storedOutcome = (key: string): PersonOutcome | undefined => {
    // A person this load deletes: what the feed says of them goes with them (counted as person-excluded).
    if (deletes.has(key)) return undefined;
    const before = stored?.keyOf(key);
    const row = before?.target === 'person' ? stored!.person(before.id) : undefined;
    return row !== undefined ? { kind: 'person', personId: before!.id, sex: row.sex, dateOfBirth: row.dateOfBirth, lsoa: row.lsoa, practice: row.practice, registrationDate: row.registrationDate, sources: ['stored'] } : undefined;
  };

  const unmapped = new Map<string, { system: string; code: string; display?: string; count: number }>();
  const defaults: Record<string, number> = {};
  const resourceOutcomes: Record<string, Record<string, number>> = {};
  const report = (tables?: CsvTables): FhirImportReport => ({
    source: options.path,
    files: files.map((f) => ({ file: f.name, format: f.format, bytes: f.bytes, resources: perFile.get(f.name) ?? 0 })),
    skippedFiles: skipped,
    read: sortedRecord(read),
    distinct: sortedRecord(Object.fromEntries(registry.counts)),
    repeated,
    entriesWithoutResource,
    people: { read: facts.size, loaded: [...outcomes.values()].filter((o) => o.kind === 'person').length, excluded },
    outcomes: Object.fromEntries(Object.entries(resourceOutcomes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, m]) => [t, sortedRecord(m)])),
    rows: tables ? sortedRecord(Object.fromEntries(tables.rows)) : {},
    unmapped: [...unmapped.values()].sort((a, b) => b.count - a.count || (a.system < b.system ? -1 : a.system > b.system ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    defaults: sortedRecord(defaults),
    ...(stored !== undefined ? { deletions: sortedRecord(deletions) } : {}),
    ...(personIds !== undefined ? { personIds } : {}),
    rejectedCount,
    rejected,
  });
  const fail = (tables?: CsvTables): never => {
    const r = report(tables);
    options.onReport?.(r);
    throw new FhirImportError(rejected[0]!, r);
  };
  if (rejectedCount > 0) fail();

  // 3. Map.
  const csvDir = join(options.workDir, 'fhir-csv');
  mkdirSync(csvDir, { recursive: true, mode: 0o700 });
  // The rows of the tables without a source key, with the resource each came from (FHIR_ROW_SOURCE_TABLE).
  const rowSourcesDir = join(options.workDir, 'fhir-rows');
  mkdirSync(rowSourcesDir, { recursive: true, mode: 0o700 });
  const tables = new CsvTables(csvDir, { dir: rowSourcesDir, only: stored !== undefined });
  /** An incremental load: every resource the feed sends (its earlier rows are replaced by what it gives now, even nothing) and those it deletes. */
  const feedResources: string[] = [...deletedRowSources];
  const ids = { ae_attendance: stored?.maxIds.ae_attendance ?? 0, hospital_spell: stored?.maxIds.hospital_spell ?? 0 };
  const nhsNumbers = new Map<string, string>();
  const keys: FhirSourceKey[] = [];
  let current = '';
  let firstDay: string | undefined;
  let lastDay: string | undefined;
  const context = {
    registry,
    person: (key: string) => outcomes.get(key) ?? storedOutcome(key),
    // An Encounter loaded before keeps its attendance or spell id (its row is replaced); a new one is numbered after the stored.
    nextId: (table: 'ae_attendance' | 'hospital_spell') => {
      const before = stored?.keyOf(current);
      return before !== undefined && before.target === table ? before.id : ++ids[table];
    },
  };
  const mapBytes = progress(FHIR_MAP_STEP);
  try {
    for (const file of files) {
      for await (const item of readFhirFile(file, mapBytes)) {
        if (item.kind !== 'resource') continue;
        const { resource, location } = item;
        const type = resource.resourceType as string;
        const key = `${type}/${resource.id as string}`;
        const first = registry.locationOf(key);
        const outcomesOfType = (resourceOutcomes[type] ??= {});
        if (first === undefined || first.file !== location.file || first.line !== location.line || first.entry !== location.entry) {
          increment(outcomesOfType, 'repeat');
          continue;
        }
        current = key;
        if (stored !== undefined && type !== 'Patient') feedResources.push(key);
        const result = mapResource(resource, context);
        const prefix = location.entry !== undefined ? `Bundle.entry[${location.entry}].resource.` : '';
        for (const p of result.problems) reject(location, `${prefix}${p.path}`, p.problem, resource.id as string);
        if (result.problems.length > 0) {
          increment(outcomesOfType, 'rejected');
          continue;
        }
        for (const u of result.unmapped) {
          const k = `${u.system}|${u.code}`;
          const entry = unmapped.get(k) ?? unmapped.set(k, { system: u.system, code: u.code, ...(u.display !== undefined ? { display: u.display } : {}), count: 0 }).get(k)!;
          entry.count++;
        }
        for (const d of result.defaults) increment(defaults, d);
        if (result.skipped !== undefined) increment(outcomesOfType, `not loaded: ${result.skipped}`);
        for (const row of result.rows) {
          if (row.table === 'identity') {
            const nhs = String(row.values.nhs_number);
            const other = nhsNumbers.get(nhs);
            if (other !== undefined) {
              reject(location, `${prefix}Patient.identifier`, `NHS number ${nhs} is also the NHS number of ${other}`, resource.id as string);
              continue;
            }
            nhsNumbers.set(nhs, key);
          }
          increment(outcomesOfType, row.table);
          const target = TARGET_OF[row.table];
          if (target !== undefined) keys.push({ key, target, id: Number(row.values[target === 'person' ? 'person_id' : target === 'ae_attendance' ? 'attendance_id' : 'spell_id']) });
          const column = ACTIVITY_DAY[row.table as TableName];
          const day = column !== undefined ? String(row.values[column] ?? '').slice(0, 10) : '';
          if (day !== '') {
            if (firstDay === undefined || day < firstDay) firstDay = day;
            if (lastDay === undefined || day > lastDay) lastDay = day;
          }
          await tables.add(row, key);
        }
      }
    }
    if (stored !== undefined) {
      const handle = await open(join(rowSourcesDir, FEED_RESOURCES_FILE), 'w', 0o600);
      try {
        await handle.write(`resource\n${feedResources.map((k) => `${csvCell(k)}\n`).join('')}`);
      } finally {
        await handle.close();
      }
    }
    // An incremental load: what the feed says of people loaded before whose Patient it does not send again
    // (a carer code recorded, a registration episode at their practice) changes their row, as a full import would.
    if (stored !== undefined) {
      const changedPeople = new Map<string, { carer?: true; registration?: string }>();
      for (const key of registry.carers) if (!facts.has(key)) changedPeople.set(key, { carer: true });
      for (const [key, episode] of registry.episodeStarts) {
        if (!facts.has(key)) changedPeople.set(key, { ...changedPeople.get(key), registration: episode.start });
      }
      for (const [key, change] of changedPeople) {
        const before = stored.keyOf(key);
        const row = before?.target === 'person' ? stored.person(before.id) : undefined;
        if (row === undefined) continue;
        const episode = registry.episodeStarts.get(key);
        const registration = change.registration !== undefined && episode?.organisation === row.practice ? (change.registration < row.dateOfBirth ? row.dateOfBirth : change.registration) : row.registrationDate;
        const carer = row.isCarer || change.carer === true;
        if (carer === row.isCarer && registration === row.registrationDate) continue;
        increment(defaults, 'person.updated-without-its-patient');
        await tables.add({
          table: 'person',
          values: {
            person_id: before!.id,
            sex: row.sex,
            date_of_birth: row.dateOfBirth,
            ethnic_category: row.ethnicCategory,
            lsoa_code: row.lsoa,
            practice_code: row.practice,
            registration_date: registration,
            is_carer: carer,
          },
        });
      }
    }
  } finally {
    await tables.close();
  }
  if (rejectedCount > 0) fail(tables);
  const finalReport = report(tables);
  options.onReport?.(finalReport);
  if (stored === undefined && (tables.rows.get('person') ?? 0) === 0) {
    const reasons = Object.entries(excluded).filter(([, n]) => n > 0).map(([r, n]) => `${n} ${r}`).join(', ');
    throw new UserError(
      `no person could be loaded from ${options.path}: ${facts.size} Patient resource${facts.size === 1 ? '' : 's'} read${reasons ? `, excluded: ${reasons}` : ''}. ` +
        'People must live at a partnership postcode and be registered with a partnership practice; for synthetic data from generators outside England (Synthea) use --synthetic-residence.',
      'invalid-input',
    );
  }

  return { csvDir, rowSourcesDir, report: finalReport, keys, deletedKeys, deletedRowSources, span: firstDay !== undefined && lastDay !== undefined ? { first: firstDay, last: lastDay } : undefined };
};

/** Writes the source keys as CSV (raw keys: the run's private folder only), for DuckDB to hash and store. */
export const writeSourceKeys = async (file: string, keys: readonly FhirSourceKey[]): Promise<void> => {
  const handle = await open(file, 'w', 0o600);
  try {
    const lines = ['resource,target,id'];
    for (const k of keys) lines.push(`${csvCell(k.key)},${k.target},${k.id}`);
    await handle.write(`${lines.join('\n')}\n`);
  } finally {
    await handle.close();
  }
};

/** SQL reading a source keys CSV, each key hashed with the salt. */
export const sourceKeysSql = (file: string, salt: string): string =>
  `SELECT sha256(${literal(`${salt}:`)} || resource) AS resource, target, id FROM read_csv(${literal(file)}, header = true, columns = {'resource': 'VARCHAR', 'target': 'VARCHAR', 'id': 'BIGINT'})`;

export { dayAfter, windowOfSpan } from '../activity-window.js';

/** Reads, checks and maps FHIR files, then builds the database from the rows (all or nothing). */
export const importFhir = async (options: FhirImportOptions): Promise<FhirImportSummary> => {
  // Over a database: its people keep their ids (person-ids.ts), and those not kept are recorded as deleted by the build.
  const previous = await readPreviousPeople(options.outFile, instanceOptions({ readOnly: true, threads: options.threads ?? 1, memoryLimit: options.memoryLimit }));
  const mapped = await mapFhir({ ...options, ...(previous !== undefined ? { previous } : {}) });
  // 4. Build (the same checks and atomic swap as a CSV import), with the source keys a later incremental load needs.
  const keysFile = join(options.workDir, 'fhir-source-keys.csv');
  await writeSourceKeys(keysFile, mapped.keys);
  const { path: _path, residence: _residence, onReport: _onReport, ...buildOptions } = options;
  const window = windowOfSpan(mapped.span);
  const derived = Object.fromEntries(Object.entries(window).filter(([k]) => options.meta[k] === undefined));
  const meta = { ...derived, ...(Object.keys(derived).length > 0 ? { window_from: 'fhir-activity' } : {}), ...options.meta };
  const build = await buildDatabase({
    ...buildOptions,
    meta,
    csvDir: mapped.csvDir,
    workDir: options.workDir,
    afterLoad: async (connection, salt) => {
      await connection.run(`CREATE TABLE ${FHIR_SOURCE_KEY_TABLE} AS ${sourceKeysSql(keysFile, salt)} ORDER BY resource`);
      await storeRowSources(connection, mapped.rowSourcesDir, salt);
    },
  });
  return { build, report: mapped.report };
};

export type { FhirFile };
