/**
 * The emergency admission model: P(any emergency admission in the 12 months after a date | person
 * features at that date). Fitted with core's logistic regression on a hashed half of the population
 * at D1 (window start + 2 years), tested on the other half a year later (features at D2 = D1 + 1
 * year, outcome in the following 12 months), against a baseline using age and sex alone. Terms are
 * SQL expressions over the features table, so fitting data, test predictions and scoring at any
 * date all use one definition. Described in docs/models/emergency-admission.md (written by
 * `phm risk --model-card`).
 */
import {
  CONDITIONS,
  CONDITION_KEYS,
  ETHNIC_GROUPS,
  UserError,
  calibrationByDecile,
  cStatistic,
  dayFromIso,
  fitLogistic,
  isoFromDay,
  purposeOfUse,
  type CalibrationBin,
  type KeyedCount,
  type LogisticModel,
  type SecondaryPurpose,
} from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident, literal } from '../sql.js';
import { FLAG_FEATURE_COLUMNS, ensurePersonFeatures } from './features.js';
import { includedForSql, leftOutCount } from './purposes.js';

type Column = (name: string) => string;
const id: Column = (c) => c;

export interface ModelTerm {
  readonly name: string;
  readonly label: string;
  /** SQL (DOUBLE) over a features table's columns. */
  readonly sql: (column: Column) => string;
}

/** Knots of the restricted cubic spline of age (years). */
export const AGE_KNOTS = [5, 25, 45, 65, 85] as const;

const flagTerm = (name: string, label: string, column: string): ModelTerm => ({ name, label, sql: (c) => `CASE WHEN ${c(column)} THEN 1.0 ELSE 0.0 END` });
const log1pTerm = (name: string, label: string, column: string): ModelTerm => ({ name, label, sql: (c) => `ln(1 + ${c(column)})` });
const cappedTerm = (name: string, label: string, column: string, cap: number): ModelTerm => ({ name, label, sql: (c) => `least(${c(column)}, ${cap})::DOUBLE` });

/** Restricted cubic spline terms of age (Harrell's parameterisation, scaled by the squared knot range). */
const ageSplineTerms = (): ModelTerm[] => {
  const t = AGE_KNOTS;
  const k = t.length;
  const last = t[k - 1]!;
  const penultimate = t[k - 2]!;
  const scale = (last - t[0]!) ** 2;
  const cube = (age: string, knot: number) => `pow(greatest(${age} - ${knot}, 0), 3)`;
  return t.slice(0, k - 2).map((knot, j) => ({
    name: `age_spline_${j + 1}`,
    label: `Age, spline term ${j + 1} (knots ${t.join(', ')})`,
    sql: (c) => {
      const age = `${c('age')}::DOUBLE`;
      return `((${cube(age, knot)} - ${cube(age, penultimate)} * ${(last - knot) / (last - penultimate)} + ${cube(age, last)} * ${(penultimate - knot) / (last - penultimate)}) / ${scale})`;
    },
  }));
};

/** Baseline: age (linear + restricted cubic spline, 5 knots) and sex. */
export const BASELINE_TERMS: readonly ModelTerm[] = [
  { name: 'age', label: 'Age (years)', sql: (c) => `${c('age')}::DOUBLE` },
  ...ageSplineTerms(),
  flagTerm('female', 'Female', 'female'),
];

