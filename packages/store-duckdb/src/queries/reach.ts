/**
 * Who a list of people reaches in the population: residents of an age, counted by a breakdown from
 * the person features table, with how many of them are in the list. Each count has its cell key.
 */
import { cellKeyFromSum, type Breakdown, type KeyedCount } from '@openphm/core';
import { breakdownSql } from '../phm/breakdowns.js';
import type { Queryable } from './window.js';

export interface ReachGroup {
  readonly group: string;
  /** Everyone of the age in the group. */
  readonly people: KeyedCount;
  /** Of them, those in the list. */
  readonly reached: KeyedCount;
}

/**
 * People aged `minAge`+ in the features table `table` (of one place, or all when `place` is null) by
 * `by`, and how many of them are among `personIds` (ids that are not digits are ignored).
 */
export const reachByGroup = async (
  db: Queryable,
  options: { readonly table: string; readonly by: Breakdown; readonly place: string | null; readonly minAge: number; readonly personIds: readonly string[] },
): Promise<ReachGroup[]> => {
  // Ids are digits (checked here), so they are safe in SQL.
  const ids = [...new Set(options.personIds.filter((id) => /^\d{1,18}$/.test(id)))];
  const listed = ids.length ? `SELECT * FROM (VALUES ${ids.map((id) => `(${id}::BIGINT)`).join(', ')}) AS v(person_id)` : 'SELECT NULL::BIGINT AS person_id WHERE FALSE';
  const rows = await db.query<{ g: string; people: number; reached: number; people_key: number; reached_key: number }>(
    `WITH listed AS (${listed})
     SELECT ${breakdownSql([options.by], (c) => `f.${c}`)} AS g, count(*)::BIGINT AS people, count(r.person_id)::BIGINT AS reached,
       coalesce(sum(f.record_key), 0)::BIGINT AS people_key, coalesce(sum(f.record_key) FILTER (WHERE r.person_id IS NOT NULL), 0)::BIGINT AS reached_key
     FROM ${options.table} f LEFT JOIN listed r ON r.person_id = f.person_id
     WHERE f.age >= ${Math.trunc(options.minAge)}${options.place === null ? '' : ` AND f.place = $1`}
     GROUP BY g`,
    options.place === null ? [] : [options.place],
  );
  return rows.map((r) => ({
    group: String(r.g),
    people: { n: Number(r.people), key: cellKeyFromSum(r.people_key) },
    reached: { n: Number(r.reached), key: cellKeyFromSum(r.reached_key) },
  }));
};
