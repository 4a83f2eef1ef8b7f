import { describe, expect, it } from 'vitest';
import { csvCount, fmtDate, fmtFixed, fmtOns4, fmtPublished, fmtShare, fmtSigned } from './format.js';

describe('how figures are written', () => {
  it.each<[number | null | undefined, number, string]>([
    [1234.567, 1, '1,234.6'],
    [0.5, 2, '0.50'],
    [-3, 1, '-3.0'],
    [12, 0, '12'],
    [null, 1, '–'],
    [undefined, 2, '–'],
  ])('fmtFixed(%j, %i) is %s', (v, digits, text) => {
    expect(fmtFixed(v, digits)).toBe(text);
  });

  it.each<[number | null, string]>([
    [0.25, '+0.25'],
    [-1.5, '-1.50'],
    [0, '0.00'],
    [null, '–'],
  ])('fmtSigned(%j) is %s', (v, text) => {
    expect(fmtSigned(v)).toBe(text);
  });

  it.each<[number | null | undefined, boolean, string, string | number]>([
    [12345, false, '12,345', 12345],
    [0, false, '0', 0],
    [12345, true, '[c]', '[c]'],
    [null, false, '[c]', '[c]'],
    [undefined, false, '[c]', '[c]'],
  ])('a published count %j (suppressed %s) shows as %s and downloads as %j', (n, suppressed, shown, csv) => {
    expect(fmtPublished(n, suppressed)).toBe(shown);
    expect(csvCount(n, suppressed)).toBe(csv);
  });

  it.each<[number | null, boolean, string]>([
    [0.1234, false, '12.3%'],
    [1, false, '100.0%'],
    [0, false, '0.0%'],
    [0.5, true, '[c]'],
    [null, false, '[c]'],
  ])('a share %j (suppressed %s) is %s', (share, suppressed, text) => {
    expect(fmtShare(share, suppressed)).toBe(text);
  });

  it('writes dates as people do, whatever the time zone', () => {
    expect(['2026-03-05', '2025-12-31', '2024-02-29'].map(fmtDate)).toEqual(['5 Mar 2026', '31 Dec 2025', '29 Feb 2024']);
  });

  it.each<[Parameters<typeof fmtOns4>[0], string]>([
    [{ lifeSatisfaction: 3, worthwhile: 5, happiness: 6, anxiety: 7 }, '3 / 5 / 6 / 7'],
    [null, '–'],
  ])('ONS4 %j is "%s"', (w, text) => {
    expect(fmtOns4(w)).toBe(text);
  });
});
