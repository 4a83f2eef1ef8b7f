/**
 * Changing the shape of a strategy on the scorecard (programme leads): add a measure to an ambition
 * (from the indicator catalogue, an inequality in one, social prescribing referrals, or reported by
 * its owner), remove a measure, add an ambition to a priority, rename or remove an ambition. Each
 * change says why and makes a new version of the strategy; the server checks it as it checks a plan
 * file and names the field of any problem.
 */
import { useId, useState, type ReactNode } from 'react';
import { api, type StrategyChange } from '../api.js';
import { FormFooter, Options, useLoad, useSubmit } from './common.js';

/** An id from a title: lower-case words joined by hyphens. */
export const slugOf = (title: string): string =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');

export interface ChangeProps {
  readonly strategy: string;
  readonly version: number;
  readonly onSaved: (saved: { version: number; changes: string[] }) => void;
  readonly onCancel: () => void;
}

/** A form that sends one change with its reason; `build` turns the fields into the change (or throws a message). */
const ChangeForm = ({ strategy, version, onSaved, onCancel, label, submitLabel, build, children }: ChangeProps & { label: string; submitLabel: string; build: () => StrategyChange; children: ReactNode }) => {
  const [reason, setReason] = useState('');
  // build() throws a message when the fields do not make a change: shown like the server's refusals.
  const { submit, error, busy } = useSubmit(async () => onSaved(await api.changeStrategy(strategy, { strategyVersion: version, reason: reason.trim(), change: build() })));
  const id = useId().replace(/:/g, '');
  return (
    <form className="form grid-form" onSubmit={submit} aria-label={label} data-testid="strategy-change">
      {children}
      <label htmlFor={`reason-${id}`}>Why the change</label>
      <input id={`reason-${id}`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} placeholder="e.g. Agreed by the Health and Wellbeing Board, 12 November 2026" />
      <p className="note">Saving makes a new version of the strategy; earlier versions are kept.</p>
      <FormFooter submitLabel={submitLabel} onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

type SourceKind = 'indicator' | 'inequality' | 'social-prescribing' | 'manual';
type NewMeasure = Extract<StrategyChange, { kind: 'add-measure' }>['measure'];

export const AddMeasureForm = (props: ChangeProps & { ambitionId: string; ambitionTitle: string }) => {
  const [title, setTitle] = useState('');
  const [measureId, setMeasureId] = useState('');
  const [kind, setKind] = useState<SourceKind>('indicator');
  const [indicatorId, setIndicatorId] = useState('');
  const [statistic, setStatistic] = useState<'gap' | 'sii'>('gap');
  const [unit, setUnit] = useState('');
  const [area, setArea] = useState('');
  const [polarity, setPolarity] = useState('');
  const catalogue = useLoad('indicators', api.indicators);
  const geography = useLoad('geography', api.geography);
  const id = useId().replace(/:/g, '');
  const f = (name: string) => `measure-${name}-${id}`;
  const indicators = catalogue.data?.indicators ?? [];
  const chosen = indicators.find((i) => i.id === indicatorId);
  const build = (): StrategyChange => {
    const source =
      kind === 'indicator'
        ? { kind, indicatorId }
        : kind === 'inequality'
          ? { kind, indicatorId, statistic }
          : kind === 'manual'
            ? { kind, unit: unit.trim() }
            : { kind: 'social-prescribing' as const };
    return {
      kind: 'add-measure',
      ambitionId: props.ambitionId,
      measure: { id: measureId || slugOf(title), title: title.trim(), source, ...(area ? { area: area as NonNullable<NewMeasure['area']> } : {}), ...(polarity ? { polarity: polarity as 'higher-is-better' | 'lower-is-better' } : {}) },
    };
  };
  return (
    <ChangeForm {...props} label={`Add a measure to ${props.ambitionTitle}`} submitLabel="Add the measure" build={build}>
      <label htmlFor={f('title')}>Measure</label>
      <input id={f('title')} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={200} />
      <label htmlFor={f('id')}>Id</label>
      <input id={f('id')} value={measureId} placeholder={slugOf(title) || 'from the title'} onChange={(e) => setMeasureId(e.target.value)} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
      <label htmlFor={f('kind')}>Values from</label>
      <select id={f('kind')} value={kind} onChange={(e) => setKind(e.target.value as SourceKind)}>
        <option value="indicator">An outcome indicator</option>
        <option value="inequality">The inequality in an indicator across IMD deciles</option>
        <option value="social-prescribing">Social prescribing referrals per 1,000 adults</option>
        <option value="manual">Reported by the owner</option>
      </select>
      {(kind === 'indicator' || kind === 'inequality') && (
        <>
          <label htmlFor={f('indicator')}>Indicator</label>
          <select id={f('indicator')} value={indicatorId} onChange={(e) => setIndicatorId(e.target.value)} required>
            <option value="">Choose…</option>
            <Options items={indicators} label={(i) => i.title} />
          </select>
        </>
      )}
      {kind === 'inequality' && (
        <>
          <label htmlFor={f('statistic')}>Statistic</label>
          <select id={f('statistic')} value={statistic} onChange={(e) => setStatistic(e.target.value as 'gap' | 'sii')}>
            <option value="gap">Gap between the most and least deprived deciles</option>
            <option value="sii">Slope index of inequality</option>
          </select>
        </>
      )}
      {kind === 'manual' && (
        <>
          <label htmlFor={f('unit')}>Unit</label>
          <input id={f('unit')} value={unit} onChange={(e) => setUnit(e.target.value)} required maxLength={40} placeholder="%, people, years…" />
        </>
      )}
      <label htmlFor={f('area')}>Area</label>
      <select id={f('area')} value={area} onChange={(e) => setArea(e.target.value)}>
        <option value="">The strategy's area</option>
        <option value="ics">The whole partnership</option>
        <Options items={geography.data?.places.map((p) => ({ id: `place:${p.id}`, label: p.name }))} />
      </select>
      <label htmlFor={f('polarity')}>Better is</label>
      <select id={f('polarity')} value={polarity} onChange={(e) => setPolarity(e.target.value)}>
        <option value="">{chosen && chosen.polarity !== 'no-judgement' && kind === 'indicator' ? `As the indicator says (${chosen.polarity === 'higher-is-better' ? 'higher' : 'lower'})` : 'Not said'}</option>
        <option value="higher-is-better">Higher</option>
        <option value="lower-is-better">Lower</option>
      </select>
    </ChangeForm>
  );
};

/** An ambition's title and description, as added or renamed. */
const AmbitionFields = ({ title, setTitle, description, setDescription }: { title: string; setTitle: (t: string) => void; description: string; setDescription: (d: string) => void }) => {
  const id = useId().replace(/:/g, '');
  return (
    <>
      <label htmlFor={`ambition-title-${id}`}>Ambition</label>
      <input id={`ambition-title-${id}`} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} />
      <label htmlFor={`ambition-description-${id}`}>Description</label>
      <textarea id={`ambition-description-${id}`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={4000} />
    </>
  );
};

export const AddAmbitionForm = (props: ChangeProps & { priorityId: string; priorityTitle: string }) => {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  return (
    <ChangeForm
      {...props}
      label={`Add an ambition to ${props.priorityTitle}`}
      submitLabel="Add the ambition"
      build={() => ({ kind: 'add-ambition', priorityId: props.priorityId, ambition: { id: slugOf(title), title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}) } })}
    >
      <AmbitionFields title={title} setTitle={setTitle} description={description} setDescription={setDescription} />
    </ChangeForm>
  );
};

