/**
 * LSOA 2011 boundaries (GeoJSON, WGS84 lon/lat): properties and polygon geometry, plus the
 * area-weighted centroid.
 */
import { InputError } from '@openphm/core';

export const LSOA_BOUNDARIES_FILE = 'lsoa11_westyorks_harrogate_craven.geojson';

export type Position = readonly [number, number];
/** A polygon: an outer ring followed by any holes; each ring is closed (first = last). */
export type PolygonRings = readonly (readonly Position[])[];

export interface LsoaBoundary {
  readonly code: string;
  readonly name: string;
  readonly ladCode: string;
  readonly ladName: string;
  /** One entry per polygon (a MultiPolygon has several). */
  readonly polygons: readonly PolygonRings[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const readRing = (raw: unknown, where: () => InputError): Position[] => {
  if (!Array.isArray(raw) || raw.length < 4) throw where();
  return raw.map((p: unknown) => {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw where();
    }
    return [p[0], p[1]] as const;
  });
};

/**
 * Parses a FeatureCollection of LSOA polygons with properties LSOA11CD, LSOA11NM, LAD13CD, LAD_NM.
 * Errors name the file, the feature (as `line` = feature index + 1) and the property.
 */
export const parseLsoaBoundaries = (text: string, file = LSOA_BOUNDARIES_FILE): LsoaBoundary[] => {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new InputError({ file }, `not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new InputError({ file }, 'expected a GeoJSON FeatureCollection');
  }
  return json.features.map((feature: unknown, index: number): LsoaBoundary => {
    const at = (field: string, problem: string) => new InputError({ file, line: index + 1, field }, `feature ${index + 1}: ${problem}`);
    if (!isRecord(feature) || !isRecord(feature.properties) || !isRecord(feature.geometry)) throw at('geometry', 'not a GeoJSON feature');
    const props = feature.properties;
    const prop = (name: string): string => {
      const value = props[name];
      if (typeof value !== 'string' || value.trim() === '') throw at(name, `missing property '${name}'`);
      return value.trim();
    };
    const geometry = feature.geometry;
    const bad = () => at('geometry', 'invalid Polygon/MultiPolygon coordinates');
    const readPolygon = (raw: unknown): PolygonRings => {
      if (!Array.isArray(raw) || raw.length === 0) throw bad();
      return raw.map((ring: unknown) => readRing(ring, bad));
    };
    let polygons: PolygonRings[];
    if (geometry.type === 'Polygon') polygons = [readPolygon(geometry.coordinates)];
    else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygons = geometry.coordinates.map(readPolygon);
    else throw at('geometry', `unsupported geometry type '${String(geometry.type)}'`);
    return { code: prop('LSOA11CD'), name: prop('LSOA11NM'), ladCode: prop('LAD13CD'), ladName: prop('LAD_NM'), polygons };
  });
};

/** Signed area and first moments of a closed ring (shoelace), relative to an origin for precision. */
const ringMoments = (ring: readonly Position[], ox: number, oy: number): { a: number; cx: number; cy: number } => {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    const ax = x0 - ox;
    const ay = y0 - oy;
    const bx = x1 - ox;
    const by = y1 - oy;
    const cross = ax * by - bx * ay;
    a += cross;
    cx += (ax + bx) * cross;
    cy += (ay + by) * cross;
  }
  return { a: a / 2, cx: cx / 6, cy: cy / 6 };
};

/**
 * Area-weighted centroid of a (multi)polygon in planar lon/lat: holes subtract, every polygon
 * weighs by its area. Falls back to the mean of the outer-ring vertices for a degenerate shape.
 */
export const polygonCentroid = (polygons: readonly PolygonRings[]): [number, number] => {
  const origin = polygons[0]?.[0]?.[0];
  if (origin === undefined) throw new RangeError('polygonCentroid: no coordinates');
  const [ox, oy] = origin;
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const rings of polygons) {
    rings.forEach((ring, r) => {
      const m = ringMoments(ring, ox, oy);
      // Orientation varies between files: the outer ring always adds, holes always subtract.
      const sign = (r === 0 ? 1 : -1) * Math.sign(m.a);
      area += sign * m.a;
      mx += sign * m.cx;
      my += sign * m.cy;
    });
  }
  if (Math.abs(area) < 1e-18) {
    let sx = 0;
    let sy = 0;
    let count = 0;
    for (const rings of polygons) for (const [x, y] of rings[0] ?? []) (sx += x), (sy += y), count++;
    return [sx / count, sy / count];
  }
  return [ox + mx / area, oy + my / area];
};
