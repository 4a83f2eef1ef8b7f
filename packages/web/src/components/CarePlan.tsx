/**
 * A person's care and support plan, for the neighbourhood team around them: what matters to the
 * person (in their words), goals, who helps with what, what to do if things get worse, consent to
 * share, and the review date. Read, start or change it; a stale change is refused and says so.
 */
import { useState, type ReactNode } from 'react';
import { api, ApiError, type CarePlan, type CarePlanInput } from '../api.js';
import { fmtDate } from '../format.js';
import { FormFooter, Options, Problem, optionsOf, useLoad, useSubmit } from './common.js';
import { ConflictNotice, saveOrConflict } from './delivery.js';
import { OverdueBadge, VersionNote } from './register.js';
import { RaiseTaskButton } from './team.js';

const GOAL_STATUS: Record<CarePlanInput['goals'][number]['status'], string> = { 'working-on': 'Working on it', achieved: 'Achieved', changed: 'Changed' };

const blank = (today: string): CarePlanInput => ({ whatMatters: '', goals: [], support: [], contingency: '', consentToShare: false, reviewDate: today, status: 'active' });
const toInput = (p: CarePlan): CarePlanInput => ({ whatMatters: p.whatMatters, goals: p.goals, support: p.support, contingency: p.contingency, consentToShare: p.consentToShare, reviewDate: p.reviewDate, status: p.status });

/**
 * A list the form edits in place (goals, who helps with what): each item on a row of inputs with a
 * Remove button, and a button that adds a blank one.
 */
const ItemList = <T,>({ legend, items, onChange, blank, addLabel, removeLabel, row }: { legend: string; items: readonly T[]; onChange: (items: T[]) => void; blank: NoInfer<T>; addLabel: string; removeLabel: (i: number) => string; row: (item: T, i: number, update: (patch: Partial<T>) => void) => ReactNode }) => (
  <fieldset className="span">
    <legend>{legend}</legend>
    {items.map((item, i) => (
      <div key={i} className="row-inputs">
        {row(item, i, (patch) => onChange(items.map((x, j) => (j === i ? { ...x, ...patch } : x))))}
        <button type="button" className="secondary small" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label={removeLabel(i)}>
          Remove
        </button>
      </div>
    ))}
    <button type="button" className="secondary small" onClick={() => onChange([...items, blank])}>
      {addLabel}
    </button>
  </fieldset>
);

/** A hidden label: the row's place in its list says what the input is. */
const RowLabel = ({ htmlFor, children }: { htmlFor: string; children: ReactNode }) => (
  <label className="visually-hidden" htmlFor={htmlFor}>
    {children}
  </label>
);

const PlanForm = ({ initial, submitLabel, onSubmit, onCancel }: { initial: CarePlanInput; submitLabel: string; onSubmit: (p: CarePlanInput) => Promise<void>; onCancel: () => void }) => {
  const [p, setP] = useState<CarePlanInput>(initial);
  const { submit, error } = useSubmit(() => onSubmit(p));
  const set = <K extends keyof CarePlanInput>(k: K, v: CarePlanInput[K]) => setP((x) => ({ ...x, [k]: v }));
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="care-plan-form">
      <label htmlFor="plan-matters">What matters to the person (their words)</label>
      <textarea id="plan-matters" rows={3} value={p.whatMatters} onChange={(e) => set('whatMatters', e.target.value)} required maxLength={2000} />
      <ItemList
        legend="Goals"
        items={p.goals}
        onChange={(goals) => set('goals', goals)}
        blank={{ goal: '', status: 'working-on' }}
        addLabel="Add a goal"
        removeLabel={(i) => `Remove goal ${i + 1}`}
        row={(g, i, update) => (
          <>
            <RowLabel htmlFor={`plan-goal-${i}`}>Goal {i + 1}</RowLabel>
            <input id={`plan-goal-${i}`} value={g.goal} onChange={(e) => update({ goal: e.target.value })} required maxLength={500} />
            <RowLabel htmlFor={`plan-goal-status-${i}`}>Status of goal {i + 1}</RowLabel>
            <select id={`plan-goal-status-${i}`} value={g.status} onChange={(e) => update({ status: e.target.value as typeof g.status })}>
              <Options items={optionsOf(GOAL_STATUS)} />
            </select>
          </>
        )}
      />
      <ItemList
        legend="Who helps with what"
        items={p.support}
        onChange={(support) => set('support', support)}
        blank={{ who: '', what: '' }}
        addLabel="Add support"
        removeLabel={(i) => `Remove support ${i + 1}`}
        row={(s, i, update) => (
          <>
            <RowLabel htmlFor={`plan-who-${i}`}>Who, support {i + 1}</RowLabel>
            <input id={`plan-who-${i}`} placeholder="Who" value={s.who} onChange={(e) => update({ who: e.target.value })} required maxLength={200} />
            <RowLabel htmlFor={`plan-what-${i}`}>What, support {i + 1}</RowLabel>
            <input id={`plan-what-${i}`} placeholder="With what" value={s.what} onChange={(e) => update({ what: e.target.value })} required maxLength={500} />
          </>
        )}
      />
      <label htmlFor="plan-contingency">If things get worse</label>
      <textarea id="plan-contingency" rows={2} value={p.contingency} onChange={(e) => set('contingency', e.target.value)} maxLength={2000} />
      <label htmlFor="plan-review">Review by</label>
      <input id="plan-review" type="date" value={p.reviewDate} onChange={(e) => set('reviewDate', e.target.value)} required />
      <label htmlFor="plan-status">Status</label>
      <select id="plan-status" value={p.status} onChange={(e) => set('status', e.target.value as CarePlanInput['status'])}>
        <option value="active">Active</option>
        <option value="closed">Closed</option>
      </select>
      <label className="span">
        <input type="checkbox" checked={p.consentToShare} onChange={(e) => set('consentToShare', e.target.checked)} /> The person agrees that the team around them may read this plan (without it, only you can)
      </label>
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} />
    </form>
  );
};

