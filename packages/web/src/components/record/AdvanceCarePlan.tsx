/**
 * The advance care plan and end-of-life preferences, as an EPaCCS record holds them: where the
 * person would like to be cared for and to die, the CPR decision (DNACPR) with its date and who
 * made it, a lasting power of attorney, an advance decision to refuse treatment, the ceiling of
 * care, their wishes, and when and with whom it was discussed. Each change is a new version; a
 * change to an old version is refused and says who changed it.
 */
import { useState } from 'react';
import { api, type AdvanceCarePlanInput, type AdvanceCarePlanResponse } from '../../api.js';
import { fmtDate } from '../../format.js';
import { FormFooter, Options, Problem, useLoad, useSubmit } from '../common.js';
import { ConflictNotice, saveOrConflict } from '../delivery.js';
import { VersionNote } from '../register.js';

type Plan = NonNullable<AdvanceCarePlanResponse['plan']>;
const YES_NO = [
  { id: 'not-known', label: 'Not known' },
  { id: 'yes', label: 'Yes' },
  { id: 'no', label: 'No' },
];
const yesNo = (v: string) => YES_NO.find((x) => x.id === v)?.label ?? v;

const blank = (today: string): AdvanceCarePlanInput => ({
  preferredPlaceOfCare: 'not-discussed',
  preferredPlaceOfDeath: 'not-discussed',
  placeDetails: '',
  cpr: { decision: 'not-recorded', decidedOn: null, decidedBy: '', formLocation: '' },
  lastingPowerOfAttorney: { healthAndWelfare: 'not-known', attorneys: '' },
  advanceDecisionToRefuseTreatment: 'not-known',
  ceilingOfCare: 'not-discussed',
  ceilingDetails: '',
  wishes: '',
  discussedOn: today,
  discussedWith: '',
  consentToShare: false,
});

