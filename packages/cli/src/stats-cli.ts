/**
 * The `phm stats` command: its options, and a program of its own so that `phm stats` loads only
 * the statistics (main.ts sends it here), not DuckDB, the server or the generator; and those only
 * when a method runs (the action imports commands/stats.ts), so that `--help` loads commander alone.
 */
import { Argument, type Command, Option } from 'commander';
import { UserError } from '@openphm/core/errors';
import {
  SII_DEFAULT_SEED,
  SII_DEFAULT_SIMULATIONS,
  SII_VALUE_TYPES,
  STANDARD_POPULATION_NAMES,
  STATS_METHODS,
  type SiiValueTypeChoice,
  type StandardPopulationName,
  type StatsMethod,
} from './choices.js';
import type { CliIo } from './io.js';
import { parseColumnMapping, parseConfidence, parseNonZeroNumber, parsePositiveInt, parseStartAges } from './options.js';
import { newProgram, optionParser as wrap, runProgram } from './run.js';

interface StatsCliOptions {
  input: string;
  confidence: number[];
  multiplier?: number;
  startAge: number[] | 'all';
  standard?: StandardPopulationName;
  valueType: SiiValueTypeChoice;
  transform?: boolean;
  simulations: number;
  seed: string;
  column?: Record<string, string>;
  format: 'csv' | 'json';
  out?: string;
}

export const addStatsCommand = (program: Command, io: CliIo): void => {
  program
    .command('stats')
    .description('public-health statistics from your own aggregate CSV (columns per method in docs/statistics.md); other columns group the rows')
    .addArgument(new Argument('<method>', 'statistic').choices(STATS_METHODS))
    .requiredOption('--input <file>', 'CSV file with a header row')
    .addOption(new Option('--confidence <levels>', 'comma-separated confidence levels').default([0.95, 0.998], '0.95,0.998').argParser(wrap(parseConfidence)))
    .addOption(new Option('--multiplier <n>', 'e.g. 100 for %, 100000 for rates per 100,000; for sii a negative multiplier (--multiplier=-1) reverses polarity').argParser(wrap(parseNonZeroNumber('--multiplier'))))
    .addOption(new Option('--start-age <ages>', "life-expectancy: age(s) to report, e.g. 65 or 0,65,85, or 'all' for every band").default([0], '0').argParser(wrap(parseStartAges)))
    .addOption(new Option('--standard <name>', 'dsr: standard population when the file has no standard_population column (default esp2013)').choices(STANDARD_POPULATION_NAMES))
    .addOption(new Option('--value-type <type>', 'sii: normal, rate (log scale) or proportion (logit scale, values 0-1)').choices(SII_VALUE_TYPES).default('normal'))
    .option('--transform', 'sii: fit the line to log rates or logit proportions (needs lower_ci and upper_ci)')
    .addOption(new Option('--simulations <n>', 'sii: simulations for the confidence limits (at least 1000)').default(SII_DEFAULT_SIMULATIONS, String(SII_DEFAULT_SIMULATIONS)).argParser(wrap(parsePositiveInt('--simulations'))))
    .option('--seed <text>', 'sii: seed of the simulation (each group starts from it)', SII_DEFAULT_SEED)
    .addOption(new Option('--column <name=header>', 'a column under another header, e.g. population=pop (repeatable)').argParser(wrap(parseColumnMapping)))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (method: StatsMethod, o: StatsCliOptions) => {
      if (o.simulations < 1000) throw new UserError(`--simulations must be at least 1000, got ${o.simulations}`);
      // The statistics are loaded only now: `phm stats --help` needs commander alone.
      const { statsCommand } = await import('./commands/stats.js');
      await statsCommand(
        {
          method,
          input: o.input,
          confidence: o.confidence,
          format: o.format,
          startAges: o.startAge,
          valueType: o.valueType,
          transform: o.transform === true,
          simulations: o.simulations,
          seed: o.seed,
          ...(o.standard ? { standard: o.standard } : {}),
          ...(o.column ? { columns: o.column } : {}),
          ...(o.multiplier ? { multiplier: o.multiplier } : {}),
          ...(o.out ? { out: o.out } : {}),
        },
        io,
      );
    });
};

/** `phm stats …` on its own: the same command and exit codes as through the full program. */
export const runStatsCli = (argv: readonly string[], io: CliIo): Promise<number> => {
  const program = newProgram(io).description('OpenPHM: public-health statistics on your own aggregate data');
  addStatsCommand(program, io);
  return runProgram(program, argv, io);
};
