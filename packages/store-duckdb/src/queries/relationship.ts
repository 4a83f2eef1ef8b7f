/**
 * The person-level facts of the care zone's relationship rule (core's care/relationship.ts): a
 * person's registered practice and the neighbourhoods it belongs to (those paired with the
 * practice's PCN). Pseudonymous: no identity is read here.
 */
import { personIdSql } from '../sql.js';
import type { Queryable } from './window.js';

export interface PersonPractice {
  readonly code: string;
  readonly name: string;
  readonly neighbourhoodIds: readonly string[];
}

/** The person's practice with its neighbourhoods; null when there is no such person (a practice outside the geography has none). */
export const personPractice = async (db: Queryable, personId: string): Promise<{ readonly practice: PersonPractice } | null> => {
  const id = personIdSql(personId);
  if (id === null) return null;
  const [row] = await db.query<{ practice_code: string; practice_name: string | null; neighbourhoods: string[] | null }>(
    `SELECT p.practice_code, gp.name AS practice_name, list(n.neighbourhood_id ORDER BY n.neighbourhood_id) FILTER (WHERE n.neighbourhood_id IS NOT NULL) AS neighbourhoods
     FROM person p LEFT JOIN geo_practice gp ON gp.practice_code = p.practice_code LEFT JOIN geo_neighbourhood n ON n.pcn_code = gp.pcn_code
     WHERE p.person_id = ${id} GROUP BY p.practice_code, gp.name`,
  );
  if (row === undefined) return null;
  return { practice: { code: row.practice_code, name: row.practice_name ?? row.practice_code, neighbourhoodIds: row.neighbourhoods ?? [] } };
};

/**
 * The practice of each of many people with its neighbourhoods (a worklist's care relationships), in
 * chunks of 2,000; people not in the store are left out. Ids that are not person ids are ignored.
 */
export const personPractices = async (db: Queryable, personIds: readonly string[]): Promise<Map<string, PersonPractice>> => {
  const out = new Map<string, PersonPractice>();
  const ids = [...new Set(personIds.filter((id) => /^\d{1,18}$/.test(id)))];
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000).map((id) => `${id}::BIGINT`).join(', ');
    const rows = await db.query<{ id: string; practice_code: string; practice_name: string | null; neighbourhoods: string[] | null }>(
      `SELECT p.person_id::VARCHAR AS id, p.practice_code, gp.name AS practice_name,
         list(n.neighbourhood_id ORDER BY n.neighbourhood_id) FILTER (WHERE n.neighbourhood_id IS NOT NULL) AS neighbourhoods
       FROM person p LEFT JOIN geo_practice gp ON gp.practice_code = p.practice_code LEFT JOIN geo_neighbourhood n ON n.pcn_code = gp.pcn_code
       WHERE p.person_id IN (${chunk}) GROUP BY p.person_id, p.practice_code, gp.name`,
    );
    for (const r of rows) out.set(String(r.id), { code: r.practice_code, name: r.practice_name ?? r.practice_code, neighbourhoodIds: r.neighbourhoods ?? [] });
  }
  return out;
};
