/**
 * Long-term conditions: whether the person has each by the end of the window (age, sex,
 * deprivation, ethnicity, smoking, obesity and the latent factor) and on which day it was diagnosed;
 * and undiagnosed chronic respiratory disease.
 *
 * Lives start before the window: a condition's age-specific prevalence is read as the cumulative
 * chance of having been diagnosed by an age (its running maximum, so it never falls), and the age at
 * diagnosis is drawn by inverting it. The register's prevalence at any date then matches the
 * age-specific prevalence, from the first day of the window, instead of building up during it.
 */
import { AGE_BAND_LOWER, ageBandIndex } from '../parameters.js';
import type { AreaContext } from './context.js';
import { excessDeathRate } from './deaths.js';
import { depFactor, latentFactor, OBESE_MIX, sexFactor, SMOKING_MIX } from './draws.js';
import { CI, CONDITION_PARAMS, NC, NONE, YEAR, type Person } from './person.js';

/** Steps per year of age in the prevalence curves, and the oldest age they cover. */
const STEPS = 10;
const MAX_AGE = 110;
/** The age each prevalence band's figure is placed at (its middle; 85+ at 90), joined by straight lines. */
export const BAND_KNOTS = AGE_BAND_LOWER.map((lo, i) => (i + 1 < AGE_BAND_LOWER.length ? (lo + AGE_BAND_LOWER[i + 1]!) / 2 : 90));

/** A condition's age curves: prevalence at an exact age, and its running maximum (the chance of diagnosis by that age). */
export interface PrevalenceCurve {
  /** Prevalence at age i / STEPS for the national middle (0 before the condition's youngest age). */
  readonly at: Float64Array;
  /** Running maximum of `at`: never decreases with age. */
  readonly byAge: Float64Array;
}

/** Prevalence at an exact age: straight lines between the bands' knots, from 0 at the youngest age (or the first knot), flat after the last. */
export function prevalenceCurve(prevalence: readonly number[], minAge: number): PrevalenceCurve {
  const n = MAX_AGE * STEPS + 1;
  const at = new Float64Array(n);
  const byAge = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const age = i / STEPS;
    let v: number;
    if (age < minAge) v = 0;
    else if (age <= BAND_KNOTS[0]!) v = minAge < BAND_KNOTS[0]! ? (prevalence[0]! * (age - minAge)) / (BAND_KNOTS[0]! - minAge) : prevalence[0]!;
    else if (age >= BAND_KNOTS[BAND_KNOTS.length - 1]!) v = prevalence[prevalence.length - 1]!;
    else {
      let k = 0;
      while (age > BAND_KNOTS[k + 1]!) k++;
      const f = (age - BAND_KNOTS[k]!) / (BAND_KNOTS[k + 1]! - BAND_KNOTS[k]!);
      v = prevalence[k]! + f * (prevalence[k + 1]! - prevalence[k]!);
    }
    at[i] = v;
    max = Math.max(max, v);
    byAge[i] = max;
  }
  return { at, byAge };
}

/**
 * People on a register die faster than its own hazard ratio says, as they have more of the other
 * conditions and more often live in care homes than others their age: the share replaced is
 * multiplied by this (chosen so that registers keep their prevalence through the window).
 */
const CLUSTERING = 1.5;

const index = (age: number): number => Math.min(MAX_AGE * STEPS, Math.max(0, Math.floor(age * STEPS)));
/** The first age at which the running maximum reaches q (q below its value at the last age). */
export function ageReaching(curve: PrevalenceCurve, q: number): number {
  const a = curve.byAge;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! > q) hi = mid;
    else lo = mid + 1;
  }
  // Within the step: linear between the previous value and this one.
  const prev = lo > 0 ? a[lo - 1]! : 0;
  const f = a[lo]! > prev ? (q - prev) / (a[lo]! - prev) : 0;
  return (lo - 1 + Math.min(1, Math.max(0, f))) / STEPS;
}

export const CONDITION_CURVES = CONDITION_PARAMS.map((par) => prevalenceCurve(par.prevalence, par.minAge));

/**
 * Sets p.onset for each condition the person has by the end of the window, and p.undiagnosedRespiratory.
 *
 * A person's chance of being on the register at the end of the window is m x prevalence(age then),
 * m their relative risk; with one uniform u they are on it if u < that, diagnosed at the age where
 * m x (running maximum of prevalence) first exceeds u. So at any earlier date they are on the register
 * with chance m x prevalence(age then) while prevalence rises with age; where it falls with age (a
 * condition recorded less in older generations) the person's own chance stays at its end-of-window value.
 *
 * People on a register die sooner than others, so during the window the register loses more people
 * than the population does. To keep its prevalence among the living, someone alive at the start has
 * an extra chance m x (the expected share of the register who die beyond the average, year by year)
 * of being diagnosed during the window, on a day spread evenly over it.
 */
