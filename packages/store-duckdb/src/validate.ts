/**
 * Loading one person-level table from its CSV files: stage every file as text, check it with
 * set-based SQL, then insert the typed rows in canonical order.
 *
 * Staging: each file is read by DuckDB's CSV reader (all columns as VARCHAR, empty field = NULL)
 * into a temporary table, one INSERT per file in file order, so `rowid` follows file order and,
 * within a file, record order. A record's line number is recovered from its rowid (and, for the
 * rare error message, by re-reading the file up to that record, which also accounts for blank
 * lines and quoted line breaks).
 *
 * Checks: one query per table evaluates every row-local check for every row (empty required
 * value, type, enum, range, code validity, LSOA/practice membership, person reference, row checks)
 * and returns the first offending row; a second query finds the first duplicate key. Codes
 * (SNOMED CT, ICD-10, BNF, LSOA, ODS) are checked in JavaScript on their DISTINCT values only.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  Bnf,
  Icd10,
  InputError,
  InternalError,
  Lsoa,
  OdsPractice,
  Snomed,
  TABLES,
  nhsNumberProblem,
  type ColumnDefinition,
  type TableDefinition,
} from '@openphm/core';
import { recordLines, type InputFile, type TableInput } from './csv-input.js';
import { SQL_TYPES, ident, literal } from './sql.js';

/** Reference data the checks need: LSOA and practice codes of the partnership. */
export interface CheckContext {
  readonly lsoaCodes: ReadonlySet<string>;
  readonly practiceCodes: ReadonlySet<string>;
}

/** A table checked on import: a person-level table, or one kept apart like the identity table. */
export type CheckedTableDefinition = Omit<TableDefinition, 'name'> & { readonly name: string };

/** The files of one table to stage: a person-level table by name, or another checked table with its definition. */
export type StageInput = TableInput | { readonly def: CheckedTableDefinition; readonly files: readonly InputFile[] };

export interface StagedTable {
  readonly def: CheckedTableDefinition;
  readonly sqlName: string;
  readonly files: readonly InputFile[];
  /** Per file: the rowid of its first record and its number of records. */
  readonly ranges: readonly { readonly start: number; readonly count: number }[];
  readonly rows: number;
}

const REJECTS = 'phm_csv_rejects';
const REJECT_SCANS = 'phm_csv_reject_scans';

const readAll = async (connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> =>
  (await connection.runAndReadAll(sql)).getRowObjectsJS();

const toNumber = (value: unknown): number => (typeof value === 'bigint' ? Number(value) : Number(value));
const toText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

// ---------------------------------------------------------------------------------------------
// Staging

/** DuckDB's CSV reader over files of one header: every column as text, an empty field NULL, malformed CSV an error (or a reject row, with `rejects`). */
const readCsvSql = (paths: readonly string[], header: readonly string[], rejects: boolean): string =>
  `read_csv([${paths.map(literal).join(', ')}], header = true, auto_detect = false, ` +
  `columns = {${header.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}, ` +
  `delim = ',', quote = '"', escape = '"', nullstr = '', strict_mode = true` +
  (rejects ? `, store_rejects = true, rejects_table = ${literal(REJECTS)}, rejects_scan = ${literal(REJECT_SCANS)})` : ')');

const rejectProblem = (errorType: string, message: string): string => {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  switch (errorType) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      return counts ? `expected ${counts[1]} fields (as in the header), found ${counts[2]}` : message;
    case 'INVALID ENCODING':
      return 'the text is not valid UTF-8 (save the file as UTF-8)';
    case 'UNQUOTED VALUE':
      return 'badly quoted field (a field containing a quote must be quoted, with the quote doubled)';
    case 'LINE SIZE OVER MAXIMUM':
      return 'the line is too long (unbalanced quotes?)';
    default:
      return `cannot be read as CSV: ${message}`;
  }
};

