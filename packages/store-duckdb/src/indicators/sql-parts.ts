/**
 * SQL fragments for indicator queries: literals, ages, age bands, breakdown groups, column
 * filters and person predicates. Every value from a definition reaches SQL through `literal`,
 * `num` or `dateLit`, and every column name is checked against the schema and quoted with `ident`.
 */
import {
  AGE_BREAKDOWN_BANDS,
  CONDITIONS,
  CONDITION_KEYS,
  LONG_TERM_CONDITION_KEYS,
  ESP2013,
  ESP2013_LIFE_TABLE,
  ETHNIC_CATEGORIES,
  InternalError,
  TABLES,
  UserError,
  ageBreakdownLabel,
  dayFromIso,
  esp19Label,
  isoFromDay,
  lifeTableLabel,
  type Breakdown,
  type ColumnFilter,
  type ColumnType,
  type EventSpec,
  type PersonPredicate,
  type PersonScope,
  type TableName,
} from '@openphm/core';
import { CODE_SETS_CODE, CodeSets } from '../code-sets.js';
import { ident, literal } from '../sql.js';

/** A finite number as SQL text. */
export const num = (value: number): string => {
  if (!Number.isFinite(value)) throw new UserError(`not a finite number: ${value}`, 'invalid-input');
  return String(value);
};

/** A DATE literal from a checked 'YYYY-MM-DD'. */
export const dateLit = (iso: string): string => {
  dayFromIso(iso);
  return `DATE ${literal(iso)}`;
};

export const addDays = (iso: string, days: number): string => isoFromDay(dayFromIso(iso) + days);

/** Whole years of age on `day` for a date of birth: the year difference, less one before the birthday. */
export const ageSql = (dob: string, day: string): string =>
  `(year(${day}) - year(${dob}) - CASE WHEN month(${day}) * 100 + day(${day}) < month(${dob}) * 100 + day(${dob}) THEN 1 ELSE 0 END)`;

const listSql = (values: readonly string[]): string => values.map(literal).join(', ');
/** `expr IN (…)` for text values; false for an empty list. */
export const inText = (expr: string, values: readonly string[]): string => (values.length === 0 ? 'false' : `${expr} IN (${listSql(values)})`);

// ---------------------------------------------------------------------------------------------
// Age bands: CASE expressions built from the same label functions the in-memory engine calls.

const bandCase = (age: string, bands: readonly { below: number; label: string }[], last: string): string =>
  `CASE ${bands.map((b) => `WHEN ${age} < ${num(b.below)} THEN ${literal(b.label)}`).join(' ')} ELSE ${literal(last)} END`;

/** ESP 2013 band (19 bands) of an age expression. */
export const esp19Sql = (age: string): string =>
  bandCase(
    age,
    ESP2013.bands.slice(0, -1).map((b) => ({ below: b.endAge! + 1, label: esp19Label(b.startAge) })),
    esp19Label(ESP2013.bands[ESP2013.bands.length - 1]!.startAge),
  );

/** Life-table band (20 bands) of an age expression. */
export const life20Sql = (age: string): string =>
  bandCase(
    age,
    ESP2013_LIFE_TABLE.bands.slice(0, -1).map((b) => ({ below: b.endAge! + 1, label: lifeTableLabel(b.startAge) })),
    lifeTableLabel(ESP2013_LIFE_TABLE.bands[ESP2013_LIFE_TABLE.bands.length - 1]!.startAge),
  );

const ageBreakdownSql = (age: string): string =>
  bandCase(
    age,
    AGE_BREAKDOWN_BANDS.slice(0, -1).map((b) => ({ below: b.max + 1, label: ageBreakdownLabel(b.min) })),
    ageBreakdownLabel(AGE_BREAKDOWN_BANDS[AGE_BREAKDOWN_BANDS.length - 1]!.min),
  );

/** Broad ethnic group of a category code ('Not stated' for anything unknown). */
export const ethnicGroupSql = (category: string): string =>
  `CASE ${category} ${Object.entries(ETHNIC_CATEGORIES)
    .map(([code, c]) => `WHEN ${literal(code)} THEN ${literal(c.group)}`)
    .join(' ')} ELSE 'Not stated' END`;

/** The group of a row of `people`-shaped columns (alias b) for a breakdown; `age` is the age that places the row in an age band. */
export const GROUP_SQL: Record<Breakdown, (age: string) => string> = {
  ics: () => `'ICS'`,
  place: () => 'b.place',
  'local-authority': () => 'b.lad_code',
  neighbourhood: () => 'b.neighbourhood_id',
  lsoa: () => 'b.lsoa_code',
  'imd-decile': () => 'CAST(b.imd_decile AS VARCHAR)',
  'imd-quintile': () => 'CAST(b.imd_quintile AS VARCHAR)',
  'age-band': (age) => ageBreakdownSql(age),
  sex: () => 'b.sex',
  'ethnic-group': () => 'b.ethnic_group',
};

