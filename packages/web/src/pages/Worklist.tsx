/**
 * Neighbourhood worklist: the pseudonymous members of a cohort living in one neighbourhood, for
 * proactive care. The neighbourhood role sees only its own neighbourhood; analysts choose one.
 * Every list is written to the audit log by the server, and the page says so before it is shown.
 */
import { useState } from 'react';
import { api, ApiError, type Me, type WorklistPerson, type WorklistResponse } from '../api.js';
import { builtWorklistDefinition } from '../cohorts/handoff.js';
import { bySource, cohortLabel } from '../cohorts/saved.js';
import { NeighbourhoodsByPlace } from '../components/areas.js';
import { CsvButton, PersonLink, Problem, SelectField, Toolbar, hashParams, setHashParams, useLoad } from '../components/common.js';
import { fileSlug } from '../export.js';
import { WorklistRowActions } from '../components/team.js';
import { BreakGlassButton } from '../components/IdentityBanner.js';

type Column = keyof WorklistPerson;
const COLUMNS: readonly { key: Column; label: string; numeric: boolean; format?: (p: WorklistPerson) => string }[] = [
  { key: 'personId', label: 'Person id', numeric: true },
  { key: 'age', label: 'Age', numeric: true },
  { key: 'sex', label: 'Sex', numeric: false },
  { key: 'efi', label: 'eFI', numeric: true, format: (p) => p.efi.toFixed(2) },
  { key: 'frailty', label: 'Frailty', numeric: false },
  { key: 'conditionCount', label: 'Long-term conditions', numeric: true },
  { key: 'emergencyAdmissions12m', label: 'Emergency admissions (12 m)', numeric: true },
  { key: 'aeAttendances12m', label: 'A&E attendances (12 m)', numeric: true },
  { key: 'gpAppointments12m', label: 'GP appointments (12 m)', numeric: true },
];
/** The cohort select's value for a definition from the cohort builder (not a stored cohort id, which has no underscores). */
const CUSTOM = '__custom';
const FRAILTY_ORDER: Record<string, number> = { fit: 0, mild: 1, moderate: 2, severe: 3 };

const compare = (a: WorklistPerson, b: WorklistPerson, key: Column): number => {
  if (key === 'frailty') return (FRAILTY_ORDER[a.frailty] ?? 0) - (FRAILTY_ORDER[b.frailty] ?? 0);
  if (key === 'personId') return Number(a.personId) - Number(b.personId);
  const x = a[key];
  const y = b[key];
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
};

