/**
 * Outcome records (outcome-records.ts) on a seeded partnership of 25,000 people: each outcome
 * indicator the records feed lands near the figure docs/synthetic-data.md gives ("Outcome records"),
 * with the gradients stated there, and every record is where it can be: readings of people on the
 * register, after diagnosis, in the window and in life, blood pressure as a systolic and diastolic
 * pair on one day, a stage for every cancer on its diagnosis day, PPV from 65, childhood doses in
 * order, health checks only for eligible people.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, HEALTH_CHECK_EXCLUDED_REGISTERS, OBSERVATION_CODES, Random, type ConditionKey, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from '../generate.js';
import { bloodPressureReading, hba1cReading } from './outcome-records.js';

const O = OBSERVATION_CODES;
const FIRST_DAY = '2021-04-01';
const LAST_DAY = '2026-03-31';

interface P {
  id: string;
  dob: string;
  quintile: number;
  death?: string;
  onset: Map<ConditionKey, string>;
  /** Code → [day, value] rows. */
  rows: Map<string, [string, number | null][]>;
}

const ageOn = (dob: string, day: string): number => {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
};
const daysBetween = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 86_400_000;
const rowsOf = (p: P, code: string) => p.rows.get(code) ?? [];

let people: P[];
beforeAll(async () => {
  const geography: Geography = await loadGeography();
  const sink = generateInMemory(geography, 'outcome-records', 25_000);
  const quintile = new Map(geography.lsoas.map((l) => [l.code as string, l.imdQuintile]));
  const deaths = new Map(sink.objects('death').map((d) => [d.person_id!, d.date_of_death!]));
  const byId = new Map<string, P>();
  for (const r of sink.objects('person')) {
    const p: P = { id: r.person_id!, dob: r.date_of_birth!, quintile: quintile.get(r.lsoa_code!)!, onset: new Map(), rows: new Map() };
    const death = deaths.get(p.id);
    if (death !== undefined) p.death = death;
    byId.set(p.id, p);
  }
  const conditionOf = new Map<string, ConditionKey>((Object.keys(CONDITIONS) as ConditionKey[]).flatMap((k) => CONDITIONS[k].codes.map((c) => [c.code as string, k] as const)));
  for (const e of sink.objects('clinical_event')) {
    const p = byId.get(e.person_id!)!;
    const k = conditionOf.get(e.snomed_code!);
    if (k !== undefined && (p.onset.get(k) ?? '9999') > e.event_date!) p.onset.set(k, e.event_date!);
    const list = p.rows.get(e.snomed_code!) ?? [];
    list.push([e.event_date!, e.numeric_value === '' ? null : Number(e.numeric_value)]);
    p.rows.set(e.snomed_code!, list);
  }
  people = [...byId.values()];
}, 300_000);

/** People alive on the day, as the catalogue counts them. */
const aliveOn = (day: string): P[] => people.filter((p) => p.dob <= day && !(p.death !== undefined && p.death <= day));
const onRegister = (p: P, k: ConditionKey, day: string): boolean => (p.onset.get(k) ?? '9999') <= day;
/** The latest value of a code in the 365 days to the day (the greatest on the latest day). */
const latest = (p: P, code: string, day: string): number | undefined => {
  let best: [string, number] | undefined;
  for (const [d, v] of rowsOf(p, code)) {
    if (v === null || d > day || daysBetween(d, day) >= 365) continue;
    if (!best || d > best[0] || (d === best[0] && v > best[1])) best = [d, v];
  }
  return best?.[1];
};
const share = (xs: readonly P[], test: (p: P) => boolean): number => xs.filter(test).length / xs.length;

