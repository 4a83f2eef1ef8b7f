/** A small wrapper over a DuckDB database file: parameterised queries returning plain row objects. */
import { existsSync, statSync } from 'node:fs';
import {
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { InternalError, UserError } from '@openphm/core';

/** A value that can be bound to a query parameter ($1, $2, … or $name). */
export type SqlParam = string | number | boolean | bigint | null;

/** A value in a result row: BIGINTs become numbers when they fit exactly, dates 'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS'. */
export type SqlValue = JS;
export type SqlRow = Record<string, SqlValue>;

export interface PhmDatabase {
  readonly file: string;
  readonly readOnly: boolean;
  /** Runs one SQL statement and returns its rows as plain objects. */
  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]>;
  close(): void;
}

/**
 * A database with a second set of connections for small lookups over the stored tables (one
 * person's record): they run beside the main connections' queries instead of waiting behind them.
 * A lookup never sees the main connections' TEMP tables (person features): those belong to the
 * connection that made them.
 */
export interface LookupDatabase extends PhmDatabase {
  /** Runs one SQL statement over the stored tables on a lookup connection (the main ones when there are none). */
  lookup<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]>;
}

export interface OpenOptions {
  /** Open read-only (default true): several processes may then read the file at once. */
  readonly readOnly?: boolean;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /**
   * Connections on the one database instance (default 1). Each runs one query at a time; with more
   * than one, that many queries run at once (DuckDB runs concurrent readers in parallel), the rest
   * wait their turn in order.
   */
  readonly connections?: number;
  /**
   * Connections for lookups (LookupDatabase.lookup), beside the main ones (default 0: lookups take
   * a main connection). Each runs one lookup at a time, the rest wait their turn in order.
   */
  readonly lookupConnections?: number;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** DuckDB values to plain JavaScript: like the JS converter, but safe integers as numbers and dates as ISO text. */
export const plainValue: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT: {
      const big = value as bigint;
      return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
    }
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
      return String(value);
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

export const readRows = async <T extends object>(
  connection: DuckDBConnection,
  sql: string,
  params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>,
): Promise<T[]> => {
  const values = params === undefined ? undefined : Array.isArray(params) ? [...(params as SqlParam[])] : { ...(params as Record<string, SqlParam>) };
  const reader = await connection.runAndReadAll(sql, values);
  return reader.convertRowObjects(plainValue) as T[];
};

/** How many prepared statements a lookup connection keeps (the least recently used is dropped beyond it). */
export const STATEMENT_CACHE_SIZE = 64;

/**
 * Prepared statements kept per connection, by SQL text: a lookup that runs again (one person's record,
 * the same SQL with other parameters) is bound and run, not parsed, planned and prepared again (about
 * three quarters of a small lookup's cost). Only statements with parameters are kept: SQL with
 * values written into it would fill the cache with statements never run again.
 */
export class StatementCache {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();

  constructor(private readonly size = STATEMENT_CACHE_SIZE) {}

  async run<T extends object>(connection: DuckDBConnection, sql: string, params: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = await connection.prepare(sql);
      this.statements.set(sql, statement);
      if (this.statements.size > this.size) {
        const [oldest, dropped] = this.statements.entries().next().value as [string, DuckDBPreparedStatement];
        this.statements.delete(oldest);
        dropped.destroySync();
      }
    } else {
      // Most recently used last.
      this.statements.delete(sql);
      this.statements.set(sql, statement);
    }
    try {
      statement.clearBindings();
      statement.bind(Array.isArray(params) ? [...(params as SqlParam[])] : { ...(params as Record<string, SqlParam>) });
      const reader = await statement.runAndReadAll();
      return reader.convertRowObjects(plainValue) as T[];
    } catch (error) {
      // A statement that failed is prepared afresh next time (the catalog may have changed under it).
      this.statements.delete(sql);
      statement.destroySync();
      throw error;
    }
  }

  /** Destroys every kept statement (before its connection closes). */
  clear(): void {
    for (const s of this.statements.values()) s.destroySync();
    this.statements.clear();
  }

  get held(): number {
    return this.statements.size;
  }
}

export const instanceOptions = (options: { readOnly?: boolean; threads?: number; memoryLimit?: string }): Record<string, string> => {
  const config: Record<string, string> = {};
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new UserError(`threads must be a whole number of at least 1, got ${options.threads}`);
    config.threads = String(options.threads);
  }
  if (options.memoryLimit !== undefined) {
    if (!/^\s*\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)\s*$/i.test(options.memoryLimit)) {
      throw new UserError(`memory limit must look like 4GB or 512MB, got '${options.memoryLimit}'`);
    }
    config.memory_limit = options.memoryLimit.trim();
  }
  return config;
};

/**
 * Opens an OpenPHM database file. Throws a not-found UserError when the file does not exist
 * (it is never created here: databases are made by buildDatabase), and an invalid-input UserError
 * when it is not an OpenPHM database.
 */
