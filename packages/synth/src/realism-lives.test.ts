/**
 * Lives that start before the window, and deaths coherent with them (issue 15), checked on a generated
 * population of about 60,000 people (30,000 until conditions came to raise each other's risk: the
 * redrawn registers put dementia's ratio below at 1.18 on 30,000, 0.98 on 60,000, and 0.94-0.95 on
 * 30,000 of seeds `calibration` and `other`; with about 230 people on the dementia register at 30,000
 * the ratio's sampling error is about 8%, so its ±15% was under 2 standard errors): registers hold their prevalence from the first year, no cause of
 * death belongs to the other sex, deaths from long illnesses mostly follow their diagnosis, deaths a
 * year stay level, and about a fifth of deaths are in care homes. Each check failed on the generator
 * before (figures in docs/synthetic-data.md, "Lives before the window and coherence of deaths").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONDITION_KEYS, CONDITIONS, dayFromIso, type ConditionKey } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from './generate.js';
import { AGE_BAND_LOWER, CANCER_INCIDENCE } from './parameters.js';
import { sexOfCode } from './person-model/sex-codes.js';

interface Death { sex: string; day: number; cause: string; place: string; dob: number }

let sex: Map<string, string>;
let dob: Map<string, number>;
let deaths: Map<string, Death>;
/** First diagnosis day of each condition, by person. */
let diagnosed: Map<ConditionKey, Map<string, number>>;

beforeAll(async () => {
  const geography = await loadGeography();
  const rows = generateInMemory(geography, 'realism-lives', 60_000);
  sex = new Map();
  dob = new Map();
  for (const p of rows.objects('person')) {
    sex.set(p.person_id!, p.sex!);
    dob.set(p.person_id!, dayFromIso(p.date_of_birth!));
  }
  deaths = new Map(rows.objects('death').map((d) => [d.person_id!, {
    sex: sex.get(d.person_id!)!, day: dayFromIso(d.date_of_death!), cause: d.underlying_cause!, place: d.place_of_death!, dob: dob.get(d.person_id!)!,
  }]));
  const conditionOf = new Map<string, ConditionKey>();
  for (const k of CONDITION_KEYS) for (const c of CONDITIONS[k].codes) conditionOf.set(c.code, k);
  diagnosed = new Map(CONDITION_KEYS.map((k) => [k, new Map<string, number>()]));
  for (const e of rows.objects('clinical_event')) {
    const k = conditionOf.get(e.snomed_code!);
    if (!k) continue;
    const byPerson = diagnosed.get(k)!;
    const day = dayFromIso(e.event_date!);
    if (!(byPerson.get(e.person_id!)! <= day)) byPerson.set(e.person_id!, day);
  }
}, 240_000);

/** Share of people alive on the day who are on the condition's register by then. */
const prevalenceOn = (k: ConditionKey, day: number): { share: number; cases: number } => {
  let alive = 0;
  let cases = 0;
  const dx = diagnosed.get(k)!;
  for (const [id, born] of dob) {
    if (born > day || (deaths.get(id)?.day ?? Infinity) <= day) continue;
    alive++;
    if (dx.get(id)! <= day) cases++;
  }
  return { share: cases / alive, cases };
};

describe('lives that start before the window', () => {
  it('keeps every register’s prevalence from the first year of the window to the last (within a small ratio)', () => {
    // Before: dementia 2.05x, depression 1.95x, cancer 1.8x, heart failure 2.0x between 31 March 2022 and 2026.
    const first = dayFromIso('2022-03-31');
    const last = dayFromIso('2026-03-31');
    const ratios: Record<string, number> = {};
    for (const k of CONDITION_KEYS) {
      const a = prevalenceOn(k, first);
      if (a.cases < 80) continue;
      ratios[k] = prevalenceOn(k, last).share / a.share;
    }
    expect(Object.keys(ratios)).toEqual(expect.arrayContaining(['diabetes', 'depression', 'cancer', 'dementia', 'heart_failure', 'copd']));
    for (const [k, r] of Object.entries(ratios)) {
      expect.soft(r, k).toBeGreaterThan(0.85);
      // Recorded autism really does rise fast, as younger generations are diagnosed more (O'Nions et al.,
      // J Child Psychol Psychiatry 2023: recorded incidence rose 787% between 1998 and 2018 in UK primary care).
      // Recorded cancer rises too: QOF's cancer register holds everyone diagnosed since April 2003 and grows
      // about 4% a year (1.17 over four years; about 2.4% in 2014/15 to 3.5% in 2022/23, from memory of the
      // QOF publications, not checked here), as incidence outruns deaths among survivors.
      expect.soft(r, k).toBeLessThan(k === 'autism' ? 1.35 : k === 'cancer' ? 1.25 : 1.15);
    }
  });

  it('gives people alive at the start diagnoses dated before it', () => {
    const start = dayFromIso('2021-04-01');
    for (const k of ['diabetes', 'chd', 'dementia', 'cancer'] as const) {
      const days = [...diagnosed.get(k)!.values()];
      const before = days.filter((d) => d < start).length / days.length;
      expect.soft(before, k).toBeGreaterThan(0.4);
    }
  });

  it('keeps deaths a year level through the window', () => {
    // Before: 776, 859, 893, 993, 1,039 a year on 100,000 people (the last two years 24% above the first two).
    const byYear = [0, 0, 0, 0, 0];
    for (const d of deaths.values()) {
      const y = Math.floor((d.day - dayFromIso('2021-04-01')) / 365.25);
      if (y >= 0 && y < 5) byYear[y]!++;
    }
    const ratio = (byYear[3]! + byYear[4]!) / (byYear[0]! + byYear[1]!);
    expect(ratio).toBeGreaterThan(0.88);
    expect(ratio).toBeLessThan(1.14);
    const mean = byYear.reduce((a, b) => a + b, 0) / 5;
    // Each year within 18% of the mean (about 540 deaths a year here: a Poisson spread of 4%).
    for (const n of byYear) expect.soft(Math.abs(n / mean - 1)).toBeLessThan(0.18);
  });
});