describe('the outcome indicators on the generated population (31 March 2025)', () => {
  const day = '2025-03-31';
  const bpAtMost = (limit: number) => (p: P) => {
    const s = latest(p, O.systolicBp.code, day);
    const d = latest(p, O.diastolicBp.code, day);
    return s !== undefined && d !== undefined && s <= limit && d <= 90;
  };

  it.each<[string, () => number, number, number]>([
    ['hypertension treated to target under 80 (≤140/90)', () => share(aliveOn(day).filter((p) => onRegister(p, 'hypertension', day) && ageOn(p.dob, day) < 80), bpAtMost(140)), 0.58, 0.74],
    ['hypertension treated to target 80+ (≤150/90)', () => share(aliveOn(day).filter((p) => onRegister(p, 'hypertension', day) && ageOn(p.dob, day) >= 80), bpAtMost(150)), 0.68, 0.85],
    ['HbA1c ≤58 mmol/mol', () => share(aliveOn(day).filter((p) => onRegister(p, 'diabetes', day)), (p) => (latest(p, O.hba1c.code, day) ?? 99) <= 58), 0.5, 0.65],
    [
      'diabetes: blood pressure ≤140/80 (of the three treatment targets)',
      () => share(aliveOn(day).filter((p) => onRegister(p, 'diabetes', day)), (p) => (latest(p, O.systolicBp.code, day) ?? 999) <= 140 && (latest(p, O.diastolicBp.code, day) ?? 999) <= 80),
      0.55, 0.75,
    ],
    ['PPV 65+', () => share(aliveOn(day).filter((p) => ageOn(p.dob, day) >= 65), (p) => rowsOf(p, O.pneumococcalVaccination.code).some(([d]) => d <= day)), 0.63, 0.75],
    ['6-in-1 at 1', () => share(aliveOn(day).filter((p) => ageOn(p.dob, day) === 1), (p) => rowsOf(p, O.sixInOneThird.code).some(([d]) => d <= day)), 0.86, 0.97],
    ['MMR one dose at 2', () => share(aliveOn(day).filter((p) => ageOn(p.dob, day) === 2), (p) => rowsOf(p, O.mmrFirst.code).some(([d]) => d <= day)), 0.84, 0.95],
    ['MMR two doses at 5', () => share(aliveOn(day).filter((p) => ageOn(p.dob, day) === 5), (p) => rowsOf(p, O.mmrSecond.code).some(([d]) => d <= day)), 0.77, 0.92],
    [
      'NHS Health Checks, eligible 40-74, five years',
      () => share(
        aliveOn(day).filter((p) => ageOn(p.dob, day) >= 40 && ageOn(p.dob, day) <= 74 && !HEALTH_CHECK_EXCLUDED_REGISTERS.some((k) => onRegister(p, k, day))),
        (p) => rowsOf(p, O.healthCheck.code).some(([d]) => d <= day && daysBetween(d, day) < 1826),
      ),
      0.33, 0.45,
    ],
  ])('%s lands in its range', (_what, measure, low, high) => {
    const value = measure();
    expect(value).toBeGreaterThanOrEqual(low);
    expect(value).toBeLessThanOrEqual(high);
  });

  it('finds about half of the cancers diagnosed in the window at stage 1 or 2, fewer in the most deprived fifth and at 80+', () => {
    const stages = people.flatMap((p) => rowsOf(p, O.tumourStage.code).filter(([d]) => d >= FIRST_DAY).map(([d, v]) => ({ p, age: ageOn(p.dob, d), v })));
    const early = (xs: typeof stages) => xs.filter((s) => s.v !== null && s.v <= 2).length / xs.length;
    expect(stages.length).toBeGreaterThan(300);
    expect(early(stages)).toBeGreaterThan(0.42);
    expect(early(stages)).toBeLessThan(0.6);
    expect(early(stages.filter((s) => s.age >= 80))).toBeLessThan(early(stages.filter((s) => s.age < 65)));
    expect(stages.filter((s) => s.v === null).length / stages.length).toBeGreaterThan(0.05);
  });

  it('vaccinates fewer people 65+ against pneumococcus in the most deprived fifth than in the least', () => {
    const over65 = aliveOn(day).filter((p) => ageOn(p.dob, day) >= 65);
    const ppv = (q: number) => share(over65.filter((p) => p.quintile === q), (p) => rowsOf(p, O.pneumococcalVaccination.code).length > 0);
    expect(ppv(1)).toBeLessThan(ppv(5) - 0.03);
  });
});

