/** Background precomputation: a failing step is reported and skipped, the rest still run. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAKDOWNS, INDICATOR_CATALOGUE, type Breakdown, type IndicatorEngine } from '@openphm/core';
import { buildDatabase, createDuckDbEngine, personProportionGroup, prepareSharedCounting, type PhmDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, writeCsvDir } from '../../../store-duckdb/src/test-support.js';
import { createServer } from '../server.js';
import { useServer } from '../test-support.js';

const failing = INDICATOR_CATALOGUE[1]!.id;
const asked = new Set<string>();
const engine: IndicatorEngine = {
  name: 'fails-for-one',
  aggregate: async ({ definition }) => {
    asked.add(definition.id);
    if (definition.id === failing) throw new Error('engine failure for one indicator');
    return [{ group: 'ICS', numerator: 10, denominator: 100 }];
  },
};

describe('precomputation', () => {
  /** The server's log lines (pino JSON), to check what the precomputation reports. */
  const logged: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) };
  const { inject } = useServer({ options: { indicatorEngine: () => engine, precompute: true, logger: { level: 'info', stream } } });

  it('reports a failed step in /api/health and still precomputes every other indicator', async () => {
    let precompute: { status: string; step: string } = { status: 'running', step: '' };
    for (let i = 0; i < 600 && precompute.status === 'running'; i++) {
      precompute = (await inject({ url: '/api/health' })).json().precompute;
      if (precompute.status === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(precompute.status).toBe('failed');
    expect(precompute.step).toContain(`indicator ${failing}`);
    for (const d of INDICATOR_CATALOGUE) expect(asked.has(d.id), d.id).toBe(true);
    // The indicator after the failing one was precomputed too.
    expect(asked.has(INDICATOR_CATALOGUE[2]!.id)).toBe(true);
    // Each step that finished is logged with its time (and when it finished); the failed one is a warning.
    const done = logged.filter((l) => l.msg === 'precomputation step done');
    const steps = done.map((l) => l.step);
    expect(steps).toContain(`indicator ${INDICATOR_CATALOGUE[0]!.id}`);
    expect(steps).toContain('person features');
    expect(steps).not.toContain(`indicator ${failing}`);
    for (const l of done) expect(typeof l.seconds === 'number' && typeof l.since === 'number' && l.seconds <= l.since).toBe(true);
    expect(logged.some((l) => l.msg === 'a precomputation step failed; it will be computed on request' && l.step === `indicator ${failing}`)).toBe(true);
  });
});

/**
 * Restarts, counted: the precomputation reads what the results folder holds (persisted-results.ts).
 * Each start is a new server on the same database file and folder; every computation of a persisted
 * result is counted by kind (onCompute).
 */
