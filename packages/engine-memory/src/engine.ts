/**
 * The reference engine: indicator definitions evaluated over plain arrays of rows, one person at a
 * time, written to be obviously right rather than fast. Every rule here is stated in
 * docs/indicator-semantics.md; the DuckDB engine must give exactly the same counts (the shared
 * spec suite in @openphm/indicator-specs checks both).
 */
import {
  CONDITIONS,
  CONDITION_KEYS,
  LONG_TERM_CONDITION_KEYS,
  ESP2013_LIFE_TABLE,
  ETHNIC_CATEGORIES,
  TABLES,
  UserError,
  ageBreakdownLabel,
  dayFromIso,
  esp19Label,
  isoFromDay,
  lifeTableLabel,
  periodLastDay,
  periodMidpoint,
  periodYears,
  type AggregateCell,
  type AggregateRequest,
  type Breakdown,
  type ColumnFilter,
  type ColumnType,
  type EventPredicate,
  type EventSpec,
  type IndicatorEngine,
  type Measure,
  type MeasureKind,
  type Period,
  type PersonPredicate,
  type PersonScope,
  type TableName,
} from '@openphm/core';
import type { MemoryData, MemoryLsoa, MemoryRow, MemoryValue } from './data.js';
import { recordKeyOf } from './record-key.js';

// ---------------------------------------------------------------------------------------------
// Dates

/** Whole years of age on `day` (both 'YYYY-MM-DD'): one less than the year difference before the birthday. */
export const ageOn = (dateOfBirth: string, day: string): number => {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5, 10) < dateOfBirth.slice(5, 10) ? years - 1 : years;
};

const addDays = (day: string, days: number): string => isoFromDay(dayFromIso(day) + days);

/** The calendar day of a date or timestamp value ('YYYY-MM-DD…'), or null. */
const dayOf = (value: MemoryValue | undefined): string | null => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null);

/** Microseconds since 1970 of a 'YYYY-MM-DD HH:MM:SS[.ffffff]' timestamp (or a date: midnight), or null. */
const microsecondsOf = (value: MemoryValue | undefined): number | null => {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(value);
  if (!m) return null;
  const seconds = dayFromIso(m[1]!) * 86_400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return seconds * 1_000_000 + Number((m[5] ?? '').padEnd(6, '0'));
};

// ---------------------------------------------------------------------------------------------
// People

interface ClinicalEvent {
  readonly date: string;
  readonly code: string;
  readonly value: number | null;
}

interface Person {
  readonly key: string;
  /** Record key 0-255 (disclosure control): person.record_key when the rows carry it, else from the data's salt. */
  readonly recordKey: number | undefined;
  readonly sex: string;
  readonly dateOfBirth: string;
  readonly ethnicGroup: string;
  readonly lsoa: MemoryLsoa;
  /** Earliest date of death, or null. */
  readonly dateOfDeath: string | null;
  /** Clinical events, sorted by date. */
  readonly clinical: readonly ClinicalEvent[];
}

/** Person ids are compared as text, so 42 and '42' are the same person. */
const keyOf = (value: MemoryValue | undefined): string | null => (value === null || value === undefined ? null : String(value));

const ethnicGroupOf = (category: MemoryValue | undefined): string =>
  typeof category === 'string' && Object.hasOwn(ETHNIC_CATEGORIES, category) ? ETHNIC_CATEGORIES[category as keyof typeof ETHNIC_CATEGORIES].group : 'Not stated';

const resident = (p: Person, day: string): boolean => p.dateOfBirth <= day && (p.dateOfDeath === null || p.dateOfDeath > day);

