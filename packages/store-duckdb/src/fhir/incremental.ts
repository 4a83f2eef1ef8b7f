/**
 * `phm import --fhir PATH --incremental`: a FHIR feed (Bundles or Bulk FHIR NDJSON) applied to a
 * database built by `phm import --fhir`, as an incremental load (docs/decisions/0009, docs/fhir-import.md
 * "Incremental loads"). The feed is mapped by the FHIR import's own mapping (import.ts mapFhir) into
 * CSV files of the import schema, against what the database stores, and those are applied by the CSV
 * incremental load (incremental.ts applyIncremental): the same upserts by source key, deletions, data
 * version, copy-then-swap, lock and load history. There is one writer.
 *
 * What the database must remember between FHIR loads is which person, A&E attendance and hospital
 * spell each Patient and Encounter became: the table fhir_source_key (resource key hashed with the
 * record key salt → id), written by the full FHIR import and kept up to date by each load in its
 * transaction. With it:
 * - references to Patients loaded before resolve (a month's Condition for a person of last month);
 * - a Patient sent again keeps their person_id (their row is replaced when it differs), their
 *   registration date when the feed holds no registration episode at their (unchanged) practice,
 *   and their carer flag; a new Patient is numbered after the largest person_id;
 * - an Encounter sent again keeps its attendance or spell id (a spell whose discharge came later is updated);
 * - a Bundle entry `request.method = DELETE` of `Patient/id` deletes the person and everything about
 *   them (their identity too); of `Encounter/id` its attendance or spell; of any other resource the rows
 *   it gave (below);
 * - the rows of the tables without a source key (coded events, prescriptions, appointments, contacts)
 *   are known by the resource they came from (the row sources, FHIR_ROW_SOURCE_TABLE): the mapping writes
 *   them with their resource key apart from the CSV files, and applyRowSources (in the load's transaction,
 *   after the other tables) replaces a resource's rows when they changed, adds a new resource's and
 *   removes a deleted one's, so a feed loaded twice changes nothing;
 * - a carer code or a registration episode at their practice for a person whose Patient is not sent
 *   again updates their row (is_carer, registration_date);
 * - a stored Patient the feed now excludes (moved out of the partnership, ...) is deleted, as a full
 *   import of the same data would leave them out.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, UserError, type ResidenceContext, type TableName } from '@openphm/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { applyIncremental, type IncrementalOptions, type IncrementalSummary } from '../incremental.js';
import { DELETED_PERSON_TABLE } from '../load-history.js';
import { RECORD_KEY_SALT_META } from '../record-keys.js';
import { SQL_TYPES, ident, literal } from '../sql.js';
import type { CheckContext, StagedTable } from '../validate.js';
import {
  FHIR_ROW_SOURCE_TABLE,
  FHIR_SOURCE_KEY_TABLE,
  ROW_SOURCED_TABLES,
  feedResourcesSql,
  hashSourceKey,
  mapFhir,
  rowHashSql,
  rowSourceKeySql,
  sourceKeysSql,
  stageRowSourceFiles,
  stagedRowsOf,
  typeRowSources,
  windowOfSpan,
  writeSourceKeys,
  type FhirImportReport,
  type FhirMapped,
  type StoredFhir,
} from './import.js';

export interface FhirIncrementalOptions extends Omit<IncrementalOptions, 'csvDir' | 'prepare' | 'inTransaction' | 'workDir'> {
  /** The FHIR feed: a file or a folder of Bundles / Bulk FHIR NDJSON. */
  readonly path: string;
  /** The run's private working folder (work-dir.ts). */
  readonly workDir: string;
  readonly residence: ResidenceContext;
  readonly onReport?: (report: FhirImportReport) => void;
  /** The first day of the data the feed covers, when it extends the window back (default: from the feed's activity). */
  readonly windowStart?: string;
}

export interface FhirIncrementalSummary extends IncrementalSummary {
  readonly report: FhirImportReport;
}

