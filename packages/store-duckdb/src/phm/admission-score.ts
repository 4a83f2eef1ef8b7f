/**
 * The emergency admission model as a score for one person's care team, with what drives it. The
 * server cannot wait for `phm risk` (which fits and tests on two dates over half the population):
 * it fits the same model (FULL_TERMS, the same ridge ladder) once per data version on a hashed
 * sample, with features a year before the data's last day and emergency admissions in the year to
 * it, then scores people from the features table at the last day. A score is explained term by
 * term: each term's contribution to the log-odds against the average person of the sample (the
 * model works on standardised features, so the intercept is the average person's log-odds); the
 * age terms are one driver. People with an opt-out that applies to fitting a model (research) are
 * not in the sample; everyone is scored (their own care is direct care).
 */
import { ADMISSION_RISK_BANDS, UserError, dayFromIso, isoFromDay, purposeOfUse } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident, literal, personIdSql } from '../sql.js';
import { FULL_TERMS, fitConverged, personBucketSql, predictionSql, type FittedModel } from './admission-model.js';
import { checkTableName, computePersonFeatures } from './features.js';
import { includedForSql } from './purposes.js';

export interface AdmissionScorer {
  readonly fitted: FittedModel;
  /** The features' date of the fit (a year before the data's last day); outcomes in the year after. */
  readonly fittedAt: string;
  readonly people: number;
  readonly events: number;
}

export interface ScorerOptions {
  /** The data's last day: the model is fitted on features a year before it. */
  readonly date: string;
  /** People in the hashed sample (default 50,000). */
  readonly sampleSize?: number;
  /** Fewest people with, and without, an admission the fit needs (default 50). */
  readonly minEvents?: number;
  /** The window's first day (meta window_start): the fit needs a year of history before its features' date. */
  readonly windowStart?: string;
}

const FIT_TABLE = 'person_features_score_fit';

/**
 * Fits the scorer, or says why it cannot (the window is too short, too few admissions, the fit does
 * not converge): a reason a reader can be shown instead of a score.
 */
