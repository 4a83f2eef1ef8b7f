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

/**
 * A person id written into SQL as a constant (`123::BIGINT`), or null when the text is not one
 * (digits only). One person's lookups use it instead of a parameter: DuckDB skips the row groups
 * that cannot hold a constant (zone maps) but reads every row group for a parameter, 3 to 4 times
 * the work on the whole ICS's large tables (docs/benchmarks.md). Such SQL has no parameters, so it
 * is not kept as a prepared statement either.
 */
export const personIdSql = (personId: string): string | null => (/^\d{1,18}$/.test(personId) ? `${personId}::BIGINT` : null);

/** An ISO day written into SQL as a DATE constant; anything else is an internal error (callers pass checked days). */
export const daySql = (day: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not an ISO day: ${JSON.stringify(day)}`);
  return `DATE '${day}'`;
};
