/**
 * Changing the shape of an agreed strategy in the app: adding or removing a measure, adding,
 * renaming or removing an ambition, adding, renaming or removing a priority (a new priority comes
 * with its first ambition, as a plan file's priority has at least one), and the strategy's own
 * title, board, description and period. Each kind of change is one entry of a table of handlers; every
 * change makes the next version of the whole strategy, checked as a plan file is (problems named
 * from the change, e.g. `change.measure.source.indicatorId`), with the reason recorded by the
 * caller. Removing an ambition that actions are placed under is refused, naming them.
 */
import { z } from 'zod';
import { checkedVersion, type MeasureEditResult } from './strategy-edit.js';
import { SlugSchema, StrategyMeasureSchema, StrategySchema, strategyMeasures, strategyProblems, type Ambition, type IndicatorInfo, type Priority, type Strategy, type StrategyMeasure } from './strategy.js';

const TITLE = z.string().trim().min(3, 'at least 3 characters').max(300);
const NewAmbitionSchema = z.object({ id: SlugSchema, title: TITLE, description: z.string().trim().max(4000).optional() }).strict();

export const StrategyChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-measure'), ambitionId: SlugSchema, measure: StrategyMeasureSchema }).strict(),
  z.object({ kind: z.literal('remove-measure'), measureId: SlugSchema }).strict(),
  z.object({ kind: z.literal('add-ambition'), priorityId: SlugSchema, ambition: NewAmbitionSchema }).strict(),
  z.object({ kind: z.literal('edit-ambition'), ambitionId: SlugSchema, title: TITLE, description: z.string().trim().max(4000).nullable() }).strict(),
  z.object({ kind: z.literal('remove-ambition'), ambitionId: SlugSchema }).strict(),
  z.object({ kind: z.literal('add-priority'), priority: z.object({ id: SlugSchema, title: TITLE, ambition: NewAmbitionSchema }).strict() }).strict(),
  z.object({ kind: z.literal('edit-priority'), priorityId: SlugSchema, title: TITLE }).strict(),
  z.object({ kind: z.literal('remove-priority'), priorityId: SlugSchema }).strict(),
  z
    .object({
      kind: z.literal('edit-details'),
      title: TITLE,
      board: TITLE,
      description: z.string().trim().min(3, 'at least 3 characters').max(4000),
      period: z.object({ start: z.string(), end: z.string() }).strict(),
    })
    .strict(),
]);
export type StrategyChange = z.infer<typeof StrategyChangeSchema>;
export type StrategyChangeKind = StrategyChange['kind'];

export const StrategyChangeRequestSchema = z
  .object({
    /** The version being changed: a stale change is refused rather than overwriting someone else's. */
    strategyVersion: z.number().int().min(1),
    reason: z.string().trim().min(3, 'say why the strategy changes (at least 3 characters)').max(500),
    change: StrategyChangeSchema,
  })
  .strict();
export type StrategyChangeRequest = z.infer<typeof StrategyChangeRequestSchema>;

/** What the caller knows that the strategy does not: the actions placed under each ambition. */
export interface StrategyChangeContext {
  readonly indicators: readonly IndicatorInfo[];
  /** Titles of the actions placed under an ambition (any status). */
  readonly actionsUnder: (ambitionId: string) => readonly string[];
  /** Titles of the actions placed under a priority and of the risks naming it (any status). */
  readonly namingPriority: (priorityId: string) => readonly string[];
}

type Problem = { readonly field: string; readonly message: string };
/** A handler gives the new priorities (or strategy fields) and where in them the change is (for naming problems), or a problem. */
type Outcome = { readonly priorities: readonly Priority[]; readonly details?: Partial<Pick<Strategy, 'title' | 'board' | 'description' | 'period'>>; readonly focus: (next: Strategy) => string } | { readonly problem: Problem };
type Handler<K extends StrategyChangeKind> = (s: Strategy, change: Extract<StrategyChange, { kind: K }>, ctx: StrategyChangeContext) => Outcome;

const mapAmbitions = (s: Strategy, fn: (a: Ambition, p: Priority) => Ambition | null): Priority[] =>
  s.priorities.map((p) => ({ ...p, ambitions: p.ambitions.map((a) => fn(a, p)).filter((a): a is Ambition => a !== null) }));
