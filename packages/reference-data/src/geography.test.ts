import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLACE_IDS, UserError, type Geography } from '@openphm/core';
import { buildAdjacency, isConnected } from './adjacency.js';
import { parseLsoaBoundaries } from './boundaries.js';
import { loadGeography, loadGeographyBuild, readSources, resolveSharedDataDir, type GeographyBuild } from './geography.js';
import { NEIGHBOURHOOD_SIZE, practicesByNeighbourhood } from './neighbourhoods.js';
import { parsePracticeImdCsv } from './practices.js';

describe('resolveSharedDataDir', () => {
  it('uses PHM_SHARED_DATA when set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phm-shared-'));
    expect(resolveSharedDataDir({ PHM_SHARED_DATA: dir })).toBe(dir);
  });

  it('says how to fix a PHM_SHARED_DATA that is not a folder', () => {
    const error = (() => {
      try {
        resolveSharedDataDir({ PHM_SHARED_DATA: '/no/such/folder' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('not-found');
    expect((error as UserError).message).toMatch(/PHM_SHARED_DATA is set to '\/no\/such\/folder'.*Set PHM_SHARED_DATA to the folder/);
  });

  it('otherwise finds ../shared/data next to the project folder, or says where it looked', () => {
    // The project folder is four levels above this file (packages/reference-data/src/x.test.ts).
    const project = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    const expected = resolve(project, '..', 'shared', 'data');
    if (existsSync(expected)) {
      expect(resolveSharedDataDir({})).toBe(expected);
      expect(existsSync(join(expected, 'deprivation'))).toBe(true);
    } else {
      // A clone elsewhere (the reference data then comes from PHM_SHARED_DATA): the error names the place looked at.
      expect(() => resolveSharedDataDir({})).toThrow(`The shared reference data was not found at ${expected} (next to the project folder ${project})`);
    }
  });
});

describe('loadGeography errors', () => {
  it('names the missing file', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'phm-empty-'));
    await expect(loadGeography(empty)).rejects.toThrow(/Reference data file not found: .*phm-empty-.*deprivation[/\\]File_1_-_IMD2019/);
    await expect(loadGeography(empty)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('the real geography of West Yorkshire & Harrogate', () => {
  let build: GeographyBuild;
  let geo: Geography;
  let loadMs = 0;
  beforeAll(async () => {
    const started = performance.now();
    build = await loadGeographyBuild(undefined, { cache: false });
    loadMs = performance.now() - started;
    geo = build.geography;
  });

  it('loads in a reasonable time', () => {
    // Typically under a second; the bound is loose so a busy machine does not fail the suite.
    expect(loadMs).toBeLessThan(10_000);
  });

  it('has 1,524 LSOAs in 7 local authorities and 6 places, sorted by code', () => {
    expect(geo.icsName).toBe('West Yorkshire & Harrogate');
    expect(geo.lsoas).toHaveLength(1524);
    const codes = geo.lsoas.map((l) => l.code);
    expect(codes).toEqual([...new Set(codes)].sort());
    expect(geo.localAuthorities.map((la) => [la.code, la.name, la.place])).toEqual([
      ['E07000163', 'Craven', 'bradford-craven'],
      ['E07000165', 'Harrogate', 'harrogate'],
      ['E08000032', 'Bradford', 'bradford-craven'],
      ['E08000033', 'Calderdale', 'calderdale'],
      ['E08000034', 'Kirklees', 'kirklees'],
      ['E08000035', 'Leeds', 'leeds'],
      ['E08000036', 'Wakefield', 'wakefield'],
    ]);
    const count = (lad: string) => geo.lsoas.filter((l) => l.ladCode === lad).length;
    expect([count('E08000032'), count('E08000033'), count('E08000034'), count('E08000035'), count('E08000036'), count('E07000165'), count('E07000163')]).toEqual([
      310, 128, 259, 482, 209, 104, 32,
    ]);
    expect(new Set(geo.lsoas.map((l) => l.place))).toEqual(new Set(PLACE_IDS));
  });

  it('carries IMD 2019, health deprivation, mid-2015 populations and centroids', () => {
    for (const l of geo.lsoas) {
      expect(l.imdRank).toBeGreaterThanOrEqual(1);
      expect(l.imdRank).toBeLessThanOrEqual(32_844);
      expect(l.imdQuintile).toBe(Math.ceil(l.imdDecile / 2));
      expect(l.healthDeprivationRank).toBeGreaterThanOrEqual(1);
      expect(l.population.age0to15 + l.population.age16to59 + l.population.age60plus).toBe(l.population.total);
      expect(l.centroid[0]).toBeGreaterThan(-2.6);
      expect(l.centroid[0]).toBeLessThan(-0.9);
      expect(l.centroid[1]).toBeGreaterThan(53.4);
      expect(l.centroid[1]).toBeLessThan(54.4);
    }
    const total = geo.lsoas.reduce((s, l) => s + l.population.total, 0);
    expect(total).toBe(2_491_233);
    expect(total).toBeGreaterThan(2_300_000);
    expect(total).toBeLessThan(2_700_000);
    // Spot check against File 1: the first LSOA in the boundaries file.
    const bradford016A = geo.lsoas.find((l) => l.code === 'E01010568')!;
    expect(bradford016A).toMatchObject({ name: 'Bradford 016A', ladName: 'Bradford', place: 'bradford-craven' });
  });

  it('finds the PCNs of each place (Harrogate: those with an HG practice)', () => {
    const byPlace = Object.fromEntries(PLACE_IDS.map((p) => [p, geo.pcns.filter((x) => x.place === p).length]));
    expect(byPlace).toEqual({ 'bradford-craven': 12, calderdale: 5, harrogate: 4, kirklees: 9, leeds: 19, wakefield: 7 });
    expect(geo.pcns.filter((p) => p.place === 'harrogate').map((p) => p.name)).toEqual([
      'RIPON & MASHAM PCN',
      'KNARESBOROUGH & RURAL PCN',
      'HEART OF HARROGATE PCN',
      'MOWBRAY SQUARE PCN',
    ]);
    expect(geo.practices).toHaveLength(288);
    expect(build.notes.excludedPractices.map((p) => p.code)).toEqual(['B83023', 'B83030', 'B83602', 'B83617', 'B87041', 'B87600', 'Y00848', 'Y05180']);
    const pcnCodes = new Set(geo.pcns.map((p) => p.code));
    for (const practice of geo.practices) {
      expect(pcnCodes.has(practice.pcnCode)).toBe(true);
      expect(geo.pcns.find((p) => p.code === practice.pcnCode)!.practiceCodes).toContain(practice.code);
    }
  });

  it('ranks practice IMD scores nationally, matching the deciles published in practice_imd.csv', async () => {
    const published = parsePracticeImdCsv((await readSources(resolveSharedDataDir())).practiceImd);
    for (const practice of geo.practices) expect(practice.imdDecile).toBe(published.get(practice.code)!.decile);
  });

  it('gives every LSOA a neighbourhood of its own place, one per PCN', () => {
    const hoods = new Map(geo.neighbourhoods.map((n) => [n.id, n]));
    for (const l of geo.lsoas) expect(hoods.get(l.neighbourhoodId)?.place).toBe(l.place);
    for (const place of PLACE_IDS) {
      const placeHoods = geo.neighbourhoods.filter((n) => n.place === place);
      const placePcns = geo.pcns.filter((p) => p.place === place);
      expect(placeHoods).toHaveLength(placePcns.length);
      expect(placeHoods.map((n) => n.pcnCode).sort()).toEqual(placePcns.map((p) => p.code).sort());
      expect(placeHoods.map((n) => n.id)).toEqual(placeHoods.map((_, i) => `${place}-${String(i + 1).padStart(2, '0')}`));
    }
    for (const n of geo.neighbourhoods) {
      expect(n.population).toBe(geo.lsoas.filter((l) => l.neighbourhoodId === n.id).reduce((s, l) => s + l.population.total, 0));
      expect(n.lsoaCodes).toEqual(geo.lsoas.filter((l) => l.neighbourhoodId === n.id).map((l) => l.code));
    }
  });

  it('makes every neighbourhood contiguous (shared boundary edges, no island links needed)', async () => {
    const adjacency = buildAdjacency(parseLsoaBoundaries((await readSources(resolveSharedDataDir())).boundaries));
    expect(build.notes.islandLinks).toEqual([]);
    for (const n of geo.neighbourhoods) expect(isConnected(n.lsoaCodes, adjacency), n.id).toBe(true);
  });

  it('keeps neighbourhoods within 30,000-50,000 people, with no exceptions', () => {
    expect(build.notes.placesOutsideSizeRange).toEqual([]);
    for (const n of geo.neighbourhoods) {
      expect(n.population, n.id).toBeGreaterThanOrEqual(NEIGHBOURHOOD_SIZE.min);
      expect(n.population, n.id).toBeLessThanOrEqual(NEIGHBOURHOOD_SIZE.max);
    }
  });

  it('pairs neighbourhoods with PCNs in deprivation order', () => {
    const pcn = new Map(geo.pcns.map((p) => [p.code, p]));
    for (const place of PLACE_IDS) {
      const scores = geo.neighbourhoods.filter((n) => n.place === place).map((n) => pcn.get(n.pcnCode)!.imdScore);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    const byHood = practicesByNeighbourhood(geo);
    expect([...byHood.values()].flat()).toHaveLength(geo.practices.length);
    for (const [id, practices] of byHood) expect(practices.length, id).toBeGreaterThan(0);
  });

  it('is deterministic, memoised per folder and deeply frozen', async () => {
    const again = await loadGeography(undefined, { cache: false });
    expect(again).toEqual(geo);
    expect(again).not.toBe(geo);
    const memoA = await loadGeography();
    expect(await loadGeography()).toBe(memoA);
    expect(Object.isFrozen(geo.lsoas[0]!.centroid)).toBe(true);
  });
});
