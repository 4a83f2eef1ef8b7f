/**
 * Deaths: the day a person dies (a yearly hazard from age, sex, deprivation, smoking, conditions,
 * care-home residence and suicide) and its underlying cause, drawn before any activity so activity
 * stops at death and an illness that kills is diagnosed before it (mostly); then, after the
 * activity, the death record: cause and place (with a spell for a hospital death not already ending
 * an emergency admission).
 */
import { CONDITION_KEYS, type ConditionKey } from '@openphm/core';
import { formatDay } from '../days.js';
import { calendarDay } from '../calendar.js';
import { ageBandIndex, CARE_HOMES, MORTALITY, PALLIATIVE_CARE } from '../parameters.js';
import type { AreaContext } from './context.js';
import { byAge, depFactor, latentFactor, pickFrom, sexFactor, SMOKING_MIX } from './draws.js';
import { CONDITION_ICD } from './hospital.js';
import { codeForSex } from './sex-codes.js';
import { addStay, ageAt, CI, CONDITION_PARAMS, freeFrom, NC, nextEventId, NONE, YEAR, type Person } from './person.js';

/** Expected product of condition mortality hazard ratios at each prevalence band and sex: keeps mortality calibrated. */
const CONDITION_MORTALITY_NORM: readonly (readonly [number, number])[] = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => {
  const norm = (male: boolean): number =>
    CONDITION_PARAMS.reduce((acc, p) => acc * (1 + Math.min(0.9, p.prevalence[b]! * sexFactor(p.maleRatio, male)) * (p.mortalityRatio - 1)), 1);
  return [norm(false), norm(true)] as const;
});
const SMOKING_MORTALITY_NORM = 1 + SMOKING_MIX.current * (MORTALITY.smokingRatio.current - 1) + SMOKING_MIX.ex * (MORTALITY.smokingRatio.ex - 1);
const SUICIDE_NORM = (1 + 0.13 * (MORTALITY.suicide.depression - 1)) * (1 + 0.01 * (MORTALITY.suicide.smi - 1));
/** Expected care-home hazard ratio at an age (the share of residents by age, CARE_HOMES): keeps mortality calibrated. */
const careHomeNorm = (age: number): number => {
  const share = age >= 85 ? CARE_HOMES.residentAtStartByAge['85'] : age >= 75 ? CARE_HOMES.residentAtStartByAge['75'] : age >= 65 ? CARE_HOMES.residentAtStartByAge['65'] : 0;
  return 1 + share * (MORTALITY.careHomeRatio - 1);
};

/** ICD-10 underlying causes for a condition: its admission codes, with other causes where deaths differ. */
const DEATH_ICD: Partial<Record<ConditionKey, readonly string[]>> = {
  ...CONDITION_ICD,
  hypertension: ['I119', 'I10X'],
  cancer: ['C349', 'C189', 'C509', 'C61X', 'C259', 'C859', 'C169', 'C679'],
  depression: ['F102', 'K703'],
  smi: ['F209', 'I219'],
  asthma: ['J459', 'J189'],
  osteoporosis: ['W19'],
  anxiety: [],
  osteoarthritis: [],
  rheumatoid_arthritis: ['M069', 'J189'],
  epilepsy: ['G409'],
  alcohol_dependence: ['K703', 'F102', 'K746'],
  chronic_liver_disease: ['K746', 'K746', 'K703'],
  parkinsons: ['G20X', 'J690'],
  multiple_sclerosis: ['G35X', 'J189'],
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
  epilepsy: 0.15, osteoporosis: 0.05, rheumatoid_arthritis: 0.1, peripheral_arterial_disease: 0.2, non_diabetic_hyperglycaemia: 0,
  palliative_care: 0, anxiety: 0, osteoarthritis: 0, alcohol_dependence: 0.5, chronic_liver_disease: 0.6, parkinsons: 0.6,
  multiple_sclerosis: 0.5,
};
/** Intentional self-harm (X60-X84) and undetermined intent (Y10-Y34). */
const SUICIDE_ICD = ['X70', 'X70', 'X70', 'X61', 'X64', 'X80', 'X78', 'Y20'];

