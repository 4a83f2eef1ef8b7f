/**
 * An area profile: every indicator for one place or neighbourhood on a spine chart, as Fingertips
 * draws its area profiles. Each spine runs from the worst to the best of the published values of the
 * ICS's places (or neighbourhoods), with the middle half darker and the median marked; the ICS value
 * is the centre line, England a diamond where OHID publishes a value for the same period, and the
 * area a dot coloured by its comparison with the ICS. Built from published, disclosure-controlled
 * figures only. Printable.
 */
import { api, periodLabel, type Comparison, type DashboardIndicator, type Geography } from '../api.js';
import { ComparisonBadge, COMPARISON_STYLE } from '../components/charts.js';
import { compareWith } from '../components/chart-math.js';
import { Problem, Toolbar, useLoad } from '../components/common.js';
import { fmtValue, splitResults } from './format.js';
import { spineOf, type Spine, type SpinePolarity } from './spine.js';

const WIDTH = 260;
const HEIGHT = 20;

const polarityOf = (p: string): SpinePolarity => (p === 'higher-is-better' || p === 'lower-is-better' ? p : 'no-judgement');

/** One spine: the range, the middle half, the median, the ICS (centre), England and the area. */
const SpineBar = ({ spine, value, england, comparison, label }: { spine: Spine; value: number | null; england: number | null; comparison: Comparison; label: string }) => {
  const x = (v: number) => 4 + spine.position(v) * (WIDTH - 8);
  const [a, b] = [x(spine.worst), x(spine.best)].sort((p, q) => p - q) as [number, number];
  const [c, d] = [x(spine.q25), x(spine.q75)].sort((p, q) => p - q) as [number, number];
  const style = COMPARISON_STYLE[comparison];
  return (
    <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="spine">
      <rect x={a} y={5} width={Math.max(1, b - a)} height={10} fill="#c6d3e3" />
      <rect x={c} y={5} width={Math.max(1, d - c)} height={10} fill="#7f9cc0" />
      <line x1={x(spine.median)} x2={x(spine.median)} y1={4} y2={16} stroke="#1d3557" strokeWidth={1.5} />
      <line x1={WIDTH / 2} x2={WIDTH / 2} y1={0} y2={HEIGHT} stroke="#b10e1e" strokeWidth={2} />
      {england !== null && <path d={`M ${x(england)} 3 l 5 7 l -5 7 l -5 -7 z`} fill="#ffffff" stroke="#1a1a1a" strokeWidth={1.2} />}
      {value !== null && <circle cx={x(value)} cy={10} r={5.5} fill={style.fill} stroke="#1a1a1a" strokeWidth={1} />}
    </svg>
  );
};

interface ProfileRow {
  readonly indicator: DashboardIndicator;
  readonly value: number | null;
  readonly comparison: Comparison;
  readonly note: string;
  readonly spine: Spine | null;
}

/** The spine rows of an area: its value among every area of its level, against the ICS and England. */
const profileRows = (indicators: readonly DashboardIndicator[], results: readonly ({ rows: readonly { group: string; value: number | null; lower_95: number | null; upper_95: number | null; suppressed: boolean; note: string }[] } | null)[], areaId: string): ProfileRow[] =>
  indicators.map((indicator, i) => {
    const groups = results[i] ? splitResults(results[i]!.rows as never[]).groups : [];
    const row = groups.find((g) => g.group === areaId);
    const ics = indicator.latest.value;
    const value = row && !row.suppressed ? row.value : null;
    return {
      indicator,
      value,
      comparison: row && !row.suppressed ? compareWith(row.lower_95, row.upper_95, ics, indicator.polarity) : 'not-compared',
      note: row === undefined ? 'not published by this area' : row.suppressed ? row.note || 'withheld' : '',
      spine: spineOf(groups.map((g) => (g.suppressed ? null : g.value)), polarityOf(indicator.polarity), ics),
    };
  });