describe('where the records fall', () => {
  const inLife = (p: P, d: string) => d >= p.dob && (p.death === undefined || d < p.death);

  it('records blood pressure only for people on the hypertension or diabetes register, after diagnosis, in the window and in life, as a pair on one day', () => {
    let readings = 0;
    for (const p of people) {
      const systolic = rowsOf(p, O.systolicBp.code);
      const diastolic = rowsOf(p, O.diastolicBp.code);
      expect(systolic.map(([d]) => d)).toEqual(diastolic.map(([d]) => d));
      for (const [d, v] of systolic) {
        readings++;
        const after = (k: ConditionKey) => onRegister(p, k, d) && d > p.onset.get(k)!;
        expect(after('hypertension') || (after('diabetes') && !p.onset.has('hypertension'))).toBe(true);
        expect(d >= FIRST_DAY && d <= LAST_DAY && inLife(p, d)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(100);
      }
    }
    expect(readings).toBeGreaterThan(5000);
  });

  it('records HbA1c only for people on the diabetes register, after diagnosis, in the window and in life', () => {
    for (const p of people) {
      for (const [d, v] of rowsOf(p, O.hba1c.code)) {
        expect(d > p.onset.get('diabetes')!).toBe(true);
        expect(d >= FIRST_DAY && d <= LAST_DAY && inLife(p, d)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(38);
      }
    }
  });

  it('records one stage for every cancer, on its diagnosis day, 1 to 4 or none', () => {
    for (const p of people) {
      const stages = rowsOf(p, O.tumourStage.code);
      expect(stages.length).toBe(p.onset.has('cancer') ? 1 : 0);
      for (const [d, v] of stages) {
        expect(d).toBe(p.onset.get('cancer'));
        expect(v === null || [1, 2, 3, 4].includes(v)).toBe(true);
      }
    }
  });

  it('gives PPV once, from the 65th birthday, in life', () => {
    for (const p of people) {
      const ppv = rowsOf(p, O.pneumococcalVaccination.code);
      expect(ppv.length).toBeLessThanOrEqual(1);
      for (const [d] of ppv) {
        expect(ageOn(p.dob, d)).toBeGreaterThanOrEqual(65);
        expect(d <= LAST_DAY && inLife(p, d)).toBe(true);
      }
    }
  });

  it('gives each childhood dose at most once, only after the dose before it (four weeks apart at least), from 7 weeks old', () => {
    const doses = [O.sixInOneFirst, O.sixInOneSecond, O.sixInOneThird, O.mmrFirst, O.mmrSecond].map((c) => c.code);
    let children = 0;
    for (const p of people) {
      const days = doses.map((c) => rowsOf(p, c).map(([d]) => d));
      if (days[0]!.length > 0) children++;
      for (let i = 0; i < doses.length; i++) {
        expect(days[i]!.length).toBeLessThanOrEqual(1);
        if (days[i]!.length === 0) continue;
        expect(daysBetween(p.dob, days[i]![0]!)).toBeGreaterThanOrEqual(49);
        expect(inLife(p, days[i]![0]!) && days[i]![0]! <= LAST_DAY).toBe(true);
        if (i > 0) expect(daysBetween(days[i - 1]![0]!, days[i]![0]!)).toBeGreaterThanOrEqual(21);
      }
    }
    expect(children).toBeGreaterThan(1500);
  });

  it('records health checks only at 40-74, for people on none of the excluding registers that day, at most one in any five years', () => {
    for (const p of people) {
      const checks = rowsOf(p, O.healthCheck.code).map(([d]) => d).sort();
      for (const [i, d] of checks.entries()) {
        const age = ageOn(p.dob, d);
        expect(age >= 40 && age <= 74, `${p.id} at ${age}`).toBe(true);
        expect(HEALTH_CHECK_EXCLUDED_REGISTERS.filter((k) => onRegister(p, k, d))).toEqual([]);
        expect(inLife(p, d) && d <= LAST_DAY).toBe(true);
        if (i > 0) expect(daysBetween(checks[i - 1]!, d)).toBeGreaterThan(365 * 3);
      }
    }
  });
});

describe('readings', () => {
  const rng = Random.fromKey('readings');
  it.each([
    [false, true, 140], [false, false, 140], [true, true, 150], [true, false, 150],
  ])('a blood pressure reading (80+ %s, at target %s) is within or above %d/90 as drawn', (from80, atTarget, limit) => {
    for (let i = 0; i < 500; i++) {
      const [s, d] = bloodPressureReading(rng, atTarget, from80);
      expect(s <= limit && d <= 90).toBe(atTarget);
      expect(Number.isInteger(s) && Number.isInteger(d)).toBe(true);
    }
  });

  it.each([true, false])('an HbA1c reading at target %s is at most 58 or above it', (atTarget) => {
    for (let i = 0; i < 500; i++) expect(hba1cReading(rng, atTarget) <= 58).toBe(atTarget);
  });
});