/** The full model: baseline plus deprivation, conditions, frailty, recent activity and risk factors (not ethnicity). */
export const FULL_TERMS: readonly ModelTerm[] = [
  ...BASELINE_TERMS,
  { name: 'imd_decile', label: 'IMD 2019 decile (1 = most deprived)', sql: (c) => `${c('imd_decile')}::DOUBLE` },
  ...CONDITION_KEYS.map((k) => flagTerm(`cond_${k}`, `On the ${CONDITIONS[k].label} register`, FLAG_FEATURE_COLUMNS[`condition:${k}`])),
  { name: 'efi', label: 'Electronic Frailty Index (0-1)', sql: (c) => `${c('efi')}::DOUBLE` },
  cappedTerm('emergency_admissions', 'Emergency admissions in the last 12 months (capped at 5)', 'emergency_admissions_12m', 5),
  log1pTerm('emergency_bed_days', 'ln(1 + emergency bed days in the last 12 months)', 'emergency_bed_days_12m'),
  cappedTerm('elective_admissions', 'Elective admissions in the last 12 months (capped at 5)', 'elective_admissions_12m', 5),
  cappedTerm('ae_attendances', 'A&E attendances in the last 12 months (capped at 10)', 'ae_attendances_12m', 10),
  log1pTerm('gp_appointments', 'ln(1 + GP appointments in the last 12 months)', 'gp_appointments_12m'),
  log1pTerm('outpatient_appointments', 'ln(1 + outpatient appointments attended in the last 12 months)', 'outpatient_appointments_12m'),
  log1pTerm('community_contacts', 'ln(1 + community contacts in the last 12 months)', 'community_contacts_12m'),
  log1pTerm('mental_health_contacts', 'ln(1 + mental health contacts in the last 12 months)', 'mental_health_contacts_12m'),
  log1pTerm('social_care_events', 'ln(1 + social care events in the last 12 months)', 'social_care_events_12m'),
  { name: 'medicine_sections', label: 'Distinct BNF sections issued in the last 12 months', sql: (c) => `${c('medicine_sections_12m')}::DOUBLE` },
  flagTerm('care_home_resident', 'Care home resident', 'care_home_resident'),
  flagTerm('carer', 'Unpaid carer', 'carer'),
  flagTerm('current_smoker', 'Current smoker', 'current_smoker'),
  flagTerm('social_care_service', 'Social care service started in the last 12 months', 'social_care_service_12m'),
  flagTerm('new_cancer', 'Cancer diagnosed in the last 12 months', 'new_cancer_12m'),
  { name: 'bmi_none', label: 'No BMI recorded in 5 years', sql: (c) => `CASE WHEN ${c('latest_bmi')} = 0 THEN 1.0 ELSE 0.0 END` },
  { name: 'bmi_obese', label: 'Latest BMI 30 or more', sql: (c) => `CASE WHEN ${c('latest_bmi')} >= 30 THEN 1.0 ELSE 0.0 END` },
  { name: 'bmi_underweight', label: 'Latest BMI under 18.5', sql: (c) => `CASE WHEN ${c('latest_bmi')} > 0 AND ${c('latest_bmi')} < 18.5 THEN 1.0 ELSE 0.0 END` },
];

export interface FittedModel {
  readonly name: string;
  readonly terms: readonly ModelTerm[];
  readonly model: LogisticModel;
  /** The ridge penalty (× n, on standardised coefficients) the fit converged with. */
  readonly ridge: number;
}

/**
 * Ridge penalties tried in turn. core's fitLogistic takes full Newton steps without step-halving,
 * which can diverge when a rare flag has a strong effect (e.g. dementia); a larger penalty keeps the
 * steps stable. The smallest that converges is used and reported in the model card.
 */
export const RIDGE_LADDER = [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1] as const;
const MAX_ITERATIONS = 20;

/** Rows of the probe sample that picks the starting ridge on large training sets. */
const PROBE_ROWS = 20_000;

const firstConverging = (terms: readonly ModelTerm[], rows: readonly (readonly number[])[], outcomes: readonly number[], from: number): { model: LogisticModel; ridge: number } | null => {
  for (const ridge of RIDGE_LADDER.slice(from)) {
    const model = fitLogistic(terms.map((t) => t.name), rows, outcomes, { ridge, maxIterations: MAX_ITERATIONS });
    if (model.iterations < MAX_ITERATIONS && model.coefficients.every(Number.isFinite)) return { model, ridge };
  }
  return null;
};

/**
 * fitLogistic with the smallest ridge of the ladder at which it converges. On large samples the
 * ladder is first climbed on an evenly spaced probe of 20,000 rows (divergence depends on the
 * data's structure, not its size), and the full fit starts from the probe's ridge.
 */
export const fitConverged = (name: string, terms: readonly ModelTerm[], rows: readonly (readonly number[])[], outcomes: readonly number[]): FittedModel => {
  let start = 0;
  if (rows.length > 2 * PROBE_ROWS) {
    const step = rows.length / PROBE_ROWS;
    const idx = Array.from({ length: PROBE_ROWS }, (_, i) => Math.floor(i * step));
    const probeY = idx.map((i) => outcomes[i]!);
    const events = probeY.reduce((a, b) => a + b, 0);
    if (events > 0 && events < PROBE_ROWS) {
      const probe = firstConverging(terms, idx.map((i) => rows[i]!), probeY, 0);
      if (probe) start = RIDGE_LADDER.indexOf(probe.ridge as (typeof RIDGE_LADDER)[number]);
    }
  }
  const fit = firstConverging(terms, rows, outcomes, start);
  if (!fit) throw new UserError(`the ${name} emergency admission model did not converge, even with a ridge penalty of ${RIDGE_LADDER[RIDGE_LADDER.length - 1]}`, 'invalid-input');
  return { name, terms, ...fit };
};

