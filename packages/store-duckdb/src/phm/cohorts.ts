/**
 * Cohorts in SQL over a person features table (features.ts): the definition compiled to an SQL
 * condition (its meaning is core's inCohort; cohorts.test.ts checks both agree), counted by
 * breakdown with disclosure control, a worklist for one neighbourhood, and an impact view of
 * activity by neighbourhood. See docs/cohorts.md.
 */
import { AGE_BREAKDOWN_BANDS, DEFAULT_POLICY, UserError, cohortSegmentation, roundCount, type CohortDefinition, type DisclosurePolicy } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident, literal } from '../sql.js';
import { breakdownName, breakdownSql, compareGroups, type BreakdownSpec } from './breakdowns.js';
import { publishCrossTable } from './disclosure.js';
import { PERSON_FEATURES_TABLE, checkTableName, ensurePersonFeatures } from './features.js';
import { ruleSql, segmentationSql } from './rules.js';

/** An SQL boolean for membership of a cohort (rule, area and IMD quintiles), over a features table's columns. */
export const cohortSql = (cohort: CohortDefinition, column: (name: string) => string = (c) => c): string => {
  const parts: string[] = [];
  if (cohort.area?.place !== undefined) parts.push(`(${column('place')} = ${literal(cohort.area.place)})`);
  if (cohort.area?.neighbourhoodId !== undefined) parts.push(`(${column('neighbourhood_id')} = ${literal(cohort.area.neighbourhoodId)})`);
  if (cohort.imdQuintiles) parts.push(`(${column('imd_quintile')} IN (${cohort.imdQuintiles.map((q) => String(Math.trunc(q))).join(', ')}))`);
  const segmentation = cohortSegmentation(cohort);
  if (segmentation && cohort.segment) parts.push(`(${segmentationSql(segmentation, column)} IN (${cohort.segment.segments.map(literal).join(', ')}))`);
  parts.push(ruleSql(cohort.rule, column));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
};

/** person_ids of the cohort's members in a features table, ascending. */
export const cohortMemberIds = async (db: PhmDatabase, cohort: CohortDefinition, table = PERSON_FEATURES_TABLE): Promise<number[]> => {
  const rows = await db.query<{ person_id: number }>(`SELECT person_id FROM ${ident(checkTableName(table))} WHERE ${cohortSql(cohort)} ORDER BY person_id`);
  return rows.map((r) => Number(r.person_id));
};

export interface RunCohortOptions {
  readonly referenceDate: string;
  readonly breakdowns: readonly BreakdownSpec[];
  /** A neighbourhood id: list its members (pseudonymous). */
  readonly worklist?: string;
  readonly impact?: boolean;
  readonly policy?: DisclosurePolicy;
  /** A features table already computed at referenceDate (default: person_features, computed if needed). */
  readonly table?: string;
}

export interface CohortCountRow {
  readonly breakdown: string;
  readonly group: string;
  /** Rounded members, or null when withheld. */
  readonly people: number | null;
  /** Rounded residents of the group, or null when withheld. */
  readonly groupPeople: number | null;
  readonly share: number | null;
  readonly suppressed: boolean;
  readonly note: string;
}

/** One member of the cohort: no names or NHS numbers, only the pseudonymous person_id. */
export interface WorklistRow {
  readonly personId: number;
  readonly ageBand: string;
  readonly sex: string;
  readonly conditionCount: number;
  readonly efi: number;
  readonly emergencyAdmissions12m: number;
  readonly aeAttendances12m: number;
}

export interface ImpactMeasure {
  /** Rounded total over the cohort's members in the neighbourhood, or null when withheld. */
  readonly total: number | null;
  /** Per member, from the unrounded figures, or null when withheld. */
  readonly perPerson: number | null;
}

export interface ImpactRow {
  readonly place: string;
  readonly neighbourhoodId: string;
  readonly people: number | null;
  readonly aeAttendances12m: ImpactMeasure;
  readonly emergencyBedDays12m: ImpactMeasure;
  readonly gpAppointments12m: ImpactMeasure;
  readonly suppressed: boolean;
  readonly note: string;
}

export interface CohortResult {
  readonly cohort: { readonly id: string; readonly version: number; readonly title: string };
  readonly date: string;
  readonly counts: readonly CohortCountRow[];
  readonly worklist?: readonly WorklistRow[];
  readonly impact?: readonly ImpactRow[];
}

const COHORT = 'in-cohort';

const ageBandCase = `CASE ${AGE_BREAKDOWN_BANDS.map((b) => `WHEN age BETWEEN ${b.min} AND ${b.max} THEN ${literal(b.label)}`).join(' ')} ELSE ${literal(AGE_BREAKDOWN_BANDS[AGE_BREAKDOWN_BANDS.length - 1]!.label)} END`;

