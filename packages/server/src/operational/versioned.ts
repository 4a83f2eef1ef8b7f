/**
 * Versioned registers in the operational store: rows a user creates and changes, each change bumping
 * `version` and appending a whole snapshot to an append-only history table in the same transaction.
 * An update names the version it edits, so two people editing at once cannot overwrite each other
 * (409 naming who changed it and when). Used by actions, risks, directory entries and referrals.
 */
import { UserError } from '@openphm/core';
import type { OperationalDb, Queryable, SqlParam } from './db.js';

export const ISO_TIME = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
export const ISO_DAY = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

export interface Register<Row, Input, Update> {
  readonly table: string;
  readonly historyTable: string;
  readonly historyKey: string;
  readonly noun: string;
  /** Row field → column, for every field a user can set. */
  readonly columns: Readonly<Record<string, string>>;
  readonly select: string;
  readonly toRow: (r: Record<string, unknown>) => Row;
  readonly inputValues: (input: Input) => Record<string, SqlParam>;
  readonly updateValues: (update: Update) => Record<string, SqlParam | undefined>;
}

export const createIn = async <Row extends { id: number | string }, Input, Update>(reg: Register<Row, Input, Update>, db: Queryable, input: Input, by: string): Promise<Row> => {
  const values = reg.inputValues(input);
  const fields = Object.keys(values);
  const [row] = await db.query<Record<string, unknown>>(
    `INSERT INTO ${reg.table} (${fields.map((f) => reg.columns[f]).join(', ')}, updated_by) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}, $${fields.length + 1}) RETURNING ${reg.select}`,
    [...fields.map((f) => values[f]!), by],
  );
  const created = reg.toRow(row!);
  await db.query(`INSERT INTO ${reg.historyTable} (${reg.historyKey}, version, snapshot, changed_by) VALUES ($1, $2, $3::jsonb, $4)`, [created.id, 1, JSON.stringify(created), by]);
  return created;
};

export const updateIn = async <Row extends { id: number | string; version: number }, Input, Update extends { version: number }>(reg: Register<Row, Input, Update>, db: Queryable, id: number | string, update: Update, by: string): Promise<Row> => {
  const values = Object.entries(reg.updateValues(update)).filter((e): e is [string, SqlParam] => e[1] !== undefined);
  const sets = values.map(([f], i) => `${reg.columns[f]} = $${i + 3}`);
  const [row] = await db.query<Record<string, unknown>>(
    `UPDATE ${reg.table} SET ${[...sets, `version = version + 1`, `updated_at = clock_timestamp()`, `updated_by = $${values.length + 3}`].join(', ')}
     WHERE id = $1 AND version = $2 RETURNING ${reg.select}`,
    [id, update.version, ...values.map(([, v]) => v), by],
  );
  if (row === undefined) {
    const [current] = await db.query<{ version: number; updated_by: string; updated_at: string }>(`SELECT version, updated_by, ${ISO_TIME('updated_at')} AS updated_at FROM ${reg.table} WHERE id = $1`, [id]);
    if (current === undefined) throw new UserError(`no ${reg.noun} ${id}`, 'not-found');
    throw new UserError(`${reg.noun} ${id} was changed by ${current.updated_by} at ${current.updated_at} (now version ${current.version}, you edited version ${update.version}): reload it and make your change again`, 'conflict');
  }
  const updated = reg.toRow(row);
  await db.query(`INSERT INTO ${reg.historyTable} (${reg.historyKey}, version, snapshot, changed_by) VALUES ($1, $2, $3::jsonb, $4)`, [updated.id, updated.version, JSON.stringify(updated), by]);
  return updated;
};

export const getIn = async <Row>(reg: Register<Row, unknown, never>, db: Queryable, id: number | string): Promise<Row> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${reg.select} FROM ${reg.table} WHERE id = $1`, [id]);
  if (row === undefined) throw new UserError(`no ${reg.noun} ${id}`, 'not-found');
  return reg.toRow(row);
};

export const historyIn = async <Row>(reg: Register<Row, unknown, never>, db: Queryable, id: number | string): Promise<{ version: number; changedAt: string; changedBy: string; snapshot: Row }[]> => {
  const rows = await db.query<{ version: number; changed_at: string; changed_by: string; snapshot: unknown }>(
    `SELECT version, ${ISO_TIME('changed_at')} AS changed_at, changed_by, snapshot FROM ${reg.historyTable} WHERE ${reg.historyKey} = $1 ORDER BY version DESC`,
    [id],
  );
  return rows.map((r) => ({ version: Number(r.version), changedAt: r.changed_at, changedBy: r.changed_by, snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as Row }));
};

/** Runs `fn` in a transaction of its own, or in the caller's when `db` is already a transaction. */
export const atomically = <T>(db: OperationalDb | Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> => ('transaction' in db ? db.transaction(fn) : fn(db));


/**
 * Changes every row `where` selects (`sets`: SQL assignments; `$1`… are `params`), as one user
 * change each: version bumped, who and when, and a snapshot in the history table. For changes no
 * user makes one row at a time (closing what is open about a person a data load deleted).
 */
export const changeAllIn = async <Row extends { id: number | string; version: number }>(
  reg: Register<Row, unknown, never>,
  db: Queryable,
  change: { readonly sets: string; readonly where: string; readonly params: readonly SqlParam[] },
  by: string,
): Promise<Row[]> => {
  const at = change.params.length + 1;
  const rows = await db.query<Record<string, unknown>>(
    `UPDATE ${reg.table} SET ${change.sets}, version = version + 1, updated_at = clock_timestamp(), updated_by = $${at} WHERE ${change.where} RETURNING ${reg.select}`,
    [...change.params, by],
  );
  const changed = rows.map(reg.toRow).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const row of changed) {
    await db.query(`INSERT INTO ${reg.historyTable} (${reg.historyKey}, version, snapshot, changed_by) VALUES ($1, $2, $3::jsonb, $4)`, [row.id, row.version, JSON.stringify(row), by]);
  }
  return changed;
};
