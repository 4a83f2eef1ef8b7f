/**
 * Segment counts and year-on-year movement between segments, in SQL over person features.
 * Counts returned here are exact, with the cell keys of their people; publish them with
 * publishSegmentCounts / publishTransitions (core's publication module).
 */
import {
  DEFAULT_POLICY,
  UserError,
  addKeys,
  cellKeyFromSum,
  dayFromIso,
  publishCrossTable,
  publishTable,
  segmentationUsesEvents,
  type DisclosureCell,
  type DisclosurePolicy,
  type Figure,
  type KeyedCount,
  type PublishedCrossCell,
  type Segmentation,
} from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident } from '../sql.js';
import { breakdownName, breakdownSql, compareGroups, type BreakdownSpec } from './breakdowns.js';
import { keySumSql } from './disclosure.js';
import { PERSON_FEATURES_TABLE, ensurePersonFeatures, featuresRelation } from './features.js';
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
  /** Cell keys of the people counted, and of the group (disclosure control). */
  readonly peopleKey: number;
  readonly groupKey: number;
}

export interface SegmentCounts {
  readonly segmentation: { readonly id: string; readonly version: number; readonly title: string };
  readonly referenceDate: string;
  /** Everyone resident at the reference date, and the cell key of their records. */
  readonly population: number;
  readonly populationKey: number;
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
  const from = await featuresRelation(db, table, segmentationUsesEvents(segmentation));
  const segmentIds = segmentation.segments.map((s) => s.id);
  const rows: SegmentCountRow[] = [];
  let population = 0;
  let populationKey = 0;
  for (const spec of breakdowns) {
    const counts = await db.query<{ grp: string; segment: string; people: number; people_key: number }>(
      `SELECT ${breakdownSql(spec)} AS grp, ${segmentationSql(segmentation)} AS segment, count(*)::BIGINT AS people, ${keySumSql()} AS people_key FROM ${from} f GROUP BY ALL`,
    );
    const byGroup = new Map<string, Map<string, KeyedCount>>();
    for (const c of counts) (byGroup.get(c.grp) ?? byGroup.set(c.grp, new Map()).get(c.grp)!).set(c.segment, { n: Number(c.people), key: cellKeyFromSum(c.people_key) });
    population = counts.reduce((a, c) => a + Number(c.people), 0);
    populationKey = counts.reduce((a, c) => addKeys(a, cellKeyFromSum(c.people_key)), 0);
    const groups = [...byGroup.keys()].sort((a, b) => compareGroups(spec, a, b));
    for (const group of groups) {
      const cells = byGroup.get(group)!;
      const groupPeople = [...cells.values()].reduce((a, b) => a + b.n, 0);
      const groupKey = [...cells.values()].reduce((a, b) => addKeys(a, b.key), 0);
      for (const segment of segmentIds) {
        const people = cells.get(segment) ?? { n: 0, key: 0 };
        rows.push({ breakdown: breakdownName(spec), group, segment, people: people.n, groupPeople, share: groupPeople > 0 ? people.n / groupPeople : 0, peopleKey: people.key, groupKey });
      }
    }
  }
  if (breakdowns.length === 0) {
    const [row] = await db.query<{ n: number; k: number }>(`SELECT count(*)::BIGINT AS n, ${keySumSql()} AS k FROM ${ident(table)}`);
    population = Number(row?.n ?? 0);
    populationKey = cellKeyFromSum(row?.k ?? 0);
  }
  return { segmentation: { id: segmentation.id, version: segmentation.version, title: segmentation.title }, referenceDate, population, populationKey, rows };
};

