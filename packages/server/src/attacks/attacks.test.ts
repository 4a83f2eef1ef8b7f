/**
 * The attack suite (issue 11): an automated adversary attacks the disclosure-controlled figures of
 * the HTTP API the way a real attacker would, and the tests assert that no protected count is
 * recovered exactly.
 *
 * A synthetic partnership of about 20,000 people is generated in-process, and small cells are
 * PLANTED in it: in every second neighbourhood the number of people with dementia is set to 0, 1,
 * 2, 3, 5 or 7 (the others get 8-30). Learning disability, severe frailty, SMI and the smaller
 * segments are naturally small by neighbourhood too. The adversary then reads the API (as the public,
 * an analyst, a neighbourhood team and every other role), turns every published figure into
 * knowledge (adversary.ts: bounds from counts and notes, additivity, back-calculation from values)
 * and solves it. Each family of attacks is one test:
 *
 *   a. back-calculation from derived values (shares, proportions, rates);
 *   b. totals minus published parts, across nesting and across separately protected tables;
 *   c. padding with complementary definitions in the cohort builder;
 *   d. one dimension against two (a cohort by place and by neighbourhood);
 *   e. trend minus earlier period (rolling periods; each period checked against the model);
 *   f. CSV against JSON;
 *   g. every role, including anonymous;
 *
 * and a last test combines everything. Each checks (1) soundness: every count the adversary claims
 * to know equals the truth (computed independently: SQL over person features on a separate
 * read-only connection, and the indicator engine's raw counts), with no contradiction and no value
 * that disagrees with the model the response declares; and (2) protection: no count that is small
 * (1-7), or that the server never published exactly (rounded, perturbed, suppressed, or only ever
 * published inside other figures), is recovered exactly.
 *
 * The suite reads the disclosure model from each response's `disclosure` block (adversary.ts,
 * readDisclosureModel); without the new fields it assumes the documented behaviour of the code
 * before cell-key perturbation. A refused request (401, 403, 429, 400…) teaches nothing and is
 * counted, not failed. See README.md in this folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, SEGMENTATIONS, findIndicator, type Breakdown, type FeatureRule, type IndicatorDefinition, type IndicatorEngine } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import {
  buildDatabase,
  computePersonFeatures,
  createDuckDbEngine,
  openDatabase,
  riskMeasures,
  ruleSql,
  segmentationSql,
  type PhmDatabase,
} from '@openphm/store-duckdb';
import { generatePopulation } from '@openphm/synth';
import { createUser } from '../operational/users.js';
import { PASSWORD, login, startSignedInServer, type SignedInServer, type Who } from '../test-support.js';
import { Adversary, parseComplementId, readDisclosureModel, type DerivedValue, type DisclosureModel, type Solution } from './adversary.js';

const SEED = 'attack-suite';
const SIZE = 20_000;
/** Dementia counts planted in every second neighbourhood (cycled). */
const SMALL_TARGETS = [1, 2, 3, 5, 7, 0] as const;
/** The documented threshold: counts 1-7 are "small" whatever a response says. */
const SMALL_MAX = 7;
const DEMENTIA = 'condition:dementia';
const LEARNING_DISABILITY = 'condition:learning_disability';
const ATTACKED_CONDITIONS = [DEMENTIA, LEARNING_DISABILITY] as const;
/** Indicators attacked: proportions (values n/d), an observed/expected and a crude rate (n/D with D published), a pooled DSR. */
const INDICATORS = ['prevalence-dementia', 'prevalence-learning-disability', 'dementia-diagnosis-rate', 'ae-attendance-rate', 'premature-mortality-cvd'] as const;
/** Precision of shares written to CSV (toFixed(6)): half a unit in the last place, and a little float slack. */
const CSV_SHARE_TOLERANCE = { absolute: 5e-7 + 1e-12 };

// ---------------------------------------------------------------- cells

type Level = 'ics' | 'place' | 'neighbourhood' | 'lsoa';
interface Scope {
  readonly level: Level;
  readonly id: string;
}
const ICS: Scope = { level: 'ics', id: 'ics' };
const scopeText = (s: Scope): string => (s.level === 'ics' ? 'ics' : `${s.level}:${s.id}`);
/** A cell: a measure (who is counted) in a scope (where): `risk:frailty=severe@neighbourhood:leeds-03`. */
const cellOf = (measure: string, scope: Scope): string => `${measure}@${scopeText(scope)}`;
const parseCell = (id: string): { measure: string; scope: Scope } | undefined => {
  const at = id.lastIndexOf('@');
  if (at < 0) return undefined;
  const text = id.slice(at + 1);
  const measure = id.slice(0, at);
  if (text === 'ics') return { measure, scope: ICS };
  const colon = text.indexOf(':');
  const level = text.slice(0, colon) as Level;
  if (!['place', 'neighbourhood', 'lsoa'].includes(level)) return undefined;
  return { measure, scope: { level, id: text.slice(colon + 1) } };
};

const PEOPLE = 'people';
const ruleMeasure = (rule: FeatureRule): string => `cohort:${JSON.stringify(rule)}`;
const riskMeasure = (measure: string, category: string): string => `risk:${measure}=${category}`;
const segmentMeasure = (segmentation: string, segment: string): string => `segment:${segmentation}=${segment}`;
const indicatorMeasure = (id: string, period: { start: string; end: string }, part: 'num' | 'den'): string => `ind:${id}:${period.start}:${period.end}:${part}`;

const flag = (feature: string): FeatureRule => ({ kind: 'flag', feature }) as FeatureRule;
const not = (rule: FeatureRule): FeatureRule => ({ kind: 'not', rule });
const any = (...of: FeatureRule[]): FeatureRule => ({ kind: 'any', of });
const all = (...of: FeatureRule[]): FeatureRule => ({ kind: 'all', of });
const FEMALE = flag('female');

/** The padding an attacker builds around a condition X: pairs (A, B) with A = X ⊔ B, and the complement. */
const paddingOf = (x: string) => {
  const X = flag(x);
  return {
    target: X,
    pairs: [
      { padded: any(X, FEMALE), pad: all(FEMALE, not(X)) },
      { padded: any(X, not(FEMALE)), pad: all(not(FEMALE), not(X)) },
    ],
    complement: not(X),
  };
};

// ---------------------------------------------------------------- what was seen

/** Every count the server published, per cell (to tell "recovered a protected count" from "read a published one"). */
class Ledger {
  readonly published = new Map<string, Set<number>>();
  readonly withheld = new Set<string>();
  record(id: string, value: number | null | undefined): void {
    if (typeof value === 'number') (this.published.get(id) ?? this.published.set(id, new Set()).get(id)!).add(value);
    else this.withheld.add(id);
  }
}

/** What one attack learns: the adversary's facts, plus a log of requests and findings. */
class Knowledge {
  readonly adversary = new Adversary();
  readonly findings: string[] = [];
  /** Oddities worth reporting that are not disclosures. */
  readonly notes = new Set<string>();
  readonly refusals: string[] = [];
  requests = 0;
  constructor(readonly name: string, readonly ledger: Ledger) {}

  /** A published count (or a withheld one with its note). */
  count(id: string, value: unknown, note: unknown, model: DisclosureModel, source: string, denominator?: string): void {
    const v = typeof value === 'number' && Number.isFinite(value) ? value : null;
    this.adversary.published({ id, value: v, note: typeof note === 'string' ? note : null, model, source, ...(denominator ? { denominator } : {}) });
    this.ledger.record(id, v);
  }

  derived(dv: DerivedValue, model: DisclosureModel, published: { numerator: unknown; denominator: unknown }): void {
    const n = typeof published.numerator === 'number' ? published.numerator : null;
    const d = typeof published.denominator === 'number' ? published.denominator : null;
    this.adversary.derived(dv, model, { numerator: n, denominator: d });
  }
}

// ---------------------------------------------------------------- the world

