/**
 * Breakdowns of a features table: the same names as indicators use (core's BREAKDOWNS), one or two
 * crossed (e.g. age band × IMD quintile), as SQL group expressions and a stable group order.
 */
import { AGE_BREAKDOWN_BANDS, BREAKDOWNS, ETHNIC_GROUPS, UserError, type Breakdown } from '@openphm/core';
import { literal } from '../sql.js';

/** One breakdown, or two crossed. */
export type BreakdownSpec = readonly [Breakdown] | readonly [Breakdown, Breakdown];

const ageBandSql = (age: string): string =>
  `CASE ${AGE_BREAKDOWN_BANDS.map((b) => `WHEN ${age} BETWEEN ${b.min} AND ${b.max} THEN ${literal(b.label)}`).join(' ')} ELSE ${literal(AGE_BREAKDOWN_BANDS[AGE_BREAKDOWN_BANDS.length - 1]!.label)} END`;

/** SQL (VARCHAR) for the group of each breakdown, over a features table's columns. */
export const BREAKDOWN_SQL: Readonly<Record<Breakdown, (column: (name: string) => string) => string>> = {
  ics: () => `'ICS'`,
  place: (c) => c('place'),
  'local-authority': (c) => c('lad_code'),
  neighbourhood: (c) => c('neighbourhood_id'),
  lsoa: (c) => c('lsoa_code'),
  'imd-decile': (c) => `CAST(${c('imd_decile')} AS VARCHAR)`,
  'imd-quintile': (c) => `CAST(${c('imd_quintile')} AS VARCHAR)`,
  'age-band': (c) => ageBandSql(c('age')),
  sex: (c) => c('sex'),
  'ethnic-group': (c) => c('ethnic_group'),
};

/** The separator between crossed groups, in names ('age-band:imd-quintile') and labels ('65-74 × 1'). */
export const CROSS_NAME = ':';
export const CROSS_LABEL = ' × ';

export const breakdownName = (spec: BreakdownSpec): string => spec.join(CROSS_NAME);

/** 'place' or 'age-band:imd-quintile' → a spec, with a message naming the valid breakdowns otherwise. */
export const parseBreakdownSpec = (text: string): BreakdownSpec => {
  const parts = text.trim().split(CROSS_NAME).map((p) => p.trim());
  for (const p of parts) {
    if (!(BREAKDOWNS as readonly string[]).includes(p)) throw new UserError(`unknown breakdown '${p}' (one of ${BREAKDOWNS.join(', ')}, or two joined by '${CROSS_NAME}')`);
  }
  if (parts.length > 2) throw new UserError(`'${text}': at most two breakdowns can be crossed`);
  if (parts.length === 2 && parts[0] === parts[1]) throw new UserError(`'${text}': a breakdown cannot be crossed with itself`);
  return parts as unknown as BreakdownSpec;
};

/** A comma-separated list of breakdown specs (`place,age-band:imd-quintile`); `all` is every single breakdown. */
export const parseBreakdownList = (text: string): BreakdownSpec[] =>
  text
    .split(',')
    .filter((s) => s.trim() !== '')
    .flatMap((s) => (s.trim() === 'all' ? BREAKDOWNS.map((b) => [b] as const) : [parseBreakdownSpec(s)]));

/** The SQL group label of a spec (crossed groups joined with ' × '). */
export const breakdownSql = (spec: BreakdownSpec, column: (name: string) => string = (c) => c): string =>
  spec.length === 1 ? BREAKDOWN_SQL[spec[0]](column) : `${BREAKDOWN_SQL[spec[0]](column)} || ${literal(CROSS_LABEL)} || ${BREAKDOWN_SQL[spec[1]](column)}`;

const rankOf = (breakdown: Breakdown, group: string): [number, string] => {
  if (breakdown === 'age-band') return [AGE_BREAKDOWN_BANDS.findIndex((b) => b.label === group), ''];
  if (breakdown === 'imd-decile' || breakdown === 'imd-quintile') return [Number(group), ''];
  if (breakdown === 'ethnic-group') return [(ETHNIC_GROUPS as readonly string[]).indexOf(group), ''];
  return [0, group];
};

/** Orders groups naturally: age bands youngest first, deciles numerically, ethnic groups as ONS lists them, others alphabetically. */
export const compareGroups = (spec: BreakdownSpec, a: string, b: string): number => {
  const as = a.split(CROSS_LABEL);
  const bs = b.split(CROSS_LABEL);
  for (let i = 0; i < spec.length; i++) {
    const [an, at] = rankOf(spec[i]!, as[i] ?? '');
    const [bn, bt] = rankOf(spec[i]!, bs[i] ?? '');
    if (an !== bn) return an - bn;
    if (at !== bt) return at < bt ? -1 : 1;
  }
  return 0;
};
