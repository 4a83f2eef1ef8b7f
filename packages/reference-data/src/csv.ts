/**
 * A small, strict CSV reader for the public reference files (RFC 4180 quoting).
 *
 * Handles what the published files actually contain: a UTF-8 byte-order mark, CRLF or LF line
 * endings, quoted fields with embedded commas, doubled quotes or line breaks, and numbers written
 * with thousands separators (`"1,296"`). Errors name the file, the line and the field.
 */
import { InputError } from '@openphm/core/errors';

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

/**
 * Reads CSV text given in pieces — the chunks of a file stream — and calls `onRow` with each complete
 * row's cells and the line where it starts, so a large file is never held whole. The rules are
 * `parseCsv`'s (which is this reader given the whole text): a byte-order mark is skipped, rows end at
 * LF, CRLF or CR, quoted fields may hold commas, doubled quotes and line breaks, blank lines are
 * skipped. A row cut by the end of a chunk is kept and completed by the next one.
 */
export class CsvRowReader {
  private pending = '';
  /** Line number at the start of `pending`. */
  private line = 1;
  private started = false;

  constructor(
    private readonly file: string,
    private readonly onRow: (cells: string[], line: number) => void,
  ) {}

  /** Adds the next piece of the text. */
  push(chunk: string): void {
    this.parse(this.pending === '' ? chunk : this.pending + chunk, false);
  }

  /** Ends the text: a row without a final line break is read; an open quoted field is an error. */
  end(): void {
    this.parse(this.pending, true);
  }

  private parse(text: string, final: boolean): void {
    const file = this.file;
    const n = text.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    let line = this.line;
    let nextComma = -2;
    let nextLf = -2;
    let nextCr = -2;
    while (i < n) {
      const rowStart = i;
      const startLine = line;
      const cells: string[] = [];
      let complete = true;
      row: for (;;) {
        let cell: string;
        if (text.charCodeAt(i) === 34 /* " */) {
          cell = '';
          let j = i + 1;
          for (;;) {
            const quote = text.indexOf('"', j);
            if (quote < 0 || (quote + 1 >= n && !final)) {
              if (!final) {
                complete = false;
                break row;
              }
              throw new InputError({ file, line: startLine }, 'unterminated quoted field');
            }
            for (let k = j; k < quote; k++) if (text.charCodeAt(k) === 10) line++;
            cell += text.slice(j, quote);
            if (text.charCodeAt(quote + 1) === 34) {
              cell += '"';
              j = quote + 2;
              continue;
            }
            i = quote + 1;
            break;
          }
          if (i < n) {
            const next = text.charCodeAt(i);
            if (next !== 44 && next !== 13 && next !== 10) throw new InputError({ file, line }, 'unexpected character after a closing quote');
          }
        } else {
          // The cell ends at the next comma, LF or CR: found with indexOf (native scanning), each
          // position kept until the reader passes it (-1: none in the rest of the text).
          if (nextComma !== -1 && nextComma < i) nextComma = text.indexOf(',', i);
          if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
          if (nextCr !== -1 && nextCr < i) nextCr = text.indexOf('\r', i);
          let j = n;
          if (nextComma !== -1) j = nextComma;
          if (nextLf !== -1 && nextLf < j) j = nextLf;
          if (nextCr !== -1 && nextCr < j) j = nextCr;
          if (j >= n && !final) {
            complete = false;
            break;
          }
          cell = text.slice(i, j);
          i = j;
        }
        cells.push(cell);
        if (i < n && text.charCodeAt(i) === 44) {
          i++;
          continue;
        }
        break;
      }
      // A row cut by the chunk's end (or a CR that an LF may follow) is read again with the next chunk.
      if (!complete || (!final && i >= n - 1 && text.charCodeAt(i) === 13)) {
        this.pending = text.slice(rowStart);
        this.line = startLine;
        return;
      }
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      // Skip blank lines (e.g. a trailing newline at the end of the file).
      if (!(cells.length === 1 && cells[0] === '')) this.onRow(cells, startLine);
    }
    this.pending = '';
    this.line = line;
  }
}

/** Splits CSV text into rows of cells. `file` is only used in error messages. */
export const parseCsv = (text: string, file: string): CsvRow[] => {
  const rows: CsvRow[] = [];
  const reader = new CsvRowReader(file, (cells, line) => rows.push({ line, cells }));
  reader.push(text);
  reader.end();
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
