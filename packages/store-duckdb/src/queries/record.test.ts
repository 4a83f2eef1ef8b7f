/**
 * A person's record on the store's fixture (people 1-4, data from 2021-04-01): who they are
 * registered with, their GP record by code, medicines, family links from births, and the timeline of
 * every table with filters and pages.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { computePersonFeatures } from '../phm/features.js';
import { careGapFacts, recordCarerLinks, recordCodes, recordFamily, recordMedicines, recordSubject, recordTimeline } from './record.js';

let root: string;
let db: PhmDatabase;
beforeAll(async () => {
  root = makeTempDir();
  const file = join(root, 'record.duckdb');
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(file);
});
afterAll(() => {
  db.close();
  removeDir(root);
});

const DAY = '2026-03-31';

describe('a person’s record', () => {
  it('says who the person is registered with and where they live, with ODS and area names', async () => {
    expect(await recordSubject(db, '3', DAY)).toEqual({
      sex: 'F',
      age: 76,
      ethnicCategory: 'A',
      isCarer: false,
      registrationDate: '1990-01-01',
      lsoaCode: 'E01011229',
      lsoaName: 'Leeds 229',
      neighbourhoodId: 'leeds-1',
      neighbourhoodName: 'Leeds One',
      place: 'leeds',
      imdDecile: 1,
      practiceCode: 'B86001',
      practiceName: 'Leeds Surgery',
      pcnCode: 'U12345',
      pcnName: 'Leeds PCN',
      death: null,
    });
    // Age at death; the death's cause and place.
    expect(await recordSubject(db, '4', DAY)).toMatchObject({ age: 83, death: { date: '2023-02-01', cause: 'I219', place: 'hospital' } });
    expect(await recordSubject(db, '99', DAY)).toBeNull();
  });

  it('summarises the GP record by code: first and last recorded, how often, the latest value', async () => {
    expect(await recordCodes(db, '1', DAY)).toEqual([
      { code: '38341003', first: '2021-04-03', last: '2021-04-03', count: 1, latestValue: null },
      { code: '60621009', first: '2021-05-01', last: '2021-05-01', count: 1, latestValue: 27.5 },
    ]);
    // Nothing after the record's date.
    expect(await recordCodes(db, '1', '2021-04-30')).toEqual([{ code: '38341003', first: '2021-04-03', last: '2021-04-03', count: 1, latestValue: null }]);
  });

  it('lists medicines issued, most recent first, with issues in the last 12 months', async () => {
    expect(await recordMedicines(db, '3', '2021-12-31')).toEqual([
      { code: '0302', firstIssued: '2021-05-01', lastIssued: '2021-05-01', issues: 1, issues12m: 1 },
      { code: '0301011R0', firstIssued: '2021-04-01', lastIssued: '2021-04-01', issues: 1, issues12m: 1 },
    ]);
    expect((await recordMedicines(db, '3', DAY)).map((m) => m.issues12m)).toEqual([0, 0]);
  });

  it('links mother and baby through births', async () => {
    expect(await recordFamily(db, '3')).toEqual([{ relation: 'child', personId: '2', birthDate: '2021-06-01' }]);
    expect(await recordFamily(db, '2')).toEqual([{ relation: 'mother', personId: '3', birthDate: '2021-06-01' }]);
    expect(await recordFamily(db, '1')).toEqual([]);
  });

  it.each<[string, string, string, unknown[]]>([
    ['the carer: whom they care for, by start', '1', DAY, [{ relation: 'cares-for', personId: '3', since: '2022-01-01', until: null }, { relation: 'cares-for', personId: '2', since: '2023-01-01', until: '2024-06-30' }]],
    ['the person cared for: who cares for them', '3', DAY, [{ relation: 'cared-for-by', personId: '1', since: '2022-01-01', until: null }]],
    ['a link that ended', '2', DAY, [{ relation: 'cared-for-by', personId: '1', since: '2023-01-01', until: '2024-06-30' }]],
    ['an end after the record’s date: not known yet', '2', '2024-01-01', [{ relation: 'cared-for-by', personId: '1', since: '2023-01-01', until: null }]],
    ['before the link started: nothing yet', '1', '2021-12-31', []],
    ['someone with no link', '4', DAY, []],
    ['not a person id', 'x', DAY, []],
  ])('links carers and the people they care for: %s', async (_name, personId, day, links) => {
    expect(await recordCarerLinks(db, personId, day)).toEqual(links);
  });

  it('puts every table on one timeline, newest first', async () => {
    const page = await recordTimeline(db, '4', { page: 1, pageSize: 50 });
    expect(page.total).toBe(6);
    expect(page.events.map((e) => [e.date, e.kind, e.code, e.a, e.b, e.n])).toEqual([
      ['2023-02-01', 'death', 'I219', 'hospital', null, null],
      ['2022-12-01', 'ae', '01', 'admitted', '10:00', 330],
      ['2022-12-01', 'admission', 'I219', 'emergency', 'died', 62],
      ['2022-06-01', 'community', null, 'district-nursing', null, null],
      ['2022-06-01', 'care-home', null, 'residential', '2022-12-01', 1],
      ['2022-05-01', 'social-care', null, 'assessment', null, null],
    ]);
    const three = await recordTimeline(db, '3', { page: 1, pageSize: 50 });
    expect(three.events.map((e) => `${e.date} ${e.kind} ${e.code ?? ''} ${e.a ?? ''}`.trim())).toEqual([
      '2023-01-01 care-home  nursing',
      '2021-09-01 outpatient 300 did-not-attend',
      '2021-08-01 outpatient 300 attended',
      '2021-06-01 birth  gave-birth',
      '2021-05-01 medicine 0302',
      '2021-04-02 gp-record 195967001',
      '2021-04-02 gp-record 38341003',
      '2021-04-01 medicine 0301011R0',
    ]);
    // The baby's side of the birth: born, with gestation and weight.
    expect((await recordTimeline(db, '2', { kinds: ['birth'], page: 1, pageSize: 50 })).events).toEqual([{ date: '2021-06-01', kind: 'birth', code: null, a: 'born', b: '39', n: 3400 }]);
  });

  it.each([
    ['kinds', { kinds: ['outpatient', 'medicine'] as const }, 4, ['2021-09-01 outpatient', '2021-08-01 outpatient', '2021-05-01 medicine', '2021-04-01 medicine']],
    ['from', { from: '2021-06-01' }, 4, ['2023-01-01 care-home', '2021-09-01 outpatient', '2021-08-01 outpatient', '2021-06-01 birth']],
    ['to', { to: '2021-04-02' }, 3, ['2021-04-02 gp-record', '2021-04-02 gp-record', '2021-04-01 medicine']],
    ['from and to, one kind', { kinds: ['gp-record'] as const, from: '2021-04-02', to: '2021-04-02' }, 2, ['2021-04-02 gp-record', '2021-04-02 gp-record']],
    ['nothing in range', { from: '2030-01-01' }, 0, []],
  ])('filters by %s', async (_label, filter, total, shown) => {
    const page = await recordTimeline(db, '3', { ...filter, page: 1, pageSize: 50 });
    expect(page.total).toBe(total);
    expect(page.events.map((e) => `${e.date} ${e.kind}`)).toEqual(shown);
  });

  it('reads a page at a time, and says how many there are past the last page', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => recordTimeline(db, '3', { page, pageSize: 3 })));
    expect(pages.map((p) => p.total)).toEqual([8, 8, 8, 8]);
    expect(pages.map((p) => p.events.length)).toEqual([3, 3, 2, 0]);
    const all = (await recordTimeline(db, '3', { page: 1, pageSize: 50 })).events;
    expect(pages.flatMap((p) => p.events)).toEqual(all);
  });

  it('counts events by kind between the days, whatever kinds are shown', async () => {
    const all = [
      { kind: 'gp-record', count: 2 },
      { kind: 'medicine', count: 2 },
      { kind: 'outpatient', count: 2 },
      { kind: 'care-home', count: 1 },
      { kind: 'birth', count: 1 },
    ];
    expect((await recordTimeline(db, '3', { page: 1, pageSize: 50 })).counts).toEqual(all);
    expect((await recordTimeline(db, '3', { kinds: ['birth'], page: 1, pageSize: 50 })).counts).toEqual(all);
    expect((await recordTimeline(db, '3', { from: '2021-08-01', to: '2021-12-31', page: 1, pageSize: 50 })).counts).toEqual([{ kind: 'outpatient', count: 2 }]);
    expect((await recordTimeline(db, '99', { page: 1, pageSize: 50 }))).toEqual({ total: 0, events: [], counts: [] });
  });

  it('gathers care-gap facts for a list of people from the features table and the GP record', async () => {
    await computePersonFeatures(db, DAY, { table: 'gap_features' });
    const facts = await careGapFacts(db, 'gap_features', ['3', '1', '4', '99', 'x'], ['195967001', '60621009', '170777000'], DAY);
    // Person 4 died in 2023: not in the features; 99 does not exist.
    expect([...facts.keys()].sort()).toEqual(['1', '3']);
    expect(facts.get('3')).toEqual({ age: 76, sex: 'F', isCarer: false, conditions: ['hypertension', 'asthma'], lastRecorded: new Map([['195967001', '2021-04-02']]) });
    expect(facts.get('1')).toEqual({ age: 45, sex: 'M', isCarer: true, conditions: ['hypertension'], lastRecorded: new Map([['60621009', '2021-05-01']]) });
    expect(await careGapFacts(db, 'gap_features', [], ['195967001'], DAY)).toEqual(new Map());
  });
});
