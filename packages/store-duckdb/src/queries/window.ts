/**
 * The database's facts about itself (the meta table): where the data came from and the window of
 * time it covers. Every "what is the last day of the data" question is answered here, once.
 */
import { UserError, dayFromIso, isoFromDay } from '@openphm/core';
import type { PhmDatabase } from '../database.js';

/** Anything that can run a query on an OpenPHM database (a PhmDatabase, the server's PhmData). */
export type Queryable = Pick<PhmDatabase, 'query'>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every row of the meta table as a record. */
export const readMeta = async (db: Queryable): Promise<Readonly<Record<string, string>>> =>
  Object.fromEntries((await db.query<{ key: string; value: string }>('SELECT key, value FROM meta ORDER BY key')).map((r) => [r.key, r.value]));

export interface DataWindow {
  /** First day of the data (meta window_start), when the database says. */
  readonly start: string | undefined;
  /** First day after the data (meta window_end), when the database says. */
  readonly end: string | undefined;
  /** The last day of the data (end − 1 day), when the end is known. */
  readonly lastDay: string | undefined;
  /** synthetic or import. */
  readonly source: string | undefined;
}

/** The window of time the data covers (meta window_start, window_end), as far as the database says. */
export const dataWindow = async (db: Queryable): Promise<DataWindow> => {
  const meta = await readMeta(db);
  const start = meta.window_start !== undefined && ISO_DAY.test(meta.window_start) ? meta.window_start : undefined;
  const end = meta.window_end !== undefined && ISO_DAY.test(meta.window_end) ? meta.window_end : undefined;
  return { start, end, lastDay: end === undefined ? undefined : isoFromDay(dayFromIso(end) - 1), source: meta.source };
};

/** The last day of the data, or `fallback` (e.g. today) when the database does not say. */
export const lastDataDay = async (db: Queryable, fallback: string): Promise<string> => (await dataWindow(db)).lastDay ?? fallback;

/** The last day of the data; a UserError naming `howToGiveIt` when the database does not say. */
export const requireLastDataDay = async (db: Queryable, howToGiveIt: string): Promise<string> => {
  const day = (await dataWindow(db)).lastDay;
  if (day === undefined) throw new UserError(`the database does not record the end of its window: ${howToGiveIt}`);
  return day;
};

/** The first and last dated activity (admissions, deaths, clinical events), for imported data without a declared window. */
export const activitySpan = async (db: Queryable): Promise<{ first: string; last: string } | null> => {
  const [span] = await db.query<{ lo: string | null; hi: string | null }>(
    'SELECT min(d)::VARCHAR AS lo, max(d)::VARCHAR AS hi FROM (SELECT admission_date AS d FROM hospital_spell UNION ALL SELECT date_of_death FROM death UNION ALL SELECT event_date FROM clinical_event)',
  );
  return span?.lo && span.hi ? { first: span.lo, last: span.hi } : null;
};
