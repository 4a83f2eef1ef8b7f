/**
 * Person features computed in plain TypeScript from plain rows: the reference engine for core's
 * PersonFeatures, as obviously correct as possible (one pass per table, a record per person), so
 * the DuckDB SQL in @openphm/store-duckdb (phm/features.ts) can be checked against it person by
 * person. The definitions are those of docs/segmentation.md ("Feature definitions").
 */
import {
  ANTIBIOTIC_BNF_PREFIXES,
  BMI_LOOKBACK_YEARS,
  CORE20_QUINTILE,
  ETHNIC_MINORITY_GROUPS,
  EVENT_KINDS,
  EVENT_LOOKBACK_DAYS,
  INHALER_BNF_PREFIXES,
  PREDNISOLONE_BNF_PREFIXES,
  WINDOW_24M_DAYS,
  multimorbidityScoreOfFlags,
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
  ageOn,
  dayFromIso,
  isoFromDay,
  type ConditionKey,
  type EthnicGroup,
  type EventKind,
  type FlagFeature,
  type IndicatorData,
  type NumericFeature,
  type PersonFeatures,
  type PlainRow,
  type PlainValue,
  type TableName,
} from '@openphm/core';

const text = (v: PlainValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const day = (v: PlainValue | undefined): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);

/** The same day `years` earlier, the day clamped to the month's length (29 February → 28 February), as DuckDB's date − INTERVAL. */
const minusYears = (iso: string, years: number): string => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const year = y - years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

interface Accumulator {
  firstCondition: Map<ConditionKey, string>;
  deficits: Set<number>;
  lastSmokingStatus: string | null;
  lastCurrentSmoker: string | null;
  lastExSmoker: string | null;
  carerCode: boolean;
  /** Latest BMI in the lookback: by date, then the greatest value. */
  bmi: { day: string; value: number } | null;
  emergency: number;
  bedDays: number;
  elective: number;
  ae: number;
  gp: number;
  op: number;
  cc: number;
  mh: number;
  sc: number;
  serviceStart: boolean;
  bnfSections: Set<string>;
  careHome: boolean;
  mother: boolean;
  inhalerIssues: number;
  /** Days before D of each event in the lookback (courses: one per distinct issue date). */
  events: Record<EventKind, number[]>;
  prednisoloneDays: Set<string>;
  antibioticDays: Set<string>;
}

const emptyAccumulator = (): Accumulator => ({
  firstCondition: new Map(),
  deficits: new Set(),
  lastSmokingStatus: null,
  lastCurrentSmoker: null,
  lastExSmoker: null,
  carerCode: false,
  bmi: null,
  emergency: 0,
  bedDays: 0,
  elective: 0,
  ae: 0,
  gp: 0,
  op: 0,
  cc: 0,
  mh: 0,
  sc: 0,
  serviceStart: false,
  bnfSections: new Set(),
  careHome: false,
  mother: false,
  inhalerIssues: 0,
  events: Object.fromEntries(EVENT_KINDS.map((k) => [k, []])) as unknown as Record<EventKind, number[]>,
  prednisoloneDays: new Set(),
  antibioticDays: new Set(),
});

const maxDay = (a: string | null, b: string): string => (a === null || b > a ? b : a);

/**
 * Everyone resident at `referenceDate` (living in one of the data's LSOAs, born on or before it,
 * no death on or before it) with their features, in person_id order (numeric ids numerically).
 */
