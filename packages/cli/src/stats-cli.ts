/**
 * The `phm stats` command: its options, and a program of its own so that `phm stats` loads only
 * the statistics (main.ts sends it here), not DuckDB, the server or the generator; and those only
 * when a method runs (the action imports commands/stats.ts), so that `--help` loads commander alone.
 *
 * `phm stats proportion|rate` with plain options on a plain numeric CSV does not even load commander:
 * `runStatsCli` tries the byte-level fast path first (stats-cli-fast.ts), which writes exactly what
 * the command would or gives the run back untouched. So this module imports nothing of commander
 * at load: the program's parts come from the program itself (`createArgument`, `createOption`), and
 * the option parser wrapper from run.ts once `runStatsCli` has loaded it; program.ts, which adds the
 * command without it, gets one made with commander's `InvalidArgumentError` by `require` (commander
 * is CommonJS: `require` gives the module the program was made with).
 */
import { createRequire } from 'node:module';
import type { Command, InvalidArgumentError } from 'commander';
import { isUserError, UserError } from '@openphm/core/errors';
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
import type { PlainStatsArgs } from './stats-cli-fast.js';
import { parseColumnMapping, parseConfidence, parseNonZeroNumber, parsePositiveInt, parseStartAges } from './options.js';

/** An option's value parser whose UserErrors commander reports as invalid arguments (exit 2). */
type OptionParser = <T>(parse: (v: string) => T) => (value: string) => T;

/**
 * As run.ts's `optionParser`, for `addStatsCommand` called without one (program.ts): commander's
 * `InvalidArgumentError` is required when a value is first parsed, so that building the program
 * (`phm --help`, any other command) does not pay for it.
 */
const requiredOptionParser: OptionParser = (parse) => (value) => (wrapper ??= commanderOptionParser())(parse)(value);
let wrapper: OptionParser | undefined;

const commanderOptionParser = (): OptionParser => {
  const { InvalidArgumentError: Invalid } = createRequire(import.meta.url)('commander') as { InvalidArgumentError: new (message: string) => InvalidArgumentError };
  return (parse) => (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (isUserError(error)) throw new Invalid(error.message);
      throw error;
    }
  };
};

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

export const addStatsCommand = (program: Command, io: CliIo, wrap: OptionParser = requiredOptionParser): void => {
  program
    .command('stats')
    .description('public-health statistics from your own aggregate CSV (columns per method in docs/statistics.md); other columns group the rows')
    .addArgument(program.createArgument('<method>', 'statistic').choices(STATS_METHODS))
    .requiredOption('--input <file>', 'CSV file with a header row')
    .addOption(program.createOption('--confidence <levels>', 'comma-separated confidence levels').default([0.95, 0.998], '0.95,0.998').argParser(wrap(parseConfidence)))
    .addOption(program.createOption('--multiplier <n>', 'e.g. 100 for %, 100000 for rates per 100,000; for sii a negative multiplier (--multiplier=-1) reverses polarity').argParser(wrap(parseNonZeroNumber('--multiplier'))))
    .addOption(program.createOption('--start-age <ages>', "life-expectancy: age(s) to report, e.g. 65 or 0,65,85, or 'all' for every band").default([0], '0').argParser(wrap(parseStartAges)))
    .addOption(program.createOption('--standard <name>', 'dsr: standard population when the file has no standard_population column (default esp2013)').choices(STANDARD_POPULATION_NAMES))
    .addOption(program.createOption('--value-type <type>', 'sii: normal, rate (log scale) or proportion (logit scale, values 0-1)').choices(SII_VALUE_TYPES).default('normal'))
    .option('--transform', 'sii: fit the line to log rates or logit proportions (needs lower_ci and upper_ci)')
    .addOption(program.createOption('--simulations <n>', 'sii: simulations for the confidence limits (at least 1000)').default(SII_DEFAULT_SIMULATIONS, String(SII_DEFAULT_SIMULATIONS)).argParser(wrap(parsePositiveInt('--simulations'))))
    .option('--seed <text>', 'sii: seed of the simulation (each group starts from it)', SII_DEFAULT_SEED)
    .addOption(program.createOption('--column <name=header>', 'a column under another header, e.g. population=pop (repeatable)').argParser(wrap(parseColumnMapping)))
    .addOption(program.createOption('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
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

const VALUE_OPTIONS = new Set(['--input', '--out', '--confidence', '--multiplier', '--format']);

/**
 * The options of `stats proportion|rate …` when they are all plain (see stats-cli-fast.ts), else
 * undefined: the general program then parses them, with its help and its errors.
 */
export const plainStatsArgs = (argv: readonly string[]): PlainStatsArgs | undefined => {
  if (argv[0] !== 'stats' || (argv[1] !== 'proportion' && argv[1] !== 'rate')) return undefined;
  const given = new Map<string, string>();
  for (let i = 2; i < argv.length; i += 1) {
    const token = argv[i]!;
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    if (!VALUE_OPTIONS.has(name) || given.has(name)) return undefined;
    let value: string | undefined;
    if (eq > 0) value = token.slice(eq + 1);
    else {
      i += 1;
      value = argv[i];
    }
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    given.set(name, value);
  }
  const input = given.get('--input');
  if (input === undefined || (given.get('--format') ?? 'csv') !== 'csv') return undefined;
  const method = argv[1];
  const defaultMultiplier = method === 'proportion' ? 100 : 100_000;
  try {
    const confidence = given.has('--confidence') ? parseConfidence(given.get('--confidence')!) : [0.95, 0.998];
    const multiplier = given.has('--multiplier') ? parseNonZeroNumber('--multiplier')(given.get('--multiplier')!) : defaultMultiplier;
    // As the general command's fast rows: positive, finite, distinct levels (else it reports them).
    if (!(Number.isFinite(multiplier) && multiplier > 0) || confidence.length === 0 || new Set(confidence).size !== confidence.length) return undefined;
    const out = given.get('--out');
    return { method, input, confidence, multiplier, ...(out === undefined ? {} : { out }) };
  } catch {
    return undefined;
  }
};

/** `phm stats …` on its own: the same command and exit codes as through the full program. */
export const runStatsCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const plain = plainStatsArgs(argv);
  if (plain !== undefined) {
    const { runPlainStats } = await import('./stats-cli-fast.js');
    if (await runPlainStats(plain, io)) return 0;
  }
  const { newProgram, optionParser, runProgram } = await import('./run.js');
  const program = newProgram(io).description('OpenPHM: public-health statistics on your own aggregate data');
  addStatsCommand(program, io, optionParser);
  return runProgram(program, argv, io);
};
