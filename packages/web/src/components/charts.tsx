/**
 * Small SVG charts drawn with presentation attributes only (so they export to PNG as they look):
 * a sparkline with a 95% confidence band, a trend chart, a bar chart with confidence intervals, and
 * a 100% stacked bar chart. Every chart has a text alternative (aria-label) and a table next to it.
 */
import { forwardRef, useId, type ReactNode } from 'react';
import { periodLabel, type Comparison, type TrendPoint } from '../api.js';
import { COMPARISON_STYLE, badgeOf } from './comparison.js';
import { axisLabelLines, bandPath, clip, fmtTick, linePath, niceTicks, plotArea, scaleTrend, segmentsOf, textWidth } from './chart-math.js';

export { COMPARISON_STYLE };

export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
export const INK = '#1a1a1a';
export const MUTED = '#3b3b3b';
export const LINE = '#0b3d62';
export const BAND = '#9cc3e6';
export const BENCH = '#6b4e00';

/** Horizontal grid lines across [left, right] with their values at the left: the y axis of the line charts. */
export const YGrid = ({ ticks, y, left, right }: { ticks: readonly number[]; y: (v: number) => number; left: number; right: number }) => (
  <>
    {ticks.map((t) => (
      <g key={t}>
        <line x1={left} x2={right} y1={y(t)} y2={y(t)} stroke="#dddddd" />
        <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill={MUTED}>
          {fmtTick(t)}
        </text>
      </g>
    ))}
  </>
);

export const ComparisonBadge = ({ comparison, against = 'ICS' }: { comparison: Comparison; against?: string }) => {
  const s = badgeOf(comparison, against);
  return (
    <span className="badge" style={{ background: s.fill, color: s.text }} data-comparison={comparison} data-against={against} title={s.description}>
      {s.label}
    </span>
  );
};

export const ComparisonLegend = ({ against = 'ICS' }: { against?: string }) => (
  <div className="comparison-legend" data-testid="comparison-legend">
    <ul className="legend" aria-label={`Key: compared with ${against}`}>
      {(Object.keys(COMPARISON_STYLE) as Comparison[]).map((c) => (
        <li key={c}>
          <ComparisonBadge comparison={c} against={against} />
        </li>
      ))}
    </ul>
    <p className="note">
      Compared with {against}: <strong>better</strong> or <strong>worse</strong> when the 95% confidence interval does not include the {against} value
      (judged by the indicator's polarity), <strong>similar</strong> when it does; <strong>higher</strong> or <strong>lower</strong> where higher is neither
      better nor worse; <strong>not compared</strong> for {against} itself or when a value is withheld.
    </p>
  </div>
);

const describeTrend = (trend: readonly TrendPoint[], unit: string): string =>
  trend.map((p) => `${periodLabel(p.period)}: ${p.suppressed || p.value === null ? 'suppressed' : `${fmtTick(p.value)}${unit === '%' ? '%' : ''}`}`).join('; ');

/** A sparkline of a trend: the line, its 95% confidence band, and the latest point. */
export const Sparkline = forwardRef<SVGSVGElement, { trend: readonly TrendPoint[]; unit: string; title: string }>(({ trend, unit, title }, ref) => {
  const width = 132;
  const height = 36;
  const { points } = scaleTrend(trend, 4, width - 6, 4, height - 4);
  const segs = segmentsOf(points, (p) => p.y !== null);
  const last = [...points].reverse().find((p) => p.y !== null);
  return (
    <svg ref={ref} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`Trend of ${title}: ${describeTrend(trend, unit) || 'no values'}`} className="sparkline" fontFamily={FONT}>
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      {segs.map((s, i) => (
        <path key={`b${i}`} d={bandPath(s)} fill={BAND} stroke="none" />
      ))}
      {segs.map((s, i) => (s.length > 1 ? <path key={`l${i}`} d={linePath(s)} fill="none" stroke={LINE} strokeWidth={1.8} /> : null))}
      {last && <circle cx={last.x} cy={last.y!} r={2.8} fill={LINE} />}
      {!segs.length && (
        <text x={width / 2} y={height / 2 + 4} textAnchor="middle" fontSize={10} fill={MUTED}>
          no values
        </text>
      )}
    </svg>
  );
});
Sparkline.displayName = 'Sparkline';

