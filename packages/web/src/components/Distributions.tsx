/**
 * Population segments and risk distributions for an area, by neighbourhood, IMD decile and other
 * groups: 100% stacked bar charts (from /api/segments and /api/risk) with the same figures as tables.
 */
import { useRef, useState } from 'react';
import { api, ApiError, type Geography } from '../api.js';
import { breakdownOptions, breakdownPhrase } from '../breakdowns.js';
import { fileSlug } from '../export.js';
import { csvCount, fmtPublished, fmtShare } from '../format.js';
import { CategoryLegend, StackedBarChart, type StackRow } from './charts.js';
import { CsvButton, PngButton, Problem, SelectField, SuppressionNote, TableHead, Toolbar, num, useLoad, type Loaded } from './common.js';

export const SEGMENTATION_OPTIONS = [
  { id: 'kirklees-four-groups', label: 'Kirklees population model (four groups)' },
  { id: 'bridges-to-health', label: 'Bridges to Health (eight segments)' },
];
const BY_OPTIONS = breakdownOptions(['neighbourhood', 'imd-decile', 'place', 'age-band', 'sex', 'ethnic-group']);
const MEASURE_LABEL: Record<string, string> = {
  frailty: 'Frailty (electronic Frailty Index category)',
  conditions: 'Number of long-term conditions',
  multimorbidity: 'Multimorbidity',
  'multimorbidity-score': 'Multimorbidity score band',
  core20plus5: 'Core20PLUS5 groups (overlapping)',
  'admission-risk': 'Predicted risk of an emergency admission',
};

const CATEGORY_LABEL: Record<string, string> = {
  'frailty:fit': 'Fit (eFI ≤ 0.12)',
  'frailty:mild': 'Mild frailty',
  'frailty:moderate': 'Moderate frailty',
  'frailty:severe': 'Severe frailty',
  'conditions:0': 'No conditions',
  'conditions:1': '1 condition',
  'conditions:2': '2 conditions',
  'conditions:3+': '3 or more conditions',
};

interface Cell {
  readonly people: number | null;
  readonly share: number | null;
  readonly suppressed: boolean;
}
interface Grid {
  readonly groups: readonly { readonly id: string; readonly label: string }[];
  readonly categories: readonly { readonly id: string; readonly label: string }[];
  readonly cell: (group: string, category: string) => Cell | undefined;
}

interface GridSource {
  readonly group: string;
  readonly groupLabel: string;
  readonly people: number | null;
  readonly share: number | null;
  readonly suppressed: boolean;
}
const gridOf = <R extends GridSource>(rows: readonly R[], categoryOf: (r: R) => string, categories: readonly { id: string; label: string }[]): Grid => {
  const groups: { id: string; label: string }[] = [];
  const cells = new Map<string, Cell>();
  for (const r of rows) {
    if (!groups.some((g) => g.id === r.group)) groups.push({ id: r.group, label: r.groupLabel || r.group });
    cells.set(`${r.group}\u0000${categoryOf(r)}`, r);
  }
  return { groups, categories, cell: (g, c) => cells.get(`${g}\u0000${c}`) };
};

/** The breakdowns of an area's distributions: by place only for the whole ICS. */
const ByField = ({ id, value, onChange, area }: { id: string; value: string; onChange: (v: string) => void; area: string }) => (
  <SelectField id={id} label="By" value={value} onChange={onChange} items={BY_OPTIONS.filter((o) => !(o.id === 'place' && area !== 'ics'))} inline />
);

/** Within a place or neighbourhood there is one place: its breakdown by place becomes by neighbourhood. */
const useBreakdown = (area: string): { by: string; setBy: (by: string) => void; label: string } => {
  const [by, setBy] = useState(area === 'ics' ? 'place' : 'neighbourhood');
  const effective = by === 'place' && area !== 'ics' ? 'neighbourhood' : by;
  return { by: effective, setBy, label: BY_OPTIONS.find((o) => o.id === effective)?.label ?? effective };
};

const notAvailable = (e: Error | undefined) => e instanceof ApiError && e.status === 501;

/** While a distribution loads, or why it did not: 'not available yet' (501) in words, anything else as a problem. */
const LoadState = ({ data, what }: { data: Loaded<unknown>; what: string }) => (
  <>
    {data.loading && <p className="loading">Loading…</p>}
    {data.error && (notAvailable(data.error) ? <p className="notice">{what} are not available yet.</p> : <Problem error={data.error} />)}
  </>
);

