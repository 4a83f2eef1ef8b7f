import { describe, expect, it } from 'vitest';
import { readCsvTable } from '@openphm/reference-data';
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
});
