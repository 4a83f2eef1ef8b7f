/**
 * `phm stats METHOD --input FILE.csv`: public-health statistics for analysts who bring their own
 * aggregate data. Columns are documented per method (docs/statistics.md); every other column is
 * treated as a grouping column, and one result is produced per group.
 *
 * Per-group results: a group whose data are nonsense gets a row with a blank value and the reason,
 * the other groups are computed, and the command then fails with the 'invalid-input' kind (exit 3
 * through the one mapping, exitCodeFor) after writing every row. A blank cell is not an error:
 * "missing in, missing out" — the row's (or group's) value is blank with the reason, except a blank
 * DSR count or event-frequency cell, which counts as 0 (as PHEindicatormethods).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ESP1976,
  ESP2013,
  InputError,
  Random,
  UserError,
  crudeRate,
  dsr,
  lifeExpectancy,
  proportion,
  slopeIndexOfInequality,
  type Estimate,
  type EventFrequencyRow,
  type SiiValueType,
  type StandardPopulation,
} from '@openphm/core';
import { readCsvTable, type CsvRow, type CsvTable } from '@openphm/reference-data';
import type { CliIo } from '../io.js';

export const STATS_METHODS = ['proportion', 'rate', 'dsr', 'life-expectancy', 'sii'] as const;
export type StatsMethod = (typeof STATS_METHODS)[number];

export const SII_VALUE_TYPES = ['normal', 'rate', 'proportion'] as const satisfies readonly SiiValueType[];
export const STANDARD_POPULATIONS = { esp2013: ESP2013, esp1976: ESP1976 } as const satisfies Record<string, StandardPopulation>;
export type StandardPopulationName = keyof typeof STANDARD_POPULATIONS;
/** `phm stats sii` runs as many simulations as PHEindicatormethods' `phe_sii` by default. */
export const SII_DEFAULT_SIMULATIONS = 100_000;
export const SII_DEFAULT_SEED = 'openphm/sii';

export interface StatsCommandOptions {
  readonly method: StatsMethod;
  readonly input: string;
  readonly confidence: readonly number[];
  /** Scale of the result; for sii a negative multiplier reverses the polarity. */
  readonly multiplier?: number;
  /** life-expectancy: the ages to report (band starts 0, 1, 5, …, 90), or 'all' for every band; default [0]. */
  readonly startAges?: readonly number[] | 'all';
  /** dsr: the standard population when the file has no standard_population column; default esp2013. */
  readonly standard?: StandardPopulationName;
  /** sii: how the values' uncertainty is modelled (and transformed with `transform`); default 'normal'. */
  readonly valueType?: SiiValueType;
  /** sii: fit the line to log rates / logit proportions (needs the 95% limits). */
  readonly transform?: boolean;
  /** sii: Monte Carlo repetitions for the limits; default 100,000. */
  readonly simulations?: number;
  /** sii: seed of the simulation; each group starts from it. */
  readonly seed?: string;
  /** The file's header for a column the method reads, when it is not the documented name (e.g. population → pop). */
  readonly columns?: Readonly<Record<string, string>>;
  readonly format: 'csv' | 'json';
  readonly out?: string;
}

type Cell = number | string | null;
export type ResultRow = Record<string, Cell>;

/** A group's rows as the method sees them: cells by the documented column name. */
interface Row {
  readonly line: number;
  /** The trimmed cell ('' when blank or when the file has no such column). */
  readonly get: (column: string) => string;
  /** The cell as a number; an InputError naming the line and column if it is not one (blank included). */
  readonly num: (column: string) => number;
  /** The cell as a number, or null when blank or absent. */
  readonly opt: (column: string) => number | null;
}

interface Input {
  readonly rows: readonly Row[];
  /** Whether the file has this column. */
  readonly has: (column: string) => boolean;
  /** Event-frequency columns f1, f2, … of the file, as [column, frequency]. */
  readonly frequencies: readonly (readonly [string, number])[];
}

interface MethodSpec {
  /** Input columns that must be in the file. */
  readonly columns: readonly string[];
  readonly optional?: readonly string[];
  /** Whether event-frequency columns (f1, f2, …) are inputs rather than grouping columns. */
  readonly frequencyColumns?: boolean;
  /** Whether all rows of a group go into one computation (age bands, deprivation groups) or each row is its own. */
  readonly perGroup: boolean;
  /** A blank cell in these columns counts as 0 instead of making the result missing. */
  readonly blankIsZero?: (column: string) => boolean;
  /** File-level checks of the header and options (a problem here stops the whole file). */
  readonly check?: (has: (column: string) => boolean, options: StatsCommandOptions, file: string) => void;
  /** The rows a group that cannot be computed produces (blank value): several for life expectancy at several ages. */
  readonly blankRows?: (options: StatsCommandOptions) => ResultRow[];
  /** One result row, or several (life expectancy at several ages). */
  readonly compute: (input: Input, options: StatsCommandOptions) => ResultRow | ResultRow[];
}

