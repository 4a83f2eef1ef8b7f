/**
 * Benchmarks (docs/statistics.md, "Comparison with England"): importing a set of real published
 * comparator values from a Fingertips CSV (`phm benchmarks import FILE --label …`, and the demo's
 * England values from ../shared/data/benchmarks/), and the England value the dashboard shows beside
 * each indicator: the same period only, with its limits, source, the definition difference, and the
 * local value compared with it by the Fingertips convention.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  ENGLAND_AREA_CODE,
  FINGERTIPS_ATTRIBUTION,
  UserError,
  benchmarkSeries,
  findBenchmark,
  parseBenchmarkTable,
  parseFingertipsPeriod,
  type IndicatorDefinition,
  type Period,
} from '@openphm/core';
import { resolveSharedDataDir } from '@openphm/reference-data';
import type { EnglandBenchmark } from '@openphm/api-contract';
import { cached, freshStamp, type ServerContext } from '../context.js';
import { operationalStoreOf, type ServeIo } from '../command-io.js';
import { benchmarkValuesFor, benchmarksStamp, listBenchmarkSets, replaceBenchmarkSet, type BenchmarkSet, type StoredBenchmark } from '../operational/benchmarks.js';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import { compareWithBenchmark, type ComparableValue, type Comparison } from './dashboard.js';
import { describeProblems, importTableOf } from './import-support.js';

/** The label of the demo's England set (and the one the documentation uses). */
export const ENGLAND_LABEL = 'England (OHID Fingertips)';

/** The shared extract of England values, relative to the shared data folder. */
export const SHARED_ENGLAND_FILE = join('benchmarks', 'england_fingertips.csv');

/** Checks a set's label: 1-100 characters, no control characters. */
export const checkLabel = (label: string): string => {
  const text = label.trim();
  if (text.length < 1 || text.length > 100 || /[\u0000-\u001f]/.test(text)) throw new UserError(`--label must be 1-100 characters (e.g. '${ENGLAND_LABEL}'), got '${label}'`, 'usage');
  return text;
};

export interface BenchmarkImportResult {
  readonly set: BenchmarkSet;
  /** Values in the set this one replaced (null: none had the label). */
  readonly replaced: number | null;
  /** Rows of a category breakdown left out. */
  readonly categoryRows: number;
}

/** Checks every row of the file and replaces the set called `label` with them: all or nothing. */
export const importBenchmarks = async (ops: OperationalDb, file: string, text: string, options: { readonly label: string; readonly by: string | null }): Promise<BenchmarkImportResult> => {
  const label = checkLabel(options.label);
  const parsed = parseBenchmarkTable(importTableOf(text, file, 'a Fingertips download, docs/statistics.md'));
  if (parsed.errors.length > 0) throw new UserError(describeProblems(parsed.errors, file), 'invalid-input');
  if (parsed.values.length === 0) throw new UserError(`${file} has no benchmark values (${parsed.categoryRows} category rows left out); nothing was imported`, 'invalid-input');
  const { set, replaced } = await replaceBenchmarkSet(ops, { label, file, by: options.by, values: parsed.values });
  return { set, replaced, categoryRows: parsed.categoryRows };
};

export interface BenchmarkImportOptions {
  readonly file: string;
  /** Finds the operational store as `phm serve` does (PGlite next to it, or PHM_DATABASE_URL). */
  readonly db: string;
  readonly label: string;
  readonly by?: string;
  readonly operationalDir?: string;
}

/**
 * `phm benchmarks import FILE --label … --db X`: refused (conflict, exit 5) when a running server
 * owns the PGlite store; with PHM_DATABASE_URL the set is replaced in one transaction while the server runs.
 */
