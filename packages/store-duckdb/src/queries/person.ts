/**
 * One person's record for their care team: residence, demographics (age, not date of birth),
 * long-term conditions (year first recorded) and activity across care settings. Person-level:
 * callers check and audit access first.
 */
import { CONDITIONS, CONDITION_KEYS, type ConditionKey, type Purpose } from '@openphm/core';
import { includedForSql } from '../phm/purposes.js';
import { daySql, literal, personIdSql } from '../sql.js';
import type { Queryable } from './window.js';

/** Where a person lives (neighbourhood), or null when there is no such person. */
export const personNeighbourhood = async (db: Queryable, personId: string): Promise<{ neighbourhoodId: string | null } | null> => {
  const id = personIdSql(personId);
  if (id === null) return null;
  const [row] = await db.query<{ neighbourhood_id: string | null }>(`SELECT l.neighbourhood_id FROM person p LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code WHERE p.person_id = ${id}`);
  return row === undefined ? null : { neighbourhoodId: row.neighbourhood_id };
};

/** Where each of these people lives (their neighbourhood), for the people resident in one. */
export const neighbourhoodsOf = async (db: Queryable, ids: readonly string[]): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  const digits = [...new Set(ids.filter((id) => /^\d{1,18}$/.test(id)))];
  for (let i = 0; i < digits.length; i += 5000) {
    const chunk = digits.slice(i, i + 5000);
    const rows = await db.query<{ id: string; neighbourhood: string }>(
      `SELECT p.person_id::VARCHAR AS id, l.neighbourhood_id AS neighbourhood FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       WHERE l.neighbourhood_id IS NOT NULL AND p.person_id IN (${chunk.map((id) => `${id}::BIGINT`).join(', ')})`,
    );
    for (const r of rows) out.set(r.id, r.neighbourhood);
  }
  return out;
};

/** The place each of these people lives in (people whose area has no place, and unknown ids, are left out). */
export const placesOf = async (db: Queryable, ids: readonly string[]): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  const digits = [...new Set(ids.filter((id) => /^\d{1,18}$/.test(id)))];
  for (let i = 0; i < digits.length; i += 5000) {
    const chunk = digits.slice(i, i + 5000);
    const rows = await db.query<{ id: string; place: string }>(
      `SELECT p.person_id::VARCHAR AS id, l.place FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       WHERE l.place IS NOT NULL AND p.person_id IN (${chunk.map((id) => `${id}::BIGINT`).join(', ')})`,
    );
    for (const r of rows) out.set(r.id, r.place);
  }
  return out;
};

export interface PersonRecord {
  readonly sex: string;
  /** Age in whole years on the reference date (or at death). */
  readonly age: number;
  readonly ethnicCategory: string;
  readonly isCarer: boolean;
  readonly lsoaCode: string;
  readonly practiceCode: string;
  readonly neighbourhoodId: string | null;
  readonly place: string | null;
  readonly imdDecile: number | null;
  /** Month of death (YYYY-MM), or null. */
  readonly died: string | null;
  /** Long-term conditions with the year each was first recorded. */
  readonly conditions: readonly { readonly key: ConditionKey; readonly since: string }[];
  /** The RECENT_CONTACTS (20) most recent contacts on or before the reference date. */
  readonly recent: readonly { readonly date: string; readonly kind: string; readonly detail: string }[];
  /** Contacts by kind in the 365 days to the reference date. */
  readonly lastYear: readonly { readonly kind: string; readonly count: number }[];
}

const CODE_TO_CONDITION = new Map<string, ConditionKey>();
for (const key of CONDITION_KEYS) for (const c of CONDITIONS[key].codes) CODE_TO_CONDITION.set(c.code, key);

/** The condition codes as an SQL list of constants. */
const CONDITION_CODES_SQL = [...CODE_TO_CONDITION.keys()].map(literal).join(', ');

/**
 * The condition codes as SQL VALUES of (code, key, ord), for an alias with those columns: each code's
 * condition and the condition's place in CONDITION_KEYS (the order personRecord lists conditions in).
 */
export const conditionKeysSql = (): string =>
  `(VALUES ${[...CODE_TO_CONDITION].map(([code, key]) => `(${literal(code)}, ${literal(key)}, ${CONDITION_KEYS.indexOf(key)})`).join(', ')})`;

/** The contacts of the seven activity tables as (date, kind, detail), of one person or (with `pid`) of everyone whose id is between two constants. */
export const activitySql = (of: { readonly person: string } | { readonly between: readonly [string, string] }): string => {
  const pid = 'person' in of ? '' : 'person_id AS pid, ';
  const where = 'person' in of ? `person_id = ${of.person}` : `person_id BETWEEN ${of.between[0]} AND ${of.between[1]}`;
  return `
  SELECT ${pid}CAST(arrival_time AS DATE) AS date, 'A&E attendance' AS kind, 'type ' || department_type || ', ' || disposal AS detail FROM ae_attendance WHERE ${where}
  UNION ALL SELECT ${pid}admission_date, 'Hospital admission', admission_method || ' admission, ' || coalesce(primary_diagnosis, 'no diagnosis') || coalesce(', cause ' || external_cause, '') FROM hospital_spell WHERE ${where}
  UNION ALL SELECT ${pid}appointment_date, 'GP appointment', staff_role || ', ' || mode FROM gp_appointment WHERE ${where}
  UNION ALL SELECT ${pid}appointment_date, 'Outpatient appointment', 'specialty ' || specialty || CASE WHEN attended THEN '' ELSE ', did not attend' END FROM outpatient_appointment WHERE ${where}
  UNION ALL SELECT ${pid}contact_date, 'Community contact', service FROM community_contact WHERE ${where}
  UNION ALL SELECT ${pid}contact_date, 'Mental health contact', service FROM mental_health_contact WHERE ${where}
  UNION ALL SELECT ${pid}event_date, 'Social care', event_type FROM social_care_event WHERE ${where}`;
};

