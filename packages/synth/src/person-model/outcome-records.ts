/**
 * Outcome records (OUTCOME_RECORDS): the GP-record entries the outcomes framework's indicators count
 * that the rest of the model does not write.
 *
 * - Blood pressure (systolic and diastolic, mmHg, the same day) of people on the hypertension
 *   register, once in most years of the window, at the age-appropriate target (≤140/90 under 80,
 *   ≤150/90 from 80) with the person's own chance.
 * - HbA1c (mmol/mol) of people on the diabetes register, once in most years, at or below 58 with a
 *   chance by age; blood pressure of those not on the hypertension register (a stream of its own).
 * - The stage (1-4, or none: not staged) of every cancer on the cancer register, on the day of
 *   diagnosis; later stages in older and more deprived people and in those who die of cancer within a
 *   year of diagnosis.
 * - Pneumococcal polysaccharide vaccination (PPV), once, after the 65th birthday.
 * - The childhood 6-in-1 (three doses) and MMR (two doses), each dose given only after the one before.
 * - NHS Health Checks of people 40-74 on none of the cardiovascular registers, one invitation every
 *   five years.
 *
 * Readings and vaccinations fall on the working day nearest their drawn day (no draw). Every draw
 * comes from a stream of its own per LSOA, never from the area's main stream, so adding these records
 * changed no other row.
 */
import { HEALTH_CHECK_EXCLUDED_REGISTERS, OBSERVATION_CODES, Random, type DayNumber } from '@openphm/core';
import { formatDay } from '../days.js';
import { nearestWorkingDay } from '../calendar.js';
import { OUTCOME_RECORDS } from '../parameters.js';
import type { RowSink } from '../sink.js';
import { probitOffset } from './care-gaps.js';
import type { Window } from './context.js';
import { byAge, depFactor } from './draws.js';
import { ageAt, CI, NONE, YEAR } from './person.js';

/** The stream of the outcome-record draws of one LSOA. */
export const outcomeRecordStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-outcome-records/${idKey}/${lsoaCode}`);
/** The stream of the blood pressure of people with diabetes but no hypertension, added after the others (so theirs stayed the same). */
export const diabetesBpStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-outcome-records-diabetes-bp/${idKey}/${lsoaCode}`);

/** What the records depend on about one person. */
export interface OutcomeRecordPerson {
  readonly id: number;
  readonly dob: DayNumber;
  /** Diagnosis day of each condition in CONDITION_KEYS order (NONE = never). */
  readonly onset: readonly number[];
  /** NONE when the person does not die in the window. */
  readonly deathDay: number;
  /** Underlying cause of death ('' if none). */
  readonly cause: string;
}

const BP = OUTCOME_RECORDS.bloodPressure;
const HBA1C = OUTCOME_RECORDS.hba1c;
const DM_BP = OUTCOME_RECORDS.diabetesBloodPressure;
const STAGE = OUTCOME_RECORDS.cancerStage;
const PPV = OUTCOME_RECORDS.pneumococcal;
const CHILD = OUTCOME_RECORDS.childhood;
const CHECK = OUTCOME_RECORDS.healthCheck;
/** The registers that make someone ineligible for a health check: the catalogue indicator's. */
const EXCLUDED = HEALTH_CHECK_EXCLUDED_REGISTERS.map((k) => CI[k]);
const HYPERTENSION = CI.hypertension;
const DIABETES = CI.diabetes;
const CANCER = CI.cancer;
const FIVE_YEARS = Math.round(5 * YEAR);
/** Days kept clear of a birthday reckoned as 365.25-day years (a calendar birthday can be a day either side). */
const BIRTHDAY_MARGIN = 2;

/** A value near `mean` (sd), kept within [min, max], rounded to a whole number. */
const clampedRound = (rng: Random, mean: number, sd: number, min: number, max: number): number => Math.round(Math.min(max, Math.max(min, mean + sd * rng.normal())));

/** A blood pressure reading [systolic, diastolic] at the target for the age, or not. */
export const bloodPressureReading = (rng: Random, atTarget: boolean, from80: boolean): readonly [number, number] => {
  const limit = from80 ? 150 : 140;
  if (atTarget) return [clampedRound(rng, limit - 12, 9, 100, limit), clampedRound(rng, from80 ? 70 : 76, 7, 50, 90)];
  // Above target: mostly the systolic, sometimes the diastolic alone.
  if (rng.next() < 0.8) return [limit + 1 + Math.floor(rng.exponential(12)), clampedRound(rng, from80 ? 76 : 84, 8, 55, 120)];
  return [clampedRound(rng, limit - 8, 8, 105, limit), 91 + Math.floor(rng.exponential(5))];
};

/** An HbA1c reading (mmol/mol) at or below 58, or above. */
export const hba1cReading = (rng: Random, atTarget: boolean): number =>
  atTarget ? clampedRound(rng, 50, 6, 38, 58) : 59 + Math.floor(rng.exponential(14));

