/**
 * The SQL rule compiler against core's evaluateRule on random rules and random people (an in-memory
 * DuckDB table with the features table's columns), plus breakdown parsing, the transition and cross-table
 * disclosure wrappers and the model helpers that need no database.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROUNDING_POLICY,
  perturbCount,
  CONDITION_KEYS,
  EVENT_KINDS,
  EVENT_LOOKBACK_DAYS,
  FLAG_FEATURES,
  KIRKLEES_SEGMENTATION,
  NUMERIC_FEATURES,
  Random,
  assignSegment,
  evaluateRule,
  type ConditionKey,
  type EventKind,
  type FeatureRule,
  type FlagFeature,
  type NumericFeature,
  type PersonFeatures,
} from '@openphm/core';
import { readRows } from '../database.js';
import { parseBreakdownList, parseBreakdownSpec } from './breakdowns.js';
import { DIAGNOSED_DAYS_COLUMNS, EVENT_COLUMNS, FLAG_FEATURE_COLUMNS, NUMERIC_FEATURE_COLUMNS, frailtyCategorySql } from './features.js';
import { ruleSql, segmentationSql } from './rules.js';
import { addYears } from './admission-model.js';
import { publishTransitions, type SegmentTransitions } from './segments.js';

const rng = Random.fromKey('rules-test');
const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;
/** Values near the thresholds rules use, so boundaries are exercised. */
const VALUES = [0, 1, 2, 3, 0.12, 0.24, 0.25, 0.36, 0.37, 18.5, 30, 65, 85];

/** Day counts near the days-ago values random people have, so window edges are exercised. */
const DAYS = [1, 2, 30, 90, 91, 365, 366, 729, 730];

const randomRule = (depth: number): FeatureRule => {
  const leaves = ['compare', 'flag', 'diagnosed', 'events'] as const;
  const kind = depth <= 0 ? pick(leaves) : pick([...leaves, 'all', 'any', 'not', 'always'] as const);
  switch (kind) {
    case 'compare':
      return { kind, feature: pick(NUMERIC_FEATURES), op: pick(['>=', '>', '<=', '<', '='] as const), value: pick(VALUES) };
    case 'flag':
      return { kind, feature: pick(FLAG_FEATURES) };
    case 'all':
    case 'any':
      return { kind, of: Array.from({ length: rng.int(1, 3) }, () => randomRule(depth - 1)) };
    case 'not':
      return { kind, rule: randomRule(depth - 1) };
    case 'always':
      return { kind };
    case 'diagnosed':
      return { kind, condition: pick(CONDITION_KEYS), withinDays: pick([...DAYS, 3650]) };
    case 'events':
      return { kind, event: pick(EVENT_KINDS), atLeast: rng.int(1, 4), withinDays: pick(DAYS) };
  }
};

/** Days ago of a random event or diagnosis: often on a window edge. */
const randomDaysAgo = (max: number): number => (rng.bernoulli(0.5) ? pick([0, 1, 29, 30, 89, 90, 364, 365, 728, 729].filter((d) => d < max)) : rng.int(0, max - 1));

const randomPerson = (personId: number): PersonFeatures => ({
  personId,
  sex: rng.bernoulli(0.5) ? 'F' : 'M',
  ethnicGroup: 'White',
  lsoaCode: 'E01000001',
  place: 'leeds',
  neighbourhoodId: 'leeds-1',
  numeric: Object.fromEntries(
    NUMERIC_FEATURES.map((f) => [f, f === 'efi' ? rng.int(0, 20) / 36 : f === 'latestBmi' ? pick(VALUES) : f === 'multimorbidityScore' ? rng.int(0, 12) / 2 : pick(VALUES.filter(Number.isInteger))]),
  ) as Record<NumericFeature, number>,
  flags: Object.fromEntries(FLAG_FEATURES.map((f) => [f, rng.bernoulli(0.3)])) as Record<FlagFeature, boolean>,
  diagnosedDaysAgo: Object.fromEntries(CONDITION_KEYS.filter(() => rng.bernoulli(0.3)).map((k) => [k, randomDaysAgo(5000)])) as Partial<Record<ConditionKey, number>>,
  eventDaysAgo: Object.fromEntries(
    EVENT_KINDS.map((k) => [k, Array.from({ length: pick([0, 0, 1, 2, 3, 5]) }, () => randomDaysAgo(EVENT_LOOKBACK_DAYS)).sort((a, b) => a - b)]),
  ) as Record<EventKind, number[]>,
});

