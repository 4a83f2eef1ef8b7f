/**
 * Hospital activity: A&E attendances, emergency admissions (with readmissions), elective admissions
 * and outpatient appointments, with the diagnosis and specialty codes they are drawn from.
 */
import { CONDITION_KEYS, mix32, type ConditionKey } from '@openphm/core';
import { formatDay, formatTimestamp } from '../days.js';
import { AE, ageBandIndex, LENGTH_OF_STAY } from '../parameters.js';
import type { AreaContext } from './context.js';
import { byAge, pickFrom } from './draws.js';
import { addStay, CI, inCareHome, markBusy, nextEventId, staysClash, type Person } from './person.js';
import { sexAllows } from './sex-codes.js';

/** ICD-10 codes (no dot) for admissions and deaths linked to a condition. */
export const CONDITION_ICD: Partial<Record<ConditionKey, readonly string[]>> = {
  hypertension: ['I10X'],
  diabetes: ['E119', 'E109'],
  asthma: ['J459'],
  copd: ['J440', 'J449'],
  chd: ['I214', 'I251', 'I209'],
  atrial_fibrillation: ['I489'],
  stroke: ['I639', 'I64X', 'G459'],
  heart_failure: ['I500', 'I509'],
  ckd: ['N189', 'N179'],
  cancer: ['C349', 'C189', 'C509', 'C61X', 'C259', 'C859'],
  dementia: ['F03X', 'G309'],
  depression: ['F329'],
  smi: ['F209', 'F319'],
  learning_disability: ['J690', 'G409'],
  autism: ['F849'],
  epilepsy: ['G409', 'G409', 'R568'],
  osteoporosis: ['S720', 'M809'],
  rheumatoid_arthritis: ['M069'],
  peripheral_arterial_disease: ['I739', 'I702'],
  anxiety: ['F419', 'R074'],
  osteoarthritis: ['M179', 'M169'],
  alcohol_dependence: ['F100', 'F102', 'K703'],
  chronic_liver_disease: ['K746', 'K703', 'K760'],
  parkinsons: ['G20X', 'J690'],
  multiple_sclerosis: ['G35X', 'N390'],
};
/**
 * Emergency admission diagnoses not linked to a condition, by age (bronchiolitis under 2 only). 75+:
 * J22X (lower respiratory infection) took the place of R296 (tendency to fall) when falls got their
 * external cause: with it, falls admissions at 65+ came to 3,600 per 100,000 against England's 2,000.
 */
const EMERGENCY_OTHER: readonly { readonly minAge: number; readonly codes: readonly string[] }[] = [
  { minAge: 75, codes: ['S720', 'J189', 'N390', 'J22X', 'R55X', 'R074', 'L039', 'E86X'] },
  { minAge: 16, codes: ['R074', 'R104', 'N390', 'J189', 'K358', 'S525', 'R51X', 'T424', 'L039'] },
  { minAge: 2, codes: ['J069', 'R509', 'A099', 'S099', 'K358', 'R104'] },
  { minAge: 0, codes: ['J069', 'R509', 'A099', 'J211', 'S099', 'J211'] },
];
/** Elective admission diagnoses by age (cataract, joint replacement, hernia, gallstones...); sex-specific ones only for that sex (sexAllows). */
const ELECTIVE_DIAGNOSES: readonly { readonly minAge: number; readonly codes: readonly string[] }[] = [
  { minAge: 60, codes: ['H251', 'M179', 'M169', 'N40X', 'K409', 'D122', 'H269', 'K802'] },
  { minAge: 16, codes: ['K802', 'K409', 'M179', 'D259', 'K210', 'M511', 'N201', 'D122'] },
  { minAge: 0, codes: ['J350', 'K409', 'H660', 'Q531', 'K358'] },
];

/**
 * External causes (ICD-10 chapter XX) of the injury and poisoning diagnoses above, as HES records them
 * beside the diagnosis: falls for fractures (W19 unspecified, W01 slipping
 * or tripping, W18 other fall on the same level, W10 stairs, W06 bed), falls and knocks for children's
 * head injuries, accidental (X41) or undetermined (Y11) for benzodiazepine poisoning outside the
 * self-harm admissions (self-harm.ts). Picked by the spell id (externalCauseOf), with no draw, so the
 * rows drawn before the column existed are unchanged but for it.
 */
