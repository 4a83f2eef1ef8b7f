/**
 * Map boundaries as small GeoJSON: LSOA polygons from the shared reference data, simplified
 * (Douglas-Peucker) and rounded, with deprivation and neighbourhood as properties; neighbourhood
 * outlines made by dissolving their LSOAs (edges shared by two LSOAs cancel out).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@openphm/core';
import { parseLsoaBoundaries, resolveSharedDataDir, SOURCE_FILES, type PolygonRings, type Position } from '@openphm/reference-data';
import type { FeatureCollection } from '@openphm/api-contract';

export const BOUNDARY_ATTRIBUTION =
  'Contains OS data © Crown copyright and database right 2016; contains ONS and MHCLG data (English Indices of Deprivation 2019) licensed under the Open Government Licence v3.0.';
export const OGL = 'Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)';

/** Douglas-Peucker tolerance in degrees of latitude (about 20 m); longitude is scaled by cos(latitude). */
export const SIMPLIFY_TOLERANCE = 0.0002;
/** Decimal places kept (4 ≈ 11 m). */
export const DECIMALS = 4;

type Pt = readonly [number, number];

const perpendicularDistance = (p: Pt, a: Pt, b: Pt, kx: number): number => {
  const ax = a[0] * kx;
  const bx = b[0] * kx;
  const px = p[0] * kx;
  const dx = bx - ax;
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(px - ax, p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), p[1] - (a[1] + t * dy));
};

/** Douglas-Peucker on an open polyline (iterative); the end points are always kept. */
export const simplifyLine = (points: readonly Pt[], tolerance: number): Pt[] => {
  if (points.length <= 2) return [...points];
  const kx = Math.cos(((points[0]![1] ?? 0) * Math.PI) / 180);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i]!, points[first]!, points[last]!, kx);
      if (d > worstDistance) {
        worst = i;
        worstDistance = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
};

const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

/**
 * Simplifies and rounds a closed ring (first = last). The ring is split at its vertex farthest from
 * the start so both halves keep their shape. Returns null when fewer than 3 distinct points remain.
 */
export const simplifyRing = (ring: readonly Pt[], tolerance = SIMPLIFY_TOLERANCE, decimals = DECIMALS): [number, number][] | null => {
  if (ring.length < 4) return null;
  const start = ring[0]!;
  let far = 1;
  let farDistance = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = Math.hypot(ring[i]![0] - start[0], ring[i]![1] - start[1]);
    if (d > farDistance) (far = i), (farDistance = d);
  }
  const a = simplifyLine(ring.slice(0, far + 1), tolerance);
  const b = simplifyLine(ring.slice(far), tolerance);
  const out: [number, number][] = [];
  for (const p of [...a, ...b.slice(1)]) {
    const q: [number, number] = [round(p[0], decimals), round(p[1], decimals)];
    const prev = out[out.length - 1];
    if (prev === undefined || prev[0] !== q[0] || prev[1] !== q[1]) out.push(q);
  }
  const first = out[0]!;
  const lastPoint = out[out.length - 1]!;
  if (first[0] !== lastPoint[0] || first[1] !== lastPoint[1]) out.push([first[0], first[1]]);
  return out.length >= 4 ? out : null;
};

/** Simplifies a (multi)polygon; a ring that collapses is kept unsimplified (rounded) if it is an outer ring, dropped if a hole. */
export const simplifyPolygons = (polygons: readonly PolygonRings[], tolerance = SIMPLIFY_TOLERANCE, decimals = DECIMALS): [number, number][][][] =>
  polygons
    .map((rings) =>
      rings
        .map((ring, r) => simplifyRing(ring, tolerance, decimals) ?? (r === 0 ? simplifyRing(ring, 0, 6) : null))
        .filter((ring): ring is [number, number][] => ring !== null),
    )
    .filter((rings) => rings.length > 0);

// ---- dissolving LSOAs into neighbourhood outlines

const SCALE = 1e6;
const keyOf = (p: Position): string => `${Math.round(p[0] * SCALE)},${Math.round(p[1] * SCALE)}`;
const pointOf = (key: string): Pt => {
  const [x, y] = key.split(',');
  return [Number(x) / SCALE, Number(y) / SCALE];
};

const ringArea = (ring: readonly Pt[]): number => {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
};