/** The yearly death hazard of an average person of the age and sex (Gompertz-Makeham, before personal factors). */
export const populationHazard = (age: number, male: boolean): number => {
  const sex = male ? 'M' : 'F';
  return age < 1 ? MORTALITY.infant : MORTALITY.makeham + Math.exp(MORTALITY.alpha[sex] + MORTALITY.beta * age) * (age > 85 ? 1 + MORTALITY.oldAge * (age - 85) : 1);
};

/** For each condition, its hazard ratios by years since diagnosis (MORTALITY.byYearsSinceDiagnosis), if it has them. */
const BY_YEARS: readonly ({ readonly fromYears: readonly number[]; readonly ratio: readonly number[] } | undefined)[] =
  CONDITION_KEYS.map((k) => (MORTALITY.byYearsSinceDiagnosis as Partial<Record<ConditionKey, { readonly fromYears: readonly number[]; readonly ratio: readonly number[] }>>)[k]);

/** A condition's hazard ratio the given years after diagnosis (its mortalityRatio unless it has ratios by years since diagnosis). */
export const mortalityRatioAt = (c: number, years: number): number => {
  const by = BY_YEARS[c];
  if (!by) return CONDITION_PARAMS[c]!.mortalityRatio;
  let i = 0;
  while (i + 1 < by.fromYears.length && years >= by.fromYears[i + 1]!) i++;
  return by.ratio[i]!;
};

/** How much faster, per year, people on a condition's register die than the average person of their age and sex. */
export const excessDeathRate = (c: number, male: boolean, age: number): number =>
  (populationHazard(age, male) * (CONDITION_PARAMS[c]!.mortalityRatio - 1)) / CONDITION_MORTALITY_NORM[ageBandIndex(age)]![male ? 1 : 0]!;

/** The day a permanent care-home stay starts, or NONE (from p.careHome, drawn before mortality). */
const careHomeFrom = (p: Person): number => {
  let from = NONE;
  for (const s of p.careHome) if (s.permanent) from = Math.min(from, s.start);
  return from;
};

/**
 * Draws the day of death within the window (p.deathDay stays NONE if the person survives it), then
 * its underlying cause (p.cause). Conditions and care-home stays are already drawn: the hazard rises
 * with each condition diagnosed and in a care home (permanent residents are the frailest).
 */
export function mortality(ctx: AreaContext, p: Person): void {
  const { rng, area, window } = ctx;
  const sex = p.male ? 'M' : 'F';
  const d = area.d;
  const base = depFactor(MORTALITY.depRatio[sex], d) * latentFactor(MORTALITY.latentLoading, p.z) *
    (p.smoking === 2 ? MORTALITY.smokingRatio.current : p.smoking === 1 ? MORTALITY.smokingRatio.ex : 1) / SMOKING_MORTALITY_NORM;
  const careHome = careHomeFrom(p);
  for (let y = 0; y + 1 < window.yearStarts.length; y++) {
    const segStart = Math.max(window.yearStarts[y]!, p.dob);
    const segEnd = window.yearStarts[y + 1]!;
    const u = rng.next();
    const v = rng.next();
    if (segEnd <= segStart) continue;
    const age = ageAt(p.dob, segStart);
    let h = populationHazard(age, p.male);
    let hr = 1;
    // Conditions whose hazard ratio depends on the years since diagnosis count from the day of diagnosis (pieces below).
    for (let c = 0; c < NC; c++) if (p.onset[c]! <= segStart && !BY_YEARS[c]) hr *= CONDITION_PARAMS[c]!.mortalityRatio;
    h *= base * hr / CONDITION_MORTALITY_NORM[ageBandIndex(age)]![p.male ? 1 : 0]! / careHomeNorm(age);
    let hs = 0;
    if (age >= 10) {
      hs = MORTALITY.suicide[sex] * depFactor(MORTALITY.suicide.depRatio, d) / SUICIDE_NORM;
      if (p.onset[CI.depression]! <= segStart) hs *= MORTALITY.suicide.depression;
      if (p.onset[CI.smi]! <= segStart) hs *= MORTALITY.suicide.smi;
    }
    // The year in pieces: the part in a care home (from admission on) has the care-home hazard ratio,
    // and a time-dependent condition's ratio changes on its diagnosis day and the anniversaries of BY_YEARS.
    const split = Math.min(segEnd, Math.max(segStart, careHome));
    const cuts = [segStart, split, segEnd];
    for (let c = 0; c < NC; c++) {
      const by = BY_YEARS[c];
      if (!by || p.onset[c] === NONE) continue;
      for (const y of by.fromYears) {
        const day = p.onset[c]! + Math.round(y * YEAR);
        if (day > segStart && day < segEnd) cuts.push(day);
      }
    }
    cuts.sort((a, b) => a - b);
    const pieces: { start: number; end: number; h: number }[] = [];
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const start = cuts[i]!;
      const end = cuts[i + 1]!;
      if (end <= start) continue;
      let hPiece = h * (start >= split ? MORTALITY.careHomeRatio : 1);
      for (let c = 0; c < NC; c++) if (BY_YEARS[c] && p.onset[c]! <= start) hPiece *= mortalityRatioAt(c, (start - p.onset[c]!) / YEAR);
      pieces.push({ start, end, h: hPiece });
      total += (hPiece + hs) * ((end - start) / YEAR);
    }
    if (u < 1 - Math.exp(-total)) {
      // The piece in proportion to its hazard, then the day within it: more in winter
      // (CALENDAR.monthWeights.death, ONS excess winter mortality), from the same draw.
      let w = rng.next() * total;
      let piece = pieces[pieces.length - 1]!;
      for (const q of pieces) {
        const part = (q.h + hs) * ((q.end - q.start) / YEAR);
        if (w < part) {
          piece = q;
          w /= part;
          break;
        }
        w -= part;
      }
      p.deathDay = calendarDay('death', Math.min(1, Math.max(0, w)), piece.start, piece.end);
      p.suicide = v < hs / (piece.h + hs);
      causeOfDeath(ctx, p);
      return;
    }
  }
}

