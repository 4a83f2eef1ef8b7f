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

const FLUSH_AT = 4096;

/** Writes `<dir>/<table>/<partName>.csv` for every table, with a header row, in buffered blocks. */
export class CsvPartSink implements RowSink {
  private readonly buffers = new Map<TableName, string[]>();
  private readonly fds = new Map<TableName, number>();
  readonly counts: Record<TableName, number>;
  private readonly identityFd: number | undefined;
  private readonly identityBuffer: string[] = [];
  identities = 0;

  /** With `identities`, also writes `<dir>/identity/<partName>.csv`. */
  constructor(dir: string, partName: string, options: { identities?: boolean } = {}) {
    this.counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    for (const table of TABLE_NAMES) {
      mkdirSync(join(dir, table), { recursive: true });
      const fd = openSync(join(dir, table, `${partName}.csv`), 'w');
      writeSync(fd, `${csvHeader(table)}\n`);
      this.fds.set(table, fd);
      this.buffers.set(table, []);
    }
    if (options.identities === true) {
      mkdirSync(join(dir, IDENTITY_DIR), { recursive: true, mode: 0o700 });
      this.identityFd = openSync(join(dir, IDENTITY_DIR, `${partName}.csv`), 'w', 0o600);
      writeSync(this.identityFd, `${identityCsvHeader()}\n`);
    }
  }

  identity(line: string): void {
    if (this.identityFd === undefined) return;
    this.identityBuffer.push(line);
    this.identities++;
    if (this.identityBuffer.length >= FLUSH_AT) this.flushIdentities();
  }

  private flushIdentities(): void {
    if (this.identityFd === undefined || this.identityBuffer.length === 0) return;
    writeSync(this.identityFd, `${this.identityBuffer.join('\n')}\n`);
    this.identityBuffer.length = 0;
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
    if (this.identityFd !== undefined) {
      this.flushIdentities();
      closeSync(this.identityFd);
    }
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
