/**
 * A small, strict CSV reader for the public reference files (RFC 4180 quoting).
 *
 * Handles what the published files actually contain: a UTF-8 byte-order mark, CRLF or LF line
 * endings, quoted fields with embedded commas, doubled quotes or line breaks, and numbers written
 * with thousands separators (`"1,296"`). Errors name the file, the line and the field.
 */
import { InputError } from '@openphm/core';

export interface CsvRow {
  /** Line number in the file where the row starts (the header is line 1). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/** Splits CSV text into rows of cells. `file` is only used in error messages. */
export const parseCsv = (text: string, file: string): CsvRow[] => {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new InputError({ file, line: startLine }, 'unterminated quoted field');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          throw new InputError({ file, line }, 'unexpected character after a closing quote');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
          j++;
        }
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // Skip blank lines (e.g. a trailing newline at the end of the file).
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: startLine, cells });
  }
  return rows;
};

/** Parses CSV text whose first row is a header. */
export const readCsvTable = (text: string, file: string): CsvTable => {
  const all = parseCsv(text, file);
  const first = all[0];
  if (first === undefined) throw new InputError({ file, line: 1 }, 'the file is empty (expected a header row)');
  return { file, header: first.cells.map((h) => h.trim()), rows: all.slice(1) };
};

const normalise = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** Index of a required column (matched case- and whitespace-insensitively); InputError if it is missing. */
export const columnIndex = (table: CsvTable, name: string): number => {
  const wanted = normalise(name);
  const index = table.header.findIndex((h) => normalise(h) === wanted);
  if (index < 0) {
    throw new InputError({ file: table.file, line: 1, field: name }, `missing column '${name}' in the header`);
  }
  return index;
};

/** Accessor for required columns: `get(row, 'name')` returns the trimmed cell or throws an InputError. */
export const columnReader = <K extends string>(table: CsvTable, columns: Record<K, string>) => {
  const indexes = {} as Record<K, number>;
  for (const key of Object.keys(columns) as K[]) indexes[key] = columnIndex(table, columns[key]);
  const text = (row: CsvRow, key: K): string => {
    const cell = row.cells[indexes[key]];
    if (cell === undefined) {
      throw new InputError(
        { file: table.file, line: row.line, field: columns[key] },
        `the row has ${row.cells.length} fields but the header has ${table.header.length}`,
      );
    }
    return cell.trim();
  };
  const number = (row: CsvRow, key: K): number => parseNumber(text(row, key), { file: table.file, line: row.line, field: columns[key] });
  return { text, number };
};

/** Parses a number such as `29199`, `1,296` or `16.557`; InputError naming the location otherwise. */
export const parseNumber = (value: string, location: { file: string; line: number; field: string }): number => {
  const cleaned = value.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) {
    throw new InputError(location, `'${value}' is not a number`);
  }
  return Number(cleaned);
};