/** The register condition an underlying cause belongs to, for the causes that follow a long illness. */
export const conditionOfCause = (code: string): keyof typeof MORTALITY.diagnosedBeforeDeath | undefined =>
  code[0] === 'C' ? 'cancer'
    : code.startsWith('F0') || code.startsWith('G30') ? 'dementia'
      : code.startsWith('J44') ? 'copd'
        : code.startsWith('I50') ? 'heart_failure'
          : undefined;

/**
 * The underlying cause: one of the person's conditions, weighted by its excess mortality, or another
 * cause for their age, suited to their sex. When another cause belongs to a condition that follows a
 * long illness (cancer, dementia, COPD, heart failure) the person was not on the register for, the
 * illness was diagnosed before death with the chance MORTALITY.diagnosedBeforeDeath gives (the rest
 * die undiagnosed), on average `leadYears` before.
 */
function causeOfDeath(ctx: AreaContext, p: Person): void {
  const { rng } = ctx;
  const age = ageAt(p.dob, p.deathDay);
  if (p.suicide) {
    p.cause = pickFrom(rng, SUICIDE_ICD);
    return;
  }
  let total = 1;
  const active: number[] = [];
  const weights: number[] = [];
  for (let c = 0; c < NC; c++) if (p.onset[c]! < p.deathDay && DEATH_ICD[CONDITION_KEYS[c]!]?.length && (CAUSE_WEIGHT[CONDITION_KEYS[c]!] ?? 0.1) > 0) {
    active.push(c);
    // A condition whose hazard ratio depends on the years since diagnosis is the cause in proportion to its excess then.
    const par = CONDITION_PARAMS[c]!;
    const weight = (CAUSE_WEIGHT[CONDITION_KEYS[c]!] ?? 0.1) * (BY_YEARS[c] ? (mortalityRatioAt(c, (p.deathDay - p.onset[c]!) / YEAR) - 1) / (par.mortalityRatio - 1) : 1);
    weights.push(weight);
    total += weight;
  }
  let r = rng.next() * total - 1;
  let cause = '';
  if (r >= 0) for (const [i, c] of active.entries()) {
    r -= weights[i]!;
    if (r < 0) {
      cause = pickFrom(rng, DEATH_ICD[CONDITION_KEYS[c]!]!);
      break;
    }
  }
  const other = !cause;
  if (other) cause = pickFrom(rng, byAge(OTHER_DEATH_CAUSES, age).codes);
  p.cause = codeForSex(cause, p.male, age, rng.next());
  const key = other ? conditionOfCause(p.cause) : undefined;
  if (key !== undefined) diagnosedBeforeDeath(ctx, p, key);
  palliativeCare(ctx, p);
}

