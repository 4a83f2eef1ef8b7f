/**
 * Person features in SQL: one row per person resident at a reference date D, computed set-based
 * (one GROUP BY per source table, joined on person_id) so the whole partnership takes seconds.
 * The meaning of every column is core's PersonFeatures; the precise definitions are in
 * docs/segmentation.md ("Feature definitions"), and features.test.ts pins them on hand-written people.
 */
import {
  ANTIBIOTIC_BNF_PREFIXES,
  BMI_LOOKBACK_YEARS,
  CORE20_QUINTILE,
  ETHNIC_MINORITY_GROUPS,
  EVENT_KINDS,
  EVENT_LOOKBACK_DAYS,
  INHALER_BNF_PREFIXES,
  MULTIMORBIDITY_WEIGHTS,
  PREDNISOLONE_BNF_PREFIXES,
  WINDOW_24M_DAYS,
  SOCIAL_CARE_SERVICE_STARTS,
  WINDOW_DAYS,
  CONDITIONS,
  CONDITION_KEYS,
  LONG_TERM_CONDITION_KEYS,
  ETHNIC_CATEGORIES,
  FLAG_FEATURES,
  FRAILTY_DEFICITS,
  NUMERIC_FEATURES,
  OBSERVATION_CODES,
  InternalError,
  UserError,
  dayFromIso,
  isoFromDay,
  type ConditionKey,
  type EventKind,
  type FlagFeature,
  type FrailtyDeficit,
  type NumericFeature,
  type PersonFeatures,
} from '@openphm/core';
import { CODE_SETS_CODE, CodeSets } from '../code-sets.js';
import type { PhmDatabase } from '../database.js';
import { ident, literal } from '../sql.js';

/** The default name of the TEMP table computePersonFeatures creates. */
export const PERSON_FEATURES_TABLE = 'person_features';

/** Which date each features table of an open database was computed for (tables live as long as the connection). */
const computed = new WeakMap<PhmDatabase, Map<string, string>>();

/**
 * Every features table computed or loaded on an open database: its date, whether it holds only some people (a
 * population), and its event lists once they are being made (ensurePersonEvents). Forgotten when the table is made again.
 */
interface MadeTable {
  readonly date: string;
  readonly partial: boolean;
  events?: Promise<void>;
}
const made = new WeakMap<PhmDatabase, Map<string, MadeTable>>();
const madeTables = (db: PhmDatabase): Map<string, MadeTable> => made.get(db) ?? made.set(db, new Map()).get(db)!;

/** The TEMP table holding a features table's event lists (person_id and EVENT_COLUMNS). */
export const eventsTableOf = (table: string): string => `${checkTableName(table)}_events`;

/** Column of each numeric feature in the features table. */
export const NUMERIC_FEATURE_COLUMNS: Readonly<Record<NumericFeature, string>> = {
  age: 'age',
  imdDecile: 'imd_decile',
  imdQuintile: 'imd_quintile',
  conditionCount: 'condition_count',
  efi: 'efi',
  emergencyAdmissions12m: 'emergency_admissions_12m',
  emergencyBedDays12m: 'emergency_bed_days_12m',
  electiveAdmissions12m: 'elective_admissions_12m',
  aeAttendances12m: 'ae_attendances_12m',
  gpAppointments12m: 'gp_appointments_12m',
  outpatientAppointments12m: 'outpatient_appointments_12m',
  communityContacts12m: 'community_contacts_12m',
  mentalHealthContacts12m: 'mental_health_contacts_12m',
  socialCareEvents12m: 'social_care_events_12m',
  medicineSections12m: 'medicine_sections_12m',
  latestBmi: 'latest_bmi',
  inhalerIssues12m: 'inhaler_issues_12m',
  prednisoloneCourses24m: 'prednisolone_courses_24m',
  antibioticCourses24m: 'antibiotic_courses_24m',
  multimorbidityScore: 'multimorbidity_score',
};

const conditionColumn = (key: ConditionKey): string => `cond_${key}`;

/** Column of each flag feature in the features table. */
export const FLAG_FEATURE_COLUMNS: Readonly<Record<FlagFeature, string>> = {
  ...(Object.fromEntries(CONDITION_KEYS.map((k) => [`condition:${k}`, conditionColumn(k)])) as Record<`condition:${ConditionKey}`, string>),
  female: 'female',
  careHomeResident: 'care_home_resident',
  carer: 'carer',
  currentSmoker: 'current_smoker',
  exSmoker: 'ex_smoker',
  core20: 'core20',
  ethnicMinority: 'ethnic_minority',
  birth12m: 'birth_12m',
  newCancer12m: 'new_cancer_12m',
  socialCareService12m: 'social_care_service_12m',
};

