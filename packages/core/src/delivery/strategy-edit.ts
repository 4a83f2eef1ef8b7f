/**
 * Changing an agreed strategy in the app rather than its file: a programme lead completes or revises
 * one measure's baseline, target, polarity, owner or note. Every edit makes a new version of the
 * whole strategy (figures published against a version never change meaning), is checked exactly as
 * a plan file is (strategyProblems), and says why it was made. `strategyChanges` describes what
 * differs between two versions in words, for the plan's history and the board.
 */
import { z } from 'zod';
import { BaselineSchema, MeasurePolaritySchema, TargetSchema, strategyMeasures, strategyProblems, type Baseline, type IndicatorInfo, type Strategy, type StrategyMeasure, type Target } from './strategy.js';

export const MeasureEditSchema = z
  .object({
    /** The version being edited: a stale edit is refused rather than overwriting someone else's. */
    strategyVersion: z.number().int().min(1),
    baseline: BaselineSchema.nullable(),
    target: TargetSchema.nullable(),
    /** Null: the indicator's own polarity (required for manual measures and indicators without one). */
    polarity: MeasurePolaritySchema.nullable(),
    owner: z.string().trim().min(1).max(200).nullable(),
    note: z.string().trim().max(2000).nullable(),
    /** Why: e.g. "Target agreed by the Partnership Board, 12 November 2026". */
    reason: z.string().trim().min(3, 'say why the measure changes (at least 3 characters)').max(500),
  })
  .strict();
export type MeasureEdit = z.infer<typeof MeasureEditSchema>;

export type MeasureEditResult = { readonly ok: true; readonly strategy: Strategy; readonly changes: readonly string[] } | { readonly ok: false; readonly problems: readonly { readonly field: string; readonly message: string }[] };

/** The measure as edited: the fields in a fixed order, empty ones left out. */
const edited = (m: StrategyMeasure, e: MeasureEdit): StrategyMeasure => {
  const { baseline: _b, target: _t, polarity: _p, owner: _o, note: _n, ...rest } = m;
  return {
    ...rest,
    ...(e.polarity !== null ? { polarity: e.polarity } : {}),
    ...(e.baseline !== null ? { baseline: e.baseline } : {}),
    ...(e.target !== null ? { target: e.target } : {}),
    ...(e.owner !== null ? { owner: e.owner } : {}),
    ...(e.note !== null && e.note !== '' ? { note: e.note } : {}),
  };
};

/**
 * The next version of `strategy` with one measure changed, or the problems (fields named as in the
 * edit: `baseline.date`, `polarity`, …). The edit must name the current version and change something.
 */
export const editMeasure = (strategy: Strategy, measureId: string, edit: MeasureEdit, indicators: readonly IndicatorInfo[]): MeasureEditResult => {
  const found = strategyMeasures(strategy).find((x) => x.measure.id === measureId);
  if (found === undefined) return { ok: false, problems: [{ field: 'measureId', message: `'${measureId}' is not a measure of ${strategy.id}` }] };
  if (edit.strategyVersion !== strategy.version) {
    return { ok: false, problems: [{ field: 'strategyVersion', message: `version ${edit.strategyVersion} is not the current version (${strategy.version}): reload and edit again` }] };
  }
  const next: Strategy = {
    ...strategy,
    version: strategy.version + 1,
    priorities: strategy.priorities.map((p) => ({
      ...p,
      ambitions: p.ambitions.map((a) => ({ ...a, measures: a.measures.map((m) => (m.id === measureId ? edited(m, edit) : m)) })),
    })),
  };
  return checkedVersion(strategy, next, indicators, measurePath(next, measureId), '');
};

/** Where a measure sits in a strategy, as a field path prefix (`priorities.0.ambitions.1.measures.2.`). */
export const measurePath = (s: Strategy, measureId: string): string => {
  for (const [pi, p] of s.priorities.entries()) {
    for (const [ai, a] of p.ambitions.entries()) {
      const mi = a.measures.findIndex((m) => m.id === measureId);
      if (mi >= 0) return `priorities.${pi}.ambitions.${ai}.measures.${mi}.`;
    }
  }
  return '(none).';
};

/**
 * The next version checked as a plan file is: problems at `focus` (a field path prefix) are named
 * from there, prefixed by `as` (e.g. `change.measure.`); a change that changes nothing is refused.
 */