export const benchmarkImportCommand = async (options: BenchmarkImportOptions, io: ServeIo): Promise<BenchmarkImportResult> => {
  const label = checkLabel(options.label);
  if (options.by !== undefined && !/^\S+@\S+$/.test(options.by)) throw new UserError(`--by must be your e-mail address (recorded in the audit log), got '${options.by}'`);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, options.file), 'utf8');
  } catch (error) {
    throw new UserError(`${options.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'not-found', { cause: error });
  }
  const ops = await openOperationalDb(operationalStoreOf(io, options));
  try {
    const result = await importBenchmarks(ops, options.file, text, { label, by: options.by?.toLowerCase() ?? null });
    io.stdout.write(
      `${options.file}: ${result.set.rows} benchmark values imported as '${label}'${result.replaced === null ? '' : `, replacing the ${result.replaced} values of the previous set`}` +
        `${result.categoryRows > 0 ? ` (${result.categoryRows} category rows left out)` : ''}\n`,
    );
    return result;
  } finally {
    await ops.close();
  }
};

/**
 * The demo's England values: the shared extract imported as ENGLAND_LABEL when the file is present
 * and the store has no set of that label yet (a store in use is left alone). Returns the set, or null.
 */
export const seedDemoBenchmarks = async (ops: OperationalDb, sharedDataDir: string | undefined): Promise<BenchmarkSet | null> => {
  let dir = sharedDataDir;
  if (dir === undefined) {
    try {
      dir = resolveSharedDataDir();
    } catch {
      return null;
    }
  }
  const file = join(dir, SHARED_ENGLAND_FILE);
  if (!existsSync(file)) return null;
  if ((await listBenchmarkSets(ops)).some((s) => s.label === ENGLAND_LABEL)) return null;
  return (await importBenchmarks(ops, file, await readFile(file, 'utf8'), { label: ENGLAND_LABEL, by: null })).set;
};

/** The stamp of the stored sets (re-read after a write, or every two seconds for another writer). */
export const benchmarkStamp = (ctx: ServerContext): Promise<string> => freshStamp(ctx, 'benchmarks', () => benchmarksStamp(ctx.ops));

/** England's values in every set, the most recently imported first, kept for the data version and the sets' stamp. */
export const englandValues = async (ctx: ServerContext): Promise<StoredBenchmark[]> => {
  const stamp = await benchmarkStamp(ctx);
  return cached(ctx, 'benchmarks/england', { stamp }, () => benchmarkValuesFor(ctx.ops, ENGLAND_AREA_CODE));
};

/** Period labels oldest first (by their years; labels not understood last, in text order). */
export const chronological = (labels: readonly string[]): string[] => {
  const key = (label: string) => {
    const run = parseFingertipsPeriod(label);
    return run === null ? [Infinity, Infinity] : [run.first, run.last];
  };
  return [...labels].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0]! - kb[0]! || ka[1]! - kb[1]! || a.localeCompare(b);
  });
};

const FINGERTIPS_NOTE = 'England: real published figure (OHID Fingertips, OGL v3)';

export interface EnglandComparison {
  readonly england: EnglandBenchmark | null;
  readonly comparison: Comparison;
  /** Why there is no England value ('' when there is one). */
  readonly note: string;
}

/**
 * The England value of an indicator for the period of `point` (the same period, or none), and the
 * local value compared with it (the local 95% interval against England's value, by polarity).
 */
export const englandFor = (definition: IndicatorDefinition, point: ComparableValue & { readonly period: Period }, values: readonly StoredBenchmark[]): EnglandComparison => {
  const mapping = definition.fingertips;
  if (mapping === undefined) return { england: null, comparison: 'not-compared', note: 'no Fingertips indicator with a matching definition' };
  const found = findBenchmark(values, mapping, point.period);
  if (found === null) {
    const periods = chronological([...new Set(benchmarkSeries(values, mapping).map((v) => v.period))]);
    return {
      england: null,
      comparison: 'not-compared',
      note:
        periods.length === 0
          ? `no England value for Fingertips indicator ${mapping.id} among the imported benchmarks`
          : `no England value for ${point.period.label} (Fingertips indicator ${mapping.id} has ${periods.length === 1 ? periods[0] : `${periods[0]} … ${periods[periods.length - 1]}`})`,
    };
  }
  const v = found.value as StoredBenchmark & { readonly value: number };
  return {
    england: {
      value: v.value,
      lower95: v.lower95,
      upper95: v.upper95,
      count: v.count,
      denominator: v.denominator,
      period: v.period,
      periodNote: found.period.note,
      fingertipsId: mapping.id,
      indicatorName: v.indicatorName,
      sex: v.sex,
      age: v.age,
      unit: v.unit,
      difference: mapping.difference ?? null,
      set: v.setLabel,
      source: v.source,
      published: true,
      note: FINGERTIPS_NOTE,
      attribution: FINGERTIPS_ATTRIBUTION,
    },
    comparison: compareWithBenchmark(point, v.value, definition.polarity),
    note: '',
  };
};
