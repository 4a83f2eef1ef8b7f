/**
 * The person-level facts of the care zone's relationship rule (core's care/relationship.ts): a
 * person's registered practice and the neighbourhoods it belongs to (those paired with the
 * practice's PCN). Pseudonymous: no identity is read here.
 */
import type { Queryable } from './window.js';

export interface PersonPractice {
  readonly code: string;
  readonly name: string;
  readonly neighbourhoodIds: readonly string[];
}

/** The person's practice with its neighbourhoods; null when there is no such person (a practice outside the geography has none). */
export const personPractice = async (db: Queryable, personId: string): Promise<{ readonly practice: PersonPractice } | null> => {
  if (!/^\d{1,18}$/.test(personId)) return null;
  const [row] = await db.query<{ practice_code: string; practice_name: string | null; neighbourhoods: string[] | null }>(
    `SELECT p.practice_code, gp.name AS practice_name, list(n.neighbourhood_id ORDER BY n.neighbourhood_id) FILTER (WHERE n.neighbourhood_id IS NOT NULL) AS neighbourhoods
     FROM person p LEFT JOIN geo_practice gp ON gp.practice_code = p.practice_code LEFT JOIN geo_neighbourhood n ON n.pcn_code = gp.pcn_code
     WHERE p.person_id = $1::BIGINT GROUP BY p.practice_code, gp.name`,
    [personId],
  );
  if (row === undefined) return null;
  return { practice: { code: row.practice_code, name: row.practice_name ?? row.practice_code, neighbourhoodIds: row.neighbourhoods ?? [] } };
};
