/**
 * Spec tests on hand-written people: every feature, both segmentations, eFI category, multimorbidity
 * score and Core20PLUS5 flags, computed in SQL and pinned to values worked out by hand; the SQL
 * segment and risk rules agree with core's in-memory meaning for every person.
 *
 * Reference date D = 2024-03-31 (a leap year: the 12-month window (D − 365 days, D] starts on 2023-04-02).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BRIDGES_TO_HEALTH_SEGMENTATION,
  PLUS_GROUPS,
  inPlusGroup,
  isCore20,
  multimorbidityBand,
  multimorbidityScore,
  EVENT_KINDS,
  dayFromIso,
  evaluateRule,
  ruleUsesEvents,
  type ConditionKey,
  type EventKind,
  type FeatureRule,
  FLAG_FEATURES,
  KIRKLEES_SEGMENTATION,
  NUMERIC_FEATURES,
  assignSegment,
  frailtyCategory,
  type FlagFeature,
  type NumericFeature,
  type PersonFeatures,
} from '@openphm/core';
import { computeFeaturesInMemory } from '@openphm/engine-memory';
import { buildDatabase } from '../build.js';
import { readIndicatorData } from '../indicators/data.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { GEOGRAPHY, META, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { computePersonFeatures, eventsTableOf, featureDates, featuresRelation, readPersonFeatures } from './features.js';
import { DEFAULT_PLUS_GROUPS, core20Sql, multimorbidityBandSql, plusGroupSql, riskSummary } from './risk.js';
import { multimorbiditySql } from './features.js';
import { ruleSql } from './rules.js';
import { personSegments, segmentCounts, segmentTransitions } from './segments.js';

const D = '2024-03-31';
/** LSOAs of the test geography by IMD quintile (decile 1, 5 and 10). */
const Q1 = 'E01011229';
const Q3 = 'E01011230';
const Q5 = 'E01010001';
const practice = (lsoa: string) => (lsoa === Q5 ? 'B82001' : 'B86001');

const csvOf = (header: string, rows: readonly (readonly (string | number)[])[]): string => `${[header, ...rows.map((r) => r.join(','))].join('\n')}\n`;

// person_id, sex, date_of_birth, ethnic_category, lsoa, is_carer
const PEOPLE: [number, 'F' | 'M', string, string, string, boolean][] = [
  [1, 'M', '1994-04-01', 'A', Q3, false], // healthy; 30th birthday is the day after D
  [2, 'F', '1950-03-31', 'H', Q1, false], // three conditions; 74th birthday on D; BMI history
  [3, 'M', '1960-07-15', 'A', Q5, false], // heart failure; emergency admissions 400 and 200 days before D, and one ongoing at D
  [4, 'F', '1935-12-25', 'A', Q3, false], // care home resident with dementia
  [5, 'M', '1944-01-10', 'A', Q1, false], // moderate frailty: 4 condition deficits (osteoarthritis the arthritis one) + 4 coded deficits + polypharmacy (5 BNF sections)
  [6, 'F', '1940-05-05', 'A', Q5, false], // severe frailty: asthma + COPD (one deficit) + osteoporosis (a register and a deficit) + 11 coded deficits
  [7, 'F', '2023-10-01', 'Z', Q3, false], // born in the window
  [8, 'F', '1993-09-09', 'J', Q3, false], // gave birth in the window; current smoker
  [9, 'M', '2000-02-29', 'R', Q1, false], // three A&E attendances in the window (two more just outside)
  [10, 'M', '1950-01-01', 'A', Q3, false], // died before D: not resident
  [11, 'F', '2024-04-02', 'A', Q3, false], // born after D: not resident
  [12, 'F', '1930-01-01', 'A', Q5, false], // died on D: not resident
  [13, 'F', '1980-01-01', 'N', Q5, false], // carer by code; depression; GP, outpatient and mental health activity
  [14, 'M', '1970-06-06', 'D', Q3, true], // carer by flag; serious mental illness
  [15, 'F', '1955-05-05', 'A', Q1, false], // cancer diagnosed in the window, an emergency admission, a social care service
  [16, 'M', '1990-01-01', 'A', Q5, false], // learning disability
  [17, 'F', '1960-01-01', 'A', Q3, false], // cancer diagnosed in 2015, one A&E attendance
  [18, 'M', '1970-01-01', 'A', Q1, false], // ex-smoker; inhalers, prednisolone and antibiotic courses at the window edges
  [19, 'F', '1985-06-15', 'A', Q5, false], // ex-smoker and never-smoked on the same latest date: ex-smoker
];

