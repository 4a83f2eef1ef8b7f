import { describe, expect, it } from 'vitest';
import { plainStatsArgs } from './stats-cli.js';

describe('plainStatsArgs', () => {
  it('takes plain options of proportion and rate, as commander would give them', () => {
    expect(plainStatsArgs(['stats', 'proportion', '--input', 'a.csv'])).toEqual({ method: 'proportion', input: 'a.csv', confidence: [0.95, 0.998], multiplier: 100 });
    expect(plainStatsArgs(['stats', 'rate', '--out=b.csv', '--input=a.csv', '--confidence', '95,0.8', '--multiplier', '1000', '--format', 'csv'])).toEqual({
      method: 'rate',
      input: 'a.csv',
      out: 'b.csv',
      confidence: [0.95, 0.8],
      multiplier: 1000,
    });
  });

  it('leaves everything else to the general program: help, json, other options or methods, repeats, bad values', () => {
    for (const argv of [
      ['stats', 'dsr', '--input', 'a.csv'],
      ['stats', '--input', 'a.csv', 'proportion'],
      ['stats', 'proportion'],
      ['stats', 'proportion', '--input', 'a.csv', '--help'],
      ['stats', 'proportion', '--input', 'a.csv', '--format', 'json'],
      ['stats', 'proportion', '--input', 'a.csv', '--column', 'numerator=n'],
      ['stats', 'proportion', '--input', 'a.csv', '--input', 'b.csv'],
      ['stats', 'proportion', '--input', 'a.csv', 'extra'],
      ['stats', 'proportion', '--input', 'a.csv', '--multiplier=-1'],
      ['stats', 'proportion', '--input', 'a.csv', '--multiplier', '0'],
      ['stats', 'proportion', '--input', 'a.csv', '--confidence', '100'],
      ['stats', 'proportion', '--input', 'a.csv', '--confidence', '0.95,95'],
      ['stats', 'proportion', '--input', 'a.csv', '--out'],
      ['stats', 'proportion', '--input='],
      ['stats', 'rate', '--input', 'a.csv', '--simulations', '1000'],
    ]) {
      expect(plainStatsArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