export const checkedVersion = (before: Strategy, next: Strategy, indicators: readonly IndicatorInfo[], focus: string, as: string): MeasureEditResult => {
  const problems = strategyProblems(next, indicators).map((p) => ({ field: p.path.startsWith(focus) ? `${as}${p.path.slice(focus.length)}` : p.path, message: p.message }));
  if (problems.length > 0) return { ok: false, problems };
  const changes = strategyChanges(before, next);
  if (changes.length === 0) return { ok: false, problems: [{ field: as === '' ? 'measure' : as.replace(/\.$/, ''), message: 'nothing changed' }] };
  return { ok: true, strategy: next, changes };
};

const number = (v: number): string => String(Number(v.toPrecision(12)));
export const describeBaseline = (b: Baseline | undefined): string =>
  b === undefined ? 'none' : b.kind === 'stated' ? `${number(b.value)} in ${b.label} (${b.date})` : `the data for ${b.periodLabel}`;
export const describeTarget = (t: Target | undefined): string =>
  t === undefined
    ? 'none'
    : t.kind === 'absolute'
      ? `${number(t.value)} by ${t.date}`
      : `${t.change >= 0 ? '+' : '−'}${number(Math.abs(t.change * 100))}% on the baseline by ${t.date}`;
const describeText = (s: string | undefined): string => (s === undefined ? 'none' : `"${s}"`);

type Described = Record<'title' | 'source' | 'area' | 'polarity' | 'baseline' | 'target' | 'owner' | 'note', string>;
const described = (m: StrategyMeasure): Described => ({
  title: describeText(m.title),
  source: JSON.stringify(m.source),
  area: m.area ?? 'the strategy area',
  polarity: m.polarity ?? 'the indicator’s own',
  baseline: describeBaseline(m.baseline),
  target: describeTarget(m.target),
  owner: describeText(m.owner),
  note: describeText(m.note),
});

/** What differs between two versions of a strategy, one sentence each (measures by id; then the strategy's own fields). */
export const strategyChanges = (before: Strategy, after: Strategy): string[] => {
  const out: string[] = [];
  for (const key of ['title', 'board', 'area', 'description'] as const) if (before[key] !== after[key]) out.push(`The strategy's ${key} changed.`);
  if (before.period.start !== after.period.start || before.period.end !== after.period.end) out.push(`The strategy's period changed from ${before.period.start} – ${before.period.end} to ${after.period.start} – ${after.period.end}.`);
  for (const level of ['priority', 'ambition'] as const) {
    const list = (s: Strategy) => new Map<string, string>(level === 'priority' ? s.priorities.map((p) => [p.id, p.title]) : s.priorities.flatMap((p) => p.ambitions.map((a) => [a.id, a.title] as const)));
    const [a, b] = [list(before), list(after)];
    for (const [id, title] of b) {
      if (!a.has(id)) out.push(`The ${level} "${title}" added.`);
      else if (a.get(id) !== title) out.push(`The ${level} "${a.get(id)}" renamed "${title}".`);
    }
    for (const [id, title] of a) if (!b.has(id)) out.push(`The ${level} "${title}" removed.`);
  }
  const descriptions = (s: Strategy) => new Map(s.priorities.flatMap((p) => p.ambitions.map((a) => [a.id, a.description] as const)));
  const [da, db] = [descriptions(before), descriptions(after)];
  for (const [id, d] of db) {
    if (da.has(id) && da.get(id) !== d) out.push(`The ambition "${ambitionTitle(after, id)}": description ${d === undefined ? 'removed' : da.get(id) === undefined ? 'added' : 'changed'}.`);
  }
  const was = new Map(strategyMeasures(before).map((x) => [x.measure.id, x.measure]));
  const now = new Map(strategyMeasures(after).map((x) => [x.measure.id, x.measure]));
  for (const [id, m] of now) {
    const old = was.get(id);
    if (old === undefined) {
      out.push(`Measure "${m.title}" added.`);
      continue;
    }
    const [a, b] = [described(old), described(m)];
    for (const field of Object.keys(a) as (keyof Described)[]) {
      if (a[field] === b[field]) continue;
      const name = field === 'source' ? 'source of values' : field;
      out.push(a[field] === 'none' ? `"${m.title}": ${name} set to ${b[field]}.` : b[field] === 'none' ? `"${m.title}": ${name} removed (was ${a[field]}).` : `"${m.title}": ${name} changed from ${a[field]} to ${b[field]}.`);
    }
  }
  for (const [id, m] of was) if (!now.has(id)) out.push(`Measure "${m.title}" removed.`);
  return out;
};

const ambitionTitle = (s: Strategy, id: string): string => s.priorities.flatMap((p) => p.ambitions).find((a) => a.id === id)?.title ?? id;
