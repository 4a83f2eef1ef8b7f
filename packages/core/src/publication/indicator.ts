/**
 * Publishing an indicator: an engine's true counts (with their cell keys) go in; published rows come
 * out, every count withheld or perturbed, and every value, interval and inequality summary computed
 * from the protected counts by core's evaluateIndicator, so a value says nothing the counts do not.
 *
 * Proportions, crude rates and observed/expected have one cell per group: the value is computed from
 * the published numerator and (count) denominator. Standardised rates and life expectancy are
 * computed from counts per age band: each band's count is perturbed by its own cell key (bands are
 * never published, so they are not withheld), and the group's published numerator is the group
 * total perturbed by its key. Population denominators (person-years, expected counts) are published
 * as they are: they count where people live, not who has a condition.
 * @module
 */
import { addKeys, perturbCount, OPENPHM_PTABLE_1 } from '../disclosure/cell-key.js';
import { DEFAULT_POLICY, type DisclosurePolicy } from '../disclosure/policy.js';
import { protectIndicatorTable, type ProtectedCell } from '../disclosure/protect.js';
import { denominatorKindOf, type DisclosureCell } from '../disclosure/table.js';
import { InternalError } from '../errors/errors.js';
import { ageSplitOf, byGroupName, evaluateIndicator, type AggregateCell, type AggregateRequest, type IndicatorValue } from '../indicators/evaluate.js';
import type { ConfidenceInterval } from '../stats/intervals.js';
import { mintOrNull, type Figure } from './figures.js';

export interface PublishedRow {
  readonly indicator_id: string;
  readonly indicator_version: number;
  readonly title: string;
  readonly period: string;
  readonly breakdown: string;
  readonly group: string;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly value: Figure;
  readonly lower_95: Figure;
  readonly upper_95: Figure;
  readonly lower_99_8: Figure;
  readonly upper_99_8: Figure;
  readonly unit: string;
  readonly suppressed: boolean;
  /** Why a figure is withheld: disclosure control or the statistic's own rule (e.g. fewer than 10 events). */
  readonly note: string;
}

export interface PublishedIndicator {
  readonly rows: readonly PublishedRow[];
  /** Groups (not summary rows) withheld by disclosure control. */
  readonly suppressedCells: number;
}

const TOTAL = 'ICS';
const INEQUALITY_GROUP = /^(gap|relative gap|SII|RII)\b/;

/** Whether a published row is an inequality summary (gap, relative gap, SII, RII) rather than a group. */
export const isSummaryRow = (row: Pick<PublishedRow, 'group'>): boolean => INEQUALITY_GROUP.test(row.group);

const limit = (intervals: readonly ConfidenceInterval[] | null | undefined, c: number, side: 'lower' | 'upper'): Figure => mintOrNull(intervals?.find((i) => i.confidence === c)?.[side]);

interface GroupCounts {
  readonly cells: AggregateCell[];
  numerator: number;
  denominator: number;
  numeratorKey: number;
  denominatorKey: number;
  hasNumeratorKey: boolean;
  hasDenominatorKey: boolean;
}

const groupsOf = (cells: readonly AggregateCell[]): Map<string, GroupCounts> => {
  const out = new Map<string, GroupCounts>();
  for (const c of cells) {
    let g = out.get(c.group);
    if (!g) out.set(c.group, (g = { cells: [], numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0, hasNumeratorKey: true, hasDenominatorKey: true }));
    g.cells.push(c);
    g.numerator += c.numerator;
    g.denominator += c.denominator;
    if (c.numeratorKey === undefined) g.hasNumeratorKey = false;
    else g.numeratorKey = addKeys(g.numeratorKey, c.numeratorKey);
    if (c.denominatorKey === undefined) g.hasDenominatorKey = false;
    else g.denominatorKey = addKeys(g.denominatorKey, c.denominatorKey);
  }
  return out;
};

/**
 * Protects and publishes one indicator result. Groups are protected each on its own (cell-key
 * perturbation protects across tables); with a policy that asks for secondary suppression, the
 * groups are also protected against their total (the ICS) when `total` gives its cells.
 */