// person_id, event_date, snomed_code, numeric_value
const CLINICAL: [number, string, string, string?][] = [
  [1, '2019-01-01', '77176002'], [1, '2022-05-01', '8517006'], // smoker, then ex-smoker: not current
  [2, '2010-01-01', '38341003'], [2, '2015-06-01', '44054006'], [2, D, '195967001'], // hypertension, diabetes, asthma (on D counts)
  [2, '2024-04-01', '709044004'], // CKD after D: not on the register yet
  [2, '2018-01-01', '60621009', '35'], // BMI more than 5 years before D: ignored
  [2, '2020-06-01', '60621009', '31.5'], [2, '2023-01-01', '60621009', '28'], [2, '2023-01-01', '60621009', '29.5'], // latest date, two values: the larger
  [2, '2024-04-02', '60621009', '40'], // after D: ignored
  [2, '2023-01-01', '8517006'], [2, '2023-01-01', '77176002'], // ex-smoker and smoker on the same latest date: current
  [3, '2022-01-01', '84114007'], // heart failure
  [4, '2021-01-01', '52448006'], // dementia
  [5, '2005-01-01', '38341003'], [5, '2019-01-01', '49436004'], [5, '2020-01-01', '433144002'], // hypertension, AF, CKD
  [5, '2023-01-01', '161898004'], [5, '2023-06-01', '161898004'], // falls twice: one deficit
  [5, '2022-01-01', '160689007'], [5, '2010-01-01', '396275006'], [5, '2015-01-01', '15188001'], [5, D, '404640003'], // housebound, osteoarthritis (a register and the arthritis deficit), hearing, dizziness
  [5, '2024-04-01', '89362005'], // weight loss after D: not a deficit yet
  [6, '1990-01-01', '195967001'], [6, '2015-01-01', '13645005'], // asthma and COPD: one respiratory deficit
  ...(['21134002', '271737000', '267036007', '118932009', '5913000', '368009', '45007003', '386807006', '8510008', '64859006', '46742003', '193462001'].map(
    (code) => [6, '2020-02-02', code] as [number, string, string],
  )),
  [8, '2020-01-01', '8517006'], [8, '2023-06-01', '77176002'], // ex-smoker, then smoker: current
  [13, '2022-01-01', '224484003'], [13, '2023-05-01', '35489007'], // carer code; depression
  [14, '2000-01-01', '58214004'], // schizophrenia
  [15, '2023-11-01', '363346000'], // cancer, diagnosed in the window
  [16, '1995-01-01', '110359009'], // learning disability
  [17, '2015-01-01', '363346000'], // cancer, diagnosed long ago
  [18, '2015-01-01', '77176002'], [18, '2020-01-01', '8517006'], // smoker, then ex-smoker
  [19, '2022-02-02', '266919005'], [19, '2022-02-02', '8517006'], [19, '2010-01-01', '77176002'],
];

// person_id, issue_date, bnf_code
const MEDICATION: [number, string, string][] = [
  [5, '2023-04-01', '0601023A0'], // the day before the window: not counted
  [5, '2023-05-01', '0205051R0'], [5, '2023-08-01', '0205051R0'], [5, '2023-06-01', '0212000B0'], [5, '2023-06-01', '0209'], [5, '2023-07-01', '0202'], [5, D, '0407'],
  [13, '2023-09-01', '0403'],
  // The 12-month window starts 2023-04-02 (364 days before D); the 24-month window 2022-04-02 (729 days before D).
  [18, '2023-04-01', '0301011R0'], // inhaler the day before the 12-month window: an event 365 days ago, not in inhalerIssues12m
  [18, '2023-04-02', '0301011R0'], [18, '2024-01-01', '0302000C0'], // two inhaler issues in 12 months (364 and 90 days ago)
  [18, '2022-04-01', '0603020T0'], // prednisolone 730 days before D: outside 24 months
  [18, '2023-10-10', '0603020T0'], [18, '2023-10-10', '0603020T0'], // two issues on one day: one course (173 days ago)
  [18, '2022-04-02', '0501013B0'], // antibiotic on the first day of the 24 months (729 days ago)
  [18, '2023-11-11', '0501013B0'], [18, '2023-11-11', '0501013K0'], // two antibiotics on one day: one course (141 days ago)
];

// spell_id, person_id, admission_date, discharge_date, admission_method, discharge_destination
const SPELLS: [number, number, string, string, string, string][] = [
  [301, 3, '2023-02-25', '2023-03-01', 'emergency', 'home'], // 400 days before D: not counted
  [302, 3, '2023-09-13', '2023-09-17', 'emergency', 'home'], // 200 days before D: 4 bed days
  [303, 3, '2024-03-29', '2024-04-05', 'emergency', 'home'], // still in hospital at D: 2 bed days up to D
  [304, 3, '2023-04-01', '2023-04-01', 'elective', 'home'], // the day before the window
  [305, 3, '2023-04-02', '2023-04-02', 'elective', 'home'], // first day of the window
  [801, 8, '2023-10-01', '2023-10-02', 'maternity', 'home'], // maternity: neither emergency nor elective
  [1501, 15, '2024-01-10', '2024-01-12', 'emergency', 'home'],
  [1001, 10, '2023-12-20', '2024-01-01', 'emergency', 'died'],
];

