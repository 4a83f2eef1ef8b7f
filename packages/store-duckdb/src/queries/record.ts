/**
 * A person's whole record for their care team (the care zone: direct care, so opt-outs do not
 * apply): who they are registered with and where they live, every coded entry of the GP record
 * summarised by code, medicines by BNF code, births linking mother and baby, carers linked to the
 * people they care for, and every event of
 * every person-level table as one timeline, filtered by kind and dates and read a page at a time.
 * Codes are returned as stored; the server puts terms on them (core's code terms). Person-level:
 * callers check the care relationship and audit every read. Each query is parameterised by the
 * person, so its prepared statement is reused.
 */
import { CONDITION_KEYS, TIMELINE_KINDS, type ConditionKey, type TimelineKind } from '@openphm/core';
import { FLAG_FEATURE_COLUMNS, checkTableName } from '../phm/features.js';
import { daySql, ident, literal, personIdSql } from '../sql.js';
import type { Queryable } from './window.js';

export interface RecordSubject {
  readonly sex: string;
  /** Age in whole years on the record's date (or at death). */
  readonly age: number;
  readonly ethnicCategory: string;
  readonly isCarer: boolean;
  readonly registrationDate: string;
  readonly lsoaCode: string;
  readonly lsoaName: string | null;
  readonly neighbourhoodId: string | null;
  readonly neighbourhoodName: string | null;
  readonly place: string | null;
  readonly imdDecile: number | null;
  readonly practiceCode: string;
  /** The practice's name as ODS holds it (capitals), null when it is not in the reference data. */
  readonly practiceName: string | null;
  readonly pcnCode: string | null;
  readonly pcnName: string | null;
  readonly death: { readonly date: string; readonly cause: string; readonly place: string } | null;
}

/** A subject's row as SQL gives it (SUBJECT_SQL). */
export interface SubjectRow {
  sex: string;
  age: number;
  ethnic_category: string;
  is_carer: boolean;
  registration_date: string;
  lsoa_code: string;
  lsoa_name: string | null;
  neighbourhood_id: string | null;
  neighbourhood_name: string | null;
  place: string | null;
  imd_decile: number | null;
  practice_code: string;
  practice_name: string | null;
  pcn_code: string | null;
  pcn_name: string | null;
  date_of_death: string | null;
  underlying_cause: string | null;
  place_of_death: string | null;
}

/** Who people are registered with and where they live at `day`: the columns of SubjectRow from `person p` and its joins, for a WHERE on p. */
export const subjectSql = (day: string, withPersonId = false): string =>
  `SELECT ${withPersonId ? 'p.person_id AS pid, ' : ''}p.sex, date_sub('year', p.date_of_birth, least(${daySql(day)}, coalesce(d.date_of_death, ${daySql(day)})))::INTEGER AS age,
            p.ethnic_category, p.is_carer, strftime(p.registration_date, '%Y-%m-%d') AS registration_date,
            p.lsoa_code, l.lsoa_name, l.neighbourhood_id, n.name AS neighbourhood_name, l.place, l.imd_decile::INTEGER AS imd_decile,
            p.practice_code, gp.name AS practice_name, gp.pcn_code, pcn.name AS pcn_name,
            strftime(d.date_of_death, '%Y-%m-%d') AS date_of_death, d.underlying_cause, d.place_of_death
     FROM person p
     LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
     LEFT JOIN geo_neighbourhood n ON n.neighbourhood_id = l.neighbourhood_id
     LEFT JOIN geo_practice gp ON gp.practice_code = p.practice_code
     LEFT JOIN geo_pcn pcn ON pcn.pcn_code = gp.pcn_code
     LEFT JOIN death d ON d.person_id = p.person_id`;

/** A subject from its row. */
export const subjectOf = (r: SubjectRow): RecordSubject => ({
  sex: r.sex,
  age: Number(r.age),
  ethnicCategory: r.ethnic_category,
  isCarer: r.is_carer,
  registrationDate: r.registration_date,
  lsoaCode: r.lsoa_code,
  lsoaName: r.lsoa_name,
  neighbourhoodId: r.neighbourhood_id,
  neighbourhoodName: r.neighbourhood_name,
  place: r.place,
  imdDecile: r.imd_decile === null ? null : Number(r.imd_decile),
  practiceCode: r.practice_code,
  practiceName: r.practice_name,
  pcnCode: r.pcn_code,
  pcnName: r.pcn_name,
  death: r.date_of_death === null ? null : { date: r.date_of_death, cause: r.underlying_cause ?? '', place: r.place_of_death ?? 'other' },
});