/** The chart, the table and their exports for one grid of shares. */
const GridView = ({ grid, title, subtitle, byLabel, file, testId, stacked }: { grid: Grid; title: string; subtitle: string; byLabel: string; file: string; testId: string; stacked: boolean }) => {
  const chart = useRef<SVGSVGElement>(null);
  const stackRows: StackRow[] = grid.groups.map((g) => ({
    label: g.label,
    shares: grid.categories.map((c) => {
      const x = grid.cell(g.id, c.id);
      return !x || x.suppressed ? null : (x.share ?? null);
    }),
  }));
  const csvRows = () =>
    grid.groups.flatMap((g) =>
      grid.categories.map((c) => {
        const x = grid.cell(g.id, c.id);
        return [g.id, g.label, c.id, c.label, csvCount(x?.people, x?.suppressed), x?.suppressed ? '[c]' : x?.share, x?.suppressed ?? ''];
      }),
    );
  return (
    <>
      {stacked ? (
        <>
          <StackedBarChart ref={chart} rows={stackRows} categories={grid.categories.map((c) => c.label)} title={title} subtitle={subtitle} testId={`${testId}-chart`} />
          <CategoryLegend categories={grid.categories.map((c) => c.label)} label={title} />
        </>
      ) : (
        <p className="note">These groups overlap (a person can be in several), so they are shown as a table, not stacked.</p>
      )}
      <Toolbar>
        {stacked && <PngButton target={() => chart.current} filename={`${file}.png`} />}
        <CsvButton filename={`${file}.csv`} columns={['group', 'group_label', 'category', 'category_label', 'people', 'share', 'suppressed']} rows={csvRows} />
      </Toolbar>
      <details open={!stacked}>
        <summary>Show the figures as a table</summary>
        <div className="table-scroll">
          <table data-testid={`${testId}-table`}>
            <TableHead columns={[byLabel, ...grid.categories.map((c) => num(c.label, c.id))]} />
            <tbody>
              {grid.groups.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{g.label}</th>
                  {grid.categories.map((c) => {
                    const x = grid.cell(g.id, c.id);
                    return (
                      <td key={c.id} className="num">
                        {x ? (
                          <>
                            {fmtPublished(x.people, x.suppressed)}
                            <span className="note"> {fmtShare(x.share, x.suppressed)}</span>
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
};

export const SegmentsPanel = ({ area, areaName }: { area: string; areaName: string; geography?: Geography }) => {
  const [segmentation, setSegmentation] = useState(SEGMENTATION_OPTIONS[0]!.id);
  const { by, setBy, label: byLabel } = useBreakdown(area);
  const data = useLoad(`segments:${segmentation}:${by}:${area}`, () => api.segments(segmentation, by, area));
  const d = data.data;
  return (
    <div className="panel" data-testid="segments-panel">
      <h2>Population segments</h2>
      <p>Everyone is assigned to exactly one segment, from the most to the least intensive need (see the descriptions below).</p>
      <div className="controls">
        <SelectField id="segmentation" label="Segmentation" value={segmentation} onChange={setSegmentation} items={SEGMENTATION_OPTIONS} inline />
        <ByField id="segments-by" value={by} onChange={setBy} area={area} />
      </div>
      <LoadState data={data} what="Segment summaries" />
      {d && (
        <>
          <GridView
            grid={gridOf(d.rows, (r) => r.segment, d.segmentation.segments)}
            title={`${d.segmentation.title}: ${areaName} by ${breakdownPhrase(by)}`}
            subtitle={`Share of people in each segment on ${d.date}; hatched = withheld`}
            byLabel={byLabel}
            file={`segments-${d.segmentation.id}-${fileSlug(area)}-by-${by}`}
            testId="segments"
            stacked
          />
          <details>
            <summary>What the segments mean</summary>
            <dl className="grid">
              {d.segmentation.segments.map((s) => (
                <div key={s.id} style={{ display: 'contents' }}>
                  <dt>{s.label}</dt>
                  <dd>{s.description}</dd>
                </div>
              ))}
            </dl>
          </details>
          <SuppressionNote rule={d.disclosure.rule} />
        </>
      )}
    </div>
  );
};

export const RiskPanel = ({ area, areaName }: { area: string; areaName: string }) => {
  const { by, setBy, label: byLabel } = useBreakdown(area);
  const [measure, setMeasure] = useState('frailty');
  const data = useLoad(`risk:${by}:${area}`, () => api.risk(by, area));
  const d = data.data;
  const measureDefs = d?.measures ?? [];
  const measures = measureDefs.length ? measureDefs.map((m) => m.id) : [...new Set((d?.rows ?? []).map((r) => r.measure))];
  const current = measures.includes(measure) ? measure : (measures[0] ?? measure);
  const def = measureDefs.find((m) => m.id === current);
  const labelOf = (id: string) => def?.label ?? MEASURE_LABEL[id] ?? id;
  const rows = (d?.rows ?? []).filter((r) => r.measure === current);
  const categoryIds = def ? def.categories : [...new Set(rows.map((r) => r.category))];
  const categories = categoryIds.map((c) => ({ id: c, label: CATEGORY_LABEL[`${current}:${c}`] ?? c }));
  const grid = gridOf(rows, (r) => r.category, categories);
  // Stack only measures whose categories partition everyone (not the overlapping Core20PLUS5 groups).
  const stacked = def ? def.partition : current !== 'core20plus5';
  return (
    <div className="panel" data-testid="risk-panel">
      <h2>Risk: frailty and multimorbidity</h2>
      <div className="controls">
        <SelectField
          id="risk-measure"
          label="Measure"
          value={current}
          onChange={setMeasure}
          items={(measures.length ? measures : [measure]).map((id) => ({ id }))}
          optionLabel={({ id }) => (id === current ? labelOf(id) : (measureDefs.find((x) => x.id === id)?.label ?? MEASURE_LABEL[id] ?? id))}
          inline
        />
        <ByField id="risk-by" value={by} onChange={setBy} area={area} />
      </div>
      <LoadState data={data} what="Risk summaries" />
      {d && rows.length === 0 && <p>No figures for this measure.</p>}
      {d && rows.length > 0 && (
        <>
          <GridView
            grid={grid}
            title={`${labelOf(current)}: ${areaName} by ${breakdownPhrase(by)}`}
            subtitle={`Share of people in each category on ${d.date}; hatched = withheld`}
            byLabel={byLabel}
            file={`risk-${current}-${fileSlug(area)}-by-${by}`}
            testId="risk"
            stacked={stacked}
          />
          <SuppressionNote rule={d.disclosure.rule} />
        </>
      )}
    </div>
  );
};
