/** A plain equirectangular projection (longitude scaled by cos(latitude)), fitted to a box: enough for one ICS. */
export type Ring = readonly (readonly [number, number])[];
export type MultiPolygon = readonly (readonly Ring[])[];

export interface Projection {
  (lon: number, lat: number): [number, number];
}

export const bounds = (shapes: readonly MultiPolygon[]): [number, number, number, number] => {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const shape of shapes)
    for (const polygon of shape)
      for (const ring of polygon)
        for (const [x, y] of ring) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
  return [minX, minY, maxX, maxY];
};

/** Space kept clear inside the box: one number for every side, or each side (e.g. a title band above the map). */
export type Padding = number | { top: number; right: number; bottom: number; left: number };

export const fitProjection = (b: [number, number, number, number], width: number, height: number, padding: Padding = 10): Projection => {
  const [minX, minY, maxX, maxY] = b;
  const pad = typeof padding === 'number' ? { top: padding, right: padding, bottom: padding, left: padding } : padding;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const w = (maxX - minX) * k || 1;
  const h = maxY - minY || 1;
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const scale = Math.min(innerW / w, innerH / h);
  const ox = pad.left + (innerW - w * scale) / 2;
  const oy = pad.top + (innerH - h * scale) / 2;
  return (lon, lat) => [ox + (lon - minX) * k * scale, oy + (maxY - lat) * scale];
};

/** SVG path data of a multipolygon (draw with fill-rule evenodd so holes stay holes). */
export const pathOf = (shape: MultiPolygon, project: Projection): string => {
  let d = '';
  for (const polygon of shape)
    for (const ring of polygon) {
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
      });
      d += 'Z';
    }
  return d;
};
