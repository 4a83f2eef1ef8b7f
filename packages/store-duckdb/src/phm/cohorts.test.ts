/**
 * Cohorts on both engines: hand-written feature rows (one line each) in an in-memory DuckDB table with
 * the features table's columns; membership by core's inCohort (over the rows read back with
 * readPersonFeatures) and by the SQL compilation must both equal the membership worked out by hand.
 * Then runCohort's counts, worklist and impact view on the same rows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONDITION_KEYS,
  EVENT_KINDS,
  FLAG_FEATURES,
  NUMERIC_FEATURES,
  differingBuckets,
  differsBySmallGroup,
  inCohort,
  parseCohortDefinition,
  type CohortDefinition,
  type ConditionKey,
  type EventKind,
  type FlagFeature,
  type NumericFeature,
} from '@openphm/core';
import { readRows, type PhmDatabase } from '../database.js';
import { literal } from '../sql.js';
import { cohortMemberIds, runCohort } from './cohorts.js';
import { NO_DISCLOSURE_CONTROL } from './disclosure.js';
import { DIAGNOSED_DAYS_COLUMNS, EVENT_COLUMNS, FLAG_FEATURE_COLUMNS, NUMERIC_FEATURE_COLUMNS, readPersonFeatures } from './features.js';

const COHORTS_DIR = fileURLToPath(new URL('../../../../cohorts/', import.meta.url));
const loadCohort = (name: string): CohortDefinition => parseCohortDefinition(JSON.parse(readFileSync(`${COHORTS_DIR}${name}.json`, 'utf8')), `cohorts/${name}.json`);

interface Row {
  readonly id: number;
  readonly sex: 'F' | 'M';
  readonly nb: string;
  readonly q: number;
  readonly num: Partial<Record<NumericFeature, number>>;
  readonly flags: readonly FlagFeature[];
  /** Days from each register's first code to D (absent: not on the register). */
  readonly dx?: Partial<Record<ConditionKey, number>>;
  /** Days before D of each event, ascending (absent: none). */
  readonly events?: Partial<Record<EventKind, number[]>>;
}
const r = (id: number, sex: 'F' | 'M', nb: string, q: number, num: Partial<Record<NumericFeature, number>>, flags: readonly FlagFeature[] = []): Row => ({ id, sex, nb, q, num, flags });
/** A row with dated facts: first-code days and event lists. */
const dated = (id: number, nb: string, facts: Pick<Row, 'dx' | 'events'>, flags: readonly FlagFeature[] = []): Row => ({ id, sex: 'F', nb, q: 3, num: { age: 70 }, flags, ...facts });

// id, sex, neighbourhood, IMD quintile, numeric features, flags
const ROWS: readonly Row[] = [
  r(1, 'F', 'nb-a', 1, { age: 80, efi: 0.3, emergencyAdmissions12m: 1, conditionCount: 3, aeAttendances12m: 2, emergencyBedDays12m: 10, gpAppointments12m: 6 }), // frail + admitted; 3 conditions in Q1
  r(2, 'M', 'nb-a', 1, { age: 65, efi: 0.25, emergencyAdmissions12m: 2, conditionCount: 2, aeAttendances12m: 1, emergencyBedDays12m: 4, gpAppointments12m: 2 }), // 65 exactly, eFI just over 0.24
  r(3, 'F', 'nb-a', 2, { age: 70, efi: 0.24, emergencyAdmissions12m: 1, conditionCount: 4 }), // eFI 0.24 is mild: not frail; 4 conditions but Q2
  r(4, 'M', 'nb-b', 3, { age: 64, efi: 0.5, emergencyAdmissions12m: 3, conditionCount: 1 }), // 64: too young
  r(5, 'F', 'nb-b', 1, { age: 40, conditionCount: 3, gpAppointments12m: 0 }, ['condition:smi']), // SMI, no GP; 3 conditions in Q1
  r(6, 'M', 'nb-b', 4, { age: 35, conditionCount: 1, gpAppointments12m: 1 }, ['condition:smi']), // SMI with a GP appointment
  r(7, 'F', 'nb-a', 5, { age: 50, conditionCount: 2 }, ['carer']), // carer, 2 conditions
  r(8, 'M', 'nb-b', 5, { age: 55, conditionCount: 1 }, ['carer']), // carer, 1 condition
  r(9, 'F', 'nb-b', 1, { age: 90, efi: 0.4, emergencyAdmissions12m: 0, conditionCount: 5 }, ['carer']), // frail without admission; Q1 multimorbid carer
];

