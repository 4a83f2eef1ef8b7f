import { describe, expect, it } from 'vitest';
import { bounds, fitProjection, pathOf, type MultiPolygon } from './geo.js';

const square = (x: number, y: number, size: number): MultiPolygon => [
  [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
];

describe('maps', () => {
  it.each<[MultiPolygon[], [number, number, number, number]]>([
    [[square(0, 50, 1)], [0, 50, 1, 51]],
    [[square(-2, 53, 1), square(-1.5, 53.5, 1)], [-2, 53, -0.5, 54.5]],
  ])('the bounds of %j are %j', (shapes, expected) => {
    expect(bounds(shapes)).toEqual(expected);
  });

  it('fits the area in the box, centred, north up and longitude shrunk by the cosine of the latitude', () => {
    const project = fitProjection([-2, 53, -1, 54], 200, 200, 0);
    const k = Math.cos((53.5 * Math.PI) / 180);
    // The taller side fills the box; the narrower one is centred.
    expect(project(-2, 54)[1]).toBeCloseTo(0);
    expect(project(-2, 53)[1]).toBeCloseTo(200);
    expect(project(-2, 54)[0]).toBeCloseTo((200 - 200 * k) / 2);
    expect(project(-1, 53)[0]).toBeCloseTo((200 + 200 * k) / 2);
  });

  it('keeps the padding clear', () => {
    const project = fitProjection([0, 0, 1, 1], 100, 100, 10);
    expect(project(0, 1)[1]).toBeCloseTo(10);
    expect(project(0, 0)[1]).toBeCloseTo(90);
  });

  it.each<[string, { top: number; right: number; bottom: number; left: number }, [number, number], [number, number]]>([
    // [what, padding, where the north-west corner goes, where the south-east corner goes]
    ['a title band above', { top: 30, right: 0, bottom: 0, left: 0 }, [15, 30], [85, 100]],
    ['a caption band below', { top: 0, right: 0, bottom: 20, left: 0 }, [10, 0], [90, 80]],
    ['bands above and below', { top: 30, right: 5, bottom: 20, left: 5 }, [25, 30], [75, 80]],
    ['a margin on the left', { top: 0, right: 0, bottom: 0, left: 40 }, [40, 20], [100, 80]],
  ])('keeps %s clear, the area centred in what is left', (_what, padding, nw, se) => {
    const project = fitProjection([0, 0, 1, 1], 100, 100, padding);
    // A square at the equator (cos 0.5° ≈ 1): the smaller side of the space left sets the scale.
    expect(project(0, 1)[0]).toBeCloseTo(nw[0], 0);
    expect(project(0, 1)[1]).toBeCloseTo(nw[1], 0);
    expect(project(1, 0)[0]).toBeCloseTo(se[0], 0);
    expect(project(1, 0)[1]).toBeCloseTo(se[1], 0);
  });

  it('draws every ring as a closed path, holes included', () => {
    const withHole: MultiPolygon = [
      [
        [
          [0, 0],
          [4, 0],
          [4, 4],
        ],
        [
          [1, 1],
          [2, 1],
          [2, 2],
        ],
      ],
    ];
    expect(pathOf(withHole, (lon, lat) => [lon * 10, lat * 10])).toBe('M0.0,0.0L40.0,0.0L40.0,40.0ZM10.0,10.0L20.0,10.0L20.0,20.0Z');
  });
});
