/**
 * Precomputation at server start, in the background (never blocking /api/health or start-up), in
 * order of need: every indicator's latest period by area (the ICS, places, IMD deciles and each
 * place's deciles: what the dashboards show, which until step 3 show that period alone), the
 * population summaries, the person features (20-50 s on the full partnership) and the common
 * segment and risk summaries, then every indicator's older periods by area (one query an
 * indicator) with the whole dashboards of the ICS and every place and the scorecards of the stored
 * strategies, the admission score, the latest period of every indicator by its other breakdowns
 * (age, sex, ethnic group, neighbourhood …, for the results pages), and the evaluations of social
 * prescribing and proactive care.
 * The indicator counts are made in the server's counting run when it has one (ctx.indicatorRun: on
 * the DuckDB store the residents built once and shared denominators counted once, as in
 * `phm indicators run`), pinned to the data version it started on; requests meanwhile count in it.
 * Each step first reads what the results folder beside the database holds (persisted-results.ts:
 * a restart on unchanged data computes none of it; a new data version only what depends on a
 * changed table). Requests that arrive meanwhile await the same promises (memo / cache), so
 * nothing is computed twice; anything not yet warmed is computed on its first request. Results are
 * keyed on the data version: a replaced database is recomputed on demand.
 */
import { BREAKDOWNS, INDICATOR_CATALOGUE, type Breakdown, type IndicatorDefinition, type IndicatorEngine } from '@openphm/core';
import { cached, memoised, type IndicatorRun, type ServerContext } from '../context.js';
import { TRENDS_COUNTING, dashboardParams, persistedDashboard } from './outcomes-dashboard.js';
import { persistedRiskDistribution, persistedSegmentSummary } from './summaries.js';
import { latestStrategies } from '../operational/delivery.js';
import { AREA_BREAKDOWNS, areaCells, dataPeriods, indicatorCells } from './dashboard.js';
import { geoNames, personFeatures } from './features.js';
import { admissionScorer } from './care-record.js';
import { strategyScorecard } from './scorecard.js';
import { caseloadEvaluation, referralEvaluation } from './evaluation.js';
import { persistedAreaPopulation } from './population.js';

export type WarmStatus = 'off' | 'running' | 'done' | 'failed' | 'stopped';

export interface Warmer {
  readonly state: { status: WarmStatus; step: string; seconds: number | null };
  /** Resolves when the warm-up has finished, failed or stopped (never rejects). */
  readonly done: Promise<void>;
  stop(): void;
}

export const NO_WARMER: Warmer = { state: { status: 'off', step: '', seconds: null }, done: Promise.resolve(), stop: () => undefined };

const SUMMARY_BREAKDOWNS: readonly Breakdown[] = ['ics', 'place', 'neighbourhood', 'imd-decile'];

/**
 * One indicator's counts by area (dashboard.ts areaCells): its latest period, or the periods before
 * it (one query for all of them).
 */
const warmIndicatorAreas = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, which: 'latest' | 'older'): Promise<void> => {
  const periods = await dataPeriods(ctx, definition.periodYears);
  const chosen = which === 'latest' ? periods.slice(-1) : periods.slice(0, -1);
  if (chosen.length > 0) await areaCells(ctx, engine, definition, chosen);
};

/**
 * The latest period of one indicator by its other breakdowns (the DuckDB engine counts them all in
 * one query). Other breakdowns of older periods are counted when first asked for, and kept.
 */
const warmIndicatorLatest = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition): Promise<void> => {
  const periods = await dataPeriods(ctx, definition.periodYears);
  const latest = periods[periods.length - 1]!;
  for (const b of BREAKDOWNS.filter((b) => !AREA_BREAKDOWNS.includes(b))) await indicatorCells(ctx, engine, definition, latest, b);
};

