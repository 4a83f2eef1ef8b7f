/** Neighbourhood names on both back ends: given, changed, taken away, and the stamp caches follow. */
import { describe, expect, it } from 'vitest';
import { neighbourhoodNamesStamp, storeNeighbourhoodName, storedNeighbourhoodNames } from './neighbourhood-names.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('neighbourhood names on $name', (backend) => {
  const db = useTestDb(backend, 'phm_neighbourhood_names');

  it('stores a name, changes it, takes it away, and the stamp moves each time', async () => {
    const stamps = [await neighbourhoodNamesStamp(db)];
    expect(await storeNeighbourhoodName(db, 'leeds-01', 'Beeston and Holbeck', 'admin@test')).toMatchObject({ before: null, stored: { neighbourhoodId: 'leeds-01', name: 'Beeston and Holbeck', version: 1, changedBy: 'admin@test' } });
    stamps.push(await neighbourhoodNamesStamp(db));
    expect(await storeNeighbourhoodName(db, 'leeds-01', 'Beeston, Holbeck and Cottingley', 'other@test')).toMatchObject({ before: 'Beeston and Holbeck', stored: { version: 2, changedBy: 'other@test' } });
    stamps.push(await neighbourhoodNamesStamp(db));
    await storeNeighbourhoodName(db, 'kirklees-02', 'Dewsbury', 'admin@test');
    expect([...(await storedNeighbourhoodNames(db)).values()].map((r) => [r.neighbourhoodId, r.name])).toEqual([['kirklees-02', 'Dewsbury'], ['leeds-01', 'Beeston, Holbeck and Cottingley']]);
    stamps.push(await neighbourhoodNamesStamp(db));
    expect(await storeNeighbourhoodName(db, 'leeds-01', null, 'admin@test')).toEqual({ before: 'Beeston, Holbeck and Cottingley', stored: null });
    stamps.push(await neighbourhoodNamesStamp(db));
    expect([...(await storedNeighbourhoodNames(db)).keys()]).toEqual(['kirklees-02']);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('refuses an empty name or one with spaces around it (the table checks)', async () => {
    await expect(storeNeighbourhoodName(db, 'leeds-02', '', 'admin@test')).rejects.toThrow();
    await expect(storeNeighbourhoodName(db, 'leeds-02', ' Armley ', 'admin@test')).rejects.toThrow();
  });
});