const insideRing = (p: Pt, ring: readonly Pt[]): boolean => {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/**
 * The outline of a group of polygons that share edges exactly (as the ONS boundaries do): every
 * edge used by two of them is interior and cancels; the rest are chained into rings, and rings
 * inside an odd number of others become holes. Returns polygons (outer ring then holes).
 */
export const dissolve = (polygons: readonly PolygonRings[]): Pt[][][] => {
  const edges = new Map<string, [string, string]>();
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = keyOf(ring[i]!);
        const b = keyOf(ring[i + 1]!);
        if (a === b) continue;
        const k = a < b ? `${a};${b}` : `${b};${a}`;
        if (edges.has(k)) edges.delete(k);
        else edges.set(k, [a, b]);
      }
    }
  }
  const at = new Map<string, string[]>();
  for (const [k, [a, b]] of edges) {
    (at.get(a) ?? at.set(a, []).get(a)!).push(k);
    (at.get(b) ?? at.set(b, []).get(b)!).push(k);
  }
  const used = new Set<string>();
  const rings: Pt[][] = [];
  for (const [startKey, [a, b]] of edges) {
    if (used.has(startKey)) continue;
    used.add(startKey);
    const ring = [a, b];
    let current = b;
    while (current !== a) {
      const next = (at.get(current) ?? []).find((k) => !used.has(k));
      if (next === undefined) break;
      used.add(next);
      const [p, q] = edges.get(next)!;
      current = p === current ? q : p;
      ring.push(current);
    }
    if (ring.length >= 4 && ring[0] === ring[ring.length - 1]) rings.push(ring.map(pointOf));
  }
  const depth = rings.map((r, i) => rings.filter((o, j) => j !== i && insideRing(r[0]!, o)).length);
  const outers = rings.map((r, i) => ({ r, i })).filter(({ i }) => depth[i]! % 2 === 0);
  const result = new Map<number, Pt[][]>(outers.map(({ r, i }) => [i, [r]]));
  rings.forEach((hole, i) => {
    if (depth[i]! % 2 === 0) return;
    const owner = outers
      .filter(({ r }) => insideRing(hole[0]!, r))
      .sort((x, y) => Math.abs(ringArea(x.r)) - Math.abs(ringArea(y.r)))[0];
    if (owner !== undefined) result.get(owner.i)!.push(hole);
  });
  return [...result.values()];
};

// ---- GeoJSON for the API

export interface LsoaProperties {
  readonly code: string;
  readonly name: string;
  readonly place: string;
  readonly neighbourhoodId: string | null;
  readonly imdDecile: number;
  readonly imdRank: number;
  readonly population: number;
}

export interface NeighbourhoodProperties {
  readonly id: string;
  readonly name: string;
  readonly place: string;
  readonly population: number;
}

const rawBoundaries = new Map<string, Promise<Map<string, readonly PolygonRings[]>>>();

/** LSOA code → polygons, read once per shared data folder. */
export const loadLsoaPolygons = (sharedDataDir?: string): Promise<Map<string, readonly PolygonRings[]>> => {
  let dir: string;
  try {
    dir = sharedDataDir ?? resolveSharedDataDir();
  } catch (error) {
    return Promise.reject(error);
  }
  const cached = rawBoundaries.get(dir);
  if (cached) return cached;
  const file = join(dir, SOURCE_FILES.boundaries);
  const promise = readFile(file, 'utf8')
    .catch((error: unknown) => {
      throw new UserError(`boundary file not found: ${file} (set PHM_SHARED_DATA; see docs/geography.md)`, 'not-found', { cause: error });
    })
    .then((text) => new Map(parseLsoaBoundaries(text, SOURCE_FILES.boundaries).map((b) => [b.code, b.polygons])));
  rawBoundaries.set(dir, promise);
  promise.catch(() => rawBoundaries.delete(dir));
  return promise;
};

const metadata = (features: number) => ({
  attribution: BOUNDARY_ATTRIBUTION,
  licence: OGL,
  source: 'ONS LSOA 2011 boundaries (generalised), IoD 2019',
  precision: `simplified at ${SIMPLIFY_TOLERANCE} degrees, ${DECIMALS} decimal places`,
  features,
});

export const lsoaFeatureCollection = (polygons: ReadonlyMap<string, readonly PolygonRings[]>, lsoas: readonly LsoaProperties[]): FeatureCollection => {
  const features = lsoas
    .filter((l) => polygons.has(l.code))
    .map((l) => ({
      type: 'Feature' as const,
      id: l.code,
      properties: { ...l },
      geometry: { type: 'MultiPolygon' as const, coordinates: simplifyPolygons(polygons.get(l.code)!) },
    }))
    .filter((f) => f.geometry.coordinates.length > 0);
  return { type: 'FeatureCollection', metadata: metadata(features.length), features };
};

export const neighbourhoodFeatureCollection = (
  polygons: ReadonlyMap<string, readonly PolygonRings[]>,
  neighbourhoods: readonly NeighbourhoodProperties[],
  lsoaCodesOf: ReadonlyMap<string, readonly string[]>,
): FeatureCollection => {
  const features = neighbourhoods
    .map((n) => {
      const parts = (lsoaCodesOf.get(n.id) ?? []).flatMap((code) => polygons.get(code) ?? []);
      const outline = dissolve(parts);
      return {
        type: 'Feature' as const,
        id: n.id,
        properties: { ...n },
        geometry: { type: 'MultiPolygon' as const, coordinates: simplifyPolygons(outline) },
      };
    })
    .filter((f) => f.geometry.coordinates.length > 0);
  return { type: 'FeatureCollection', metadata: metadata(features.length), features };
};
