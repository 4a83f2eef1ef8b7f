/**
 * Adjacency of areas from their boundaries, and the helpers to keep a graph connected.
 *
 * Two areas are neighbours when their boundaries share an edge segment (both end points equal
 * after rounding the coordinates to `precision` degrees, default 1e-6 ≈ 0.1 m), i.e. "rook"
 * contiguity. Areas that only touch at a corner are not neighbours in that mode; mode 'vertex'
 * ("queen" contiguity) also counts a single shared vertex.
 */
import type { PolygonRings } from './boundaries.js';

export interface AreaShape {
  readonly code: string;
  readonly polygons: readonly PolygonRings[];
}

/** Sorted neighbour codes for every area code (every area has an entry, possibly empty). */
export type Adjacency = ReadonlyMap<string, readonly string[]>;

export interface AdjacencyOptions {
  readonly mode?: 'edge' | 'vertex';
  /** Coordinates are rounded to multiples of this many degrees before matching. */
  readonly precision?: number;
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the adjacency graph of the areas (see the module comment for the rule). */
export const buildAdjacency = (areas: readonly AreaShape[], options: AdjacencyOptions = {}): Map<string, string[]> => {
  const mode = options.mode ?? 'edge';
  const scale = 1 / (options.precision ?? 1e-6);
  const pointKey = (x: number, y: number) => `${Math.round(x * scale)},${Math.round(y * scale)}`;
  const owners = new Map<string, Set<string>>();
  const own = (key: string, code: string) => {
    let set = owners.get(key);
    if (set === undefined) owners.set(key, (set = new Set()));
    set.add(code);
  };
  for (const area of areas) {
    for (const polygon of area.polygons) {
      for (const ring of polygon) {
        for (let i = 0; i < ring.length; i++) {
          const [x0, y0] = ring[i]!;
          const p = pointKey(x0, y0);
          if (mode === 'vertex') {
            own(p, area.code);
            continue;
          }
          const next = ring[(i + 1) % ring.length]!;
          const q = pointKey(next[0], next[1]);
          if (p === q) continue;
          own(p < q ? `${p};${q}` : `${q};${p}`, area.code);
        }
      }
    }
  }
  const sets = new Map<string, Set<string>>(areas.map((a) => [a.code, new Set<string>()]));
  for (const codes of owners.values()) {
    if (codes.size < 2) continue;
    for (const a of codes) for (const b of codes) if (a !== b) sets.get(a)!.add(b);
  }
  return new Map([...sets].sort(([a], [b]) => byCode(a, b)).map(([code, set]) => [code, [...set].sort(byCode)]));
};

/** Connected components of the graph restricted to `codes`, each sorted, largest first (ties: smallest code). */
export const connectedComponents = (codes: Iterable<string>, adjacency: Adjacency): string[][] => {
  const inSet = new Set(codes);
  const seen = new Set<string>();
  const components: string[][] = [];
  for (const start of [...inSet].sort(byCode)) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const code = stack.pop()!;
      component.push(code);
      for (const next of adjacency.get(code) ?? []) {
        if (inSet.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    components.push(component.sort(byCode));
  }
  return components.sort((a, b) => b.length - a.length || byCode(a[0]!, b[0]!));
};

export const isConnected = (codes: Iterable<string>, adjacency: Adjacency): boolean => connectedComponents(codes, adjacency).length <= 1;

/** Equirectangular projection of WGS84 lon/lat to kilometres around `refLat` (good to <1% over a county). */
export const projectToKm = ([lon, lat]: readonly [number, number], refLat: number): [number, number] => {
  const kmPerDegree = 111.195;
  return [lon * kmPerDegree * Math.cos((refLat * Math.PI) / 180), lat * kmPerDegree];
};

export interface IslandLink {
  readonly from: string;
  readonly to: string;
  readonly distanceKm: number;
}

/**
 * Makes the graph restricted to `codes` connected: while there is more than one component, the
 * smallest component (ties: smallest code) is linked to the nearest area outside it, by centroid
 * distance (ties: codes). Returns the new adjacency (unchanged entries are shared) and the links added.
 */
export const connectIslands = (
  codes: readonly string[],
  adjacency: Adjacency,
  centroids: ReadonlyMap<string, readonly [number, number]>,
): { adjacency: Map<string, string[]>; links: IslandLink[] } => {
  const out = new Map<string, string[]>([...adjacency].map(([k, v]) => [k, [...v]]));
  const links: IslandLink[] = [];
  const refLat = codes.reduce((s, c) => s + (centroids.get(c)?.[1] ?? 0), 0) / Math.max(1, codes.length);
  const xy = new Map(codes.map((c) => {
    const centroid = centroids.get(c);
    if (centroid === undefined) throw new RangeError(`connectIslands: no centroid for ${c}`);
    return [c, projectToKm(centroid, refLat)] as const;
  }));
  for (;;) {
    const components = connectedComponents(codes, out);
    if (components.length <= 1) break;
    const island = components[components.length - 1]!;
    const inIsland = new Set(island);
    let best: IslandLink | undefined;
    for (const a of island) {
      const [ax, ay] = xy.get(a)!;
      for (const b of codes) {
        if (inIsland.has(b)) continue;
        const [bx, by] = xy.get(b)!;
        const d = Math.hypot(ax - bx, ay - by);
        if (best === undefined || d < best.distanceKm || (d === best.distanceKm && (a < best.from || (a === best.from && b < best.to)))) {
          best = { from: a, to: b, distanceKm: d };
        }
      }
    }
    links.push(best!);
    const add = (x: string, y: string) => {
      const list = out.get(x) ?? [];
      if (!list.includes(y)) out.set(x, [...list, y].sort(byCode));
    };
    add(best!.from, best!.to);
    add(best!.to, best!.from);
  }
  return { adjacency: out, links };
};