const PlanForm = ({ initial, choices, submitLabel, onSubmit, onCancel }: { initial: AdvanceCarePlanInput; choices: AdvanceCarePlanResponse['choices']; submitLabel: string; onSubmit: (p: AdvanceCarePlanInput) => Promise<void>; onCancel: () => void }) => {
  const [p, setP] = useState<AdvanceCarePlanInput>(initial);
  const { submit, error, busy } = useSubmit(() => onSubmit(p));
  const set = <K extends keyof AdvanceCarePlanInput>(k: K, v: AdvanceCarePlanInput[K]) => setP((x) => ({ ...x, [k]: v }));
  return (
    <form className="form grid-form no-print" onSubmit={submit} aria-label="Advance care plan" data-testid="acp-form">
      <label htmlFor="acp-care">Preferred place of care</label>
      <select id="acp-care" value={p.preferredPlaceOfCare} onChange={(e) => set('preferredPlaceOfCare', e.target.value as AdvanceCarePlanInput['preferredPlaceOfCare'])}>
        <Options items={choices.placesOfCare} />
      </select>
      <label htmlFor="acp-death">Preferred place of death</label>
      <select id="acp-death" value={p.preferredPlaceOfDeath} onChange={(e) => set('preferredPlaceOfDeath', e.target.value as AdvanceCarePlanInput['preferredPlaceOfDeath'])}>
        <Options items={choices.placesOfCare} />
      </select>
      <label htmlFor="acp-places">About these places</label>
      <input id="acp-places" value={p.placeDetails} onChange={(e) => set('placeDetails', e.target.value)} maxLength={1000} />
      <label htmlFor="acp-cpr">CPR decision</label>
      <select id="acp-cpr" value={p.cpr.decision} onChange={(e) => set('cpr', { ...p.cpr, decision: e.target.value as AdvanceCarePlanInput['cpr']['decision'] })}>
        <Options items={choices.cprDecisions} />
      </select>
      <label htmlFor="acp-cpr-date">Date of the CPR decision</label>
      <input id="acp-cpr-date" type="date" value={p.cpr.decidedOn ?? ''} onChange={(e) => set('cpr', { ...p.cpr, decidedOn: e.target.value || null })} />
      <label htmlFor="acp-cpr-by">Made by (name and role)</label>
      <input id="acp-cpr-by" value={p.cpr.decidedBy} onChange={(e) => set('cpr', { ...p.cpr, decidedBy: e.target.value })} maxLength={200} />
      <label htmlFor="acp-cpr-form">Where the form is kept</label>
      <input id="acp-cpr-form" value={p.cpr.formLocation} onChange={(e) => set('cpr', { ...p.cpr, formLocation: e.target.value })} maxLength={300} />
      <label htmlFor="acp-lpa">Lasting power of attorney for health and welfare</label>
      <select id="acp-lpa" value={p.lastingPowerOfAttorney.healthAndWelfare} onChange={(e) => set('lastingPowerOfAttorney', { ...p.lastingPowerOfAttorney, healthAndWelfare: e.target.value as 'yes' | 'no' | 'not-known' })}>
        <Options items={YES_NO} />
      </select>
      <label htmlFor="acp-attorneys">Attorneys and how to reach them</label>
      <input id="acp-attorneys" value={p.lastingPowerOfAttorney.attorneys} onChange={(e) => set('lastingPowerOfAttorney', { ...p.lastingPowerOfAttorney, attorneys: e.target.value })} maxLength={500} />
      <label htmlFor="acp-adrt">Advance decision to refuse treatment</label>
      <select id="acp-adrt" value={p.advanceDecisionToRefuseTreatment} onChange={(e) => set('advanceDecisionToRefuseTreatment', e.target.value as 'yes' | 'no' | 'not-known')}>
        <Options items={YES_NO} />
      </select>
      <label htmlFor="acp-ceiling">Ceiling of care</label>
      <select id="acp-ceiling" value={p.ceilingOfCare} onChange={(e) => set('ceilingOfCare', e.target.value as AdvanceCarePlanInput['ceilingOfCare'])}>
        <Options items={choices.ceilingsOfCare} />
      </select>
      <label htmlFor="acp-ceiling-details">About the ceiling of care</label>
      <input id="acp-ceiling-details" value={p.ceilingDetails} onChange={(e) => set('ceilingDetails', e.target.value)} maxLength={1000} />
      <label htmlFor="acp-wishes">Wishes, in the person's words</label>
      <textarea id="acp-wishes" rows={3} value={p.wishes} onChange={(e) => set('wishes', e.target.value)} maxLength={2000} />
      <label htmlFor="acp-discussed">Discussed on</label>
      <input id="acp-discussed" type="date" value={p.discussedOn} onChange={(e) => set('discussedOn', e.target.value)} required />
      <label htmlFor="acp-with">Discussed with</label>
      <input id="acp-with" value={p.discussedWith} onChange={(e) => set('discussedWith', e.target.value)} maxLength={300} />
      <label className="span">
        <input type="checkbox" checked={p.consentToShare} onChange={(e) => set('consentToShare', e.target.checked)} /> The person agrees that this record is shared with the services caring for them
      </label>
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

const toInput = ({ plan }: Plan): AdvanceCarePlanInput => ({ ...plan, cpr: { ...plan.cpr }, lastingPowerOfAttorney: { ...plan.lastingPowerOfAttorney } });

/** The plan as read (no loading): what the record shows, and what prints. */
export const AdvanceCarePlanView = ({ plan }: { plan: Plan }) => {
  const p = plan.plan;
  return (
    <dl className="grid" data-testid="acp">
      <dt>Preferred place of care</dt>
      <dd>{plan.labels.preferredPlaceOfCare}</dd>
      <dt>Preferred place of death</dt>
      <dd>
        {plan.labels.preferredPlaceOfDeath}
        {p.placeDetails ? ` (${p.placeDetails})` : ''}
      </dd>
      <dt>CPR</dt>
      <dd data-testid="acp-cpr">
        <strong>{plan.labels.cpr}</strong>
        {p.cpr.decidedOn ? `, decided ${fmtDate(p.cpr.decidedOn)}` : ''}
        {p.cpr.decidedBy ? ` by ${p.cpr.decidedBy}` : ''}
        {p.cpr.formLocation ? `; form: ${p.cpr.formLocation}` : ''}
      </dd>
      <dt>Lasting power of attorney (health and welfare)</dt>
      <dd>
        {yesNo(p.lastingPowerOfAttorney.healthAndWelfare)}
        {p.lastingPowerOfAttorney.attorneys ? `: ${p.lastingPowerOfAttorney.attorneys}` : ''}
      </dd>
      <dt>Advance decision to refuse treatment</dt>
      <dd>{yesNo(p.advanceDecisionToRefuseTreatment)}</dd>
      <dt>Ceiling of care</dt>
      <dd>
        {plan.labels.ceilingOfCare}
        {p.ceilingDetails ? ` (${p.ceilingDetails})` : ''}
      </dd>
      <dt>Wishes</dt>
      <dd>{p.wishes || '–'}</dd>
      <dt>Discussed</dt>
      <dd>
        {fmtDate(p.discussedOn)}
        {p.discussedWith ? ` with ${p.discussedWith}` : ''}
      </dd>
      <dt>Shared</dt>
      <dd>{p.consentToShare ? 'The person agrees to share it with the services caring for them' : 'Consent to share not recorded'}</dd>
    </dl>
  );
};

export const AdvanceCarePlanSection = ({ personId, plan, today, onChanged }: { personId: string; plan: Plan | null; today: string; onChanged: () => void }) => {
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  // The form's choices and the versions: read when the team opens the form.
  const loaded = useLoad(`acp:${personId}:${editing}:${reload}`, () => (editing ? api.advanceCarePlan(personId) : Promise.resolve(null)));
  return (
    <div data-testid="record-acp">
      {conflict && <ConflictNotice message={conflict} reloadLabel="Reload the plan" onReload={() => (setConflict(null), setReload((n) => n + 1), onChanged())} />}
      {editing ? (
        loaded.error ? (
          <Problem error={loaded.error} />
        ) : !loaded.data ? (
          <p className="loading">Loading…</p>
        ) : (
          <PlanForm
            initial={loaded.data.plan ? toInput(loaded.data.plan) : blank(today)}
            choices={loaded.data.choices}
            submitLabel={loaded.data.plan ? 'Save a new version' : 'Record the plan'}
            onCancel={() => setEditing(false)}
            onSubmit={async (p) => {
              const version = loaded.data?.plan?.version ?? 0;
              if (await saveOrConflict(() => api.saveAdvanceCarePlan(personId, p, version), setConflict)) (setEditing(false), onChanged());
            }}
          />
        )
      ) : plan ? (
        <>
          <AdvanceCarePlanView plan={plan} />
          <p className="note">
            <VersionNote r={plan} />.
          </p>
          <button type="button" className="secondary no-print" onClick={() => setEditing(true)}>
            Change the advance care plan
          </button>
        </>
      ) : (
        <>
          <p>No advance care plan recorded.</p>
          <button type="button" className="secondary no-print" onClick={() => setEditing(true)}>
            Record an advance care plan
          </button>
        </>
      )}
    </div>
  );
};
