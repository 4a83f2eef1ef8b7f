/**
 * Whether social prescribing reaches the whole population (the plans: track outcomes of referrals
 * "including whether they reach the diversity of the population"): adults referred (distinct
 * people) per 1,000 adult residents by a breakdown, disclosure-controlled, each group compared with
 * the area as a whole by its 95% interval; referrals by status; and the mean change in ONS4
 * wellbeing among people with scores before and after.
 */
import {
  REFERRAL_STATUSES,
  cellKeyOf,
  crudeRate,
  financialYearPeriod,
  firstWholeFinancialYear,
  fromPublished,
  periodLastDay,
  periodMidpoint,
  publishCount,
  publishCounts,
  publishCrossTable,
  publishRate,
  publishMean,
  wellbeingChange,
  type Breakdown,
  type Figure,
  type KeyedCount,
  type MeasurePoint,
  type Ons4,
  type Referral,
  type ReferralStatus,
} from '@openphm/core';
import { adultResidents, compareGroups, lastDataDay, placesOf, reachByGroup, recordKeysOf } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { listReferrals } from '../operational/care.js';
import { geoNames, groupLabel, personFeatures } from './features.js';

/** Adults only: social prescribing in the NHS model is for people aged 18 and over. */
export const REACH_MIN_AGE = 18;

export interface ReachRow {
  readonly group: string;
  readonly groupLabel: string;
  /** Adults referred (perturbed), or null when withheld. */
  readonly referred: Figure;
  readonly adults: Figure;
  /** Per 1,000 adults, with its 95% interval (exact or Byar's), from the published counts; null when withheld. */
  readonly rate: Figure;
  readonly lower95: Figure;
  readonly upper95: Figure;
  /** Against the area's overall rate: the 95% interval entirely above it, below it, or overlapping. */
  readonly comparison: 'higher' | 'similar' | 'lower' | 'not-compared';
  readonly suppressed: boolean;
  readonly note: string;
}

export interface PublishedWellbeing {
  readonly item: string;
  readonly label: string;
  readonly higherIsBetter: boolean;
  readonly people: Figure;
  readonly meanChange: Figure;
  readonly lower95: Figure;
  readonly upper95: Figure;
}

export interface ReferralReach {
  readonly by: Breakdown;
  readonly area: { readonly place: string | null };
  readonly overall: { readonly referred: Figure; readonly adults: Figure; readonly rate: Figure; readonly lower95: Figure; readonly upper95: Figure };
  readonly rows: readonly ReachRow[];
  /** Referrals (not people) by status, disclosure-controlled. */
  readonly statuses: readonly { readonly status: ReferralStatus; readonly referrals: Figure }[];
  readonly wellbeing: readonly PublishedWellbeing[];
  readonly date: string;
  /** Cells withheld in this response. */
  readonly suppressedCells: number;
}

/** A rate per 1,000 from published counts. */
const rateOf = (referred: number, adults: number) => {
  const r = crudeRate(referred, adults, { multiplier: 1000 });
  return { rate: fromPublished(r.value), lower95: fromPublished(r.intervals[0]!.lower), upper95: fromPublished(r.intervals[0]!.upper) };
};

/** Keys of the people behind a list of referrals, one per referral (a person referred twice adds their key twice). */
const referralKeys = (referrals: readonly Referral[], keys: ReadonlyMap<string, number>): KeyedCount => ({ n: referrals.length, key: cellKeyOf(referrals.map((r) => keys.get(r.personId) ?? 0)) });

/**
 * The referrals of an area's residents (all of them for the ICS, `place` null): a referral counts
 * where the person lives, whichever team made it, as the rate's denominator is the area's residents.
 */
export const residentsReferrals = async (ctx: ServerContext, referrals: readonly Referral[], place: string | null): Promise<Referral[]> => {
  if (place === null) return [...referrals];
  const places = await placesOf(ctx.data, referrals.map((r) => r.personId));
  return referrals.filter((r) => places.get(r.personId) === place);
};

