/**
 * The scorecard ("one system scorecard" of the plans): for the chosen strategy, every measure under
 * its priority and ambition with its latest published value, baseline, target, where the trajectory
 * says it should be, and its status in words and colour. Open to everyone: published figures only.
 * Programme leads record the values of measures the data cannot provide, and complete or change
 * baselines and targets (each change a new version of the strategy, listed under the scorecard).
 * They also create a strategy for any board, and add or rename its priorities; each version can be
 * downloaded as a plan file, the interchange format.
 */
import { useRef, useState } from 'react';
import { DELIVERY_READERS as DELIVERY_READER_ROLES } from '@openphm/core';
import { api, type Me, type MeasureLinks, type ScorecardMeasure, type ScorecardResponse, type StrategyT } from '../api.js';
import { CsvButton, PngButton, Problem, TableHead, Toolbar, num, setHashParams, useLoad, useSubmit } from '../components/common.js';
import { BandBadge, RagBadge, StatusBadge, StatusSummary, StrategyPicker, TrajectoryChart, fmtValue } from '../components/delivery.js';
import { MeasureEditor, PlanHistory } from '../components/MeasureEditor.js';
import { NewStrategyForm } from '../components/NewStrategyForm.js';
import { AddAmbitionForm, AddMeasureForm, AddPriorityForm, EditAmbitionForm, EditDetailsForm, EditPriorityForm, RemoveForm } from '../components/StrategyShapeEditor.js';
import { fileSlug } from '../export.js';
import { fmtDate } from '../format.js';

const ValueForm = ({ strategy, measure, onSaved }: { strategy: string; measure: ScorecardMeasure; onSaved: () => void }) => {
  const [periodLabel, setPeriodLabel] = useState('');
  const [periodEnd, setPeriodEnd] = useState('');
  const [value, setValue] = useState('');
  const { submit: save, error } = useSubmit(async () => {
    await api.recordMeasureValue(strategy, measure.id, { periodLabel, periodEnd, value: Number(value), note: '' });
    setPeriodLabel('');
    setPeriodEnd('');
    setValue('');
    onSaved();
  });
  const id = `value-${measure.id}`;
  return (
    <form className="form inline wrap" onSubmit={save} aria-label={`Record a value of ${measure.title}`}>
      <label htmlFor={`${id}-label`}>Period</label>
      <input id={`${id}-label`} className="short" placeholder="2025/26" value={periodLabel} onChange={(e) => setPeriodLabel(e.target.value)} required />
      <label htmlFor={`${id}-end`}>ending</label>
      <input id={`${id}-end`} type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} required />
      <label htmlFor={`${id}-value`}>value ({measure.unit})</label>
      <input id={`${id}-value`} className="short" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} required aria-invalid={value !== '' && !Number.isFinite(Number(value))} />
      <button type="submit" className="small">
        Record
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
};

/** The owner's commentary on a measure: why it is where it is and what is being done (programme leads write it). */
const CommentaryForm = ({ strategy, measure, onSaved }: { strategy: string; measure: ScorecardMeasure; onSaved: () => void }) => {
  const [text, setText] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await api.writeCommentary(strategy, measure.id, text);
    setText('');
    onSaved();
  });
  const id = `commentary-${measure.id}`;
  return (
    <form className="form" onSubmit={submit} aria-label={`Write the commentary on ${measure.title}`}>
      <label htmlFor={id}>Owner's commentary: why it is where it is, and what is being done</label>
      <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} required maxLength={4000} />
      <button type="submit" className="small" disabled={busy}>
        Save the commentary
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
};