describe('coherence of deaths', () => {
  it('never gives a cause of death of the other sex’s organs, and breast cancer deaths are almost all women’s', () => {
    let breastMen = 0;
    let breast = 0;
    for (const d of deaths.values()) {
      const s = sexOfCode(d.cause);
      if (s) expect.soft(`${d.cause} ${d.sex}`).toBe(`${d.cause} ${s}`);
      if (d.cause.startsWith('C50')) {
        breast++;
        if (d.sex === 'M') breastMen++;
      }
    }
    expect(breast).toBeGreaterThan(20);
    expect(breastMen / breast).toBeLessThan(0.05);
    const prostate = [...deaths.values()].filter((d) => d.cause.startsWith('C61'));
    expect(prostate.length).toBeGreaterThan(20);
  });

  it('mostly follows a death from cancer, dementia, COPD or heart failure with its diagnosis in the GP record', () => {
    // Before: 24% of cancer deaths, 48% of dementia deaths, 53% of COPD and 36% of heart failure deaths.
    const groups: [ConditionKey, (cause: string) => boolean, number, number][] = [
      ['cancer', (c) => c.startsWith('C'), 0.85, 0.99],
      ['dementia', (c) => c.startsWith('F0') || c.startsWith('G30'), 0.65, 0.95],
      ['copd', (c) => c.startsWith('J44'), 0.7, 0.98],
      ['heart_failure', (c) => c.startsWith('I50'), 0.7, 0.98],
    ];
    for (const [k, isCause, floor, ceiling] of groups) {
      const list = [...deaths.entries()].filter(([, d]) => isCause(d.cause));
      const withDiagnosis = list.filter(([id, d]) => diagnosed.get(k)!.get(id)! <= d.day).length;
      expect.soft(list.length, k).toBeGreaterThan(30);
      // Some die undiagnosed (cancers found at death, dementia never diagnosed).
      expect.soft(withDiagnosis / list.length, k).toBeGreaterThan(floor);
      expect.soft(withDiagnosis / list.length, k).toBeLessThan(ceiling);
    }
  });

  it('makes people on the cancer register die faster in the five years after diagnosis than later (issue 15)', () => {
    // Deaths per person-year in the window of people on the cancer register, 1-5 years and 5 or more
    // years after diagnosis. Before the hazard ratio depended on the time since diagnosis: 6.9 and 7.0
    // per 100 person-years (seed calibration); ONS net survival (about 75%, 55% and 50% at one, five and
    // ten years) gives an excess of about 0.08 a year in years 1-5 and 0.02 after.
    const from = dayFromIso('2021-04-01');
    const to = dayFromIso('2026-04-01');
    const py = [0, 0];
    const died = [0, 0];
    for (const [id, dx] of diagnosed.get('cancer')!) {
      const death = deaths.get(id)?.day ?? Infinity;
      const fifth = dx + 5 * 365.25;
      const early = [Math.max(from, dx + 365.25), Math.min(to, death, fifth)] as const;
      const late = [Math.max(from, fifth), Math.min(to, death)] as const;
      if (early[1] > early[0]) py[0]! += (early[1] - early[0]) / 365.25;
      if (late[1] > late[0]) py[1]! += (late[1] - late[0]) / 365.25;
      if (death >= from && death < to) {
        if (death >= dx + 365.25 && death < fifth) died[0]!++;
        else if (death >= fifth) died[1]!++;
      }
    }
    expect(died[0]).toBeGreaterThan(40);
    expect(died[1]).toBeGreaterThan(40);
    expect(died[0]! / py[0]! / (died[1]! / py[1]!)).toBeGreaterThan(1.5);
  });

  // Issue 15's leftovers: about 3 first cancer diagnoses a year per 1,000 against England's 6, men 65-74
  // 8.8 and women 5.4 per 1,000 (seed calibration) against 15.5 and 10.8 (England's first cancers): five
  // of these bands failed (0.47-0.77 of England's at 45-84 on 300,000 people; 85+ passed, at 1.00-1.39).
  it.each<[string, number, number]>([['F', 45, 65], ['F', 65, 75], ['F', 75, 85], ['M', 45, 65], ['M', 65, 75], ['M', 75, 85], ['F', 85, 200], ['M', 85, 200]])(
    'diagnoses cancer at England\'s rates by age and sex (%s %d-%d, first cancers)',
    (s, from, to) => {
      const start = dayFromIso('2021-04-01');
      const end = dayFromIso('2026-04-01');
      let observed = 0;
      for (const [id, day] of diagnosed.get('cancer')!) {
        const age = (day - dob.get(id)!) / 365.25;
        if (day >= start && day < end && sex.get(id) === s && age >= from && age < to) observed++;
      }
      let expected = 0;
      for (const [id, born] of dob) {
        if (sex.get(id) !== s) continue;
        const death = deaths.get(id)?.day ?? Infinity;
        for (let b = 0; b < AGE_BAND_LOWER.length; b++) {
          const lo = Math.max(from, AGE_BAND_LOWER[b]!);
          const hi = Math.min(to, AGE_BAND_LOWER[b + 1] ?? Infinity);
          if (hi <= lo) continue;
          const a = Math.max(start, born + lo * 365.25);
          const z = Math.min(end, death, born + hi * 365.25);
          if (z > a) expected += ((z - a) / 365.25) * CANCER_INCIDENCE.byBand[s as 'F' | 'M'][b]! * CANCER_INCIDENCE.firstShare;
        }
      }
      expect(expected).toBeGreaterThan(40);
      // Up to half as many again at 85+: cancers found late, with the death (docs/synthetic-data.md).
      expect(observed / expected).toBeGreaterThan(0.75);
      expect(observed / expected).toBeLessThan(from >= 85 ? 1.6 : 1.35);
    },
  );

  it('has about a fifth of deaths in care homes', () => {
    // Before: about 4%. England 2022: 20.5% (OHID palliative and end of life care profiles).
    const share = [...deaths.values()].filter((d) => d.place === 'care_home').length / deaths.size;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.27);
  });
});