// attendance_id, person_id, arrival_time, departure_time
const AE: [number, number, string, string][] = [
  [901, 9, '2023-04-01 23:30:00', '2023-04-02 02:00:00'], // arrived the day before the window
  [902, 9, '2023-04-02 00:10:00', '2023-04-02 03:00:00'],
  [903, 9, '2023-12-25 14:00:00', '2023-12-25 16:00:00'],
  [904, 9, '2024-03-31 23:59:00', '2024-04-01 01:00:00'], // last minute of D
  [905, 9, '2024-04-01 00:00:00', '2024-04-01 01:00:00'], // after D
  [1701, 17, '2023-06-01 10:00:00', '2023-06-01 12:00:00'],
];

const FILES: Record<string, string> = {
  'person.csv': csvOf(
    'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer',
    PEOPLE.map(([id, sex, dob, eth, lsoa, carer]) => [id, sex, dob, eth, lsoa, practice(lsoa), dob, String(carer)]),
  ),
  'clinical_event.csv': csvOf('person_id,event_date,snomed_code,numeric_value', CLINICAL.map(([id, date, code, value]) => [id, date, code, value ?? ''])),
  'medication.csv': csvOf('person_id,issue_date,bnf_code', MEDICATION),
  'hospital_spell.csv': csvOf(
    'spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination',
    SPELLS.map(([spell, id, from, to, method, destination]) => [spell, id, from, to, method, 'R69', destination]),
  ),
  'ae_attendance.csv': csvOf(
    'attendance_id,person_id,arrival_time,departure_time,department_type,disposal',
    AE.map(([a, id, arrival, departure]) => [a, id, arrival, departure, '01', 'discharged']),
  ),
  'gp_appointment.csv': csvOf('person_id,appointment_date,staff_role,mode', [
    [13, '2023-04-01', 'GP', 'telephone'], // the day before the window
    ...['2023-04-02', '2023-07-01', '2023-07-01', D].map((d) => [13, d, 'GP', 'face-to-face']),
  ]),
  'outpatient_appointment.csv': csvOf('person_id,appointment_date,specialty,attended', [
    [13, '2023-05-01', '300', 'true'], [13, '2023-06-01', '300', 'true'], [13, '2023-07-01', '300', 'false'], // a did-not-attend is not counted
  ]),
  'community_contact.csv': csvOf('person_id,contact_date,service', [[7, '2023-10-15', 'health-visiting'], [7, '2024-01-15', 'health-visiting']]),
  'mental_health_contact.csv': csvOf('person_id,contact_date,service', [
    [13, '2023-01-01', 'talking-therapies'], // before the window
    ...['2023-06-01', '2023-07-01', '2023-08-01'].map((d) => [13, d, 'talking-therapies']),
  ]),
  'social_care_event.csv': csvOf('person_id,event_date,event_type', [
    [15, '2023-03-01', 'request'], // before the window
    [15, '2023-12-01', 'assessment'], [15, '2024-01-20', 'home-care-start'],
  ]),
  'care_home_stay.csv': csvOf('person_id,start_date,end_date,care_type,permanent,council_funded', [
    [4, '2020-01-01', '2021-06-01', 'residential', 'false', 'false'],
    [4, '2022-01-01', '', 'nursing', 'true', 'true'], // still resident
    [1, '2024-03-01', D, 'residential', 'false', 'false'], // respite that ended on D: not resident at D
  ]),
  'birth.csv': csvOf('baby_person_id,mother_person_id,birth_date,birth_weight_grams,gestation_weeks,smoking_at_delivery', [[7, 8, '2023-10-01', 3300, 39, 'true']]),
  'death.csv': csvOf('person_id,date_of_death,underlying_cause,place_of_death', [[10, '2024-01-01', 'I219', 'hospital'], [12, D, 'J189', 'care_home']]),
};

type Expected = {
  numeric?: Partial<Record<NumericFeature, number>>;
  flags?: FlagFeature[];
  /** Days before D of the first code of each register (0 = on D). */
  dx?: Partial<Record<ConditionKey, number>>;
  /** Days before D of each event in the 730 days to D, ascending. */
  events?: Partial<Record<EventKind, number[]>>;
};
const deficits = (n: number) => n / 36;
/** Days from an ISO date to D (checked by hand for the window edges in the comments above). */
const ago = (iso: string) => dayFromIso(D) - dayFromIso(iso);