export const AreaProfile = ({ area, geography, onArea }: { area: string; geography: Geography | undefined; onArea: (area: string) => void }) => {
  const [level, areaId] = area.split(':') as ['place' | 'neighbourhood', string];
  const ics = useLoad('dashboard:ics', () => api.dashboard('ics'));
  const indicators = ics.data?.indicators ?? [];
  const results = useLoad(`profile:${level}:${indicators.length}`, () => Promise.all(indicators.map((i) => api.indicatorResults(i.id, level).catch(() => null))), true);
  const name = level === 'place' ? geography?.places.find((p) => p.id === areaId)?.name : geography?.neighbourhoods.find((n) => n.id === areaId)?.name;
  const rows = results.data && results.data.length === indicators.length ? profileRows(indicators, results.data, areaId) : [];
  const peers = level === 'place' ? 'the ICS’s places' : 'the ICS’s neighbourhoods';
  return (
    <section data-testid="area-profile">
      <p>
        <a href="#/dashboard">← All indicators</a>
      </p>
      <h1>Area profile: {name ?? areaId}</h1>
      <div className="controls no-print">
        <span className="field">
          <label htmlFor="profile-area">Area </label>
          <select id="profile-area" value={area} onChange={(e) => onArea(e.target.value)}>
            <optgroup label="Places">
              {geography?.places.map((p) => (
                <option key={p.id} value={`place:${p.id}`}>
                  {p.name}
                </option>
              ))}
            </optgroup>
            {geography?.places.map((p) => (
              <optgroup key={p.id} label={`Neighbourhoods of ${p.name}`}>
                {geography.neighbourhoods
                  .filter((n) => n.place === p.id)
                  .map((n) => (
                    <option key={n.id} value={`neighbourhood:${n.id}`}>
                      {n.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </span>
        <Toolbar>
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        </Toolbar>
      </div>
      <p className="note">
        Each spine runs from the <strong>worst</strong> (left) to the <strong>best</strong> (right) of {peers}, the middle half darker and the median marked;
        the red line is the <strong>ICS</strong>, the white diamond <strong>England</strong> (a real published figure, OHID Fingertips, OGL v3, where it is
        for the same period) and the dot is {name ?? 'the area'}, coloured by its comparison with the ICS. Indicators with no judgement run from lowest to
        highest. Published, disclosure-controlled figures only: a withheld value has no dot.
      </p>
      {ics.error && <Problem error={ics.error} />}
      {results.error && <Problem error={results.error} />}
      {(ics.loading || results.loading) && <p className="loading">Loading every indicator for {peers}…</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="spine-table" data-testid="spine-table">
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  {name ?? 'Area'}
                </th>
                <th scope="col" className="num">
                  ICS
                </th>
                <th scope="col" className="num">
                  England
                </th>
                <th scope="col" className="num">
                  Worst
                </th>
                <th scope="col">Range of {peers}</th>
                <th scope="col" className="num">
                  Best
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const unit = r.indicator.unit;
                const england = r.indicator.england?.value ?? null;
                return (
                  <tr key={r.indicator.id} data-testid="spine-row">
                    <th scope="row">
                      <a href={`#/dashboard?area=${encodeURIComponent(level === 'place' ? area : 'ics')}&indicator=${encodeURIComponent(r.indicator.id)}`}>{r.indicator.title}</a>
                    </th>
                    <td>{periodLabel(r.indicator.latest.period)}</td>
                    <td className="num">
                      {r.value === null ? '[c]' : fmtValue(r.value, unit)} <ComparisonBadge comparison={r.comparison} />
                      {r.note && <div className="note">{r.note}</div>}
                    </td>
                    <td className="num">{fmtValue(r.indicator.latest.value, unit)}</td>
                    <td className="num">{england === null ? '–' : fmtValue(england, unit)}</td>
                    <td className="num">{r.spine ? fmtValue(r.spine.worst, unit) : '–'}</td>
                    <td>
                      {r.spine ? (
                        <SpineBar
                          spine={r.spine}
                          value={r.value}
                          england={england}
                          comparison={r.comparison}
                          label={`${r.indicator.title}: ${name ?? areaId} ${r.value === null ? 'withheld' : fmtValue(r.value, unit)}, ICS ${fmtValue(r.indicator.latest.value, unit)}, worst ${fmtValue(r.spine.worst, unit)}, median ${fmtValue(r.spine.median, unit)}, best ${fmtValue(r.spine.best, unit)} of ${r.spine.areas} areas`}
                        />
                      ) : (
                        <span className="note">fewer than 3 areas published</span>
                      )}
                    </td>
                    <td className="num">{r.spine ? fmtValue(r.spine.best, unit) : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
