/**
 * Care homes: residents at the start of the window, permanent admissions and short stays by age,
 * more likely with dementia and deprivation.
 */
import { formatDay } from '@openphm/core';
import { CARE_HOMES } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { ageAt, CI, NONE, YEAR, type Person } from './person.js';

/** Writes the person's care home stays and keeps them on p.careHome (for places of care and death). */
export function careHomes(ctx: AreaContext, p: Person, ageStart: number, aliveStart: number, aliveEnd: number): void {
  const { rng, window, sink } = ctx;
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
    const depr = depFactor(1.3, ctx.area.d);
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
