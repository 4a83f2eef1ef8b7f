/**
 * The person model: simulates one person's life through the window and writes their linked
 * records (GP, hospital, community, mental health, social care, births and deaths) to a RowSink.
 * Every random draw comes from the LSOA's own stream, so output depends only on the seed.
 * Parameters live in parameters.ts and are explained in docs/synthetic-data.md.
 */
import {
  CODED_FRAILTY_DEFICITS,
  CONDITIONS,
  CONDITION_KEYS,
  ETHNIC_CATEGORIES,
  MEDICINES,
  OBSERVATION_CODES,
  formatDay,
  formatTimestamp,
  mix32,
  type ConditionKey,
  type DayNumber,
  type EthnicCategory,
  type Random,
} from '@openphm/core';
import { BAND_CUMULATIVE, BROAD_BANDS, femaleShare } from './ages.js';
import { ETHNIC_CODES, type GeneratorArea } from './areas.js';
import {
  AE,
  BMI,
  CARERS,
  CARE_HOMES,
  CONDITION_PARAMETERS,
  EVENT_RATES,
  FERTILITY,
  FRAILTY,
  LENGTH_OF_STAY,
  MENTAL_HEALTH,
  MORTALITY,
  SMOKING,
  ageBandIndex,
  type EventRateParameters,
} from './parameters.js';
import type { RowSink } from './sink.js';

const YEAR = 365.25;
const NONE = Number.POSITIVE_INFINITY;

export interface Window {
  readonly start: DayNumber;
  /** First day after the window. */
  readonly end: DayNumber;
  /** yearStarts[y] is the first day of year y; yearStarts[years] = end. */
  readonly yearStarts: readonly DayNumber[];
}

export interface AreaContext {
  readonly area: GeneratorArea;
  readonly window: Window;
  readonly rng: Random;
  readonly sink: RowSink;
  /** Mixed into person ids so different seeds give different ids. */
  readonly idKey: number;
}

export interface AreaSummary {
  readonly people: number;
  readonly births: number;
  readonly deaths: number;
}

type Smoking = 0 | 1 | 2; // never, ex, current
const SMOKING_CODE = [OBSERVATION_CODES.neverSmoked.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.currentSmoker.code];

const NC = CONDITION_KEYS.length;
const CI = Object.fromEntries(CONDITION_KEYS.map((k, i) => [k, i])) as Record<ConditionKey, number>;
const CONDITION_PARAMS = CONDITION_KEYS.map((k) => CONDITION_PARAMETERS[k]);
const CONDITION_CODE = CONDITION_KEYS.map((k) => CONDITIONS[k].codes[0]!.code);
const CONDITION_CODE_ALT = CONDITION_KEYS.map((k) => CONDITIONS[k].codes.map((c) => c.code));

/** Average smoking and obesity mix used to keep condition ratios mean-preserving. */
const SMOKING_MIX = { current: 0.16, ex: 0.25 };
const OBESE_MIX = 0.27;

const depFactor = (ratio: number, d: number): number => Math.pow(ratio, d - 0.5);
const latentFactor = (loading: number, z: number): number => Math.exp(loading * z - (loading * loading) / 2);
const sexFactor = (maleRatio: number, male: boolean): number => (male ? (2 * maleRatio) / (1 + maleRatio) : 2 / (1 + maleRatio));

/** Share of end-of-window prevalence already diagnosed when mortality is assessed (the rest are diagnosed during the window). */
const PREVALENT_AT_START = 0.8;
/** Expected product of condition mortality hazard ratios at each prevalence band and sex: keeps mortality calibrated. */
const CONDITION_MORTALITY_NORM: readonly (readonly [number, number])[] = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => {
  const norm = (male: boolean): number =>
    CONDITION_PARAMS.reduce((acc, p) => acc * (1 + Math.min(0.9, PREVALENT_AT_START * p.prevalence[b]! * sexFactor(p.maleRatio, male)) * (p.mortalityRatio - 1)), 1);
  return [norm(false), norm(true)] as const;
});
const SMOKING_MORTALITY_NORM = 1 + SMOKING_MIX.current * (MORTALITY.smokingRatio.current - 1) + SMOKING_MIX.ex * (MORTALITY.smokingRatio.ex - 1);
const SUICIDE_NORM = (1 + 0.13 * (MORTALITY.suicide.depression - 1)) * (1 + 0.01 * (MORTALITY.suicide.smi - 1));

const b = (k: keyof typeof MEDICINES): string => MEDICINES[k].code;
/** Regular medicines for a condition and the share of people on the register who take them. */
const CONDITION_MEDICINES: Partial<Record<ConditionKey, readonly (readonly [string, number])[]>> = {
  hypertension: [[b('antihypertensive'), 0.8], [b('diuretic'), 0.25]],
  diabetes: [[b('antidiabetic'), 0.85], [b('lipidRegulating'), 0.7]],
  asthma: [[b('inhaledCorticosteroid'), 0.75], [b('bronchodilator'), 0.85]],
  copd: [[b('bronchodilator'), 0.95], [b('inhaledCorticosteroid'), 0.55]],
  chd: [[b('antiplatelet'), 0.8], [b('lipidRegulating'), 0.85], [b('betaBlocker'), 0.6]],
  atrial_fibrillation: [[b('anticoagulant'), 0.85], [b('betaBlocker'), 0.6]],
  stroke: [[b('antiplatelet'), 0.7], [b('lipidRegulating'), 0.75]],
  heart_failure: [[b('antihypertensive'), 0.85], [b('diuretic'), 0.8], [b('betaBlocker'), 0.75]],
  ckd: [[b('antihypertensive'), 0.5]],
  dementia: [[b('dementiaDrug'), 0.5]],
  depression: [[b('antidepressant'), 0.6]],
  smi: [[b('antipsychotic'), 0.8]],
};

