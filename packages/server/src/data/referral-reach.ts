/**
 * Whether social prescribing reaches the whole population (the plans: track outcomes of referrals
 * "including whether they reach the diversity of the population"): adults referred (distinct
 * people) per 1,000 adult residents by a breakdown, disclosure-controlled, each group compared with
 * the area as a whole by its 95% interval; referrals by status; and the mean change in ONS4
 * wellbeing among people with scores before and after.
 */
import {
  REFERRAL_STATUSES,
  crudeRate,
  dayFromIso,
  financialYearPeriod,
  isoFromDay,
  periodLastDay,
  periodMidpoint,
  wellbeingChange,
  type Breakdown,
  type MeasurePoint,
  type Ons4,
  type Referral,
  type ReferralStatus,
  type WellbeingChange,
} from '@openphm/core';
import { breakdownSql, compareGroups, publishCrossTable } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { protectCounts, publishCount } from '../disclosure.js';
import { listReferrals } from '../operational/care.js';
import { geoNames, groupLabel, personFeatures } from './features.js';

/** Adults only: social prescribing in the NHS model is for people aged 18 and over. */
export const REACH_MIN_AGE = 18;

export interface ReachRow {
  readonly group: string;
  readonly groupLabel: string;
  /** Adults referred (rounded), or null when withheld. */
  readonly referred: number | null;
  readonly adults: number | null;
  /** Per 1,000 adults, with its 95% interval (exact or Byar's); null when withheld. */
  readonly rate: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
  /** Against the area's overall rate: the 95% interval entirely above it, below it, or overlapping. */
  readonly comparison: 'higher' | 'similar' | 'lower' | 'not-compared';
  readonly suppressed: boolean;
  readonly note: string;
}

export interface ReferralReach {
  readonly by: Breakdown;
  readonly area: { readonly place: string | null };
  readonly overall: { readonly referred: number | null; readonly adults: number | null; readonly rate: number | null; readonly lower95: number | null; readonly upper95: number | null };
  readonly rows: readonly ReachRow[];
  /** Referrals (not people) by status, disclosure-controlled. */
  readonly statuses: readonly { readonly status: ReferralStatus; readonly referrals: number | null }[];
  readonly wellbeing: readonly WellbeingChange[];
  readonly date: string;
}

const rateOf = (referred: number, adults: number) => {
  const r = crudeRate(referred, adults, { multiplier: 1000 });
  return { rate: r.value, lower95: r.intervals[0]!.lower, upper95: r.intervals[0]!.upper };
};

