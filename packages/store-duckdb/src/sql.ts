/** Small helpers for building DuckDB SQL text safely. */
import type { ColumnType } from '@openphm/core';

/** A double-quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A single-quoted SQL string literal. */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export const SQL_TYPES: Record<ColumnType, string> = {
  bigint: 'BIGINT',
  integer: 'INTEGER',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  varchar: 'VARCHAR',
  boolean: 'BOOLEAN',
};
