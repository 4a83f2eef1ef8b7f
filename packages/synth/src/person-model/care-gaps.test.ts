/**
 * Reviews, vaccinations and screening (care-gaps.ts) on a seeded partnership of about 40,000
 * people: coverage among the people each care-gap rule is for lands near the published figures
 * (docs/synthetic-data.md lists them), is lower in the most deprived quintile than the least for
 * screening and flu, the events fall where they can (in the window and the season, after diagnosis,
 * at eligible ages, before death), and core's evaluator then finds some people due and others up to
 * date for every rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CARE_GAP_CODES, CARE_GAP_RULES, CONDITIONS, CONDITION_KEYS, FLU_RISK_CONDITIONS, addMonths, careGaps, dayFromIso,
  type CareGapStatus, type ConditionKey, type Geography,
} from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { buildGeneratorAreas } from '../areas.js';
import { isWorkingDay } from '../calendar.js';
import { generateInMemory } from '../generate.js';
import { CARE_GAPS } from '../parameters.js';
import { depFactor } from './draws.js';
import { fluSeasonStart, fluUptake, GENERATED_CARE_GAP_RULES, personalChance, probitOffset } from './care-gaps.js';

const LAST_DAY = '2026-03-31';
const FLU = '822851000000102';
const CERVICAL = '171149006';
const BREAST = '268547008';
const BOWEL = '275978004';

interface P {
  id: string;
  sex: string;
  dob: string;
  /** Age on the last day of the data. */
  age: number;
  quintile: number;
  /** The LSOA's deprivation position (1 = most deprived in England). */
  d: number;
  isCarer: boolean;
  death?: string;
  /** Register and the day first recorded. */
  onset: Map<ConditionKey, string>;
  /** Care-gap code and every day it was recorded. */
  events: Map<string, string[]>;
}

const ageOn = (dob: string, day: string): number => {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
};

let people: P[];
let alive: P[];
beforeAll(async () => {
  const geography: Geography = await loadGeography();
  const sink = generateInMemory(geography, 'care-gaps', 40_000);
  const quintile = new Map(geography.lsoas.map((l) => [l.code as string, l.imdQuintile]));
  const position = new Map(buildGeneratorAreas(geography, 40_000).map((a) => [a.lsoa.code as string, a.d]));
  const deaths = new Map(sink.objects('death').map((d) => [d.person_id!, d.date_of_death!]));
  const byId = new Map<string, P>();
  for (const r of sink.objects('person')) {
    const p: P = { id: r.person_id!, sex: r.sex!, dob: r.date_of_birth!, age: ageOn(r.date_of_birth!, LAST_DAY), quintile: quintile.get(r.lsoa_code!)!, d: position.get(r.lsoa_code!)!, isCarer: r.is_carer === 'true', onset: new Map(), events: new Map() };
    const death = deaths.get(p.id);
    if (death !== undefined) p.death = death;
    byId.set(p.id, p);
  }
  const conditionOf = new Map<string, ConditionKey>(CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => [c.code as string, k] as const)));
  const gapCodes = new Set<string>(CARE_GAP_CODES);
  for (const e of sink.objects('clinical_event')) {
    const p = byId.get(e.person_id!)!;
    const day = e.event_date!;
    const k = conditionOf.get(e.snomed_code!);
    if (k !== undefined && (p.onset.get(k) ?? '9999') > day) p.onset.set(k, day);
    if (gapCodes.has(e.snomed_code!)) {
      const list = p.events.get(e.snomed_code!) ?? [];
      list.push(day);
      p.events.set(e.snomed_code!, list);
    }
  }
  people = [...byId.values()];
  alive = people.filter((p) => p.death === undefined);
}, 300_000);

const latest = (p: P, codes: readonly string[]): string | undefined => codes.flatMap((c) => p.events.get(c) ?? []).sort().at(-1);
const onRegister = (p: P, k: ConditionKey) => (p.onset.get(k) ?? '9999') <= LAST_DAY;

/** The share of `group` with one of the codes recorded within `months` before the last day: overall, then by IMD quintile (index 1 = most deprived). */
const coverage = (group: P[], codes: readonly string[], months: number): number[] => {
  const from = addMonths(LAST_DAY, -months);
  const hits = new Array<number>(6).fill(0);
  const all = new Array<number>(6).fill(0);
  for (const p of group) {
    const last = latest(p, codes);
    const covered = last !== undefined && last > from && last <= LAST_DAY ? 1 : 0;
    for (const i of [0, p.quintile]) {
      hits[i]! += covered;
      all[i]!++;
    }
  }
  return hits.map((h, i) => h / all[i]!);
};

