import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from './build.js';
import { openDatabase, type PhmDatabase } from './database.js';
import { populationInfo } from './info.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from './test-support.js';

describe('populationInfo', () => {
  let root: string;
  let db: PhmDatabase;

  beforeAll(async () => {
    root = makeTempDir();
    const file = join(root, 'phm.duckdb');
    await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, VALID_FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
    db = await openDatabase(file);
  });
  afterAll(() => {
    db.close();
    removeDir(root);
  });

  it('counts people, alive at the end of the window, by place, neighbourhood and IMD decile', async () => {
    const info = await populationInfo(db);
    expect(info.windowStart).toBe('2021-04-01');
    expect(info.windowEnd).toBe('2026-04-01');
    expect(info.meta).toMatchObject({ source: 'synthetic', seed: 'test', schema_version: '5' });
    // Person 4 (Calderdale, decile 10) died in 2023.
    expect(info.people).toEqual({ total: 4, aliveAtWindowEnd: 3 });
    expect(info.byPlace).toEqual([
      { place: 'calderdale', name: 'Calderdale', people: 2, alive: 1 },
      { place: 'leeds', name: 'Leeds', people: 2, alive: 2 },
    ]);
    expect(info.byNeighbourhood).toEqual([
      { neighbourhoodId: 'calderdale-1', name: 'Calderdale One', place: 'calderdale', people: 2, alive: 1 },
      { neighbourhoodId: 'leeds-1', name: 'Leeds One', place: 'leeds', people: 2, alive: 2 },
    ]);
    expect(info.byImdDecile).toEqual([
      { imdDecile: 1, people: 1, alive: 1 },
      { imdDecile: 5, people: 1, alive: 1 },
      { imdDecile: 10, people: 2, alive: 1 },
    ]);
    expect(info.tables).toMatchObject({ person: 4, clinical_event: 5, death: 1, geo_lsoa: 3, geo_practice: 3, meta: 9 });
  });
});
