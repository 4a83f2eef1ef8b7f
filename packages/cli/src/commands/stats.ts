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
import { createReadStream, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UserError } from '@openphm/core/errors';
import { Random } from '@openphm/core/random';
import {
  ESP1976,
  ESP2013,
  crudeRate,
  dsr,
  lifeExpectancy,
  proportion,
  slopeIndexOfInequality,
  type Estimate,
  type EventFrequencyRow,
  type SiiValueType,
  type StandardPopulation,
} from '@openphm/core/stats';
import { CsvRowReader, type CsvTable } from '@openphm/reference-data/csv';
import { SII_DEFAULT_SEED, SII_DEFAULT_SIMULATIONS, type StandardPopulationName, type StatsMethod } from '../choices.js';
import type { CliIo } from '../io.js';

export { SII_DEFAULT_SEED, SII_DEFAULT_SIMULATIONS, SII_VALUE_TYPES, STATS_METHODS, type StandardPopulationName, type StatsMethod } from '../choices.js';
export const STANDARD_POPULATIONS: Readonly<Record<StandardPopulationName, StandardPopulation>> = { esp2013: ESP2013, esp1976: ESP1976 };

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

/** What the header says about the file, for one method: checked once, before any row is read. */
interface Layout {
  readonly file: string;
  readonly header: readonly string[];
  readonly spec: MethodSpec;
  readonly indexOf: ReadonlyMap<string, number>;
  readonly has: (column: string) => boolean;
  readonly frequencies: readonly (readonly [string, number])[];
  readonly groupIndexes: readonly number[];
  readonly groupColumns: readonly string[];
  /** Input columns whose blank cell makes the result missing, with their index. */
  readonly required: readonly (readonly [string, number])[];
}

const layoutOf = (rawHeader: readonly string[], file: string, options: StatsCommandOptions): Layout => {
  const spec = METHODS[options.method];
  if (options.multiplier !== undefined && options.multiplier < 0 && options.method !== 'sii') {
    throw usage(`--multiplier must be positive for ${options.method} (a negative multiplier reverses polarity for sii only), got ${options.multiplier}`);
  }
  const header = rawHeader.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const renamed = new Map<string, string>();
  for (const [role, name] of Object.entries(options.columns ?? {})) {
    const index = lower.indexOf(name.trim().toLowerCase());
    if (index < 0) throw new InputError({ file, line: 1, field: name }, `missing column (given for ${role} by --column)`);
    renamed.set(role, lower[index]!);
  }
  const indexOf = new Map<string, number>();
  for (const c of [...spec.columns, ...(spec.optional ?? [])]) {
    const index = lower.indexOf(renamed.get(c) ?? c);
    if (index >= 0) indexOf.set(c, index);
  }
  const frequencies: [string, number][] = [];
  if (spec.frequencyColumns) {
    lower.forEach((h, index) => {
      const match = /^f(\d+)$/.exec(h);
      if (match && Number(match[1]) >= 1) {
        frequencies.push([h, Number(match[1])]);
        indexOf.set(h, index);
      }
    });
  }
  for (const c of spec.columns) {
    if (!indexOf.has(c)) {
      throw new InputError({ file, line: 1, field: renamed.get(c) ?? c }, `missing column (${options.method} needs ${spec.columns.join(', ')})`);
    }
  }
  const has = (column: string): boolean => indexOf.has(column);
  if (options.method === 'dsr' && !has('count') && frequencies.length === 0) {
    throw new InputError({ file, line: 1, field: renamed.get('count') ?? 'count' }, 'missing column (dsr needs count, or event-frequency columns f1, f2, …)');
  }
  spec.check?.(has, options, file);
  const inputIndexes = new Set(indexOf.values());
  const groupIndexes = header.map((_, i) => i).filter((i) => !inputIndexes.has(i));
  const required = [...indexOf.entries()].filter(([c]) => !(spec.blankIsZero?.(c) ?? false));
  return { file, header, spec, indexOf, has, frequencies, groupIndexes, groupColumns: groupIndexes.map((i) => header[i]!), required };
};

/** A row of the file as a method reads it: cells by the documented column name. One small object per row. */
class FileRow implements Row {
  constructor(
    private readonly layout: Layout,
    private readonly cells: readonly string[],
    readonly line: number,
  ) {}

