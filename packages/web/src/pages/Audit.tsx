import { useState } from 'react';
import { api, type AuditFilter } from '../api.js';
import { CsvLink, Problem, Toolbar, useLoad } from '../components/common.js';
import { BreakGlassAlerts } from '../components/BreakGlassAlerts.js';

const OUTCOMES = ['granted', 'denied', 'unauthenticated', 'not-found', 'failed'];
const TEXT_FILTERS = [
  { key: 'user', label: 'User (email)', placeholder: 'name@org', type: 'text' },
  { key: 'person', label: 'Person id', placeholder: 'digits', type: 'text' },
  { key: 'action', label: 'Action', placeholder: 'person.view', type: 'text' },
  { key: 'from', label: 'From', placeholder: '', type: 'date' },
  { key: 'to', label: 'To', placeholder: '', type: 'date' },
] as const;

export const AuditPage = () => {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [refresh, setRefresh] = useState(0);
  const [chain, setChain] = useState<string | null>(null);
  const audit = useLoad(`audit:${JSON.stringify(filter)}:${refresh}`, () => api.audit(filter));
  const set = (key: keyof AuditFilter, value: string) => setFilter((f) => ({ ...f, [key]: value }));
  const checkChain = async () => {
    setChain('Checking…');
    try {
      const r = await api.auditChain();
      setChain(
        r.holds
          ? `The chain holds: ${r.checked.toLocaleString('en-GB')} rows intact${r.unchained ? ` (${r.unchained.toLocaleString('en-GB')} written before the chain began)` : ''}. Last hash ${r.head ?? '(none)'}: keep it elsewhere.`
          : `The chain is broken at row ${r.broken?.id}: ${r.broken?.problem}.`,
      );
    } catch (error) {
      setChain(`Could not check the chain: ${(error as Error).message}`);
    }
  };
  return (
    <section>
      <h1>Audit log</h1>
      <p>
        Every access to person-level rows, every refused request, every change and every log-in, newest first. Anonymous refusals from one address are summed up once a minute.
        For a subject access request, filter by the person's id.
      </p>
      <BreakGlassAlerts onPerson={(personId) => setFilter({ person: personId })} />
      <div className="controls">
        <span className="field">
          <label htmlFor="outcome">Outcome </label>
          <select id="outcome" value={filter.outcome ?? ''} onChange={(e) => set('outcome', e.target.value)}>
            <option value="">All</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </span>
        {TEXT_FILTERS.map((f) => (
          <span className="field" key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label} </label>
            <input id={`audit-${f.key}`} type={f.type} placeholder={f.placeholder} value={filter[f.key] ?? ''} onChange={(e) => set(f.key, e.target.value)} />
          </span>
        ))}
        <button type="button" className="secondary" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
        <button type="button" className="secondary" data-testid="audit-chain" onClick={() => void checkChain()}>
          Check the chain
        </button>
        <CsvLink href={api.auditCsvUrl(filter)} />
      </div>
      {chain && (
        <p role="status" data-testid="audit-chain-result">
          {chain}
        </p>
      )}
      {audit.error && <Problem error={audit.error} />}
      {audit.data && (
        <>
          <p>{audit.data.total.toLocaleString('en-GB')} events.</p>
          <table data-testid="audit-table">
            <thead>
              <tr>
                {['When (UTC)', 'Who', 'Role', 'Action', 'Resource', 'Outcome', 'Status', 'Detail'].map((h) => (
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
                  <td>{r.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Toolbar>
            <CsvLink href={api.auditCsvUrl(filter)} />
          </Toolbar>
        </>
      )}
    </section>
  );
};
