/**
 * Calendars: England and Wales bank holidays, the day of the week, and the weights that place each
 * kind of activity on the days it really happens (GP, outpatient and planned care on working days,
 * A&E and emergency admissions every day with Monday the busiest, winter pressure on emergency
 * admissions). Pure functions of the day: no randomness of their own; `calendarDay` turns one
 * uniform draw from the caller's stream into a day, so placing an event on the calendar costs the
 * same single draw a uniform day did. Weights are in parameters.ts (`CALENDAR`), explained in
 * docs/synthetic-data.md.
 */
import { dayFromIso, InternalError, type DayNumber } from '@openphm/core';
import { CALENDAR } from './parameters.js';

/** The day of the week, 0 = Monday ... 6 = Sunday (1970-01-01, day 0, was a Thursday). */
export const weekday = (day: DayNumber): number => (((day + 3) % 7) + 7) % 7;

const MS_PER_DAY = 86_400_000;
/** Month of the day, 0 = January. */
export const monthOf = (day: DayNumber): number => new Date(day * MS_PER_DAY).getUTCMonth();
const utcDay = (year: number, month: number, date: number): DayNumber => Math.round(Date.UTC(year, month - 1, date) / MS_PER_DAY);

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDay(year, month, date);
}

/** The first Monday on or after a day. */
const mondayFrom = (day: DayNumber): DayNumber => day + ((7 - weekday(day)) % 7);
/** The last Monday on or before a day. */
const mondayUntil = (day: DayNumber): DayNumber => day - weekday(day);

/**
 * Days that moved or were added by proclamation, by year: `moved` replaces a regular holiday's day,
 * `added` are one-off bank holidays. From GOV.UK (https://www.gov.uk/bank-holidays) and the
 * proclamations before its list starts.
 */
const ONE_OFF: Readonly<Record<number, { readonly moved?: Readonly<Record<string, string>>; readonly added?: readonly string[] }>> = {
  1995: { moved: { earlyMay: '1995-05-08' } }, // VE Day 50th anniversary
  1999: { added: ['1999-12-31'] }, // Millennium
  2002: { moved: { spring: '2002-06-04' }, added: ['2002-06-03'] }, // Golden Jubilee
  2011: { added: ['2011-04-29'] }, // Royal wedding
  2012: { moved: { spring: '2012-06-04' }, added: ['2012-06-05'] }, // Diamond Jubilee
  2020: { moved: { earlyMay: '2020-05-08' } }, // VE Day 75th anniversary
  2022: { moved: { spring: '2022-06-02' }, added: ['2022-06-03', '2022-09-19'] }, // Platinum Jubilee; state funeral of Queen Elizabeth II
  2023: { added: ['2023-05-08'] }, // Coronation of King Charles III
};

/** First and last year the rules below are right for (the early May bank holiday began in 1978). */
export const BANK_HOLIDAY_YEARS = { from: 1978, to: 2099 } as const;

/**
 * England and Wales bank holidays of a year, in date order, as GOV.UK lists them: a New Year's Day,
 * Christmas Day or Boxing Day falling at a weekend is replaced by a substitute weekday.
 */
export function bankHolidays(year: number): DayNumber[] {
  if (year < BANK_HOLIDAY_YEARS.from || year > BANK_HOLIDAY_YEARS.to) throw new InternalError(`no bank holiday rules for ${year}`);
  const oneOff = ONE_OFF[year] ?? {};
  const moved = (name: string, day: DayNumber): DayNumber => (oneOff.moved?.[name] !== undefined ? dayFromIso(oneOff.moved[name]!) : day);
  const newYear = utcDay(year, 1, 1);
  const easter = easterSunday(year);
  const christmas = utcDay(year, 12, 25);
  const days = [
    weekday(newYear) >= 5 ? mondayFrom(newYear) : newYear,
    easter - 2,
    easter + 1,
    moved('earlyMay', mondayFrom(utcDay(year, 5, 1))),
    moved('spring', mondayUntil(utcDay(year, 5, 31))),
    mondayUntil(utcDay(year, 8, 31)),
    ...(oneOff.added ?? []).map(dayFromIso),
  ];
  // Christmas and Boxing Day: a weekend day is replaced by the next weekday not already a holiday.
  let next = christmas;
  for (let i = 0; i < 2; i++) {
    while (weekday(next) >= 5 || days.includes(next)) next++;
    days.push(next);
    next++;
  }
  return days.sort((a, b) => a - b);
}

const holidayCache = new Map<number, ReadonlySet<DayNumber>>();
const holidaySet = (year: number): ReadonlySet<DayNumber> => {
  let set = holidayCache.get(year);
  if (set === undefined) {
    set = new Set(year < BANK_HOLIDAY_YEARS.from || year > BANK_HOLIDAY_YEARS.to ? [] : bankHolidays(year));
    holidayCache.set(year, set);
  }
  return set;
};
const yearOfDay = (day: DayNumber): number => new Date(day * MS_PER_DAY).getUTCFullYear();

