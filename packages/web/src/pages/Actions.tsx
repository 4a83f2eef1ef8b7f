/**
 * The action plan of a strategy: every action with its owner group, lead, due date, RAG rating and
 * progress note; red and overdue actions first. Staff and board members read it; programme leads
 * add and update actions. Each change names the version it edits: if someone else changed the
 * action meanwhile, the server refuses (409) and the page offers to reload.
 */
import { useId, useState } from 'react';
import { api, type ActionInput, type Me, type PlanAction, type Rag, type StrategyT } from '../api.js';
import { FormFooter, CsvButton, Problem, Toolbar, useLoad } from '../components/common.js';
import { HistoryDetails } from '../components/history.js';
import { ConflictNotice, RAG_STYLE, RagBadge, StrategyPicker, changedFields, fmtDate, saveOrConflict } from '../components/delivery.js';
import { fileSlug } from '../export.js';

const RAG_ORDER: Record<Rag, number> = { red: 0, amber: 1, green: 2 };
const STATUS_LABEL: Record<PlanAction['status'], string> = { open: 'Open', complete: 'Complete', cancelled: 'Cancelled' };

const blank = (strategy: StrategyT): ActionInput => ({
  priorityId: strategy.priorities[0]?.id ?? '',
  ambitionId: null,
  title: '',
  ownerGroup: '',
  lead: '',
  dueDate: '',
  rag: 'amber',
  status: 'open',
  progressNote: '',
});

