/**
 * How the outcomes dashboard writes indicator values, intervals and polarity, names the groups of
 * a breakdown, and lays out its CSV download. Pure, and unit-tested.
 */
import { periodLabel, type DashboardIndicator, type Geography, type IndicatorResultsT } from '../api.js';
import { deprivationEnd } from '../breakdowns.js';
import { fmtFixed } from '../format.js';

const POLARITY: Readonly<Record<string, string>> = { 'higher-is-better': 'Higher is better', 'lower-is-better': 'Lower is better', 'no-judgement': 'No judgement (higher or lower)' };

/** An indicator's polarity in words; an unknown one as it is. */
export const polarityLabel = (polarity: string): string => POLARITY[polarity] ?? polarity;

/** A value in its unit: 12.3% or 345.6 (per 100,000 in the column heading); whole numbers from 1,000; [c] when withheld. */
export const fmtValue = (v: number | null | undefined, unit: string): string => {
  if (v === null || v === undefined) return '[c]';
  const text = fmtFixed(v, Math.abs(v) >= 1000 ? 0 : 1);
  return unit === '%' ? `${text}%` : text;
};

/** A 95% confidence interval ('12.1% to 14.0%'), or '–' without both ends. */
export const fmtCi = (lo: number | null | undefined, hi: number | null | undefined, unit: string): string =>
  lo === null || lo === undefined || hi === null || hi === undefined ? '–' : `${fmtValue(lo, unit)} to ${fmtValue(hi, unit)}`;

/** The unit beside a value: nothing for a percentage (the value carries its %), else the unit ('per 100,000'). */
export const unitNote = (unit: string): string => (unit === '%' ? '' : unit);

/** A theme's name as a heading: first letter capital. */
export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A count of an indicator (numerator or denominator): [c] when withheld. */
/** A count, or a denominator in person-years (shown to the whole year: 25,763.877 reads 25,764); [c] when withheld. */
export const fmtCountOrC = (n: number | null | undefined): string => (n === null || n === undefined ? '[c]' : Math.round(n).toLocaleString('en-GB'));

/** The dashboard's address for an area, and for one indicator in it. */
export const dashboardHref = (area: string, indicator?: string): string =>
  `#/dashboard?area=${encodeURIComponent(area)}${indicator === undefined ? '' : `&indicator=${encodeURIComponent(indicator)}`}`;

/** The rows of an indicator's results by group that are inequality measures (gap, relative gap, SII, RII), not groups. */
const INEQUALITY_ROW = /^(gap |relative gap |SII$|RII$)/;

type ResultRow = IndicatorResultsT['rows'][number];

/** An indicator's results split into its groups and its inequality measures. */
export const splitResults = (rows: readonly ResultRow[]): { groups: ResultRow[]; inequality: ResultRow[] } => ({
  groups: rows.filter((r) => !INEQUALITY_ROW.test(r.group)),
  inequality: rows.filter((r) => INEQUALITY_ROW.test(r.group)),
});

const SEX_NAME: Readonly<Record<string, string>> = { F: 'Female', M: 'Male' };

/** A group's name in a breakdown: places and neighbourhoods by name, deprivation groups with which end is which, sex in words. */
export const groupName = (by: string, group: string, geography: Pick<Geography, 'places' | 'neighbourhoods'> | undefined): string => {
  if (by === 'place') return geography?.places.find((p) => p.id === group)?.name ?? group;
  if (by === 'neighbourhood') return geography?.neighbourhoods.find((n) => n.id === group)?.name ?? group;
  if (by === 'imd-decile') return `Decile ${group}${deprivationEnd(group, 10)}`;
  if (by === 'imd-quintile') return `Quintile ${group}${deprivationEnd(group, 5)}`;
  if (by === 'sex') return SEX_NAME[group] ?? group;
  return group;
};

export const DASHBOARD_COLUMNS = ['id', 'title', 'themes', 'unit', 'polarity', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'benchmark', 'benchmark_value', 'comparison', 'england', 'england_lower_95', 'england_upper_95', 'england_period', 'england_comparison', 'england_source', 'gap', 'gap_label', 'sii', 'sii_lower_95', 'sii_upper_95', 'note'];

/** The dashboard as CSV rows (DASHBOARD_COLUMNS): withheld figures as [c]; England's published value with its source, or why there is none. */
export const dashboardCsvRows = (list: readonly DashboardIndicator[]) =>
  list.map((i) => [
    i.id,
    i.title,
    i.themes.join('; '),
    i.unit,
    i.polarity,
    i.latest ? periodLabel(i.latest.period) : '',
    i.latest?.suppressed || i.latest?.value === null ? '[c]' : i.latest?.value,
    i.latest?.lower95,
    i.latest?.upper95,
    i.latest?.suppressed || i.latest?.numerator === null ? '[c]' : i.latest?.numerator,
    i.latest?.suppressed || i.latest?.denominator === null ? '[c]' : i.latest?.denominator,
    i.benchmark?.name,
    i.benchmark?.value,
    i.comparison,
    i.england?.value,
    i.england?.lower95,
    i.england?.upper95,
    i.england?.period,
    i.englandComparison,
    i.england ? `${i.england.note}; ${i.england.source}` : i.englandNote,
    i.inequality?.gap,
    i.inequality?.gapLabel,
    i.inequality?.sii,
    i.inequality?.siiLower95,
    i.inequality?.siiUpper95,
    i.latest?.note,
  ]);

/**
 * The indicators that match a filter (words in the title, id or themes, any case), grouped by their
 * first theme, themes in alphabetical order and indicators in the dashboard's order within each.
 */
export const byTheme = <T extends Pick<DashboardIndicator, 'id' | 'title' | 'themes'>>(indicators: readonly T[], filter: string): [string, T[]][] => {
  const q = filter.trim().toLowerCase();
  const themes = new Map<string, T[]>();
  for (const i of indicators) {
    if (q && !`${i.title} ${i.id} ${i.themes.join(' ')}`.toLowerCase().includes(q)) continue;
    const theme = i.themes[0] ?? 'other';
    themes.set(theme, [...(themes.get(theme) ?? []), i]);
  }
  return [...themes.entries()].sort(([a], [b]) => a.localeCompare(b));
};