/** Who the person is registered with and where they live at `day`, or null when there is no such person. */
export const recordSubject = async (db: Queryable, personId: string, day: string): Promise<RecordSubject | null> => {
  const id = personIdSql(personId);
  if (id === null) return null;
  const [r] = await db.query<SubjectRow>(`${subjectSql(day)}
     WHERE p.person_id = ${id}`);
  return r === undefined ? null : subjectOf(r);
};

/** One SNOMED CT code of the person's GP record: when it was first and last recorded, how often, and its latest value. */
export interface RecordedCode {
  readonly code: string;
  readonly first: string;
  readonly last: string;
  readonly count: number;
  /** The value recorded with its latest entry (BMI, say), or null. */
  readonly latestValue: number | null;
}

/** A recorded code's row as SQL gives it. */
export interface CodeRow {
  code: string;
  first: string;
  last: string;
  n: number;
  latest_value: number | null;
}

/** The aggregates of a person's GP record by code on or before `day` (the columns of CodeRow), for `clinical_event` grouped by snomed_code. */
export const codeColumnsSql = (day: string): string =>
  `snomed_code AS code, strftime(min(event_date), '%Y-%m-%d') AS first, strftime(max(event_date), '%Y-%m-%d') AS last, count(*)::INTEGER AS n,
            arg_max(numeric_value, event_date) AS latest_value`;

export const codeOf = (r: CodeRow): RecordedCode => ({ code: r.code, first: r.first, last: r.last, count: Number(r.n), latestValue: r.latest_value === null ? null : Number(r.latest_value) });

/** Every code of the person's GP record on or before `day`, by code. */
export const recordCodes = async (db: Queryable, personId: string, day: string): Promise<RecordedCode[]> => {
  const id = personIdSql(personId);
  if (id === null) return [];
  const rows = await db.query<CodeRow>(
    `SELECT ${codeColumnsSql(day)}
     FROM clinical_event WHERE person_id = ${id} AND event_date <= ${daySql(day)} GROUP BY snomed_code ORDER BY first, code`,
  );
  return rows.map(codeOf);
};

/** One medicine (BNF code) issued to the person: first and last issue, issues in all and in the 12 months to the date. */
export interface IssuedMedicine {
  readonly code: string;
  readonly firstIssued: string;
  readonly lastIssued: string;
  readonly issues: number;
  readonly issues12m: number;
}

/** A medicine's row as SQL gives it. */
export interface MedicineRow {
  code: string;
  first: string;
  last: string;
  n: number;
  n12: number;
}

/** The aggregates of a person's medicines by BNF code on or before `day` (the columns of MedicineRow), for `medication` grouped by bnf_code. */
export const medicineColumnsSql = (day: string): string =>
  `bnf_code AS code, strftime(min(issue_date), '%Y-%m-%d') AS first, strftime(max(issue_date), '%Y-%m-%d') AS last, count(*)::INTEGER AS n,
            (count(*) FILTER (WHERE issue_date > ${daySql(day)} - INTERVAL 365 DAY))::INTEGER AS n12`;

export const medicineOf = (r: MedicineRow): IssuedMedicine => ({ code: r.code, firstIssued: r.first, lastIssued: r.last, issues: Number(r.n), issues12m: Number(r.n12) });

/** Every BNF code issued to the person on or before `day`, most recently issued first. */
export const recordMedicines = async (db: Queryable, personId: string, day: string): Promise<IssuedMedicine[]> => {
  const id = personIdSql(personId);
  if (id === null) return [];
  const rows = await db.query<MedicineRow>(
    `SELECT ${medicineColumnsSql(day)}
     FROM medication WHERE person_id = ${id} AND issue_date <= ${daySql(day)} GROUP BY bnf_code ORDER BY last DESC, code`,
  );
  return rows.map(medicineOf);
};

/** A birth linking the person to their mother or their baby. */
export interface FamilyLink {
  readonly relation: 'mother' | 'child';
  readonly personId: string;
  readonly birthDate: string;
}

/** The person's mother and children, from the births recorded in the partnership. */
export const recordFamily = async (db: Queryable, personId: string): Promise<FamilyLink[]> => {
  const me = personIdSql(personId);
  if (me === null) return [];
  const rows = await db.query<{ relation: 'mother' | 'child'; id: string; birth_date: string }>(
    `SELECT CASE WHEN baby_person_id = ${me} THEN 'mother' ELSE 'child' END AS relation,
            (CASE WHEN baby_person_id = ${me} THEN mother_person_id ELSE baby_person_id END)::VARCHAR AS id,
            strftime(birth_date, '%Y-%m-%d') AS birth_date
     FROM birth WHERE baby_person_id = ${me} OR mother_person_id = ${me} ORDER BY birth_date, id`,
  );
  return rows.map((r) => ({ relation: r.relation, personId: r.id, birthDate: r.birth_date }));
};

