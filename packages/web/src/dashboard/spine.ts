/**
 * The arithmetic of a spine chart (Fingertips' area profiles): for one indicator, the spread of the
 * published values of every area of a level (the ICS's places, or its neighbourhoods) from the worst
 * to the best, its quartiles, and where a value sits on a spine centred on a benchmark (here the
 * ICS), better to the right. Computed from published values only, so it adds nothing a reader of the
 * published tables could not work out.
 */

export type SpinePolarity = 'higher-is-better' | 'lower-is-better' | 'no-judgement';

export interface Spine {
  /** The worst (lowest when no judgement) and best (highest) of the areas' values. */
  readonly worst: number;
  readonly best: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  /** How many areas have a published value. */
  readonly areas: number;
  /** Where a value sits from 0 (left) to 1 (right): the benchmark at 0.5, better to the right. */
  readonly position: (value: number) => number;
}

/** The p-quantile of sorted values, linear between order statistics (Hyndman and Fan type 7, R's default). */
export const quantile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) throw new RangeError('no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
};

/**
 * The spine of an indicator, or null with fewer than `minAreas` published values. Quartiles are of
 * the values in the order better-is-higher (so q25 is on the worse side). The scale is symmetric
 * about the benchmark, wide enough for the furthest value (the benchmark missing: the median).
 */
export const spineOf = (values: readonly (number | null)[], polarity: SpinePolarity, benchmark: number | null, minAreas = 3): Spine | null => {
  const published = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (published.length < minAreas) return null;
  // Oriented so that larger is better (no judgement: larger is to the right).
  const sign = polarity === 'lower-is-better' ? -1 : 1;
  const oriented = published.map((v) => sign * v).sort((a, b) => a - b);
  const back = (x: number) => sign * x;
  const centre = benchmark !== null && Number.isFinite(benchmark) ? sign * benchmark : quantile(oriented, 0.5);
  const reach = Math.max(Math.abs(oriented[0]! - centre), Math.abs(oriented[oriented.length - 1]! - centre)) || 1;
  return {
    worst: back(oriented[0]!),
    best: back(oriented[oriented.length - 1]!),
    q25: back(quantile(oriented, 0.25)),
    median: back(quantile(oriented, 0.5)),
    q75: back(quantile(oriented, 0.75)),
    areas: published.length,
    position: (value: number) => Math.min(1, Math.max(0, 0.5 + (sign * value - centre) / (2 * reach))),
  };
};
