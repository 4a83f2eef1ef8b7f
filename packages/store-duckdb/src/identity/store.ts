/**
 * The identity store: who each pseudonymous person is, in a DuckDB file of its own next to the
 * database (`X.identity.duckdb` beside `X.duckdb`): the identifiable zone, kept apart from the
 * person-level tables (docs/security.md, "Identity model"). It is built in the same run and private
 * working folder as the database (build.ts), from `identity.csv` or `identity/*.csv` beside the
 * tables, checked like them (every person in `person`, date of birth and sex as there, NHS numbers
 * valid modulus 11 and unique), and its meta `build_id` equals the database's, so a reader can
 * tell the two belong together. Only the care zone opens it (queries/identity.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { IDENTITY_TABLE, InternalError, UserError } from '@openphm/core';
import { connectionPool, instanceOptions, readRows, type OpenOptions, type SqlParam } from '../database.js';
import { SQL_TYPES, ident, literal } from '../sql.js';
import type { InputFile } from '../csv-input.js';
import { checkStagedTable, dropStaged, loadCheckedRows, stageTable, type CheckContext } from '../validate.js';

/** Bumped whenever the identity store's schema changes incompatibly (meta.identity_schema_version). */
export const IDENTITY_SCHEMA_VERSION = '1';

/** The identity store that belongs next to a database file: `X.identity.duckdb` for `X.duckdb` (else `X.identity.duckdb` after the name). */
export const identityFileOf = (db: string): string => {
  const name = basename(db);
  const stem = name.endsWith('.duckdb') ? name.slice(0, -'.duckdb'.length) : name;
  return join(dirname(db), `${stem}.identity.duckdb`);
};

const SCHEMA = 'identity_store';

/** The key the family name and date of birth are searched by: lower case, without accents, trimmed, then the date. */
export const nameKeySql = (familyName: string, dateOfBirth: string): string =>
  `lower(strip_accents(trim(${familyName}))) || '|' || strftime(${dateOfBirth}, '%Y-%m-%d')`;

const columnsDdl = (): string =>
  [
    ...IDENTITY_TABLE.columns.map((c) => `${ident(c.name)} ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`),
    `name_key VARCHAR NOT NULL`,
  ].join(',\n  ');

/** Normalised value of a checked text column on the way in (postcodes upper case with their space). */
const insertValue = (name: string, type: string): string => {
  const raw = ident(name);
  if (name === 'postcode') return `CASE WHEN ${raw} IS NULL THEN NULL ELSE regexp_replace(upper(replace(${raw}, ' ', '')), '^(.*)(.{3})$', '\\1 \\2') END`;
  if (type === 'varchar') return `trim(${raw})`;
  return `CAST(${raw} AS ${type})`;
};

/**
 * The stored rows (every identity column, normalised, then name_key) of a checked staging table, with
 * `_rid`, the staged row's rowid, when `withRowId` (for an incremental load's messages).
 */
export const identityRowsSql = (stagedSqlName: string, withRowId = false): string => {
  const columns = IDENTITY_TABLE.columns.map((c) => `${insertValue(c.name, SQL_TYPES[c.type])} AS ${ident(c.name)}`);
  return (
    `SELECT *, ${nameKeySql('family_name', 'date_of_birth')} AS name_key ` +
    `FROM (SELECT ${columns.join(', ')}${withRowId ? ', rowid AS _rid' : ''} FROM ${stagedSqlName})`
  );
};

export interface IdentityBuild {
  readonly rows: number;
}

/**
 * Loads the identity files into a new identity store at `file` (in the run's working folder),
 * through the database being built (`connection`: its person table checks the rows). Throws an
 * InputError naming the file, line and field of the first problem; the store is then unfinished and
 * the caller removes it.
 */
