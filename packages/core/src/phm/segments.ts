/**
 * Segmentations: ordered, mutually exclusive rules over person features; the first segment whose
 * rule holds wins, and the last segment is the catch-all, so every person is assigned exactly once.
 * Definitions are data (validated with zod) and documented in docs/segmentation.md.
 */
import { z } from 'zod';
import { UserError } from '../errors/errors.js';
import { CONDITION_KEYS, type ConditionKey } from '../codelists/conditions.js';
import { EVENT_KINDS, EVENT_LOOKBACK_DAYS, FLAG_FEATURES, NUMERIC_FEATURES, type EventKind, type FlagFeature, type NumericFeature, type PersonFeatures } from './features.js';

export type FeatureRule =
  | { readonly kind: 'compare'; readonly feature: NumericFeature; readonly op: '>=' | '>' | '<=' | '<' | '='; readonly value: number }
  | { readonly kind: 'flag'; readonly feature: FlagFeature }
  | { readonly kind: 'all'; readonly of: readonly FeatureRule[] }
  | { readonly kind: 'any'; readonly of: readonly FeatureRule[] }
  | { readonly kind: 'not'; readonly rule: FeatureRule }
  | { readonly kind: 'always' }
  /** First coded for `condition` within the last `withinDays` days: dated in (D − withinDays, D]. */
  | { readonly kind: 'diagnosed'; readonly condition: ConditionKey; readonly withinDays: number }
  /** At least `atLeast` events of a kind dated in the last `withinDays` days, (D − withinDays, D]; withinDays ≤ EVENT_LOOKBACK_DAYS. */
  | { readonly kind: 'events'; readonly event: EventKind; readonly atLeast: number; readonly withinDays: number };

export const FeatureRuleSchema: z.ZodType<FeatureRule> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('compare'), feature: z.enum(NUMERIC_FEATURES), op: z.enum(['>=', '>', '<=', '<', '=']), value: z.number() }).strict(),
    z.object({ kind: z.literal('flag'), feature: z.enum(FLAG_FEATURES) }).strict(),
    z.object({ kind: z.literal('all'), of: z.array(FeatureRuleSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), of: z.array(FeatureRuleSchema).min(1) }).strict(),
    z.object({ kind: z.literal('not'), rule: FeatureRuleSchema }).strict(),
    z.object({ kind: z.literal('always') }).strict(),
    z.object({ kind: z.literal('diagnosed'), condition: z.enum(CONDITION_KEYS), withinDays: z.number().int().min(1).max(36_525) }).strict(),
    z
      .object({ kind: z.literal('events'), event: z.enum(EVENT_KINDS), atLeast: z.number().int().min(1).max(1000), withinDays: z.number().int().min(1).max(EVENT_LOOKBACK_DAYS) })
      .strict(),
  ]),
);

export interface SegmentDefinition {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly rule: FeatureRule;
}

export interface Segmentation {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly source: string;
  /** In priority order; the last must be `always`. */
  readonly segments: readonly SegmentDefinition[];
}

export const SegmentationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    version: z.number().int().min(1),
    title: z.string().min(3),
    source: z.string().min(3),
    segments: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), label: z.string().min(1), description: z.string().min(3), rule: FeatureRuleSchema }).strict())
      .min(2),
  })
  .strict();

export const parseSegmentation = (input: unknown, source = 'segmentation'): Segmentation => {
  const parsed = SegmentationSchema.safeParse(input);
  if (!parsed.success) {
    throw new UserError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, 'invalid-input');
  }
  const s = parsed.data as Segmentation;
  const last = s.segments[s.segments.length - 1]!;
  if (last.rule.kind !== 'always') throw new UserError(`${source}: the last segment ('${last.id}') must have rule { kind: 'always' } so everyone is assigned`, 'invalid-input');
  const ids = s.segments.map((x) => x.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new UserError(`${source}: segment id '${dup}' appears twice`, 'invalid-input');
  return s;
};

type RuleEvaluator = (rule: never, f: PersonFeatures) => boolean;
const COMPARE: Record<'>=' | '>' | '<=' | '<' | '=', (a: number, b: number) => boolean> = {
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '=': (a, b) => a === b,
};
const RULES: { [K in FeatureRule['kind']]: (rule: Extract<FeatureRule, { kind: K }>, f: PersonFeatures) => boolean } = {
  compare: (r, f) => COMPARE[r.op](f.numeric[r.feature], r.value),
  flag: (r, f) => f.flags[r.feature],
  all: (r, f) => r.of.every((x) => evaluateRule(x, f)),
  any: (r, f) => r.of.some((x) => evaluateRule(x, f)),
  not: (r, f) => !evaluateRule(r.rule, f),
  always: () => true,
  diagnosed: (r, f) => (f.diagnosedDaysAgo?.[r.condition] ?? Infinity) < r.withinDays,
  // Days ago are ascending: at least K events within N days when the K-th most recent is within N days.
  events: (r, f) => (f.eventDaysAgo?.[r.event]?.[r.atLeast - 1] ?? Infinity) < r.withinDays,
};

/** The reference meaning of a rule (the DuckDB engine compiles the same rule to SQL). */
export const evaluateRule = (rule: FeatureRule, features: PersonFeatures): boolean => (RULES[rule.kind] as RuleEvaluator)(rule as never, features);

/** The kinds of rule that read nothing but themselves and their sub-rules' features. */
const SUB_RULES: { [K in FeatureRule['kind']]: (rule: Extract<FeatureRule, { kind: K }>) => readonly FeatureRule[] } = {
  compare: () => [],
  flag: () => [],
  all: (r) => r.of,
  any: (r) => r.of,
  not: (r) => [r.rule],
  always: () => [],
  diagnosed: () => [],
  events: () => [],
};

