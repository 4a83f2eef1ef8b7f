import { formatDay as coreFormatDay, formatTimestamp as coreFormatTimestamp, isoFromDay } from '@openphm/core';
import { describe, expect, it } from 'vitest';
import { TABLE_FROM, TABLE_TO, formatDay, formatTimestamp } from './days.js';

describe('the generator\'s date text', () => {
  it('is core\'s for every day of the table and beyond it, twice (the second time from the table)', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (let day = TABLE_FROM - 400; day <= TABLE_TO + 400; day++) {
        if (formatDay(day) !== coreFormatDay(day)) expect(formatDay(day)).toBe(coreFormatDay(day));
      }
    }
    expect(formatDay(TABLE_FROM)).toBe('1850-01-01');
    expect(formatDay(TABLE_TO)).toBe('2149-12-31');
  });

  it.each([
    [0, '1970-01-01'],
    [-1, '1969-12-31'],
    [19_813, '2024-03-31'],
    [0.5, isoFromDay(0.5)],
    [-0.5, isoFromDay(-0.5)],
  ])('formats day %s as %s', (day, text) => {
    expect(formatDay(day)).toBe(text);
    expect(formatDay(day)).toBe(coreFormatDay(day));
  });

  it.each([
    [19_813, 0],
    [19_813, 61],
    [19_813, 1439],
    [19_813, 1440 + 75],
    [19_813, 3 * 1440 + 599],
  ])('formats day %s plus %s minutes as core does', (day, minutes) => {
    expect(formatTimestamp(day, minutes)).toBe(coreFormatTimestamp(day, minutes));
  });
});