/** Column of each condition's days since first code (INTEGER, NULL when not on the register), read by `diagnosed` rules. */
export const DIAGNOSED_DAYS_COLUMNS: Readonly<Record<ConditionKey, string>> = Object.fromEntries(CONDITION_KEYS.map((k) => [k, `dx_days_${k}`])) as Record<ConditionKey, string>;

/** Column of each event kind's days-ago list (INTEGER[], ascending; NULL when the person has none), read by `events` rules. */
export const EVENT_COLUMNS: Readonly<Record<EventKind, string>> = {
  emergencyAdmission: 'ev_emergency_admission',
  electiveAdmission: 'ev_elective_admission',
  aeAttendance: 'ev_ae_attendance',
  gpAppointment: 'ev_gp_appointment',
  inhalerIssue: 'ev_inhaler_issue',
  prednisoloneCourse: 'ev_prednisolone_course',
  antibioticCourse: 'ev_antibiotic_course',
};

/** The multimorbidity score (sum of core's MULTIMORBIDITY_WEIGHTS over condition flags) as SQL. */
export const multimorbiditySql = (column: (name: string) => string = (c) => c): string =>
  `(${CONDITION_KEYS.map((k) => `CASE WHEN ${column(FLAG_FEATURE_COLUMNS[`condition:${k}`])} THEN ${MULTIMORBIDITY_WEIGHTS[k]}::DOUBLE ELSE 0 END`).join(' + ')})`;

/** The column holding a numeric or flag feature. */
export const featureColumn = (feature: NumericFeature | FlagFeature): string =>
  (NUMERIC_FEATURE_COLUMNS as Record<string, string>)[feature] ?? (FLAG_FEATURE_COLUMNS as Record<string, string>)[feature]!;

export { BMI_LOOKBACK_YEARS, SOCIAL_CARE_SERVICE_STARTS, WINDOW_DAYS };

export interface FeatureDates {
  /** The reference date D. */
  readonly date: string;
  /** First day of the 12-month window: D − 364 days (so the window (D − 365, D] has 365 days). */
  readonly windowFirst: string;
}

/** Validates an ISO date and derives the window boundaries. */
export const featureDates = (referenceDate: string): FeatureDates => {
  const day = dayFromIso(referenceDate);
  return { date: referenceDate, windowFirst: isoFromDay(day - WINDOW_DAYS + 1) };
};

const list = (codes: readonly string[]): string => codes.map(literal).join(', ');
const startsWithAny = (column: string, prefixes: readonly string[]): string => `(${prefixes.map((x) => `starts_with(${column}, ${literal(x)})`).join(' OR ')})`;
const date = (iso: string): string => `DATE ${literal(iso)}`;

/** A deficit's SQL (0/1) over the columns of `base`: coded deficit flags, condition flags, medicine sections. */
const deficitSql = (deficit: FrailtyDeficit, i: number): string => {
  const s = deficit.source;
  switch (s.kind) {
    case 'codes':
      return `coalesce(deficit_${i}, FALSE)::INTEGER`;
    case 'conditions':
      return `(${s.conditions.map((c) => conditionColumn(c)).join(' OR ')})::INTEGER`;
    case 'polypharmacy':
      return `(medicine_sections_12m >= ${s.minDistinctBnfSections})::INTEGER`;
  }
};

/** The broad ethnic group of an ethnic category code. */
const ethnicGroupSql = (column: string): string =>
  `CASE ${column} ${Object.entries(ETHNIC_CATEGORIES).map(([code, c]) => `WHEN ${literal(code)} THEN ${literal(c.group)}`).join(' ')} ELSE 'Not stated' END`;

export interface FeatureSqlOptions {
  /**
   * Restricts the people computed: an SQL condition over `person p` and `geo_lsoa l`, e.g.
   * `l.neighbourhood_id = 'leeds-01'` (for a cohort in one area without computing everyone).
   */
  readonly population?: string;
  /**
   * Only people whose person_id is in [lo, hi] (SQL constants): every table is read in that range only (each is sorted
   * by person_id, so a range reads only its row groups). The person documents (person-docs.ts) compute the admission
   * score's terms range by range with it; each person's features are the same as in a whole-population table.
   */
  readonly personIdRange?: readonly [string, string];
}

