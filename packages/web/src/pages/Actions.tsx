/**
 * The action plan of a strategy: every action with its owner group, lead, due date, RAG rating and
 * progress note; red and overdue actions first. Staff and board members read it; programme leads
 * add and update actions. Each change names the version it edits: if someone else changed the
 * action meanwhile, the server refuses (409) and the page offers to reload.
 */
import { useId, useState } from 'react';
import { api, type ActionInput, type ActionsResponse, type Me, type PlanAction, type Rag, type StrategyT } from '../api.js';
import { FormFooter, Noted, Options, Problem, SelectField, optionsOf, useSubmit } from '../components/common.js';
import { HistoryDetails } from '../components/history.js';
import { MeasurePicker, RAG_OPTIONS, RAG_STYLE, RagBadge, StrategyPicker, changedFields, saveOrConflict } from '../components/delivery.js';
import { DueDate, OverdueBadge, RegisterTable, RegisterToolbar, UpdateButton, VersionNote, useRegister, type Column } from '../components/register.js';
import { fileSlug } from '../export.js';
import { fmtDate } from '../format.js';

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
  measureIds: [],
});

/** The form to add or change an action. */
const ActionForm = ({ strategy, initial, submitLabel, onSubmit, onCancel }: { strategy: StrategyT; initial: ActionInput; submitLabel: string; onSubmit: (a: ActionInput) => Promise<void>; onCancel?: () => void }) => {
  const [a, setA] = useState<ActionInput>(initial);
  const { submit, error, busy } = useSubmit(() => onSubmit(a));
  const priority = strategy.priorities.find((p) => p.id === a.priorityId);
  const set = <K extends keyof ActionInput>(k: K, v: ActionInput[K]) => setA((x) => ({ ...x, [k]: v }));
  const formId = useId();
  const id = (f: string) => `action-${f}${formId.replace(/:/g, '')}`;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="action-form">
      <label htmlFor={id('title')}>Action</label>
      <input id={id('title')} value={a.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} />
      <label htmlFor={id('priority')}>Priority</label>
      {/* A new priority has other ambitions: the ambition goes back to the priority as a whole. */}
      <select id={id('priority')} value={a.priorityId} onChange={(e) => setA((x) => ({ ...x, priorityId: e.target.value, ambitionId: null }))}>
        <Options items={strategy.priorities} label={(p) => p.title} />
      </select>
      <label htmlFor={id('ambition')}>Ambition</label>
      <select id={id('ambition')} value={a.ambitionId ?? ''} onChange={(e) => set('ambitionId', e.target.value || null)}>
        <option value="">(the priority as a whole)</option>
        <Options items={priority?.ambitions} label={(x) => x.title} />
      </select>
      <label htmlFor={id('owner')}>Owner group</label>
      <input id={id('owner')} value={a.ownerGroup} onChange={(e) => set('ownerGroup', e.target.value)} required maxLength={200} />
      <label htmlFor={id('lead')}>Named lead</label>
      <input id={id('lead')} value={a.lead} onChange={(e) => set('lead', e.target.value)} required maxLength={200} />
      <label htmlFor={id('due')}>Due date</label>
      <input id={id('due')} type="date" value={a.dueDate} onChange={(e) => set('dueDate', e.target.value)} required />
      <label htmlFor={id('rag')}>RAG rating</label>
      <select id={id('rag')} value={a.rag} onChange={(e) => set('rag', e.target.value as Rag)}>
        <Options items={RAG_OPTIONS} />
      </select>
      <label htmlFor={id('status')}>Status</label>
      <select id={id('status')} value={a.status} onChange={(e) => set('status', e.target.value as PlanAction['status'])}>
        <Options items={optionsOf(STATUS_LABEL)} />
      </select>
      <label htmlFor={id('note')}>Progress note</label>
      <textarea id={id('note')} rows={3} value={a.progressNote} onChange={(e) => set('progressNote', e.target.value)} maxLength={4000} />
      <MeasurePicker strategy={strategy} value={a.measureIds} onChange={(ids) => set('measureIds', ids)} legend="Measures this action is meant to move" />
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

const toInput = (a: PlanAction): ActionInput => ({ priorityId: a.priorityId, ambitionId: a.ambitionId, title: a.title, ownerGroup: a.ownerGroup, lead: a.lead, dueDate: a.dueDate, rag: a.rag, status: a.status, progressNote: a.progressNote, measureIds: [...a.measureIds] });

/** Open actions by RAG rating, with what each rating means, and how many are overdue. */
const RagSummary = ({ data }: { data: ActionsResponse }) => {
  const open = data.actions.filter((a) => a.status === 'open');
  return (
    <ul className="legend" aria-label="Open actions by RAG rating" data-testid="rag-summary">
      {(Object.keys(RAG_STYLE) as Rag[]).map((r) => (
        <li key={r}>
          <RagBadge rag={r} /> {open.filter((a) => a.rag === r).length}: {data.ragMeaning[r].replace(/^\w+: /, '')}
        </li>
      ))}
      <li>
        <OverdueBadge label="Overdue" /> {open.filter((a) => a.overdue).length}
      </li>
    </ul>
  );
};

/** The actions a reader asked for: overdue first, then red, amber, green, then by due date. */
const shownActions = (actions: readonly PlanAction[], filter: { rag: '' | Rag; openOnly: boolean; overdueOnly: boolean }): PlanAction[] =>
  actions
    .filter((a) => (!filter.openOnly || a.status === 'open') && (!filter.rag || a.rag === filter.rag) && (!filter.overdueOnly || a.overdue))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || RAG_ORDER[a.rag] - RAG_ORDER[b.rag] || a.dueDate.localeCompare(b.dueDate));

