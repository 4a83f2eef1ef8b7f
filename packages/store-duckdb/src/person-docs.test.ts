/**
 * Person documents on the store's fixture: every one-person read answered from the documents
 * equals the store's query (every person, an unknown id, a malformed one), other days and
 * timeline pages go to DuckDB, and a store is served only for its own build, day and code; a
 * damaged folder is not opened.
 */
import { existsSync, statSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSES, TIMELINE_PAGE_SIZE } from '@openphm/core';
import { buildDatabase } from './build.js';
import { openDatabase, type PhmDatabase } from './database.js';
import { buildIdOf } from './queries/fingerprints.js';
import { PERSON_DOCS_FORMAT, buildPersonDocs, openPersonDocs, personDocsDirOf, personDocsServe, personReads, type PersonDocs, type PersonReads } from './person-docs.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from './test-support.js';

const DAY = '2026-03-31';

let root: string;
let file: string;
let db: PhmDatabase;
beforeAll(async () => {
  root = makeTempDir();
  file = join(root, 'docs.duckdb');
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(file);
});
afterAll(() => {
  db.close();
  removeDir(root);
});

/** Every read of both paths for one person at a day, side by side. */
export const everyRead = async (reads: PersonReads, id: string, day: string): Promise<unknown> => ({
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

describe('person documents', () => {
  let docs: PersonDocs;
  const dir = () => personDocsDirOf(file);
  beforeAll(async () => {
    const manifest = await buildPersonDocs(db, dir(), { day: DAY, timelinePageSize: TIMELINE_PAGE_SIZE, chunk: 2 });
    expect(manifest).toMatchObject({ people: 4, day: DAY, buildId: await buildIdOf(db) });
    docs = (await openPersonDocs(dir()))!;
    expect(docs).not.toBeNull();
  });
  afterAll(async () => docs.close());

  it('answers every one-person read exactly as the store’s queries do, for everyone and for ids that are no one', async () => {
    const fast = personReads(db, docs);
    expect(fast.fromDocs).toBe(true);
    const slow = personReads(db);
    for (const id of ['1', '2', '3', '4', '99', '0004']) {
      const expected = await everyRead(slow, id, DAY);
      expect(await everyRead(fast, id, DAY), `person ${id}`).toEqual(expected);
    }
    // Something to compare: person 3 has codes, medicines, a family and a timeline.
    expect(await slow.recordCodes('3', DAY)).not.toEqual([]);
    expect((await slow.recordTimeline('3', { kinds: [], page: 1, pageSize: TIMELINE_PAGE_SIZE })).total).toBeGreaterThan(0);
  });

  it('freezes the documents it reads unless told not to, with the same content either way', async () => {
    const frozen = (await docs.get('3'))!;
    expect(Object.isFrozen(frozen) && Object.isFrozen(frozen.codes) && Object.isFrozen(frozen.codes[0])).toBe(true);
    const plain = (await openPersonDocs(dir(), { freeze: false }))!;
    try {
      const doc = (await plain.get('3'))!;
      expect(Object.isFrozen(doc) || Object.isFrozen(doc.codes)).toBe(false);
      expect(doc).toEqual(frozen);
    } finally {
      await plain.close();
    }
  });

  it('leaves other days and other timeline pages to DuckDB', async () => {
    const fast = personReads(db, docs);
    const slow = personReads(db);
    expect(await fast.recordCodes('1', '2021-04-30')).toEqual(await slow.recordCodes('1', '2021-04-30'));
    expect(await fast.recordCodes('1', '2021-04-30')).not.toEqual(await fast.recordCodes('1', DAY));
    const filtered = { kinds: ['gp-record' as const], page: 1, pageSize: 1 };
    expect(await fast.recordTimeline('3', filtered)).toEqual(await slow.recordTimeline('3', filtered));
  });

  it('is served only for its own build, day and page size', async () => {
    const buildId = await buildIdOf(db);
    expect(personDocsServe(docs, buildId, DAY, TIMELINE_PAGE_SIZE)).toBe(true);
    expect(personDocsServe(docs, 'another-build', DAY, TIMELINE_PAGE_SIZE)).toBe(false);
    expect(personDocsServe(docs, buildId, '2026-03-30', TIMELINE_PAGE_SIZE)).toBe(false);
    expect(personDocsServe(docs, buildId, DAY, 20)).toBe(false);
    expect(personDocsServe(docs, undefined, DAY, TIMELINE_PAGE_SIZE)).toBe(false);
  });

  it('keeps its folder private, and a damaged folder is not opened', async () => {
    expect(statSync(dir()).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir(), 'docs.bin')).mode & 0o777).toBe(0o600);
    const copy = `${dir()}-copy`;
    await buildPersonDocs(db, copy, { day: DAY, timelinePageSize: TIMELINE_PAGE_SIZE });
    expect(existsSync(`${copy}.tmp-${process.pid}`)).toBe(false);
    const manifest = readFileSync(join(copy, 'manifest.json'), 'utf8');
    writeFileSync(join(copy, 'manifest.json'), manifest.replace(`"format": ${PERSON_DOCS_FORMAT}`, '"format": 999'));
    expect(await openPersonDocs(copy)).toBeNull();
    writeFileSync(join(copy, 'manifest.json'), manifest);
    truncateSync(join(copy, 'docs.bin'), 10);
    expect(await openPersonDocs(copy)).toBeNull();
    expect(await openPersonDocs(join(root, 'nowhere'))).toBeNull();
  });
});
