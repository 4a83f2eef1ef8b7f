/**
 * Opt-outs through the server's data modules, on the 64-person fixture with opt-outs: people 100-159
 * live in leeds-1 and are on the hypertension register; every fifth (100, 105, …, 155: 12 people)
 * holds a national data opt-out, and 101 a type 1 opt-out. A neighbourhood team's worklist and
 * person record (direct care) include them; an analyst's (planning) leave them out and say how many;
 * an evaluation (planning) leaves them out of cases and comparators and says how many.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCohortDefinition, personLevelPurposeOf, type Purpose } from '@openphm/core';
import { buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, writeCsvDir } from '../../../store-duckdb/src/test-support.js';
import { createResultCache, createVersionMemo } from '../cache.js';
import { createResultStore } from './persisted-results.js';
import type { ServerContext } from '../context.js';
import { createReferral, createService } from '../operational/care.js';
import { openOperationalDb } from '../operational/db.js';
import { testService } from '../test-support.js';
import { referralEvaluation } from './evaluation.js';
import { personView } from './person.js';
import { openPhmData } from './phm-data.js';
import { worklistIn } from './worklist.js';

const HYPERTENSION = parseCohortDefinition(
  { id: 'hypertension', version: 1, title: 'Hypertension', description: 'On the hypertension register.', rule: { kind: 'flag', feature: 'condition:hypertension' } },
  'test',
);
const OPTED_OUT = Array.from({ length: 12 }, (_, i) => 100 + 5 * i);

let dir: string;
let ctx: ServerContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phm-opt-outs-'));
  const people: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < 60; i++) {
    const id = 100 + i;
    people.push(`${id},${i % 2 === 0 ? 'F' : 'M'},${1940 + (i % 40)}-03-15,A,${i % 3 === 0 ? 'E01011229' : 'E01011230'},B86002,2000-01-01,false`);
    events.push(`${id},2022-01-10,38341003,`);
  }
  const files = {
    ...VALID_FILES,
    'person.csv': `${VALID_FILES['person.csv']!.trimEnd()}\n${people.join('\n')}\n`,
    'clinical_event/part-0003.csv': `person_id,event_date,snomed_code,numeric_value\n${events.join('\n')}\n`,
    'opt_out.csv': `person_id,kind,recorded_date\n${OPTED_OUT.map((id) => `${id},national,`).join('\n')}\n101,type-1,2021-07-01\n`,
  };
  const file = join(dir, 'opt-outs.duckdb');
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(dir, files), geography: GEOGRAPHY, meta: META, threads: 1 });
  ctx = {
    data: await openPhmData(file),
    ops: await openOperationalDb(),
    cache: createResultCache(),
    memo: createVersionMemo(),
    results: createResultStore(),
    sharedDataDir: undefined,
    cohortsDir: join(dir, 'cohorts'),
    planProblems: [],
    today: () => '2026-11-26',
    secureCookies: false,
    indicatorEngine: undefined,
    cohortCounting: new Map(),
    stamps: new Map(),
  };
});
afterAll(async () => {
  ctx?.data.close();
  await ctx?.ops.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('worklists', () => {
  it.each<[Purpose, number, RegExp]>([
    // Persons 1 and 3 of the fixture are on the register too: 62 in all, 13 with an opt-out.
    ['direct-care', 62, /Purpose: direct care\. Everyone is included: opt-outs do not apply to individual care\.$/],
    ['planning', 49, /Purpose: planning\. People with a national data opt-out or a type 1 opt-out are left out: \d+ of them\.$/],
    ['research', 49, /Purpose: research\. People with a national data opt-out or a type 1 opt-out are left out: \d+ of them\.$/],
  ])('for %s list %d people and say who was left out', async (purpose, total, note) => {
    const { body, audit } = await worklistIn(ctx, HYPERTENSION, 'leeds-1', 100, purpose);
    expect(body.total).toBe(total);
    expect(body.people).toHaveLength(total);
    expect(body.note).toMatch(note);
    expect(audit).toBe(`${total} of ${total} rows for ${purpose}`);
    const listed = new Set(body.people.map((p) => Number(p.personId)));
    expect([...OPTED_OUT, 101].filter((id) => listed.has(id))).toEqual(purpose === 'direct-care' ? [...OPTED_OUT, 101] : []);
    // The left-out count is published: 13 perturbed by its cell key (never 1-7).
    const leftOut = /left out: (\d+) of them/.exec(body.note)?.[1];
    if (leftOut !== undefined) expect(Math.abs(Number(leftOut) - 13)).toBeLessThanOrEqual(5);
  });

  it('default to direct care until the caller declares the purpose', async () => {
    expect((await worklistIn(ctx, HYPERTENSION, 'leeds-1', 100)).body.total).toBe(62);
  });
});

describe('a person record', () => {
  it.each([
    ['neighbourhood', '105', true],
    ['analyst', '105', false],
    ['analyst', '101', false],
    ['analyst', '102', true],
  ] as const)('for the %s role, person %s is shown: %s', async (role, personId, shown) => {
    const view = personView(ctx, personId, personLevelPurposeOf(role));
    if (shown) expect((await view).personId).toBe(personId);
    // For planning an opted-out person is simply not there: the answer does not say they opted out.
    else await expect(view).rejects.toThrow(`no person with id ${personId}`);
  });
});

describe('evaluations', () => {
  it('leave opted-out people out of cases and comparators, and say how many in the method', async () => {
    await createService(ctx.ops, testService('walk', { name: 'Walking group', areas: ['ics'], eligibility: {} }), 'test');
    // 30 referrals in June 2023 (people 100-129), 6 of them opted out (100, 105, … 125) and 101 (type 1).
    for (let i = 0; i < 30; i++) {
      await createReferral(ctx.ops, { personId: String(100 + i), serviceId: 'walk', reason: 'inactivity', neighbourhoodId: 'leeds-1', referredAt: '2023-06-01T10:00:00Z' }, 'leeds@test');
    }
    const evaluation = await referralEvaluation(ctx, 'all');
    expect(evaluation.method).toMatch(/Purpose: planning\. People with a national data opt-out or a type 1 opt-out are left out: (\d+|\[c\] \(a small number, withheld\)) of them\.$/);
    // 23 of the 30 referred could be cases; published counts carry noise of at most 5.
    expect(Math.abs((evaluation.cases ?? 0) - 23)).toBeLessThanOrEqual(5);
  });
});