export const CarePlanSection = ({ personId, onChanged }: { personId: string; onChanged?: () => void }) => {
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const loaded = useLoad(`care-plan:${personId}:${reload}`, () => api.carePlan(personId));
  const refresh = () => (setEditing(false), setReload((n) => n + 1));
  const today = new Date().toISOString().slice(0, 10);
  if (loaded.error) {
    return loaded.error instanceof ApiError && loaded.error.status === 403 ? (
      <p className="notice" data-testid="care-plan-refused">
        {loaded.error.message}
      </p>
    ) : (
      <Problem error={loaded.error} />
    );
  }
  if (!loaded.data) return <p className="loading">Loading the care plan…</p>;
  const plan = loaded.data.plan;
  const active = plan?.status === 'active' ? plan : null;
  return (
    <div data-testid="care-plan">
      {conflict && <ConflictNotice message={conflict} reloadLabel="Reload the plan" onReload={() => (setConflict(null), refresh())} />}
      {editing ? (
        <PlanForm
          initial={active ? toInput(active) : blank(today)}
          submitLabel={active ? 'Save the plan' : 'Start the plan'}
          onCancel={() => setEditing(false)}
          onSubmit={async (p) => {
            const save = () => (active ? api.updateCarePlan(personId, { ...p, version: active.version }) : api.createCarePlan(personId, p));
            if (await saveOrConflict(save, setConflict)) (refresh(), onChanged?.());
          }}
        />
      ) : active ? (
        <>
          <dl className="grid">
            <dt>What matters</dt>
            <dd>{active.whatMatters}</dd>
            <dt>Goals</dt>
            <dd>
              {active.goals.length === 0 ? 'None yet' : (
                <ul>
                  {active.goals.map((g, i) => (
                    <li key={i}>
                      {g.goal} ({GOAL_STATUS[g.status].toLowerCase()})
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Support</dt>
            <dd>
              {active.support.length === 0 ? 'None recorded' : (
                <ul>
                  {active.support.map((s, i) => (
                    <li key={i}>
                      {s.who}: {s.what}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>If things get worse</dt>
            <dd>{active.contingency || '–'}</dd>
            <dt>Review</dt>
            <dd>
              {fmtDate(active.reviewDate)} {active.reviewDue && <OverdueBadge label="Review due" />}{' '}
              <RaiseTaskButton personId={active.personId} source="plan-review" sourceRef={String(active.id)} />
            </dd>
            <dt>Shared</dt>
            <dd>{active.consentToShare ? 'With the team around the person' : `Not yet: only ${active.createdBy} can read it`}</dd>
          </dl>
          <p className="note">
            <VersionNote r={active} />.
          </p>
          <button type="button" onClick={() => setEditing(true)}>
            Change the plan
          </button>
        </>
      ) : (
        <>
          <p>{plan ? 'The last plan is closed.' : 'No care and support plan yet.'}</p>
          <button type="button" onClick={() => setEditing(true)}>
            Start a care plan
          </button>
        </>
      )}
    </div>
  );
};
