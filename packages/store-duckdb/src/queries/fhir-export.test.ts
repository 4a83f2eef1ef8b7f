import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { exportPracticeCodes, openExportIdentities, personIdBatches, readFhirExportBatch } from './fhir-export.js';

let root: string;
let db: PhmDatabase;
let file: string;

beforeAll(async () => {
  root = makeTempDir();
  file = join(root, 'export.duckdb');
  const csvDir = writeCsvDir(root, { ...VALID_FILES, 'identity.csv': `${[IDENTITY_HEADER, ...IDENTITY_ROWS].join('\n')}\n` });
  await buildDatabase({ outFile: file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
  db = await openDatabase(file);
});
afterAll(() => {
  db?.close();
  removeDir(root);
});

describe('the rows phm export --fhir writes', () => {
  it.each([
    [1, [[1, 1], [2, 2], [3, 3], [4, 4]]],
    [2, [[1, 2], [3, 4]]],
    [3, [[1, 2], [3, 4]]],
    [10, [[1, 4]]],
  ])('people in batches of %i by person id', async (size, ranges) => {
    expect((await personIdBatches(db, size)).map((b) => [b.from, b.to])).toEqual(ranges);
  });

  it('the practices people are registered with', async () => {
    expect(await exportPracticeCodes(db)).toEqual(['B82001', 'B86001', 'B86002']);
  });

  it('a batch: people with identity and death, and their rows of every table', async () => {
    const identities = await openExportIdentities(db, file);
    expect(identities).toBeDefined();
    try {
      const batch = await readFhirExportBatch(db, identities, 3, 4);
      expect(batch.people.map((p) => [p.personId, p.sex, p.dateOfBirth, p.ethnicCategory, p.practice.code, p.registrationDate, p.dateOfDeath, p.identity?.nhsNumber])).toEqual([
        ['3', 'F', '1950-02-01', 'A', 'B86001', '1990-01-01', null, '9990000034'],
        ['4', 'M', '1940-01-01', 'A', 'B82001', '1960-01-01', '2023-02-01', expect.any(String)],
      ]);
      expect(batch.clinicalEvents).toEqual([
        { id: '3-1', personId: '3', day: '2021-04-02', snomed: '195967001', value: null },
        { id: '3-2', personId: '3', day: '2021-04-02', snomed: '38341003', value: null },
      ]);
      expect(batch.outpatients).toEqual([
        { id: '3-1', personId: '3', day: '2021-08-01', specialty: '300', attended: true },
        { id: '3-2', personId: '3', day: '2021-09-01', specialty: '300', attended: false },
      ]);
      expect(batch.aeAttendances).toEqual([{ id: '20', personId: '4', arrival: '2022-12-01 10:00:00', departure: '2022-12-01 15:30:00', departmentType: expect.any(String), disposal: 'admitted' }]);
      expect(batch.hospitalSpells).toEqual([{ id: '100', personId: '4', admission: '2022-12-01', discharge: '2023-02-01', method: 'emergency', diagnosis: 'I219', externalCause: null, destination: 'died' }]);
      expect(batch.gpAppointments).toEqual([]);
      expect(batch.deaths).toEqual([{ personId: '4', day: '2023-02-01', cause: 'I219', place: 'hospital' }]);
      expect(batch.medications).toEqual([
        { id: '3-1', personId: '3', day: '2021-04-01', bnf: '0301011R0' },
        { id: '3-2', personId: '3', day: '2021-05-01', bnf: '0302' },
      ]);
      expect(batch.communityContacts).toEqual([{ id: '4-1', personId: '4', day: '2022-06-01', service: 'district-nursing' }]);
      expect(batch.socialCareEvents).toEqual([{ id: '4-1', personId: '4', day: '2022-05-01', service: 'assessment' }]);
      expect(batch.mentalHealthContacts).toEqual([]);
      expect(batch.optOuts).toEqual([{ personId: '4', kind: 'national', recorded: null }, { personId: '4', kind: 'type-1', recorded: '2021-06-01' }]);
      // Person 3 is a mother (the birth is read with the baby, person 2, in another batch): her Patient links to the baby's mother.
      expect(batch.people.map((p) => p.links)).toEqual([['mother-2'], []]);
      expect(batch.births).toEqual([]);
      expect(batch.careHomeStays).toEqual([
        { id: '3-1', personId: '3', start: '2023-01-01', end: null, careType: 'nursing', permanent: true, councilFunded: true },
        { id: '4-1', personId: '4', start: '2022-06-01', end: '2022-12-01', careType: 'residential', permanent: true, councilFunded: false },
      ]);
      const one = await readFhirExportBatch(db, identities, 1, 1);
      expect(one.gpAppointments.map((g) => [g.id, g.day, g.mode, g.practice])).toEqual([['1-1', '2021-06-01', 'face-to-face', 'B86002'], ['1-2', '2021-06-01', 'telephone', 'B86002']]);
      expect(one.clinicalEvents.map((e) => e.value)).toEqual([null, 27.5]);
      expect(one.mentalHealthContacts).toEqual([{ id: '1-1', personId: '1', day: '2022-02-01', service: 'talking-therapies' }]);
      // Carer relationships are read with the carer, and the carer's Patient links to them.
      expect(one.carers).toEqual([{ carerId: '1', caredForId: '2', start: '2023-01-01', end: '2024-06-30' }, { carerId: '1', caredForId: '3', start: '2022-01-01', end: null }]);
      expect(one.people[0]!.links).toEqual(['carer-1-2-20230101', 'carer-1-3-20220101']);
      const two = await readFhirExportBatch(db, identities, 2, 2);
      expect(two.births).toEqual([{ babyId: '2', motherId: '3', day: '2021-06-01', weightGrams: 3400, gestationWeeks: 39, smokingAtDelivery: null }]);
    } finally {
      identities?.close();
    }
  });

  it('without an identity store: people without identities', async () => {
    const batch = await readFhirExportBatch(db, undefined, 1, 4);
    expect(batch.people.map((p) => p.identity)).toEqual([null, null, null, null]);
  });
});
