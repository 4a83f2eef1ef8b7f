/**
 * Indicator definitions: what an outcome indicator *means*, as typed data with no I/O. Engines
 * (DuckDB SQL, the in-memory reference engine) turn a definition into aggregate counts; the
 * statistics in ../stats turn counts into values with confidence limits. Definitions are
 * validated with zod at every boundary (files, HTTP) and versioned: change the meaning, bump the version.
 */
import { z } from 'zod';
import { CONDITION_KEYS } from '../codelists/conditions.js';
import { TABLES, TABLE_NAMES, SEXES, type TableName } from '../schema/tables.js';
import { UserError } from '../errors/errors.js';
import { FingertipsMappingSchema, type FingertipsMapping } from '../benchmarks/benchmark.js';

export const POLARITIES = ['higher-is-better', 'lower-is-better', 'no-judgement'] as const;
/** Same values as the stats module's benchmark `Polarity`. */
export type IndicatorPolarity = (typeof POLARITIES)[number];

/** Ways to break an indicator down. `ics` is the whole partnership (one group). */
export const BREAKDOWNS = [
  'ics',
  'place',
  'local-authority',
  'neighbourhood',
  'lsoa',
  'imd-decile',
  'imd-quintile',
  'age-band',
  'sex',
  'ethnic-group',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

// ---------------------------------------------------------------------------------------------
// Who: predicates on a person at a reference date (the end of the period).

const snomed = z.string().regex(/^\d{6,18}$/, 'a SNOMED CT concept id');

export type PersonPredicate =
  /** On the condition's register (first code of its codelist) on or before the reference date. */
  | { readonly kind: 'on-register'; readonly condition: (typeof CONDITION_KEYS)[number] }
  /** On at least `count` of the listed registers (the 25 long-term condition registers, LONG_TERM_CONDITION_KEYS, when omitted). */
  | { readonly kind: 'conditions-at-least'; readonly count: number; readonly conditions?: readonly (typeof CONDITION_KEYS)[number][] }
  /** The latest record among `among` (within the lookback) is one of `is`. */
  | { readonly kind: 'latest-code-in'; readonly among: readonly string[]; readonly is: readonly string[]; readonly lookbackDays?: number }
  /** Has any record of the codes (within the lookback). */
  | { readonly kind: 'has-code'; readonly codes: readonly string[]; readonly lookbackDays?: number }
  /** The latest numeric value recorded with `code` (within the lookback) lies in [min, max). */
  | { readonly kind: 'latest-value-in'; readonly code: string; readonly min?: number; readonly max?: number; readonly lookbackDays?: number }
  /**
   * Has at least one event of `events` (a row of its table passing its filters and age limits, dated
   * by its date column) on or before the reference date, within the lookback: e.g. a contact with
   * mental health services in the year.
   */
  | { readonly kind: 'has-event'; readonly events: EventSpec; readonly lookbackDays?: number }
  | { readonly kind: 'all'; readonly of: readonly PersonPredicate[] }
  | { readonly kind: 'any'; readonly of: readonly PersonPredicate[] }
  | { readonly kind: 'not'; readonly predicate: PersonPredicate };

export const PersonPredicateSchema: z.ZodType<PersonPredicate> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('on-register'), condition: z.enum(CONDITION_KEYS) }).strict(),
    z.object({ kind: z.literal('conditions-at-least'), count: z.number().int().min(1).max(CONDITION_KEYS.length), conditions: z.array(z.enum(CONDITION_KEYS)).min(1).optional() }).strict(),
    z.object({ kind: z.literal('latest-code-in'), among: z.array(snomed).min(1), is: z.array(snomed).min(1), lookbackDays: z.number().int().positive().optional() }).strict(),
    z.object({ kind: z.literal('has-code'), codes: z.array(snomed).min(1), lookbackDays: z.number().int().positive().optional() }).strict(),
    z.object({ kind: z.literal('latest-value-in'), code: snomed, min: z.number().optional(), max: z.number().optional(), lookbackDays: z.number().int().positive().optional() }).strict(),
    z.object({ kind: z.literal('has-event'), events: EventSpecSchema, lookbackDays: z.number().int().positive().optional() }).strict(),
    z.object({ kind: z.literal('all'), of: z.array(PersonPredicateSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), of: z.array(PersonPredicateSchema).min(1) }).strict(),
    z.object({ kind: z.literal('not'), predicate: PersonPredicateSchema }).strict(),
  ]),
);