type Role = Who | 'team';
interface Geo {
  readonly places: string[];
  readonly placeOf: Map<string, string>;
  readonly neighbourhoodsOf: Map<string, string[]>;
  /** LSOAs of each neighbourhood, as the attacker learns them from /api/population/summary. */
  readonly lsoasOf: Map<string, string[]>;
}
interface Planted {
  readonly neighbourhood: string;
  readonly condition: string;
  readonly count: number;
}
interface World {
  readonly dir: string;
  readonly file: string;
  readonly server: SignedInServer;
  readonly teamNeighbourhood: string;
  readonly teamCookie: string;
  readonly planted: readonly Planted[];
  readonly truthDb: PhmDatabase;
  readonly referenceDate: string;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const dayBefore = (iso: string, days = 1): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

/**
 * Sets the number of residents with `condition` (any code of its codelist on or before the
 * reference date) in chosen neighbourhoods, by deleting codes or adding one (oldest residents first).
 */
const plantCondition = async (db: PhmDatabase, conditionKey: 'dementia', referenceDate: string, targets: ReadonlyMap<string, number>): Promise<void> => {
  const codes = CONDITIONS[conditionKey].codes.map((c) => sqlString(c.code));
  const D = `DATE ${sqlString(referenceDate)}`;
  const rows = await db.query<{ person_id: number | bigint; nbhd: string; age: number | bigint; has: boolean }>(
    `WITH res AS (
       SELECT p.person_id, l.neighbourhood_id AS nbhd, date_sub('year', p.date_of_birth, ${D}) AS age
       FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       WHERE p.date_of_birth <= ${D} AND NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id AND d.date_of_death <= ${D})),
     has AS (SELECT DISTINCT person_id FROM clinical_event WHERE snomed_code IN (${codes.join(', ')}) AND event_date <= ${D})
     SELECT res.person_id, res.nbhd, res.age, (has.person_id IS NOT NULL) AS has FROM res LEFT JOIN has USING (person_id)
     ORDER BY res.nbhd, res.age DESC, res.person_id`,
  );
  const remove: number[] = [];
  const add: number[] = [];
  for (const [nbhd, target] of targets) {
    const residents = rows.filter((r) => r.nbhd === nbhd);
    const withIt = residents.filter((r) => r.has);
    if (withIt.length > target) remove.push(...withIt.slice(target).map((r) => Number(r.person_id)));
    else add.push(...residents.filter((r) => !r.has).slice(0, target - withIt.length).map((r) => Number(r.person_id)));
  }
  if (remove.length > 0) await db.query(`DELETE FROM clinical_event WHERE snomed_code IN (${codes.join(', ')}) AND person_id IN (${remove.join(', ')})`);
  const diagnosed = sqlString(dayBefore(referenceDate, 500));
  for (const id of add) {
    await db.query(`INSERT INTO clinical_event (person_id, event_date, snomed_code, numeric_value) VALUES (${id}, DATE ${diagnosed}, ${codes[0]!}, NULL)`);
  }
};

const buildWorld = async (): Promise<World> => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-attacks-'));
  const geography = await loadGeography();
  const csvDir = join(dir, 'csv');
  const manifest = await generatePopulation({ geography, seed: SEED, size: SIZE, outDir: csvDir, workers: 0 });
  const file = join(dir, 'attacks.duckdb');
  await buildDatabase({
    outFile: file,
    csvDir,
    geography,
    threads: 2,
    meta: { source: 'synthetic', generator: manifest.generator, seed: manifest.seed, size: String(SIZE), window_start: manifest.windowStart, years: String(manifest.years) },
  });
  rmSync(csvDir, { recursive: true, force: true });

