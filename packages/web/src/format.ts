/**
 * How figures, dates and shares are written on every page and in every download (en-GB). Pure, so
 * the conventions (withheld counts as [c], one decimal place, dates like 5 Mar 2026) are tested once.
 */
import type { Ons4 } from './api.js';

/** A number with exactly `digits` decimal places and thousands separators (1,234.5); '–' when there is none. */
export const fmtFixed = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined ? '–' : v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A change with its sign (+0.25, −1.50; zero unsigned), two decimal places; '–' when there is none. */
export const fmtSigned = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/** A published count for tables: suppressed counts show as [c] (with an explanation in the note below the table). */
export const fmtPublished = (n: number | null | undefined, suppressed = false): string =>
  suppressed || n === null || n === undefined ? '[c]' : n.toLocaleString('en-GB');

/** A count for CSV files: '[c]' when suppressed, as in the API's CSV downloads. */
export const csvCount = (n: number | null | undefined, suppressed = false): string | number => (suppressed || n === null || n === undefined ? '[c]' : n);

/** A share (0-1) as a percentage with one decimal place. */
export const fmtShare = (share: number | null | undefined, suppressed = false): string =>
  suppressed || share === null || share === undefined ? '[c]' : `${fmtFixed(share * 100, 1)}%`;

/** An ISO date (2026-03-05) as people write it (5 Mar 2026), the same in every time zone. */
export const fmtDate = (iso: string): string => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** ONS4 wellbeing scores in the order of the questions (life satisfaction / worthwhile / happiness / anxiety); '–' when not asked. */
export const fmtOns4 = (w: Ons4 | null): string => (w ? `${w.lifeSatisfaction} / ${w.worthwhile} / ${w.happiness} / ${w.anxiety}` : '–');