export const EXTERNAL_CAUSES: Readonly<Record<string, readonly string[]>> = {
  S720: ['W19', 'W19', 'W19', 'W19', 'W01', 'W01', 'W18', 'W10', 'W06'],
  S525: ['W19', 'W19', 'W19', 'W01', 'W01', 'W01', 'W18', 'W10'],
  S099: ['W19', 'W01', 'W09', 'W10', 'W22'],
  T424: ['X41', 'X41', 'Y11'],
};

/** The external cause of a spell's diagnosis (EXTERNAL_CAUSES), fixed by the spell id; '' when the diagnosis has none. */
export function externalCauseOf(diagnosis: string, spellId: number): string {
  const causes = EXTERNAL_CAUSES[diagnosis];
  if (causes === undefined) return '';
  return causes[mix32(spellId % 4_294_967_296, EXTERNAL_CAUSE_KEY) % causes.length]!;
}
const EXTERNAL_CAUSE_KEY = 0x7e11_ca05;

/** Whether an ICD-10 code can be a diagnosis of a person of this sex (sex-codes.ts, the generator's one list). */
export { sexAllows };
const bySex = [new WeakMap<readonly string[], readonly string[]>(), new WeakMap<readonly string[], readonly string[]>()];
/** The codes of a list a person of this sex can have (the list itself when all can). */
export function forSex(codes: readonly string[], male: boolean): readonly string[] {
  const cache = bySex[male ? 1 : 0]!;
  let kept = cache.get(codes);
  if (kept === undefined) {
    kept = codes.filter((c) => sexAllows(c, male));
    cache.set(codes, kept);
  }
  return kept;
}

/** How many days are tried for a hospital stay or a contact that falls during another stay before it is dropped. */
export const PLACE_TRIES = 3;

/** Outpatient treatment function codes: the specialty of a condition, and generic ones. */
const OUTPATIENT_BY_CONDITION: Partial<Record<ConditionKey, string>> = {
  cancer: '370', chd: '320', atrial_fibrillation: '320', heart_failure: '320', copd: '340', asthma: '340',
  diabetes: '307', ckd: '361', stroke: '328', dementia: '715',
  epilepsy: '400', parkinsons: '400', multiple_sclerosis: '400', rheumatoid_arthritis: '410', osteoporosis: '410',
  peripheral_arterial_disease: '107', chronic_liver_disease: '306', osteoarthritis: '110',
};
const OUTPATIENT_GENERIC = ['110', '130', '100', '300', '330', '101', '120', '301'];

/** Cumulative weights of the hour of arrival at A&E. */
const AE_HOUR_CUMULATIVE = (() => {
  let t = 0;
  return AE.arrivalHourWeights.map((w) => (t += w));
})();

/** One A&E attendance on the day: type 01 or 03 (never 03 when admitted), time in the department, disposal. */
export function aeAttendance(ctx: AreaContext, p: Person, day: number, age: number, admitted: boolean): void {
  const { rng, sink, area } = ctx;
  const hour = rng.pickCumulative(AE_HOUR_CUMULATIVE);
  const arrival = hour * 60 + rng.int(0, 59);
  const type = !admitted && rng.next() < AE.type03Share ? '03' : '01';
  // Busier, more deprived and older populations wait a little longer.
  const median = AE.medianMinutes[type] * (admitted ? AE.admittedExtraFactor : 1) * (1 + 0.08 * (area.d - 0.5)) * (age >= 75 ? 1.15 : 1);
  const minutes = Math.max(5, Math.round(median * Math.exp(AE.logSd * rng.normal())));
  const u = rng.next();
  const disposal = admitted ? 'admitted' : u < 0.8 ? 'discharged' : u < 0.95 ? 'referred' : 'left';
  sink.row('ae_attendance', `${nextEventId(p, 'ae')},${p.id},${formatTimestamp(day, arrival)},${formatTimestamp(day, arrival + minutes)},${type},${disposal}`);
}

/**
 * One emergency admission (some through A&E) on a day from draw() on which the stay overlaps none of
 * the person's other stays (up to PLACE_TRIES days; otherwise none), and perhaps a readmission within
 * 30 days; a spell reaching the death day ends in it.
 */