/**
 * Leeds' respiratory case-finding rule (cohorts/respiratory-case-finding.json): two people meet every
 * clause (one exactly on each boundary), then one person per clause that fails it alone.
 */
const smoker = ['currentSmoker'] as const;
const ex = ['exSmoker'] as const;
const CASE_FINDING_ROWS: readonly Row[] = [
  r(101, 'M', 'nb-a', 1, { age: 60, inhalerIssues12m: 3, prednisoloneCourses24m: 1 }, ex), // member: ex-smoker, inhalers, a prednisolone course
  r(102, 'F', 'nb-a', 3, { age: 35, inhalerIssues12m: 1, antibioticCourses24m: 2 }, smoker), // member: 35, one inhaler, exactly two antibiotic courses
  r(103, 'M', 'nb-a', 1, { age: 70, inhalerIssues12m: 6, prednisoloneCourses24m: 2, antibioticCourses24m: 3 }, ['condition:copd', 'exSmoker']), // on the COPD register
  r(104, 'F', 'nb-b', 2, { age: 50, inhalerIssues12m: 4, prednisoloneCourses24m: 1 }, ['condition:asthma', 'currentSmoker']), // on the asthma register
  r(105, 'F', 'nb-b', 2, { age: 55, inhalerIssues12m: 2, prednisoloneCourses24m: 1, antibioticCourses24m: 2 }), // never smoked (no smoking status)
  r(106, 'M', 'nb-b', 4, { age: 34, inhalerIssues12m: 2, prednisoloneCourses24m: 1 }, smoker), // 34: too young
  r(107, 'M', 'nb-b', 5, { age: 66, inhalerIssues12m: 0, prednisoloneCourses24m: 2, antibioticCourses24m: 4 }, ex), // no inhaler in 12 months
  r(108, 'F', 'nb-a', 1, { age: 45, inhalerIssues12m: 2, prednisoloneCourses24m: 0, antibioticCourses24m: 1 }, smoker), // one antibiotic course, no prednisolone
];

/**
 * The example cohorts written with dated rules: high intensity A&E users (5+ attendances in 365
 * days) and dementia diagnosed in the last 365 days, not in a care home.
 */
const DATED_ROWS: readonly Row[] = [
  dated(201, 'nb-a', { events: { aeAttendance: [3, 40, 100, 200, 364] } }), // 5 attendances, the fifth 364 days ago: a high intensity user
  dated(202, 'nb-a', { events: { aeAttendance: [3, 40, 100, 200, 365, 400] } }), // the fifth is 365 days ago: outside the 365 days
  dated(203, 'nb-b', { events: { aeAttendance: [0, 0, 1, 1, 2, 2, 3] } }), // 7 attendances in 4 days (same-day attendances each count)
  dated(204, 'nb-b', { events: { aeAttendance: [10, 20, 30, 40] }, dx: { dementia: 364 } }, ['condition:dementia']), // 4 attendances; dementia first coded 364 days ago
  dated(205, 'nb-a', { dx: { dementia: 0 } }, ['condition:dementia']), // dementia first coded on D
  dated(206, 'nb-a', { dx: { dementia: 365 } }, ['condition:dementia']), // first coded 365 days ago: diagnosed more than a year ago
  dated(207, 'nb-b', { dx: { dementia: 30 } }, ['condition:dementia', 'careHomeResident']), // diagnosed recently, in a care home
  dated(208, 'nb-b', { dx: { depression: 10 } }, ['condition:depression']), // a recent diagnosis of something else
];

