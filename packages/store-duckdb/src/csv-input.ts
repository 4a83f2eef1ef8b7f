/**
 * Finding the input CSV files of each table, checking their header rows, and mapping a data record
 * back to its line number in the file (for error messages).
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, TABLES, TABLE_NAMES, UserError, isTableName, type TableDefinition, type TableName } from '@openphm/core';

export interface InputFile {
  /** Absolute (or as given) path, for reading. */
  readonly path: string;
  /** Path relative to the CSV directory with forward slashes, e.g. `person.csv` or `clinical_event/part-0003.csv`: used in messages. */
  readonly name: string;
  readonly bytes: number;
  /** Column names of the header row, in file order. */
  readonly header: readonly string[];
}

export interface TableInput {
  readonly table: TableName;
  /** Sorted by file name; empty when the table has no input (it is then created empty). */
  readonly files: readonly InputFile[];
}

const isCsv = (name: string): boolean => name.toLowerCase().endsWith('.csv') && !name.startsWith('.');
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Splits one CSV line (the header) into fields, honouring RFC 4180 quotes. */
export const splitCsvLine = (line: string): string[] => {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
};

const HEADER_MAX_BYTES = 1 << 20;

/** The header row of a CSV file (null for an empty file). */
export const readHeader = async (path: string, name: string): Promise<string[] | null> => {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEADER_MAX_BYTES, 64 * 1024));
    let text = '';
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      text += buffer.toString('utf8', 0, bytesRead);
      if (text.includes('\n')) break;
      if (position >= HEADER_MAX_BYTES) throw new InputError({ file: name, line: 1 }, 'the header row is longer than 1 MB: is this a CSV file?');
    }
    const newline = text.indexOf('\n');
    let line = newline >= 0 ? text.slice(0, newline) : text;
    if (line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') return null;
    return splitCsvLine(line);
  } finally {
    await handle.close();
  }
};

/**
 * Checks a header row against the table definition. Every non-nullable column must be present;
 * nullable columns may be left out (they are then empty); unknown and repeated columns are errors.
 */
export const checkHeader = (def: TableDefinition, file: Pick<InputFile, 'name' | 'header'>): void => {
  const seen = new Set<string>();
  const known = new Set(def.columns.map((c) => c.name));
  for (const column of file.header) {
    if (seen.has(column)) throw new InputError({ file: file.name, line: 1, field: column }, 'column appears more than once in the header');
    seen.add(column);
  }
  for (const column of def.columns) {
    if (!column.nullable && !seen.has(column.name)) {
      throw new InputError({ file: file.name, line: 1, field: column.name }, 'missing column');
    }
  }
  for (const column of file.header) {
    if (!known.has(column)) {
      throw new InputError(
        { file: file.name, line: 1, field: column },
        `unknown column (${def.name} has columns ${def.columns.map((c) => c.name).join(', ')})`,
      );
    }
  }
};

const inputFile = async (csvDir: string, relative: string): Promise<InputFile> => {
  const path = join(csvDir, ...relative.split('/'));
  const info = await stat(path);
  const header = await readHeader(path, relative);
  if (header === null) throw new InputError({ file: relative, line: 1 }, 'the file is empty: expected a header row naming the columns');
  return { path, name: relative, bytes: info.size, header };
};

/**
 * Finds the input of every table: `<csvDir>/<table>.csv`, or the part files `<csvDir>/<table>/*.csv`
 * (sorted by file name). `person` is required; other tables may be absent. Header rows are read and
 * checked here, so a wrong header is reported before any data is loaded.
 */
export const discoverInputs = async (csvDir: string): Promise<TableInput[]> => {
  let entries;
  try {
    entries = await readdir(csvDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new UserError(`CSV directory not found: ${csvDir}`, 'not-found');
    }
    throw error;
  }
  const names = new Map(entries.map((e) => [e.name, e]));
  const inputs: TableInput[] = [];
  for (const entry of [...entries].sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (entry.isFile() && isCsv(entry.name)) {
      const base = entry.name.slice(0, -4);
      if (!isTableName(base)) {
        throw new InputError({ file: entry.name }, `not a known table: CSV files must be named after a table (${TABLE_NAMES.join(', ')})`);
      }
    }
  }
  for (const table of TABLE_NAMES) {
    const single = names.get(`${table}.csv`);
    const dir = names.get(table);
    const hasSingle = single !== undefined && !single.isDirectory();
    const hasDir = dir !== undefined && dir.isDirectory();
    if (hasSingle && hasDir) {
      throw new InputError({ file: `${table}.csv` }, `both ${table}.csv and the directory ${table}/ exist: keep only one`);
    }
    let relatives: string[] = [];
    if (hasSingle) relatives = [`${table}.csv`];
    else if (hasDir) {
      const parts = await readdir(join(csvDir, table), { withFileTypes: true });
      relatives = parts
        .filter((p) => !p.isDirectory() && isCsv(p.name))
        .map((p) => p.name)
        .sort(byCodeUnits)
        .map((n) => `${table}/${n}`);
    }
    if (table === 'person' && relatives.length === 0) {
      throw new InputError(
        { file: hasDir ? 'person/' : 'person.csv' },
        hasDir ? 'no CSV files in the person directory: the person table is required' : 'file not found: the person table is required (person.csv or person/*.csv)',
      );
    }
    const files: InputFile[] = [];
    for (const relative of relatives) {
      const file = await inputFile(csvDir, relative);
      checkHeader(TABLES[table], file);
      files.push(file);
    }
    inputs.push({ table, files });
  }
  return inputs;
};

/**
 * Line numbers (header = line 1) of data records, given their 0-based index among the data records
 * of a file. Follows the CSV reader: blank lines are skipped, and a quoted field may span lines.
 * Reads the file only as far as the last record asked for, so it is used only to report errors.
 */
export const recordLines = async (path: string, indices: readonly number[]): Promise<Map<number, number>> => {
  const wanted = new Set(indices);
  const result = new Map<number, number>();
  if (wanted.size === 0) return result;
  let line = 1;
  let started = 0; // records started so far; the header is the first
  let inRecord = false;
  let quoted = false;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === 0x0a) {
          if (!quoted) inRecord = false;
          line++;
        } else if (byte !== 0x0d) {
          if (!inRecord) {
            inRecord = true;
            const index = started - 1;
            started++;
            if (wanted.has(index)) {
              result.set(index, line);
              if (result.size === wanted.size) return result;
            }
          }
          if (byte === 0x22) quoted = !quoted;
        }
      }
    }
  } finally {
    stream.destroy();
  }
  return result;
};