/** The predicted probability as SQL over a features table (the linear predictor is clamped to ±30). */
export const predictionSql = (fitted: FittedModel, column: Column = id): string => {
  const m = fitted.model;
  const eta = [String(m.coefficients[0]), ...fitted.terms.map((t, j) => `${m.coefficients[j + 1]} * ((${t.sql(column)} - ${m.means[j]}) / ${m.sds[j]})`)].join(' + ');
  return `(1 / (1 + exp(-greatest(least(${eta}, 30), -30))))`;
};

/** Days in the outcome window: an emergency admission in (D, D + 365]. */
export const OUTCOME_DAYS = 365;

export interface SubgroupPerformance {
  readonly dimension: 'sex' | 'ethnic-group' | 'imd-quintile';
  readonly group: string;
  readonly people: number;
  readonly events: number;
  readonly observedRate: number;
  readonly meanPredicted: number;
  /** Observed / mean predicted. */
  readonly observedOverPredicted: number;
  /** Null when the group has no events or no non-events. */
  readonly cStatistic: number | null;
}

export interface ModelEvaluation {
  readonly people: number;
  readonly events: number;
  readonly cStatistic: number;
  readonly observedRate: number;
  readonly meanPredicted: number;
  readonly calibration: readonly CalibrationBin[];
  readonly subgroups: readonly SubgroupPerformance[];
}

export interface ModelResult {
  readonly fitted: FittedModel;
  /** On the training sample (optimistic). */
  readonly apparentCStatistic: number;
  /** On the held-out half at the later date. */
  readonly test: ModelEvaluation;
}

/** A sample of the model: people used, their events, the hashed fraction of residents sampled, all residents at the date, and the sampled people left out for opt-outs. */
export interface ModelSample {
  readonly people: number;
  readonly events: number;
  readonly fraction: number;
  readonly residents: number;
  /** People in the hashed sample left out because an opt-out applies to the purpose (with their cell key). */
  readonly leftOut: KeyedCount;
}

export interface AdmissionModelReport {
  readonly meta: Readonly<Record<string, string>>;
  readonly trainDate: string;
  readonly testDate: string;
  /** Why the model is fitted (opt-outs apply): research unless declared as planning. */
  readonly purpose: SecondaryPurpose;
  readonly training: ModelSample;
  readonly test: ModelSample;
  readonly full: ModelResult;
  readonly baseline: ModelResult;
}

export interface AdmissionModelOptions {
  /** D1 (default: the database window start + 2 years). */
  readonly trainDate?: string;
  /** D2 (default D1 + 1 year). */
  readonly testDate?: string;
  /** Most people used to fit (a hashed sample of the training half; default 200,000). */
  readonly maxTrainingPeople?: number;
  /** Most people used to test (default 500,000). */
  readonly maxTestPeople?: number;
  readonly onProgress?: (step: string, done: number, total: number) => void;
  /**
   * The purpose of fitting (default: core's purpose of 'model-training', research): people with an
   * opt-out that applies to it are left out of fitting and testing, and counted.
   */
  readonly purpose?: SecondaryPurpose;
}

/** The same date `years` later (29 February → 1 March in a year without one). */
export const addYears = (iso: string, years: number): string => {
  dayFromIso(iso);
  const [y, m, d] = iso.split('-') as [string, string, string];
  const year = String(Number(y) + years).padStart(4, '0');
  return m === '02' && d === '29' && new Date(Date.UTC(Number(year), 1, 29)).getUTCMonth() !== 1 ? `${year}-03-01` : `${year}-${m}-${d}`;
};

/**
 * A deterministic pseudo-random number in [0, 1) per person (Knuth's multiplicative hash of
 * person_id modulo 2^32): which half of the population trains and which tests.
 */
export const personBucketSql = (column: Column = id): string =>
  `((((${column('person_id')}::HUGEINT * 2654435761) % 4294967296) + 4294967296) % 4294967296)::DOUBLE / 4294967296.0`;

const TRAIN_TABLE = 'person_features_model_train';
const TEST_TABLE = 'person_features_model_test';

