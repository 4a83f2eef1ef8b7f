/**
 * Benchmarks: importing sets on both operational back ends (the shared England extract, all or
 * nothing), the command as `phm benchmarks import` runs it (refused while another process owns the
 * PGlite store), the catalogue's Fingertips mappings against the shared extract, and the England
 * value and comparison the dashboard shows.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, exitCodeFor, financialYearPeriod, findIndicator, type IndicatorDefinition, type Period } from '@openphm/core';
import { parseCsv, resolveSharedDataDir } from '@openphm/reference-data';
import { listAudit } from '../operational/audit.js';
import { benchmarkValuesFor, benchmarksStamp, listBenchmarkSets, type StoredBenchmark } from '../operational/benchmarks.js';
import { openOperationalDb } from '../operational/db.js';
import { TEST_BACKENDS, useTestDb } from '../operational/test-backends.js';
import { commandIo, useTempDir } from '../test-support.js';
import { ENGLAND_LABEL, SHARED_ENGLAND_FILE, benchmarkImportCommand, chronological, englandFor, importBenchmarks, seedDemoBenchmarks } from './benchmarks.js';

const SHARED_FILE = join(resolveSharedDataDir(), SHARED_ENGLAND_FILE);
const SHARED_TEXT = readFileSync(SHARED_FILE, 'utf8');
const SHARED_ROWS = parseCsv(SHARED_TEXT, SHARED_FILE).slice(1);

const HEADER = 'Indicator ID,Indicator Name,Area Code,Area Name,Sex,Age,Category Type,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Count,Denominator';
const row = (value: string, period = '2023/24') => `241,Diabetes prevalence,E92000001,England,Persons,17+ yrs,,${period},${value},,,,`;

describe.each(TEST_BACKENDS)('benchmark sets on $name', (backend) => {
  const ops = useTestDb(backend, 'phm_benchmarks');

  it('imports the shared England extract whole, with its sources, and audits the import', async () => {
    const before = await benchmarksStamp(ops);
    const result = await importBenchmarks(ops, SHARED_FILE, SHARED_TEXT, { label: ENGLAND_LABEL, by: 'importer@test' });
    expect(result.set.rows).toBe(SHARED_ROWS.length);
    expect(result.replaced).toBeNull();
    expect(await benchmarksStamp(ops)).not.toBe(before);
    const england = await benchmarkValuesFor(ops, 'E92000001');
    expect(england).toHaveLength(SHARED_ROWS.length);
    const delivery = england.find((v) => v.indicatorId === '93085' && v.period === '2023/24')!;
    expect(delivery).toMatchObject({ setLabel: ENGLAND_LABEL, sex: 'Female', age: 'All ages', areaName: 'England' });
    expect(delivery.source).toMatch(/^OHID Fingertips, read from github\.com\/dhsc-govuk\/FingertipsNext\//);
    const [audit] = (await listAudit(ops, { limit: 1, offset: 0, action: 'benchmarks.import' })).rows;
    expect(audit).toMatchObject({ userEmail: 'importer@test', resource: 'benchmarks:England (OHID Fingertips)', detail: `${SHARED_ROWS.length} values from england_fingertips.csv` });
  });

  it('replaces a set whole; a file with a bad row leaves the previous set as it was', async () => {
    await importBenchmarks(ops, 'a.csv', [HEADER, row('7.5'), row('7.3', '2022/23')].join('\n'), { label: 'Test set', by: null });
    const replaced = await importBenchmarks(ops, 'b.csv', [HEADER, row('7.6')].join('\n'), { label: 'Test set', by: null });
    expect(replaced.replaced).toBe(2);
    const bad = await importBenchmarks(ops, 'c.csv', [HEADER, row('7.7'), row('seven', '2022/23')].join('\n'), { label: 'Test set', by: null }).catch((e: unknown) => e as Error);
    expect(exitCodeFor(bad)).toBe(3);
    expect((bad as Error).message).toBe("a problem in c.csv; nothing was imported:\n  c.csv, line 3, field 'Value (value)': 'seven' is not a number");
    const sets = await listBenchmarkSets(ops);
    expect(sets.find((s) => s.label === 'Test set')).toMatchObject({ file: 'b.csv', rows: 1 });
    expect(sets.find((s) => s.label === ENGLAND_LABEL)?.rows).toBe(SHARED_ROWS.length);
  });
});

describe('phm benchmarks import', () => {
  const tempDir = useTempDir('phm-benchmarks-import-');

  it('replaces the set in the store next to the database and says what it did', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'england.csv'), [HEADER, row('7.6'), '241,Diabetes prevalence,E92000001,England,Persons,17+ yrs,Deprivation deciles,2023/24,9.1,,,,'].join('\n'));
    const { out, io } = commandIo(dir);
    await benchmarkImportCommand({ file: 'england.csv', label: ENGLAND_LABEL, db: 'x.duckdb' }, io);
    await benchmarkImportCommand({ file: 'england.csv', label: ENGLAND_LABEL, db: 'x.duckdb' }, io);
    expect(out).toEqual([
      "england.csv: 1 benchmark values imported as 'England (OHID Fingertips)' (1 category rows left out)\n",
      "england.csv: 1 benchmark values imported as 'England (OHID Fingertips)', replacing the 1 values of the previous set (1 category rows left out)\n",
    ]);
  });

  it('refuses, naming the process, while another process (a server) owns the PGlite store', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'england.csv'), [HEADER, row('7.6')].join('\n'));
    const owner = await openOperationalDb({ dataDir: join(dir, 'served.operational') });
    try {
      const refused = await benchmarkImportCommand({ file: 'england.csv', label: ENGLAND_LABEL, db: 'served.duckdb' }, commandIo(dir).io).catch((e: unknown) => e as Error);
      expect(exitCodeFor(refused)).toBe(5);
      expect((refused as Error).message).toContain(`the operational store ${join(dir, 'served.operational')} is in use by process ${process.pid}`);
      expect(await listBenchmarkSets(owner)).toEqual([]);
    } finally {
      await owner.close();
    }
  });

  it("phm demo: imports the shared extract as 'England (OHID Fingertips)' when present and not yet stored", async () => {
    const dir = tempDir();
    const ops = await openOperationalDb({});
    try {
      expect(await seedDemoBenchmarks(ops, join(dir, 'no-shared-data'))).toBeNull();
      mkdirSync(join(dir, 'shared', 'benchmarks'), { recursive: true });
      writeFileSync(join(dir, 'shared', SHARED_ENGLAND_FILE), [HEADER, row('7.6')].join('\n'));
      expect(await seedDemoBenchmarks(ops, join(dir, 'shared'))).toMatchObject({ label: ENGLAND_LABEL, rows: 1 });
      expect(await seedDemoBenchmarks(ops, join(dir, 'shared'))).toBeNull();
      expect((await listBenchmarkSets(ops)).map((s) => [s.label, s.rows])).toEqual([[ENGLAND_LABEL, 1]]);
    } finally {
      await ops.close();
    }
  });

  it('refuses an empty label and a file with no values', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.csv'), HEADER);
    const { io } = commandIo(dir);
    expect(exitCodeFor(await benchmarkImportCommand({ file: 'empty.csv', label: ' ', db: 'x.duckdb' }, io).catch((e: unknown) => e))).toBe(2);
    const none = await benchmarkImportCommand({ file: 'empty.csv', label: 'England', db: 'x.duckdb' }, io).catch((e: unknown) => e as Error);
    expect((none as Error).message).toBe('empty.csv has no benchmark values (0 category rows left out); nothing was imported');
  });
});

/**
 * Fingertips ids the catalogue maps that the shared extract does not hold, and why: a full Fingertips
 * download imported with `phm benchmarks import` supplies the values. Each says how its id was
 * checked, with no extract to check it against: the public source that names the id with this
 * indicator (read in December 2026), or 'not checked' when none was found (the id stands as given,
 * to be confirmed on the Fingertips site before its values are relied on).
 */
