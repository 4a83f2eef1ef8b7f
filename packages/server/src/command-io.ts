/**
 * What the server's commands (`phm serve`, the imports, `phm audit verify`) are given by the CLI,
 * and where each finds the operational store: PHM_DATABASE_URL (and PHM_DATABASE_SCHEMA) for a
 * PostgreSQL server, else the PGlite folder next to the database.
 */
import { resolve } from 'node:path';
import type { OperationalOptions } from './operational/db.js';

export interface ServeIo {
  readonly stdout: { write(text: string): void };
  readonly stderr: { write(text: string): void };
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

/** The PGlite folder used when none is given: `<db without .duckdb>.operational`. */
export const defaultOperationalDir = (db: string): string => `${db.replace(/\.duckdb$/i, '')}.operational`;

/** How a command opens the operational store: the server named by PHM_DATABASE_URL, else the PGlite folder. */
export const operationalStoreOf = (io: ServeIo, options: { readonly db: string; readonly operationalDir?: string | undefined }): OperationalOptions => {
  const url = io.env.PHM_DATABASE_URL?.trim() || undefined;
  if (url) return { url, ...(io.env.PHM_DATABASE_SCHEMA ? { schema: io.env.PHM_DATABASE_SCHEMA } : {}) };
  return { dataDir: resolve(io.cwd, options.operationalDir ?? defaultOperationalDir(options.db)) };
};
