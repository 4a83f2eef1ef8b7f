/**
 * The GP clinical record: diagnosis codes, smoking status and BMI records, and coded frailty
 * deficits (the electronic frailty index's).
 */
import { CONDITIONS, CONDITION_KEYS, CODED_FRAILTY_DEFICITS, OBSERVATION_CODES, Random } from '@openphm/core';
import { formatDay } from '../days.js';
import { BMI, FRAILTY, SMOKING } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor, latentFactor } from './draws.js';
import { ACTIVITY_WEIGHT, ageAt, NC, NONE, YEAR, type Person, type Smoking } from './person.js';

/** Smoking status codes by Smoking value (never, ex, current). */
const SMOKING_CODE = [OBSERVATION_CODES.neverSmoked.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.currentSmoker.code];
/** Each condition's main code, and all its codes (a second code is sometimes recorded instead). */
const CONDITION_CODE = CONDITION_KEYS.map((k) => CONDITIONS[k].codes[0]!.code);
const CONDITION_CODE_ALT = CONDITION_KEYS.map((k) => CONDITIONS[k].codes.map((c) => c.code));

/** Quitting smoking in the window has a stream of its own per LSOA, so the draws of everything else stay the same. */
export const smokingQuitStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-smoking-quits/${idKey}/${lsoaCode}`);

/**
 * Writes the person's GP clinical events; smoking may change to ex if the person quits in the window
 * (the day from `quitRng`: SMOKING.quitPerYear, recorded on the day with SMOKING.quitRecordedShare).
 */
export function clinicalRecords(ctx: AreaContext, quitRng: Random, p: Person, ageStart: number, aliveStart: number, aliveEnd: number): void {
  const { rng, sink, window } = ctx;
  const span = aliveEnd - aliveStart;
  // Diagnoses: the condition's code on its diagnosis date (history before the window included).
  let conditionsAtEnd = 0;
  for (let c = 0; c < NC; c++) {
    if (p.onset[c] === NONE) continue;
    conditionsAtEnd += ACTIVITY_WEIGHT[c]!;
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
    // The main stream's draws of the quit the generator used to make (18% over the window) are still
    // spent, so every later draw is unchanged; the quit itself comes from quitRng.
    if (status === 2 && rng.next() < 0.18) rng.next();
    let quitDay = NONE;
    if (status === 2) {
      const u = quitRng.next();
      const r = quitRng.next();
      const day = aliveStart + Math.floor((-Math.log(1 - u) / SMOKING.quitPerYear) * YEAR);
      if (day < aliveEnd) {
        quitDay = day;
        if (r < SMOKING.quitRecordedShare) days.push(day);
      }
    }
    days.sort((a, c) => a - c);
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
  frailtyDeficits(ctx, p, ageStart, aliveStart, aliveEnd, conditionsAtEnd);
}

/** Coded frailty deficits: onset hazard rising with age, deprivation, the latent factor and conditions. */
function frailtyDeficits(ctx: AreaContext, p: Person, ageStart: number, aliveStart: number, aliveEnd: number, conditions: number): void {
  const { rng, sink, area, window } = ctx;
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
