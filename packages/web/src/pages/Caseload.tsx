/**
 * The neighbourhood team's caseload: the people it is actively working with, their key worker and
 * next review (due reviews first), where they came from, and how episodes ended. Teams take people
 * on (from a worklist, their GP, hospital discharge…) and discharge them with an outcome; analysts
 * read it. Person-level: every view and change is audited. Below, whether proactive care changed
 * outcomes (a matched evaluation across all neighbourhoods; published figures only).
 */
import { useState } from 'react';
import { api, type CaseloadEntry, type CaseloadResponse, type Me } from '../api.js';
import { CsvButton, NeighbourhoodSelect, Problem, Toolbar, useLoad } from '../components/common.js';
import { ConflictNotice, fmtDate, saveOrConflict } from '../components/delivery.js';
import { CaseloadEvaluation } from '../components/evaluation.js';
import { HistoryDetails } from '../components/history.js';

const AddForm = ({ data, onAdded }: { data: CaseloadResponse; onAdded: () => void }) => {
  const [personId, setPersonId] = useState('');
  const [source, setSource] = useState('gp');
  const [cohortId, setCohortId] = useState('');
  const [keyWorker, setKeyWorker] = useState('');
  const [nextReview, setNextReview] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.addToCaseload({ personId: personId.trim(), source, cohortId: source === 'worklist' ? cohortId.trim() : null, keyWorker, nextReview });
      setPersonId('');
      onAdded();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="caseload-add">
      <label htmlFor="caseload-person">Person id</label>
      <input id="caseload-person" inputMode="numeric" value={personId} onChange={(e) => setPersonId(e.target.value)} required pattern="\d{1,18}" />
      <label htmlFor="caseload-source">Came from</label>
      <select id="caseload-source" value={source} onChange={(e) => setSource(e.target.value)}>
        {data.sources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </select>
      {source === 'worklist' && (
        <>
          <label htmlFor="caseload-cohort">Cohort</label>
          <input id="caseload-cohort" value={cohortId} onChange={(e) => setCohortId(e.target.value)} required placeholder="e.g. frail-65-emergency-admission" />
        </>
      )}
      <label htmlFor="caseload-worker">Key worker</label>
      <input id="caseload-worker" value={keyWorker} onChange={(e) => setKeyWorker(e.target.value)} required maxLength={200} />
      <label htmlFor="caseload-review">Next review</label>
      <input id="caseload-review" type="date" value={nextReview} onChange={(e) => setNextReview(e.target.value)} required />
      <div className="toolbar">
        <button type="submit">Add to the caseload</button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
};

const Discharge = ({ entry, data, onSaved, onConflict }: { entry: CaseloadEntry; data: CaseloadResponse; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState(data.outcomes[0]?.id ?? 'goals-met');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Discharge person ${entry.personId}`}>
        Discharge
      </button>
    );
  }
  const save = async () => {
    setError(null);
    try {
      if (await saveOrConflict(() => api.updateCaseload(entry.id, { status: 'discharged', outcome, version: entry.version }), onConflict)) onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div>
      <label htmlFor={`discharge-${entry.id}`}>Outcome</label>{' '}
      <select id={`discharge-${entry.id}`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        {data.outcomes.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>{' '}
      <button type="button" className="small" onClick={save}>
        Discharge
      </button>{' '}
      <button type="button" className="secondary small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
};

export const CaseloadPage = ({ me }: { me: Me }) => {
  const [status, setStatus] = useState<'' | 'active' | 'discharged'>('active');
  const [neighbourhood, setNeighbourhood] = useState('');
  const [reload, setReload] = useState(0);
  const [conflict, setConflict] = useState<string | null>(null);
  const team = me.role === 'neighbourhood';
  const geography = useLoad('geography', api.geography);
  const list = useLoad(`caseload:${status}:${neighbourhood}:${reload}`, () => api.caseload({ status, neighbourhood: team ? undefined : neighbourhood }));
  const refresh = () => setReload((n) => n + 1);
  const data = list.data;
  return (
    <>
      <h1>Caseload</h1>
      <p className="lead">{team ? `The people the ${me.user?.neighbourhoodId ?? ''} team is working with.` : "Neighbourhood teams' caseloads (read only)."}</p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view and change is recorded with your name.
      </p>
      <div className="controls">
        <div className="field">
          <label htmlFor="caseload-status">Show</label>{' '}
          <select id="caseload-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="active">Active</option>
            <option value="discharged">Discharged</option>
            <option value="">All</option>
          </select>
        </div>
        {!team && <NeighbourhoodSelect id="caseload-neighbourhood" value={neighbourhood} onChange={setNeighbourhood} neighbourhoods={geography.data?.neighbourhoods} />}
      </div>
      {conflict && <ConflictNotice message={conflict} reloadLabel="Reload the caseload" onReload={() => (setConflict(null), refresh())} />}
      {list.error && <Problem error={list.error} />}
      {data && team && (
        <details className="panel">
          <summary>Take someone on</summary>
          <AddForm data={data} onAdded={refresh} />
        </details>
      )}
      {data && (
        <>
          <Toolbar>
            <p data-testid="caseload-count">
              {data.entries.length} {data.entries.length === 1 ? 'person' : 'people'}; {data.entries.filter((e) => e.reviewDue).length} reviews due
            </p>
            <CsvButton
              filename="caseload.csv"
              columns={['person_id', 'neighbourhood', 'came_from', 'cohort', 'key_worker', 'next_review', 'review_due', 'status', 'outcome', 'added']}
              rows={() => data.entries.map((e) => [e.personId, e.neighbourhoodId, e.sourceLabel, e.cohortId ?? '', e.keyWorker, e.nextReview, e.reviewDue, e.status, e.outcomeLabel ?? '', e.addedAt.slice(0, 10)])}
            />
          </Toolbar>
          <div className="table-scroll">
            <table data-testid="caseload-table">
              <caption>Reviews due first. Today is {fmtDate(data.today)}.</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Came from</th>
                  <th scope="col">Key worker</th>
                  <th scope="col">Next review</th>
                  <th scope="col">Status</th>
                  {team && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {[...data.entries]
                  .sort((a, b) => Number(b.reviewDue) - Number(a.reviewDue) || a.nextReview.localeCompare(b.nextReview))
                  .map((e) => (
                    <tr key={e.id} data-testid={`caseload-${e.personId}`}>
                      <th scope="row">
                        <a href={`#/person?id=${encodeURIComponent(e.personId)}`}>{e.personId}</a>
                        <div className="note">{e.neighbourhoodId}</div>
                      </th>
                      <td>
                        {e.sourceLabel}
                        {e.cohortId && <div className="note">{e.cohortId}</div>}
                      </td>
                      <td>{e.keyWorker}</td>
                      <td>
                        {fmtDate(e.nextReview)} {e.reviewDue && <span className="badge overdue">Due</span>}
                      </td>
                      <td>
                        {e.status === 'active' ? 'Active' : `Discharged: ${e.outcomeLabel}`}
                        <HistoryDetails loadKey={`caseload-history:${e.id}`} load={() => api.caseloadHistory(e.id)} describe={(v) => `${String(v.status)}, key worker ${String(v.keyWorker)}, review ${String(v.nextReview)}`} />
                      </td>
                      {team && <td>{e.status === 'active' && <Discharge entry={e} data={data} onSaved={refresh} onConflict={setConflict} />}</td>}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <CaseloadEvaluation sources={data.sources} />
        </>
      )}
    </>
  );
};
