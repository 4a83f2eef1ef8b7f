/**
 * What the imports of records made elsewhere first (referrals, caseload episodes) share: the CSV
 * read into a table, where the people in it live, how problems are reported, and the stores opened
 * as `phm serve` opens them (PHM_DATABASE_URL for PostgreSQL, else PGlite next to the database).
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UserError, type ImportTable, type InputError } from '@openphm/core';
import { parseCsv } from '@openphm/reference-data';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import { defaultOperationalDir, type ServeIo } from '../serve.js';
import { openPhmData, type PhmData } from './phm-data.js';

/** The CSV text as a table with a header (an empty file is refused). */
export const importTableOf = (text: string, file: string, what: string): ImportTable => {
  const [head, ...rows] = parseCsv(text, file);
  if (head === undefined) throw new UserError(`${file} is empty: it needs a header row (${what})`, 'invalid-input');
  return { file, header: head.cells, rows };
};

/** The cells of one column of a table ('' where absent). */
export const columnOf = (table: ImportTable, column: string): string[] => {
  const i = table.header.map((c) => c.trim().toLowerCase()).indexOf(column);
  return i < 0 ? [] : table.rows.map((r) => (r.cells[i] ?? '').trim());
};

/** Every problem found, one per line, saying that nothing was imported. */
export const describeProblems = (errors: readonly InputError[], file: string): string =>
  `${errors.length === 1 ? 'a problem' : `${errors.length}${errors.length >= 20 ? ' or more' : ''} problems`} in ${file}; nothing was imported:\n${errors.map((e) => `  ${e.message}`).join('\n')}`;

/** The file as the audit log names it (its base name, pattern-checked). */
export const auditedFile = (file: string): string => `file:${basename(file).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64)}`;

export interface ImportCommandOptions {
  readonly file: string;
  readonly db: string;
  /** Who is importing (recorded as the last to change each record, and in the audit log). */
  readonly by: string;
  readonly operationalDir?: string;
  /** Default: today's date. */
  readonly today?: string;
}

/** Reads the file, opens both stores, runs the import and closes them. */
export const runImport = async <T>(options: ImportCommandOptions, io: ServeIo, run: (x: { ops: OperationalDb; data: PhmData; text: string; today: string; by: string }) => Promise<T>): Promise<T> => {
  if (!/^\S+@\S+$/.test(options.by)) throw new UserError(`--by must be your e-mail address (recorded in the audit log), got '${options.by}'`);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, options.file), 'utf8');
  } catch (error) {
    throw new UserError(`${options.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'not-found', { cause: error });
  }
  const url = io.env.PHM_DATABASE_URL?.trim() || undefined;
  const data = await openPhmData(resolve(io.cwd, options.db));
  try {
    const ops = await openOperationalDb(
      url ? { url, ...(io.env.PHM_DATABASE_SCHEMA ? { schema: io.env.PHM_DATABASE_SCHEMA } : {}) } : { dataDir: resolve(io.cwd, options.operationalDir ?? defaultOperationalDir(options.db)) },
    );
    try {
      return await run({ ops, data, text, today: options.today ?? new Date().toISOString().slice(0, 10), by: options.by.toLowerCase() });
    } finally {
      await ops.close();
    }
  } finally {
    data.close();
  }
};