/**
 * A SELECT returning one row per person resident at `referenceDate` (born on or before it, and no
 * death on or before it), with person_id, record_key (disclosure control), sex, ethnic_category, ethnic_group, lsoa_code, lad_code,
 * place, neighbourhood_id, every numeric and flag feature column, efi_deficits and frailty_category.
 */
export const personFeaturesSql = (referenceDate: string, options: FeatureSqlOptions = {}): string => {
  const { date: d, windowFirst } = featureDates(referenceDate);
  /** With a population filter, every event aggregate is restricted to the people in it. */
  const range = options.personIdRange;
  const only = (column = 'person_id') =>
    (options.population ? ` AND ${column} IN (SELECT person_id FROM pop)` : '') + (range ? ` AND ${column} BETWEEN ${range[0]} AND ${range[1]}` : '');
  const D = date(d);
  const inWindow = (column: string) => `${column} BETWEEN ${date(windowFirst)} AND ${D}`;
  /** 24-month counts use (D − WINDOW_24M_DAYS, D]. */
  const in24m = (column: string) => `${column} BETWEEN ${date(isoFromDay(dayFromIso(d) - WINDOW_24M_DAYS + 1))} AND ${D}`;
  const conditionCodes = (k: ConditionKey) => CONDITIONS[k].codes.map((c) => c.code as string);
  const smokingCodes = [OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code] as string[];
  const codedDeficits = FRAILTY_DEFICITS.map((deficit, i) => ({ deficit, i })).filter((x) => x.deficit.source.kind === 'codes');
  // The clinical events' aggregates test their codes by bits of one joined relation of codes (code-sets.ts); "has any
  // record of these codes" (the coded deficits, the carer code) is one bit_or of a mask column for all of them (ce.any_j).
  const sets = new CodeSets();
  const anyColumns = new Map<string, string>();
  const anyCode = (codes: readonly string[]): string => {
    const { aggregate, test } = sets.any(codes);
    const column = anyColumns.get(aggregate) ?? anyColumns.set(aggregate, `any_${anyColumns.size}`).get(aggregate)!;
    return test(`ce.${column}`);
  };
  const deficitTests = codedDeficits.map(({ deficit, i }) => ({ i, test: anyCode(deficit.source.kind === 'codes' ? deficit.source.codes.map((c) => c.code as string) : []) }));
  const carerCode = anyCode([OBSERVATION_CODES.carer.code]);
  const ceColumns = [
    ...CONDITION_KEYS.map((k) => `min(event_date) FILTER (WHERE ${sets.test(conditionCodes(k))}) AS first_${k}`),
    ...[...anyColumns].map(([aggregate, column]) => `${aggregate} AS ${column}`),
    `max(event_date) FILTER (WHERE ${sets.test(smokingCodes)}) AS last_smoking_status`,
    `max(event_date) FILTER (WHERE ${sets.test([OBSERVATION_CODES.currentSmoker.code])}) AS last_current_smoker`,
    `max(event_date) FILTER (WHERE ${sets.test([OBSERVATION_CODES.exSmoker.code])}) AS last_ex_smoker`,
    `arg_max(numeric_value, {'d': event_date, 'v': numeric_value}) FILTER (WHERE ${sets.test([OBSERVATION_CODES.bmi.code])} AND numeric_value IS NOT NULL AND event_date > ${D} - INTERVAL ${BMI_LOOKBACK_YEARS} YEAR) AS latest_bmi`,
  ];
  const count = (name: string, table: string, dateColumn: string, extra = '') =>
    `${name} AS (SELECT person_id, count(*)::INTEGER AS n FROM ${table} WHERE ${inWindow(dateColumn)}${extra}${only()} GROUP BY person_id)`;
  const inhaler = startsWithAny('bnf_code', INHALER_BNF_PREFIXES);
  const prednisolone = startsWithAny('bnf_code', PREDNISOLONE_BNF_PREFIXES);
  const antibiotic = startsWithAny('bnf_code', ANTIBIOTIC_BNF_PREFIXES);
  const ago = (column: string) => `(${D} - ${column})::INTEGER`;
  const conditionFlags = CONDITION_KEYS.map((k) => `(ce.first_${k} IS NOT NULL) AS ${conditionColumn(k)}`);
  const efiDeficits = FRAILTY_DEFICITS.map(deficitSql).join(' + ');
  const efiDenominator = FRAILTY_DEFICITS.length;

  return `WITH
pop AS (
  SELECT p.person_id, p.record_key, p.sex, p.ethnic_category, p.lsoa_code, p.date_of_birth, p.is_carer,
    l.lad_code, l.place, l.neighbourhood_id, l.imd_decile, l.imd_quintile
  FROM person p
  JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
  WHERE p.date_of_birth <= ${D}
    AND NOT EXISTS (SELECT 1 FROM death x WHERE x.person_id = p.person_id AND x.date_of_death <= ${D})${options.population ? `\n    AND (${options.population})` : ''}${range ? `\n    AND p.person_id BETWEEN ${range[0]} AND ${range[1]}` : ''}
),
ce AS (
  SELECT person_id,
    ${ceColumns.join(',\n    ')}
  FROM clinical_event JOIN ${sets.relation()} ON ${CODE_SETS_CODE} = snomed_code
  WHERE event_date <= ${D}${only()}
  GROUP BY person_id
),
spells AS (
  SELECT person_id,
    count(*) FILTER (WHERE admission_method = 'emergency' AND ${inWindow('admission_date')})::INTEGER AS emergency,
    sum(least(discharge_date, ${D}) - admission_date) FILTER (WHERE admission_method = 'emergency' AND ${inWindow('admission_date')})::INTEGER AS bed_days,
    count(*) FILTER (WHERE admission_method = 'elective' AND ${inWindow('admission_date')})::INTEGER AS elective
  FROM hospital_spell WHERE ${inWindow('admission_date')}${only()} GROUP BY person_id
),
ae AS (
  SELECT person_id, count(*)::INTEGER AS n
  FROM ae_attendance
  WHERE arrival_time >= CAST(${date(windowFirst)} AS TIMESTAMP) AND arrival_time < CAST(${D} + 1 AS TIMESTAMP)${only()} GROUP BY person_id
),
gp AS (
  SELECT person_id, count(*)::INTEGER AS n
  FROM gp_appointment WHERE ${inWindow('appointment_date')}${only()} GROUP BY person_id
),
${count('op', 'outpatient_appointment', 'appointment_date', ' AND attended')},
${count('cc', 'community_contact', 'contact_date')},
${count('mh', 'mental_health_contact', 'contact_date')},
sc AS (
  SELECT person_id, count(*)::INTEGER AS n, bool_or(event_type IN (${list(SOCIAL_CARE_SERVICE_STARTS)})) AS service_start
  FROM social_care_event WHERE ${inWindow('event_date')}${only()} GROUP BY person_id
),
med AS (
  SELECT person_id,
    count(DISTINCT left(bnf_code, 4)) FILTER (WHERE ${inWindow('issue_date')})::INTEGER AS sections,
    count(*) FILTER (WHERE ${inhaler} AND ${inWindow('issue_date')})::INTEGER AS inhaler_issues,
    count(DISTINCT issue_date) FILTER (WHERE ${prednisolone} AND ${in24m('issue_date')})::INTEGER AS prednisolone_courses,
    count(DISTINCT issue_date) FILTER (WHERE ${antibiotic} AND ${in24m('issue_date')})::INTEGER AS antibiotic_courses
  FROM medication WHERE ${in24m('issue_date')}${only()} GROUP BY person_id
),
ch AS (
  SELECT DISTINCT person_id FROM care_home_stay WHERE start_date <= ${D} AND (end_date IS NULL OR end_date > ${D})${only()}
),
mothers AS (
  SELECT DISTINCT mother_person_id AS person_id FROM birth WHERE ${inWindow('birth_date')}${only('mother_person_id')}
),
base AS (
  SELECT pop.person_id, pop.record_key, pop.sex, pop.ethnic_category, ${ethnicGroupSql('pop.ethnic_category')} AS ethnic_group,
    pop.lsoa_code, pop.lad_code, pop.place, pop.neighbourhood_id,
    (year(${D}) - year(pop.date_of_birth)
      - CASE WHEN month(${D}) < month(pop.date_of_birth) OR (month(${D}) = month(pop.date_of_birth) AND day(${D}) < day(pop.date_of_birth)) THEN 1 ELSE 0 END)::INTEGER AS age,
    pop.imd_decile::INTEGER AS imd_decile, pop.imd_quintile::INTEGER AS imd_quintile,
    coalesce(spells.emergency, 0) AS emergency_admissions_12m,
    coalesce(spells.bed_days, 0) AS emergency_bed_days_12m,
    coalesce(spells.elective, 0) AS elective_admissions_12m,
    coalesce(ae.n, 0) AS ae_attendances_12m,
    coalesce(gp.n, 0) AS gp_appointments_12m,
    coalesce(op.n, 0) AS outpatient_appointments_12m,
    coalesce(cc.n, 0) AS community_contacts_12m,
    coalesce(mh.n, 0) AS mental_health_contacts_12m,
    coalesce(sc.n, 0) AS social_care_events_12m,
    coalesce(med.sections, 0) AS medicine_sections_12m,
    coalesce(ce.latest_bmi, 0)::DOUBLE AS latest_bmi,
    coalesce(med.inhaler_issues, 0) AS inhaler_issues_12m,
    coalesce(med.prednisolone_courses, 0) AS prednisolone_courses_24m,
    coalesce(med.antibiotic_courses, 0) AS antibiotic_courses_24m,
    ${conditionFlags.join(',\n    ')},
    ${CONDITION_KEYS.map((k) => `${ago(`ce.first_${k}`)} AS ${DIAGNOSED_DAYS_COLUMNS[k]}`).join(',\n    ')},
    (pop.sex = 'F') AS female,
    (ch.person_id IS NOT NULL) AS care_home_resident,
    (pop.is_carer OR coalesce(${carerCode}, FALSE)) AS carer,
    (ce.last_current_smoker IS NOT NULL AND ce.last_current_smoker = ce.last_smoking_status) AS current_smoker,
    (ce.last_ex_smoker IS NOT NULL AND ce.last_ex_smoker = ce.last_smoking_status AND ce.last_current_smoker IS DISTINCT FROM ce.last_smoking_status) AS ex_smoker,
    (pop.imd_quintile = ${CORE20_QUINTILE}) AS core20,
    (mothers.person_id IS NOT NULL OR ${inWindow('pop.date_of_birth')}) AS birth_12m,
    coalesce(${inWindow('ce.first_cancer')}, FALSE) AS new_cancer_12m,
    coalesce(sc.service_start, FALSE) AS social_care_service_12m,
    ${deficitTests.map(({ i, test }) => `${test} AS deficit_${i}`).join(', ')}
  FROM pop
  LEFT JOIN ce ON ce.person_id = pop.person_id
  LEFT JOIN spells ON spells.person_id = pop.person_id
  LEFT JOIN ae ON ae.person_id = pop.person_id
  LEFT JOIN gp ON gp.person_id = pop.person_id
  LEFT JOIN op ON op.person_id = pop.person_id
  LEFT JOIN cc ON cc.person_id = pop.person_id
  LEFT JOIN mh ON mh.person_id = pop.person_id
  LEFT JOIN sc ON sc.person_id = pop.person_id
  LEFT JOIN med ON med.person_id = pop.person_id
  LEFT JOIN ch ON ch.person_id = pop.person_id
  LEFT JOIN mothers ON mothers.person_id = pop.person_id
),
scored AS (
  SELECT *,
    (${LONG_TERM_CONDITION_KEYS.map((k) => `${conditionColumn(k)}::INTEGER`).join(' + ')})::INTEGER AS condition_count,
    ${multimorbiditySql()} AS multimorbidity_score,
    (ethnic_group IN (${list(ETHNIC_MINORITY_GROUPS)})) AS ethnic_minority,
    (${efiDeficits})::INTEGER AS efi_deficits
  FROM base
)
SELECT ${[
    'person_id', 'record_key', 'sex', 'ethnic_category', 'ethnic_group', 'lsoa_code', 'lad_code', 'place', 'neighbourhood_id',
    ...NUMERIC_FEATURES.map((f) => (f === 'efi' ? `efi_deficits / ${efiDenominator}.0 AS efi` : NUMERIC_FEATURE_COLUMNS[f])),
    ...FLAG_FEATURES.map((f) => FLAG_FEATURE_COLUMNS[f]),
    ...CONDITION_KEYS.map((k) => DIAGNOSED_DAYS_COLUMNS[k]),
    'efi_deficits',
    `${frailtyCategorySql(`efi_deficits / ${efiDenominator}.0`)} AS frailty_category`,
  ].join(', ')}
FROM scored`;
};

