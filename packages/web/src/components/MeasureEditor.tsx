/**
 * Changing a measure of a strategy (programme leads): its baseline (none, from the data for a
 * period, or stated), target (none, a value by a date, or a change on the baseline by a date),
 * polarity, owner and note, with the reason for the change. Saving makes a new version of the
 * strategy; the server checks it as it checks a plan file and names each bad field.
 * PlanHistory lists the versions with what changed, and links each as a plan file.
 */
import { useId, useState } from 'react';
import { api, type MeasureEdit, type ScorecardMeasure } from '../api.js';
import { fmtDate } from '../format.js';
import { FormFooter, Problem, TextList, useLoad, useSubmit } from './common.js';

type BaselineKind = 'none' | 'data' | 'stated';
type TargetKind = 'none' | 'absolute' | 'relative';

interface Draft {
  baselineKind: BaselineKind;
  dataPeriod: string;
  statedValue: string;
  statedDate: string;
  statedLabel: string;
  targetKind: TargetKind;
  targetValue: string;
  targetChange: string;
  targetDate: string;
  polarity: '' | 'higher-is-better' | 'lower-is-better';
  owner: string;
  note: string;
  reason: string;
}

const draftOf = (m: ScorecardMeasure): Draft => {
  const b = m.agreed.baseline;
  const t = m.agreed.target;
  return {
    baselineKind: b === null ? 'none' : b.kind,
    dataPeriod: b?.kind === 'data' ? b.periodLabel : (m.points[0]?.label ?? ''),
    statedValue: b?.kind === 'stated' ? String(b.value) : '',
    statedDate: b?.kind === 'stated' ? b.date : '',
    statedLabel: b?.kind === 'stated' ? b.label : '',
    targetKind: t === null ? 'none' : t.kind,
    targetValue: t?.kind === 'absolute' ? String(t.value) : '',
    // Shown as a percentage: -0.05 is "-5".
    targetChange: t?.kind === 'relative' ? String(Number((t.change * 100).toPrecision(12))) : '',
    targetDate: t?.date ?? '',
    polarity: m.agreed.polarity ?? '',
    owner: m.owner ?? '',
    note: m.note ?? '',
    reason: '',
  };
};