// ---------------------------------------------------------------------------------------------
// Columns and filters

export const checkTable = (table: string): TableName => {
  if (!Object.hasOwn(TABLES, table)) throw new UserError(`unknown table '${table}'`, 'invalid-input');
  return table as TableName;
};

export const columnType = (table: TableName, column: string): ColumnType => {
  const def = TABLES[table].columns.find((c) => c.name === column);
  if (!def) throw new UserError(`table ${table} has no column '${column}'`, 'invalid-input');
  return def.type;
};

/** A column of `alias`, checked against the schema and quoted. */
export const col = (alias: string, table: TableName, column: string): string => {
  columnType(table, column);
  return `${alias}.${ident(column)}`;
};

const NUMERIC: readonly ColumnType[] = ['bigint', 'integer', 'double'];
const TEXTUAL: readonly ColumnType[] = ['varchar', 'date', 'timestamp'];

const numbersOf = (values: readonly (string | boolean)[]): number[] =>
  values.filter((v): v is string => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))).map(Number);
const booleansOf = (values: readonly (string | boolean)[]): boolean[] =>
  values.flatMap((v) => (typeof v === 'boolean' ? [v] : v === 'true' ? [true] : v === 'false' ? [false] : []));

/** A column filter as a boolean expression that is never NULL. */
export const filterSql = (alias: string, table: TableName, f: ColumnFilter): string => {
  const type = columnType(table, f.column);
  const c = col(alias, table, f.column);
  switch (f.op) {
    case 'is-null':
      return `(${c} IS NULL)`;
    case 'not-null':
      return `(${c} IS NOT NULL)`;
    case 'in': {
      if (type === 'boolean') {
        const values = [...new Set(booleansOf(f.values))];
        return values.length === 0 ? 'false' : `COALESCE(${c} IN (${values.map((v) => (v ? 'TRUE' : 'FALSE')).join(', ')}), false)`;
      }
      if (NUMERIC.includes(type)) {
        const values = numbersOf(f.values);
        return values.length === 0 ? 'false' : `COALESCE(${c} IN (${values.map(num).join(', ')}), false)`;
      }
      return `COALESCE(${inText(`CAST(${c} AS VARCHAR)`, f.values.map(String))}, false)`;
    }
    case 'prefix':
      if (!TEXTUAL.includes(type)) throw new UserError(`a prefix filter needs a text or date column; ${table}.${f.column} is ${type}`, 'invalid-input');
      return `COALESCE(${f.values.map((p) => `starts_with(CAST(${c} AS VARCHAR), ${literal(p)})`).join(' OR ')}, false)`;
    case 'between': {
      if (!NUMERIC.includes(type)) throw new UserError(`a between filter needs a numeric column; ${table}.${f.column} is ${type}`, 'invalid-input');
      const parts = [`${c} IS NOT NULL`];
      if (f.min !== undefined) parts.push(`${c} >= ${num(f.min)}`);
      if (f.max !== undefined) parts.push(`${c} <= ${num(f.max)}`);
      return `COALESCE(${parts.join(' AND ')}, false)`;
    }
    case 'month-in':
      if (type !== 'date' && type !== 'timestamp') throw new UserError(`a month-in filter needs a date or timestamp column; ${table}.${f.column} is ${type}`, 'invalid-input');
      return `COALESCE(month(${c}) IN (${[...new Set(f.values)].map(num).join(', ')}), false)`;
  }
};

export const filtersSql = (alias: string, table: TableName, filters: readonly ColumnFilter[] | undefined): string[] =>
  (filters ?? []).map((f) => filterSql(alias, table, f));

// ---------------------------------------------------------------------------------------------
// Person predicates
//
// Every leaf predicate becomes one aggregate over the person's clinical events (an "atom"), all
// computed in a single GROUP BY person_id pass over clinical_event (the `flags` relation, alias f);
// the predicate itself is then a boolean expression over those columns.

interface Atom {
  readonly column: string;
  readonly aggregate: string;
}

/** A has-event predicate's flag: whether the person has an event of `spec` within the lookback. */
interface EventAtom {
  readonly column: string;
  readonly spec: EventSpec;
  readonly lookbackDays: number | undefined;
}

/** The events of a spec as rows with the person (pid) and the event's day (eday): the engine's eventsSql. */
export type EventsSql = (spec: EventSpec) => string;

export class PredicateAtoms {
  private readonly atoms = new Map<string, Atom>();
  /** The code lists the atoms filter the clinical events by, tested as bits of one joined relation (code-sets.ts). */
  private readonly codeSets = new CodeSets();
  private readonly events = new Map<string, EventAtom>();
  /** The reference day as SQL: a column of the periods relation (alias per), one day per period. */
  readonly day: string;