/** Writes the outcome records of the people of one LSOA. */
export class OutcomeRecords {
  private readonly rng: Random;
  private readonly dmBpRng: Random;
  private readonly bpOffsets: { readonly under80: number; readonly from80: number };
  private readonly hba1cOffsets: readonly number[];
  private readonly checkOffset: number;
  private readonly stageDep: number;
  private readonly ppvUptake: number;
  private readonly childDep: number;

  constructor(
    idKey: number,
    lsoaCode: string,
    /** The LSOA's deprivation position (1 = most deprived in England). */
    d: number,
    private readonly window: Window,
    private readonly sink: RowSink,
  ) {
    this.rng = outcomeRecordStream(idKey, lsoaCode);
    this.dmBpRng = diabetesBpStream(idKey, lsoaCode);
    const bpDep = depFactor(BP.depRatio, d);
    this.bpOffsets = { under80: probitOffset(BP.atTarget.under80 * bpDep, BP.sd), from80: probitOffset(BP.atTarget.from80 * bpDep, BP.sd) };
    this.hba1cOffsets = HBA1C.atTargetByAge.map((row) => probitOffset(row.share * depFactor(HBA1C.depRatio, d), HBA1C.sd));
    this.checkOffset = probitOffset(CHECK.perInvitation * depFactor(CHECK.depRatio, d), CHECK.sd);
    this.stageDep = depFactor(STAGE.depRatio, d);
    this.ppvUptake = Math.min(0.98, PPV.uptake * depFactor(PPV.depRatio, d));
    this.childDep = depFactor(CHILD.depRatio, d);
  }

  /** Draws and writes one person's records. */
  person(p: OutcomeRecordPerson): void {
    const rng = this.rng;
    const engagement = rng.normal();
    this.bloodPressure(p, engagement);
    this.hba1c(p, engagement);
    this.cancerStage(p);
    this.pneumococcal(p);
    this.childhood(p);
    this.healthChecks(p);
    this.diabetesBloodPressure(p);
  }

  private end(p: OutcomeRecordPerson): number {
    return Math.min(this.window.end, p.deathDay);
  }

  /** A row on the working day nearest `day` within [from, to). */
  private emit(p: OutcomeRecordPerson, day: number, code: string, value: number | '', from: number, to: number): void {
    this.sink.row('clinical_event', `${p.id},${formatDay(nearestWorkingDay(day, from, to))},${code},${value}`);
  }

