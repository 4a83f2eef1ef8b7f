/**
 * Which Fingertips period a local period may be compared with. Local periods are whole financial
 * years ('2022/23') or runs of them ('2021/22 - 2023/24'). Fingertips writes a financial year
 * '2022/23', a pooled run of them '2021/22 - 23/24', a calendar year '2022' and a pooled run of
 * calendar years '2021 - 23' or '2021-23'.
 *
 * - The same financial years: the same period.
 * - A run of calendar years against the same run of financial years (2021-23 against 2021/22 -
 *   2023/24): compared, saying so (the local period is three months later; pooled life expectancy
 *   and mortality are published for calendar years).
 * - Anything else, a single calendar year included, is not compared: a single year's offset is a
 *   quarter of it, and extracts sometimes label a financial or academic year by its first calendar
 *   year, so '2022' cannot be read safely as 2022/23.
 */
import type { Period } from '../indicators/evaluate.js';

export interface YearRun {
  readonly basis: 'financial' | 'calendar';
  /** The first year (a financial year by its start year). */
  readonly first: number;
  /** The last year (a financial year by its start year). */
  readonly last: number;
}

const full = (first: number, text: string): number => (text.length === 4 ? Number(text) : Math.floor(first / 100) * 100 + Number(text) + (Number(text) < first % 100 ? 100 : 0));
/** A pooled run: two to ten years (Fingertips pools up to five). */
const pooled = (first: number, last: number) => last > first && last - first < 10;
const follows = (start: number, yy: string) => (start + 1) % 100 === Number(yy);

/** The years a Fingertips period label covers; null for labels it does not recognise (quarters, months, '2022 Q1'). */
export const parseFingertipsPeriod = (label: string): YearRun | null => {
  const text = label.trim();
  let m = /^(\d{4})\/(\d{2})$/.exec(text);
  if (m) return follows(Number(m[1]), m[2]!) ? { basis: 'financial', first: Number(m[1]), last: Number(m[1]) } : null;
  m = /^(\d{4})\/(\d{2})\s*-\s*(\d{4}|\d{2})\/(\d{2})$/.exec(text);
  if (m) {
    const first = Number(m[1]);
    const last = full(first, m[3]!);
    return follows(first, m[2]!) && follows(last, m[4]!) && pooled(first, last) ? { basis: 'financial', first, last } : null;
  }
  m = /^(\d{4})$/.exec(text);
  if (m) return { basis: 'calendar', first: Number(m[1]), last: Number(m[1]) };
  m = /^(\d{4})\s*-\s*(\d{4}|\d{2})$/.exec(text);
  if (m) {
    const first = Number(m[1]);
    const last = full(first, m[2]!);
    return pooled(first, last) ? { basis: 'calendar', first, last } : null;
  }
  return null;
};

/** The financial years of a local period (April to April); null when it is not whole financial years. */
export const financialYearsOf = (period: Period): YearRun | null => {
  const s = /^(\d{4})-04-01$/.exec(period.start);
  const e = /^(\d{4})-04-01$/.exec(period.end);
  if (!s || !e || Number(e[1]) <= Number(s[1])) return null;
  return { basis: 'financial', first: Number(s[1]), last: Number(e[1]) - 1 };
};

export interface PeriodMatch {
  /** 'same': the same years; 'calendar-years': the same run of years, calendar against financial. */
  readonly kind: 'same' | 'calendar-years';
  /** '' for the same period; otherwise what differs, in words. */
  readonly note: string;
}

/** Whether a benchmark published for `label` may be compared with a local `period`, and how; null when it may not. */
export const matchBenchmarkPeriod = (period: Period, label: string): PeriodMatch | null => {
  const local = financialYearsOf(period);
  const theirs = parseFingertipsPeriod(label);
  if (local === null || theirs === null || local.first !== theirs.first || local.last !== theirs.last) return null;
  if (theirs.basis === 'financial') return { kind: 'same', note: '' };
  if (local.last === local.first) return null;
  return {
    kind: 'calendar-years',
    note: `England's figure is for the calendar years ${theirs.first}-${theirs.last}; this one for the financial years ${period.label} (three months later)`,
  };
};