const peopleOf = (data: MemoryData): Map<string, Person> => {
  const lsoas = new Map(data.lsoas.map((l) => [l.code, l]));
  const deaths = new Map<string, string>();
  for (const row of data.tables.death ?? []) {
    const key = keyOf(row.person_id);
    const day = dayOf(row.date_of_death);
    if (key === null || day === null) continue;
    const earlier = deaths.get(key);
    if (earlier === undefined || day < earlier) deaths.set(key, day);
  }
  const clinical = new Map<string, ClinicalEvent[]>();
  for (const row of data.tables.clinical_event ?? []) {
    const key = keyOf(row.person_id);
    const date = dayOf(row.event_date);
    if (key === null || date === null || typeof row.snomed_code !== 'string') continue;
    const list = clinical.get(key) ?? clinical.set(key, []).get(key)!;
    list.push({ date, code: row.snomed_code, value: typeof row.numeric_value === 'number' ? row.numeric_value : null });
  }
  const people = new Map<string, Person>();
  for (const row of data.tables.person ?? []) {
    const key = keyOf(row.person_id);
    const lsoa = typeof row.lsoa_code === 'string' ? lsoas.get(row.lsoa_code) : undefined;
    const dateOfBirth = dayOf(row.date_of_birth);
    if (key === null || lsoa === undefined || dateOfBirth === null) continue; // lives outside the partnership
    const events = (clinical.get(key) ?? []).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    people.set(key, {
      key,
      recordKey: typeof row.record_key === 'number' ? row.record_key : data.recordKeySalt !== undefined ? recordKeyOf(data.recordKeySalt, key) : undefined,
      sex: String(row.sex),
      dateOfBirth,
      ethnicGroup: ethnicGroupOf(row.ethnic_category),
      lsoa,
      dateOfDeath: deaths.get(key) ?? null,
      clinical: events,
    });
  }
  return people;
};

// ---------------------------------------------------------------------------------------------
// Person predicates, as of a day

/** True when an event date lies in the lookback window ending on `day`: (day − lookbackDays, day]. */
const inWindow = (date: string, day: string, lookbackDays: number | undefined): boolean =>
  date <= day && (lookbackDays === undefined || date > addDays(day, -lookbackDays));

const CONDITION_CODES = new Map(CONDITION_KEYS.map((k) => [k, new Set<string>(CONDITIONS[k].codes.map((c) => c.code))]));

const onRegister = (person: Person, condition: (typeof CONDITION_KEYS)[number], day: string): boolean => {
  const codes = CONDITION_CODES.get(condition)!;
  return person.clinical.some((e) => e.date <= day && codes.has(e.code));
};

/** What predicates need beyond the person's clinical events: the days of a person's events of an event spec (has-event). */
interface PredicateContext {
  readonly eventDays: (spec: EventSpec, person: Person) => readonly string[];
}

type PredicateHandlers = { readonly [K in PersonPredicate['kind']]: (p: Extract<PersonPredicate, { kind: K }>, person: Person, day: string, ctx: PredicateContext) => boolean };

const PREDICATES: PredicateHandlers = {
  'on-register': (p, person, day) => onRegister(person, p.condition, day),
  'conditions-at-least': (p, person, day) => (p.conditions ?? LONG_TERM_CONDITION_KEYS).filter((c, i, all) => all.indexOf(c) === i && onRegister(person, c, day)).length >= p.count,
  'has-code': (p, person, day) => person.clinical.some((e) => p.codes.includes(e.code) && inWindow(e.date, day, p.lookbackDays)),
  'latest-code-in': (p, person, day) => {
    // Latest by date; on the same date, the greatest code (compared as text).
    let latest: ClinicalEvent | undefined;
    for (const e of person.clinical) {
      if (!p.among.includes(e.code) || !inWindow(e.date, day, p.lookbackDays)) continue;
      if (latest === undefined || e.date > latest.date || (e.date === latest.date && e.code > latest.code)) latest = e;
    }
    return latest !== undefined && p.is.includes(latest.code);
  },
  'latest-value-in': (p, person, day) => {
    // Latest by date among records with a value; on the same date, the greatest value.
    let latest: { date: string; value: number } | undefined;
    for (const e of person.clinical) {
      if (e.code !== p.code || e.value === null || !inWindow(e.date, day, p.lookbackDays)) continue;
      if (latest === undefined || e.date > latest.date || (e.date === latest.date && e.value > latest.value)) latest = { date: e.date, value: e.value };
    }
    return latest !== undefined && (p.min === undefined || latest.value >= p.min) && (p.max === undefined || latest.value < p.max);
  },
  'has-event': (p, person, day, ctx) => ctx.eventDays(p.events, person).some((d) => inWindow(d, day, p.lookbackDays)),
  all: (p, person, day, ctx) => p.of.every((q) => holds(q, person, day, ctx)),
  any: (p, person, day, ctx) => p.of.some((q) => holds(q, person, day, ctx)),
  not: (p, person, day, ctx) => !holds(p.predicate, person, day, ctx),
};

