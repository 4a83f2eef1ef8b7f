import { useRef, useState } from 'react';
import { api, fmtCount } from '../api.js';
import { breakdownLabel, breakdownPhrase, deprivationEnd } from '../breakdowns.js';
import { AreaSelect, DECILE_COLOURS } from '../components/areas.js';
import { CsvLink, DisclosureNote, PngButton, Problem, TableHead, Toolbar, hashParams, num, setHashParams, useLoad } from '../components/common.js';
import { RiskPanel, SegmentsPanel } from '../components/Distributions.js';
import { Pyramid } from '../components/Pyramid.js';

export const PopulationPage = () => {
  // The area can come from the address (#/population?area=neighbourhood:...), e.g. from the map's area profile.
  const [area, setAreaState] = useState(() => hashParams().get('area') ?? 'ics');
  const setArea = (a: string) => {
    setAreaState(a);
    setHashParams('population', { area: a === 'ics' ? undefined : a });
  };
  const geography = useLoad('geography', api.geography);
  const summary = useLoad(`population:${area}`, () => api.population(area));
  const chart = useRef<SVGSVGElement>(null);
  const s = summary.data;
  const maxDecile = Math.max(1, ...(s?.byImdDecile.map((d) => d.count ?? 0) ?? [1]));

  return (
    <section>
      <h1>Population</h1>
      {geography.error && <Problem error={geography.error} />}
      {geography.data && (
        <p className="field">
          <label htmlFor="area">Area </label>
          <AreaSelect id="area" geography={geography.data} value={area} onChange={setArea} neighbourhoods />
        </p>
      )}
      {summary.error && <Problem error={summary.error} />}
      {summary.loading && <p className="loading">Loading…</p>}
      {s && (
        <>
          <p className="lead" data-testid="population-total">
            <strong>{fmtCount(s.total)}</strong> people alive and registered on {s.referenceDate} in {s.area.name}
            {s.area.type === 'neighbourhood' ? ' neighbourhood' : ''} (mid-2015 resident population{' '}
            {s.area.population2015.toLocaleString('en-GB')}).
          </p>
          <DisclosureNote rule={s.disclosure.rule} />
          <div className="panel">
            <h2>Age and sex</h2>
            <Pyramid ref={chart} rows={s.pyramid} title={`${s.area.name}: people by age and sex`} />
            <Toolbar>
              <PngButton target={() => chart.current} filename={`pyramid-${area.replace(/[^A-Za-z0-9-]/g, '-')}.png`} />
              <CsvLink href={api.populationCsvUrl(area, 'pyramid')} />
            </Toolbar>
            <details>
              <summary>Show the pyramid as a table</summary>
              <table>
                <TableHead columns={['Age band', num('Male'), num('Female')]} />
                <tbody>
                  {s.pyramid.map((r) => (
                    <tr key={r.ageBand}>
                      <th scope="row">{r.ageBand}</th>
                      <td className="num">{fmtCount(r.male)}</td>
                      <td className="num">{fmtCount(r.female)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </div>
          <div className="panel">
            <h2>By deprivation (IMD 2019 decile of residence)</h2>
            <table data-testid="decile-table">
              <caption>Decile 1 = most deprived 10% of areas in England</caption>
              <TableHead columns={['IMD decile', num('People'), { label: <span className="visually-hidden">Bar</span> }]} />
              <tbody>
                {s.byImdDecile.map((d) => (
                  <tr key={d.imdDecile}>
                    <th scope="row">
                      {d.imdDecile}
                      {deprivationEnd(d.imdDecile, 10)}
                    </th>
                    <td className="num">{fmtCount(d.count)}</td>
                    <td className="bar-cell">
                      <span className="bar" style={{ width: `${((d.count ?? 0) / maxDecile) * 100}%`, background: DECILE_COLOURS[d.imdDecile - 1] }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Toolbar>
              <CsvLink href={api.populationCsvUrl(area, 'imd-decile')} />
            </Toolbar>
          </div>
          <SegmentsPanel key={`segments-${area}`} area={area} areaName={s.area.name} />
          <RiskPanel key={`risk-${area}`} area={area} areaName={s.area.name} />
          {s.breakdown.by !== 'none' && (
            <div className="panel">
              <h2>By {breakdownPhrase(s.breakdown.by)}</h2>
              <table data-testid="breakdown-table">
                <TableHead columns={[breakdownLabel(s.breakdown.by), num('People')]} />
                <tbody>
                  {s.breakdown.rows.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.name}</th>
                      <td className="num">{fmtCount(r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Toolbar>
                <CsvLink href={api.populationCsvUrl(area, 'breakdown')} />
              </Toolbar>
            </div>
          )}
        </>
      )}
    </section>
  );
};