const checkRejects = async (connection: DuckDBConnection, file: InputFile): Promise<void> => {
  const [first] = await readAll(
    connection,
    `SELECT line, column_name, error_type, error_message FROM ${ident(REJECTS)} ORDER BY line, column_idx LIMIT 1`,
  );
  if (!first) return;
  const errorType = String(first.error_type);
  const column = toText(first.column_name);
  const withField = column !== null && (errorType === 'INVALID ENCODING' || errorType === 'UNQUOTED VALUE');
  throw new InputError(
    { file: file.name, line: toNumber(first.line), ...(withField ? { field: column } : {}) },
    rejectProblem(errorType, String(first.error_message)),
  );
};

/** Stages the CSV files of a table as text in a temporary table. Malformed CSV is reported here. */
export const stageTable = async (
  connection: DuckDBConnection,
  input: StageInput,
  onFile?: (file: InputFile) => void,
): Promise<StagedTable> => {
  const def = 'def' in input ? input.def : TABLES[input.table];
  const sqlName = ident(`stg_${def.name}`);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${sqlName} (file_idx INTEGER NOT NULL, ${def.columns.map((c) => `${ident(c.name)} VARCHAR`).join(', ')})`,
  );
  for (const [index, file] of input.files.entries()) {
    const columns = file.header.map(ident).join(', ');
    try {
      await connection.run(`INSERT INTO ${sqlName} (file_idx, ${columns}) SELECT ${index}, ${columns} FROM ${readCsvSql([file.path], file.header, true)}`);
    } catch (error) {
      // Problems in rows are stored as rejects (below); anything else stops the reader.
      throw new InputError({ file: file.name }, `cannot be read as CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
    await checkRejects(connection, file);
    onFile?.(file);
  }
  const byFile = await readAll(
    connection,
    `SELECT file_idx, min(rowid) AS first, max(rowid) AS last, count(*) AS n FROM ${sqlName} GROUP BY file_idx`,
  );
  const ranges = input.files.map(() => ({ start: 0, count: 0 }));
  let rows = 0;
  for (const r of byFile) {
    const [start, last, count] = [toNumber(r.first), toNumber(r.last), toNumber(r.n)];
    if (last - start + 1 !== count) throw new InternalError(`staging ${def.name}: rowids of file ${String(r.file_idx)} are not contiguous`);
    ranges[toNumber(r.file_idx)] = { start, count };
    rows += count;
  }
  for (let i = 1; i < ranges.length; i++) {
    const [previous, current] = [ranges[i - 1]!, ranges[i]!];
    if (current.count > 0 && previous.count > 0 && current.start < previous.start + previous.count) {
      throw new InternalError(`staging ${def.name}: rowids do not follow file order`);
    }
  }
  return { def, sqlName, files: input.files, ranges, rows };
};

// ---------------------------------------------------------------------------------------------
// Per-column SQL

const TYPE_PATTERNS: Partial<Record<ColumnDefinition['type'], string>> = {
  bigint: '-?[0-9]{1,19}',
  integer: '-?[0-9]{1,10}',
  double: '[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?',
  date: '[0-9]{4}-[0-9]{2}-[0-9]{2}',
  timestamp: '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}',
};

/** The typed value of a raw text expression (NULL when it does not convert). */
const typedSql = (column: ColumnDefinition, raw: string): string => {
  switch (column.type) {
    case 'varchar':
      return raw;
    case 'boolean':
      return `(CASE lower(${raw}) WHEN 'true' THEN true WHEN 'false' THEN false END)`;
    default:
      return `TRY_CAST(${raw} AS ${SQL_TYPES[column.type]})`;
  }
};

/**
 * The length of a value of the type as DuckDB writes it, where every such text matches the type's
 * pattern: a whole number (any length DuckDB writes matches `-?[0-9]{1,19}`), a date of a year from 0
 * to 9999 (10 characters: not a 5-digit year nor a BC date), a timestamp in whole seconds (19: not
 * fractional seconds).
 */
const CANONICAL_LENGTH: Partial<Record<ColumnDefinition['type'], number>> = { date: 10, timestamp: 19 };

/**
 * True when a non-NULL raw value is well-formed for the column's type. `typed` is the value's
 * typedSql (NULL when it does not convert). A value written exactly as DuckDB writes its typed value
 * (of the canonical length) is well-formed without the regular expression, which is evaluated for the
 * other values only (a CASE evaluates a branch for the rows that reach it): the same answer for every
 * value, at a fraction of the cost on the values extracts are made of.
 */
