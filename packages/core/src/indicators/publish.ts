/**
 * Publishing an indicator result: every group is protected by disclosure control against the
 * partnership total (so a suppressed group cannot be recovered by subtraction), and flattened into
 * rows for CSV / JSON / the API. Inequality summaries are published only when no deprivation group
 * was suppressed.
 */
import { denominatorKindOf, protectIndicatorTable, type DisclosureCell, type ProtectedCell } from '../disclosure/index.js';
import type { IndicatorResult, IndicatorValue } from './evaluate.js';

export interface PublishedRow {
  readonly indicator_id: string;
  readonly indicator_version: number;
  readonly title: string;
  readonly period: string;
  readonly breakdown: string;
  readonly group: string;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly lower_95: number | null;
  readonly upper_95: number | null;
  readonly lower_99_8: number | null;
  readonly upper_99_8: number | null;
  readonly unit: string;
  readonly suppressed: boolean;
  /** Why a figure is withheld: disclosure control (primary, secondary, derived) or the statistic's own rule. */
  readonly note: string;
}

const TOTAL = 'ICS';

const interval = (v: { intervals: readonly { confidence: number; lower: number | null; upper: number | null }[] | null }, c: number, side: 'lower' | 'upper') =>
  v.intervals?.find((i) => i.confidence === c)?.[side] ?? null;

/**
 * Protects and flattens one result. `total` is the same indicator and period for the whole
 * partnership (breakdown `ics`), used as the marginal total; without it only primary suppression applies.
 */
export const publishResult = (result: IndicatorResult, total: IndicatorResult | undefined, protect = true): PublishedRow[] => {
  const def = result.indicator;
  const base = { indicator_id: def.id, indicator_version: def.version, title: def.title, period: result.period.label, breakdown: result.breakdown, unit: def.unit };
  const row = (v: IndicatorValue, p: ProtectedCell | undefined): PublishedRow => {
    const source = p ?? { numerator: v.numerator, denominator: v.denominator, value: v.value, intervals: v.intervals, suppressed: false, reason: null };
    const statNote = v.statisticSuppressed ? `not published: ${v.statisticSuppressed}` : '';
    return {
      ...base,
      group: v.group,
      numerator: source.numerator,
      denominator: source.denominator,
      value: source.value,
      lower_95: interval(source, 0.95, 'lower'),
      upper_95: interval(source, 0.95, 'upper'),
      lower_99_8: interval(source, 0.998, 'lower'),
      upper_99_8: interval(source, 0.998, 'upper'),
      suppressed: source.suppressed || (source.value === null && statNote !== ''),
      note: source.reason ? source.reason.detail : statNote,
    };
  };
  if (!protect) return result.values.map((v) => row(v, undefined));

  const totalValue = result.breakdown === 'ics' ? undefined : total?.values.find((v) => v.group === TOTAL);
  const cell = (v: IndicatorValue, key: Record<string, string>): DisclosureCell => ({ key, numerator: v.numerator, denominator: v.denominator, value: v.value, intervals: v.intervals });
  const cells: DisclosureCell[] = result.values.map((v) => cell(v, result.breakdown === 'ics' ? {} : { [result.breakdown]: v.group }));
  const sumParts = result.values.reduce((a, v) => a + v.numerator, 0);
  // Protect against the total only when the groups partition it (they should; guard against engines that drop empty groups).
  const useTotal = totalValue !== undefined && Math.abs(totalValue.numerator - sumParts) < 1e-9;
  if (useTotal) cells.push(cell(totalValue, {}));
  const denominator = denominatorKindOf(def.measure.kind);
  const protectedCells = protectIndicatorTable(
    useTotal ? { cells, denominator } : { cells, denominator, groups: [] },
  ).cells;
  const rows = result.values.map((v, i) => row(v, protectedCells[i]));

  const inequality = result.inequality;
  if (inequality) {
    const anySuppressed = rows.some((r) => r.suppressed);
    const groupsCount = result.breakdown === 'imd-decile' ? 10 : 5;
    const empty = { numerator: null, denominator: null, lower_95: null, upper_95: null, lower_99_8: null, upper_99_8: null };
    const note = anySuppressed ? 'not published: a deprivation group is suppressed' : '';
    const summary = (group: string, value: number | null, est?: { intervals: readonly { confidence: number; lower: number | null; upper: number | null }[] } | null): PublishedRow => ({
      ...base,
      ...empty,
      group,
      value: anySuppressed ? null : value,
      ...(est && !anySuppressed ? { lower_95: interval(est, 0.95, 'lower'), upper_95: interval(est, 0.95, 'upper'), lower_99_8: interval(est, 0.998, 'lower'), upper_99_8: interval(est, 0.998, 'upper') } : {}),
      unit: group.startsWith('RII') || group.startsWith('relative') ? 'ratio' : def.unit,
      suppressed: anySuppressed,
      note,
    });
    rows.push(summary(`gap (1 minus ${groupsCount})`, inequality.absoluteGap));
    rows.push(summary(`relative gap (1 / ${groupsCount})`, inequality.relativeGap));
    rows.push(summary('SII', inequality.sii?.value ?? null, inequality.sii));
    rows.push(summary('RII', inequality.rii?.value ?? null, inequality.rii));
  }
  return rows;
};