const ABSENT_FROM_SHARED_EXTRACT: Readonly<Record<number, { readonly why: string; readonly checked: string }>> = {
  91102: { why: 'life expectancy at 65 (PHOF A01c): the extract holds life expectancy at birth only', checked: "a public R script querying the Fingertips API (fingertipsR): 91102 as 'LE_males_65'" },
  41001: { why: 'suicide rate (PHOF C19a): the extract has an ONS series without a Fingertips id', checked: "a public R script querying the Fingertips API (fingertipsR): 41001 'Suicide rate'" },
  92906: { why: 'admission episodes for alcohol-specific conditions: the extract has the under-18 (92904) and narrow (91414) measures only', checked: 'not checked' },
  219: { why: 'hypertension QOF prevalence: not extracted', checked: "a public R script querying the Fingertips API (fingertipsR): 219 'Hypertension: QOF prevalence (all ages)'" },
  273: { why: 'CHD QOF prevalence: not extracted', checked: "a public R script querying the Fingertips API (fingertipsR): 273 'CHD: QOF prevalence (all ages)'" },
  93476: { why: 'deaths in usual place of residence, all ages (End of Life Care profile): the extract has the 65+ measure (92727) only', checked: 'not checked' },
  93560: { why: 'cervical screening coverage 25-49 (PHOF C24b): not extracted', checked: "a public R script querying the Fingertips API (fingertipsR): 93560 'Cancer screening coverage: cervical cancer (aged 25 to 49 years old)'" },
  93561: { why: 'cervical screening coverage 50-64 (PHOF C24c): not extracted', checked: "the same public script: 93561 'Cancer screening coverage: cervical cancer (aged 50 to 64 years old)'" },
  91720: { why: 'bowel cancer screening coverage 60-74 (PHOF C24d): not extracted', checked: "the same public script: 91720 'Cancer screening coverage: bowel cancer'" },
  30314: { why: 'flu vaccination coverage 65+ (PHOF D05): not extracted', checked: 'a public R script querying the Fingertips API (fingertipsR): 30314, flu vaccine uptake in adults aged 65 and over' },
  108: { why: 'under 75 mortality from all causes (Mortality profile): not extracted', checked: "fingertipsR's examples ('Under 75 mortality rate: all causes (Indicator 108)') and DHSC FingertipsNext's trend code (108, under 75 mortality from all causes)" },
  40801: { why: 'under 75 mortality from liver disease (PHOF E06): not extracted', checked: 'not checked' },
  93671: { why: 'cancers diagnosed at stage 1 or 2 (Cancer Services profile): not extracted', checked: 'not checked' },
  30313: { why: 'pneumococcal polysaccharide vaccine coverage 65+ (PHOF D06c): not extracted', checked: 'not checked' },
  91380: { why: 'alcohol-specific mortality (Local Alcohol Profiles): the extract has alcohol-related mortality (91382, 93763) only', checked: "a public R script fetching from the OHID Fingertips API: 'Indicator 91380 \"Alcohol-specific mortality\"'" },
};

