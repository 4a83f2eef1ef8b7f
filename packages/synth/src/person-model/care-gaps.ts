/**
 * Reviews, vaccinations and screening (CARE_GAPS): the GP-record events that show core's care-gap
 * rules (CARE_GAP_RULES) being done, with each rule's codes, so that on the last day of the data
 * some eligible people are up to date and others are due, as in practice.
 *
 * - Annual reviews (diabetes, asthma, COPD): in each year of the window, people on the register are
 *   reviewed with a personal chance, near their birthday (birth-month recall), after diagnosis.
 * - Flu vaccination: in each season that reaches into the window, people the rule covers (age on
 *   31 March, registers and carers on the day) are vaccinated with their group's UKHSA uptake of that
 *   season, from the start of the adult programme, mostly in its first two months.
 * - Screening: invitations on the programme's schedule (cervical: recall from the last test;
 *   breast: practice rounds every 3 years; bowel: a kit every 2 years), each taken up with a
 *   personal chance, the test a few weeks later; tests since a lookback before the window are kept,
 *   so the latest one is there however short the window.
 *
 * Coverage falls with deprivation (`depRatio`), and each person has an engagement (probit scale)
 * shared partly between programmes, so the same people tend to attend again. Every draw comes from
 * a stream of its own per LSOA (and one per practice for its breast screening round), never from
 * the area's main stream: adding these events changed no other row.
 */
import { CARE_GAP_RULES, CONDITION_KEYS, FLU_RISK_CONDITIONS, InternalError, Random, careGapRuleApplies, dayFromIso, isoFromDay, normalCdf, normalQuantile, type CareGapFacts, type CareGapRule, type ConditionKey, type DayNumber, type SnomedCode } from '@openphm/core';
import { formatDay } from '../days.js';
import { CARE_GAPS } from '../parameters.js';
import type { RowSink } from '../sink.js';
import type { Window } from './context.js';
import { nearestWorkingDay } from '../calendar.js';
import { depFactor } from './draws.js';
import { ageAt, CI, NONE, YEAR } from './person.js';

/** What the events depend on about one person. */
export interface CareGapPerson {
  readonly id: number;
  readonly male: boolean;
  readonly dob: DayNumber;
  /** Diagnosis day of each condition in CONDITION_KEYS order (NONE = never). */
  readonly onset: readonly number[];
  /** NONE when the person does not die in the window. */
  readonly deathDay: number;
  readonly practice: string;
  readonly isCarer: boolean;
}

type ScreeningParameters = (typeof CARE_GAPS.screening)[keyof typeof CARE_GAPS.screening];

interface ReviewProgramme {
  readonly rule: CareGapRule;
  readonly coverage: number;
  /** Indices (CI) of the registers the rule is for. */
  readonly conditions: readonly number[];
}

interface ScreeningProgramme {
  readonly rules: readonly CareGapRule[];
  readonly parameters: ScreeningParameters;
  readonly code: SnomedCode;
  readonly sex: 'F' | 'M' | undefined;
  readonly minAge: number;
  readonly maxAge: number;
  /** The longest interval of its rules, in days. */
  readonly longestInterval: number;
}

const monthsInDays = (months: number): number => Math.round((months * YEAR) / 12);
const ruleById = new Map(CARE_GAP_RULES.map((r) => [r.id, r]));
const ruleOf = (id: string): CareGapRule => {
  const rule = ruleById.get(id);
  if (rule === undefined) throw new InternalError(`CARE_GAPS names a care-gap rule core does not have: ${id}`);
  return rule;
};
const monthsOf = (rule: CareGapRule): number => {
  if (rule.interval.kind !== 'months') throw new InternalError(`care-gap rule ${rule.id} is not done every so many months`);
  return rule.interval.months;
};

const REVIEWS: readonly ReviewProgramme[] = Object.entries(CARE_GAPS.reviews).map(([id, coverage]) => {
  const rule = ruleOf(id);
  monthsOf(rule); // Reviews are done every so many months.
  const conditions = rule.eligible.map((e) => {
    if (e.anyOf === undefined || e.minAge !== undefined || e.maxAge !== undefined || e.sex !== undefined || e.carer !== undefined) {
      throw new InternalError(`review rule ${id}: the generator reviews people on registers only`);
    }
    return e.anyOf;
  });
  return { rule, coverage, conditions: [...new Set(conditions.flat())].map((k) => CI[k]) };
});

const FLU: CareGapRule = (() => {
  const seasonal = CARE_GAP_RULES.filter((r) => r.interval.kind === 'season');
  if (seasonal.length !== 1 || seasonal[0]!.id !== 'flu-vaccination') throw new InternalError('the generator knows one seasonal care-gap rule, flu vaccination');
  return seasonal[0]!;
})();
const FLU_MIN_AGE = Math.min(...FLU.eligible.map((e) => e.minAge ?? 0));
const FLU_RISK = FLU_RISK_CONDITIONS.map((k) => CI[k]);

