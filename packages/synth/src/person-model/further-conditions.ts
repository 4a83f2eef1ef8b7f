/**
 * Further conditions a multimorbidity count uses (core's FURTHER_CONDITIONS; parameters
 * FURTHER_CONDITION_PARAMETERS): glaucoma, prostate disorders, diverticular disease, irritable bowel
 * syndrome, psoriasis or eczema and treated constipation, each written to the GP record on the day it
 * was diagnosed. Hearing loss and thyroid disorders are not drawn here: the frailty deficits already
 * write them (clinical-records.ts).
 *
 * Drawn from a stream of their own per LSOA, after the rest of the person's life, so adding them
 * changed no other row. As for the registers (conditions.ts), a condition's prevalence by age is read
 * as the chance of having been diagnosed by that age, and a person with relative risk m (sex,
 * deprivation, ethnicity, obesity, the latent factor) has it by the end of the window if a uniform
 * u < m x prevalence(age then), diagnosed at the age where m x its running maximum first exceeds u.
 */
import { FURTHER_CONDITIONS, Random, type FurtherConditionKey } from '@openphm/core';
import { formatDay } from '../days.js';
import { FURTHER_CONDITION_PARAMETERS, type FurtherConditionParameters } from '../parameters.js';
import type { AreaContext } from './context.js';
import { ageReaching, prevalenceCurve, type PrevalenceCurve } from './conditions.js';
import { depFactor, latentFactor, OBESE_MIX, sexFactor } from './draws.js';
import { YEAR, type Person } from './person.js';

/** The stream of the further conditions of one LSOA. */
export const furtherConditionStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-further-conditions/${idKey}/${lsoaCode}`);

interface Drawn {
  readonly key: FurtherConditionKey;
  readonly par: FurtherConditionParameters;
  readonly curve: PrevalenceCurve;
  readonly code: string;
}

const DRAWN: readonly Drawn[] = (Object.keys(FURTHER_CONDITION_PARAMETERS) as (keyof typeof FURTHER_CONDITION_PARAMETERS)[]).map((key) => {
  const par = FURTHER_CONDITION_PARAMETERS[key];
  return { key, par, curve: prevalenceCurve(par.prevalence, par.minAge), code: FURTHER_CONDITIONS[key].codes[0]!.code };
});

const STEPS = 10;
const at = (curve: PrevalenceCurve, age: number): number => curve.at[Math.min(curve.at.length - 1, Math.max(0, Math.floor(age * STEPS)))]!;

/**
 * The further conditions the person has been diagnosed with by the end of their life in the window
 * (diagnosis day for each drawn condition, in FURTHER_CONDITION_PARAMETERS order), written to the GP
 * record. One uniform per condition, for everyone, so a person's draws do not depend on another's.
 */
export function furtherConditions(ctx: AreaContext, rng: Random, p: Person): { key: FurtherConditionKey; day: number }[] {
  const { window, area, sink } = ctx;
  const lastDay = Math.min(window.end, p.deathDay) - 1;
  const ageEnd = (lastDay - p.dob) / YEAR;
  const out: { key: FurtherConditionKey; day: number }[] = [];
  for (const { key, par, curve, code } of DRAWN) {
    const u = rng.next();
    if (ageEnd < par.minAge || (par.sex === 'M' && !p.male)) continue;
    let m = depFactor(par.depRatio, area.d) * latentFactor(par.latentLoading, p.z);
    if (par.sex === undefined) m *= sexFactor(par.maleRatio, p.male);
    const eth = par.ethnicRatio?.[p.group as 'Asian'];
    if (eth) m *= eth;
    if (par.obesityRatio) m *= (p.bmi >= 30 ? par.obesityRatio : 1) / (1 + OBESE_MIX * (par.obesityRatio - 1));
    if (u >= Math.min(0.95, m * at(curve, ageEnd))) continue;
    const age = Math.max(par.minAge, ageReaching(curve, u / m));
    const day = Math.min(lastDay, p.dob + Math.ceil(age * YEAR));
    out.push({ key, day });
    sink.row('clinical_event', `${p.id},${formatDay(day)},${code},`);
  }
  return out;
}
