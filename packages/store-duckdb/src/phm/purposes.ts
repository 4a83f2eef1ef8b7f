/**
 * Purposes in SQL: who may be used for a purpose (core's OPT_OUTS_APPLYING over the `opt_out`
 * table), and how many a purpose leaves out, with the cell key of their records so the count can be
 * published (core's publication module). Every person-level use of the store filters with these;
 * purposes.test.ts checks they agree with the in-memory engine.
 */
import { cellKeyFromSum, optOutsApplying, type KeyedCount, type Purpose } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { literal } from '../sql.js';

/** SQL: the person whose id is the expression `personId` may be used for the purpose ('TRUE' for direct care). */
export const includedForSql = (purpose: Purpose, personId: string): string => {
  const kinds = optOutsApplying(purpose);
  if (kinds.length === 0) return 'TRUE';
  return `NOT EXISTS (SELECT 1 FROM opt_out oo WHERE oo.person_id = ${personId} AND oo.kind IN (${kinds.map(literal).join(', ')}))`;
};

/** SQL: the person is left out for the purpose. */
export const leftOutForSql = (purpose: Purpose, personId: string): string => `NOT (${includedForSql(purpose, personId)})`;

/**
 * The people a purpose leaves out among the rows of `from` (a table or subquery with person_id and
 * record_key) that meet `where`: their number and cell key, ready for publishCount.
 */
export const leftOutCount = async (db: PhmDatabase, purpose: Purpose, from: string, where = 'TRUE'): Promise<KeyedCount> => {
  if (optOutsApplying(purpose).length === 0) return { n: 0, key: 0 };
  const [row] = await db.query<{ n: number; k: number | bigint }>(
    `SELECT count(*)::BIGINT AS n, coalesce(sum(record_key), 0)::BIGINT AS k FROM ${from} AS lo WHERE (${where}) AND ${leftOutForSql(purpose, 'lo.person_id')}`,
  );
  return { n: Number(row?.n ?? 0), key: cellKeyFromSum(row?.k ?? 0) };
};

/**
 * The carer links (carer_relationship) a purpose may use: only those where neither the carer nor the
 * person cared for holds an opt-out that applies, as a link says something about both (core's
 * linkIncludedFor); ordered by carer, person cared for and start.
 */
export const carerLinksFor = async (db: PhmDatabase, purpose: Purpose): Promise<{ carerPersonId: string; caredForPersonId: string; startDate: string; endDate: string | null }[]> =>
  (
    await db.query<{ carer: string; cared_for: string; start_date: string; end_date: string | null }>(
      `SELECT carer_person_id::VARCHAR AS carer, cared_for_person_id::VARCHAR AS cared_for, strftime(start_date, '%Y-%m-%d') AS start_date, strftime(end_date, '%Y-%m-%d') AS end_date
       FROM carer_relationship c WHERE ${includedForSql(purpose, 'c.carer_person_id')} AND ${includedForSql(purpose, 'c.cared_for_person_id')}
       ORDER BY carer_person_id, cared_for_person_id, start_date`,
    )
  ).map((r) => ({ carerPersonId: r.carer, caredForPersonId: r.cared_for, startDate: r.start_date, endDate: r.end_date }));

/** Everyone in the person table who may be used for the purpose, by person_id (ascending). */
export const personIdsFor = async (db: PhmDatabase, purpose: Purpose): Promise<number[]> =>
  (await db.query<{ person_id: number }>(`SELECT person_id FROM person p WHERE ${includedForSql(purpose, 'p.person_id')} ORDER BY person_id`)).map((r) => Number(r.person_id));
