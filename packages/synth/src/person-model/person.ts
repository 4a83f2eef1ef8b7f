/**
 * The simulated person: the state the model's parts share while one person's life is generated,
 * with the time and condition-indexing helpers every part uses.
 */
import { CONDITION_KEYS, type ConditionKey, type DayNumber, type EthnicCategory } from '@openphm/core';
import { CONDITION_PARAMETERS } from '../parameters.js';
import type { Window } from './context.js';

export const YEAR = 365.25;
/** "Never" for a day (no diagnosis, no death in the window). */
export const NONE = Number.POSITIVE_INFINITY;

export type Smoking = 0 | 1 | 2; // never, ex, current

/** Conditions are held by index in CONDITION_KEYS order: NC of them, CI maps a key to its index. */
export const NC = CONDITION_KEYS.length;
export const CI = Object.fromEntries(CONDITION_KEYS.map((k, i) => [k, i])) as Record<ConditionKey, number>;
export const CONDITION_PARAMS = CONDITION_KEYS.map((k) => CONDITION_PARAMETERS[k]);
/** Each condition's weight in a person's healthcare use (ConditionParameters.activityWeight, default 1). */
export const ACTIVITY_WEIGHT = CONDITION_PARAMS.map((par) => par.activityWeight ?? 1);

export interface Person {
  readonly id: number;
  readonly male: boolean;
  readonly dob: DayNumber;
  readonly ethnic: EthnicCategory;
  readonly group: string;
  readonly z: number;
  smoking: Smoking;
  bmi: number;
  readonly practice: string;
  /** Diagnosis day for each condition in CONDITION_KEYS order (NONE = never). */
  readonly onset: number[];
  /** Undiagnosed chronic respiratory disease (for case-finding cohorts). */
  undiagnosedRespiratory: boolean;
  deathDay: number;
  /** Underlying cause of death (ICD-10), drawn with the death day ('' if the person survives the window). */
  cause: string;
  /** Care home intervals [start, end) with type flags. */
  careHome: { start: number; end: number; permanent: boolean }[];
  /** Days on which coded frailty deficits were first recorded. */
  readonly deficits: number[];
  suicide: boolean;
  diedInHospital: boolean;
  /** Counters for attendance and spell ids (person id * 1000 + n). */
  aeCount: number;
  spellCount: number;
  /** Hospital stays written so far, [admission, discharge] in whole days, both included (activity.ts, births.ts). */
  stays?: { start: number; end: number }[];
  /** The last day of a contact or stay written so far (markBusy), so a hospital stay written later can start after it. */
  lastBusy?: number;
  /** The days of every contact or stay end written so far (markBusy), so a stay written after the rest of the life (self-harm.ts) can avoid them. */
  busyDays?: number[];
}

export const ageAt = (dob: DayNumber, day: DayNumber): number => Math.floor((day - dob) / YEAR);

/** Whether the person lives in a care home on the day. */
export function inCareHome(p: Person, day: number): boolean {
  for (const s of p.careHome) if (day >= s.start && day < s.end) return true;
  return false;
}

/** The next A&E attendance or spell id of the person (person id * 1000 + n). */
export function nextEventId(p: Person, kind: 'ae' | 'spell'): number {
  const n = kind === 'ae' ? p.aeCount++ : p.spellCount++;
  return p.id * 1000 + n;
}

/** Whether the day falls within one of the person's hospital stays (admission and discharge days included). */
export function inStay(p: Person, day: number): boolean {
  if (p.stays) for (const s of p.stays) if (day >= s.start && day <= s.end) return true;
  return false;
}

/** Whether a stay from start to end (both included) would overlap one of the person's stays. */
export function staysClash(p: Person, start: number, end: number): boolean {
  if (p.stays) for (const s of p.stays) if (start <= s.end && end >= s.start) return true;
  return false;
}

/** Records a hospital stay of the person. */
export function addStay(p: Person, start: number, end: number): void {
  (p.stays ??= []).push({ start, end });
  markBusy(p, end);
}

/** Records that the person had a contact (or was in hospital) on a day. */
export function markBusy(p: Person, day: number): void {
  if (p.lastBusy === undefined || day > p.lastBusy) p.lastBusy = day;
  (p.busyDays ??= []).push(day);
}

/** Whether the person had a contact (markBusy) on a day from start to end, both included. */
export function hasContactIn(p: Person, start: number, end: number): boolean {
  if (p.busyDays) for (const d of p.busyDays) if (d >= start && d <= end) return true;
  return false;
}

/**
 * The first day a hospital stay written after the person's activity may start and overlap none of
 * their stays or contacts (for a terminal stay ending on the death day: max(deathDay - los, this)).
 */
export const freeFrom = (p: Person): number => (p.lastBusy === undefined ? Number.NEGATIVE_INFINITY : p.lastBusy + 1);

/**
 * The parts of the window's years in which a person is alive (from aliveStart, before aliveEnd):
 * each year's first and after-last day and the person's age on the first, in order.
 */
export function* yearsAlive(window: Window, dob: number, aliveStart: number, aliveEnd: number): Generator<{ readonly segStart: number; readonly segEnd: number; readonly age: number }> {
  const { yearStarts } = window;
  for (let y = 0; y + 1 < yearStarts.length; y++) {
    const segStart = Math.max(yearStarts[y]!, aliveStart);
    const segEnd = Math.min(yearStarts[y + 1]!, aliveEnd);
    if (segEnd > segStart) yield { segStart, segEnd, age: ageAt(dob, segStart) };
  }
}