/** ICD-10 codes (no dot) for admissions and deaths linked to a condition. */
const CONDITION_ICD: Partial<Record<ConditionKey, readonly string[]>> = {
  hypertension: ['I10X'],
  diabetes: ['E119', 'E109'],
  asthma: ['J459'],
  copd: ['J440', 'J449'],
  chd: ['I214', 'I251', 'I209'],
  atrial_fibrillation: ['I489'],
  stroke: ['I639', 'I64X', 'G459'],
  heart_failure: ['I500', 'I509'],
  ckd: ['N189', 'N179'],
  cancer: ['C349', 'C189', 'C509', 'C61X', 'C259', 'C859'],
  dementia: ['F03X', 'G309'],
  depression: ['F329'],
  smi: ['F209', 'F319'],
  learning_disability: ['J690', 'G409'],
  autism: ['F849'],
};
const DEATH_ICD: Partial<Record<ConditionKey, readonly string[]>> = {
  ...CONDITION_ICD,
  hypertension: ['I119', 'I10X'],
  cancer: ['C349', 'C189', 'C509', 'C61X', 'C259', 'C859', 'C169', 'C679'],
  depression: ['F102', 'K703'],
  smi: ['F209', 'I219'],
  asthma: ['J459', 'J189'],
};
/** Other causes of death by age (not linked to a recorded condition). */
const OTHER_DEATH_CAUSES: readonly { readonly minAge: number; readonly codes: readonly string[] }[] = [
  { minAge: 85, codes: ['J189', 'R54X', 'I219', 'F03X', 'I64X', 'C349', 'C189', 'N390', 'J440', 'I500', 'C61X', 'G309'] },
  { minAge: 65, codes: ['C349', 'C349', 'C189', 'C509', 'C259', 'C61X', 'I219', 'I219', 'I251', 'I64X', 'I509', 'I710', 'J189', 'J440', 'K703', 'G309', 'G122', 'N390'] },
  { minAge: 35, codes: ['C349', 'C349', 'C509', 'C509', 'C189', 'C259', 'C719', 'I219', 'I219', 'K703', 'K703', 'X42', 'I64X', 'V892', 'G409'] },
  { minAge: 1, codes: ['V892', 'X42', 'C719', 'C910', 'G409', 'W19', 'Q249', 'V892'] },
  { minAge: 0, codes: ['P072', 'Q249', 'P369', 'R95X'] },
];
/** Weight of a condition as the underlying cause of death, relative to all other causes (1). */
const CAUSE_WEIGHT: Partial<Record<ConditionKey, number>> = {
  hypertension: 0.1, diabetes: 0.1, asthma: 0.05, copd: 0.8, chd: 0.9, atrial_fibrillation: 0.25, stroke: 0.8,
  heart_failure: 0.9, ckd: 0.1, cancer: 1.4, dementia: 1.6, depression: 0.05, smi: 0.2, learning_disability: 0.5, autism: 0.05,
};
const SUICIDE_ICD = ['X70', 'X70', 'X70', 'X61', 'X64', 'X80', 'X78', 'Y20'];
const EMERGENCY_OTHER: readonly { readonly minAge: number; readonly codes: readonly string[] }[] = [
  { minAge: 75, codes: ['S720', 'J189', 'N390', 'R296', 'R55X', 'R074', 'L039', 'E86X'] },
  { minAge: 16, codes: ['R074', 'R104', 'N390', 'J189', 'K358', 'S525', 'R51X', 'T424', 'L039'] },
  { minAge: 0, codes: ['J069', 'R509', 'A099', 'J211', 'S099', 'K358', 'R104'] },
];
const ELECTIVE_DIAGNOSES: readonly { readonly minAge: number; readonly codes: readonly string[] }[] = [
  { minAge: 60, codes: ['H251', 'M179', 'M169', 'N40X', 'K409', 'D122', 'H269', 'K802'] },
  { minAge: 16, codes: ['K802', 'K409', 'M179', 'D259', 'K210', 'M511', 'N201', 'D122'] },
  { minAge: 0, codes: ['J350', 'K409', 'H660', 'Q531', 'K358'] },
];
const OUTPATIENT_BY_CONDITION: Partial<Record<ConditionKey, string>> = {
  cancer: '370', chd: '320', atrial_fibrillation: '320', heart_failure: '320', copd: '340', asthma: '340',
  diabetes: '307', ckd: '361', stroke: '328', dementia: '715',
};
const OUTPATIENT_GENERIC = ['110', '130', '100', '300', '330', '101', '120', '301'];

const pickFrom = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
const byAge = <T extends { readonly minAge: number }>(rows: readonly T[], age: number): T => rows.find((r) => age >= r.minAge) ?? rows[rows.length - 1]!;

interface Person {
  readonly id: number;
  readonly male: boolean;
  readonly dob: DayNumber;
  readonly ethnic: EthnicCategory;
  readonly group: string;
  readonly z: number;
  smoking: Smoking;
  bmi: number;
  readonly practice: string;
  /** Diagnosis day for each condition in CONDITION_KEYS order (NONE = never). */
  readonly onset: number[];
  /** Undiagnosed chronic respiratory disease (for case-finding cohorts). */
  undiagnosedRespiratory: boolean;
  deathDay: number;
  /** Care home intervals [start, end) with type flags. */
  careHome: { start: number; end: number; permanent: boolean }[];
  /** Days on which coded frailty deficits were first recorded. */
  readonly deficits: number[];
  suicide: boolean;
  diedInHospital: boolean;
  /** Counters for attendance and spell ids (person id * 1000 + n). */
  aeCount: number;
  spellCount: number;
}