export const openDatabase = async (file: string, options: OpenOptions = {}): Promise<LookupDatabase> => {
  const readOnly = options.readOnly ?? true;
  if (!existsSync(file)) throw new UserError(`database not found: ${file} (create it with 'phm generate' or 'phm import')`, 'not-found');
  if (statSync(file).isDirectory()) throw new UserError(`${file} is a directory, not a database file`, 'invalid-input');
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, instanceOptions({ ...options, readOnly }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) throw new UserError(`database ${file} is in use by another program: ${message}`, 'conflict', { cause: error });
    throw new UserError(`cannot open ${file} as a DuckDB database: ${message}`, 'invalid-input', { cause: error });
  }
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
    const [meta] = await readRows<{ n: number }>(
      connection,
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'meta'`,
    );
    if (!meta || meta.n === 0) throw new UserError(`${file} is not an OpenPHM database (it has no meta table)`, 'invalid-input');
    const [keys] = await readRows<{ n: number }>(
      connection,
      `SELECT count(*) AS n FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'person' AND column_name = 'record_key'`,
    );
    if (!keys || keys.n === 0) {
      throw new UserError(
        `${file} was built by an older OpenPHM without record keys for disclosure control: build it again with 'phm generate' or 'phm import'`,
        'invalid-input',
      );
    }
    const [optOuts] = await readRows<{ n: number }>(
      connection,
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'opt_out'`,
    );
    if (!optOuts || optOuts.n === 0) {
      throw new UserError(
        `${file} was built by an older OpenPHM without the opt_out table (national data and type 1 opt-outs): build it again with 'phm generate' or 'phm import'`,
        'invalid-input',
      );
    }
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  const pool = connectionPool(instance, connection, options.connections ?? 1);
  const lookupConnections = options.lookupConnections ?? 0;
  if (!Number.isInteger(lookupConnections) || lookupConnections < 0) {
    pool.close();
    instance.closeSync();
    throw new UserError(`lookup connections must be a whole number, got ${lookupConnections}`);
  }
  // Lookup connections keep their prepared statements (they run the same few lookups over and over);
  // the main ones do not (long queries, some over TEMP tables that come and go).
  const caches = new Map<DuckDBConnection, StatementCache>();
  const lookups = lookupConnections > 0 ? connectionPool(instance, undefined, lookupConnections, (c) => caches.get(c)?.clear()) : pool;
  let closed = false;
  const run = async <T extends object>(on: ConnectionPool, sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]> => {
    if (closed) throw new InternalError(`query on closed database ${file}`);
    const c = await on.acquire();
    try {
      if (on === lookups && lookups !== pool && params !== undefined) {
        let cache = caches.get(c);
        if (cache === undefined) caches.set(c, (cache = new StatementCache()));
        return await cache.run<T>(c, sql, params);
      }
      return await readRows<T>(c, sql, params);
    } finally {
      on.release(c);
    }
  };
  return {
    file,
    readOnly,
    query: (sql, params) => run(pool, sql, params),
    lookup: (sql, params) => run(lookups, sql, params),
    close: () => {
      if (closed) return;
      closed = true;
      pool.close();
      if (lookups !== pool) lookups.close();
      instance.closeSync();
    },
  };
};

type ConnectionPool = ReturnType<typeof connectionPool>;

/**
 * Up to `size` connections on one instance, each lent to one query at a time (a DuckDB connection
 * runs one statement at a time); callers beyond that wait in order. Connections are made on demand.
 */
export const connectionPool = (instance: DuckDBInstance, first: DuckDBConnection | undefined, size: number, beforeClose: (c: DuckDBConnection) => void = () => undefined) => {
  const closeConnection = (c: DuckDBConnection): void => {
    beforeClose(c);
    c.closeSync();
  };
  if (!Number.isInteger(size) || size < 1) throw new UserError(`connections must be a whole number of at least 1, got ${size}`);
  const idle: DuckDBConnection[] = first === undefined ? [] : [first];
  const waiting: { resolve: (c: DuckDBConnection) => void; reject: (e: Error) => void }[] = [];
  let made = idle.length;
  let closed = false;
  return {
    acquire: async (): Promise<DuckDBConnection> => {
      const c = idle.pop();
      if (c !== undefined) return c;
      if (made < size) {
        made++;
        try {
          return await instance.connect();
        } catch (error) {
          made--;
          throw error;
        }
      }
      return new Promise<DuckDBConnection>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    release: (c: DuckDBConnection): void => {
      if (closed) return closeConnection(c);
      const next = waiting.shift();
      if (next !== undefined) next.resolve(c);
      else idle.push(c);
    },
    /** Closes the idle connections (busy ones close when released); queries still waiting fail. */
    close: (): void => {
      closed = true;
      for (const c of idle.splice(0)) closeConnection(c);
      for (const w of waiting.splice(0)) w.reject(new InternalError('the database was closed before the query could run'));
    },
  };
};
