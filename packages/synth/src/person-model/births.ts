/**
 * Births: the mother's delivery (its day and maternity stay, decided with her year's activity so her
 * other hospital stays and contacts avoid it), then the baby's sex, ethnicity, gestation (the week
 * distribution of live births in England, preterm more often with smoking and deprivation) and
 * weight (the median for the week of gestation, lower with smoking, deprivation and South Asian
 * ethnicity), the maternity spell and the birth record. The baby becomes a person of the model
 * through newPerson, so their own life is simulated like everyone else's.
 */
import { type DayNumber, type EthnicCategory } from '@openphm/core';
import { formatDay } from '../days.js';
import { ETHNIC_CODES } from '../areas.js';
import { FERTILITY } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { addStay, nextEventId, staysClash, type Person } from './person.js';

/** Creates a person born on dob to a mother (registered at her practice) and returns their id. */
export type NewPerson = (dob: DayNumber, male: boolean, ethnic: EthnicCategory, mother: { practice: string; id: number }) => number;

/** A delivery: the birth day and the mother's maternity stay. */
export interface Delivery {
  readonly day: DayNumber;
  readonly caesarean: boolean;
  readonly discharge: DayNumber;
}

/**
 * The mother's delivery on a day from draw() on which her maternity stay overlaps none of her other
 * stays (up to `tries` days), recorded as one of her stays; undefined if none is free or draw()
 * gives none (too close to another birth).
 */
export function delivery(ctx: AreaContext, mother: Person, draw: () => number | undefined, tries: number): Delivery | undefined {
  const { rng } = ctx;
  const caesarean = rng.next() < FERTILITY.caesareanShare;
  const los = rng.int(caesarean ? 1 : 0, caesarean ? 4 : 2);
  for (let i = 0; i < tries; i++) {
    const day = draw();
    if (day === undefined) return undefined;
    const discharge = Math.min(day + los, ctx.window.end - 1, mother.deathDay);
    if (staysClash(mother, day, discharge)) continue;
    addStay(mother, day, discharge);
    return { day, caesarean, discharge };
  }
  return undefined;
}

/** Cumulative weights of the weeks of gestation, preterm (24-36) and term (37-42). */
const cumulativeWeeks = (from: number, to: number): number[] => {
  let t = 0;
  return FERTILITY.gestationWeights.slice(from - FERTILITY.gestationFromWeek, to - FERTILITY.gestationFromWeek + 1).map((w) => (t += w));
};
const PRETERM_CUMULATIVE = cumulativeWeeks(FERTILITY.gestationFromWeek, 36);
const TERM_CUMULATIVE = cumulativeWeeks(37, FERTILITY.gestationFromWeek + FERTILITY.gestationWeights.length - 1);
/** Share of live births before 37 weeks in the gestation table. */
const TABLE_PRETERM = PRETERM_CUMULATIVE[PRETERM_CUMULATIVE.length - 1]! / (PRETERM_CUMULATIVE[PRETERM_CUMULATIVE.length - 1]! + TERM_CUMULATIVE[TERM_CUMULATIVE.length - 1]!);

const MEDIAN_AT_40 = FERTILITY.medianWeightByWeek[40 - FERTILITY.gestationFromWeek]!;

/** The birth of a baby to the mother at a delivery, and the baby's own life (through newPerson). */
export function baby(ctx: AreaContext, mother: Person, birth: Delivery, newPerson: NewPerson): void {
  const { rng, sink, area } = ctx;
  const birthDay = birth.day;
  const motherSmokes = mother.smoking === 2;
  const male = rng.next() < FERTILITY.maleBirthShare;
  const ethnic = rng.next() < 0.85 ? mother.ethnic : ETHNIC_CODES[rng.pickCumulative(area.ethnicCumulative[0]!)]!;
  const preterm = rng.next() < TABLE_PRETERM * (motherSmokes ? FERTILITY.pretermSmokingRatio : 1) * depFactor(FERTILITY.pretermDepRatio, area.d);
  const gestation = preterm ? FERTILITY.gestationFromWeek + rng.pickCumulative(PRETERM_CUMULATIVE) : 37 + rng.pickCumulative(TERM_CUMULATIVE);
  // Weight: the week's median (sexes differ by about 3% either way), scaled down for smoking,
  // deprivation and South Asian mothers by the same share as the grams given at term, log-normal spread.
  const median = FERTILITY.medianWeightByWeek[gestation - FERTILITY.gestationFromWeek]! * (male ? 1.03 : 0.97);
  const shiftGrams = FERTILITY.depShiftGrams * (2 * area.d - 1) + (motherSmokes ? FERTILITY.smokingShiftGrams : 0) + (mother.group === 'Asian' ? FERTILITY.southAsianShiftGrams : 0);
  const sd = gestation < 37 ? FERTILITY.weightLogSd.preterm : FERTILITY.weightLogSd.term;
  const weight = Math.round(Math.min(6000, Math.max(350, median * (1 + shiftGrams / MEDIAN_AT_40) * Math.exp(sd * rng.normal()))));
  const smokingKnown = rng.next() >= FERTILITY.smokingUnknownShare;
  const smokingAtDelivery = rng.next() < (motherSmokes ? FERTILITY.smokingAtDeliveryIfSmoker : FERTILITY.smokingAtDeliveryIfNot);
  // Mother's maternity admission.
  sink.row('hospital_spell', `${nextEventId(mother, 'spell')},${mother.id},${formatDay(birthDay)},${formatDay(birth.discharge)},maternity,${birth.caesarean ? 'O821' : 'O800'},,home`);
  const babyId = newPerson(birthDay, male, ethnic, { practice: mother.practice, id: mother.id });
  sink.row('birth', `${babyId},${mother.id},${formatDay(birthDay)},${weight},${gestation},${smokingKnown ? String(smokingAtDelivery) : ''}`);
}