const holds = (p: PersonPredicate, person: Person, day: string, ctx: PredicateContext): boolean =>
  (PREDICATES[p.kind] as (p: PersonPredicate, person: Person, day: string, ctx: PredicateContext) => boolean)(p, person, day, ctx);

/** Resident on `day`, of the scope's ages and sex, and meeting its `where` on that day. */
const inScope = (person: Person, scope: PersonScope, day: string, ctx: PredicateContext): boolean => {
  if (!resident(person, day)) return false;
  const age = ageOn(person.dateOfBirth, day);
  if (scope.minAge !== undefined && age < scope.minAge) return false;
  if (scope.maxAge !== undefined && age > scope.maxAge) return false;
  if (scope.sex !== undefined && person.sex !== scope.sex) return false;
  return scope.where === undefined || holds(scope.where, person, day, ctx);
};

// ---------------------------------------------------------------------------------------------
// Events

const columnType = (table: TableName, column: string): ColumnType => {
  const def = TABLES[table].columns.find((c) => c.name === column);
  if (!def) throw new UserError(`table ${table} has no column '${column}'`, 'invalid-input');
  return def.type;
};

const NUMERIC: readonly ColumnType[] = ['bigint', 'integer', 'double'];
const TEXTUAL: readonly ColumnType[] = ['varchar', 'date', 'timestamp'];

/** The numbers among `in` values (text that reads as a number). */
const numbersOf = (values: readonly (string | boolean)[]): number[] =>
  values.filter((v): v is string => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))).map(Number);
/** The booleans among `in` values (true/false, or the text 'true'/'false'). */
const booleansOf = (values: readonly (string | boolean)[]): boolean[] =>
  values.flatMap((v) => (typeof v === 'boolean' ? [v] : v === 'true' ? [true] : v === 'false' ? [false] : []));

const filterPasses = (table: TableName, f: ColumnFilter, row: MemoryRow): boolean => {
  const type = columnType(table, f.column);
  const value = row[f.column] ?? null;
  switch (f.op) {
    case 'is-null':
      return value === null;
    case 'not-null':
      return value !== null;
    case 'in':
      if (value === null) return false;
      if (type === 'boolean') return booleansOf(f.values).includes(value === true);
      if (NUMERIC.includes(type)) return typeof value === 'number' && numbersOf(f.values).includes(value);
      return f.values.map(String).includes(String(value));
    case 'prefix':
      if (!TEXTUAL.includes(type)) throw new UserError(`a prefix filter needs a text or date column; ${table}.${f.column} is ${type}`, 'invalid-input');
      return value !== null && f.values.some((p) => String(value).startsWith(p));
    case 'between':
      if (!NUMERIC.includes(type)) throw new UserError(`a between filter needs a numeric column; ${table}.${f.column} is ${type}`, 'invalid-input');
      return typeof value === 'number' && (f.min === undefined || value >= f.min) && (f.max === undefined || value <= f.max);
    case 'month-in':
      if (type !== 'date' && type !== 'timestamp') throw new UserError(`a month-in filter needs a date or timestamp column; ${table}.${f.column} is ${type}`, 'invalid-input');
      // Dates are held as 'YYYY-MM-DD' and timestamps as 'YYYY-MM-DD hh:mm:ss': the month is characters 5-6.
      return value !== null && f.values.includes(Number(String(value).slice(5, 7)));
  }
};

interface Event {
  readonly row: MemoryRow;
  readonly person: Person;
  /** Day of the event's date column. */
  readonly day: string;
  /** Age of the person on that day. */
  readonly age: number;
}

