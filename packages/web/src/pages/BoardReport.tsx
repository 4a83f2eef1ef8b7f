/**
 * The quarterly board report, in the template partnership boards use: purpose, background, main
 * issues (by exception, most serious first), governance, conclusions and recommendations, built by
 * the server from the scorecard, the action plan and the risk register. It can be printed or
 * downloaded as Markdown for the board papers.
 */
import { useState } from 'react';
import { api, type BoardReport, type StrategyT } from '../api.js';
import { Problem, Toolbar, useLoad } from '../components/common.js';
import { STATUS_STYLE, StatusBadge, StrategyPicker, fmtDate } from '../components/delivery.js';

/** The financial quarter containing a date and the `count - 1` before it: ids like 2026-27-q3, newest first. */
export const recentQuarters = (today: Date, count = 4): { id: string; label: string }[] => {
  const month = today.getUTCMonth() + 1;
  let year = month >= 4 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  let q = month >= 4 ? Math.ceil((month - 3) / 3) : 4;
  const out: { id: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    const fy = `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
    out.push({ id: `${year}-${String((year + 1) % 100).padStart(2, '0')}-q${q}`, label: `Q${q} ${fy}` });
    if (--q === 0) (q = 4), year--;
  }
  return out;
};

const Report = ({ r }: { r: BoardReport }) => (
  <article className="report" data-testid="board-report">
    <h2>{r.title}</h2>
    <dl className="grid">
      <dt>Board</dt>
      <dd>{r.board}</dd>
      <dt>Period</dt>
      <dd>
        {r.quarter.label} ({fmtDate(r.quarter.start)} to {fmtDate(r.quarter.end)})
      </dd>
      <dt>Prepared</dt>
      <dd>{fmtDate(r.preparedOn)}</dd>
      <dt>Data</dt>
      <dd>{r.dataNote}</dd>
    </dl>
    <h3>1. Purpose</h3>
    <p>{r.purpose}</p>
    <h3>2. Background</h3>
    <p>{r.background}</p>
    <h3>3. Main issues</h3>
    <ul className="legend" aria-label="Measures by status">
      {(Object.keys(STATUS_STYLE) as (keyof typeof STATUS_STYLE)[]).map((s) => (
        <li key={s}>
          <StatusBadge status={s} /> {r.summary.measures[s]}
        </li>
      ))}
    </ul>
    {r.mainIssues.length === 0 ? (
      <p>Nothing to report by exception this quarter.</p>
    ) : (
      <div className="table-scroll">
        <table data-testid="report-issues">
          <caption>By exception, most serious first</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Issue</th>
              <th scope="col">Detail</th>
              <th scope="col">Owner</th>
            </tr>
          </thead>
          <tbody>
            {r.mainIssues.map((i, n) => (
              <tr key={n}>
                <td>
                  <span className={`badge severity-${i.severity}`}>{i.severity === 'red' ? 'Red' : 'Amber'}</span>
                </td>
                <th scope="row">{i.title}</th>
                <td>{i.detail}</td>
                <td>{i.owner}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    {r.incompleteMeasures.length > 0 && (
      <>
        <p>Measures that cannot yet be judged:</p>
        <ul>
          {r.incompleteMeasures.map((m) => (
            <li key={m.title}>
              {m.title}: {m.reasons.join('; ')}
            </li>
          ))}
        </ul>
      </>
    )}
    <h3>4. Governance</h3>
    <p>{r.governance}</p>
    {r.planChanges.length > 0 && (
      <div data-testid="plan-changes">
        <p>Changes to the strategy in {r.quarter.label}:</p>
        <ul>
          {r.planChanges.map((v) => (
            <li key={v.version}>
              <strong>Version {v.version}</strong> ({v.date}){v.reason ? `: ${v.reason}` : ''}
              <ul>
                {v.changes.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>
    )}
    <h3>5. Conclusions</h3>
    <ul>
      {r.conclusions.map((c) => (
        <li key={c}>{c}</li>
      ))}
    </ul>
    <h3>6. Recommendations</h3>
    <p>The board is asked to:</p>
    <ol data-testid="recommendations">
      {r.recommendations.map((c) => (
        <li key={c}>{c}</li>
      ))}
    </ol>
  </article>
);

const StrategyReport = ({ strategy }: { strategy: StrategyT }) => {
  const quarters = recentQuarters(new Date());
  const [quarter, setQuarter] = useState(quarters[0]!.id);
  const report = useLoad(`report:${strategy.id}:${quarter}`, () => api.report(strategy.id, quarter));
  return (
    <>
      <div className="controls">
        <div className="field">
          <label htmlFor="quarter">Quarter</label>{' '}
          <select id="quarter" value={quarter} onChange={(e) => setQuarter(e.target.value)}>
            {quarters.map((q) => (
              <option key={q.id} value={q.id}>
                {q.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Toolbar>
        <a className="button secondary" href={api.reportMarkdownUrl(strategy.id, quarter)} download={`${strategy.id}-${quarter}.md`}>
          Download as Markdown
        </a>
        <button type="button" className="secondary" onClick={() => window.print()}>
          Print
        </button>
      </Toolbar>
      {report.error && <Problem error={report.error} />}
      {report.loading && <p className="loading">Preparing the report…</p>}
      {report.data && <Report r={report.data} />}
    </>
  );
};

export const BoardReportPage = () => (
  <>
    <h1>Board report</h1>
    <p className="lead">The quarterly progress report for the board, by exception: what is off track, red, overdue or a serious risk, and what the board is asked to do.</p>
    <StrategyPicker page="report">{(s) => <StrategyReport strategy={s} />}</StrategyPicker>
  </>
);
