/**
 * What the server's commands (`phm serve`, the imports, `phm audit verify`) are given by the CLI,
 * and where each finds the operational store: PHM_DATABASE_URL (and PHM_DATABASE_SCHEMA) for a
 * PostgreSQL server, else the PGlite folder next to the database.
 */
import { resolve } from 'node:path';
import { UserError } from '@openphm/core';
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

/**
 * The secrets that sign session cookies, from PHM_SESSION_SECRET: one secret, or several separated
 * by commas while rotating (`new,old`: cookies are signed with the first and accepted when signed by
 * any, so sessions started before the rotation keep working until they expire, at most 12 hours).
 * Each must be at least 32 characters. Unset: undefined (a random secret per process, so a restart
 * signs everyone out).
 */
export const sessionSecretsFromEnv = (env: Record<string, string | undefined>): string[] | undefined => {
  const raw = env.PHM_SESSION_SECRET?.trim();
  if (!raw) return undefined;
  const secrets = raw.split(',').map((s) => s.trim());
  secrets.forEach((secret, i) => {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new UserError(`PHM_SESSION_SECRET: secret ${i + 1} of ${secrets.length} is ${secret.length} characters; each must be at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -base64 48)`, 'usage');
    }
  });
  return secrets;
};

const MIN_SECRET_LENGTH = 32;
