/**
 * Opt-outs (OPT_OUTS): who holds a national data opt-out or a type 1 opt-out at the end of the
 * window. Every draw comes from a stream of its own (per LSOA, and one per practice for the practice
 * factor), never from the area's main stream, so adding opt-outs changed no one else's records.
 */
import { Random, dayFromIso, type DayNumber } from '@openphm/core';
import { formatDay } from '../days.js';
import { OPT_OUTS } from '../parameters.js';
import { latentFactor } from './draws.js';
import type { RowSink } from '../sink.js';
import type { Window } from './context.js';

const GPDPR_FROM = dayFromIso(OPT_OUTS.type1Gpdpr.from);
const GPDPR_TO = dayFromIso(OPT_OUTS.type1Gpdpr.to);
const TYPE1_SINCE = dayFromIso(OPT_OUTS.type1Since);

/** The stream of the opt-out draws of one LSOA. */
export const optOutStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-opt-outs/${idKey}/${lsoaCode}`);

/** The practice's factor on opt-out rates: log-normal with mean 1, fixed per seed and practice. */
export const practiceOptOutFactor = (idKey: number, practiceCode: string): number =>
  latentFactor(OPT_OUTS.practiceLogSd, Random.fromKey(`openphm-opt-outs/${idKey}/practice/${practiceCode}`).normal());

/** The national data opt-out probability of someone of this age and sex at an average practice. */
export const nationalOptOutRate = (age: number, male: boolean): number => {
  const bands = OPT_OUTS.nationalFemaleByTenYears;
  const female = bands[Math.min(bands.length - 1, Math.max(0, Math.floor(age / 10)))]!;
  return male ? female * OPT_OUTS.nationalMaleRatio : female;
};

export interface OptOutPerson {
  readonly id: number;
  readonly male: boolean;
  readonly dob: DayNumber;
  /** Age at the end of the window. */
  readonly ageEnd: number;
}

/** Draws the person's opt-outs and writes their rows. */
export const optOuts = (rng: Random, sink: RowSink, window: Window, practiceFactor: number, p: OptOutPerson): void => {
  const pNational = Math.min(0.5, nationalOptOutRate(p.ageEnd, p.male) * practiceFactor);
  const pType1 = Math.min(0.5, OPT_OUTS.type1Ratio * pNational);
  const national = rng.next() < pNational;
  // Half of type 1 opt-outs are held by people who also have a national one (type1AlsoNational).
  const share = OPT_OUTS.type1AlsoNational;
  const type1 = rng.next() < (national ? (share * pType1) / pNational : ((1 - share) * pType1) / (1 - pNational));
  if (type1) {
    const lo = Math.max(p.dob, TYPE1_SINCE);
    const hi = window.end - 1;
    let day: number;
    if (lo > hi) day = Math.min(hi, Math.max(p.dob, window.start));
    else if (rng.next() < OPT_OUTS.type1Gpdpr.share && GPDPR_FROM >= lo && GPDPR_TO <= hi) day = rng.int(GPDPR_FROM, GPDPR_TO - 1);
    else day = rng.int(lo, hi);
    sink.row('opt_out', `${p.id},type-1,${formatDay(day)}`);
  }
  // The national service returns who has opted out, not when: no date.
  if (national) sink.row('opt_out', `${p.id},national,`);
};
