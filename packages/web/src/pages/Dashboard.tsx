/**
 * The outcomes dashboard: every indicator for the ICS or a place, with its latest value and 95% CI,
 * a sparkline, the comparison with the ICS (Fingertips colours, always with a text label), England's
 * published value for the same period with the same comparison, and
 * inequality across deprivation deciles. Click an indicator for its detail view (trend and breakdowns).
 * The area and the indicator are in the address (#/dashboard?area=place:leeds&indicator=...), so views can be shared.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, periodLabel, type DashboardIndicator } from '../api.js';
import { ComparisonBadge, ComparisonLegend, Sparkline } from '../components/charts.js';
import { CsvButton, CsvLink, PngButton, Problem, SuppressionNote, TableHead, Toolbar, num, setHashParams, useHashParams, useLoad } from '../components/common.js';
import { DASHBOARD_COLUMNS, byTheme, capital, dashboardCsvRows, dashboardHref, fmtCi, fmtValue, polarityLabel, unitNote } from '../dashboard/format.js';
import { AreaProfile } from '../dashboard/AreaProfile.js';
import { IndicatorDetail } from '../dashboard/IndicatorDetail.js';
import { DashboardAreaSelect, England, EnglandNote, Inequality } from '../dashboard/parts.js';
import { fileSlug } from '../export.js';

const IndicatorRow = ({ i, area, isIcs }: { i: DashboardIndicator; area: string; isIcs: boolean }) => {
  const spark = useRef<SVGSVGElement>(null);
  const l = i.latest;
  return (
    <tr data-testid="indicator-row" data-indicator={i.id}>
      <th scope="row">
        <a href={dashboardHref(area, i.id)}>{i.title}</a>
        <div className="note">
          {unitNote(i.unit) || 'per cent'} · {polarityLabel(i.polarity)}
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
      <td className="england">
        <England i={i} />
      </td>
      <td className="ineq">
        <Inequality i={i} unit={i.unit} />
      </td>
    </tr>
  );
};

export const DashboardPage = () => {
  const params = useHashParams();
  const area = params.get('area') ?? 'ics';
  const selected = params.get('indicator');
  const profile = params.get('profile');
  const [filter, setFilter] = useState('');
  const geography = useLoad('geography', api.geography);
  const catalogue = useLoad('indicators', api.indicators);
  // Asked again every 15 s while the server is still counting the older periods (trendsComplete: false),
  // keeping what is shown meanwhile.
  const [round, setRound] = useState(0);
  const dashboard = useLoad(`dashboard:${area}:${round}`, () => api.dashboard(area), true);
  const waiting = dashboard.data?.area.id === area && dashboard.data.trendsComplete === false;
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setTimeout(() => setRound((r) => r + 1), 15_000);
    return () => clearTimeout(timer);
  }, [waiting, dashboard.data]);
  const setArea = (a: string) => setHashParams('dashboard', { area: a === 'ics' ? undefined : a, indicator: selected ?? undefined }, false);

  const groups = useMemo(() => byTheme(dashboard.data?.area.id === area ? dashboard.data.indicators : [], filter), [dashboard.data, area, filter]);

  if (profile) return <AreaProfile area={profile} geography={geography.data} onArea={(a) => setHashParams('dashboard', { profile: a }, false)} />;
  if (selected) return <IndicatorDetail key={selected} id={selected} area={area} geography={geography.data} catalogue={catalogue.data} onArea={setArea} />;

  // Kept across a refresh of the same area, never shown for another.
  const d = dashboard.data?.area.id === area ? dashboard.data : undefined;
  const isIcs = area === 'ics';
  const shown = groups.reduce((n, [, list]) => n + list.length, 0);
  const pending = dashboard.error instanceof ApiError && (dashboard.error.status === 501 || dashboard.error.status === 404);
  return (
    <section>
      <h1>Outcomes dashboard</h1>
      <p>
        Published, disclosure-controlled outcome indicators for the ICS and each place. Each value has its 95% confidence interval; places are compared with
        the ICS as a whole, and every area with England where OHID Fingertips publishes a value for the same period. Choose an indicator for its trend and breakdown by place, neighbourhood and deprivation.
      </p>
      <div className="controls">
        <DashboardAreaSelect geography={geography.data} value={area} onChange={setArea} />
        <a className="button secondary" href={`#/dashboard?profile=${encodeURIComponent(isIcs ? `place:${geography.data?.places[0]?.id ?? ''}` : area)}`} data-testid="profile-link">
          Area profile (spine chart)
        </a>
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
      <EnglandNote />
      {dashboard.loading && !d && <p className="loading">Loading…</p>}
      {d && !d.trendsComplete && (
        <p className="notice" role="status" data-testid="trends-pending">
          New data: each indicator shows its latest period while the earlier periods are counted. The trends appear here when they are ready (checked every 15 seconds).
        </p>
      )}
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
            <CsvButton filename={`dashboard-${fileSlug(area)}.csv`} columns={DASHBOARD_COLUMNS} rows={() => dashboardCsvRows(d.indicators)} label="Download the dashboard (CSV)" />
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
                    <col className="c-england" />
                    <col className="c-ineq" />
                  </colgroup>
                  <TableHead columns={['Indicator', 'Period', num(d.area.name), num('95% CI'), 'Trend', !isIcs && num('ICS'), !isIcs && 'Compared with ICS', 'England (published)', 'Inequality (IMD deciles)']} />
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
