/**
 * Fingerprints of the stored tables: a short text per table that changes when its rows change, so a
 * result computed from some tables can be reused on a later build whose tables it reads are the
 * same (the server's persisted results, docs/decisions/0011-persisted-results.md). Each is the row
 * count and the sum of a 64-bit hash of every whole row (order does not matter; a duplicated or
 * removed row changes it), then hashed again with SHA-256 so that nothing of the rows, nor of the
 * meta table's record key salt, can be read from it. meta.build_id (new for every build) is left
 * out: a rebuild of the same data has the same fingerprints.
 */
import { createHash } from 'node:crypto';
import { TABLE_NAMES, UserError } from '@openphm/core';
import { GEO_TABLES, META_TABLE } from '../ddl.js';
import { ident } from '../sql.js';
import type { Queryable } from './window.js';

/** The tables results are computed from: the person-level tables, the geography lookups and meta (not the load history). */
export const FINGERPRINTED_TABLES: readonly string[] = [...TABLE_NAMES, ...GEO_TABLES.map((t) => t.name), META_TABLE.name];

/** The build's id (meta.build_id), or undefined for a database built before there was one. */
export const buildIdOf = async (db: Queryable): Promise<string | undefined> => {
  const [row] = await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'");
  return row?.value;
};

const fingerprintSql = (table: string, columns: readonly string[]): string => {
  const where = table === 'meta' ? " WHERE key <> 'build_id'" : '';
  // hash over the columns listed (the same value as hash of the row as a struct, about 3 times quicker).
  return `SELECT '${table}' AS t, count(*)::BIGINT AS n, coalesce(sum(hash(${columns.map(ident).join(', ')})), 0)::VARCHAR AS h FROM ${ident(table)}${where}`;
};

/** Table name → fingerprint, for `tables` (default: every table), in one query. */
export const tableFingerprints = async (db: Queryable, tables: readonly string[] = FINGERPRINTED_TABLES): Promise<Record<string, string>> => {
  if (tables.length === 0) return {};
  const columns = new Map(
    (
      await db.query<{ t: string; c: string[] }>(
        "SELECT table_name AS t, list(column_name ORDER BY ordinal_position) AS c FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name",
      )
    ).map((r) => [r.t, r.c]),
  );
  const sql = tables.map((t) => {
    const c = columns.get(t);
    if (c === undefined) throw new UserError(`the database has no table ${t}`, 'not-found');
    return fingerprintSql(t, c);
  });
  const rows = await db.query<{ t: string; n: number; h: string }>(sql.join(' UNION ALL '));
  return Object.fromEntries(
    rows
      .map((r) => [r.t, createHash('sha256').update(`${r.t}\u0000${r.n}\u0000${r.h}`).digest('base64url').slice(0, 22)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
};