export interface MemoryEngineOptions {
  readonly name?: string;
}

/** The reference engine over plain rows. */
export const createMemoryEngine = (data: MemoryData, options: MemoryEngineOptions = {}): IndicatorEngine => {
  const people = peopleOf(data);
  const rowsOf = (table: TableName): readonly MemoryRow[] => data.tables[table] ?? [];

  /** Rows of the spec's table (any date) whose person lives in the partnership, passing its filters and age limits. */
  const eventsOf = (spec: EventSpec): Event[] => {
    columnType(spec.table, spec.dateColumn);
    const personColumn = spec.personColumn ?? 'person_id';
    columnType(spec.table, personColumn);
    const out: Event[] = [];
    for (const row of rowsOf(spec.table)) {
      const key = keyOf(row[personColumn]);
      const person = key === null ? undefined : people.get(key);
      const day = dayOf(row[spec.dateColumn]);
      if (person === undefined || day === null) continue;
      const age = ageOn(person.dateOfBirth, day);
      if (age < 0) continue; // dated before the person was born
      if (spec.minAge !== undefined && age < spec.minAge) continue;
      if (spec.maxAge !== undefined && age > spec.maxAge) continue;
      if (!(spec.filters ?? []).every((f) => filterPasses(spec.table, f, row))) continue;
      out.push({ row, person, day, age });
    }
    return out;
  };
  const inPeriod = (day: string, period: Period): boolean => day >= period.start && day < period.end;

  /** The days of each person's events of an event spec (any date), computed once per spec. */
  const eventDayIndex = new Map<string, Map<string, string[]>>();
  const ctx: PredicateContext = {
    eventDays: (spec, person) => {
      const key = JSON.stringify(spec);
      let index = eventDayIndex.get(key);
      if (index === undefined) {
        index = new Map();
        for (const e of eventsOf(spec)) (index.get(e.person.key) ?? index.set(e.person.key, []).get(e.person.key)!).push(e.day);
        eventDayIndex.set(key, index);
      }
      return index.get(person.key) ?? [];
    },
  };

  type EventPredicateHandlers = { readonly [K in EventPredicate['kind']]: (p: Extract<EventPredicate, { kind: K }>, table: TableName) => (e: Event) => boolean };
  const EVENT_PREDICATES: EventPredicateHandlers = {
    filters: (p, table) => (e) => p.filters.every((f) => filterPasses(table, f, e.row)),
    'duration-at-most': (p, table) => {
      columnType(table, p.from);
      columnType(table, p.to);
      return (e) => {
        const from = microsecondsOf(e.row[p.from]);
        const to = microsecondsOf(e.row[p.to]);
        return from !== null && to !== null && to - from <= Math.round(p.minutes * 60_000_000);
      };
    },
    'followed-by': (p, table) => {
      columnType(table, p.fromColumn);
      const later = new Map<string, Event[]>();
      for (const e of eventsOf(p.events)) (later.get(e.person.key) ?? later.set(e.person.key, []).get(e.person.key)!).push(e);
      return (e) => {
        const from = dayOf(e.row[p.fromColumn]);
        if (from === null) return false;
        const last = addDays(from, p.withinDays);
        return (later.get(e.person.key) ?? []).some((f) => f.row !== e.row && f.day > from && f.day <= last);
      };
    },
  };
  const eventPredicate = (p: EventPredicate, table: TableName) =>
    (EVENT_PREDICATES[p.kind] as (p: EventPredicate, table: TableName) => (e: Event) => boolean)(p, table);

  type Compilers = { readonly [M in MeasureKind]: (measure: Extract<Measure, { kind: M }>, period: Period, breakdown: Breakdown) => AggregateCell[] };

  const MEASURES: Compilers = {
    'person-proportion': (m, period, breakdown) => {
      const day = periodLastDay(period);
      const cells = new Cells();
      for (const p of people.values()) {
        if (!inScope(p, m.population, day, ctx)) continue;
        cells.add(groupOf(breakdown, p, ageOn(p.dateOfBirth, day)), undefined, holds(m.numerator, p, day, ctx) ? 1 : 0, 1, p.recordKey);
      }
      return cells.list();
    },
    'event-rate': (m, period, breakdown) => {
      const midpoint = periodMidpoint(period);
      const band = (age: number) => (m.standardisation === 'esp2013' ? esp19Label(age) : undefined);
      const cells = new Cells();
      for (const e of eventsOf(m.events)) {
        if (!inPeriod(e.day, period)) continue;
        if (m.population.sex !== undefined && e.person.sex !== m.population.sex) continue;
        if (m.population.where !== undefined && !holds(m.population.where, e.person, midpoint, ctx)) continue;
        cells.add(groupOf(breakdown, e.person, e.age), band(e.age), 1, 0, e.person.recordKey);
      }
      for (const p of people.values()) {
        if (!inScope(p, m.population, midpoint, ctx)) continue;
        const age = ageOn(p.dateOfBirth, midpoint);
        cells.add(groupOf(breakdown, p, age), band(age), 0, 1, p.recordKey);
      }
      const years = periodYears(period);
      return cells.list((c) => ({ ...c, denominator: c.denominator * years }));
    },
    'event-proportion': (m, period, breakdown) => {
      const numerator = eventPredicate(m.numerator, m.events.table);
      const cells = new Cells();
      for (const e of eventsOf(m.events)) {
        if (!inPeriod(e.day, period)) continue;
        cells.add(groupOf(breakdown, e.person, e.age), undefined, numerator(e) ? 1 : 0, 1, e.person.recordKey);
      }
      return cells.list();
    },
    'life-expectancy': (m, period, breakdown) => {
      const midpoint = periodMidpoint(period);
      const cells = new Cells();
      for (const e of eventsOf({ table: 'death', dateColumn: 'date_of_death' })) {
        if (!inPeriod(e.day, period) || e.person.sex !== m.sex) continue;
        cells.add(groupOf(breakdown, e.person, e.age), lifeTableLabel(e.age), 1, 0, e.person.recordKey);
      }
      for (const p of people.values()) {
        if (p.sex !== m.sex || !resident(p, midpoint)) continue;
        const age = ageOn(p.dateOfBirth, midpoint);
        cells.add(groupOf(breakdown, p, age), lifeTableLabel(age), 0, 1, p.recordKey);
      }
      for (const group of cells.groups()) for (const b of ESP2013_LIFE_TABLE.bands) cells.add(group, b.label, 0, 0, 0);
      const years = periodYears(period);
      return cells.list((c) => ({ ...c, denominator: c.denominator * years }), { keepZeros: true });
    },
    'observed-expected': (m, period, breakdown) => {
      const day = periodLastDay(period);
      const groups = new Map<string, { numerator: number; numeratorKeys: (number | undefined)[]; counts: number[] }>();
      for (const p of people.values()) {
        if (!inScope(p, m.population, day, ctx)) continue;
        const age = ageOn(p.dateOfBirth, day);
        const group = groupOf(breakdown, p, age);
        const g = groups.get(group) ?? groups.set(group, { numerator: 0, numeratorKeys: [], counts: m.expectedRates.map(() => 0) }).get(group)!;
        if (holds(m.numerator, p, day, ctx)) {
          g.numerator += 1;
          g.numeratorKeys.push(p.recordKey);
        }
        // The first rate of the person's sex whose ages include theirs; none: they add nothing.
        const i = m.expectedRates.findIndex((r) => r.sex === p.sex && age >= r.minAge && (r.maxAge === undefined || age <= r.maxAge));
        if (i >= 0) g.counts[i]! += 1;
      }
      const cells = new Cells();
      for (const [group, g] of groups) {
        // The expected count is not a count of records: it has no key.
        cells.add(group, undefined, 0, expectedOf(m.expectedRates, g.counts));
        for (const k of g.numeratorKeys) cells.add(group, undefined, 1, 0, k);
      }
      return cells.list((c) => {
        const { denominatorKey: _unused, ...rest } = c;
        return rest;
      });
    },
  };

  return {
    name: options.name ?? 'memory',
    aggregate: async ({ definition, period, breakdown }: AggregateRequest) => {
      dayFromIso(period.start);
      dayFromIso(period.end);
      const m = definition.measure;
      return (MEASURES[m.kind] as (m: Measure, period: Period, breakdown: Breakdown) => AggregateCell[])(m, period, breakdown);
    },
  };
};

