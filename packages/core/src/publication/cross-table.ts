/**
 * Publishing a group × category table of people (segments by place, frailty by IMD decile, a
 * cohort by neighbourhood) with its margins; shares are computed from the published counts.
 * @module
 */
import { DEFAULT_POLICY, type DisclosurePolicy } from '../disclosure/policy.js';
import { protectIndicatorTable, type ProtectedCell } from '../disclosure/protect.js';
import type { DisclosureCell, MarginalGroup } from '../disclosure/table.js';
import { sumKeyed, type KeyedCount } from './counts.js';
import { mintOrNull, type Figure } from './figures.js';

export interface CrossTableInput {
  /** Row groups in output order (e.g. places). */
  readonly groups: readonly string[];
  /** Categories in output order (e.g. segments). */
  readonly categories: readonly string[];
  readonly count: (group: string, category: string) => KeyedCount;
  /** People in each group (the share's denominator). */
  readonly groupTotal: (group: string) => KeyedCount;
  /** Whether the categories partition each group (segments do; overlapping Core20PLUS5 groups do not). */
  readonly partition: boolean;
}

export interface PublishedCrossCell {
  readonly group: string;
  readonly category: string;
  /** Perturbed count, or null when withheld. */
  readonly people: Figure;
  /** Perturbed group total, or null when withheld. */
  readonly groupPeople: Figure;
  /** people / groupPeople, from the published counts; null when either is withheld. */
  readonly share: Figure;
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
 * totals, the grand total). When the categories partition each group, the group rows are margins
 * too; when they overlap (Core20PLUS5), each cell's group total is its count denominator, so a small
 * complement ("97 of 100 are carers") is withheld as well.
 */
export const publishCrossTable = (input: CrossTableInput, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedCrossCell[] => {
  const cells: DisclosureCell[] = [];
  const groups: MarginalGroup[] = [];
  const withDenominator = !input.partition;
  const denominator = (d: KeyedCount) => (withDenominator ? { denominator: d.n, denominatorKey: d.key } : {});
  const grand = sumKeyed(input.groups.map(input.groupTotal));
  // Group totals are the denominators: they have none of their own (their complement would always be 0).
  cells.push({ id: cellIdOf(), key: {}, numerator: grand.n, numeratorKey: grand.key });
  for (const g of input.groups) {
    const t = input.groupTotal(g);
    cells.push({ id: cellIdOf(g), key: { [GROUP]: g }, numerator: t.n, numeratorKey: t.key });
  }
  for (const c of input.categories) {
    const t = sumKeyed(input.groups.map((g) => input.count(g, c)));
    cells.push({ id: cellIdOf(undefined, c), key: { [CATEGORY]: c }, numerator: t.n, numeratorKey: t.key, ...denominator(grand) });
  }
  for (const g of input.groups) {
    const total = input.groupTotal(g);
    for (const c of input.categories) {
      const n = input.count(g, c);
      cells.push({ id: cellIdOf(g, c), key: { [GROUP]: g, [CATEGORY]: c }, numerator: n.n, numeratorKey: n.key, ...denominator(total), derivedFrom: [cellIdOf(g)] });
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
      const share = cell.suppressed || cell.numerator === null || total.numerator === null || total.numerator <= 0 ? null : cell.numerator / total.numerator;
      return { group: g, category: c, people: mintOrNull(cell.numerator), groupPeople: mintOrNull(total.numerator), share: mintOrNull(share), suppressed: cell.suppressed, note: cell.reason?.detail ?? '' };
    }),
  );
};