/** What each resident's features must be (everything not listed is 0 / false). */
const EXPECTED: Record<number, Expected> = {
  1: { numeric: { age: 29, imdDecile: 5, imdQuintile: 3 }, flags: ['exSmoker'] },
  2: {
    numeric: { age: 74, imdDecile: 1, imdQuintile: 1, conditionCount: 3, efi: deficits(3), latestBmi: 29.5 },
    flags: ['condition:hypertension', 'condition:diabetes', 'condition:asthma', 'female', 'currentSmoker'],
    dx: { hypertension: ago('2010-01-01'), diabetes: ago('2015-06-01'), asthma: 0 },
  },
  3: {
    numeric: { age: 63, imdDecile: 10, imdQuintile: 5, conditionCount: 1, efi: deficits(1), emergencyAdmissions12m: 2, emergencyBedDays12m: 6, electiveAdmissions12m: 1 },
    flags: ['condition:heart_failure'],
    dx: { heart_failure: ago('2022-01-01') },
    // 301 is 400 days before D: not in 12 months but within the 730-day event lookback.
    events: { emergencyAdmission: [2, 200, 400], electiveAdmission: [364, 365] },
  },
  4: { numeric: { age: 88, imdDecile: 5, imdQuintile: 3, conditionCount: 1 }, flags: ['condition:dementia', 'female', 'careHomeResident'], dx: { dementia: ago('2021-01-01') } },
  5: {
    numeric: { age: 80, imdDecile: 1, imdQuintile: 1, conditionCount: 4, efi: deficits(9), medicineSections12m: 5 },
    flags: ['condition:hypertension', 'condition:atrial_fibrillation', 'condition:ckd', 'condition:osteoarthritis'],
    dx: { hypertension: ago('2005-01-01'), atrial_fibrillation: ago('2019-01-01'), ckd: ago('2020-01-01'), osteoarthritis: ago('2010-01-01') },
  },
  6: { numeric: { age: 83, imdDecile: 10, imdQuintile: 5, conditionCount: 3, efi: deficits(13) }, flags: ['condition:asthma', 'condition:copd', 'condition:osteoporosis', 'female'], dx: { asthma: ago('1990-01-01'), copd: ago('2015-01-01'), osteoporosis: ago('2020-02-02') } },
  7: { numeric: { age: 0, imdDecile: 5, imdQuintile: 3, communityContacts12m: 2 }, flags: ['female', 'birth12m'] },
  8: { numeric: { age: 30, imdDecile: 5, imdQuintile: 3 }, flags: ['female', 'birth12m', 'currentSmoker'] },
  // 901 arrived the day before the 12-month window (365 days before D); 905 after D is not an event.
  9: { numeric: { age: 24, imdDecile: 1, imdQuintile: 1, aeAttendances12m: 3 }, events: { aeAttendance: [0, 97, 364, 365] } },
  13: {
    numeric: { age: 44, imdDecile: 10, imdQuintile: 5, conditionCount: 1, gpAppointments12m: 4, outpatientAppointments12m: 2, mentalHealthContacts12m: 3, medicineSections12m: 1 },
    flags: ['condition:depression', 'female', 'carer'],
    dx: { depression: ago('2023-05-01') },
    events: { gpAppointment: [0, 274, 274, 364, 365] },
  },
  14: { numeric: { age: 53, imdDecile: 5, imdQuintile: 3, conditionCount: 1 }, flags: ['condition:smi', 'carer'], dx: { smi: ago('2000-01-01') } },
  15: {
    numeric: { age: 68, imdDecile: 1, imdQuintile: 1, conditionCount: 1, emergencyAdmissions12m: 1, emergencyBedDays12m: 2, socialCareEvents12m: 2 },
    flags: ['condition:cancer', 'female', 'newCancer12m', 'socialCareService12m'],
    dx: { cancer: 151 }, // 2023-11-01 to 2024-03-31: 30 + 31 + 31 + 29 + 30 days
    events: { emergencyAdmission: [81] },
  },
  16: { numeric: { age: 34, imdDecile: 10, imdQuintile: 5, conditionCount: 1 }, flags: ['condition:learning_disability'], dx: { learning_disability: ago('1995-01-01') } },
  17: { numeric: { age: 64, imdDecile: 5, imdQuintile: 3, conditionCount: 1, aeAttendances12m: 1 }, flags: ['condition:cancer', 'female'], dx: { cancer: ago('2015-01-01') }, events: { aeAttendance: [304] } },
  18: {
    numeric: { age: 54, imdDecile: 1, imdQuintile: 1, medicineSections12m: 4, inhalerIssues12m: 2, prednisoloneCourses24m: 1, antibioticCourses24m: 2 },
    flags: ['exSmoker'],
    events: { inhalerIssue: [90, 364, 365], prednisoloneCourse: [173], antibioticCourse: [141, 729] },
  },
  19: { numeric: { age: 38, imdDecile: 10, imdQuintile: 5 }, flags: ['female', 'exSmoker'] },
};

// person → [Kirklees, Bridges to Health, eFI category, multimorbidity score]
const SEGMENTS: Record<number, [string, string, string, number]> = {
  1: ['living-well', 'healthy', 'fit', 0],
  2: ['complex', 'chronic-conditions', 'fit', 2],
  3: ['acute-urgent', 'limited-reserve', 'fit', 2],
  4: ['complex', 'frailty', 'fit', 2],
  5: ['complex', 'chronic-conditions', 'moderate', 3],
  6: ['complex', 'frailty', 'severe', 2.5],
  7: ['living-well', 'maternal-infant', 'fit', 0],
  8: ['living-well', 'maternal-infant', 'fit', 0],
  9: ['acute-urgent', 'acutely-ill', 'fit', 0],
  13: ['independent', 'chronic-conditions', 'fit', 0.5],
  14: ['independent', 'stable-disability', 'fit', 1.5],
  15: ['acute-urgent', 'short-decline', 'fit', 1.5],
  16: ['complex', 'stable-disability', 'fit', 1.5],
  17: ['independent', 'chronic-conditions', 'fit', 1.5],
  18: ['living-well', 'healthy', 'fit', 0],
  19: ['living-well', 'healthy', 'fit', 0],
};