/** Expected count: Σ people × rate, over the rates in their listed order (the DuckDB engine sums the same way). */
export const expectedOf = (rates: readonly { readonly rate: number }[], counts: readonly number[]): number =>
  rates.reduce((sum, r, i) => sum + (counts[i] ?? 0) * r.rate, 0);

const GROUPS: Record<Breakdown, (p: Person, age: number) => string> = {
  ics: () => 'ICS',
  place: (p) => p.lsoa.place,
  'local-authority': (p) => p.lsoa.ladCode,
  neighbourhood: (p) => p.lsoa.neighbourhoodId,
  lsoa: (p) => p.lsoa.code,
  'imd-decile': (p) => String(p.lsoa.imdDecile),
  'imd-quintile': (p) => String(p.lsoa.imdQuintile),
  'age-band': (_, age) => ageBreakdownLabel(age),
  sex: (p) => p.sex,
  'ethnic-group': (p) => p.ethnicGroup,
};
const groupOf = (breakdown: Breakdown, p: Person, age: number): string => GROUPS[breakdown](p, age);

interface CellCounts {
  group: string;
  ageBand: string | undefined;
  numerator: number;
  denominator: number;
  /** Sums of record keys modulo 256; undefined once a record without a key was counted. */
  numeratorKey: number | undefined;
  denominatorKey: number | undefined;
}

