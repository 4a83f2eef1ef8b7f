// Pure helpers for the cost curve (bench/cost-curve.bench.mjs): the growth exponent of a job's
// cost in the population (the slope of a least-squares line on log-log axes) and the log-log chart
// (an SVG file, written by the script: no hand-drawn figures). No I/O here; tested in curve.test.ts.

/**
 * The growth exponent b of cost ≈ a · people^b: the least-squares slope of ln(cost) on ln(people)
 * over the points with a positive cost. null when fewer than two distinct populations remain.
 * 1 is linear growth, 2 quadratic; a fixed start-up cost pulls the slope below 1 at small sizes.
 */
export const fitExponent = (points) => {
  const usable = points.filter((p) => p.people > 0 && Number.isFinite(p.value) && p.value > 0);
  if (new Set(usable.map((p) => p.people)).size < 2) return null;
  const xs = usable.map((p) => Math.log(p.people));
  const ys = usable.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
};

/** Words for an exponent: what the growth looks like over the sizes measured. */
export const growthWords = (exponent) => {
  if (exponent === null) return 'not fitted (one size)';
  if (exponent < 0.2) return 'flat: fixed costs dominate';
  if (exponent < 0.9) return 'sub-linear';
  if (exponent <= 1.1) return 'about linear';
  if (exponent <= 1.5) return 'super-linear';
  return 'strongly super-linear';
};

/** Tick values 1, 2, 5 × 10^k spanning [min, max] (both > 0), at least the decades around them. */
export const logTicks = (min, max) => {
  if (!(min > 0) || !(max >= min)) throw new Error(`logTicks needs 0 < min <= max, got ${min}, ${max}`);
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const ticks = [];
  for (let k = lo; k <= hi; k++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** k);
  // Keep the ticks inside [the tick at or below min, the tick at or above max].
  const below = Math.max(...ticks.filter((t) => t <= min * (1 + 1e-9)));
  const above = Math.min(...ticks.filter((t) => t >= max * (1 - 1e-9)));
  return ticks.filter((t) => t >= below && t <= above).map((t) => Number(t.toPrecision(12)));
};

/** 100000 → "100k", 2850000 → "2.85M", 0.5 → "0.5", 20 → "20". */
export const shortNumber = (v) => {
  const trim = (x) => String(Number(x.toPrecision(3)));
  if (v >= 1e6) return `${trim(v / 1e6)}M`;
  if (v >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
};

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (v) => (Math.round(v * 10) / 10).toFixed(1);

/** Okabe-Ito colours (told apart with colour-blindness), one a job. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * A log-log line chart as SVG text: x = people, y = seconds. `series`: [{ name, solid: [{people, value}],
 * dashed: [{people, value}] }], one colour each (solid and dashed lines share it: e.g. CPU and wall time).
 * Deterministic: the same input gives the same bytes.
 */
export const logLogChart = ({ title, xLabel, yLabel, solidLabel, dashedLabel, series, width = 760, height = 460 }) => {
  const all = series.flatMap((s) => [...s.solid, ...(s.dashed ?? [])]).filter((p) => p.people > 0 && p.value > 0);
  if (all.length === 0) throw new Error('logLogChart: no points with positive people and value');
  const xTicks = logTicks(Math.min(...all.map((p) => p.people)), Math.max(...all.map((p) => p.people)));
  const yTicks = logTicks(Math.min(...all.map((p) => p.value)), Math.max(...all.map((p) => p.value)));
  const legendWidth = 210;
  const m = { left: 64, right: legendWidth + 16, top: 40, bottom: 52 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const [x0, x1] = [Math.log10(xTicks[0]), Math.log10(xTicks[xTicks.length - 1])];
  const [y0, y1] = [Math.log10(yTicks[0]), Math.log10(yTicks[yTicks.length - 1])];
  const sx = (v) => m.left + (x1 === x0 ? pw / 2 : ((Math.log10(v) - x0) / (x1 - x0)) * pw);
  const sy = (v) => m.top + ph - (y1 === y0 ? ph / 2 : ((Math.log10(v) - y0) / (y1 - y0)) * ph);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${esc(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (const t of xTicks) {
    const x = f1(sx(t));
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#dddddd"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 16}" text-anchor="middle">${esc(shortNumber(t))}</text>`);
  }
  for (const t of yTicks) {
    const y = f1(sy(t));
    out.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#dddddd"/>`);
    out.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(shortNumber(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444444"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${height - 12}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    for (const [points, dash] of [
      [s.solid, ''],
      [s.dashed ?? [], ' stroke-dasharray="5 4"'],
    ]) {
      const ps = points.filter((p) => p.people > 0 && p.value > 0).sort((a, b) => a.people - b.people);
      if (ps.length > 1) out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${ps.map((p) => `${f1(sx(p.people))},${f1(sy(p.value))}`).join(' ')}"/>`);
      for (const p of ps)
        out.push(
          dash
            ? `<circle cx="${f1(sx(p.people))}" cy="${f1(sy(p.value))}" r="3.5" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`
            : `<circle cx="${f1(sx(p.people))}" cy="${f1(sy(p.value))}" r="3.5" fill="${colour}"/>`,
        );
    }
  });
  const lx = width - legendWidth;
  series.forEach((s, i) => {
    const y = m.top + 8 + i * 20;
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 22}" y2="${y}" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 28}" y="${y}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  const ky = m.top + 8 + series.length * 20 + 12;
  out.push(`<line x1="${lx}" y1="${ky}" x2="${lx + 22}" y2="${ky}" stroke="#444444" stroke-width="2"/>`);
  out.push(`<text x="${lx + 28}" y="${ky}" dominant-baseline="middle">${esc(solidLabel)}</text>`);
  if (dashedLabel) {
    out.push(`<line x1="${lx}" y1="${ky + 20}" x2="${lx + 22}" y2="${ky + 20}" stroke="#444444" stroke-width="2" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${lx + 28}" y="${ky + 20}" dominant-baseline="middle">${esc(dashedLabel)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};
