/**
 * The outcomes dashboard: every indicator for the ICS or a place, with its latest value and 95% CI,
 * a sparkline, the comparison with the ICS (Fingertips colours, always with a text label), and
 * inequality across deprivation deciles. Click an indicator for its detail view (trend and breakdowns).
 * The area and the indicator are in the address (#/dashboard?area=place:leeds&indicator=...), so views can be shared.
 */
import { useMemo, useRef, useState } from 'react';
import { api, ApiError, periodLabel, type DashboardIndicator, type Geography, type IndicatorCatalogue } from '../api.js';
import { CiBarChart, ComparisonBadge, ComparisonLegend, Sparkline, TrendChart, compareWith, type CiRow } from '../components/charts.js';
import { CsvButton, CsvLink, PngButton, Problem, SuppressionNote, Toolbar, setHashParams, useHashParams, useLoad } from '../components/common.js';
import { fileSlug } from '../export.js';

const POLARITY: Record<string, string> = { 'higher-is-better': 'Higher is better', 'lower-is-better': 'Lower is better', 'no-judgement': 'No judgement (higher or lower)' };

/** A value in its unit: 12.3% or 345.6 (per 100,000 in the column heading). */
export const fmtValue = (v: number | null | undefined, unit: string): string => {
  if (v === null || v === undefined) return '[c]';
  const digits = Math.abs(v) >= 1000 ? 0 : 1;
  const text = v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '%' ? `${text}%` : text;
};
const fmtCi = (lo: number | null | undefined, hi: number | null | undefined, unit: string): string =>
  lo === null || lo === undefined || hi === null || hi === undefined ? '–' : `${fmtValue(lo, unit)} to ${fmtValue(hi, unit)}`;