const StrategyActions = ({ strategy, me }: { strategy: StrategyT; me: Me }) => {
  const register = useRegister(`actions:${strategy.id}`, () => api.actions(strategy.id));
  const { form, setForm, setConflict } = register;
  const [rag, setRag] = useState<'' | Rag>('');
  const [openOnly, setOpenOnly] = useState(true);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const canEdit = me.role === 'programme';
  if (register.error) return <Problem error={register.error} />;
  if (!register.data) return <p className="loading">Loading the action plan…</p>;
  const data = register.data;
  const titleOf = (priorityId: string, ambitionId: string | null) => {
    const p = strategy.priorities.find((x) => x.id === priorityId);
    const a = p?.ambitions.find((x) => x.id === ambitionId);
    return a ? a.title : (p?.title ?? priorityId);
  };
  const rows = shownActions(data.actions, { rag, openOnly, overdueOnly });
  /** The form for a new action (none given) or for a change to one, which sends only the fields changed. */
  const actionForm = (a?: PlanAction) => (
    <ActionForm
      strategy={strategy}
      initial={a ? toInput(a) : blank(strategy)}
      submitLabel={a ? 'Save changes' : 'Add the action'}
      onCancel={() => setForm(null)}
      onSubmit={async (after) => {
        // Only a change can be stale (409); a refused new action stays in its form with the reason.
        const saved = a ? await saveOrConflict(() => api.updateAction(a.id, { ...changedFields(toInput(a), after), version: a.version }), setConflict) : (await api.createAction(strategy.id, after), true);
        if (saved) register.saved();
      }}
    />
  );
  const columns: readonly (Column<PlanAction> | false)[] = [
    { heading: 'Action', header: true, cell: (a) => <Noted note={titleOf(a.priorityId, a.ambitionId)}>{a.title}</Noted> },
    { heading: 'Owner', cell: (a) => <Noted note={a.ownerGroup}>{a.lead}</Noted> },
    {
      heading: 'Due',
      cell: (a) => (
        <>
          <DueDate date={a.dueDate} late={a.overdue} label="Overdue" />
          {a.status !== 'open' && <div className="note">{STATUS_LABEL[a.status]}</div>}
        </>
      ),
    },
    { heading: 'RAG', cell: (a) => <RagBadge rag={a.rag} /> },
    {
      heading: 'Progress',
      cell: (a) => (
        <>
          {a.progressNote || <span className="note">No note</span>}
          <div className="note">
            <VersionNote r={a} />
          </div>
          <HistoryDetails
            loadKey={`action-history:${a.id}`}
            load={() => api.actionHistory(a.id)}
            describe={(v) => `${String(v.rag)}, ${String(v.status)}, due ${String(v.dueDate)}${v.progressNote ? ` — ${String(v.progressNote)}` : ''}`}
          />
          {form === a.id && actionForm(a)}
        </>
      ),
    },
    canEdit && { heading: 'Change', cell: (a) => form !== a.id && <UpdateButton title={a.title} onClick={() => setForm(a.id)} /> },
  ];
  return (
    <>
      <RagSummary data={data} />
      <div className="controls">
        <SelectField id="rag-filter" label="RAG" value={rag} onChange={(v) => setRag(v as '' | Rag)} items={RAG_OPTIONS} any="All" />
        <label>
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Open actions only
        </label>
        <label>
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} /> Overdue only
        </label>
      </div>
      <RegisterToolbar
        addLabel="Add an action"
        onAdd={canEdit && form !== 'new' && (() => setForm('new'))}
        csv={{
          filename: `actions-${fileSlug(strategy.id)}.csv`,
          columns: ['id', 'priority', 'ambition', 'action', 'owner_group', 'lead', 'due', 'overdue', 'rag', 'status', 'progress_note', 'updated_at', 'updated_by'],
          rows: () => data.actions.map((a) => [a.id, a.priorityId, a.ambitionId ?? '', a.title, a.ownerGroup, a.lead, a.dueDate, a.overdue, a.rag, a.status, a.progressNote, a.updatedAt, a.updatedBy]),
        }}
      />
      {form === 'new' && (
        <div className="panel">
          <h2>New action</h2>
          {actionForm()}
        </div>
      )}
      {register.conflictNotice('Reload the action plan')}
      <RegisterTable
        testId="actions-table"
        caption={
          <>
            {rows.length} of {data.actions.length} actions, overdue and red first. Today is {fmtDate(data.today)}.
          </>
        }
        columns={columns}
        rows={rows}
        rowKey={(a) => a.id}
        rowTestId={(a) => `action-${a.id}`}
      />
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
