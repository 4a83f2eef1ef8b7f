import { UserError } from '../errors/errors.js';

/**
 * Calendar dates as whole days since 1970-01-01 (UTC), so that date arithmetic never depends on
 * the machine's timezone or daylight saving.
 */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;

export const dayFromIso = (iso: string): DayNumber => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new UserError(`'${iso}' is not a date in the form YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new UserError(`'${iso}' is not a real calendar date`);
  }
  return Math.round(ms / MS_PER_DAY);
};

export const isoFromDay = (day: DayNumber): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

const cache = new Map<number, string>();
/** isoFromDay with a cache: formatting millions of dates is then a lookup. */
export const formatDay = (day: DayNumber): string => {
  let s = cache.get(day);
  if (s === undefined) {
    s = isoFromDay(day);
    cache.set(day, s);
  }
  return s;
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
/** `YYYY-MM-DD HH:MM:SS` for a day plus minutes after midnight (minutes may run past 1440). */
export const formatTimestamp = (day: DayNumber, minutes: number): string => {
  const d = day + Math.floor(minutes / 1440);
  const m = minutes - Math.floor(minutes / 1440) * 1440;
  return `${formatDay(d)} ${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00`;
};

/** Whole years of age on `day` for someone born on `birthDay`. */
export const ageOn = (birthDay: DayNumber, day: DayNumber): number => {
  const b = new Date(birthDay * MS_PER_DAY);
  const d = new Date(day * MS_PER_DAY);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
};

export const yearOf = (day: DayNumber): number => new Date(day * MS_PER_DAY).getUTCFullYear();