describe('precomputation from persisted results', () => {
  const AE_ROW = '30,1,2023-07-01 10:00:00,2023-07-01 11:00:00,01,discharged';
  let root: string;
  let file: string;
  const build = async (files: Readonly<Record<string, string | null>>) =>
    buildDatabase({ outFile: file, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, meta: META, threads: 1 });
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'phm-warm-'));
    file = join(root, 'data.duckdb');
    await build(VALID_FILES);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Quick counts from the engine (the DuckDB engine is tested elsewhere): the values do not matter here, only what is computed. */
  const quickCells = (breakdown: Breakdown) =>
    breakdown === 'ics' ? [{ group: 'ICS', numerator: 10, denominator: 100, numeratorKey: 17, denominatorKey: 42 }] : GEOGRAPHY.lsoas.map((l, i) => ({ group: breakdown === 'lsoa' ? l.code : `g${i}`, numerator: 10 + i, denominator: 100, numeratorKey: i, denominatorKey: 42 }));
  /** Every engine call of a start: one per indicator-period-breakdown asked singly, one per indicator for several periods together. */
  let engineCalls: { id: string; periods: string[]; breakdowns: string[] }[] = [];
  const countingEngine: IndicatorEngine = {
    name: 'quick',
    aggregate: async ({ definition, period, breakdown }) => {
      engineCalls.push({ id: definition.id, periods: [period.label], breakdowns: [breakdown] });
      return quickCells(breakdown);
    },
    aggregateMany: async ({ definition, periods, breakdowns }) => {
      engineCalls.push({ id: definition.id, periods: periods.map((p) => p.label), breakdowns: [...breakdowns] });
      return periods.map(() => new Map(breakdowns.map((b) => [b, quickCells(b)])));
    },
  };
  const PATHS = ['/api/dashboard?area=ics', '/api/dashboard?area=place:leeds', '/api/population/summary', '/api/segments?by=place', '/api/risk?by=imd-decile', '/api/indicators/smoking-prevalence/results?by=neighbourhood'];

  /** Starts a server, waits for its precomputation, reads every path; returns what was computed (kind → keys) and the answers. */
  const start = async () => {
    const computed = new Map<string, string[]>();
    engineCalls = [];
    const app = await createServer({
      duckdbFile: file,
      webDir: false,
      precompute: true,
      logger: false,
      indicatorEngine: () => countingEngine,
      results: { dir: `${file}.results`, codeVersion: 'test-code', onCompute: (kind, key) => computed.set(kind, [...(computed.get(kind) ?? []), key]) },
    });
    try {
      await app.openphm.warmer.done;
      expect(app.openphm.warmer.state.status, app.openphm.warmer.state.step).toBe('done');
      const answers: Record<string, unknown> = {};
      for (const url of PATHS) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(200);
        answers[url] = response.json();
      }
      return { computed, answers, calls: engineCalls };
    } finally {
      await app.close();
    }
  };
  const counts = (computed: Map<string, string[]>) => Object.fromEntries([...computed].map(([kind, keys]) => [kind, keys.length]));
  /** The indicator ids whose counts were computed (keys are id@version:period:…). */
  const indicatorIds = (computed: Map<string, string[]>, kind: string) => [...new Set((computed.get(kind) ?? []).map((k) => k.slice(0, k.indexOf('@'))))].sort();

  it('computes everything once, nothing on a restart, and only what depends on a changed table on a new version', async () => {
    const first = await start();
    for (const kind of ['indicator-cells', 'place-decile-cells', 'dashboard', 'population', 'person-features', 'segments', 'risk']) expect(first.computed.get(kind)?.length ?? 0, kind).toBeGreaterThan(0);
    expect(indicatorIds(first.computed, 'indicator-cells')).toEqual(INDICATOR_CATALOGUE.map((d) => d.id).sort());
    // Every indicator was counted by the areas the dashboards and scorecards show (ICS, place, IMD
    // decile, LSOA) in two engine calls, its latest period first, then every older period together;
    // only the latest period was asked for by its other breakdowns, breakdown by breakdown (the
    // DuckDB engine counts those together).
    const trends = new Map((first.answers['/api/dashboard?area=ics'] as { indicators: { id: string; trend: { period: { label: string } }[] }[] }).indicators.map((i) => [i.id, i.trend.map((p) => p.period.label)]));
    for (const d of INDICATOR_CATALOGUE) {
      const periods = trends.get(d.id)!;
      expect(periods.length, d.id).toBeGreaterThan(1);
      const calls = first.calls.filter((c) => c.id === d.id);
      const together = calls.filter((c) => c.periods.length > 1);
      const areas = ['ics', 'place', 'imd-decile', 'lsoa'];
      expect(together, d.id).toEqual([{ id: d.id, periods: periods.slice(0, -1), breakdowns: areas }]);
      const single = calls.filter((c) => c.periods.length === 1);
      expect(single.filter((c) => c.breakdowns.length > 1), d.id).toEqual([{ id: d.id, periods: periods.slice(-1), breakdowns: areas }]);
      expect(single.filter((c) => c.breakdowns.length === 1).flatMap((c) => c.breakdowns).sort(), d.id).toEqual(BREAKDOWNS.filter((b) => !areas.includes(b)).sort());
      expect(calls.indexOf(single.find((c) => c.breakdowns.length > 1)!), d.id).toBeLessThan(calls.indexOf(together[0]!));
      // No older period asked for singly (a scorecard's inequality measures count theirs together too).
      expect(calls.filter((c) => c.periods.length === 1 && c.periods[0] !== periods.at(-1)), d.id).toEqual([]);
    }

    // Restart on unchanged data: nothing computed, the same answers.
    const restart = await start();
    expect(counts(restart.computed)).toEqual({});
    expect(restart.calls).toEqual([]);
    expect(restart.answers).toEqual(first.answers);

    // A new version with one more A&E attendance: only the indicators counting A&E attendances, the
    // dashboards showing them, and the person features with the summaries counted from them.
    await build({ ...VALID_FILES, 'ae_attendance.csv': `${VALID_FILES['ae_attendance.csv']!.trimEnd()}\n${AE_ROW}\n` });
    const changed = await start();
    const countingAe = INDICATOR_CATALOGUE.filter((d) => JSON.stringify(d.measure).includes('"ae_attendance"')).map((d) => d.id).sort();
    expect(countingAe.length).toBeGreaterThan(0);
    expect(indicatorIds(changed.computed, 'indicator-cells')).toEqual(countingAe);
    expect(indicatorIds(changed.computed, 'place-decile-cells')).toEqual(countingAe);
    const c = counts(changed.computed);
    expect(c.dashboard).toBe(first.computed.get('dashboard')!.length);
    expect(c['person-features']).toBe(1);
    expect(c.population).toBeUndefined();
    expect(c.segments).toBe(first.computed.get('segments')!.length);

    // And a restart on that version computes nothing again.
    expect(counts((await start()).computed)).toEqual({});
  }, 900_000);

  it('shows the latest period alone while the precomputation counts the older periods, then every period', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated: IndicatorEngine = {
      name: 'quick',
      aggregate: async ({ breakdown }) => quickCells(breakdown),
      aggregateMany: async ({ periods, breakdowns }) => {
        if (periods.length > 1) await gate;
        return periods.map(() => new Map(breakdowns.map((b) => [b, quickCells(b)])));
      },
    };
    const app = await createServer({ duckdbFile: file, webDir: false, precompute: true, logger: false, indicatorEngine: () => gated, results: { dir: join(root, 'gated.results') } });
    try {
      type Dashboard = { trendsComplete: boolean; indicators: { id: string; trend: unknown[]; latest: { period: { label: string } } }[] };
      // Asked at once (before the precomputation has done anything): the latest period alone too.
      const first = (await app.inject({ url: '/api/dashboard?area=place:leeds' })).json<Dashboard>();
      expect(first.trendsComplete).toBe(false);
      let early: Dashboard | undefined;
      for (let i = 0; i < 600 && early === undefined; i++) {
        if (app.openphm.warmer.state.step.endsWith(' trend')) early = (await app.inject({ url: '/api/dashboard?area=ics' })).json<Dashboard>();
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(early, app.openphm.warmer.state.step).toBeDefined();
      expect(early!.trendsComplete).toBe(false);
      for (const i of early!.indicators) expect(i.trend, i.id).toHaveLength(1);
      expect((await app.inject({ url: '/api/dashboard?area=place:leeds&format=csv' })).statusCode).toBe(200);
      release();
      await app.openphm.warmer.done;
      expect(app.openphm.warmer.state.status, app.openphm.warmer.state.step).toBe('done');
      const whole = (await app.inject({ url: '/api/dashboard?area=ics' })).json<Dashboard>();
      expect(whole.trendsComplete).toBe(true);
      for (const i of whole.indicators) {
        expect(i.trend.length, i.id).toBeGreaterThan(1);
        expect(i.latest, i.id).toEqual(early!.indicators.find((e) => e.id === i.id)!.latest);
      }
    } finally {
      release();
      await app.close();
    }
  }, 600_000);

  it('a corrupt entry of the results folder is computed again, never served', async () => {
    const before = await start();
    // Damage every dashboard entry (half-written) and the person features' Parquet file.
    const dir = `${file}.results`;
    const dashboards = readdirSync(join(dir, 'dashboard'));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const name of dashboards) {
      const path = join(dir, 'dashboard', name);
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, 100));
    }
    const parquet = readdirSync(join(dir, 'person-features')).find((f) => f.endsWith('.parquet'))!;
    writeFileSync(join(dir, 'person-features', parquet), 'not parquet');
    const after = await start();
    expect(counts(after.computed)).toEqual({ dashboard: dashboards.length, 'person-features': 1 });
    expect(after.answers).toEqual(before.answers);
  }, 600_000);
});