const outcomeJoin = (date: string): string => {
  const from = isoFromDay(dayFromIso(date) + 1);
  const to = isoFromDay(dayFromIso(date) + OUTCOME_DAYS);
  return `LEFT JOIN (SELECT DISTINCT person_id FROM hospital_spell WHERE admission_method = 'emergency' AND admission_date BETWEEN DATE ${literal(from)} AND DATE ${literal(to)}) o ON o.person_id = f.person_id`;
};

const termColumns = (terms: readonly ModelTerm[]) => terms.map((t, j) => `${t.sql((c) => `f.${c}`)} AS x${j}`).join(', ');

const evaluate = (predictions: Float64Array, outcomes: number[], groups: Record<SubgroupPerformance['dimension'], string[]>): ModelEvaluation => {
  const n = outcomes.length;
  const events = outcomes.reduce((a, b) => a + b, 0);
  const mean = (xs: ArrayLike<number>, idx: number[]) => idx.reduce((a, i) => a + xs[i]!, 0) / Math.max(1, idx.length);
  const all = Array.from({ length: n }, (_, i) => i);
  const preds = Array.from(predictions);
  const subgroups: SubgroupPerformance[] = [];
  const orders: Record<SubgroupPerformance['dimension'], readonly string[]> = { sex: ['F', 'M'], 'ethnic-group': ETHNIC_GROUPS, 'imd-quintile': ['1', '2', '3', '4', '5'] };
  for (const dimension of ['sex', 'ethnic-group', 'imd-quintile'] as const) {
    const labels = groups[dimension];
    const present = [...new Set(labels)];
    present.sort((a, b) => orders[dimension].indexOf(a) - orders[dimension].indexOf(b) || (a < b ? -1 : 1));
    for (const group of present) {
      const idx = all.filter((i) => labels[i] === group);
      const ys = idx.map((i) => outcomes[i]!);
      const e = ys.reduce((a, b) => a + b, 0);
      const meanPredicted = mean(predictions, idx);
      subgroups.push({
        dimension,
        group,
        people: idx.length,
        events: e,
        observedRate: e / idx.length,
        meanPredicted,
        observedOverPredicted: meanPredicted > 0 ? e / idx.length / meanPredicted : 0,
        cStatistic: e > 0 && e < idx.length ? cStatistic(idx.map((i) => preds[i]!), ys) : null,
      });
    }
  }
  return {
    people: n,
    events,
    cStatistic: cStatistic(preds, outcomes),
    observedRate: events / n,
    meanPredicted: mean(predictions, all),
    calibration: calibrationByDecile(preds, outcomes),
    subgroups,
  };
};

