/**
 * Benchmark values: real published figures (England, a region, peer areas) read from the CSV files
 * OHID's Fingertips downloads, to compare local indicators with (docs/statistics.md, "Comparison
 * with England"). Pure: the caller splits the CSV text into a table (ImportTable).
 *
 * Two headers are accepted, matched by name (case, spaces and punctuation ignored; other columns
 * ignored): the Fingertips download's ("Indicator ID", "Indicator Name", "Area Code", "Area Name",
 * "Sex", "Age", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count",
 * "Denominator", …) and the snake_case one of ../shared/data/benchmarks/england_fingertips.csv
 * (fingertips_indicator_id, indicator_name, area_code, …, lower_ci_95, upper_ci_95, unit,
 * source_repo, source_path, source_commit, licence). Rows of a Fingertips download that break an
 * area down by a category (a non-empty "Category Type": deprivation deciles, ethnic groups) are
 * left out: a benchmark is the whole area's figure.
 */
import { z } from 'zod';
import { InputError } from '../errors/errors.js';
import type { ImportTable } from '../care/import-table.js';
import { isOneOf } from '../codes/one-of.js';

/** Fingertips' sexes. */
export const FINGERTIPS_SEXES = ['Persons', 'Female', 'Male'] as const;
export type FingertipsSex = (typeof FINGERTIPS_SEXES)[number];

/** England's area code (ONS), the area the dashboard compares with. */
export const ENGLAND_AREA_CODE = 'E92000001';

/** The attribution every display of these figures carries. */
export const FINGERTIPS_ATTRIBUTION = 'Contains public sector information licensed under the Open Government Licence v3.0 (OHID Fingertips; ONS)';

/** An indicator id as Fingertips numbers it ('93085'); a series stitched from successive ids is written '92026/90319/93105'. */
export const FINGERTIPS_ID_PATTERN = /^\d{1,7}(\/\d{1,7})*$/;

const nonNegative = z.number().finite().nonnegative();

export const BenchmarkValueSchema = z
  .object({
    /** null when the source gives none (an ONS series, say). */
    indicatorId: z.string().regex(FINGERTIPS_ID_PATTERN).nullable(),
    indicatorName: z.string().min(1).max(300),
    areaCode: z.string().regex(/^[A-Za-z0-9]{3,12}$/),
    areaName: z.string().min(1).max(200),
    sex: z.enum(FINGERTIPS_SEXES),
    /** As Fingertips writes it ('17+ yrs', 'All ages'); '' when the source does not say. */
    age: z.string().max(60),
    /** As Fingertips writes it ('2022/23', '2021 - 23'); see matchBenchmarkPeriod. */
    period: z.string().min(1).max(40),
    /** null when the source publishes no value for the row. */
    value: z.number().finite().nullable(),
    lower95: z.number().finite().nullable(),
    upper95: z.number().finite().nullable(),
    /** Not always whole (survey-weighted counts). */
    count: nonNegative.nullable(),
    denominator: nonNegative.nullable(),
    /** '' when the source does not say. */
    unit: z.string().max(100),
    /** Where the figure was read from: 'OHID Fingertips', or the repository, path and commit of an extract. */
    source: z.string().min(1).max(400),
  })
  .strict()
  .refine((v) => v.lower95 === null || v.upper95 === null || v.lower95 <= v.upper95, { message: 'lower95 above upper95', path: ['lower95'] });

export type BenchmarkValue = z.infer<typeof BenchmarkValueSchema>;

/** How a catalogue indicator corresponds to a Fingertips indicator: its id, sex and age, and how the definitions differ when they are close but not equal. */
export const FingertipsMappingSchema = z
  .object({
    id: z.number().int().positive(),
    sex: z.enum(FINGERTIPS_SEXES),
    age: z.string().min(1).max(60),
    difference: z.string().min(10).optional(),
  })
  .strict();

export type FingertipsMapping = z.infer<typeof FingertipsMappingSchema>;