const EXPECTED: Record<string, number[]> = {
  'frail-65-emergency-admission': [1, 2],
  'multimorbidity-imd-q1': [1, 5, 9],
  'smi-no-recent-gp': [5],
  'carers-multimorbidity': [7, 9],
};

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let db: PhmDatabase;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  db = { file: ':memory:', readOnly: false, query: (sql, params) => readRows(connection, sql, params), close: () => undefined };
  await createFeatureTable('person_features', ROWS);
  await createFeatureTable('case_finding', CASE_FINDING_ROWS);
  await createFeatureTable('dated_facts', DATED_ROWS);
  // Person 1 (on the nb-a worklist) holds a national data opt-out.
  await db.query('CREATE TEMP TABLE opt_out (person_id BIGINT, kind VARCHAR, recorded_date DATE)');
  await db.query("INSERT INTO opt_out VALUES (1, 'national', NULL)");
});

/** A features table holding hand-written rows (features not given are 0 / false). */
const createFeatureTable = async (table: string, rows: readonly Row[]): Promise<void> => {
  const numeric = NUMERIC_FEATURES.map((f) => `${NUMERIC_FEATURE_COLUMNS[f]} DOUBLE`);
  const flags = FLAG_FEATURES.map((f) => `${FLAG_FEATURE_COLUMNS[f]} BOOLEAN`);
  const dx = CONDITION_KEYS.map((k) => `${DIAGNOSED_DAYS_COLUMNS[k]} INTEGER`);
  const events = EVENT_KINDS.map((k) => `${EVENT_COLUMNS[k]} INTEGER[]`);
  await db.query(
    `CREATE TEMP TABLE ${table} (person_id BIGINT, record_key UTINYINT, sex VARCHAR, ethnic_group VARCHAR, lsoa_code VARCHAR, lad_code VARCHAR, place VARCHAR, neighbourhood_id VARCHAR, ${[...numeric, ...flags, ...dx, ...events].join(', ')})`,
  );
  for (const row of rows) {
    const values = [
      String(row.id),
      String((row.id * 37) % 256),
      literal(row.sex),
      literal('White'),
      literal(`E0100000${row.id}`),
      literal('E08000035'),
      literal('leeds'),
      literal(row.nb),
      ...NUMERIC_FEATURES.map((f) => String(f === 'imdQuintile' ? row.q : f === 'imdDecile' ? row.q * 2 : (row.num[f] ?? 0))),
      ...FLAG_FEATURES.map((f) => (row.flags.includes(f) || (f === 'female' && row.sex === 'F') ? 'TRUE' : 'FALSE')),
      ...CONDITION_KEYS.map((k) => String(row.dx?.[k] ?? 'NULL')),
      ...EVENT_KINDS.map((k) => `[${(row.events?.[k] ?? []).join(', ')}]::INTEGER[]`),
    ];
    await db.query(`INSERT INTO ${table} VALUES (${values.join(', ')})`);
  }
};

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

