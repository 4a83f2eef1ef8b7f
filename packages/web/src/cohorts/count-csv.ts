/**
 * The cohort builder's counts as CSV rows: the total and every breakdown in one layout, so the
 * "all counts" download and each breakdown's download read the same. Withheld counts are '[c]'.
 */
import type { CohortCountResponse } from '../api.js';
import type { CsvCell } from '../export.js';
import { csvCount } from '../format.js';

export const COUNT_COLUMNS = ['breakdown', 'group', 'group_label', 'people', 'group_people', 'share', 'suppressed'] as const;

type Breakdown = CohortCountResponse['breakdowns'][number];

/** One row per group of a breakdown; a withheld group's share is withheld too. */
export const breakdownCsvRows = (b: Breakdown): CsvCell[][] =>
  b.rows.map((r) => [b.by, r.group, r.groupLabel, csvCount(r.people, r.suppressed), csvCount(r.groupPeople), r.suppressed ? '[c]' : r.share, r.suppressed]);

/** The total, then every breakdown's rows. */
export const countCsvRows = (count: CohortCountResponse): CsvCell[][] => [
  ['total', 'total', 'All', csvCount(count.total.people, count.total.suppressed), '', '', count.total.suppressed],
  ...count.breakdowns.flatMap(breakdownCsvRows),
];
