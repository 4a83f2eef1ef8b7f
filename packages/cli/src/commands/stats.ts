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
import { closeSync, createReadStream, ftruncateSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, UserError } from '@openphm/core/errors';
import { Random } from '@openphm/core/random';
import {
  ESP1976,
  ESP2013,
  BYARS_MINIMUM_COUNT,
  byarsLower,
  byarsUpper,
  crudeRate,
  dsr,
  exactPoissonLower,
  exactPoissonUpper,
  lifeExpectancy,
  proportion,
  slopeIndexOfInequality,
  type DsrOptions,
  type DsrRow,
  type Estimate,
  type EventFrequencyRow,
  type SiiValueType,
  type StandardPopulation,
  wilsonLower,
  wilsonUpper,
} from '@openphm/core/stats';
import { CsvRowReader, type CsvTable } from '@openphm/reference-data/csv';
import { SII_DEFAULT_SEED, SII_DEFAULT_SIMULATIONS, type StandardPopulationName, type StatsMethod } from '../choices.js';
import type { CliIo } from '../io.js';
import { formatRounded } from './number-format.js';

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
  /** Per-row methods: write valid rows by the fast path (default true; false for tests, to compare the two). */
  readonly fastRows?: boolean;
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
  /** Per-row methods: the same output for a valid row written straight to CSV text (see `FastRow`). */
  readonly fastRow?: (options: StatsCommandOptions) => FastRow | undefined;
}

/**
 * The per-row fast path (proportion, rate): a valid row's method cells written as CSV text from its two
 * input numbers, with no objects; the same text `compute` gives. A row it does not take (blank, not a
 * number, invalid) goes through `compute`, which gives the reason.
 */
interface FastRow {
  /** The two input columns, in the order `text` takes them. */
  readonly inputs: readonly [string, string];
  /** The method's output columns, in the order `compute`'s row has them. */
  readonly columns: readonly string[];
  /** The method's cells joined by commas, or undefined for a row `compute` must see. */
  readonly text: (a: number, b: number) => string | undefined;
}

/** The limits' output columns in `flatten`'s order (value, then lower and upper per level). */
const limitColumns = (confidence: readonly number[]): string[] => {
  const keys = keysFor(confidence, '');
  return [keys.value, ...confidence.flatMap((_, i) => [keys.lower[i]!, keys.upper[i]!])];
};

/** The confidence levels and multiplier the fast path can take as they are (else `compute` reports them). */
const plainOptions = (confidence: readonly number[], multiplier: number): boolean =>
  Number.isFinite(multiplier) &&
  multiplier > 0 &&
  confidence.length > 0 &&
  new Set(confidence).size === confidence.length &&
  confidence.every((c) => typeof c === 'number' && c > 0 && c < 1);

const levelLabel = (c: number): string => String(Math.round(c * 1000) / 10).replace('.', '_');

/** The output names of an estimate's value and limits (`value`, `lower_95`, … or `sii`, `sii_lower_95`, …), made once per run. */
type FlattenKeys = { value: string; lower: string[]; upper: string[] };
const flattenKeys = new WeakMap<readonly number[], Map<string, FlattenKeys>>();
const keysFor = (confidence: readonly number[], prefix: string): FlattenKeys => {
  let byPrefix = flattenKeys.get(confidence);
  if (byPrefix === undefined) flattenKeys.set(confidence, (byPrefix = new Map()));
  let keys = byPrefix.get(prefix);
  if (keys === undefined) {
    keys = {
      value: prefix === '' ? 'value' : prefix.slice(0, -1),
      lower: confidence.map((c) => `${prefix}lower_${levelLabel(c)}`),
      upper: confidence.map((c) => `${prefix}upper_${levelLabel(c)}`),
    };
    byPrefix.set(prefix, keys);
  }
  return keys;
};

