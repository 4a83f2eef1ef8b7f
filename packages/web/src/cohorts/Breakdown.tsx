/** One breakdown of a cohort's count: a bar chart of each group's share in the cohort, its table and downloads. */
import { forwardRef, useRef } from 'react';
import type { CohortCountResponse } from '../api.js';
import { breakdownLabel, inSentence } from '../breakdowns.js';
import { clip } from '../components/chart-math.js';
import { INK, MUTED } from '../components/charts.js';
import { CsvButton, PngButton, TableHead, Toolbar, num } from '../components/common.js';
import { fmtPublished, fmtShare } from '../format.js';
import { COUNT_COLUMNS, breakdownCsvRows } from './count-csv.js';

type CountBreakdown = CohortCountResponse['breakdowns'][number];

/** Horizontal bars: each group's share of its residents who are in the cohort; withheld groups get no bar and a 'c'. */
const ShareChart = forwardRef<SVGSVGElement, { rows: CountBreakdown['rows']; title: string }>(({ rows, title }, ref) => {
  const width = 480;
  const label = 170;
  const rowH = 20;
  const top = 40;
  const height = top + rows.length * rowH + 12;
  const max = Math.max(0.0001, ...rows.map((r) => (r.suppressed ? 0 : (r.share ?? 0))));
  const w = width - label - 60;
  return (
    <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart, the values are in the table`} className="chart wide" fontFamily="system-ui, sans-serif">
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      <text x={8} y={18} fontSize={14} fontWeight={600} fill={INK}>
        {title}
      </text>
      <text x={8} y={33} fontSize={11} fill={MUTED}>
        Share of each group's residents in the cohort; c = withheld
      </text>
      {rows.map((r, i) => {
        const y = top + i * rowH;
        const share = r.suppressed ? null : r.share;
        const bw = share === null ? 0 : (share / max) * w;
        return (
          <g key={r.group}>
            <text x={label} y={y + 14} textAnchor="end" fontSize={11} fill={INK}>
              {clip(r.groupLabel, 28)}
            </text>
            <rect x={label + 8} y={y + 3} width={Math.max(share === null ? 0 : 1, bw)} height={rowH - 6} fill="#0b4f9c" />
            <text x={label + 14 + bw} y={y + 14} fontSize={10} fill={INK}>
              {share === null ? 'c' : `${(share * 100).toFixed(1)}%`}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
ShareChart.displayName = 'ShareChart';

export const Breakdown = ({ b, file }: { b: CountBreakdown; file: string }) => {
  const chart = useRef<SVGSVGElement>(null);
  const label = breakdownLabel(b.by);
  return (
    <div className="panel" data-testid={`cohort-breakdown-${b.by}`}>
      <h3>By {inSentence(label)}</h3>
      <ShareChart ref={chart} rows={b.rows} title={`Cohort members by ${inSentence(label)}`} />
      <Toolbar>
        <PngButton target={() => chart.current} filename={`${file}-by-${b.by}.png`} />
        <CsvButton filename={`${file}-by-${b.by}.csv`} columns={COUNT_COLUMNS} rows={() => breakdownCsvRows(b)} />
      </Toolbar>
      <details>
        <summary>Show as a table</summary>
        <table>
          <TableHead columns={[label, num('In the cohort'), num('Residents'), num('Share')]} />
          <tbody>
            {b.rows.map((r) => (
              <tr key={r.group}>
                <th scope="row">{r.groupLabel}</th>
                <td className="num">{fmtPublished(r.people, r.suppressed)}</td>
                <td className="num">{fmtPublished(r.groupPeople)}</td>
                <td className="num">{fmtShare(r.share, r.suppressed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
};
