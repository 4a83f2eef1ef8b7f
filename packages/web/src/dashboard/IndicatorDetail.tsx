/**
 * One indicator in one area (#/dashboard?area=...&indicator=...): its latest value with the 95% CI,
 * numerator and denominator and the comparison with the ICS and with England (a real published
 * figure for the same period); its trend against the ICS and England; and its
 * breakdown by place, neighbourhood or IMD decile, coloured by comparison with the ICS value, with
 * the inequality measures across deprivation groups.
 */
import { useRef, useState } from 'react';
import { api, periodLabel, type DashboardIndicator, type DashboardResponse, type Geography, type IndicatorCatalogue } from '../api.js';
import { breakdownLabel, breakdownOptions, breakdownPhrase } from '../breakdowns.js';
import { compareWith } from '../components/chart-math.js';
import { CiBarChart, ComparisonBadge, TrendChart, type CiRow } from '../components/charts.js';
import { CsvButton, CsvLink, PngButton, Problem, SelectField, SuppressionNote, TableHead, Toolbar, num, useLoad } from '../components/common.js';
import { fileSlug } from '../export.js';
import { dashboardHref, fmtCi, fmtCountOrC, fmtValue, groupName, polarityLabel, splitResults, unitNote } from './format.js';
import { DashboardAreaSelect, England, EnglandNote, Inequality } from './parts.js';
import { badgeOf } from './england.js';

/** The breakdowns an indicator's detail offers, when the indicator has them. */
/** The breakdowns the detail offers (those an indicator allows): where, deprivation, and the equity groups (Core20PLUS5). */
const DETAIL_BREAKDOWNS = ['place', 'neighbourhood', 'imd-decile', 'imd-quintile', 'ethnic-group', 'sex', 'age-band'];
/** Breakdowns of the whole ICS only (the results have no area filter): said so on a place's page. */
const ICS_WIDE = new Set(['imd-decile', 'imd-quintile', 'ethnic-group', 'sex', 'age-band']);

/** What every part of the detail shows: the indicator, in its unit, in the chosen area. */
interface Shown {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly area: string;
  readonly areaName: string;
  readonly isIcs: boolean;
}

/** The latest value in the area, with everything a reader needs to judge it. */
const Latest = ({ i, shown: { unit, areaName, isIcs } }: { i: DashboardIndicator; shown: Shown }) => (
  <div className="panel">
    <h2>
      Latest: {i.latest ? periodLabel(i.latest.period) : 'no period'} in {areaName}
    </h2>
    <dl className="grid" data-testid="detail-latest">
      <dt>Value</dt>
      <dd className="value">
        {i.latest && !i.latest.suppressed ? fmtValue(i.latest.value, unit) : '[c] suppressed'} {unitNote(unit)}
      </dd>
      <dt>95% confidence interval</dt>
      <dd>{i.latest ? fmtCi(i.latest.lower95, i.latest.upper95, unit) : '–'}</dd>
      <dt>Numerator / denominator</dt>
      <dd>
        {fmtCountOrC(i.latest?.numerator)} /{' '}
        {fmtCountOrC(i.latest?.denominator)}
      </dd>
      <dt>Compared with the ICS</dt>
      <dd>
        <ComparisonBadge comparison={isIcs ? 'not-compared' : i.comparison} /> {isIcs ? '(this is the ICS)' : `ICS: ${fmtValue(i.benchmark?.value ?? null, unit)}`}
      </dd>
      <dt>Compared with England</dt>
      <dd>
        <England i={i} detail />
      </dd>
      <dt>Inequality (IMD deciles)</dt>
      <dd>
        <Inequality i={i} unit={unit} />
      </dd>
      {i.latest?.note && (
        <>
          <dt>Note</dt>
          <dd>{i.latest.note}</dd>
        </>
      )}
    </dl>
  </div>
);

