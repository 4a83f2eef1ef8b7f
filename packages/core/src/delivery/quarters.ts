/**
 * Financial quarters (April to March years), the cycle boards report on: Q1 April-June, Q2
 * July-September, Q3 October-December, Q4 January-March. Ids are `2026-27-q3`, labels `Q3 2026/27`.
 */
import { UserError } from '../errors/errors.js';
import { dayFromIso, isoFromDay } from '../time/days.js';

export interface Quarter {
  readonly id: string;
  readonly label: string;
  /** First day. */
  readonly start: string;
  /** Last day. */
  readonly end: string;
}

const quarterOf = (yearStart: number, q: 1 | 2 | 3 | 4): Quarter => {
  const month = [4, 7, 10, 1][q - 1]!;
  const year = q === 4 ? yearStart + 1 : yearStart;
  const start = `${year}-${String(month).padStart(2, '0')}-01`;
  const nextMonth = month + 3;
  const next = nextMonth > 12 ? `${year + 1}-${String(nextMonth - 12).padStart(2, '0')}-01` : `${year}-${String(nextMonth).padStart(2, '0')}-01`;
  const fy = `${yearStart}/${String((yearStart + 1) % 100).padStart(2, '0')}`;
  return { id: `${yearStart}-${String((yearStart + 1) % 100).padStart(2, '0')}-q${q}`, label: `Q${q} ${fy}`, start, end: isoFromDay(dayFromIso(next) - 1) };
};

/** The financial quarter a date falls in. */
export const quarterContaining = (date: string): Quarter => {
  dayFromIso(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 4) return quarterOf(year, month <= 6 ? 1 : month <= 9 ? 2 : 3);
  return quarterOf(year - 1, 4);
};

/** The quarter before. */
export const previousQuarter = (q: Quarter): Quarter => quarterContaining(isoFromDay(dayFromIso(q.start) - 1));

/** Parses `2026-27-q3`; the two years must follow each other. */
export const parseQuarter = (id: string): Quarter => {
  const m = /^(\d{4})-(\d{2})-q([1-4])$/.exec(id);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw new UserError(`'${id}' is not a financial quarter: write it like 2026-27-q3 (Q1 April-June … Q4 January-March)`, 'usage');
  return quarterOf(Number(m[1]), Number(m[3]) as 1 | 2 | 3 | 4);
};
