/**
 * Purposes on both engines: people with each combination of opt-outs, in and out of a cohort, built
 * through the ordinary import; for every purpose the store's SQL (purposes.ts, cohortMemberIds,
 * runCohort's worklist) and the in-memory engine include the same people and leave out the same
 * number, with the same cell key.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSES, includedFor, linkIncludedFor, parseCohortDefinition, type IndicatorData, type OptOutKind, type Purpose } from '@openphm/core';
import { carerLinksForInMemory, cohortForPurposeInMemory, personIdsForInMemory } from '@openphm/engine-memory';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { readIndicatorData } from '../indicators/data.js';
import { GEOGRAPHY, META, VALID_FILES, csv, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { cohortMemberIds, runCohort } from './cohorts.js';
import { ensurePersonFeatures } from './features.js';
import { NO_DISCLOSURE_CONTROL } from './disclosure.js';
import { carerLinksFor, leftOutCount, personIdsFor } from './purposes.js';

const D = '2024-03-31';
/** Adults of Leeds One (cohort: aged 18 or over). */
const ADULTS = parseCohortDefinition({ id: 'adults', version: 1, title: 'Adults', description: 'Everyone aged 18 or over.', rule: { kind: 'compare', feature: 'age', op: '>=', value: 18 } }, 'test');

// person_id → opt-outs; even ids are adults, odd ids children (not in the cohort); all live in leeds-1.
const OPT_OUTS: Record<number, OptOutKind[]> = {
  10: [], 11: [],
  20: ['type-1'], 21: ['type-1'],
  30: ['national'], 31: ['national'],
  40: ['type-1', 'national'], 41: ['type-1', 'national'],
};
const IDS = Object.keys(OPT_OUTS).map(Number);
const isAdult = (id: number) => id % 2 === 0;
/** Carer links (carer, person cared for): each combination of opt-outs at either end. */
const LINKS: [number, number][] = [[10, 11], [10, 20], [30, 10], [40, 41], [20, 31], [11, 10]];

let root: string;
let db: PhmDatabase;
let data: IndicatorData;

beforeAll(async () => {
  root = makeTempDir();
  const headerOnly = Object.fromEntries(Object.entries(VALID_FILES).filter(([f]) => f.endsWith('.csv')).map(([f, text]) => [f, `${text.split('\n')[0]}\n`]));
  const files = {
    ...headerOnly,
    'person.csv': csv(
      'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer',
      ...IDS.map((id) => `${id},F,${isAdult(id) ? '1970-01-01' : '2015-01-01'},A,E01011230,B86002,2015-02-01,false`),
    ),
    'opt_out.csv': csv('person_id,kind,recorded_date', ...IDS.flatMap((id) => OPT_OUTS[id]!.map((k) => `${id},${k},${k === 'type-1' ? '2021-06-30' : ''}`))),
    'carer_relationship.csv': csv('carer_person_id,cared_for_person_id,start_date,end_date', ...LINKS.map(([carer, cared]) => `${carer},${cared},2022-01-01,`)),
  };
  const file = join(root, 'purposes.duckdb');
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(file);
  data = await readIndicatorData(db);
  await ensurePersonFeatures(db, D);
});
afterAll(() => {
  db?.close();
  if (root) removeDir(root);
});

describe('who each purpose includes, on both engines', () => {
  // The expected people, from core's rule table applied person by person.
  const expected = (purpose: Purpose, filter: (id: number) => boolean = () => true) => IDS.filter((id) => filter(id) && includedFor(purpose, OPT_OUTS[id]!)).sort((a, b) => a - b);

  it.each(PURPOSES)('%s: everyone in the person table it may use', async (purpose) => {
    expect(await personIdsFor(db, purpose)).toEqual(expected(purpose));
    expect(personIdsForInMemory(data, purpose).map(Number)).toEqual(expected(purpose));
  });

  it.each(PURPOSES)('%s: the carer links it may use, neither end opted out (an opt-out at either end leaves the link out)', async (purpose) => {
    const want = LINKS.filter(([carer, cared]) => linkIncludedFor(purpose, OPT_OUTS[carer]!, OPT_OUTS[cared]!))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([carer, cared]) => ({ carerPersonId: String(carer), caredForPersonId: String(cared), startDate: '2022-01-01', endDate: null }));
    expect(want.length).toBe(purpose === 'direct-care' ? LINKS.length : 2);
    expect(await carerLinksFor(db, purpose)).toEqual(want);
    expect(carerLinksForInMemory(data, purpose)).toEqual(want);
  });

  it.each(PURPOSES)('%s: a cohort\u2019s members and the number left out, with the same cell key', async (purpose) => {
    const store = await cohortMemberIds(db, ADULTS, 'person_features', purpose);
    const memory = cohortForPurposeInMemory(data, D, ADULTS, purpose);
    expect(store).toEqual(expected(purpose, isAdult));
    expect(memory.members.map(Number)).toEqual(store);
    const leftOut = await leftOutCount(db, purpose, 'person_features', 'age >= 18');
    expect(leftOut).toEqual(memory.leftOut);
    expect(leftOut.n).toBe(purpose === 'direct-care' ? 0 : 3);

    const result = await runCohort(db, ADULTS, { referenceDate: D, breakdowns: [['ics']], worklist: { neighbourhoodId: 'leeds-1', purpose }, policy: NO_DISCLOSURE_CONTROL, table: 'person_features' });
    expect(result.worklist!.map((w) => w.personId).sort((a, b) => a - b)).toEqual(store);
    expect(result.worklistPurpose).toEqual({ purpose, leftOut: leftOut.n });
    // Counts are aggregates: everyone, whatever the worklist's purpose.
    expect(result.counts[0]!.people).toBe(4);
  });
});
