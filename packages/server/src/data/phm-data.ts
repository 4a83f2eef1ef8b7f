/**
 * Read-only access to the DuckDB person-level store for the server. The file's identity
 * (mtime, size, inode) is its version. `phm generate` and `phm import` build a new database in a
 * temporary file and rename it over the old one; the next query notices, opens the new file
 * alongside the old one and switches to it: queries already running finish on the old version
 * (closed once the last of them has), and every cached result keyed by the old version stops
 * matching. No restart, and readers never wait for one another.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InternalError, UserError } from '@openphm/core';
import { openDatabase, type LookupDatabase, type SqlParam } from '@openphm/store-duckdb';

/** Structurally a PhmDatabase (so engines written for one accept it) that follows the file when it is replaced. */
export interface PhmData extends LookupDatabase {
  readonly file: string;
  readonly readOnly: true;
  /** The version being served: the file's, once it has been opened (a file that cannot be opened is not switched to). */
  version(): string;
  /** Runs a read-only query on the current version; up to `connections` run at once. */
  query<T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]>;
  /**
   * Runs a small read-only lookup over the stored tables (one person's record) on the current
   * version's lookup connections: beside the queries above, never behind a long one (a cohort
   * count, the person features). Up to `lookupConnections` run at once. No TEMP tables.
   */
  lookup<T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]>;
  /** Closes the database once running queries have finished. */
  close(): void;
  /** Resolves when the database is closed. */
  closed(): Promise<void>;
}

export interface PhmDataOptions {
  /** DuckDB threads per instance (default: all cores). */
  readonly threads?: number;
  /** Connections, hence queries that run at once (default DEFAULT_CONNECTIONS). */
  readonly connections?: number;
  /** Connections for lookups, beside those (default DEFAULT_LOOKUP_CONNECTIONS). */
  readonly lookupConnections?: number;
  /** Told when the server switches to a new version of the file, or cannot (the old one is kept). */
  readonly onSwitch?: (event: { readonly from: string; readonly to: string } | { readonly failed: string; readonly error: Error }) => void;
}

/**
 * Queries that run at once on one version of the database. One: the person features are a TEMP
 * table of the connection that computed them, which every query using them must run on.
 */
export const DEFAULT_CONNECTIONS = 1;

/**
 * Lookups that run at once beside them (a person's record): two, for two cores. Each holds one of
 * libuv's four threads while it runs, so the main connection and these leave one for compression
 * and hashing.
 */
export const DEFAULT_LOOKUP_CONNECTIONS = 2;

export const fileVersion = (file: string): string => {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    throw new UserError(`database not found: ${file} (create it with 'phm generate' or 'phm import')`, 'not-found');
  }
};

/** One version of the file, open, with the queries running on it. */
interface Generation {
  readonly db: LookupDatabase;
  readonly version: string;
  running: number;
  retired: boolean;
  readonly closed: Promise<void>;
  readonly markClosed: () => void;
}

export const openPhmData = async (file: string, options: PhmDataOptions = {}): Promise<PhmData> => {
  const path = resolve(file);
  const openOptions = {
    readOnly: true,
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    lookupConnections: options.lookupConnections ?? DEFAULT_LOOKUP_CONNECTIONS,
    ...(options.threads ? { threads: options.threads } : {}),
  };
  const generation = async (version: string): Promise<Generation> => {
    const db = await openDatabase(path, openOptions);
    let markClosed = () => undefined as void;
    const closed = new Promise<void>((r) => (markClosed = r));
    return { db, version, running: 0, retired: false, closed, markClosed };
  };
  const finish = (g: Generation) => {
    if (g.retired && g.running === 0) {
      g.db.close();
      g.markClosed();
    }
  };
  const retire = (g: Generation) => {
    g.retired = true;
    finish(g);
  };

  let current = await generation(fileVersion(path));
  /** The one opening in progress, if any (openings never overlap, so versions switch in order). */
  let opening: Promise<void> | undefined;
  /** A version of the file that could not be opened: the current one is kept until the file changes again. */
  let failed: string | undefined;
  let closing = false;

  /** The file's version now; undefined when it is missing (being replaced, or removed: keep serving what is open). */
  const onDisk = (): string | undefined => {
    try {
      return fileVersion(path);
    } catch {
      return undefined;
    }
  };
  const switchTo = (version: string): Promise<void> =>
    (opening ??= generation(version)
      .then(
        (next) => {
          const from = current;
          if (closing) {
            retire(next);
            return;
          }
          current = next;
          failed = undefined;
          retire(from);
          options.onSwitch?.({ from: from.version, to: version });
        },
        (error: unknown) => {
          failed = version;
          const e = error instanceof Error ? error : new Error(String(error));
          if (options.onSwitch) options.onSwitch({ failed: version, error: e });
          else process.emitWarning(`${path} was replaced by a file that cannot be opened (${e.message}); still serving the previous version`);
        },
      )
      .finally(() => {
        opening = undefined;
      }));

  /** The generation to query, counted as running before anything else can retire it. */
  const enter = async (): Promise<Generation> => {
    for (;;) {
      if (closing) throw new InternalError(`query on closed database ${path}`);
      const disk = onDisk();
      if (disk === undefined || disk === current.version || disk === failed) {
        current.running++;
        return current;
      }
      await switchTo(disk);
    }
  };

  return {
    file: path,
    readOnly: true,
    version: () => {
      const disk = onDisk();
      return disk === undefined || disk === failed ? current.version : disk;
    },
    query: async <T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>) => {
      const g = await enter();
      try {
        return await g.db.query<T>(sql, params);
      } finally {
        g.running--;
        finish(g);
      }
    },
    lookup: async <T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>) => {
      const g = await enter();
      try {
        return await g.db.lookup<T>(sql, params);
      } finally {
        g.running--;
        finish(g);
      }
    },
    close: () => {
      if (closing) return;
      closing = true;
      retire(current);
    },
    closed: async () => {
      if (!closing) return;
      await opening;
      await current.closed;
    },
  };
};
