/**
 * Cohorts in SQL over a person features table (features.ts): the definition compiled to an SQL
 * condition (its meaning is core's inCohort; cohorts.test.ts checks both agree), counted by
 * breakdown with disclosure control, a worklist for one neighbourhood, and an impact view of
 * activity by neighbourhood. See docs/cohorts.md.
 */
import { AGE_BREAKDOWN_BANDS, DEFAULT_POLICY, FINGERPRINT_BUCKETS, UserError, type CellFingerprint, cellKeyFromSum, cohortSegmentation, cohortUsesEvents, fromPublished, publishCount, publishCrossTable, type CohortDefinition, type DisclosurePolicy, type Figure, type Purpose } from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident, literal } from '../sql.js';
import { breakdownName, breakdownSql, compareGroups, type BreakdownSpec } from './breakdowns.js';
import { keySumSql } from './disclosure.js';
import { PERSON_FEATURES_TABLE, checkTableName, ensurePersonFeatures, featuresRelation } from './features.js';
import { includedForSql, leftOutCount } from './purposes.js';
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

/** person_ids of the cohort's members in a features table, ascending: everyone, or those a purpose may use. */
export const cohortMemberIds = async (db: PhmDatabase, cohort: CohortDefinition, table = PERSON_FEATURES_TABLE, purpose?: Purpose): Promise<number[]> => {
  const allowed = purpose === undefined ? 'TRUE' : includedForSql(purpose, 'f.person_id');
  const rows = await db.query<{ person_id: number }>(`SELECT person_id FROM ${await featuresRelation(db, table, cohortUsesEvents(cohort))} f WHERE ${cohortSql(cohort)} AND ${allowed} ORDER BY person_id`);
  return rows.map((r) => Number(r.person_id));
};

export interface RunCohortOptions {
  readonly referenceDate: string;
  readonly breakdowns: readonly BreakdownSpec[];
  /** List the members resident in a neighbourhood (pseudonymous), for a declared purpose (opt-outs apply to planning and research). */
  readonly worklist?: { readonly neighbourhoodId: string; readonly purpose: Purpose };
  readonly impact?: boolean;
  readonly policy?: DisclosurePolicy;
  /** A features table already computed at referenceDate (default: person_features, computed if needed). */
  readonly table?: string;
  /** Also return each count cell's fingerprint (true count and bucketed hashes of its members), for the differencing check. */
  readonly fingerprints?: boolean;
  /**
   * Each breakdown's group totals (everyone in the table, with their cell keys) as counted before on this table: they do not
   * depend on the cohort, so a caller that counts many cohorts on one features table (the server, per data version) passes
   * one map and each breakdown's totals are counted once; a cohort is then counted over its members only.
   */
  readonly groupTotals?: GroupTotalsCache;
}

/** A breakdown's groups over a features table: everyone in each, with their cell key. */
export type GroupTotals = ReadonlyMap<string, { readonly n: number; readonly key: number }>;

/** Group totals by table and breakdown (RunCohortOptions.groupTotals). */
export type GroupTotalsCache = Map<string, Promise<GroupTotals>>;

const groupTotalsOf = (db: PhmDatabase, from: string, spec: BreakdownSpec, cache: GroupTotalsCache | undefined): Promise<GroupTotals> => {
  const count = async (): Promise<GroupTotals> => {
    const rows = await db.query<{ g: string; total: number; total_key: number }>(`SELECT ${breakdownSql(spec)} AS g, count(*)::BIGINT AS total, ${keySumSql()} AS total_key FROM ${from} GROUP BY g`);
    return new Map(rows.map((r) => [String(r.g), { n: Number(r.total), key: cellKeyFromSum(r.total_key) }]));
  };
  if (cache === undefined) return count();
  const key = `${from}|${breakdownSql(spec)}`;
  let totals = cache.get(key);
  if (totals === undefined) {
    totals = count();
    cache.set(key, totals);
    totals.catch(() => cache.delete(key));
  }
  return totals;
};

export interface CohortCountRow {
  readonly breakdown: string;
  readonly group: string;
  /** Members (perturbed), or null when withheld. */
  readonly people: Figure;
  /** Residents of the group (perturbed), or null when withheld. */
  readonly groupPeople: Figure;
  /** people / groupPeople from the published counts. */
  readonly share: Figure;
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
  /** Total events over the cohort's members in the neighbourhood (perturbed), or null when withheld. */
  readonly total: Figure;
  /** Per member, from the published total and members, or null when withheld. */
  readonly perPerson: Figure;
}

export interface ImpactRow {
  readonly place: string;
  readonly neighbourhoodId: string;
  readonly people: Figure;
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
  /**
   * With options.fingerprints: per count row (`breakdown|group`), the members' fingerprint and the
   * group's true size. Never published: for the server's differencing check and group-size rule only.
   */
  readonly fingerprints?: ReadonlyMap<string, { readonly members: CellFingerprint; readonly groupSize: number }>;
  readonly worklist?: readonly WorklistRow[];
  /** The worklist's purpose and how many members it left out for opt-outs (published with the policy). */
  readonly worklistPurpose?: { readonly purpose: Purpose; readonly leftOut: Figure };
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
  // Everyone in each group from the table itself; the members through the lists too when the cohort reads them.
  const everyone = ident(table);
  const relation = await featuresRelation(db, table, cohortUsesEvents(cohort));
  const from = `${relation} f`;
  const member = cohortSql(cohort);