/** What addresses a measure: the actions meant to move it, the risks threatening it, and its owner's latest commentary. */
const MeasureResponse = ({ links }: { links: MeasureLinks }) => (
  <div className="measure-links" data-testid={`measure-links-${links.measureId}`}>
    <h4>What is being done</h4>
    {links.actions.length === 0 ? (
      <p className="note">No action in the action plan names this measure.</p>
    ) : (
      <ul>
        {links.actions.map((a) => (
          <li key={a.id}>
            <RagBadge rag={a.rag} /> {a.title} <span className="note">({a.lead}{a.overdue ? ', overdue' : ''}{a.status !== 'open' ? `, ${a.status}` : ''})</span>
          </li>
        ))}
      </ul>
    )}
    {links.risks.length > 0 && (
      <ul aria-label="Risks to this measure">
        {links.risks.map((r) => (
          <li key={r.id}>
            <BandBadge band={r.band} label={`${r.band[0]!.toUpperCase()}${r.band.slice(1)} ${r.score}`} /> {r.title} <span className="note">({r.owner}{r.status !== 'open' ? `, ${r.status}` : ''})</span>
            {r.addressedBy.length > 0 && <div className="note">Addressed by: {r.addressedBy.join('; ')}</div>}
          </li>
        ))}
      </ul>
    )}
    {links.commentary && (
      <blockquote data-testid={`commentary-${links.measureId}`}>
        {links.commentary.text}
        <div className="note">
          {links.commentary.writtenBy}, {fmtDate(links.commentary.writtenAt.slice(0, 10))}
        </div>
      </blockquote>
    )}
  </div>
);

const MeasureRow = ({
  m,
  strategy,
  version,
  canRecord,
  links,
  onChanged,
  onRemoved,
}: {
  m: ScorecardMeasure;
  strategy: string;
  version: number;
  canRecord: boolean;
  links: MeasureLinks | undefined;
  onChanged: () => void;
  onRemoved: (saved: { version: number; changes: string[] }) => void;
}) => {
  const chart = useRef<SVGSVGElement>(null);
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [saved, setSaved] = useState<{ version: number; changes: string[] } | null>(null);
  const latest = m.latest;
  const more = canRecord ? (m.source.kind === 'manual' ? 'chart, values and targets' : 'chart and targets') : 'chart';
  return (
    <>
      <tr data-testid={`measure-${m.id}`}>
        <th scope="row">
          {m.title}
          <div className="note">
            {m.areaName} · {m.sourceLabel}
            {m.owner ? ` · ${m.owner}` : ''}
          </div>
          {m.note && <div className="note">{m.note}</div>}
        </th>
        <td className="num">
          {latest ? (
            <>
              <strong>{fmtValue(latest.value, m.unit)}</strong>
              <div className="note">
                {latest.label}
                {latest.lower95 !== null && latest.upper95 !== null ? ` (95% CI ${fmtValue(latest.lower95, m.unit)} to ${fmtValue(latest.upper95, m.unit)})` : ''}
              </div>
            </>
          ) : (
            '–'
          )}
        </td>
        <td className="num">{m.baseline ? <>{fmtValue(m.baseline.value, m.unit)}<div className="note">{m.baseline.label}</div></> : 'To be agreed'}</td>
        <td className="num">{m.target ? <>{fmtValue(m.target.value, m.unit)}<div className="note">by {fmtDate(m.target.date)}</div></> : 'To be agreed'}</td>
        <td className="num">{m.expected !== null ? fmtValue(m.expected, m.unit) : '–'}</td>
        <td>
          <StatusBadge status={m.status} />
          {m.reasons.length > 0 && <div className="note">{m.reasons.join('; ')}</div>}
          {m.significantChange !== null && m.status !== 'incomplete' && (
            <div className="note">{m.significantChange ? 'Change since baseline is statistically significant.' : 'Change since baseline is within the 95% CI.'}</div>
          )}
          {links && (links.actions.length > 0 || links.risks.length > 0) && (
            <div className="note">
              {[links.actions.length > 0 ? `${links.actions.length} action${links.actions.length === 1 ? '' : 's'}` : null, links.risks.length > 0 ? `${links.risks.length} risk${links.risks.length === 1 ? '' : 's'}` : null]
                .filter((x) => x !== null)
                .join(' · ')}
            </div>
          )}
        </td>
        <td>
          <button type="button" className="secondary small" aria-expanded={open} aria-controls={`more-${m.id}`} onClick={() => setOpen((o) => !o)} aria-label={`${open ? 'Hide' : 'Show'} the ${more} of ${m.title}`}>
            {open ? 'Hide' : 'Show'} {more}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={`more-${m.id}`} className="expanded">
          <td colSpan={7}>
            <TrajectoryChart ref={chart} measure={m} />
            <Toolbar>
              <PngButton target={() => chart.current} filename={`${fileSlug(strategy)}-${fileSlug(m.id)}.png`} />
            </Toolbar>
            {links && <MeasureResponse links={links} />}
            {canRecord && <CommentaryForm strategy={strategy} measure={m} onSaved={onChanged} />}
            {canRecord && m.source.kind === 'manual' && <ValueForm strategy={strategy} measure={m} onSaved={onChanged} />}
            {saved && (
              <div className="notice" role="status" data-testid={`measure-saved-${m.id}`}>
                Saved as version {saved.version} of the strategy: {saved.changes.join(' ')}
              </div>
            )}
            {canRecord &&
              (editing ? (
                <MeasureEditor
                  strategy={strategy}
                  strategyVersion={version}
                  measure={m}
                  onCancel={() => setEditing(false)}
                  onSaved={(result) => {
                    setEditing(false);
                    setSaved(result);
                    onChanged();
                  }}
                />
              ) : removing ? (
                <RemoveForm
                  strategy={strategy}
                  version={version}
                  change={{ kind: 'remove-measure', measureId: m.id }}
                  what={`the measure "${m.title}"`}
                  onCancel={() => setRemoving(false)}
                  onSaved={(result) => (setRemoving(false), onRemoved(result))}
                />
              ) : (
                <div className="toolbar">
                  <button type="button" className="secondary small" onClick={() => setEditing(true)}>
                    Change the baseline, target, owner or note
                  </button>
                  <button type="button" className="secondary small" onClick={() => setRemoving(true)}>
                    Remove this measure
                  </button>
                </div>
              ))}
          </td>
        </tr>
      )}
    </>
  );
};