  // Plant small cells before the server opens the file.
  const writable = await openDatabase(file, { readOnly: false });
  let planted: Planted[];
  let referenceDate: string;
  try {
    const [end] = await writable.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'window_end'`);
    referenceDate = dayBefore(end!.value);
    const nbhds = await writable.query<{ id: string; place: string }>('SELECT neighbourhood_id AS id, place FROM geo_neighbourhood ORDER BY place, neighbourhood_id');
    const targets = new Map<string, number>();
    let small = 0;
    let large = 0;
    const byPlace = new Map<string, string[]>();
    for (const n of nbhds) (byPlace.get(n.place) ?? byPlace.set(n.place, []).get(n.place)!).push(n.id);
    // Every second neighbourhood small; in the place with the fewest neighbourhoods only the first,
    // so that one small cell stands alone among its place's neighbourhoods.
    const fewest = Math.min(...[...byPlace.values()].map((ids) => ids.length));
    for (const ids of byPlace.values()) {
      ids.forEach((id, i) => {
        const isSmall = ids.length === fewest ? i === 0 : i % 2 === 0;
        if (isSmall) targets.set(id, SMALL_TARGETS[small++ % SMALL_TARGETS.length]!);
        else targets.set(id, 8 + ((large++ * 7) % 23));
      });
    }
    await plantCondition(writable, 'dementia', referenceDate, targets);
    planted = [...targets].filter(([, count]) => count <= SMALL_MAX).map(([neighbourhood, count]) => ({ neighbourhood, condition: DEMENTIA, count }));
  } finally {
    writable.close();
  }

  const server = await startSignedInServer(file, { indicatorEngine: (data) => createDuckDbEngine(data, { allBreakdowns: true }) });
  // A neighbourhood team bound to a real neighbourhood that holds a planted count of 3.
  const teamNeighbourhood = planted.find((p) => p.count === 3)!.neighbourhood;
  await createUser(server.app.openphm.ops, { email: 'team@attack', displayName: 'Attack team', password: PASSWORD, role: 'neighbourhood', neighbourhoodId: teamNeighbourhood });
  const teamCookie = await login(server.app, 'team@attack');

  // The truth, on a connection of its own (read-only, like the server's): person features at the reference date.
  const truthDb = await openDatabase(file, { readOnly: true });
  await computePersonFeatures(truthDb, referenceDate, { table: 'attack_truth' });
  return { dir, file, server, teamNeighbourhood, teamCookie, planted, truthDb, referenceDate };
};

// ---------------------------------------------------------------- requests

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

const request = async (w: World, who: Role, method: 'GET' | 'POST', url: string, payload?: object): Promise<Reply> => {
  const response =
    who === 'team'
      ? await w.server.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie: w.teamCookie } })
      : await w.server.as(who, method, url, payload);
  let body: unknown;
  if (String(response.headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
  }
  return { status: response.statusCode, body, text: response.body };
};

/** A JSON body, or undefined (refused, failed, not JSON): counted as a refusal, never an error. */
const fetchJson = async (w: World, k: Knowledge, who: Role, method: 'GET' | 'POST', url: string, payload?: object): Promise<Record<string, unknown> | undefined> => {
  k.requests++;
  const r = await request(w, who, method, url, payload);
  if (r.status !== 200 || !isRecord(r.body)) {
    k.refusals.push(`${who} ${method} ${url}${payload ? ` ${JSON.stringify(payload).slice(0, 80)}` : ''}: ${r.status}`);
    return undefined;
  }
  return r.body;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The geography every visitor sees (GET /api/geography). */
const readGeo = async (w: World): Promise<Geo> => {
  const r = await request(w, 'public', 'GET', '/api/geography');
  const body = isRecord(r.body) ? r.body : {};
  const places = arrayOf(body.places).map((p) => String(p.id));
  const placeOf = new Map<string, string>();
  const neighbourhoodsOf = new Map<string, string[]>(places.map((p) => [p, []]));
  for (const n of arrayOf(body.neighbourhoods)) {
    placeOf.set(String(n.id), String(n.place));
    neighbourhoodsOf.get(String(n.place))?.push(String(n.id));
  }
  return { places, placeOf, neighbourhoodsOf, lsoasOf: new Map() };
};

// ---------------------------------------------------------------- reading responses into knowledge

/** Breakdowns that collapse to the area itself when counted within it (as the summaries route does). */
const COLLAPSES: Record<string, readonly string[]> = { ics: ['ics'], place: ['ics', 'place'], neighbourhood: ['ics', 'place', 'neighbourhood'] };

const scopeOfGroup = (level: string, group: string): Scope | undefined => {
  if (level === 'ics') return ICS;
  if (level === 'place' || level === 'neighbourhood' || level === 'lsoa') return { level, id: group };
  return undefined;
};

/** The level the rows of a /api/risk or /api/segments response are at. */
const rowLevelOf = (body: Record<string, unknown>): string => {
  const by = String(body.by ?? 'ics');
  const area = isRecord(body.area) ? String(body.area.level ?? 'ics') : 'ics';
  if (area === 'ics') return by;
  return (COLLAPSES[area] ?? []).includes(by) ? area : by;
};

interface RowOptions {
  /** Shares as CSV writes them (6 decimals) instead of full precision. */
  readonly csv?: boolean;
}

/** A figure flagged as withheld but written as 0 is read as withheld (a real count of a withheld cell is never shown as 0). */
const withheldAsNull = (value: unknown, suppressed: unknown): unknown => (suppressed === true && value === 0 ? null : value);

/** One row of a group × category table: the cell, the group's total, and the share between them. */
const readCountRow = (k: Knowledge, row: Record<string, unknown>, measure: string, scope: Scope, model: DisclosureModel, source: string, options: RowOptions = {}): void => {
  const n = cellOf(measure, scope);
  const d = cellOf(PEOPLE, scope);
  k.count(n, withheldAsNull(row.people, row.suppressed), row.note, model, source, d);
  k.count(d, row.groupPeople, null, model, source);
  const share = numOrNull(row.share);
  if (share !== null) k.derived({ numerator: n, denominator: d, multiplier: 1, value: share, source, ...(options.csv ? { tolerance: CSV_SHARE_TOLERANCE } : {}) }, model, { numerator: row.people, denominator: row.groupPeople });
};

/** GET /api/risk: every measure's categories by group; partition measures add up to the group. */
const readRisk = (k: Knowledge, body: Record<string, unknown>, source: string): void => {
  const model = readDisclosureModel(body.disclosure);
  const level = rowLevelOf(body);
  const partitions = new Map(arrayOf(body.measures).map((m) => [String(m.id), { partition: m.partition === true, categories: Array.isArray(m.categories) ? m.categories.map(String) : [] }]));
  const groups = new Set<string>();
  for (const row of arrayOf(body.rows)) {
    const scope = scopeOfGroup(level, String(row.group));
    if (!scope) continue;
    groups.add(String(row.group));
    readCountRow(k, row, riskMeasure(String(row.measure), String(row.category)), scope, model, source);
  }
  for (const group of groups) {
    const scope = scopeOfGroup(level, group)!;
    for (const [id, m] of partitions) {
      if (m.partition) k.adversary.sum(cellOf(PEOPLE, scope), m.categories.map((c) => cellOf(riskMeasure(id, c), scope)), `${source}: ${id} categories partition the group`);
    }
  }
};

/** GET /api/segments: segments partition each group. */
const readSegments = (k: Knowledge, body: Record<string, unknown>, source: string): void => {
  const model = readDisclosureModel(body.disclosure);
  const level = rowLevelOf(body);
  const segmentation = isRecord(body.segmentation) ? String(body.segmentation.id) : '';
  const segments = isRecord(body.segmentation) ? arrayOf(body.segmentation.segments).map((s) => String(s.id)) : [];
  const groups = new Set<string>();
  for (const row of arrayOf(body.rows)) {
    const scope = scopeOfGroup(level, String(row.group));
    if (!scope) continue;
    groups.add(String(row.group));
    readCountRow(k, row, segmentMeasure(segmentation, String(row.segment)), scope, model, source);
  }
  for (const group of groups) {
    const scope = scopeOfGroup(level, group)!;
    k.adversary.sum(cellOf(PEOPLE, scope), segments.map((s) => cellOf(segmentMeasure(segmentation, s), scope)), `${source}: segments partition the group`);
  }
};

/**
 * POST /api/cohorts/count: the total and every breakdown's rows. A definition restricted to a
 * neighbourhood counts the rule within it, so only that neighbourhood (and the total) say anything.
 */
const readCohort = (k: Knowledge, body: Record<string, unknown>, rule: FeatureRule, restrictedTo: string | undefined, source: string): void => {
  const model = readDisclosureModel(body.disclosure);
  const measure = ruleMeasure(rule);
  const own: Scope | undefined = restrictedTo === undefined ? undefined : { level: 'neighbourhood', id: restrictedTo };
  if (isRecord(body.total)) {
    const scope = own ?? ICS;
    // The total has no note: a withheld total says nothing. (The cohort builder writes a withheld
    // total as people: 0 with suppressed: true; an attacker reads the flag, not the 0.)
    if (body.total.suppressed === true && body.total.people === 0) k.notes.add('POST /api/cohorts/count writes a withheld total as people: 0 (suppressed: true), which reads as a real zero');
    k.count(cellOf(measure, scope), withheldAsNull(body.total.people, body.total.suppressed), null, model, source);
  }
  for (const b of arrayOf(body.breakdowns)) {
    for (const row of arrayOf(b.rows)) {
      const scope = scopeOfGroup(String(b.by), String(row.group));
      if (!scope) continue;
      if (own !== undefined && !(scope.level === 'neighbourhood' && scope.id === own.id)) continue;
      readCountRow(k, row, measure, scope, model, source);
    }
  }
};

/** How an indicator's value is computed from its counts, for back-calculation. */
type Formula = { kind: 'ratio'; multiplier: number } | { kind: 'rate'; multiplier: number } | { kind: 'none' };
const formulaOf = (def: IndicatorDefinition): Formula => {
  const m = def.measure;
  if (m.kind === 'person-proportion' || m.kind === 'event-proportion') return { kind: 'ratio', multiplier: def.multiplier };
  if (m.kind === 'observed-expected') return { kind: 'rate', multiplier: def.multiplier };
  if (m.kind === 'event-rate' && m.standardisation === 'none') return { kind: 'rate', multiplier: def.multiplier };
  return { kind: 'none' };
};
const countDenominator = (def: IndicatorDefinition): boolean => def.measure.kind === 'person-proportion' || def.measure.kind === 'event-proportion';

interface IndicatorPoint {
  readonly numerator?: unknown;
  readonly denominator?: unknown;
  readonly value?: unknown;
  readonly note?: unknown;
}

/** One indicator figure (a results row or a trend point) for a group in a period. */
const readIndicatorPoint = (k: Knowledge, def: IndicatorDefinition, period: { start: string; end: string }, scope: Scope, p: IndicatorPoint, model: DisclosureModel, source: string): void => {
  const num = cellOf(indicatorMeasure(def.id, period, 'num'), scope);
  const den = countDenominator(def) ? cellOf(indicatorMeasure(def.id, period, 'den'), scope) : undefined;
  k.count(num, p.numerator, p.note, model, source, den);
  if (den !== undefined) k.count(den, p.denominator, null, model, source);
  const value = numOrNull(p.value);
  const formula = formulaOf(def);
  if (value === null || formula.kind === 'none') return;
  if (formula.kind === 'ratio' && den !== undefined) {
    k.derived({ numerator: num, denominator: den, multiplier: formula.multiplier, value, source }, model, { numerator: p.numerator, denominator: p.denominator });
  } else if (formula.kind === 'rate') {
    const D = numOrNull(p.denominator);
    if (D !== null && D > 0) k.derived({ numerator: num, denominator: D, multiplier: formula.multiplier, value, source }, model, { numerator: p.numerator, denominator: D });
  }
};

const scopeOfIndicatorGroup = (breakdown: string, group: string): Scope | undefined => (breakdown === 'ics' ? (group === 'ICS' ? ICS : undefined) : scopeOfGroup(breakdown, group));

/** GET /api/indicators/:id/results. */
const readIndicatorResults = (k: Knowledge, body: Record<string, unknown>, source: string): void => {
  const def = findIndicator(String(isRecord(body.indicator) ? body.indicator.id : ''));
  if (!def || !isRecord(body.period)) return;
  const period = { start: String(body.period.start), end: String(body.period.end) };
  const model = readDisclosureModel(body.disclosure);
  for (const row of arrayOf(body.rows)) {
    const scope = scopeOfIndicatorGroup(String(body.breakdown), String(row.group));
    if (scope) readIndicatorPoint(k, def, period, scope, row, model, source);
  }
};

/** GET /api/indicators/:id/trend: every period for one group. */
const readTrend = (k: Knowledge, body: Record<string, unknown>, source: string): void => {
  const def = findIndicator(String(isRecord(body.indicator) ? body.indicator.id : ''));
  const scope = scopeOfIndicatorGroup(String(body.breakdown), String(body.group));
  if (!def || !scope) return;
  const model = readDisclosureModel(body.disclosure);
  for (const point of arrayOf(body.trend)) {
    if (!isRecord(point.period)) continue;
    readIndicatorPoint(k, def, { start: String(point.period.start), end: String(point.period.end) }, scope, point, model, source);
  }
};

/** GET /api/population/summary: the total = the pyramid = the deciles = the areas one level down. */
const readPopulation = (k: Knowledge, geo: Geo, body: Record<string, unknown>, scope: Scope, source: string): void => {
  const model = readDisclosureModel(body.disclosure);
  const total = cellOf(PEOPLE, scope);
  k.count(total, body.total, null, model, source);
  const pyramid: string[] = [];
  arrayOf(body.pyramid).forEach((r, i) => {
    for (const [sex, field] of [['F', 'female'], ['M', 'male']] as const) {
      const id = cellOf(`pyramid:${sex}:${i}`, scope);
      pyramid.push(id);
      k.count(id, r[field], null, model, source);
    }
  });
  const deciles: string[] = [];
  for (const r of arrayOf(body.byImdDecile)) {
    const id = cellOf(`decile:${String(r.imdDecile)}`, scope);
    deciles.push(id);
    k.count(id, r.count, null, model, source);
  }
  k.adversary.sum(total, pyramid, `${source}: pyramid`);
  k.adversary.sum(total, deciles, `${source}: deciles`);
  if (isRecord(body.breakdown)) {
    const by = String(body.breakdown.by);
    const children: string[] = [];
    for (const r of arrayOf(body.breakdown.rows)) {
      const child = scopeOfGroup(by, String(r.id));
      if (!child) continue;
      children.push(cellOf(PEOPLE, child));
      k.count(cellOf(PEOPLE, child), r.count, null, model, source);
      if (by === 'lsoa' && scope.level === 'neighbourhood') (geo.lsoasOf.get(scope.id) ?? geo.lsoasOf.set(scope.id, []).get(scope.id)!).push(String(r.id));
    }
    if (children.length > 0) k.adversary.sum(total, children, `${source}: areas one level down`);
  }
};

// ---------------------------------------------------------------- equations every attacker knows

/**
 * Nesting: for every measure the adversary knows at two or more levels, the ICS is the sum of its
 * places, a place of its neighbourhoods, a neighbourhood of its LSOAs (when it has seen them).
 * True for counts of people and events: every LSOA is in one neighbourhood of one place.
 */
const addNesting = (adv: Adversary, geo: Geo, source: string): void => {
  const levels = new Map<string, Set<Level>>();
  for (const f of adv.facts) {
    const ids = f.kind === 'bound' ? [f.id] : f.kind === 'sum' ? [f.total, ...f.parts] : [f.value.numerator, ...(typeof f.value.denominator === 'string' ? [f.value.denominator] : [])];
    for (const id of ids) {
      const c = parseCell(id);
      if (c) (levels.get(c.measure) ?? levels.set(c.measure, new Set()).get(c.measure)!).add(c.scope.level);
    }
  }
  for (const [measure, seen] of levels) {
    if (seen.size < 2 || measure.startsWith('complement(')) continue;
    adv.sum(cellOf(measure, ICS), geo.places.map((p) => cellOf(measure, { level: 'place', id: p })), `${source}: ICS = Σ places`);
    for (const p of geo.places) {
      adv.sum(cellOf(measure, { level: 'place', id: p }), (geo.neighbourhoodsOf.get(p) ?? []).map((n) => cellOf(measure, { level: 'neighbourhood', id: n })), `${source}: place = Σ neighbourhoods`);
    }
    if (seen.has('lsoa')) {
      for (const [n, lsoas] of geo.lsoasOf) adv.sum(cellOf(measure, { level: 'neighbourhood', id: n }), lsoas.map((l) => cellOf(measure, { level: 'lsoa', id: l })), `${source}: neighbourhood = Σ LSOAs`);
    }
  }
};

/** Set identities of the padding: any(X, P) = X ⊔ all(P, not X), and everyone = X ⊔ not X, in every scope. */
const addPaddingIdentities = (adv: Adversary, geo: Geo, condition: string, scopes: readonly Scope[] | undefined, source: string): void => {
  const pad = paddingOf(condition);
  const all_ = scopes ?? [ICS, ...geo.places.map((id) => ({ level: 'place' as const, id })), ...[...geo.placeOf.keys()].map((id) => ({ level: 'neighbourhood' as const, id }))];
  for (const scope of all_) {
    const x = cellOf(ruleMeasure(pad.target), scope);
    for (const p of pad.pairs) adv.sum(cellOf(ruleMeasure(p.padded), scope), [x, cellOf(ruleMeasure(p.pad), scope)], `${source}: ${condition} padding`);
    adv.sum(cellOf(PEOPLE, scope), [x, cellOf(ruleMeasure(pad.complement), scope)], `${source}: ${condition} and its complement`);
  }
};

/**
 * Rolling pooled periods: a 3-year count of events is the sum of its years. Unknown yearly counts
 * link consecutive periods (2021-24 and 2022-25 share two years).
 */
const addRollingPeriods = (adv: Adversary, source: string): void => {
  const periods = new Map<string, { id: string; start: string; end: string; scope: Scope }[]>();
  for (const f of adv.facts) {
    if (f.kind !== 'bound') continue;
    const c = parseCell(f.id);
    const m = c ? /^ind:([a-z0-9-]+):(\d{4})-04-01:(\d{4})-04-01:num$/.exec(c.measure) : null;
    if (!c || !m || Number(m[3]) - Number(m[2]) < 2) continue;
    const key = `${m[1]}@${scopeText(c.scope)}`;
    (periods.get(key) ?? periods.set(key, []).get(key)!).push({ id: f.id, start: m[2]!, end: m[3]!, scope: c.scope });
  }
  const done = new Set<string>();
  for (const [key, list] of periods) {
    const indicator = key.slice(0, key.indexOf('@'));
    for (const p of list) {
      if (done.has(p.id)) continue;
      done.add(p.id);
      const years: string[] = [];
      for (let y = Number(p.start); y < Number(p.end); y++) years.push(cellOf(`ind:${indicator}:${y}-04-01:${y + 1}-04-01:num`, p.scope));
      adv.sum(p.id, years, `${source}: a pooled period is the sum of its years`);
    }
  }
};

// ---------------------------------------------------------------- the truth

/** True counts, computed independently of the publication path. */
class Truth {
  private readonly cache = new Map<string, number>();
  private readonly lsoaCounts = new Map<string, Promise<Map<string, number>>>();
  private readonly engineCounts = new Map<string, Promise<Map<string, { num: number; den: number }>>>();
  private lsoaGeo: Promise<Map<string, { nbhd: string; place: string }>> | undefined;
  private readonly engine: IndicatorEngine;
  private readonly risk = riskMeasures();

  constructor(private readonly db: PhmDatabase) {
    this.engine = createDuckDbEngine(db);
  }

  private measureSql(measure: string): string | undefined {
    if (measure === PEOPLE) return 'TRUE';
    if (measure.startsWith('risk:')) {
      const [m, c] = [measure.slice(5, measure.indexOf('=')), measure.slice(measure.indexOf('=') + 1)];
      return this.risk.find((r) => r.id === m)?.categories.find((x) => x.id === c)?.sql;
    }
    if (measure.startsWith('segment:')) {
      const [s, seg] = [measure.slice(8, measure.indexOf('=')), measure.slice(measure.indexOf('=') + 1)];
      const segmentation = SEGMENTATIONS.find((x) => x.id === s);
      return segmentation ? `(${segmentationSql(segmentation)}) = ${sqlString(seg)}` : undefined;
    }
    if (measure.startsWith('cohort:')) return ruleSql(JSON.parse(measure.slice(7)) as FeatureRule);
    const pyramid = /^pyramid:([FM]):(\d+)$/.exec(measure);
    if (pyramid) return `sex = ${sqlString(pyramid[1]!)} AND least(age // 5, 18) = ${Number(pyramid[2])}`;
    const decile = /^decile:(\d+)$/.exec(measure);
    if (decile) return `imd_decile = ${Number(decile[1])}`;
    return undefined;
  }

  private geo(): Promise<Map<string, { nbhd: string; place: string }>> {
    this.lsoaGeo ??= this.db
      .query<{ code: string; nbhd: string; place: string }>('SELECT lsoa_code AS code, neighbourhood_id AS nbhd, place FROM geo_lsoa')
      .then((rows) => new Map(rows.map((r) => [r.code, { nbhd: r.nbhd, place: r.place }])));
    return this.lsoaGeo;
  }

  private countsByLsoa(measure: string, sql: string): Promise<Map<string, number>> {
    let p = this.lsoaCounts.get(measure);
    if (!p) {
      p = this.db
        .query<{ lsoa: string; n: number | bigint }>(`SELECT lsoa_code AS lsoa, count(*) FILTER (WHERE ${sql})::BIGINT AS n FROM attack_truth GROUP BY lsoa_code`)
        .then((rows) => new Map(rows.map((r) => [r.lsoa, Number(r.n)])));
      this.lsoaCounts.set(measure, p);
    }
    return p;
  }

  private async indicator(measure: string, scope: Scope): Promise<number | undefined> {
    const m = /^ind:([a-z0-9-]+):(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2}):(num|den)$/.exec(measure);
    const def = m ? findIndicator(m[1]!) : undefined;
    if (!m || !def) return undefined;
    // One engine query per indicator, period and level; every group of it from the same answer.
    const key = `${m[1]}:${m[2]}:${m[3]}:${scope.level}`;
    let p = this.engineCounts.get(key);
    if (!p) {
      p = this.engine.aggregate({ definition: def, period: { start: m[2]!, end: m[3]!, label: '' }, breakdown: scope.level as Breakdown }).then((cells) => {
        const byGroup = new Map<string, { num: number; den: number }>();
        for (const c of cells) {
          const g = byGroup.get(c.group) ?? byGroup.set(c.group, { num: 0, den: 0 }).get(c.group)!;
          g.num += c.numerator;
          g.den += c.denominator;
        }
        return byGroup;
      });
      this.engineCounts.set(key, p);
    }
    const counts = (await p).get(scope.level === 'ics' ? 'ICS' : scope.id) ?? { num: 0, den: 0 };
    return m[4] === 'num' ? counts.num : counts.den;
  }

