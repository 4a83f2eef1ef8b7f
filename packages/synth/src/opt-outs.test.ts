/**
 * Opt-outs in the synthetic partnership (80,000 people): national data opt-outs about 5-6% and type 1
 * opt-outs 2-3% of the people registered at the end of the window, higher in adults than children,
 * higher in women, varying between practices more than chance, and drawn from their own stream.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dayFromIso, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from './generate.js';
import { OPT_OUTS } from './parameters.js';
import { nationalOptOutRate, optOutStream, practiceOptOutFactor } from './person-model/opt-outs.js';

const END = dayFromIso('2026-04-01');
const YEAR = 365.25;

interface P { id: string; sex: string; age: number; practice: string; national: boolean; type1: boolean }
let geography: Geography;
let people: P[];
let type1Dates: string[];
let nationalDates: string[];

beforeAll(async () => {
  geography = await loadGeography();
  const rows = generateInMemory(geography, 'opt-outs', 80_000);
  const optOuts = rows.objects('opt_out');
  const national = new Set(optOuts.filter((o) => o.kind === 'national').map((o) => o.person_id));
  const type1 = new Set(optOuts.filter((o) => o.kind === 'type-1').map((o) => o.person_id));
  type1Dates = optOuts.filter((o) => o.kind === 'type-1').map((o) => o.recorded_date!);
  nationalDates = optOuts.filter((o) => o.kind === 'national').map((o) => o.recorded_date!);
  people = rows.objects('person').map((r) => ({
    id: r.person_id!,
    sex: r.sex!,
    age: Math.floor((END - 1 - dayFromIso(r.date_of_birth!)) / YEAR),
    practice: r.practice_code!,
    national: national.has(r.person_id!),
    type1: type1.has(r.person_id!),
  }));
  // Every opt-out belongs to a person, at most one row per person and kind.
  expect(optOuts.every((o) => national.has(o.person_id!) || type1.has(o.person_id!))).toBe(true);
  expect(national.size + type1.size).toBe(optOuts.length);
});

const share = (xs: readonly P[], f: (p: P) => boolean) => xs.filter(f).length / xs.length;

describe('opt-out rates', () => {
  it('national data opt-outs: about 5-6% (England 5.4%), type 1: 2-3%', () => {
    const national = share(people, (p) => p.national);
    const type1 = share(people, (p) => p.type1);
    console.log(`national ${(100 * national).toFixed(2)}%, type 1 ${(100 * type1).toFixed(2)}%, either ${(100 * share(people, (p) => p.national || p.type1)).toFixed(2)}% of ${people.length}`);
    expect(national).toBeGreaterThan(0.045);
    expect(national).toBeLessThan(0.06);
    expect(type1).toBeGreaterThan(0.02);
    expect(type1).toBeLessThan(0.03);
  });

  it('vary by age as the national statistics do: lowest in children, highest at 30-39', () => {
    const band = (lo: number, hi: number) => share(people.filter((p) => p.age >= lo && p.age <= hi), (p) => p.national);
    const [children, thirties, eighties] = [band(0, 9), band(30, 39), band(80, 89)];
    console.log(`national by age: 0-9 ${(100 * children).toFixed(1)}%, 30-39 ${(100 * thirties).toFixed(1)}%, 80-89 ${(100 * eighties).toFixed(1)}%`);
    expect(thirties).toBeGreaterThan(3 * children);
    expect(thirties).toBeGreaterThan(eighties);
  });

  it('are higher in women than men (0.8×)', () => {
    const women = share(people.filter((p) => p.sex === 'F'), (p) => p.national);
    const men = share(people.filter((p) => p.sex === 'M'), (p) => p.national);
    expect(men / women).toBeGreaterThan(0.7);
    expect(men / women).toBeLessThan(0.9);
  });

  it('vary between practices more than chance would (the practice factor)', () => {
    const byPractice = new Map<string, P[]>();
    for (const p of people) (byPractice.get(p.practice) ?? byPractice.set(p.practice, []).get(p.practice)!).push(p);
    const large = [...byPractice.values()].filter((ps) => ps.length >= 300);
    expect(large.length).toBeGreaterThan(50);
    const overall = share(people, (p) => p.national);
    // Dispersion: the sum of squared z-scores is about the number of practices under chance alone.
    const chi2 = large.reduce((sum, ps) => {
      const expected = overall * ps.length;
      const observed = ps.filter((p) => p.national).length;
      return sum + (observed - expected) ** 2 / (expected * (1 - overall));
    }, 0);
    expect(chi2 / large.length).toBeGreaterThan(2);
  });

  it('half of type 1 opt-outs also hold a national one', () => {
    const type1 = people.filter((p) => p.type1);
    const both = share(type1, (p) => p.national);
    expect(both).toBeGreaterThan(0.4);
    expect(both).toBeLessThan(0.6);
  });

  it('date type 1 opt-outs from the GP code (since 2014, a peak in 2021) and leave national ones undated', () => {
    expect(nationalDates.every((d) => d === '')).toBe(true);
    expect(type1Dates.every((d) => d >= OPT_OUTS.type1Since && d < '2026-04-01')).toBe(true);
    const gpdpr = type1Dates.filter((d) => d >= OPT_OUTS.type1Gpdpr.from && d < OPT_OUTS.type1Gpdpr.to).length / type1Dates.length;
    expect(gpdpr).toBeGreaterThan(0.3);
  });
});

describe('the opt-out draws', () => {
  it('use rates from the parameters: women as published, men 0.8×, the last band for the oldest', () => {
    expect(nationalOptOutRate(35, false)).toBe(0.0806);
    expect(nationalOptOutRate(35, true)).toBeCloseTo(0.0806 * 0.8, 10);
    expect(nationalOptOutRate(104, false)).toBe(0.035);
  });

  it('come from streams of their own, fixed by the seed (through its id key), the LSOA and the practice', () => {
    expect(optOutStream(7, 'E01011229').next()).toBe(optOutStream(7, 'E01011229').next());
    expect(optOutStream(7, 'E01011229').next()).not.toBe(optOutStream(8, 'E01011229').next());
    expect(practiceOptOutFactor(7, 'B86001')).toBe(practiceOptOutFactor(7, 'B86001'));
    expect(practiceOptOutFactor(7, 'B86001')).not.toBe(practiceOptOutFactor(7, 'B86002'));
  });

  it('are the same for the same seed', () => {
    const a = generateInMemory(geography, 'opt-outs-stable', 3_000);
    const b = generateInMemory(geography, 'opt-outs-stable', 3_000);
    expect(a.rows.opt_out).toEqual(b.rows.opt_out);
    expect(a.rows.person).toEqual(b.rows.person);
  });
});
