/**
 * Self-harm, alcohol-specific and falls admissions on a generated population (issues 15 and 16): the
 * directly standardised rates the catalogue's indicators measure (the same code lists, ESP 2013,
 * events by age at admission, residents at the middle of each financial year), pooled over the
 * window's five years, against England's published figures; and the shape of self-harm admissions
 * (age and sex, deprivation, mental health conditions, methods, stays clear of everything else).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALCOHOL_SPECIFIC_DIAGNOSES,
  FALL_CAUSES,
  SELF_HARM_CAUSES,
  ageOn,
  CONDITIONS,
  dayFromIso,
  dsr,
  esp19Label,
  type Geography,
} from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { DEFAULT_WINDOW_START, DEFAULT_YEARS, generateInMemory } from '../generate.js';
import type { MemorySink } from '../sink.js';

const SIZE = 40_000;
let sink: MemorySink;
let geography: Geography;
beforeAll(async () => {
  geography = await loadGeography();
  sink = generateInMemory(geography, 'admissions', SIZE);
}, 180_000);

type Row = Record<string, string>;
const day = (iso: string): number => dayFromIso(iso.slice(0, 10));
const starts = (value: string | undefined, prefixes: readonly string[]): boolean => value !== undefined && value !== '' && prefixes.some((p) => value.startsWith(p));

/** The DSR per 100,000 of the spells passing `keep`, pooled over the window's financial years, for people aged minAge+. */
const windowDsr = (keep: (spell: Row) => boolean, minAge = 0): { value: number; count: number } => {
  const start = Number(DEFAULT_WINDOW_START.slice(0, 4));
  const people = new Map(sink.objects('person').map((p) => [p.person_id!, { dob: day(p.date_of_birth!), death: Number.POSITIVE_INFINITY }]));
  for (const d of sink.objects('death')) people.get(d.person_id!)!.death = day(d.date_of_death!);
  const events = new Map<string, number>();
  const population = new Map<string, number>();
  for (let y = 0; y < DEFAULT_YEARS; y++) {
    const midpoint = dayFromIso(`${start + y}-10-01`);
    for (const p of people.values()) {
      if (p.dob > midpoint || p.death <= midpoint) continue;
      const age = ageOn(p.dob, midpoint);
      if (age >= minAge) population.set(esp19Label(age), (population.get(esp19Label(age)) ?? 0) + 1);
    }
  }
  let count = 0;
  for (const s of sink.objects('hospital_spell')) {
    if (!keep(s)) continue;
    const age = ageOn(people.get(s.person_id!)!.dob, day(s.admission_date!));
    if (age < minAge) continue;
    events.set(esp19Label(age), (events.get(esp19Label(age)) ?? 0) + 1);
    count++;
  }
  const rows = [...population].map(([ageBand, n]) => ({ ageBand, count: events.get(ageBand) ?? 0, population: n }));
  if (minAge > 0) {
    // Only the bands of the age range are standardised (as Fingertips does for 65+).
    const result = dsr(rows.map((r) => ({ ...r, standardPopulation: STANDARD[r.ageBand]! })));
    return { value: result.value!, count };
  }
  return { value: dsr(rows).value!, count };
};
/** ESP 2013 weights by band label, for the 65+ rate. */
const STANDARD: Record<string, number> = { '65-69': 5500, '70-74': 5000, '75-79': 4000, '80-84': 2500, '85-89': 1500, '90+': 1000 };

const emergency = (s: Row) => s.admission_method === 'emergency';
const selfHarmSpell = (s: Row) => emergency(s) && starts(s.external_cause, SELF_HARM_CAUSES);

describe('admissions against England (Fingertips), pooled over the window', () => {
  // Tolerances: the sampling error of this population (about 2 standard errors: ~500 self-harm
  // admissions, ~1,000 falls, ~700 alcohol-specific) plus a stated model tolerance, as calibration.ts does.
  it('self-harm (21001): near England 185.5 per 100,000 (2017/18, the latest in the benchmarks file), within 25%', () => {
    const { value, count } = windowDsr(selfHarmSpell);
    expect(count).toBeGreaterThan(300);
    expect(value).toBeGreaterThan(185.5 * 0.75);
    expect(value).toBeLessThan(185.5 * 1.25);
  });

  it('falls 65+ (22401): near England 1,984 per 100,000 (2023/24), within 25%', () => {
    const { value, count } = windowDsr((s) => emergency(s) && starts(s.external_cause, FALL_CAUSES), 65);
    expect(count).toBeGreaterThan(500);
    expect(value).toBeGreaterThan(1984 * 0.75);
    expect(value).toBeLessThan(1984 * 1.25);
  });

  it('alcohol-specific by primary diagnosis: between 150 and 600 per 100,000 (England about 550 in 2012/13, HES, secondary diagnoses too)', () => {
    const { value, count } = windowDsr((s) => starts(s.primary_diagnosis, ALCOHOL_SPECIFIC_DIAGNOSES));
    expect(count).toBeGreaterThan(300);
    expect(value).toBeGreaterThan(150);
    expect(value).toBeLessThan(600);
  });
});