const wellFormedSql = (column: ColumnDefinition, raw: string, typed: string): string => {
  switch (column.type) {
    case 'varchar':
      return 'true';
    case 'boolean':
      return `lower(${raw}) IN ('true', 'false')`;
    case 'double':
      return `regexp_full_match(${raw}, ${literal(TYPE_PATTERNS.double!)}) AND isfinite(TRY_CAST(${raw} AS DOUBLE))`;
    default: {
      const length = CANONICAL_LENGTH[column.type];
      const canonical = `CAST(${typed} AS VARCHAR) = ${raw}${length === undefined ? '' : ` AND length(${raw}) = ${length}`}`;
      return `CASE WHEN ${canonical} THEN true ELSE regexp_full_match(${raw}, ${literal(TYPE_PATTERNS[column.type]!)}) AND ${typed} IS NOT NULL END`;
    }
  }
};

/** Converts validated text to the column type (for the final insert). */
const castSql = (column: ColumnDefinition, raw: string): string => {
  switch (column.type) {
    case 'varchar':
      return raw;
    case 'boolean':
      return `(lower(${raw}) = 'true')`;
    default:
      return `CAST(${raw} AS ${SQL_TYPES[column.type]})`;
  }
};

const CODE_CHECKS = ['lsoa', 'practice', 'snomed', 'icd10', 'bnf'] as const;
type CodeCheck = (typeof CODE_CHECKS)[number];
const isCodeCheck = (kind: string): kind is CodeCheck => (CODE_CHECKS as readonly string[]).includes(kind);

const codeIsBad = (kind: CodeCheck, value: string, context: CheckContext): boolean => {
  switch (kind) {
    case 'lsoa':
      return !context.lsoaCodes.has(value);
    case 'practice':
      return !context.practiceCodes.has(value);
    case 'snomed':
      return !Snomed.is(value);
    case 'icd10':
      return !Icd10.is(value);
    case 'bnf':
      return !Bnf.is(value);
  }
};

/**
 * True when raw text is an NHS number (ten digits, no spaces) whose modulus 11 check digit is right:
 * the weighted sum of the first nine (10 down to 2) mod 11 is not 1, and 11 minus it (11 as 0) is
 * the tenth digit. The same rule as core's nhsNumberCheckDigit, set-based.
 */
export const validNhsNumberSql = (raw: string): string => {
  const digit = (i: number) => `TRY_CAST(substr(${raw}, ${i}, 1) AS INTEGER)`;
  const sum = Array.from({ length: 9 }, (_, i) => `${10 - i} * ${digit(i + 1)}`).join(' + ');
  return `COALESCE(CASE WHEN regexp_full_match(${raw}, '[0-9]{10}') THEN (${sum}) % 11 <> 1 AND (11 - (${sum}) % 11) % 11 = ${digit(10)} END, false)`;
};

/** A UK postcode, upper case, with or without its space. */
export const POSTCODE_PATTERN = '[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}';

// Problem codes returned by the check query, per column.
const EMPTY = 1;
const MALFORMED = 2;
const FAILED_CHECK = 3;