const levelLabel = (c: number): string => String(Math.round(c * 1000) / 10).replace('.', '_');

const flatten = (estimate: Estimate, confidence: readonly number[], prefix = ''): Record<string, number | null> => {
  const out: Record<string, number | null> = { [prefix === '' ? 'value' : prefix.slice(0, -1)]: estimate.value };
  confidence.forEach((c, i) => {
    out[`${prefix}lower_${levelLabel(c)}`] = estimate.intervals[i]?.lower ?? null;
    out[`${prefix}upper_${levelLabel(c)}`] = estimate.intervals[i]?.upper ?? null;
  });
  return out;
};

const usage = (message: string): UserError => new UserError(message, 'usage');

const METHODS: Record<StatsMethod, MethodSpec> = {
  proportion: {
    columns: ['numerator', 'denominator'],
    perGroup: false,
    compute: ({ rows: [r] }, o) => ({
      numerator: r!.num('numerator'),
      denominator: r!.num('denominator'),
      ...flatten(proportion(r!.num('numerator'), r!.num('denominator'), { confidence: [...o.confidence], multiplier: o.multiplier ?? 100 }), o.confidence),
    }),
  },
  rate: {
    columns: ['count', 'denominator'],
    perGroup: false,
    compute: ({ rows: [r] }, o) => {
      const result = crudeRate(r!.num('count'), r!.num('denominator'), { confidence: [...o.confidence], multiplier: o.multiplier ?? 100_000 });
      return { count: r!.num('count'), denominator: r!.num('denominator'), ...flatten(result, o.confidence), method: result.method };
    },
  },
  dsr: {
    columns: ['age_band', 'population'],
    optional: ['count', 'standard_population'],
    frequencyColumns: true,
    perGroup: true,
    blankIsZero: (column) => column === 'count' || /^f\d+$/.test(column),
    check: (has, o, file) => {
      if (has('standard_population') && o.standard !== undefined) {
        throw usage(`${file}: give either a standard_population column or --standard, not both`);
      }
    },
    compute: ({ rows, has, frequencies }, o) => {
      const withStandard = has('standard_population');
      const eventFrequencies: EventFrequencyRow[] = rows.flatMap((r) =>
        frequencies.map(([column, frequency]) => ({ ageBand: r.get('age_band'), frequency, persons: r.opt(column) })),
      );
      const result = dsr(
        rows.map((r) => ({
          ageBand: r.get('age_band'),
          count: has('count') ? r.opt('count') : null,
          population: r.num('population'),
          ...(withStandard ? { standardPopulation: r.num('standard_population') } : {}),
        })),
        {
          confidence: [...o.confidence],
          multiplier: o.multiplier ?? 100_000,
          ...(withStandard ? {} : { standard: STANDARD_POPULATIONS[o.standard ?? 'esp2013'] }),
          ...(frequencies.length > 0 ? { independentEvents: false, eventFrequencies } : {}),
        },
      );
      return {
        count: result.totalCount,
        population: result.totalPopulation,
        ...flatten(result, o.confidence),
        method: result.method,
        suppressed: result.reason ?? '',
      };
    },
  },
  'life-expectancy': {
    columns: ['age_band', 'deaths', 'population'],
    perGroup: true,
    blankRows: (o) => (o.startAges === 'all' || o.startAges === undefined ? [{}] : o.startAges.map((age) => ({ start_age: age }))),
    compute: ({ rows }, o) => {
      const result = lifeExpectancy(
        rows.map((r) => ({ ageBand: r.get('age_band'), deaths: r.num('deaths'), population: r.num('population') })),
        { confidence: [...o.confidence] },
      );
      const ages = o.startAges ?? [0];
      const chosen = ages === 'all' ? result.byAge : ages.map((age) => result.byAge.find((row) => row.startAge === age)!);
      return chosen.map((at) => ({
        start_age: at.startAge,
        population: result.totalPopulation,
        deaths: result.totalDeaths,
        ...flatten(at, o.confidence),
        standard_error: at.standardError,
        suppressed: at.reason ?? '',
      }));
    },
  },
  sii: {
    columns: ['rank', 'population'],
    optional: ['value', 'numerator', 'lower_ci', 'upper_ci', 'standard_error'],
    perGroup: true,
    check: (has, o, file) => {
      const valueType = o.valueType ?? 'normal';
      if (!has('value') && !has('numerator')) throw new InputError({ file, line: 1, field: 'value' }, 'missing column (sii needs value, or numerator for proportions)');
      if (!has('value') && valueType !== 'proportion') throw usage(`${file}: a numerator column (without value) needs --value-type proportion`);
      if (has('lower_ci') !== has('upper_ci')) throw new InputError({ file, line: 1, field: has('lower_ci') ? 'upper_ci' : 'lower_ci' }, 'missing column (give both lower_ci and upper_ci)');
      if (has('standard_error') && has('lower_ci')) throw usage(`${file}: give either standard_error or lower_ci and upper_ci, not both`);
      if (o.transform && !has('lower_ci')) throw usage(`${file}: --transform needs the 95% limits (lower_ci, upper_ci), not standard errors, as phe_sii`);
    },
    compute: ({ rows, has }, o) => {
      const result = slopeIndexOfInequality(
        rows.map((r) => ({
          rank: r.num('rank'),
          value: has('value') ? r.num('value') : r.num('numerator') / r.num('population'),
          population: r.num('population'),
          lowerCI: has('lower_ci') ? r.num('lower_ci') : null,
          upperCI: has('upper_ci') ? r.num('upper_ci') : null,
          standardError: has('standard_error') ? r.num('standard_error') : null,
        })),
        {
          confidence: [...o.confidence],
          multiplier: o.multiplier ?? 1,
          valueType: o.valueType ?? 'normal',
          transform: o.transform ?? false,
          simulations: o.simulations ?? SII_DEFAULT_SIMULATIONS,
          random: Random.fromKey(o.seed ?? SII_DEFAULT_SEED),
        },
      );
      return {
        quantiles: result.groups.length,
        population: result.groups.reduce((sum, g) => sum + g.population, 0),
        ...flatten({ value: result.sii, intervals: result.siiIntervals }, o.confidence, 'sii_'),
        ...flatten({ value: result.rii, intervals: result.riiIntervals }, o.confidence, 'rii_'),
        intercept: result.intercept,
        value_type: o.valueType ?? 'normal',
        transform: result.scale === 'identity' ? 'none' : result.scale,
        simulations: result.simulations,
        warning: result.warnings.join('; '),
      };
    },
  },
};

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e8) / 1e8)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export interface StatsRun {
  /** One row per group (per row for proportion and rate; per group and age for life expectancy). */
  readonly rows: ResultRow[];
  /** The grouping columns, in file order. */
  readonly groupColumns: readonly string[];
  readonly groups: number;
  /** Groups that could not be computed because their data are invalid (their rows carry the reason). */
  readonly failed: number;
  /** Groups whose value is missing because a cell was blank ("missing in, missing out"). */
  readonly missing: number;
}

