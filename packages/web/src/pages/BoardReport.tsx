/**
 * The quarterly board report, in the template partnership boards use: purpose, background, main
 * issues (by exception, most serious first), governance, conclusions and recommendations, built by
 * the server from the scorecard, the action plan and the risk register. It can be printed or
 * downloaded as Markdown for the board papers.
 */
import { useState } from 'react';
import { api, type BoardReport, type ScorecardResponse, type StrategyT } from '../api.js';
import { Problem, SelectField, TableHead, TextList, Toolbar, useLoad } from '../components/common.js';
import { StatusSummary, StrategyPicker, TrajectoryChart } from '../components/delivery.js';
import { fmtDate } from '../format.js';
import { recentQuarters } from '../quarters.js';

/** The trajectory chart of each measure the report raises: where it is against the line from baseline to target, and why it is an issue. */
const IssueCharts = ({ r, card }: { r: BoardReport; card: ScorecardResponse | undefined }) => {
  const measures = r.mainIssues.flatMap((i) => (i.kind === 'measure' && i.measureId ? (card?.measures.filter((m) => m.id === i.measureId) ?? []) : []));
  if (measures.length === 0) return null;
  return (
    <div className="report-charts" data-testid="report-charts">
      <p>The measures raised above, against their trajectories:</p>
      {measures.map((m) => (
        <figure key={m.id}>
          <TrajectoryChart measure={m} />
        </figure>
      ))}
    </div>
  );
};

const Report = ({ r, card }: { r: BoardReport; card: ScorecardResponse | undefined }) => (
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
    <StatusSummary counts={r.summary.measures} testId="report-status-summary" />
    {r.mainIssues.length === 0 ? (
      <p>Nothing to report by exception this quarter.</p>
    ) : (
      <div className="table-scroll">
        <table data-testid="report-issues">
          <caption>By exception, most serious first</caption>
          <TableHead columns={['Severity', 'Issue', 'Detail', 'Owner']} />
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
    <IssueCharts r={r} card={card} />
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
              <TextList items={v.changes} />
            </li>
          ))}
        </ul>
      </div>
    )}
    <h3>5. Conclusions</h3>
    <TextList items={r.conclusions} testId="conclusions" />
    <h3>6. Recommendations</h3>
    <p>The board is asked to:</p>
    <TextList items={r.recommendations} ordered testId="recommendations" />
  </article>
);

const StrategyReport = ({ strategy }: { strategy: StrategyT }) => {
  const quarters = recentQuarters(new Date());
  const [quarter, setQuarter] = useState(quarters[0]!.id);
  const report = useLoad(`report:${strategy.id}:${quarter}`, () => api.report(strategy.id, quarter));
  const card = useLoad(`scorecard:${strategy.id}`, () => api.scorecard(strategy.id));
  return (
    <>
      <div className="controls">
        <SelectField id="quarter" label="Quarter" value={quarter} onChange={setQuarter} items={quarters} />
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
      {report.data && <Report r={report.data} card={card.data} />}
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
