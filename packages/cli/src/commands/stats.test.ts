import { describe, expect, it } from 'vitest';
import { readCsvTable } from '@openphm/reference-data';
import { parseStartAges } from '../options.js';
import { runStats, type StatsCommandOptions } from './stats.js';

const opts = (method: StatsCommandOptions['method'], extra: Partial<StatsCommandOptions> = {}): StatsCommandOptions => ({ method, input: 'in.csv', confidence: [0.95], format: 'csv', ...extra });
const table = (text: string) => readCsvTable(text, 'in.csv');

describe('phm stats', () => {
  it('computes a Wilson proportion per row, keeping other columns as groups', () => {
    const [leeds, kirklees] = runStats(table('area,numerator,denominator\nleeds,75,100\nkirklees,0,10\n'), opts('proportion'));
    expect(leeds!.area).toBe('leeds');
    expect(leeds!.value).toBeCloseTo(75, 10);
    expect(leeds!.lower_95).toBeCloseTo(65.70, 1);
    expect(kirklees!.value).toBe(0);
  });

  it('uses exact limits for a rate from fewer than 10 events and Byar\'s above', () => {
    const rows = runStats(table('count,denominator\n5,10000\n50,10000\n'), opts('rate'));
    expect(rows.map((r) => r.method)).toEqual(['exact', 'byars']);
    expect(rows[1]!.value).toBeCloseTo(500, 10);
  });

  it('standardises a DSR per group over its age bands', () => {
    const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
    const csv = ['area,age_band,count,population', ...bands.map((b) => `x,${b},10,1000`)].join('\n');
    const [r] = runStats(table(csv), opts('dsr'));
    expect(r!.value).toBeCloseTo(1000, 8); // the same rate in every band: DSR = crude = 1,000 per 100,000
    expect(r!.count).toBe(190);
  });

  it.each<[string, StatsCommandOptions['method'], string]>([
    ['a missing column', 'rate', "in.csv, line 1, field 'denominator': missing column (rate needs count, denominator)"],
    ['a value that is not a number', 'proportion', "in.csv, line 2, field 'numerator': 'many' is not a number"],
    ['a numerator above the denominator', 'proportion', 'in.csv, line 3'],
  ])('rejects %s with the file, line and field', (_, method, message) => {
    const csv = method === 'rate' ? 'count\n3\n' : _ === 'a value that is not a number' ? 'numerator,denominator\nmany,10\n' : 'numerator,denominator\n1,10\n11,10\n';
    expect(() => runStats(table(csv), opts(method))).toThrow(message);
  });

  describe('life expectancy at a start age', () => {
    // The worked example published with PHEindicatormethods (phe_life_expectancy), whose expected
    // values come from the PHE Life Expectancy Calculator: e at 0, 5, 65, 85 and 90.
    const bands = ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
    const populations = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936];
    const deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937];
    const published: Record<number, number> = { 0: 80.16960813, 5: 75.44193645, 65: 18.76856852, 85: 6.163942934, 90: 6.16210635 };
    const csv = (areas: readonly string[]) =>
      ['area,age_band,deaths,population', ...areas.flatMap((a) => bands.map((b, i) => `${a},${b},${deaths[i]},${populations[i]}`))].join('\n');

    it.each([[0], [5], [65], [85], [90]])('e%i matches the published value', (age) => {
      const [row] = runStats(table(csv(['x'])), opts('life-expectancy', { startAges: [age] }));
      expect(row!.start_age).toBe(age);
      expect(Math.abs((row!.value as number) - published[age]!)).toBeLessThan(1e-8);
      expect(row!.population).toBe(populations.reduce((a, b) => a + b, 0));
    });

    it('gives one row per group and age, in the order asked, or every band with all', () => {
      const rows = runStats(table(csv(['x', 'y'])), opts('life-expectancy', { startAges: [65, 0] }));
      expect(rows.map((r) => [r.area, r.start_age])).toEqual([['x', 65], ['x', 0], ['y', 65], ['y', 0]]);
      const all = runStats(table(csv(['x'])), opts('life-expectancy', { startAges: 'all' }));
      expect(all.map((r) => r.start_age)).toEqual([0, 1, ...Array.from({ length: 18 }, (_, i) => 5 * (i + 1))]);
      for (const r of all.filter((r) => published[r.start_age as number] !== undefined)) {
        expect(Math.abs((r.value as number) - published[r.start_age as number]!)).toBeLessThan(1e-8);
      }
    });

    it('e85 by hand from the Chiang II formulas when only 85-89 and 90+ have deaths', () => {
      // M85 = 100/1000, q85 = 5M/(1 + 5M × 0.5) = 0.4, l90 = 0.6 l85, d85 = 0.4 l85,
      // L85 = 5(l90 + 0.5 d85) = 4 l85; M90 = 200/500, L90 = l90/M90 = 1.5 l85 → e85 = 5.5, e90 = 2.5;
      // e0 = 85 + e85 (nobody dies before 85: L = n l for each band).
      const rows = bands.map((b, i) => `${b},${i === 18 ? 100 : i === 19 ? 200 : 0},${i === 19 ? 500 : 1000}`);
      const result = runStats(table(['age_band,deaths,population', ...rows].join('\n')), opts('life-expectancy', { startAges: [0, 85, 90] }));
      expect(result.map((r) => r.value)).toEqual([expect.closeTo(90.5, 10), expect.closeTo(5.5, 10), expect.closeTo(2.5, 10)]);
    });

    it.each(['3', '0,0', 'ninety', '-5', '95'])('rejects --start-age %s', (text) => {
      expect(() => parseStartAges(text)).toThrow(/--start-age/);
    });

    it('parses --start-age lists and all', () => {
      expect(parseStartAges('65')).toEqual([65]);
      expect(parseStartAges('0, 65,85')).toEqual([0, 65, 85]);
      expect(parseStartAges('ALL')).toBe('all');
    });
  });
});