type Field = 'indicatorId' | 'indicatorName' | 'areaCode' | 'areaName' | 'sex' | 'age' | 'period' | 'value' | 'lower95' | 'upper95' | 'count' | 'denominator' | 'unit' | 'categoryType' | 'sourceRepo' | 'sourcePath' | 'sourceCommit';

/** Each field's column names, normalised (lower case, letters and digits only): the Fingertips download's first, then the shared file's. */
const COLUMNS: Record<Field, readonly string[]> = {
  indicatorId: ['indicatorid', 'fingertipsindicatorid'],
  indicatorName: ['indicatorname'],
  areaCode: ['areacode'],
  areaName: ['areaname'],
  sex: ['sex'],
  age: ['age'],
  period: ['timeperiod', 'period'],
  value: ['value'],
  lower95: ['lowerci950limit', 'lowerci95'],
  upper95: ['upperci950limit', 'upperci95'],
  count: ['count'],
  denominator: ['denominator'],
  unit: ['unit'],
  categoryType: ['categorytype'],
  sourceRepo: ['sourcerepo'],
  sourcePath: ['sourcepath'],
  sourceCommit: ['sourcecommit'],
};

const REQUIRED: readonly Field[] = ['indicatorId', 'indicatorName', 'areaCode', 'areaName', 'sex', 'age', 'period', 'value', 'lower95', 'upper95', 'count', 'denominator'];

const normalise = (column: string) => column.toLowerCase().replace(/[^a-z0-9]/g, '');

/** How a column is named in the two headers, for messages. */
const DISPLAY: Record<Field, string> = {
  indicatorId: 'Indicator ID (fingertips_indicator_id)',
  indicatorName: 'Indicator Name (indicator_name)',
  areaCode: 'Area Code (area_code)',
  areaName: 'Area Name (area_name)',
  sex: 'Sex (sex)',
  age: 'Age (age)',
  period: 'Time period (period)',
  value: 'Value (value)',
  lower95: 'Lower CI 95.0 limit (lower_ci_95)',
  upper95: 'Upper CI 95.0 limit (upper_ci_95)',
  count: 'Count (count)',
  denominator: 'Denominator (denominator)',
  unit: 'unit',
  categoryType: 'Category Type',
  sourceRepo: 'source_repo',
  sourcePath: 'source_path',
  sourceCommit: 'source_commit',
};

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Written for "no id" in extracts. */
const NO_ID = new Set(['', '—', '-', 'NA', 'n/a']);

export interface ParsedBenchmarks {
  readonly values: BenchmarkValue[];
  /** Rows of a category breakdown (left out). */
  readonly categoryRows: number;
  readonly errors: InputError[];
}

/** The key two rows of one set must not share: indicator (id, else name), area, sex, age and period. */
export const benchmarkKey = (v: Pick<BenchmarkValue, 'indicatorId' | 'indicatorName' | 'areaCode' | 'sex' | 'age' | 'period'>): string =>
  [v.indicatorId ?? `name:${v.indicatorName}`, v.areaCode, v.sex, v.age, v.period].join('\u0000');

/**
 * Reads a benchmark table. Every problem is an InputError naming the file, the line and the field
 * (at most `limit`); rows with a problem are left out of `values`.
 */