let instance: DuckDBInstance;
let connection: DuckDBConnection;
const people = Array.from({ length: 300 }, (_, i) => randomPerson(i + 1));

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  const columns = [
    'person_id BIGINT',
    ...NUMERIC_FEATURES.map((f) => `${NUMERIC_FEATURE_COLUMNS[f]} ${f === 'efi' || f === 'latestBmi' || f === 'multimorbidityScore' ? 'DOUBLE' : 'INTEGER'}`),
    ...FLAG_FEATURES.map((f) => `${FLAG_FEATURE_COLUMNS[f]} BOOLEAN`),
    ...CONDITION_KEYS.map((k) => `${DIAGNOSED_DAYS_COLUMNS[k]} INTEGER`),
    ...EVENT_KINDS.map((k) => `${EVENT_COLUMNS[k]} INTEGER[]`),
  ];
  await connection.run(`CREATE TABLE f (${columns.join(', ')})`);
  const values = people.map(
    (p) => `(${[p.personId, ...NUMERIC_FEATURES.map((f) => (f === 'efi' ? `${Math.round(p.numeric.efi * 36)} / 36.0` : String(p.numeric[f]))), ...FLAG_FEATURES.map((f) => String(p.flags[f])),
      ...CONDITION_KEYS.map((k) => String(p.diagnosedDaysAgo?.[k] ?? 'NULL')),
      ...EVENT_KINDS.map((k) => `[${(p.eventDaysAgo?.[k] ?? []).join(', ')}]::INTEGER[]`)].join(', ')})`,
  );
  await connection.run(`INSERT INTO f VALUES ${values.join(', ')}`);
});
afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

describe('ruleSql', () => {
  it('compiles each kind of rule', () => {
    expect(ruleSql({ kind: 'compare', feature: 'efi', op: '>', value: 0.24 })).toBe('(efi > 0.24::DOUBLE)');
    expect(ruleSql({ kind: 'flag', feature: 'condition:copd' })).toBe('cond_copd');
    expect(ruleSql({ kind: 'all', of: [{ kind: 'flag', feature: 'female' }, { kind: 'not', rule: { kind: 'flag', feature: 'carer' } }] })).toBe('(female AND (NOT carer))');
    expect(ruleSql({ kind: 'any', of: [{ kind: 'always' }] }, (c) => `a.${c}`)).toBe('(TRUE)');
    expect(ruleSql({ kind: 'compare', feature: 'age', op: '>=', value: 65 }, (c) => `a.${c}`)).toBe('(a.age >= 65::DOUBLE)');
    expect(ruleSql({ kind: 'diagnosed', condition: 'copd', withinDays: 365 })).toBe('coalesce(dx_days_copd < 365, FALSE)');
    expect(ruleSql({ kind: 'events', event: 'antibioticCourse', atLeast: 2, withinDays: 730 }, (c) => `a.${c}`)).toBe('coalesce(a.ev_antibiotic_course[2] < 730, FALSE)');
  });

  it('means what core evaluateRule means, for 400 random rules (dated kinds included) on 300 random people', async () => {
    for (let i = 0; i < 400; i++) {
      const rule = randomRule(3);
      const rows = await readRows<{ person_id: number; v: boolean }>(connection, `SELECT person_id, ${ruleSql(rule)} AS v FROM f ORDER BY person_id`);
      const sql = rows.map((r) => r.v);
      const memory = people.map((p) => evaluateRule(rule, p));
      expect(sql, JSON.stringify(rule)).toEqual(memory);
    }
  });

  it('assigns the same segments as core assignSegment', async () => {
    const rows = await readRows<{ s: string }>(connection, `SELECT ${segmentationSql(KIRKLEES_SEGMENTATION)} AS s FROM f ORDER BY person_id`);
    expect(rows.map((r) => r.s)).toEqual(people.map((p) => assignSegment(KIRKLEES_SEGMENTATION, p)));
  });

  it('categorises eFI like core frailtyCategory for every number of deficits', async () => {
    const rows = await readRows<{ n: number; c: string }>(connection, `SELECT n, ${frailtyCategorySql('n / 36.0')} AS c FROM range(0, 37) t(n) ORDER BY n`);
    const { frailtyCategory } = await import('@openphm/core');
    expect(rows.map((r) => r.c)).toEqual(rows.map((r) => frailtyCategory(r.n / 36)));
  });
});

