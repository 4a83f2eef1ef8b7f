/**
 * Publishing PHM counts through core's disclosure control (packages/core/src/disclosure): a
 * group × category table (segments by place, frailty categories by IMD decile, a transition
 * matrix…) becomes a DisclosureCell table with its margins, so small counts are suppressed,
 * secondary suppression stops them being recovered by subtraction, and published counts are rounded.
 */
import {
  DEFAULT_POLICY,
  isPublishable,
  protectIndicatorTable,
  roundCount,
  suppressedRangeText,
  type DisclosureCell,
  type DisclosurePolicy,
  type MarginalGroup,
  type ProtectedCell,
} from '@openphm/core';

export interface CrossTableInput {
  /** Row groups in output order (e.g. places). */
  readonly groups: readonly string[];
  /** Categories in output order (e.g. segments). */
  readonly categories: readonly string[];
  readonly count: (group: string, category: string) => number;
  /** People in each group (the share's denominator). */
  readonly groupTotal: (group: string) => number;
  /** Whether the categories partition each group (segments do; overlapping Core20PLUS5 groups do not). */
  readonly partition: boolean;
}

export interface PublishedCrossCell {
  readonly group: string;
  readonly category: string;
  /** Rounded count, or null when withheld. */
  readonly people: number | null;
  /** Rounded group total, or null when withheld. */
  readonly groupPeople: number | null;
  /** people / groupPeople from the unrounded counts (as indicator values are), or null when withheld. */
  readonly share: number | null;
  readonly suppressed: boolean;
  /** Why a figure is withheld ('' when published). */
  readonly note: string;
}

const GROUP = 'group';
const CATEGORY = 'category';
const cellIdOf = (group?: string, category?: string): string =>
  group === undefined && category === undefined ? 'all' : [category !== undefined ? `${CATEGORY}=${category}` : '', group !== undefined ? `${GROUP}=${group}` : ''].filter((x) => x !== '').join(';');

/**
 * Protects a group × category table of people counts with its margins (group totals, category
 * totals, the grand total). When the categories partition each group, the group rows are margins too,
 * which also protects complements; when they overlap (Core20PLUS5), each cell's group total is its
 * count denominator, so a small complement ("97 of 100 are carers") is suppressed as well.
 */
export const publishCrossTable = (input: CrossTableInput, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedCrossCell[] => {
  const cells: DisclosureCell[] = [];
  const groups: MarginalGroup[] = [];
  const withDenominator = !input.partition;
  const denominator = (d: number) => (withDenominator ? { denominator: d } : {});
  const grand = input.groups.reduce((a, g) => a + input.groupTotal(g), 0);
  cells.push({ id: cellIdOf(), key: {}, numerator: grand, ...denominator(grand) });
  for (const g of input.groups) cells.push({ id: cellIdOf(g), key: { [GROUP]: g }, numerator: input.groupTotal(g), ...denominator(input.groupTotal(g)) });
  for (const c of input.categories) {
    cells.push({ id: cellIdOf(undefined, c), key: { [CATEGORY]: c }, numerator: input.groups.reduce((a, g) => a + input.count(g, c), 0), ...denominator(grand) });
  }
  for (const g of input.groups) {
    const total = input.groupTotal(g);
    for (const c of input.categories) {
      const n = input.count(g, c);
      cells.push({ id: cellIdOf(g, c), key: { [GROUP]: g, [CATEGORY]: c }, numerator: n, ...denominator(total), value: total > 0 ? n / total : null, derivedFrom: [cellIdOf(g)] });
    }
  }
  groups.push({ total: cellIdOf(), parts: input.groups.map((g) => cellIdOf(g)) });
  for (const c of input.categories) groups.push({ total: cellIdOf(undefined, c), parts: input.groups.map((g) => cellIdOf(g, c)) });
  if (input.partition) {
    groups.push({ total: cellIdOf(), parts: input.categories.map((c) => cellIdOf(undefined, c)) });
    for (const g of input.groups) groups.push({ total: cellIdOf(g), parts: input.categories.map((c) => cellIdOf(g, c)) });
  }
  const protectedCells = protectIndicatorTable({ cells, groups, denominator: withDenominator ? 'count' : 'population' }, policy).cells;
  const published = new Map<string, ProtectedCell>(protectedCells.map((c) => [c.id, c]));
  return input.groups.flatMap((g) =>
    input.categories.map((c) => {
      const cell = published.get(cellIdOf(g, c))!;
      const total = published.get(cellIdOf(g))!;
      return { group: g, category: c, people: cell.numerator, groupPeople: total.numerator, share: cell.value, suppressed: cell.suppressed, note: cell.reason?.detail ?? '' };
    }),
  );
};

/** A single count published on its own (primary suppression and rounding only): for counts outside tables, such as the model card's. */
export const publishCount = (count: number, policy: DisclosurePolicy = DEFAULT_POLICY): number | null =>
  isPublishable(count, policy) ? roundCount(count, policy.rounding) : null;

export const disclosureNote = (policy: DisclosurePolicy = DEFAULT_POLICY): string =>
  `Disclosure control (docs/disclosure-control.md): counts of ${suppressedRangeText(policy)} are suppressed${policy.secondary ? ', with secondary suppression so they cannot be recovered from totals,' : ''} and published counts rounded to the nearest ${policy.rounding}; shares are computed from the unrounded counts.`;

export const DISCLOSURE_NOTE = disclosureNote();

/** A policy that publishes every count as it is: for analysts' own use (`--no-disclosure-control`), never for publication. */
export const NO_DISCLOSURE_CONTROL: DisclosurePolicy = Object.freeze({ minimumCount: 1, suppressZero: false, rounding: 1, secondary: false });
export const NO_DISCLOSURE_NOTE = 'No disclosure control: exact counts for analysts, not for publication.';