/** Whether the day is a bank holiday (a substitute day counts; the weekend day it replaces does not). */
export const isBankHoliday = (day: DayNumber): boolean => holidaySet(yearOfDay(day)).has(day);

/**
 * Whether services keep holiday hours: a bank holiday, or New Year's Day, Christmas Day or Boxing
 * Day themselves when they fall at a weekend (closed whatever the day of the week).
 */
export function isHoliday(day: DayNumber): boolean {
  if (isBankHoliday(day)) return true;
  const date = new Date(day * MS_PER_DAY);
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  return (m === 11 && (d === 25 || d === 26)) || (m === 0 && d === 1);
}

/** Whether the day is 25 December. */
export const isChristmasDay = (day: DayNumber): boolean => {
  const date = new Date(day * MS_PER_DAY);
  return date.getUTCMonth() === 11 && date.getUTCDate() === 25;
};

const workingDayOf = (day: DayNumber): boolean => weekday(day) < 5 && !isHoliday(day);
/** isWorkingDay remembered for the days of the bank holiday years (0 = not yet known, 1 = no, 2 = yes): it is asked for millions of times. */
const WORKING_FROM = dayFromIso(`${BANK_HOLIDAY_YEARS.from}-01-01`);
const workingDays = new Uint8Array(dayFromIso(`${BANK_HOLIDAY_YEARS.to + 1}-01-01`) - WORKING_FROM);

/** Whether GP practices and planned hospital care work that day: Monday to Friday, not a holiday. */
export const isWorkingDay = (day: DayNumber): boolean => {
  const i = day - WORKING_FROM;
  if (!(i >= 0 && i < workingDays.length && Number.isInteger(i))) return workingDayOf(day);
  let known = workingDays[i]!;
  if (known === 0) workingDays[i] = known = workingDayOf(day) ? 2 : 1;
  return known === 2;
};

export type ActivityKind = keyof typeof CALENDAR.weekdayWeights;

/** The relative number of events of a kind on a day: day of the week (or holiday, or Christmas Day) times the month's weight. */
export function dayWeight(kind: ActivityKind, day: DayNumber): number {
  const w: { readonly days: readonly number[]; readonly holiday: number; readonly christmas?: number } = CALENDAR.weekdayWeights[kind];
  const byDay = w.christmas !== undefined && isChristmasDay(day) ? w.christmas : isHoliday(day) ? w.holiday : w.days[weekday(day)]!;
  const months = (CALENDAR.monthWeights as Partial<Record<ActivityKind, readonly number[]>>)[kind];
  return months === undefined ? byDay : byDay * months[monthOf(day)]!;
}

/** Cumulative weights from CUMULATIVE_FROM, per kind, over the days the generator can use. */
const CUMULATIVE_FROM = dayFromIso(`${BANK_HOLIDAY_YEARS.from}-01-01`);
const CUMULATIVE_TO = dayFromIso(`${BANK_HOLIDAY_YEARS.to + 1}-01-01`);
const cumulativeCache = new Map<ActivityKind, Float64Array>();
const cumulative = (kind: ActivityKind): Float64Array => {
  let c = cumulativeCache.get(kind);
  if (c === undefined) {
    // c[i] = total weight of the days before CUMULATIVE_FROM + i.
    c = new Float64Array(CUMULATIVE_TO - CUMULATIVE_FROM + 1);
    for (let i = 0; i < c.length - 1; i++) c[i + 1] = c[i]! + dayWeight(kind, CUMULATIVE_FROM + i);
    cumulativeCache.set(kind, c);
  }
  return c;
};

/**
 * A day in [start, end) for an event of a kind, from one uniform draw u in [0, 1): each day's chance
 * is its weight (dayWeight) over the period's total, so working-day activity never falls on a
 * Sunday unless its weights allow it. Outside the years the calendar covers, a uniform day.
 */
export function calendarDay(kind: ActivityKind, u: number, start: DayNumber, end: DayNumber): DayNumber {
  if (end <= start + 1) return start;
  if (start < CUMULATIVE_FROM || end > CUMULATIVE_TO) return start + Math.floor(u * (end - start));
  const c = cumulative(kind);
  const lo0 = start - CUMULATIVE_FROM;
  const hi0 = end - CUMULATIVE_FROM;
  const target = c[lo0]! + u * (c[hi0]! - c[lo0]!);
  // The first day i in [lo0, hi0) with c[i + 1] > target.
  let lo = lo0;
  let hi = hi0 - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid + 1]! > target) hi = mid;
    else lo = mid + 1;
  }
  return CUMULATIVE_FROM + lo;
}

/** The nearest working day to a day, looking forward first, within [from, to); the day itself if none. */
export function nearestWorkingDay(day: DayNumber, from: DayNumber, to: DayNumber): DayNumber {
  for (let k = 0; k < 7; k++) {
    if (day + k < to && day + k >= from && isWorkingDay(day + k)) return day + k;
    if (day - k >= from && day - k < to && isWorkingDay(day - k)) return day - k;
  }
  return day;
}
