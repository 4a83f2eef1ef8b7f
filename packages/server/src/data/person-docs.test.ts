/**
 * The person documents answer exactly what DuckDB answers (decision 0012):
 * - on a generated partnership (synth, 600 people, the real geography): every one-person read of
 *   every fourth person (150), documents against the store's queries (every person's document is built), and everyone's
 *   admission score terms against a whole-population features table;
 * - over HTTP on the population fixture: the person summary and the care record of everyone, from a
 *   server that built its documents in the background and one without, byte for byte; and a stale
 *   store (another build of the data) is not used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSES, TIMELINE_PAGE_SIZE } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { FULL_TERMS, buildDatabase, buildPersonDocs, computePersonFeatures, lastDataDay, openDatabase, openPersonDocs, personDocsDirOf, personReads, type PersonReads, type PhmDatabase } from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';
import { buildPopulationFixture, startSignedInServer, type Fixture, type SignedInServer } from '../test-support.js';

const everyRead = async (reads: PersonReads, id: string, day: string): Promise<unknown> => ({
  neighbourhood: await reads.personNeighbourhood(id),
  practice: await reads.personPractice(id),
  records: await Promise.all(PURPOSES.map((p) => reads.personRecord(id, day, p))),
  subject: await reads.recordSubject(id, day),
  codes: await reads.recordCodes(id, day),
  medicines: await reads.recordMedicines(id, day),
  family: await reads.recordFamily(id),
  carers: await reads.recordCarerLinks(id, day),
  timeline: await reads.recordTimeline(id, { kinds: [], page: 1, pageSize: TIMELINE_PAGE_SIZE }),
});

describe('person documents on a generated partnership', () => {
  let dir: string;
  let db: PhmDatabase;
  let day: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phm-person-docs-'));
    const geography = await loadGeography();
    const csvDir = join(dir, 'csv');
    const manifest = await generatePopulation({ geography, seed: 'person-docs', size: 600, outDir: csvDir, workers: 0 });
    const file = join(dir, 'generated.duckdb');
    await buildDatabase({
      outFile: file,
      csvDir,
      geography,
      threads: 2,
      meta: { source: 'synthetic', generator: manifest.generator, seed: manifest.seed, size: '600', window_start: manifest.windowStart, years: String(manifest.years) },
    });
    db = await openDatabase(file);
    day = await lastDataDay(db, '2026-01-01');
    await buildPersonDocs(db, personDocsDirOf(file), { day, timelinePageSize: TIMELINE_PAGE_SIZE, chunk: 150 });
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every read of a person as the store’s queries do, for every fourth person', async () => {
    const docs = (await openPersonDocs(personDocsDirOf(join(dir, 'generated.duckdb'))))!;
    try {
      const ids = (await db.query<{ id: string }>('SELECT person_id::VARCHAR AS id FROM person ORDER BY person_id')).map((r) => r.id);
      expect(docs.manifest.people).toBe(ids.length);
      const compared = ids.filter((_, i) => i % 4 === 0);
      let withTimeline = 0;
      let withContacts = 0;
      for (const id of compared) {
        const fast = personReads(db, docs);
        const slow = personReads(db);
        const expected = (await everyRead(slow, id, day)) as { timeline: { total: number }; records: ({ recent: unknown[] } | null)[] };
        expect(await everyRead(fast, id, day), `person ${id}`).toEqual(expected);
        if (expected.timeline.total > TIMELINE_PAGE_SIZE) withTimeline++;
        if ((expected.records[0]?.recent.length ?? 0) > 0) withContacts++;
      }
      // The comparison covered full pages and contacts (not only empty records).
      expect(withTimeline).toBeGreaterThan(compared.length / 4);
      expect(withContacts).toBeGreaterThan(compared.length / 4);
    } finally {
      await docs.close();
    }
  }, 600_000);

  it('holds the admission score’s term values of everyone as a whole-population features table has them (null for the dead)', async () => {
    const docs = (await openPersonDocs(personDocsDirOf(join(dir, 'generated.duckdb'))))!;
    try {
      await computePersonFeatures(db, day, { table: 'docs_test_features' });
      const columns = FULL_TERMS.map((t, j) => `${t.sql((c) => `f.${c}`)} AS x${j}`).join(', ');
      const rows = await db.query<Record<string, number | string>>(`SELECT f.person_id::VARCHAR AS id, ${columns} FROM docs_test_features f`);
      const expected = new Map(rows.map((r) => [String(r.id), FULL_TERMS.map((_, j) => Number(r[`x${j}`]))]));
      const ids = (await db.query<{ id: string }>('SELECT person_id::VARCHAR AS id FROM person ORDER BY person_id')).map((r) => r.id);
      const reads = personReads(db, docs);
      let scored = 0;
      for (const id of ids) {
        const terms = await reads.admissionTerms(id, day);
        expect(terms, `person ${id}`).toEqual(expected.get(id) ?? null);
        if (terms !== null) scored++;
      }
      // Everyone resident has terms, and the dead have none; another day, or DuckDB's reads, leave it to the features table.
      expect(scored).toBe(expected.size);
      expect(scored).toBeLessThan(ids.length);
      expect(await reads.admissionTerms(ids[0]!, '2020-01-01')).toBeUndefined();
      expect(await personReads(db).admissionTerms(ids[0]!, day)).toBeUndefined();
    } finally {
      await docs.close();
    }
  }, 120_000);
});

describe('the person routes with person documents', () => {
  let fixture: Fixture;
  let withDocs: SignedInServer;
  let without: SignedInServer;
  /** The record rendered by the record renderer's handler (record-renderer.ts; here on the server's thread, in the built server on a worker). */
  let rendered: SignedInServer;
  const ids = ['1', '2', '3', '4', '99', ...Array.from({ length: 60 }, (_, i) => String(100 + i))];
  beforeAll(async () => {
    fixture = await buildPopulationFixture();
    const options = { today: () => '2026-11-26' };
    withDocs = await startSignedInServer(fixture.file, { ...options, personDocs: { dir: personDocsDirOf(fixture.file), build: true } });
    without = await startSignedInServer(fixture.file, options);
  });
  afterAll(async () => {
    await withDocs?.app.close();
    await without?.app.close();
    await rendered?.app.close();
    fixture?.remove();
  });

  it('builds its documents in the background and then answers the summary and the record exactly as from DuckDB', async () => {
    const source = withDocs.app.openphm.personDocs!;
    // The first request finds none, answers from DuckDB, and starts the build.
    expect((await withDocs.as('analyst', 'GET', '/api/people/3')).statusCode).toBe(200);
    await source.idle();
    expect(await source.current(withDocs.app.openphm.data)).not.toBeNull();
    expect(source.state).toMatchObject({ status: 'ready', manifest: { people: 64 } });
    let ok = 0;
    for (const id of ids) {
      for (const [who, url] of [['analyst', `/api/people/${id}`], ['neighbourhood', `/api/care/people/${id}/record`], ['neighbourhood', `/api/care/people/${id}/timeline`]] as const) {
        const [a, b] = [await withDocs.as(who, 'GET', url), await without.as(who, 'GET', url)];
        expect(a.statusCode, url).toBe(b.statusCode);
        expect(a.body, url).toBe(b.body);
        if (a.statusCode === 200) ok++;
      }
    }
    expect(ok).toBeGreaterThan(150);
  });

  it('renders the care record through the record renderer exactly as the route assembles it, and checks the care relationship the same way', async () => {
    // The documents built by the server above (a read starts the build when there are none).
    await withDocs.as('analyst', 'GET', '/api/people/3');
    await withDocs.app.openphm.personDocs!.idle();
    rendered = await startSignedInServer(fixture.file, { today: () => '2026-11-26', personDocs: { dir: personDocsDirOf(fixture.file), render: 'thread' } });
    let ok = 0;
    let refused = 0;
    for (const id of ids) {
      for (const url of [`/api/care/people/${id}/record`, `/api/care/people/${id}`, `/api/care/people/${id}/timeline`]) {
        const [a, b] = [await rendered.as('neighbourhood', 'GET', url), await without.as('neighbourhood', 'GET', url)];
        expect(a.statusCode, url).toBe(b.statusCode);
        expect(a.body, url).toBe(b.body);
        if (a.statusCode === 200) ok++;
        if (a.statusCode === 403) refused++;
      }
    }
    // Records of people inside and outside the team's care relationship, and the unknown person (99) not found.
    expect(ok).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(0);
    expect((await rendered.as('neighbourhood', 'GET', '/api/care/people/99/record')).statusCode).toBe(404);
    const counts = rendered.app.openphm.personDocs!.state.rendered;
    // Every record the team may read was rendered there, none left to the route.
    expect(counts.records).toBeGreaterThan(10);
    expect(counts.elsewhere).toBe(0);
  });

  it('does not use documents of another build of the data', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'phm-person-docs-stale-'));
    try {
      // Documents built from another database (another build id) in the folder the server reads.
      const other = await buildPopulationFixture(3);
      const db = await openDatabase(other.file);
      await buildPersonDocs(db, join(copy, 'people'), { day: '2026-03-31', timelinePageSize: TIMELINE_PAGE_SIZE });
      db.close();
      other.remove();
      const server = await startSignedInServer(fixture.file, { today: () => '2026-11-26', personDocs: { dir: join(copy, 'people') } });
      try {
        expect((await server.as('analyst', 'GET', '/api/people/3')).body).toBe((await without.as('analyst', 'GET', '/api/people/3')).body);
        expect(await server.app.openphm.personDocs!.current(server.app.openphm.data)).toBeNull();
        expect(server.app.openphm.personDocs!.state.status).toBe('absent');
      } finally {
        await server.app.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