/**
 * The server's counting run (serve.ts: the DuckDB engine with shared counting and the person
 * proportions together): the precomputation counts every indicator in it, opens and closes it once,
 * and the dashboards and results it gives are those of counting request by request.
 */
describe('precomputation in a counting run', () => {
  let root: string;
  let file: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'phm-warm-run-'));
    file = join(root, 'data.duckdb');
    await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const PATHS = ['/api/dashboard?area=ics', '/api/dashboard?area=place:leeds', '/api/indicators/smoking-prevalence/results?by=neighbourhood', '/api/indicators/emergency-admissions/results?by=imd-decile'];

  /** Counts the engine calls of a DuckDB engine. */
  const counted = (engine: IndicatorEngine, calls: { n: number }): IndicatorEngine => ({
    name: engine.name,
    aggregate: (r) => (calls.n++, engine.aggregate(r)),
    aggregateMany: (r) => (calls.n++, engine.aggregateMany!(r)),
  });
  /** Without a run; with a run of one engine (the catalogue together); or as serve.ts: the precomputation's own engine in the run, person proportions together in groups. */
  const start = async (withRun: false | 'one engine' | 'groups', results: string) => {
    const requests = { n: 0 };
    const inRun = { n: 0 };
    const precomputing = { n: 0 };
    const runs = { opened: 0, closed: 0 };
    const app = await createServer({
      duckdbFile: file,
      webDir: false,
      precompute: true,
      logger: false,
      results: { dir: join(root, results) },
      indicatorEngine: (db: PhmDatabase) => counted(createDuckDbEngine(db, { allBreakdowns: true }), requests),
      ...(withRun
        ? {
            indicatorRun: async (db: PhmDatabase) => {
              const shared = await prepareSharedCounting(db);
              runs.opened++;
              return {
                ...(withRun === 'groups'
                  ? {
                      engine: counted(createDuckDbEngine(db, { allBreakdowns: true, shared }), inRun),
                      precompute: counted(createDuckDbEngine(db, { allBreakdowns: true, shared, together: INDICATOR_CATALOGUE, togetherBy: personProportionGroup }), precomputing),
                    }
                  : { engine: counted(createDuckDbEngine(db, { allBreakdowns: true, together: INDICATOR_CATALOGUE, shared }), inRun) }),
                close: async () => {
                  runs.closed++;
                  await shared.close();
                },
              };
            },
          }
        : {}),
    });
    try {
      await app.openphm.warmer.done;
      expect(app.openphm.warmer.state.status, app.openphm.warmer.state.step).toBe('done');
      const warmCalls = { requests: requests.n, inRun: inRun.n, precomputing: precomputing.n };
      const answers: Record<string, unknown> = {};
      for (const url of PATHS) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(200);
        answers[url] = response.json();
      }
      return { answers, warmCalls, runs };
    } finally {
      await app.close();
    }
  };

  it('counts every indicator in one run, opened and closed once, with the answers of counting request by request', async () => {
    const alone = await start(false, 'alone.results');
    const inRun = await start('one engine', 'run.results');
    expect(inRun.runs).toEqual({ opened: 1, closed: 1 });
    expect(alone.warmCalls.inRun).toBe(0);
    expect(alone.warmCalls.requests).toBeGreaterThan(INDICATOR_CATALOGUE.length);
    // The precomputation counts in the run while it is open; the request engine counts less than alone.
    expect(inRun.warmCalls.inRun).toBeGreaterThan(INDICATOR_CATALOGUE.length);
    expect(inRun.warmCalls.requests).toBeLessThan(alone.warmCalls.requests);
    expect(inRun.answers).toEqual(alone.answers);
    // As serve.ts: the precomputation counts the catalogue's latest period by area with its own engine of the run (person
    // proportions together in groups: one call per indicator), the rest (older periods, every breakdown) with the run's
    // engine; the same answers.
    const groups = await start('groups', 'groups.results');
    expect(groups.runs).toEqual({ opened: 1, closed: 1 });
    expect(groups.warmCalls.precomputing).toBe(INDICATOR_CATALOGUE.length);
    expect(groups.warmCalls.inRun).toBeGreaterThan(0);
    expect(groups.answers).toEqual(alone.answers);
  }, 300_000);
});
