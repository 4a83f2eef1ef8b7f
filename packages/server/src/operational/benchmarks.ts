/**
 * Benchmark sets in the operational store: real published comparator values (England from OHID
 * Fingertips, a region, peer areas), each set named by a label and replaced whole: the old set's
 * rows and the new set's go in one transaction with the import's audit record, so a reader sees
 * the old set or the new one, never a mixture or nothing.
 */
import type { BenchmarkValue } from '@openphm/core';
import { writeAudit } from './audit.js';
import type { OperationalDb, Queryable, SqlParam } from './types.js';

export interface BenchmarkSet {
  readonly id: number;
  readonly label: string;
  readonly file: string;
  readonly importedBy: string | null;
  readonly importedAt: string;
  readonly rows: number;
}

/** A stored value with the label of its set. */
export interface StoredBenchmark extends BenchmarkValue {
  readonly setId: number;
  readonly setLabel: string;
}

const COLUMNS = ['set_id', 'indicator_id', 'indicator_name', 'area_code', 'area_name', 'sex', 'age', 'period', 'value', 'lower95', 'upper95', 'count', 'denominator', 'unit', 'source'] as const;
const BATCH = 200;

/**
 * Replaces the set called `label` with `values` (every row, or none when anything fails), recording
 * the import in the audit log (counts only). Returns the new set and whether it replaced one.
 */
export const replaceBenchmarkSet = async (
  db: OperationalDb,
  set: { readonly label: string; readonly file: string; readonly by: string | null; readonly values: readonly BenchmarkValue[] },
): Promise<{ set: BenchmarkSet; replaced: number | null }> =>
  db.transaction(async (tx) => {
    const [old] = await tx.query<{ rows: number }>(
      `SELECT (SELECT count(*)::integer FROM benchmark_value v WHERE v.set_id = s.id) AS rows FROM benchmark_set s WHERE s.label = $1`,
      [set.label],
    );
    await tx.query(`DELETE FROM benchmark_set WHERE label = $1`, [set.label]);
    const [row] = await tx.query<{ id: number; at: string }>(
      `INSERT INTO benchmark_set (label, file, imported_by) VALUES ($1, $2, $3) RETURNING id, to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at`,
      [set.label, set.file, set.by],
    );
    const id = row!.id;
    for (let i = 0; i < set.values.length; i += BATCH) {
      const batch = set.values.slice(i, i + BATCH);
      const params: SqlParam[] = [];
      const tuples = batch.map((v) => {
        const base = params.length;
        params.push(id, v.indicatorId, v.indicatorName, v.areaCode, v.areaName, v.sex, v.age, v.period, v.value, v.lower95, v.upper95, v.count, v.denominator, v.unit, v.source);
        return `(${COLUMNS.map((_, j) => `$${base + j + 1}`).join(', ')})`;
      });
      await tx.query(`INSERT INTO benchmark_value (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
    await writeAudit(tx, {
      userId: null,
      userEmail: set.by,
      role: 'admin',
      action: 'benchmarks.import',
      resource: `benchmarks:${set.label.replace(/[^A-Za-z0-9 ()._-]/g, '-').slice(0, 64)}`,
      outcome: 'granted',
      status: 201,
      ip: null,
      detail: `${set.values.length} values from ${set.file.replace(/^.*[\\/]/, '').slice(0, 64)}${old ? `, replacing ${old.rows}` : ''}`,
    });
    return { set: { id, label: set.label, file: set.file, importedBy: set.by, importedAt: row!.at, rows: set.values.length }, replaced: old ? old.rows : null };
  });

/** Every set, most recently imported first. */
export const listBenchmarkSets = async (db: Queryable): Promise<BenchmarkSet[]> =>
  (
    await db.query<{ id: number; label: string; file: string; imported_by: string | null; at: string; rows: number }>(
      `SELECT s.id, s.label, s.file, s.imported_by, to_char(s.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
              (SELECT count(*)::integer FROM benchmark_value v WHERE v.set_id = s.id) AS rows
         FROM benchmark_set s ORDER BY s.id DESC`,
    )
  ).map((r) => ({ id: r.id, label: r.label, file: r.file, importedBy: r.imported_by, importedAt: r.at, rows: r.rows }));

interface ValueRow {
  set_id: number;
  label: string;
  indicator_id: string | null;
  indicator_name: string;
  area_code: string;
  area_name: string;
  sex: BenchmarkValue['sex'];
  age: string;
  period: string;
  value: number | null;
  lower95: number | null;
  upper95: number | null;
  count: number | null;
  denominator: number | null;
  unit: string;
  source: string;
}

/** The values for one area (ONS code) in every set, the most recently imported set first. */
export const benchmarkValuesFor = async (db: Queryable, areaCode: string): Promise<StoredBenchmark[]> =>
  (
    await db.query<ValueRow>(
      `SELECT v.set_id, s.label, v.indicator_id, v.indicator_name, v.area_code, v.area_name, v.sex, v.age, v.period,
              v.value, v.lower95, v.upper95, v.count, v.denominator, v.unit, v.source
         FROM benchmark_value v JOIN benchmark_set s ON s.id = v.set_id
        WHERE v.area_code = $1 ORDER BY v.set_id DESC`,
      [areaCode],
    )
  ).map((r) => ({
    setId: r.set_id,
    setLabel: r.label,
    indicatorId: r.indicator_id,
    indicatorName: r.indicator_name,
    areaCode: r.area_code,
    areaName: r.area_name,
    sex: r.sex,
    age: r.age,
    period: r.period,
    value: r.value === null ? null : Number(r.value),
    lower95: r.lower95 === null ? null : Number(r.lower95),
    upper95: r.upper95 === null ? null : Number(r.upper95),
    count: r.count === null ? null : Number(r.count),
    denominator: r.denominator === null ? null : Number(r.denominator),
    unit: r.unit,
    source: r.source,
  }));

/** Changes whenever a set is imported or replaced (keeps the dashboard's England values fresh). */
export const benchmarksStamp = async (db: Queryable): Promise<string> => {
  const [row] = await db.query<{ n: number; top: number | null }>(`SELECT count(*)::integer AS n, max(id) AS top FROM benchmark_set`);
  return `${row?.n ?? 0}@${row?.top ?? 0}`;
};