describe("the catalogue's Fingertips mappings", () => {
  const mapped = INDICATOR_CATALOGUE.filter((d): d is IndicatorDefinition & { fingertips: NonNullable<IndicatorDefinition['fingertips']> } => d.fingertips !== undefined);
  const shared = SHARED_ROWS.map((r) => ({ ids: (r.cells[1] ?? '').split('/'), sex: r.cells[4], age: r.cells[5] }));

  it.each(mapped.map((d) => [d.id, d.fingertips] as const))('%s: its Fingertips id, sex and age are in the shared extract, or documented as absent', (_id, f) => {
    const inExtract = shared.some((r) => r.ids.includes(String(f.id)) && r.sex === f.sex && (r.age === f.age || r.age === ''));
    if (!inExtract) expect(ABSENT_FROM_SHARED_EXTRACT[f.id], `Fingertips ${f.id} (${f.sex}, ${f.age}) is neither in the extract nor documented as absent`).toBeDefined();
    else expect(ABSENT_FROM_SHARED_EXTRACT[f.id]).toBeUndefined();
  });

  it('says for every absent id how it was checked, or that it was not', () => {
    for (const [id, { why, checked }] of Object.entries(ABSENT_FROM_SHARED_EXTRACT)) {
      expect(why.length, id).toBeGreaterThan(10);
      expect(checked === 'not checked' || /public|Fingertips/.test(checked), `${id}: ${checked}`).toBe(true);
    }
  });

  it('documents as absent only ids that some indicator maps', () => {
    for (const id of Object.keys(ABSENT_FROM_SHARED_EXTRACT)) expect(mapped.some((d) => d.fingertips.id === Number(id))).toBe(true);
  });

  it('states how the definitions differ wherever they do', () => {
    for (const d of mapped) expect(d.fingertips.difference ?? '', d.id).not.toBe('');
  });
});

