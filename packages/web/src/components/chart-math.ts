/**
 * The arithmetic of the charts, apart from their drawing: axis ranges and ticks, scales, series
 * split at withheld points, SVG paths, and the Fingertips comparison that colours bars. Pure, so
 * the charts' geometry is unit-tested without a browser.
 */
import type { Comparison } from '../api.js';

/** A chart's size and its plot area inside the margins (left and top are where the plot starts; right and bottom where it ends). */
export const plotArea = (width: number, height: number, margin: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }) => ({
  width,
  height,
  left: margin.left,
  right: width - margin.right,
  top: margin.top,
  bottom: height - margin.bottom,
});

/** A linear scale from a domain [d0, d1] to a range [r0, r1] (a reversed range turns the y axis upwards). */
export const linear =
  (d0: number, d1: number, r0: number, r1: number) =>
  (v: number): number =>
    r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

/**
 * The range of a chart's axis: the values' extent widened by `pad` of itself on each side; a single
 * value gets 10% either side (or 1 for zero), and no values give 0 to 1, so a scale never divides by zero.
 */
export const paddedRange = (values: readonly number[], pad: number): { min: number; max: number } => {
  let min = values.length ? Math.min(...values) : 0;
  let max = values.length ? Math.max(...values) : 1;
  if (min === max) (min -= Math.abs(min) * 0.1 || 1), (max += Math.abs(max) * 0.1 || 1);
  const margin = (max - min) * pad;
  return { min: min - margin, max: max + margin };
};

/** Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [min, max] in about `count` steps. */
export const niceTicks = (min: number, max: number, count = 4): number[] => {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  // toPrecision(12) drops the float noise of repeated addition (0.30000000000000004 → 0.3).
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
};

/** `count` evenly spaced ticks from min to max, both ends included. */
export const evenTicks = (min: number, max: number, count = 5): number[] => Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));

/** A tick label: two decimal places below 10, one above (12.5, 0.25, 1,234.5). */
export const fmtTick = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: Math.abs(n) < 10 ? 2 : 1 });

/**
 * The lines of a period label under a chart's x axis: a pooled period ("2021/22 - 2023/24") on two
 * lines, so the last label is not cut off at the chart's edge; any other label on one.
 */
export const axisLabelLines = (label: string): string[] => {
  const parts = label.split(' - ');
  return parts.length === 2 ? [`${parts[0]} -`, parts[1]!] : [label];
};

/** An estimate of the width of a line of text in the charts' sans-serif font (0.56 em a character): for laying out legends. */
export const textWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.56;

/** A label cut to fit beside a bar: at most `max` characters, with an ellipsis when cut. */
export const clip = (label: string, max: number): string => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** The runs of a series between missing (withheld) points: a line is never drawn across a gap. */
export const segmentsOf = <T>(points: readonly T[], ok: (p: T) => boolean): T[][] => {
  const out: T[][] = [];
  let current: T[] = [];
  for (const p of points) {
    if (ok(p)) current.push(p);
    else if (current.length) (out.push(current), (current = []));
  }
  if (current.length) out.push(current);
  return out;
};

/** A point of a trend in chart coordinates (null where the value or its interval is withheld). */
export interface Scaled {
  readonly x: number;
  readonly y: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** The SVG path of a 95% confidence band along a run of points (empty with fewer than two intervals). */
export const bandPath = (seg: readonly Scaled[]): string => {
  const withCi = seg.filter((p) => p.lo !== null && p.hi !== null);
  if (withCi.length < 2) return '';
  return `M${withCi.map((p) => `${p.x.toFixed(1)},${p.hi!.toFixed(1)}`).join('L')}L${[...withCi].reverse().map((p) => `${p.x.toFixed(1)},${p.lo!.toFixed(1)}`).join('L')}Z`;
};

/** The SVG path of a line through a run of points that all have values. */
export const linePath = (seg: readonly Scaled[]): string => `M${seg.map((p) => `${p.x.toFixed(1)},${p.y!.toFixed(1)}`).join('L')}`;

/** A trend point as the charts read it (the API's TrendPoint has these and more). */
export interface TrendValue {
  readonly value: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
  readonly suppressed: boolean;
}

/**
 * A trend placed in a box: periods evenly across [x0, x1] (one period in the middle), values on a
 * y axis from y1 (bottom) up to y0 that fits the values, their intervals and any `extra` (a benchmark).
 */
export const scaleTrend = (trend: readonly TrendValue[], x0: number, x1: number, y0: number, y1: number, extra: readonly (number | null)[] = []) => {
  const values = [...trend.flatMap((p): (number | null)[] => (p.suppressed ? [] : [p.value, p.lower95, p.upper95])), ...extra].filter((v): v is number => v !== null && Number.isFinite(v));
  const { min, max } = paddedRange(values, 0.08);
  const n = trend.length;
  const sx = (i: number) => (n <= 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * i) / (n - 1));
  const sy = linear(min, max, y1, y0);
  const points: Scaled[] = trend.map((p, i) => ({
    x: sx(i),
    y: p.suppressed || p.value === null ? null : sy(p.value),
    lo: p.suppressed || p.lower95 === null ? null : sy(p.lower95),
    hi: p.suppressed || p.upper95 === null ? null : sy(p.upper95),
  }));
  return { points, sy, min, max };
};

/** The comparison of a value's 95% CI with a benchmark value (the method of Fingertips), judged by the indicator's polarity. */
export const compareWith = (lower: number | null, upper: number | null, benchmark: number | null | undefined, polarity: string): Comparison => {
  if (lower === null || upper === null || benchmark === null || benchmark === undefined) return 'not-compared';
  if (lower <= benchmark && benchmark <= upper) return 'similar';
  const higher = lower > benchmark;
  if (polarity === 'higher-is-better') return higher ? 'better' : 'worse';
  if (polarity === 'lower-is-better') return higher ? 'worse' : 'better';
  return higher ? 'higher' : 'lower';
};
