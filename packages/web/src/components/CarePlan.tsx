/**
 * A person's care and support plan, for the neighbourhood team around them: what matters to the
 * person (in their words), goals, who helps with what, what to do if things get worse, consent to
 * share, and the review date. Read, start or change it; a stale change is refused and says so.
 */
import { useState } from 'react';
import { api, ApiError, type CarePlan, type CarePlanInput } from '../api.js';
import { FormFooter, Problem, useLoad } from './common.js';
import { ConflictNotice, fmtDate, saveOrConflict } from './delivery.js';

const GOAL_STATUS: Record<CarePlanInput['goals'][number]['status'], string> = { 'working-on': 'Working on it', achieved: 'Achieved', changed: 'Changed' };

const blank = (today: string): CarePlanInput => ({ whatMatters: '', goals: [], support: [], contingency: '', consentToShare: false, reviewDate: today, status: 'active' });
const toInput = (p: CarePlan): CarePlanInput => ({ whatMatters: p.whatMatters, goals: p.goals, support: p.support, contingency: p.contingency, consentToShare: p.consentToShare, reviewDate: p.reviewDate, status: p.status });

const PlanForm = ({ initial, submitLabel, onSubmit, onCancel }: { initial: CarePlanInput; submitLabel: string; onSubmit: (p: CarePlanInput) => Promise<void>; onCancel: () => void }) => {
  const [p, setP] = useState<CarePlanInput>(initial);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof CarePlanInput>(k: K, v: CarePlanInput[K]) => setP((x) => ({ ...x, [k]: v }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await onSubmit(p);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="care-plan-form">
      <label htmlFor="plan-matters">What matters to the person (their words)</label>
      <textarea id="plan-matters" rows={3} value={p.whatMatters} onChange={(e) => set('whatMatters', e.target.value)} required maxLength={2000} />
      <fieldset className="span">
        <legend>Goals</legend>
        {p.goals.map((g, i) => (
          <div key={i} className="row-inputs">
            <label className="visually-hidden" htmlFor={`plan-goal-${i}`}>
              Goal {i + 1}
            </label>
            <input id={`plan-goal-${i}`} value={g.goal} onChange={(e) => set('goals', p.goals.map((x, j) => (j === i ? { ...x, goal: e.target.value } : x)))} required maxLength={500} />
            <label className="visually-hidden" htmlFor={`plan-goal-status-${i}`}>
              Status of goal {i + 1}
            </label>
            <select id={`plan-goal-status-${i}`} value={g.status} onChange={(e) => set('goals', p.goals.map((x, j) => (j === i ? { ...x, status: e.target.value as typeof g.status } : x)))}>
              {Object.entries(GOAL_STATUS).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
            <button type="button" className="secondary small" onClick={() => set('goals', p.goals.filter((_, j) => j !== i))} aria-label={`Remove goal ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary small" onClick={() => set('goals', [...p.goals, { goal: '', status: 'working-on' }])}>
          Add a goal
        </button>
      </fieldset>
      <fieldset className="span">
        <legend>Who helps with what</legend>
        {p.support.map((s, i) => (
          <div key={i} className="row-inputs">
            <label className="visually-hidden" htmlFor={`plan-who-${i}`}>
              Who, support {i + 1}
            </label>
            <input id={`plan-who-${i}`} placeholder="Who" value={s.who} onChange={(e) => set('support', p.support.map((x, j) => (j === i ? { ...x, who: e.target.value } : x)))} required maxLength={200} />
            <label className="visually-hidden" htmlFor={`plan-what-${i}`}>
              What, support {i + 1}
            </label>
            <input id={`plan-what-${i}`} placeholder="With what" value={s.what} onChange={(e) => set('support', p.support.map((x, j) => (j === i ? { ...x, what: e.target.value } : x)))} required maxLength={500} />
            <button type="button" className="secondary small" onClick={() => set('support', p.support.filter((_, j) => j !== i))} aria-label={`Remove support ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary small" onClick={() => set('support', [...p.support, { who: '', what: '' }])}>
          Add support
        </button>
      </fieldset>
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
              {fmtDate(active.reviewDate)} {active.reviewDue && <span className="badge overdue">Review due</span>}
            </dd>
            <dt>Shared</dt>
            <dd>{active.consentToShare ? 'With the team around the person' : `Not yet: only ${active.createdBy} can read it`}</dd>
          </dl>
          <p className="note">
            Version {active.version}, {active.updatedBy}, {active.updatedAt.slice(0, 10)}.
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
