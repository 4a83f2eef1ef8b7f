/**
 * The operational store (users, sessions, audit): PostgreSQL. Embedded PGlite by default (a folder,
 * or memory when no folder is given); a real PostgreSQL server when a connection URL is given.
 * Both are reached through the same small interface, so every query is plain PostgreSQL SQL.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { UserError } from '@openphm/core';
import { acquireStoreLock } from '@openphm/store-duckdb';
import { MIGRATIONS, migrate } from './migrations.js';

export type { OperationalDb, Queryable, SqlParam } from './types.js';
import type { OperationalDb, Queryable, SqlParam } from './types.js';

export interface OperationalOptions {
  /** postgres://… connection URL of a PostgreSQL server; when absent the embedded PGlite is used. */
  readonly url?: string;
  /** PGlite data folder (created if needed); when absent PGlite keeps everything in memory. */
  readonly dataDir?: string;
  /** Schema holding the tables (default `openphm`); created if it does not exist. */
  readonly schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const checkSchemaName = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) throw new UserError(`schema name must be lower-case letters, digits and _, got '${schema}'`);
  return schema;
};

/** The URL without its password, for messages. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
};

const READ_ONLY = /^\s*SELECT\b/i;

/** Counts the statements that may write (see OperationalDb.writes). */
const writeCounter = () => {
  const counter = { writes: 0 };
  return { counter, note: (sql: string) => (READ_ONLY.test(sql) ? undefined : void counter.writes++) };
};

const openPglite = async (dataDir: string | undefined, schema: string, readOnly = false): Promise<OperationalDb> => {
  // Accounts, sessions, care records and the audit log: a folder only the server's user can enter.
  if (dataDir !== undefined && !readOnly) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  // A PGlite folder has one process at a time: a second one writing it corrupts it (issue 13).
  const lock = dataDir === undefined ? undefined : acquireStoreLock(dataDir, {
        what: `the operational store ${dataDir}`,
        advice: 'only one process may use it at a time (two corrupt it); stop that process and run this again (docs/security.md, "One process per store")',
      });
  let db: PGlite;
  try {
    db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
    await db.waitReady;
    // Read-only: nothing created; every transaction of the session refuses to write.
    await db.exec(readOnly ? `SET search_path TO ${schema}; SET default_transaction_read_only = on;` : `CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const { counter, note } = writeCounter();
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>, counted = true): Queryable => ({
    query: async <T extends object>(sql: string, params: readonly SqlParam[] = []) => {
      if (counted) note(sql);
      return (await q.query<T>(sql, [...params])).rows;
    },
    exec: async (sql: string) => {
      if (counted) note(sql);
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    location: dataDir === undefined ? 'PGlite (in memory)' : `PGlite in ${dataDir}`,
    schema,
    ...wrap(db),
    uncounted: wrap(db, false),
    get writes() {
      return counter.writes;
    },
    transaction: async (fn, options) => {
      const counted = options?.counted ?? true;
      try {
        return await db.transaction((tx) => fn(wrap(tx, counted)));
      } finally {
        if (counted) counter.writes++;
      }
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
};

const openPostgres = async (url: string, schema: string, readOnly = false): Promise<OperationalDb> => {
  // Every connection of the pool works in the schema (read-only: every transaction refuses to write).
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}${readOnly ? ' -c default_transaction_read_only=on' : ''}`, max: 10 });
  pool.on('error', () => {
    // An idle client lost its connection: the pool replaces it; queries report their own errors.
  });
  try {
    await pool.query(readOnly ? 'SELECT 1' : `CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    throw new UserError(`cannot use the PostgreSQL database at ${redactUrl(url)}: ${(error as Error).message}`, 'not-found', { cause: error });
  }
  const { counter, note } = writeCounter();
  const wrap = (q: pg.Pool | pg.PoolClient, counted = true): Queryable => ({
    query: async <T extends object>(sql: string, params: readonly SqlParam[] = []) => {
      if (counted) note(sql);
      return (await q.query(sql, [...params])).rows as T[];
    },
    exec: async (sql: string) => {
      if (counted) note(sql);
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    location: `PostgreSQL ${redactUrl(url)}`,
    schema,
    ...wrap(pool),
    uncounted: wrap(pool, false),
    get writes() {
      return counter.writes;
    },
    transaction: async (fn, options) => {
      const counted = options?.counted ?? true;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client, counted));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
        if (counted) counter.writes++;
      }
    },
    close: () => pool.end(),
  };
};

/** Opens the operational store and brings its tables up to date. */
export const openOperationalDb = async (options: OperationalOptions = {}): Promise<OperationalDb> => {
  const schema = checkSchemaName(options.schema ?? 'openphm');
  const db = options.url ? await openPostgres(options.url, schema) : await openPglite(options.dataDir, schema);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
};

/**
 * Opens the operational store to read only (a command that reads what the server stored, e.g.
 * `phm cohort run <saved cohort id>`, `phm plan export`): it must exist and be up to date (nothing
 * is created or migrated), and the session refuses every write. A PGlite folder is still one
 * process at a time, so this is refused while the server runs on it.
 */
export const openOperationalDbReadOnly = async (options: OperationalOptions): Promise<OperationalDb> => {
  const schema = checkSchemaName(options.schema ?? 'openphm');
  if (options.url === undefined && options.dataDir === undefined) throw new UserError('reading the operational store needs its PGlite folder or a PostgreSQL URL (PHM_DATABASE_URL)', 'usage');
  // PGlite would make a new database in a folder that holds none: refused, as nothing may be written.
  if (options.url === undefined && !existsSync(join(options.dataDir!, 'PG_VERSION'))) {
    throw new UserError(`no operational store at ${options.dataDir}: give the folder with --operational (it is made next to the database by phm serve), or set PHM_DATABASE_URL`, 'not-found');
  }
  const db = options.url ? await openPostgres(options.url, schema, true) : await openPglite(options.dataDir, schema, true);
  try {
    const [row] = await db.query<{ n: number | null }>(`SELECT max(version)::integer AS n FROM schema_migration`).catch(() => [{ n: null }]);
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    if (row?.n == null) throw new UserError(`${db.location} holds no OpenPHM operational store (schema ${schema})`, 'not-found');
    if (row.n < latest) throw new UserError(`${db.location} is at version ${row.n} of the operational store's tables, this program needs ${latest}: start phm serve once to bring it up to date`, 'conflict');
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
};

/** Tables whose emptiness the demo's seeding checks (so a store already in use is left alone). */
export type SeededTable = 'plan_action' | 'plan_risk' | 'referral' | 'caseload_entry' | 'care_task' | 'care_note' | 'mdt_meeting' | 'caseload_review';

/** Whether every one of these tables is empty. */
export const tablesEmpty = async (db: Queryable, ...tables: readonly SeededTable[]): Promise<boolean> => {
  for (const table of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
    if (Number(row?.n ?? 0) > 0) return false;
  }
  return true;
};
