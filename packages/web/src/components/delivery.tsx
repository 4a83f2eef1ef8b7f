/**
 * Shared pieces of the delivery pages (scorecard, action plan, risk register, board report): the
 * strategy picker (kept in the address, so links can be shared), status, RAG and risk-band badges
 * that always carry their words as well as their colour, and the trajectory chart.
 */
import { forwardRef, useState, type ReactNode } from 'react';
import { api, ApiError, type MeasureStatus, type Rag, type ScorecardMeasure, type StrategyT } from '../api.js';
import { fmtDate, fmtFixed } from '../format.js';
import { evenTicks, linear, paddedRange, plotArea } from './chart-math.js';
import { FONT, YGrid } from './charts.js';
import { Problem, SelectField, setHashParams, useHashParams, useLoad, type Option } from './common.js';

export const STATUS_STYLE: Record<MeasureStatus, { fill: string; text: string; label: string; description: string }> = {
  met: { fill: '#00703c', text: '#ffffff', label: 'Target met', description: 'the latest value is at least as good as the target' },
  'on-track': { fill: '#92d050', text: '#1a1a1a', label: 'On track', description: 'at least as good as the straight line from baseline to target at this date' },
  'no-significant-change': {
    fill: '#d9e2f3', text: '#1a1a1a', label: 'No significant change',
    description: 'behind the trajectory on the value alone, but its 95% confidence interval includes both the trajectory and the baseline: the data cannot tell',
  },
  'off-track': { fill: '#ffc000', text: '#1a1a1a', label: 'Off track', description: 'significantly behind the trajectory (its 95% confidence interval is all behind it), not significantly worse than the baseline' },
  worsening: { fill: '#c00000', text: '#ffffff', label: 'Worse than baseline', description: 'significantly worse than the baseline (its 95% confidence interval is all worse)' },
  missed: { fill: '#7a0000', text: '#ffffff', label: 'Target missed', description: 'the target date has passed and the value for it had not reached the target' },
  incomplete: { fill: '#e8e8e8', text: '#1a1a1a', label: 'Incomplete', description: 'no baseline, target or recent value yet' },
};

export const RAG_STYLE: Record<Rag, { fill: string; text: string; label: string }> = {
  green: { fill: '#00703c', text: '#ffffff', label: 'Green' },
  amber: { fill: '#ffc000', text: '#1a1a1a', label: 'Amber' },
  red: { fill: '#c00000', text: '#ffffff', label: 'Red' },
};

/** The RAG ratings as the options of a select (green, amber, red). */
export const RAG_OPTIONS: readonly Option[] = (Object.keys(RAG_STYLE) as Rag[]).map((r) => ({ id: r, label: RAG_STYLE[r].label }));

export const BAND_STYLE: Record<string, { fill: string; text: string }> = {
  critical: { fill: '#7a0000', text: '#ffffff' },
  serious: { fill: '#c00000', text: '#ffffff' },
  high: { fill: '#f47738', text: '#1a1a1a' },
  moderate: { fill: '#ffdd00', text: '#1a1a1a' },
  low: { fill: '#92d050', text: '#1a1a1a' },
};

const Badge = ({ fill, text, label, title, testId }: { fill: string; text: string; label: string; title?: string; testId?: string }) => (
  <span className="badge" style={{ background: fill, color: text }} title={title} data-testid={testId}>
    {label}
  </span>
);

export const StatusBadge = ({ status }: { status: MeasureStatus }) => {
  const s = STATUS_STYLE[status];
  return <Badge fill={s.fill} text={s.text} label={s.label} title={s.description} testId={`status-${status}`} />;
};
export const RagBadge = ({ rag }: { rag: Rag }) => <Badge {...RAG_STYLE[rag]} testId={`rag-${rag}`} />;
export const BandBadge = ({ band, label }: { band: string; label: string }) => <Badge fill={BAND_STYLE[band]?.fill ?? '#ffffff'} text={BAND_STYLE[band]?.text ?? '#1a1a1a'} label={label} testId={`band-${band}`} />;

/** How many measures have each status, every status named (a zero says as much as a count). */
export const StatusSummary = ({ counts, testId }: { counts: Readonly<Record<MeasureStatus, number>>; testId?: string }) => (
  <ul className="legend" aria-label="Measures by status" data-testid={testId}>
    {(Object.keys(STATUS_STYLE) as MeasureStatus[]).map((s) => (
      <li key={s}>
        <StatusBadge status={s} /> {counts[s]}
      </li>
    ))}
  </ul>
);