  /** A day in each year of the window in [from, to) with chance `chance`, or none. */
  private yearlyDays(from: number, to: number, chance: number, each: (day: number, start: number, end: number) => void): void {
    const { rng, window } = this;
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const start = Math.max(window.yearStarts[y]!, from);
      const end = Math.min(window.yearStarts[y + 1]!, to);
      const recorded = rng.next() < chance;
      const u = rng.next();
      if (end <= start || !recorded) continue;
      each(start + Math.floor(u * (end - start)), start, end);
    }
  }

  private bloodPressure(p: OutcomeRecordPerson, engagement: number): void {
    const onset = p.onset[HYPERTENSION]!;
    if (onset === NONE) return;
    this.yearlyDays(onset + 1, this.end(p), BP.recordedPerYear, (day, start, end) => {
      const from80 = ageAt(p.dob, day) >= 80;
      const atTarget = (from80 ? this.bpOffsets.from80 : this.bpOffsets.under80) + BP.sd * engagement + this.rng.normal() > 0;
      const [systolic, diastolic] = bloodPressureReading(this.rng, atTarget, from80);
      const on = nearestWorkingDay(day, start, end);
      this.emit(p, on, OBSERVATION_CODES.systolicBp.code, systolic, on, on + 1);
      this.emit(p, on, OBSERVATION_CODES.diastolicBp.code, diastolic, on, on + 1);
    });
  }

  /** Blood pressure of people with diabetes and no hypertension (their own stream; people with both have the readings above). */
  private diabetesBloodPressure(p: OutcomeRecordPerson): void {
    const onset = p.onset[DIABETES]!;
    if (onset === NONE || p.onset[HYPERTENSION]! !== NONE) return;
    const rng = this.dmBpRng;
    const { window } = this;
    const end = this.end(p);
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const start = Math.max(window.yearStarts[y]!, onset + 1);
      const stop = Math.min(window.yearStarts[y + 1]!, end);
      const recorded = rng.next() < DM_BP.recordedPerYear;
      const u = rng.next();
      const systolic = clampedRound(rng, DM_BP.systolicMean, DM_BP.systolicSd, 100, 175);
      const diastolic = clampedRound(rng, DM_BP.diastolicMean, DM_BP.diastolicSd, 50, 105);
      if (stop <= start || !recorded) continue;
      const on = nearestWorkingDay(start + Math.floor(u * (stop - start)), start, stop);
      this.emit(p, on, OBSERVATION_CODES.systolicBp.code, systolic, on, on + 1);
      this.emit(p, on, OBSERVATION_CODES.diastolicBp.code, diastolic, on, on + 1);
    }
  }

  private hba1c(p: OutcomeRecordPerson, engagement: number): void {
    const onset = p.onset[DIABETES]!;
    if (onset === NONE) return;
    this.yearlyDays(onset + 1, this.end(p), HBA1C.recordedPerYear, (day, start, end) => {
      const age = ageAt(p.dob, day);
      const row = HBA1C.atTargetByAge.findIndex((r) => age >= r.minAge);
      const atTarget = this.hba1cOffsets[row < 0 ? HBA1C.atTargetByAge.length - 1 : row]! + HBA1C.sd * engagement + this.rng.normal() > 0;
      this.emit(p, day, OBSERVATION_CODES.hba1c.code, hba1cReading(this.rng, atTarget), start, end);
    });
  }

  private cancerStage(p: OutcomeRecordPerson): void {
    const onset = p.onset[CANCER]!;
    if (onset === NONE) return;
    const rng = this.rng;
    const staged = rng.next() < STAGE.stagedShare;
    const u = rng.next();
    const within = rng.next();
    let value: number | '' = '';
    if (staged) {
      const diedSoon = p.cause.startsWith('C') && p.deathDay - onset < YEAR;
      const early = Math.min(0.95, byAge(STAGE.earlyByAge, ageAt(p.dob, onset)).share * this.stageDep * (diedSoon ? STAGE.diedWithinYearRatio : 1));
      value = u < early ? (within < STAGE.stage1OfEarly ? 1 : 2) : within < STAGE.stage4OfLate ? 4 : 3;
    }
    // The stage is recorded on the day of diagnosis (the cancer register's first code).
    this.sink.row('clinical_event', `${p.id},${formatDay(onset)},${OBSERVATION_CODES.tumourStage.code},${value}`);
  }

  private pneumococcal(p: OutcomeRecordPerson): void {
    const rng = this.rng;
    const at65 = p.dob + Math.ceil(65 * YEAR) + BIRTHDAY_MARGIN;
    if (at65 >= this.window.end) return;
    const taken = rng.next() < this.ppvUptake;
    const day = at65 + Math.floor(rng.exponential(PPV.meanYearsAfter65) * YEAR);
    const end = this.end(p);
    if (taken && day < end) this.emit(p, day, OBSERVATION_CODES.pneumococcalVaccination.code, '', at65, end);
  }

  private childhood(p: OutcomeRecordPerson): void {
    if (p.dob < this.window.start - CHILD.historyYears * YEAR) return;
    const rng = this.rng;
    const end = this.end(p);
    let previousShare = 0;
    let previousDay = p.dob;
    for (const dose of CHILD.doses) {
      // Each dose only after the one before: its chance given the one before is the ratio of the shares.
      const chance = previousShare === 0 ? Math.min(0.99, dose.share * this.childDep) : dose.share / previousShare;
      const given = rng.next() < chance;
      const day = Math.max(p.dob + dose.ageDays, previousDay + 28) + Math.floor(rng.exponential(dose.meanDelayDays));
      if (!given || day >= end) return;
      this.emit(p, day, OBSERVATION_CODES[dose.dose].code, '', Math.max(previousDay + 28, p.dob + dose.ageDays - 7), end);
      previousShare = dose.share;
      previousDay = day;
    }
  }

  private healthChecks(p: OutcomeRecordPerson): void {
    const rng = this.rng;
    const at40 = p.dob + Math.ceil(40 * YEAR) + BIRTHDAY_MARGIN;
    const at75 = p.dob + Math.floor(75 * YEAR) - BIRTHDAY_MARGIN;
    const keepFrom = this.window.start - FIVE_YEARS;
    const end = Math.min(this.end(p), at75);
    if (end <= keepFrom || at40 >= end) return;
    const spread = CHECK.sd * rng.normal();
    // The first invitation: within a year of turning 40, or anywhere in a five-year cycle already running.
    let invite = at40 >= keepFrom ? at40 + Math.floor(rng.next() * YEAR) : keepFrom + Math.floor(rng.next() * FIVE_YEARS);
    while (invite < end) {
      const takes = this.checkOffset + spread + rng.normal() > 0;
      const day = invite + Math.floor(rng.exponential(CHECK.meanDelayDays));
      let eligible = true;
      for (const c of EXCLUDED) if (p.onset[c]! <= day) eligible = false;
      if (takes && eligible && day < end) this.emit(p, day, OBSERVATION_CODES.healthCheck.code, '', invite, end);
      invite += FIVE_YEARS;
    }
  }
}
