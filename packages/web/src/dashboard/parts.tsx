/** Pieces the dashboard and an indicator's detail both show: the area select and an indicator's inequality. */
import type { DashboardIndicator, Geography } from '../api.js';
import { AreaSelect } from '../components/areas.js';
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
