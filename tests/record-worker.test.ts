/**
 * The record renderer's worker thread as the built server runs it (packages/server/dist/data/record-worker.js,
 * built by the test command first): on the population fixture's person documents, it answers every
 * person's care relationship practice and care record exactly as the same handler does on the test's
 * own thread (the sources), with a fitted admission model crossing threads as term names; documents it
 * cannot answer from (another folder) are left to the server's thread; a closed renderer refuses.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_PAGE_SIZE } from '@openphm/core';
import { FULL_TERMS, buildPersonDocs, openDatabase, openPersonDocs, personDocsDirOf, type AdmissionScorer } from '@openphm/store-duckdb';
import { buildPopulationFixture, type Fixture } from '../packages/server/src/test-support.js';
import { docsKeyOf, inThreadRecordRenderer, workerRecordRenderer, type DocsRef, type RecordRenderRequest, type RecordRenderer } from '../packages/server/src/data/record-renderer.js';

const WORKER = new URL('../packages/server/dist/data/record-worker.js', import.meta.url);
const DAY = '2026-03-31';

/** A model over every term (coefficients made up, not fitted): the drivers of each person's score cross the thread too. */
const scorer: AdmissionScorer = {
  fitted: {
    name: 'full',
    terms: FULL_TERMS,
    model: {
      featureNames: FULL_TERMS.map((t) => t.name),
      coefficients: [-3, ...FULL_TERMS.map((_, j) => ((j % 5) - 2) / 4)],
      means: FULL_TERMS.map(() => 0.2),
      sds: FULL_TERMS.map(() => 1),
      iterations: 7,
    },
    ridge: 1e-3,
  },
  fittedAt: '2025-03-31',
  people: 1234,
  events: 56,
};

const request = (personId: string): RecordRenderRequest => ({
  personId,
  ref: DAY,
  today: '2026-11-26',
  operational: { alerts: [], advanceCarePlan: null, carePlan: { plan: null, unavailable: null }, referrals: [], caseload: [] },
  scorer,
  renamed: new Map([['E38000233-01', { name: 'Renamed neighbourhood' }]]),
});

describe('the record renderer on its worker thread', () => {
  let fixture: Fixture;
  let docs: DocsRef;
  let here: RecordRenderer;
  let worker: RecordRenderer;
  const ids = ['1', '2', '3', '4', '99', ...Array.from({ length: 60 }, (_, i) => String(100 + i))];
  beforeAll(async () => {
    expect(existsSync(WORKER), 'the server is built (npm run build)').toBe(true);
    fixture = await buildPopulationFixture();
    const db = await openDatabase(fixture.file);
    const dir = personDocsDirOf(fixture.file);
    await buildPersonDocs(db, dir, { day: DAY, timelinePageSize: TIMELINE_PAGE_SIZE });
    db.close();
    const opened = (await openPersonDocs(dir))!;
    docs = { dir, key: docsKeyOf(opened.manifest) };
    await opened.close();
    here = inThreadRecordRenderer();
    worker = workerRecordRenderer(WORKER);
  });
  afterAll(async () => {
    await here?.close();
    await worker?.close();
    fixture?.remove();
  });

  it('answers every practice and record as the handler on this thread does', async () => {
    let records = 0;
    let scored = 0;
    for (const id of ids) {
      expect(await worker.practice(docs, id), id).toEqual(await here.practice(docs, id));
      const [a, b] = await Promise.all([worker.record(docs, request(id)), here.record(docs, request(id))]);
      expect(a, id).toEqual(b);
      if (typeof a === 'object') {
        records++;
        if ((JSON.parse(a.value.text) as { risk: { admission: { available: boolean } } }).risk.admission.available) scored++;
      }
    }
    expect(records).toBe(ids.length - 1);
    expect(scored).toBeGreaterThan(30);
    // The unknown person.
    expect(await worker.record(docs, request('99'))).toBe('not-found');
    expect(await worker.practice(docs, '99')).toBeNull();
  });

  it('fails only the request whose document cannot be read, by the error’s kind alone, and answers the next', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'phm-record-worker-'));
    try {
      // The same folder with its documents' bytes replaced (sizes kept, so it opens): reading any of them fails.
      const damaged = join(copy, 'people');
      cpSync(docs.dir, damaged, { recursive: true });
      writeFileSync(join(damaged, 'docs.bin'), Buffer.alloc(statSync(join(damaged, 'docs.bin')).size, 0xff));
      const error = await worker.record({ dir: damaged, key: docs.key }, request('100')).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/^the record renderer failed \(\w+\)$/);
      expect(typeof (await worker.record(docs, request('100')))).toBe('object');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('leaves to the server what it cannot answer from the documents named, and refuses once closed', async () => {
    expect(await worker.record({ ...docs, key: 'another build' }, request('1'))).toBe('elsewhere');
    expect(await worker.record(docs, { ...request('1'), ref: '2026-01-01' })).toBe('elsewhere');
    expect(typeof (await worker.record(docs, request('1')))).toBe('object');
    const closing = workerRecordRenderer(WORKER);
    expect(await closing.practice(docs, '1')).not.toBe('elsewhere');
    await closing.close();
    await expect(closing.record(docs, request('1'))).rejects.toThrow('the record renderer is closed');
  });
});