/**
 * Whether a rule reads the people's dated event lists (an `events` rule anywhere in it): engines compute those lists only
 * for the rules that need them (the DuckDB engine keeps them beside the features table, built on first need).
 */
export const ruleUsesEvents = (rule: FeatureRule): boolean =>
  rule.kind === 'events' || (SUB_RULES[rule.kind] as (r: FeatureRule) => readonly FeatureRule[])(rule).some(ruleUsesEvents);

/** Whether any segment's rule reads the dated event lists. */
export const segmentationUsesEvents = (segmentation: Segmentation): boolean => segmentation.segments.some((s) => ruleUsesEvents(s.rule));

/** The id of the first segment whose rule holds. */
export const assignSegment = (segmentation: Segmentation, features: PersonFeatures): string => {
  for (const s of segmentation.segments) if (evaluateRule(s.rule, features)) return s.id;
  return segmentation.segments[segmentation.segments.length - 1]!.id;
};

const cmp = (feature: NumericFeature, op: '>=' | '>' | '<=' | '<' | '=', value: number): FeatureRule => ({ kind: 'compare', feature, op, value });
const flag = (feature: FlagFeature): FeatureRule => ({ kind: 'flag', feature });
const any = (...of: FeatureRule[]): FeatureRule => ({ kind: 'any', of });
const all = (...of: FeatureRule[]): FeatureRule => ({ kind: 'all', of });

/**
 * Kirklees' four population groups, made precise (justified in docs/segmentation.md). Priority:
 * a person in an acute episode is counted there first, then complex needs, then living with
 * conditions, then living well.
 */
export const KIRKLEES_SEGMENTATION: Segmentation = parseSegmentation({
  id: 'kirklees-four-groups',
  version: 2,
  title: 'Kirklees population model (four groups)',
  source: 'Kirklees Health and Wellbeing Plan 2018-2023',
  segments: [
    {
      id: 'acute-urgent',
      label: 'Acute or urgent',
      description: 'Needed swift or specialist care in the last 12 months: an emergency admission, or three or more A&E attendances.',
      rule: any(cmp('emergencyAdmissions12m', '>=', 1), cmp('aeAttendances12m', '>=', 3)),
    },
    {
      id: 'complex',
      label: 'Complex',
      description: 'Multiple long-term conditions (3+), disability (learning disability, moderate or severe frailty: eFI > 0.24), on the palliative care register, or living in a care home (a proxy for end of life and high dependency).',
      rule: any(cmp('conditionCount', '>=', 3), cmp('efi', '>', 0.24), flag('condition:learning_disability'), flag('condition:palliative_care'), flag('careHomeResident')),
    },
    {
      id: 'independent',
      label: 'Independent',
      description: 'Living with one or two long-term conditions, managing with informal support.',
      rule: cmp('conditionCount', '>=', 1),
    },
    { id: 'living-well', label: 'Living well', description: 'No long-term condition on the 25 registers; largely healthy (risk factors may still be present).', rule: { kind: 'always' } },
  ],
}, 'Kirklees segmentation');

/** Bridges to Health (Lynn et al., Milbank Quarterly 2007): eight segments, most severe first. */
export const BRIDGES_TO_HEALTH_SEGMENTATION: Segmentation = parseSegmentation({
  id: 'bridges-to-health',
  version: 2,
  title: 'Bridges to Health (eight segments)',
  source: 'Lynn J et al. The Milbank Quarterly 2007;85(2):185-208',
  segments: [
    {
      id: 'frailty',
      label: 'Frailty',
      description: 'Long course of decline: severe frailty (eFI > 0.36), dementia, or care home residence.',
      rule: any(cmp('efi', '>', 0.36), flag('condition:dementia'), flag('careHomeResident')),
    },
    {
      id: 'limited-reserve',
      label: 'Limited reserve and exacerbations',
      description: 'Organ failure with exacerbations: heart failure or COPD with an emergency admission in 12 months or moderate frailty.',
      rule: all(any(flag('condition:heart_failure'), flag('condition:copd')), any(cmp('emergencyAdmissions12m', '>=', 1), cmp('efi', '>', 0.24))),
    },
    {
      id: 'short-decline',
      label: 'Short period of decline before dying',
      description: 'On the palliative care register, or cancer with an emergency admission in the last 12 months.',
      rule: any(flag('condition:palliative_care'), all(flag('condition:cancer'), cmp('emergencyAdmissions12m', '>=', 1))),
    },
    {
      id: 'stable-disability',
      label: 'Stable but serious disability',
      description: 'Learning disability, serious mental illness, or stroke with moderate frailty.',
      rule: any(flag('condition:learning_disability'), flag('condition:smi'), all(flag('condition:stroke'), cmp('efi', '>', 0.24))),
    },
    { id: 'chronic-conditions', label: 'Chronic conditions, normal function', description: 'On at least one long-term condition register.', rule: cmp('conditionCount', '>=', 1) },
    {
      id: 'acutely-ill',
      label: 'Acutely ill, likely curable',
      description: 'No long-term condition, but an emergency admission or A&E attendance in the last 12 months.',
      rule: any(cmp('emergencyAdmissions12m', '>=', 1), cmp('aeAttendances12m', '>=', 1)),
    },
    { id: 'maternal-infant', label: 'Maternal and infant health', description: 'Gave birth or was born in the last 12 months.', rule: flag('birth12m') },
    { id: 'healthy', label: 'Healthy', description: 'Everyone else.', rule: { kind: 'always' } },
  ],
}, 'Bridges to Health segmentation');

export const SEGMENTATIONS: readonly Segmentation[] = [KIRKLEES_SEGMENTATION, BRIDGES_TO_HEALTH_SEGMENTATION];