const columnProblem = (column: ColumnDefinition, value: string, code: number): string => {
  if (code === EMPTY) return 'empty, but a value is required';
  if (code === MALFORMED) {
    switch (column.type) {
      case 'date':
        return `'${value}' is not a valid date (YYYY-MM-DD)`;
      case 'timestamp':
        return `'${value}' is not a valid timestamp (YYYY-MM-DD HH:MM:SS)`;
      case 'bigint':
      case 'integer':
        return /^-?\d+$/.test(value) ? `'${value}' is too large` : `'${value}' is not a whole number`;
      case 'double':
        return `'${value}' is not a number`;
      case 'boolean':
        return `'${value}' is not true or false`;
      default:
        return `'${value}' is not a valid ${column.type}`;
    }
  }
  const check = column.check;
  switch (check?.kind) {
    case 'enum':
      return `'${value}' is not one of ${check.values.join(', ')}`;
    case 'range':
      return `'${value}' is out of range (${check.min} to ${check.max})`;
    case 'lsoa':
      return Lsoa.is(value) ? `unknown LSOA '${value}' (not in the partnership)` : `'${value}' is not a valid ${Lsoa.name}`;
    case 'practice':
      return OdsPractice.is(value) ? `unknown practice '${value}' (not in the partnership)` : `'${value}' is not a valid ${OdsPractice.name}`;
    case 'snomed':
      return `'${value}' is not a valid ${Snomed.name}`;
    case 'icd10':
      return `'${value}' is not a valid ${Icd10.name}${value.includes('.') ? ' (write ICD-10 codes without the dot, e.g. I219)' : ''}`;
    case 'bnf':
      return `'${value}' is not a valid ${Bnf.name}`;
    case 'person':
      return `unknown person ${value} (not in the person table)`;
    case 'nhs-number': {
      const problem = nhsNumberProblem(value);
      return problem === null ? `'${value}': write the NHS number as ten digits without spaces` : `'${value}' is not a valid NHS number (${problem})`;
    }
    case 'postcode':
      return `'${value}' is not a UK postcode (such as LS1 4AP)`;
    case 'as-person':
      return `'${value}' is not the person's ${column.name} in the person table`;
    default:
      throw new InternalError(`${column.name}: unexpected problem code ${code}`);
  }
};