export const EditAmbitionForm = (props: ChangeProps & { ambitionId: string; title: string; description: string | null }) => {
  const [title, setTitle] = useState(props.title);
  const [description, setDescription] = useState(props.description ?? '');
  return (
    <ChangeForm {...props} label={`Rename ${props.title}`} submitLabel="Save" build={() => ({ kind: 'edit-ambition', ambitionId: props.ambitionId, title: title.trim(), description: description.trim() || null })}>
      <AmbitionFields title={title} setTitle={setTitle} description={description} setDescription={setDescription} />
    </ChangeForm>
  );
};

/** Removing a measure or an ambition: says what goes, and asks why. */
export const RemoveForm = (props: ChangeProps & { change: StrategyChange; what: string }) => (
  <ChangeForm {...props} label={`Remove ${props.what}`} submitLabel={`Remove ${props.what}`} build={() => props.change}>
    <p className="notice">Removed, {props.what} is no longer on the scorecard from the next version. Earlier versions, and anything reported against them, are kept.</p>
  </ChangeForm>
);

/** A new priority of the strategy, with its first ambition (a priority has at least one). */
export const AddPriorityForm = (props: ChangeProps) => {
  const [title, setTitle] = useState('');
  const [ambition, setAmbition] = useState('');
  const [description, setDescription] = useState('');
  const id = useId().replace(/:/g, '');
  return (
    <ChangeForm
      {...props}
      label="Add a priority"
      submitLabel="Add the priority"
      build={() => ({
        kind: 'add-priority',
        priority: { id: slugOf(title), title: title.trim(), ambition: { id: slugOf(ambition), title: ambition.trim(), ...(description.trim() ? { description: description.trim() } : {}) } },
      })}
    >
      <label htmlFor={`priority-title-${id}`}>Priority</label>
      <input id={`priority-title-${id}`} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} />
      <p className="note">A priority starts with one ambition; add more, and their measures, once it is saved.</p>
      <AmbitionFields title={ambition} setTitle={setAmbition} description={description} setDescription={setDescription} />
    </ChangeForm>
  );
};