/** A trend chart: the area's values with a 95% confidence band and, dashed, a benchmark series. */
export const TrendChart = forwardRef<
  SVGSVGElement,
  { trend: readonly TrendPoint[]; benchmark?: readonly TrendPoint[] | undefined; unit: string; title: string; areaName: string; benchmarkName?: string | undefined }
>(({ trend, benchmark, unit, title, areaName, benchmarkName }, ref) => {
  // Pooled periods' labels take two lines under the axis (axisLabelLines): room for the second.
  const labelLines = Math.max(1, ...trend.map((p) => axisLabelLines(periodLabel(p.period)).length));
  const { width, height, left, right, top, bottom } = plotArea(680, 300 + 13 * (labelLines - 1), { left: 64, right: 24, top: 58, bottom: 46 + 13 * (labelLines - 1) });
  const { points, sy, min, max } = scaleTrend(trend, left + 16, right - 16, top, bottom, (benchmark ?? []).flatMap((p) => (p.suppressed ? [] : [p.value])));
  const segs = segmentsOf(points, (p) => p.y !== null);
  const benchByLabel = new Map((benchmark ?? []).map((p) => [periodLabel(p.period), p]));
  const benchPoints = trend.map((p, i) => {
    const b = benchByLabel.get(periodLabel(p.period));
    return { x: points[i]!.x, y: b && !b.suppressed && b.value !== null ? sy(b.value) : null, lo: null, hi: null };
  });
  const benchSegs = segmentsOf(benchPoints, (p) => p.y !== null);
  const ticks = niceTicks(min, max);
  // The benchmark's legend starts after the area's, however long its name (about 6.2 px a character at 11 px).
  const benchX = Math.max(250, Math.ceil(24 + textWidth(`${areaName} (band: 95% CI)`, 11) + 24));
  return (
    <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}, ${areaName}: ${describeTrend(trend, unit)}`} className="chart" fontFamily={FONT} data-testid="trend-chart">
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      <text x={left} y={18} fontSize={15} fontWeight={600} fill={INK}>
        {title}
      </text>
      <text x={left} y={36} fontSize={12} fill={MUTED}>
        {`${areaName} (${unit}), with 95% confidence interval`}
      </text>
      <YGrid ticks={ticks} y={sy} left={left} right={right} />
      <line x1={left} x2={left} y1={top - 6} y2={bottom} stroke={MUTED} strokeWidth={1} />
      {segs.map((s, i) => (
        <path key={`b${i}`} d={bandPath(s)} fill={BAND} stroke="none" />
      ))}
      {benchSegs.map((s, i) => (s.length > 1 ? <path key={`k${i}`} d={linePath(s)} fill="none" stroke={BENCH} strokeWidth={2} strokeDasharray="6 4" /> : null))}
      {segs.map((s, i) => (s.length > 1 ? <path key={`l${i}`} d={linePath(s)} fill="none" stroke={LINE} strokeWidth={2.4} /> : null))}
      {points.map((p, i) =>
        p.y === null ? (
          <text key={i} x={p.x} y={bottom - 6} textAnchor="middle" fontSize={11} fill={MUTED}>
            c
          </text>
        ) : (
          <circle key={i} cx={p.x} cy={p.y} r={3.5} fill={LINE} />
        ),
      )}
      {trend.map((p, i) => (
        <text key={i} x={points[i]!.x} y={bottom + 18} textAnchor="middle" fontSize={11} fill={INK}>
          {axisLabelLines(periodLabel(p.period)).map((line, j) => (
            <tspan key={j} x={points[i]!.x} dy={j === 0 ? 0 : 13}>
              {line}
            </tspan>
          ))}
        </text>
      ))}
      <g transform={`translate(${left}, ${height - 12})`}>
        <rect x={0} y={-9} width={18} height={10} fill={BAND} />
        <line x1={0} x2={18} y1={-4} y2={-4} stroke={LINE} strokeWidth={2.4} />
        <text x={24} y={0} fontSize={11} fill={INK}>
          {`${areaName} (band: 95% CI)`}
        </text>
        {benchmark && benchmark.length > 0 && (
          <>
            <line x1={benchX} x2={benchX + 24} y1={-4} y2={-4} stroke={BENCH} strokeWidth={2} strokeDasharray="6 4" />
            <text x={benchX + 30} y={0} fontSize={11} fill={INK}>
              {benchmarkName ?? 'Benchmark'}
            </text>
          </>
        )}
        <text x={right - left} y={0} fontSize={11} fill={MUTED} textAnchor="end">
          c = withheld
        </text>
      </g>
    </svg>
  );
});
TrendChart.displayName = 'TrendChart';

export interface CiRow {
  readonly label: string;
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly comparison: Comparison;
}

/** Horizontal bars with 95% confidence intervals, coloured by comparison with a benchmark line. */
export const CiBarChart = forwardRef<SVGSVGElement, { rows: readonly CiRow[]; title: string; unit: string; benchmark: number | null; benchmarkName: string }>(
  ({ rows, title, unit, benchmark, benchmarkName }, ref) => {
    const width = 720;
    const label = 220;
    const rowH = 20;
    const top = 50;
    const height = top + rows.length * rowH + 44;
    const x0 = label + 10;
    const x1 = width - 70;
    const values = rows.flatMap((r) => [r.value, r.upper]).concat(benchmark).filter((v): v is number => v !== null);
    const max = Math.max(1e-9, ...values) * 1.05;
    const sx = (v: number) => x0 + (Math.max(0, v) / max) * (x1 - x0);
    const ticks = niceTicks(0, max);
    return (
      <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart, the values are in the table below`} className="chart wide" fontFamily={FONT} data-testid="breakdown-chart">
        <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
        <text x={8} y={18} fontSize={15} fontWeight={600} fill={INK}>
          {title}
        </text>
        <text x={8} y={36} fontSize={12} fill={MUTED}>
          {`${unit}; whiskers: 95% confidence interval; colour: compared with ${benchmarkName}`}
        </text>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={sx(t)} x2={sx(t)} y1={top - 4} y2={top + rows.length * rowH} stroke="#e3e3e3" />
            <text x={sx(t)} y={top + rows.length * rowH + 14} fontSize={10} textAnchor="middle" fill={MUTED}>
              {fmtTick(t)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const style = COMPARISON_STYLE[r.comparison];
          return (
            <g key={`${r.label}-${i}`}>
              <text x={label} y={y + 14} textAnchor="end" fontSize={11} fill={INK}>
                {clip(r.label, 34)}
              </text>
              {r.value === null ? (
                <text x={x0 + 4} y={y + 14} fontSize={11} fill={MUTED}>
                  c (suppressed)
                </text>
              ) : (
                <>
                  <rect x={x0} y={y + 3} width={Math.max(1, sx(r.value) - x0)} height={rowH - 6} fill={style.fill} stroke="#555555" strokeWidth={0.6} />
                  {r.lower !== null && r.upper !== null && (
                    <g stroke={INK} strokeWidth={1.2}>
                      <line x1={sx(r.lower)} x2={sx(r.upper)} y1={y + rowH / 2} y2={y + rowH / 2} />
                      <line x1={sx(r.lower)} x2={sx(r.lower)} y1={y + 5} y2={y + rowH - 5} />
                      <line x1={sx(r.upper)} x2={sx(r.upper)} y1={y + 5} y2={y + rowH - 5} />
                    </g>
                  )}
                  <text x={Math.max(sx(r.upper ?? r.value), sx(r.value)) + 5} y={y + 14} fontSize={10} fill={INK}>
                    {`${fmtTick(r.value)} ${style.label.toLowerCase()}`}
                  </text>
                </>
              )}
            </g>
          );
        })}
        {benchmark !== null && (
          <g>
            <line x1={sx(benchmark)} x2={sx(benchmark)} y1={top - 8} y2={top + rows.length * rowH} stroke={BENCH} strokeWidth={2} strokeDasharray="5 3" />
            <text x={sx(benchmark)} y={top - 10} fontSize={10} textAnchor="middle" fill={BENCH}>
              {`${benchmarkName} ${fmtTick(benchmark)}`}
            </text>
          </g>
        )}
        <text x={8} y={height - 8} fontSize={10} fill={MUTED}>
          {'Better / similar / worse use the Fingertips colours: green, amber, red; higher / lower in blue; white = not compared.'}
        </text>
      </svg>
    );
  },
);
CiBarChart.displayName = 'CiBarChart';