export const buildIdentityStore = async (
  connection: DuckDBConnection,
  options: { readonly file: string; readonly files: readonly InputFile[]; readonly buildId: string; readonly source: string; readonly context: CheckContext },
): Promise<IdentityBuild> => {
  await rm(options.file, { force: true });
  await connection.run(`ATTACH ${literal(options.file)} AS ${SCHEMA}`);
  try {
    await connection.run(`CREATE TABLE ${SCHEMA}.meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await connection.run(`CREATE TABLE ${SCHEMA}.${ident(IDENTITY_TABLE.name)} (\n  ${columnsDdl()}\n)`);
    await connection.run(`COMMENT ON TABLE ${SCHEMA}.${ident(IDENTITY_TABLE.name)} IS ${literal(IDENTITY_TABLE.description)}`);
    const table = `${SCHEMA}.${ident(IDENTITY_TABLE.name)}`;
    const insert = (rows: string) => `INSERT INTO ${table} ${identityRowsSql(rows)} ORDER BY nhs_number`;
    // Clean files in one pass; otherwise staged, which names the file, line and field of the first problem.
    let rows = await loadCheckedRows(connection, { def: IDENTITY_TABLE, files: options.files }, options.context, { table, insert });
    if (rows === undefined || rows === 0) {
      const staged = await stageTable(connection, { def: IDENTITY_TABLE, files: options.files });
      await checkStagedTable(connection, staged, options.context);
      await connection.run(insert(staged.sqlName));
      await dropStaged(connection, staged);
      rows = staged.rows;
    }
    // Indexes after the bulk load (faster than keeping them up to date row by row).
    await connection.run(`CREATE UNIQUE INDEX identity_person ON ${SCHEMA}.identity (person_id)`);
    await connection.run(`CREATE UNIQUE INDEX identity_nhs_number ON ${SCHEMA}.identity (nhs_number)`);
    await connection.run(`CREATE INDEX identity_name_key ON ${SCHEMA}.identity (name_key)`);
    const meta: [string, string][] = [
      ['build_id', options.buildId],
      ['identity_schema_version', IDENTITY_SCHEMA_VERSION],
      ['rows', String(rows)],
      ['source', options.source],
    ];
    await connection.run(`INSERT INTO ${SCHEMA}.meta VALUES ${meta.map(([k, v]) => `(${literal(k)}, ${literal(v)})`).join(', ')}`);
    await connection.run(`CHECKPOINT ${SCHEMA}`);
    return { rows };
  } finally {
    await connection.run(`DETACH ${SCHEMA}`);
  }
};

/** An open identity store: parameterised lookups on a few connections, and the build it belongs to. */
export interface IdentityStore {
  readonly file: string;
  readonly buildId: string;
  query<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  close(): void;
}

/**
 * Opens the identity store next to a database, read-only. Returns undefined when there is none
 * (a database without identities); throws a UserError when it is not an identity store, was built
 * by another version, or belongs to another build than `expectedBuildId` (the database's meta
 * build_id), so identities are never shown against the wrong people.
 */
export const openIdentityStore = async (
  file: string,
  expectedBuildId: string | undefined,
  options: Pick<OpenOptions, 'threads' | 'memoryLimit' | 'connections'> = {},
): Promise<IdentityStore | undefined> => {
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory()) throw new UserError(`${file} is a directory, not an identity store`, 'invalid-input');
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, instanceOptions({ ...options, readOnly: true }));
  } catch (error) {
    throw new UserError(`cannot open the identity store ${file}: ${error instanceof Error ? error.message : String(error)}`, 'invalid-input', { cause: error });
  }
  let buildId: string;
  let first: DuckDBConnection | undefined;
  try {
    first = await instance.connect();
    const tables = await readRows<{ n: number }>(
      first,
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN ('meta', 'identity')`,
    );
    if (tables[0]?.n !== 2) throw new UserError(`${file} is not an OpenPHM identity store (no meta and identity tables)`, 'invalid-input');
    const meta = new Map((await readRows<{ key: string; value: string }>(first, 'SELECT key, value FROM meta')).map((r) => [r.key, r.value]));
    if (meta.get('identity_schema_version') !== IDENTITY_SCHEMA_VERSION) {
      throw new UserError(`${file} was built by another version of OpenPHM: build the database again with 'phm generate' or 'phm import'`, 'invalid-input');
    }
    buildId = meta.get('build_id') ?? '';
    if (expectedBuildId === undefined || buildId !== expectedBuildId) {
      throw new UserError(
        `${file} belongs to another build than its database (build ${buildId || 'unknown'}, the database's ${expectedBuildId ?? 'unknown'}): ` +
          "identities are not shown; build the database again with 'phm generate' or 'phm import'",
        'conflict',
      );
    }
  } catch (error) {
    first?.closeSync();
    instance.closeSync();
    throw error;
  }
  const pool = connectionPool(instance, first, options.connections ?? 2);
  let closed = false;
  const store: IdentityStore = {
    file,
    buildId,
    query: async <T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]> => {
      if (closed) throw new InternalError(`query on closed identity store ${file}`);
      const c = await pool.acquire();
      try {
        return await readRows<T>(c, sql, params);
      } finally {
        pool.release(c);
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      pool.close();
      instance.closeSync();
    },
  };
  return store;
};