  get(column: string): string {
    const index = this.layout.indexOf.get(column);
    if (index === undefined) return '';
    const cell = this.cells[index] ?? '';
    return cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32) ? cell.trim() : cell;
  }

  num(column: string): number {
    if (this.get(column) === '') throw new InputError({ file: this.layout.file, line: this.line, field: this.field(column) }, 'blank cell');
    return this.parse(column);
  }

  opt(column: string): number | null {
    return this.get(column) === '' ? null : this.parse(column);
  }

  /** The first required input that is blank, or undefined. */
  blank(): string | undefined {
    for (const [column, index] of this.layout.required) {
      const cell = this.cells[index];
      if (cell === undefined || cell.length === 0 || (cell.charCodeAt(0) <= 32 && cell.trim() === '')) return column;
    }
    return undefined;
  }

  field(column: string): string {
    return this.layout.header[this.layout.indexOf.get(column) ?? -1] ?? column;
  }

  private parse(column: string): number {
    const text = this.get(column);
    const n = Number(text.includes(',') ? text.replace(/,/g, '') : text);
    if (!Number.isFinite(n)) throw new InputError({ file: this.layout.file, line: this.line, field: this.field(column) }, `'${text}' is not a number`);
    return n;
  }
}

/** Computes one group at a time and hands each result row on. */
class GroupRunner {
  groups = 0;
  failed = 0;
  missing = 0;

  constructor(
    private readonly layout: Layout,
    private readonly options: StatsCommandOptions,
    private readonly emit: (row: ResultRow) => void,
  ) {}

  run(values: readonly string[], rows: readonly FileRow[]): void {
    const { spec, groupColumns, file } = this.layout;
    this.groups += 1;
    const key: ResultRow = {};
    groupColumns.forEach((g, j) => {
      key[g] = values[j]!;
    });
    const blankOut = (reason: string): void => {
      for (const row of spec.blankRows?.(this.options) ?? [{}]) this.emit({ ...key, ...row, value: null, reason });
    };
    // Missing in, missing out: a blank input cell gives a blank result, with the reason.
    for (const r of rows) {
      const blank = r.blank();
      if (blank !== undefined) {
        this.missing += 1;
        blankOut(`missing ${r.field(blank)} on line ${r.line}`);
        return;
      }
    }
    try {
      const computed = spec.compute({ rows, has: this.layout.has, frequencies: this.layout.frequencies }, this.options);
      for (const row of Array.isArray(computed) ? computed : [computed]) this.emit({ ...key, ...row, reason: '' });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.failed += 1;
      const where = error instanceof InputError ? '' : spec.perGroup ? `lines ${rows[0]!.line}-${rows[rows.length - 1]!.line}: ` : `line ${rows[0]!.line}: `;
      blankOut(`${where}${error instanceof InputError ? error.message.replace(`${file}, `, '') : error.message}`);
    }
  }
}

const groupValues = (layout: Layout, cells: readonly string[]): string[] => layout.groupIndexes.map((index) => (cells[index] ?? '').trim());

/** Thrown when a group's rows turn up again after another group: the file is then read again, grouping in memory. */
class GroupsNotTogether extends Error {}

/**
 * Groups rows as they stream in. Rows of a group are usually together (files are written group by
 * group), so each group is computed as soon as the next begins and only one is held at a time;
 * if a finished group's rows turn up again, `GroupsNotTogether` is thrown (`together: true`) or, with
 * `together: false`, every group is held until the end and computed in order of first appearance.
 */
class Grouper {
  private current: { values: string[]; rows: FileRow[] } | null = null;
  private readonly finished = new Set<string>();
  private readonly all = new Map<string, { values: string[]; rows: FileRow[] }>();

  constructor(
    private readonly layout: Layout,
    private readonly runner: GroupRunner,
    private readonly together: boolean,
  ) {}

  add(cells: readonly string[], line: number): void {
    const { layout } = this;
    const row = new FileRow(layout, cells, line);
    if (!layout.spec.perGroup) {
      this.runner.run(groupValues(layout, cells), [row]);
      return;
    }
    const current = this.current;
    if (current !== null && layout.groupIndexes.every((index, j) => (cells[index] ?? '').trim() === current.values[j])) {
      current.rows.push(row);
      return;
    }
    const values = groupValues(layout, cells);
    const id = values.join('\u0000');
    if (!this.together) {
      const group = this.all.get(id);
      if (group !== undefined) group.rows.push(row);
      else this.all.set(id, { values, rows: [row] });
      this.current = this.all.get(id)!;
      return;
    }
    if (current !== null) this.runner.run(current.values, current.rows);
    if (this.finished.has(id)) throw new GroupsNotTogether();
    this.finished.add(id);
    this.current = { values, rows: [row] };
  }

  end(): void {
    if (!this.together) for (const group of this.all.values()) this.runner.run(group.values, group.rows);
    else if (this.current !== null) this.runner.run(this.current.values, this.current.rows);
    this.current = null;
  }
}

/** Computes the statistic for each group of a table held in memory; a bad group gives a row with the reason. */
export const computeStats = (table: CsvTable, options: StatsCommandOptions): StatsRun => {
  const layout = layoutOf(table.header, table.file, options);
  if (table.rows.length === 0) throw new InputError({ file: table.file, line: 2 }, 'no data rows');
  const rows: ResultRow[] = [];
  const runner = new GroupRunner(layout, options, (row) => rows.push(row));
  const grouper = new Grouper(layout, runner, false);
  for (const row of table.rows) grouper.add(row.cells, row.line);
  grouper.end();
  return { rows, groupColumns: layout.groupColumns, groups: runner.groups, failed: runner.failed, missing: runner.missing };
};