describe('self-harm admissions', () => {
  const spells = () => sink.objects('hospital_spell').filter(selfHarmSpell);
  const personById = () => new Map(sink.objects('person').map((p) => [p.person_id!, p]));

  it('are highest in women aged 15-24, about three times men of that age', () => {
    const people = personById();
    const counts = new Map<string, number>();
    const atRisk = new Map<string, number>();
    const key = (sex: string, age: number) => `${sex}${age < 15 ? '<15' : age < 25 ? '15-24' : age < 45 ? '25-44' : '45+'}`;
    for (const s of spells()) {
      const p = people.get(s.person_id!)!;
      const k = key(p.sex!, ageOn(day(p.date_of_birth!), day(s.admission_date!)));
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const midpoint = dayFromIso('2023-10-01');
    for (const p of people.values()) {
      if (day(p.date_of_birth!) > midpoint) continue;
      const k = key(p.sex!, ageOn(day(p.date_of_birth!), midpoint));
      atRisk.set(k, (atRisk.get(k) ?? 0) + 1);
    }
    const rate = (k: string) => (counts.get(k) ?? 0) / atRisk.get(k)!;
    const highest = [...atRisk.keys()].sort((a, b) => rate(b) - rate(a))[0];
    expect(highest).toBe('F15-24');
    expect(rate('F15-24') / rate('M15-24')).toBeGreaterThan(1.8);
    expect(rate('F15-24') / rate('M15-24')).toBeLessThan(5);
  });

  it('rise with deprivation and with depression', () => {
    const people = personById();
    const dOf = new Map(geography.lsoas.map((l) => [l.code as string, l.imdDecile]));
    const deprived = (id: string) => dOf.get(people.get(id)!.lsoa_code!)! <= 3;
    const depressed = new Set(sink.objects('clinical_event').filter((e) => CONDITIONS.depression.codes.some((c) => c.code === e.snomed_code)).map((e) => e.person_id!));
    const adults = [...people.values()].filter((p) => ageOn(day(p.date_of_birth!), dayFromIso('2023-10-01')) >= 15);
    const rateOf = (inGroup: (id: string) => boolean) => {
      const group = new Set(adults.filter((p) => inGroup(p.person_id!)).map((p) => p.person_id!));
      return spells().filter((s) => group.has(s.person_id!)).length / group.size;
    };
    expect(rateOf(deprived) / rateOf((id) => !deprived(id))).toBeGreaterThan(1.3);
    expect(rateOf((id) => depressed.has(id)) / rateOf((id) => !depressed.has(id))).toBeGreaterThan(2);
  });

  it('are mostly self-poisoning (X60-X64), with a poisoning or injury diagnosis, and come through A&E', () => {
    const list = spells();
    expect(list.filter((s) => /^X6[0-4]/.test(s.external_cause!)).length / list.length).toBeGreaterThan(0.6);
    expect(list.every((s) => /^[ST]/.test(s.primary_diagnosis!))).toBe(true);
    const aeDays = new Set(sink.objects('ae_attendance').filter((a) => a.disposal === 'admitted').map((a) => `${a.person_id}/${a.arrival_time!.slice(0, 10)}`));
    expect(list.filter((s) => aeDays.has(`${s.person_id}/${s.admission_date}`)).length / list.length).toBeGreaterThan(0.8);
  });

  it('never overlap another stay, or a GP, outpatient, community or mental health contact, and end before death', () => {
    const deaths = new Map(sink.objects('death').map((d) => [d.person_id!, day(d.date_of_death!)]));
    const mine = new Set(spells().map((s) => s.person_id!));
    const stays = new Map<string, Row[]>();
    for (const s of sink.objects('hospital_spell')) if (mine.has(s.person_id!)) stays.set(s.person_id!, [...(stays.get(s.person_id!) ?? []), s]);
    const problems: string[] = [];
    for (const s of spells()) {
      const [from, to] = [day(s.admission_date!), day(s.discharge_date!)];
      if (to >= (deaths.get(s.person_id!) ?? Number.POSITIVE_INFINITY)) problems.push(`after death ${JSON.stringify(s)}`);
      for (const o of stays.get(s.person_id!)!) if (o !== s && day(o.admission_date!) <= to && day(o.discharge_date!) >= from) problems.push(`overlap ${JSON.stringify([s, o])}`);
    }
    const selfHarmOf = new Map<string, Row[]>();
    for (const s of spells()) selfHarmOf.set(s.person_id!, [...(selfHarmOf.get(s.person_id!) ?? []), s]);
    for (const [table, column] of [['gp_appointment', 'appointment_date'], ['outpatient_appointment', 'appointment_date'], ['community_contact', 'contact_date'], ['mental_health_contact', 'contact_date']] as const) {
      for (const r of sink.objects(table)) {
        const d = day(r[column]!);
        if (selfHarmOf.get(r.person_id!)?.some((s) => d >= day(s.admission_date!) && d <= day(s.discharge_date!))) problems.push(`${table} ${JSON.stringify(r)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});

describe('external causes of other admissions', () => {
  it('gives fractures and falls of older people a fall (W00-W19), and nothing else a cause but poisonings and the terminal spells of external deaths', () => {
    const spells = sink.objects('hospital_spell');
    const hips = spells.filter((s) => s.primary_diagnosis === 'S720' && s.discharge_destination !== 'died');
    expect(hips.length).toBeGreaterThan(50);
    expect(hips.every((s) => starts(s.external_cause, FALL_CAUSES))).toBe(true);
    const withCause = spells.filter((s) => s.external_cause !== '');
    expect(withCause.every((s) => /^[STR]/.test(s.primary_diagnosis!))).toBe(true);
    expect(spells.filter((s) => s.admission_method !== 'emergency' && s.external_cause !== '')).toEqual([]);
  });
});
