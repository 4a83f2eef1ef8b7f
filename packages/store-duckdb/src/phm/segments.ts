/**
 * Segment counts and year-on-year movement between segments, in SQL over person features.
 * Counts returned here are exact; publish them through disclosure.ts (the CLI does).
 */
import { DEFAULT_POLICY, UserError, dayFromIso, protectIndicatorTable, type DisclosureCell, type DisclosurePolicy, type Segmentation } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident } from '../sql.js';
import { breakdownName, breakdownSql, compareGroups, type BreakdownSpec } from './breakdowns.js';
import { publishCrossTable, type PublishedCrossCell } from './disclosure.js';
import { PERSON_FEATURES_TABLE, ensurePersonFeatures } from './features.js';
import { segmentationSql } from './rules.js';

export interface SegmentCountRow {
  /** Breakdown name, e.g. 'place' or 'age-band:imd-quintile'. */
  readonly breakdown: string;
  readonly group: string;
  readonly segment: string;
  readonly people: number;
  /** People in the group (all segments). */
  readonly groupPeople: number;
  /** people / groupPeople. */
  readonly share: number;
}

export interface SegmentCounts {
  readonly segmentation: { readonly id: string; readonly version: number; readonly title: string };
  readonly referenceDate: string;
  /** Everyone resident at the reference date. */
  readonly population: number;
  /** For each breakdown in turn, each group in natural order, every segment in priority order (zeros included). */
  readonly rows: readonly SegmentCountRow[];
}

export interface SegmentOptions {
  /** Features table to use or compute (default person_features). */
  readonly table?: string;
}