export const publishIndicator = (request: AggregateRequest, cells: readonly AggregateCell[], policy: DisclosurePolicy = DEFAULT_POLICY, total?: readonly AggregateCell[]): PublishedIndicator => {
  const { definition: def, period, breakdown } = request;
  const denominatorKind = denominatorKindOf(def.measure.kind);
  const banded = ageSplitOf(def) !== 'none';
  const groups = groupsOf(cells);
  const names = [...groups.keys()].sort(byGroupName);
  const keyOf = (g: GroupCounts, which: 'numerator' | 'denominator'): { numeratorKey?: number } | { denominatorKey?: number } => {
    const has = which === 'numerator' ? g.hasNumeratorKey : g.hasDenominatorKey;
    if (!has) return {};
    return which === 'numerator' ? { numeratorKey: g.numeratorKey } : { denominatorKey: g.denominatorKey };
  };
  const disclosureCell = (name: string, g: GroupCounts, key: Record<string, string>): DisclosureCell => ({
    id: name,
    key,
    numerator: g.numerator,
    denominator: g.denominator,
    ...keyOf(g, 'numerator'),
    ...(denominatorKind === 'count' ? keyOf(g, 'denominator') : {}),
  });
  const tableCells = names.map((name) => disclosureCell(name, groups.get(name)!, breakdown === 'ics' ? {} : { [breakdown]: name }));
  let totalGroups: { total: string; parts: string[] }[] = [];
  if (policy.secondary && total !== undefined && breakdown !== 'ics') {
    const t = groupsOf(total).get(TOTAL);
    if (t !== undefined && t.numerator === tableCells.reduce((a, c) => a + c.numerator, 0)) {
      tableCells.push(disclosureCell(`${TOTAL} (total)`, t, {}));
      totalGroups = [{ total: `${TOTAL} (total)`, parts: names }];
    }
  }
  const protectedCells = new Map<string, ProtectedCell>(protectIndicatorTable({ cells: tableCells, groups: totalGroups, denominator: denominatorKind }, policy).cells.map((c) => [c.id, c]));

  // The cells the statistics are computed from: published counts, or perturbed age bands.
  const statisticCells: AggregateCell[] = [];
  for (const name of names) {
    const p = protectedCells.get(name)!;
    if (p.suppressed || p.numerator === null) continue;
    const g = groups.get(name)!;
    if (!banded) {
      statisticCells.push({ group: name, numerator: p.numerator, denominator: denominatorKind === 'count' ? p.denominator! : g.denominator });
      continue;
    }
    for (const band of g.cells) {
      let n = band.numerator;
      if (policy.perturbation === 'cell-key' && n > 0) {
        if (band.numeratorKey === undefined) throw new InternalError(`indicator ${def.id}: group '${name}' band '${band.ageBand ?? ''}' has no numerator key`);
        n = perturbCount(n, band.numeratorKey, 0, OPENPHM_PTABLE_1);
      }
      statisticCells.push({ group: name, ...(band.ageBand !== undefined ? { ageBand: band.ageBand } : {}), numerator: n, denominator: band.denominator });
    }
  }
  const evaluated = evaluateIndicator(request, statisticCells);
  const values = new Map<string, IndicatorValue>(evaluated.values.map((v) => [v.group, v]));

  const base = { indicator_id: def.id, indicator_version: def.version, title: def.title, period: period.label, breakdown, unit: def.unit };
  const rows: PublishedRow[] = names.map((name) => {
    const p = protectedCells.get(name)!;
    const v = values.get(name);
    const statNote = v?.statisticSuppressed ? `not published: ${v.statisticSuppressed}` : '';
    const intervals = p.suppressed ? null : (v?.intervals ?? null);
    const value = p.suppressed ? null : (v?.value ?? null);
    return {
      ...base,
      group: name,
      numerator: mintOrNull(p.numerator),
      denominator: mintOrNull(p.denominator),
      value: mintOrNull(value),
      lower_95: limit(intervals, 0.95, 'lower'),
      upper_95: limit(intervals, 0.95, 'upper'),
      lower_99_8: limit(intervals, 0.998, 'lower'),
      upper_99_8: limit(intervals, 0.998, 'upper'),
      suppressed: p.suppressed || (value === null && statNote !== ''),
      note: p.reason ? p.reason.detail : statNote,
    };
  });
  const suppressedCells = names.filter((n) => protectedCells.get(n)!.suppressed).length;

  const inequality = evaluated.inequality;
  if (inequality) {
    const anySuppressed = suppressedCells > 0;
    const groupsCount = breakdown === 'imd-decile' ? 10 : 5;
    const empty = { numerator: null, denominator: null, lower_95: null, upper_95: null, lower_99_8: null, upper_99_8: null };
    const note = anySuppressed ? 'not published: a deprivation group is withheld' : '';
    const summary = (group: string, value: number | null, est?: { intervals: readonly ConfidenceInterval[] } | null): PublishedRow => ({
      ...base,
      ...empty,
      group,
      value: anySuppressed ? null : mintOrNull(value),
      ...(est && !anySuppressed
        ? { lower_95: limit(est.intervals, 0.95, 'lower'), upper_95: limit(est.intervals, 0.95, 'upper'), lower_99_8: limit(est.intervals, 0.998, 'lower'), upper_99_8: limit(est.intervals, 0.998, 'upper') }
        : {}),
      unit: group.startsWith('RII') || group.startsWith('relative') ? 'ratio' : def.unit,
      suppressed: anySuppressed,
      note,
    });
    rows.push(summary(`gap (${groupsCount} minus 1)`, inequality.absoluteGap));
    rows.push(summary(`relative gap (${groupsCount} / 1)`, inequality.relativeGap));
    rows.push(summary('SII', inequality.sii?.value ?? null, inequality.sii));
    rows.push(summary('RII', inequality.rii?.value ?? null, inequality.rii));
  }
  return { rows, suppressedCells };
};
