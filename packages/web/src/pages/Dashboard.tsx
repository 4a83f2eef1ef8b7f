import { api } from '../api.js';
import { CsvLink, Toolbar, useLoad } from '../components/common.js';

const POLARITY = { 'higher-is-better': 'Higher is better', 'lower-is-better': 'Lower is better', 'no-judgement': 'No judgement' } as Record<string, string>;

/** The outcomes dashboard (placeholder): the indicator catalogue now, values once the indicator engine is wired into the API. */
export const DashboardPage = () => {
  const catalogue = useLoad('indicators', api.indicators);
  const themes = new Map<string, NonNullable<typeof catalogue.data>['indicators']>();
  for (const i of catalogue.data?.indicators ?? []) {
    const theme = i.themes[0] ?? 'Other';
    themes.set(theme, [...(themes.get(theme) ?? []), i]);
  }
  return (
    <section>
      <h1>Outcomes dashboard</h1>
      {catalogue.loading && <p className="loading">Loading…</p>}
      {catalogue.error && (
        <p className="notice" role="status">
          Indicators are not available yet.
        </p>
      )}
      {catalogue.data && (
        <>
          {!catalogue.data.resultsAvailable && (
            <p className="notice" role="status" data-testid="values-pending">
              Indicator values are not available yet: the catalogue below lists what the dashboard will show for the ICS and each place.
            </p>
          )}
          <Toolbar>
            <CsvLink href="/api/indicators?format=csv" label="Download the catalogue (CSV)" />
          </Toolbar>
          {[...themes.entries()].map(([theme, list]) => (
            <div className="panel" key={theme}>
              <h2>{theme.charAt(0).toUpperCase() + theme.slice(1)}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Indicator</th>
                    <th scope="col">Unit</th>
                    <th scope="col">Polarity</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">
                        {i.title}
                        <div className="note">{i.definition}</div>
                      </th>
                      <td>{i.unit}</td>
                      <td>{POLARITY[i.polarity] ?? i.polarity}</td>
                      <td>{catalogue.data?.resultsAvailable ? <a href={`/api/indicators/${i.id}/results?by=place&format=csv`}>By place (CSV)</a> : 'not available yet'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    </section>
  );
};
