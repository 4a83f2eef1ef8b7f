/**
 * Dates as CSV text for the generator: core's formatDay and formatTimestamp with a dense table
 * instead of a Map, since every generated row formats one or more dates (tens of millions for the
 * whole partnership; the Map lookup was the largest single cost in a CPU profile at 300,000 people).
 * Same text as core's (formatDay.test / days.test compare every day of the table).
 */
import { isoFromDay, type DayNumber } from '@openphm/core';

/** The table covers 1850-01-01 to 2149-12-31 (day numbers from 1970-01-01); other days are formatted each time. */
export const TABLE_FROM: DayNumber = -43_829;
export const TABLE_TO: DayNumber = 65_743;
const table: (string | undefined)[] = new Array<string | undefined>(TABLE_TO - TABLE_FROM + 1).fill(undefined);

/** `YYYY-MM-DD` of a day number (as core's formatDay). */
export const formatDay = (day: DayNumber): string => {
  const i = day - TABLE_FROM;
  if (i >= 0 && i < table.length) {
    const s = table[i];
    if (s !== undefined) return s;
    // Only whole days are cached: a fractional day would otherwise take a slot it does not own.
    if (Number.isInteger(day)) return (table[i] = isoFromDay(day));
  }
  return isoFromDay(day);
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
/** `YYYY-MM-DD HH:MM:SS` for a day plus minutes after midnight (minutes may run past 1440), as core's formatTimestamp. */
export const formatTimestamp = (day: DayNumber, minutes: number): string => {
  const d = day + Math.floor(minutes / 1440);
  const m = minutes - Math.floor(minutes / 1440) * 1440;
  return `${formatDay(d)} ${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00`;
};
