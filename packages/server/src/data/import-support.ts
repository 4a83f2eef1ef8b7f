/**
 * What the imports of records made elsewhere first (referrals, caseload episodes) share: the CSV
 * read into a table, how problems are reported, the new records stored (every one in one
 * transaction with the import's audit record, or none; a record already present is not stored
 * twice), and the command: the stores opened as `phm serve` opens them (PHM_DATABASE_URL for
 * PostgreSQL, else PGlite next to the database), saying what it did.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UserError, type ImportTable, type InputError } from '@openphm/core';
import { parseCsv } from '@openphm/reference-data';
import { writeAudit } from '../operational/audit.js';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import type { Queryable } from '../operational/types.js';
import { operationalStoreOf, type ServeIo } from '../command-io.js';
import { openPhmData, type PhmData } from './phm-data.js';
import { applyPersonRemovals } from './person-removals.js';

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

/** What an import did. */
export interface ImportResult {
  readonly rows: number;
  readonly imported: number;
  /** Already stored, or repeated in the file. */
  readonly alreadyPresent: number;
}

/** How an import stores the records of a file. */
export interface NewRecords<R> {
  readonly records: readonly R[];
  /** The keys of the records stored before: a record with one of them (or repeated in the file) is already present. */
  readonly present: Iterable<string>;
  readonly keyOf: (record: R) => string;
  readonly store: (tx: Queryable, record: R) => Promise<unknown>;
  /** The audit record's action (`referral.import`, …); who imports, and the file. */
  readonly audit: { readonly action: string; readonly by: string; readonly file: string };
}

/** Stores the records not already present, every one in one transaction with the import's audit record (counts only), or none. */
export const storeNewRecords = async <R>(ops: OperationalDb, { records, present, keyOf, store, audit }: NewRecords<R>): Promise<ImportResult> => {
  const seen = new Set(present);
  const fresh = records.filter((r) => {
    const k = keyOf(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await ops.transaction(async (tx) => {
    for (const r of fresh) await store(tx, r);
    await writeAudit(tx, {
      userId: null,
      userEmail: audit.by,
      role: 'admin',
      action: audit.action,
      resource: auditedFile(audit.file),
      outcome: 'granted',
      status: 201,
      ip: null,
      detail: `${fresh.length} imported, ${records.length - fresh.length} already present`,
    });
  });
  return { rows: records.length, imported: fresh.length, alreadyPresent: records.length - fresh.length };
};

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
  const data = await openPhmData(resolve(io.cwd, options.db));
  try {
    const ops = await openOperationalDb(operationalStoreOf(io, options));
    try {
      // As a server does when it moves to a data version: people the data loads deleted have what is open about them closed first (decision 0009).
      const removed = await applyPersonRemovals(ops, data);
      if (removed.people > 0) io.stderr.write(`Closed the open records of ${removed.people} ${removed.people === 1 ? 'person' : 'people'} a data load deleted (data/person-removals.ts)\n`);
      return await run({ ops, data, text, today: options.today ?? new Date().toISOString().slice(0, 10), by: options.by.toLowerCase() });
    } finally {
      await ops.close();
    }
  } finally {
    data.close();
  }
};

/** An import of one file into the stores. */
export type ImportFile = (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }) => Promise<ImportResult>;

/** The command of an import (`phm referrals import FILE --db X --by EMAIL`, …): imports and says what it did with the rows (`what`: 'referrals', …). */
export const importCommand =
  (what: string, importFile: ImportFile) =>
  (options: ImportCommandOptions, io: ServeIo): Promise<ImportResult> =>
    runImport(options, io, async ({ ops, data, text, today, by }) => {
      const result = await importFile(ops, data, options.file, text, { today, by });
      io.stdout.write(`${options.file}: ${result.rows} ${what} read, ${result.imported} imported, ${result.alreadyPresent} already present\n`);
      return result;
    });