/** Fits the full and baseline models at D1 and evaluates them on the held-out half at D2. */
export const fitAdmissionModel = async (db: PhmDatabase, options: AdmissionModelOptions = {}): Promise<AdmissionModelReport> => {
  const meta = Object.fromEntries((await db.query<{ key: string; value: string }>('SELECT key, value FROM meta ORDER BY key')).map((r) => [r.key, r.value]));
  const windowStart = meta.window_start;
  const windowEnd = meta.window_end;
  const trainDate = options.trainDate ?? (windowStart ? addYears(windowStart, 2) : undefined);
  if (trainDate === undefined) throw new UserError('the database does not record its window (meta window_start): give the training date', 'invalid-input');
  const testDate = options.testDate ?? addYears(trainDate, 1);
  if (dayFromIso(testDate) < dayFromIso(trainDate) + OUTCOME_DAYS) {
    throw new UserError(`the test date ${testDate} must be at least ${OUTCOME_DAYS} days after the training date ${trainDate}, so the training outcomes are history by then`);
  }
  if (windowEnd !== undefined && dayFromIso(testDate) + OUTCOME_DAYS >= dayFromIso(windowEnd)) {
    throw new UserError(`the database's records end on ${isoFromDay(dayFromIso(windowEnd) - 1)}, before the test outcome year (${testDate} + ${OUTCOME_DAYS} days) ends: the window is too short for the model`, 'invalid-input');
  }
  const steps = 6;
  const progress = (step: string, done: number) => options.onProgress?.(step, done, steps);
  const purpose: SecondaryPurpose = options.purpose ?? purposeOfUse('model-training');
  const allowed = includedForSql(purpose, 'f.person_id');

  progress(`Features at ${trainDate}`, 0);
  await ensurePersonFeatures(db, trainDate, TRAIN_TABLE);
  const [trainCount] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(TRAIN_TABLE)}`);
  const trainFraction = Math.min(0.5, (options.maxTrainingPeople ?? 200_000) / Math.max(1, trainCount?.n ?? 0));

  progress('Fitting models', 1);
  const bucket = personBucketSql((c) => `f.${c}`);
  const trainRows = await db.query<Record<string, number>>(
    `SELECT ${termColumns(FULL_TERMS)}, (o.person_id IS NOT NULL)::INTEGER AS y
     FROM ${ident(TRAIN_TABLE)} f ${outcomeJoin(trainDate)} WHERE ${bucket} < ${trainFraction} AND ${allowed} ORDER BY f.person_id`,
  );
  const trainLeftOut = await leftOutCount(db, purpose, ident(TRAIN_TABLE), personBucketSql((c) => `lo.${c}`) + ` < ${trainFraction}`);
  const y = trainRows.map((r) => Number(r.y));
  const fullRows = trainRows.map((r) => FULL_TERMS.map((_, j) => Number(r[`x${j}`])));
  // Baseline terms are the first terms of the full model.
  const baselineRows = fullRows.map((r) => r.slice(0, BASELINE_TERMS.length));
  trainRows.length = 0;
  const full = fitConverged('full', FULL_TERMS, fullRows, y);
  const baseline = fitConverged('baseline', BASELINE_TERMS, baselineRows, y);
  const apparent = (fitted: FittedModel, rows: number[][]) => {
    const m = fitted.model;
    const p = rows.map((r) => {
      let eta = m.coefficients[0]!;
      for (let j = 0; j < r.length; j++) eta += m.coefficients[j + 1]! * ((r[j]! - m.means[j]!) / m.sds[j]!);
      return eta;
    });
    return cStatistic(p, y);
  };
  const apparentFull = apparent(full, fullRows);
  const apparentBaseline = apparent(baseline, baselineRows);
  const trainEvents = y.reduce((a, b) => a + b, 0);

  progress(`Features at ${testDate}`, 3);
  await ensurePersonFeatures(db, testDate, TEST_TABLE);
  const [testCount] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(TEST_TABLE)}`);
  const testFraction = Math.min(0.5, (options.maxTestPeople ?? 500_000) / Math.max(1, testCount?.n ?? 0));

  progress('Testing on the later period', 4);
  const col = (c: string) => `f.${c}`;
  const testRows = await db.query<{ p_full: number; p_base: number; y: number; sex: string; ethnic_group: string; imd_quintile: number }>(
    `SELECT ${predictionSql(full, col)} AS p_full, ${predictionSql(baseline, col)} AS p_base, (o.person_id IS NOT NULL)::INTEGER AS y,
       f.sex, f.ethnic_group, f.imd_quintile
     FROM ${ident(TEST_TABLE)} f ${outcomeJoin(testDate)} WHERE ${bucket} >= 0.5 AND ${bucket} < ${0.5 + testFraction} AND ${allowed} ORDER BY f.person_id`,
  );
  const testBucket = personBucketSql((c) => `lo.${c}`);
  const testLeftOut = await leftOutCount(db, purpose, ident(TEST_TABLE), `${testBucket} >= 0.5 AND ${testBucket} < ${0.5 + testFraction}`);
  const outcomes = testRows.map((r) => Number(r.y));
  const groups = {
    sex: testRows.map((r) => r.sex),
    'ethnic-group': testRows.map((r) => r.ethnic_group),
    'imd-quintile': testRows.map((r) => String(r.imd_quintile)),
  };
  const pFull = Float64Array.from(testRows, (r) => r.p_full);
  const pBase = Float64Array.from(testRows, (r) => r.p_base);
  testRows.length = 0;
  progress('Evaluating', 5);
  const report: AdmissionModelReport = {
    meta,
    trainDate,
    testDate,
    purpose,
    training: { people: y.length, events: trainEvents, fraction: trainFraction, residents: trainCount?.n ?? 0, leftOut: trainLeftOut },
    test: { people: outcomes.length, events: outcomes.reduce((a, b) => a + b, 0), fraction: testFraction, residents: testCount?.n ?? 0, leftOut: testLeftOut },
    full: { fitted: full, apparentCStatistic: apparentFull, test: evaluate(pFull, outcomes, groups) },
    baseline: { fitted: baseline, apparentCStatistic: apparentBaseline, test: evaluate(pBase, outcomes, groups) },
  };
  progress('Done', 6);
  return report;
};
