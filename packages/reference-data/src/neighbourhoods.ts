/**
 * Derived neighbourhoods: within each place, its LSOAs partitioned into as many contiguous groups
 * as the place has PCNs, each paired with a real PCN by deprivation order. These are NOT the real
 * PCN footprints (no public LSOA → PCN lookup exists); see docs/geography.md.
 */
import { odsName, PLACE_IDS, PLACES, type Geography, type LsoaCode, type Neighbourhood, type Pcn, type PlaceId, type Practice } from '@openphm/core';
import { connectIslands, projectToKm, type Adjacency, type IslandLink } from './adjacency.js';
import { partitionNeighbourhoods } from './partition.js';

/** The size of a neighbourhood in the partnership's plans: 30,000-50,000 people. */
export const NEIGHBOURHOOD_SIZE = { min: 30_000, max: 50_000 } as const;

export interface NeighbourhoodLsoa {
  readonly code: string;
  readonly place: PlaceId;
  readonly population: number;
  readonly imdRank: number;
  readonly centroid: readonly [number, number];
}

export interface DerivedNeighbourhoods {
  readonly neighbourhoods: Neighbourhood[];
  /** Neighbourhood id of every LSOA. */
  readonly neighbourhoodOf: Map<string, string>;
  /** Links added to connect LSOAs with no edge neighbour in their place (empty for the shipped data). */
  readonly islandLinks: (IslandLink & { readonly place: PlaceId })[];
  /** Places whose population / PCN count falls outside NEIGHBOURHOOD_SIZE (sizes then only aim to be equal). */
  readonly placesOutsideSizeRange: PlaceId[];
}

/** Population-weighted mean IMD rank (lower = more deprived). */
export const meanImdRank = (lsoas: readonly Pick<NeighbourhoodLsoa, 'population' | 'imdRank'>[]): number => {
  const population = lsoas.reduce((s, l) => s + l.population, 0);
  if (population === 0) return lsoas.reduce((s, l) => s + l.imdRank, 0) / Math.max(1, lsoas.length);
  return lsoas.reduce((s, l) => s + l.population * l.imdRank, 0) / population;
};

export const neighbourhoodId = (place: PlaceId, index: number): string => `${place}-${String(index + 1).padStart(2, '0')}`;

/**
 * Pairs groups with PCNs in deprivation order: groups by population-weighted mean IMD rank
 * ascending (most deprived first; ties by first LSOA code), PCNs by IMD score descending (most
 * deprived first; ties by code). Neighbourhood 01 of a place is its most deprived.
 */
export const pairWithPcns = (
  place: PlaceId,
  groups: readonly { readonly lsoaCodes: readonly string[]; readonly population: number; readonly meanImdRank: number }[],
  pcns: readonly Pick<Pcn, 'code' | 'name' | 'imdScore'>[],
): Neighbourhood[] => {
  if (groups.length !== pcns.length) throw new RangeError(`${place}: ${groups.length} neighbourhoods for ${pcns.length} PCNs`);
  const orderedGroups = [...groups].sort((a, b) => a.meanImdRank - b.meanImdRank || (a.lsoaCodes[0]! < b.lsoaCodes[0]! ? -1 : 1));
  const orderedPcns = [...pcns].sort((a, b) => b.imdScore - a.imdScore || (a.code < b.code ? -1 : 1));
  return orderedGroups.map((group, i) => {
    const pcn = orderedPcns[i]!;
    const number = String(i + 1).padStart(2, '0');
    return {
      id: neighbourhoodId(place, i),
      // Named after the PCN it is paired with, as people there call their neighbourhood (the footprint is derived: docs/geography.md).
      name: odsName(pcn.name) ?? `${PLACES[place].name} neighbourhood ${number}`,
      place,
      lsoaCodes: [...group.lsoaCodes].sort() as LsoaCode[],
      population: group.population,
      pcnCode: pcn.code,
    };
  });
};

/** Partitions every place into one neighbourhood per PCN and pairs them (see the module comment). */
export const deriveNeighbourhoods = (
  lsoas: readonly NeighbourhoodLsoa[],
  adjacency: Adjacency,
  pcns: readonly Pick<Pcn, 'code' | 'name' | 'imdScore' | 'place'>[],
): DerivedNeighbourhoods => {
  const neighbourhoods: Neighbourhood[] = [];
  const islandLinks: DerivedNeighbourhoods['islandLinks'] = [];
  const placesOutsideSizeRange: PlaceId[] = [];
  const byCode = new Map(lsoas.map((l) => [l.code, l]));
  for (const place of PLACE_IDS) {
    const members = lsoas.filter((l) => l.place === place).sort((a, b) => (a.code < b.code ? -1 : 1));
    const placePcns = pcns.filter((p) => p.place === place);
    if (members.length === 0 && placePcns.length === 0) continue;
    if (placePcns.length === 0) throw new RangeError(`${place}: ${members.length} LSOAs but no PCN`);
    const codes = members.map((l) => l.code);
    const centroids = new Map(members.map((l) => [l.code, l.centroid]));
    const connected = connectIslands(codes, adjacency, centroids);
    islandLinks.push(...connected.links.map((link) => ({ ...link, place })));
    const refLat = members.reduce((s, l) => s + l.centroid[1], 0) / members.length;
    const total = members.reduce((s, l) => s + l.population, 0);
    const k = placePcns.length;
    const mean = total / k;
    const feasible = mean >= NEIGHBOURHOOD_SIZE.min && mean <= NEIGHBOURHOOD_SIZE.max;
    if (!feasible) placesOutsideSizeRange.push(place);
    const areas = members.map((l) => {
      const [x, y] = projectToKm(l.centroid, refLat);
      return { code: l.code, weight: l.population, x, y };
    });
    const groups = partitionNeighbourhoods(areas, connected.adjacency, k, feasible ? { bounds: NEIGHBOURHOOD_SIZE } : {});
    const drafts = groups.map((lsoaCodes) => {
      const rows = lsoaCodes.map((c) => byCode.get(c)!);
      return { lsoaCodes, population: rows.reduce((s, l) => s + l.population, 0), meanImdRank: meanImdRank(rows) };
    });
    neighbourhoods.push(...pairWithPcns(place, drafts, placePcns));
  }
  const neighbourhoodOf = new Map<string, string>();
  for (const n of neighbourhoods) for (const code of n.lsoaCodes) neighbourhoodOf.set(code, n.id);
  return { neighbourhoods: neighbourhoods.sort((a, b) => (a.id < b.id ? -1 : 1)), neighbourhoodOf, islandLinks, placesOutsideSizeRange };
};

/**
 * The practices whose "home" is each neighbourhood. The reference data has no practice
 * coordinates, so a practice belongs to the neighbourhood paired with its PCN. Every
 * neighbourhood id is a key (possibly with an empty list); practices sorted by code.
 */
export const practicesByNeighbourhood = (geo: Pick<Geography, 'neighbourhoods' | 'practices'>): Map<string, Practice[]> => {
  const neighbourhoodOfPcn = new Map(geo.neighbourhoods.map((n) => [n.pcnCode as string, n.id]));
  const out = new Map<string, Practice[]>(geo.neighbourhoods.map((n) => [n.id, []]));
  for (const practice of [...geo.practices].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const id = neighbourhoodOfPcn.get(practice.pcnCode);
    if (id !== undefined) out.get(id)!.push(practice);
  }
  return out;
};