/** A carer link of the person: someone they care for, or someone who cares for them. */
export interface CarerLink {
  readonly relation: 'cares-for' | 'cared-for-by';
  /** The other person's pseudonymous id. */
  readonly personId: string;
  readonly since: string;
  /** When the caring ended (null: still caring on the record's date). */
  readonly until: string | null;
}

/**
 * The people the person cares for and those who care for them (carer_relationship), as known on the
 * record's date: links started by then, an end after it not yet known. Whom they care for first,
 * each list by start.
 */
export const recordCarerLinks = async (db: Queryable, personId: string, day: string): Promise<CarerLink[]> => {
  const me = personIdSql(personId);
  if (me === null) return [];
  const rows = await db.query<{ relation: CarerLink['relation']; id: string; since: string; until: string | null }>(
    `SELECT CASE WHEN carer_person_id = ${me} THEN 'cares-for' ELSE 'cared-for-by' END AS relation,
            (CASE WHEN carer_person_id = ${me} THEN cared_for_person_id ELSE carer_person_id END)::VARCHAR AS id,
            strftime(start_date, '%Y-%m-%d') AS since,
            CASE WHEN end_date <= ${daySql(day)} THEN strftime(end_date, '%Y-%m-%d') END AS until
     FROM carer_relationship
     WHERE (carer_person_id = ${me} OR cared_for_person_id = ${me}) AND start_date <= ${daySql(day)}
     ORDER BY relation DESC, since, id`,
  );
  return rows.map((r) => ({ relation: r.relation, personId: r.id, since: r.since, until: r.until }));
};

/**
 * One event of the timeline. What `code`, `a`, `b` and `n` hold depends on the kind:
 * gp-record: SNOMED CT code, n the value; medicine: BNF code; gp-appointment: a staff role, b mode;
 * ae: ECDS department type, a disposal, b arrival time (HH:MM), n minutes in the department;
 * admission: ICD-10 primary diagnosis, a admission method, b discharge destination, n days in hospital;
 * outpatient: treatment function, a attended | did-not-attend; community and mental-health: a service;
 * social-care: a event type; care-home: a care type, b end date (null: still there), n 1 when permanent;
 * birth: a born | gave-birth, b gestation in weeks, n birth weight in grams; death: ICD-10 underlying cause, a place.
 */
export interface TimelineEvent {
  readonly date: string;
  readonly kind: TimelineKind;
  readonly code: string | null;
  readonly a: string | null;
  readonly b: string | null;
  readonly n: number | null;
}

const KIND_ORDER = new Map<TimelineKind, number>(TIMELINE_KINDS.map((k, i) => [k.id, i]));

/**
 * Each kind's events as (date, kind, code, a, b, n): [date, code, a, b, n, table, person column]. The birth kind is read from
 * both sides of a birth (the baby's and the mother's); its `a` says which (born | gave-birth).
 */
const KIND_COLUMNS: Readonly<Record<Exclude<TimelineKind, 'birth'>, readonly [string, string, string, string, string, string]>> = {
  'gp-record': ['event_date', 'snomed_code', 'NULL', 'NULL', 'numeric_value', 'clinical_event'],
  medicine: ['issue_date', 'bnf_code', 'NULL', 'NULL', 'NULL', 'medication'],
  'gp-appointment': ['appointment_date', 'NULL', 'staff_role', 'mode', 'NULL', 'gp_appointment'],
  ae: ['CAST(arrival_time AS DATE)', 'department_type', 'disposal', "strftime(arrival_time, '%H:%M')", "date_diff('minute', arrival_time, departure_time)", 'ae_attendance'],
  admission: ['admission_date', 'primary_diagnosis', 'admission_method', 'discharge_destination', '(discharge_date - admission_date)', 'hospital_spell'],
  outpatient: ['appointment_date', 'specialty', "CASE WHEN attended THEN 'attended' ELSE 'did-not-attend' END", 'NULL', 'NULL', 'outpatient_appointment'],
  community: ['contact_date', 'NULL', 'service', 'NULL', 'NULL', 'community_contact'],
  'mental-health': ['contact_date', 'NULL', 'service', 'NULL', 'NULL', 'mental_health_contact'],
  'social-care': ['event_date', 'NULL', 'event_type', 'NULL', 'NULL', 'social_care_event'],
  'care-home': ['start_date', 'NULL', 'care_type', "strftime(end_date, '%Y-%m-%d')", 'CASE WHEN permanent THEN 1 ELSE 0 END', 'care_home_stay'],
  death: ['date_of_death', 'underlying_cause', 'place_of_death', 'NULL', 'NULL', 'death'],
};

