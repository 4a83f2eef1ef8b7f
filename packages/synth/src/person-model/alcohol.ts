/**
 * Admissions for alcohol-specific conditions (ALCOHOL_ADMISSIONS) beyond those the registers bring
 * among the person's emergency admissions: drawn after the rest of their life (and their self-harm
 * admissions), from a stream of their own per LSOA, so adding them changed no other row. Each stay is
 * placed clear of the person's other stays and contacts (self-harm.ts placeLateStay).
 */
import { Random } from '@openphm/core';
import { formatDay } from '../days.js';
import { ALCOHOL_ADMISSIONS, bandIndexOf } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { aeAttendance } from './hospital.js';
import { CI, nextEventId, YEAR, yearsAlive, type Person } from './person.js';
import { placeLateStay } from './self-harm.js';

/** The stream of the alcohol admission draws of one LSOA. */
export const alcoholStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-alcohol/${idKey}/${lsoaCode}`);

const DIAGNOSIS_CUMULATIVE = (() => {
  let t = 0;
  return ALCOHOL_ADMISSIONS.dependentDiagnoses.map((d) => (t += d.weight));
})();

/** The yearly rate of intoxication admissions of someone not on the register (0 under the first band). */
export const intoxicationRate = (age: number, male: boolean): number => {
  const lower = ALCOHOL_ADMISSIONS.ageLower;
  if (age < lower[0]!) return 0;
  return ALCOHOL_ADMISSIONS.intoxicationPerYear[male ? 'M' : 'F'][bandIndexOf(lower, age)]!;
};

/** Draws and writes the person's further alcohol-specific admissions in the window. */
export function alcoholAdmissions(ctx: AreaContext, rng: Random, p: Person, aliveStart: number, aliveEnd: number): void {
  const own: AreaContext = { ...ctx, rng };
  const dep = depFactor(ALCOHOL_ADMISSIONS.depRatio, ctx.area.d);
  for (const { segStart, segEnd, age } of yearsAlive(ctx.window, p.dob, aliveStart, aliveEnd)) {
    const dependent = p.onset[CI.alcohol_dependence]! <= segStart;
    const rate = dependent ? ALCOHOL_ADMISSIONS.dependentPerYear : intoxicationRate(age, p.male) * dep;
    if (rate === 0) continue;
    for (let n = rng.poisson(rate * ((segEnd - segStart) / YEAR)); n > 0; n--) {
      const elective = dependent && rng.next() < ALCOHOL_ADMISSIONS.electiveShare;
      const diagnosis = elective ? 'F102' : dependent ? ALCOHOL_ADMISSIONS.dependentDiagnoses[rng.pickCumulative(DIAGNOSIS_CUMULATIVE)]!.diagnosis : 'F100';
      const los = rng.next() < ALCOHOL_ADMISSIONS.zeroDayShare ? 0 : 1 + Math.floor(rng.exponential(ALCOHOL_ADMISSIONS.meanExtraDays * (diagnosis.startsWith('K') ? 2 : 1)));
      const viaAe = !elective && rng.next() < ALCOHOL_ADMISSIONS.viaAe;
      const day = placeLateStay(rng, p, elective ? 'elective' : 'emergency', los, segStart, segEnd, aliveEnd);
      if (day === undefined) continue;
      if (viaAe) aeAttendance(own, p, day, age, true);
      ctx.sink.row('hospital_spell', `${nextEventId(p, 'spell')},${p.id},${formatDay(day)},${formatDay(day + los)},${elective ? 'elective' : 'emergency'},${diagnosis},,home`);
    }
  }
}
