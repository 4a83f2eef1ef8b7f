/**
 * Reading rows recorded elsewhere first (referrals, caseload episodes) from a CSV table: the header
 * checked against the columns expected, each row read by a caller's function that reports its
 * problems by field, blank lines skipped, and every problem an InputError naming the file, the line
 * and the field. Pure: the caller parses the CSV text.
 */
import { InputError } from '../errors/errors.js';
import { dayFromIso } from '../time/days.js';
import { isOneOf } from '../codes/one-of.js';

export interface ImportTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export interface RowReader {
  /** The trimmed cell of a column ('' when the column is absent). */
  readonly get: (column: string) => string;
  /** Reports a problem with a field of this row (the row is then left out). */
  readonly problem: (field: string, message: string) => void;
  readonly line: number;
  readonly has: (column: string) => boolean;
  /**
   * The cell of a column that must be one of `values`; otherwise a problem naming `what` (the row is
   * left out, so the first value returned in its place is never used).
   */
  readonly oneOf: <T extends string>(column: string, values: readonly T[], what: string) => T;
}

/** Whether text is a real calendar day written YYYY-MM-DD. */
export const isIsoDay = (text: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    dayFromIso(text);
    return true;
  } catch {
    return false;
  }
};

/** Reads every row with `read`; stops collecting after `limit` problems (a wrong file would otherwise list every row). */
export const readImportTable = <T>(
  table: ImportTable,
  columns: { readonly required: readonly string[]; readonly optional: readonly string[] },
  read: (row: RowReader) => T,
  limit = 20,
): { items: T[]; errors: InputError[] } => {
  const { file } = table;
  const errors: InputError[] = [];
  const header = table.header.map((h) => h.trim().toLowerCase());
  const expected = [...columns.required, ...columns.optional];
  const missing = columns.required.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !expected.includes(h));
  if (missing.length > 0) errors.push(new InputError({ file, line: 1 }, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`));
  if (unknown.length > 0) errors.push(new InputError({ file, line: 1 }, `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (expected ${expected.join(', ')})`));
  if (errors.length > 0) return { items: [], errors };
  const col = new Map(header.map((h, i) => [h, i]));
  const items: T[] = [];
  for (const { line, cells } of table.rows) {
    if (errors.length >= limit) break;
    if (cells.length === 1 && cells[0]!.trim() === '') continue; // a blank line
    const problem = (field: string, message: string) => void errors.push(new InputError({ file, line, field }, message));
    if (cells.length !== header.length) {
      problem('(row)', `${cells.length} fields, the header has ${header.length}`);
      continue;
    }
    const before = errors.length;
    const get = (name: string) => (col.has(name) ? (cells[col.get(name)!] ?? '').trim() : '');
    const oneOf = <T extends string>(name: string, values: readonly T[], what: string): T => {
      const value = get(name);
      if (isOneOf(values, value)) return value;
      problem(name, `'${value}' is not ${what} (${values.join(', ')})`);
      return values[0]!;
    };
    const item = read({ get, problem, line, has: (name) => col.has(name), oneOf });
    if (errors.length === before) items.push(item);
  }
  return { items, errors: errors.slice(0, limit) };
};

/** The row's person_id and the neighbourhood they live in ('' when the id is wrong or not a resident: reported). */
export const residentOf = (row: RowReader, neighbourhoodOf: ReadonlyMap<string, string>): { personId: string; neighbourhoodId: string } => {
  const personId = row.get('person_id');
  if (!/^\d{1,18}$/.test(personId)) {
    row.problem('person_id', `'${personId}' is not a pseudonymous person id (digits)`);
    return { personId, neighbourhoodId: '' };
  }
  const neighbourhoodId = neighbourhoodOf.get(personId);
  if (neighbourhoodId === undefined) row.problem('person_id', `person ${personId} is not a resident of any neighbourhood in the data`);
  return { personId, neighbourhoodId: neighbourhoodId ?? '' };
};