export function emergencyAdmission(ctx: AreaContext, p: Person, draw: () => number, age: number, active: number[], aliveEnd: number, allowReadmission: boolean): void {
  const { rng, sink } = ctx;
  const band = ageBandIndex(age);
  const los = rng.next() < LENGTH_OF_STAY.emergencyZeroDayShare ? 0 : 1 + Math.floor(rng.exponential(LENGTH_OF_STAY.emergencyMeanDaysByBand[band]! / 0.7));
  let day = NaN;
  let discharge = NaN;
  for (let i = 0; ; i++) {
    if (i === PLACE_TRIES) return;
    day = draw();
    if (day >= aliveEnd) return;
    discharge = day + los >= p.deathDay ? p.deathDay : Math.min(day + los, aliveEnd - 1);
    if (!staysClash(p, day, discharge)) break;
  }
  addStay(p, day, discharge);
  let destination = inCareHome(p, discharge) ? 'care_home' : 'home';
  if (discharge >= p.deathDay) {
    destination = 'died';
    p.diedInHospital = true;
  }
  if (rng.next() < AE.emergencyViaAe) aeAttendance(ctx, p, day, age, true);
  const other = forSex(byAge(EMERGENCY_OTHER, age).codes, p.male);
  const diagnosis = active.length > 0 && rng.next() < 0.5
    ? pickFrom(rng, forSex(CONDITION_ICD[CONDITION_KEYS[pickFrom(rng, active)]!] ?? other, p.male))
    : pickFrom(rng, other);
  const spellId = nextEventId(p, 'spell');
  sink.row('hospital_spell', `${spellId},${p.id},${formatDay(day)},${formatDay(discharge)},emergency,${diagnosis},${externalCauseOf(diagnosis, spellId)},${destination}`);
  if (allowReadmission && destination !== 'died' && rng.next() < LENGTH_OF_STAY.readmission30ByBand[band]!) {
    emergencyAdmission(ctx, p, () => discharge + rng.int(1, 30), age, active, aliveEnd, false);
  }
}

/** One elective admission (many day cases) on a day from draw() clear of the person's other stays, dropped if it would end after death. */
export function electiveAdmission(ctx: AreaContext, p: Person, draw: () => number, age: number, active: number[], aliveEnd: number): void {
  const { rng, sink } = ctx;
  const dayCase = rng.next() < LENGTH_OF_STAY.electiveDayCaseShare;
  const los = dayCase ? 0 : 1 + Math.floor(rng.exponential(LENGTH_OF_STAY.electiveMeanDays));
  let day = NaN;
  let discharge = NaN;
  for (let i = 0; ; i++) {
    if (i === PLACE_TRIES) return;
    day = draw();
    discharge = Math.min(aliveEnd - 1, day + los);
    if (discharge >= p.deathDay || day > discharge) return;
    if (!staysClash(p, day, discharge)) break;
  }
  addStay(p, day, discharge);
  const diagnosis = active.includes(CI.cancer) && rng.next() < 0.5 ? 'Z511' : pickFrom(rng, forSex(byAge(ELECTIVE_DIAGNOSES, age).codes, p.male));
  sink.row('hospital_spell', `${nextEventId(p, 'spell')},${p.id},${formatDay(day)},${formatDay(discharge)},elective,${diagnosis},,home`);
}

/** n outpatient appointments (a day() of undefined drops one): often in the specialty of one of the person's conditions; some missed, more with deprivation. */
export function outpatientAppointments(ctx: AreaContext, p: Person, n: number, age: number, active: number[], day: () => number | undefined): void {
  const { rng, sink, area } = ctx;
  for (let i = n; i > 0; i--) {
    const when = day();
    const spec = active.length > 0 && rng.next() < 0.55 ? OUTPATIENT_BY_CONDITION[CONDITION_KEYS[pickFrom(rng, active)]!] : undefined;
    const specialty = spec ?? (age < 16 ? '420' : !p.male && rng.next() < 0.15 ? '502' : pickFrom(rng, OUTPATIENT_GENERIC));
    const attended = rng.next() >= 0.05 + 0.05 * area.d;
    if (when === undefined) continue;
    markBusy(p, when);
    sink.row('outpatient_appointment', `${p.id},${formatDay(when)},${specialty},${attended}`);
  }
}