const csvRows = (data: ScorecardResponse) =>
  data.measures.map((m) => [m.priorityId, m.ambitionId, m.id, m.title, m.areaName, m.unit, m.latest?.label ?? '', m.latest?.value ?? '', m.baseline?.value ?? '', m.baseline?.label ?? '', m.target?.value ?? '', m.target?.date ?? '', m.expected ?? '', m.statusLabel, m.reasons.join('; ')]);

/** Which change to the strategy's shape is being made, and where. */
type ShapeEdit = { kind: 'add-ambition' | 'edit-priority' | 'remove-priority'; priorityId: string } | { kind: 'add-measure' | 'edit-ambition' | 'remove-ambition'; ambitionId: string } | { kind: 'add-priority' | 'edit-details' } | null;

const StrategyScorecard = ({ strategy, me, onNewVersion }: { strategy: StrategyT; me: Me; onNewVersion: () => void }) => {
  const [reload, setReload] = useState(0);
  const [shapeEdit, setShapeEdit] = useState<ShapeEdit>(null);
  const [lastChange, setLastChange] = useState<{ version: number; changes: string[] } | null>(null);
  const card = useLoad(`scorecard:${strategy.id}:${reload}`, () => api.scorecard(strategy.id), true);
  // Actions, risks and commentary are operational records: signed-in delivery readers only (the public sees the published scorecard).
  const readsLinks = (DELIVERY_READER_ROLES as readonly string[]).includes(me.role);
  const links = useLoad(`measure-links:${strategy.id}:${reload}:${readsLinks}`, () => (readsLinks ? api.measureLinks(strategy.id) : Promise.resolve({ measures: [] })), true);
  const linksOf = (id: string) => links.data?.measures.find((x) => x.measureId === id);
  if (card.error) return <Problem error={card.error} />;
  // While a reload after a change is on its way the last scorecard stays (of this strategy only).
  if (!card.data || card.data.strategy.id !== strategy.id) return <p className="loading">Computing the scorecard…</p>;
  const data = card.data;
  const canRecord = me.role === 'programme';
  const changed = () => (setReload((n) => n + 1), onNewVersion());
  const shapeProps = {
    strategy: strategy.id,
    version: data.strategy.version,
    onCancel: () => setShapeEdit(null),
    onSaved: (saved: { version: number; changes: string[] }) => (setShapeEdit(null), setLastChange(saved), changed()),
  };
  const editing = (kind: NonNullable<ShapeEdit>['kind'], id: string) => shapeEdit?.kind === kind && ('priorityId' in shapeEdit ? shapeEdit.priorityId : 'ambitionId' in shapeEdit ? shapeEdit.ambitionId : '') === id;
  return (
    <>
      <p>{strategy.description}</p>
      {lastChange && (
        <div className="notice" role="status" data-testid="strategy-saved">
          Saved as version {lastChange.version} of the strategy: {lastChange.changes.join(' ')}
        </div>
      )}
      {canRecord &&
        (shapeEdit?.kind === 'edit-details' ? (
          <section className="panel">
            <EditDetailsForm {...shapeProps} details={{ title: strategy.title, board: strategy.board, description: strategy.description, period: strategy.period }} />
          </section>
        ) : (
          <div className="toolbar">
            <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'edit-details' })}>
              Change the title, board, description or period
            </button>
          </div>
        ))}
      <StatusSummary counts={data.summary} testId="status-summary" />
      <Toolbar>
        <CsvButton
          filename={`scorecard-${fileSlug(strategy.id)}.csv`}
          columns={['priority', 'ambition', 'measure_id', 'measure', 'area', 'unit', 'latest_period', 'latest_value', 'baseline', 'baseline_period', 'target', 'target_date', 'trajectory_now', 'status', 'reasons']}
          rows={() => csvRows(data)}
        />
        <a className="button secondary" href={api.strategyFileUrl(strategy.id, data.strategy.version)} download={`${strategy.id}.json`} data-testid="plan-file">
          Download the plan file (version {data.strategy.version})
        </a>
      </Toolbar>
      {strategy.priorities.map((p) => (
        <section key={p.id} className="panel" aria-labelledby={`priority-${p.id}`}>
          <h2 id={`priority-${p.id}`}>{p.title}</h2>
          {canRecord &&
            (editing('edit-priority', p.id) ? (
              <EditPriorityForm {...shapeProps} priorityId={p.id} title={p.title} />
            ) : editing('remove-priority', p.id) ? (
              <RemoveForm {...shapeProps} change={{ kind: 'remove-priority', priorityId: p.id }} what={`the priority "${p.title}"`} />
            ) : (
              <div className="toolbar">
                <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'edit-priority', priorityId: p.id })} aria-label={`Rename the priority ${p.title}`}>
                  Rename the priority
                </button>
                <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'remove-priority', priorityId: p.id })} aria-label={`Remove the priority ${p.title}`}>
                  Remove the priority
                </button>
              </div>
            ))}
          {p.ambitions.map((a) => {
            const measures = data.measures.filter((m) => m.ambitionId === a.id);
            return (
              <div key={a.id} data-testid={`ambition-${a.id}`}>
                <h3>{a.title}</h3>
                {a.description && <p className="note">{a.description}</p>}
                {canRecord && (
                  <div className="toolbar">
                    <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'add-measure', ambitionId: a.id })}>
                      Add a measure
                    </button>
                    <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'edit-ambition', ambitionId: a.id })} aria-label={`Rename ${a.title}`}>
                      Rename
                    </button>
                    <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'remove-ambition', ambitionId: a.id })} aria-label={`Remove ${a.title}`}>
                      Remove
                    </button>
                  </div>
                )}
                {editing('add-measure', a.id) && <AddMeasureForm {...shapeProps} ambitionId={a.id} ambitionTitle={a.title} />}
                {editing('edit-ambition', a.id) && <EditAmbitionForm {...shapeProps} ambitionId={a.id} title={a.title} description={a.description} />}
                {editing('remove-ambition', a.id) && <RemoveForm {...shapeProps} change={{ kind: 'remove-ambition', ambitionId: a.id }} what={`the ambition "${a.title}"`} />}
                {measures.length === 0 ? (
                  <p className="note">No measures yet.</p>
                ) : (
                  <div className="table-scroll">
                    <table className="scorecard-table">
                      <TableHead columns={['Measure', num('Latest'), num('Baseline'), num('Target'), num('Trajectory now'), 'Status', 'More']} />
                      <tbody>
                        {measures.map((m) => (
                          <MeasureRow key={m.id} m={m} strategy={strategy.id} version={data.strategy.version} canRecord={canRecord} links={linksOf(m.id)} onChanged={changed} onRemoved={shapeProps.onSaved} />
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </div>
            );
          })}
          {canRecord &&
            (editing('add-ambition', p.id) ? (
              <AddAmbitionForm {...shapeProps} priorityId={p.id} priorityTitle={p.title} />
            ) : (
              <button type="button" className="secondary small" onClick={() => setShapeEdit({ kind: 'add-ambition', priorityId: p.id })} aria-label={`Add an ambition to ${p.title}`}>
                Add an ambition
              </button>
            ))}
        </section>
      ))}
      {canRecord &&
        (shapeEdit?.kind === 'add-priority' ? (
          <section className="panel">
            <AddPriorityForm {...shapeProps} />
          </section>
        ) : (
          <div className="toolbar">
            <button type="button" className="secondary" onClick={() => setShapeEdit({ kind: 'add-priority' })}>
              Add a priority
            </button>
          </div>
        ))}
      <p className="note">
        Status: <strong>target met</strong> when the latest value is at least as good as the target; <strong>target missed</strong> when the target date has
        passed and the value for it had not reached it; <strong>on track</strong> when at least as good as the straight line from baseline to target at the
        latest value's date. Behind that line, the 95% confidence interval decides: <strong>worse than baseline</strong> when it is all worse than the baseline,{' '}
        <strong>off track</strong> when it is all behind the line, and <strong>no significant change</strong> when it reaches both (the data cannot tell). A
        measure without a baseline, a target or a recent value is <strong>incomplete</strong> and says what it lacks. Disclosure control: {data.disclosure.rule}.
      </p>
      <details className="panel">
        <summary>
          <h2 className="inline">Versions of this strategy</h2> (version {data.strategy.version} is shown)
        </summary>
        <PlanHistory strategy={strategy.id} reload={reload} />
      </details>
    </>
  );
};

export const ScorecardPage = ({ me }: { me: Me }) => {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  // A new strategy reloads the list (a new picker) and shows it.
  const [generation, setGeneration] = useState(0);
  return (
    <>
      <h1>Scorecard</h1>
      <p className="lead">Progress against the partnership's strategies: each measure's latest value, baseline, target and trajectory.</p>
      {me.role === 'programme' &&
        (creating ? (
          <NewStrategyForm
            onCancel={() => setCreating(false)}
            onCreated={(id) => {
              setCreating(false);
              setCreated(id);
              setHashParams('scorecard', { strategy: id }, false);
              setGeneration((n) => n + 1);
            }}
          />
        ) : (
          <div className="toolbar">
            <button type="button" className="secondary" onClick={() => (setCreating(true), setCreated(null))}>
              New strategy for a board
            </button>
          </div>
        ))}
      {created && (
        <div className="notice" role="status" data-testid="strategy-created">
          Created the strategy '{created}' (version 1). Add its priorities, ambitions and measures below.
        </div>
      )}
      <StrategyPicker key={generation} page="scorecard">
        {(s, refresh) => <StrategyScorecard strategy={s} me={me} onNewVersion={refresh} />}
      </StrategyPicker>
    </>
  );
};
