/**
 * The cost curve's pure helpers (bench/curve.mjs): the growth exponent fitted on log-log axes, the
 * ticks and labels of the chart, and the chart itself (placement on log scales, determinism).
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { fitExponent, growthWords, logLogChart, logTicks, shortNumber } from './curve.mjs';

type Point = { people: number; value: number };
const powerLaw = (a: number, b: number, sizes: number[]): Point[] => sizes.map((people) => ({ people, value: a * people ** b }));
const SIZES = [100_000, 500_000, 1_400_000, 2_850_000, 5_700_000];

describe('fitExponent', () => {
  it.each([
    ['linear', powerLaw(3e-5, 1, SIZES), 1],
    ['square root', powerLaw(0.01, 0.5, SIZES), 0.5],
    ['quadratic', powerLaw(1e-12, 2, SIZES), 2],
    ['n log n over these sizes is a little above 1', SIZES.map((people) => ({ people, value: people * Math.log(people) * 1e-6 })), 1.07],
    ['two points: the slope between them', [{ people: 100_000, value: 10 }, { people: 1_000_000, value: 100 }], 1],
    ['a fixed cost (20 s + 10 µs a person) bends it below 1 (numpy.polyfit gives 0.3102)', SIZES.map((people) => ({ people, value: 20 + people * 1e-5 })), 0.31],
    ['points out of order', [{ people: 1_000_000, value: 1000 }, { people: 100_000, value: 10 }], 2],
  ])('%s', (_name, points, expected) => {
    expect(fitExponent(points)).toBeCloseTo(expected, 1);
  });

  it('is the least-squares slope when the points are not on one line', () => {
    // ln-values: x = 0, 1, 2 (people e^0..e^2); y = 0, 2, 2 -> slope 1.
    const points = [
      { people: 1, value: 1 },
      { people: Math.E, value: Math.E ** 2 },
      { people: Math.E ** 2, value: Math.E ** 2 },
    ];
    expect(fitExponent(points)).toBeCloseTo(1, 10);
  });

  it.each([
    ['no points', []],
    ['one point', [{ people: 100_000, value: 5 }]],
    ['one population measured twice', [{ people: 100_000, value: 5 }, { people: 100_000, value: 6 }]],
    ['zero and missing values left out', [{ people: 100_000, value: 5 }, { people: 500_000, value: 0 }, { people: 1_000_000, value: Number.NaN }]],
  ])('null with %s', (_name, points) => {
    expect(fitExponent(points)).toBeNull();
  });
});

describe('growthWords', () => {
  it.each([
    [null, 'not fitted (one size)'],
    [-0.3, 'flat: fixed costs dominate'],
    [0.5, 'sub-linear'],
    [0.95, 'about linear'],
    [1.1, 'about linear'],
    [1.3, 'super-linear'],
    [2, 'strongly super-linear'],
  ])('%s -> %s', (exponent, words) => {
    expect(growthWords(exponent)).toBe(words);
  });
});

describe('logTicks and shortNumber', () => {
  it.each([
    [105_000, 527_000, [100_000, 200_000, 500_000, 1_000_000]],
    [100_000, 100_000, [100_000]],
    [0.8, 3, [0.5, 1, 2, 5]],
    [12, 240, [10, 20, 50, 100, 200, 500]],
  ])('ticks from %s to %s', (min, max, ticks) => {
    expect(logTicks(min, max)).toEqual(ticks);
  });

  it('refuses a range that is not positive', () => {
    expect(() => logTicks(0, 10)).toThrow(/0 < min <= max/);
    expect(() => logTicks(10, 1)).toThrow(/0 < min <= max/);
  });

  it.each([
    [100_000, '100k'],
    [2_847_757, '2.85M'],
    [5_700_000, '5.7M'],
    [0.5, '0.5'],
    [20, '20'],
    [1_000, '1k'],
  ])('%s -> %s', (v, text) => {
    expect(shortNumber(v)).toBe(text);
  });
});

describe('logLogChart', () => {
  const options = {
    title: 'Cost <curve>',
    xLabel: 'People',
    yLabel: 'Seconds',
    solidLabel: 'CPU',
    dashedLabel: 'Wall',
    series: [
      { name: 'Generate & load', solid: [{ people: 100, value: 1 }, { people: 10_000, value: 100 }, { people: 1_000, value: 10 }], dashed: [{ people: 100, value: 2 }, { people: 10_000, value: 100 }] },
      { name: 'One size only', solid: [{ people: 1_000, value: 5 }], dashed: [] },
    ],
  };
  const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));

  it('places points on log scales: 10 is halfway between 1 and 100 on both axes', () => {
    const svg: string = logLogChart(options);
    // The first series' solid points, in order of people: 100, 1,000, 10,000.
    const [a, b, c] = circles(svg);
    expect(b!.x).toBeCloseTo((a!.x + c!.x) / 2, 0);
    expect(b!.y).toBeCloseTo((a!.y + c!.y) / 2, 0);
    expect(c!.y).toBeLessThan(a!.y); // more seconds is higher up
    expect(c!.x).toBeGreaterThan(a!.x);
  });

  it('draws a line for each series with two points or more, dashed for the second kind, and a marker for every point', () => {
    const svg: string = logLogChart(options);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<polyline [^>]*stroke-dasharray/g)).toHaveLength(1);
    expect(circles(svg)).toHaveLength(6);
    expect(svg).toContain('Generate &amp; load');
    expect(svg).toContain('<title>Cost &lt;curve&gt;</title>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('gives the same bytes for the same input', () => {
    expect(logLogChart(options)).toBe(logLogChart(options));
  });

  it('refuses a chart with nothing to plot', () => {
    expect(() => logLogChart({ ...options, series: [{ name: 'empty', solid: [{ people: 100, value: 0 }], dashed: [] }] })).toThrow(/no points/);
  });
});
