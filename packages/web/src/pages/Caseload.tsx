/**
 * The neighbourhood team's caseload: the people it is actively working with, their key worker and
 * next review (due reviews first), where they came from, and how episodes ended. Teams take people
 * on (from a worklist, their GP, hospital discharge…) and discharge them with an outcome; analysts
 * read it. Person-level: every view and change is audited. Below, whether proactive care changed
 * outcomes (a matched evaluation across all neighbourhoods; published figures only).
 */
import { useState } from 'react';
import { api, type CaseloadEntry, type CaseloadResponse, type Me } from '../api.js';
import { CsvButton, ErrorText, FormFooter, NeighbourhoodSelect, Noted, Options, PersonLink, Problem, SelectField, Toolbar, useLoad, useSubmit } from '../components/common.js';
import { saveOrConflict } from '../components/delivery.js';
import { CaseloadEvaluation } from '../components/evaluation.js';
import { HistoryDetails } from '../components/history.js';
import { OverdueBadge, RegisterTable, useRegister, type Column } from '../components/register.js';
import { fmtDate } from '../format.js';
import { ChangeKeyWorker, RecordReview } from '../components/team.js';

const AddForm = ({ data, onAdded }: { data: CaseloadResponse; onAdded: () => void }) => {
  const [personId, setPersonId] = useState('');
  const [source, setSource] = useState('gp');
  const [cohortId, setCohortId] = useState('');
  const [keyWorker, setKeyWorker] = useState('');
  const [nextReview, setNextReview] = useState('');
  const { submit, error } = useSubmit(async () => {
    await api.addToCaseload({ personId: personId.trim(), source, cohortId: source === 'worklist' ? cohortId.trim() : null, keyWorker, nextReview });
    setPersonId('');
    onAdded();
  });
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="caseload-add">
      <label htmlFor="caseload-person">Person id</label>
      <input id="caseload-person" inputMode="numeric" value={personId} onChange={(e) => setPersonId(e.target.value)} required pattern="\d{1,18}" />
      <label htmlFor="caseload-source">Came from</label>
      <select id="caseload-source" value={source} onChange={(e) => setSource(e.target.value)}>
        <Options items={data.sources} />
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
      <FormFooter submitLabel="Add to the caseload" error={error} />
    </form>
  );
};

const Discharge = ({ entry, data, onSaved, onConflict }: { entry: CaseloadEntry; data: CaseloadResponse; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState(data.outcomes[0]?.id ?? 'goals-met');
  const { submit, error } = useSubmit(async () => {
    if (await saveOrConflict(() => api.updateCaseload(entry.id, { status: 'discharged', outcome, version: entry.version }), onConflict)) onSaved();
  });
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Discharge person ${entry.personId}`}>
        Discharge
      </button>
    );
  }
  return (
    <div>
      <label htmlFor={`discharge-${entry.id}`}>Outcome</label>{' '}
      <select id={`discharge-${entry.id}`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        <Options items={data.outcomes} />
      </select>{' '}
      <button type="button" className="small" onClick={() => submit()}>
        Discharge
      </button>{' '}
      <button type="button" className="secondary small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <ErrorText message={error} />
    </div>
  );
};

/** Reviews due first, then the soonest review. */
const byReview = (entries: readonly CaseloadEntry[]): CaseloadEntry[] => [...entries].sort((a, b) => Number(b.reviewDue) - Number(a.reviewDue) || a.nextReview.localeCompare(b.nextReview));

export const CaseloadPage = ({ me }: { me: Me }) => {
  const [status, setStatus] = useState<'' | 'active' | 'discharged'>('active');
  const [neighbourhood, setNeighbourhood] = useState('');
  const team = me.role === 'neighbourhood';
  const geography = useLoad('geography', api.geography);
  const register = useRegister(`caseload:${status}:${neighbourhood}`, () => api.caseload({ status, neighbourhood: team ? undefined : neighbourhood }));
  const { refresh, setConflict } = register;
  const data = register.data;
  const columns: readonly (Column<CaseloadEntry> | false)[] = [
    { heading: 'Person', header: true, cell: (e) => <Noted note={e.neighbourhoodId}><PersonLink id={e.personId} /></Noted> },
    {
      heading: 'Came from',
      cell: (e) => (
        <>
          {e.sourceLabel}
          {e.cohortId && <div className="note">{e.cohortId}</div>}
        </>
      ),
    },
    { heading: 'Key worker', cell: (e) => e.keyWorker },
    {
      heading: 'Next review',
      cell: (e) => (
        <>
          {fmtDate(e.nextReview)} {e.reviewDue && <OverdueBadge label="Due" />}
        </>
      ),
    },
    {
      heading: 'Status',
      cell: (e) => (
        <>
          {e.status === 'active' ? 'Active' : `Discharged: ${e.outcomeLabel}`}
          <HistoryDetails loadKey={`caseload-history:${e.id}`} load={() => api.caseloadHistory(e.id)} describe={(v) => `${String(v.status)}, key worker ${String(v.keyWorker)}, review ${String(v.nextReview)}`} />
        </>
      ),
    },
    team && {
      heading: 'Change',
      cell: (e) =>
        data &&
        e.status === 'active' && (
          <>
            <RecordReview entry={e} today={data.today} onSaved={refresh} onConflict={setConflict} /> <ChangeKeyWorker entry={e} onSaved={refresh} onConflict={setConflict} />{' '}
            <Discharge entry={e} data={data} onSaved={refresh} onConflict={setConflict} />
          </>
        ),
    },
  ];
  return (
    <>
      <h1>Caseload</h1>
      <p className="lead">{team ? `The people the ${me.user?.neighbourhoodId ?? ''} team is working with.` : "Neighbourhood teams' caseloads (read only)."}</p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view and change is recorded with your name.
      </p>
      <div className="controls">
        <SelectField
          id="caseload-status"
          label="Show"
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          items={[
            { id: 'active', label: 'Active' },
            { id: 'discharged', label: 'Discharged' },
            { id: '', label: 'All' },
          ]}
        />
        {!team && <NeighbourhoodSelect id="caseload-neighbourhood" value={neighbourhood} onChange={setNeighbourhood} neighbourhoods={geography.data?.neighbourhoods} />}
      </div>
      {register.conflictNotice('Reload the caseload')}
      {register.error && <Problem error={register.error} />}
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
          <RegisterTable testId="caseload-table" caption={<>Reviews due first. Today is {fmtDate(data.today)}.</>} columns={columns} rows={byReview(data.entries)} rowKey={(e) => e.id} rowTestId={(e) => `caseload-${e.personId}`} />
          <CaseloadEvaluation sources={data.sources} />
        </>
      )}
    </>
  );
};