/** A value in its unit: 12.3%, 79.1 years, 1,234.6 per 100,000. */
export const fmtValue = (value: number | null | undefined, unit: string): string => {
  if (value === null || value === undefined) return '–';
  const n = fmtFixed(value, 1);
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
};

/** The strategies, and the one chosen in the address (#/page?strategy=id), else the first. */
export const useStrategy = (
  page: string,
): { strategies: readonly StrategyT[]; strategy: StrategyT | undefined; choose: (id: string) => void; refresh: () => void; error: Error | undefined; loading: boolean; problems: readonly { source: string; message: string }[] } => {
  const params = useHashParams();
  // Reloaded after a change makes a new version of a strategy (the last list stays shown meanwhile).
  const [reload, setReload] = useState(0);
  const list = useLoad(`strategies:${reload}`, api.strategies, true);
  const strategies = list.data?.strategies ?? [];
  const wanted = params.get('strategy');
  const strategy = strategies.find((s) => s.id === wanted) ?? strategies[0];
  const choose = (id: string) => setHashParams(page, { ...Object.fromEntries(params), strategy: id }, false);
  return { strategies, strategy, choose, refresh: () => setReload((n) => n + 1), error: list.error, loading: list.loading && list.data === undefined, problems: list.data?.problems ?? [] };
};

/** The strategy select and a one-line description of the chosen strategy. */
export const StrategyPicker = ({ page, children }: { page: string; children: (strategy: StrategyT, refresh: () => void) => ReactNode }) => {
  const { strategies, strategy, choose, refresh, error, loading } = useStrategy(page);
  if (error) return <Problem error={error} />;
  if (loading) return <p className="loading">Loading the strategies…</p>;
  if (!strategy) return <p>No strategies are loaded: add plan files to plans/ (see docs/delivery.md).</p>;
  return (
    <>
      <div className="controls">
        <SelectField id="strategy" label="Strategy" value={strategy.id} onChange={choose} items={strategies} optionLabel={(s) => s.title} />
      </div>
      <p className="note" data-testid="strategy-summary">
        {strategy.board} · {strategy.areaName} · {fmtDate(strategy.period.start)} to {fmtDate(strategy.period.end)} · version {strategy.version}
      </p>
      {children(strategy, refresh)}
    </>
  );
};

/** Only the fields that differ, so an edit never overwrites someone else's change to another field. */
/** The fields that differ between two versions of a form (lists compared by their items). */
export const changedFields = <T extends object>(before: T, after: T): Partial<T> =>
  Object.fromEntries((Object.keys(after) as (keyof T)[]).filter((k) => !sameValue(after[k], before[k])).map((k) => [k, after[k]])) as Partial<T>;

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

/** Ticks for the strategy's measures an action or risk addresses, grouped by ambition (ids in the strategy's order). */
export const MeasurePicker = ({ strategy, value, onChange, legend }: { strategy: StrategyT; value: readonly string[]; onChange: (ids: string[]) => void; legend: string }) => {
  const all = strategy.priorities.flatMap((p) => p.ambitions.flatMap((a) => a.measures.map((m) => ({ ...m, ambition: a.title }))));
  if (all.length === 0) return null;
  const toggle = (id: string, on: boolean) => onChange(all.map((m) => m.id).filter((x) => (x === id ? on : value.includes(x))));
  return (
    <fieldset className="measure-picker" data-testid="measure-picker">
      <legend>{legend}</legend>
      {all.map((m) => (
        <label key={m.id} className="check">
          <input type="checkbox" checked={value.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} /> {m.title} <span className="note">({m.ambition})</span>
        </label>
      ))}
    </fieldset>
  );
};

/** What the page says when the server refused a stale edit (409), with a way to reload. */
export const ConflictNotice = ({ message, reloadLabel, onReload }: { message: string; reloadLabel: string; onReload: () => void }) => (
  <div className="notice" role="alert" data-testid="conflict">
    <p>{message}</p>
    <button type="button" onClick={onReload}>
      {reloadLabel}
    </button>
  </div>
);

/** Runs a save; a 409 (someone else changed the record) goes to `onConflict`, anything else to the form. */
export const saveOrConflict = async (save: () => Promise<unknown>, onConflict: (message: string) => void): Promise<boolean> => {
  try {
    await save();
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      onConflict(err.message);
      return false;
    }
    throw err;
  }
};

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/**
 * A measure over time: its values (dots, with 95% confidence whiskers), the trajectory from baseline
 * to target (dashed) and the target (a diamond). Time runs on a true date axis, so pooled periods and
 * target dates sit where they belong.
 */