/** Counts by group and age band, with the cell keys of what they count. */
class Cells {
  private readonly cells = new Map<string, CellCounts>();

  private cell(group: string, ageBand: string | undefined): CellCounts {
    const key = `${group}\u0000${ageBand ?? ''}`;
    return this.cells.get(key) ?? this.cells.set(key, { group, ageBand, numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0 }).get(key)!;
  }

  /** Adds `numerator` and `denominator` records of one person (whose record key is `recordKey`). */
  add(group: string, ageBand: string | undefined, numerator: number, denominator: number, recordKey?: number): void {
    const cell = this.cell(group, ageBand);
    cell.numerator += numerator;
    cell.denominator += denominator;
    if (numerator > 0) cell.numeratorKey = recordKey === undefined || cell.numeratorKey === undefined ? undefined : (cell.numeratorKey + numerator * recordKey) % 256;
    if (denominator > 0) cell.denominatorKey = recordKey === undefined || cell.denominatorKey === undefined ? undefined : (cell.denominatorKey + denominator * recordKey) % 256;
  }

  groups(): string[] {
    return [...new Set([...this.cells.values()].filter((c) => c.numerator !== 0 || c.denominator !== 0).map((c) => c.group))];
  }

  /** The cells sorted by group then age band; cells with nothing counted are left out unless `keepZeros`. */
  list(finish: (c: AggregateCell) => AggregateCell = (c) => c, options: { keepZeros?: boolean } = {}): AggregateCell[] {
    return [...this.cells.values()]
      .filter((c) => options.keepZeros || c.numerator !== 0 || c.denominator !== 0)
      .map((c) =>
        finish({
          group: c.group,
          ...(c.ageBand === undefined ? {} : { ageBand: c.ageBand }),
          numerator: c.numerator,
          denominator: c.denominator,
          ...(c.numeratorKey === undefined ? {} : { numeratorKey: c.numeratorKey }),
          ...(c.denominatorKey === undefined ? {} : { denominatorKey: c.denominatorKey }),
        }),
      )
      .sort(compareCells);
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Cell order: group, then age band, as text. */
export const compareCells = (a: AggregateCell, b: AggregateCell): number => byText(a.group, b.group) || byText(a.ageBand ?? '', b.ageBand ?? '');
