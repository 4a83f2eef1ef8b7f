/**
 * The outcome map's arithmetic (docs/how-to/outcome-maps.md): which levels an indicator can be
 * mapped at, each area's published figure and its comparison with the ICS or England (Fingertips
 * convention: the 95% interval against the benchmark value), the colour of each area (by
 * significance, or by value in quantile classes) and the legend. Published figures only: a withheld
 * figure is shown as withheld, never estimated. Pure, and unit-tested.
 */
import type { Comparison, IndicatorResultsT } from '../api.js';
import { compareWith } from '../components/chart-math.js';
import { COMPARISON_STYLE } from '../components/comparison.js';
import { fmtValue } from '../dashboard/format.js';

/** The levels an indicator is mapped at, finest last; each is a breakdown of the results API. */
export const MAP_LEVELS = ['place', 'neighbourhood', 'lsoa'] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];

export const LEVEL_LABEL: Readonly<Record<MapLevel, string>> = { place: 'Place', neighbourhood: 'Neighbourhood', lsoa: 'LSOA (small area)' };

/** The levels an indicator has (its breakdowns), in MAP_LEVELS order. */
export const levelsOf = (breakdowns: readonly string[]): MapLevel[] => MAP_LEVELS.filter((l) => breakdowns.includes(l));

/** What areas are compared with. */
export type Benchmark = 'ics' | 'england';

type ResultRow = IndicatorResultsT['rows'][number];

/** One area's published figure on the map and in the table. */
export interface AreaFigure {
  readonly id: string;
  readonly name: string;
  readonly value: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly suppressed: boolean;
  readonly note: string;
  readonly comparison: Comparison;
}

/**
 * The areas' figures, named, compared with `benchmark` (null: nothing to compare with), sorted by
 * name. Rows for groups that are not areas (inequality summaries) are left out.
 */
export const areaFigures = (rows: readonly ResultRow[], nameOf: (id: string) => string | undefined, benchmark: number | null, polarity: string): AreaFigure[] =>
  rows
    .flatMap((r): AreaFigure[] => {
      const name = nameOf(r.group);
      if (name === undefined) return [];
      const withheld = r.suppressed || r.value === null;
      return [
        {
          id: r.group,
          name,
          value: withheld ? null : r.value,
          lower95: withheld ? null : r.lower_95,
          upper95: withheld ? null : r.upper_95,
          numerator: r.numerator,
          denominator: r.denominator,
          suppressed: r.suppressed,
          note: r.note,
          comparison: withheld ? 'not-compared' : compareWith(r.lower_95, r.upper_95, benchmark, polarity),
        },
      ];
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || (a.id < b.id ? -1 : 1));

// ---- colours

/** How areas are coloured. */
export type Colouring = 'significance' | 'value';

/** An area with no published figure (withheld, or no interval): a mid grey that shows on white. */
export const NO_FIGURE_FILL = '#c8c8c8';

/** Five classes of value, light to dark (ColorBrewer Blues: sequential, colour-blind safe, prints in grey). */
export const VALUE_FILLS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;

/** Significance classes in the legend's order (Fingertips'). */
const SIGNIFICANCE_ORDER: readonly Comparison[] = ['better', 'similar', 'worse', 'higher', 'lower', 'not-compared'];

/**
 * Class breaks for values: the quantiles that split the published values into up to `classes`
 * classes of about equal size (type 7 quantiles), without repeats and never at the smallest value
 * (so no class is empty at the bottom). `n` values give at most n classes; none for fewer than 2.
 */
export const legendBreaks = (values: readonly number[], classes: number = VALUE_FILLS.length): number[] => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < 2) return [];
  const k = Math.min(classes, sorted.length);
  const breaks: number[] = [];
  for (let i = 1; i < k; i++) {
    const h = ((sorted.length - 1) * i) / k;
    const lo = Math.floor(h);
    const q = sorted[lo]! + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]!) - sorted[lo]!);
    if (q > sorted[0]! && (breaks.length === 0 || q > breaks[breaks.length - 1]!)) breaks.push(q);
  }
  return breaks;
};

/** A value's class under `breaks`: 0 below the first break, breaks.length at or above the last. */
export const valueClass = (value: number, breaks: readonly number[]): number => {
  let c = 0;
  while (c < breaks.length && value >= breaks[c]!) c++;
  return c;
};

/** The fill of an area's figure. */
export const fillOf = (figure: AreaFigure | undefined, colouring: Colouring, breaks: readonly number[]): string => {
  if (figure === undefined || figure.value === null) return NO_FIGURE_FILL;
  if (colouring === 'value') return VALUE_FILLS[Math.min(valueClass(figure.value, breaks), VALUE_FILLS.length - 1)]!;
  return figure.comparison === 'not-compared' ? NO_FIGURE_FILL : COMPARISON_STYLE[figure.comparison].fill;
};

export interface LegendItem {
  readonly fill: string;
  readonly label: string;
  readonly count: number;
}

const benchmarkName = (against: Benchmark): string => (against === 'england' ? 'England' : 'the ICS');

/**
 * The legend: by significance, each class the areas fall in (with how many), in Fingertips' order;
 * by value, each class's range in the indicator's unit. Areas without a published figure last.
 */
export const legendOf = (figures: readonly AreaFigure[], colouring: Colouring, breaks: readonly number[], unit: string, against: Benchmark): LegendItem[] => {
  const withheld = figures.filter((f) => f.value === null).length;
  const items: LegendItem[] = [];
  if (colouring === 'significance') {
    for (const c of SIGNIFICANCE_ORDER) {
      if (c === 'not-compared') continue;
      const count = figures.filter((f) => f.value !== null && f.comparison === c).length;
      if (count > 0 || c === 'better' || c === 'similar' || c === 'worse') items.push({ fill: COMPARISON_STYLE[c].fill, label: `${COMPARISON_STYLE[c].label} than ${benchmarkName(against)}`.replace('Similar than', 'Similar to'), count });
    }
    const notCompared = figures.filter((f) => f.value !== null && f.comparison === 'not-compared').length;
    if (notCompared > 0) items.push({ fill: NO_FIGURE_FILL, label: `Not compared (no ${against === 'england' ? 'England value' : 'interval'})`, count: notCompared });
  } else {
    const classes = breaks.length + 1;
    for (let c = 0; c < classes && figures.some((f) => f.value !== null); c++) {
      const from = c === 0 ? null : breaks[c - 1]!;
      const to = c === breaks.length ? null : breaks[c]!;
      const label = from === null && to === null ? 'All values' : from === null ? `Below ${fmtValue(to, unit)}` : to === null ? `${fmtValue(from, unit)} and above` : `${fmtValue(from, unit)} to below ${fmtValue(to, unit)}`;
      items.push({ fill: VALUE_FILLS[Math.min(c, VALUE_FILLS.length - 1)]!, label, count: figures.filter((f) => f.value !== null && valueClass(f.value, breaks) === c).length });
    }
  }
  if (withheld > 0) items.push({ fill: NO_FIGURE_FILL, label: 'Withheld (small numbers) or not published', count: withheld });
  return items;
};
