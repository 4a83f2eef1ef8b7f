import { describe, expect, it } from 'vitest';
import { dayFromIso, isoFromDay, Random } from '@openphm/core';
import { bankHolidays, calendarDay, dayWeight, easterSunday, isBankHoliday, isHoliday, isWorkingDay, monthOf, nearestWorkingDay, weekday } from './calendar.js';
import { CALENDAR } from './parameters.js';

const iso = (days: number[]): string[] => days.map(isoFromDay);

describe('bank holidays of England and Wales', () => {
  // GOV.UK, https://www.gov.uk/bank-holidays (england-and-wales), 2018-2026; 2002, 2012 and 2016 from the proclamations.
  it.each([
    [2002, ['2002-01-01', '2002-03-29', '2002-04-01', '2002-05-06', '2002-06-03', '2002-06-04', '2002-08-26', '2002-12-25', '2002-12-26']],
    [2012, ['2012-01-02', '2012-04-06', '2012-04-09', '2012-05-07', '2012-06-04', '2012-06-05', '2012-08-27', '2012-12-25', '2012-12-26']],
    [2016, ['2016-01-01', '2016-03-25', '2016-03-28', '2016-05-02', '2016-05-30', '2016-08-29', '2016-12-26', '2016-12-27']],
    [2018, ['2018-01-01', '2018-03-30', '2018-04-02', '2018-05-07', '2018-05-28', '2018-08-27', '2018-12-25', '2018-12-26']],
    [2019, ['2019-01-01', '2019-04-19', '2019-04-22', '2019-05-06', '2019-05-27', '2019-08-26', '2019-12-25', '2019-12-26']],
    [2020, ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28']],
    [2021, ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28']],
    [2022, ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27']],
    [2023, ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26']],
    [2024, ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26']],
    [2025, ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26']],
    [2026, ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']],
  ])('%i', (year, expected) => {
    expect(iso(bankHolidays(year))).toEqual(expected);
  });

  it.each([
    [2000, '2000-04-23'], [2008, '2008-03-23'], [2011, '2011-04-24'], [2019, '2019-04-21'], [2024, '2024-03-31'], [2038, '2038-04-25'], [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, day) => {
    expect(isoFromDay(easterSunday(year))).toBe(day);
  });

  it('has eight regular holidays every year, all on weekdays', () => {
    for (let year = 1978; year <= 2099; year++) {
      const days = bankHolidays(year);
      expect(days.length, String(year)).toBeGreaterThanOrEqual(8);
      for (const d of days) expect(weekday(d), isoFromDay(d)).toBeLessThan(5);
    }
  });

  it.each([
    ['2021-12-25', false, true, false], // Christmas Day on a Saturday: holiday hours, not the bank holiday
    ['2021-12-27', true, true, false], // its substitute
    ['2022-09-19', true, true, false],
    ['2023-05-08', true, true, false],
    ['2024-12-24', false, false, true],
    ['2024-12-28', false, false, false], // a Saturday
  ])('%s: bank holiday %s, holiday %s, working day %s', (day, bank, holiday, working) => {
    expect(isBankHoliday(dayFromIso(day))).toBe(bank);
    expect(isHoliday(dayFromIso(day))).toBe(holiday);
    expect(isWorkingDay(dayFromIso(day))).toBe(working);
  });

  it('remembers working days without changing them: every day from 1977 to 2100, asked twice, is a weekday and no holiday', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (let day = dayFromIso('1977-06-01'); day < dayFromIso('2100-07-01'); day++) {
        const expected = weekday(day) < 5 && !isHoliday(day);
        if (isWorkingDay(day) !== expected) expect([day, isWorkingDay(day)]).toEqual([day, expected]);
      }
    }
  });
});

describe('days of the week and weights', () => {
  it.each([
    ['1970-01-01', 3], ['2021-04-01', 3], ['2024-01-01', 0], ['2025-12-25', 3], ['2026-03-29', 6], ['1969-12-28', 6],
  ])('%s is weekday %i (Monday 0)', (day, expected) => {
    expect(weekday(dayFromIso(day))).toBe(expected);
  });

  it('weights working-day activity almost all Monday to Friday, emergency care every day with Monday highest', () => {
    const share = (kind: keyof typeof CALENDAR.weekdayWeights, day: number) => {
      const w = CALENDAR.weekdayWeights[kind].days;
      return w[day]! / w.reduce((a, b) => a + b, 0);
    };
    for (const kind of ['gp', 'outpatient', 'elective'] as const) {
      expect(share(kind, 6), kind).toBeLessThan(0.02);
      expect(share(kind, 5) + share(kind, 6), kind).toBeLessThan(0.04);
      expect(CALENDAR.weekdayWeights[kind].holiday, kind).toBeLessThan(0.05);
    }
    for (const kind of ['ae', 'emergency'] as const) {
      const w = CALENDAR.weekdayWeights[kind].days;
      expect(Math.max(...w), kind).toBe(w[0]);
      expect(share(kind, 6), kind).toBeGreaterThan(0.1);
    }
  });

  it('puts winter pressure on emergency admissions and deaths', () => {
    const mean = (w: readonly number[], months: number[]) => months.reduce((a, m) => a + w[m]!, 0) / months.length;
    for (const kind of ['emergency', 'death'] as const) {
      const w = CALENDAR.monthWeights[kind];
      expect(w).toHaveLength(12);
      expect(mean(w, [11, 0, 1]), kind).toBeGreaterThan(1.03 * mean(w, [5, 6, 7]));
    }
    expect(CALENDAR.monthWeights.ae).toHaveLength(12);
    expect(dayWeight('emergency', dayFromIso('2024-01-08'))).toBeCloseTo(1.15 * 1.06, 10); // a Monday in January
    expect(dayWeight('gp', dayFromIso('2024-12-25'))).toBe(0);
    expect(dayWeight('gp', dayFromIso('2024-12-26'))).toBe(CALENDAR.weekdayWeights.gp.holiday);
    expect(dayWeight('ae', dayFromIso('2024-12-25'))).toBe(CALENDAR.weekdayWeights.ae.holiday * CALENDAR.monthWeights.ae[11]);
    expect(monthOf(dayFromIso('2024-12-31'))).toBe(11);
  });
});

describe('calendarDay', () => {
  const start = dayFromIso('2021-04-01');
  const end = dayFromIso('2026-04-01');
  const draw = (kind: Parameters<typeof calendarDay>[0], n: number, from = start, to = end): number[] => {
    const rng = Random.fromKey(`calendar-test/${kind}`);
    return Array.from({ length: n }, () => calendarDay(kind, rng.next(), from, to));
  };

  it('keeps days within the period and is a pure function of the draw', () => {
    for (const u of [0, 0.25, 0.5, 0.999999]) {
      const d = calendarDay('gp', u, start, start + 10);
      expect(d).toBeGreaterThanOrEqual(start);
      expect(d).toBeLessThan(start + 10);
      expect(calendarDay('gp', u, start, start + 10)).toBe(d);
    }
    expect(calendarDay('gp', 0.7, start, start + 1)).toBe(start);
    // Increasing in the draw.
    expect(calendarDay('ae', 0.2, start, end)).toBeLessThanOrEqual(calendarDay('ae', 0.3, start, end));
  });

  it('places GP appointments on working days in the published shares', () => {
    const days = draw('gp', 50_000);
    const sundays = days.filter((d) => weekday(d) === 6).length / days.length;
    const saturdays = days.filter((d) => weekday(d) === 5).length / days.length;
    expect(sundays).toBeLessThan(0.01);
    expect(saturdays).toBeGreaterThan(0.01);
    expect(saturdays).toBeLessThan(0.03);
    const christmas = days.filter((d) => isoFromDay(d).endsWith('-12-25')).length;
    expect(christmas).toBe(0); // 27 expected uniformly
    const mondays = days.filter((d) => weekday(d) === 0).length;
    const fridays = days.filter((d) => weekday(d) === 4).length;
    expect(mondays).toBeGreaterThan(fridays);
  });

  it('places emergency admissions more in winter than in summer', () => {
    const days = draw('emergency', 100_000);
    const winter = days.filter((d) => [11, 0, 1].includes(monthOf(d))).length;
    const summer = days.filter((d) => [5, 6, 7].includes(monthOf(d))).length;
    // Winter has 90-91 days, summer 92: about 1.07 more a day in winter.
    expect(winter / 90.25 / (summer / 92)).toBeGreaterThan(1.04);
  });

  it('finds the nearest working day within bounds', () => {
    expect(isoFromDay(nearestWorkingDay(dayFromIso('2024-12-25'), start, end))).toBe('2024-12-24');
    expect(isoFromDay(nearestWorkingDay(dayFromIso('2024-12-25'), dayFromIso('2024-12-25'), end))).toBe('2024-12-27');
    expect(isoFromDay(nearestWorkingDay(dayFromIso('2024-12-24'), start, end))).toBe('2024-12-24');
  });
});