/**
 * Whose events a timeline reads: one person (`$1`, a parameter), or everyone whose id is between two constants (the
 * person documents' build, person-docs.ts), each row with its person as `pid`.
 */
export type EventsOf = { readonly person: string } | { readonly between: readonly [string, string] };

const selectKind = (kind: TimelineKind, date: string, code: string, a: string, b: string, n: string, pid: string | null, from: string): string =>
  `SELECT ${pid === null ? '' : `${pid} AS pid, `}CAST(${date} AS DATE) AS date, '${kind}' AS kind, ${KIND_ORDER.get(kind)} AS k, CAST(${code} AS VARCHAR) AS code, CAST(${a} AS VARCHAR) AS a, CAST(${b} AS VARCHAR) AS b, CAST(${n} AS DOUBLE) AS n FROM ${from}`;

/** One kind's events of a person or a range of people (the SQL of one arm of the timeline's union). */
export const kindSql = (kind: TimelineKind, of: EventsOf): string => {
  const where = (column: string) => ('person' in of ? `${column} = ${of.person}` : `${column} BETWEEN ${of.between[0]} AND ${of.between[1]}`);
  if (kind === 'birth') {
    if ('person' in of) {
      return selectKind(kind, 'birth_date', 'NULL', `CASE WHEN baby_person_id = ${of.person} THEN 'born' ELSE 'gave-birth' END`, 'gestation_weeks', 'birth_weight_grams', null, `birth WHERE ${where('baby_person_id')} OR ${where('mother_person_id')}`);
    }
    return `${selectKind(kind, 'birth_date', 'NULL', "'born'", 'gestation_weeks', 'birth_weight_grams', 'baby_person_id', `birth WHERE ${where('baby_person_id')}`)}
  UNION ALL ${selectKind(kind, 'birth_date', 'NULL', "'gave-birth'", 'gestation_weeks', 'birth_weight_grams', 'mother_person_id', `birth WHERE ${where('mother_person_id')} AND baby_person_id IS DISTINCT FROM mother_person_id`)}`;
  }
  const [date, code, a, b, n, table] = KIND_COLUMNS[kind];
  return selectKind(kind, date, code, a, b, n, 'person' in of ? null : 'person_id', `${table} WHERE ${where('person_id')}`);
};

/** Every kind's events of a person or a range of people, each with its kind's position for ordering. */
export const allEventsSql = (of: EventsOf): string => TIMELINE_KINDS.map((k) => kindSql(k.id, of)).join('\n  UNION ALL ');

const ALL_EVENTS = allEventsSql({ person: '$1::BIGINT' });

/** The order of a timeline's events: newest first, then by kind, code, the details and the number (every column, so ties are identical rows). */
export const TIMELINE_ORDER = 'date DESC, k, code, a, b, n';