/** How many of the most recent contacts a record lists. */
export const RECENT_CONTACTS = 20;

/** The order of a person's contacts: most recent first, then by kind and detail (every column, so ties are identical rows). */
export const CONTACT_ORDER = 'date DESC, kind, detail';

/**
 * The contacts a record shows, in one pass over the seven activity tables: the RECENT_CONTACTS most
 * recent on or before the day (`recent`), and every one in the 365 days to it (`last_year`, counted
 * by kind), most recent first. Each table is sorted by person_id, so every scan reads only the row
 * groups holding the person (zone maps).
 */
const CONTACTS_SQL = `
  SELECT day AS date, kind, detail, n <= ${RECENT_CONTACTS} AS recent, last_year FROM (
    SELECT strftime(date, '%Y-%m-%d') AS day, kind, detail, row_number() OVER (ORDER BY ${CONTACT_ORDER}) AS n, date > $2::DATE - INTERVAL 365 DAY AS last_year
    FROM (${activitySql({ person: '$1::BIGINT' })}) WHERE date <= $2::DATE
  ) WHERE n <= ${RECENT_CONTACTS} OR last_year ORDER BY n`;

/** A contact's row as SQL gives it (CONTACTS_SQL). */
export interface ContactRow {
  date: string;
  kind: string;
  detail: string;
  recent: boolean;
  last_year: boolean;
}

/** The person's row as personRecord reads it. */
export interface PersonRow {
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
}

/** A person's record from their row, their condition codes' first years and their contacts (rows as the queries give them). */
export const personRecordOf = (p: PersonRow, conditionRows: readonly { code: string; first: string }[], contacts: readonly ContactRow[]): PersonRecord => {
  const since = new Map<ConditionKey, string>();
  for (const r of conditionRows) {
    const key = CODE_TO_CONDITION.get(r.code);
    if (key !== undefined && (!since.has(key) || r.first < since.get(key)!)) since.set(key, r.first);
  }
  const recent = contacts.filter((c) => c.recent).map(({ date, kind, detail }) => ({ date, kind, detail }));
  const counts = new Map<string, number>();
  for (const c of contacts) if (c.last_year) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const lastYear = [...counts].map(([kind, n]) => ({ kind, n })).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return {
    sex: p.sex,
    age: p.age,
    ethnicCategory: p.ethnic_category,
    isCarer: p.is_carer,
    lsoaCode: p.lsoa_code,
    practiceCode: p.practice_code,
    neighbourhoodId: p.neighbourhood_id,
    place: p.place,
    imdDecile: p.imd_decile,
    died: p.died,
    conditions: CONDITION_KEYS.filter((k) => since.has(k)).map((key) => ({ key, since: since.get(key)! })),
    recent,
    lastYear: lastYear.map((r) => ({ kind: r.kind, count: Number(r.n) })),
  };
};

/** The person's row (PersonRow's columns) from `person p` and its joins at `day`, for a WHERE on p; with `pid` when asked. */
export const personRowSql = (day: string, withPersonId = false): string =>
  `SELECT ${withPersonId ? 'p.person_id AS pid, ' : ''}p.sex, date_sub('year', p.date_of_birth, least(${daySql(day)}, coalesce(d.date_of_death, ${daySql(day)})))::INTEGER AS age,
            p.ethnic_category, p.is_carer, p.lsoa_code, p.practice_code, l.neighbourhood_id, l.place, l.imd_decile,
            strftime(d.date_of_death, '%Y-%m') AS died
     FROM person p LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code LEFT JOIN death d ON d.person_id = p.person_id`;

/** The condition codes as an SQL list of constants (personRecord's conditions). */
export const conditionCodesSql = (): string => CONDITION_CODES_SQL;

/** Whether a code is one of the long-term conditions' (personRecord's conditions). */
export const isConditionCode = (code: string): boolean => CODE_TO_CONDITION.has(code);

/**
 * One person's record at `day` for a purpose, or null when there is no such person, or when an
 * opt-out of theirs applies to the purpose (for planning and research they are not in the data).
 * Three lookups: the person (with residence and death), the conditions, and the contacts (the last
 * two side by side, on a database with more than one connection).
 */
export const personRecord = async (db: Queryable, personId: string, day: string, purpose: Purpose): Promise<PersonRecord | null> => {
  const id = personIdSql(personId);
  if (id === null) return null;
  const [p] = await db.query<PersonRow>(`${personRowSql(day)}
     WHERE p.person_id = ${id} AND ${includedForSql(purpose, 'p.person_id')}`);
  if (p === undefined) return null;
  const [conditionRows, contacts] = await Promise.all([
    db.query<{ code: string; first: string }>(
      `SELECT snomed_code AS code, strftime(min(event_date), '%Y') AS first FROM clinical_event
       WHERE person_id = ${id} AND snomed_code IN (${CONDITION_CODES_SQL}) GROUP BY snomed_code`,
    ),
    db.query<ContactRow>(CONTACTS_SQL, [personId, day]),
  ]);
  return personRecordOf(p, conditionRows, contacts);
};