/**
 * A SELECT returning, for every person with any dated event of an `events` rule's kinds in the lookback (D −
 * EVENT_LOOKBACK_DAYS, D], person_id and the seven lists of days ago (EVENT_COLUMNS: INTEGER[], ascending; NULL for a
 * kind the person has none of). Kept apart from the features (personFeaturesSql) because only `events` rules read them
 * and they are the costliest part: on the full partnership about 36 million dated events, 30 million of them GP
 * appointments, grouped into lists (features and lists together 38-51 s there, features alone about 10 s less). A
 * features table's lists are made on first need (ensurePersonEvents) and read through featuresRelation.
 * `within`: only the people of that features table (one computed for a population).
 */
export const personEventsSql = (referenceDate: string, options: FeatureSqlOptions & { readonly within?: string } = {}): string => {
  const { date: d } = featureDates(referenceDate);
  const D = date(d);
  const range = options.personIdRange;
  const only = (options.within ? ` AND person_id IN (SELECT person_id FROM ${ident(checkTableName(options.within))})` : '') + (range ? ` AND person_id BETWEEN ${range[0]} AND ${range[1]}` : '');
  const lookbackFirst = date(isoFromDay(dayFromIso(d) - EVENT_LOOKBACK_DAYS + 1));
  const inLookback = (column: string) => `${column} BETWEEN ${lookbackFirst} AND ${D}`;
  const ago = (column: string) => `(${D} - ${column})::INTEGER`;
  const inhaler = startsWithAny('bnf_code', INHALER_BNF_PREFIXES);
  const prednisolone = startsWithAny('bnf_code', PREDNISOLONE_BNF_PREFIXES);
  const antibiotic = startsWithAny('bnf_code', ANTIBIOTIC_BNF_PREFIXES);
  /** The dated events of each kind in the lookback, as (person_id, days ago): one relation grouped once by person into the seven lists. */
  const eventRows: Record<EventKind, string> = {
    emergencyAdmission: `SELECT person_id, ${ago('admission_date')} AS d FROM hospital_spell WHERE admission_method = 'emergency' AND ${inLookback('admission_date')}${only}`,
    electiveAdmission: `SELECT person_id, ${ago('admission_date')} AS d FROM hospital_spell WHERE admission_method = 'elective' AND ${inLookback('admission_date')}${only}`,
    aeAttendance: `SELECT person_id, ${ago('CAST(arrival_time AS DATE)')} AS d FROM ae_attendance WHERE arrival_time >= CAST(${lookbackFirst} AS TIMESTAMP) AND arrival_time < CAST(${D} + 1 AS TIMESTAMP)${only}`,
    gpAppointment: `SELECT person_id, ${ago('appointment_date')} AS d FROM gp_appointment WHERE ${inLookback('appointment_date')}${only}`,
    inhalerIssue: `SELECT person_id, ${ago('issue_date')} AS d FROM medication WHERE ${inhaler} AND ${inLookback('issue_date')}${only}`,
    // Courses: one per distinct issue date.
    prednisoloneCourse: `SELECT DISTINCT person_id, ${ago('issue_date')} AS d FROM medication WHERE ${prednisolone} AND ${inLookback('issue_date')}${only}`,
    antibioticCourse: `SELECT DISTINCT person_id, ${ago('issue_date')} AS d FROM medication WHERE ${antibiotic} AND ${inLookback('issue_date')}${only}`,
  };
  return `SELECT person_id,
    ${EVENT_KINDS.map((k, i) => `list_sort(list(d) FILTER (WHERE k = ${i})) AS ${EVENT_COLUMNS[k]}`).join(',\n    ')}
  FROM (${EVENT_KINDS.map((k, i) => `SELECT person_id, ${i} AS k, d FROM (${eventRows[k]})`).join('\n    UNION ALL ')})
  GROUP BY person_id`;
};