  /** The true count of a cell (undefined if the suite cannot say). */
  async of(id: string): Promise<number | undefined> {
    if (this.cache.has(id)) return this.cache.get(id);
    let value: number | undefined;
    const complement = parseComplementId(id);
    if (complement) {
      const [t, p] = [await this.of(complement.total), await this.of(complement.part)];
      value = t === undefined || p === undefined ? undefined : t - p;
    } else {
      const c = parseCell(id);
      if (c && c.measure.startsWith('ind:')) value = await this.indicator(c.measure, c.scope);
      else if (c) {
        const sql = this.measureSql(c.measure);
        if (sql !== undefined) {
          const [counts, geo] = await Promise.all([this.countsByLsoa(c.measure, sql), this.geo()]);
          value = 0;
          for (const [lsoa, n] of counts) {
            const g = geo.get(lsoa);
            const inside =
              c.scope.level === 'ics' || (c.scope.level === 'place' && g?.place === c.scope.id) || (c.scope.level === 'neighbourhood' && g?.nbhd === c.scope.id) || (c.scope.level === 'lsoa' && lsoa === c.scope.id);
            if (inside) value += n;
          }
        }
      }
    }
    if (value !== undefined) this.cache.set(id, value);
    return value;
  }
}

// ---------------------------------------------------------------- judging a solution

