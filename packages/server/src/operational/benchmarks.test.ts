/**
 * Benchmark sets in the operational store, on both back ends: a set replaced whole by its label, the
 * values of an area with the most recent set first, the stamp the dashboard's cache follows, and a
 * replacement the store refuses rolled back entirely.
 */
import { describe, expect, it } from 'vitest';
import type { BenchmarkValue } from '@openphm/core';
import { listAudit } from './audit.js';
import { benchmarkValuesFor, benchmarksStamp, listBenchmarkSets, replaceBenchmarkSet } from './benchmarks.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const value = (over: Partial<BenchmarkValue>): BenchmarkValue => ({
  indicatorId: '241', indicatorName: 'Diabetes prevalence', areaCode: 'E92000001', areaName: 'England', sex: 'Persons', age: '17+ yrs', period: '2023/24',
  value: 7.66, lower95: 7.65, upper95: 7.66, count: 3938080, denominator: 51441000, unit: 'Proportion', source: 'OHID Fingertips', ...over,
});

describe.each(TEST_BACKENDS)('benchmark sets on $name', (backend) => {
  const db = useTestDb(backend, 'phm_benchmark_sets');

  it('stores a set, replaces it whole by its label, and audits each import', async () => {
    const empty = await benchmarksStamp(db);
    const first = await replaceBenchmarkSet(db, { label: 'England', file: 'a.csv', by: 'a@test', values: [value({}), value({ period: '2022/23', value: 7.45 }), value({ areaCode: 'E12000003', areaName: 'Yorkshire and the Humber' })] });
    expect(first).toMatchObject({ replaced: null, set: { label: 'England', file: 'a.csv', importedBy: 'a@test', rows: 3 } });
    const afterFirst = await benchmarksStamp(db);
    expect(afterFirst).not.toBe(empty);
    await replaceBenchmarkSet(db, { label: 'Peers', file: 'p.csv', by: null, values: [value({ value: 8.1, source: 'peer extract' })] });
    const second = await replaceBenchmarkSet(db, { label: 'England', file: 'b.csv', by: null, values: [value({ value: 7.7, count: null, denominator: null, lower95: null, upper95: null })] });
    expect(second.replaced).toBe(3);
    expect(await benchmarksStamp(db)).not.toBe(afterFirst);
    expect((await listBenchmarkSets(db)).map((s) => [s.label, s.file, s.rows])).toEqual([['England', 'b.csv', 1], ['Peers', 'p.csv', 1]]);
    // England's values: the most recently imported set first, every field as stored.
    const england = await benchmarkValuesFor(db, 'E92000001');
    expect(england.map((v) => [v.setLabel, v.value, v.source])).toEqual([['England', 7.7, 'OHID Fingertips'], ['Peers', 8.1, 'peer extract']]);
    expect(england[0]).toMatchObject({ indicatorId: '241', sex: 'Persons', age: '17+ yrs', period: '2023/24', count: null, lower95: null });
    expect(await benchmarkValuesFor(db, 'E12000003')).toEqual([]);
    const audits = (await listAudit(db, { limit: 10, offset: 0, action: 'benchmarks.import' })).rows.map((r) => [r.userEmail, r.resource, r.detail]);
    expect(audits).toEqual([
      [null, 'benchmarks:England', '1 values from b.csv, replacing 3'],
      [null, 'benchmarks:Peers', '1 values from p.csv'],
      ['a@test', 'benchmarks:England', '3 values from a.csv'],
    ]);
  });

  it('rolls the whole replacement back when the store refuses a value', async () => {
    const before = await benchmarkValuesFor(db, 'E92000001');
    const stamp = await benchmarksStamp(db);
    await expect(replaceBenchmarkSet(db, { label: 'England', file: 'c.csv', by: null, values: [value({ period: '2019/20' }), value({ period: '2020/21', count: -1 })] })).rejects.toThrow();
    expect(await benchmarkValuesFor(db, 'E92000001')).toEqual(before);
    expect((await listBenchmarkSets(db)).find((s) => s.label === 'England')?.file).toBe('b.csv');
    expect(await benchmarksStamp(db)).toBe(stamp);
  });
});