/** core's frailtyCategory in SQL: fit ≤ 0.12 < mild ≤ 0.24 < moderate ≤ 0.36 < severe. */
export const frailtyCategorySql = (efi: string): string =>
  `CASE WHEN ${efi} <= 0.12::DOUBLE THEN 'fit' WHEN ${efi} <= 0.24::DOUBLE THEN 'mild' WHEN ${efi} <= 0.36::DOUBLE THEN 'moderate' ELSE 'severe' END`;

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;
export const checkTableName = (table: string): string => {
  if (!TABLE_NAME.test(table)) throw new UserError(`'${table}' is not a valid feature table name (lower case letters, digits and _)`);
  return table;
};

export interface ComputeFeaturesOptions extends FeatureSqlOptions {
  /** TEMP table to create (replaced if it exists). Default `person_features`. */
  readonly table?: string;
}

/** Creates (or replaces) the TEMP table of person features at `referenceDate`; returns its row count. */
export const computePersonFeatures = async (db: PhmDatabase, referenceDate: string, options: ComputeFeaturesOptions = {}): Promise<number> => {
  const table = checkTableName(options.table ?? PERSON_FEATURES_TABLE);
  const tables = computed.get(db) ?? computed.set(db, new Map()).get(db)!;
  tables.delete(table);
  madeTables(db).delete(table);
  await db.query(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS ${personFeaturesSql(referenceDate, options)} ORDER BY person_id`);
  // Only a whole-population table can be reused by ensurePersonFeatures.
  if (!options.population) tables.set(table, referenceDate);
  madeTables(db).set(table, { date: referenceDate, partial: options.population !== undefined || options.personIdRange !== undefined });
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(table)}`);
  return row?.n ?? 0;
};