export const TrajectoryChart = forwardRef<SVGSVGElement, { measure: ScorecardMeasure }>(({ measure: m }, ref) => {
  const { width, height, left, right, top, bottom } = plotArea(640, 260, { left: 70, right: 24, top: 48, bottom: 44 });
  const values = m.points.filter((p) => p.value !== null);
  const dates = [...m.points.map((p) => p.date), ...m.trajectory.map((t) => t.date)];
  const ys = [...values.flatMap((p) => [p.value!, p.lower95 ?? p.value!, p.upper95 ?? p.value!]), ...m.trajectory.map((t) => t.value)];
  if (dates.length === 0 || ys.length === 0) {
    return (
      <svg ref={ref} viewBox={`0 0 ${width} 60`} className="chart" role="img" aria-label={`${m.title}: no values to chart`} fontFamily={FONT}>
        <rect width={width} height={60} fill="#ffffff" />
        <text x={left} y={34} fontSize={13} fill="#3b3b3b">
          No values to chart yet.
        </text>
      </svg>
    );
  }
  const d0 = Math.min(...dates.map(dayOf)) - 60;
  const d1 = Math.max(...dates.map(dayOf)) + 60;
  const { min: y0, max: y1 } = paddedRange(ys, 0.1);
  const x = linear(d0, d1, left, right);
  const sx = (iso: string) => x(dayOf(iso));
  const sy = linear(y0, y1, bottom, top);
  const years: number[] = [];
  for (let y = new Date(d0 * DAY).getUTCFullYear() + 1; y <= new Date(d1 * DAY).getUTCFullYear(); y++) years.push(y);
  const described = values.map((p) => `${p.label}: ${fmtValue(p.value, m.unit)}`).join('; ');
  const target = m.trajectory[1];
  return (
    <svg
      ref={ref}
      viewBox={`0 0 ${width} ${height}`}
      className="chart"
      role="img"
      fontFamily={FONT}
      data-testid="trajectory-chart"
      aria-label={`${m.title}, ${m.areaName}: ${described || 'no published values'}${target ? `; target ${fmtValue(target.value, m.unit)} by ${target.date}` : ''}`}
    >
      <rect width={width} height={height} fill="#ffffff" />
      <text x={left} y={18} fontSize={14} fontWeight={600} fill="#1a1a1a">
        {m.title}
      </text>
      <text x={left} y={35} fontSize={12} fill="#3b3b3b">
        {`${m.areaName} (${m.unit}); dots: values with 95% CI; dashed: trajectory to target`}
      </text>
      <YGrid ticks={evenTicks(y0, y1)} y={sy} left={left} right={right} />
      {years.map((y) => (
        <g key={y}>
          <line x1={sx(`${y}-01-01`)} x2={sx(`${y}-01-01`)} y1={bottom} y2={bottom + 5} stroke="#3b3b3b" />
          <text x={sx(`${y}-01-01`)} y={bottom + 18} textAnchor="middle" fontSize={11} fill="#1a1a1a">
            {y}
          </text>
        </g>
      ))}
      <line x1={left} x2={right} y1={bottom} y2={bottom} stroke="#3b3b3b" />
      {m.trajectory.length === 2 && (
        <>
          <line x1={sx(m.trajectory[0]!.date)} y1={sy(m.trajectory[0]!.value)} x2={sx(m.trajectory[1]!.date)} y2={sy(m.trajectory[1]!.value)} stroke="#6b4e00" strokeWidth={2} strokeDasharray="6 4" />
          <path d={`M${sx(target!.date)},${sy(target!.value) - 7}l7,7l-7,7l-7,-7z`} fill="#6b4e00" />
        </>
      )}
      {values.map((p) => (
        <g key={p.date}>
          {p.lower95 !== null && p.upper95 !== null && <line x1={sx(p.date)} x2={sx(p.date)} y1={sy(p.lower95)} y2={sy(p.upper95)} stroke="#9cc3e6" strokeWidth={4} />}
          <circle cx={sx(p.date)} cy={sy(p.value!)} r={4.5} fill="#0b3d62" />
        </g>
      ))}
    </svg>
  );
});
TrajectoryChart.displayName = 'TrajectoryChart';
