/**
 * The demo's picks of invented people for invented operational records (referrals, caseloads):
 * deterministic samples of the synthetic partnership, by hashes of person ids. Demo only.
 */
import type { Queryable } from './window.js';

/**
 * Adults alive at `day`, sampled by a hash of the id: over `spanDays`, on average 1 in 160 in the
 * least deprived decile and about 1 in 85 in the most (`referralDays` days of referrals in total).
 */
export const demoReferralPeople = (data: Queryable, day: string, spanDays: number, referralDays: number): Promise<{ id: string; neighbourhood: string; place: string; age: number }[]> =>
  data.query<{ id: string; neighbourhood: string; place: string; age: number }>(
    `SELECT p.person_id::VARCHAR AS id, l.neighbourhood_id AS neighbourhood, l.place, date_sub('year', p.date_of_birth, DATE '${day}')::INTEGER AS age
     FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
     LEFT JOIN death d ON d.person_id = p.person_id
     WHERE d.person_id IS NULL AND l.neighbourhood_id IS NOT NULL
       AND date_sub('year', p.date_of_birth, DATE '${day}') >= 18
       AND hash(p.person_id, 'openphm-demo-referrals') % ${3000 * spanDays} < (19 + 1.6 * (10 - l.imd_decile)) * ${referralDays}
     ORDER BY p.person_id`,
  );

/** Up to six people per neighbourhood with two or more emergency admissions in the year to `day`, alive then. */
export const demoFrequentAdmissions = (data: Queryable, day: string): Promise<{ id: string; neighbourhood: string }[]> =>
  data.query<{ id: string; neighbourhood: string }>(
    `WITH frequent AS (
       SELECT s.person_id, count(*) AS n FROM hospital_spell s
       WHERE s.admission_method = 'emergency' AND s.admission_date >= DATE '${day}' - INTERVAL 365 DAY AND s.admission_date < DATE '${day}'
       GROUP BY s.person_id HAVING count(*) >= 2
     ), ranked AS (
       SELECT f.person_id, l.neighbourhood_id, row_number() OVER (PARTITION BY l.neighbourhood_id ORDER BY hash(f.person_id, 'openphm-demo-caseload')) AS r
       FROM frequent f JOIN person p ON p.person_id = f.person_id JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       LEFT JOIN death d ON d.person_id = f.person_id
       WHERE d.person_id IS NULL AND l.neighbourhood_id IS NOT NULL
     )
     SELECT person_id::VARCHAR AS id, neighbourhood_id AS neighbourhood FROM ranked WHERE r <= 6 ORDER BY neighbourhood_id, r`,
  );

/**
 * Past caseload episodes for the demo: adults with two or more emergency admissions in a year,
 * taken on in a quarter from `first` to `last` on a day in it, discharged 60-180 days later (as died
 * if they died by then); up to 12 a neighbourhood. Deterministic for the database.
 */
export const demoPastEpisodes = (data: Queryable, first: string, last: string): Promise<{ id: string; neighbourhood: string; day: string; died: boolean }[]> =>
  data.query<{ id: string; neighbourhood: string; day: string; died: boolean }>(
    `WITH quarters AS (SELECT unnest(range(DATE '${first}', DATE '${last}', INTERVAL 3 MONTH))::DATE AS q),
     frequent AS (
       SELECT s.person_id, min(q.q) AS q FROM hospital_spell s JOIN quarters q ON s.admission_date >= q.q - INTERVAL 365 DAY AND s.admission_date < q.q
       WHERE s.admission_method = 'emergency'
       GROUP BY s.person_id, q.q HAVING count(*) >= 2
     ), firsts AS (SELECT person_id, min(q) AS q FROM frequent GROUP BY person_id),
     dated AS (
       SELECT f.person_id, l.neighbourhood_id, (f.q + CAST(hash(f.person_id, 'openphm-demo-caseload-day') % 80 AS INTEGER))::DATE AS day,
              (f.q + CAST(hash(f.person_id, 'openphm-demo-caseload-day') % 80 + 60 + hash(f.person_id, 'openphm-demo-caseload-stay') % 121 AS INTEGER))::DATE AS until, d.date_of_death
       FROM firsts f JOIN person p ON p.person_id = f.person_id JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       LEFT JOIN death d ON d.person_id = f.person_id
       WHERE l.neighbourhood_id IS NOT NULL AND date_sub('year', p.date_of_birth, f.q) >= 18
     ), ranked AS (
       SELECT *, row_number() OVER (PARTITION BY neighbourhood_id ORDER BY hash(person_id, 'openphm-demo-caseload-history')) AS r
       FROM dated WHERE date_of_death IS NULL OR date_of_death > day
     )
     SELECT person_id::VARCHAR AS id, neighbourhood_id AS neighbourhood, strftime(day, '%Y-%m-%d') AS day, coalesce(date_of_death <= until, false) AS died
     FROM ranked WHERE r <= 12 ORDER BY day, person_id`,
  );

/**
 * Up to `n` adults resident in a neighbourhood, registered with one of its practices (the team's care
 * relationship: its PCN is the neighbourhood's) and alive at `day`, with their place and age, picked
 * by a hash of the id: the people the demo's neighbourhood team is working with today.
 */
export const demoTeamResidents = (data: Queryable, neighbourhoodId: string, day: string, n: number): Promise<{ id: string; neighbourhood: string; place: string; age: number }[]> =>
  data.query<{ id: string; neighbourhood: string; place: string; age: number }>(
    `SELECT p.person_id::VARCHAR AS id, l.neighbourhood_id AS neighbourhood, l.place, date_sub('year', p.date_of_birth, DATE '${day}')::INTEGER AS age
     FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
     JOIN geo_practice gp ON gp.practice_code = p.practice_code JOIN geo_neighbourhood n ON n.neighbourhood_id = l.neighbourhood_id AND n.pcn_code = gp.pcn_code
     LEFT JOIN death d ON d.person_id = p.person_id
     WHERE d.person_id IS NULL AND l.neighbourhood_id = $1 AND date_sub('year', p.date_of_birth, DATE '${day}') >= 18
     ORDER BY hash(p.person_id, 'openphm-demo-team'), p.person_id
     LIMIT ${Math.max(0, Math.floor(n))}`,
    [neighbourhoodId],
  );
