/**
 * `phm stats METHOD --input FILE.csv`: public-health statistics for analysts who bring their own
 * aggregate data. Columns are documented per method (docs/statistics.md); every other column is
 * treated as a grouping column, and one result is produced per group.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  InputError,
  UserError,
  crudeRate,
  dsr,
  lifeExpectancy,
  proportion,
  slopeIndexOfInequality,
  type Estimate,
} from '@openphm/core';
import { readCsvTable, type CsvRow, type CsvTable } from '@openphm/reference-data';
import type { CliIo } from '../io.js';

export const STATS_METHODS = ['proportion', 'rate', 'dsr', 'life-expectancy', 'sii'] as const;
export type StatsMethod = (typeof STATS_METHODS)[number];

export interface StatsCommandOptions {
  readonly method: StatsMethod;
  readonly input: string;
  readonly confidence: readonly number[];
  readonly multiplier?: number;
  /** life-expectancy: the ages to report (band starts 0, 1, 5, …, 90), or 'all' for every band; default [0]. */
  readonly startAges?: readonly number[] | 'all';
  readonly format: 'csv' | 'json';
  readonly out?: string;
}

type ResultRow = Record<string, number | string | null>;

interface MethodSpec {
  /** Required input columns. */
  readonly columns: readonly string[];
  readonly optional?: readonly string[];
  /** Whether all rows of a group go into one computation (age bands, deprivation groups) or each row is its own. */
  readonly perGroup: boolean;
  /** One result row, or several (life expectancy at several ages). */
  readonly compute: (rows: readonly Row[], options: StatsCommandOptions) => ResultRow | ResultRow[];
}

interface Row {
  readonly line: number;
  readonly get: (column: string) => string;
  readonly num: (column: string) => number;
}

const flatten = (estimate: Estimate, confidence: readonly number[]): Record<string, number | null> => {
  const out: Record<string, number | null> = { value: estimate.value };
  confidence.forEach((c, i) => {
    const label = String(Math.round(c * 1000) / 10).replace('.', '_');
    out[`lower_${label}`] = estimate.intervals[i]?.lower ?? null;
    out[`upper_${label}`] = estimate.intervals[i]?.upper ?? null;
  });
  return out;
};

