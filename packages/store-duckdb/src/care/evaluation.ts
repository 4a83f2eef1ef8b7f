/**
 * The person-level half of a matched evaluation (core's matchedDifferenceInDifferences is the
 * other): for people who received an intervention on an index date, their outcome counts in the
 * window before and after it, and those of up to k matched comparators who never received it.
 *
 * - Index dates are taken to the start of their calendar quarter, and everyone is evaluated at that
 *   date (so comparators can be found per quarter in one set-based pass).
 * - Evaluation is planning (core's PERSON_LEVEL_USES): people with an opt-out that applies are left
 *   out, as cases (counted in `excluded.optedOut`) and as comparators.
 * - Who can be evaluated (cases and comparators alike): adults (18+) at the index date, registered
 *   for the whole window before it, alive to the end of the window after it, and an index date whose
 *   windows lie inside the data. People who fail are counted, not evaluated.
 * - Matching is exact on sex, age band, IMD quintile, place and prior emergency activity: A&E
 *   attendances and emergency admissions in the window before, each banded 0, 1, 2-3, 4+ (apart:
 *   people are often chosen for their admissions, and the two regress to the mean differently),
 *   without replacement within a quarter, in a pseudo-random order fixed by a seed.
 * - Outcomes: A&E attendances (arrival date), emergency admissions (admission date) and GP
 *   appointments, each counted in [index − window, index) and [index, index + window).
 */
import { AGE_BREAKDOWN_BANDS, PRIOR_ACTIVITY_BANDS, UserError, cellKeyOf, dayFromIso, isoFromDay, purposeOfUse, type EvaluationUnit, type KeyedCount, type SecondaryPurpose } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ethnicGroupSql } from '../indicators/sql-parts.js';
import { includedForSql } from '../phm/purposes.js';
import { literal } from '../sql.js';
import { recordKeysOf } from './record-keys.js';

export const EVALUATION_OUTCOMES = ['aeAttendances', 'emergencyAdmissions', 'gpAppointments'] as const;
export type EvaluationOutcome = (typeof EVALUATION_OUTCOMES)[number];

export interface Exposure {
  readonly personId: string;
  /** ISO date the intervention started (e.g. the referral). */
  readonly indexDate: string;
}

export interface MatchedOutcomesOptions {
  /** Days in each window (default 365). */
  readonly windowDays?: number;
  /** Comparators per case (default 3). */
  readonly controlsPerCase?: number;
  /** Fixes the pseudo-random order in which comparators are drawn. */
  readonly seed?: string;
  /** Why (default: core's purpose of 'evaluation', planning): people with an opt-out that applies are left out. */
  readonly purpose?: SecondaryPurpose;
}

export interface MatchedOutcomes {
  /** People counted with the cell keys of their records (disclosure control). */
  readonly exposed: KeyedCount;
  /** Exposed people who could be evaluated (the cases), and why the others could not. */
  readonly cases: KeyedCount;
  /** optedOut: exposed people left out because an opt-out applies to the purpose (before any other check). */
  readonly excluded: { readonly optedOut: KeyedCount; readonly outsideData: KeyedCount; readonly notEligible: KeyedCount };
  readonly purpose: SecondaryPurpose;
  readonly units: Readonly<Record<EvaluationOutcome, readonly EvaluationUnit[]>>;
  /** The index quarters used (first days). */
  readonly quarters: readonly string[];
  /** Each case's groups at the index date, in the order of the units (for effects by group). */
  readonly caseGroups: readonly CaseGroups[];
}

export interface CaseGroups {
  readonly sex: string;
  readonly ageBand: string;
  readonly imdQuintile: number;
  readonly place: string;
  /** Broad ethnic group (White, Mixed, Asian, Black, Other, Not stated). */
  readonly ethnicGroup: string;
}

const quarterStart = (iso: string): string => {
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
};

const ageBandSql = (age: string) => `CASE ${AGE_BREAKDOWN_BANDS.map((b) => `WHEN ${age} BETWEEN ${b.min} AND ${b.max} THEN ${literal(b.label)}`).join(' ')} END`;
const priorBandSql = (n: string) =>
  `CASE ${PRIOR_ACTIVITY_BANDS.map((b) => (Number.isFinite(b.max) ? `WHEN ${n} BETWEEN ${b.min} AND ${b.max} THEN ${literal(b.id)}` : `WHEN ${n} >= ${b.min} THEN ${literal(b.id)}`)).join(' ')} END`;

