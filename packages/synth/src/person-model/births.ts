/**
 * Births: the baby's sex, ethnicity, gestation and weight (lower with smoking, deprivation and
 * preterm birth), the mother's maternity spell and the birth record. The baby becomes a person of
 * the model through newPerson, so their own life is simulated like everyone else's.
 */
import { formatDay, type DayNumber, type EthnicCategory } from '@openphm/core';
import { ETHNIC_CODES } from '../areas.js';
import { FERTILITY } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { nextEventId, type Person } from './person.js';

/** Creates a person born on dob to a mother (registered at her practice) and returns their id. */
export type NewPerson = (dob: DayNumber, male: boolean, ethnic: EthnicCategory, mother: { practice: string; id: number }) => number;

/** The birth of a baby to the mother on birthDay, and the baby's own life (through newPerson). */
export function baby(ctx: AreaContext, mother: Person, birthDay: number, newPerson: NewPerson): void {
  const { rng, sink, area } = ctx;
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
  sink.row('hospital_spell', `${nextEventId(mother, 'spell')},${mother.id},${formatDay(birthDay)},${formatDay(Math.min(birthDay + rng.int(caesarean ? 1 : 0, caesarean ? 4 : 2), ctx.window.end - 1, mother.deathDay))},maternity,${caesarean ? 'O821' : 'O800'},home`);
  const babyId = newPerson(birthDay, male, ethnic, { practice: mother.practice, id: mother.id });
  sink.row('birth', `${babyId},${mother.id},${formatDay(birthDay)},${weight},${gestation},${smokingKnown ? String(smokingAtDelivery) : ''}`);
}