const METHODS: Record<StatsMethod, MethodSpec> = {
  proportion: {
    columns: ['numerator', 'denominator'],
    perGroup: false,
    compute: ([r], o) => ({
      numerator: r!.num('numerator'),
      denominator: r!.num('denominator'),
      ...flatten(proportion(r!.num('numerator'), r!.num('denominator'), { confidence: [...o.confidence], multiplier: o.multiplier ?? 100 }), o.confidence),
    }),
  },
  rate: {
    columns: ['count', 'denominator'],
    perGroup: false,
    compute: ([r], o) => {
      const result = crudeRate(r!.num('count'), r!.num('denominator'), { confidence: [...o.confidence], multiplier: o.multiplier ?? 100_000 });
      return { count: r!.num('count'), denominator: r!.num('denominator'), ...flatten(result, o.confidence), method: result.method };
    },
  },
  dsr: {
    columns: ['age_band', 'count', 'population'],
    optional: ['standard_population'],
    perGroup: true,
    compute: (rows, o) => {
      const hasStandard = rows.some((r) => r.get('standard_population') !== '');
      const result = dsr(
        rows.map((r) => ({
          ageBand: r.get('age_band'),
          count: r.num('count'),
          population: r.num('population'),
          ...(hasStandard ? { standardPopulation: r.num('standard_population') } : {}),
        })),
        { confidence: [...o.confidence], multiplier: o.multiplier ?? 100_000 },
      );
      return { count: result.totalCount, population: result.totalPopulation, ...flatten(result, o.confidence), suppressed: result.reason ?? '' };
    },
  },
  'life-expectancy': {
    columns: ['age_band', 'deaths', 'population'],
    perGroup: true,
    compute: (rows, o) => {
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
    columns: ['rank', 'value', 'population', 'lower_ci', 'upper_ci'],
    perGroup: true,
    compute: (rows, o) => {
      const result = slopeIndexOfInequality(
        rows.map((r) => ({ rank: r.num('rank'), value: r.num('value'), population: r.num('population'), lowerCI: r.num('lower_ci'), upperCI: r.num('upper_ci') })),
        { confidence: [...o.confidence], multiplier: o.multiplier ?? 1 },
      );
      const rii = { value: result.rii, intervals: result.riiIntervals };
      const prefixed = (p: string, rec: Record<string, number | null>) => Object.fromEntries(Object.entries(rec).map(([k, v]) => [`${p}_${k}`, v]));
      return { ...prefixed('sii', flatten({ value: result.sii, intervals: result.siiIntervals }, o.confidence)), ...prefixed('rii', flatten(rii, o.confidence)) };
    },
  },
};

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e8) / 1e8)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Computes the statistic for each group of the input file; returns the result rows. */
export const runStats = (table: CsvTable, options: StatsCommandOptions): ResultRow[] => {
  const spec = METHODS[options.method];
  const known = new Set([...spec.columns, ...(spec.optional ?? [])]);
  const header = table.header.map((h) => h.toLowerCase());
  for (const c of spec.columns) {
    if (!header.includes(c)) throw new InputError({ file: table.file, line: 1, field: c }, `missing column (${options.method} needs ${spec.columns.join(', ')})`);
  }
  const groupColumns = table.header.filter((h) => !known.has(h.toLowerCase()));
  const toRow = (row: CsvRow): Row => {
    const get = (column: string) => (row.cells[header.indexOf(column)] ?? '').trim();
    return {
      line: row.line,
      get,
      num: (column: string) => {
        const text = get(column).replace(/,/g, '');
        const n = Number(text);
        if (text === '' || !Number.isFinite(n)) throw new InputError({ file: table.file, line: row.line, field: column }, `'${get(column)}' is not a number`);
        return n;
      },
    };
  };
  const groups = new Map<string, { key: Record<string, string>; rows: Row[] }>();
  table.rows.forEach((row, i) => {
    const key = Object.fromEntries(groupColumns.map((g) => [g, (row.cells[table.header.indexOf(g)] ?? '').trim()]));
    const id = spec.perGroup ? JSON.stringify(key) : `${i}`;
    (groups.get(id) ?? groups.set(id, { key, rows: [] }).get(id)!).rows.push(toRow(row));
  });
  if (groups.size === 0) throw new InputError({ file: table.file, line: 2 }, 'no data rows');
  return [...groups.values()].flatMap(({ key, rows }) => {
    try {
      const computed = spec.compute(rows, options);
      return (Array.isArray(computed) ? computed : [computed]).map((row) => ({ ...key, ...row }));
    } catch (error) {
      if (error instanceof UserError && !(error instanceof InputError)) {
        const where = spec.perGroup ? `lines ${rows[0]!.line}-${rows[rows.length - 1]!.line}` : `line ${rows[0]!.line}`;
        throw new UserError(`${table.file}, ${where}${groupColumns.length ? ` (${Object.values(key).join(', ')})` : ''}: ${error.message}`, 'invalid-input');
      }
      throw error;
    }
  });
};

export const statsCommand = (options: StatsCommandOptions, io: CliIo): void => {
  const path = resolve(io.cwd, options.input);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${options.input}: cannot read the file`, 'not-found');
  }
  const results = runStats(readCsvTable(text, options.input), options);
  let out: string;
  if (options.format === 'json') out = `${JSON.stringify(results, null, 2)}\n`;
  else {
    const columns = [...new Set(results.flatMap((r) => Object.keys(r)))];
    out = `${[columns.join(','), ...results.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
  }
  if (options.out) writeFileSync(resolve(io.cwd, options.out), out);
  else io.stdout.write(out);
};