export function conditions(ctx: AreaContext, p: Person): void {
  const { rng, area, window } = ctx;
  const d = area.d;
  const obese = p.bmi >= 30;
  const lastDay = window.end - 1;
  const ageEnd = (lastDay - p.dob) / YEAR;
  const ageStart = (window.start - p.dob) / YEAR;
  const years = window.yearStarts.length - 1;
  let respiratoryRisk = 0;
  /** Each condition's chance for this person, as drawn (0 if not drawn): normalises riskWith. */
  const chance = new Float64Array(NC);
  for (let c = 0; c < NC; c++) {
    const par = CONDITION_PARAMS[c]!;
    const u = rng.next();
    if (ageEnd < par.minAge || par.drawnAtDeath) continue;
    let m = depFactor(par.depRatio, d) * sexFactor(par.maleRatio, p.male) * latentFactor(par.latentLoading, p.z);
    const eth = par.ethnicRatio?.[p.group as 'Asian'];
    if (eth) m *= eth;
    if (par.smokingRatio) {
      const norm = 1 + SMOKING_MIX.current * (par.smokingRatio.current - 1) + SMOKING_MIX.ex * (par.smokingRatio.ex - 1);
      m *= (p.smoking === 2 ? par.smokingRatio.current : p.smoking === 1 ? par.smokingRatio.ex : 1) / norm;
    }
    if (par.obesityRatio) m *= (obese ? par.obesityRatio : 1) / (1 + OBESE_MIX * (par.obesityRatio - 1));
    // Conditions raising this one's risk: rr if the person has one, divided by its expectation given
    // everything else about the person (1 + chance x (rr - 1)), so the register's prevalence is kept.
    if (par.riskWith) for (const k in par.riskWith) {
      const j = CI[k as keyof typeof CI]!;
      const rr = par.riskWith[k as keyof typeof par.riskWith]!;
      m *= (p.onset[j] !== NONE ? rr : 1) / (1 + chance[j]! * (rr - 1));
    }
    const curve = CONDITION_CURVES[c]!;
    if (par.incidence) {
      // Diagnoses in the window from the published incidence (year by year at the person's age then);
      // the curve gives only whether the person was diagnosed before the window, and when.
      const stock = ageStart >= par.minAge ? curve.byAge[index(ageStart)]! : 0;
      const rates = par.incidence[p.male ? 'M' : 'F'];
      const perYear: number[] = [];
      let inWindow = 0;
      for (let y = 0; y < years; y++) {
        const age = ageStart + y + 0.5;
        const share = Math.min(1, Math.max(0, (window.yearStarts[y + 1]! - Math.max(window.yearStarts[y]!, p.dob)) / (window.yearStarts[y + 1]! - window.yearStarts[y]!)));
        const r = age >= par.minAge ? rates[ageBandIndex(Math.floor(age))]! * share : 0;
        perYear.push(r);
        inWindow += r;
      }
      const prob = Math.min(0.95, m * (stock + inWindow));
      chance[c] = prob;
      if (u >= prob) continue;
      const q = u / m;
      if (q < stock) {
        p.onset[c] = Math.min(window.start - 1, p.dob + Math.ceil(Math.max(par.minAge, ageReaching(curve, q)) * YEAR));
        continue;
      }
      let rest = Math.min(inWindow, q - stock);
      let y = 0;
      while (y + 1 < years && rest >= perYear[y]!) rest -= perYear[y++]!;
      const yStart = Math.max(window.yearStarts[y]!, p.dob);
      const yEnd = window.yearStarts[y + 1]!;
      p.onset[c] = Math.min(lastDay, yStart + Math.floor((perYear[y]! > 0 ? Math.min(1, rest / perYear[y]!) : 0) * (yEnd - yStart)));
      continue;
    }
    const atEnd = curve.at[index(ageEnd)]!;
    let replaced = 0;
    if (ageStart >= par.minAge) for (let y = 0; y < years; y++) {
      const age = ageStart + y + 0.5;
      replaced += CLUSTERING * curve.at[index(age)]! * excessDeathRate(c, p.male, Math.floor(age));
    }
    const prob = Math.min(0.95, m * (atEnd + replaced));
    chance[c] = prob;
    if (c === CI.copd) respiratoryRisk = Math.min(0.95, m * atEnd);
    if (u >= prob) continue;
    const q = u / m;
    if (q < atEnd) {
      const age = Math.max(par.minAge, ageReaching(curve, q));
      p.onset[c] = Math.min(lastDay, p.dob + Math.ceil(age * YEAR));
    } else {
      // Replacing those who die: diagnosed during the window.
      p.onset[c] = window.start + Math.min(lastDay - window.start, Math.floor(((q - atEnd) / replaced) * (window.end - window.start)));
    }
  }
  // The non-diabetic hyperglycaemia register holds people without diabetes (QOF NDH): those who go on to diabetes leave it.
  if (p.onset[CI.diabetes] !== NONE) p.onset[CI.non_diabetic_hyperglycaemia] = NONE;
  // Undiagnosed chronic respiratory disease among smokers and ex-smokers over 35 (about 2 in 5 COPD cases are undiagnosed).
  if (p.onset[CI.copd] === NONE && p.smoking > 0 && ageEnd >= 35 && rng.next() < respiratoryRisk * 0.6) p.undiagnosedRespiratory = true;
}

