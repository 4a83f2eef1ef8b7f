/**
 * Where generated rows go. The person model writes CSV lines (columns in the order of
 * core's TABLES definition) to a RowSink; the CSV sink buffers them into part files.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_COLUMN_NAMES, TABLES, TABLE_NAMES, type TableName } from '@openphm/core';

export interface RowSink {
  row(table: TableName, line: string): void;
  /** A synthetic identity (core's IDENTITY_TABLE columns): kept apart from the person-level tables. */
  identity?(line: string): void;
}

/** The folder (and table name) identity part files are written to, beside the tables' folders. */
export const IDENTITY_DIR = 'identity';
export const identityCsvHeader = (): string => IDENTITY_COLUMN_NAMES.join(',');

export const csvHeader = (table: TableName): string => TABLES[table].columns.map((c) => c.name).join(',');

/** Bytes each table's (and the identities') write buffer holds before it is written out. */
const BUFFER_BYTES = 1 << 18;

/**
 * One part file: each line is encoded (UTF-8) straight into a fixed buffer that is written out
 * when full, so no line outlives the call that made it (measured at 300,000 people, joining
 * arrays of buffered lines cost more CPU than the simulation of some whole settings, mostly in
 * the garbage collector: docs/benchmarks.md).
 */
class PartFile {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  constructor(private readonly fd: number) {}

  line(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 + 1 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 + 1 > BUFFER_BYTES) {
        writeSync(this.fd, `${text}\n`);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
    this.buffer[this.used++] = 10;
  }

  flush(): void {
    let at = 0;
    while (at < this.used) at += writeSync(this.fd, this.buffer, at, this.used - at);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Writes `<dir>/<table>/<partName>.csv` for every table, with a header row, in buffered blocks. */
export class CsvPartSink implements RowSink {
  private readonly files: Record<TableName, PartFile>;
  readonly counts: Record<TableName, number>;
  private readonly identityFile: PartFile | undefined;
  identities = 0;

  /** With `identities`, also writes `<dir>/identity/<partName>.csv`. */
  constructor(dir: string, partName: string, options: { identities?: boolean } = {}) {
    this.counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    this.files = Object.fromEntries(
      TABLE_NAMES.map((table) => {
        mkdirSync(join(dir, table), { recursive: true });
        const file = new PartFile(openSync(join(dir, table, `${partName}.csv`), 'w'));
        file.line(csvHeader(table));
        return [table, file];
      }),
    ) as Record<TableName, PartFile>;
    if (options.identities === true) {
      mkdirSync(join(dir, IDENTITY_DIR), { recursive: true, mode: 0o700 });
      this.identityFile = new PartFile(openSync(join(dir, IDENTITY_DIR, `${partName}.csv`), 'w', 0o600));
      this.identityFile.line(identityCsvHeader());
    }
  }

  identity(line: string): void {
    if (this.identityFile === undefined) return;
    this.identityFile.line(line);
    this.identities++;
  }

  row(table: TableName, line: string): void {
    this.files[table].line(line);
    this.counts[table]++;
  }

  close(): void {
    for (const table of TABLE_NAMES) this.files[table].close();
    this.identityFile?.close();
  }
}

/** Keeps rows in memory: for tests and for small in-process generation. */
export class MemorySink implements RowSink {
  readonly rows: Record<TableName, string[]> = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as string[]])) as Record<
    TableName,
    string[]
  >;

  /** Identity rows (when the generation draws identities). */
  readonly identities: string[] = [];

  row(table: TableName, line: string): void {
    this.rows[table].push(line);
  }

  identity(line: string): void {
    this.identities.push(line);
  }

  private readonly cache = new Map<TableName, { length: number; objects: Record<string, string>[] }>();

  /** Rows of a table as objects keyed by column name (all values as strings; empty = ''). Cached until rows change. */
  objects(table: TableName): Record<string, string>[] {
    const cached = this.cache.get(table);
    if (cached && cached.length === this.rows[table].length) return cached.objects;
    const names = TABLES[table].columns.map((c) => c.name);
    const objects = this.rows[table].map((line) => {
      const values = line.split(',');
      return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
    });
    this.cache.set(table, { length: this.rows[table].length, objects });
    return objects;
  }
}
