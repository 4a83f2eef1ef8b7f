import { describe, expect, it } from 'vitest';
import { fileSlug, toCsv } from './export.js';

describe('downloads built in the browser', () => {
  it.each<[string, string[], (string | number | boolean | null | undefined)[][], string]>([
    ['plain values', ['a', 'b'], [[1, 'x']], 'a,b\r\n1,x\r\n'],
    ['empty for null and undefined', ['a', 'b', 'c'], [[null, undefined, false]], 'a,b,c\r\n,,false\r\n'],
    ['quotes around commas, quotes and line ends', ['a'], [['x, y'], ['say "hi"'], ['two\nlines']], 'a\r\n"x, y"\r\n"say ""hi"""\r\n"two\nlines"\r\n'],
    ['formulas defused', ['a'], [['=SUM(A1)'], ['+1'], ['-1'], ['@x']], "a\r\n'=SUM(A1)\r\n'+1\r\n'-1\r\n'@x\r\n"],
    ['negative numbers left as numbers', ['a'], [[-1]], 'a\r\n-1\r\n'],
  ])('CSV: %s', (_, columns, rows, text) => {
    expect(toCsv(columns, rows)).toBe(text);
  });

  it('makes file names of letters, digits and hyphens', () => {
    expect(['place:leeds', 'Frail people aged 65+ (edited)', '--a--b--', 'ics'].map(fileSlug)).toEqual(['place-leeds', 'frail-people-aged-65-edited', 'a--b', 'ics']);
  });
});