/** Takes a person on to the team's caseload from the worklist (neighbourhood teams). */
const AddToCaseload = ({ personId, cohortId, me }: { personId: string; cohortId: string; me: Me }) => {
  const [open, setOpen] = useState(false);
  const [keyWorker, setKeyWorker] = useState(me.user?.displayName ?? '');
  const [nextReview, setNextReview] = useState(() => new Date(Date.now() + 28 * 86_400_000).toISOString().slice(0, 10));
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  if (state?.ok) return <span className="ok">{state.text}</span>;
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Add person ${personId} to the caseload`}>
        Add to caseload
      </button>
    );
  }
  const add = async () => {
    try {
      await api.addToCaseload({ personId, source: 'worklist', cohortId: /^[a-z0-9]+(-[a-z0-9]+)*$/.test(cohortId) ? cohortId : 'custom-cohort', keyWorker, nextReview });
      setState({ ok: true, text: 'On the caseload' });
    } catch (err) {
      setState({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <span className="row-inputs">
      <label className="visually-hidden" htmlFor={`kw-${personId}`}>
        Key worker for person {personId}
      </label>
      <input id={`kw-${personId}`} value={keyWorker} onChange={(e) => setKeyWorker(e.target.value)} placeholder="Key worker" />
      <label className="visually-hidden" htmlFor={`review-${personId}`}>
        Next review for person {personId}
      </label>
      <input id={`review-${personId}`} type="date" value={nextReview} onChange={(e) => setNextReview(e.target.value)} />
      <button type="button" className="small" onClick={add}>
        Add
      </button>
      {state && !state.ok && (
        <span className="error" role="alert">
          {state.text}
        </span>
      )}
    </span>
  );
};

type State = NonNullable<WorklistPerson['state']>;

/** What the team already has in hand for the person, in words (caseload, plan, referrals, tasks). */
const inHand = (st: State): string[] => [
  ...(st.caseload ? [st.caseload.ownNeighbourhood ? `On the caseload (${st.caseload.keyWorker}${st.caseload.reviewDue ? ', review due' : ''})` : 'On another team\u2019s caseload'] : []),
  ...(st.carePlan ? [`Care plan${st.carePlan.reviewDue ? ' (review due)' : ''}`] : []),
  ...(st.openReferrals > 0 ? [`${st.openReferrals} open ${st.openReferrals === 1 ? 'referral' : 'referrals'}`] : []),
  ...(st.openTasks > 0 ? [`${st.openTasks} open ${st.openTasks === 1 ? 'task' : 'tasks'}`] : []),
];

const StateCells = ({ st }: { st: WorklistPerson['state'] }) =>
  st === null ? (
    <>
      <td>–</td>
      <td className="num">–</td>
      <td>–</td>
    </>
  ) : (
    <>
      <td data-testid="worklist-in-hand">{inHand(st).length === 0 ? <span className="note">Nothing yet</span> : inHand(st).join('; ')}</td>
      <td className="num" title={st.admissionRisk ? `band ${st.admissionRisk.band}` : 'no score'}>
        {st.admissionRisk ? `${(st.admissionRisk.probability * 100).toFixed(0)}%` : '–'}
      </td>
      <td data-testid="worklist-care-gaps">{st.careGapsDue.length === 0 ? <span className="note">None due</span> : st.careGapsDue.join('; ')}</td>
    </>
  );

/** The caseload action: offered only when it will work (not for someone on a caseload already). */
const CaseloadCell = ({ p, cohortId, me }: { p: WorklistPerson; cohortId: string; me: Me }) => {
  const episode = p.state?.caseload;
  if (episode) return <span className="note">{episode.ownNeighbourhood ? `On the caseload: ${episode.keyWorker}, next review ${episode.nextReview}` : 'On another team\u2019s caseload'}</span>;
  return <AddToCaseload personId={String(p.personId)} cohortId={cohortId} me={me} />;
};

/**
 * A row's actions for a care professional: taking on, a task and a referral when they have a care
 * relationship with the person; otherwise (a resident registered with another neighbourhood's
 * practice, whose team cares for them) only breaking glass, as taking on and tasks would be refused
 * (the legitimate-relationship rule); once granted, the row's actions.
 */
const RowActions = ({ p, data, me, granted, onGranted }: { p: WorklistPerson; data: WorklistResponse; me: Me; granted: boolean; onGranted: () => void }) => {
  const personId = String(p.personId);
  const relationships = p.state?.careRelationships;
  if (relationships !== undefined && relationships !== null && relationships.length === 0 && !granted) {
    return (
      <span className="row-actions" data-testid={`no-relationship-${personId}`}>
        <span className="note">No care relationship: registered with a practice of another neighbourhood. Break glass to act for them.</span>
        <BreakGlassButton personId={personId} onGranted={onGranted} label={`Break glass to act for person ${personId}`} small />
      </span>
    );
  }
  return (
    <>
      <CaseloadCell p={p} cohortId={data.cohort.id} me={me} /> <WorklistRowActions personId={personId} cohortId={data.cohort.id} neighbourhoodId={data.neighbourhood.id} />
    </>
  );
};

const WorklistTable = ({ data, canLookUp, me }: { data: WorklistResponse; canLookUp: boolean; me: Me }) => {
  // null = the server's priority order (emergency admissions, eFI, conditions: highest first).
  const [sort, setSort] = useState<{ key: Column; dir: 1 | -1 } | null>(null);
  // People the professional broke glass for on this page: their actions are offered for the grant's four hours.
  const [granted, setGranted] = useState<ReadonlySet<string>>(new Set());
  const rows = sort ? [...data.people].sort((a, b) => compare(a, b, sort.key) * sort.dir || Number(a.personId) - Number(b.personId)) : data.people;
  const by = (key: Column) => setSort((s) => (s?.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'personId' || key === 'sex' ? 1 : -1 }));
  return (
    <>
      <Toolbar>
        {sort && (
          <button type="button" className="secondary" onClick={() => setSort(null)}>
            Back to priority order
          </button>
        )}
        <CsvButton
          filename={`worklist-${fileSlug(data.cohort.id)}-${fileSlug(data.neighbourhood.id)}.csv`}
          columns={['person_id', 'age', 'sex', 'efi', 'frailty', 'condition_count', 'emergency_admissions_12m', 'ae_attendances_12m', 'gp_appointments_12m', 'on_caseload', 'care_plan', 'open_referrals', 'open_tasks', 'admission_risk', 'care_gaps_due']}
          rows={() =>
            rows.map((p) => [
              p.personId,
              p.age,
              p.sex,
              p.efi,
              p.frailty,
              p.conditionCount,
              p.emergencyAdmissions12m,
              p.aeAttendances12m,
              p.gpAppointments12m,
              p.state ? (p.state.caseload ? 'yes' : 'no') : '',
              p.state ? (p.state.carePlan ? 'yes' : 'no') : '',
              p.state?.openReferrals ?? '',
              p.state?.openTasks ?? '',
              p.state?.admissionRisk?.probability ?? '',
              p.state ? p.state.careGapsDue.join('; ') : '',
            ])
          }
        />
      </Toolbar>
      <div className="table-scroll">
        <table data-testid="worklist-table">
          <caption>
            {data.cohort.title}: {data.neighbourhood.name}, {data.date}. {sort ? 'Select a column heading to sort.' : 'Highest priority first; select a column heading to sort.'}
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort" onClick={() => by(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort?.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
              <th scope="col">In hand</th>
              <th scope="col" className="num">
                Admission risk (12 m)
              </th>
              <th scope="col">Care gaps due</th>
              {me.role === 'neighbourhood' && <th scope="col">Caseload</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={String(p.personId)}>
                {COLUMNS.map((c) =>
                  c.key === 'personId' ? (
                    <th key={c.key} scope="row" className="num">
                      {canLookUp ? <PersonLink id={String(p.personId)} /> : String(p.personId)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {c.format ? c.format(p) : String(p[c.key])}
                    </td>
                  ),
                )}
                <StateCells st={p.state} />
                {me.role === 'neighbourhood' && (
                  <td>
                    <RowActions p={p} data={data} me={me} granted={granted.has(String(p.personId))} onGranted={() => setGranted((g) => new Set([...g, String(p.personId)]))} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
};

export const WorklistPage = ({ me }: { me: Me }) => {
  const meta = useLoad('cohorts', api.cohorts);
  const own = me.role === 'neighbourhood' ? (me.user?.neighbourhoodId ?? '') : null;
  // Read the address once: the cohort (stored id, or the builder's definition) and the neighbourhood.
  const [initial] = useState(hashParams);
  const [custom] = useState(() => (initial.get('custom') === '1' ? builtWorklistDefinition() : null));
  const [cohort, setCohort] = useState(custom ? CUSTOM : (initial.get('cohort') ?? ''));
  const [neighbourhood, setNeighbourhood] = useState(own ?? initial.get('neighbourhood') ?? '');
  // An earlier version of a saved cohort (from the cohort builder's version history): kept while that cohort is chosen.
  const [versionOf] = useState(() => ({ cohort: initial.get('cohort') ?? '', version: /^[1-9]\d{0,5}$/.test(initial.get('version') ?? '') ? Number(initial.get('version')) : undefined }));
  const [result, setResult] = useState<{ data?: WorklistResponse; error?: Error; loading: boolean }>({ loading: false });

  const m = meta.data;
  const chosenCohort = cohort || m?.cohorts[0]?.id || '';
  const chosenNeighbourhood = own ?? (neighbourhood || m?.neighbourhoods[0]?.id || '');
  const chosenVersion = chosenCohort === versionOf.cohort ? versionOf.version : undefined;

  const show = async () => {
    setResult({ loading: true });
    setHashParams('worklist', {
      cohort: chosenCohort === CUSTOM ? undefined : chosenCohort,
      version: chosenVersion === undefined ? undefined : String(chosenVersion),
      custom: chosenCohort === CUSTOM ? '1' : undefined,
      neighbourhood: own ? undefined : chosenNeighbourhood,
    });
    try {
      const data = chosenCohort === CUSTOM && custom ? await api.worklistFor(custom, chosenNeighbourhood) : await api.worklist(chosenCohort, chosenNeighbourhood, chosenVersion);
      setResult({ data, loading: false });
    } catch (error) {
      setResult({ error: error as Error, loading: false });
    }
  };

  const ownName = own ? (m?.neighbourhoods.find((n) => n.id === own)?.name ?? own) : null;
  const refused = result.error instanceof ApiError && result.error.status === 403;

  return (
    <section>
      <h1>Neighbourhood worklist</h1>
      <p className="notice" role="note" data-testid="audit-note">
        <strong>Access is audited.</strong> Showing a worklist lists pseudonymous people (no names, NHS numbers or addresses). Every request, allowed or
        refused, is written to the audit log with your account, the cohort and the neighbourhood. Use it for direct care planning only.
      </p>
      {meta.error && <Problem error={meta.error} />}
      {m && (
        <form
          className="controls"
          onSubmit={(e) => {
            e.preventDefault();
            void show();
          }}
        >
          <SelectField
            id="worklist-cohort"
            label="Cohort"
            value={chosenCohort}
            onChange={setCohort}
            items={[...(custom ? [{ id: CUSTOM, label: `${custom.title} (from the cohort builder)` }] : []), ...[...bySource(m.cohorts).files, ...bySource(m.cohorts).saved].map((c) => ({ id: c.id, label: cohortLabel(c) }))]}
            inline
          />
          <span className="field">
            {own ? (
              <span data-testid="own-neighbourhood">
                <strong>Neighbourhood:</strong> {ownName} ({own}), your team's neighbourhood
              </span>
            ) : (
              <>
                <label htmlFor="worklist-neighbourhood">Neighbourhood </label>
                <select id="worklist-neighbourhood" value={chosenNeighbourhood} onChange={(e) => setNeighbourhood(e.target.value)}>
                  <NeighbourhoodsByPlace places={m.places} neighbourhoods={m.neighbourhoods} />
                </select>
              </>
            )}
          </span>
          <button type="submit" disabled={result.loading || !chosenCohort || !chosenNeighbourhood}>
            {result.loading ? 'Loading…' : 'Show worklist'}
          </button>
        </form>
      )}
      {m && chosenCohort && chosenCohort !== CUSTOM && (
        <p className="note" data-testid="worklist-cohort-note">
          {m.cohorts.find((c) => c.id === chosenCohort)?.description}
          {chosenVersion !== undefined ? ` (version ${chosenVersion} of this saved cohort, not its latest)` : ''}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert" data-testid="worklist-error">
          {refused ? 'Not allowed: ' : ''}
          {result.error.message}
        </p>
      )}
      {result.data && (
        <div className="panel" data-testid="worklist">
          <h2>
            {result.data.cohort.title} in the {result.data.neighbourhood.name} neighbourhood
          </h2>
          <p data-testid="worklist-summary">
            <strong>{result.data.total.toLocaleString('en-GB')}</strong> {result.data.total === 1 ? 'person' : 'people'} on {result.data.date}
            {result.data.truncated ? `; the ${result.data.people.length.toLocaleString('en-GB')} highest priority are listed` : ''}.
          </p>
          {result.data.note && <p className="note">{result.data.note}</p>}
          {result.data.people.length === 0 ? <p>Nobody in this neighbourhood is in the cohort.</p> : <WorklistTable data={result.data} canLookUp={me.role === 'analyst' || me.role === 'neighbourhood'} me={me} />}
        </div>
      )}
    </section>
  );
};