const ambitionOf = (s: Strategy, id: string): Ambition | undefined => s.priorities.flatMap((p) => p.ambitions).find((a) => a.id === id);
const ambitionPath = (s: Strategy, id: string): string => {
  for (const [pi, p] of s.priorities.entries()) {
    const ai = p.ambitions.findIndex((a) => a.id === id);
    if (ai >= 0) return `priorities.${pi}.ambitions.${ai}.`;
  }
  return '(none).';
};
const newAmbition = (a: z.infer<typeof NewAmbitionSchema>): Ambition => ({ id: a.id, title: a.title, ...(a.description ? { description: a.description } : {}), measures: [] });
const noAmbition = (id: string): Outcome => ({ problem: { field: 'change.ambitionId', message: `'${id}' is not an ambition of this strategy` } });

const HANDLERS: { readonly [K in StrategyChangeKind]: Handler<K> } = {
  'add-measure': (s, c) => {
    if (!ambitionOf(s, c.ambitionId)) return noAmbition(c.ambitionId);
    const measure = c.measure as StrategyMeasure;
    return { priorities: mapAmbitions(s, (a) => (a.id === c.ambitionId ? { ...a, measures: [...a.measures, measure] } : a)), focus: (next) => lastMeasurePath(next, c.ambitionId) };
  },
  'remove-measure': (s, c) => {
    if (!strategyMeasures(s).some((x) => x.measure.id === c.measureId)) return { problem: { field: 'change.measureId', message: `'${c.measureId}' is not a measure of this strategy` } };
    return { priorities: mapAmbitions(s, (a) => ({ ...a, measures: a.measures.filter((m) => m.id !== c.measureId) })), focus: () => '(none).' };
  },
  'add-ambition': (s, c) => {
    if (!s.priorities.some((p) => p.id === c.priorityId)) return { problem: { field: 'change.priorityId', message: `'${c.priorityId}' is not a priority of this strategy` } };
    const ambition = newAmbition(c.ambition);
    // The new ambition is the priority's last (its id may clash with another's: name the new one).
    const pi = s.priorities.findIndex((p) => p.id === c.priorityId);
    return { priorities: s.priorities.map((p) => (p.id === c.priorityId ? { ...p, ambitions: [...p.ambitions, ambition] } : p)), focus: () => `priorities.${pi}.ambitions.${s.priorities[pi]!.ambitions.length}.` };
  },
  'edit-ambition': (s, c) => {
    if (!ambitionOf(s, c.ambitionId)) return noAmbition(c.ambitionId);
    return {
      priorities: mapAmbitions(s, (a) => {
        if (a.id !== c.ambitionId) return a;
        const { description: _d, ...rest } = a;
        return { ...rest, title: c.title, ...(c.description ? { description: c.description } : {}), measures: a.measures };
      }),
      focus: (next) => ambitionPath(next, c.ambitionId),
    };
  },
  'remove-ambition': (s, c, ctx) => {
    if (!ambitionOf(s, c.ambitionId)) return noAmbition(c.ambitionId);
    const placed = ctx.actionsUnder(c.ambitionId);
    if (placed.length > 0) {
      return { problem: { field: 'change.ambitionId', message: `${placed.length} action${placed.length === 1 ? ' is' : 's are'} placed under this ambition (${placed.slice(0, 3).map((t) => `"${t}"`).join(', ')}${placed.length > 3 ? ', …' : ''}): move them first` } };
    }
    const priority = s.priorities.find((p) => p.ambitions.some((a) => a.id === c.ambitionId))!;
    if (priority.ambitions.length === 1) return { problem: { field: 'change.ambitionId', message: `it is the only ambition of the priority "${priority.title}"` } };
    return { priorities: mapAmbitions(s, (a) => (a.id === c.ambitionId ? null : a)), focus: () => '(none).' };
  },
  // The new priority is the strategy's last, with its first ambition (its ids may clash with others': name the new ones).
  'add-priority': (s, c) => {
    const priority: Priority = { id: c.priority.id, title: c.priority.title, ambitions: [newAmbition(c.priority.ambition)] };
    return { priorities: [...s.priorities, priority], focus: () => `priorities.${s.priorities.length}.` };
  },
  'edit-priority': (s, c) => {
    const pi = s.priorities.findIndex((p) => p.id === c.priorityId);
    if (pi < 0) return { problem: { field: 'change.priorityId', message: `'${c.priorityId}' is not a priority of this strategy` } };
    return { priorities: s.priorities.map((p) => (p.id === c.priorityId ? { ...p, title: c.title } : p)), focus: () => `priorities.${pi}.` };
  },
  'remove-priority': (s, c, ctx) => {
    const priority = s.priorities.find((p) => p.id === c.priorityId);
    if (!priority) return { problem: { field: 'change.priorityId', message: `'${c.priorityId}' is not a priority of this strategy` } };
    const naming = ctx.namingPriority(c.priorityId);
    if (naming.length > 0) {
      return { problem: { field: 'change.priorityId', message: `${naming.length} action${naming.length === 1 ? ' or risk names' : 's or risks name'} this priority (${naming.slice(0, 3).map((t) => `"${t}"`).join(', ')}${naming.length > 3 ? ', …' : ''}): move them first` } };
    }
    if (s.priorities.length === 1) return { problem: { field: 'change.priorityId', message: `it is the only priority of the strategy` } };
    return { priorities: s.priorities.filter((p) => p.id !== c.priorityId), focus: () => '(none).' };
  },
  // The strategy's own fields (not its area: its measures are reported for it); problems are named from the change (`change.period.end`).
  'edit-details': (s, c) => ({ priorities: s.priorities, details: { title: c.title, board: c.board, description: c.description, period: c.period }, focus: () => '' }),
};