describe('breakdowns', () => {
  it('parses single and crossed breakdowns', () => {
    expect(parseBreakdownList('place, age-band:imd-quintile')).toEqual([['place'], ['age-band', 'imd-quintile']]);
  });
  it.each([
    ['postcode', "unknown breakdown 'postcode'"],
    ['sex:sex', 'cannot be crossed with itself'],
    ['sex:place:ics', 'at most two'],
  ])('rejects %s', (text, message) => {
    expect(() => parseBreakdownSpec(text)).toThrow(message);
  });
});

describe('disclosure control of a transition matrix', () => {
  // Cell keys stand in for the sums of the people's record keys.
  const t: SegmentTransitions = {
    segmentation: { id: 's', version: 1, title: 'S' },
    fromDate: '2024-03-31',
    toDate: '2025-03-31',
    fromStates: ['a', 'b', 'born', 'moved'],
    toStates: ['a', 'b', 'died', 'moved'],
    cells: [
      { from: 'a', to: 'a', people: 500, key: 0 }, { from: 'a', to: 'b', people: 60, key: 17 }, { from: 'a', to: 'died', people: 2, key: 9 }, { from: 'a', to: 'moved', people: 0, key: 0 },
      { from: 'b', to: 'a', people: 30, key: 128 }, { from: 'b', to: 'b', people: 300, key: 200 }, { from: 'b', to: 'died', people: 9, key: 44 }, { from: 'b', to: 'moved', people: 0, key: 0 },
      { from: 'born', to: 'a', people: 11, key: 3 }, { from: 'born', to: 'b', people: 0, key: 0 }, { from: 'born', to: 'died', people: 0, key: 0 }, { from: 'born', to: 'moved', people: 0, key: 0 },
      { from: 'moved', to: 'a', people: 0, key: 0 }, { from: 'moved', to: 'b', people: 0, key: 0 }, { from: 'moved', to: 'died', people: 0, key: 0 }, { from: 'moved', to: 'moved', people: 0, key: 0 },
    ],
  };

  it('withholds small cells and perturbs the rest by their cell keys (the default)', () => {
    const out = publishTransitions(t);
    expect(out.find((c) => c.from === 'a' && c.to === 'died')).toMatchObject({ people: null, suppressed: true, note: 'count 1-7' });
    expect(out.filter((c) => c.suppressed).length).toBe(1);
    expect(out.find((c) => c.from === 'a' && c.to === 'a')).toMatchObject({ people: perturbCount(500, 0, 8), suppressed: false });
    expect(out.find((c) => c.from === 'b' && c.to === 'b')).toMatchObject({ people: perturbCount(300, 200, 8) });
    expect(out.find((c) => c.from === 'born' && c.to === 'b')).toMatchObject({ people: 0, suppressed: false });
  });

  it('protects it against its row and column totals under the rounding policy', () => {
    const out = publishTransitions(t, ROUNDING_POLICY);
    expect(out.find((c) => c.from === 'a' && c.to === 'died')).toMatchObject({ people: null, suppressed: true });
    expect(out.filter((c) => c.suppressed).length).toBeGreaterThan(1);
    expect(out.find((c) => c.from === 'a' && c.to === 'a')).toMatchObject({ people: 500, suppressed: false });
  });
});

describe('addYears', () => {
  it.each([
    ['2021-04-01', 2, '2023-04-01'],
    ['2024-02-29', 1, '2025-03-01'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2025-03-31', -1, '2024-03-31'],
  ])('%s + %i years = %s', (from, years, to) => {
    expect(addYears(from, years)).toBe(to);
  });
});