const ETHNIC_GROUP: Record<number, string> = { 2: 'Asian', 7: 'Not stated', 8: 'Asian', 9: 'Other', 13: 'Black', 14: 'Mixed' };

let root: string;
let db: PhmDatabase;
let features: PersonFeatures[];

beforeAll(async () => {
  root = makeTempDir();
  const dbFile = join(root, 'people.duckdb');
  await buildDatabase({ outFile: dbFile, csvDir: writeCsvDir(root, FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(dbFile);
  await computePersonFeatures(db, D);
  features = await readPersonFeatures(db);
});
afterAll(() => {
  db?.close();
  removeDir(root);
});

const byId = (id: number) => features.find((f) => f.personId === id)!;

describe('person features at a reference date', () => {
  it('the 12-month window of 2024-03-31 starts on 2023-04-02', () => {
    expect(featureDates(D)).toEqual({ date: D, windowFirst: '2023-04-02' });
  });

  it('includes people born on or before D and not dead by D', () => {
    expect(features.map((f) => f.personId)).toEqual(Object.keys(EXPECTED).map(Number));
  });

  it.each(Object.entries(EXPECTED).map(([id, e]) => [Number(id), e] as const))('person %i has the features worked out by hand', (id, e) => {
    const f = byId(id);
    // The derived features: the multimorbidity score of SEGMENTS (worked out by hand), Core20 = IMD quintile 1, ethnic minority = ETHNIC_GROUP not White.
    const group = ETHNIC_GROUP[id] ?? 'White';
    const derived: Partial<Record<NumericFeature, number>> = { multimorbidityScore: SEGMENTS[id]![3] };
    const derivedFlags: FlagFeature[] = [...(e.numeric?.imdQuintile === 1 ? (['core20'] as const) : []), ...(group !== 'White' && group !== 'Not stated' ? (['ethnicMinority'] as const) : [])];
    const numeric = Object.fromEntries(NUMERIC_FEATURES.map((k) => [k, e.numeric?.[k] ?? derived[k] ?? 0]));
    const flags = Object.fromEntries(FLAG_FEATURES.map((k) => [k, (e.flags?.includes(k) ?? false) || derivedFlags.includes(k)]));
    const person = PEOPLE.find((p) => p[0] === id)!;
    expect(f).toEqual({
      personId: id,
      sex: person[1],
      ethnicGroup: ETHNIC_GROUP[id] ?? 'White',
      lsoaCode: person[4],
      place: person[4] === Q5 ? 'calderdale' : 'leeds',
      neighbourhoodId: person[4] === Q5 ? 'calderdale-1' : 'leeds-1',
      numeric,
      flags,
      diagnosedDaysAgo: e.dx ?? {},
      eventDaysAgo: Object.fromEntries(EVENT_KINDS.map((k) => [k, e.events?.[k] ?? []])),
    });
  });

  it('the in-memory reference engine computes the same features for every person (both engines pinned)', async () => {
    const memory = computeFeaturesInMemory(await readIndicatorData(db), D);
    expect(memory).toEqual(features);
  });

  it('a leap-day baby is a year older on 1 March, not 28 February', async () => {
    await computePersonFeatures(db, '2023-02-28', { table: 'pf_feb28' });
    await computePersonFeatures(db, '2023-03-01', { table: 'pf_mar1' });
    expect((await readPersonFeatures(db, 'person_id = 9', 'pf_feb28'))[0]!.numeric.age).toBe(22);
    expect((await readPersonFeatures(db, 'person_id = 9', 'pf_mar1'))[0]!.numeric.age).toBe(23);
  });

  it('computes the same features for a restricted population (a cohort area) as for everyone', async () => {
    await computePersonFeatures(db, D, { table: 'pf_leeds', population: "l.place = 'leeds' AND p.sex = 'F'" });
    expect(await readPersonFeatures(db, undefined, 'pf_leeds')).toEqual(features.filter((f) => f.place === 'leeds' && f.sex === 'F'));
  });

  it('makes the event lists only when a query reads them, for the people of the table, and forgets them when the table is made again', async () => {
    const tables = async () => (await db.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE temporary AND table_name LIKE 'pf_lazy%' ORDER BY t`)).map((r) => r.t);
    await computePersonFeatures(db, D, { table: 'pf_lazy', population: "l.place = 'leeds'" });
    const columns = (await db.query<{ c: string }>(`SELECT column_name AS c FROM (DESCRIBE pf_lazy)`)).map((r) => r.c);
    expect(columns.some((c) => c.startsWith('ev_'))).toBe(false);
    // Rules without events read the table alone and make no lists.
    expect(await featuresRelation(db, 'pf_lazy', false)).toBe('"pf_lazy"');
    expect(await tables()).toEqual(['pf_lazy']);
    const rule = { kind: 'events', event: 'gpAppointment', atLeast: 1, withinDays: 730 } as const;
    const from = await featuresRelation(db, 'pf_lazy', true);
    expect(await tables()).toEqual(['pf_lazy', eventsTableOf('pf_lazy')]);
    const leeds = features.filter((f) => f.place === 'leeds');
    const rows = await db.query<{ person_id: number }>(`SELECT person_id FROM ${from} f WHERE ${ruleSql(rule)} ORDER BY person_id`);
    expect(rows.map((r) => Number(r.person_id))).toEqual(leeds.filter((f) => evaluateRule(rule, f)).map((f) => f.personId));
    // Lists only for the people of a table made for a population.
    const [outside] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${eventsTableOf('pf_lazy')} WHERE person_id NOT IN (SELECT person_id FROM pf_lazy)`);
    expect(Number(outside!.n)).toBe(0);
    // Made again (another date): the lists of the old table are not used; the next need makes them for the new date.
    await computePersonFeatures(db, '2022-06-30', { table: 'pf_lazy', population: "l.place = 'leeds'" });
    await db.query(`DROP TABLE ${eventsTableOf('pf_lazy')}`);
    expect(await tables()).toEqual(['pf_lazy']);
    await featuresRelation(db, 'pf_lazy', true);
    expect(await tables()).toEqual(['pf_lazy', eventsTableOf('pf_lazy')]);
  });

  it('reuses the features table computed for the same date', async () => {
    await computePersonFeatures(db, D);
    await db.query('DELETE FROM person_features WHERE person_id = 1');
    expect((await segmentCounts(db, KIRKLEES_SEGMENTATION, D, [['ics']])).population).toBe(15);
    await computePersonFeatures(db, D);
    expect((await segmentCounts(db, KIRKLEES_SEGMENTATION, D, [['ics']])).population).toBe(16);
  });

  it('rejects a date that is not a calendar date', async () => {
    await expect(computePersonFeatures(db, '2024-02-30')).rejects.toThrow("'2024-02-30' is not a real calendar date");
  });
});

describe('segments, frailty and multimorbidity on hand-written people', () => {
  it.each(Object.entries(SEGMENTS).map(([id, s]) => [Number(id), ...s] as const))(
    'person %i: Kirklees %s, Bridges to Health %s, eFI %s, multimorbidity score %d',
    async (id, kirklees, bridges, frailty, score) => {
      const f = byId(id);
      // The in-memory reference meaning.
      expect(assignSegment(KIRKLEES_SEGMENTATION, f)).toBe(kirklees);
      expect(assignSegment(BRIDGES_TO_HEALTH_SEGMENTATION, f)).toBe(bridges);
      expect(frailtyCategory(f.numeric.efi)).toBe(frailty);
      expect(multimorbidityScore(f)).toBe(score);
      // The SQL engine.
      expect((await personSegments(db, KIRKLEES_SEGMENTATION, D, { where: `person_id = ${id}` })).get(id)).toBe(kirklees);
      expect((await personSegments(db, BRIDGES_TO_HEALTH_SEGMENTATION, D, { where: `person_id = ${id}` })).get(id)).toBe(bridges);
      const [row] = await db.query<{ frailty_category: string; score: number; band: string }>(
        `SELECT frailty_category, ${multimorbiditySql()} AS score, ${multimorbidityBandSql(multimorbiditySql())} AS band FROM person_features WHERE person_id = ${id}`,
      );
      expect(row).toEqual({ frailty_category: frailty, score, band: multimorbidityBand(score) });
    },
  );

  it('flags Core20 and every PLUS group the same way in SQL and in memory', async () => {
    const rows = await db.query<Record<string, number | boolean>>(
      `SELECT person_id, ${core20Sql()} AS core20, ${PLUS_GROUPS.map((g, i) => `${plusGroupSql(g)} AS plus_${i}`).join(', ')} FROM person_features ORDER BY person_id`,
    );
    const sql = rows.map((r) => [r.person_id, r.core20, ...PLUS_GROUPS.map((_, i) => r[`plus_${i}`])]);
    const memory = features.map((f) => [f.personId, isCore20(f), ...PLUS_GROUPS.map((g) => inPlusGroup(g, f))]);
    expect(sql).toEqual(memory);
    // Hand-checked: Core20 are the people in LSOA decile 1; the ethnic-minority group is people 2, 8, 9, 13, 14.
    expect(features.filter(isCore20).map((f) => f.personId)).toEqual([2, 5, 9, 15, 18]);
    expect(features.filter((f) => inPlusGroup(PLUS_GROUPS.find((g) => g.id === 'ethnic-minority')!, f)).map((f) => f.personId)).toEqual([2, 8, 9, 13, 14]);
    expect(features.filter((f) => inPlusGroup(PLUS_GROUPS.find((g) => g.id === 'carers')!, f)).map((f) => f.personId)).toEqual([13, 14]);
  });

  it('counts segments by breakdown, every segment listed in priority order with its share', async () => {
    const counts = await segmentCounts(db, KIRKLEES_SEGMENTATION, D, [['ics'], ['imd-quintile'], ['age-band', 'sex']]);
    expect(counts.population).toBe(16);
    const ics = counts.rows.filter((r) => r.breakdown === 'ics').map((r) => [r.segment, r.people, r.share]);
    expect(ics).toEqual([['acute-urgent', 3, 3 / 16], ['complex', 5, 5 / 16], ['independent', 3, 3 / 16], ['living-well', 5, 5 / 16]]);
    const q1 = counts.rows.filter((r) => r.breakdown === 'imd-quintile' && r.group === '1');
    expect(q1.map((r) => [r.segment, r.people, r.groupPeople])).toEqual([['acute-urgent', 2, 5], ['complex', 2, 5], ['independent', 0, 5], ['living-well', 1, 5]]);
    const crossed = [...new Set(counts.rows.filter((r) => r.breakdown === 'age-band:sex').map((r) => r.group))];
    expect(crossed).toEqual(['0-17 × F', '18-34 × F', '18-34 × M', '35-49 × F', '50-64 × F', '50-64 × M', '65-74 × F', '75-84 × F', '75-84 × M', '85+ × F']);
  });

  it('counts the risk measures by breakdown', async () => {
    const summary = await riskSummary(db, D, [['ics']], { plusGroups: DEFAULT_PLUS_GROUPS });
    const get = (measure: string, category: string) => summary.rows.find((r) => r.measure === measure && r.category === category)?.people;
    expect([get('frailty', 'fit'), get('frailty', 'mild'), get('frailty', 'moderate'), get('frailty', 'severe')]).toEqual([14, 0, 1, 1]);
    expect([get('conditions', '0'), get('conditions', '1'), get('conditions', '2'), get('conditions', '3+')]).toEqual([6, 7, 0, 3]);
    expect([get('multimorbidity-score', 'none'), get('multimorbidity-score', 'low'), get('multimorbidity-score', 'moderate')]).toEqual([6, 5, 5]);
    expect([get('core20plus5', 'core20'), get('core20plus5', 'learning-disability'), get('core20plus5', 'smi'), get('core20plus5', 'carers'), get('core20plus5', 'ethnic-minority')]).toEqual([5, 1, 1, 2, 5]);
    // Core20 or PLUS: 2, 5, 9, 15, 18 (Core20), 16 (LD), 14 (SMI, carer, Mixed), 13 (carer, Black), 8 (Asian).
    expect(get('core20plus5', 'core20-or-plus')).toBe(9);
  });
});

// Dated rules: membership worked out by hand (residents 1-9, 13-19), the same by core's evaluateRule and by ruleSql.
const DATED_RULES: [string, FeatureRule, number[]][] = [
  ['cancer diagnosed within 365 days', { kind: 'diagnosed', condition: 'cancer', withinDays: 365 }, [15]],
  ['cancer diagnosed within 151 days (first coded 151 days ago: no)', { kind: 'diagnosed', condition: 'cancer', withinDays: 151 }, []],
  ['cancer diagnosed within 152 days', { kind: 'diagnosed', condition: 'cancer', withinDays: 152 }, [15]],
  ['asthma diagnosed within 1 day (coded on D)', { kind: 'diagnosed', condition: 'asthma', withinDays: 1 }, [2]],
  ['hypertension diagnosed within 6000 days', { kind: 'diagnosed', condition: 'hypertension', withinDays: 6000 }, [2]],
  ['hypertension diagnosed within 8000 days', { kind: 'diagnosed', condition: 'hypertension', withinDays: 8000 }, [2, 5]],
  ['on the cancer register but not diagnosed within 365 days', { kind: 'all', of: [{ kind: 'flag', feature: 'condition:cancer' }, { kind: 'not', rule: { kind: 'diagnosed', condition: 'cancer', withinDays: 365 } }] }, [17]],
  ['2+ emergency admissions in 365 days', { kind: 'events', event: 'emergencyAdmission', atLeast: 2, withinDays: 365 }, [3]],
  ['3+ emergency admissions in 400 days (third was 400 days ago: no)', { kind: 'events', event: 'emergencyAdmission', atLeast: 3, withinDays: 400 }, []],
  ['3+ emergency admissions in 401 days', { kind: 'events', event: 'emergencyAdmission', atLeast: 3, withinDays: 401 }, [3]],
  ['1+ emergency admission in 90 days', { kind: 'events', event: 'emergencyAdmission', atLeast: 1, withinDays: 90 }, [3, 15]],
  ['1+ elective admission in 365 days', { kind: 'events', event: 'electiveAdmission', atLeast: 2, withinDays: 366 }, [3]],
  ['3+ A&E attendances in 365 days', { kind: 'events', event: 'aeAttendance', atLeast: 3, withinDays: 365 }, [9]],
  ['4+ A&E attendances in 365 days', { kind: 'events', event: 'aeAttendance', atLeast: 4, withinDays: 365 }, []],
  ['4+ A&E attendances in 366 days', { kind: 'events', event: 'aeAttendance', atLeast: 4, withinDays: 366 }, [9]],
  ['1+ A&E attendance in 730 days', { kind: 'events', event: 'aeAttendance', atLeast: 1, withinDays: 730 }, [9, 17]],
  ['3+ GP appointments in 275 days (two on one day both count)', { kind: 'events', event: 'gpAppointment', atLeast: 3, withinDays: 275 }, [13]],
  ['5+ GP appointments in 365 days', { kind: 'events', event: 'gpAppointment', atLeast: 5, withinDays: 365 }, []],
  ['3+ inhaler issues in 366 days', { kind: 'events', event: 'inhalerIssue', atLeast: 3, withinDays: 366 }, [18]],
  ['1+ prednisolone course in 730 days', { kind: 'events', event: 'prednisoloneCourse', atLeast: 1, withinDays: 730 }, [18]],
  ['2+ prednisolone courses in 730 days (same-day issues are one course)', { kind: 'events', event: 'prednisoloneCourse', atLeast: 2, withinDays: 730 }, []],
  ['2+ antibiotic courses in 730 days', { kind: 'events', event: 'antibioticCourse', atLeast: 2, withinDays: 730 }, [18]],
  ['2+ antibiotic courses in 729 days (the first was 729 days ago: no)', { kind: 'events', event: 'antibioticCourse', atLeast: 2, withinDays: 729 }, []],
  ['ex-smoker', { kind: 'flag', feature: 'exSmoker' }, [1, 18, 19]],
  ['current or ex-smoker', { kind: 'any', of: [{ kind: 'flag', feature: 'currentSmoker' }, { kind: 'flag', feature: 'exSmoker' }] }, [1, 2, 8, 18, 19]],
  ['Core20', { kind: 'flag', feature: 'core20' }, [2, 5, 9, 15, 18]],
  ['ethnic minority', { kind: 'flag', feature: 'ethnicMinority' }, [2, 8, 9, 13, 14]],
  ['multimorbidity score >= 2', { kind: 'compare', feature: 'multimorbidityScore', op: '>=', value: 2 }, [2, 3, 4, 5, 6]],
  ['2+ inhaler issues in 12 months', { kind: 'compare', feature: 'inhalerIssues12m', op: '>=', value: 2 }, [18]],
];

describe('dated rules, smoking status, risk-score and Core20PLUS5 features on both engines', () => {
  it.each(DATED_RULES)('%s', async (_name, rule, expected) => {
    expect(features.filter((f) => evaluateRule(rule, f)).map((f) => f.personId)).toEqual(expected);
    // Through the relation the engine's queries use: the table, with its event lists joined when the rule reads them.
    const from = await featuresRelation(db, 'person_features', ruleUsesEvents(rule));
    const rows = await db.query<{ person_id: number }>(`SELECT person_id FROM ${from} f WHERE ${ruleSql(rule)} ORDER BY person_id`);
    expect(rows.map((r) => Number(r.person_id))).toEqual(expected);
    // NOT of a dated rule is two-valued in SQL too (a person with no events or diagnosis is not NULL).
    const [complement] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${from} f WHERE NOT ${ruleSql(rule)}`);
    expect(Number(complement!.n)).toBe(features.length - expected.length);
  });
});

describe('movement between segments', () => {
  it('follows people from one date to the next, with births and deaths', async () => {
    const t = await segmentTransitions(db, KIRKLEES_SEGMENTATION, '2023-03-31', D);
    const cell = (from: string, to: string) => t.cells.find((c) => c.from === from && c.to === to)!.people;
    // Person 7 was born in between; persons 10 and 12 died in between (11 is born after D: in neither).
    expect(cell('born', 'living-well')).toBe(1);
    expect(t.cells.filter((c) => c.to === 'died').reduce((a, c) => a + c.people, 0)).toBe(2);
    // Person 3 had an emergency admission 400 days before D (acute at 2023-03-31) and more since.
    expect(cell('acute-urgent', 'acute-urgent')).toBe(1);
    // Person 9's A&E attendances, person 15's cancer and admission, and person 2's asthma are all after 2023-03-31.
    expect(cell('living-well', 'acute-urgent')).toBe(2);
    expect(cell('independent', 'complex')).toBe(1);
    expect(t.cells.reduce((a, c) => a + c.people, 0)).toBe(18);
    expect(t.cells.filter((c) => c.from === 'moved' || c.to === 'moved').every((c) => c.people === 0)).toBe(true);
  });

  it('refuses a start date after the end date', async () => {
    await expect(segmentTransitions(db, KIRKLEES_SEGMENTATION, D, '2023-03-31')).rejects.toThrow('must be before');
  });
});