type FeatureRow = Record<string, string | number | boolean | null | readonly number[]>;

const toPersonFeatures = (r: FeatureRow): PersonFeatures => ({
  personId: Number(r.person_id),
  sex: r.sex === 'F' ? 'F' : 'M',
  ethnicGroup: String(r.ethnic_group),
  lsoaCode: String(r.lsoa_code),
  place: String(r.place),
  neighbourhoodId: String(r.neighbourhood_id),
  numeric: Object.fromEntries(NUMERIC_FEATURES.map((f) => [f, Number(r[NUMERIC_FEATURE_COLUMNS[f]])])) as Record<NumericFeature, number>,
  flags: Object.fromEntries(FLAG_FEATURES.map((f) => [f, r[FLAG_FEATURE_COLUMNS[f]] === true])) as Record<FlagFeature, boolean>,
  // Tables made without the dated columns (e.g. hand-written feature rows) have no dated facts.
  diagnosedDaysAgo: Object.fromEntries(
    CONDITION_KEYS.filter((k) => typeof r[DIAGNOSED_DAYS_COLUMNS[k]] === 'number').map((k) => [k, r[DIAGNOSED_DAYS_COLUMNS[k]] as number]),
  ) as Partial<Record<ConditionKey, number>>,
  eventDaysAgo: Object.fromEntries(EVENT_KINDS.map((k) => [k, Array.isArray(r[EVENT_COLUMNS[k]]) ? (r[EVENT_COLUMNS[k]] as readonly number[]).map(Number) : []])) as Record<EventKind, number[]>,
});