/** Where the precomputation reports: each step's time at info (no person-level data), failures as warnings. */
export interface WarmLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const startWarmer = (ctx: ServerContext, log: WarmLog): Warmer => {
  const state: Warmer['state'] = { status: 'running', step: 'starting', seconds: null };
  let stopping = false;
  const started = performance.now();
  /** Steps that failed: the others still run, and a failed result is computed again on request. */
  const failed: string[] = [];
  const step = async (name: string, fn: () => Promise<unknown>) => {
    if (stopping) throw new Error('stopped');
    state.step = name;
    const at = performance.now();
    try {
      await fn();
      log.info({ step: name, seconds: Math.round(performance.now() - at) / 1000, since: Math.round(performance.now() - started) / 1000 }, 'precomputation step done');
    } catch (error) {
      if (stopping) throw error;
      failed.push(name);
      log.warn({ step: name, err: { message: error instanceof Error ? error.message : String(error) } }, 'a precomputation step failed; it will be computed on request');
    }
  };
  // Held until the older periods are counted: the dashboards meanwhile show the latest period only
  // (outcomes-dashboard.ts trendsPending), so a cold start on new data answers them in the time the
  // latest period takes, not every period. Taken before anything is awaited, so that no request
  // arriving at start counts every period for a dashboard first.
  let trendsCounted = (): void => undefined;
  if (ctx.indicatorEngine !== undefined) void memoised(ctx, TRENDS_COUNTING, () => new Promise<void>((resolve) => (trendsCounted = resolve)));
  const run = async () => {
    // Most wanted first; each step reads what the results folder holds (data/persisted-results.ts)
    // and computes the rest, so a restart on unchanged data reads everything and computes nothing.
    const geo = await geoNames(ctx);
    const areas = ['ics', ...[...geo.places.keys()].map((p) => `place:${p}`)];
    const engine = ctx.indicatorEngine;
    // Counted in one run on this data version where the server offers one (shared residents and
    // denominators): requests meanwhile count in it too, so nothing is counted twice by two engines;
    // counts finished after the data changed are not kept (computed again on request).
    let run: IndicatorRun | undefined;
    try {
      if (engine !== undefined) {
        if (ctx.indicatorRun) await step('indicator counting run', async () => (run = await ctx.indicatorRun!()));
        // 1. Every indicator's latest period by area (what the dashboards show first), counted by the run's engine for
        // the precomputation where it has one (serve.ts: the person proportions together in groups).
        for (const d of INDICATOR_CATALOGUE) await step(`indicator ${d.id}`, () => warmIndicatorAreas(ctx, run?.precompute ?? engine, d, 'latest'));
      }
      for (const area of areas) await step(`population ${area}`, () => cached(ctx, 'population/summary', { area }, () => persistedAreaPopulation(ctx, area)));
      // 2. The person features, then the segment and risk summaries counted from them.
      await step('person features', () => personFeatures(ctx));
      for (const by of SUMMARY_BREAKDOWNS) {
        await step(`segments by ${by}`, () => cached(ctx, 'segments', { segmentation: 'kirklees-four-groups', by, area: undefined }, () => persistedSegmentSummary(ctx, 'kirklees-four-groups', by, undefined)));
        await step(`risk by ${by}`, () => cached(ctx, 'risk', { by, area: undefined }, () => persistedRiskDistribution(ctx, by, undefined)));
      }
      if (engine !== undefined) {
        // 3. The older periods of every indicator by area (the trends), then the whole dashboards of
        // the ICS and every place, and the scorecards (their indicator values every period, inequalities too).
        // Counted by the run's engine, one indicator at a time: the person proportions together over several periods took
        // longer than one by one (each record joined to every later period, for every predicate of the group).
        for (const d of INDICATOR_CATALOGUE) await step(`indicator ${d.id} trend`, () => warmIndicatorAreas(ctx, engine, d, 'older'));
        trendsCounted();
        for (const area of areas) await step(`dashboard ${area}`, async () => cached(ctx, 'dashboard', await dashboardParams(ctx, area), () => persistedDashboard(ctx, engine, area)));
        for (const { strategy } of await latestStrategies(ctx.ops, INDICATOR_CATALOGUE)) await step(`scorecard ${strategy.id}`, () => strategyScorecard(ctx, strategy));
      }
      // 4. The emergency admission score the care record and worklists show (fitted on a sample: seconds).
      await step('admission score', () => admissionScorer(ctx));
      // 5. The latest period of every indicator by the breakdowns the dashboards do not show (results pages).
      if (engine !== undefined) {
        for (const d of INDICATOR_CATALOGUE) await step(`indicator ${d.id} by every breakdown`, () => warmIndicatorLatest(ctx, engine, d));
      }
    } finally {
      await run?.close().catch((error: Error) => log.warn({ err: { message: error.message } }, 'could not close the indicator counting run'));
    }
    // The evaluations of social prescribing and of proactive care as first shown (about a minute each on the full partnership).
    await step('social prescribing evaluation', () => referralEvaluation(ctx, 'all'));
    await step('caseload evaluation', () => caseloadEvaluation(ctx, 'all'));
  };
  // Whatever happens (a failure before the steps, a stop), the dashboards are whole from then on.
  const done = run().finally(() => trendsCounted()).then(
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
