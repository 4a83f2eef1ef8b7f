/**
 * Strategies as the partnership's boards hold them: a strategy has priorities, a priority has
 * ambitions, an ambition has measures, and a measure has a baseline, a target and (between them) a
 * trajectory. Definitions are data (JSON files in plans/, validated with zod, versioned) and
 * documented in docs/delivery.md. A measure may lack a baseline or a target ("to be completed" in
 * many plans): it is valid, and shown as incomplete.
 */
import { z } from 'zod';
import { UserError } from '../errors/errors.js';
import { PLACE_IDS, type PlaceId } from '../geography/places.js';
import { dayFromIso } from '../time/days.js';

/** An area a measure is reported for: the whole ICS or one place. */
export type AreaRef = 'ics' | `place:${PlaceId}`;
export const AREA_REFS: readonly AreaRef[] = ['ics', ...PLACE_IDS.map((p) => `place:${p}` as const)];

export type MeasurePolarity = 'higher-is-better' | 'lower-is-better';

/**
 * Where a measure's values come from:
 * - `indicator`: a catalogue indicator's published value for the area, each period of the data;
 * - `inequality`: the size of the gap across IMD deciles in the area (|decile 1 − decile 10|) or
 *   the slope index of inequality (|SII|), for an indicator; smaller is better;
 * - `social-prescribing`: social prescribing referrals made in OpenPHM per 1,000 adult residents of
 *   the area, each financial year (docs/social-prescribing.md); higher is better;
 * - `manual`: values recorded by the measure's owner (e.g. referrals reported by a provider).
 */
export type MeasureSource =
  | { readonly kind: 'indicator'; readonly indicatorId: string }
  | { readonly kind: 'inequality'; readonly indicatorId: string; readonly statistic: 'gap' | 'sii' }
  | { readonly kind: 'social-prescribing' }
  | { readonly kind: 'manual'; readonly unit: string };

/** The baseline: stated in the plan (a value at a date), or taken from the data for a period. */
export type Baseline =
  | { readonly kind: 'stated'; readonly value: number; readonly date: string; readonly label: string }
  | { readonly kind: 'data'; readonly periodLabel: string };

/** The target: a value to reach by a date, or a relative change from the baseline (-0.05 = 5% lower). */
export type Target =
  | { readonly kind: 'absolute'; readonly value: number; readonly date: string }
  | { readonly kind: 'relative'; readonly change: number; readonly date: string };

export interface StrategyMeasure {
  readonly id: string;
  readonly title: string;
  readonly source: MeasureSource;
  /** Default: the strategy's area. */
  readonly area?: AreaRef;
  /** Required for manual measures and for indicators without a polarity; otherwise the indicator's. */
  readonly polarity?: MeasurePolarity;
  readonly baseline?: Baseline;
  readonly target?: Target;
  /** Who reports it (an officer or group), and where the target comes from. */
  readonly owner?: string;
  readonly note?: string;
}

export interface Ambition {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly measures: readonly StrategyMeasure[];
}

export interface Priority {
  readonly id: string;
  readonly title: string;
  readonly ambitions: readonly Ambition[];
}

export interface Strategy {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  /** The board that owns it, e.g. "West Yorkshire & Harrogate Partnership Board". */
  readonly board: string;
  /** The footprint the strategy covers (the ICS, or one place for a Health and Wellbeing Board). */
  readonly area: AreaRef;
  /** The strategy's period, start and end dates. */
  readonly period: { readonly start: string; readonly end: string };
  readonly description: string;
  readonly priorities: readonly Priority[];
}

export const SlugSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens');
const DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => {
    try {
      dayFromIso(s);
      return true;
    } catch {
      return false;
    }
  }, 'not a calendar date');
const AREA = z.enum(AREA_REFS as [AreaRef, ...AreaRef[]]);
export const MeasurePolaritySchema = z.enum(['higher-is-better', 'lower-is-better']);

const SourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('indicator'), indicatorId: SlugSchema }).strict(),
  z.object({ kind: z.literal('inequality'), indicatorId: SlugSchema, statistic: z.enum(['gap', 'sii']) }).strict(),
  z.object({ kind: z.literal('social-prescribing') }).strict(),
  z.object({ kind: z.literal('manual'), unit: z.string().min(1).max(40) }).strict(),
]);
export const BaselineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stated'), value: z.number().finite(), date: DATE, label: z.string().min(1).max(40) }).strict(),
  z.object({ kind: z.literal('data'), periodLabel: z.string().min(4).max(40) }).strict(),
]);
export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('absolute'), value: z.number().finite(), date: DATE }).strict(),
  z.object({ kind: z.literal('relative'), change: z.number().finite().min(-1).max(10), date: DATE }).strict(),
]);
export const StrategyMeasureSchema = z
  .object({
    id: SlugSchema,
    title: z.string().min(3).max(200),
    source: SourceSchema,
    area: AREA.optional(),
    polarity: MeasurePolaritySchema.optional(),
    baseline: BaselineSchema.optional(),
    target: TargetSchema.optional(),
    owner: z.string().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();
const AmbitionSchema = z.object({ id: SlugSchema, title: z.string().min(3).max(300), description: z.string().max(4000).optional(), measures: z.array(StrategyMeasureSchema) }).strict();
const PrioritySchema = z.object({ id: SlugSchema, title: z.string().min(3).max(300), ambitions: z.array(AmbitionSchema).min(1) }).strict();

export const StrategySchema = z
  .object({
    id: SlugSchema,
    version: z.number().int().min(1),
    title: z.string().min(3).max(300),
    board: z.string().min(3).max(300),
    area: AREA,
    period: z.object({ start: DATE, end: DATE }).strict(),
    description: z.string().min(3).max(4000),
    priorities: z.array(PrioritySchema).min(1),
  })
  .strict();

/** What parseStrategy needs to know about an indicator to check a measure that uses it. */
export interface IndicatorInfo {
  readonly id: string;
  readonly polarity: 'higher-is-better' | 'lower-is-better' | 'no-judgement';
  /** The breakdowns it allows (undefined: all). */
  readonly breakdowns?: readonly string[];
}

/** A problem with a strategy definition: the field path (e.g. `priorities.0.ambitions.1.measures.0.polarity`) and what is wrong. */
export interface StrategyProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every problem with a strategy definition (none: it is valid). Ids must be unique where they are
 * referred to (priorities, ambitions and measures each within the strategy), measures must name
 * catalogue indicators, the polarity must be known for every measure, and a target must fall after
 * a stated baseline.
 */
export const strategyProblems = (input: unknown, indicators: readonly IndicatorInfo[]): StrategyProblem[] => {
  const parsed = StrategySchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const s = parsed.data as Strategy;
  const problems: StrategyProblem[] = [];
  const fail = (path: string, message: string): void => void problems.push({ path, message });
  if (s.period.end <= s.period.start) fail('period.end', `must be after period.start (${s.period.start})`);
  const seen = { priority: new Set<string>(), ambition: new Set<string>(), measure: new Set<string>() };
  s.priorities.forEach((p, pi) => {
    if (seen.priority.has(p.id)) fail(`priorities.${pi}.id`, `'${p.id}' is used twice`);
    seen.priority.add(p.id);
    p.ambitions.forEach((a, ai) => {
      if (seen.ambition.has(a.id)) fail(`priorities.${pi}.ambitions.${ai}.id`, `'${a.id}' is used twice`);
      seen.ambition.add(a.id);
      a.measures.forEach((m, mi) => {
        const path = `priorities.${pi}.ambitions.${ai}.measures.${mi}`;
        if (seen.measure.has(m.id)) fail(`${path}.id`, `'${m.id}' is used twice`);
        seen.measure.add(m.id);
        if (m.baseline?.kind === 'stated' && m.target !== undefined && m.target.date <= m.baseline.date) {
          fail(`${path}.target.date`, `must be after the baseline date (${m.baseline.date})`);
        }
        measureSourceProblems(s, m, path, indicators).forEach((x) => problems.push(x));
      });
    });
  });
  return problems;
};

/** Problems with a measure's source, polarity, baseline kind and area. */
const measureSourceProblems = (s: Strategy, m: StrategyMeasure, path: string, indicators: readonly IndicatorInfo[]): StrategyProblem[] => {
  const out: StrategyProblem[] = [];
  const fail = (field: string, message: string): void => void out.push({ path: `${path}.${field}`, message });
  if (m.source.kind === 'social-prescribing') {
    if (m.polarity === 'lower-is-better') fail('polarity', 'more social prescribing referrals is the aim: higher-is-better');
    return out;
  }
  if (m.source.kind === 'manual') {
    if (m.polarity === undefined) fail('polarity', 'a manual measure needs a polarity (higher-is-better or lower-is-better)');
    if (m.baseline?.kind === 'data') fail('baseline', 'a manual measure has no data periods: state the baseline (kind "stated")');
    return out;
  }
  const indicatorId = m.source.indicatorId;
  const indicator = indicators.find((i) => i.id === indicatorId);
  if (indicator === undefined) {
    fail('source.indicatorId', `unknown indicator '${indicatorId}' (see phm indicators list)`);
    return out;
  }
  if (m.source.kind === 'inequality') {
    if (indicator.breakdowns && !indicator.breakdowns.includes('imd-decile')) fail('source', `indicator '${indicatorId}' has no IMD decile breakdown, so no inequality`);
    if (m.polarity === 'higher-is-better') fail('polarity', 'the size of an inequality is lower-is-better');
  } else if (indicator.polarity === 'no-judgement' && m.polarity === undefined) {
    fail('polarity', `indicator '${indicatorId}' has no polarity: say whether higher or lower is better for this measure`);
  }
  if ((m.area ?? s.area) !== 'ics' && indicator.breakdowns && !indicator.breakdowns.includes('place')) fail('area', `indicator '${indicatorId}' is not published by place`);
  return out;
};

/**
 * Validates a strategy definition; the error names the source (file) and every problem's field
 * path, e.g. `plans/wyh.json: priorities.0.ambitions.1.measures.0.polarity: ...` (strategyProblems).
 */
export const parseStrategy = (input: unknown, indicators: readonly IndicatorInfo[], source = 'strategy'): Strategy => {
  const problems = strategyProblems(input, indicators);
  if (problems.length > 0) throw new UserError(`${source}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, 'invalid-input');
  return StrategySchema.parse(input) as Strategy;
};

/**
 * A plan file's text as a strategy: JSON, valid (parseStrategy), and named after the strategy
 * (`<id>.json`). `source` names the file in errors, e.g. plans/wyh-partnership.json.
 */
export const parseStrategyFile = (text: string, source: string, indicators: readonly IndicatorInfo[]): Strategy => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source}: not valid JSON (${(error as Error).message})`, 'invalid-input');
  }
  const strategy = parseStrategy(json, indicators, source);
  const name = source.split(/[/\\]/).pop();
  if (name !== `${strategy.id}.json`) throw new UserError(`${source}: the file name must be the strategy id (${strategy.id}.json)`, 'invalid-input');
  return strategy;
};

/** The polarity a measure is judged by (parseStrategy made sure there is one). */
export const measurePolarity = (measure: StrategyMeasure, indicators: readonly IndicatorInfo[]): MeasurePolarity => {
  if (measure.source.kind === 'inequality') return 'lower-is-better';
  if (measure.source.kind === 'social-prescribing') return 'higher-is-better';
  if (measure.polarity !== undefined) return measure.polarity;
  if (measure.source.kind === 'indicator') {
    const id = measure.source.indicatorId;
    const p = indicators.find((i) => i.id === id)?.polarity;
    if (p === 'higher-is-better' || p === 'lower-is-better') return p;
  }
  throw new UserError(`measure '${measure.id}' has no polarity`, 'invalid-input');
};

/** Every measure of a strategy with where it sits. */
export const strategyMeasures = (s: Strategy): { priority: Priority; ambition: Ambition; measure: StrategyMeasure }[] =>
  s.priorities.flatMap((priority) => priority.ambitions.flatMap((ambition) => ambition.measures.map((measure) => ({ priority, ambition, measure }))));

/** The area a measure is reported for: its own, or the strategy's. */
export const measureArea = (strategy: Strategy, measure: StrategyMeasure): AreaRef => measure.area ?? strategy.area;

export const areaPlace = (area: AreaRef): PlaceId | null => (area === 'ics' ? null : (area.slice(6) as PlaceId));
