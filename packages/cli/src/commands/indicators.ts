/**
 * `phm indicators list|run`: the outcome indicator catalogue computed on the person-level store,
 * by any breakdown, with public-health statistics and disclosure control applied to every
 * published figure.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BREAKDOWNS,
  INDICATOR_CATALOGUE,
  INDICATOR_POLICY,
  UserError,
  dayFromIso,
  financialYearPeriod,
  firstWholeFinancialYear,
  isoFromDay,
  lastWholeFinancialYear,
  publishIndicator,
  type Breakdown,
  type IndicatorDefinition,
  type IndicatorEngine,
  type Period,
  type PublishedRow,
} from '@openphm/core';
import { NO_DISCLOSURE_CONTROL, activitySpan, createDuckDbEngine, dataWindow, openDatabase, prepareSharedCounting, type PhmDatabase } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

export interface IndicatorsRunOptions {
  readonly db: string;
  readonly ids?: readonly string[];
  readonly breakdowns: readonly Breakdown[] | 'all';
  /** Start year of the last financial year of the period (default: the last full year of the window). */
  readonly year?: number;
  /** One result per financial year of the window. */
  readonly trend?: boolean;
  readonly format: 'csv' | 'json';
  readonly out?: string;
  readonly quiet?: boolean;
  /** Publish unprotected figures (analysts only; never for publication). */
  readonly noDisclosureControl?: boolean;
}

export const selectIndicators = (ids: readonly string[] | undefined): IndicatorDefinition[] => {
  if (!ids || ids.length === 0) return [...INDICATOR_CATALOGUE];
  return ids.map((id) => {
    const found = INDICATOR_CATALOGUE.find((d) => d.id === id);
    if (!found) throw new UserError(`unknown indicator '${id}' (run 'phm indicators list' to see the ids)`, 'not-found');
    return found;
  });
};

/** The financial years a database's window covers: [first start year, last start year]. */
export const windowYears = async (db: PhmDatabase): Promise<{ first: number; last: number }> => {
  const window = await dataWindow(db);
  if (window.start !== undefined && window.end !== undefined) return { first: firstWholeFinancialYear(window.start), last: lastWholeFinancialYear(window.end) };
  // Imported data without a declared window: derive it from the activity dates.
  const span = await activitySpan(db);
  if (span === null) throw new UserError('the database has no window in its meta table and no dated activity', 'invalid-input');
  return { first: firstWholeFinancialYear(span.first), last: lastWholeFinancialYear(isoFromDay(dayFromIso(span.last) + 1)) };
};

export const periodsFor = (definition: IndicatorDefinition, years: { first: number; last: number }, options: { year?: number; trend?: boolean }): Period[] => {
  const n = definition.periodYears;
  const last = options.year ?? years.last;
  if (last > years.last || last - n + 1 < years.first) {
    throw new UserError(`${definition.id}: the ${n}-year period ending ${last}/${(last + 1) % 100} is outside the data (${years.first}/${(years.first + 1) % 100} to ${years.last}/${(years.last + 1) % 100})`, 'usage');
  }
  if (!options.trend) return [financialYearPeriod(last, n)];
  const out: Period[] = [];
  for (let y = years.first + n - 1; y <= last; y++) out.push(financialYearPeriod(y, n));
  return out;
};

export interface RunResult {
  readonly rows: PublishedRow[];
}

/**
 * Computes indicators with any engine: aggregate (engine) → core's publishIndicator (disclosure
 * control, then statistics from the protected counts). `protect: false` publishes the true counts
 * and values (analysts' own use, never for publication).
 */
export const runIndicators = async (
  engine: IndicatorEngine,
  definitions: readonly IndicatorDefinition[],
  breakdowns: readonly Breakdown[] | 'all',
  periodsOf: (d: IndicatorDefinition) => Period[],
  options: { protect: boolean; onProgress?: (done: number, total: number) => void },
): Promise<RunResult> => {
  const jobs = definitions.flatMap((definition) => {
    const allowed = definition.breakdowns ?? BREAKDOWNS;
    const chosen = breakdowns === 'all' ? allowed : breakdowns.filter((b) => allowed.includes(b));
    return periodsOf(definition).flatMap((period) => chosen.map((breakdown) => ({ definition, period, breakdown })));
  });
  const policy = options.protect ? INDICATOR_POLICY : NO_DISCLOSURE_CONTROL;
  const rows: PublishedRow[] = [];
  let done = 0;
  options.onProgress?.(0, jobs.length);
  for (const job of jobs) {
    rows.push(...publishIndicator(job, await engine.aggregate(job), policy).rows);
    options.onProgress?.(++done, jobs.length);
  }
  return { rows };
};

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const formatRows = (rows: readonly PublishedRow[], format: 'csv' | 'json'): string => {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : ['indicator_id'];
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell((r as unknown as Record<string, unknown>)[c])).join(','))].join('\n')}\n`;
};

export const indicatorsListCommand = (io: CliIo, format: 'table' | 'json'): void => {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(INDICATOR_CATALOGUE, null, 2)}\n`);
    return;
  }
  const width = Math.max(...INDICATOR_CATALOGUE.map((d) => d.id.length));
  for (const d of INDICATOR_CATALOGUE) {
    io.stdout.write(`${d.id.padEnd(width)}  ${d.title} (${d.unit}; ${d.periodYears === 1 ? '1 year' : `${d.periodYears} years pooled`})\n`);
  }
};

export const indicatorsRunCommand = async (options: IndicatorsRunOptions, io: CliIo): Promise<RunResult> => {
  const definitions = selectIndicators(options.ids);
  const db = await openDatabase(resolve(io.cwd, options.db), { readOnly: true });
  const progress = createProgress(io.stderr, options.quiet);
  try {
    const years = await windowYears(db);
    // Several breakdowns: count them all in one GROUPING SETS query per indicator and period, the
    // person proportions among the indicators asked for in one query; the residents built once for
    // the run and each denominator counted once (shared by the indicators with the same one).
    const shared = await prepareSharedCounting(db);
    const engine = createDuckDbEngine(db, { allBreakdowns: options.breakdowns === 'all' || options.breakdowns.length > 2, together: definitions, shared });
    progress.step('Computing indicators', 1);
    const result = await runIndicators(engine, definitions, options.breakdowns, (d) => periodsFor(d, years, options), {
      protect: !options.noDisclosureControl,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.done();
    const text = formatRows(result.rows, options.format);
    if (options.out) writeFileSync(resolve(io.cwd, options.out), text);
    else io.stdout.write(text);
    return result;
  } finally {
    progress.done();
    db.close();
  }
};
