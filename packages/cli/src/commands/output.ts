/**
 * What the analysis commands share: CSV and JSON output to a file or standard output, the
 * reference date of a database, and reading a JSON definition file with errors that name it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError, dayFromIso } from '@openphm/core';
import { requireLastDataDay, type PhmDatabase } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';

export { OUTPUT_FORMATS, type OutputFormat } from '../choices.js';

type Cell = string | number | boolean | null;

const csvCell = (v: Cell): string => {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const toCsv = (rows: readonly Record<string, Cell>[]): string => {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(','))].join('\n')}\n`;
};

/** Writes to --out (creating its folder) or standard output. */
export const writeOutput = (io: CliIo, text: string, out?: string): void => {
  if (!out) {
    io.stdout.write(text);
    return;
  }
  const path = resolve(io.cwd, out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

/** --date, or the last day of the database's window. */
export const referenceDateOf = async (db: PhmDatabase, date: string | undefined): Promise<string> => {
  if (date !== undefined) {
    dayFromIso(date);
    return date;
  }
  return requireLastDataDay(db, 'give --date YYYY-MM-DD');
};

/** Parses a JSON file (a definition); errors name the file. `what` names it when it is missing. */
export const readJsonFile = (file: string, cwd: string, what: string): unknown => {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UserError(`${what} not found: ${file}`, 'not-found');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, 'invalid-input');
  }
};