export interface TimelineQuery {
  /** Kinds to include (none: every kind). */
  readonly kinds?: readonly TimelineKind[];
  /** First and last day (inclusive). */
  readonly from?: string;
  readonly to?: string;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface TimelinePage {
  /** Events matching the filters, in all pages. */
  readonly total: number;
  /** This page, newest first. */
  readonly events: readonly TimelineEvent[];
  /** Events of each kind between the days, whatever kinds were asked for (kinds without any left out), in TIMELINE_KINDS order. */
  readonly counts: readonly { readonly kind: TimelineKind; readonly count: number }[];
}

export const FIRST_DAY = '0001-01-01';
export const LAST_DAY = '9999-12-31';

/**
 * One page of the person's timeline, newest first (then by kind, code and detail), with how many
 * events of each kind there are between the days: one query, the person's events read once (the
 * kinds asked for are a parameter, so the statement is the same for every filter and page).
 */
const TIMELINE_SQL = `WITH e AS MATERIALIZED (SELECT * FROM (${ALL_EVENTS}) x WHERE date BETWEEN $2::DATE AND $3::DATE),
page AS (SELECT *, row_number() OVER (ORDER BY ${TIMELINE_ORDER}) AS rn FROM e WHERE $4 = '' OR contains($4, ',' || kind || ','))
SELECT 0 AS part, kind, k AS rn, NULL::VARCHAR AS date, NULL::VARCHAR AS code, NULL::VARCHAR AS a, NULL::VARCHAR AS b, count(*)::DOUBLE AS n FROM e GROUP BY kind, k
UNION ALL
SELECT 1, kind, rn, strftime(date, '%Y-%m-%d'), code, a, b, n FROM page WHERE rn > $5 AND rn <= $6
ORDER BY part, rn`;

export const recordTimeline = async (db: Queryable, personId: string, q: TimelineQuery): Promise<TimelinePage> => {
  const kinds = [...new Set(q.kinds ?? [])];
  const first = (q.page - 1) * q.pageSize;
  // The one query of a record that stays prepared with the person as a parameter: planning its twelve-table union for each
  // person costs as much as the row groups a constant would skip (docs/benchmarks.md).
  const rows = await db.query<TimelineRow>(TIMELINE_SQL, [
    personId,
    q.from ?? FIRST_DAY,
    q.to ?? LAST_DAY,
    kinds.length === 0 ? '' : `,${kinds.join(',')},`,
    first,
    first + q.pageSize,
  ]);
  return timelinePageOf(rows, kinds);
};

/** A timeline's row as SQL gives it: part 0 a kind's count (n), part 1 an event of the page. */
export interface TimelineRow {
  part: number;
  kind: TimelineKind;
  date: string | null;
  code: string | null;
  a: string | null;
  b: string | null;
  n: number | null;
}

/** A page of the timeline from its rows (counts first, in kind order, then the page's events in order). */
export const timelinePageOf = (rows: readonly TimelineRow[], kinds: readonly TimelineKind[]): TimelinePage => {
  const counts = rows.filter((r) => Number(r.part) === 0).map((r) => ({ kind: r.kind, count: Number(r.n) }));
  return {
    total: counts.filter((c) => kinds.length === 0 || kinds.includes(c.kind)).reduce((a, c) => a + c.count, 0),
    events: rows.filter((r) => Number(r.part) === 1).map((r) => ({ date: r.date!, kind: r.kind, code: r.code, a: r.a, b: r.b, n: r.n === null ? null : Number(r.n) })),
    counts,
  };
};

/** What care-gap rules need about one person of a list: from the features table, and the latest date of each code asked for. */
export interface CareGapFactsRow {
  readonly age: number;
  readonly sex: string;
  readonly isCarer: boolean;
  readonly conditions: readonly ConditionKey[];
  /** Code → the latest date it was recorded on or before the day. */
  readonly lastRecorded: ReadonlyMap<string, string>;
}

/**
 * Care-gap facts for a list of people (a worklist): age, sex, carer and registers from a features
 * table computed at `day`, and the latest date of each of `codes` in their GP records on or before
 * it. People not in the table are left out.
 */
export const careGapFacts = async (db: Queryable, table: string, personIds: readonly string[], codes: readonly string[], day: string): Promise<Map<string, CareGapFactsRow>> => {
  const out = new Map<string, CareGapFactsRow>();
  const ids = [...new Set(personIds.filter((id) => /^\d{1,18}$/.test(id)))];
  const flags = CONDITION_KEYS.map((k) => `${FLAG_FEATURE_COLUMNS[`condition:${k}`]} AS ${k}`).join(', ');
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000).map((id) => `${id}::BIGINT`).join(', ');
    const people = await db.query<Record<string, unknown>>(`SELECT person_id::VARCHAR AS id, age, sex, carer, ${flags} FROM ${ident(checkTableName(table))} WHERE person_id IN (${chunk})`);
    const dates = codes.length === 0 ? [] : await db.query<{ id: string; code: string; last: string }>(
      `SELECT person_id::VARCHAR AS id, snomed_code AS code, strftime(max(event_date), '%Y-%m-%d') AS last FROM clinical_event
       WHERE person_id IN (${chunk}) AND snomed_code IN (${codes.map(literal).join(', ')}) AND event_date <= DATE ${literal(day)} GROUP BY person_id, snomed_code`,
    );
    const byPerson = new Map<string, Map<string, string>>();
    for (const d of dates) (byPerson.get(d.id) ?? byPerson.set(d.id, new Map()).get(d.id)!).set(d.code, d.last);
    for (const p of people) {
      const id = String(p.id);
      out.set(id, { age: Number(p.age), sex: String(p.sex), isCarer: p.carer === true, conditions: CONDITION_KEYS.filter((k) => p[k] === true), lastRecorded: byPerson.get(id) ?? new Map() });
    }
  }
  return out;
};
