/**
 * Realism of the synthetic partnership (about 80,000 people): the age structure of each LSOA tracks
 * its real denominators, and prevalence, emergency admissions and mortality rise with deprivation.
 * Rates are directly age-standardised across the deprivation groups so younger deprived areas are
 * compared fairly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, OBSERVATION_CODES, dayFromIso, type ConditionKey, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from './generate.js';

const START = dayFromIso('2021-04-01');
const END = dayFromIso('2026-04-01');
const YEAR = 365.25;
const AGE_BANDS = [0, 16, 35, 50, 65, 75, 85];
const band = (age: number) => AGE_BANDS.filter((lo) => age >= lo).length - 1;

interface P { id: string; sex: string; dob: number; lsoa: string; decile: number; quintile: number; death?: number }
let geography: Geography;
let people: P[];
let sinkRows: ReturnType<typeof generateInMemory>;

beforeAll(async () => {
  geography = await loadGeography();
  sinkRows = generateInMemory(geography, 'realism', 80_000);
  const lsoa = new Map(geography.lsoas.map((l) => [l.code as string, l]));
  const deaths = new Map(sinkRows.objects('death').map((d) => [d.person_id!, dayFromIso(d.date_of_death!)]));
  people = sinkRows.objects('person').map((r) => {
    const area = lsoa.get(r.lsoa_code!)!;
    const p: P = { id: r.person_id!, sex: r.sex!, dob: dayFromIso(r.date_of_birth!), lsoa: r.lsoa_code!, decile: area.imdDecile, quintile: area.imdQuintile };
    const death = deaths.get(p.id);
    if (death !== undefined) p.death = death;
    return p;
  });
});

const pearson = (xs: number[], ys: number[]): number => {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const ranks = (xs: number[]) => xs.map((x) => xs.filter((y) => y < x).length);
const spearman = (xs: number[], ys: number[]) => pearson(ranks(xs), ranks(ys));

/** Directly age-standardised rate by quintile: events / person-years per age band, weighted by the pooled age structure. */
const standardisedByQuintile = (events: Map<string, number>, exposure: (p: P) => number, ageDay: (p: P) => number = () => START): number[] => {
  const ev = Array.from({ length: 5 }, () => new Array<number>(AGE_BANDS.length).fill(0));
  const py = Array.from({ length: 5 }, () => new Array<number>(AGE_BANDS.length).fill(0));
  const standard = new Array<number>(AGE_BANDS.length).fill(0);
  for (const p of people) {
    const t = exposure(p);
    if (t <= 0) continue;
    const b = band((ageDay(p) - p.dob) / YEAR);
    ev[p.quintile - 1]![b]! += events.get(p.id) ?? 0;
    py[p.quintile - 1]![b]! += t;
    standard[b]! += t;
  }
  const total = standard.reduce((a, b) => a + b, 0);
  return ev.map((row, q) => row.reduce((acc, e, b) => acc + (py[q]![b]! > 0 ? (e / py[q]![b]!) * (standard[b]! / total) : 0), 0));
};

const yearsObserved = (p: P) => (Math.min(END, p.death ?? END) - Math.max(START, p.dob)) / YEAR;
const aliveAtEnd = (p: P) => (p.death === undefined ? 1 : 0);

const onRegister = (key: ConditionKey): Map<string, number> => {
  const codes = new Set<string>(CONDITIONS[key].codes.map((c) => c.code));
  return new Map(sinkRows.objects('clinical_event').filter((e) => codes.has(e.snomed_code!)).map((e) => [e.person_id!, 1]));
};

describe('age and sex structure', () => {
  it('tracks each LSOA’s real denominators', () => {
    const atStart = people.filter((p) => p.dob < START);
    const byLsoa = new Map<string, { n: number; old: number; young: number }>();
    for (const p of atStart) {
      const s = byLsoa.get(p.lsoa) ?? { n: 0, old: 0, young: 0 };
      const age = (START - p.dob) / YEAR;
      s.n++;
      if (age >= 60) s.old++;
      if (age < 16) s.young++;
      byLsoa.set(p.lsoa, s);
    }
    const lsoas = geography.lsoas.filter((l) => byLsoa.has(l.code));
    expect(lsoas.length).toBe(geography.lsoas.length);
    const real = (f: (l: (typeof lsoas)[number]) => number) => lsoas.map(f);
    const synth = (f: (s: { n: number; old: number; young: number }) => number) => lsoas.map((l) => f(byLsoa.get(l.code)!));
    expect(pearson(real((l) => l.population.total), synth((s) => s.n))).toBeGreaterThan(0.9);
    expect(pearson(real((l) => l.population.age60plus / l.population.total), synth((s) => s.old / s.n))).toBeGreaterThan(0.75);
    expect(pearson(real((l) => l.population.age0to15 / l.population.total), synth((s) => s.young / s.n))).toBeGreaterThan(0.6);
    const female = atStart.filter((p) => p.sex === 'F');
    expect(female.length / atStart.length).toBeGreaterThan(0.49);
    expect(female.length / atStart.length).toBeLessThan(0.52);
    const over85 = atStart.filter((p) => (START - p.dob) / YEAR >= 85);
    expect(over85.filter((p) => p.sex === 'F').length / over85.length).toBeGreaterThan(0.58);
  });
});

