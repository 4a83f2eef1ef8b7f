import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from '../build.js';
import { openDatabase, type LookupDatabase } from '../database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { personPractice, personPractices } from './relationship.js';

let root: string;
let db: LookupDatabase;
beforeAll(async () => {
  root = makeTempDir();
  await buildDatabase({ outFile: join(root, 'r.duckdb'), csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META });
  db = await openDatabase(join(root, 'r.duckdb'));
});
afterAll(() => {
  db.close();
  removeDir(root);
});

describe("a person's practice and its neighbourhoods", () => {
  it.each([
    ['3', { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] }],
    ['1', { code: 'B86002', name: 'Leeds Health Centre', neighbourhoodIds: ['leeds-1'] }],
    ['2', { code: 'B82001', name: 'Halifax Practice', neighbourhoodIds: ['calderdale-1'] }],
  ])('person %s', async (id, practice) => {
    expect(await personPractice(db, id)).toEqual({ practice });
  });

  it.each(['99', 'x1', ''])('no person %j', async (id) => {
    expect(await personPractice(db, id)).toBeNull();
  });

  it('of many people at once, leaving out ids that are no person', async () => {
    const many = await personPractices(db, ['3', '2', '99', 'x1', '3', '4']);
    expect([...many.keys()].sort()).toEqual(['2', '3', '4']);
    expect(many.get('3')).toEqual({ code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] });
    expect(many.get('4')).toEqual({ code: 'B82001', name: 'Halifax Practice', neighbourhoodIds: ['calderdale-1'] });
    expect(await personPractices(db, [])).toEqual(new Map());
  });
});