  const counts: CohortCountRow[] = [];
  const fingerprints = options.fingerprints ? new Map<string, { members: CellFingerprint; groupSize: number }>() : undefined;
  for (const spec of options.breakdowns) {
    // Everyone in each group (kept between cohorts when the caller keeps them), then the members alone.
    const totals = await groupTotalsOf(db, everyone, spec, options.groupTotals);
    const memberRows = await db.query<{ g: string; members: number; members_key: number }>(
      `SELECT ${breakdownSql(spec)} AS g, count(*)::BIGINT AS members, ${keySumSql()} AS members_key FROM ${from} WHERE ${member} GROUP BY g`,
    );
    const members = new Map(memberRows.map((r) => [String(r.g), { n: Number(r.members), key: cellKeyFromSum(r.members_key) }]));
    const byGroup = new Map([...totals].map(([g, total]) => [g, { total, members: members.get(g) ?? { n: 0, key: cellKeyFromSum(0) } }]));
    const groups = [...byGroup.keys()].sort((a, b) => compareGroups(spec, a, b));
    const none = { n: 0, key: 0 };
    const cells = publishCrossTable({ groups, categories: [COHORT], count: (g) => byGroup.get(g)?.members ?? none, groupTotal: (g) => byGroup.get(g)?.total ?? none, partition: false }, policy);
    const name = breakdownName(spec);
    for (const c of cells) counts.push({ breakdown: name, group: c.group, people: c.people, groupPeople: c.groupPeople, share: c.share, suppressed: c.suppressed, note: c.note });
    if (fingerprints) {
      const buckets = await db.query<{ g: string; b: number; x: bigint | number }>(
        `SELECT ${breakdownSql(spec)} AS g, (hash(person_id) % ${FINGERPRINT_BUCKETS})::INTEGER AS b, bit_xor(hash(person_id)) AS x FROM ${from} WHERE ${member} GROUP BY ALL`,
      );
      const xor = new Map<string, bigint[]>();
      for (const r of buckets) (xor.get(String(r.g)) ?? xor.set(String(r.g), new Array<bigint>(FINGERPRINT_BUCKETS).fill(0n)).get(String(r.g))!)[Number(r.b)] = BigInt(r.x);
      for (const g of groups) {
        const counted = byGroup.get(g)!;
        fingerprints.set(`${name}|${g}`, { members: { n: counted.members.n, buckets: xor.get(g) ?? new Array<bigint>(FINGERPRINT_BUCKETS).fill(0n) }, groupSize: counted.total.n });
      }
    }
  }

  let worklist: WorklistRow[] | undefined;
  let worklistPurpose: CohortResult['worklistPurpose'];
  if (options.worklist !== undefined) {
    const { neighbourhoodId, purpose } = options.worklist;
    const [known] = await db.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${from} WHERE neighbourhood_id = ${literal(neighbourhoodId)}`);
    if (Number(known?.n ?? 0) === 0) throw new UserError(`no residents in neighbourhood '${neighbourhoodId}' at ${options.referenceDate}`, 'not-found');
    const inList = `${member} AND neighbourhood_id = ${literal(neighbourhoodId)}`;
    const rows = await db.query<Record<string, string | number>>(
      `SELECT person_id, ${ageBandCase} AS age_band, sex, condition_count, efi, emergency_admissions_12m, ae_attendances_12m FROM ${from}
       WHERE ${inList} AND ${includedForSql(purpose, 'f.person_id')}
       ORDER BY emergency_admissions_12m DESC, efi DESC, condition_count DESC, person_id`,
    );
    worklistPurpose = { purpose, leftOut: publishCount(await leftOutCount(db, purpose, relation, inList), policy) };
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
    const activity = { ae: 'ae_attendances_12m', bed: 'emergency_bed_days_12m', gp: 'gp_appointments_12m' } as const;
    const rows = await db.query<Record<string, number | string>>(
      `SELECT place, neighbourhood_id, count(*)::BIGINT AS total, count(*) FILTER (WHERE ${member})::BIGINT AS members,
        ${keySumSql()} AS total_key, ${keySumSql(member)} AS members_key,
        ${Object.entries(activity)
          .map(([k, column]) => `coalesce(sum(${column}) FILTER (WHERE ${member}), 0)::BIGINT AS ${k}, ${keySumSql(member, column)} AS ${k}_key`)
          .join(', ')}
       FROM ${from} GROUP BY place, neighbourhood_id`,
    );
    const byNeighbourhood = new Map(rows.map((r) => [String(r.neighbourhood_id), r]));
    const groups = [...byNeighbourhood.keys()].sort();
    const keyed = (r: Record<string, number | string> | undefined, name: string) => ({ n: Number(r?.[name] ?? 0), key: cellKeyFromSum(Number(r?.[`${name}_key`] ?? 0)) });
    const cells = publishCrossTable(
      { groups, categories: [COHORT], count: (g) => keyed(byNeighbourhood.get(g), 'members'), groupTotal: (g) => keyed(byNeighbourhood.get(g), 'total'), partition: false },
      policy,
    );
    impact = cells.map((c) => {
      const r = byNeighbourhood.get(c.group)!;
      // Activity is only published where the cohort's size is: totals over a withheld group could reveal it.
      // Each total is a count of events (a person with 3 attendances adds 3, and their key 3 times).
      const measure = (name: keyof typeof activity): ImpactMeasure => {
        if (c.suppressed || c.people === null) return { total: null, perPerson: null };
        const total = publishCount(keyed(r, name), policy);
        return { total, perPerson: total === null || c.people <= 0 ? null : fromPublished(total / c.people) };
      };
      return {
        place: String(r.place),
        neighbourhoodId: c.group,
        people: c.people,
        aeAttendances12m: measure('ae'),
        emergencyBedDays12m: measure('bed'),
        gpAppointments12m: measure('gp'),
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
    ...(fingerprints ? { fingerprints } : {}),
    ...(worklist ? { worklist } : {}),
    ...(worklistPurpose ? { worklistPurpose } : {}),
    ...(impact ? { impact } : {}),
  };
};
