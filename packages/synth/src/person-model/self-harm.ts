/**
 * Emergency admissions for intentional self-harm (SELF_HARM): drawn for each person after the rest of
 * their life is written, from a stream of their own per LSOA (like opt-outs and care gaps), so adding
 * them changed no other row. Each admission is on a day of the emergency calendar on which its stay
 * overlaps none of the person's stays and no contact (GP, outpatient, A&E, community, mental health),
 * within their life; most come through A&E that day.
 */
import { Random, type ConditionKey } from '@openphm/core';
import { formatDay } from '../days.js';
import { calendarDay, type ActivityKind } from '../calendar.js';
import { bandIndexOf, SELF_HARM } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { aeAttendance, PLACE_TRIES } from './hospital.js';
import { addStay, CI, hasContactIn, nextEventId, staysClash, YEAR, yearsAlive, type Person } from './person.js';

/** The stream of the self-harm draws of one LSOA. */
export const selfHarmStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-self-harm/${idKey}/${lsoaCode}`);

const METHOD_CUMULATIVE = (() => {
  let t = 0;
  return SELF_HARM.methods.map((m) => (t += m.weight));
})();
const RATIO_CONDITIONS = (Object.keys(SELF_HARM.conditionRatio) as (keyof typeof SELF_HARM.conditionRatio)[]).map((k) => [CI[k as ConditionKey], SELF_HARM.conditionRatio[k]] as const);

/** The person's self-harm rate per year at an age, before deprivation and conditions (0 under the first band). */
export const selfHarmBaseRate = (age: number, male: boolean): number => {
  const lower = SELF_HARM.ageLower;
  if (age < lower[0]!) return 0;
  return SELF_HARM.perYear[male ? 'M' : 'F'][bandIndexOf(lower, age)]!;
};

/**
 * A day in [segStart, segEnd) on the calendar of `kind` (up to PLACE_TRIES draws) for a stay of `los`
 * days written after the rest of the person's life: clear of their stays and contacts and ending
 * before aliveEnd; recorded as one of their stays. Undefined when no day is free.
 */
export function placeLateStay(rng: Random, p: Person, kind: ActivityKind, los: number, segStart: number, segEnd: number, aliveEnd: number): number | undefined {
  for (let i = 0; i < PLACE_TRIES; i++) {
    const day = calendarDay(kind, rng.next(), segStart, segEnd);
    const discharge = day + los;
    if (discharge >= aliveEnd || staysClash(p, day, discharge) || hasContactIn(p, day, discharge)) continue;
    addStay(p, day, discharge);
    return day;
  }
  return undefined;
}

/** Draws and writes the person's self-harm admissions in the window (their stays and A&E attendances). */
export function selfHarm(ctx: AreaContext, rng: Random, p: Person, aliveStart: number, aliveEnd: number): void {
  const own: AreaContext = { ...ctx, rng };
  const dep = depFactor(SELF_HARM.depRatio, ctx.area.d);
  for (const { segStart, segEnd, age } of yearsAlive(ctx.window, p.dob, aliveStart, aliveEnd)) {
    let rate = selfHarmBaseRate(age, p.male);
    if (rate === 0) continue;
    for (const [c, ratio] of RATIO_CONDITIONS) if (p.onset[c]! <= segStart) rate *= ratio;
    for (let n = rng.poisson(rate * dep * ((segEnd - segStart) / YEAR)); n > 0; n--) {
      const method = SELF_HARM.methods[rng.pickCumulative(METHOD_CUMULATIVE)]!;
      const los = rng.next() < SELF_HARM.zeroDayShare ? 0 : 1 + Math.floor(rng.exponential(SELF_HARM.meanExtraDays));
      const viaAe = rng.next() < SELF_HARM.viaAe;
      const day = placeLateStay(rng, p, 'emergency', los, segStart, segEnd, aliveEnd);
      if (day === undefined) continue;
      if (viaAe) aeAttendance(own, p, day, age, true);
      ctx.sink.row('hospital_spell', `${nextEventId(p, 'spell')},${p.id},${formatDay(day)},${formatDay(day + los)},emergency,${method.diagnosis},${method.cause},home`);
    }
  }
}