/** The people counted: resident and alive at the reference date, in an age range and sex. */
export interface PersonScope {
  readonly minAge?: number;
  /** Inclusive. */
  readonly maxAge?: number;
  readonly sex?: (typeof SEXES)[number];
  readonly where?: PersonPredicate;
}
export const PersonScopeSchema = z
  .object({ minAge: z.number().int().min(0).max(120).optional(), maxAge: z.number().int().min(0).max(120).optional(), sex: z.enum(SEXES).optional(), where: PersonPredicateSchema.optional() })
  .strict();

// ---------------------------------------------------------------------------------------------
// What happened: events from one table, dated by one of its columns, filtered by its columns.

export type ColumnFilter =
  | { readonly column: string; readonly op: 'in'; readonly values: readonly (string | boolean)[] }
  | { readonly column: string; readonly op: 'prefix'; readonly values: readonly string[] }
  | { readonly column: string; readonly op: 'between'; readonly min?: number; readonly max?: number }
  | { readonly column: string; readonly op: 'is-null' | 'not-null' }
  /** The month (1 = January … 12 = December) of a date or timestamp column is one of `values`: winter deaths. */
  | { readonly column: string; readonly op: 'month-in'; readonly values: readonly number[] };

export const ColumnFilterSchema: z.ZodType<ColumnFilter> = z.discriminatedUnion('op', [
  z.object({ column: z.string(), op: z.literal('in'), values: z.array(z.union([z.string(), z.boolean()])).min(1) }).strict(),
  z.object({ column: z.string(), op: z.literal('prefix'), values: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ column: z.string(), op: z.literal('between'), min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({ column: z.string(), op: z.enum(['is-null', 'not-null']) }).strict(),
  z.object({ column: z.string(), op: z.literal('month-in'), values: z.array(z.number().int().min(1).max(12)).min(1) }).strict(),
]);

export interface EventSpec {
  readonly table: TableName;
  /** Date or timestamp column that places the event in a period. */
  readonly dateColumn: string;
  /** Column holding the person the event belongs to (person_id; mother_person_id for births). */
  readonly personColumn?: string;
  readonly filters?: readonly ColumnFilter[];
  /** Age at the event, inclusive bounds. */
  readonly minAge?: number;
  readonly maxAge?: number;
}
export const EventSpecSchema = z
  .object({
    table: z.enum(TABLE_NAMES),
    dateColumn: z.string(),
    personColumn: z.string().optional(),
    filters: z.array(ColumnFilterSchema).optional(),
    minAge: z.number().int().min(0).optional(),
    maxAge: z.number().int().min(0).optional(),
  })
  .strict();

/** A condition on one event (the numerator of an event proportion). */
export type EventPredicate =
  | { readonly kind: 'filters'; readonly filters: readonly ColumnFilter[] }
  /** Minutes between two timestamp columns at most `minutes` (the A&E 4-hour standard). */
  | { readonly kind: 'duration-at-most'; readonly from: string; readonly to: string; readonly minutes: number }
  /** Followed by another event of the same person within `withinDays` after `fromColumn` (e.g. readmission). */
  | { readonly kind: 'followed-by'; readonly events: EventSpec; readonly fromColumn: string; readonly withinDays: number };
export const EventPredicateSchema: z.ZodType<EventPredicate> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('filters'), filters: z.array(ColumnFilterSchema).min(1) }).strict(),
  z.object({ kind: z.literal('duration-at-most'), from: z.string(), to: z.string(), minutes: z.number().positive() }).strict(),
  z.object({ kind: z.literal('followed-by'), events: EventSpecSchema, fromColumn: z.string(), withinDays: z.number().int().positive() }).strict(),
]);

// ---------------------------------------------------------------------------------------------
// Measures: how numerator and denominator are formed. A discriminated union; engines and the
// statistics step each handle every kind through a Record<MeasureKind, Handler> table.