/** The trend in the area, with the ICS's beside it (not when the area is the ICS). */
const Trend = ({ i, shown: { id, title, unit, area, areaName, isIcs }, benchmark, benchmarkName }: { i: DashboardIndicator; shown: Shown; benchmark: DashboardIndicator | undefined; benchmarkName: string | undefined }) => {
  const trendRef = useRef<SVGSVGElement>(null);
  return (
    <div className="panel">
      <h2>Trend</h2>
      <TrendChart ref={trendRef} trend={i.trend} benchmark={isIcs ? undefined : benchmark?.trend} unit={unit} title={title} areaName={areaName} benchmarkName={benchmarkName} />
      <Toolbar>
        <PngButton target={() => trendRef.current} filename={`trend-${id}-${fileSlug(area)}.png`} />
        <CsvButton
          filename={`trend-${id}-${fileSlug(area)}.csv`}
          columns={['indicator_id', 'area', 'period', 'value', 'lower_95', 'upper_95', 'suppressed']}
          rows={() => i.trend.map((p) => [id, areaName, periodLabel(p.period), p.suppressed ? '[c]' : p.value, p.lower95, p.upper95, p.suppressed])}
        />
      </Toolbar>
      <details>
        <summary>Show the trend as a table</summary>
        <table data-testid="trend-table">
          <TableHead columns={['Period', num(areaName), num('95% CI'), !isIcs && num('ICS'), num('England (published)'), 'Compared with England']} />
          <tbody>
            {i.trend.map((p, k) => {
              const b = benchmark?.trend.find((x) => periodLabel(x.period) === periodLabel(p.period));
              const e = i.englandTrend[k];
              return (
                <tr key={periodLabel(p.period)}>
                  <th scope="row">{periodLabel(p.period)}</th>
                  <td className="num">{p.suppressed ? '[c]' : fmtValue(p.value, unit)}</td>
                  <td className="num">{p.suppressed ? '–' : fmtCi(p.lower95, p.upper95, unit)}</td>
                  {!isIcs && <td className="num">{b && !b.suppressed ? fmtValue(b.value, unit) : '–'}</td>}
                  <td className="num">{e?.england ? `${fmtValue(e.england.value, unit)}${e.england.periodNote ? ` (${e.england.period})` : ''}` : '–'}</td>
                  <td>{e?.england ? <ComparisonBadge comparison={e.comparison} against="England" /> : <span className="note" title={badgeOf('not-compared', 'England').description}>no England value</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </div>
  );
};

/** The inequality measures across deprivation groups (gap, relative gap, SII, RII) with what they mean. */
const InequalityTable = ({ rows }: { rows: ReturnType<typeof splitResults>['inequality'] }) => (
  <>
    <h3>Inequality across deprivation groups</h3>
    <table data-testid="inequality-table">
      <TableHead columns={['Measure', num('Value'), num('95% CI'), 'Note']} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.group}>
            <th scope="row">{r.group}</th>
            <td className="num">{r.value === null ? '[c]' : fmtValue(r.value, r.unit)}</td>
            <td className="num">{fmtCi(r.lower_95, r.upper_95, r.unit)}</td>
            <td>{r.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <p className="note">
      Gap, SII and their relative forms all run the same way: the least deprived minus (or divided by) the most deprived. Positive when the least deprived
      have the higher value (longer lives); negative when the most deprived do (higher death and admission rates). Gap: between the least and most deprived
      groups. SII (slope index of inequality): the modelled difference between the least and most deprived ends of the population, taking every group into
      account.
    </p>
  </>
);

/** The indicator by place, neighbourhood or IMD decile: each group compared with the ICS value. */
const Breakdown = ({ shown: { id, title, unit, area, areaName }, polarity, geography, options, icsValue }: { shown: Shown; polarity: string; geography: Geography | undefined; options: readonly string[]; icsValue: number | null }) => {
  const [by, setBy] = useState<string>(options[0] ?? 'place');
  const results = useLoad(`results:${id}:${by}`, () => api.indicatorResults(id, by));
  const barRef = useRef<SVGSVGElement>(null);
  const placeOfArea = area.startsWith('place:') ? area.slice('place:'.length) : null;
  const { groups, inequality } = splitResults(results.data?.rows ?? []);
  // Within a place, its own neighbourhoods only.
  const shownRows = by === 'neighbourhood' && placeOfArea && geography ? groups.filter((r) => geography.neighbourhoods.find((n) => n.id === r.group)?.place === placeOfArea) : groups;
  const ciRows: CiRow[] = shownRows.map((r) => ({
    label: groupName(by, r.group, geography),
    value: r.suppressed ? null : r.value,
    lower: r.suppressed ? null : r.lower_95,
    upper: r.suppressed ? null : r.upper_95,
    comparison: r.suppressed ? 'not-compared' : compareWith(r.lower_95, r.upper_95, icsValue, polarity),
  }));
  return (
    <div className="panel">
      <h2>Breakdown</h2>
      <div className="controls">
        <SelectField id="breakdown-by" label="By" value={by} onChange={setBy} items={breakdownOptions(options)} inline />
        {by === 'neighbourhood' && placeOfArea && <span className="note">Neighbourhoods in {areaName} only.</span>}
        {ICS_WIDE.has(by) && area !== 'ics' && <span className="note" data-testid="breakdown-ics-wide">For the whole ICS, not {areaName} alone.</span>}
      </div>
      {results.loading && <p className="loading">Loading…</p>}
      {results.error && <Problem error={results.error} />}
      {results.data && (
        <>
          <p className="note">
            {periodLabel(results.data.period)}. Colours compare each group's 95% confidence interval with the ICS value ({fmtValue(icsValue, unit)}).
          </p>
          {ciRows.length > 0 && <CiBarChart ref={barRef} rows={ciRows} title={`${title} by ${breakdownPhrase(by)}`} unit={unit} benchmark={icsValue} benchmarkName="ICS" />}
          <Toolbar>
            <PngButton target={() => barRef.current} filename={`${id}-by-${by}.png`} />
            <CsvLink href={api.indicatorResultsCsvUrl(id, by)} />
          </Toolbar>
          <table data-testid="breakdown-results">
            <TableHead columns={[breakdownLabel(by), num('Value'), num('95% CI'), num('Numerator'), num('Denominator'), 'Compared with ICS']} />
            <tbody>
              {shownRows.map((r, k) => (
                <tr key={r.group}>
                  <th scope="row">{ciRows[k]!.label}</th>
                  <td className="num">{r.suppressed || r.value === null ? '[c]' : fmtValue(r.value, unit)}</td>
                  <td className="num">{r.suppressed ? '–' : fmtCi(r.lower_95, r.upper_95, unit)}</td>
                  <td className="num">{fmtCountOrC(r.numerator)}</td>
                  <td className="num">{fmtCountOrC(r.denominator)}</td>
                  <td>
                    <ComparisonBadge comparison={ciRows[k]!.comparison} />
                    {r.note && <div className="note">{r.note}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {inequality.length > 0 && <InequalityTable rows={inequality} />}
          <SuppressionNote rule={results.data.disclosure.rule} />
        </>
      )}
    </div>
  );
};

export const IndicatorDetail = ({ id, area, geography, catalogue, onArea }: { id: string; area: string; geography: Geography | undefined; catalogue: IndicatorCatalogue | undefined; onArea: (a: string) => void }) => {
  const here = useLoad<DashboardResponse>(`dashboard:${area}`, () => api.dashboard(area));
  const ics = useLoad<DashboardResponse>('dashboard:ics', () => api.dashboard('ics'));
  const icsResults = useLoad(`results:${id}:ics`, () => api.indicatorResults(id, 'ics'));
  const definition = catalogue?.indicators.find((x) => x.id === id);
  const i = here.data?.indicators.find((x) => x.id === id);
  const benchmark = ics.data?.indicators.find((x) => x.id === id);
  const isIcs = area === 'ics';
  const areaName = here.data?.area.name ?? area;
  const unit = i?.unit ?? definition?.unit ?? '';
  const polarity = i?.polarity ?? definition?.polarity ?? 'no-judgement';
  const icsValue = icsResults.data?.rows[0]?.value ?? benchmark?.latest?.value ?? null;
  const title = i?.title ?? definition?.title ?? id;
  const shown: Shown = { id, title, unit, area, areaName, isIcs };

  return (
    <section data-testid="indicator-detail">
      <p>
        <a href={dashboardHref(area)}>← All indicators for {areaName}</a>
      </p>
      <h1>{title}</h1>
      {definition && <p className="lead">{definition.definition}</p>}
      <div className="controls">
        <DashboardAreaSelect geography={geography} value={area} onChange={onArea} />
        <span className="note">
          Unit: {unit} · {polarityLabel(polarity)}
          {definition?.reference ? ` · Reference: ${definition.reference}` : ''}
          {definition?.fingertips ? ` · Compared with England: Fingertips indicator ${definition.fingertips.id} (${definition.fingertips.sex}, ${definition.fingertips.age})` : ''}
        </span>
      </div>
      {here.error && <Problem error={here.error} />}
      {here.loading && <p className="loading">Loading…</p>}
      {here.data && !i && <p className="notice">This indicator is not on the dashboard for {areaName}.</p>}
      {i && <Latest i={i} shown={shown} />}
      {i && <Trend i={i} shown={shown} benchmark={benchmark} benchmarkName={benchmark ? `${ics.data?.area.name ?? 'ICS'}` : undefined} />}
      {i && <EnglandNote />}
      <Breakdown shown={shown} polarity={polarity} geography={geography} options={DETAIL_BREAKDOWNS.filter((b) => !definition || definition.breakdowns.includes(b))} icsValue={icsValue} />
    </section>
  );
};
