import { describe, expect, it } from 'vitest';
import { parseLsoaBoundaries, polygonCentroid, type Position } from './boundaries.js';

const square = (x: number, y: number, size = 1): Position[] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
const reversed = (ring: Position[]) => [...ring].reverse();

describe('polygonCentroid', () => {
  it.each([
    ['unit square', [[square(0, 0)]], [0.5, 0.5]],
    ['clockwise ring', [[reversed(square(2, 4, 2))]], [3, 5]],
    // L-shape: 2x1 bar plus 1x1 on top-left → area 3, centroid ((1·2 + 0.5·1)/3, (0.5·2 + 1.5·1)/3)
    ['L-shape', [[[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]] as Position[]]], [2.5 / 3, 2.5 / 3]],
    // 4x4 square (area 16, centre 2) minus a 2x2 hole at [0,2]² (area 4, centre 1): (16·2 − 4·1) / 12.
    ['square with a hole', [[square(0, 0, 4), reversed(square(0, 0, 2))]], [28 / 12, 28 / 12]],
    ['hole with the same orientation as the outer ring', [[square(0, 0, 4), square(0, 0, 2)]], [28 / 12, 28 / 12]],
    // Two unit squares of equal area: midpoint; a 2x2 and a 1x1: weighted 4:1.
    ['multipolygon', [[square(0, 0)], [square(10, 0)]], [5.5, 0.5]],
    ['weighted multipolygon', [[square(0, 0, 2)], [square(10, 0)]], [(4 * 1 + 1 * 10.5) / 5, (4 * 1 + 1 * 0.5) / 5]],
  ] as const)('%s', (_label, polygons, [x, y]) => {
    const [cx, cy] = polygonCentroid(polygons as unknown as Position[][][]);
    expect(cx).toBeCloseTo(x, 12);
    expect(cy).toBeCloseTo(y, 12);
  });

  it('is precise at real coordinates', () => {
    const [cx, cy] = polygonCentroid([[square(-1.7, 53.8, 0.01)]]);
    expect(cx).toBeCloseTo(-1.695, 12);
    expect(cy).toBeCloseTo(53.805, 12);
  });
});

describe('parseLsoaBoundaries', () => {
  const feature = (props: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties: props, geometry });
  const props = { LSOA11CD: 'E01000001', LSOA11NM: 'A 001A', LAD13CD: 'E08000035', LAD_NM: 'Leeds' };

  it('reads Polygon and MultiPolygon features', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature(props, { type: 'Polygon', coordinates: [square(0, 0)] }),
        feature({ ...props, LSOA11CD: 'E01000002' }, { type: 'MultiPolygon', coordinates: [[square(0, 0)], [square(5, 5)]] }),
      ],
    });
    const parsed = parseLsoaBoundaries(text);
    expect(parsed.map((b) => [b.code, b.name, b.ladCode, b.ladName, b.polygons.length])).toEqual([
      ['E01000001', 'A 001A', 'E08000035', 'Leeds', 1],
      ['E01000002', 'A 001A', 'E08000035', 'Leeds', 2],
    ]);
  });

  it.each([
    ['a missing property', feature({ ...props, LAD_NM: undefined }, { type: 'Polygon', coordinates: [square(0, 0)] }), "b.geojson, line 1, field 'LAD_NM'"],
    ['a point geometry', feature(props, { type: 'Point', coordinates: [0, 0] }), "b.geojson, line 1, field 'geometry': feature 1: unsupported geometry type 'Point'"],
    ['bad coordinates', feature(props, { type: 'Polygon', coordinates: [[[0, 0], [1, 'x'], [1, 1], [0, 0]]] }), "field 'geometry'"],
  ])('names the feature and property for %s', (_label, f, message) => {
    expect(() => parseLsoaBoundaries(JSON.stringify({ type: 'FeatureCollection', features: [f] }), 'b.geojson')).toThrow(message);
  });

  it('rejects text that is not a FeatureCollection', () => {
    expect(() => parseLsoaBoundaries('{', 'b.geojson')).toThrow(/b\.geojson: not valid JSON/);
    expect(() => parseLsoaBoundaries('[]', 'b.geojson')).toThrow('b.geojson: expected a GeoJSON FeatureCollection');
  });
});