describe('breadth: the 27 registers (issue 15)', () => {
  it('puts people on every register', () => {
    for (const k of CONDITION_KEYS) expect.soft(diagnosed.get(k)!.size, k).toBeGreaterThan(k === 'palliative_care' ? 50 : 20);
  });

  it('never holds someone with diabetes on the non-diabetic hyperglycaemia register (QOF NDH excludes them)', () => {
    const ndh = diagnosed.get('non_diabetic_hyperglycaemia')!;
    expect(ndh.size).toBeGreaterThan(500);
    const both = [...ndh.keys()].filter((id) => diagnosed.get('diabetes')!.has(id));
    expect(both).toEqual([]);
  });

  it('puts about a quarter of people who die on the palliative care register before death, half of those dying of cancer, and no one else', () => {
    // Before: no end-of-life record at all.
    const pc = diagnosed.get('palliative_care')!;
    for (const [id, day] of pc) {
      const d = deaths.get(id);
      expect.soft(d !== undefined && day < d.day, `${id} on the register ${day}, died ${d?.day}`).toBe(true);
      if (d) expect.soft(/^[V-Y]/.test(d.cause), `${id} died of ${d.cause}`).toBe(false);
    }
    const on = (causes: Death[], ids: string[]) => ids.filter((id) => pc.get(id)! < deaths.get(id)!.day).length / causes.length;
    const all = [...deaths.keys()];
    const cancer = all.filter((id) => deaths.get(id)!.cause.startsWith('C'));
    const share = on([...deaths.values()], all);
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.35);
    expect(on(cancer.map((id) => deaths.get(id)!), cancer)).toBeGreaterThan(0.4);
  });

  it('has more of the over-65s on 3 or more long-term condition registers than the 15 registers gave', () => {
    // 15 registers: 18.5% (31 March 2022); Kirklees' plan: nearly 40% with its wider count.
    const day = dayFromIso('2023-03-31');
    let older = 0;
    let three = 0;
    for (const [id, born] of dob) {
      if ((day - born) / 365.25 < 65 || (deaths.get(id)?.day ?? Infinity) <= day) continue;
      older++;
      const count = CONDITION_KEYS.filter((k) => CONDITIONS[k].longTerm && diagnosed.get(k)!.get(id)! <= day).length;
      if (count >= 3) three++;
    }
    expect(three / older).toBeGreaterThan(0.23);
    expect(three / older).toBeLessThan(0.4);
  });
});