/** Segment of each person at a date: for worklists and engine comparisons. */
export const personSegments = async (db: PhmDatabase, segmentation: Segmentation, referenceDate: string, options: SegmentOptions & { where?: string } = {}): Promise<Map<number, string>> => {
  const table = options.table ?? PERSON_FEATURES_TABLE;
  await ensurePersonFeatures(db, referenceDate, table);
  const from = await featuresRelation(db, table, segmentationUsesEvents(segmentation));
  const rows = await db.query<{ person_id: number; segment: string }>(
    `SELECT person_id, ${segmentationSql(segmentation)} AS segment FROM ${from} f${options.where ? ` WHERE ${options.where}` : ''} ORDER BY person_id`,
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
  /** Cell key of the people counted. */
  readonly key: number;
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
  const events = segmentationUsesEvents(segmentation);
  const [fromRelation, toRelation] = [await featuresRelation(db, fromTable, events), await featuresRelation(db, toTable, events)];
  const a = (c: string) => `a.${c}`;
  const b = (c: string) => `b.${c}`;
  const rows = await db.query<{ from_state: string; to_state: string; people: number; people_key: number }>(`
    SELECT
      CASE WHEN a.person_id IS NOT NULL THEN ${segmentationSql(segmentation, a)}
           WHEN p.date_of_birth > DATE '${fromDate}' THEN '${BORN}' ELSE '${MOVED}' END AS from_state,
      CASE WHEN b.person_id IS NOT NULL THEN ${segmentationSql(segmentation, b)}
           WHEN x.date_of_death > DATE '${fromDate}' AND x.date_of_death <= DATE '${toDate}' THEN '${DIED}' ELSE '${MOVED}' END AS to_state,
      count(*)::BIGINT AS people,
      coalesce(sum(p.record_key), 0)::BIGINT AS people_key
    FROM ${fromRelation} a
    FULL OUTER JOIN ${toRelation} b ON b.person_id = a.person_id
    JOIN person p ON p.person_id = coalesce(a.person_id, b.person_id)
    LEFT JOIN death x ON x.person_id = p.person_id
    GROUP BY ALL`);
  const ids = segmentation.segments.map((s) => s.id);
  const fromStates = [...ids, BORN, MOVED];
  const toStates = [...ids, DIED, MOVED];
  const key = (f: string, t: string) => `${f}\u0000${t}`;
  const counts = new Map(rows.map((r) => [key(r.from_state, r.to_state), { n: Number(r.people), key: cellKeyFromSum(r.people_key) }]));
  const cells = fromStates.flatMap((from) =>
    toStates.map((to) => {
      const c = counts.get(key(from, to));
      return { from, to, people: c?.n ?? 0, key: c?.key ?? 0 };
    }),
  );
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
        count: (g, s) => {
          const r = cell.get(`${g}\u0000${s}`);
          return { n: r?.people ?? 0, key: r?.peopleKey ?? 0 };
        },
        groupTotal: (g) => {
          const r = rows.find((x) => x.group === g);
          return { n: r?.groupPeople ?? 0, key: r?.groupKey ?? 0 };
        },
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
  /** Perturbed, or null when withheld. */
  readonly people: Figure;
  readonly suppressed: boolean;
  readonly note: string;
}

/** A transition matrix through disclosure control, with its row and column totals as margins. */
export const publishTransitions = (t: SegmentTransitions, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedTransitionCell[] => {
  const sum = (cells: readonly SegmentTransitionCell[]) => ({ numerator: cells.reduce((a, c) => a + c.people, 0), numeratorKey: cells.reduce((a, c) => addKeys(a, c.key), 0) });
  const cells: DisclosureCell[] = [
    { key: {}, ...sum(t.cells) },
    ...t.fromStates.map((from) => ({ key: { from }, ...sum(t.cells.filter((c) => c.from === from)) })),
    ...t.toStates.map((to) => ({ key: { to }, ...sum(t.cells.filter((c) => c.to === to)) })),
    ...t.cells.map((c) => ({ key: { from: c.from, to: c.to }, numerator: c.people, numeratorKey: c.key })),
  ];
  const published = publishTable({ cells, denominator: 'population' }, policy).cells.slice(1 + t.fromStates.length + t.toStates.length);
  return t.cells.map((c, i) => {
    const p = published[i]!;
    return { from: c.from, to: c.to, people: p.numerator, suppressed: p.suppressed, note: p.note };
  });
};