/** Okabe-Ito colour-blind-safe palette (first seven) then grey. */
export const CATEGORY_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#7a7a7a'];
/** Text colour with AA contrast on each palette colour. */
const TEXT_ON = ['#ffffff', '#1a1a1a', '#1a1a1a', '#1a1a1a', '#1a1a1a', '#1a1a1a', '#1a1a1a', '#ffffff'];

export interface StackRow {
  readonly label: string;
  /** One share (0-1) per category, null when suppressed. */
  readonly shares: readonly (number | null)[];
}

export const CategoryLegend = ({ categories, label }: { categories: readonly string[]; label: string }) => (
  <ul className="legend" aria-label={label}>
    {categories.map((c, i) => (
      <li key={c}>
        <span className="swatch" style={{ background: CATEGORY_COLOURS[i % CATEGORY_COLOURS.length] }} /> {c}
      </li>
    ))}
    <li>
      <span className="swatch hatched" /> withheld ([c])
    </li>
  </ul>
);

/** 100% stacked horizontal bars: one bar per group, one segment per category. */
export const StackedBarChart = forwardRef<SVGSVGElement, { rows: readonly StackRow[]; categories: readonly string[]; title: string; subtitle: string; testId?: string }>(
  ({ rows, categories, title, subtitle, testId }, ref) => {
    const width = 760;
    const label = 200;
    const rowH = 20;
    const legendRows = Math.ceil(categories.length / 3);
    const top = 46 + legendRows * 18 + 8;
    const height = top + rows.length * rowH + 30;
    const x0 = label + 8;
    const x1 = width - 16;
    const w = x1 - x0;
    const hatch = `hatch-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
    const legend: ReactNode[] = categories.map((c, i) => (
      <g key={c} transform={`translate(${8 + (i % 3) * 250}, ${46 + Math.floor(i / 3) * 18})`}>
        <rect x={0} y={-10} width={12} height={12} fill={CATEGORY_COLOURS[i % CATEGORY_COLOURS.length]} stroke="#555555" strokeWidth={0.6} />
        <text x={17} y={0} fontSize={11} fill={INK}>
          {clip(c, 38)}
        </text>
      </g>
    ));
    return (
      <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: stacked bar chart, the values are in the table below`} className="chart wide" fontFamily={FONT} data-testid={testId}>
        <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
        <defs>
          <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#eeeeee" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#888888" strokeWidth="2" />
          </pattern>
        </defs>
        <text x={8} y={18} fontSize={15} fontWeight={600} fill={INK}>
          {title}
        </text>
        <text x={8} y={34} fontSize={11} fill={MUTED}>
          {subtitle}
        </text>
        {legend}
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <text key={t} x={x0 + t * w} y={top + rows.length * rowH + 14} fontSize={10} textAnchor="middle" fill={MUTED}>
            {`${t * 100}%`}
          </text>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const known = r.shares.reduce<number>((a, s) => a + (s ?? 0), 0);
          const anySuppressed = r.shares.some((s) => s === null);
          // Without suppression, scale rounded shares to fill the bar; with it, the rest is drawn hatched.
          const k = !anySuppressed && known > 0 ? 1 / known : 1;
          let x = x0;
          return (
            <g key={`${r.label}-${i}`}>
              <text x={label} y={y + 14} textAnchor="end" fontSize={11} fill={INK}>
                {clip(r.label, 32)}
              </text>
              {r.shares.map((s, j) => {
                if (s === null || s <= 0) return null;
                const sw = s * k * w;
                const rect = (
                  <g key={j}>
                    <rect x={x} y={y + 2} width={sw} height={rowH - 4} fill={CATEGORY_COLOURS[j % CATEGORY_COLOURS.length]} />
                    {sw > 30 && (
                      <text x={x + sw / 2} y={y + 14} textAnchor="middle" fontSize={10} fill={TEXT_ON[j % TEXT_ON.length]}>
                        {`${Math.round(s * 100)}%`}
                      </text>
                    )}
                  </g>
                );
                x += sw;
                return rect;
              })}
              {anySuppressed && x < x1 - 0.5 && <rect x={x} y={y + 2} width={x1 - x} height={rowH - 4} fill={`url(#${hatch})`} />}
            </g>
          );
        })}
      </svg>
    );
  },
);
StackedBarChart.displayName = 'StackedBarChart';