  /**
   * @param dayColumn the column of the periods relation `per` (pi, pstart, pend, plast, pmid) holding
   *   the reference day every predicate is evaluated at, one per period;
   * @param latestDay the latest of those days ('YYYY-MM-DD'): a literal bound that lets DuckDB skip
   *   events after it while scanning.
   */
  constructor(dayColumn: 'plast' | 'pmid', readonly latestDay: string) {
    dayFromIso(latestDay);
    this.day = `per.${dayColumn}`;
  }

  /** SQL true when the clinical event's code is one of `codes`: for the aggregates' filters (only the events with a code of some such list are read). */
  inCodes(codes: readonly string[]): string {
    return this.codeSets.test(codes);
  }

  /** SQL true when some event of the person on or before the day has one of `codes` (NULL when the person has no such flags row). */
  anyCode(codes: readonly string[]): string {
    const { aggregate, test } = this.codeSets.any(codes);
    return test(this.add(aggregate));
  }

  /** Registers an aggregate (deduplicated by its text) over the person's events dated on or before the day, its codes tested by inCodes; returns its column. */
  add(aggregate: string): string {
    const existing = this.atoms.get(aggregate);
    if (existing) return `f.${existing.column}`;
    const column = `a${this.atoms.size}`;
    this.atoms.set(aggregate, { column, aggregate });
    return `f.${column}`;
  }

  /** Registers a has-event flag (deduplicated by spec and lookback); returns its column (NULL: no such event). */
  addEvent(spec: EventSpec, lookbackDays: number | undefined): string {
    const key = JSON.stringify([spec, lookbackDays ?? null]);
    const existing = this.events.get(key);
    if (existing) return `f.${existing.column}`;
    const column = `e${this.events.size}`;
    this.events.set(key, { column, spec, lookbackDays });
    return `f.${column}`;
  }

  get empty(): boolean {
    return this.atoms.size === 0 && this.events.size === 0;
  }

  /**
   * The flags relation: one row per person and period (pid, pi) with any relevant event on or
   * before the period's day. Without has-event flags, one GROUP BY over clinical_event joined to
   * the periods; with them, that and one part per event spec (the person's ids that have such an
   * event in the window, one row per person and period), FULL JOINed on (pid, pi).
   */
  flagsSql(eventsSql?: EventsSql): string {
    if (this.empty) throw new InternalError('no predicate atoms');
    const atoms = [...this.atoms.values()].map((a) => `${a.aggregate} AS ${a.column}`);
    const clinical =
      atoms.length === 0
        ? undefined
        : `SELECT person_id AS pid, per.pi, ${atoms.join(', ')} FROM clinical_event JOIN ${this.codeSets.relation()} ON ${CODE_SETS_CODE} = snomed_code ` +
          `JOIN per ON event_date <= ${this.day} WHERE event_date <= ${dateLit(this.latestDay)} GROUP BY person_id, per.pi`;
    if (this.events.size === 0) return clinical!;
    if (!eventsSql) throw new InternalError('has-event flags need the events of their specs');
    const parts = [...this.events.values()].map(
      (e) =>
        `SELECT DISTINCT x.pid, per.pi, true AS ${e.column} FROM (${eventsSql(e.spec)}) x JOIN per ON x.eday <= ${this.day}${this.window(e.lookbackDays).replace('event_date', 'x.eday')} ` +
        `WHERE x.eday <= ${dateLit(this.latestDay)}`,
    );
    // Each part has one row per person and period: joined (FULL JOIN, so that a person in any part
    // is kept) rather than united and grouped again (a hash aggregation of every column).
    const all = [...(clinical ? [clinical] : []), ...parts];
    return `SELECT * FROM (${all[0]!}) x0${all.slice(1).map((part, i) => ` FULL JOIN (${part}) x${i + 1} USING (pid, pi)`).join('')}`;
  }

  /** Condition for an event date inside the lookback window (day − lookbackDays, day]; the day bound is in the join. */
  window(lookbackDays: number | undefined): string {
    if (lookbackDays === undefined) return '';
    return ` AND event_date > ${this.day} - ${num(Math.ceil(lookbackDays))}`;
  }
}

/** Codes a latest-code atom ranks within one whole number (day × 64 + rank), and the days added so that every date's number is positive. */
const LATEST_CODE_RANKS = 64;
const LATEST_CODE_DAY_OFFSET = 10_000_000;

type PredicateCompilers = { readonly [K in PersonPredicate['kind']]: (p: Extract<PersonPredicate, { kind: K }>, atoms: PredicateAtoms) => string };

const conditionCodes = (condition: (typeof CONDITION_KEYS)[number]): string[] => CONDITIONS[condition].codes.map((c) => c.code);

