/**
 * Finding the input CSV files of each table, checking their header rows, and mapping a data record
 * back to its line number in the file (for error messages).
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTITY_TABLE, InputError, TABLES, TABLE_NAMES, UserError, isTableName, type TableDefinition, type TableName } from '@openphm/core';

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
export const checkHeader = (def: Pick<TableDefinition, 'columns'> & { readonly name: string }, file: Pick<InputFile, 'name' | 'header'>): void => {
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

/** The entries of the extract's folder (not-found UserError when it is missing). */
const readEntries = async (csvDir: string) => {
  try {
    return await readdir(csvDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new UserError(`CSV directory not found: ${csvDir}`, 'not-found');
    }
    throw error;
  }
};

export type Entries = Awaited<ReturnType<typeof readEntries>>;

/** The entries of the extract's folder (not-found UserError when it is missing). */
export const readInputEntries = (csvDir: string): Promise<Entries> => readEntries(csvDir);

/** The files of one table, `<base>.csv` or `<base>/*.csv` (sorted by name), with their headers checked. */
export const filesOf = async (
  csvDir: string,
  entries: Entries,
  def: Pick<TableDefinition, 'columns'> & { readonly name: string },
  required: boolean,
): Promise<InputFile[]> => {
  const names = new Map(entries.map((e) => [e.name, e]));
  const base = def.name;
  const single = names.get(`${base}.csv`);
  const dir = names.get(base);
  const hasSingle = single !== undefined && !single.isDirectory();
  const hasDir = dir !== undefined && dir.isDirectory();
  if (hasSingle && hasDir) {
    throw new InputError({ file: `${base}.csv` }, `both ${base}.csv and the directory ${base}/ exist: keep only one`);
  }
  let relatives: string[] = [];
  if (hasSingle) relatives = [`${base}.csv`];
  else if (hasDir) {
    const parts = await readdir(join(csvDir, base), { withFileTypes: true });
    relatives = parts
      .filter((p) => !p.isDirectory() && isCsv(p.name))
      .map((p) => p.name)
      .sort(byCodeUnits)
      .map((n) => `${base}/${n}`);
  }
  if (required && relatives.length === 0) {
    throw new InputError(
      { file: hasDir ? `${base}/` : `${base}.csv` },
      hasDir ? `no CSV files in the ${base} directory: the ${base} table is required` : `file not found: the ${base} table is required (${base}.csv or ${base}/*.csv)`,
    );
  }
  const files: InputFile[] = [];
  for (const relative of relatives) {
    const file = await inputFile(csvDir, relative);
    checkHeader(def, file);
    files.push(file);
  }
  return files;
};

/**
 * Finds the input of every table: `<csvDir>/<table>.csv`, or the part files `<csvDir>/<table>/*.csv`
 * (sorted by file name). `person` is required; other tables may be absent. Header rows are read and
 * checked here, so a wrong header is reported before any data is loaded. The identity table
 * (`identity.csv` or `identity/`) is allowed beside them and found by discoverIdentityInput.
 */
export const discoverInputs = async (csvDir: string): Promise<TableInput[]> => {
  const entries = await readEntries(csvDir);
  for (const entry of [...entries].sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (entry.isFile() && isCsv(entry.name)) {
      const base = entry.name.slice(0, -4);
      if (!isTableName(base) && base !== IDENTITY_TABLE.name) {
        throw new InputError({ file: entry.name }, `not a known table: CSV files must be named after a table (${[...TABLE_NAMES, IDENTITY_TABLE.name].join(', ')})`);
      }
    }
  }
  const inputs: TableInput[] = [];
  for (const table of TABLE_NAMES) inputs.push({ table, files: await filesOf(csvDir, entries, TABLES[table], table === 'person') });
  return inputs;
};

/** The identity table's files in an extract (`identity.csv` or `identity/*.csv`), headers checked; none when absent. */
export const discoverIdentityInput = async (csvDir: string): Promise<InputFile[]> => filesOf(csvDir, await readEntries(csvDir), IDENTITY_TABLE, false);

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
