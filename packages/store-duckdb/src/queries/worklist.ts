/**
 * A cohort's members resident in one neighbourhood, from the person features table, highest
 * priority first (emergency admissions, eFI, conditions), for a declared purpose: for planning and
 * research, members whose opt-outs apply are left out and counted. Person-level: callers check and
 * audit access.
 */
import { cellKeyFromSum, type CohortDefinition, type KeyedCount, type Purpose } from '@openphm/core';
import { cohortSql } from '../phm/cohorts.js';
import { includedForSql } from '../phm/purposes.js';
import type { Queryable } from './window.js';

export interface WorklistPerson {
  readonly personId: string;
  readonly age: number;
  readonly sex: string;
  readonly efi: number;
  readonly conditionCount: number;
  readonly emergencyAdmissions12m: number;
  readonly aeAttendances12m: number;
  readonly gpAppointments12m: number;
}

/** Up to `limit` members in priority order, how many there are in all, and the members left out for the purpose (with their cell key). */
export const cohortWorklist = async (
  db: Queryable,
  options: { readonly table: string; readonly definition: CohortDefinition; readonly neighbourhoodId: string; readonly limit: number; readonly purpose: Purpose },
): Promise<{ readonly total: number; readonly people: WorklistPerson[]; readonly leftOut: KeyedCount }> => {
  const allowed = includedForSql(options.purpose, 'f.person_id');
  const [left] = await db.query<{ n: number | bigint; k: number | bigint }>(
    `SELECT count(*)::BIGINT AS n, coalesce(sum(record_key), 0)::BIGINT AS k FROM ${options.table} f
     WHERE ${cohortSql(options.definition)} AND neighbourhood_id = $1 AND NOT (${allowed})`,
    [options.neighbourhoodId],
  );
  const rows = await db.query<{
    person_id: number | bigint | string;
    age: number;
    sex: string;
    efi: number;
    condition_count: number;
    emergency_admissions_12m: number;
    ae_attendances_12m: number;
    gp_appointments_12m: number;
    total: number | bigint;
  }>(
    `SELECT person_id, age, sex, efi, condition_count, emergency_admissions_12m, ae_attendances_12m, gp_appointments_12m, count(*) OVER () AS total
     FROM ${options.table} f WHERE ${cohortSql(options.definition)} AND neighbourhood_id = $1 AND ${allowed}
     ORDER BY emergency_admissions_12m DESC, efi DESC, condition_count DESC, person_id LIMIT $2`,
    [options.neighbourhoodId, options.limit],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    leftOut: { n: Number(left?.n ?? 0), key: cellKeyFromSum(left?.k ?? 0) },
    people: rows.map((r) => ({
      personId: String(r.person_id),
      age: Number(r.age),
      sex: r.sex,
      efi: Number(r.efi),
      conditionCount: Number(r.condition_count),
      emergencyAdmissions12m: Number(r.emergency_admissions_12m),
      aeAttendances12m: Number(r.ae_attendances_12m),
      gpAppointments12m: Number(r.gp_appointments_12m),
    })),
  };
};