interface Claim {
  readonly id: string;
  readonly value: number;
  readonly truth: number | undefined;
  readonly published: readonly number[];
}

interface Verdict {
  readonly cells: number;
  readonly exact: number;
  /** Claims that disagree with the truth: the adversary or the declared model is wrong. */
  readonly wrong: Claim[];
  readonly contradictions: readonly string[];
  readonly violations: readonly string[];
  /** Protected counts recovered exactly. */
  readonly recovered: Claim[];
  readonly small: Claim[];
  readonly planted: Planted[];
  readonly truncated: boolean;
}

/** The 1-year prevalence indicators whose latest numerator is the cohort "on the register" at the reference date. */
const PREVALENCE_OF: Record<string, string> = { [DEMENTIA]: 'prevalence-dementia', [LEARNING_DISABILITY]: 'prevalence-learning-disability' };

/** The latest 1-year period (the financial year ending on the day after the reference date). */
const latestYear = (referenceDate: string): { start: string; end: string } => {
  const end = dayBefore(referenceDate, -1);
  return { start: `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`, end };
};

let plantedReferenceDate = '';
/** The cells a planted count is published as: the cohort's, and the prevalence indicator's latest numerator. */
const plantedCellsOf = (p: Planted): string[] => {
  const scope: Scope = { level: 'neighbourhood', id: p.neighbourhood };
  const ids = [cellOf(ruleMeasure(flag(p.condition)), scope)];
  const indicator = PREVALENCE_OF[p.condition];
  if (indicator && plantedReferenceDate) ids.push(cellOf(indicatorMeasure(indicator, latestYear(plantedReferenceDate), 'num'), scope));
  return ids;
};

/**
 * Definitions the catalogue documents as the same people: the latest numerator of a prevalence
 * indicator (on the register at the end of the period) is the cohort "on the register" at the
 * reference date the summaries publish, and its denominator everyone resident then.
 */
const addSameDefinitions = (adv: Adversary, referenceDate: string, source: string): void => {
  const year = latestYear(referenceDate);
  const seen = new Set<string>();
  for (const f of adv.facts) {
    if (f.kind !== 'bound' || seen.has(f.id)) continue;
    seen.add(f.id);
    const c = parseCell(f.id);
    if (!c) continue;
    for (const [condition, indicator] of Object.entries(PREVALENCE_OF)) {
      if (c.measure === indicatorMeasure(indicator, year, 'num')) adv.same(f.id, cellOf(ruleMeasure(flag(condition)), c.scope), `${source}: ${indicator} numerator is the register`);
      if (c.measure === indicatorMeasure(indicator, year, 'den')) adv.same(f.id, cellOf(PEOPLE, c.scope), `${source}: ${indicator} denominator is everyone resident`);
    }
  }
};

/** A short list for an assertion message: the first few items and how many more. */
const few = (items: readonly string[], n = 8): string => (items.length === 0 ? 'none' : `${items.slice(0, n).join('; ')}${items.length > n ? ` … and ${items.length - n} more` : ''}`);

const describeClaim = (c: Claim): string => `${c.id} = ${c.value} (true ${c.truth ?? '?'}; published ${c.published.length > 0 ? c.published.join('/') : 'never'})`;

const judge = async (adv: Adversary, truth: Truth, ledger: Ledger, planted: readonly Planted[]): Promise<{ verdict: Verdict; solution: Solution }> => {
  const solution = adv.solve();
  const wrong: Claim[] = [];
  const recovered: Claim[] = [];
  for (const [id, value] of solution.exact) {
    const t = await truth.of(id);
    const published = [...(ledger.published.get(id) ?? [])];
    const claim = { id, value, truth: t, published };
    if (t !== undefined && t !== value) {
      wrong.push(claim);
      continue;
    }
    const small = value >= 1 && value <= SMALL_MAX;
    // Protected: small; withheld somewhere; published as something else (rounded, perturbed); or
    // never published on its own.
    // Zero is published as zero by the default policy (suppressZero false): knowing a zero, even one
    // a table withheld, is not counted (the public tables publish the same zeros).
    if (value === 0) continue;
    const withheld = ledger.withheld.has(id);
    const differs = published.some((p) => p !== value);
    const neverPublished = published.length === 0;
    if (small || withheld || differs || neverPublished) recovered.push(claim);
  }
  const recoveredIds = new Set(recovered.map((c) => c.id));
  const plantedHit = planted.filter((p) => plantedCellsOf(p).some((id) => recoveredIds.has(id)));
  return {
    solution,
    verdict: {
      cells: solution.intervals.size,
      exact: solution.exact.size,
      wrong,
      contradictions: solution.contradictions.map((c) => `${c.id}: had [${c.had.lo}, ${c.had.hi}], ${c.source} wanted [${c.wanted.lo}, ${c.wanted.hi}]`),
      violations: adv.violations.map((v) => `${v.source}: ${v.message}`),
      recovered,
      small: recovered.filter((c) => c.value >= 1 && c.value <= SMALL_MAX),
      planted: plantedHit,
      truncated: solution.truncated,
    },
  };
};

/** The same knowledge without the derived values (to show what differencing alone gives). */
const withoutDerived = (adv: Adversary): Adversary => {
  const out = new Adversary();
  out.facts.push(...adv.facts.filter((f) => f.kind !== 'derived'));
  out.violations.push(...adv.violations);
  return out;
};

// ---------------------------------------------------------------- CSV

/** RFC 4180 rows (quoted fields, CRLF). */
const parseCsv = (text: string): Record<string, string>[] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...data] = rows;
  return header ? data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) : [];
};