describe('cohort membership on both engines', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: core and SQL agree with the hand-worked membership`, async () => {
      const cohort = loadCohort(name);
      const people = await readPersonFeatures(db);
      expect(people.filter((p) => inCohort(cohort, p)).map((p) => p.personId)).toEqual(expected);
      expect(await cohortMemberIds(db, cohort)).toEqual(expected);
    });
  }

  it('area restrictions apply on both engines', async () => {
    const cohort = { ...loadCohort('multimorbidity-imd-q1'), area: { place: 'leeds', neighbourhoodId: 'nb-b' } };
    const people = await readPersonFeatures(db);
    expect(people.filter((p) => inCohort(cohort, p)).map((p) => p.personId)).toEqual([5, 9]);
    expect(await cohortMemberIds(db, cohort)).toEqual([5, 9]);
    expect(await cohortMemberIds(db, { ...cohort, area: { place: 'kirklees' } })).toEqual([]);
  });

  it('segment restrictions apply on both engines', async () => {
    const cohort = parseCohortDefinition(
      { id: 'complex', version: 1, title: 'Complex', description: 'Kirklees complex group.', segment: { segmentation: 'kirklees-four-groups', segments: ['complex'] }, rule: { kind: 'always' } },
      'complex.json',
    );
    const people = await readPersonFeatures(db);
    expect(people.filter((p) => inCohort(cohort, p)).map((p) => p.personId)).toEqual([5, 9]);
    expect(await cohortMemberIds(db, cohort)).toEqual([5, 9]);
  });
});

describe('respiratory case-finding on both engines', () => {
  it('finds the people meeting every clause and no one failing any single clause', async () => {
    const cohort = loadCohort('respiratory-case-finding');
    const people = await readPersonFeatures(db, undefined, 'case_finding');
    expect(people.filter((p) => inCohort(cohort, p)).map((p) => p.personId)).toEqual([101, 102]);
    expect(await cohortMemberIds(db, cohort, 'case_finding')).toEqual([101, 102]);
  });
});

describe('example cohorts with dated rules on both engines', () => {
  it.each([
    ['high-intensity-ae-users', [201, 203]],
    ['dementia-diagnosed-12m', [204, 205]],
  ])('%s: core and SQL agree with the hand-worked membership', async (name, expected) => {
    const cohort = loadCohort(name);
    const people = await readPersonFeatures(db, undefined, 'dated_facts');
    expect(people.filter((p) => inCohort(cohort, p)).map((p) => p.personId)).toEqual(expected);
    expect(await cohortMemberIds(db, cohort, 'dated_facts')).toEqual(expected);
  });
});

describe('runCohort', () => {
  it('counts by breakdown, a pseudonymous worklist and the impact view', async () => {
    const cohort = loadCohort('frail-65-emergency-admission');
    const result = await runCohort(db, cohort, {
      referenceDate: '2024-03-31',
      breakdowns: [['neighbourhood'], ['sex']],
      worklist: { neighbourhoodId: 'nb-a', purpose: 'direct-care' },
      impact: true,
      policy: NO_DISCLOSURE_CONTROL,
      table: 'person_features',
    });
    expect(result.counts.map((c) => [c.breakdown, c.group, c.people, c.groupPeople])).toEqual([
      ['neighbourhood', 'nb-a', 2, 4],
      ['neighbourhood', 'nb-b', 0, 5],
      ['sex', 'F', 1, 5],
      ['sex', 'M', 1, 4],
    ]);
    expect(result.worklist).toEqual([
      { personId: 2, ageBand: '65-74', sex: 'M', conditionCount: 2, efi: 0.25, emergencyAdmissions12m: 2, aeAttendances12m: 1 },
      { personId: 1, ageBand: '75-84', sex: 'F', conditionCount: 3, efi: 0.3, emergencyAdmissions12m: 1, aeAttendances12m: 2 },
    ]);
    expect(Object.keys(result.worklist![0]!).some((k) => /name|nhs/i.test(k))).toBe(false);
    expect(result.worklistPurpose).toEqual({ purpose: 'direct-care', leftOut: 0 });
    const a = result.impact!.find((i) => i.neighbourhoodId === 'nb-a')!;
    expect(a.people).toBe(2);
    expect(a.emergencyBedDays12m).toEqual({ total: 14, perPerson: 7 });
    expect(a.aeAttendances12m).toEqual({ total: 3, perPerson: 1.5 });
    expect(a.gpAppointments12m).toEqual({ total: 8, perPerson: 4 });
    expect(result.impact![0]!.neighbourhoodId).toBe('nb-a');
  });

  it('suppresses small counts and withholds their activity under the default policy', async () => {
    const result = await runCohort(db, loadCohort('frail-65-emergency-admission'), { referenceDate: '2024-03-31', breakdowns: [['neighbourhood']], impact: true, table: 'person_features' });
    const a = result.counts.find((c) => c.group === 'nb-a')!;
    expect(a.people).toBeNull();
    expect(a.suppressed).toBe(true);
    for (const i of result.impact!) {
      if (i.suppressed) expect(i.emergencyBedDays12m).toEqual({ total: null, perPerson: null });
    }
    expect(result.impact!.find((i) => i.neighbourhoodId === 'nb-a')!.aeAttendances12m.total).toBeNull();
  });

  it('counts the same with group totals kept between cohorts, counting each breakdown’s totals once', async () => {
    const queries: string[] = [];
    const counted = { query: <T extends object>(sql: string, params?: never) => (queries.push(sql), db.query<T>(sql, params)) } as unknown as typeof db;
    const options = { referenceDate: '2024-03-31', breakdowns: [['ics'], ['neighbourhood'], ['sex']] as const, policy: NO_DISCLOSURE_CONTROL, table: 'person_features', fingerprints: true };
    const groupTotals = new Map();
    const frail = loadCohort('frail-65-emergency-admission');
    const women = { ...frail, id: 'women', rule: { kind: 'flag', feature: 'female' } } as CohortDefinition;
    const totalsQueries = () => queries.filter((q) => !/\bWHERE\b/.test(q)).length;
    for (const [cohort, expectedTotals] of [[frail, 3], [women, 0], [frail, 0]] as const) {
      const fresh = await runCohort(db, cohort, options);
      queries.length = 0;
      const kept = await runCohort(counted, cohort, { ...options, groupTotals });
      expect(kept.counts).toEqual(fresh.counts);
      expect(kept.fingerprints).toEqual(fresh.fingerprints);
      // Each breakdown's totals are counted by the first cohort only; every cohort counts its members and fingerprints.
      expect(totalsQueries()).toBe(expectedTotals);
      expect(queries).toHaveLength(6 + expectedTotals);
    }
    expect(groupTotals.size).toBe(3);
  });

  it('gives each count cell a fingerprint: its true count and bucketed hashes of its members', async () => {
    const cohort = loadCohort('frail-65-emergency-admission');
    const fingerprintsOf = async (c: CohortDefinition) =>
      (await runCohort(db, c, { referenceDate: '2024-03-31', breakdowns: [['ics'], ['neighbourhood']], policy: NO_DISCLOSURE_CONTROL, table: 'person_features', fingerprints: true })).fingerprints!;
    const a = await fingerprintsOf(cohort);
    expect(a.get('ics|ICS')).toMatchObject({ members: { n: 2 }, groupSize: 9 });
    expect(a.get('neighbourhood|nb-b')).toMatchObject({ members: { n: 0 }, groupSize: 5 });
    // The same cohort without person 2 (a man): its fingerprint differs in exactly one bucket.
    const b = await fingerprintsOf({ ...cohort, rule: { kind: 'all', of: [cohort.rule, { kind: 'flag', feature: 'female' }] } });
    expect(differingBuckets(a.get('ics|ICS')!.members, b.get('ics|ICS')!.members)).toBe(1);
    expect(differsBySmallGroup(a.get('ics|ICS')!.members, b.get('ics|ICS')!.members, 10)).toBe(true);
    expect(differingBuckets(a.get('ics|ICS')!.members, a.get('ics|ICS')!.members)).toBe(0);
  });

  it.each([
    ['direct-care', [2, 1], 0],
    ['planning', [2], 1],
    ['research', [2], 1],
  ] as const)('a worklist for %s lists %j and says %d left out for opt-outs (counts and impact still count everyone)', async (purpose, ids, leftOut) => {
    const result = await runCohort(db, loadCohort('frail-65-emergency-admission'), {
      referenceDate: '2024-03-31',
      breakdowns: [['neighbourhood']],
      worklist: { neighbourhoodId: 'nb-a', purpose },
      impact: true,
      policy: NO_DISCLOSURE_CONTROL,
      table: 'person_features',
    });
    expect(result.worklist!.map((w) => w.personId)).toEqual(ids);
    expect(result.worklistPurpose).toEqual({ purpose, leftOut });
    expect(result.counts.find((c) => c.group === 'nb-a')!.people).toBe(2);
    expect(result.impact!.find((i) => i.neighbourhoodId === 'nb-a')!.people).toBe(2);
    expect(await cohortMemberIds(db, loadCohort('frail-65-emergency-admission'), 'person_features', purpose)).toEqual([...ids].sort());
  });

  it('withholds a small left-out count under the default policy', async () => {
    const result = await runCohort(db, loadCohort('frail-65-emergency-admission'), { referenceDate: '2024-03-31', breakdowns: [], worklist: { neighbourhoodId: 'nb-a', purpose: 'planning' }, table: 'person_features' });
    expect(result.worklistPurpose).toEqual({ purpose: 'planning', leftOut: null });
  });

  it('rejects a worklist neighbourhood with no residents', async () => {
    await expect(runCohort(db, loadCohort('smi-no-recent-gp'), { referenceDate: '2024-03-31', breakdowns: [], worklist: { neighbourhoodId: 'nowhere', purpose: 'planning' }, table: 'person_features' })).rejects.toThrow(/nowhere/);
  });
});
