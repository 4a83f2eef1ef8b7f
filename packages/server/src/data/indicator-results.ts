/**
 * Indicators: the catalogue (from core) and results by breakdown, evaluated by core's
 * evaluateIndicator on counts from an IndicatorEngine.
 *
 * Pass `indicatorEngine` to createServer (the DuckDB engine, `createDuckDbEngine(db)` from
 * @openphm/store-duckdb) to switch results on; without one the results, trend and dashboard routes
 * answer 501 and the catalogue says resultsAvailable: false. Engine counts are kept per data
 * version (data/dashboard.ts), so results, trends and the dashboard share them.
 */
import { z } from 'zod';
import {
  BREAKDOWNS,
  INDICATOR_CATALOGUE,
  NotImplementedError,
  UserError,
  INDICATOR_POLICY,
  disclosureStatement,
  financialYearPeriod,
  findIndicator,
  isSummaryRow,
  type Breakdown,
  type IndicatorDefinition,
  type IndicatorEngine,
  type Period,
  lastWholeFinancialYear,
} from '@openphm/core';
import { type ServerContext } from '../context.js';
import { IndicatorResultsResponse, type IndicatorCatalogue } from '@openphm/api-contract';
import { csvWithheld, toCsv } from '../csv.js';
import type { CsvFile, PublishedTable } from '../tables.js';
import { servedWindow } from './window.js';
import { publishedIndicator } from './dashboard.js';
type ResultsResponse = z.infer<typeof IndicatorResultsResponse>;

/** The indicator engine (501 until one is wired). */
export const engineOf = (ctx: ServerContext): IndicatorEngine => {
  if (ctx.indicatorEngine === undefined) throw new NotImplementedError('indicator results are not available yet');
  return ctx.indicatorEngine;
};

/** The catalogue's indicator `id` (not found otherwise). */
export const catalogueIndicator = (id: string): IndicatorDefinition => {
  const definition = findIndicator(id);
  if (!definition) throw new UserError(`no indicator '${id}' in the catalogue`, 'not-found');
  return definition;
};

/** Checks that the indicator has the breakdown asked for. */
export const requireBreakdown = (definition: IndicatorDefinition, breakdown: Breakdown): void => {
  if (definition.breakdowns && !definition.breakdowns.includes(breakdown)) {
    throw new UserError(`indicator ${definition.id} has no '${breakdown}' breakdown (it has ${definition.breakdowns.join(', ')})`, 'usage');
  }
};

export const indicatorSummary = (d: IndicatorDefinition) => ({
  id: d.id,
  version: d.version,
  title: d.title,
  definition: d.definition,
  unit: d.unit,
  polarity: d.polarity,
  themes: [...d.themes],
  periodYears: d.periodYears,
  breakdowns: [...(d.breakdowns ?? BREAKDOWNS)],
  reference: d.reference ?? null,
  dataSource: d.dataSource,
  fingertips: d.fingertips ? { id: d.fingertips.id, sex: d.fingertips.sex, age: d.fingertips.age, difference: d.fingertips.difference ?? null } : null,
});

/** The latest whole financial year(s) inside the data window. */
export const latestPeriod = async (ctx: ServerContext, years: number): Promise<Period> => financialYearPeriod(lastWholeFinancialYear((await servedWindow(ctx)).end), years);

/** One indicator for the latest period by a breakdown, as core's publication module publishes it. */
export const indicatorResults = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, breakdown: Breakdown): Promise<ResultsResponse> => {
  const period = await latestPeriod(ctx, definition.periodYears);
  const published = await publishedIndicator(ctx, engine, definition, period, breakdown);
  return {
    indicator: indicatorSummary(definition),
    period,
    breakdown,
    rows: [...published.rows],
    disclosure: disclosureStatement(published.rows.filter((r) => r.suppressed && !isSummaryRow(r)).length, INDICATOR_POLICY),
  };
};

/** The catalogue (GET /api/indicators), and whether results can be computed. */
export const indicatorCatalogue = (ctx: ServerContext): IndicatorCatalogue => ({
  indicators: INDICATOR_CATALOGUE.map(indicatorSummary),
  resultsAvailable: ctx.indicatorEngine !== undefined,
});

/** The catalogue as CSV. */
export const indicatorCatalogueCsv = (catalogue: IndicatorCatalogue): CsvFile => ({
  fileName: 'indicators.csv',
  text: toCsv(
    ['id', 'title', 'unit', 'polarity', 'themes', 'fingertips_id', 'fingertips_difference'],
    catalogue.indicators.map((i) => [i.id, i.title, i.unit, i.polarity, i.themes.join('; '), i.fingertips?.id ?? '', i.fingertips?.difference ?? '']),
  ),
});

const RESULT_COLUMNS = ['indicator_id', 'indicator_version', 'title', 'period', 'breakdown', 'group', 'numerator', 'denominator', 'value', 'lower_95', 'upper_95', 'lower_99_8', 'upper_99_8', 'unit', 'suppressed', 'note'] as const;

/** GET /api/indicators/:id/results: one indicator for the latest period by a breakdown (404, then 501, then 400 for a breakdown it lacks). */
export const resultsTable = (ctx: ServerContext, id: string, breakdown: Breakdown): PublishedTable<typeof IndicatorResultsResponse> => {
  const definition = catalogueIndicator(id);
  const engine = engineOf(ctx);
  requireBreakdown(definition, breakdown);
  return {
    endpoint: 'indicators/results',
    params: { id: definition.id, version: definition.version, breakdown },
    schema: IndicatorResultsResponse,
    compute: () => indicatorResults(ctx, engine, definition, breakdown),
    csv: (published) => ({
      fileName: `${definition.id}-${breakdown}.csv`,
      text: toCsv(RESULT_COLUMNS, published.rows.map((r) => RESULT_COLUMNS.map((c) => (c === 'numerator' || c === 'denominator' ? csvWithheld(r.suppressed, r[c]) : r[c])))),
    }),
  };
};
