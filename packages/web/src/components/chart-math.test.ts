import { describe, expect, it } from 'vitest';
import { axisLabelLines, bandPath, clip, compareWith, evenTicks, fmtTick, linePath, linear, niceTicks, paddedRange, plotArea, scaleTrend, segmentsOf, textWidth, type Scaled } from './chart-math.js';

describe('the arithmetic of the charts', () => {
  it('puts a pooled period under the axis on two lines, so the last one is not cut off at the edge; a year on one', () => {
    expect(axisLabelLines('2021/22 - 2023/24')).toEqual(['2021/22 -', '2023/24']);
    expect(axisLabelLines('2025/26')).toEqual(['2025/26']);
  });

  it('estimates the width of a legend line from its length and font size', () => {
    expect(textWidth('Leeds (band: 95% CI)', 11)).toBeCloseTo(20 * 11 * 0.56, 10);
    // A long place name pushes the benchmark's legend along: 'Bradford District and Craven (band: 95% CI)' is wider than 250 - 48 px.
    expect(textWidth('Bradford District and Craven (band: 95% CI)', 11)).toBeGreaterThan(250 - 48);
  });

  it.each<[[number, number, number, number], number, number]>([
    [[0, 10, 0, 100], 5, 50],
    [[0, 10, 100, 0], 2, 80],
    [[10, 20, 50, 150], 20, 150],
    [[0, 1, 0, 10], 2, 20],
  ])('linear(%j) maps %i to %i', (args, v, expected) => {
    expect(linear(...args)(v)).toBeCloseTo(expected);
  });

  it.each<[number[], number, { min: number; max: number }]>([
    [[10, 20], 0.1, { min: 9, max: 21 }],
    [[5], 0, { min: 4.5, max: 5.5 }],
    [[0], 0, { min: -1, max: 1 }],
    [[], 0, { min: 0, max: 1 }],
    [[-4, 4], 0.25, { min: -6, max: 6 }],
  ])('the range of %j padded by %s is %j', (values, pad, expected) => {
    const r = paddedRange(values, pad);
    expect(r.min).toBeCloseTo(expected.min);
    expect(r.max).toBeCloseTo(expected.max);
  });

  it.each<[number, number, number[]]>([
    [0, 100, [0, 25, 50, 75, 100]],
    [0.1, 0.9, [0.2, 0.4, 0.6, 0.8]],
    [3, 17, [5, 10, 15]],
    [-1, 1, [-1, -0.5, 0, 0.5, 1]],
    [7, 7, [7]],
    [0, Infinity, []],
  ])('nice ticks from %s to %s: %j', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('spaces ticks evenly, both ends included', () => {
    expect(evenTicks(10, 20)).toEqual([10, 12.5, 15, 17.5, 20]);
    expect(evenTicks(0, 1, 3)).toEqual([0, 0.5, 1]);
  });

  it.each([
    [0.125, '0.13'],
    [9.999, '10'],
    [12.34, '12.3'],
    [1234.56, '1,234.6'],
  ])('tick %s reads %s', (n, text) => {
    expect(fmtTick(n)).toBe(text);
  });

  it.each([
    ['Leeds', 10, 'Leeds'],
    ['Bradford and Craven', 10, 'Bradford …'],
    ['1234567890', 10, '1234567890'],
  ])('%j cut to %i characters is %j', (label, max, text) => {
    expect(clip(label, max)).toBe(text);
  });

  it.each<[(number | null)[], number[][]]>([
    [[1, 2, null, 3], [[1, 2], [3]]],
    [[null, null], []],
    [[1, null, null, 2, 3], [[1], [2, 3]]],
    [[], []],
  ])('%j splits at the gaps into %j', (values, runs) => {
    expect(segmentsOf(values, (v) => v !== null)).toEqual(runs);
  });

  const p = (x: number, y: number | null, lo: number | null, hi: number | null): Scaled => ({ x, y, lo, hi });
  it.each<[string, Scaled[], string]>([
    ['along the upper ends, back along the lower', [p(0, 5, 6, 4), p(10, 5, 7, 3)], 'M0.0,4.0L10.0,3.0L10.0,7.0L0.0,6.0Z'],
    ['none with one interval', [p(0, 5, 6, 4), p(10, 5, null, null)], ''],
  ])('a confidence band: %s', (_, points, path) => {
    expect(bandPath(points)).toBe(path);
  });

  it('draws a line through its points', () => {
    expect(linePath([p(0, 1.25, null, null), p(2, 3, null, null)])).toBe('M0.0,1.3L2.0,3.0');
  });

  it('places a trend in its box: periods evenly across, values upwards, withheld points left out', () => {
    const trend = [
      { value: 10, lower95: 8, upper95: 12, suppressed: false },
      { value: null, lower95: null, upper95: null, suppressed: true },
      { value: 20, lower95: 18, upper95: 22, suppressed: false },
    ];
    const { points, min, max } = scaleTrend(trend, 0, 100, 0, 50);
    expect(points.map((q) => q.x)).toEqual([0, 50, 100]);
    expect(points[1]).toEqual({ x: 50, y: null, lo: null, hi: null });
    // 8 to 22 widened by 8% of its span (1.12) at each end; the bottom of the box (y 50) is the minimum.
    expect(min).toBeCloseTo(6.88);
    expect(max).toBeCloseTo(23.12);
    expect(points[0]!.y).toBeGreaterThan(points[2]!.y!);
  });

  it('puts a single period in the middle', () => {
    expect(scaleTrend([{ value: 1, lower95: null, upper95: null, suppressed: false }], 0, 100, 0, 50).points[0]!.x).toBe(50);
  });

  it.each<[number | null, number | null, number | null | undefined, string, string]>([
    [28, 32, 25, 'higher-is-better', 'better'],
    [28, 32, 25, 'lower-is-better', 'worse'],
    [28, 32, 25, 'no-judgement', 'higher'],
    [18, 22, 25, 'higher-is-better', 'worse'],
    [18, 22, 25, 'lower-is-better', 'better'],
    [18, 22, 25, 'no-judgement', 'lower'],
    [20, 28, 25, 'higher-is-better', 'similar'],
    [25, 29, 25, 'higher-is-better', 'similar'],
    [null, 28, 25, 'higher-is-better', 'not-compared'],
    [20, 28, null, 'higher-is-better', 'not-compared'],
    [20, 28, undefined, 'lower-is-better', 'not-compared'],
  ])('a CI of %s to %s against %s (%s) is %s', (lower, upper, benchmark, polarity, comparison) => {
    expect(compareWith(lower, upper, benchmark, polarity)).toBe(comparison);
  });

  it('puts the plot area inside the margins', () => {
    expect(plotArea(640, 260, { left: 70, right: 24, top: 48, bottom: 44 })).toEqual({ width: 640, height: 260, left: 70, right: 616, top: 48, bottom: 216 });
  });
});
