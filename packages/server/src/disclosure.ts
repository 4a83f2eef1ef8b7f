/**
 * Disclosure control for the server's count tables, through core's applyDisclosureControl (via
 * protectIndicatorTable): counts 1-7 suppressed, secondary suppression so no suppressed count can be
 * recovered from a published total by subtraction, published counts rounded to the nearest 5.
 * Every aggregate endpoint publishes its counts through `protectCounts` (or, for indicators,
 * core's publishResult), so the rule lives in one place: core's DEFAULT_POLICY.
 */
import { DEFAULT_POLICY, protectIndicatorTable, suppressedRangeText, type DisclosureCell, type MarginalGroup } from '@openphm/core';

export const DISCLOSURE_RULE = `counts of ${suppressedRangeText(DEFAULT_POLICY)} are suppressed (null), with secondary suppression so they cannot be recovered from totals; other counts are rounded to the nearest ${DEFAULT_POLICY.rounding}`;

export interface ProtectedCounts<S extends string> {
  readonly total: number | null;
  /** Per section, the published counts in input order (null = suppressed). */
  readonly sections: Record<S, (number | null)[]>;
  readonly disclosure: { readonly rule: string; readonly suppressedCells: number };
}

/**
 * Protects a total and several breakdowns of it (each section's counts must add up to the total):
 * each section is a marginal group of the total, so suppression in one cannot be undone through another.
 */
export const protectCounts = <S extends string>(total: number, sections: Readonly<Record<S, readonly number[]>>): ProtectedCounts<S> => {
  const cells: DisclosureCell[] = [{ id: 'total', key: {}, numerator: total }];
  const groups: MarginalGroup[] = [];
  for (const [name, counts] of Object.entries(sections) as [S, readonly number[]][]) {
    const parts = counts.map((count, i) => {
      const id = `${name}#${i}`;
      cells.push({ id, key: { [name]: String(i) }, numerator: count });
      return id;
    });
    if (parts.length > 0) groups.push({ total: 'total', parts });
  }
  const result = protectIndicatorTable({ cells, groups, denominator: 'count' });
  const byId = new Map(result.cells.map((c) => [c.id, c.numerator]));
  const out = {} as Record<S, (number | null)[]>;
  for (const [name, counts] of Object.entries(sections) as [S, readonly number[]][]) out[name] = counts.map((_, i) => byId.get(`${name}#${i}`) ?? null);
  return {
    total: byId.get('total') ?? null,
    sections: out,
    disclosure: { rule: DISCLOSURE_RULE, suppressedCells: result.summary.primary + result.summary.secondary },
  };
};

/** One count on its own (no table around it): suppressed or rounded by the same policy. */
export const publishCount = (count: number): number | null => protectCounts(count, {}).total;
