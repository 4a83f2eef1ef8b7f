/**
 * Care homes: residents at the start of the window, permanent admissions and short stays by age,
 * more likely with dementia and deprivation. Drawn before mortality (residents are the frailest and
 * die sooner: MORTALITY.careHomeRatio); written after it, ending at death.
 */
import { formatDay } from '../days.js';
import { CARE_HOMES } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor } from './draws.js';
import { ageAt, CI, NONE, YEAR, type Person } from './person.js';

const bracket = (age: number): '65' | '75' | '85' | undefined => (age >= 85 ? '85' : age >= 75 ? '75' : age >= 65 ? '65' : undefined);

/** Draws the person's care-home stays through the window (as if they lived through it) into p.careHome. */
export function careHomes(ctx: AreaContext, p: Person, ageStart: number): void {
  const { rng, window } = ctx;
  const dementia = (day: number) => (p.onset[CI.dementia]! <= day ? CARE_HOMES.dementiaRatio : 1);
  const k0 = bracket(ageStart);
  if (k0 && rng.next() < CARE_HOMES.residentAtStartByAge[k0] * dementia(window.start) / 1.4) {
    p.careHome.push({ start: window.start - 1 - Math.floor(rng.exponential(2) * YEAR), end: NONE, permanent: true });
    return;
  }
  const aliveStart = Math.max(window.start, p.dob);
  for (let y = 0; y + 1 < window.yearStarts.length; y++) {
    const segStart = Math.max(window.yearStarts[y]!, aliveStart);
    const segEnd = window.yearStarts[y + 1]!;
    if (segEnd <= segStart) continue;
    const k = bracket(ageAt(p.dob, segStart));
    if (!k) continue;
    const t = (segEnd - segStart) / YEAR;
    const depr = depFactor(1.3, ctx.area.d);
    if (rng.next() < CARE_HOMES.permanentAdmissionByAge[k] * dementia(segStart) * depr * t / 1.4) {
      p.careHome.push({ start: segStart + Math.floor(rng.next() * (segEnd - segStart)), end: NONE, permanent: true });
      return;
    }
    if (rng.next() < CARE_HOMES.shortStayByAge[k] * t) {
      const start = segStart + Math.floor(rng.next() * (segEnd - segStart));
      p.careHome.push({ start, end: start + rng.int(14, 42), permanent: false });
    }
  }
}

/**
 * Writes the stays the person lived to start, ending at death (or open at the end of the window), and
 * keeps only those on p.careHome; someone 65+ who dies outside a care home may have been admitted to
 * one for their last weeks (a temporary stay, ending in death).
 */
export function writeCareHomes(ctx: AreaContext, p: Person, aliveEnd: number): void {
  const { rng, sink, window } = ctx;
  const lived = p.careHome.filter((s) => s.start < aliveEnd);
  if (p.deathDay < window.end) {
    const k = bracket(ageAt(p.dob, p.deathDay));
    const u = rng.next();
    const start = p.deathDay - rng.int(3, 42);
    if (k && u < CARE_HOMES.endOfLifeStayByAge[k] && start >= window.start && !lived.some((s) => s.end > start)) lived.push({ start, end: NONE, permanent: false });
  }
  p.careHome = lived.map((s) => (s.end >= aliveEnd ? { ...s, end: NONE } : s));
  for (const s of p.careHome) {
    const nursing = rng.next() < CARE_HOMES.nursingShare;
    const funded = rng.next() < CARE_HOMES.councilFundedShare;
    sink.row('care_home_stay', `${p.id},${formatDay(s.start)},${s.end >= aliveEnd ? '' : formatDay(s.end)},${nursing ? 'nursing' : 'residential'},${s.permanent},${funded}`);
  }
}