const mentions = (sql: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(sql);

const rowCheckProblem = (
  def: CheckedTableDefinition,
  check: NonNullable<TableDefinition['rowChecks']>[number],
  raw: (column: string) => string | null,
): string => {
  let message = `'${raw(check.field) ?? ''}' ${check.message}`;
  for (const column of def.columns) {
    if (column.name === check.field || !mentions(check.sql, column.name)) continue;
    const value = raw(column.name);
    const shown = value === null ? 'empty' : `'${value}'`;
    if (mentions(check.message, column.name)) message = message.replace(new RegExp(`\\b${column.name}\\b`), `${column.name} ${shown}`);
    else message += ` (${column.name} ${shown})`;
  }
  return message;
};

// ---------------------------------------------------------------------------------------------
// Checks

const locate = async (staged: StagedTable, rowid: number): Promise<{ file: InputFile; record: number }> => {
  const index = staged.ranges.findIndex((r) => rowid >= r.start && rowid < r.start + r.count);
  const file = staged.files[index];
  if (!file) throw new InternalError(`${staged.def.name}: rowid ${rowid} is in no file`);
  return { file, record: rowid - staged.ranges[index]!.start };
};

/** The file and line (header = line 1) of a staged row, for messages. */
export const lineOf = async (staged: StagedTable, rowid: number): Promise<{ file: InputFile; line: number }> => {
  const { file, record } = await locate(staged, rowid);
  const lines = await recordLines(file.path, [record]);
  return { file, line: lines.get(record) ?? record + 2 };
};

/**
 * The bad distinct values (sorted) of each code column of a relation holding the columns as read,
 * checked in JavaScript: column name → values, only the columns with any.
 */
const badCodes = async (connection: DuckDBConnection, def: CheckedTableDefinition, relation: string, context: CheckContext): Promise<Map<string, string[]>> => {
  const columns = def.columns.filter((c) => c.check && isCodeCheck(c.check.kind));
  const found = new Map<string, string[]>();
  if (columns.length === 0) return found;
  const [row] = await readAll(
    connection,
    `SELECT ${columns.map((c, i) => `list(DISTINCT ${ident(c.name)}) FILTER (WHERE ${ident(c.name)} IS NOT NULL) AS v${i}`).join(', ')} FROM ${relation}`,
  );
  for (const [i, column] of columns.entries()) {
    const kind = column.check!.kind as CodeCheck;
    const values = (row?.[`v${i}`] as (string | null)[] | null) ?? [];
    const bad = values.filter((v): v is string => v !== null && codeIsBad(kind, v, context)).sort();
    if (bad.length > 0) found.set(column.name, bad);
  }
  return found;
};

/** Builds temporary tables of the bad distinct values of code columns; returns column name → table. */
const badCodeTables = async (connection: DuckDBConnection, staged: StagedTable, context: CheckContext): Promise<Map<string, string>> => {
  const tables = new Map<string, string>();
  if (staged.rows === 0) return tables;
  for (const [column, bad] of await badCodes(connection, staged.def, staged.sqlName, context)) {
    const table = ident(`bad_${staged.def.name}_${column}`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (value VARCHAR NOT NULL)`);
    const appender = await connection.createAppender(`bad_${staged.def.name}_${column}`);
    try {
      for (const value of bad) {
        appender.appendVarchar(value);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    tables.set(column, table);
  }
  return tables;
};

interface Finding {
  readonly rowid: number;
  readonly describe: () => Promise<InputError>;
}

/**
 * Every row-local check of a table as SQL over a relation of its raw text columns (named as the
 * columns): the inner SELECT list (`rowid AS rid` when asked, the raw values as r0.., the typed values
 * under the columns' names), the joins the checks need, one problem code per column (p0..) and one flag
 * per row check (rc0..). Code columns are checked against `badTables` (bad distinct values), or not at
 * all without it (the one-pass load checks them after the insert).
 */
const rowCheckSql = (def: CheckedTableDefinition, badTables: ReadonlyMap<string, string> | undefined, withRowId: boolean) => {
  const raw = (i: number) => `r${i}`;
  const inner = [
    ...(withRowId ? ['rowid AS rid'] : []),
    ...def.columns.map((c, i) => `${ident(c.name)} AS ${raw(i)}`),
    ...def.columns.map((c) => `${typedSql(c, ident(c.name))} AS ${ident(c.name)}`),
  ];
  const joins: string[] = [];
  const problems = def.columns.map((c, i) => {
    const r = `t.${raw(i)}`;
    const typed = `t.${ident(c.name)}`;
    let failed: string | undefined;
    const check = c.check;
    if (check?.kind === 'enum') failed = `${r} NOT IN (${check.values.map(literal).join(', ')})`;
    else if (check?.kind === 'range') failed = `(${typed} < ${check.min} OR ${typed} > ${check.max})`;
    // A semi-join (the person table is the side hashed, whatever the size of the other): typed is not NULL here.
    else if (check?.kind === 'person') failed = `NOT (${typed} IN (SELECT person_id FROM person))`;
    else if (check?.kind === 'as-person') {
      joins.push(`LEFT JOIN (SELECT person_id AS k, ${ident(c.name)} AS v FROM person) ap${i} ON ap${i}.k = t.person_id`);
      failed = `ap${i}.k IS NOT NULL AND ${typed} IS DISTINCT FROM ap${i}.v`;
    } else if (check?.kind === 'nhs-number') failed = `NOT ${validNhsNumberSql(r)}`;
    else if (check?.kind === 'postcode') failed = `NOT regexp_full_match(upper(${r}), ${literal(POSTCODE_PATTERN)})`;
    else if (check && isCodeCheck(check.kind) && badTables?.has(c.name)) {
      failed = `${r} IN (SELECT value FROM ${badTables.get(c.name)!})`;
    }
    return (
      `CASE WHEN ${r} IS NULL THEN ${c.nullable ? 'NULL' : EMPTY} ` +
      `WHEN NOT COALESCE(${wellFormedSql(c, r, typed)}, false) THEN ${MALFORMED} ` +
      (failed ? `WHEN ${failed} THEN ${FAILED_CHECK} ` : '') +
      `END AS p${i}`
    );
  });
  const rowChecks = (def.rowChecks ?? []).map(
    // Row checks are written over the typed column names, which are the names of t's typed columns.
    (check, j) => `CASE WHEN NOT COALESCE((${check.sql}), true) THEN 1 END AS rc${j}`,
  );
  const flags = [...problems.map((_, i) => `p${i}`), ...rowChecks.map((_, j) => `rc${j}`)];
  return { raw, inner, joins, problems, rowChecks, flags };
};

/** The first row (in file order) failing any row-local check, or undefined. */
const firstRowProblem = async (
  connection: DuckDBConnection,
  staged: StagedTable,
  badTables: ReadonlyMap<string, string>,
): Promise<Finding | undefined> => {
  const { def } = staged;
  const { raw, inner, joins, problems, rowChecks, flags } = rowCheckSql(def, badTables, true);
  const sql =
    `SELECT * FROM (SELECT t.rid, ${def.columns.map((_, i) => `t.${raw(i)}`).join(', ')}, ${[...problems, ...rowChecks].join(', ')} ` +
    `FROM (SELECT ${inner.join(', ')} FROM ${staged.sqlName}) t ${joins.join(' ')}) ` +
    `WHERE COALESCE(${flags.join(', ')}) IS NOT NULL ORDER BY rid LIMIT 1`;
  const [row] = await readAll(connection, sql);
  if (!row) return undefined;
  const rowid = toNumber(row.rid);
  const rawValue = (name: string): string | null => toText(row[raw(def.columns.findIndex((c) => c.name === name))]);
  return {
    rowid,
    describe: async () => {
      const { file, line } = await lineOf(staged, rowid);
      for (const [i, column] of def.columns.entries()) {
        const code = row[`p${i}`];
        if (code === null || code === undefined) continue;
        return new InputError({ file: file.name, line, field: column.name }, columnProblem(column, rawValue(column.name) ?? '', toNumber(code)));
      }
      for (const [j, check] of (def.rowChecks ?? []).entries()) {
        if (row[`rc${j}`] === null || row[`rc${j}`] === undefined) continue;
        return new InputError({ file: file.name, line, field: check.field }, rowCheckProblem(def, check, rawValue));
      }
      throw new InternalError(`${def.name}: flagged row ${rowid} has no problem`);
    },
  };
};

/** The first row (in file order) whose key (the primary key, or another unique key) was already used by an earlier row, or undefined. */
const firstDuplicate = async (connection: DuckDBConnection, staged: StagedTable, key: readonly string[] | undefined): Promise<Finding | undefined> => {
  const { def } = staged;
  if (!key || key.length === 0 || staged.rows === 0) return undefined;
  const keyColumns = key.map((name) => {
    const column = def.columns.find((c) => c.name === name);
    if (!column) throw new InternalError(`${def.name}: primary key column ${name} is not a column`);
    return column;
  });
  const keys = keyColumns.map((c, i) => `${typedSql(c, ident(c.name))} AS k${i}`);
  const notNull = keyColumns.map((_, i) => `k${i} IS NOT NULL`).join(' AND ');
  const keyList = keyColumns.map((_, i) => `k${i}`).join(', ');
  const source = `(SELECT rowid AS rid, ${keys.join(', ')} FROM ${staged.sqlName}) WHERE ${notNull}`;
  const [any] = await readAll(connection, `SELECT count(*) AS n FROM (SELECT ${keyList} FROM ${source} GROUP BY ALL HAVING count(*) > 1)`);
  if (!any || toNumber(any.n) === 0) return undefined;
  const [row] = await readAll(
    connection,
    `SELECT rid, first_rid, ${keyColumns.map((_, i) => `CAST(k${i} AS VARCHAR) AS k${i}`).join(', ')} FROM (` +
      `SELECT rid, ${keyList}, min(rid) OVER (PARTITION BY ${keyList}) AS first_rid FROM ${source}) ` +
      `WHERE rid <> first_rid ORDER BY rid LIMIT 1`,
  );
  if (!row) throw new InternalError(`${def.name}: duplicate keys found but no duplicate row`);
  const rowid = toNumber(row.rid);
  return {
    rowid,
    describe: async () => {
      const { file, line } = await lineOf(staged, rowid);
      const first = await lineOf(staged, toNumber(row.first_rid));
      const names = keyColumns.map((c) => c.name);
      const values = keyColumns.map((_, i) => String(row[`k${i}`]));
      const key = names.length === 1 ? `${names[0]} ${values[0]}` : `(${names.join(', ')}) (${values.join(', ')})`;
      const where = first.file === file ? `on line ${first.line}` : `in ${first.file.name} line ${first.line}`;
      return new InputError({ file: file.name, line, field: names[0]! }, `duplicate ${key}, first seen ${where}`);
    },
  };
};

/**
 * Checks a staged table and throws an InputError for its first problem: the one on the earliest
 * line (files in name order); on the same line, column checks in column order come before the
 * duplicate-key check and row checks.
 */
export const checkStagedTable = async (connection: DuckDBConnection, staged: StagedTable, context: CheckContext): Promise<void> => {
  if (staged.rows === 0) return;
  const { def } = staged;
  const badTables = await badCodeTables(connection, staged, context);
  try {
    const findings: Finding[] = [];
    for (const find of [
      () => firstRowProblem(connection, staged, badTables),
      () => firstDuplicate(connection, staged, def.primaryKey),
      ...(def.uniqueKeys ?? []).map((key) => () => firstDuplicate(connection, staged, key)),
    ]) {
      const found = await find();
      if (found !== undefined) findings.push(found);
    }
    if (findings.length === 0) return;
    const first = findings.reduce((a, b) => (b.rowid < a.rowid ? b : a));
    throw await first.describe();
  } finally {
    for (const table of badTables.values()) await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
};

/** The SELECT list converting a checked staged table's text columns to the table's types. */
export const typedColumnsSql = (def: Pick<CheckedTableDefinition, 'columns'>): string =>
  def.columns.map((c) => `${castSql(c, ident(c.name))} AS ${ident(c.name)}`).join(', ');

/**
 * A column as a sort key: a text column of enumerated values as an ENUM of them in byte order, which
 * sorts every checked value as its text does but on a one-byte key; any other column as it is.
 */
const sortKeySql = (column: ColumnDefinition): string => {
  if (column.type !== 'varchar' || column.check?.kind !== 'enum') return ident(column.name);
  const values = [...column.check.values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `CAST(${ident(column.name)} AS ENUM (${values.map(literal).join(', ')}))`;
};

/**
 * A table's canonical order, so that the same rows are stored the same way whatever the files' order:
 * its order-by columns, then every other column; or its order-by columns alone when they begin with
 * its whole primary key (of required columns), which no two rows that pass the checks share.
 */
export const canonicalOrderSql = (def: Pick<TableDefinition, 'orderBy' | 'columns' | 'primaryKey'>): string => {
  const key = def.primaryKey ?? [];
  const column = (name: string) => {
    const found = def.columns.find((c) => c.name === name);
    if (!found) throw new InternalError(`order-by column ${name} is not a column`);
    return found;
  };
  const unique = key.length > 0 && key.every((k) => def.orderBy.slice(0, key.length).includes(k) && !column(k).nullable);
  const names = unique ? def.orderBy : [...def.orderBy, ...def.columns.map((c) => c.name).filter((n) => !def.orderBy.includes(n))];
  return names.map((n) => sortKeySql(column(n))).join(', ');
};

/** The INSERT of checked rows (a relation of typed values under the columns' names) into `target`, in the table's canonical order. */
export const insertCheckedSql = (def: Pick<TableDefinition, 'orderBy' | 'columns' | 'primaryKey'>, target: string, checkedRows: string): string =>
  `INSERT INTO ${target} SELECT * FROM (SELECT ${def.columns.map((c) => ident(c.name)).join(', ')} FROM ${checkedRows}) ORDER BY ${canonicalOrderSql(def)}`;

/** Inserts the checked rows into the real table, in the table's canonical order, and drops the staging table. */
export const insertStagedTable = async (connection: DuckDBConnection, staged: StagedTable): Promise<number> => {
  const { def } = staged;
  if (staged.rows > 0) await connection.run(insertCheckedSql(def, ident(def.name), `(SELECT ${typedColumnsSql(def)} FROM ${staged.sqlName})`));
  await dropStaged(connection, staged);
  return staged.rows;
};

export const dropStaged = async (connection: DuckDBConnection, staged: Pick<StagedTable, 'sqlName'>): Promise<void> => {
  await connection.run(`DROP TABLE IF EXISTS ${staged.sqlName}`);
};

// ---------------------------------------------------------------------------------------------
// The one-pass load

/** The message of the error a row failing a check raises in the one-pass load. */
const CHECK_FAILED = 'openphm: a row failed a check';

/**
 * The rows of a table's CSV files that pass every row-local check except the code checks, as typed
 * values under the columns' names; the first row failing one raises an error, so a statement reading
 * this relation fails as a whole. Files of the same header are read by one reader, in parallel.
 */
const checkedRowsSql = (def: CheckedTableDefinition, files: readonly InputFile[]): string => {
  const byHeader = new Map<string, InputFile[]>();
  for (const file of files) {
    const key = JSON.stringify(file.header);
    byHeader.set(key, [...(byHeader.get(key) ?? []), file]);
  }
  const sources = [...byHeader.values()].map((group) => {
    const header = group[0]!.header;
    const columns = def.columns.map((c) => (header.includes(c.name) ? ident(c.name) : `NULL::VARCHAR AS ${ident(c.name)}`));
    return `SELECT ${columns.join(', ')} FROM ${readCsvSql(group.map((f) => f.path), header, false)}`;
  });
  const { inner, joins, problems, rowChecks, flags } = rowCheckSql(def, undefined, false);
  return (
    `(SELECT ${def.columns.map((c) => ident(c.name)).join(', ')} FROM (` +
    `SELECT t.*, ${[...problems, ...rowChecks].join(', ')} FROM (SELECT ${inner.join(', ')} FROM (${sources.join(' UNION ALL ')})) t ${joins.join(' ')}) ` +
    `WHERE CASE WHEN COALESCE(${flags.join(', ')}) IS NULL THEN true ELSE error(${literal(CHECK_FAILED)}) END)`
  );
};

const notLoaded = (load: CheckedLoad, reason: string): undefined => {
  load.onNotLoaded?.(reason);
  return undefined;
};

/** True when a loaded table holds two rows with the same (non-empty) key. */
const hasDuplicateKey = async (connection: DuckDBConnection, table: string, key: readonly string[]): Promise<boolean> => {
  const list = key.map(ident).join(', ');
  const [row] = await readAll(
    connection,
    `SELECT count(*) AS n FROM (SELECT ${list} FROM ${table} WHERE ${key.map((k) => `${ident(k)} IS NOT NULL`).join(' AND ')} GROUP BY ALL HAVING count(*) > 1)`,
  );
  return toNumber(row?.n ?? 0) > 0;
};

export interface CheckedLoad {
  /** The SQL name of the (empty) table the rows go to, whose code and key columns hold the values as read. */
  readonly table: string;
  /** The INSERT statement that writes the checked rows, given the relation of them (typed values under the columns' names). */
  readonly insert: (checkedRows: string) => string;
  /** Told why, when the files are left to the staged load (for tests and benchmarks: a load that falls back costs twice). */
  readonly onNotLoaded?: (reason: string) => void;
}

/**
 * Loads a table's CSV files in one pass (read, check, convert, insert), for input without problems:
 * the same checks as stageTable and checkStagedTable, but no text copy of the files and no second
 * reading of it. Returns the rows inserted, or undefined, with nothing inserted, when the files are not
 * clean (malformed CSV, a value or row failing a check, a bad code, a repeated key) or the statement
 * failed for any other reason: the caller then loads them the staged way, which names the file, line
 * and field of the first problem.
 */
export const loadCheckedRows = async (connection: DuckDBConnection, input: StageInput, context: CheckContext, load: CheckedLoad): Promise<number | undefined> => {
  const def = 'def' in input ? input.def : TABLES[input.table];
  if (input.files.length === 0) return 0;
  await connection.run('BEGIN TRANSACTION');
  let committed = false;
  try {
    const rows = Number((await connection.run(load.insert(checkedRowsSql(def, input.files)))).rowsChanged);
    const [badColumn] = (await badCodes(connection, def, load.table, context)).keys();
    if (badColumn !== undefined) return notLoaded(load, `a bad code in ${badColumn}`);
    for (const key of [def.primaryKey, ...(def.uniqueKeys ?? [])]) {
      if (key !== undefined && key.length > 0 && (await hasDuplicateKey(connection, load.table, key))) return notLoaded(load, `a repeated ${key.join(', ')}`);
    }
    await connection.run('COMMIT');
    committed = true;
    return rows;
  } catch (error) {
    return notLoaded(load, error instanceof Error ? error.message : String(error));
  } finally {
    // After a failed COMMIT there is no transaction left to roll back; the staged load then reports what is wrong.
    if (!committed) await connection.run('ROLLBACK').catch(() => undefined);
  }
};