export const referralReach = async (ctx: ServerContext, by: Breakdown, place: string | null): Promise<ReferralReach> => {
  const { table, date } = await personFeatures(ctx);
  const geo = await geoNames(ctx);
  const inArea = (r: Referral) => place === null || geo.neighbourhoods.get(r.neighbourhoodId)?.place === place;
  const referrals = (await listReferrals(ctx.ops)).filter(inArea);
  // Distinct people referred; ids are digits (checked on the way in), so they are safe in SQL.
  const ids = [...new Set(referrals.map((r) => r.personId).filter((id) => /^\d{1,18}$/.test(id)))];
  const referred = ids.length ? `SELECT * FROM (VALUES ${ids.map((id) => `(${id}::BIGINT)`).join(', ')}) AS v(person_id)` : 'SELECT NULL::BIGINT AS person_id WHERE FALSE';
  const rows = await ctx.data.query<{ g: string; adults: number; referred: number }>(
    `WITH referred AS (${referred})
     SELECT ${breakdownSql([by], (c) => `f.${c}`)} AS g, count(*)::BIGINT AS adults, count(r.person_id)::BIGINT AS referred
     FROM ${table} f LEFT JOIN referred r ON r.person_id = f.person_id
     WHERE f.age >= ${REACH_MIN_AGE}${place === null ? '' : ` AND f.place = $1`}
     GROUP BY g`,
    place === null ? [] : [place],
  );
  const byGroup = new Map(rows.map((r) => [String(r.g), { adults: Number(r.adults), referred: Number(r.referred) }]));
  const groups = [...byGroup.keys()].sort((a, b) => compareGroups([by], a, b));
  const cells = publishCrossTable({ groups, categories: ['referred'], count: (g) => byGroup.get(g)!.referred, groupTotal: (g) => byGroup.get(g)!.adults, partition: false });
  const totalAdults = rows.reduce((a, r) => a + Number(r.adults), 0);
  const totalReferred = rows.reduce((a, r) => a + Number(r.referred), 0);
  const publishedReferred = publishCount(totalReferred);
  const overall = totalAdults > 0 && publishedReferred !== null ? rateOf(totalReferred, totalAdults) : { rate: null, lower95: null, upper95: null };
  const out: ReachRow[] = cells.map((c) => {
    const exact = byGroup.get(c.group)!;
    const withheld = c.suppressed || c.people === null || exact.adults === 0;
    const r = withheld ? { rate: null, lower95: null, upper95: null } : rateOf(exact.referred, exact.adults);
    const comparison =
      r.lower95 === null || r.upper95 === null || overall.rate === null ? 'not-compared' : r.lower95 > overall.rate ? 'higher' : r.upper95 < overall.rate ? 'lower' : 'similar';
    return { group: c.group, groupLabel: groupLabel(geo, by, c.group), referred: c.people, adults: c.groupPeople, ...r, comparison, suppressed: c.suppressed, note: c.note };
  });
  const statusCounts = REFERRAL_STATUSES.map((s) => referrals.filter((r) => r.status === s).length);
  const protectedStatuses = protectCounts(referrals.length, { statuses: statusCounts });
  const pairs = referrals.flatMap((r) => (r.wellbeingBefore && r.wellbeingAfter ? [{ before: r.wellbeingBefore as Ons4, after: r.wellbeingAfter as Ons4 }] : []));
  return {
    by,
    area: { place },
    overall: { referred: publishedReferred, adults: publishCount(totalAdults), ...overall },
    rows: out,
    statuses: REFERRAL_STATUSES.map((status, i) => ({ status, referrals: protectedStatuses.sections.statuses[i] ?? null })),
    wellbeing: wellbeingChange(pairs),
    date,
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
export const referralRatePoints = async (ctx: ServerContext, place: string | null): Promise<MeasurePoint[]> => {
  const geo = await geoNames(ctx);
  const all = await listReferrals(ctx.ops);
  if (all.length === 0) return [];
  const referrals = all.filter((r) => place === null || geo.neighbourhoods.get(r.neighbourhoodId)?.place === place);
  const fyStart = (iso: string) => (Number(iso.slice(5, 7)) >= 4 ? Number(iso.slice(0, 4)) : Number(iso.slice(0, 4)) - 1);
  const today = ctx.today();
  // The first whole financial year of recording anywhere: a year part-recorded would understate the rate.
  const firstDay = all.map((r) => r.referredAt.slice(0, 10)).reduce((a, b) => (a < b ? a : b));
  const first = fyStart(firstDay) + (firstDay.slice(5) === '04-01' ? 0 : 1);
  const [end] = await ctx.data.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'window_end'`);
  const lastDataDay = /^\d{4}-\d{2}-\d{2}$/.test(end?.value ?? '') ? isoFromDay(dayFromIso(end!.value) - 1) : today;
  const points: MeasurePoint[] = [];
  for (let y = first; ; y++) {
    const period = financialYearPeriod(y, 1);
    if (period.end > today) break;
    const count = referrals.filter((r) => r.referredAt.slice(0, 10) >= period.start && r.referredAt.slice(0, 10) < period.end).length;
    const mid = periodMidpoint(period) < lastDataDay ? periodMidpoint(period) : lastDataDay;
    const [row] = await ctx.data.query<{ n: number }>(
      `SELECT count(*)::BIGINT AS n FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code LEFT JOIN death d ON d.person_id = p.person_id
       WHERE p.date_of_birth <= $1::DATE - INTERVAL 18 YEAR AND p.registration_date <= $1::DATE AND (d.date_of_death IS NULL OR d.date_of_death > $1::DATE)${place === null ? '' : ' AND l.place = $2'}`,
      place === null ? [mid] : [mid, place],
    );
    const adults = Number(row?.n ?? 0);
    const published = publishCount(count);
    const withheld = published === null || adults === 0;
    const rate = withheld ? null : crudeRate(count, adults, { multiplier: 1000 });
    points.push({ date: periodLastDay(period), label: period.label, value: rate?.value ?? null, lower95: rate?.intervals[0]?.lower ?? null, upper95: rate?.intervals[0]?.upper ?? null, suppressed: published === null });
  }
  return points;
};
