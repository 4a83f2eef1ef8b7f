/**
 * Publishing counts: a count with the cell key of its records goes in, a figure comes out —
 * withheld when small, otherwise perturbed by its key (docs/decisions/0006).
 * @module
 */
import { cellKeyOf } from '../disclosure/cell-key.js';
import { DEFAULT_POLICY, type DisclosurePolicy } from '../disclosure/policy.js';
import { protectIndicatorTable, type IndicatorTable } from '../disclosure/protect.js';
import type { DisclosureCell, MarginalGroup } from '../disclosure/table.js';
import { mintOrNull, type Figure } from './figures.js';

/** A true count and the cell key of the records it counts (sum of their record keys modulo 256). */
export interface KeyedCount {
  readonly n: number;
  readonly key: number;
}

/** Adds keyed counts of disjoint sets. */
export const sumKeyed = (counts: Iterable<KeyedCount>): KeyedCount => {
  let n = 0;
  const keys: number[] = [];
  for (const c of counts) {
    n += c.n;
    keys.push(c.key);
  }
  return { n, key: cellKeyOf(keys) };
};

export const NO_RECORDS: KeyedCount = Object.freeze({ n: 0, key: 0 });

export interface PublishedCounts<S extends string> {
  readonly total: Figure;
  /** Per section, the published counts in input order (null = withheld). */
  readonly sections: Record<S, Figure[]>;
  readonly suppressedCells: number;
}

/**
 * Publishes a total and several breakdowns of it (each section's counts add up to the total; with
 * secondary suppression each section is protected as a marginal group of the total).
 */
export const publishCounts = <S extends string>(total: KeyedCount, sections: Readonly<Record<S, readonly KeyedCount[]>>, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedCounts<S> => {
  const cells: DisclosureCell[] = [{ id: 'total', key: {}, numerator: total.n, numeratorKey: total.key }];
  const groups: MarginalGroup[] = [];
  for (const [name, counts] of Object.entries(sections) as [S, readonly KeyedCount[]][]) {
    const parts = counts.map((count, i) => {
      const id = `${name}#${i}`;
      cells.push({ id, key: { [name]: String(i) }, numerator: count.n, numeratorKey: count.key });
      return id;
    });
    if (parts.length > 0) groups.push({ total: 'total', parts });
  }
  const result = protectIndicatorTable({ cells, groups, denominator: 'count' }, policy);
  const byId = new Map(result.cells.map((c) => [c.id, c.numerator]));
  const out = {} as Record<S, Figure[]>;
  for (const [name, counts] of Object.entries(sections) as [S, readonly KeyedCount[]][]) out[name] = counts.map((_, i) => mintOrNull(byId.get(`${name}#${i}`)));
  return { total: mintOrNull(byId.get('total')), sections: out, suppressedCells: result.summary.primary + result.summary.secondary };
};

/** One count on its own, withheld or perturbed by the policy. */
export const publishCount = (count: KeyedCount, policy: DisclosurePolicy = DEFAULT_POLICY): Figure => publishCounts(count, {}, policy).total;

/** A cell of a published table. */
export interface PublishedTableCell {
  readonly id: string;
  readonly key: Readonly<Record<string, string>>;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly suppressed: boolean;
  /** Why the cell is withheld ('' when published). */
  readonly note: string;
}

/**
 * Publishes a table of keyed counts with its marginal groups (read from the keys when not given):
 * for tables that are not a cross table or an indicator, such as a transition matrix.
 */
export const publishTable = (table: Omit<IndicatorTable, 'statistic'>, policy: DisclosurePolicy = DEFAULT_POLICY): { cells: PublishedTableCell[]; suppressedCells: number } => {
  const result = protectIndicatorTable(table, policy);
  return {
    cells: result.cells.map((c) => ({ id: c.id, key: c.key, numerator: mintOrNull(c.numerator), denominator: mintOrNull(c.denominator), suppressed: c.suppressed, note: c.reason?.detail ?? '' })),
    suppressedCells: result.summary.primary + result.summary.secondary,
  };
};
