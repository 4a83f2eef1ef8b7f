/**
 * The emergency admission score for care teams: fitted once on a hashed sample (features a year
 * before the data's last day, admissions in the year to it), a person's score explained term by term.
 * A hand-made population of 400: people on the heart failure register (every fourth) are admitted
 * two times in three, others one time in ten; women and men alike.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogisticModel } from '@openphm/core';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { FULL_TERMS, predictionSql } from './admission-model.js';
import { admissionRiskBand, explainAdmissionScore, fitAdmissionScorer, scorePeople, scorePerson, scorerSql, type AdmissionScorer } from './admission-score.js';
import { computePersonFeatures } from './features.js';

let root: string;
let db: PhmDatabase;
const DAY = '2026-03-31';

beforeAll(async () => {
  root = makeTempDir();
  const header = (f: string) => `${VALID_FILES[f]!.split('\n')[0]}\n`;
  const people: string[] = [];
  const events: string[] = [];
  const spells: string[] = [];
  let spell = 0;
  for (let i = 0; i < 400; i++) {
    const id = 1000 + i;
    const hf = i % 4 === 0;
    people.push(`${id},${i < 200 ? 'F' : 'M'},${1940 + (i % 50)}-06-01,A,E01011230,B86002,2000-01-01,false`);
    if (hf) events.push(`${id},2020-01-01,84114007,`);
    if ((hf && i % 3 !== 0) || (!hf && i % 10 === 1)) spells.push(`${++spell},${id},2025-07-01,2025-07-05,emergency,I509,home`);
  }
  const files = {
    ...Object.fromEntries(Object.keys(VALID_FILES).filter((f) => f.endsWith('.csv')).map((f) => [f, header(f)])),
    'clinical_event/part-0001.csv': null,
    'clinical_event/part-0002.csv': null,
    'person.csv': `${header('person.csv')}${people.join('\n')}\n`,
    'clinical_event.csv': `person_id,event_date,snomed_code,numeric_value\n${events.join('\n')}\n`,
    'hospital_spell.csv': `${header('hospital_spell.csv')}${spells.join('\n')}\n`,
  };
  const file = join(root, 'score.duckdb');
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(file);
});
afterAll(() => {
  db.close();
  removeDir(root);
});

const fit = async (): Promise<AdmissionScorer> => {
  const scorer = await fitAdmissionScorer(db, { date: DAY, windowStart: '2021-04-01' });
  if ('unavailable' in scorer) throw new Error(scorer.unavailable);
  return scorer;
};

describe('the admission score', () => {
  it('is fitted a year before the last day on everyone sampled, and says why when it cannot be', async () => {
    const scorer = await fit();
    expect(scorer).toMatchObject({ fittedAt: '2025-03-31', people: 400, events: 106 });
    // Features and outcomes of the fit are gone from the connection once it is fitted.
    expect(await db.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'person_features_score_fit'`)).toEqual([]);
    expect(await fitAdmissionScorer(db, { date: DAY, windowStart: '2025-01-01' })).toEqual({ unavailable: 'the data start on 2025-01-01: fitting the model needs two years of records before 2026-03-31' });
    expect(await fitAdmissionScorer(db, { date: DAY, minEvents: 107 })).toEqual({ unavailable: '400 people in the sample with 106 emergency admissions: too few to fit the model (at least 107 with and 107 without)' });
  });

  it('scores a person with what raises and lowers it; the same probability as the model in SQL', async () => {
    const scorer = await fit();
    await computePersonFeatures(db, DAY, { table: 'features_for_score' });
    const withHf = (await scorePerson(db, scorer, 'features_for_score', '1000'))!;
    const without = (await scorePerson(db, scorer, 'features_for_score', '1002'))!;
    expect(withHf.probability).toBeGreaterThan(0.4);
    expect(without.probability).toBeLessThan(0.2);
    expect(withHf.band).toBe(admissionRiskBand(withHf.probability));
    // Heart failure is also an eFI deficit: the two share its effect.
    const hf = withHf.drivers.find((d) => d.term === 'cond_heart_failure')!;
    const efi = withHf.drivers.find((d) => d.term === 'efi')!;
    expect(hf).toMatchObject({ label: 'On the Heart failure register', value: 'yes' });
    expect(efi).toMatchObject({ label: 'Electronic Frailty Index (0-1)', value: '0.03' });
    expect(hf.effect + efi.effect).toBeGreaterThan(1);
    expect(withHf.drivers.slice(0, 2).map((d) => d.term).sort()).toEqual(['cond_heart_failure', 'efi']);
    // A flag the person does not have is not a driver; age is one driver.
    expect(without.drivers.find((d) => d.term === 'cond_heart_failure')).toBeUndefined();
    expect(without.drivers.filter((d) => d.term.startsWith('age')).map((d) => d.term)).toEqual(['age']);
    const [inSql] = await db.query<{ p: number }>(`SELECT ${scorerSql(scorer)} AS p FROM features_for_score WHERE person_id = 1000`);
    expect(withHf.probability).toBeCloseTo(inSql!.p, 10);
    const many = await scorePeople(db, scorer, 'features_for_score', ['1000', '1002', '999999', 'x']);
    expect([...many.keys()].sort()).toEqual(['1000', '1002']);
    expect(many.get('1000')!.probability).toBeCloseTo(withHf.probability, 12);
    expect(await scorePerson(db, scorer, 'features_for_score', '999999')).toBeNull();
  });

  it('explains a score as the contributions of its terms against the average person', () => {
    const n = FULL_TERMS.length;
    const model: LogisticModel = {
      featureNames: FULL_TERMS.map((t) => t.name),
      coefficients: [-2, ...FULL_TERMS.map((t) => (t.name === 'efi' ? 0.5 : t.name === 'age' ? 0.2 : t.name === 'age_spline_1' ? 0.1 : t.name === 'gp_appointments' ? 0.3 : 0))],
      means: Array(n).fill(0),
      sds: FULL_TERMS.map((t) => (t.name === 'efi' ? 0.1 : 1)),
      iterations: 3,
    };
    const fitted = { name: 'test', terms: FULL_TERMS, model, ridge: 0 };
    const x = FULL_TERMS.map((t) => (t.name === 'efi' ? 0.2 : t.name === 'age' ? 2 : t.name === 'age_spline_1' ? 1 : t.name === 'gp_appointments' ? Math.log(1 + 9) : 0));
    const s = explainAdmissionScore(fitted, x);
    // efi: 0.5 × 0.2 / 0.1 = 1; age: 0.2 × 2 + 0.1 × 1 = 0.5; GP appointments: 0.3 × ln 10.
    expect(s.drivers.slice(0, 3).map((d) => [d.term, d.label, d.value, Number(d.effect.toFixed(4))])).toEqual([
      ['efi', 'Electronic Frailty Index (0-1)', '0.20', 1],
      ['gp_appointments', 'GP appointments in the last 12 months', '9', Number((0.3 * Math.log(10)).toFixed(4))],
      ['age', 'Age', '2 years', 0.5],
    ]);
    expect(s.averageProbability).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-(-2 + 1 + 0.5 + 0.3 * Math.log(10)))), 12);
    expect(predictionSql(fitted)).toContain('exp(');
  });

  it.each([
    [0, '<5%'],
    [0.0499, '<5%'],
    [0.05, '5-10%'],
    [0.15, '10-20%'],
    [0.2, '20%+'],
    [0.9, '20%+'],
  ])('a probability of %f is in band %s', (p, band) => {
    expect(admissionRiskBand(p)).toBe(band);
  });
});