describe('deprivation gradients (age-standardised, IMD quintile 1 = most deprived)', () => {
  const expectGradient = (rates: number[], minRatio: number) => {
    expect(rates[0]! / rates[4]!).toBeGreaterThan(minRatio);
    expect(spearman([5, 4, 3, 2, 1], rates)).toBeGreaterThanOrEqual(0.9);
  };
  it.each<[ConditionKey, number]>([
    ['diabetes', 1.5],
    ['copd', 2.0],
    ['chd', 1.4],
    ['depression', 1.3],
    ['smi', 1.8],
  ])('prevalence of %s rises with deprivation (ratio > %d)', (key, ratio) => {
    expectGradient(standardisedByQuintile(onRegister(key), aliveAtEnd, () => END), ratio);
  });

  it('emergency admissions rise with deprivation', () => {
    const admissions = new Map<string, number>();
    for (const s of sinkRows.objects('hospital_spell')) if (s.admission_method === 'emergency') admissions.set(s.person_id!, (admissions.get(s.person_id!) ?? 0) + 1);
    expectGradient(standardisedByQuintile(admissions, yearsObserved), 1.5);
  });

  it('mortality rises with deprivation', () => {
    const deaths = new Map(people.filter((p) => p.death !== undefined).map((p) => [p.id, 1]));
    expectGradient(standardisedByQuintile(deaths, yearsObserved), 1.5);
  });
});

describe('partnership-level figures land near the published ones', () => {
  it('has about 1 in 5 adults with a recorded BMI obese and recorded smoking near 13-14% at the end of the window', () => {
    const adults = new Set(people.filter((p) => (END - p.dob) / YEAR >= 18 && p.death === undefined).map((p) => p.id));
    const latest = (codes: Set<string>) => {
      const out = new Map<string, { day: string; code: string; value: string }>();
      for (const e of sinkRows.objects('clinical_event')) {
        if (!codes.has(e.snomed_code!) || !adults.has(e.person_id!)) continue;
        const prev = out.get(e.person_id!);
        if (!prev || e.event_date! >= prev.day) out.set(e.person_id!, { day: e.event_date!, code: e.snomed_code!, value: e.numeric_value! });
      }
      return [...out.values()];
    };
    const bmi = latest(new Set([OBSERVATION_CODES.bmi.code]));
    const obese = bmi.filter((b) => Number(b.value) >= 30).length / bmi.length;
    expect(obese).toBeGreaterThan(0.17);
    expect(obese).toBeLessThan(0.3);
    const smoking = latest(new Set([OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code]));
    const current = smoking.filter((s) => s.code === OBSERVATION_CODES.currentSmoker.code).length / smoking.length;
    // At 31 March 2026: England's GP-recorded 14.7% of 2022/23 (Fingertips 91547), falling 3.7-4.9% a
    // year (QOF 2019/20-2022/23, APS 2021-2024), is 12.6-13.3% three years on; the partnership, more
    // deprived, a little above. (Until smokers quit at 5% a year it was aimed at 18%, between 14% and 22%.)
    expect(current).toBeGreaterThan(0.115);
    expect(current).toBeLessThan(0.17);
  });

  it('has a life-expectancy gap of several years between the most and least deprived quintiles', () => {
    // Abridged life table (five-year bands, 90+) from deaths and person-years in the window.
    const lifeExpectancy = (group: P[]) => {
      const deaths = new Array<number>(19).fill(0);
      const py = new Array<number>(19).fill(0);
      for (const p of group) {
        for (let y = 0; y < 5; y++) {
          const a = Math.max(START + y * YEAR, p.dob);
          const b = Math.min(START + (y + 1) * YEAR, p.death !== undefined ? p.death + 1 : END);
          if (b <= a) continue;
          const k = Math.min(18, Math.floor((a - p.dob) / YEAR / 5));
          py[k]! += (b - a) / YEAR;
          if (p.death !== undefined && p.death >= a && p.death < b) deaths[k]!++;
        }
      }
      let l = 1;
      let total = 0;
      for (let k = 0; k < 19; k++) {
        const m = deaths[k]! / py[k]!;
        if (k === 18) total += l / m;
        else {
          const q = Math.min(1, (5 * m) / (1 + 2.5 * m));
          total += 5 * l * (1 - q / 2);
          l *= 1 - q;
        }
      }
      return total;
    };
    for (const sex of ['F', 'M']) {
      const most = lifeExpectancy(people.filter((p) => p.sex === sex && p.quintile === 1));
      const least = lifeExpectancy(people.filter((p) => p.sex === sex && p.quintile === 5));
      expect(least - most, sex).toBeGreaterThan(3);
      expect(least - most, sex).toBeLessThan(14);
      expect(most, sex).toBeGreaterThan(70);
      expect(least, sex).toBeLessThan(92);
    }
  });
});