export const fitAdmissionScorer = async (db: PhmDatabase, options: ScorerOptions): Promise<AdmissionScorer | { readonly unavailable: string }> => {
  const end = dayFromIso(options.date);
  const fittedAt = isoFromDay(end - 365);
  if (options.windowStart !== undefined && dayFromIso(options.windowStart) > dayFromIso(fittedAt) - 365) {
    return { unavailable: `the data start on ${options.windowStart}: fitting the model needs two years of records before ${options.date}` };
  }
  const [count] = await db.query<{ n: number }>('SELECT count(*)::BIGINT AS n FROM person');
  const fraction = Math.min(1, (options.sampleSize ?? 50_000) / Math.max(1, Number(count?.n ?? 0)));
  const table = checkTableName(FIT_TABLE);
  const bucket = personBucketSql((c) => `p.${c}`);
  await computePersonFeatures(db, fittedAt, { table, population: `${bucket} < ${fraction} AND ${includedForSql(purposeOfUse('model-training'), 'p.person_id')}` });
  try {
    const columns = FULL_TERMS.map((t, j) => `${t.sql((c) => `f.${c}`)} AS x${j}`).join(', ');
    const rows = await db.query<Record<string, number>>(
      `SELECT ${columns}, (o.person_id IS NOT NULL)::INTEGER AS y FROM ${ident(table)} f
       LEFT JOIN (SELECT DISTINCT person_id FROM hospital_spell WHERE admission_method = 'emergency' AND admission_date > DATE ${literal(fittedAt)} AND admission_date <= DATE ${literal(options.date)}) o
         ON o.person_id = f.person_id
       ORDER BY f.person_id`,
    );
    const y = rows.map((r) => Number(r.y));
    const events = y.reduce((a, b) => a + b, 0);
    const min = options.minEvents ?? 50;
    if (events < min || rows.length - events < min) {
      return { unavailable: `${rows.length} people in the sample with ${events} emergency admissions: too few to fit the model (at least ${min} with and ${min} without)` };
    }
    const x = rows.map((r) => FULL_TERMS.map((_, j) => Number(r[`x${j}`])));
    const fitted = fitConverged('full', FULL_TERMS, x, y);
    return { fitted, fittedAt, people: rows.length, events };
  } catch (error) {
    if (error instanceof UserError) return { unavailable: error.message };
    throw error;
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${ident(table)}`);
  }
};

/** Something that raises or lowers a person's score, against the average person of the sample. */
export interface ScoreDriver {
  readonly term: string;
  readonly label: string;
  /** The person's value, in words ("84 years", "yes", "12", "0.31"). */
  readonly value: string;
  /** Contribution to the log-odds against the average person: above 0 raises the risk, below lowers it. */
  readonly effect: number;
}

export interface AdmissionScore {
  /** Predicted probability of an emergency admission in the next 12 months. */
  readonly probability: number;
  /** ADMISSION_RISK_BANDS id. */
  readonly band: string;
  /** The average person's probability (every feature at the sample's mean). */
  readonly averageProbability: number;
  /** Largest effects first; flags the person does not have are left out. */
  readonly drivers: readonly ScoreDriver[];
}

const AGE_TERMS = new Set(['age', 'age_spline_1', 'age_spline_2', 'age_spline_3']);
const sigmoid = (eta: number) => 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, eta))));
const isFlag = (t: { sql: (c: (n: string) => string) => string }) => /THEN 1\.0 ELSE 0\.0 END$/.test(t.sql((c) => c).trim());
const isLog1p = (label: string) => label.startsWith('ln(1 + ');

/** The ADMISSION_RISK_BANDS band of a probability. */
export const admissionRiskBand = (p: number): string => {
  let band: string = ADMISSION_RISK_BANDS[0].id;
  for (const b of ADMISSION_RISK_BANDS) if (p >= b.min) band = b.id;
  return band;
};

/**
 * A score with its drivers from the values of the model's terms (in FULL_TERMS order): pure.
 * Each term's effect is coefficient × (value − mean) / sd; the age terms are added up as "Age".
 */
export const explainAdmissionScore = (fitted: FittedModel, x: readonly number[]): AdmissionScore => {
  const m = fitted.model;
  const effects = fitted.terms.map((_, j) => m.coefficients[j + 1]! * ((x[j]! - m.means[j]!) / m.sds[j]!));
  const eta = m.coefficients[0]! + effects.reduce((a, b) => a + b, 0);
  const drivers: ScoreDriver[] = [];
  let ageEffect = 0;
  fitted.terms.forEach((t, j) => {
    if (AGE_TERMS.has(t.name)) {
      ageEffect += effects[j]!;
      return;
    }
    if (isFlag(t)) {
      if (x[j] === 1) drivers.push({ term: t.name, label: t.label, value: 'yes', effect: effects[j]! });
      return;
    }
    if (isLog1p(t.label)) {
      drivers.push({ term: t.name, label: t.label.replace(/^ln\(1 \+ (.*)\)$/, (_m, inner: string) => inner.charAt(0).toUpperCase() + inner.slice(1)), value: String(Math.round(Math.exp(x[j]!) - 1)), effect: effects[j]! });
      return;
    }
    drivers.push({ term: t.name, label: t.label, value: Number.isInteger(x[j]) ? String(x[j]) : x[j]!.toFixed(2), effect: effects[j]! });
  });
  const ageIndex = fitted.terms.findIndex((t) => t.name === 'age');
  if (ageIndex >= 0) drivers.push({ term: 'age', label: 'Age', value: `${x[ageIndex]} years`, effect: ageEffect });
  drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || (a.term < b.term ? -1 : 1));
  const probability = sigmoid(eta);
  return { probability, band: admissionRiskBand(probability), averageProbability: sigmoid(m.coefficients[0]!), drivers };
};

/** The scores of some people from a features table (people not in it, e.g. dead by its date, are left out). */
export const scorePeople = async (db: Pick<PhmDatabase, 'query'>, scorer: AdmissionScorer, table: string, personIds: readonly string[]): Promise<Map<string, AdmissionScore>> => {
  const out = new Map<string, AdmissionScore>();
  const ids = [...new Set(personIds.filter((id) => /^\d{1,18}$/.test(id)))];
  const columns = scorer.fitted.terms.map((t, j) => `${t.sql((c) => `f.${c}`)} AS x${j}`).join(', ');
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const rows = await db.query<Record<string, number | string>>(
      `SELECT f.person_id::VARCHAR AS id, ${columns} FROM ${ident(checkTableName(table))} f WHERE f.person_id IN (${chunk.map((id) => `${id}::BIGINT`).join(', ')})`,
    );
    for (const r of rows) out.set(String(r.id), explainAdmissionScore(scorer.fitted, scorer.fitted.terms.map((_, j) => Number(r[`x${j}`]))));
  }
  return out;
};

/** One person's score from a features table (a parameterised query), or null when they are not in it. */
export const scorePerson = async (db: Pick<PhmDatabase, 'query'>, scorer: AdmissionScorer, table: string, personId: string): Promise<AdmissionScore | null> => {
  const columns = scorer.fitted.terms.map((t, j) => `${t.sql((c) => `f.${c}`)} AS x${j}`).join(', ');
  const id = personIdSql(personId);
  if (id === null) return null;
  const [r] = await db.query<Record<string, number>>(`SELECT ${columns} FROM ${ident(checkTableName(table))} f WHERE f.person_id = ${id}`);
  return r === undefined ? null : explainAdmissionScore(scorer.fitted, scorer.fitted.terms.map((_, j) => Number(r[`x${j}`])));
};

/** The predicted probability as SQL over a features table (for lists of people). */
export const scorerSql = (scorer: AdmissionScorer, column: (name: string) => string = (c) => c): string => predictionSql(scorer.fitted, column);
