/**
 * The server's person features and their event lists, counted (not timed): the features are made once per data version
 * and kept; the event lists only when a query reads them, then kept beside the features so that a restart makes neither.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleSql, buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, writeCsvDir } from '../../../store-duckdb/src/test-support.js';
import { createResultCache, createVersionMemo } from '../cache.js';
import type { ServerContext } from '../context.js';
import { openOperationalDb } from '../operational/db.js';
import { personEvents, personFeatures, personFeaturesRelation } from './features.js';
import { createResultStore } from './persisted-results.js';
import { openPhmData } from './phm-data.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phm-features-'));
  file = join(dir, 'data.duckdb');
  // Two A&E attendances in the two years before the data's last day (2026-03-31), for the event lists to hold.
  const ae = `${VALID_FILES['ae_attendance.csv']!.trimEnd()}\n30,1,2025-12-01 10:00:00,2025-12-01 11:00:00,01,discharged\n31,3,2026-01-05 09:00:00,2026-01-05 12:00:00,01,discharged\n`;
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(dir, { ...VALID_FILES, 'ae_attendance.csv': ae }), geography: GEOGRAPHY, meta: META, threads: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server's context on the database with its results folder (a new one is a restart); computations counted by kind. */
const withContext = async <T>(use: (ctx: ServerContext, computed: string[]) => Promise<T>): Promise<T> => {
  const computed: string[] = [];
  const ctx: ServerContext = {
    data: await openPhmData(file),
    ops: await openOperationalDb(),
    cache: createResultCache(),
    memo: createVersionMemo(),
    results: createResultStore({ dir: join(dir, 'results'), codeVersion: 'test', onCompute: (kind) => computed.push(kind) }),
    sharedDataDir: undefined,
    cohortsDir: join(dir, 'cohorts'),
    planProblems: [],
    today: () => '2026-12-07',
    secureCookies: false,
    indicatorEngine: undefined,
    cohortCounting: new Map(),
    stamps: new Map(),
  };
  try {
    return await use(ctx, computed);
  } finally {
    ctx.data.close();
    await ctx.data.closed();
    await ctx.ops.close();
  }
};

const RULE = { kind: 'events', event: 'aeAttendance', atLeast: 1, withinDays: 730 } as const;
/** Members of RULE through the relation the server gives, with each one's A&E attendance days. */
const members = async (ctx: ServerContext) => {
  const { relation } = await personFeaturesRelation(ctx, true);
  return ctx.data.query<{ person_id: number; days: number[] }>(`SELECT person_id, ev_ae_attendance AS days FROM ${relation} f WHERE ${ruleSql(RULE)} ORDER BY person_id`);
};

describe('person features and their event lists in the server', () => {
  it('makes the features without the lists; the lists on first need; a restart makes neither and answers the same', async () => {
    const first = await withContext(async (ctx, computed) => {
      const features = await personFeatures(ctx);
      expect((await personFeaturesRelation(ctx, false)).relation).toBe(`"${features.table}"`);
      expect(computed).toEqual(['person-features']);
      const answer = await members(ctx);
      expect(computed).toEqual(['person-features', 'person-events']);
      // Asked again in the same version: kept.
      await personEvents(ctx);
      expect(computed).toEqual(['person-features', 'person-events']);
      return answer;
    });
    // Persons 1 and 3, each with the days before 2026-03-31 of their attendance.
    expect(first.map((m) => [Number(m.person_id), [...m.days].map(Number)])).toEqual([
      [1, [120]],
      [3, [85]],
    ]);
    const again = await withContext(async (ctx, computed) => {
      const answer = await members(ctx);
      expect(computed).toEqual([]);
      return answer;
    });
    expect(again).toEqual(first);
  });
});