export type Measure =
  /** Share of the people in `population` (at the end of the period) for whom `numerator` holds. Wilson limits. */
  | { readonly kind: 'person-proportion'; readonly population: PersonScope; readonly numerator: PersonPredicate }
  /** Events per person-year (population at the middle of the period × years). Crude (Byar's) or ESP 2013 DSR (Dobson). */
  | { readonly kind: 'event-rate'; readonly events: EventSpec; readonly population: PersonScope; readonly standardisation: 'none' | 'esp2013' }
  /** Share of events for which `numerator` holds (A&E within 4 hours, low birth weight, readmission). Wilson limits. */
  | { readonly kind: 'event-proportion'; readonly events: EventSpec; readonly numerator: EventPredicate }
  /** Period life expectancy (Chiang II, Silcocks) from deaths and mid-period population in 20 age bands. */
  | { readonly kind: 'life-expectancy'; readonly sex: (typeof SEXES)[number]; readonly startAge: number }
  /** Observed people with a predicate / expected from age-sex rates (e.g. dementia diagnosis rate). */
  | {
      readonly kind: 'observed-expected';
      readonly population: PersonScope;
      readonly numerator: PersonPredicate;
      readonly expectedRates: readonly { readonly sex: (typeof SEXES)[number]; readonly minAge: number; readonly maxAge?: number; readonly rate: number }[];
    };
export type MeasureKind = Measure['kind'];
export const MEASURE_KINDS = ['person-proportion', 'event-rate', 'event-proportion', 'life-expectancy', 'observed-expected'] as const satisfies readonly MeasureKind[];

export const MeasureSchema: z.ZodType<Measure> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person-proportion'), population: PersonScopeSchema, numerator: PersonPredicateSchema }).strict(),
  z.object({ kind: z.literal('event-rate'), events: EventSpecSchema, population: PersonScopeSchema, standardisation: z.enum(['none', 'esp2013']) }).strict(),
  z.object({ kind: z.literal('event-proportion'), events: EventSpecSchema, numerator: EventPredicateSchema }).strict(),
  z.object({ kind: z.literal('life-expectancy'), sex: z.enum(SEXES), startAge: z.number().int().min(0).max(90) }).strict(),
  z
    .object({
      kind: z.literal('observed-expected'),
      population: PersonScopeSchema,
      numerator: PersonPredicateSchema,
      expectedRates: z.array(z.object({ sex: z.enum(SEXES), minAge: z.number().int().min(0), maxAge: z.number().int().optional(), rate: z.number().min(0).max(1) }).strict()).min(1),
    })
    .strict(),
]);

// ---------------------------------------------------------------------------------------------

export interface IndicatorDefinition {
  /** Stable id, kebab-case (e.g. `smoking-prevalence`). */
  readonly id: string;
  readonly version: number;
  readonly title: string;
  /** Plain-English definition, as an analyst would write it in a metadata sheet. */
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  /** Unit of the value, e.g. '%', 'per 100,000', 'years'. */
  readonly unit: string;
  /** Value = numerator / denominator × multiplier (1 for life expectancy). */
  readonly multiplier: number;
  readonly polarity: IndicatorPolarity;
  readonly dataSource: string;
  /** Years pooled per period (life expectancy and mortality usually 3). */
  readonly periodYears: number;
  /** Standard population for DSRs. */
  readonly standardPopulation?: 'ESP2013';
  /** Themes from the plans, for grouping in the catalogue. */
  readonly themes: readonly string[];
  /** Where the indicator comes from (plan target, OHID Fingertips id, NHS Oversight Framework). */
  readonly reference?: string;
  /** Breakdowns that make sense (e.g. no sex breakdown for a sex-specific indicator). Default: all. */
  readonly breakdowns?: readonly Breakdown[];
  /**
   * The Fingertips indicator whose definition this one matches (its id, sex and age as Fingertips
   * writes them), with how the definitions differ when they are close but not equal; absent when
   * no comparison with Fingertips would be meaningful (docs/statistics.md, "Comparison with England").
   */
  readonly fingertips?: FingertipsMapping;
  readonly measure: Measure;
}