/**
 * Reads people from a features table (computePersonFeatures first) as core PersonFeatures, in
 * person_id order. `where` is an SQL condition over the table's columns. Meant for small
 * populations and tests: every row becomes an object.
 */
export const readPersonFeatures = async (db: PhmDatabase, where?: string, table = PERSON_FEATURES_TABLE): Promise<PersonFeatures[]> => {
  const rows = await db.query<FeatureRow>(`SELECT * FROM ${await featuresRelation(db, table, true)} f${where ? ` WHERE ${where}` : ''} ORDER BY person_id`);
  return rows.map(toPersonFeatures);
};

/** computePersonFeatures, unless `table` already holds the features at `referenceDate` on this connection. */
export const ensurePersonFeatures = async (db: PhmDatabase, referenceDate: string, table = PERSON_FEATURES_TABLE): Promise<void> => {
  if (computed.get(db)?.get(table) === referenceDate) return;
  await computePersonFeatures(db, referenceDate, { table });
};

/**
 * Writes a features table to a Parquet file (the server keeps the person features of a data version
 * beside the database, in its private results folder, so that a restart loads them instead of
 * computing them again: docs/decisions/0011-persisted-results.md).
 */
export const savePersonFeatures = async (db: PhmDatabase, file: string, table = PERSON_FEATURES_TABLE): Promise<void> => {
  await db.query(`COPY ${ident(checkTableName(table))} TO ${literal(file)} (FORMAT parquet)`);
};

/**
 * Loads features written by savePersonFeatures into the TEMP table, as computePersonFeatures would
 * have made them at `referenceDate`; returns the row count. Throws when the file cannot be read.
 */
