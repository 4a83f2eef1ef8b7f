/**
 * Commands that read what the server stored, without the server: `phm cohort run <saved cohort id>`
 * reads a saved cohort's definition, `phm plan export` writes a strategy as its plan file. Both open
 * the operational store where the server's commands find it (PHM_DATABASE_URL, else the PGlite
 * folder next to the database) read-only: nothing is created, migrated or changed (and a PGlite
 * folder in use by a running server is refused, as two processes would corrupt it).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INDICATOR_CATALOGUE, UserError, parseCohortDefinition, parseStrategyFile, type CohortDefinition } from '@openphm/core';
import { operationalStoreOf, type ServeIo } from './command-io.js';
import { planFileOf } from './data/strategies.js';
import { openOperationalDbReadOnly, type OperationalDb } from './operational/db.js';
import { storedCohortVersion, type CohortSharing } from './operational/saved-cohorts.js';

export interface StoreReadOptions {
  /** The DuckDB database the store sits next to (its PGlite folder is `<db>.operational` unless given). */
  readonly db: string;
  readonly operationalDir?: string;
}

const reading = async <T>(options: StoreReadOptions, io: ServeIo, read: (ops: OperationalDb) => Promise<T>): Promise<T> => {
  const ops = await openOperationalDbReadOnly(operationalStoreOf(io, options));
  try {
    return await read(ops);
  } finally {
    await ops.close();
  }
};

export interface SavedCohortRead {
  readonly definition: CohortDefinition;
  readonly owner: string;
  readonly sharing: CohortSharing;
  readonly latestVersion: number;
}

/** A saved cohort's definition (the latest version, or the one named), checked again as a file's is. */
export const readSavedCohort = (options: StoreReadOptions & { readonly id: string; readonly version?: number }, io: ServeIo): Promise<SavedCohortRead> =>
  reading(options, io, async (ops) => {
    const stored = await storedCohortVersion(ops, options.id, options.version);
    return {
      definition: parseCohortDefinition(stored.definition, `saved cohort ${options.id} version ${stored.version}`),
      owner: stored.owner,
      sharing: stored.sharing,
      latestVersion: stored.latestVersion,
    };
  });

export interface PlanExportOptions extends StoreReadOptions {
  readonly strategy: string;
  /** Default: the latest version. */
  readonly version?: number;
  /** The file to write; standard output when absent. */
  readonly out?: string;
}

/**
 * `phm plan export --strategy ID [--version N] [--out FILE]`: a strategy's version as its plan file,
 * the same text the app's "plan file (JSON)" link downloads (data/strategies.ts planFileOf), checked
 * as `phm plan check` checks a file. Written whole or not at all: to a temporary file beside it, then
 * renamed over it.
 */
export const planExportCommand = async (options: PlanExportOptions, io: ServeIo): Promise<{ readonly version: number; readonly text: string }> => {
  const file = await reading(options, io, (ops) => planFileOf(ops, options.strategy, options.version));
  const strategy = parseStrategyFile(file.text, file.fileName, INDICATOR_CATALOGUE);
  if (options.out === undefined) {
    io.stdout.write(file.text);
    return { version: file.version, text: file.text };
  }
  const target = resolve(io.cwd, options.out);
  const temporary = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, file.text, { flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UserError(`cannot write ${options.out} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'not-found', { cause: error });
  }
  io.stderr.write(`Wrote ${options.out}: strategy ${strategy.id} version ${file.version}, ${strategy.priorities.length} priorities (put it in plans/ as ${file.fileName} to load it)\n`);
  return { version: file.version, text: file.text };
};
