/**
 * Where generated rows go. The person model writes CSV lines (columns in the order of
 * core's TABLES definition) to a RowSink; the CSV sink buffers them into part files.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, TABLE_NAMES, type TableName } from '@openphm/core';

export interface RowSink {
  row(table: TableName, line: string): void;
}

export const csvHeader = (table: TableName): string => TABLES[table].columns.map((c) => c.name).join(',');

const FLUSH_AT = 4096;

/** Writes `<dir>/<table>/<partName>.csv` for every table, with a header row, in buffered blocks. */
export class CsvPartSink implements RowSink {
  private readonly buffers = new Map<TableName, string[]>();
  private readonly fds = new Map<TableName, number>();
  readonly counts: Record<TableName, number>;

  constructor(dir: string, partName: string) {
    this.counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    for (const table of TABLE_NAMES) {
      mkdirSync(join(dir, table), { recursive: true });
      const fd = openSync(join(dir, table, `${partName}.csv`), 'w');
      writeSync(fd, `${csvHeader(table)}\n`);
      this.fds.set(table, fd);
      this.buffers.set(table, []);
    }
  }

  row(table: TableName, line: string): void {
    const buffer = this.buffers.get(table)!;
    buffer.push(line);
    this.counts[table]++;
    if (buffer.length >= FLUSH_AT) this.flush(table);
  }

  private flush(table: TableName): void {
    const buffer = this.buffers.get(table)!;
    if (buffer.length === 0) return;
    writeSync(this.fds.get(table)!, `${buffer.join('\n')}\n`);
    buffer.length = 0;
  }

  close(): void {
    for (const table of TABLE_NAMES) {
      this.flush(table);
      closeSync(this.fds.get(table)!);
    }
  }
}

/** Keeps rows in memory: for tests and for small in-process generation. */
export class MemorySink implements RowSink {
  readonly rows: Record<TableName, string[]> = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as string[]])) as Record<
    TableName,
    string[]
  >;

  row(table: TableName, line: string): void {
    this.rows[table].push(line);
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