/** A number typed by a person, or an error naming the field. */
const numberIn = (text: string, field: string): number => {
  const v = Number(text.trim().replace(/,/g, ''));
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${field}: enter a number`);
  return v;
};

const editOf = (d: Draft, strategyVersion: number): MeasureEdit => ({
  strategyVersion,
  baseline:
    d.baselineKind === 'none'
      ? null
      : d.baselineKind === 'data'
        ? { kind: 'data', periodLabel: d.dataPeriod }
        : { kind: 'stated', value: numberIn(d.statedValue, 'Baseline value'), date: d.statedDate, label: d.statedLabel.trim() },
  target:
    d.targetKind === 'none'
      ? null
      : d.targetKind === 'absolute'
        ? { kind: 'absolute', value: numberIn(d.targetValue, 'Target value'), date: d.targetDate }
        : { kind: 'relative', change: numberIn(d.targetChange, 'Target change') / 100, date: d.targetDate },
  polarity: d.polarity === '' ? null : d.polarity,
  owner: d.owner.trim() === '' ? null : d.owner.trim(),
  note: d.note.trim() === '' ? null : d.note.trim(),
  reason: d.reason.trim(),
});

export const MeasureEditor = ({ strategy, strategyVersion, measure, onSaved, onCancel }: { strategy: string; strategyVersion: number; measure: ScorecardMeasure; onSaved: (saved: { version: number; changes: string[] }) => void; onCancel: () => void }) => {
  const [d, setD] = useState<Draft>(() => draftOf(measure));
  // editOf throws a message naming the field when a number is not one: shown like the server's refusals.
  const { submit, error, busy } = useSubmit(async () => onSaved(await api.editMeasure(strategy, measure.id, editOf(d, strategyVersion))));
  const formId = useId().replace(/:/g, '');
  const id = (f: string) => `measure-${f}-${formId}`;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const fromData = measure.source.kind !== 'manual';
  const periods = measure.points.map((p) => p.label);
  return (
    <form className="form grid-form" onSubmit={submit} data-testid={`measure-editor-${measure.id}`} aria-label={`Change ${measure.title}`}>
      <label htmlFor={id('baseline')}>Baseline</label>
      <div>
        <select id={id('baseline')} value={d.baselineKind} onChange={(e) => set('baselineKind', e.target.value as BaselineKind)}>
          <option value="none">To be agreed</option>
          {fromData && <option value="data">From the data, for a period</option>}
          <option value="stated">Stated in the plan</option>
        </select>
        {d.baselineKind === 'data' && (
          <>
            {' '}
            <label htmlFor={id('period')}>period</label>{' '}
            <select id={id('period')} aria-label="Baseline period in the data" value={d.dataPeriod} onChange={(e) => set('dataPeriod', e.target.value)}>
              {(periods.includes(d.dataPeriod) ? periods : [d.dataPeriod, ...periods]).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </>
        )}
        {d.baselineKind === 'stated' && (
          <>
            {' '}
            <label htmlFor={id('bvalue')}>value ({measure.unit})</label>{' '}
            <input id={id('bvalue')} aria-label="Baseline value" className="short" inputMode="decimal" value={d.statedValue} onChange={(e) => set('statedValue', e.target.value)} required />{' '}
            <label htmlFor={id('blabel')}>for</label>{' '}
            <input id={id('blabel')} aria-label="Baseline period" className="short" placeholder="2015/16" value={d.statedLabel} onChange={(e) => set('statedLabel', e.target.value)} required maxLength={40} />{' '}
            <label htmlFor={id('bdate')}>ending</label> <input id={id('bdate')} aria-label="Baseline period end" type="date" value={d.statedDate} onChange={(e) => set('statedDate', e.target.value)} required />
          </>
        )}
      </div>
      <label htmlFor={id('target')}>Target</label>
      <div>
        <select id={id('target')} value={d.targetKind} onChange={(e) => set('targetKind', e.target.value as TargetKind)}>
          <option value="none">To be agreed</option>
          <option value="absolute">A value by a date</option>
          <option value="relative">A change on the baseline by a date</option>
        </select>
        {d.targetKind === 'absolute' && (
          <>
            {' '}
            <label htmlFor={id('tvalue')}>value ({measure.unit})</label>{' '}
            <input id={id('tvalue')} aria-label="Target value" className="short" inputMode="decimal" value={d.targetValue} onChange={(e) => set('targetValue', e.target.value)} required />
          </>
        )}
        {d.targetKind === 'relative' && (
          <>
            {' '}
            <label htmlFor={id('tchange')}>change (%; −5 is 5% lower)</label>{' '}
            <input id={id('tchange')} aria-label="Target change (%)" className="short" inputMode="decimal" value={d.targetChange} onChange={(e) => set('targetChange', e.target.value)} required />
          </>
        )}
        {d.targetKind !== 'none' && (
          <>
            {' '}
            <label htmlFor={id('tdate')}>by</label> <input id={id('tdate')} aria-label="Target date" type="date" value={d.targetDate} onChange={(e) => set('targetDate', e.target.value)} required />
          </>
        )}
      </div>
      <label htmlFor={id('polarity')}>Better is</label>
      <select id={id('polarity')} value={d.polarity} onChange={(e) => set('polarity', e.target.value as Draft['polarity'])}>
        {measure.source.kind !== 'manual' && <option value="">As the indicator says ({measure.polarity === 'higher-is-better' ? 'higher' : 'lower'})</option>}
        {measure.source.kind === 'manual' && <option value="">Not said</option>}
        <option value="higher-is-better">Higher</option>
        <option value="lower-is-better">Lower</option>
      </select>
      <label htmlFor={id('owner')}>Owner</label>
      <input id={id('owner')} value={d.owner} onChange={(e) => set('owner', e.target.value)} maxLength={200} />
      <label htmlFor={id('note')}>Note</label>
      <textarea id={id('note')} rows={2} value={d.note} onChange={(e) => set('note', e.target.value)} maxLength={2000} />
      <label htmlFor={id('reason')}>Why the change</label>
      <input id={id('reason')} value={d.reason} onChange={(e) => set('reason', e.target.value)} required minLength={3} maxLength={500} placeholder="e.g. Target agreed by the Partnership Board, 12 November 2026" />
      <p className="note">Saving makes a new version of the strategy; earlier versions, and figures reported against them, are kept.</p>
      <FormFooter submitLabel="Save a new version" onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

/** Every version of a strategy, newest first, with what changed, who (staff only) and why; each downloadable as its plan file. */
export const PlanHistory = ({ strategy, reload }: { strategy: string; reload: number }) => {
  const versions = useLoad(`versions:${strategy}:${reload}`, () => api.strategyVersions(strategy));
  if (versions.error) return <Problem error={versions.error} />;
  if (!versions.data) return <p className="loading">Loading the versions…</p>;
  return (
    <ol className="plan-history" reversed data-testid="plan-history">
      {[...versions.data.versions].reverse().map((v) => (
        <li key={v.version}>
          <strong>Version {v.version}</strong>, {fmtDate(v.loadedAt.slice(0, 10))} · {v.source === 'OpenPHM' ? `changed in OpenPHM${v.editedBy ? ` by ${v.editedBy}` : ''}` : `loaded from ${v.source}`} ·{' '}
          <a href={api.strategyFileUrl(strategy, v.version)} download={`${strategy}.json`}>
            plan file (JSON)
          </a>
          {v.reason && <div className="note">Why: {v.reason}</div>}
          <TextList items={v.changes} />
        </li>
      ))}
    </ol>
  );
};
