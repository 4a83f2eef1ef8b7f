/** Pieces the dashboard and an indicator's detail both show: the area select, an indicator's inequality, and England beside it. */
import type { DashboardIndicator, Geography } from '../api.js';
import { AreaSelect } from '../components/areas.js';
import { ComparisonBadge } from '../components/charts.js';
import { ENGLAND_NOTE, englandCell } from './england.js';
import { fmtCi, fmtValue } from './format.js';

/** The ICS or one of its places (the dashboard is published for these). */
export const DashboardAreaSelect = ({ geography, value, onChange }: { geography: Geography | undefined; value: string; onChange: (v: string) => void }) => (
  <span className="field">
    <label htmlFor="dashboard-area">Area </label>
    <AreaSelect id="dashboard-area" geography={geography} value={value} onChange={onChange} />
  </span>
);

/** The gap between the most and least deprived deciles and the slope index of inequality, or why there are none. */
export const Inequality = ({ i, unit }: { i: DashboardIndicator; unit: string }) => {
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

/** England's value for the latest period (a real published figure), its comparison badge, and what differs; or why there is none. */
export const England = ({ i, detail = false }: { i: DashboardIndicator; detail?: boolean }) => {
  const e = englandCell(i);
  if (e.absent) {
    return (
      <span className="note" data-testid="england-absent">
        {detail ? e.absent : <abbr title={e.absent}>–</abbr>}
      </span>
    );
  }
  return (
    <span data-testid="england">
      <span className="value">{e.value}</span> <ComparisonBadge comparison={e.comparison} against="England" />
      {detail && e.ci !== '–' && <span className="note"> (95% CI {e.ci})</span>}
      <span className="note">
        {' '}
        {e.period}
        {e.periodNote && <> · {e.periodNote}</>}
      </span>
      {e.difference &&
        (detail ? (
          <span className="note" data-testid="england-difference">
            <br />
            Definitions differ: {e.difference}.
          </span>
        ) : (
          <details className="note" data-testid="england-difference">
            <summary>Definition differs</summary>
            {e.difference}
          </details>
        ))}
      {detail && (
        <span className="note">
          <br />
          {ENGLAND_NOTE}; {e.source}
        </span>
      )}
    </span>
  );
};

/** The note beside every display of England's values. */
export const EnglandNote = () => (
  <p className="note" data-testid="england-note">
    {ENGLAND_NOTE}: OHID Fingertips values for the same period, shown beside this partnership's synthetic figures and compared by the same rule as the
    ICS (the local 95% confidence interval against England's value). Where a definition differs from Fingertips', the difference is stated. Contains public
    sector information licensed under the Open Government Licence v3.0 (OHID Fingertips; ONS).
  </p>
);
