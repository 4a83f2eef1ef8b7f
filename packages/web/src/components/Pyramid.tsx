import { forwardRef } from 'react';
import type { PopulationSummaryT } from '../api.js';

type Row = PopulationSummaryT['pyramid'][number];

export const MALE = '#1d5fa8';
export const FEMALE = '#a3245e';

/** Age-sex pyramid: males left, females right, youngest at the bottom. Suppressed cells are marked "c". */
export const Pyramid = forwardRef<SVGSVGElement, { rows: readonly Row[]; title: string }>(({ rows, title }, ref) => {
  const width = 640;
  const rowH = 20;
  const top = 46;
  const height = top + rows.length * rowH + 40;
  const mid = width / 2;
  const label = 56;
  const max = Math.max(1, ...rows.flatMap((r) => [r.male ?? 0, r.female ?? 0]));
  const half = mid - label / 2 - 20;
  const w = (n: number | null) => ((n ?? 0) / max) * half;
  const ordered = [...rows].reverse();
  const font = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
  return (
    <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Age-sex pyramid: ${title}`} className="chart" fontFamily={font}>
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      <text x={mid} y={18} textAnchor="middle" fontSize={15} fontWeight={600} fill="#1a1a1a">
        {title}
      </text>
      <text x={mid - label / 2 - 4} y={38} textAnchor="end" fontSize={13} fill={MALE} fontWeight={600}>
        Male
      </text>
      <text x={mid + label / 2 + 4} y={38} fontSize={13} fill={FEMALE} fontWeight={600}>
        Female
      </text>
      {ordered.map((r, i) => {
        const y = top + i * rowH;
        return (
          <g key={r.ageBand}>
            <text x={mid} y={y + 14} textAnchor="middle" fontSize={11} fill="#1a1a1a">
              {r.ageBand}
            </text>
            <rect x={mid - label / 2 - w(r.male)} y={y + 2} width={w(r.male)} height={rowH - 4} fill={MALE} />
            <rect x={mid + label / 2} y={y + 2} width={w(r.female)} height={rowH - 4} fill={FEMALE} />
            {r.male === null && (
              <text x={mid - label / 2 - 6} y={y + 14} textAnchor="end" fontSize={11} fill="#1a1a1a">
                c
              </text>
            )}
            {r.female === null && (
              <text x={mid + label / 2 + 6} y={y + 14} fontSize={11} fill="#1a1a1a">
                c
              </text>
            )}
          </g>
        );
      })}
      <text x={mid} y={height - 12} textAnchor="middle" fontSize={11} fill="#3b3b3b">
        People by 5-year age band. c = withheld (1-7); other counts carry a small fixed noise (at most ±5).
      </text>
    </svg>
  );
});
Pyramid.displayName = 'Pyramid';
