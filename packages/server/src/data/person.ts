/**
 * The pseudonymous summary of one person: demographics (age, not date of birth), residence by
 * LSOA, long-term conditions (year first recorded) and recent activity across care settings.
 */
import { CONDITIONS, CONDITION_KEYS, ESP2013, ETHNIC_CATEGORIES, type EthnicCategory } from '@openphm/core';
import type { PersonSummaryT } from '@openphm/api-contract';
import type { PhmData } from './phm-data.js';
import { referenceDate } from './population.js';

export interface PersonResidence {
  readonly neighbourhoodId: string | null;
}

/** Where the person lives (for the neighbourhood role's check), or null when there is no such person. */
export const personResidence = async (data: PhmData, personId: string): Promise<PersonResidence | null> => {
  const rows = await data.query<{ neighbourhood_id: string | null }>(
    'SELECT l.neighbourhood_id FROM person p LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code WHERE p.person_id = $1::BIGINT',
    [personId],
  );
  const row = rows[0];
  return row === undefined ? null : { neighbourhoodId: row.neighbourhood_id };
};

const CODE_TO_CONDITION = new Map<string, (typeof CONDITION_KEYS)[number]>();
for (const key of CONDITION_KEYS) for (const c of CONDITIONS[key].codes) CODE_TO_CONDITION.set(c.code, key);

const ACTIVITY_SQL = `
  SELECT CAST(arrival_time AS DATE) AS date, 'A&E attendance' AS kind, 'type ' || department_type || ', ' || disposal AS detail FROM ae_attendance WHERE person_id = $1::BIGINT
  UNION ALL SELECT admission_date, 'Hospital admission', admission_method || ' admission, ' || coalesce(primary_diagnosis, 'no diagnosis') FROM hospital_spell WHERE person_id = $1::BIGINT
  UNION ALL SELECT appointment_date, 'GP appointment', staff_role || ', ' || mode FROM gp_appointment WHERE person_id = $1::BIGINT
  UNION ALL SELECT appointment_date, 'Outpatient appointment', 'specialty ' || specialty || CASE WHEN attended THEN '' ELSE ', did not attend' END FROM outpatient_appointment WHERE person_id = $1::BIGINT
  UNION ALL SELECT contact_date, 'Community contact', service FROM community_contact WHERE person_id = $1::BIGINT
  UNION ALL SELECT contact_date, 'Mental health contact', service FROM mental_health_contact WHERE person_id = $1::BIGINT
  UNION ALL SELECT event_date, 'Social care', event_type FROM social_care_event WHERE person_id = $1::BIGINT`;

/** The summary from the person-level data (the route adds the operational records), or null when there is no such person. */
export const personSummary = async (data: PhmData, personId: string): Promise<Omit<PersonSummaryT, 'socialPrescribing' | 'caseload' | 'carePlan'> | null> => {
  const ref = await referenceDate(data);
  const [p] = await data.query<{
    sex: string;
    age: number;
    ethnic_category: string;
    is_carer: boolean;
    lsoa_code: string;
    practice_code: string;
    neighbourhood_id: string | null;
    place: string | null;
    imd_decile: number | null;
    died: string | null;
  }>(
    `SELECT p.sex, date_sub('year', p.date_of_birth, least($2::DATE, coalesce(d.date_of_death, $2::DATE)))::INTEGER AS age,
            p.ethnic_category, p.is_carer, p.lsoa_code, p.practice_code, l.neighbourhood_id, l.place, l.imd_decile,
            strftime(d.date_of_death, '%Y-%m') AS died
     FROM person p LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code LEFT JOIN death d ON d.person_id = p.person_id
     WHERE p.person_id = $1::BIGINT`,
    [personId, ref],
  );
  if (p === undefined) return null;
  const codes = [...CODE_TO_CONDITION.keys()];
  const conditionRows = await data.query<{ code: string; first: string }>(
    `SELECT snomed_code AS code, strftime(min(event_date), '%Y') AS first FROM clinical_event
     WHERE person_id = $1::BIGINT AND snomed_code IN (${codes.map((_, i) => `$${i + 2}`).join(', ')}) GROUP BY snomed_code`,
    [personId, ...codes],
  );
  const since = new Map<string, string>();
  for (const r of conditionRows) {
    const key = CODE_TO_CONDITION.get(r.code);
    if (key !== undefined && (!since.has(key) || r.first < since.get(key)!)) since.set(key, r.first);
  }
  const recent = await data.query<{ date: string; kind: string; detail: string }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, kind, detail FROM (${ACTIVITY_SQL}) WHERE date <= $2::DATE ORDER BY date DESC, kind LIMIT 20`,
    [personId, ref],
  );
  const yearCounts = await data.query<{ kind: string; n: number }>(
    `SELECT kind, count(*)::BIGINT AS n FROM (${ACTIVITY_SQL}) WHERE date > $2::DATE - INTERVAL 365 DAY AND date <= $2::DATE GROUP BY kind ORDER BY kind`,
    [personId, ref],
  );
  const category = ETHNIC_CATEGORIES[p.ethnic_category as EthnicCategory];
  return {
    personId,
    referenceDate: ref,
    demographics: {
      sex: p.sex,
      age: p.age,
      ageBand: ESP2013.bands[Math.min(ESP2013.bands.length - 1, Math.floor(p.age / 5))]!.label,
      ethnicGroup: category?.group ?? 'Unknown',
      isCarer: p.is_carer,
      died: p.died,
    },
    residence: { lsoaCode: p.lsoa_code, neighbourhoodId: p.neighbourhood_id, place: p.place, imdDecile: p.imd_decile },
    practiceCode: p.practice_code,
    conditions: CONDITION_KEYS.filter((k) => since.has(k)).map((k) => ({ key: k, label: CONDITIONS[k].label, since: since.get(k)! })),
    activityLast12Months: yearCounts.map((r) => ({ kind: r.kind, count: r.n })),
    recentActivity: recent,
  };
};