export const EditPriorityForm = (props: ChangeProps & { priorityId: string; title: string }) => {
  const [title, setTitle] = useState(props.title);
  const id = useId().replace(/:/g, '');
  return (
    <ChangeForm {...props} label={`Rename ${props.title}`} submitLabel="Save" build={() => ({ kind: 'edit-priority', priorityId: props.priorityId, title: title.trim() })}>
      <label htmlFor={`priority-rename-${id}`}>Priority</label>
      <input id={`priority-rename-${id}`} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} />
    </ChangeForm>
  );
};

/** The strategy's own title, board, description and period (its area stays: its measures are reported for it). */
export const EditDetailsForm = (props: ChangeProps & { details: { title: string; board: string; description: string; period: { start: string; end: string } } }) => {
  const [title, setTitle] = useState(props.details.title);
  const [board, setBoard] = useState(props.details.board);
  const [description, setDescription] = useState(props.details.description);
  const [start, setStart] = useState(props.details.period.start);
  const [end, setEnd] = useState(props.details.period.end);
  const id = useId().replace(/:/g, '');
  return (
    <ChangeForm
      {...props}
      label="Change the strategy's title, board, description or period"
      submitLabel="Save"
      build={() => ({ kind: 'edit-details', title: title.trim(), board: board.trim(), description: description.trim(), period: { start, end } })}
    >
      <label htmlFor={`details-title-${id}`}>Title</label>
      <input id={`details-title-${id}`} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} />
      <label htmlFor={`details-board-${id}`}>Board</label>
      <input id={`details-board-${id}`} value={board} onChange={(e) => setBoard(e.target.value)} required minLength={3} maxLength={300} />
      <label htmlFor={`details-description-${id}`}>What it is for</label>
      <textarea id={`details-description-${id}`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} required minLength={3} maxLength={4000} />
      <label htmlFor={`details-start-${id}`}>From</label>
      <input id={`details-start-${id}`} type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
      <label htmlFor={`details-end-${id}`}>To</label>
      <input id={`details-end-${id}`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} required />
    </ChangeForm>
  );
};
