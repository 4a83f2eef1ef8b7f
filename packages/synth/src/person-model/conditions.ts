/**
 * Long-term conditions: whether the person has each by the end of the window (age, sex,
 * deprivation, ethnicity, smoking, obesity and the latent factor) and on which day it was diagnosed;
 * and undiagnosed chronic respiratory disease.
 */
import { ageBandIndex } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor, latentFactor, OBESE_MIX, sexFactor, SMOKING_MIX } from './draws.js';
import { CI, CONDITION_PARAMS, NC, NONE, YEAR, type Person } from './person.js';

/** Sets p.onset for each condition the person has by the end of the window, and p.undiagnosedRespiratory. */
export function conditions(ctx: AreaContext, p: Person, ageEnd: number): void {
  const { rng, area, window } = ctx;
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