export const loadPersonFeatures = async (db: PhmDatabase, file: string, referenceDate: string, table = PERSON_FEATURES_TABLE): Promise<number> => {
  const name = checkTableName(table);
  const tables = computed.get(db) ?? computed.set(db, new Map()).get(db)!;
  tables.delete(name);
  madeTables(db).delete(name);
  await db.query(`CREATE OR REPLACE TEMP TABLE ${ident(name)} AS SELECT * FROM read_parquet(${literal(file)}) ORDER BY person_id`);
  tables.set(name, referenceDate);
  madeTables(db).set(name, { date: referenceDate, partial: false });
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(name)}`);
  return row?.n ?? 0;
};

/**
 * Makes the event lists of a features table computed or loaded on this database (the TEMP table eventsTableOf(table)),
 * unless they are made already or being made (requests wait for the same). A table not made here (written by hand)
 * must hold the lists itself. Returns the events table, or undefined for such a table.
 */
export const ensurePersonEvents = async (db: PhmDatabase, table = PERSON_FEATURES_TABLE): Promise<string | undefined> => {
  const name = checkTableName(table);
  const entry = madeTables(db).get(name);
  if (entry === undefined) return undefined;
  if (entry.events === undefined) {
    const events = eventsTableOf(name);
    entry.events = db
      .query(`CREATE OR REPLACE TEMP TABLE ${ident(events)} AS ${personEventsSql(entry.date, entry.partial ? { within: name } : {})} ORDER BY person_id`)
      .then(() => undefined);
    // A failure is not kept: the next need tries again.
    entry.events.catch(() => {
      if (madeTables(db).get(name) === entry) entry.events = undefined;
    });
  }
  await entry.events;
  return eventsTableOf(name);
};

/**
 * The relation (SQL text, to be given an alias) of a features table for a query: the table itself, or, when the query
 * reads the event lists (`events` rules: core's ruleUsesEvents), the table with its lists joined (made first if
 * needed; NULL lists for people with no such event, as the rules expect). A table written by hand is used as it is.
 */
export const featuresRelation = async (db: PhmDatabase, table: string, withEvents: boolean): Promise<string> => {
  const name = ident(checkTableName(table));
  if (!withEvents) return name;
  const events = await ensurePersonEvents(db, table);
  if (events === undefined) return name;
  return `(SELECT t.*, ${EVENT_KINDS.map((k) => `e.${EVENT_COLUMNS[k]}`).join(', ')} FROM ${name} t LEFT JOIN ${ident(events)} e ON e.person_id = t.person_id)`;
};

/** Makes a features table's event lists if needed (ensurePersonEvents) and returns the number of people with any. */
export const countPersonEvents = async (db: PhmDatabase, table = PERSON_FEATURES_TABLE): Promise<number> => {
  const events = await ensurePersonEvents(db, table);
  if (events === undefined) throw new InternalError(`features table ${table} was not made on this database: it has no event lists of its own`);
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(events)}`);
  return Number(row?.n ?? 0);
};

/** Writes a features table's event lists (made if needed) to a Parquet file (the server keeps them beside the features). */
export const savePersonEvents = async (db: PhmDatabase, file: string, table = PERSON_FEATURES_TABLE): Promise<void> => {
  const events = await ensurePersonEvents(db, table);
  if (events === undefined) throw new InternalError(`features table ${table} was not made on this database: it has no event lists to save`);
  await db.query(`COPY ${ident(events)} TO ${literal(file)} (FORMAT parquet)`);
};

/**
 * Loads event lists written by savePersonEvents as the lists of a features table made on this database at
 * `referenceDate`; returns the people with any event. Throws when the file cannot be read or the table is of another date.
 */
export const loadPersonEvents = async (db: PhmDatabase, file: string, referenceDate: string, table = PERSON_FEATURES_TABLE): Promise<number> => {
  const name = checkTableName(table);
  const entry = madeTables(db).get(name);
  if (entry === undefined || entry.date !== referenceDate) throw new InternalError(`features table ${name} is not made for ${referenceDate} on this database`);
  const events = eventsTableOf(name);
  const loading = db.query(`CREATE OR REPLACE TEMP TABLE ${ident(events)} AS SELECT * FROM read_parquet(${literal(file)}) ORDER BY person_id`).then(() => undefined);
  entry.events = loading;
  try {
    await loading;
  } catch (error) {
    if (madeTables(db).get(name) === entry && entry.events === loading) entry.events = undefined;
    throw error;
  }
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(events)}`);
  return Number(row?.n ?? 0);
};