const SCREENING: readonly ScreeningProgramme[] = Object.values(CARE_GAPS.screening).map((parameters) => {
  const rules = parameters.rules.map(ruleOf);
  const perInvitation: Readonly<Record<string, number>> = parameters.perInvitation;
  for (const r of rules) if (perInvitation[r.id] === undefined) throw new InternalError(`CARE_GAPS.screening: no chance of taking up an invitation for ${r.id}`);
  const codes = new Set(rules.map((r) => r.codes.join(' ')));
  const eligibilities = rules.map((r) => {
    if (r.eligible.length !== 1 || r.eligible[0]!.anyOf !== undefined || r.eligible[0]!.carer !== undefined || r.eligible[0]!.minAge === undefined || r.eligible[0]!.maxAge === undefined) {
      throw new InternalError(`screening rule ${r.id}: the generator screens by an age range (and sex) only`);
    }
    return r.eligible[0]!;
  });
  if (codes.size !== 1 || new Set(eligibilities.map((e) => e.sex)).size !== 1) throw new InternalError(`screening rules ${parameters.rules.join(', ')} must share their codes and sex`);
  return {
    rules, parameters, code: rules[0]!.codes[0]!, sex: eligibilities[0]!.sex,
    minAge: Math.min(...eligibilities.map((e) => e.minAge!)),
    maxAge: Math.max(...eligibilities.map((e) => e.maxAge!)),
    longestInterval: Math.max(...rules.map((r) => monthsInDays(monthsOf(r)))),
  };
});

/** Every care-gap rule the generator records being done (a test checks it is all of core's). */
export const GENERATED_CARE_GAP_RULES: readonly string[] = [...REVIEWS.map((r) => r.rule.id), FLU.id, ...SCREENING.flatMap((s) => s.rules.map((r) => r.id))];

