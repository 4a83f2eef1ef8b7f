/**
 * Precomputation at server start, in the background (never blocking /api/health or start-up): the
 * person features (about 20 s on the full partnership), then the indicator counts the dashboard,
 * trends and results need, then the dashboards of the ICS and every place, the scorecards of the
 * stored strategies, the common segment and risk summaries, and the evaluations of social
 * prescribing and proactive care. Requests that arrive meanwhile await the same promises (memo / cache), so
 * nothing is computed twice. Results are keyed on the data version: a replaced database is
 * recomputed on demand.
 */
import { BREAKDOWNS, INDICATOR_CATALOGUE, type Breakdown, type IndicatorEngine } from '@openphm/core';
import { cached, type ServerContext } from '../context.js';
import { dashboard, dashboardParams } from './outcomes-dashboard.js';
import { riskDistribution, segmentSummary } from './summaries.js';
import { latestStrategies } from '../operational/delivery.js';
import { dataPeriods, indicatorCells, placeDecileCells } from './dashboard.js';
import { geoNames, personFeatures } from './features.js';
import { admissionScorer } from './care-record.js';
import { strategyScorecard } from './scorecard.js';
import { caseloadEvaluation, referralEvaluation } from './evaluation.js';
import { areaPopulation } from './population.js';

export type WarmStatus = 'off' | 'running' | 'done' | 'failed' | 'stopped';

export interface Warmer {
  readonly state: { status: WarmStatus; step: string; seconds: number | null };
  /** Resolves when the warm-up has finished, failed or stopped (never rejects). */
  readonly done: Promise<void>;
  stop(): void;
}

export const NO_WARMER: Warmer = { state: { status: 'off', step: '', seconds: null }, done: Promise.resolve(), stop: () => undefined };

const SUMMARY_BREAKDOWNS: readonly Breakdown[] = ['ics', 'place', 'neighbourhood', 'imd-decile'];

/** Touches every breakdown of one indicator-period together (the DuckDB engine counts them all in one query). */
const warmIndicator = async (ctx: ServerContext, engine: IndicatorEngine, index: number): Promise<void> => {
  const definition = INDICATOR_CATALOGUE[index]!;
  const periods = await dataPeriods(ctx, definition.periodYears);
  for (const [i, period] of periods.entries()) {
    const latest = i === periods.length - 1;
    const breakdowns = latest ? BREAKDOWNS.filter((b) => b !== 'lsoa') : (['ics', 'place'] as const);
    for (const b of breakdowns) await indicatorCells(ctx, engine, definition, period, b);
    if (latest) await placeDecileCells(ctx, engine, definition, period);
  }
};

export const startWarmer = (ctx: ServerContext, log: { warn(obj: object, msg: string): void }): Warmer => {
  const state: Warmer['state'] = { status: 'running', step: 'starting', seconds: null };
  let stopping = false;
  const started = performance.now();
  /** Steps that failed: the others still run, and a failed result is computed again on request. */
  const failed: string[] = [];
  const step = async (name: string, fn: () => Promise<unknown>) => {
    if (stopping) throw new Error('stopped');
    state.step = name;
    try {
      await fn();
    } catch (error) {
      if (stopping) throw error;
      failed.push(name);
      log.warn({ step: name, err: { message: error instanceof Error ? error.message : String(error) } }, 'a precomputation step failed; it will be computed on request');
    }
  };
  const run = async () => {
    await step('person features', () => personFeatures(ctx));
    // The emergency admission score the care record and worklists show (fitted on a sample: seconds).
    await step('admission score', () => admissionScorer(ctx));
    const geo = await geoNames(ctx);
    for (const area of ['ics', ...[...geo.places.keys()].map((p) => `place:${p}`)]) {
      await step(`population ${area}`, () => cached(ctx, 'population/summary', { area }, () => areaPopulation(ctx, area)));
    }
    for (const by of SUMMARY_BREAKDOWNS) {
      await step(`segments by ${by}`, () => cached(ctx, 'segments', { segmentation: 'kirklees-four-groups', by, area: undefined }, () => segmentSummary(ctx, 'kirklees-four-groups', by, undefined)));
      await step(`risk by ${by}`, () => cached(ctx, 'risk', { by, area: undefined }, () => riskDistribution(ctx, by, undefined)));
    }
    const engine = ctx.indicatorEngine;
    if (engine !== undefined) {
      for (let i = 0; i < INDICATOR_CATALOGUE.length; i++) await step(`indicator ${INDICATOR_CATALOGUE[i]!.id}`, () => warmIndicator(ctx, engine, i));
      for (const area of ['ics', ...[...geo.places.keys()].map((p) => `place:${p}`)]) {
        await step(`dashboard ${area}`, async () => cached(ctx, 'dashboard', await dashboardParams(ctx, area), () => dashboard(ctx, engine, area)));
      }
      // Scorecards: their indicator values every period (inequalities too), kept for the data version.
      for (const { strategy } of await latestStrategies(ctx.ops, INDICATOR_CATALOGUE)) await step(`scorecard ${strategy.id}`, () => strategyScorecard(ctx, strategy));
    }
    // The evaluations of social prescribing and of proactive care as first shown (about a minute each on the full partnership).
    await step('social prescribing evaluation', () => referralEvaluation(ctx, 'all'));
    await step('caseload evaluation', () => caseloadEvaluation(ctx, 'all'));
  };
  const done = run().then(
    () => {
      state.status = failed.length === 0 ? 'done' : 'failed';
      state.step = failed.join('; ');
      state.seconds = Math.round((performance.now() - started) / 100) / 10;
    },
    (error: Error) => {
      state.status = stopping ? 'stopped' : 'failed';
      if (!stopping) log.warn({ step: state.step, err: { message: error.message } }, 'precomputation failed; results will be computed on request');
    },
  );
  return {
    state,
    done,
    stop: () => {
      stopping = true;
    },
  };
};