/** Counts and shares of each segment, by each breakdown (computing person features at the date if needed). */
export const segmentCounts = async (
  db: PhmDatabase,
  segmentation: Segmentation,
  referenceDate: string,
  breakdowns: readonly BreakdownSpec[],
  options: SegmentOptions = {},
): Promise<SegmentCounts> => {
  const table = options.table ?? PERSON_FEATURES_TABLE;
  await ensurePersonFeatures(db, referenceDate, table);
  const segmentIds = segmentation.segments.map((s) => s.id);
  const rows: SegmentCountRow[] = [];
  let population = 0;
  for (const spec of breakdowns) {
    const counts = await db.query<{ grp: string; segment: string; people: number }>(
      `SELECT ${breakdownSql(spec)} AS grp, ${segmentationSql(segmentation)} AS segment, count(*)::BIGINT AS people FROM ${ident(table)} GROUP BY ALL`,
    );
    const byGroup = new Map<string, Map<string, number>>();
    for (const c of counts) (byGroup.get(c.grp) ?? byGroup.set(c.grp, new Map()).get(c.grp)!).set(c.segment, c.people);
    population = counts.reduce((a, c) => a + c.people, 0);
    const groups = [...byGroup.keys()].sort((a, b) => compareGroups(spec, a, b));
    for (const group of groups) {
      const cells = byGroup.get(group)!;
      const groupPeople = [...cells.values()].reduce((a, b) => a + b, 0);
      for (const segment of segmentIds) {
        const people = cells.get(segment) ?? 0;
        rows.push({ breakdown: breakdownName(spec), group, segment, people, groupPeople, share: groupPeople > 0 ? people / groupPeople : 0 });
      }
    }
  }
  if (breakdowns.length === 0) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ident(table)}`);
    population = row?.n ?? 0;
  }
  return { segmentation: { id: segmentation.id, version: segmentation.version, title: segmentation.title }, referenceDate, population, rows };
};

/** Segment of each person at a date: for worklists and engine comparisons. */
export const personSegments = async (db: PhmDatabase, segmentation: Segmentation, referenceDate: string, options: SegmentOptions & { where?: string } = {}): Promise<Map<number, string>> => {
  const table = options.table ?? PERSON_FEATURES_TABLE;
  await ensurePersonFeatures(db, referenceDate, table);
  const rows = await db.query<{ person_id: number; segment: string }>(
    `SELECT person_id, ${segmentationSql(segmentation)} AS segment FROM ${ident(table)}${options.where ? ` WHERE ${options.where}` : ''} ORDER BY person_id`,
  );
  return new Map(rows.map((r) => [Number(r.person_id), r.segment]));
};

/** States besides the segments in a transition matrix. */
export const BORN = 'born';
export const DIED = 'died';
/** Resident at one date and not the other for another reason (moved in or out; not in synthetic data). */
export const MOVED = 'moved';

export interface SegmentTransitionCell {
  /** A segment at the first date, or 'born' (born after it) or 'moved' (not resident then for another reason). */
  readonly from: string;
  /** A segment at the second date, or 'died' (died after the first date) or 'moved'. */
  readonly to: string;
  readonly people: number;
}

export interface SegmentTransitions {
  readonly segmentation: { readonly id: string; readonly version: number; readonly title: string };
  readonly fromDate: string;
  readonly toDate: string;
  /** Row states (segments in priority order, then born, moved). */
  readonly fromStates: readonly string[];
  /** Column states (segments, then died, moved). */
  readonly toStates: readonly string[];
  /** Every from × to pair, zeros included. */
  readonly cells: readonly SegmentTransitionCell[];
}

/**
 * Movement between segments from `fromDate` to `toDate`: everyone resident at either date, by their
 * segment at each. People who died in between go to 'died'; people born in between come from 'born'.
 */
export const segmentTransitions = async (db: PhmDatabase, segmentation: Segmentation, fromDate: string, toDate: string): Promise<SegmentTransitions> => {
  if (dayFromIso(fromDate) >= dayFromIso(toDate)) throw new UserError(`the transition start date ${fromDate} must be before its end date ${toDate}`);
  const fromTable = `${PERSON_FEATURES_TABLE}_from`;
  const toTable = `${PERSON_FEATURES_TABLE}_to`;
  await ensurePersonFeatures(db, fromDate, fromTable);
  await ensurePersonFeatures(db, toDate, toTable);
  const a = (c: string) => `a.${c}`;
  const b = (c: string) => `b.${c}`;
  const rows = await db.query<{ from_state: string; to_state: string; people: number }>(`
    SELECT
      CASE WHEN a.person_id IS NOT NULL THEN ${segmentationSql(segmentation, a)}
           WHEN p.date_of_birth > DATE '${fromDate}' THEN '${BORN}' ELSE '${MOVED}' END AS from_state,
      CASE WHEN b.person_id IS NOT NULL THEN ${segmentationSql(segmentation, b)}
           WHEN x.date_of_death > DATE '${fromDate}' AND x.date_of_death <= DATE '${toDate}' THEN '${DIED}' ELSE '${MOVED}' END AS to_state,
      count(*)::BIGINT AS people
    FROM ${ident(fromTable)} a
    FULL OUTER JOIN ${ident(toTable)} b ON b.person_id = a.person_id
    JOIN person p ON p.person_id = coalesce(a.person_id, b.person_id)
    LEFT JOIN death x ON x.person_id = p.person_id
    GROUP BY ALL`);
  const ids = segmentation.segments.map((s) => s.id);
  const fromStates = [...ids, BORN, MOVED];
  const toStates = [...ids, DIED, MOVED];
  const key = (f: string, t: string) => `${f}\u0000${t}`;
  const counts = new Map(rows.map((r) => [key(r.from_state, r.to_state), r.people]));
  const cells = fromStates.flatMap((from) => toStates.map((to) => ({ from, to, people: counts.get(key(from, to)) ?? 0 })));
  return { segmentation: { id: segmentation.id, version: segmentation.version, title: segmentation.title }, fromDate, toDate, fromStates, toStates, cells };
};

export interface PublishedSegmentRow extends Omit<PublishedCrossCell, 'category'> {
  readonly breakdown: string;
  readonly segment: string;
}

/** Segment counts through disclosure control: one protected group × segment table per breakdown. */
export const publishSegmentCounts = (counts: SegmentCounts, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedSegmentRow[] => {
  const out: PublishedSegmentRow[] = [];
  const breakdowns = [...new Set(counts.rows.map((r) => r.breakdown))];
  for (const breakdown of breakdowns) {
    const rows = counts.rows.filter((r) => r.breakdown === breakdown);
    const groups = [...new Set(rows.map((r) => r.group))];
    const segments = [...new Set(rows.map((r) => r.segment))];
    const cell = new Map(rows.map((r) => [`${r.group}\u0000${r.segment}`, r]));
    const published = publishCrossTable(
      {
        groups,
        categories: segments,
        count: (g, s) => cell.get(`${g}\u0000${s}`)?.people ?? 0,
        groupTotal: (g) => rows.find((r) => r.group === g)?.groupPeople ?? 0,
        partition: true,
      },
      policy,
    );
    for (const { category, ...rest } of published) out.push({ breakdown, segment: category, ...rest });
  }
  return out;
};

export interface PublishedTransitionCell {
  readonly from: string;
  readonly to: string;
  /** Rounded, or null when withheld. */
  readonly people: number | null;
  readonly suppressed: boolean;
  readonly note: string;
}

/** A transition matrix through disclosure control, with its row and column totals as margins. */
export const publishTransitions = (t: SegmentTransitions, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedTransitionCell[] => {
  const cells: DisclosureCell[] = [
    { key: {}, numerator: t.cells.reduce((a, c) => a + c.people, 0) },
    ...t.fromStates.map((from) => ({ key: { from }, numerator: t.cells.filter((c) => c.from === from).reduce((a, c) => a + c.people, 0) })),
    ...t.toStates.map((to) => ({ key: { to }, numerator: t.cells.filter((c) => c.to === to).reduce((a, c) => a + c.people, 0) })),
    ...t.cells.map((c) => ({ key: { from: c.from, to: c.to }, numerator: c.people })),
  ];
  const published = protectIndicatorTable({ cells, denominator: 'population' }, policy).cells.slice(1 + t.fromStates.length + t.toStates.length);
  return t.cells.map((c, i) => {
    const p = published[i]!;
    return { from: c.from, to: c.to, people: p.numerator, suppressed: p.suppressed, note: p.reason?.detail ?? '' };
  });
};
