import { useState } from 'react';
import { api } from '../api.js';
import { CsvLink, Problem, Toolbar, useLoad } from '../components/common.js';

export const AuditPage = () => {
  const [outcome, setOutcome] = useState('');
  const [refresh, setRefresh] = useState(0);
  const audit = useLoad(`audit:${outcome}:${refresh}`, () => api.audit(outcome || undefined));
  return (
    <section>
      <h1>Audit log</h1>
      <p>Every access to person-level rows, every refused request, and every log-in, newest first.</p>
      <div className="controls">
        <span className="field">
          <label htmlFor="outcome">Outcome </label>
          <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">All</option>
            {['granted', 'denied', 'unauthenticated', 'not-found', 'failed'].map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </span>
        <button type="button" className="secondary" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
        <CsvLink href={api.auditCsvUrl(outcome || undefined)} />
      </div>
      {audit.error && <Problem error={audit.error} />}
      {audit.data && (
        <>
          <p>{audit.data.total.toLocaleString('en-GB')} events.</p>
          <table data-testid="audit-table">
            <thead>
              <tr>
                {['When (UTC)', 'Who', 'Role', 'Action', 'Resource', 'Outcome', 'Status'].map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {audit.data.rows.map((r) => (
                <tr key={r.id} className={r.outcome === 'granted' ? '' : 'refused'}>
                  <td>{r.at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{r.userEmail ?? '(anonymous)'}</td>
                  <td>{r.role}</td>
                  <td>{r.action}</td>
                  <td>{r.resource ?? ''}</td>
                  <td>{r.outcome}</td>
                  <td>{r.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Toolbar>
            <CsvLink href={api.auditCsvUrl(outcome || undefined)} />
          </Toolbar>
        </>
      )}
    </section>
  );
};
