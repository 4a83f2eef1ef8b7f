/**
 * Disclosure control for one table: primary suppression of small counts (and small complements of
 * proportions), cell-key perturbation of every published count (the same records, the same noise,
 * in every table), optional rounding and greedy secondary suppression within marginal groups,
 * and values computed from the published counts only, so that no value reveals more than the
 * counts beside it. Pure and deterministic. See docs/disclosure-control.md.
 * @module
 */
import { InternalError } from '../errors/errors.js';
import type { ConfidenceInterval, Estimate } from '../stats/intervals.js';
import { OPENPHM_PTABLE_1, perturbCount } from './cell-key.js';
import { DEFAULT_POLICY, type DisclosurePolicy, isPublishable, parseDisclosurePolicy, roundCount, suppressedRangeText } from './policy.js';
import { type CellKey, type DenominatorKind, type DisclosureCell, type MarginalGroup, idOf, marginalGroupsFromKeys, validateTable } from './table.js';

/** Why a cell (or its value) is withheld. `detail` is for people; the other fields are for code. */
export type SuppressionReason =
  /** The cell's own count is small: the numerator, or for proportions the complement (denominator − numerator). */
  | { readonly kind: 'primary'; readonly rule: 'small-count' | 'small-complement'; readonly detail: string }
  /** Withheld so that the listed suppressed cells cannot be recovered from the group totalling `group`. */
  | { readonly kind: 'secondary'; readonly protects: readonly string[]; readonly group: string; readonly detail: string }
  /** The counts are published but the value was computed from suppressed cells' counts, so it is withheld. */
  | { readonly kind: 'derived'; readonly from: readonly string[]; readonly detail: string };

export type SuppressionKind = SuppressionReason['kind'];

interface ProtectedCellBase {
  readonly id: string;
  readonly key: CellKey;
  /** Published numerator, perturbed (and rounded) per policy; null when withheld. */
  readonly numerator: number | null;
  /** Count denominators: perturbed (and rounded), null when withheld. Population denominators: as given, always published. */
  readonly denominator: number | null;
  /** The statistic computed from the published counts (options.statistic); null when withheld or not computed. */
  readonly value: number | null;
  readonly intervals: readonly ConfidenceInterval[] | null;
}

/**
 * A cell as it may be published. Primary and secondary suppression withhold the numerator, a count
 * denominator, the value and the intervals; derived suppression withholds only the value and intervals.
 */
export type ProtectedCell = ProtectedCellBase &
  ({ readonly suppressed: false; readonly reason: null } | { readonly suppressed: true; readonly reason: SuppressionReason });

/** The counts of a cell as they will be published (perturbed and rounded per policy). */
export interface PublishedCellCounts {
  readonly numerator: number;
  readonly denominator: number | null;
}

export interface DisclosureOptions {
  /** What the denominators are (see DenominatorKind). Default 'count', the stricter treatment. */
  readonly denominator?: DenominatorKind;
  /**
   * Computes a published cell's value (and intervals) from its PUBLISHED counts, never from the
   * true ones, so that a value cannot be solved back to a count the table withheld or perturbed.
   * Not called for withheld cells. Null: no value.
   */
  readonly statistic?: (cell: DisclosureCell, published: PublishedCellCounts) => Estimate | null;
}

/** Counts withheld by primary or secondary suppression (derived suppression withholds only values). */
const withholdsCounts = (reason: SuppressionReason | null): boolean => reason !== null && reason.kind !== 'derived';

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Applies the policy to one table and returns every cell, in input order, as it may be published.
 * Throws a UserError ('invalid-input') for an invalid policy or table (see validateTable), and an
 * InternalError when the policy perturbs and a cell has no key (every count must carry its key).
 *
 * 1. Primary: a numerator in the suppressed range (1-7 by default), or for count denominators a
 *    complement (denominator − numerator) in that range; decided on the true counts, so the same
 *    cell is suppressed in every table.
 * 2. Secondary (policy.secondary, off by default): repeatedly, over the groups in order, while a
 *    group has exactly one withheld member, or a published total whose withheld parts sum
 *    (numerators or complements) to a suppressed-range count, withhold its smallest published
 *    non-zero part (zero parts last, ties by id); until no group changes. A greedy heuristic that
 *    protects one table by subtraction; cell-key perturbation is what protects across tables.
 * 3. Derived: a published cell whose `derivedFrom` includes a withheld cell gets no value.
 * 4. Publish: counts perturbed by their cell keys (policy.perturbation 'cell-key'; never below the
 *    threshold), then rounded to `policy.rounding` (1 by default: none); a perturbed count
 *    numerator is kept at or below its perturbed denominator.
 * 5. Values: options.statistic from the published counts.
 */