/** The stream of the care-gap draws of one LSOA. */
export const careGapStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-care-gaps/${idKey}/${lsoaCode}`);

/**
 * Taking something up is `offset + sd × engagement + ε > 0` with ε ~ N(0, 1): a person's chance is
 * Φ(offset + sd × engagement), and over engagement ~ N(0, 1) the population's is Φ(offset / √(1 + sd²)),
 * so this offset makes it `target`.
 */
export const probitOffset = (target: number, sd: number): number => normalQuantile(Math.min(0.98, Math.max(0.02, target))) * Math.sqrt(1 + sd * sd);
/** A person's chance of taking something up (what the draws give on average, for tests and documentation). */
export const personalChance = (target: number, sd: number, engagement: number): number => normalCdf(probitOffset(target, sd) + sd * engagement);

/** The flu uptake of a season for a group: the season's published figure, or the nearest season's. */
export const fluUptake = (season: number, group: 'over65' | 'atRisk' | 'carer'): number => {
  if (group === 'carer') return CARE_GAPS.flu.carer;
  const rows: readonly { readonly season: number; readonly over65: number; readonly atRisk: number }[] = CARE_GAPS.flu.bySeason;
  let best = rows[0]!;
  for (const row of rows) if (Math.abs(row.season - season) < Math.abs(best.season - season)) best = row;
  return best[group];
};

/** The first day of the adult flu programme of the season starting in `season`. */
export const fluSeasonStart = (season: number): DayNumber => {
  let day: string = CARE_GAPS.flu.adultStart[0]!.day;
  for (const row of CARE_GAPS.flu.adultStart) if (season >= row.season) day = row.day;
  return dayFromIso(`${season}-${day}`);
};

const MS_PER_DAY = 86_400_000;
/** The day of the person's `age`th birthday (1 March for 29 February in other years), as the rules count ages. */
const birthday = (dob: DayNumber, age: number): number => {
  const d = new Date(dob * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear() + age, d.getUTCMonth(), d.getUTCDate()) / MS_PER_DAY);
};
/** Age in whole years on a day, by birthdays (the generator's ageAt can be a day out near one). */
const calendarAge = (dob: DayNumber, day: number): number => {
  let age = ageAt(dob, day);
  if (day < birthday(dob, age)) age--;
  else if (day >= birthday(dob, age + 1)) age++;
  return age;
};
const yearOf = (day: DayNumber): number => Number(isoFromDay(day).slice(0, 4));
const NO_RECORDS: ReadonlyMap<string, string> = new Map();

interface FluSeason {
  readonly start: DayNumber;
  /** The day after its last (1 April). */
  readonly end: DayNumber;
  /** Probit offsets in this LSOA, by group. */
  readonly over65: number;
  readonly atRisk: number;
  readonly carer: number;
}

/** Writes the care-gap events of the people of one LSOA. */
export class CareGapEvents {
  private readonly rng: Random;
  private readonly practiceRounds = new Map<string, number>();
  private readonly engagement = new Array<number>(REVIEWS.length + 1 + SCREENING.length).fill(0);
  /** Probit offsets in this LSOA (deprivation applied): each review programme's, each screening rule's (by programme). */
  private readonly reviewOffsets: readonly number[];
  private readonly screeningOffsets: readonly (readonly number[])[];
  /** The flu seasons that reach into the window. */
  private readonly seasons: readonly FluSeason[];

  constructor(
    private readonly idKey: number,
    lsoaCode: string,
    /** The LSOA's deprivation position (1 = most deprived in England). */
    d: number,
    private readonly window: Window,
    private readonly sink: RowSink,
  ) {
    this.rng = careGapStream(idKey, lsoaCode);
    this.reviewOffsets = REVIEWS.map((r) => probitOffset(r.coverage * depFactor(CARE_GAPS.reviewDepRatio, d), CARE_GAPS.reviewSd));
    this.screeningOffsets = SCREENING.map(({ parameters: par, rules }) => {
      const perInvitation: Readonly<Record<string, number>> = par.perInvitation;
      return rules.map((r) => probitOffset(perInvitation[r.id]! * depFactor(par.depRatio, d), par.sd));
    });
    const seasons: FluSeason[] = [];
    const flu = CARE_GAPS.flu;
    const offset = (season: number, group: 'over65' | 'atRisk' | 'carer') => probitOffset(fluUptake(season, group) * depFactor(flu.depRatio, d), flu.sd);
    for (let season = yearOf(window.start) - 1; season <= yearOf(window.end - 1); season++) {
      const start = fluSeasonStart(season);
      const end = dayFromIso(`${season + 1}-04-01`);
      if (end > window.start && start < window.end) seasons.push({ start, end, over65: offset(season, 'over65'), atRisk: offset(season, 'atRisk'), carer: offset(season, 'carer') });
    }
    this.seasons = seasons;
  }

  /** Draws and writes one person's reviews, vaccinations and screening tests. */
  person(p: CareGapPerson): void {
    const rng = this.rng;
    const shared = rng.normal();
    const rho = CARE_GAPS.sharedEngagement;
    for (let i = 0; i < this.engagement.length; i++) this.engagement[i] = rho * shared + Math.sqrt(1 - rho * rho) * rng.normal();
    REVIEWS.forEach((programme, i) => this.reviews(p, programme, this.reviewOffsets[i]! + CARE_GAPS.reviewSd * this.engagement[i]!));
    this.flu(p, this.engagement[REVIEWS.length]!);
    SCREENING.forEach((programme, i) => this.screening(p, programme, this.screeningOffsets[i]!, programme.parameters.sd * this.engagement[REVIEWS.length + 1 + i]!));
  }

  /** Writes an event on the working day nearest the day within [from, to) (calendar.ts; no draw), or on the day if none. */
  private emit(p: CareGapPerson, day: number, code: string, from: number, to: number): void {
    this.sink.row('clinical_event', `${p.id},${formatDay(nearestWorkingDay(day, from, to))},${code},`);
  }

  /** `propensity`: the person's probit offset plus their engagement's part. */
  private reviews(p: CareGapPerson, programme: ReviewProgramme, propensity: number): void {
    let onset = NONE;
    for (const c of programme.conditions) onset = Math.min(onset, p.onset[c]!);
    if (onset === NONE) return;
    const { rng, window } = this;
    const codes = programme.rule.codes;
    for (let y = 0; y + 1 < window.yearStarts.length; y++) {
      const start = window.yearStarts[y]!;
      const end = window.yearStarts[y + 1]!;
      const from = Math.max(start, onset + 14, p.dob);
      const to = Math.min(end, p.deathDay);
      if (to <= from || propensity + rng.normal() <= 0) continue;
      // Birth-month recall: near the birthday's day of this review year, wrapped into the year.
      const length = end - start;
      let day = start + ((((p.dob - start) % length) + length) % length) + Math.round(rng.normal() * CARE_GAPS.reviewRecallSdDays);
      if (day < start) day += length;
      if (day >= end) day -= length;
      if (day < from) day = from + Math.floor(rng.next() * (to - from));
      if (day >= to) continue;
      const code = codes.length > 1 && rng.next() < CARE_GAPS.reviewAltCodeShare ? codes[1]! : codes[0]!;
      this.emit(p, day, code, from, to);
    }
  }

  private flu(p: CareGapPerson, engagement: number): void {
    const { rng, window } = this;
    if (calendarAge(p.dob, window.end - 1) < FLU_MIN_AGE) return;
    const spread = CARE_GAPS.flu.sd * engagement;
    for (const season of this.seasons) {
      const age = calendarAge(p.dob, season.end - 1);
      if (age < FLU_MIN_AGE) continue;
      let day = season.start + Math.floor(rng.exponential(CARE_GAPS.flu.meanDaysFromStart));
      if (day >= season.end) day = season.start + Math.floor(rng.next() * (season.end - season.start));
      const later = rng.next();
      const noise = rng.normal();
      // Who the rule covers by the season's end (age on 31 March; registers then); someone diagnosed
      // during the season is vaccinated after the diagnosis.
      const conditions = new Set<ConditionKey>();
      for (let c = 0; c < CONDITION_KEYS.length; c++) if (p.onset[c]! < season.end) conditions.add(CONDITION_KEYS[c]!);
      const facts: CareGapFacts = { age, sex: p.male ? 'M' : 'F', conditions, isCarer: p.isCarer, lastRecorded: NO_RECORDS };
      if (!careGapRuleApplies(FLU, facts)) continue;
      let offset = season.over65;
      let from = Math.max(season.start, window.start);
      if (age < 65) {
        let diagnosed = NONE;
        for (const c of FLU_RISK) diagnosed = Math.min(diagnosed, p.onset[c]!);
        if (diagnosed < season.end) {
          offset = season.atRisk;
          if (day <= diagnosed) day = diagnosed + 1 + Math.floor(later * (season.end - diagnosed - 1));
          from = Math.max(from, diagnosed + 1);
        } else {
          offset = season.carer;
        }
      }
      if (day < window.start || day >= window.end || day >= season.end || day >= p.deathDay) continue;
      if (offset + spread + noise > 0) this.emit(p, day, FLU.codes[0]!, from, Math.min(window.end, season.end, p.deathDay));
    }
  }

  /** The day (mod the interval) on which the practice's screening round starts. */
  private practiceRound(practice: string, interval: number): number {
    let phase = this.practiceRounds.get(practice);
    if (phase === undefined) {
      phase = Math.floor(Random.fromKey(`openphm-care-gaps/${this.idKey}/practice/${practice}`).next() * interval);
      this.practiceRounds.set(practice, phase);
    }
    return phase;
  }

  /** `offsets`: the probit offset of each of the programme's rules; `spread`: the engagement's part. */
  private screening(p: CareGapPerson, programme: ScreeningProgramme, offsets: readonly number[], spread: number): void {
    if (programme.sex !== undefined && programme.sex !== (p.male ? 'M' : 'F')) return;
    const { rng, window } = this;
    const par = programme.parameters;
    const entry = birthday(p.dob, programme.minAge) - monthsInDays(par.firstInviteMonthsEarly);
    const exit = Math.min(birthday(p.dob, programme.maxAge + 1), p.deathDay, window.end);
    // The tests the coverage lookback needs before the last day, and every test in the window.
    const keepFrom = Math.min(window.start, window.end - monthsInDays(par.lookbackMonths));
    if (exit <= Math.max(entry, keepFrom)) return;
    /** The index of the rule that applies at a day's age (the first rule before its range). */
    const ruleAt = (day: number): number => {
      const age = calendarAge(p.dob, day);
      const i = programme.rules.findIndex((r) => age <= r.eligible[0]!.maxAge!);
      return i < 0 ? programme.rules.length - 1 : i;
    };
    const intervalAt = (day: number): number => monthsInDays(monthsOf(programme.rules[ruleAt(day)]!));
    const simStart = Math.max(entry, keepFrom - programme.longestInterval);
    let invite: number;
    if (par.schedule === 'recall') {
      invite = entry >= simStart ? entry : simStart + Math.floor(rng.next() * intervalAt(simStart));
    } else {
      const interval = programme.longestInterval;
      const phase = par.schedule === 'practice-round' ? this.practiceRound(p.practice, interval) + Math.floor(rng.next() * 90) : entry + Math.floor(rng.next() * interval);
      invite = phase + Math.ceil((simStart - phase) / interval) * interval;
    }
    while (invite < exit) {
      const rule = ruleAt(invite);
      const interval = monthsInDays(monthsOf(programme.rules[rule]!));
      if (offsets[rule]! + spread + rng.normal() > 0) {
        const test = invite + Math.floor(rng.exponential(par.delayMeanDays));
        if (test < exit && test >= keepFrom) this.emit(p, test, programme.code, Math.max(keepFrom, invite), exit);
        invite = par.schedule === 'recall' ? test + interval - par.recallEarlyDays : invite + interval;
      } else {
        invite += interval;
      }
    }
  }
}
