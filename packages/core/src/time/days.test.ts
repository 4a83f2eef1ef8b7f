import { describe, expect, it } from 'vitest';
import { ageOn, dayFromIso, formatDay, formatTimestamp, isoFromDay } from './days.js';

describe('day numbers', () => {
  it.each([
    ['1970-01-01', 0],
    ['2021-04-01', 18718],
    ['2024-02-29', 19782],
  ])('%s is day %i and back', (iso, day) => {
    expect(dayFromIso(iso)).toBe(day);
    expect(isoFromDay(day)).toBe(iso);
    expect(formatDay(day)).toBe(iso);
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => dayFromIso('2021-02-30')).toThrow(/not a real calendar date/);
    expect(() => dayFromIso('01/02/2021')).toThrow(/YYYY-MM-DD/);
  });

  it('formats timestamps, carrying minutes past midnight into the next day', () => {
    expect(formatTimestamp(dayFromIso('2022-03-01'), 615)).toBe('2022-03-01 10:15:00');
    expect(formatTimestamp(dayFromIso('2022-03-01'), 1440 + 65)).toBe('2022-03-02 01:05:00');
  });

  it.each([
    ['2000-06-15', '2021-06-14', 20],
    ['2000-06-15', '2021-06-15', 21],
    ['2000-02-29', '2021-02-28', 20],
  ])('born %s is aged on %s: %i', (dob, on, age) => {
    expect(ageOn(dayFromIso(dob), dayFromIso(on))).toBe(age);
  });
});