describe('England beside a local value', () => {
  const value = (over: Partial<StoredBenchmark>): StoredBenchmark => ({
    setId: 1, setLabel: ENGLAND_LABEL, indicatorId: '93085', indicatorName: 'Smokers at time of delivery', areaCode: 'E92000001', areaName: 'England',
    sex: 'Female', age: 'All ages', period: '2023/24', value: 7.4, lower95: 7.35, upper95: 7.45, count: 38884, denominator: 525432, unit: 'Proportion', source: 'OHID Fingertips', ...over,
  });
  const point = (period: Period, v: number, lower: number, upper: number) => ({ period, value: v, lower95: lower, upper95: upper, suppressed: false });
  const smoking = findIndicator('smoking-at-delivery')!;
  const y2023 = financialYearPeriod(2023);

  it.each([
    ['entirely above England (lower is better)', 9, 8, 10, 'worse'],
    ['entirely below England', 6, 5.5, 7, 'better'],
    ['touching England', 8, 7.4, 9, 'similar'],
    ['around England', 7.5, 6, 9, 'similar'],
  ])('a local interval %s is %s', (_what, v, lower, upper, comparison) => {
    const e = englandFor(smoking, point(y2023, v, lower, upper), [value({})]);
    expect(e.comparison).toBe(comparison);
    expect(e.england).toMatchObject({ value: 7.4, lower95: 7.35, upper95: 7.45, period: '2023/24', periodNote: '', fingertipsId: 93085, published: true, set: ENGLAND_LABEL, note: 'England: real published figure (OHID Fingertips, OGL v3)' });
    expect(e.england?.difference).toBe(smoking.fingertips!.difference);
  });

  it('says higher or lower for an indicator without polarity', () => {
    const diabetes = findIndicator('prevalence-diabetes')!;
    expect(diabetes.polarity).toBe('no-judgement');
    const england = value({ indicatorId: '241', sex: 'Persons', age: '17+ yrs', value: 7.66, lower95: 7.65, upper95: 7.66 });
    expect(englandFor(diabetes, point(y2023, 8.2, 8.0, 8.4), [england]).comparison).toBe('higher');
    expect(englandFor(diabetes, point(y2023, 7.0, 6.8, 7.2), [england]).comparison).toBe('lower');
  });

  it('gives no England value for a period England has none for, never another period', () => {
    const e = englandFor(smoking, point(financialYearPeriod(2025), 9, 8, 10), [value({ period: '2023/24' }), value({ period: '2022/23' })]);
    expect(e).toEqual({ england: null, comparison: 'not-compared', note: 'no England value for 2025/26 (Fingertips indicator 93085 has 2022/23 … 2023/24)' });
  });

  it('lists periods oldest first, labels it does not understand last', () => {
    expect(chronological(['2023/24', '2021-23', '2013/14', 'Q1 2020', '2022', '2021/22 - 23/24'])).toEqual(['2013/14', '2021-23', '2021/22 - 23/24', '2022', '2023/24', 'Q1 2020']);
  });

  it('does not compare a withheld local value, and says when no Fingertips indicator matches', () => {
    const withheld = { ...point(y2023, 9, 8, 10), value: null, lower95: null, upper95: null, suppressed: true };
    expect(englandFor(smoking, withheld, [value({})])).toMatchObject({ comparison: 'not-compared', england: { value: 7.4 } });
    expect(englandFor(findIndicator('multimorbidity-3-plus')!, point(y2023, 9, 8, 10), [value({})])).toEqual({ england: null, comparison: 'not-compared', note: 'no Fingertips indicator with a matching definition' });
  });

  it("compares pooled life expectancy with England's calendar years, saying so", () => {
    const le = findIndicator('life-expectancy-birth-female')!;
    const england = value({ indicatorId: '90366', sex: 'Female', age: 'All ages (at birth)', period: '2021-23', value: 83.1, lower95: null, upper95: null });
    const e = englandFor(le, point(financialYearPeriod(2023, 3), 82, 81.5, 82.5), [england]);
    expect(e.comparison).toBe('worse');
    expect(e.england?.periodNote).toBe("England's figure is for the calendar years 2021-2023; this one for the financial years 2021/22 - 2023/24 (three months later)");
    expect(englandFor(le, point(financialYearPeriod(2024, 3), 82, 81.5, 82.5), [england]).england).toBeNull();
  });
});