const unitNote = (unit: string): string => (unit === '%' ? '' : unit);

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const DashboardAreaSelect = ({ geography, value, onChange }: { geography: Geography | undefined; value: string; onChange: (v: string) => void }) => (
  <span className="field">
    <label htmlFor="dashboard-area">Area </label>
    <select id="dashboard-area" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="ics">{geography?.ics.name ?? 'Whole ICS'} (whole ICS)</option>
      {geography && (
        <optgroup label="Places">
          {geography.places.map((p) => (
            <option key={p.id} value={`place:${p.id}`}>
              {p.name}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  </span>
);

const Inequality = ({ i, unit }: { i: DashboardIndicator; unit: string }) => {
  const q = i.inequality;
  if (!q) return <span className="note">not available</span>;
  if (q.gap === null && q.sii === null) return <span className="note">not published (a deprivation group is withheld)</span>;
  return (
    <span>
      {q.gap !== null && (
        <>
          Gap {fmtValue(q.gap, unit)}
          {q.gapLabel && <span className="note"> ({q.gapLabel})</span>}
          <br />
        </>
      )}
      {q.sii !== null && (
        <>
          SII {fmtValue(q.sii, unit)}
          {q.siiLower95 !== null && q.siiUpper95 !== null && <span className="note"> (95% CI {fmtCi(q.siiLower95, q.siiUpper95, unit)})</span>}
        </>
      )}
    </span>
  );
};

const IndicatorRow = ({ i, area, isIcs }: { i: DashboardIndicator; area: string; isIcs: boolean }) => {
  const spark = useRef<SVGSVGElement>(null);
  const l = i.latest;
  return (
    <tr data-testid="indicator-row" data-indicator={i.id}>
      <th scope="row">
        <a href={`#/dashboard?area=${encodeURIComponent(area)}&indicator=${encodeURIComponent(i.id)}`}>{i.title}</a>
        <div className="note">
          {unitNote(i.unit) || 'per cent'} · {POLARITY[i.polarity] ?? i.polarity}
        </div>
      </th>
      <td className="period">{l ? periodLabel(l.period) : '–'}</td>
      <td className="num value">
        {l && !l.suppressed && l.value !== null ? fmtValue(l.value, i.unit) : <abbr title={l?.note || 'suppressed: small numbers'}>[c]</abbr>}
      </td>
      <td className="num">{l ? fmtCi(l.lower95, l.upper95, i.unit) : '–'}</td>
      <td className="spark">
        <Sparkline ref={spark} trend={i.trend} unit={i.unit} title={i.title} />
        <PngButton small target={() => spark.current} filename={`trend-${i.id}-${fileSlug(area)}.png`} label={`Save the trend of ${i.title} as PNG`} />
      </td>
      {!isIcs && (
        <>
          <td className="num">{fmtValue(i.benchmark?.value ?? null, i.unit)}</td>
          <td>
            <ComparisonBadge comparison={i.comparison} />
          </td>
        </>
      )}
      <td className="ineq">
        <Inequality i={i} unit={i.unit} />
      </td>
    </tr>
  );
};

const dashboardCsv = (list: readonly DashboardIndicator[]) =>
  list.map((i) => [
    i.id,
    i.title,
    i.themes.join('; '),
    i.unit,
    i.polarity,
    i.latest ? periodLabel(i.latest.period) : '',
    i.latest?.suppressed || i.latest?.value === null ? '[c]' : i.latest?.value,
    i.latest?.lower95,
    i.latest?.upper95,
    i.latest?.suppressed || i.latest?.numerator === null ? '[c]' : i.latest?.numerator,
    i.latest?.suppressed || i.latest?.denominator === null ? '[c]' : i.latest?.denominator,
    i.benchmark?.name,
    i.benchmark?.value,
    i.comparison,
    i.inequality?.gap,
    i.inequality?.gapLabel,
    i.inequality?.sii,
    i.inequality?.siiLower95,
    i.inequality?.siiUpper95,
    i.latest?.note,
  ]);
const DASHBOARD_COLUMNS = ['id', 'title', 'themes', 'unit', 'polarity', 'period', 'value', 'lower_95', 'upper_95', 'numerator', 'denominator', 'benchmark', 'benchmark_value', 'comparison', 'gap', 'gap_label', 'sii', 'sii_lower_95', 'sii_upper_95', 'note'];

const BREAKDOWN_LABEL: Record<string, string> = { place: 'Place', neighbourhood: 'Neighbourhood', 'imd-decile': 'IMD decile', 'imd-quintile': 'IMD quintile', 'local-authority': 'Local authority', 'age-band': 'Age band', sex: 'Sex', 'ethnic-group': 'Ethnic group' };
const INEQUALITY_ROW = /^(gap |relative gap |SII$|RII$)/;

const IndicatorDetail = ({ id, area, geography, catalogue, onArea }: { id: string; area: string; geography: Geography | undefined; catalogue: IndicatorCatalogue | undefined; onArea: (a: string) => void }) => {
  const here = useLoad(`dashboard:${area}`, () => api.dashboard(area));
  const ics = useLoad('dashboard:ics', () => api.dashboard('ics'));
  const definition = catalogue?.indicators.find((x) => x.id === id);
  const options = ['place', 'neighbourhood', 'imd-decile'].filter((b) => !definition || definition.breakdowns.includes(b));
  const [by, setBy] = useState<string>(options[0] ?? 'place');
  const results = useLoad(`results:${id}:${by}`, () => api.indicatorResults(id, by));
  const icsResults = useLoad(`results:${id}:ics`, () => api.indicatorResults(id, 'ics'));
  const trendRef = useRef<SVGSVGElement>(null);
  const barRef = useRef<SVGSVGElement>(null);
  const i = here.data?.indicators.find((x) => x.id === id);
  const benchmark = ics.data?.indicators.find((x) => x.id === id);
  const isIcs = area === 'ics';
  const areaName = here.data?.area.name ?? area;
  const unit = i?.unit ?? definition?.unit ?? '';
  const polarity = i?.polarity ?? definition?.polarity ?? 'no-judgement';
  const icsValue = icsResults.data?.rows[0]?.value ?? benchmark?.latest?.value ?? null;

  const nameOf = (group: string): string => {
    if (by === 'place') return geography?.places.find((p) => p.id === group)?.name ?? group;
    if (by === 'neighbourhood') return geography?.neighbourhoods.find((n) => n.id === group)?.name ?? group;
    if (by === 'imd-decile') return `Decile ${group}${group === '1' ? ' (most deprived)' : group === '10' ? ' (least deprived)' : ''}`;
    return group;
  };
  const placeOfArea = area.startsWith('place:') ? area.slice(6) : null;
  const groupRows = (results.data?.rows ?? []).filter((r) => !INEQUALITY_ROW.test(r.group));
  const inequalityRows = (results.data?.rows ?? []).filter((r) => INEQUALITY_ROW.test(r.group));
  const shownRows =
    by === 'neighbourhood' && placeOfArea && geography
      ? groupRows.filter((r) => geography.neighbourhoods.find((n) => n.id === r.group)?.place === placeOfArea)
      : groupRows;
  const ciRows: CiRow[] = shownRows.map((r) => ({
    label: nameOf(r.group),
    value: r.suppressed ? null : r.value,
    lower: r.suppressed ? null : r.lower_95,
    upper: r.suppressed ? null : r.upper_95,
    comparison: r.suppressed ? 'not-compared' : compareWith(r.lower_95, r.upper_95, icsValue, polarity),
  }));
  const title = i?.title ?? definition?.title ?? id;

  return (
    <section data-testid="indicator-detail">
      <p>
        <a href={`#/dashboard?area=${encodeURIComponent(area)}`}>← All indicators for {areaName}</a>
      </p>
      <h1>{title}</h1>
      {definition && <p className="lead">{definition.definition}</p>}
      <div className="controls">
        <DashboardAreaSelect geography={geography} value={area} onChange={onArea} />
        <span className="note">
          Unit: {unit} · {POLARITY[polarity] ?? polarity}
          {definition?.reference ? ` · Reference: ${definition.reference}` : ''}
        </span>
      </div>
      {here.error && <Problem error={here.error} />}
      {here.loading && <p className="loading">Loading…</p>}
      {here.data && !i && <p className="notice">This indicator is not on the dashboard for {areaName}.</p>}
      {i && (
        <div className="panel">
          <h2>
            Latest: {i.latest ? periodLabel(i.latest.period) : 'no period'} in {areaName}
          </h2>
          <dl className="grid" data-testid="detail-latest">
            <dt>Value</dt>
            <dd className="value">{i.latest && !i.latest.suppressed ? fmtValue(i.latest.value, unit) : '[c] suppressed'} {unitNote(unit)}</dd>
            <dt>95% confidence interval</dt>
            <dd>{i.latest ? fmtCi(i.latest.lower95, i.latest.upper95, unit) : '–'}</dd>
            <dt>Numerator / denominator</dt>
            <dd>
              {i.latest?.numerator === null || i.latest?.numerator === undefined ? '[c]' : i.latest.numerator.toLocaleString('en-GB')} /{' '}
              {i.latest?.denominator === null || i.latest?.denominator === undefined ? '[c]' : i.latest.denominator.toLocaleString('en-GB')}
            </dd>
            <dt>Compared with the ICS</dt>
            <dd>
              <ComparisonBadge comparison={isIcs ? 'not-compared' : i.comparison} /> {isIcs ? '(this is the ICS)' : `ICS: ${fmtValue(i.benchmark?.value ?? null, unit)}`}
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
      )}
      {i && (
        <div className="panel">
          <h2>Trend</h2>
          <TrendChart
            ref={trendRef}
            trend={i.trend}
            benchmark={isIcs ? undefined : benchmark?.trend}
            unit={unit}
            title={title}
            areaName={areaName}
            benchmarkName={benchmark ? `${ics.data?.area.name ?? 'ICS'}` : undefined}
          />
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
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">
                    {areaName}
                  </th>
                  <th scope="col" className="num">
                    95% CI
                  </th>
                  {!isIcs && (
                    <th scope="col" className="num">
                      ICS
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {i.trend.map((p) => {
                  const b = benchmark?.trend.find((x) => periodLabel(x.period) === periodLabel(p.period));
                  return (
                    <tr key={periodLabel(p.period)}>
                      <th scope="row">{periodLabel(p.period)}</th>
                      <td className="num">{p.suppressed ? '[c]' : fmtValue(p.value, unit)}</td>
                      <td className="num">{p.suppressed ? '–' : fmtCi(p.lower95, p.upper95, unit)}</td>
                      {!isIcs && <td className="num">{b && !b.suppressed ? fmtValue(b.value, unit) : '–'}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </details>
        </div>
      )}
      <div className="panel">
        <h2>Breakdown</h2>
        <div className="controls">
          <span className="field">
            <label htmlFor="breakdown-by">By </label>
            <select id="breakdown-by" value={by} onChange={(e) => setBy(e.target.value)}>
              {options.map((b) => (
                <option key={b} value={b}>
                  {BREAKDOWN_LABEL[b] ?? b}
                </option>
              ))}
            </select>
          </span>
          {by === 'neighbourhood' && placeOfArea && <span className="note">Neighbourhoods in {areaName} only.</span>}
        </div>
        {results.loading && <p className="loading">Loading…</p>}
        {results.error && <Problem error={results.error} />}
        {results.data && (
          <>
            <p className="note">
              {periodLabel(results.data.period)}. Colours compare each group's 95% confidence interval with the ICS value ({fmtValue(icsValue, unit)}).
            </p>
            {ciRows.length > 0 && <CiBarChart ref={barRef} rows={ciRows} title={`${title} by ${by === 'imd-decile' ? 'IMD decile' : (BREAKDOWN_LABEL[by] ?? by).toLowerCase()}`} unit={unit} benchmark={icsValue} benchmarkName="ICS" />}
            <Toolbar>
              <PngButton target={() => barRef.current} filename={`${id}-by-${by}.png`} />
              <CsvLink href={api.indicatorResultsCsvUrl(id, by)} />
            </Toolbar>
            <table data-testid="breakdown-results">
              <thead>
                <tr>
                  <th scope="col">{BREAKDOWN_LABEL[by] ?? by}</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col" className="num">
                    95% CI
                  </th>
                  <th scope="col" className="num">
                    Numerator
                  </th>
                  <th scope="col" className="num">
                    Denominator
                  </th>
                  <th scope="col">Compared with ICS</th>
                </tr>
              </thead>
              <tbody>
                {shownRows.map((r, k) => (
                  <tr key={r.group}>
                    <th scope="row">{nameOf(r.group)}</th>
                    <td className="num">{r.suppressed || r.value === null ? '[c]' : fmtValue(r.value, unit)}</td>
                    <td className="num">{r.suppressed ? '–' : fmtCi(r.lower_95, r.upper_95, unit)}</td>
                    <td className="num">{r.numerator === null ? '[c]' : r.numerator.toLocaleString('en-GB')}</td>
                    <td className="num">{r.denominator === null ? '[c]' : r.denominator.toLocaleString('en-GB')}</td>
                    <td>
                      <ComparisonBadge comparison={ciRows[k]!.comparison} />
                      {r.note && <div className="note">{r.note}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {inequalityRows.length > 0 && (
              <>
                <h3>Inequality across deprivation groups</h3>
                <table data-testid="inequality-table">
                  <thead>
                    <tr>
                      <th scope="col">Measure</th>
                      <th scope="col" className="num">
                        Value
                      </th>
                      <th scope="col" className="num">
                        95% CI
                      </th>
                      <th scope="col">Note</th>
                    </tr>
                  </thead>
                  <tbody>
                    {inequalityRows.map((r) => (
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
                  Gap: the most deprived group minus the least deprived. SII (slope index of inequality): the modelled difference between the most and least
                  deprived ends of the population, taking every group into account.
                </p>
              </>
            )}
            <SuppressionNote rule={results.data.disclosure.rule} />
          </>
        )}
      </div>
    </section>
  );
};

export const DashboardPage = () => {
  const params = useHashParams();
  const area = params.get('area') ?? 'ics';
  const selected = params.get('indicator');
  const [filter, setFilter] = useState('');
  const geography = useLoad('geography', api.geography);
  const catalogue = useLoad('indicators', api.indicators);
  const dashboard = useLoad(`dashboard:${area}`, () => api.dashboard(area));
  const setArea = (a: string) => setHashParams('dashboard', { area: a === 'ics' ? undefined : a, indicator: selected ?? undefined }, false);

  const groups = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const themes = new Map<string, DashboardIndicator[]>();
    for (const i of dashboard.data?.indicators ?? []) {
      if (q && !`${i.title} ${i.id} ${i.themes.join(' ')}`.toLowerCase().includes(q)) continue;
      const theme = i.themes[0] ?? 'other';
      themes.set(theme, [...(themes.get(theme) ?? []), i]);
    }
    return [...themes.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [dashboard.data, filter]);

  if (selected) return <IndicatorDetail key={selected} id={selected} area={area} geography={geography.data} catalogue={catalogue.data} onArea={setArea} />;

  const d = dashboard.data;
  const isIcs = area === 'ics';
  const shown = groups.reduce((n, [, list]) => n + list.length, 0);
  const pending = dashboard.error instanceof ApiError && (dashboard.error.status === 501 || dashboard.error.status === 404);
  return (
    <section>
      <h1>Outcomes dashboard</h1>
      <p>
        Published, disclosure-controlled outcome indicators for the ICS and each place. Each value has its 95% confidence interval; places are compared with
        the ICS as a whole. Choose an indicator for its trend and breakdown by place, neighbourhood and deprivation.
      </p>
      <div className="controls">
        <DashboardAreaSelect geography={geography.data} value={area} onChange={setArea} />
        <span className="field">
          <label htmlFor="indicator-filter">Filter indicators </label>
          <input id="indicator-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="e.g. smoking, urgent care" />
        </span>
        {d && (
          <span className="note" role="status" aria-live="polite" data-testid="indicator-count">
            {shown} of {d.indicators.length} indicators
          </span>
        )}
      </div>
      <ComparisonLegend />
      {dashboard.loading && <p className="loading">Loading…</p>}
      {dashboard.error && !pending && <Problem error={dashboard.error} />}
      {pending && (
        <p className="notice" role="status" data-testid="values-pending">
          Indicator values are not available yet ({dashboard.error?.message}). The catalogue lists what the dashboard will show.{' '}
          <a href="/api/indicators?format=csv">Download the catalogue (CSV)</a>
        </p>
      )}
      {pending &&
        catalogue.data?.indicators.map((i) => (
          <p key={i.id}>
            <strong>{i.title}</strong> <span className="note">({i.themes.join(', ')})</span>
          </p>
        ))}
      {d && (
        <>
          <Toolbar>
            <CsvButton filename={`dashboard-${fileSlug(area)}.csv`} columns={DASHBOARD_COLUMNS} rows={() => dashboardCsv(d.indicators)} label="Download the dashboard (CSV)" />
            <CsvLink href="/api/indicators?format=csv" label="Download the catalogue (CSV)" />
          </Toolbar>
          {groups.length === 0 && <p role="status">No indicator matches “{filter}”.</p>}
          {groups.map(([theme, list]) => (
            <div className="panel" key={theme} data-testid="theme-panel">
              <h2>{capital(theme)}</h2>
              <div className="table-scroll">
                <table className="dashboard-table">
                  <colgroup>
                    <col className="c-title" />
                    <col className="c-period" />
                    <col className="c-value" />
                    <col className="c-ci" />
                    <col className="c-trend" />
                    {!isIcs && (
                      <>
                        <col className="c-ics" />
                        <col className="c-cmp" />
                      </>
                    )}
                    <col className="c-ineq" />
                  </colgroup>
                  <thead>
                    <tr>
                      <th scope="col">Indicator</th>
                      <th scope="col">Period</th>
                      <th scope="col" className="num">
                        {d.area.name}
                      </th>
                      <th scope="col" className="num">
                        95% CI
                      </th>
                      <th scope="col">Trend</th>
                      {!isIcs && (
                        <>
                          <th scope="col" className="num">
                            ICS
                          </th>
                          <th scope="col">Compared with ICS</th>
                        </>
                      )}
                      <th scope="col">Inequality (IMD deciles)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((i) => (
                      <IndicatorRow key={i.id} i={i} area={area} isIcs={isIcs} />
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
          <SuppressionNote rule={d.disclosure.rule} />
        </>
      )}
    </section>
  );
};