/** A CSV count: [c] (withheld) → null, '' → undefined (absent), else the number. */
const csvNumber = (text: string | undefined): number | null | undefined => (text === undefined || text === '' ? undefined : text === '[c]' ? null : Number(text));

/** Whether a CSV figure says no more, and nothing different, than the JSON one (shares may be rounded to 6 places). */
const csvAgrees = (csv: number | null | undefined, json: number | null, rounded = false): boolean => {
  if (csv === undefined) return json === null;
  if (csv === null || json === null) return csv === json;
  if (csv === json) return true;
  return rounded && Math.abs(Number(json.toFixed(6)) - csv) < 1e-12;
};

// ---------------------------------------------------------------- the attacks

interface Report {
  readonly family: string;
  readonly roles: string;
  readonly requests: number;
  readonly refused: number;
  readonly verdict: Verdict;
  /** Recoveries from the counts and additivity alone (no derived values). */
  readonly withoutValues?: number;
  readonly extra?: string;
}

const reports: Report[] = [];
const everything: Knowledge[] = [];

const summaryLine = (r: Report): string =>
  `${r.family.padEnd(44)} ${r.roles.padEnd(26)} req ${String(r.requests).padStart(4)} refused ${String(r.refused).padStart(3)} | exact ${String(r.verdict.exact).padStart(5)} ` +
  `| RECOVERED ${String(r.verdict.recovered.length).padStart(5)} (small 1-7: ${String(r.verdict.small.length).padStart(3)}, planted ${r.verdict.planted.length})` +
  `${r.withoutValues !== undefined ? ` | without values ${r.withoutValues}` : ''} | wrong ${r.verdict.wrong.length}, contradictions ${r.verdict.contradictions.length}, violations ${r.verdict.violations.length}` +
  `${r.extra ? ` | ${r.extra}` : ''}`;

/** Solves, reports (console) and asserts soundness and protection for one attack. */
const conclude = async (w: World, truth: Truth, k: Knowledge, options: { roles: string; geo?: Geo; nesting?: boolean; rolling?: boolean; compareWithoutValues?: boolean; extra?: string }): Promise<Verdict> => {
  if (options.nesting && options.geo) addNesting(k.adversary, options.geo, 'nesting');
  if (options.rolling) addRollingPeriods(k.adversary, 'rolling');
  const { verdict } = await judge(k.adversary, truth, k.ledger, w.planted);
  const withoutValues = options.compareWithoutValues ? (await judge(withoutDerived(k.adversary), truth, k.ledger, w.planted)).verdict.recovered.length : undefined;
  const report: Report = { family: k.name, roles: options.roles, requests: k.requests, refused: k.refusals.length, verdict, ...(withoutValues !== undefined ? { withoutValues } : {}), ...(options.extra ? { extra: options.extra } : {}) };
  reports.push(report);
  const examples = [...verdict.small, ...verdict.recovered.filter((c) => !(c.value >= 1 && c.value <= SMALL_MAX))].slice(0, 12).map(describeClaim);
  console.log(
    [
      summaryLine(report),
      ...(verdict.planted.length > 0 ? [`  planted cells recovered: ${verdict.planted.map((p) => `${p.neighbourhood}=${p.count}`).join(', ')}`] : []),
      ...examples.map((e) => `  recovered: ${e}`),
      ...verdict.wrong.slice(0, 5).map((c) => `  WRONG: ${describeClaim(c)}`),
      ...verdict.contradictions.slice(0, 5).map((c) => `  CONTRADICTION: ${c}`),
      ...verdict.violations.slice(0, 5).map((v) => `  MODEL VIOLATION: ${v}`),
      ...k.findings.slice(0, 5).map((f) => `  FINDING: ${f}`),
      ...[...k.notes].map((n) => `  NOTE: ${n}`),
      ...(k.refusals.length > 0 ? [`  refused (no knowledge): ${few(k.refusals, 3)}`] : []),
    ].join('\n'),
  );
  return verdict;
};

const expectSoundAndProtected = (k: Knowledge, verdict: Verdict): void => {
  const wrong = verdict.wrong.map(describeClaim);
  expect.soft(wrong.length, `${k.name}: claims that disagree with the truth (the adversary or the declared model is wrong): ${few(wrong)}`).toBe(0);
  expect.soft(verdict.contradictions.length, `${k.name}: contradictory knowledge (the declared model is wrong): ${few(verdict.contradictions)}`).toBe(0);
  expect.soft(verdict.violations.length, `${k.name}: values that disagree with the declared model: ${few(verdict.violations)}`).toBe(0);
  expect.soft(k.findings.length, `${k.name}: findings: ${few(k.findings)}`).toBe(0);
  const recovered = [...verdict.small, ...verdict.recovered.filter((c) => !verdict.small.includes(c))].map(describeClaim);
  expect(recovered.length, `${k.name}: protected counts recovered exactly (${verdict.small.length} of them small): ${few(recovered)}`).toBe(0);
};

const postCount = (rule: FeatureRule, by: readonly Breakdown[], neighbourhoodId?: string) => ({
  definition: { rule, ...(neighbourhoodId ? { area: { neighbourhoodId } } : {}) },
  by,
});

/**
 * Counts a rule as a role, as an attacker would: by the breakdowns asked for, and for a definition
 * restricted to a neighbourhood, when that is refused (a role limited to some breakdowns), again for
 * the total alone. (An unrestricted definition is not retried: a server that holds a role to its own
 * neighbourhood could answer it for that neighbourhood only, and the total would mean something else.)
 */
const countAs = async (w: World, k: Knowledge, who: Role, rule: FeatureRule, by: readonly Breakdown[], own: string | undefined, source: string): Promise<void> => {
  let body = await fetchJson(w, k, who, 'POST', '/api/cohorts/count', postCount(rule, by, own));
  if (!body && by.length > 0 && own !== undefined) body = await fetchJson(w, k, who, 'POST', '/api/cohorts/count', postCount(rule, [], own));
  if (body) readCohort(k, body, rule, own, source);
};

/** The neighbourhood an account is bound to (GET /api/auth/me), or undefined. */
const boundNeighbourhood = async (w: World, who: Role): Promise<string | undefined> => {
  const me = await request(w, who, 'GET', '/api/auth/me');
  const user = isRecord(me.body) && isRecord(me.body.user) ? me.body.user : undefined;
  return typeof user?.neighbourhoodId === 'string' ? user.neighbourhoodId : undefined;
};

/**
 * Whether the cohort builder says it holds this role's counts to an area (GET /api/cohorts,
 * `countsIn`). When it does not say, an attacker bound to a neighbourhood also tries definitions
 * for the whole partnership.
 */
const declaresScoping = async (w: World, who: Role): Promise<boolean> => {
  const r = await request(w, who, 'GET', '/api/cohorts');
  return isRecord(r.body) && 'countsIn' in r.body;
};