export const computeFeaturesInMemory = (data: IndicatorData, referenceDate: string): PersonFeatures[] => {
  const D = referenceDate;
  const dDay = dayFromIso(D);
  const windowFirst = isoFromDay(dDay - WINDOW_DAYS + 1);
  const inWindow = (d: string | null): boolean => d !== null && d >= windowFirst && d <= D;
  const lookbackFirst = isoFromDay(dDay - EVENT_LOOKBACK_DAYS + 1);
  const inLookback = (d: string | null): boolean => d !== null && d >= lookbackFirst && d <= D;
  const window24First = isoFromDay(dDay - WINDOW_24M_DAYS + 1);
  const ago = (d: string): number => dDay - dayFromIso(d);
  const bmiAfter = minusYears(D, BMI_LOOKBACK_YEARS);
  const rows = (table: TableName): readonly PlainRow[] => data.tables[table] ?? [];
  const lsoas = new Map(data.lsoas.map((l) => [l.code, l]));

  const dead = new Set<string>();
  for (const r of rows('death')) {
    const d = day(r.date_of_death);
    if (d !== null && d <= D) dead.add(String(r.person_id));
  }
  const people = new Map<string, { row: PlainRow; acc: Accumulator }>();
  for (const row of rows('person')) {
    const id = String(row.person_id);
    const dob = day(row.date_of_birth);
    if (dob === null || dob > D || dead.has(id) || !lsoas.has(String(row.lsoa_code))) continue;
    people.set(id, { row, acc: emptyAccumulator() });
  }
  const accOf = (personId: PlainValue | undefined): Accumulator | undefined => people.get(String(personId))?.acc;

  // Clinical events on or before D.
  const conditionOf = new Map<string, ConditionKey[]>();
  for (const k of CONDITION_KEYS) for (const c of CONDITIONS[k].codes) conditionOf.set(c.code, [...(conditionOf.get(c.code) ?? []), k]);
  const deficitOf = new Map<string, number[]>();
  FRAILTY_DEFICITS.forEach((deficit, i) => {
    if (deficit.source.kind === 'codes') for (const c of deficit.source.codes) deficitOf.set(c.code, [...(deficitOf.get(c.code) ?? []), i]);
  });
  const smoking = new Set<string>([OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code]);
  for (const r of rows('clinical_event')) {
    const acc = accOf(r.person_id);
    const d = day(r.event_date);
    const code = text(r.snomed_code);
    if (!acc || d === null || d > D || code === null) continue;
    for (const k of conditionOf.get(code) ?? []) {
      const first = acc.firstCondition.get(k);
      if (first === undefined || d < first) acc.firstCondition.set(k, d);
    }
    for (const i of deficitOf.get(code) ?? []) acc.deficits.add(i);
    if (smoking.has(code)) acc.lastSmokingStatus = maxDay(acc.lastSmokingStatus, d);
    if (code === OBSERVATION_CODES.currentSmoker.code) acc.lastCurrentSmoker = maxDay(acc.lastCurrentSmoker, d);
    if (code === OBSERVATION_CODES.exSmoker.code) acc.lastExSmoker = maxDay(acc.lastExSmoker, d);
    if (code === OBSERVATION_CODES.carer.code) acc.carerCode = true;
    if (code === OBSERVATION_CODES.bmi.code && typeof r.numeric_value === 'number' && d > bmiAfter) {
      const v = r.numeric_value;
      if (acc.bmi === null || d > acc.bmi.day || (d === acc.bmi.day && v > acc.bmi.value)) acc.bmi = { day: d, value: v };
    }
  }

  // Activity in the 12-month window.
  for (const r of rows('hospital_spell')) {
    const acc = accOf(r.person_id);
    const admitted = day(r.admission_date);
    if (!acc || !inLookback(admitted)) continue;
    if (r.admission_method === 'emergency') acc.events.emergencyAdmission.push(ago(admitted!));
    if (r.admission_method === 'elective') acc.events.electiveAdmission.push(ago(admitted!));
    if (!inWindow(admitted)) continue;
    if (r.admission_method === 'emergency') {
      acc.emergency++;
      const discharged = day(r.discharge_date);
      acc.bedDays += dayFromIso(discharged === null || discharged > D ? D : discharged) - dayFromIso(admitted!);
    } else if (r.admission_method === 'elective') acc.elective++;
  }
  for (const r of rows('ae_attendance')) {
    const acc = accOf(r.person_id);
    const arrived = day(r.arrival_time);
    if (acc && inLookback(arrived)) acc.events.aeAttendance.push(ago(arrived!));
    if (acc && inWindow(arrived)) acc.ae++;
  }
  for (const r of rows('gp_appointment')) {
    const acc = accOf(r.person_id);
    const d = day(r.appointment_date);
    if (acc && inLookback(d)) acc.events.gpAppointment.push(ago(d!));
  }
  const counters: readonly [TableName, string, (a: Accumulator) => void, (r: PlainRow) => boolean][] = [
    ['gp_appointment', 'appointment_date', (a) => a.gp++, () => true],
    ['outpatient_appointment', 'appointment_date', (a) => a.op++, (r) => r.attended === true],
    ['community_contact', 'contact_date', (a) => a.cc++, () => true],
    ['mental_health_contact', 'contact_date', (a) => a.mh++, () => true],
  ];
  for (const [table, column, count, keep] of counters) {
    for (const r of rows(table)) {
      const acc = accOf(r.person_id);
      if (acc && inWindow(day(r[column])) && keep(r)) count(acc);
    }
  }
  for (const r of rows('social_care_event')) {
    const acc = accOf(r.person_id);
    if (!acc || !inWindow(day(r.event_date))) continue;
    acc.sc++;
    if ((SOCIAL_CARE_SERVICE_STARTS as readonly string[]).includes(String(r.event_type))) acc.serviceStart = true;
  }
  for (const r of rows('medication')) {
    const acc = accOf(r.person_id);
    const bnf = text(r.bnf_code);
    const issued = day(r.issue_date);
    if (!acc || bnf === null || !inLookback(issued)) continue;
    const is = (prefixes: readonly string[]) => prefixes.some((x) => bnf.startsWith(x));
    if (inWindow(issued)) acc.bnfSections.add(bnf.slice(0, 4));
    if (is(INHALER_BNF_PREFIXES)) {
      acc.events.inhalerIssue.push(ago(issued!));
      if (inWindow(issued)) acc.inhalerIssues++;
    }
    if (is(PREDNISOLONE_BNF_PREFIXES)) acc.prednisoloneDays.add(issued!);
    if (is(ANTIBIOTIC_BNF_PREFIXES)) acc.antibioticDays.add(issued!);
  }
  for (const r of rows('care_home_stay')) {
    const acc = accOf(r.person_id);
    const start = day(r.start_date);
    const end = day(r.end_date);
    if (acc && start !== null && start <= D && (end === null || end > D)) acc.careHome = true;
  }
  for (const r of rows('birth')) {
    const acc = accOf(r.mother_person_id);
    if (acc && inWindow(day(r.birth_date))) acc.mother = true;
  }

  const out: PersonFeatures[] = [];
  for (const [id, { row, acc }] of people) {
    const lsoa = lsoas.get(String(row.lsoa_code))!;
    const dob = day(row.date_of_birth)!;
    const has = (k: ConditionKey): boolean => acc.firstCondition.has(k);
    const sections = acc.bnfSections.size;
    const deficits = FRAILTY_DEFICITS.filter((deficit, i) => {
      const s = deficit.source;
      if (s.kind === 'codes') return acc.deficits.has(i);
      if (s.kind === 'conditions') return s.conditions.some(has);
      return sections >= s.minDistinctBnfSections;
    }).length;
    const category = text(row.ethnic_category);
    const numeric: Record<NumericFeature, number> = {
      age: ageOn(dayFromIso(dob), dDay),
      imdDecile: lsoa.imdDecile,
      imdQuintile: lsoa.imdQuintile,
      conditionCount: LONG_TERM_CONDITION_KEYS.filter(has).length,
      efi: deficits / FRAILTY_DEFICITS.length,
      emergencyAdmissions12m: acc.emergency,
      emergencyBedDays12m: acc.bedDays,
      electiveAdmissions12m: acc.elective,
      aeAttendances12m: acc.ae,
      gpAppointments12m: acc.gp,
      outpatientAppointments12m: acc.op,
      communityContacts12m: acc.cc,
      mentalHealthContacts12m: acc.mh,
      socialCareEvents12m: acc.sc,
      medicineSections12m: sections,
      latestBmi: acc.bmi?.value ?? 0,
      inhalerIssues12m: acc.inhalerIssues,
      prednisoloneCourses24m: [...acc.prednisoloneDays].filter((x) => x >= window24First).length,
      antibioticCourses24m: [...acc.antibioticDays].filter((x) => x >= window24First).length,
      multimorbidityScore: 0,
    };
    const firstCancer = acc.firstCondition.get('cancer') ?? null;
    const lastSmoking = acc.lastSmokingStatus;
    const group = category !== null && Object.hasOwn(ETHNIC_CATEGORIES, category) ? ETHNIC_CATEGORIES[category as keyof typeof ETHNIC_CATEGORIES].group : 'Not stated';
    const flags = {
      ...(Object.fromEntries(CONDITION_KEYS.map((k) => [`condition:${k}`, has(k)])) as Record<`condition:${ConditionKey}`, boolean>),
      female: row.sex === 'F',
      careHomeResident: acc.careHome,
      carer: row.is_carer === true || acc.carerCode,
      currentSmoker: acc.lastCurrentSmoker !== null && acc.lastCurrentSmoker === lastSmoking,
      exSmoker: acc.lastExSmoker !== null && acc.lastExSmoker === lastSmoking && acc.lastCurrentSmoker !== lastSmoking,
      core20: lsoa.imdQuintile === CORE20_QUINTILE,
      ethnicMinority: ETHNIC_MINORITY_GROUPS.includes(group as EthnicGroup),
      birth12m: acc.mother || inWindow(dob),
      newCancer12m: inWindow(firstCancer),
      socialCareService12m: acc.serviceStart,
    } satisfies Record<FlagFeature, boolean>;
    numeric.multimorbidityScore = multimorbidityScoreOfFlags(flags);
    acc.events.prednisoloneCourse = [...acc.prednisoloneDays].map(ago);
    acc.events.antibioticCourse = [...acc.antibioticDays].map(ago);
    out.push({
      personId: Number(id),
      sex: row.sex === 'F' ? 'F' : 'M',
      ethnicGroup: group,
      lsoaCode: lsoa.code,
      place: lsoa.place,
      neighbourhoodId: lsoa.neighbourhoodId,
      numeric: Object.fromEntries(NUMERIC_FEATURES.map((f) => [f, numeric[f]])) as Record<NumericFeature, number>,
      flags: Object.fromEntries(FLAG_FEATURES.map((f) => [f, flags[f]])) as Record<FlagFeature, boolean>,
      diagnosedDaysAgo: Object.fromEntries(CONDITION_KEYS.filter(has).map((k) => [k, ago(acc.firstCondition.get(k)!)])) as Partial<Record<ConditionKey, number>>,
      eventDaysAgo: Object.fromEntries(EVENT_KINDS.map((k) => [k, [...acc.events[k]].sort((a, b) => a - b)])) as Record<EventKind, number[]>,
    });
  }
  return out.sort((a, b) => a.personId - b.personId);
};
