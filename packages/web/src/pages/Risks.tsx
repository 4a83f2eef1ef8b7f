/**
 * The risk register of a strategy: a 5 × 5 heat map of open risks (likelihood by impact, coloured by
 * band, with counts in words) and the register, most serious first, with controls, mitigations,
 * target score and review date. Programme leads add risks and rescore them; every change is kept.
 * Each risk names the priority it threatens, the measures it threatens and the actions that address it.
 */
import { useState } from 'react';
import { api, type Me, type PlanAction, type PlanRisk, type RiskInput, type RisksResponse, type StrategyT } from '../api.js';
import { FormFooter, Problem, useLoad, useSubmit } from '../components/common.js';
import { BAND_STYLE, BandBadge, MeasurePicker, StrategyPicker, changedFields, saveOrConflict } from '../components/delivery.js';
import { DueDate, RegisterTable, RegisterToolbar, UpdateButton, VersionNote, useRegister, type Column } from '../components/register.js';
import { fileSlug } from '../export.js';
import { fmtDate } from '../format.js';

const bandOfScore = (bands: RisksResponse['bands'], score: number) => bands.find((b) => score >= b.min && score <= b.max);

const Heatmap = ({ data }: { data: RisksResponse }) => (
  <table className="heatmap" data-testid="risk-heatmap">
    <caption>Open risks by likelihood and impact (number of risks in each cell; colour: band of the score)</caption>
    <thead>
      <tr>
        <td />
        {data.impactLabels.map((label, i) => (
          <th key={label} scope="col">
            Impact {i + 1}
            <div className="note">{label}</div>
          </th>
        ))}
      </tr>
    </thead>
    <tbody>
      {[5, 4, 3, 2, 1].map((l) => (
        <tr key={l}>
          <th scope="row">
            Likelihood {l}
            <div className="note">{data.likelihoodLabels[l - 1]}</div>
          </th>
          {[1, 2, 3, 4, 5].map((i) => {
            const band = bandOfScore(data.bands, l * i);
            const n = data.heatmap[l - 1]?.[i - 1] ?? 0;
            const style = BAND_STYLE[band?.id ?? 'low']!;
            return (
              <td key={i} className="cell" style={{ background: style.fill, color: style.text }} aria-label={`likelihood ${l}, impact ${i}: score ${l * i}, ${band?.label ?? ''}, ${n} risk${n === 1 ? '' : 's'}`}>
                <strong>{n > 0 ? n : ''}</strong>
                <span className="score">{l * i}</span>
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  </table>
);

const blank = (): RiskInput => ({ title: '', description: '', owner: '', likelihood: 3, impact: 3, targetLikelihood: null, targetImpact: null, controls: '', mitigations: '', reviewDate: '', status: 'open', priorityId: null, measureIds: [], actionIds: [] });
const toInput = (r: PlanRisk): RiskInput => ({
  title: r.title,
  description: r.description,
  owner: r.owner,
  likelihood: r.likelihood,
  impact: r.impact,
  targetLikelihood: r.targetLikelihood,
  targetImpact: r.targetImpact,
  controls: r.controls,
  mitigations: r.mitigations,
  reviewDate: r.reviewDate,
  status: r.status,
  priorityId: r.priorityId,
  measureIds: [...r.measureIds],
  actionIds: [...r.actionIds],
});
const changes = (before: RiskInput, after: RiskInput): Partial<RiskInput> => {
  const out = changedFields(before, after);
  // The target is one score: both halves travel together.
  if ('targetLikelihood' in out || 'targetImpact' in out) return { ...out, targetLikelihood: after.targetLikelihood, targetImpact: after.targetImpact };
  return out;
};

const Scale = ({ id, label, value, onChange, labels, optional = false }: { id: string; label: string; value: number | null; onChange: (v: number | null) => void; labels: readonly string[]; optional?: boolean }) => (
  <>
    <label htmlFor={id}>{label}</label>
    <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
      {optional && <option value="">(none)</option>}
      {labels.map((l, i) => (
        <option key={l} value={i + 1}>
          {i + 1} – {l}
        </option>
      ))}
    </select>
  </>
);

/** Ticks for the strategy's actions that address a risk (ids in the action plan's order). */
const ActionPicker = ({ actions, value, onChange }: { actions: readonly PlanAction[]; value: readonly number[]; onChange: (ids: number[]) => void }) => {
  if (actions.length === 0) return <p className="note">No actions in this strategy's plan yet to link.</p>;
  const toggle = (id: number, on: boolean) => onChange(actions.map((a) => a.id).filter((x) => (x === id ? on : value.includes(x))));
  return (
    <fieldset className="measure-picker" data-testid="action-picker">
      <legend>Actions that address this risk</legend>
      {actions.map((a) => (
        <label key={a.id} className="check">
          <input type="checkbox" checked={value.includes(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} /> {a.title} <span className="note">({a.lead}, due {fmtDate(a.dueDate)})</span>
        </label>
      ))}
    </fieldset>
  );
};

const RiskForm = ({ data, strategy, actions, initial, submitLabel, onSubmit, onCancel }: { data: RisksResponse; strategy: StrategyT; actions: readonly PlanAction[]; initial: RiskInput; submitLabel: string; onSubmit: (r: RiskInput) => Promise<void>; onCancel: () => void }) => {
  const [r, setR] = useState<RiskInput>(initial);
  const { submit, error } = useSubmit(() => onSubmit(r));
  const set = <K extends keyof RiskInput>(k: K, v: RiskInput[K]) => setR((x) => ({ ...x, [k]: v }));
  const score = r.likelihood * r.impact;
  const band = bandOfScore(data.bands, score);
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="risk-form">
      <label htmlFor="risk-title">Risk</label>
      <input id="risk-title" value={r.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} />
      <label htmlFor="risk-description">Cause and effect</label>
      <textarea id="risk-description" rows={2} value={r.description} onChange={(e) => set('description', e.target.value)} />
      <label htmlFor="risk-owner">Owner</label>
      <input id="risk-owner" value={r.owner} onChange={(e) => set('owner', e.target.value)} required />
      <Scale id="risk-likelihood" label="Likelihood" value={r.likelihood} onChange={(v) => set('likelihood', v ?? 1)} labels={data.likelihoodLabels} />
      <Scale id="risk-impact" label="Impact" value={r.impact} onChange={(v) => set('impact', v ?? 1)} labels={data.impactLabels} />
      <p className="note" aria-live="polite">
        Score {score}: {band?.label}
      </p>
      <Scale id="risk-target-likelihood" label="Target likelihood (after mitigation)" value={r.targetLikelihood} onChange={(v) => set('targetLikelihood', v)} labels={data.likelihoodLabels} optional />
      <Scale id="risk-target-impact" label="Target impact (after mitigation)" value={r.targetImpact} onChange={(v) => set('targetImpact', v)} labels={data.impactLabels} optional />
      <label htmlFor="risk-controls">Controls in place</label>
      <textarea id="risk-controls" rows={2} value={r.controls} onChange={(e) => set('controls', e.target.value)} />
      <label htmlFor="risk-mitigations">Further mitigations</label>
      <textarea id="risk-mitigations" rows={2} value={r.mitigations} onChange={(e) => set('mitigations', e.target.value)} />
      <label htmlFor="risk-review">Next review by</label>
      <input id="risk-review" type="date" value={r.reviewDate} onChange={(e) => set('reviewDate', e.target.value)} required />
      <label htmlFor="risk-status">Status</label>
      <select id="risk-status" value={r.status} onChange={(e) => set('status', e.target.value as RiskInput['status'])}>
        <option value="open">Open</option>
        <option value="closed">Closed</option>
      </select>
      <label htmlFor="risk-priority">Priority it threatens</label>
      <select id="risk-priority" value={r.priorityId ?? ''} onChange={(e) => set('priorityId', e.target.value || null)}>
        <option value="">(the strategy as a whole)</option>
        {strategy.priorities.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      <MeasurePicker strategy={strategy} value={r.measureIds} onChange={(ids) => set('measureIds', ids)} legend="Measures this risk threatens" />
      <ActionPicker actions={actions} value={r.actionIds} onChange={(ids) => set('actionIds', ids)} />
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} />
    </form>
  );
};

const StrategyRisks = ({ strategy, me }: { strategy: StrategyT; me: Me }) => {
  const register = useRegister(`risks:${strategy.id}`, () => api.risks(strategy.id));
  const { form, setForm, setConflict } = register;
  const canEdit = me.role === 'programme';
  // The action plan, to name the actions each risk links to (and to pick them).
  const plan = useLoad(`actions:${strategy.id}:${register.data?.risks.map((r) => r.version).join(',') ?? ''}`, () => api.actions(strategy.id), true);
  const actions = plan.data?.actions ?? [];
  const priorityTitle = (id: string | null) => (id === null ? null : (strategy.priorities.find((p) => p.id === id)?.title ?? id));
  const measureTitles = new Map(strategy.priorities.flatMap((p) => p.ambitions.flatMap((a) => a.measures.map((m) => [m.id, m.title] as const))));
  if (register.error) return <Problem error={register.error} />;
  if (!register.data) return <p className="loading">Loading the risk register…</p>;
  const data = register.data;
  const editing = typeof form === 'number' ? data.risks.find((r) => r.id === form) : undefined;
  const columns: readonly (Column<PlanRisk> | false)[] = [
    {
      heading: 'Risk',
      header: true,
      cell: (r) => (
        <>
          {r.title}
          {r.description && <div className="note">{r.description}</div>}
          {r.status === 'closed' && <div className="note">Closed</div>}
        </>
      ),
    },
    { heading: 'Owner', cell: (r) => r.owner },
    {
      heading: 'Threatens and addressed by',
      cell: (r) => (
        <div data-testid={`risk-links-${r.id}`}>
          <div>Priority: {priorityTitle(r.priorityId) ?? 'the strategy as a whole'}</div>
          {r.measureIds.length > 0 && <div>Measures: {r.measureIds.map((id) => measureTitles.get(id) ?? id).join('; ')}</div>}
          <div>Actions: {r.actionIds.length === 0 ? 'none linked' : r.actionIds.map((id) => actions.find((a) => a.id === id)?.title ?? `action ${id}`).join('; ')}</div>
        </div>
      ),
    },
    {
      heading: 'Score',
      num: true,
      cell: (r) => (
        <>
          {r.likelihood} × {r.impact} = <strong>{r.score}</strong>
          <div>
            <BandBadge band={r.band} label={data.bands.find((b) => b.id === r.band)?.label ?? r.band} />
          </div>
        </>
      ),
    },
    { heading: 'Target', num: true, cell: (r) => r.targetScore ?? '–' },
    {
      heading: 'Controls and mitigations',
      cell: (r) => (
        <>
          {r.controls && <div>Controls: {r.controls}</div>}
          {r.mitigations && <div>Mitigations: {r.mitigations}</div>}
        </>
      ),
    },
    {
      heading: 'Review',
      cell: (r) => (
        <>
          <DueDate date={r.reviewDate} late={r.reviewOverdue} label="Review overdue" />
          <div className="note">
            <VersionNote r={{ version: r.version, updatedBy: r.updatedBy }} />
          </div>
        </>
      ),
    },
    canEdit && { heading: 'Change', cell: (r) => <UpdateButton title={r.title} onClick={() => setForm(r.id)} /> },
  ];
  return (
    <>
      <div className="risk-layout">
        <Heatmap data={data} />
        <ul className="legend vertical" aria-label="Risk bands">
          {data.bands.map((b) => (
            <li key={b.id}>
              <BandBadge band={b.id} label={b.label} /> {b.min}-{b.max}: {data.risks.filter((r) => r.status === 'open' && r.band === b.id).length} open
            </li>
          ))}
        </ul>
      </div>
      <RegisterToolbar
        addLabel="Add a risk"
        onAdd={canEdit && form === null && (() => setForm('new'))}
        csv={{
          filename: `risks-${fileSlug(strategy.id)}.csv`,
          columns: ['id', 'risk', 'owner', 'likelihood', 'impact', 'score', 'band', 'target_score', 'controls', 'mitigations', 'review_date', 'review_overdue', 'status', 'priority', 'measure_ids', 'action_ids'],
          rows: () => data.risks.map((r) => [r.id, r.title, r.owner, r.likelihood, r.impact, r.score, r.band, r.targetScore ?? '', r.controls, r.mitigations, r.reviewDate, r.reviewOverdue, r.status, r.priorityId ?? '', r.measureIds.join(' '), r.actionIds.join(' ')]),
        }}
      />
      {register.conflictNotice('Reload the register')}
      {form !== null && (
        <div className="panel">
          <h2>{editing ? `Update: ${editing.title}` : 'New risk'}</h2>
          <RiskForm
            key={String(form)}
            data={data}
            strategy={strategy}
            actions={actions}
            initial={editing ? toInput(editing) : blank()}
            submitLabel={editing ? 'Save changes' : 'Add the risk'}
            onCancel={() => setForm(null)}
            onSubmit={async (r) => {
              const save = () => (editing ? api.updateRisk(editing.id, { ...changes(toInput(editing), r), version: editing.version }) : api.createRisk(strategy.id, r));
              if (await saveOrConflict(save, setConflict)) register.saved();
            }}
          />
        </div>
      )}
      <RegisterTable
        testId="risks-table"
        caption={<>Most serious first. Today is {fmtDate(data.today)}.</>}
        columns={columns}
        rows={data.risks}
        rowKey={(r) => r.id}
        rowTestId={(r) => `risk-${r.id}`}
        rowClass={(r) => (r.status === 'closed' ? 'closed' : undefined)}
      />
    </>
  );
};

export const RisksPage = ({ me }: { me: Me }) => (
  <>
    <h1>Risk register</h1>
    <p className="lead">Risks to delivery, scored likelihood × impact on a 5 × 5 matrix: critical 20-25, serious 15-16, high 8-12, moderate 4-6, low 1-3.</p>
    <StrategyPicker page="risks">{(s) => <StrategyRisks strategy={s} me={me} />}</StrategyPicker>
  </>
);