describe('the generator and core’s rules', () => {
  it('records every care-gap rule being done', () => {
    expect([...GENERATED_CARE_GAP_RULES].sort()).toEqual(CARE_GAP_RULES.map((r) => r.id).sort());
  });

  it('gives a population the target share on average, whatever the spread of engagement', () => {
    // Mean of Φ(offset + sd z) over z ~ N(0, 1), by the midpoint rule on [−8, 8].
    const mean = (target: number, sd: number) => {
      let sum = 0;
      for (let z = -8; z < 8; z += 0.01) sum += personalChance(target, sd, z + 0.005) * Math.exp(-((z + 0.005) ** 2) / 2) * 0.01;
      return sum / Math.sqrt(2 * Math.PI);
    };
    for (const [target, sd] of [[0.75, 1], [0.4, 1.6], [0.7, 1.2]] as const) expect(mean(target, sd)).toBeCloseTo(target, 4);
    expect(probitOffset(0.5, 1.2)).toBe(0);
    expect(personalChance(0.6, 1, 1.5)).toBeGreaterThan(personalChance(0.6, 1, -1.5));
  });

  it('takes each season’s UKHSA uptake, the nearest season’s outside the published ones, and the adult programme’s start', () => {
    expect([fluUptake(2022, 'over65'), fluUptake(2023, 'atRisk'), fluUptake(2025, 'over65'), fluUptake(2019, 'atRisk'), fluUptake(2025, 'carer')]).toEqual([0.799, 0.414, 0.749, 0.529, CARE_GAPS.flu.carer]);
    expect([fluSeasonStart(2023), fluSeasonStart(2024), fluSeasonStart(2025)]).toEqual([dayFromIso('2023-09-01'), dayFromIso('2024-10-03'), dayFromIso('2025-10-03')]);
  });
});