describe('attack suite: no protected count is recovered from the published figures', () => {
  let w: World;
  let truth: Truth;
  let geo: Geo;
  const ledger = new Ledger();
  const knowledge = (name: string): Knowledge => {
    const k = new Knowledge(name, ledger);
    everything.push(k);
    return k;
  };

  beforeAll(async () => {
    w = await buildWorld();
    truth = new Truth(w.truthDb);
    plantedReferenceDate = w.referenceDate;
    geo = await readGeo(w);
  }, 300_000);

  afterAll(async () => {
    console.log(['', '==== attack suite summary (protected counts recovered exactly) ====', ...reports.map(summaryLine)].join('\n'));
    w?.truthDb.close();
    await w?.server.app.close();
    if (w) rmSync(w.dir, { recursive: true, force: true });
  });

  it('a. back-calculation from derived values (shares, proportions, rates)', async () => {
    const k = knowledge('a. back-calculation from values');
    for (const by of ['ics', 'place', 'neighbourhood']) {
      const risk = await fetchJson(w, k, 'public', 'GET', `/api/risk?by=${by}`);
      if (risk) readRisk(k, risk, `risk by=${by}`);
      for (const s of SEGMENTATIONS) {
        const seg = await fetchJson(w, k, 'public', 'GET', `/api/segments?segmentation=${s.id}&by=${by}`);
        if (seg) readSegments(k, seg, `segments ${s.id} by=${by}`);
      }
      for (const id of INDICATORS) {
        const res = await fetchJson(w, k, 'public', 'GET', `/api/indicators/${id}/results?by=${by}`);
        if (res) readIndicatorResults(k, res, `${id} by=${by}`);
      }
    }
    for (const x of ATTACKED_CONDITIONS) {
      const body = await fetchJson(w, k, 'analyst', 'POST', '/api/cohorts/count', postCount(flag(x), ['neighbourhood']));
      if (body) readCohort(k, body, flag(x), undefined, `cohort ${x} by neighbourhood (analyst)`);
    }
    const verdict = await conclude(w, truth, k, { roles: 'public, analyst' });
    expectSoundAndProtected(k, verdict);
  });

  it('b. totals minus published parts, across nesting and across separately protected tables', async () => {
    const k = knowledge('b. totals minus parts across tables');
    for (const by of ['ics', 'place', 'neighbourhood']) {
      const risk = await fetchJson(w, k, 'public', 'GET', `/api/risk?by=${by}`);
      if (risk) readRisk(k, risk, `risk by=${by}`);
    }
    const areas = [...geo.places.map((p) => `place:${p}`), ...[...geo.placeOf.keys()].map((n) => `neighbourhood:${n}`)];
    for (const area of areas) {
      for (const by of area.startsWith('place:') ? ['ics', 'neighbourhood'] : ['ics']) {
        const risk = await fetchJson(w, k, 'public', 'GET', `/api/risk?by=${by}&area=${area}`);
        if (risk) readRisk(k, risk, `risk by=${by}&area=${area}`);
        for (const s of SEGMENTATIONS) {
          const seg = await fetchJson(w, k, 'public', 'GET', `/api/segments?segmentation=${s.id}&by=${by}&area=${area}`);
          if (seg) readSegments(k, seg, `segments ${s.id} by=${by}&area=${area}`);
        }
      }
    }
    for (const id of INDICATORS) {
      for (const by of ['ics', 'place', 'neighbourhood']) {
        const res = await fetchJson(w, k, 'public', 'GET', `/api/indicators/${id}/results?by=${by}`);
        if (res) readIndicatorResults(k, res, `${id} by=${by}`);
      }
    }
    for (const area of ['ics', ...areas]) {
      const pop = await fetchJson(w, k, 'public', 'GET', `/api/population/summary?area=${area}`);
      const scope: Scope = area === 'ics' ? ICS : { level: area.startsWith('place:') ? 'place' : 'neighbourhood', id: area.slice(area.indexOf(':') + 1) };
      if (pop) readPopulation(k, geo, pop, scope, `population ${area}`);
    }
    const verdict = await conclude(w, truth, k, { roles: 'public', geo, nesting: true, compareWithoutValues: true });
    expectSoundAndProtected(k, verdict);
  });

  it('b2. the outcome map: indicator results by LSOA against the neighbourhood, place and ICS totals they add up to', async () => {
    const k = knowledge('b2. LSOA map against area totals');
    // Which LSOAs make up each neighbourhood is public (the map's boundaries carry it).
    const mapGeo: Geo = { ...geo, lsoasOf: new Map() };
    for (const r of await w.truthDb.query<{ code: string; nbhd: string | null }>('SELECT lsoa_code AS code, neighbourhood_id AS nbhd FROM geo_lsoa')) {
      if (r.nbhd !== null) (mapGeo.lsoasOf.get(r.nbhd) ?? mapGeo.lsoasOf.set(r.nbhd, []).get(r.nbhd)!).push(r.code);
    }
    for (const id of INDICATORS) {
      for (const by of ['ics', 'place', 'neighbourhood', 'lsoa']) {
        const res = await fetchJson(w, k, 'public', 'GET', `/api/indicators/${id}/results?by=${by}`);
        if (res) readIndicatorResults(k, res, `${id} by=${by}`);
      }
    }
    const verdict = await conclude(w, truth, k, { roles: 'public', geo: mapGeo, nesting: true, compareWithoutValues: true });
    expectSoundAndProtected(k, verdict);
  });

  it('c. padding with complementary definitions in the cohort builder (analyst and neighbourhood team)', async () => {
    const k = knowledge('c. padding in the cohort builder');
    for (const x of ATTACKED_CONDITIONS) {
      const pad = paddingOf(x);
      const rules = [pad.target, ...pad.pairs.flatMap((p) => [p.padded, p.pad]), pad.complement];
      // The analyst: every neighbourhood at once.
      for (const rule of rules) {
        const body = await fetchJson(w, k, 'analyst', 'POST', '/api/cohorts/count', postCount(rule, ['neighbourhood']));
        if (body) readCohort(k, body, rule, undefined, `cohort ${JSON.stringify(rule)} by neighbourhood (analyst)`);
      }
      addPaddingIdentities(k.adversary, geo, x, undefined, 'analyst');
      // The neighbourhood team: its own neighbourhood only (definitions restricted to it).
      for (const rule of rules) await countAs(w, k, 'team', rule, ['neighbourhood'], w.teamNeighbourhood, `cohort ${JSON.stringify(rule)} in ${w.teamNeighbourhood} (team)`);
      addPaddingIdentities(k.adversary, geo, x, [{ level: 'neighbourhood', id: w.teamNeighbourhood }], 'team');
    }
    const verdict = await conclude(w, truth, k, { roles: 'analyst, neighbourhood team', compareWithoutValues: true });
    const team = verdict.recovered.filter((c) => c.id.endsWith(`@neighbourhood:${w.teamNeighbourhood}`) && c.id.includes(DEMENTIA));
    if (team.length > 0) console.log(`  the team recovered in its own neighbourhood: ${team.map(describeClaim).join('; ')}`);
    expectSoundAndProtected(k, verdict);
  });

  it('d. one dimension against two: a cohort counted by place and by neighbourhood', async () => {
    const k = knowledge('d. cohort by place and by neighbourhood');
    for (const x of ATTACKED_CONDITIONS) {
      const body = await fetchJson(w, k, 'analyst', 'POST', '/api/cohorts/count', postCount(flag(x), ['place', 'neighbourhood']));
      if (body) readCohort(k, body, flag(x), undefined, `cohort ${x} by place and neighbourhood (analyst)`);
    }
    const verdict = await conclude(w, truth, k, { roles: 'analyst', geo, nesting: true, compareWithoutValues: true });
    expectSoundAndProtected(k, verdict);
  });

  it('e. trend minus earlier period: rolling periods, and every period against the model', async () => {
    const k = knowledge('e. trends and rolling periods');
    const groups: [string, string | undefined][] = [['ics', undefined], ...geo.places.map((p): [string, string] => ['place', p]), ...[...geo.placeOf.keys()].map((n): [string, string] => ['neighbourhood', n])];
    for (const id of INDICATORS) {
      for (const [by, group] of groups) {
        const body = await fetchJson(w, k, 'public', 'GET', `/api/indicators/${id}/trend?by=${by}${group ? `&group=${group}` : ''}`);
        if (body) readTrend(k, body, `${id} trend by=${by}${group ? ` ${group}` : ''}`);
      }
    }
    const verdict = await conclude(w, truth, k, { roles: 'public', geo, nesting: true, rolling: true, compareWithoutValues: true });
    expectSoundAndProtected(k, verdict);
  });

  it('f. CSV against JSON: no figure in a CSV file is more precise than, or different from, the JSON', async () => {
    const k = knowledge('f. CSV files');
    const someNeighbourhood = w.planted[0]!.neighbourhood;
    const compare = (label: string, pairs: [number | null | undefined, number | null, boolean?][]) => {
      for (const [csv, json, rounded] of pairs) if (!csvAgrees(csv, json, rounded)) k.findings.push(`${label}: CSV ${String(csv)} vs JSON ${String(json)}`);
    };
    // Risk and segments (shares rounded to 6 places in CSV).
    for (const [kind, url] of [
      ['risk', '/api/risk?by=neighbourhood'],
      ['risk', `/api/risk?by=ics&area=neighbourhood:${someNeighbourhood}`],
      ['segments', `/api/segments?segmentation=${SEGMENTATIONS[0]!.id}&by=neighbourhood`],
    ] as const) {
      const json = await fetchJson(w, k, 'public', 'GET', url);
      k.requests++;
      const csv = await request(w, 'public', 'GET', `${url}&format=csv`);
      if (!json || csv.status !== 200) continue;
      const rows = parseCsv(csv.text);
      const level = rowLevelOf(json);
      const model = readDisclosureModel(json.disclosure);
      arrayOf(json.rows).forEach((r, i) => {
        const c = rows[i];
        if (!c) return k.findings.push(`${url}: CSV has fewer rows than JSON`);
        compare(`${url} row ${i}`, [[csvNumber(c.people), numOrNull(r.people)], [csvNumber(c.group_people), numOrNull(r.groupPeople)], [csvNumber(c.share), numOrNull(r.share), true]]);
        const scope = scopeOfGroup(level, c.group ?? '');
        if (!scope) return;
        const measure = kind === 'risk' ? riskMeasure(c.measure ?? '', c.category ?? '') : segmentMeasure(SEGMENTATIONS[0]!.id, c.segment ?? '');
        // A CSV reader has no notes: a withheld count says nothing more.
        readCountRow(k, { people: csvNumber(c.people), groupPeople: csvNumber(c.group_people), share: csvNumber(c.share), note: null }, measure, scope, model, `${url}&format=csv`, { csv: true });
      });
    }
    // Indicator results and a trend.
    for (const id of INDICATORS) {
      const url = `/api/indicators/${id}/results?by=neighbourhood`;
      const json = await fetchJson(w, k, 'public', 'GET', url);
      k.requests++;
      const csv = await request(w, 'public', 'GET', `${url}&format=csv`);
      if (!json || csv.status !== 200) continue;
      const rows = parseCsv(csv.text);
      arrayOf(json.rows).forEach((r, i) => {
        const c = rows[i];
        if (!c) return k.findings.push(`${url}: CSV has fewer rows than JSON`);
        compare(`${url} row ${i}`, [
          [csvNumber(c.numerator), numOrNull(r.numerator)],
          [csvNumber(c.denominator), numOrNull(r.denominator)],
          [csvNumber(c.value), numOrNull(r.value)],
          [csvNumber(c.lower_95), numOrNull(r.lower_95)],
          [csvNumber(c.upper_95), numOrNull(r.upper_95)],
        ]);
      });
      const fromCsv = { ...json, rows: rows.map((c) => ({ group: c.group, numerator: csvNumber(c.numerator), denominator: csvNumber(c.denominator), value: csvNumber(c.value), note: c.note })) };
      readIndicatorResults(k, fromCsv, `${url}&format=csv`);
    }
    // Population tables.
    for (const area of ['ics', `neighbourhood:${someNeighbourhood}`]) {
      const json = await fetchJson(w, k, 'public', 'GET', `/api/population/summary?area=${area}`);
      if (!json) continue;
      for (const table of ['pyramid', 'imd-decile', 'breakdown'] as const) {
        k.requests++;
        const csv = await request(w, 'public', 'GET', `/api/population/summary?area=${area}&format=csv&table=${table}`);
        if (csv.status !== 200) continue;
        const rows = parseCsv(csv.text);
        if (table === 'pyramid') arrayOf(json.pyramid).forEach((r, i) => compare(`population ${area} pyramid ${i}`, [[csvNumber(rows[i]?.female), numOrNull(r.female)], [csvNumber(rows[i]?.male), numOrNull(r.male)]]));
        if (table === 'imd-decile') arrayOf(json.byImdDecile).forEach((r, i) => compare(`population ${area} decile ${i}`, [[csvNumber(rows[i]?.people), numOrNull(r.count)]]));
        if (table === 'breakdown' && isRecord(json.breakdown)) arrayOf(json.breakdown.rows).forEach((r, i) => compare(`population ${area} breakdown ${i}`, [[csvNumber(rows[i]?.people), numOrNull(r.count)]]));
      }
    }
    const verdict = await conclude(w, truth, k, { roles: 'public', extra: `${k.findings.length} CSV/JSON differences` });
    expectSoundAndProtected(k, verdict);
  });

  it('g. every role, including anonymous: public tables and the cohort builder as each role', async () => {
    const roles: Role[] = ['public', 'analyst', 'team', 'neighbourhood', 'admin', 'programme', 'board'];
    const publicFigures = new Map<string, string>();
    const lines: string[] = [];
    const verdicts: Verdict[] = [];
    const findings: string[] = [];
    for (const role of roles) {
      const k = knowledge(`g. as ${role}`);
      const publicUrls = [
        '/api/risk?by=neighbourhood',
        '/api/risk?by=place',
        `/api/segments?segmentation=${SEGMENTATIONS[0]!.id}&by=neighbourhood`,
        '/api/indicators/prevalence-dementia/results?by=neighbourhood',
        '/api/indicators/prevalence-dementia/results?by=place',
        '/api/population/summary?area=ics',
      ];
      for (const url of publicUrls) {
        const body = await fetchJson(w, k, role, 'GET', url);
        if (!body) continue;
        // Every role must be shown the same published figures as the public.
        const figures = JSON.stringify(body.rows ?? body.pyramid ?? body);
        if (role === 'public') publicFigures.set(url, figures);
        else if (publicFigures.has(url) && publicFigures.get(url) !== figures) findings.push(`${role} sees different figures than the public at ${url}`);
        if (url.startsWith('/api/risk')) readRisk(k, body, `${url} (${role})`);
        else if (url.startsWith('/api/segments')) readSegments(k, body, `${url} (${role})`);
        else if (url.startsWith('/api/indicators')) readIndicatorResults(k, body, `${url} (${role})`);
        else readPopulation(k, geo, body, ICS, `${url} (${role})`);
      }
      // The cohort builder: definitions for the whole partnership, and restricted to the account's
      // neighbourhood when it has one (only those, when the server says it holds the role there).
      const own = role === 'public' ? undefined : await boundNeighbourhood(w, role);
      const areas = own === undefined ? [undefined] : (await declaresScoping(w, role)) ? [own] : [undefined, own];
      const pad = paddingOf(DEMENTIA);
      for (const area of areas) {
        for (const rule of [pad.target, pad.pairs[0]!.padded, pad.pairs[0]!.pad]) await countAs(w, k, role, rule, ['place', 'neighbourhood'], area, `cohort ${JSON.stringify(rule)}${area ? ` in ${area}` : ''} (${role})`);
        addPaddingIdentities(k.adversary, geo, DEMENTIA, area ? [{ level: 'neighbourhood', id: area }] : undefined, role);
      }
      k.findings.push(...findings.splice(0));
      const verdict = await conclude(w, truth, k, { roles: role, geo, nesting: true });
      verdicts.push(verdict);
      lines.push(`${role}: ${k.requests - k.refusals.length}/${k.requests} answered, recovered ${verdict.recovered.length} (small ${verdict.small.length})`);
      expect.soft(verdict.wrong.length, `as ${role}: claims that disagree with the truth: ${few(verdict.wrong.map(describeClaim))}`).toBe(0);
      expect.soft(verdict.contradictions.length, `as ${role}: contradictions: ${few(verdict.contradictions)}`).toBe(0);
      expect.soft(verdict.violations.length, `as ${role}: model violations: ${few(verdict.violations)}`).toBe(0);
      expect.soft(k.findings.length, `as ${role}: findings: ${few(k.findings)}`).toBe(0);
      expect.soft(verdict.recovered.length, `as ${role}: protected counts recovered exactly: ${few(verdict.recovered.map(describeClaim))}`).toBe(0);
    }
    console.log(`  by role: ${lines.join('; ')}`);
    expect(verdicts.reduce((s, v) => s + v.recovered.length, 0), 'protected counts recovered by any role').toBe(0);
  });

  it('all together: everything every role learned, solved at once', async () => {
    const others = [...everything];
    const k = knowledge('ALL families and roles combined');
    const combined = Adversary.combine(...others.map((x) => x.adversary));
    k.adversary.facts.push(...combined.facts);
    k.adversary.violations.push(...combined.violations);
    for (const x of others) for (const n of x.notes) k.notes.add(n);
    // The reference date every summary publishes links the prevalence indicators to the cohorts.
    const risk = await fetchJson(w, k, 'public', 'GET', '/api/risk?by=ics');
    if (typeof risk?.date === 'string') addSameDefinitions(k.adversary, risk.date, 'catalogue');
    k.requests += others.reduce((s, x) => s + x.requests, 0);
    k.refusals.push(...others.flatMap((x) => x.refusals));
    const verdict = await conclude(w, truth, k, { roles: 'all', geo, nesting: true, rolling: true });
    const planted = w.planted.map((p) => `${p.neighbourhood}=${p.count}${verdict.planted.includes(p) ? ' RECOVERED' : ''}`);
    console.log(`  planted dementia cells: ${planted.join(', ')}`);
    expectSoundAndProtected(k, verdict);
  });
});
