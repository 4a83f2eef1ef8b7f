/**
 * Read-only access to the DuckDB person-level store for the server. The file's identity
 * (mtime, size, inode) is its version: when `phm generate` or `phm import` replaces the file, the
 * next query reopens it and every cached result keyed by the old version stops matching.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@openphm/core';
import { openDatabase, type PhmDatabase, type SqlParam } from '@openphm/store-duckdb';

/** Structurally a PhmDatabase (so engines written for one accept it) that follows the file when it is replaced. */
export interface PhmData extends PhmDatabase {
  readonly file: string;
  readonly readOnly: true;
  /** The current version of the file: changes whenever the file is replaced or rewritten. */
  version(): string;
  /** Runs a read-only query on the current version (queries run one at a time). */
  query<T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>): Promise<T[]>;
  /** Closes the database once queued queries have run. */
  close(): void;
  /** Resolves when the database is closed. */
  closed(): Promise<void>;
}

export const fileVersion = (file: string): string => {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    throw new UserError(`database not found: ${file} (create it with 'phm generate' or 'phm import')`, 'not-found');
  }
};

export const openPhmData = async (file: string, options: { threads?: number } = {}): Promise<PhmData> => {
  const path = resolve(file);
  let openVersion = fileVersion(path);
  let db: PhmDatabase = await openDatabase(path, { readOnly: true, ...(options.threads ? { threads: options.threads } : {}) });
  // One query at a time on the connection; a reopen happens between queries, never during one.
  let tail: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const current = async (): Promise<PhmDatabase> => {
    const now = fileVersion(path);
    if (now !== openVersion) {
      const next = await openDatabase(path, { readOnly: true, ...(options.threads ? { threads: options.threads } : {}) });
      db.close();
      db = next;
      openVersion = now;
    }
    return db;
  };
  return {
    file: path,
    readOnly: true,
    version: () => fileVersion(path),
    query: <T extends object>(sql: string, params?: readonly SqlParam[] | Readonly<Record<string, SqlParam>>) =>
      serial(async () => (await current()).query<T>(sql, params)),
    close: () => {
      closing ??= serial(async () => db.close());
    },
    closed: () => closing ?? Promise.resolve(),
  };
};