export const IndicatorDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case, e.g. smoking-prevalence'),
    version: z.number().int().min(1),
    title: z.string().min(3),
    definition: z.string().min(10),
    numeratorText: z.string().min(3),
    denominatorText: z.string().min(3),
    unit: z.string().min(1),
    multiplier: z.number().positive(),
    polarity: z.enum(POLARITIES),
    dataSource: z.string().min(3),
    periodYears: z.number().int().min(1).max(5),
    standardPopulation: z.literal('ESP2013').optional(),
    themes: z.array(z.string()).min(1),
    reference: z.string().optional(),
    breakdowns: z.array(z.enum(BREAKDOWNS)).min(1).optional(),
    fingertips: FingertipsMappingSchema.optional(),
    measure: MeasureSchema,
  })
  .strict();

const columnNames = (table: TableName) => new Set(TABLES[table].columns.map((c) => c.name));

const checkEvents = (events: EventSpec, where: string, problems: string[]) => {
  const cols = columnNames(events.table);
  if (!cols.has(events.dateColumn)) problems.push(`${where}: table ${events.table} has no column '${events.dateColumn}'`);
  if (events.personColumn && !cols.has(events.personColumn)) problems.push(`${where}: table ${events.table} has no column '${events.personColumn}'`);
  if (!events.personColumn && !cols.has('person_id')) problems.push(`${where}: table ${events.table} has no person_id; set personColumn`);
  for (const f of events.filters ?? []) if (!cols.has(f.column)) problems.push(`${where}: table ${events.table} has no column '${f.column}'`);
  if (events.minAge !== undefined && events.maxAge !== undefined && events.minAge > events.maxAge) problems.push(`${where}: minAge is above maxAge`);
};

/** Checks the event specs inside a person predicate (has-event, at any depth). */
const checkPredicate = (p: PersonPredicate, where: string, problems: string[]): void => {
  if (p.kind === 'has-event') checkEvents(p.events, `${where}.events`, problems);
  if (p.kind === 'all' || p.kind === 'any') p.of.forEach((q, i) => checkPredicate(q, `${where}.of.${i}`, problems));
  if (p.kind === 'not') checkPredicate(p.predicate, `${where}.predicate`, problems);
};

/** Validates a definition (shape and meaning: columns exist, age ranges make sense); throws a UserError listing every problem. */
export const parseIndicatorDefinition = (input: unknown, source = 'indicator definition'): IndicatorDefinition => {
  const parsed = IndicatorDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UserError(`${source}: ${issues}`, 'invalid-input');
  }
  const def = parsed.data as IndicatorDefinition;
  const problems: string[] = [];
  const m = def.measure;
  if ('population' in m && m.population.minAge !== undefined && m.population.maxAge !== undefined && m.population.minAge > m.population.maxAge) {
    problems.push('measure.population: minAge is above maxAge');
  }
  if (m.kind === 'event-rate' || m.kind === 'event-proportion') checkEvents(m.events, 'measure.events', problems);
  if ('population' in m && m.population.where) checkPredicate(m.population.where, 'measure.population.where', problems);
  if ((m.kind === 'person-proportion' || m.kind === 'observed-expected') && m.numerator) checkPredicate(m.numerator, 'measure.numerator', problems);
  if (m.kind === 'event-proportion') {
    const n = m.numerator;
    const cols = columnNames(m.events.table);
    if (n.kind === 'filters') for (const f of n.filters) if (!cols.has(f.column)) problems.push(`measure.numerator: table ${m.events.table} has no column '${f.column}'`);
    if (n.kind === 'duration-at-most') for (const c of [n.from, n.to]) if (!cols.has(c)) problems.push(`measure.numerator: table ${m.events.table} has no column '${c}'`);
    if (n.kind === 'followed-by') {
      checkEvents(n.events, 'measure.numerator.events', problems);
      if (!cols.has(n.fromColumn)) problems.push(`measure.numerator: table ${m.events.table} has no column '${n.fromColumn}'`);
    }
  }
  if (m.kind === 'event-rate' && m.standardisation === 'esp2013' && def.standardPopulation !== 'ESP2013') problems.push("standardPopulation must be 'ESP2013' for a standardised rate");
  if (m.kind === 'life-expectancy' && def.multiplier !== 1) problems.push('multiplier must be 1 for life expectancy');
  if (problems.length > 0) throw new UserError(`${source} '${def.id}': ${problems.join('; ')}`, 'invalid-input');
  return def;
};