describe('reviews, vaccinations and screening in a seeded partnership', () => {
  const women = (lo: number, hi: number) => alive.filter((p) => p.sex === 'F' && p.age >= lo && p.age <= hi);
  const risk = (p: P) => FLU_RISK_CONDITIONS.some((k) => onRegister(p, k));

  // The targets are national figures (at the middle of deprivation): the expectation for a group of
  // this partnership, more deprived than England, is the target with each person's deprivation applied.
  it.each<[string, () => P[], readonly string[], number, number, number, number]>([
    // Published coverage, measured as published (screened within 3.5 / 5.5 years, 36 and 30 months).
    ['cervical screening 25-49', () => women(25, 49), [CERVICAL], 42, 0.661, CARE_GAPS.screening.cervical.depRatio, 0.03],
    ['cervical screening 50-64', () => women(50, 64), [CERVICAL], 66, 0.743, CARE_GAPS.screening.cervical.depRatio, 0.03],
    ['breast screening 53-70', () => women(53, 70), [BREAST], 36, 0.699, CARE_GAPS.screening.breast.depRatio, 0.03],
    ['bowel screening 60-74', () => alive.filter((p) => p.age >= 60 && p.age <= 74), [BOWEL], 30, 0.718, CARE_GAPS.screening.bowel.depRatio, 0.03],
    // Reviews in the last 12 months, of the people on the register (new diagnoses have had less time).
    ['diabetes review', () => alive.filter((p) => onRegister(p, 'diabetes')), ['170777000'], 12, CARE_GAPS.reviews['diabetes-review'], CARE_GAPS.reviewDepRatio, 0.03],
    ['asthma review', () => alive.filter((p) => onRegister(p, 'asthma')), ['394700004', '270442000'], 12, CARE_GAPS.reviews['asthma-review'], CARE_GAPS.reviewDepRatio, 0.04],
    ['COPD review', () => alive.filter((p) => onRegister(p, 'copd')), ['394703002'], 12, CARE_GAPS.reviews['copd-review'], CARE_GAPS.reviewDepRatio, 0.05],
    // Flu vaccination this season (2025/26, given 2024/25's uptake).
    ['flu vaccination, 65 and over', () => alive.filter((p) => p.age >= 65), [FLU], 7, 0.749, CARE_GAPS.flu.depRatio, 0.03],
    ['flu vaccination, under 65 at risk', () => alive.filter((p) => p.age >= 18 && p.age < 65 && risk(p)), [FLU], 7, 0.4, CARE_GAPS.flu.depRatio, 0.04],
    ['flu vaccination, carers under 65 at no clinical risk', () => alive.filter((p) => p.age >= 18 && p.age < 65 && p.isCarer && !risk(p)), [FLU], 7, CARE_GAPS.flu.carer, CARE_GAPS.flu.depRatio, 0.06],
  ])('%s: coverage near the target', (_name, group, codes, months, target, depRatio, tolerance) => {
    const eligible = group();
    expect(eligible.length).toBeGreaterThan(500);
    const expected = eligible.reduce((sum, p) => sum + target * depFactor(depRatio, p.d), 0) / eligible.length;
    const [overall] = coverage(eligible, codes, months);
    expect(overall).toBeGreaterThan(expected - tolerance);
    expect(overall).toBeLessThan(expected + tolerance);
  });

  it.each<[string, () => P[], string, number, number]>([
    // depRatio 0.9 gives a gradient of a few points, near the sampling error of the gap at this size (some
    // 1,600 women in each quintile: about 0.016), so only its direction is checked.
    ['cervical screening 25-49', () => women(25, 49), CERVICAL, 42, 0],
    ['breast screening 53-70', () => women(53, 70), BREAST, 36, 0.05],
    ['bowel screening 60-74', () => alive.filter((p) => p.age >= 60 && p.age <= 74), BOWEL, 30, 0.06],
    ['flu vaccination 65 and over', () => alive.filter((p) => p.age >= 65), FLU, 7, 0.05],
  ])('%s: lower in the most deprived quintile than in the least', (_name, group, code, months, gap) => {
    const byQuintile = coverage(group(), [code], months);
    expect(byQuintile[5]! - byQuintile[1]!).toBeGreaterThan(gap);
  });

  it('records them where they can happen: in the window and the flu season, after diagnosis, at ages invited, before death', () => {
    const start = '2021-04-01';
    const ageAt = (p: P, day: string) => ageOn(p.dob, day);
    let checked = 0;
    for (const p of people) {
      for (const [code, days] of p.events) {
        for (const day of days) {
          checked++;
          expect(day <= LAST_DAY, `${p.id} ${code} ${day}`).toBe(true);
          if (p.death !== undefined) expect(day < p.death, `${p.id} ${code} ${day} died ${p.death}`).toBe(true);
          if (code === FLU) {
            expect(day >= start && ['09', '10', '11', '12', '01', '02', '03'].includes(day.slice(5, 7)), `${p.id} flu ${day}`).toBe(true);
            expect(ageAt(p, day)).toBeGreaterThanOrEqual(17);
          } else if (code === CERVICAL) {
            expect(p.sex).toBe('F');
            expect(ageAt(p, day)).toBeGreaterThanOrEqual(24);
            expect(ageAt(p, day)).toBeLessThanOrEqual(64);
          } else if (code === BREAST) {
            expect(p.sex).toBe('F');
            expect(ageAt(p, day)).toBeGreaterThanOrEqual(50);
            expect(ageAt(p, day)).toBeLessThanOrEqual(70);
          } else if (code === BOWEL) {
            expect(ageAt(p, day)).toBeGreaterThanOrEqual(50);
            expect(ageAt(p, day)).toBeLessThanOrEqual(74);
          } else {
            const register: ConditionKey = code === '170777000' ? 'diabetes' : code === '394703002' ? 'copd' : 'asthma';
            expect(day >= start && day > p.onset.get(register)!, `${p.id} ${code} ${day} diagnosed ${p.onset.get(register)}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
    // Flu vaccinations of the last season fall mostly in its first two months (adults from 3 October).
    const lastSeason = people.flatMap((p) => (p.events.get(FLU) ?? []).filter((d) => d >= '2025-09-01'));
    expect(lastSeason.every((d) => d >= '2025-10-03')).toBe(true);
    expect(lastSeason.filter((d) => d < '2025-12-01').length / lastSeason.length).toBeGreaterThan(0.75);
  });

  it('records them on working days (the practice, the clinic and the laboratory are open)', () => {
    const days = people.flatMap((p) => [...p.events.values()].flat());
    expect(days.length).toBeGreaterThan(10_000);
    const closed = days.filter((d) => !isWorkingDay(dayFromIso(d)));
    // The rare event with no working day within its bounds (a short season's end, a death) stays on its day.
    expect(closed.length / days.length).toBeLessThan(0.002);
  });

  it('leaves core’s evaluator, on the last day of the data, some people due and others up to date for every rule', () => {
    const counts = new Map<string, Record<CareGapStatus, number>>();
    for (const p of alive) {
      const lastRecorded = new Map<string, string>();
      for (const code of p.events.keys()) lastRecorded.set(code, latest(p, [code])!);
      const conditions = new Set([...p.onset.keys()].filter((k) => onRegister(p, k)));
      for (const gap of careGaps({ age: p.age, sex: p.sex, conditions, isCarer: p.isCarer, lastRecorded }, LAST_DAY)) {
        const c = counts.get(gap.ruleId) ?? { due: 0, 'up-to-date': 0, 'out-of-season': 0 };
        c[gap.status]++;
        counts.set(gap.ruleId, c);
      }
    }
    for (const rule of CARE_GAP_RULES) {
      const c = counts.get(rule.id);
      expect(c, rule.id).toBeDefined();
      const eligible = c!.due + c!['up-to-date'];
      expect(c!['out-of-season'], rule.id).toBe(0);
      expect(c!.due / eligible, rule.id).toBeGreaterThan(0.15);
      expect(c!['up-to-date'] / eligible, rule.id).toBeGreaterThan(0.45);
    }
  });
});