/** Computes the statistic for each group of the input file; a bad group gives a row with the reason. */
export const computeStats = (table: CsvTable, options: StatsCommandOptions): StatsRun => {
  const spec = METHODS[options.method];
  if (options.multiplier !== undefined && options.multiplier < 0 && options.method !== 'sii') {
    throw usage(`--multiplier must be positive for ${options.method} (a negative multiplier reverses polarity for sii only), got ${options.multiplier}`);
  }
  const header = table.header.map((h) => h.trim().toLowerCase());
  const renamed = new Map<string, string>();
  for (const [role, name] of Object.entries(options.columns ?? {})) {
    const index = header.indexOf(name.trim().toLowerCase());
    if (index < 0) throw new InputError({ file: table.file, line: 1, field: name }, `missing column (given for ${role} by --column)`);
    renamed.set(role, header[index]!);
  }
  const indexOf = new Map<string, number>();
  for (const c of [...spec.columns, ...(spec.optional ?? [])]) {
    const index = header.indexOf(renamed.get(c) ?? c);
    if (index >= 0) indexOf.set(c, index);
  }
  const frequencies: [string, number][] = [];
  if (spec.frequencyColumns) {
    header.forEach((h, index) => {
      const match = /^f(\d+)$/.exec(h);
      if (match && Number(match[1]) >= 1) {
        frequencies.push([h, Number(match[1])]);
        indexOf.set(h, index);
      }
    });
  }
  for (const c of spec.columns) {
    if (!indexOf.has(c)) {
      throw new InputError({ file: table.file, line: 1, field: renamed.get(c) ?? c }, `missing column (${options.method} needs ${spec.columns.join(', ')})`);
    }
  }
  const has = (column: string): boolean => indexOf.has(column);
  if (options.method === 'dsr' && !has('count') && frequencies.length === 0) {
    throw new InputError({ file: table.file, line: 1, field: renamed.get('count') ?? 'count' }, 'missing column (dsr needs count, or event-frequency columns f1, f2, …)');
  }
  spec.check?.(has, options, table.file);
  const inputIndexes = new Set(indexOf.values());
  const groupIndexes = table.header.map((_, i) => i).filter((i) => !inputIndexes.has(i));
  const groupColumns = groupIndexes.map((i) => table.header[i]!);

  const toRow = (row: CsvRow): Row => {
    const get = (column: string): string => {
      const index = indexOf.get(column);
      return index === undefined ? '' : (row.cells[index] ?? '').trim();
    };
    const fieldOf = (column: string): string => table.header[indexOf.get(column) ?? -1] ?? column;
    const parse = (column: string): number => {
      const text = get(column).replace(/,/g, '');
      const n = Number(text);
      if (!Number.isFinite(n)) throw new InputError({ file: table.file, line: row.line, field: fieldOf(column) }, `'${get(column)}' is not a number`);
      return n;
    };
    return {
      line: row.line,
      get,
      num: (column) => {
        if (get(column) === '') throw new InputError({ file: table.file, line: row.line, field: fieldOf(column) }, 'blank cell');
        return parse(column);
      },
      opt: (column) => (get(column) === '' ? null : parse(column)),
    };
  };

  const groups = new Map<string, { key: Record<string, string>; rows: Row[] }>();
  table.rows.forEach((row, i) => {
    const values = groupIndexes.map((index) => (row.cells[index] ?? '').trim());
    const id = spec.perGroup ? values.join('\u0000') : `${i}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { key: Object.fromEntries(groupColumns.map((g, j) => [g, values[j]!])), rows: [] };
      groups.set(id, group);
    }
    group.rows.push(toRow(row));
  });
  if (groups.size === 0) throw new InputError({ file: table.file, line: 2 }, 'no data rows');

  const inputs = [...indexOf.keys()];
  let failed = 0;
  let missing = 0;
  const rows = [...groups.values()].flatMap(({ key, rows: groupRows }) => {
    const blankOut = (reason: string): ResultRow[] => (spec.blankRows?.(options) ?? [{}]).map((row) => ({ ...key, ...row, value: null, reason }));
    // Missing in, missing out: a blank input cell gives a blank result, with the reason.
    for (const r of groupRows) {
      const blank = inputs.find((c) => r.get(c) === '' && !(spec.blankIsZero?.(c) ?? false));
      if (blank !== undefined) {
        missing += 1;
        return blankOut(`missing ${table.header[indexOf.get(blank)!]} on line ${r.line}`);
      }
    }
    try {
      const computed = spec.compute({ rows: groupRows, has, frequencies }, options);
      return (Array.isArray(computed) ? computed : [computed]).map((row) => ({ ...key, ...row, reason: '' }));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      failed += 1;
      const where = error instanceof InputError ? '' : spec.perGroup ? `lines ${groupRows[0]!.line}-${groupRows[groupRows.length - 1]!.line}: ` : `line ${groupRows[0]!.line}: `;
      return blankOut(`${where}${error instanceof InputError ? error.message.replace(`${table.file}, `, '') : error.message}`);
    }
  });
  return { rows, groupColumns, groups: groups.size, failed, missing };
};

/** The result rows of `computeStats` (kept for callers that only want the rows). */
export const runStats = (table: CsvTable, options: StatsCommandOptions): ResultRow[] => computeStats(table, options).rows;

/** The output columns: grouping columns, then the method's columns in order of first appearance, then `reason`. */
const outputColumns = (run: StatsRun): string[] => {
  const columns = new Set(run.groupColumns);
  for (const row of run.rows) for (const c of Object.keys(row)) if (c !== 'reason') columns.add(c);
  columns.add('reason');
  return [...columns];
};

export const statsCommand = (options: StatsCommandOptions, io: CliIo): void => {
  const path = resolve(io.cwd, options.input);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${options.input}: cannot read the file`, 'not-found');
  }
  const run = computeStats(readCsvTable(text, options.input), options);
  const columns = outputColumns(run);
  let out: string;
  if (options.format === 'json') {
    out = `${JSON.stringify(run.rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2)}\n`;
  } else {
    out = `${[columns.join(','), ...run.rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
  }
  if (options.out) writeFileSync(resolve(io.cwd, options.out), out);
  else io.stdout.write(out);
  if (run.failed > 0) {
    throw new UserError(
      `${options.input}: ${run.failed} of ${run.groups} ${run.groups === 1 ? 'group' : 'groups'} could not be computed; their rows have a blank value and the reason (the other groups were written)`,
      'invalid-input',
    );
  }
};