const onRegisterSql = (condition: (typeof CONDITION_KEYS)[number], atoms: PredicateAtoms): string => {
  const codes = conditionCodes(condition);
  return `COALESCE(${atoms.anyCode(codes)}, false)`;
};

const PREDICATE_SQL: PredicateCompilers = {
  'on-register': (p, atoms) => onRegisterSql(p.condition, atoms),
  'conditions-at-least': (p, atoms) => {
    const conditions = [...new Set(p.conditions ?? LONG_TERM_CONDITION_KEYS)];
    return `((${conditions.map((c) => `CASE WHEN ${onRegisterSql(c, atoms)} THEN 1 ELSE 0 END`).join(' + ')}) >= ${num(p.count)})`;
  },
  'has-code': (p, atoms) =>
    `COALESCE(${p.lookbackDays === undefined ? atoms.anyCode(p.codes) : atoms.add(`bool_or(${atoms.inCodes(p.codes)}${atoms.window(p.lookbackDays)})`)}, false)`,
  'latest-code-in': (p, atoms) => {
    // Latest by date, then the greatest code (as text). The codes `among` are known, so each is given its rank in text
    // order and a record the whole number (day, rank) = day × 64 + rank: the greatest of those is the latest record, the
    // greatest code among the latest day's, as the maximum of the struct (date, code) would be, with a BIGINT maximum
    // instead of a struct comparison per record (on the full partnership, smoking status over five periods: 3.3 s
    // against 7.1 s). More than 64 codes keep the struct.
    const among = [...new Set(p.among)].sort();
    if (among.length > LATEST_CODE_RANKS) {
      const latest = atoms.add(`max({'d': event_date, 'c': snomed_code}) FILTER (WHERE ${atoms.inCodes(among)}${atoms.window(p.lookbackDays)})`);
      return `COALESCE(${inText(`(${latest}).c`, p.is)}, false)`;
    }
    const rank = `CASE snomed_code ${among.map((c, i) => `WHEN ${literal(c)} THEN ${i}`).join(' ')} END`;
    const latest = atoms.add(
      `max(((event_date - DATE '1970-01-01')::BIGINT + ${LATEST_CODE_DAY_OFFSET}) * ${LATEST_CODE_RANKS} + ${rank}) FILTER (WHERE ${atoms.inCodes(among)}${atoms.window(p.lookbackDays)})`,
    );
    const ranks = [...new Set(p.is)].map((c) => among.indexOf(c)).filter((i) => i >= 0).sort((a, b) => a - b);
    return ranks.length === 0 ? 'false' : `COALESCE((${latest} % ${LATEST_CODE_RANKS}) IN (${ranks.join(', ')}), false)`;
  },
  'latest-value-in': (p, atoms) => {
    // Latest by date, then the greatest value: the maximum of the struct (date, value).
    const latest = atoms.add(
      `max({'d': event_date, 'v': numeric_value}) FILTER (WHERE ${atoms.inCodes([p.code])} AND numeric_value IS NOT NULL${atoms.window(p.lookbackDays)})`,
    );
    const bounds = [`${latest} IS NOT NULL`];
    if (p.min !== undefined) bounds.push(`(${latest}).v >= ${num(p.min)}`);
    if (p.max !== undefined) bounds.push(`(${latest}).v < ${num(p.max)}`);
    return `COALESCE(${bounds.join(' AND ')}, false)`;
  },
  'has-event': (p, atoms) => `COALESCE(${atoms.addEvent(p.events, p.lookbackDays)}, false)`,
  all: (p, atoms) => `(${p.of.map((q) => predicateSql(q, atoms)).join(' AND ')})`,
  any: (p, atoms) => `(${p.of.map((q) => predicateSql(q, atoms)).join(' OR ')})`,
  not: (p, atoms) => `(NOT ${predicateSql(p.predicate, atoms)})`,
};

/** A person predicate as a never-NULL boolean over the flags relation (alias f, LEFT JOINed). */
export const predicateSql = (p: PersonPredicate, atoms: PredicateAtoms): string =>
  (PREDICATE_SQL[p.kind] as (p: PersonPredicate, atoms: PredicateAtoms) => string)(p, atoms);

/** Scope conditions (ages, sex, where) over `people`-shaped columns (alias b) with an age column. */
export const scopeSql = (scope: PersonScope, age: string, atoms: PredicateAtoms): string[] => {
  const parts: string[] = [];
  if (scope.minAge !== undefined) parts.push(`${age} >= ${num(scope.minAge)}`);
  if (scope.maxAge !== undefined) parts.push(`${age} <= ${num(scope.maxAge)}`);
  if (scope.sex !== undefined) parts.push(`b.sex = ${literal(scope.sex)}`);
  if (scope.where !== undefined) parts.push(predicateSql(scope.where, atoms));
  return parts;
};

export const whereSql = (parts: readonly string[]): string => (parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`);