/** Counts, worklist and impact view of a cohort at a date. */
export const runCohort = async (db: PhmDatabase, cohort: CohortDefinition, options: RunCohortOptions): Promise<CohortResult> => {
  const policy = options.policy ?? DEFAULT_POLICY;
  let table: string;
  if (options.table !== undefined) table = checkTableName(options.table);
  else {
    await ensurePersonFeatures(db, options.referenceDate);
    table = PERSON_FEATURES_TABLE;
  }
  const from = ident(table);
  const member = cohortSql(cohort);

  const counts: CohortCountRow[] = [];
  for (const spec of options.breakdowns) {
    const rows = await db.query<{ g: string; total: number; members: number }>(
      `SELECT ${breakdownSql(spec)} AS g, count(*)::BIGINT AS total, count(*) FILTER (WHERE ${member})::BIGINT AS members FROM ${from} GROUP BY g`,
    );
    const byGroup = new Map(rows.map((r) => [String(r.g), { total: Number(r.total), members: Number(r.members) }]));
    const groups = [...byGroup.keys()].sort((a, b) => compareGroups(spec, a, b));
    const cells = publishCrossTable(
      { groups, categories: [COHORT], count: (g) => byGroup.get(g)?.members ?? 0, groupTotal: (g) => byGroup.get(g)?.total ?? 0, partition: false },
      policy,
    );
    const name = breakdownName(spec);
    for (const c of cells) counts.push({ breakdown: name, group: c.group, people: c.people, groupPeople: c.groupPeople, share: c.share, suppressed: c.suppressed, note: c.note });
  }

  let worklist: WorklistRow[] | undefined;
  if (options.worklist !== undefined) {
    const [known] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${from} WHERE neighbourhood_id = ${literal(options.worklist)}`);
    if (Number(known?.n ?? 0) === 0) throw new UserError(`no residents in neighbourhood '${options.worklist}' at ${options.referenceDate}`, 'not-found');
    const rows = await db.query<Record<string, string | number>>(
      `SELECT person_id, ${ageBandCase} AS age_band, sex, condition_count, efi, emergency_admissions_12m, ae_attendances_12m FROM ${from}
       WHERE ${member} AND neighbourhood_id = ${literal(options.worklist)}
       ORDER BY emergency_admissions_12m DESC, efi DESC, condition_count DESC, person_id`,
    );
    worklist = rows.map((r) => ({
      personId: Number(r.person_id),
      ageBand: String(r.age_band),
      sex: String(r.sex),
      conditionCount: Number(r.condition_count),
      efi: Number(r.efi),
      emergencyAdmissions12m: Number(r.emergency_admissions_12m),
      aeAttendances12m: Number(r.ae_attendances_12m),
    }));
  }

  let impact: ImpactRow[] | undefined;
  if (options.impact) {
    const rows = await db.query<{ place: string; neighbourhood_id: string; total: number; members: number; ae: number; bed: number; gp: number }>(
      `SELECT place, neighbourhood_id, count(*)::BIGINT AS total, count(*) FILTER (WHERE ${member})::BIGINT AS members,
        coalesce(sum(ae_attendances_12m) FILTER (WHERE ${member}), 0)::DOUBLE AS ae,
        coalesce(sum(emergency_bed_days_12m) FILTER (WHERE ${member}), 0)::DOUBLE AS bed,
        coalesce(sum(gp_appointments_12m) FILTER (WHERE ${member}), 0)::DOUBLE AS gp
       FROM ${from} GROUP BY place, neighbourhood_id`,
    );
    const byNeighbourhood = new Map(rows.map((r) => [String(r.neighbourhood_id), r]));
    const groups = [...byNeighbourhood.keys()].sort();
    const cells = publishCrossTable(
      { groups, categories: [COHORT], count: (g) => Number(byNeighbourhood.get(g)?.members ?? 0), groupTotal: (g) => Number(byNeighbourhood.get(g)?.total ?? 0), partition: false },
      policy,
    );
    impact = cells.map((c) => {
      const r = byNeighbourhood.get(c.group)!;
      const members = Number(r.members);
      // Activity is only published where the cohort's size is: totals over a withheld group could reveal it.
      const measure = (value: number): ImpactMeasure =>
        c.suppressed || c.people === null ? { total: null, perPerson: null } : { total: roundCount(Math.round(value), policy.rounding), perPerson: members > 0 ? value / members : null };
      return {
        place: String(r.place),
        neighbourhoodId: c.group,
        people: c.people,
        aeAttendances12m: measure(Number(r.ae)),
        emergencyBedDays12m: measure(Number(r.bed)),
        gpAppointments12m: measure(Number(r.gp)),
        suppressed: c.suppressed,
        note: c.note,
      };
    });
    // Where proactive care matters most: most emergency bed days per member first; withheld rows last.
    impact.sort((a, b) => (b.emergencyBedDays12m.perPerson ?? -1) - (a.emergencyBedDays12m.perPerson ?? -1) || (a.neighbourhoodId < b.neighbourhoodId ? -1 : 1));
  }

  return {
    cohort: { id: cohort.id, version: cohort.version, title: cohort.title },
    date: options.referenceDate,
    counts,
    ...(worklist ? { worklist } : {}),
    ...(impact ? { impact } : {}),
  };
};