/** An illness that kills, not on the register: diagnosed before death with MORTALITY.diagnosedBeforeDeath's chance. */
function diagnosedBeforeDeath(ctx: AreaContext, p: Person, key: keyof typeof MORTALITY.diagnosedBeforeDeath): void {
  const { rng } = ctx;
  const c = CI[key];
  if (p.onset[c]! < p.deathDay) return;
  const dx = MORTALITY.diagnosedBeforeDeath[key];
  if (rng.next() >= dx.share) return;
  const earliest = p.dob + Math.ceil(CONDITION_PARAMS[c]!.minAge * YEAR);
  const day = Math.max(earliest, p.deathDay - 1 - Math.floor(rng.exponential(dx.leadYears) * YEAR));
  if (day < p.deathDay) p.onset[c] = day;
}

/** The kind of death, for end-of-life care: cancer, a long decline (organ failure, dementia, frailty, neurological or liver disease) or other. */
export const endOfLifeKind = (cause: string): keyof typeof PALLIATIVE_CARE =>
  cause[0] === 'C' ? 'cancer'
    : /^(F0|G30|G20|G35|G12|J44|I50|N18|R54|K70|K74)/.test(cause) ? 'decline'
      : 'other';

/** End of life: put on the palliative care register before death (PALLIATIVE_CARE), never for a suicide or an external cause. */
function palliativeCare(ctx: AreaContext, p: Person): void {
  const { rng } = ctx;
  if (p.suicide || /^[V-Y]/.test(p.cause)) return;
  const pc = PALLIATIVE_CARE[endOfLifeKind(p.cause)];
  if (rng.next() >= pc.share) return;
  const day = Math.max(p.dob, p.deathDay - 1 - Math.floor(rng.exponential(pc.leadYears) * YEAR));
  if (day < p.deathDay) p.onset[CI.palliative_care] = day;
}

/** Whether an ICD-10 code is an external cause (chapter XX, V01-Y98). */
export const isExternalCause = (code: string): boolean => code >= 'V01' && code < 'Y99';
/** The primary diagnosis of the terminal spell of a death from an external cause, by its letter: poisoning (X, Y), a fall's hip fracture (W), multiple injuries of a transport accident (V). */
const TERMINAL_INJURY = { V: 'T07X', W: 'S720', X: 'T509', Y: 'T509' } as const;

/** Writes the death record (and a hospital spell for a death in hospital); false if the person survives the window. */
export function death(ctx: AreaContext, p: Person): boolean {
  const { rng, sink, window } = ctx;
  if (p.deathDay >= window.end) return false;
  const suicide = p.suicide;
  const cause = p.cause;
  let place: string;
  if (p.diedInHospital) place = 'hospital';
  else {
    const u = rng.next();
    // A permanent resident mostly dies in the home; someone admitted for their last weeks there.
    const stay = p.careHome.find((s) => s.start <= p.deathDay && p.deathDay < s.end);
    if (suicide) place = u < 0.6 ? 'home' : 'other';
    else if (stay) place = !stay.permanent || u < CARE_HOMES.diedInCareHome ? 'care_home' : 'hospital';
    else place = u < 0.48 ? 'hospital' : u < 0.85 ? 'home' : u < 0.95 ? 'hospice' : 'other';
    if (place === 'hospital') {
      // Deaths in hospital follow an emergency admission, starting after the person's last stay or contact.
      const los = Math.min(p.deathDay - Math.max(p.dob, window.start), Math.floor(rng.exponential(8)));
      const start = Math.max(p.deathDay - los, freeFrom(p));
      if (start <= p.deathDay) {
        // A death from an external cause (chapter XX) is admitted with its injury or poisoning and the cause beside it.
        const external = isExternalCause(cause);
        const diagnosis = external ? TERMINAL_INJURY[cause[0] as keyof typeof TERMINAL_INJURY] : cause;
        sink.row('hospital_spell', `${nextEventId(p, 'spell')},${p.id},${formatDay(start)},${formatDay(p.deathDay)},emergency,${diagnosis},${external ? cause : ''},died`);
        addStay(p, start, p.deathDay);
      } else place = 'home';
    }
  }
  sink.row('death', `${p.id},${formatDay(p.deathDay)},${cause},${place}`);
  return true;
}