export const matchedOutcomes = async (db: PhmDatabase, exposures: readonly Exposure[], options: MatchedOutcomesOptions = {}): Promise<MatchedOutcomes> => {
  const windowDays = options.windowDays ?? 365;
  const k = options.controlsPerCase ?? 3;
  if (!Number.isInteger(windowDays) || windowDays < 30 || windowDays > 730) throw new UserError(`the window must be 30 to 730 days, got ${windowDays}`);
  if (!Number.isInteger(k) || k < 1 || k > 10) throw new UserError(`comparators per case must be 1 to 10, got ${k}`);
  const meta = Object.fromEntries((await db.query<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN ('window_start', 'window_end')`)).map((r) => [r.key, r.value]));
  const start = meta.window_start ?? '';
  const end = meta.window_end ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new UserError('the database does not say its data window (meta window_start, window_end)', 'invalid-input');
  // One exposure per person: the first.
  const first = new Map<string, string>();
  for (const e of exposures) {
    if (!/^\d{1,18}$/.test(e.personId)) throw new UserError(`'${e.personId}' is not a person id`, 'invalid-input');
    dayFromIso(e.indexDate);
    const q = quarterStart(e.indexDate);
    if (!first.has(e.personId) || q < first.get(e.personId)!) first.set(e.personId, q);
  }
  const purpose = options.purpose ?? purposeOfUse('evaluation');
  const allowed = (personId: string) => includedForSql(purpose, personId);
  // People an opt-out leaves out are not evaluated, whatever their dates.
  const optedOut = new Set<string>();
  if (first.size > 0) {
    const values = [...first.keys()].map((id) => `(${id}::BIGINT)`).join(', ');
    for (const r of await db.query<{ id: string }>(`SELECT v.person_id::VARCHAR AS id FROM (VALUES ${values}) v(person_id) WHERE NOT (${allowed('v.person_id')})`)) optedOut.add(String(r.id));
  }
  const fits = (q: string) => dayFromIso(q) - windowDays >= dayFromIso(start) && dayFromIso(q) + windowDays <= dayFromIso(end);
  const considered = [...first].filter(([id]) => !optedOut.has(id));
  const usable = considered.filter(([, q]) => fits(q));
  const quarters = [...new Set(usable.map(([, q]) => q))].sort();
  // Record keys of everyone exposed (people not in the data add no key).
  const recordKeys = await recordKeysOf(db, first.keys());
  const keyed = (ids: readonly string[]): KeyedCount => ({ n: ids.length, key: cellKeyOf(ids.map((id) => recordKeys.get(id) ?? 0)) });
  const usableIds = new Set(usable.map(([id]) => id));
  const outsideData = keyed(considered.filter(([id]) => !usableIds.has(id)).map(([id]) => id));
  const optedOutCount = keyed([...optedOut]);
  const empty = { aeAttendances: [], emergencyAdmissions: [], gpAppointments: [] } as Record<EvaluationOutcome, EvaluationUnit[]>;
  if (usable.length === 0) {
    return { exposed: keyed([...first.keys()]), cases: keyed([]), excluded: { optedOut: optedOutCount, outsideData, notEligible: keyed([]) }, purpose, units: empty, quarters, caseGroups: [] };
  }

  const W = `INTERVAL ${windowDays} DAY`;
  const exposureValues = usable.map(([id, q]) => `(${id}::BIGINT, DATE ${literal(q)})`).join(', ');
  const everExposed = [...first.keys()].map((id) => `(${id}::BIGINT)`).join(', ');
  const counts = (name: string, table: string, dateExpr: string, filter = 'TRUE', people = 'quarters q') => `
    ${name} AS (
      SELECT q.q, t.person_id,
        count(*) FILTER (WHERE ${dateExpr} >= q.q - ${W} AND ${dateExpr} < q.q)::INTEGER AS before,
        count(*) FILTER (WHERE ${dateExpr} >= q.q AND ${dateExpr} < q.q + ${W})::INTEGER AS after
      FROM ${people} JOIN ${table} t ON ${people === 'quarters q' ? '' : 't.person_id = q.person_id AND '}${dateExpr} >= q.q - ${W} AND ${dateExpr} < q.q + ${W} AND ${filter}
      GROUP BY q.q, t.person_id
    )`;
  // Matching needs A&E attendances and emergency admissions for everyone; GP appointments (the most
  // numerous events, an outcome only) are counted for the matched people alone.
  const sql = `
    WITH exposure(person_id, q) AS (VALUES ${exposureValues}),
    ever(person_id) AS (VALUES ${everExposed}),
    quarters AS (SELECT DISTINCT q FROM exposure),
    pop AS (
      SELECT q.q, p.person_id, p.record_key, p.sex, p.ethnic_category, l.imd_quintile, l.place, date_sub('year', p.date_of_birth, q.q) AS age
      FROM quarters q CROSS JOIN person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
      LEFT JOIN death d ON d.person_id = p.person_id
      WHERE p.date_of_birth <= q.q - INTERVAL 18 YEAR
        AND ${allowed('p.person_id')}
        AND p.registration_date <= q.q - ${W}
        AND (d.date_of_death IS NULL OR d.date_of_death >= q.q + ${W})
    ),
    ${counts('ae', 'ae_attendance', 'CAST(t.arrival_time AS DATE)')},
    ${counts('em', 'hospital_spell', 't.admission_date', "t.admission_method = 'emergency'")},
    scored AS (
      SELECT pop.*,
        coalesce(ae.before, 0) AS ae_before, coalesce(ae.after, 0) AS ae_after,
        coalesce(em.before, 0) AS em_before, coalesce(em.after, 0) AS em_after,
        concat_ws('|', pop.sex, ${ageBandSql('pop.age')}, CAST(pop.imd_quintile AS VARCHAR), pop.place, 'ae' || ${priorBandSql('coalesce(ae.before, 0)')}, 'em' || ${priorBandSql('coalesce(em.before, 0)')}) AS stratum
      FROM pop
      LEFT JOIN ae ON ae.q = pop.q AND ae.person_id = pop.person_id
      LEFT JOIN em ON em.q = pop.q AND em.person_id = pop.person_id
    ),
    cases AS (
      SELECT s.*, row_number() OVER (PARTITION BY s.q, s.stratum ORDER BY hash(s.person_id, ${literal(options.seed ?? 'openphm')}), s.person_id) AS r
      FROM scored s JOIN exposure e ON e.person_id = s.person_id AND e.q = s.q
    ),
    controls AS (
      SELECT s.*, row_number() OVER (PARTITION BY s.q, s.stratum ORDER BY hash(s.person_id, ${literal(options.seed ?? 'openphm')}, 'control'), s.person_id) AS r
      FROM scored s WHERE s.stratum IN (SELECT stratum FROM cases) AND s.person_id NOT IN (SELECT person_id FROM ever)
    ),
    pairs AS (
      SELECT c.q, c.person_id AS case_id, c.record_key AS case_key, x.record_key AS x_key, c.ae_before, c.ae_after, c.em_before, c.em_after,
        c.sex, ${ageBandSql('c.age')} AS age_band, c.imd_quintile, c.place, ${ethnicGroupSql('c.ethnic_category')} AS ethnic_group,
        x.person_id AS x_id, x.ae_before AS x_ae_before, x.ae_after AS x_ae_after, x.em_before AS x_em_before, x.em_after AS x_em_after
      FROM cases c LEFT JOIN controls x ON x.q = c.q AND x.stratum = c.stratum AND x.r > (c.r - 1) * ${k} AND x.r <= c.r * ${k}
    ),
    involved AS (SELECT DISTINCT q, case_id AS person_id FROM pairs UNION SELECT DISTINCT q, x_id FROM pairs WHERE x_id IS NOT NULL),
    ${counts('gp', 'gp_appointment', 't.appointment_date', 'TRUE', 'involved q')}
    SELECT p.case_id::VARCHAR AS case_id, p.case_key, p.x_key, p.sex, p.age_band, p.imd_quintile, p.place, p.ethnic_group, p.ae_before, p.ae_after, p.em_before, p.em_after,
      coalesce(g.before, 0) AS gp_before, coalesce(g.after, 0) AS gp_after,
      p.x_ae_before, p.x_ae_after, p.x_em_before, p.x_em_after,
      CASE WHEN p.x_id IS NULL THEN NULL ELSE coalesce(xg.before, 0) END AS x_gp_before, CASE WHEN p.x_id IS NULL THEN NULL ELSE coalesce(xg.after, 0) END AS x_gp_after
    FROM pairs p
    LEFT JOIN gp g ON g.q = p.q AND g.person_id = p.case_id
    LEFT JOIN gp xg ON xg.q = p.q AND xg.person_id = p.x_id
    ORDER BY case_id`;
  const rows = await db.query<Record<string, number | string | null>>(sql);
  const byCase = new Map<string, Record<string, number | string | null>[]>();
  for (const r of rows) (byCase.get(String(r.case_id)) ?? byCase.set(String(r.case_id), []).get(String(r.case_id))!).push(r);
  const unitsOf = (pre: string, post: string): EvaluationUnit[] =>
    [...byCase.values()].map((rs) => ({
      before: Number(rs[0]![pre]),
      after: Number(rs[0]![post]),
      recordKey: Number(rs[0]!.case_key),
      comparators: rs.filter((r) => r[`x_${pre}`] !== null).map((r) => ({ before: Number(r[`x_${pre}`]), after: Number(r[`x_${post}`]), recordKey: Number(r.x_key) })),
    }));
  const caseIds = [...byCase.keys()];
  const evaluated = new Set(caseIds);
  return {
    exposed: keyed([...first.keys()]),
    cases: keyed(caseIds),
    excluded: { optedOut: optedOutCount, outsideData, notEligible: keyed([...usableIds].filter((id) => !evaluated.has(id))) },
    purpose,
    units: { aeAttendances: unitsOf('ae_before', 'ae_after'), emergencyAdmissions: unitsOf('em_before', 'em_after'), gpAppointments: unitsOf('gp_before', 'gp_after') },
    quarters,
    caseGroups: [...byCase.values()].map((rs) => ({ sex: String(rs[0]!.sex), ageBand: String(rs[0]!.age_band), imdQuintile: Number(rs[0]!.imd_quintile), place: String(rs[0]!.place), ethnicGroup: String(rs[0]!.ethnic_group) })),
  };
};

/** The first and last index dates an evaluation can use with this window, for the data window [start, end). */
export const evaluableIndexDates = (windowStart: string, windowEnd: string, windowDays = 365): { first: string; last: string } => ({
  first: isoFromDay(dayFromIso(windowStart) + windowDays),
  last: isoFromDay(dayFromIso(windowEnd) - windowDays),
});