export const referralReach = async (ctx: ServerContext, by: Breakdown, place: string | null): Promise<ReferralReach> => {
  const { table, date } = await personFeatures(ctx);
  const geo = await geoNames(ctx);
  const referrals = await residentsReferrals(ctx, await listReferrals(ctx.ops), place);
  const rows = await reachByGroup(ctx.data, { table, by, place, minAge: REACH_MIN_AGE, personIds: referrals.map((r) => r.personId) });
  const byGroup = new Map(rows.map((r) => [r.group, { adults: r.people, referred: r.reached }]));
  const groups = [...byGroup.keys()].sort((a, b) => compareGroups([by], a, b));
  const cells = publishCrossTable({ groups, categories: ['referred'], count: (g) => byGroup.get(g)!.referred, groupTotal: (g) => byGroup.get(g)!.adults, partition: false });
  const total = (which: 'people' | 'reached'): KeyedCount => ({ n: rows.reduce((a, r) => a + r[which].n, 0), key: cellKeyOf(rows.map((r) => r[which].key)) });
  const overall = publishRate(total('reached'), total('people'), 1000);
  const out: ReachRow[] = cells.map((c) => {
    const withheld = c.suppressed || c.people === null || c.groupPeople === null || c.groupPeople <= 0;
    const r = withheld ? { rate: null, lower95: null, upper95: null } : rateOf(c.people!, c.groupPeople!);
    const comparison =
      r.lower95 === null || r.upper95 === null || overall.rate === null ? 'not-compared' : r.lower95 > overall.rate ? 'higher' : r.upper95 < overall.rate ? 'lower' : 'similar';
    return { group: c.group, groupLabel: groupLabel(geo, by, c.group), referred: c.people, adults: c.groupPeople, ...r, comparison, suppressed: c.suppressed, note: c.note };
  });
  const keys = await recordKeysOf(ctx.data, referrals.map((r) => r.personId));
  const statuses = REFERRAL_STATUSES.map((s) => referralKeys(referrals.filter((r) => r.status === s), keys));
  const protectedStatuses = publishCounts(referralKeys(referrals, keys), { statuses });
  const withScores = referrals.filter((r) => r.wellbeingBefore && r.wellbeingAfter);
  const scored = publishCount(referralKeys(withScores, keys));
  // Mean changes in a 0-10 score over the people scored, to a step that cannot be solved for how many they are.
  const wellbeing = wellbeingChange(withScores.map((r) => ({ before: r.wellbeingBefore as Ons4, after: r.wellbeingAfter as Ons4 }))).map((w) => ({
    item: w.item,
    label: w.label,
    higherIsBetter: w.higherIsBetter,
    people: scored,
    meanChange: publishMean(w.meanChange, scored),
    lower95: publishMean(w.lower95, scored),
    upper95: publishMean(w.upper95, scored),
  }));
  return {
    by,
    area: { place },
    overall: { referred: overall.count, adults: overall.population, rate: overall.rate, lower95: overall.lower95, upper95: overall.upper95 },
    rows: out,
    statuses: REFERRAL_STATUSES.map((status, i) => ({ status, referrals: protectedStatuses.sections.statuses[i] ?? null })),
    wellbeing,
    date,
    suppressedCells: out.filter((r) => r.suppressed).length + protectedStatuses.suppressedCells,
  };
};

/**
 * Social prescribing referrals per 1,000 adult residents of an area (the ICS when `place` is null),
 * each whole financial year from the first wholly after the first referral (the start of recording)
 * to the last that has ended by `today`:
 * the values of a `social-prescribing` strategy measure. Adults are people aged 18+, registered and
 * alive at the middle of the year (the last year of the data stands in for later years). Counts go
 * through disclosure control: a withheld count has no rate.
 */
/** A measure's value for a period as published: a MeasurePoint whose figures went through the publication module. */
export interface PublishedPoint extends MeasurePoint {
  readonly value: Figure;
  readonly lower95?: Figure;
  readonly upper95?: Figure;
}

export const referralRatePoints = async (ctx: ServerContext, place: string | null): Promise<PublishedPoint[]> => {
  const all = await listReferrals(ctx.ops);
  if (all.length === 0) return [];
  const referrals = await residentsReferrals(ctx, all, place);
  const today = ctx.today();
  // The first whole financial year of recording anywhere: a year part-recorded would understate the rate.
  const firstDay = all.map((r) => r.referredAt.slice(0, 10)).reduce((a, b) => (a < b ? a : b));
  const first = firstWholeFinancialYear(firstDay);
  const lastDay = await lastDataDay(ctx.data, today);
  const keys = await recordKeysOf(ctx.data, referrals.map((r) => r.personId));
  const points: PublishedPoint[] = [];
  for (let y = first; ; y++) {
    const period = financialYearPeriod(y, 1);
    if (period.end > today) break;
    const inYear = referrals.filter((r) => r.referredAt.slice(0, 10) >= period.start && r.referredAt.slice(0, 10) < period.end);
    const mid = periodMidpoint(period) < lastDay ? periodMidpoint(period) : lastDay;
    const rate = publishRate(referralKeys(inYear, keys), await adultResidents(ctx.data, mid, place), 1000);
    points.push({ date: periodLastDay(period), label: period.label, value: rate.rate, lower95: rate.lower95, upper95: rate.upper95, suppressed: rate.suppressed });
  }
  return points;
};