/** The result rows of `computeStats` (kept for callers that only want the rows). */
export const runStats = (table: CsvTable, options: StatsCommandOptions): ResultRow[] => computeStats(table, options).rows;

/**
 * Turns result rows into the output text as they come: the columns are the grouping columns, then
 * the method's columns in the order of the first computed row, then `reason`.
 */
class OutputWriter {
  private columns: string[] | null = null;
  private readonly waiting: ResultRow[] = [];
  private readonly parts: string[] = [];

  constructor(
    private readonly groupColumns: readonly string[],
    private readonly format: 'csv' | 'json',
  ) {}

  add(row: ResultRow): void {
    if (this.columns === null) {
      if (row.reason !== '') {
        this.waiting.push(row);
        return;
      }
      this.fix(row);
    }
    this.write(row);
  }

  finish(): string {
    if (this.columns === null) this.fix(this.waiting[0] ?? {});
    if (this.format === 'json') return this.parts.length === 0 ? '[]\n' : `[\n${this.parts.join(',\n')}\n]\n`;
    return `${this.columns!.join(',')}\n${this.parts.join('')}`;
  }

  private fix(first: ResultRow): void {
    const columns = new Set(this.groupColumns);
    for (const c of Object.keys(first)) if (c !== 'reason') columns.add(c);
    columns.add('reason');
    this.columns = [...columns];
    const waiting = this.waiting.splice(0);
    for (const row of waiting) this.write(row);
  }

  private write(row: ResultRow): void {
    const columns = this.columns!;
    if (this.format === 'json') {
      const text = JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])), null, 2);
      this.parts.push(text.replace(/^/gm, '  '));
      return;
    }
    let line = '';
    for (let i = 0; i < columns.length; i += 1) line += (i === 0 ? '' : ',') + csvCell(row[columns[i]!]);
    this.parts.push(`${line}\n`);
  }
}

/** Streams the file through the method: `together` as for `Grouper`. */
const streamFile = async (path: string, file: string, options: StatsCommandOptions, together: boolean): Promise<{ text: string; run: Omit<StatsRun, 'rows'> }> => {
  const state: { layout?: Layout; grouper?: Grouper; runner?: GroupRunner; writer?: OutputWriter } = {};
  const reader = new CsvRowReader(file, (cells, line) => {
    if (state.grouper !== undefined) {
      state.grouper.add(cells, line);
      return;
    }
    const layout = layoutOf(cells, file, options);
    const writer = new OutputWriter(layout.groupColumns, options.format);
    const runner = new GroupRunner(layout, options, (row) => writer.add(row));
    Object.assign(state, { layout, writer, runner, grouper: new Grouper(layout, runner, together) });
  });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) reader.push(chunk as string);
  } catch (error) {
    stream.destroy();
    if ((error as NodeJS.ErrnoException).code !== undefined && !(error instanceof UserError)) {
      throw new UserError(`${file}: cannot read the file`, 'not-found');
    }
    throw error;
  }
  reader.end();
  const { layout, grouper, runner, writer } = state;
  if (layout === undefined || grouper === undefined || runner === undefined || writer === undefined) {
    throw new InputError({ file, line: 1 }, 'the file is empty (expected a header row)');
  }
  grouper.end();
  if (runner.groups === 0) throw new InputError({ file, line: 2 }, 'no data rows');
  return { text: writer.finish(), run: { groupColumns: layout.groupColumns, groups: runner.groups, failed: runner.failed, missing: runner.missing } };
};

/**
 * `phm stats`: reads the file as a stream, computes each group as soon as its rows are read (when a
 * group's rows are not together in the file, it is read again and grouped in memory), and writes the
 * rows; then fails (exit 3) if any group could not be computed.
 */
export const statsCommand = async (options: StatsCommandOptions, io: CliIo): Promise<void> => {
  const path = resolve(io.cwd, options.input);
  let result: Awaited<ReturnType<typeof streamFile>>;
  try {
    result = await streamFile(path, options.input, options, true);
  } catch (error) {
    if (!(error instanceof GroupsNotTogether)) throw error;
    result = await streamFile(path, options.input, options, false);
  }
  if (options.out) writeFileSync(resolve(io.cwd, options.out), result.text);
  else io.stdout.write(result.text);
  const { failed, groups } = result.run;
  if (failed > 0) {
    throw new UserError(
      `${options.input}: ${failed} of ${groups} ${groups === 1 ? 'group' : 'groups'} could not be computed; their rows have a blank value and the reason (the other groups were written)`,
      'invalid-input',
    );
  }
};
