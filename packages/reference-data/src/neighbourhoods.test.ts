import { describe, expect, it } from 'vitest';
import type { OdsPcnCode, OdsPracticeCode, Practice } from '@openphm/core';
import { isConnected } from './adjacency.js';
import { deriveNeighbourhoods, meanImdRank, pairWithPcns, practicesByNeighbourhood, type NeighbourhoodLsoa } from './neighbourhoods.js';

const pcn = (code: string, imdScore: number, name = `${code} PCN`) => ({ code: code as OdsPcnCode, name, imdScore });

describe('pairWithPcns', () => {
  it('pairs the most deprived neighbourhood with the most deprived PCN and numbers from 01', () => {
    const groups = [
      { lsoaCodes: ['E01000003'], population: 40_000, meanImdRank: 20_000 },
      { lsoaCodes: ['E01000001'], population: 41_000, meanImdRank: 1_500 },
      { lsoaCodes: ['E01000002'], population: 39_000, meanImdRank: 9_000 },
    ];
    const paired = pairWithPcns('leeds', groups, [pcn('U00001', 10.5), pcn('U00002', 45, 'CHAPELTOWN & HAREHILLS PCN'), pcn('U00003', 22)]);
    expect(paired.map((n) => [n.id, n.lsoaCodes[0], n.pcnCode, n.population])).toEqual([
      ['leeds-01', 'E01000001', 'U00002', 41_000],
      ['leeds-02', 'E01000002', 'U00003', 39_000],
      ['leeds-03', 'E01000003', 'U00001', 40_000],
    ]);
    // Named after its PCN, written as people write it (ODS holds names in capitals).
    expect(paired.map((n) => n.name)).toEqual(['Chapeltown & Harehills PCN', 'U00003 PCN', 'U00001 PCN']);
  });

  it('requires one PCN per neighbourhood', () => {
    expect(() => pairWithPcns('leeds', [{ lsoaCodes: ['E01000001'], population: 1, meanImdRank: 1 }], [])).toThrow(/1 neighbourhoods for 0 PCNs/);
  });
});

describe('meanImdRank', () => {
  it('weights ranks by population', () => {
    expect(meanImdRank([{ population: 3000, imdRank: 100 }, { population: 1000, imdRank: 500 }])).toBe(200);
  });
});

describe('deriveNeighbourhoods', () => {
  // A 4 x 6 grid of Leeds LSOAs, deprivation falling west → east, plus one island to the east.
  const lsoas: NeighbourhoodLsoa[] = [];
  const adjacency = new Map<string, string[]>();
  const code = (r: number, c: number) => `E0100${r}${String(c).padStart(3, '0')}`;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 6; c++) {
      lsoas.push({ code: code(r, c), place: 'leeds', population: 1500 + 100 * ((r + c) % 3), imdRank: 1000 + 5000 * c, centroid: [-1.6 + 0.01 * c, 53.8 + 0.01 * r] });
      const next = [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]] as const;
      adjacency.set(code(r, c), next.filter(([a, b]) => a >= 0 && a < 4 && b >= 0 && b < 6).map(([a, b]) => code(a, b)));
    }
  }
  lsoas.push({ code: 'E01099999', place: 'leeds', population: 1500, imdRank: 30_000, centroid: [-1.5, 53.815] });
  adjacency.set('E01099999', []);
  const derived = deriveNeighbourhoods(lsoas, adjacency, [{ ...pcn('U00001', 12), place: 'leeds' }, { ...pcn('U00002', 40), place: 'leeds' }]);

  it('makes one contiguous neighbourhood per PCN, linking the island to its nearest LSOA', () => {
    expect(derived.islandLinks).toEqual([{ from: 'E01099999', to: code(1, 5), distanceKm: expect.any(Number), place: 'leeds' }]);
    expect(derived.neighbourhoods.map((n) => [n.id, n.pcnCode])).toEqual([
      ['leeds-01', 'U00002'],
      ['leeds-02', 'U00001'],
    ]);
    const linked = new Map(adjacency);
    linked.set('E01099999', [code(1, 5)]);
    linked.set(code(1, 5), [...adjacency.get(code(1, 5))!, 'E01099999']);
    for (const n of derived.neighbourhoods) expect(isConnected(n.lsoaCodes, linked)).toBe(true);
    // The western (more deprived) half is neighbourhood 01.
    expect(derived.neighbourhoodOf.get(code(0, 0))).toBe('leeds-01');
    expect(derived.neighbourhoodOf.get('E01099999')).toBe('leeds-02');
    expect(derived.neighbourhoodOf.size).toBe(lsoas.length);
  });

  it('flags places whose mean neighbourhood size is outside 30,000-50,000', () => {
    expect(derived.placesOutsideSizeRange).toEqual(['leeds']);
  });
});

describe('practicesByNeighbourhood', () => {
  const practice = (code: string, pcnCode: string) => ({ code: code as OdsPracticeCode, pcnCode: pcnCode as OdsPcnCode }) as Practice;
  it('places each practice in the neighbourhood paired with its PCN', () => {
    const byHood = practicesByNeighbourhood({
      neighbourhoods: [
        { id: 'leeds-01', name: '', place: 'leeds', lsoaCodes: [], population: 0, pcnCode: 'U00002' as OdsPcnCode },
        { id: 'leeds-02', name: '', place: 'leeds', lsoaCodes: [], population: 0, pcnCode: 'U00001' as OdsPcnCode },
        { id: 'leeds-03', name: '', place: 'leeds', lsoaCodes: [], population: 0, pcnCode: 'U00003' as OdsPcnCode },
      ],
      practices: [practice('B86002', 'U00001'), practice('B86001', 'U00002'), practice('B86003', 'U00001')],
    });
    expect([...byHood].map(([id, ps]) => [id, ps.map((p) => p.code)])).toEqual([
      ['leeds-01', ['B86001']],
      ['leeds-02', ['B86002', 'B86003']],
      ['leeds-03', []],
    ]);
  });
});