/** The form to add or change an action. */
const ActionForm = ({ strategy, initial, submitLabel, onSubmit, onCancel }: { strategy: StrategyT; initial: ActionInput; submitLabel: string; onSubmit: (a: ActionInput) => Promise<void>; onCancel?: () => void }) => {
  const [a, setA] = useState<ActionInput>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const priority = strategy.priorities.find((p) => p.id === a.priorityId);
  const set = <K extends keyof ActionInput>(k: K, v: ActionInput[K]) => setA((x) => ({ ...x, [k]: v }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(a);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const formId = useId();
  const id = (f: string) => `action-${f}${formId.replace(/:/g, '')}`;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="action-form">
      <label htmlFor={id('title')}>Action</label>
      <input id={id('title')} value={a.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} />
      <label htmlFor={id('priority')}>Priority</label>
      <select id={id('priority')} value={a.priorityId} onChange={(e) => setA((x) => ({ ...x, priorityId: e.target.value, ambitionId: null }))}>
        {strategy.priorities.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      <label htmlFor={id('ambition')}>Ambition</label>
      <select id={id('ambition')} value={a.ambitionId ?? ''} onChange={(e) => set('ambitionId', e.target.value || null)}>
        <option value="">(the priority as a whole)</option>
        {priority?.ambitions.map((x) => (
          <option key={x.id} value={x.id}>
            {x.title}
          </option>
        ))}
      </select>
      <label htmlFor={id('owner')}>Owner group</label>
      <input id={id('owner')} value={a.ownerGroup} onChange={(e) => set('ownerGroup', e.target.value)} required maxLength={200} />
      <label htmlFor={id('lead')}>Named lead</label>
      <input id={id('lead')} value={a.lead} onChange={(e) => set('lead', e.target.value)} required maxLength={200} />
      <label htmlFor={id('due')}>Due date</label>
      <input id={id('due')} type="date" value={a.dueDate} onChange={(e) => set('dueDate', e.target.value)} required />
      <label htmlFor={id('rag')}>RAG rating</label>
      <select id={id('rag')} value={a.rag} onChange={(e) => set('rag', e.target.value as Rag)}>
        {(Object.keys(RAG_STYLE) as Rag[]).map((r) => (
          <option key={r} value={r}>
            {RAG_STYLE[r].label}
          </option>
        ))}
      </select>
      <label htmlFor={id('status')}>Status</label>
      <select id={id('status')} value={a.status} onChange={(e) => set('status', e.target.value as PlanAction['status'])}>
        {(Object.keys(STATUS_LABEL) as PlanAction['status'][]).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <label htmlFor={id('note')}>Progress note</label>
      <textarea id={id('note')} rows={3} value={a.progressNote} onChange={(e) => set('progressNote', e.target.value)} maxLength={4000} />
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

const toInput = (a: PlanAction): ActionInput => ({ priorityId: a.priorityId, ambitionId: a.ambitionId, title: a.title, ownerGroup: a.ownerGroup, lead: a.lead, dueDate: a.dueDate, rag: a.rag, status: a.status, progressNote: a.progressNote });

const StrategyActions = ({ strategy, me }: { strategy: StrategyT; me: Me }) => {
  const [reload, setReload] = useState(0);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [rag, setRag] = useState<'' | Rag>('');
  const [openOnly, setOpenOnly] = useState(true);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const list = useLoad(`actions:${strategy.id}:${reload}`, () => api.actions(strategy.id));
  const canEdit = me.role === 'programme';
  const refresh = () => setReload((n) => n + 1);
  if (list.error) return <Problem error={list.error} />;
  if (!list.data) return <p className="loading">Loading the action plan…</p>;
  const data = list.data;
  const titleOf = (priorityId: string, ambitionId: string | null) => {
    const p = strategy.priorities.find((x) => x.id === priorityId);
    const a = p?.ambitions.find((x) => x.id === ambitionId);
    return a ? a.title : (p?.title ?? priorityId);
  };
  const rows = data.actions
    .filter((a) => (!openOnly || a.status === 'open') && (!rag || a.rag === rag) && (!overdueOnly || a.overdue))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || RAG_ORDER[a.rag] - RAG_ORDER[b.rag] || a.dueDate.localeCompare(b.dueDate));
  const open = data.actions.filter((a) => a.status === 'open');
  return (
    <>
      <ul className="legend" aria-label="Open actions by RAG rating" data-testid="rag-summary">
        {(Object.keys(RAG_STYLE) as Rag[]).map((r) => (
          <li key={r}>
            <RagBadge rag={r} /> {open.filter((a) => a.rag === r).length}: {data.ragMeaning[r].replace(/^\w+: /, '')}
          </li>
        ))}
        <li>
          <span className="badge overdue">Overdue</span> {open.filter((a) => a.overdue).length}
        </li>
      </ul>
      <div className="controls">
        <div className="field">
          <label htmlFor="rag-filter">RAG</label>{' '}
          <select id="rag-filter" value={rag} onChange={(e) => setRag(e.target.value as '' | Rag)}>
            <option value="">All</option>
            {(Object.keys(RAG_STYLE) as Rag[]).map((r) => (
              <option key={r} value={r}>
                {RAG_STYLE[r].label}
              </option>
            ))}
          </select>
        </div>
        <label>
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Open actions only
        </label>
        <label>
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} /> Overdue only
        </label>
      </div>
      <Toolbar>
        {canEdit && !adding && (
          <button type="button" onClick={() => (setAdding(true), setEditing(null))}>
            Add an action
          </button>
        )}
        <CsvButton
          filename={`actions-${fileSlug(strategy.id)}.csv`}
          columns={['id', 'priority', 'ambition', 'action', 'owner_group', 'lead', 'due', 'overdue', 'rag', 'status', 'progress_note', 'updated_at', 'updated_by']}
          rows={() => data.actions.map((a) => [a.id, a.priorityId, a.ambitionId ?? '', a.title, a.ownerGroup, a.lead, a.dueDate, a.overdue, a.rag, a.status, a.progressNote, a.updatedAt, a.updatedBy])}
        />
      </Toolbar>
      {adding && (
        <div className="panel">
          <h2>New action</h2>
          <ActionForm
            strategy={strategy}
            initial={blank(strategy)}
            submitLabel="Add the action"
            onCancel={() => setAdding(false)}
            onSubmit={async (a) => {
              await api.createAction(strategy.id, a);
              setAdding(false);
              refresh();
            }}
          />
        </div>
      )}
      {conflict && <ConflictNotice message={conflict} reloadLabel="Reload the action plan" onReload={() => (setConflict(null), setEditing(null), refresh())} />}
      <div className="table-scroll">
        <table data-testid="actions-table">
          <caption>
            {rows.length} of {data.actions.length} actions, overdue and red first. Today is {fmtDate(data.today)}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">RAG</th>
              <th scope="col">Progress</th>
              {canEdit && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-testid={`action-${a.id}`}>
                <th scope="row">
                  {a.title}
                  <div className="note">{titleOf(a.priorityId, a.ambitionId)}</div>
                </th>
                <td>
                  {a.lead}
                  <div className="note">{a.ownerGroup}</div>
                </td>
                <td>
                  {fmtDate(a.dueDate)}
                  {a.overdue && (
                    <div>
                      <span className="badge overdue">Overdue</span>
                    </div>
                  )}
                  {a.status !== 'open' && <div className="note">{STATUS_LABEL[a.status]}</div>}
                </td>
                <td>
                  <RagBadge rag={a.rag} />
                </td>
                <td>
                  {a.progressNote || <span className="note">No note</span>}
                  <div className="note">
                    Version {a.version}, {a.updatedBy}, {a.updatedAt.slice(0, 10)}
                  </div>
                  <HistoryDetails
                    loadKey={`action-history:${a.id}`}
                    load={() => api.actionHistory(a.id)}
                    describe={(v) => `${String(v.rag)}, ${String(v.status)}, due ${String(v.dueDate)}${v.progressNote ? ` — ${String(v.progressNote)}` : ''}`}
                  />
                  {editing === a.id && (
                    <ActionForm
                      strategy={strategy}
                      initial={toInput(a)}
                      submitLabel="Save changes"
                      onCancel={() => setEditing(null)}
                      onSubmit={async (after) => {
                        if (await saveOrConflict(() => api.updateAction(a.id, { ...changedFields(toInput(a), after), version: a.version }), setConflict)) {
                          setEditing(null);
                          refresh();
                        }
                      }}
                    />
                  )}
                </td>
                {canEdit && (
                  <td>
                    {editing !== a.id && (
                      <button type="button" className="secondary small" onClick={() => (setEditing(a.id), setAdding(false))} aria-label={`Update ${a.title}`}>
                        Update
                      </button>
                    )}
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

export const ActionsPage = ({ me }: { me: Me }) => (
  <>
    <h1>Action plan</h1>
    <p className="lead">
      What the partners committed to do, who leads it and how it is going. {me.role === 'programme' ? 'You can add and update actions; every change is kept.' : 'Programme leads keep it up to date.'}
    </p>
    <StrategyPicker page="actions">{(s) => <StrategyActions strategy={s} me={me} />}</StrategyPicker>
  </>
);