const flatten = (estimate: Estimate, confidence: readonly number[], prefix = ''): Record<string, number | null> => {
  const keys = keysFor(confidence, prefix);
  const out: Record<string, number | null> = { [keys.value]: estimate.value };
  for (let i = 0; i < confidence.length; i += 1) {
    out[keys.lower[i]!] = estimate.intervals[i]?.lower ?? null;
    out[keys.upper[i]!] = estimate.intervals[i]?.upper ?? null;
  }
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
    fastRow: (o) => {
      const levels = o.confidence;
      const m = o.multiplier ?? 100;
      if (!plainOptions(levels, m)) return undefined;
      return {
        inputs: ['numerator', 'denominator'],
        columns: ['numerator', 'denominator', ...limitColumns(levels)],
        // As proportion(): counts, a denominator above 0, the numerator not above it.
        text: (x, n) => {
          if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && n > 0 && x <= n)) return undefined;
          let text = `${formatRounded(x)},${formatRounded(n)},${formatRounded((x / n) * m)}`;
          for (const c of levels) text += `,${formatRounded(wilsonLower(x, n, c) * m)},${formatRounded(wilsonUpper(x, n, c) * m)}`;
          return text;
        },
      };
    },
  },
  rate: {
    columns: ['count', 'denominator'],
    perGroup: false,
    compute: ({ rows: [r] }, o) => {
      const result = crudeRate(r!.num('count'), r!.num('denominator'), { confidence: [...o.confidence], multiplier: o.multiplier ?? 100_000 });
      return { count: r!.num('count'), denominator: r!.num('denominator'), ...flatten(result, o.confidence), method: result.method };
    },
    fastRow: (o) => {
      const levels = o.confidence;
      const m = o.multiplier ?? 100_000;
      if (!plainOptions(levels, m)) return undefined;
      // Exact limits are only for counts below 10: each worked out once per level.
      const exact = levels.map((c) => Array.from({ length: BYARS_MINIMUM_COUNT }, (_, x) => [exactPoissonLower(x, c), exactPoissonUpper(x, c)] as const));
      return {
        inputs: ['count', 'denominator'],
        columns: ['count', 'denominator', ...limitColumns(levels), 'method'],
        // As crudeRate(): a count, a denominator above 0; limits as poissonLimits.
        text: (x, n) => {
          if (!(Number.isInteger(x) && x >= 0 && n > 0)) return undefined;
          let text = `${formatRounded(x)},${formatRounded(n)},${formatRounded((x / n) * m)}`;
          const small = x < BYARS_MINIMUM_COUNT;
          for (let i = 0; i < levels.length; i += 1) {
            const c = levels[i]!;
            const lower = small ? exact[i]![x]![0] : byarsLower(x, c);
            const upper = small ? exact[i]![x]![1] : byarsUpper(x, c);
            text += `,${formatRounded((lower / n) * m)},${formatRounded((upper / n) * m)}`;
          }
          return `${text},${small ? 'exact' : 'byars'}`;
        },
      };
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
      const withCount = has('count');
      // One plain object per age band (a spread per row would take V8's slow path).
      const bands: DsrRow[] = rows.map((r) =>
        withStandard
          ? { ageBand: r.get('age_band'), count: withCount ? r.opt('count') : null, population: r.num('population'), standardPopulation: r.num('standard_population') }
          : { ageBand: r.get('age_band'), count: withCount ? r.opt('count') : null, population: r.num('population') },
      );
      const options: DsrOptions = { confidence: o.confidence, multiplier: o.multiplier ?? 100_000 };
      const result = dsr(bands, {
        ...options,
        ...(withStandard ? {} : { standard: STANDARD_POPULATIONS[o.standard ?? 'esp2013'] }),
        ...(frequencies.length > 0
          ? {
              independentEvents: false,
              eventFrequencies: rows.flatMap((r): EventFrequencyRow[] =>
                frequencies.map(([column, frequency]) => ({ ageBand: r.get('age_band'), frequency, persons: r.opt(column) })),
              ),
            }
          : {}),
      });
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

/** A cell of the CSV output: numbers to 8 decimal places, text quoted when it holds a comma, quote or line break. */
const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatRounded(v);
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
    const text = this.get(column);
    if (text === '') throw new InputError({ file: this.layout.file, line: this.line, field: this.field(column) }, 'blank cell');
    return this.parse(column, text);
  }

  opt(column: string): number | null {
    const text = this.get(column);
    return text === '' ? null : this.parse(column, text);
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

  private parse(column: string, text: string): number {
    const n = Number(text.includes(',') ? text.replace(/,/g, '') : text);
    if (!Number.isFinite(n)) throw new InputError({ file: this.layout.file, line: this.line, field: this.field(column) }, `'${text}' is not a number`);
    return n;
  }
}

/** Where result rows go: each with its group's values (in `groupColumns` order) and the reason ('' when computed). */
interface ResultSink {
  add(values: readonly string[], row: ResultRow, reason: string): void;
}

/** Computes one group at a time and hands each result row on. */
class GroupRunner {
  groups = 0;
  failed = 0;
  missing = 0;

  constructor(
    private readonly layout: Layout,
    private readonly options: StatsCommandOptions,
    private readonly sink: ResultSink,
  ) {}

  run(values: readonly string[], rows: readonly FileRow[]): void {
    const { spec, file } = this.layout;
    this.groups += 1;
    // Missing in, missing out: a blank input cell gives a blank result, with the reason.
    for (const r of rows) {
      const blank = r.blank();
      if (blank !== undefined) {
        this.missing += 1;
        this.blankOut(values, `missing ${r.field(blank)} on line ${r.line}`);
        return;
      }
    }
    let computed: ResultRow | ResultRow[];
    try {
      computed = spec.compute({ rows, has: this.layout.has, frequencies: this.layout.frequencies }, this.options);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.failed += 1;
      const where = error instanceof InputError ? '' : spec.perGroup ? `lines ${rows[0]!.line}-${rows[rows.length - 1]!.line}: ` : `line ${rows[0]!.line}: `;
      this.blankOut(values, `${where}${error instanceof InputError ? error.message.replace(`${file}, `, '') : error.message}`);
      return;
    }
    if (Array.isArray(computed)) for (const row of computed) this.sink.add(values, row, '');
    else this.sink.add(values, computed, '');
  }

  private blankOut(values: readonly string[], reason: string): void {
    for (const row of this.layout.spec.blankRows?.(this.options) ?? [{}]) this.sink.add(values, { ...row, value: null }, reason);
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
    private readonly fast?: FastRowWriter,
  ) {}

  add(cells: readonly string[], line: number): void {
    const { layout } = this;
    if (!layout.spec.perGroup) {
      if (this.fast !== undefined && this.fast.row(cells)) {
        this.runner.groups += 1;
        return;
      }
      this.runner.run(groupValues(layout, cells), [new FileRow(layout, cells, line)]);
      return;
    }
    const row = new FileRow(layout, cells, line);
    const current = this.current;
    if (current !== null && sameGroup(layout.groupIndexes, cells, current.values)) {
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

/** A cell as `FileRow.num` reads it (trimmed, thousands commas dropped), or undefined when blank or not a number. */
const cellNumber = (cell: string | undefined): number | undefined => {
  if (cell === undefined || cell.length === 0) return undefined;
  const text = cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32 ? cell.trim() : cell;
  if (text === '') return undefined;
  const n = Number(text.includes(',') ? text.replace(/,/g, '') : text);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Valid rows of a per-row method written straight to the CSV output by the method's `FastRow`, once the
 * output's columns are those the fast path writes (the group's columns, the method's, `reason`); any
 * other row goes the general way, which gives the same text or the reason.
 */
class FastRowWriter {
  private readonly a: number;
  private readonly b: number;
  private readonly columns: readonly string[];

  constructor(
    private readonly layout: Layout,
    private readonly fast: FastRow,
    private readonly writer: OutputWriter,
  ) {
    this.a = layout.indexOf.get(fast.inputs[0])!;
    this.b = layout.indexOf.get(fast.inputs[1])!;
    this.columns = [...layout.groupColumns, ...fast.columns, 'reason'];
  }

  /** Whether the row was written. */
  row(cells: readonly string[]): boolean {
    if (!this.writer.hasColumns(this.columns)) return false;
    const a = cellNumber(cells[this.a]);
    if (a === undefined) return false;
    const b = cellNumber(cells[this.b]);
    if (b === undefined) return false;
    const text = this.fast.text(a, b);
    if (text === undefined) return false;
    let line = '';
    for (const index of this.layout.groupIndexes) line += `${csvCell((cells[index] ?? '').trim())},`;
    this.writer.line(`${line}${text},\n`);
    return true;
  }
}

const sameGroup = (indexes: readonly number[], cells: readonly string[], values: readonly string[]): boolean => {
  for (let j = 0; j < indexes.length; j += 1) {
    const cell = cells[indexes[j]!] ?? '';
    if (cell !== values[j] && cell.trim() !== values[j]) return false;
  }
  return true;
};

/** A result row as the output has it: the group's columns, the method's, and `reason`. */
const mergedRow = (groupColumns: readonly string[], values: readonly string[], row: ResultRow, reason: string): ResultRow => {
  const merged: ResultRow = {};
  groupColumns.forEach((g, j) => {
    merged[g] = values[j]!;
  });
  return Object.assign(merged, row, { reason });
};

/** Computes the statistic for each group of a table held in memory; a bad group gives a row with the reason. */
export const computeStats = (table: CsvTable, options: StatsCommandOptions): StatsRun => {
  const layout = layoutOf(table.header, table.file, options);
  if (table.rows.length === 0) throw new InputError({ file: table.file, line: 2 }, 'no data rows');
  const rows: ResultRow[] = [];
  const runner = new GroupRunner(layout, options, { add: (values, row, reason) => rows.push(mergedRow(layout.groupColumns, values, row, reason)) });
  const grouper = new Grouper(layout, runner, false);
  for (const row of table.rows) grouper.add(row.cells, row.line);
  grouper.end();
  return { rows, groupColumns: layout.groupColumns, groups: runner.groups, failed: runner.failed, missing: runner.missing };
};

/** The result rows of `computeStats` (kept for callers that only want the rows). */
export const runStats = (table: CsvTable, options: StatsCommandOptions): ResultRow[] => computeStats(table, options).rows;

/**
 * Output text is written in pieces of about this many characters: small enough that the text waiting
 * to be written (a tree of many small strings until it is written) stays in V8's young generation.
 */
const OUTPUT_PIECE = 1 << 15;

/** Output text, written in pieces of about OUTPUT_PIECE characters. */
interface TextSink {
  write(text: string): void;
}

/**
 * Turns result rows into output text as they come and passes it on in pieces, so the output is never
 * held whole: the columns are the grouping columns, then the method's columns in the order of the
 * first computed row, then `reason` (rows before the first computed one wait for it).
 */
class OutputWriter implements ResultSink {
  private columns: string[] | null = null;
  /** Per output column: the index of the group value it shows, or -1. */
  private groupIndex: number[] = [];
  private readonly waiting: { values: readonly string[]; row: ResultRow; reason: string }[] = [];
  private buffer = '';
  private written = 0;
  private matched: { columns: readonly string[]; same: boolean } | undefined;

  constructor(
    private readonly groupColumns: readonly string[],
    private readonly format: 'csv' | 'json',
    private readonly out: TextSink,
  ) {}

  add(values: readonly string[], row: ResultRow, reason: string): void {
    if (this.columns === null) {
      if (reason !== '') {
        this.waiting.push({ values, row, reason });
        return;
      }
      this.fix(row);
    }
    this.write(values, row, reason);
  }

  /** Whether the CSV output's columns are fixed, and are these. */
  hasColumns(columns: readonly string[]): boolean {
    if (this.columns === null || this.format !== 'csv') return false;
    if (this.matched === undefined || this.matched.columns !== columns) {
      const mine = this.columns;
      this.matched = { columns, same: mine.length === columns.length && mine.every((c, i) => c === columns[i]) };
    }
    return this.matched.same;
  }

  /** A CSV line made elsewhere (`FastRowWriter`), once `hasColumns` has said the columns are its. */
  line(text: string): void {
    this.buffer += text;
    this.written += 1;
    if (this.buffer.length >= OUTPUT_PIECE) {
      this.out.write(this.buffer);
      this.buffer = '';
    }
  }

  finish(): void {
    if (this.columns === null) {
      const first = this.waiting[0];
      this.fix(first === undefined ? {} : mergedRow(this.groupColumns, first.values, first.row, first.reason));
    }
    if (this.format === 'json') this.buffer += this.written === 0 ? '[]\n' : '\n]\n';
    this.out.write(this.buffer);
    this.buffer = '';
  }

  private fix(first: ResultRow): void {
    const columns = new Set(this.groupColumns);
    for (const c of Object.keys(first)) if (c !== 'reason') columns.add(c);
    columns.add('reason');
    this.columns = [...columns];
    this.groupIndex = this.columns.map((c) => this.groupColumns.indexOf(c));
    if (this.format === 'csv') this.buffer += `${this.columns.join(',')}\n`;
    for (const { values, row, reason } of this.waiting.splice(0)) this.write(values, row, reason);
  }

  /** The cell of column i: `reason`, else the method's value, else the group's (as `{ ...group, ...row, reason }`). */
  private cell(i: number, values: readonly string[], row: ResultRow, reason: string): Cell {
    const column = this.columns![i]!;
    if (column === 'reason') return reason;
    const value = row[column];
    if (value !== undefined) return value;
    const g = this.groupIndex[i]!;
    return g >= 0 ? values[g]! : null;
  }

  private write(values: readonly string[], row: ResultRow, reason: string): void {
    const n = this.columns!.length;
    if (this.format === 'json') {
      const record: ResultRow = {};
      for (let i = 0; i < n; i += 1) record[this.columns![i]!] = this.cell(i, values, row, reason) ?? null;
      this.buffer += `${this.written === 0 ? '[\n' : ',\n'}${JSON.stringify(record, null, 2).replace(/^/gm, '  ')}`;
    } else {
      let line = '';
      for (let i = 0; i < n; i += 1) line += (i === 0 ? '' : ',') + csvCell(this.cell(i, values, row, reason));
      this.buffer += `${line}\n`;
    }
    this.written += 1;
    if (this.buffer.length >= OUTPUT_PIECE) {
      this.out.write(this.buffer);
      this.buffer = '';
    }
  }
}

/** Streams the file through the method into `out`: `together` as for `Grouper`. */
const streamFile = async (path: string, file: string, options: StatsCommandOptions, together: boolean, out: TextSink): Promise<Omit<StatsRun, 'rows'>> => {
  const state: { layout?: Layout; grouper?: Grouper; runner?: GroupRunner; writer?: OutputWriter } = {};
  const reader = new CsvRowReader(file, (cells, line) => {
    if (state.grouper !== undefined) {
      state.grouper.add(cells, line);
      return;
    }
    const layout = layoutOf(cells, file, options);
    const writer = new OutputWriter(layout.groupColumns, options.format, out);
    const runner = new GroupRunner(layout, options, writer);
    const fast = options.format === 'csv' && options.fastRows !== false ? layout.spec.fastRow?.(options) : undefined;
    Object.assign(state, { layout, writer, runner, grouper: new Grouper(layout, runner, together, fast && new FastRowWriter(layout, fast, writer)) });
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
  writer.finish();
  return { groupColumns: layout.groupColumns, groups: runner.groups, failed: runner.failed, missing: runner.missing };
};

/**
 * The output, written as it is computed into a work file (next to `--out`, or in the temporary
 * folder for standard output), which then becomes `--out` (renamed, so an existing file is replaced
 * whole or not at all) or is copied to standard output. A first pass that finds a group's rows
 * apart starts the work file again.
 */
class WorkFile implements TextSink {
  private fd: number | null;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  write(text: string): void {
    if (text !== '') writeSync(this.fd!, text);
  }

  restart(): void {
    ftruncateSync(this.fd!, 0);
    closeSync(this.fd!);
    this.fd = openSync(this.path, 'w', 0o600);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * `phm stats`: reads the file as a stream, computes each group as soon as its rows are read (when a
 * group's rows are not together in the file, it is read again and grouped in memory), and writes the
 * rows as they come; then fails (exit 3) if any group could not be computed.
 */
export const statsCommand = async (options: StatsCommandOptions, io: CliIo): Promise<void> => {
  const path = resolve(io.cwd, options.input);
  const target = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const work = new WorkFile(target === undefined ? join(mkdtempSync(join(tmpdir(), 'phm-stats-')), 'out') : `${target}.tmp-${process.pid}`);
  let run: Omit<StatsRun, 'rows'>;
  try {
    try {
      run = await streamFile(path, options.input, options, true, work);
    } catch (error) {
      if (!(error instanceof GroupsNotTogether)) throw error;
      work.restart();
      run = await streamFile(path, options.input, options, false, work);
    }
    work.close();
    if (target !== undefined) renameSync(work.path, target);
    else await copyTo(work.path, io);
  } catch (error) {
    work.close();
    throw error;
  } finally {
    rmSync(target === undefined ? dirname(work.path) : work.path, { recursive: true, force: true });
  }
  const { failed, groups } = run;
  if (failed > 0) {
    throw new UserError(
      `${options.input}: ${failed} of ${groups} ${groups === 1 ? 'group' : 'groups'} could not be computed; their rows have a blank value and the reason (the other groups were written)`,
      'invalid-input',
    );
  }
};

const copyTo = async (file: string, io: CliIo): Promise<void> => {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 18 })) io.stdout.write(chunk as string);
};