export const applyDisclosureControl = (
  cells: readonly DisclosureCell[],
  groups: readonly MarginalGroup[],
  policy: DisclosurePolicy = DEFAULT_POLICY,
  options: DisclosureOptions = {},
): ProtectedCell[] => {
  const checked = parseDisclosurePolicy(policy);
  const denominatorKind = options.denominator ?? 'count';
  const byId = validateTable(cells, groups, denominatorKind);
  const range = suppressedRangeText(checked);

  const numeratorOf = (id: string): number => byId.get(id)!.numerator;
  /** Denominator − numerator for count denominators (additive like the numerator); null otherwise. */
  const complementOf = (id: string): number | null => {
    const cell = byId.get(id)!;
    return denominatorKind === 'count' && cell.denominator !== undefined && cell.denominator !== null ? cell.denominator - cell.numerator : null;
  };
  const publishable = (n: number, c: number | null): boolean => isPublishable(n, checked) && (c === null || isPublishable(c, checked));

  // 1. Primary suppression.
  const reasons = new Map<string, SuppressionReason>();
  for (const cell of cells) {
    const id = idOf(cell);
    const complement = complementOf(id);
    if (!isPublishable(cell.numerator, checked)) {
      reasons.set(id, { kind: 'primary', rule: 'small-count', detail: `count ${range}` });
    } else if (complement !== null && !isPublishable(complement, checked)) {
      reasons.set(id, { kind: 'primary', rule: 'small-complement', detail: `denominator minus count ${range}` });
    }
  }
  const withheld = (id: string): boolean => withholdsCounts(reasons.get(id) ?? null);

  // 2. Secondary suppression, iterated to a fixed point across all groups.
  /** The withheld members a group fails to protect, or null when it is safe. */
  const exposed = (group: MarginalGroup): string[] | null => {
    const hiddenParts = group.parts.filter(withheld);
    const totalHidden = withheld(group.total);
    if (hiddenParts.length + (totalHidden ? 1 : 0) === 1) return totalHidden ? [group.total] : hiddenParts;
    if (!totalHidden && hiddenParts.length > 0) {
      // total − published parts = the sum of the withheld parts: that sum must itself be publishable.
      const n = hiddenParts.reduce((sum, id) => sum + numeratorOf(id), 0);
      const complements = hiddenParts.map(complementOf);
      const c = complements.every((x): x is number => x !== null) ? complements.reduce((sum, x) => sum + x, 0) : null;
      if (!publishable(n, c)) return hiddenParts;
    }
    return null;
  };
  /** Next cell to withhold: the smallest published non-zero part, then zero parts, then the total (one-part groups). */
  const candidate = (group: MarginalGroup): string => {
    const open = group.parts.filter((id) => !withheld(id));
    open.sort((a, b) => {
      const na = numeratorOf(a);
      const nb = numeratorOf(b);
      return Number(na === 0) - Number(nb === 0) || na - nb || compareIds(a, b);
    });
    const next = open[0] ?? (withheld(group.total) ? undefined : group.total);
    if (next === undefined) throw new InternalError(`disclosure control: group '${group.total}' is exposed but has no cell left to withhold`);
    return next;
  };
  if (checked.secondary) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const group of groups) {
        for (let protects = exposed(group); protects !== null; protects = exposed(group)) {
          const id = candidate(group);
          reasons.set(id, { kind: 'secondary', protects, group: group.total, detail: `protects ${protects.join(', ')} in ${group.total}` });
          changed = true;
        }
      }
    }
  }

  // 3. Derived suppression: values computed from withheld counts.
  for (const cell of cells) {
    const id = idOf(cell);
    if (reasons.has(id)) continue;
    const from = (cell.derivedFrom ?? []).filter(withheld);
    if (from.length > 0) reasons.set(id, { kind: 'derived', from, detail: `computed from suppressed ${from.join(', ')}` });
  }

  // 4. Publish: perturb and round counts, withhold what the reasons say.
  const floor = checked.minimumCount;
  const publishCount = (n: number, key: number | undefined, id: string, what: string): number => {
    if (checked.perturbation === 'none' || n === 0) return roundCount(n, checked.rounding);
    if (key === undefined) throw new InternalError(`disclosure control: cell '${id}' has no ${what} key, and the policy perturbs every published count`);
    return roundCount(perturbCount(n, key, floor, OPENPHM_PTABLE_1), checked.rounding);
  };
  // 5. Values from the published counts.
  return cells.map((cell): ProtectedCell => {
    const id = idOf(cell);
    const reason = reasons.get(id) ?? null;
    const hideCounts = withholdsCounts(reason);
    const d = cell.denominator ?? null;
    const denominator = d === null || denominatorKind === 'population' ? d : hideCounts ? null : publishCount(d, cell.denominatorKey, id, 'denominator');
    const perturbed = hideCounts ? null : publishCount(cell.numerator, cell.numeratorKey, id, 'numerator');
    const numerator = perturbed !== null && denominatorKind === 'count' && denominator !== null ? Math.min(perturbed, denominator) : perturbed;
    const base = { id, key: cell.key, numerator, denominator };
    if (reason !== null) return { ...base, value: null, intervals: null, suppressed: true, reason };
    const estimate = options.statistic && numerator !== null ? options.statistic(cell, { numerator, denominator }) : null;
    return { ...base, value: estimate?.value ?? null, intervals: estimate?.intervals ?? null, suppressed: false, reason: null };
  });
};

