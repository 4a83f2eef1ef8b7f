/**
 * Neighbourhood names in the operational store (migration 15): a neighbourhood is named after the
 * PCN it is paired with (the geography tables), unless an admin has given it another name, kept
 * here one row per renamed neighbourhood. Clearing a name deletes the row, and the PCN's name is
 * shown again. The routes audit every change (access.ts).
 */
import type { Queryable } from './types.js';

export interface StoredNeighbourhoodName {
  readonly neighbourhoodId: string;
  readonly name: string;
  readonly version: number;
  readonly changedBy: string;
  readonly changedAt: string;
}

const SELECT = `SELECT neighbourhood_id AS "neighbourhoodId", name, version, changed_by AS "changedBy",
  to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "changedAt" FROM neighbourhood_name`;

/** Every name an admin has given, by neighbourhood id. */
export const storedNeighbourhoodNames = async (db: Queryable): Promise<ReadonlyMap<string, StoredNeighbourhoodName>> =>
  new Map((await db.query<StoredNeighbourhoodName>(`${SELECT} ORDER BY neighbourhood_id`)).map((r) => [r.neighbourhoodId, r]));

/**
 * Gives a neighbourhood a name (`name`), or takes its name away (null: the PCN's name again).
 * Returns the name it had before (null when it had the PCN's) and the stored row (null when cleared).
 */
export const storeNeighbourhoodName = async (
  db: Queryable,
  neighbourhoodId: string,
  name: string | null,
  by: string,
): Promise<{ readonly before: string | null; readonly stored: StoredNeighbourhoodName | null }> => {
  const [old] = await db.query<{ name: string }>(`SELECT name FROM neighbourhood_name WHERE neighbourhood_id = $1`, [neighbourhoodId]);
  if (name === null) {
    await db.query(`DELETE FROM neighbourhood_name WHERE neighbourhood_id = $1`, [neighbourhoodId]);
    return { before: old?.name ?? null, stored: null };
  }
  await db.query(
    `INSERT INTO neighbourhood_name (neighbourhood_id, name, changed_by) VALUES ($1, $2, $3)
     ON CONFLICT (neighbourhood_id) DO UPDATE SET name = EXCLUDED.name, changed_by = EXCLUDED.changed_by,
       version = neighbourhood_name.version + 1, changed_at = clock_timestamp()`,
    [neighbourhoodId, name, by],
  );
  const [row] = await db.query<StoredNeighbourhoodName>(`${SELECT} WHERE neighbourhood_id = $1`, [neighbourhoodId]);
  return { before: old?.name ?? null, stored: row! };
};

/** Changes whenever a name is given, changed or taken away (for caches of anything that shows names). */
export const neighbourhoodNamesStamp = async (db: Queryable): Promise<string> => {
  const [row] = await db.query<{ n: number; versions: number | null; latest: string | null }>(
    `SELECT count(*)::integer AS n, sum(version)::integer AS versions, max(changed_at)::text AS latest FROM neighbourhood_name`,
  );
  return `${row?.n ?? 0}:${row?.versions ?? 0}:${row?.latest ?? ''}`;
};
