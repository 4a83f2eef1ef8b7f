/**
 * A new strategy for any board (programme leads): a place's Health and Wellbeing Board or the
 * partnership's, with its period, purpose and first priority and ambition (a plan file's strategy
 * has at least one of each). The server checks it as it checks a plan file and names each bad field;
 * saved, it is version 1, and can be downloaded as a plan file from its versions.
 */
import { useId, useState } from 'react';
import { api } from '../api.js';
import { FormFooter, Options, useLoad, useSubmit } from './common.js';
import { slugOf } from './StrategyShapeEditor.js';

/** The board a place's strategy usually belongs to. */
const boardOf = (areaName: string | undefined): string => (areaName ? `${areaName} Health and Wellbeing Board` : '');

export const NewStrategyForm = ({ onCreated, onCancel }: { onCreated: (id: string) => void; onCancel: () => void }) => {
  const geography = useLoad('geography', api.geography);
  const places = geography.data?.places ?? [];
  const [area, setArea] = useState('');
  const [board, setBoard] = useState('');
  const [title, setTitle] = useState('');
  const [strategyId, setStrategyId] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState('');
  const [ambition, setAmbition] = useState('');
  const [reason, setReason] = useState('');
  const areaName = area === 'ics' ? undefined : places.find((p) => `place:${p.id}` === area)?.name;
  const chooseArea = (next: string) => {
    // The board follows the area until someone types their own.
    const name = next === 'ics' ? undefined : places.find((p) => `place:${p.id}` === next)?.name;
    if (board === '' || board === boardOf(areaName)) setBoard(boardOf(name));
    setArea(next);
  };
  const id = strategyId || slugOf(title);
  const { submit, error, busy } = useSubmit(async () => {
    const strategy = {
      id,
      title: title.trim(),
      board: board.trim(),
      area,
      period: { start, end },
      description: description.trim(),
      priorities: [{ id: slugOf(priority), title: priority.trim(), ambitions: [{ id: slugOf(ambition), title: ambition.trim(), measures: [] }] }],
    };
    const saved = await api.createStrategy({ reason: reason.trim(), strategy });
    onCreated(saved.strategyId);
  });
  const f = `new-strategy-${useId().replace(/:/g, '')}`;
  return (
    <form className="form grid-form panel" onSubmit={submit} aria-label="New strategy" data-testid="new-strategy">
      <h2>New strategy</h2>
      <label htmlFor={`${f}-area`}>Area</label>
      <select id={`${f}-area`} value={area} onChange={(e) => chooseArea(e.target.value)} required>
        <option value="">Choose…</option>
        <option value="ics">The whole partnership</option>
        <Options items={places.map((p) => ({ id: `place:${p.id}`, label: p.name }))} />
      </select>
      <label htmlFor={`${f}-board`}>Board</label>
      <input id={`${f}-board`} value={board} onChange={(e) => setBoard(e.target.value)} required minLength={3} maxLength={300} placeholder="e.g. Leeds Health and Wellbeing Board" />
      <label htmlFor={`${f}-title`}>Title</label>
      <input id={`${f}-title`} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} placeholder="e.g. Healthy Leeds 2026-2030" />
      <label htmlFor={`${f}-id`}>Id (the plan file's name)</label>
      <input id={`${f}-id`} value={strategyId} placeholder={slugOf(title) || 'from the title'} onChange={(e) => setStrategyId(e.target.value)} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
      <label htmlFor={`${f}-start`}>From</label>
      <input id={`${f}-start`} type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
      <label htmlFor={`${f}-end`}>To</label>
      <input id={`${f}-end`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} required />
      <label htmlFor={`${f}-description`}>What it is for</label>
      <textarea id={`${f}-description`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} required minLength={3} maxLength={4000} />
      <label htmlFor={`${f}-priority`}>First priority</label>
      <input id={`${f}-priority`} value={priority} onChange={(e) => setPriority(e.target.value)} required minLength={3} maxLength={300} placeholder="e.g. Starting well" />
      <label htmlFor={`${f}-ambition`}>Its first ambition</label>
      <input id={`${f}-ambition`} value={ambition} onChange={(e) => setAmbition(e.target.value)} required minLength={3} maxLength={300} placeholder="e.g. Every child ready for school" />
      <label htmlFor={`${f}-reason`}>Why it is made</label>
      <input id={`${f}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} placeholder="e.g. Agreed by the Health and Wellbeing Board, 3 December 2026" />
      <p className="note">Saved as version 1. Add more priorities, ambitions and their measures on its scorecard; download it as a plan file from its versions.</p>
      <FormFooter submitLabel="Create the strategy" onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};
