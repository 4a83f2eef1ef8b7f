/**
 * pinnedEngine: counts of a run are kept only while the data version they were counted on is served;
 * versionedEngine.adopt: while a run is open every count goes through it.
 */
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, type IndicatorEngine, type Period } from '@openphm/core';
import { InternalError } from '@openphm/core';
import type { PhmData } from './data/phm-data.js';
import { VersionChangedError, openIndicatorRun, pinnedEngine, versionedEngine } from './context.js';

const definition = INDICATOR_CATALOGUE[0]!;
const period: Period = { start: '2025-04-01', end: '2026-04-01', label: '2025/26' };

/** An engine whose count finishes when `finish` is called; the data version is `data.v`. */
const setup = () => {
  const data = { v: 'A', version() { return this.v; } };
  let finish = () => undefined as void;
  const engine: IndicatorEngine = {
    name: 'duckdb',
    aggregate: () => new Promise((resolve) => (finish = () => resolve([{ group: 'ICS', numerator: 1, denominator: 2 }]))),
    aggregateMany: async ({ periods }) => periods.map(() => new Map([['ics', [{ group: 'ICS', numerator: 1, denominator: 2 }]]])),
  };
  return { data, engine, finish: () => finish() };
};

describe('pinnedEngine', () => {
  it.each([
    // when the version changes → what the count gives
    { change: 'never', gives: 'cells' },
    { change: 'before the count is asked for', gives: 'VersionChangedError' },
    { change: 'while it counts', gives: 'VersionChangedError' },
  ])('version changes $change: $gives', async ({ change, gives }) => {
    const { data, engine, finish } = setup();
    const pinned = pinnedEngine(data, 'A', engine);
    expect(pinned.name).toBe('duckdb');
    if (change === 'before the count is asked for') data.v = 'B';
    const count = pinned.aggregate({ definition, period, breakdown: 'ics' });
    if (change === 'while it counts') data.v = 'B';
    finish();
    if (gives === 'cells') await expect(count).resolves.toEqual([{ group: 'ICS', numerator: 1, denominator: 2 }]);
    else await expect(count).rejects.toBeInstanceOf(VersionChangedError);
  });

  it('pins aggregateMany too, and has none when the engine has none', async () => {
    const { data, engine } = setup();
    const pinned = pinnedEngine(data, 'A', engine);
    await expect(pinned.aggregateMany!({ definition, periods: [period], breakdowns: ['ics'] })).resolves.toHaveLength(1);
    data.v = 'B';
    await expect(pinned.aggregateMany!({ definition, periods: [period], breakdowns: ['ics'] })).rejects.toMatchObject({ from: 'A', to: 'B', kind: 'conflict' });
    expect(pinnedEngine(data, 'B', { name: 'x', aggregate: engine.aggregate }).aggregateMany).toBeUndefined();
  });
});

describe('versionedEngine.adopt', () => {
  /** An engine that answers with its own label as the group, so each answer says which engine counted it. */
  const labelled = (label: string, name = 'duckdb'): IndicatorEngine => ({ name, aggregate: async () => [{ group: label, numerator: 1, denominator: 1 }] });
  const answer = async (engine: IndicatorEngine) => (await engine.aggregate({ definition, period, breakdown: 'ics' }))[0]!.group;
  const dataAt = (v: string) => ({ v, version() { return this.v; } }) as unknown as PhmData & { v: string };

  it.each([
    // what happens after adopting the run on version A → which engine answers
    { then: 'nothing', answers: 'run' },
    { then: 'release', answers: 'own (A)' },
    { then: 'data change to B', answers: 'own (B)' },
  ])('adopted on A, then $then: $answers answers', async ({ then, answers }) => {
    const data = dataAt('A');
    const engine = versionedEngine(data, () => labelled(`own (${data.v})`));
    const release = engine.adopt('A', labelled('run'));
    if (then === 'release') release();
    if (then === 'data change to B') data.v = 'B';
    expect(await answer(engine)).toBe(answers);
  });

  it('refuses an engine that counts under another name (persisted counts are kept by name)', () => {
    const engine = versionedEngine(dataAt('A'), () => labelled('own'));
    expect(() => engine.adopt('A', labelled('run', 'memory'))).toThrow(InternalError);
  });

  it('openIndicatorRun: the run counts until closed, then the engine counts alone again, and the run is closed', async () => {
    const data = dataAt('A');
    const engine = versionedEngine(data, () => labelled('own'));
    let closed = 0;
    const run = await openIndicatorRun(data, engine, async () => ({ engine: labelled('run'), close: async () => void closed++ }));
    expect(await answer(engine)).toBe('run');
    expect(await answer(run.engine)).toBe('run');
    await run.close();
    expect(closed).toBe(1);
    expect(await answer(engine)).toBe('own');
    // The run's engine is pinned to A.
    data.v = 'B';
    await expect(answer(run.engine)).rejects.toBeInstanceOf(VersionChangedError);
  });
});