export const parseBenchmarkTable = (table: ImportTable, options: { defaultSource?: string; limit?: number } = {}): ParsedBenchmarks => {
  const { file } = table;
  const limit = options.limit ?? 20;
  const errors: InputError[] = [];
  const header = table.header.map(normalise);
  const index = {} as Record<Field, number>;
  for (const field of Object.keys(COLUMNS) as Field[]) index[field] = header.findIndex((h) => COLUMNS[field].includes(h));
  const missing = REQUIRED.filter((f) => index[f] < 0);
  if (missing.length > 0) {
    errors.push(new InputError({ file, line: 1 }, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((f) => DISPLAY[f]).join(', ')}: expected a Fingertips download or the snake_case header of ../shared/data/benchmarks/england_fingertips.csv`));
    return { values: [], categoryRows: 0, errors };
  }
  const values: BenchmarkValue[] = [];
  const seen = new Map<string, number>();
  let categoryRows = 0;
  for (const { line, cells } of table.rows) {
    if (errors.length >= limit) break;
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    const problem = (field: Field | '(row)', message: string) => void errors.push(new InputError({ file, line, field: field === '(row)' ? field : DISPLAY[field] }, message));
    if (cells.length !== header.length) {
      problem('(row)', `${cells.length} fields, the header has ${header.length}`);
      continue;
    }
    const get = (f: Field) => (index[f] < 0 ? '' : (cells[index[f]] ?? '').trim());
    if (get('categoryType') !== '') {
      categoryRows++;
      continue;
    }
    const before = errors.length;
    const number = (f: Field): number | null => {
      const text = get(f);
      if (text === '') return null;
      if (!NUMBER.test(text)) {
        problem(f, `'${text}' is not a number`);
        return null;
      }
      return Number(text);
    };
    const idText = get('indicatorId');
    let indicatorId: string | null = null;
    if (!NO_ID.has(idText)) {
      if (FINGERTIPS_ID_PATTERN.test(idText)) indicatorId = idText;
      else problem('indicatorId', `'${idText}' is not a Fingertips indicator id (digits, or ids joined by '/')`);
    }
    const indicatorName = get('indicatorName');
    if (indicatorName === '') problem('indicatorName', 'empty');
    const areaCode = get('areaCode');
    if (!/^[A-Za-z0-9]{3,12}$/.test(areaCode)) problem('areaCode', `'${areaCode}' is not an area code (3-12 letters and digits, e.g. E92000001)`);
    const areaName = get('areaName');
    if (areaName === '') problem('areaName', 'empty');
    const sexText = get('sex');
    const sex: FingertipsSex = isOneOf(FINGERTIPS_SEXES, sexText) ? sexText : 'Persons';
    if (!isOneOf(FINGERTIPS_SEXES, sexText)) problem('sex', `'${sexText}' is not one of ${FINGERTIPS_SEXES.join(', ')}`);
    const age = get('age');
    const period = get('period');
    if (period === '') problem('period', 'empty');
    else if (period.length > 40) problem('period', `'${period.slice(0, 40)}…' is longer than 40 characters`);
    const value = number('value');
    const lower95 = number('lower95');
    const upper95 = number('upper95');
    const count = number('count');
    const denominator = number('denominator');
    if (count !== null && count < 0) problem('count', `${count} is negative`);
    if (denominator !== null && denominator < 0) problem('denominator', `${denominator} is negative`);
    if (lower95 !== null && upper95 !== null && lower95 > upper95) problem('lower95', `the lower limit ${lower95} is above the upper limit ${upper95}`);
    else if (value !== null && lower95 !== null && value < lower95) problem('value', `${value} is below its lower 95% limit ${lower95}`);
    else if (value !== null && upper95 !== null && value > upper95) problem('value', `${value} is above its upper 95% limit ${upper95}`);
    if (errors.length > before) continue;
    const repo = get('sourceRepo');
    const source = repo !== ''
      ? `OHID Fingertips, read from github.com/${repo}${get('sourcePath') ? `/${get('sourcePath')}` : ''}${get('sourceCommit') ? ` at ${get('sourceCommit').slice(0, 12)}` : ''}`
      : (options.defaultSource ?? 'OHID Fingertips');
    const v: BenchmarkValue = { indicatorId, indicatorName, areaCode, areaName, sex, age, period, value, lower95, upper95, count, denominator, unit: get('unit'), source: source.slice(0, 400) };
    const key = benchmarkKey(v);
    const first = seen.get(key);
    if (first !== undefined) {
      problem('(row)', `repeats line ${first} (the same indicator, area, sex, age and period)`);
      continue;
    }
    seen.set(key, line);
    values.push(v);
  }
  return { values, categoryRows, errors: errors.slice(0, limit) };
};