/** Where problems found at a change's focus are named from: the new part's own fields. */
const AS: Record<StrategyChangeKind, string> = {
  'add-measure': 'change.measure.',
  'remove-measure': 'change.',
  'add-ambition': 'change.ambition.',
  'edit-ambition': 'change.',
  'remove-ambition': 'change.',
  'add-priority': 'change.priority.',
  'edit-priority': 'change.',
  'remove-priority': 'change.',
  'edit-details': 'change.',
};

/** The new measure is its ambition's last (its id may clash with another's: name the new one). */
const lastMeasurePath = (s: Strategy, ambitionId: string): string => `${ambitionPath(s, ambitionId)}measures.${(ambitionOf(s, ambitionId)?.measures.length ?? 1) - 1}.`;

/** The next version of `strategy` with the change made, or the problems (naming the request's fields). */
export const applyStrategyChange = (strategy: Strategy, request: StrategyChangeRequest, ctx: StrategyChangeContext): MeasureEditResult => {
  if (request.strategyVersion !== strategy.version) {
    return { ok: false, problems: [{ field: 'strategyVersion', message: `version ${request.strategyVersion} is not the current version (${strategy.version}): reload and change it again` }] };
  }
  const handler = HANDLERS[request.change.kind] as Handler<StrategyChangeKind>;
  const outcome = handler(strategy, request.change, ctx);
  if ('problem' in outcome) return { ok: false, problems: [outcome.problem] };
  const next: Strategy = { ...strategy, ...outcome.details, version: strategy.version + 1, priorities: [...outcome.priorities] };
  const as = AS[request.change.kind];
  return checkedVersion(strategy, next, ctx.indicators, outcome.focus(next), as);
};

/**
 * A new strategy made in the app for any board (e.g. a place's Health and Wellbeing Board): the
 * whole definition as a plan file holds it but its version (the first is 1), so a plan file's
 * content can be sent as it is, and why it is made. Checked as a plan file is; problems are named
 * from the request (`strategy.priorities.0.ambitions.0.title`).
 */
export const NewStrategyRequestSchema = z
  .object({
    reason: z.string().trim().min(3, 'say why the strategy is made (at least 3 characters)').max(500),
    /** Checked by newStrategy (strategyProblems), so that every bad field is named, not only the first kind. */
    strategy: z.record(z.string(), z.unknown()),
  })
  .strict();
export type NewStrategyRequest = z.infer<typeof NewStrategyRequestSchema>;

/** Version 1 of a new strategy, or the problems (fields named `strategy.…`). Whether its id is free is the store's to say. */
export const newStrategy = (request: NewStrategyRequest, indicators: readonly IndicatorInfo[]): MeasureEditResult => {
  const { version: _v, ...definition } = request.strategy;
  const problems = strategyProblems({ ...definition, version: 1 }, indicators).map((p) => ({ field: `strategy.${p.path === '(root)' ? '' : p.path}`.replace(/\.$/, ''), message: p.message }));
  if (problems.length > 0) return { ok: false, problems };
  const strategy = StrategySchema.parse({ ...definition, version: 1 }) as Strategy;
  return { ok: true, strategy, changes: ['First version.'] };
};