const readAll = async (connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> => (await connection.runAndReadAll(sql)).getRowObjectsJS();

const dayText = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** What the copy stores, for the mapping: source keys, people and the largest ids. */
const readStored = async (connection: DuckDBConnection, salt: string, dbFile: string): Promise<StoredFhir> => {
  const [exists] = await readAll(connection, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${literal(FHIR_SOURCE_KEY_TABLE)} AND schema_name = 'main'`);
  if (Number(exists?.n ?? 0) === 0) {
    throw new UserError(
      `${dbFile} was not built from FHIR (no ${FHIR_SOURCE_KEY_TABLE} table): a FHIR feed is applied to a database built by 'phm import --fhir', which keeps the Patients' and Encounters' source keys`,
      'invalid-input',
    );
  }
  const [sources] = await readAll(connection, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${literal(FHIR_ROW_SOURCE_TABLE)} AND schema_name = 'main'`);
  if (Number(sources?.n ?? 0) === 0) {
    throw new UserError(
      `${dbFile} was built from FHIR before the import kept which rows each resource gave (no ${FHIR_ROW_SOURCE_TABLE} table): build it again with 'phm import --fhir', then apply feeds`,
      'invalid-input',
    );
  }
  const keys = new Map<string, { target: 'person' | 'ae_attendance' | 'hospital_spell'; id: number }>();
  for (const r of await readAll(connection, `SELECT resource, target, id FROM ${FHIR_SOURCE_KEY_TABLE}`)) {
    keys.set(String(r.resource), { target: r.target as 'person', id: Number(r.id) });
  }
  const people = new Map<number, { sex: 'F' | 'M'; dateOfBirth: string; ethnicCategory: string; lsoa: string; practice: string; registrationDate: string; isCarer: boolean }>();
  for (const r of await readAll(connection, 'SELECT person_id, sex, date_of_birth::VARCHAR AS dob, ethnic_category, lsoa_code, practice_code, registration_date::VARCHAR AS reg, is_carer FROM person')) {
    people.set(Number(r.person_id), {
      sex: r.sex as 'F' | 'M',
      dateOfBirth: dayText(r.dob),
      ethnicCategory: String(r.ethnic_category),
      lsoa: String(r.lsoa_code),
      practice: String(r.practice_code),
      registrationDate: dayText(r.reg),
      isCarer: r.is_carer === true,
    });
  }
  // A new person never takes the id of one a load deleted: the operational store keeps (closed) records under it.
  const [deletedTable] = await readAll(connection, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${literal(DELETED_PERSON_TABLE.name)} AND schema_name = 'main'`);
  const deletedMax = Number(deletedTable?.n ?? 0) > 0 ? `, (SELECT coalesce(max(person_id), 0) FROM ${DELETED_PERSON_TABLE.name})` : '';
  const [max] = await readAll(
    connection,
    `SELECT greatest((SELECT coalesce(max(person_id), 0) FROM person), (SELECT coalesce(max(id), 0) FROM ${FHIR_SOURCE_KEY_TABLE} WHERE target = 'person')${deletedMax}) AS person, ` +
      `greatest((SELECT coalesce(max(attendance_id), 0) FROM ae_attendance), (SELECT coalesce(max(id), 0) FROM ${FHIR_SOURCE_KEY_TABLE} WHERE target = 'ae_attendance')) AS ae, ` +
      `greatest((SELECT coalesce(max(spell_id), 0) FROM hospital_spell), (SELECT coalesce(max(id), 0) FROM ${FHIR_SOURCE_KEY_TABLE} WHERE target = 'hospital_spell')) AS spell`,
  );
  return {
    keyOf: (key) => keys.get(hashSourceKey(salt, key)),
    person: (id) => people.get(id),
    rowSourcesOf: async (asked) => {
      if (asked.length === 0) return new Set<string>();
      const found = await readAll(
        connection,
        `SELECT k.key FROM (VALUES ${asked.map((k) => `(${literal(k)})`).join(', ')}) k(key) WHERE ${rowSourceKeySql(salt, 'k.key')} IN (SELECT resource FROM ${FHIR_ROW_SOURCE_TABLE})`,
      );
      return new Set(found.map((r) => String(r.key)));
    },
    maxIds: { person: Number(max?.person ?? 0), ae_attendance: Number(max?.ae ?? 0), hospital_spell: Number(max?.spell ?? 0) },
  };
};

/** CSV of the deletions the mapping decided (people, attendances, spells by their stored ids). */
const writeDeletes = async (csvDir: string, stored: StoredFhir, deleted: readonly string[]): Promise<void> => {
  const { writeFile } = await import('node:fs/promises');
  const by: Record<'person' | 'ae_attendance' | 'hospital_spell', number[]> = { person: [], ae_attendance: [], hospital_spell: [] };
  for (const key of deleted) {
    const k = stored.keyOf(key);
    if (k !== undefined) by[k.target].push(k.id);
  }
  const column = { person: 'person_id', ae_attendance: 'attendance_id', hospital_spell: 'spell_id' } as const;
  for (const [table, ids] of Object.entries(by) as ['person' | 'ae_attendance' | 'hospital_spell', number[]][]) {
    if (ids.length > 0) await writeFile(join(csvDir, `${table}.deletes.csv`), `${column[table]}\n${[...new Set(ids)].sort((a, b) => a - b).join('\n')}\n`, { mode: 0o600 });
  }
};

/**
 * The rows of the tables without a source key, by the resource they came from (FHIR_ROW_SOURCE_TABLE):
 * for each resource the feed sends or deletes whose rows differ from those stored for it (a new resource,
 * a correction, one that now gives no row, a DELETE), the stored rows go (one copy each, by person and row
 * hash) and the new ones are added, every copy; a resource sent again unchanged changes nothing. Rows of
 * people deleted by the load are gone with them, and so are their row sources.
 */
const applyRowSources = async (
  connection: DuckDBConnection,
  dir: string,
  rows: ReadonlyMap<TableName, StagedTable>,
  salt: string,
  changes: Record<string, { inserted: number; updated: number; deleted: number }>,
  context: CheckContext,
): Promise<void> => {
  await typeRowSources(connection, rows, salt, context);
  const staged = new Set(rows.keys());
  await connection.run(`CREATE OR REPLACE TEMP TABLE fhir_feed_resources AS ${feedResourcesSql(dir, salt)}`);
  for (const table of ROW_SOURCED_TABLES) {
    const def = TABLES[table];
    const columns = def.columns.map((c) => ident(c.name));
    const fresh = staged.has(table) ? stagedRowsOf(table) : `(SELECT ${def.columns.map((c) => `NULL::${SQL_TYPES[c.type]} AS ${ident(c.name)}`).join(', ')}, NULL::UBIGINT AS _h, NULL::UHUGEINT AS _resource WHERE false)`;
    // Resources whose rows in this table change: the stored and the new multisets of row hashes differ.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE fhir_changed AS ` +
        `WITH s AS (SELECT resource, string_agg(row_hash::VARCHAR, ',' ORDER BY row_hash) AS sig FROM ${FHIR_ROW_SOURCE_TABLE} ` +
        `WHERE table_name = ${literal(table)} AND resource IN (SELECT resource FROM fhir_feed_resources) GROUP BY resource), ` +
        `n AS (SELECT _resource AS resource, string_agg(_h::VARCHAR, ',' ORDER BY _h) AS sig FROM ${fresh} GROUP BY _resource) ` +
        `SELECT coalesce(s.resource, n.resource) AS resource FROM s FULL JOIN n ON s.resource = n.resource WHERE s.sig IS DISTINCT FROM n.sig`,
    );
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE fhir_remove AS SELECT person_id, row_hash, count(*) AS k FROM ${FHIR_ROW_SOURCE_TABLE} ` +
        `WHERE table_name = ${literal(table)} AND resource IN (SELECT resource FROM fhir_changed) GROUP BY ALL`,
    );
    changes[table]!.deleted += Number(
      (
        await connection.run(
          `DELETE FROM ${ident(table)} WHERE rowid IN (SELECT x.rid FROM (SELECT rowid AS rid, person_id, ${rowHashSql(table)} AS h, ` +
            `row_number() OVER (PARTITION BY person_id, ${rowHashSql(table)} ORDER BY rowid) AS n FROM ${ident(table)} WHERE person_id IN (SELECT person_id FROM fhir_remove)) x ` +
            `JOIN fhir_remove r ON r.person_id = x.person_id AND r.row_hash = x.h AND x.n <= r.k)`,
        )
      ).rowsChanged,
    );
    await connection.run(`DELETE FROM ${FHIR_ROW_SOURCE_TABLE} WHERE table_name = ${literal(table)} AND resource IN (SELECT resource FROM fhir_changed)`);
    if (!staged.has(table)) continue;
    changes[table]!.inserted += Number(
      (await connection.run(`INSERT INTO ${ident(table)} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${fresh} WHERE _resource IN (SELECT resource FROM fhir_changed) ORDER BY ${[...def.orderBy.map(ident), ...columns].join(', ')}`)).rowsChanged,
    );
    await connection.run(`INSERT INTO ${FHIR_ROW_SOURCE_TABLE} SELECT ${literal(table)}, _resource, person_id, _h FROM ${fresh} WHERE _resource IN (SELECT resource FROM fhir_changed) ORDER BY person_id, _resource, _h`);
    await connection.run(`DROP TABLE ${fresh}`);
  }
  // People the load deleted took their rows with them (incremental.ts): their row sources go too.
  await connection.run(`DELETE FROM ${FHIR_ROW_SOURCE_TABLE} WHERE person_id NOT IN (SELECT person_id FROM person)`);
};

/** Applies a FHIR feed to a database built from FHIR (see the module comment): all or nothing, as a new data version. */
export const importFhirIncremental = async (options: FhirIncrementalOptions): Promise<FhirIncrementalSummary> => {
  const { path, residence, onReport, windowStart: givenStart, workDir, ...rest } = options;
  const feedDir = join(workDir, 'fhir-feed');
  const keysFile = join(workDir, 'fhir-source-keys.csv');
  let mapped: FhirMapped | undefined;
  let salt = '';
  let rowSources: ReadonlyMap<TableName, StagedTable> = new Map();
  const summary = await applyIncremental({
    ...rest,
    workDir,
    csvDir: feedDir,
    source: options.source ?? 'import fhir-r4',
    loadedFrom: path,
    prepare: async (connection, meta) => {
      salt = meta.get(RECORD_KEY_SALT_META) ?? '';
      const stored = await readStored(connection, salt, options.dbFile);
      mapped = await mapFhir({ path, workDir, residence, stored, ...(rest.onProgress !== undefined ? { onProgress: rest.onProgress } : {}), ...(onReport !== undefined ? { onReport } : {}) });
      mkdirSync(feedDir, { recursive: true, mode: 0o700 });
      // The mapping writes its tables as <table>.csv in its own folder: those are the upserts.
      const { rename } = await import('node:fs/promises');
      for (const name of readdirSync(mapped.csvDir)) await rename(join(mapped.csvDir, name), join(feedDir, name));
      await writeDeletes(feedDir, stored, mapped.deletedKeys);
      await writeSourceKeys(keysFile, mapped.keys);
      if (Object.values(mapped.report.rows).every((n) => n === 0) && mapped.deletedKeys.length === 0 && mapped.deletedRowSources.length === 0) {
        throw new UserError(`${path}: nothing to load (no resource of the feed gives a row or a deletion)`, 'invalid-input');
      }
      // Read before the load's transaction, as every file of a load is (their rowids number the rows for messages).
      rowSources = await stageRowSourceFiles(connection, mapped.rowSourcesDir);
      const window = windowOfSpan(mapped.span);
      const start = givenStart ?? window.window_start;
      return { ...(start !== undefined ? { windowStart: start } : {}), ...(window.window_end !== undefined ? { windowEnd: window.window_end } : {}) };
    },
    inTransaction: async (connection, { changes, context }) => {
      await applyRowSources(connection, mapped!.rowSourcesDir, rowSources, salt, changes, context);
      // New keys (a resent resource's key is stored already, with the same id); keys of rows no longer stored go.
      await connection.run(`CREATE OR REPLACE TEMP TABLE inc_fhir_keys AS ${sourceKeysSql(keysFile, salt)}`);
      await connection.run(`INSERT INTO ${FHIR_SOURCE_KEY_TABLE} SELECT DISTINCT n.* FROM inc_fhir_keys n ANTI JOIN ${FHIR_SOURCE_KEY_TABLE} s ON s.resource = n.resource ORDER BY n.resource`);
      await connection.run(
        `DELETE FROM ${FHIR_SOURCE_KEY_TABLE} WHERE (target = 'person' AND id NOT IN (SELECT person_id FROM person)) ` +
          `OR (target = 'ae_attendance' AND id NOT IN (SELECT attendance_id FROM ae_attendance)) OR (target = 'hospital_spell' AND id NOT IN (SELECT spell_id FROM hospital_spell))`,
      );
    },
  }).catch((error: unknown) => {
    if (error instanceof UserError && /nothing to load/.test(error.message) && mapped !== undefined) {
      throw new UserError(`${path}: nothing to load (no resource of the feed gives a row or a deletion)`, 'invalid-input');
    }
    throw error;
  });
  return { ...summary, report: mapped!.report };
};