export interface IndicatorTable {
  readonly cells: readonly DisclosureCell[];
  /** The additivity structure; read from the keys with marginalGroupsFromKeys when omitted. */
  readonly groups?: readonly MarginalGroup[];
  readonly denominator: DenominatorKind;
  /** The value of each published cell from its published counts (see DisclosureOptions.statistic). */
  readonly statistic?: DisclosureOptions['statistic'];
}

export interface SuppressionSummary {
  readonly cells: number;
  readonly published: number;
  readonly primary: number;
  readonly secondary: number;
  readonly derived: number;
}

export interface ProtectedTable {
  readonly policy: DisclosurePolicy;
  readonly groups: readonly MarginalGroup[];
  readonly cells: readonly ProtectedCell[];
  readonly summary: SuppressionSummary;
}

/** How many cells were published and suppressed, by kind. */
export const summariseSuppression = (cells: readonly ProtectedCell[]): SuppressionSummary => {
  const count = (kind: SuppressionKind) => cells.filter((cell) => cell.reason?.kind === kind).length;
  return { cells: cells.length, published: cells.filter((cell) => !cell.suppressed).length, primary: count('primary'), secondary: count('secondary'), derived: count('derived') };
};

/**
 * Convenience wrapper: validates a (partial) policy, reads the groups from the keys when not
 * given, applies disclosure control and returns the cells with the policy, groups and a summary.
 */
export const protectIndicatorTable = (table: IndicatorTable, policy: Partial<DisclosurePolicy> = {}): ProtectedTable => {
  const checked = parseDisclosurePolicy(policy);
  const groups = table.groups ?? marginalGroupsFromKeys(table.cells);
  const cells = applyDisclosureControl(table.cells, groups, checked, { denominator: table.denominator, ...(table.statistic ? { statistic: table.statistic } : {}) });
  return { policy: checked, groups, cells, summary: summariseSuppression(cells) };
};
