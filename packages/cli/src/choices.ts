/**
 * The values the `phm` options accept, kept here so that building the program (and printing any
 * `--help`) loads no more than commander: core's full index alone takes half a second to load (zod,
 * the catalogue, the code lists). Each list equals the one it stands for in core or a command;
 * choices.test.ts checks that they stay equal.
 */
import { UserError } from '@openphm/core/errors';

/** core's BREAKDOWNS. */
export const BREAKDOWN_CHOICES = [
  'ics',
  'place',
  'local-authority',
  'neighbourhood',
  'lsoa',
  'imd-decile',
  'imd-quintile',
  'age-band',
  'sex',
  'ethnic-group',
] as const;
export type BreakdownChoice = (typeof BREAKDOWN_CHOICES)[number];

/** core's SECONDARY_PURPOSES: why person-level rows are used beyond individual care. */
export const SECONDARY_PURPOSE_CHOICES = ['planning', 'research'] as const;

/** core's DEFAULT_PLUS_GROUP_IDS, as `phm risk --plus` takes them. */
export const DEFAULT_PLUS = 'learning-disability,smi,carers,ethnic-minority';

export const OUTPUT_FORMATS = ['csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const isBreakdownChoice = (text: string): text is BreakdownChoice => (BREAKDOWN_CHOICES as readonly string[]).includes(text);

/** `--by` of `phm indicators run`: comma-separated breakdowns, or 'all'. */
export const parseBreakdowns = (value: string): readonly BreakdownChoice[] | 'all' => {
  if (value === 'all') return 'all';
  return value.split(',').map((b) => {
    const t = b.trim();
    if (!isBreakdownChoice(t)) throw new UserError(`unknown breakdown '${t}': use ${BREAKDOWN_CHOICES.join(', ')} or 'all'`);
    return t;
  });
};

/** `phm stats` methods, value types and standard populations (commands/stats.ts implements them). */
export const STATS_METHODS = ['proportion', 'rate', 'dsr', 'life-expectancy', 'sii'] as const;
export type StatsMethod = (typeof STATS_METHODS)[number];
export const SII_VALUE_TYPES = ['normal', 'rate', 'proportion'] as const;
export type SiiValueTypeChoice = (typeof SII_VALUE_TYPES)[number];
export const STANDARD_POPULATION_NAMES = ['esp2013', 'esp1976'] as const;
export type StandardPopulationName = (typeof STANDARD_POPULATION_NAMES)[number];
/** `phm stats sii` runs as many simulations as PHEindicatormethods' `phe_sii` by default (core's default too). */
export const SII_DEFAULT_SIMULATIONS = 100_000;
export const SII_DEFAULT_SEED = 'openphm/sii';