const ageAt = (dob: DayNumber, day: DayNumber): number => Math.floor((day - dob) / YEAR);

export class PersonModel {
  private next = 0;
  private births = 0;
  private deaths = 0;
  private readonly ethnicGroupCache = new Map<EthnicCategory, string>();

  constructor(private readonly ctx: AreaContext) {}

  /** Generates every person of the area and their records. */
  run(): AreaSummary {
    const { area, rng } = this.ctx;
    for (let band = 0; band < 3; band++) {
      const expected = area.expected[band]!;
      const n = Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0);
      const [lo] = BROAD_BANDS[band]!;
      for (let i = 0; i < n; i++) {
        const age = lo + rng.pickCumulative(BAND_CUMULATIVE[band]!);
        const dob = this.ctx.window.start - Math.floor((age + rng.next()) * YEAR) - 1;
        const ethnic = ETHNIC_CODES[rng.pickCumulative(area.ethnicCumulative[band]!)]!;
        this.person(dob, rng.next() < femaleShare(age) ? false : true, ethnic, undefined);
      }
    }
    return { people: this.next, births: this.births, deaths: this.deaths };
  }

  private group(ethnic: EthnicCategory): string {
    let g = this.ethnicGroupCache.get(ethnic);
    if (!g) {
      g = ETHNIC_CATEGORIES[ethnic].group;
      this.ethnicGroupCache.set(ethnic, g);
    }
    return g;
  }

  private person(dob: DayNumber, male: boolean, ethnic: EthnicCategory, mother: { practice: string } | undefined): number {
    const { area, window, rng, sink } = this.ctx;
    const id = mix32(area.index * 131072 + this.next++, this.ctx.idKey);
    const group = this.group(ethnic);
    const ageStart = ageAt(dob, window.start);
    const ageEnd = ageAt(dob, window.end - 1);
    const practice = mother ? mother.practice : area.practiceCodes[rng.pickCumulative(area.practiceCumulative)]!;
    const p: Person = {
      id, male, dob, ethnic, group, z: rng.normal(), smoking: 0, bmi: 0, practice,
      onset: new Array<number>(NC).fill(NONE), undiagnosedRespiratory: false, deathDay: NONE, careHome: [], deficits: [],
      suicide: false, diedInHospital: false, aeCount: 0, spellCount: 0,
    };

    this.riskFactors(p, ageStart, ageEnd);
    this.conditions(p, ageEnd);
    this.mortality(p);
    const aliveStart = Math.max(window.start, dob);
    const aliveEnd = Math.min(window.end, p.deathDay);
    for (let c = 0; c < NC; c++) if (p.onset[c]! >= p.deathDay) p.onset[c] = NONE;

    // Registration: the current registration started at birth or some years before the window.
    const registration = mother ? dob + rng.int(10, 42) : Math.max(dob, window.start - Math.floor(rng.exponential(9) * YEAR) - 1);
    const carerP = ageStart >= 16 ? CARERS.byBand[ageBandIndex(ageStart)]! * sexFactor(1 / CARERS.femaleRatio, male) : 0;
    const isCarer = rng.next() < carerP;
    sink.row('person', `${id},${male ? 'M' : 'F'},${formatDay(dob)},${ethnic},${area.lsoa.code},${practice},${formatDay(registration)},${isCarer}`);
    if (isCarer) sink.row('clinical_event', `${id},${formatDay(window.start - rng.int(0, 1500))},${OBSERVATION_CODES.carer.code},`);

    this.careHomes(p, ageStart, aliveStart, aliveEnd);
    this.clinicalRecords(p, ageStart, aliveStart, aliveEnd);
    const pendingBirths = this.activity(p, aliveStart, aliveEnd);
    this.death(p);
    for (const birth of pendingBirths) this.baby(p, birth);
    return id;
  }

  private riskFactors(p: Person, ageStart: number, ageEnd: number): void {
    const { rng, area } = this.ctx;
    const d = area.d;
    // Smoking status at the start of the window (adults), then BMI (a fixed personal value).
    if (ageStart >= 16) {
      const band = ageBandIndex(ageStart);
      const eth = SMOKING.ethnicRatio[p.group] ?? 1;
      const current = Math.min(0.8, SMOKING.currentByBand[band]! * depFactor(SMOKING.depRatio, d) * sexFactor(SMOKING.maleRatio, p.male) * eth * latentFactor(0.3, p.z));
      const u = rng.next();
      if (u < current) p.smoking = 2;
      else if (rng.next() < SMOKING.exGivenNotCurrentByBand[band]! * sexFactor(1.2, p.male)) p.smoking = 1;
    } else {
      rng.next();
    }
    if (ageEnd >= 18) {
      const band = ageBandIndex(Math.max(18, ageStart));
      const median = BMI.medianByBand[band]! + BMI.depShift * (2 * d - 1) + (BMI.ethnicShift[p.group] ?? 0);
      p.bmi = median * Math.exp(BMI.logSd * (0.8 * rng.normal() + 0.6 * p.z * 0.5));
    } else {
      rng.next();
    }
  }

  private conditions(p: Person, ageEnd: number): void {
    const { rng, area, window } = this.ctx;
    const d = area.d;
    const obese = p.bmi >= 30;
    let respiratoryRisk = 0;
    for (let c = 0; c < NC; c++) {
      const par = CONDITION_PARAMS[c]!;
      const u = rng.next();
      if (ageEnd < par.minAge) continue;
      let prob = par.prevalence[ageBandIndex(ageEnd)]! * depFactor(par.depRatio, d) * sexFactor(par.maleRatio, p.male) * latentFactor(par.latentLoading, p.z);
      const eth = par.ethnicRatio?.[p.group as 'Asian'];
      if (eth) prob *= eth;
      if (par.smokingRatio) {
        const norm = 1 + SMOKING_MIX.current * (par.smokingRatio.current - 1) + SMOKING_MIX.ex * (par.smokingRatio.ex - 1);
        prob *= (p.smoking === 2 ? par.smokingRatio.current : p.smoking === 1 ? par.smokingRatio.ex : 1) / norm;
      }
      if (par.obesityRatio) prob *= (obese ? par.obesityRatio : 1) / (1 + OBESE_MIX * (par.obesityRatio - 1));
      prob = Math.min(0.95, prob);
      if (c === CI.copd) respiratoryRisk = prob;
      if (u >= prob) continue;
      // Years since diagnosis: exponential with the condition's mean duration, within the person's lifetime.
      const maxYears = ageEnd - par.minAge + 0.999;
      let years = rng.exponential(par.meanDurationYears);
      if (years > maxYears) years = rng.next() * maxYears;
      p.onset[c] = Math.max(p.dob + Math.ceil(par.minAge * YEAR), window.end - 1 - Math.floor(years * YEAR));
    }
    // Undiagnosed chronic respiratory disease among smokers and ex-smokers over 35 (about 2 in 5 COPD cases are undiagnosed).
    if (p.onset[CI.copd] === NONE && p.smoking > 0 && ageEnd >= 35 && rng.next() < respiratoryRisk * 0.6) p.undiagnosedRespiratory = true;
  }

  private mortality(p: Person): void {
    const { rng, area, window } = this.ctx;
    const sex = p.male ? 'M' : 'F';
    const d = area.d;
    const base = depFactor(MORTALITY.depRatio[sex], d) * latentFactor(MORTALITY.latentLoading, p.z) *
      (p.smoking === 2 ? MORTALITY.smokingRatio.current : p.smoking === 1 ? MORTALITY.smokingRatio.ex : 1) / SMOKING_MORTALITY_NORM;
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const segStart = Math.max(window.yearStarts[y]!, p.dob);
      const segEnd = window.yearStarts[y + 1]!;
      const u = rng.next();
      const v = rng.next();
      if (segEnd <= segStart) continue;
      const age = ageAt(p.dob, segStart);
      let h = age < 1 ? MORTALITY.infant : MORTALITY.makeham + Math.exp(MORTALITY.alpha[sex] + MORTALITY.beta * age) * (age > 85 ? 1 + MORTALITY.oldAge * (age - 85) : 1);
      let hr = 1;
      for (let c = 0; c < NC; c++) if (p.onset[c]! <= segStart) hr *= CONDITION_PARAMS[c]!.mortalityRatio;
      h *= base * hr / CONDITION_MORTALITY_NORM[ageBandIndex(age)]![p.male ? 1 : 0]!;
      let hs = 0;
      if (age >= 10) {
        hs = MORTALITY.suicide[sex] * depFactor(MORTALITY.suicide.depRatio, d) / SUICIDE_NORM;
        if (p.onset[CI.depression]! <= segStart) hs *= MORTALITY.suicide.depression;
        if (p.onset[CI.smi]! <= segStart) hs *= MORTALITY.suicide.smi;
      }
      const t = (segEnd - segStart) / YEAR;
      if (u < 1 - Math.exp(-(h + hs) * t)) {
        p.deathDay = segStart + Math.floor(rng.next() * (segEnd - segStart));
        p.suicide = v < hs / (h + hs);
        return;
      }
    }
  }

  private careHomes(p: Person, ageStart: number, aliveStart: number, aliveEnd: number): void {
    const { rng, window, sink } = this.ctx;
    const bracket = (age: number): '65' | '75' | '85' | undefined => (age >= 85 ? '85' : age >= 75 ? '75' : age >= 65 ? '65' : undefined);
    const dementia = (day: number) => (p.onset[CI.dementia]! <= day ? CARE_HOMES.dementiaRatio : 1);
    const write = (start: number, end: number, permanent: boolean) => {
      const nursing = rng.next() < CARE_HOMES.nursingShare;
      const funded = rng.next() < CARE_HOMES.councilFundedShare;
      p.careHome.push({ start, end, permanent });
      sink.row('care_home_stay', `${p.id},${formatDay(start)},${end >= aliveEnd ? '' : formatDay(end)},${nursing ? 'nursing' : 'residential'},${permanent},${funded}`);
    };
    const k0 = bracket(ageStart);
    if (k0 && rng.next() < CARE_HOMES.residentAtStartByAge[k0] * dementia(window.start) / 1.4) {
      write(window.start - 1 - Math.floor(rng.exponential(2) * YEAR), NONE, true);
      return;
    }
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const segStart = Math.max(window.yearStarts[y]!, aliveStart);
      const segEnd = Math.min(window.yearStarts[y + 1]!, aliveEnd);
      if (segEnd <= segStart) break;
      const k = bracket(ageAt(p.dob, segStart));
      if (!k) continue;
      const t = (segEnd - segStart) / YEAR;
      const depr = depFactor(1.3, this.ctx.area.d);
      if (rng.next() < CARE_HOMES.permanentAdmissionByAge[k] * dementia(segStart) * depr * t / 1.4) {
        write(segStart + Math.floor(rng.next() * (segEnd - segStart)), NONE, true);
        return;
      }
      if (rng.next() < CARE_HOMES.shortStayByAge[k] * t) {
        const start = segStart + Math.floor(rng.next() * (segEnd - segStart));
        write(start, Math.min(start + rng.int(14, 42), aliveEnd), false);
      }
    }
  }

  private inCareHome(p: Person, day: number): boolean {
    for (const s of p.careHome) if (day >= s.start && day < s.end) return true;
    return false;
  }

  private clinicalRecords(p: Person, ageStart: number, aliveStart: number, aliveEnd: number): void {
    const { rng, sink, window } = this.ctx;
    const span = aliveEnd - aliveStart;
    // Diagnoses: the condition's code on its diagnosis date (history before the window included).
    let conditionsAtEnd = 0;
    for (let c = 0; c < NC; c++) {
      if (p.onset[c] === NONE) continue;
      conditionsAtEnd++;
      const codes = CONDITION_CODE_ALT[c]!;
      const code = codes.length > 1 && rng.next() < 0.3 ? codes[1]! : CONDITION_CODE[c]!;
      sink.row('clinical_event', `${p.id},${formatDay(p.onset[c]!)},${code},`);
    }
    if (span <= 0) return;
    const adultAtEnd = ageAt(p.dob, aliveEnd - 1) >= 16;
    // Smoking status records: an earlier record for most adults, then one or two in the window.
    if (ageStart >= 16) {
      let status: Smoking = p.smoking;
      if (rng.next() < 0.7) sink.row('clinical_event', `${p.id},${formatDay(window.start - rng.int(1, 1095))},${SMOKING_CODE[status]},`);
      const n = rng.poisson(SMOKING.recordsPerAdult * (span / (5 * YEAR)) * (p.smoking === 2 ? 1.2 : 1));
      const days: number[] = [];
      for (let i = 0; i < n; i++) days.push(aliveStart + Math.floor(rng.next() * span));
      days.sort((a, c) => a - c);
      const quitDay = status === 2 && rng.next() < 0.18 ? aliveStart + Math.floor(rng.next() * span) : NONE;
      for (const day of days) {
        if (status === 2 && day >= quitDay) status = 1;
        sink.row('clinical_event', `${p.id},${formatDay(day)},${SMOKING_CODE[status]},`);
      }
      p.smoking = status;
    } else if (adultAtEnd) {
      if (rng.next() < 0.6) sink.row('clinical_event', `${p.id},${formatDay(aliveEnd - 1 - rng.int(0, 300))},${SMOKING_CODE[rng.next() < 0.08 ? 2 : 0]},`);
    }
    // BMI: recorded more often for people with long-term conditions.
    if (p.bmi > 0 && rng.next() < Math.min(0.95, BMI.recordedBase + 0.08 * conditionsAtEnd)) {
      const n = 1 + rng.poisson(0.4 + 0.25 * conditionsAtEnd);
      for (let i = 0; i < n; i++) {
        const day = aliveStart + Math.floor(rng.next() * span);
        if (ageAt(p.dob, day) < 18) continue;
        const value = Math.round(p.bmi * Math.exp(0.03 * rng.normal()) * 10) / 10;
        sink.row('clinical_event', `${p.id},${formatDay(day)},${OBSERVATION_CODES.bmi.code},${value}`);
      }
    }
    this.frailtyDeficits(p, ageStart, aliveStart, aliveEnd, conditionsAtEnd);
  }

  private frailtyDeficits(p: Person, ageStart: number, aliveStart: number, aliveEnd: number, conditions: number): void {
    const { rng, sink, area, window } = this.ctx;
    const ageEnd = ageAt(p.dob, aliveEnd - 1);
    if (ageEnd < FRAILTY.minAge) return;
    const k = FRAILTY.agePerYear;
    const mult = depFactor(FRAILTY.depRatio, area.d) * latentFactor(FRAILTY.latentLoading, p.z) * (1 + 0.12 * conditions);
    const cumulative = (age: number) => age <= FRAILTY.minAge ? 0 : (FRAILTY.onsetAt75 * mult * (Math.exp(k * (age - 75)) - Math.exp(k * (FRAILTY.minAge - 75)))) / k;
    const hStart = cumulative(ageStart);
    const hEnd = cumulative(ageEnd + 1);
    const pStart = 1 - Math.exp(-hStart);
    const pBy = 1 - Math.exp(-hEnd);
    for (let i = 0; i < CODED_FRAILTY_DEFICITS.length; i++) {
      const u = rng.next();
      if (u >= pBy) continue;
      let day: number;
      if (u < pStart) day = window.start - 1 - Math.floor(rng.next() * Math.min(6, ageStart - FRAILTY.minAge) * YEAR);
      else day = aliveStart + Math.floor(rng.next() * (aliveEnd - aliveStart));
      p.deficits.push(day);
      sink.row('clinical_event', `${p.id},${formatDay(day)},${CODED_FRAILTY_DEFICITS[i]!.source.codes[0]!.code},`);
    }
  }

  /** Yearly activity in every setting; returns births (mother's delivery days) to create afterwards. */
  private activity(p: Person, aliveStart: number, aliveEnd: number): number[] {
    const { rng, window, area } = this.ctx;
    const births: number[] = [];
    const d = area.d;
    const treated = new Map<string, boolean>();
    const onMed = (code: string, share: number) => {
      let t = treated.get(code);
      if (t === undefined) {
        t = rng.next() < share;
        treated.set(code, t);
      }
      return t;
    };
    let hasService = false;
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const segStart = Math.max(window.yearStarts[y]!, aliveStart);
      const segEnd = Math.min(window.yearStarts[y + 1]!, aliveEnd);
      if (segEnd <= segStart) continue;
      const t = (segEnd - segStart) / YEAR;
      const age = ageAt(p.dob, segStart);
      const band = ageBandIndex(age);
      let ncond = 0;
      const active: number[] = [];
      for (let c = 0; c < NC; c++) if (p.onset[c]! <= segStart) {
        ncond++;
        active.push(c);
      }
      const deficits = p.deficits.filter((day) => day <= segStart).length;
      const rate = (r: EventRateParameters) =>
        r.byBand[band]! * depFactor(r.depRatio, d) * (1 + r.perCondition * (ncond + 0.3 * deficits)) * latentFactor(r.latentLoading, p.z) *
        (r.femaleRatio ? sexFactor(1 / r.femaleRatio, p.male) : 1) * t;
      const day = () => segStart + Math.floor(rng.next() * (segEnd - segStart));

      this.gpAppointments(p, rng.poisson(rate(EVENT_RATES.gpAppointment)), age, day);
      for (let i = rng.poisson(rate(EVENT_RATES.aeAttendance)); i > 0; i--) this.aeAttendance(p, day(), age, false);
      for (let i = rng.poisson(rate(EVENT_RATES.emergencyAdmission)); i > 0; i--) this.emergencyAdmission(p, day(), age, active, aliveEnd, true);
      for (let i = rng.poisson(rate(EVENT_RATES.electiveAdmission)); i > 0; i--) this.electiveAdmission(p, day(), age, active, aliveEnd);
      for (let i = rng.poisson(rate(EVENT_RATES.outpatient)); i > 0; i--) {
        const spec = active.length > 0 && rng.next() < 0.55 ? OUTPATIENT_BY_CONDITION[CONDITION_KEYS[pickFrom(rng, active)]!] : undefined;
        const specialty = spec ?? (age < 16 ? '420' : !p.male && rng.next() < 0.15 ? '502' : pickFrom(rng, OUTPATIENT_GENERIC));
        this.ctx.sink.row('outpatient_appointment', `${p.id},${formatDay(day())},${specialty},${rng.next() >= 0.05 + 0.05 * d}`);
      }
      const community = age < 5 ? 1.0 * t : age < 16 ? 0.02 * t : rate(EVENT_RATES.community);
      for (let i = rng.poisson(community); i > 0; i--) {
        const u = rng.next();
        const service = age < 5 ? 'health-visiting' : age >= 65
          ? (u < 0.45 ? 'district-nursing' : u < 0.6 ? 'physiotherapy' : u < 0.8 ? 'podiatry' : u < 0.9 ? 'rehabilitation' : 'specialist-nursing')
          : (u < 0.4 ? 'physiotherapy' : u < 0.6 ? 'podiatry' : u < 0.85 ? 'specialist-nursing' : 'district-nursing');
        this.ctx.sink.row('community_contact', `${p.id},${formatDay(day())},${service}`);
      }
      this.mentalHealth(p, active, t, day);
      // Adult social care: requests lead to assessments, some to services, services to yearly reviews.
      if (hasService && age >= 18) this.ctx.sink.row('social_care_event', `${p.id},${formatDay(day())},review`);
      for (let i = age >= 18 ? rng.poisson(rate(EVENT_RATES.socialCare)) : 0; i > 0; i--) {
        const start = day();
        this.ctx.sink.row('social_care_event', `${p.id},${formatDay(start)},request`);
        if (rng.next() < 0.75 && start + 28 < aliveEnd) {
          this.ctx.sink.row('social_care_event', `${p.id},${formatDay(start + rng.int(3, 28))},assessment`);
          if (rng.next() < 0.6 && start + 60 < aliveEnd) {
            const u = rng.next();
            const type = u < 0.5 ? 'home-care-start' : u < 0.85 ? 'reablement-start' : 'direct-payment-start';
            this.ctx.sink.row('social_care_event', `${p.id},${formatDay(start + rng.int(29, 60))},${type}`);
            if (type !== 'reablement-start') hasService = true;
          }
        }
      }
      this.medicines(p, active, age, segStart, segEnd, deficits, onMed);
      // Births to women of child-bearing age.
      if (!p.male && age >= 15 && age <= 44) {
        const asfr = FERTILITY.asfrByFiveYear[String(Math.min(40, Math.max(15, Math.floor(age / 5) * 5))) as '15'];
        const eth = p.ethnic === 'J' || p.ethnic === 'K' ? FERTILITY.southAsianRatio : 1;
        if (rng.next() < asfr * eth * depFactor(1.15, d) * t) {
          const birthDay = day();
          if (births.every((b) => Math.abs(b - birthDay) > 300)) births.push(birthDay);
        }
      }
    }
    return births;
  }

  private gpAppointments(p: Person, n: number, age: number, day: () => number): void {
    const { rng, sink } = this.ctx;
    for (let i = 0; i < n; i++) {
      const when = day();
      const u = rng.next();
      const role = u < 0.48 ? 'GP' : u < 0.78 ? 'Nurse' : 'Other';
      const v = rng.next();
      const homebound = age >= 75 && (this.inCareHome(p, when) || p.deficits.length >= 4);
      const mode = homebound && v < 0.3 ? 'home-visit' : v < 0.66 ? 'face-to-face' : v < 0.95 ? 'telephone' : 'online';
      sink.row('gp_appointment', `${p.id},${formatDay(when)},${role},${mode}`);
    }
  }

  private eventId(p: Person, kind: 'ae' | 'spell'): number {
    const n = kind === 'ae' ? p.aeCount++ : p.spellCount++;
    return p.id * 1000 + n;
  }

  private aeAttendance(p: Person, day: number, age: number, admitted: boolean): void {
    const { rng, sink, area } = this.ctx;
    const hour = rng.pickCumulative(AE_HOUR_CUMULATIVE);
    const arrival = hour * 60 + rng.int(0, 59);
    const type = !admitted && rng.next() < AE.type03Share ? '03' : '01';
    // Busier, more deprived and older populations wait a little longer.
    const median = AE.medianMinutes[type] * (admitted ? AE.admittedExtraFactor : 1) * (1 + 0.08 * (area.d - 0.5)) * (age >= 75 ? 1.15 : 1);
    const minutes = Math.max(5, Math.round(median * Math.exp(AE.logSd * rng.normal())));
    const u = rng.next();
    const disposal = admitted ? 'admitted' : u < 0.8 ? 'discharged' : u < 0.95 ? 'referred' : 'left';
    sink.row('ae_attendance', `${this.eventId(p, 'ae')},${p.id},${formatTimestamp(day, arrival)},${formatTimestamp(day, arrival + minutes)},${type},${disposal}`);
  }

  private emergencyAdmission(p: Person, day: number, age: number, active: number[], aliveEnd: number, allowReadmission: boolean): void {
    const { rng, sink } = this.ctx;
    if (day >= aliveEnd) return;
    const band = ageBandIndex(age);
    if (rng.next() < AE.emergencyViaAe) this.aeAttendance(p, day, age, true);
    const los = rng.next() < LENGTH_OF_STAY.emergencyZeroDayShare ? 0 : 1 + Math.floor(rng.exponential(LENGTH_OF_STAY.emergencyMeanDaysByBand[band]! / 0.7));
    let discharge = day + los;
    let destination = this.inCareHome(p, discharge) ? 'care_home' : 'home';
    if (discharge >= p.deathDay) {
      discharge = p.deathDay;
      destination = 'died';
      p.diedInHospital = true;
    } else if (discharge >= aliveEnd) {
      discharge = aliveEnd - 1;
    }
    const diagnosis = active.length > 0 && rng.next() < 0.5
      ? pickFrom(rng, CONDITION_ICD[CONDITION_KEYS[pickFrom(rng, active)]!] ?? byAge(EMERGENCY_OTHER, age).codes)
      : pickFrom(rng, byAge(EMERGENCY_OTHER, age).codes);
    sink.row('hospital_spell', `${this.eventId(p, 'spell')},${p.id},${formatDay(day)},${formatDay(discharge)},emergency,${diagnosis},${destination}`);
    if (allowReadmission && destination !== 'died' && rng.next() < LENGTH_OF_STAY.readmission30ByBand[band]!) {
      this.emergencyAdmission(p, discharge + rng.int(1, 30), age, active, aliveEnd, false);
    }
  }

  private electiveAdmission(p: Person, day: number, age: number, active: number[], aliveEnd: number): void {
    const { rng, sink } = this.ctx;
    const dayCase = rng.next() < LENGTH_OF_STAY.electiveDayCaseShare;
    const discharge = Math.min(aliveEnd - 1, day + (dayCase ? 0 : 1 + Math.floor(rng.exponential(LENGTH_OF_STAY.electiveMeanDays))));
    if (discharge >= p.deathDay || day > discharge) return;
    const diagnosis = active.includes(CI.cancer) && rng.next() < 0.5 ? 'Z511' : pickFrom(rng, byAge(ELECTIVE_DIAGNOSES, age).codes);
    sink.row('hospital_spell', `${this.eventId(p, 'spell')},${p.id},${formatDay(day)},${formatDay(discharge)},elective,${diagnosis},home`);
  }

  private mentalHealth(p: Person, active: number[], t: number, day: () => number): void {
    const { rng, sink } = this.ctx;
    const emit = (mean: number, service: string) => {
      for (let i = rng.poisson(mean * t); i > 0; i--) sink.row('mental_health_contact', `${p.id},${formatDay(day())},${service}`);
    };
    const has = (k: ConditionKey) => active.includes(CI[k]);
    if (has('smi')) {
      emit(MENTAL_HEALTH.smi, 'community-mental-health');
      emit(0.3, 'crisis');
      emit(0.08, 'inpatient');
    }
    if (has('depression')) emit(MENTAL_HEALTH.depression, 'talking-therapies');
    if (has('learning_disability')) emit(MENTAL_HEALTH.learningDisability, 'learning-disability');
    if (has('dementia')) emit(MENTAL_HEALTH.dementia, 'memory-service');
    if (!has('smi') && !has('depression')) emit(MENTAL_HEALTH.other, 'talking-therapies');
  }

  private medicines(p: Person, active: number[], age: number, segStart: number, segEnd: number, deficits: number, onMed: (code: string, share: number) => boolean): void {
    const { rng, sink } = this.ctx;
    const issued = new Set<string>();
    const issue = (code: string, when = segStart + Math.floor(rng.next() * (segEnd - segStart))) => {
      sink.row('medication', `${p.id},${formatDay(when)},${code}`);
      issued.add(code);
    };
    for (const c of active) {
      const meds = CONDITION_MEDICINES[CONDITION_KEYS[c]!];
      if (!meds) continue;
      for (const [code, share] of meds) if (!issued.has(code) && onMed(code, share)) issue(code);
    }
    if (deficits >= 3 && !issued.has(b('analgesic')) && onMed(b('analgesic'), 0.5)) issue(b('analgesic'));
    if (deficits >= 2 && onMed(b('thyroid'), 0.12)) issue(b('thyroid'));
    // Acute courses: antibiotics for everyone, more with respiratory disease; oral steroids for exacerbations.
    const respiratory = active.includes(CI.copd) || active.includes(CI.asthma);
    const t = (segEnd - segStart) / YEAR;
    let antibiotics = (age < 16 ? 0.35 : age < 65 ? 0.3 : 0.5) * t;
    let steroids = 0;
    if (respiratory) {
      antibiotics += (active.includes(CI.copd) ? 0.9 : 0.4) * t;
      steroids += (active.includes(CI.copd) ? 0.5 : 0.25) * t;
    }
    if (p.undiagnosedRespiratory) {
      if (onMed(b('bronchodilator'), 0.55)) issue(b('bronchodilator'));
      antibiotics += 0.7 * t;
      steroids += 0.15 * t;
    }
    for (let i = rng.poisson(antibiotics); i > 0; i--) issue(b('antibacterial'));
    for (let i = rng.poisson(steroids); i > 0; i--) issue(b('oralPrednisolone'));
  }

  private death(p: Person): void {
    const { rng, sink, window } = this.ctx;
    if (p.deathDay >= window.end) return;
    this.deaths++;
    const age = ageAt(p.dob, p.deathDay);
    const suicide = p.suicide;
    let cause: string;
    if (suicide) cause = pickFrom(rng, SUICIDE_ICD);
    else {
      // Underlying cause: one of the person's conditions, weighted by its excess mortality, or another cause for their age.
      let total = 1;
      const active: number[] = [];
      for (let c = 0; c < NC; c++) if (p.onset[c]! <= p.deathDay && DEATH_ICD[CONDITION_KEYS[c]!]) {
        active.push(c);
        total += CAUSE_WEIGHT[CONDITION_KEYS[c]!] ?? 0.1;
      }
      let r = rng.next() * total - 1;
      cause = '';
      if (r >= 0) for (const c of active) {
        r -= CAUSE_WEIGHT[CONDITION_KEYS[c]!] ?? 0.1;
        if (r < 0) {
          cause = pickFrom(rng, DEATH_ICD[CONDITION_KEYS[c]!]!);
          break;
        }
      }
      if (!cause) cause = pickFrom(rng, byAge(OTHER_DEATH_CAUSES, age).codes);
    }
    let place: string;
    if (p.diedInHospital) place = 'hospital';
    else {
      const u = rng.next();
      const careHome = this.inCareHome(p, p.deathDay);
      if (suicide) place = u < 0.6 ? 'home' : 'other';
      else if (careHome) place = u < 0.8 ? 'care_home' : 'hospital';
      else place = u < 0.48 ? 'hospital' : u < 0.85 ? 'home' : u < 0.95 ? 'hospice' : 'other';
      if (place === 'hospital') {
        // Deaths in hospital follow an emergency admission.
        const los = Math.min(p.deathDay - Math.max(p.dob, window.start), Math.floor(rng.exponential(8)));
        sink.row('hospital_spell', `${this.eventId(p, 'spell')},${p.id},${formatDay(p.deathDay - los)},${formatDay(p.deathDay)},emergency,${cause.startsWith('X') || cause.startsWith('Y') ? 'T509' : cause},died`);
      }
    }
    sink.row('death', `${p.id},${formatDay(p.deathDay)},${cause},${place}`);
  }

  private baby(mother: Person, birthDay: number): void {
    const { rng, sink, area } = this.ctx;
    const motherSmokes = mother.smoking === 2;
    const male = rng.next() < FERTILITY.maleBirthShare;
    const ethnic = rng.next() < 0.85 ? mother.ethnic : ETHNIC_CODES[rng.pickCumulative(area.ethnicCumulative[0]!)]!;
    const preterm = rng.next() < FERTILITY.pretermShare * (motherSmokes ? 1.4 : 1) * depFactor(1.3, area.d);
    const gestation = preterm ? rng.int(24, 36) : rng.int(37, 42);
    const southAsian = mother.group === 'Asian' ? -180 : 0;
    const mean = FERTILITY.birthWeightMean + FERTILITY.depShiftGrams * (2 * area.d - 1) + (motherSmokes ? FERTILITY.smokingShiftGrams : 0) + southAsian +
      (preterm ? -120 * (37 - gestation) - 250 : 0) + (male ? 60 : -60);
    const weight = Math.round(Math.min(6000, Math.max(400, mean + FERTILITY.birthWeightSd * (preterm ? 0.6 : 0.8) * rng.normal())));
    const smokingKnown = rng.next() >= FERTILITY.smokingUnknownShare;
    const smokingAtDelivery = rng.next() < (motherSmokes ? FERTILITY.smokingAtDeliveryIfSmoker : FERTILITY.smokingAtDeliveryIfNot);
    // Mother's maternity admission.
    const caesarean = rng.next() < 0.3;
    sink.row('hospital_spell', `${this.eventId(mother, 'spell')},${mother.id},${formatDay(birthDay)},${formatDay(Math.min(birthDay + rng.int(caesarean ? 1 : 0, caesarean ? 4 : 2), this.ctx.window.end - 1, mother.deathDay))},maternity,${caesarean ? 'O821' : 'O800'},home`);
    this.births++;
    const babyId = this.person(birthDay, male, ethnic, { practice: mother.practice });
    sink.row('birth', `${babyId},${mother.id},${formatDay(birthDay)},${weight},${gestation},${smokingKnown ? String(smokingAtDelivery) : ''}`);
  }
}

const AE_HOUR_CUMULATIVE = (() => {
  let t = 0;
  return AE.arrivalHourWeights.map((w) => (t += w));
})();
