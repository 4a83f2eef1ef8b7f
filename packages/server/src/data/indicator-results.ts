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
import { BREAKDOWNS, disclosureStatement, financialYearPeriod, isSummaryRow, type Breakdown, type IndicatorDefinition, type IndicatorEngine, type Period, lastWholeFinancialYear } from '@openphm/core';
import { type ServerContext } from '../context.js';
import { IndicatorResultsResponse } from '@openphm/api-contract';
import { servedWindow } from './window.js';
import { publishedIndicator } from './dashboard.js';
type ResultsResponse = z.infer<typeof IndicatorResultsResponse>;

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
    disclosure: disclosureStatement(published.rows.filter((r) => r.suppressed && !isSummaryRow(r)).length),
  };
};

